//! The live stream's wire audio (s16le PCM at the client's rate) to the 16 kHz mono f32 the
//! speech engine takes. Other rates go through one streaming resampler for the whole
//! recording, so frames join without a seam and come out as soon as they are resampled.

use coagent_audio::{pcm_s16le_to_f32, AudioError, StreamResampler, SAMPLE_RATE};

pub struct PcmTo16k {
    rate: u32,
    /// Made on the first frame, so that a bad rate is reported like any other audio error.
    resampler: Option<StreamResampler>,
}

impl PcmTo16k {
    pub fn new(rate: u32) -> Self {
        PcmTo16k { rate, resampler: None }
    }

    /// Converts one frame; returns the 16 kHz samples ready so far.
    pub fn push(&mut self, bytes: &[u8]) -> Result<Vec<f32>, AudioError> {
        let samples = pcm_s16le_to_f32(bytes)?;
        let resampler = match &mut self.resampler {
            Some(resampler) => resampler,
            empty => empty.insert(StreamResampler::new(self.rate, SAMPLE_RATE)?),
        };
        resampler.push(&samples)
    }

    /// What is left at the end of the stream.
    pub fn flush(&mut self) -> Result<Vec<f32>, AudioError> {
        self.resampler.as_mut().map_or(Ok(Vec::new()), StreamResampler::finish)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine_pcm(rate: u32, seconds: f32) -> Vec<u8> {
        let n = (rate as f32 * seconds) as usize;
        (0..n)
            .map(|i| (16_000.0 * (2.0 * std::f32::consts::PI * 1_000.0 * i as f32 / rate as f32).sin()) as i16)
            .flat_map(i16::to_le_bytes)
            .collect()
    }

    #[test]
    fn at_16_khz_samples_pass_straight_through() {
        let mut converter = PcmTo16k::new(16_000);
        assert_eq!(converter.push(&[0, 0, 0, 0x40]).unwrap(), vec![0.0, 0.5]);
    }

    #[test]
    fn at_48_khz_three_seconds_in_small_frames_become_three_seconds_at_16_khz() {
        let mut converter = PcmTo16k::new(48_000);
        let frame = vec![0u8; 9_600]; // 100 ms
        let mut total = 0;
        for _ in 0..30 {
            total += converter.push(&frame).unwrap().len();
        }
        total += converter.flush().unwrap().len();
        assert_eq!(total, 48_000);
    }

    #[test]
    fn a_48_khz_sine_in_100_ms_frames_has_no_seam_where_blocks_used_to_meet() {
        let pcm = sine_pcm(48_000, 3.0);
        let mut converter = PcmTo16k::new(48_000);
        let mut output = Vec::new();
        for frame in pcm.chunks(9_600) {
            output.extend(converter.push(frame).unwrap());
        }
        output.extend(converter.flush().unwrap());
        assert_eq!(output.len(), 48_000);
        // The old one-second blocks each ended in a filter edge: look just around 1 s and 2 s.
        for edge in [16_000, 32_000] {
            let steepest = output[edge - 50..edge + 50].windows(2).map(|p| (p[1] - p[0]).abs()).fold(0.0, f32::max);
            let sine_steepest = 0.49 * 2.0 * (std::f32::consts::PI / 16.0).sin();
            assert!(steepest <= sine_steepest * 1.01, "step {steepest} at sample {edge}");
        }
    }
}
