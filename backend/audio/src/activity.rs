//! Energy-based voice activity detection. Whisper invents words ("Thank you.") when given
//! silence or faint noise, so audio without speech must never reach it.

use crate::SAMPLE_RATE;

const FRAME: usize = (SAMPLE_RATE as usize) * 30 / 1000;

/// A stretch of audio that contains speech, in samples at 16 kHz.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpeechSpan {
    pub start: usize,
    pub end: usize,
}

/// Finds speech by frame loudness relative to both an absolute floor (faint noise is never
/// speech) and the clip's own noise floor (steady hum is never speech).
#[derive(Debug, Clone, Copy)]
pub struct SpeechDetector {
    /// Frames quieter than this (dBFS) are never speech.
    pub absolute_floor_db: f32,
    /// Frames must be this much louder than the clip's quietest tenth to count as speech.
    pub margin_over_noise_db: f32,
    /// Speech shorter than this is a click, not a word.
    pub min_speech_ms: usize,
    /// Padding kept around speech so word onsets and tails are not cut.
    pub padding_ms: usize,
}

impl Default for SpeechDetector {
    fn default() -> Self {
        Self { absolute_floor_db: -42.0, margin_over_noise_db: 8.0, min_speech_ms: 150, padding_ms: 250 }
    }
}

impl SpeechDetector {
    pub fn has_speech(&self, samples: &[f32]) -> bool {
        !self.speech_spans(samples).is_empty()
    }

    /// Speech spans in `samples`, padded and merged, in order.
    pub fn speech_spans(&self, samples: &[f32]) -> Vec<SpeechSpan> {
        let levels: Vec<f32> = samples.chunks(FRAME).map(frame_db).collect();
        if levels.is_empty() {
            return Vec::new();
        }
        let threshold = self.absolute_floor_db.max(noise_floor_db(&levels) + self.margin_over_noise_db);
        let min_frames = (self.min_speech_ms / 30).max(1);
        let padding = self.padding_ms * SAMPLE_RATE as usize / 1000;

        let mut spans: Vec<SpeechSpan> = Vec::new();
        let mut run_start = None;
        for (index, level) in levels.iter().chain(std::iter::once(&f32::NEG_INFINITY)).enumerate() {
            match (run_start, *level > threshold) {
                (None, true) => run_start = Some(index),
                (Some(start), false) => {
                    if index - start >= min_frames {
                        let span = SpeechSpan {
                            start: (start * FRAME).saturating_sub(padding),
                            end: (index * FRAME + padding).min(samples.len()),
                        };
                        match spans.last_mut() {
                            Some(last) if span.start <= last.end => last.end = span.end,
                            _ => spans.push(span),
                        }
                    }
                    run_start = None;
                }
                _ => {}
            }
        }
        spans
    }
}

fn frame_db(frame: &[f32]) -> f32 {
    let mean_square = frame.iter().map(|s| s * s).sum::<f32>() / frame.len() as f32;
    10.0 * mean_square.max(1e-12).log10()
}

/// The level of the clip's quietest tenth of frames: its background noise.
fn noise_floor_db(levels: &[f32]) -> f32 {
    let mut sorted = levels.to_vec();
    sorted.sort_by(f32::total_cmp);
    sorted[sorted.len() / 10]
}

#[cfg(test)]
mod tests {
    use rand::{Rng, SeedableRng};

    use super::*;

    fn noise(seconds: usize, amplitude: f32) -> Vec<f32> {
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        (0..seconds * 16_000).map(|_| rng.random_range(-amplitude..amplitude)).collect()
    }

    /// Bursts of a harmonic tone with pauses, loud like speech.
    fn syllables(seconds: usize) -> Vec<f32> {
        (0..seconds * 16_000)
            .map(|i| {
                let t = i as f32 / 16_000.0;
                let voiced = (t * 3.0).fract() < 0.6;
                if voiced {
                    0.3 * (2.0 * std::f32::consts::PI * 180.0 * t).sin()
                } else {
                    0.0
                }
            })
            .collect()
    }

    #[test]
    fn digital_silence_has_no_speech() {
        assert!(!SpeechDetector::default().has_speech(&vec![0.0; 30 * 16_000]));
    }

    #[test]
    fn faint_noise_has_no_speech() {
        assert!(!SpeechDetector::default().has_speech(&noise(30, 0.005)));
    }

    #[test]
    fn steady_noise_has_no_speech_even_when_audible() {
        assert!(!SpeechDetector::default().has_speech(&noise(10, 0.1)));
    }

    #[test]
    fn loud_bursts_over_quiet_background_are_speech() {
        let mut audio = noise(3, 0.002);
        audio.extend(syllables(3));
        audio.extend(noise(3, 0.002));
        let spans = SpeechDetector::default().speech_spans(&audio);
        assert!(!spans.is_empty());
        assert!(spans[0].start >= 2 * 16_000 && spans.last().unwrap().end <= 7 * 16_000, "{spans:?}");
    }

    #[test]
    fn empty_audio_has_no_speech() {
        assert!(SpeechDetector::default().speech_spans(&[]).is_empty());
    }
}
