//! The one resampling path: a stateful rubato FFT resampler fed in pieces of any size, so a
//! live stream and a whole file are resampled identically, with no seams between pieces.

use rubato::{FftFixedIn, Resampler};

use crate::{pcm::check_sample_rate, AudioError};

/// Input frames per FFT, at least: about 10 ms at 48 kHz, short enough for live latency.
const MIN_FFT_FRAMES: usize = 512;

/// Resamples a mono stream piece by piece. The output lines up with the input (the filter's
/// delay is dropped) and, once finished, has exactly `input_len * to / from` samples.
pub struct StreamResampler {
    from_rate: u32,
    to_rate: u32,
    /// None when the rates are equal: samples pass straight through.
    fft: Option<FftFixedIn<f32>>,
    /// Input waiting for a whole chunk: rubato takes fixed-size chunks only.
    waiting: Vec<f32>,
    consumed: u64,
    output: Emitted,
}

/// What has come out so far, kept apart from the filter so both can be borrowed at once.
struct Emitted {
    /// Leading output samples still to drop: the filter's delay.
    delay_left: usize,
    count: u64,
}

impl Emitted {
    /// Drops the filter's delay from the front and anything past `limit` from the back.
    fn take(&mut self, frames: Vec<Vec<f32>>, limit: u64) -> Vec<f32> {
        let mut frames = frames.into_iter().next().unwrap_or_default();
        let skip = self.delay_left.min(frames.len());
        self.delay_left -= skip;
        frames.drain(..skip);
        frames.truncate(limit.saturating_sub(self.count) as usize);
        self.count += frames.len() as u64;
        frames
    }
}

impl StreamResampler {
    pub fn new(from_rate: u32, to_rate: u32) -> Result<Self, AudioError> {
        check_sample_rate(from_rate)?;
        check_sample_rate(to_rate)?;
        let fft = if from_rate == to_rate {
            None
        } else {
            let (from, to) = (from_rate as usize, to_rate as usize);
            Some(FftFixedIn::new(from, to, chunk_frames(from, to), 2, 1).map_err(fail)?)
        };
        let delay_left = fft.as_ref().map_or(0, |fft| fft.output_delay());
        let output = Emitted { delay_left, count: 0 };
        Ok(Self { from_rate, to_rate, fft, waiting: Vec::new(), consumed: 0, output })
    }

    pub fn from_rate(&self) -> u32 {
        self.from_rate
    }

    /// Takes the next piece of input; returns the output that is ready so far.
    pub fn push(&mut self, samples: &[f32]) -> Result<Vec<f32>, AudioError> {
        self.consumed += samples.len() as u64;
        let limit = self.expected_len();
        let Some(fft) = self.fft.as_mut() else {
            self.output.count += samples.len() as u64;
            return Ok(samples.to_vec());
        };
        self.waiting.extend_from_slice(samples);
        let mut output = Vec::new();
        let mut start = 0;
        while self.waiting.len() - start >= fft.input_frames_next() {
            let end = start + fft.input_frames_next();
            let frames = fft.process(&[&self.waiting[start..end]], None).map_err(fail)?;
            start = end;
            output.extend(self.output.take(frames, limit));
        }
        self.waiting.drain(..start);
        Ok(output)
    }

    /// Ends the stream: flushes the samples still inside the filter and returns the rest of
    /// the output. The resampler is then ready for a new stream.
    pub fn finish(&mut self) -> Result<Vec<f32>, AudioError> {
        let expected = self.expected_len();
        let mut output = Vec::new();
        if self.fft.is_some() {
            // The last partial chunk, zero-padded, then silence until the delayed tail is out.
            let last = std::mem::take(&mut self.waiting);
            let mut input = Some(last.as_slice()).filter(|last| !last.is_empty());
            while self.output.count < expected {
                let Some(frames) = self.flush_step(input.take(), expected)? else { break };
                output.extend(frames);
            }
        }
        // Only reachable if the filter gave back less than it took: keep the length promise.
        output.resize(output.len() + expected.saturating_sub(self.output.count) as usize, 0.0);
        self.reset();
        Ok(output)
    }

    /// One zero-padded step of the flush; None once rubato has nothing more to give.
    fn flush_step(&mut self, input: Option<&[f32]>, limit: u64) -> Result<Option<Vec<f32>>, AudioError> {
        let Some(fft) = self.fft.as_mut() else { return Ok(None) };
        let frames = match input {
            Some(input) => fft.process_partial(Some(&[input]), None),
            None => fft.process_partial::<&[f32]>(None, None),
        }
        .map_err(fail)?;
        Ok((!frames[0].is_empty()).then(|| self.output.take(frames, limit)))
    }

    fn reset(&mut self) {
        if let Some(fft) = self.fft.as_mut() {
            fft.reset();
            self.output.delay_left = fft.output_delay();
        }
        self.waiting.clear();
        self.consumed = 0;
        self.output.count = 0;
    }

    /// Output length owed for the input so far; never exceeded, so the total comes out exact.
    fn expected_len(&self) -> u64 {
        self.consumed * u64::from(self.to_rate) / u64::from(self.from_rate)
    }
}

/// Input frames per call, two FFTs' worth. rubato's FFTs span whole multiples of the rates'
/// smallest common period; an even multiple puts the filter's centre on an output sample, so
/// its delay is a whole number of samples and the output lines up exactly (an odd one, as
/// 48 to 16 kHz gets from a plain 1024, leaves the output a third of a sample late).
fn chunk_frames(from: usize, to: usize) -> usize {
    let period = from / gcd(from, to);
    let periods = MIN_FFT_FRAMES.div_ceil(period).next_multiple_of(2);
    2 * periods * period
}

fn gcd(a: usize, b: usize) -> usize {
    if b == 0 {
        a
    } else {
        gcd(b, a % b)
    }
}

/// Resamples a whole mono signal, exactly `len * to / from` samples long.
pub fn resample_mono(samples: &[f32], from_rate: u32, to_rate: u32) -> Result<Vec<f32>, AudioError> {
    let mut resampler = StreamResampler::new(from_rate, to_rate)?;
    let mut output = resampler.push(samples)?;
    output.extend(resampler.finish()?);
    Ok(output)
}

fn fail(error: impl std::fmt::Display) -> AudioError {
    AudioError::Resample(error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, freq: f32, seconds: f32) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n).map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin()).collect()
    }

    fn max_difference(a: &[f32], b: &[f32]) -> f32 {
        a.iter().zip(b).map(|(a, b)| (a - b).abs()).fold(0.0, f32::max)
    }

    #[test]
    fn resampling_keeps_duration_and_frequency() {
        let input = sine(44_100, 440.0, 1.0);
        let output = resample_mono(&input, 44_100, 16_000).unwrap();
        assert_eq!(output.len(), 16_000);
        // Compare with the ideal 440 Hz sine at 16 kHz, away from the edges.
        let ideal = sine(16_000, 440.0, 1.0);
        let max_error = max_difference(&output[1000..15000], &ideal[1000..15000]);
        assert!(max_error < 0.02, "max error {max_error}");
    }

    #[test]
    fn same_rate_is_returned_unchanged() {
        let input = sine(16_000, 100.0, 0.1);
        assert_eq!(resample_mono(&input, 16_000, 16_000).unwrap(), input);
    }

    #[test]
    fn a_48_khz_sine_fed_in_100_ms_frames_comes_out_as_a_clean_16_khz_sine_a_third_as_long() {
        let input = sine(48_000, 1_000.0, 3.05);
        let mut resampler = StreamResampler::new(48_000, 16_000).unwrap();
        let mut output = Vec::new();
        for frame in input.chunks(4_800) {
            output.extend(resampler.push(frame).unwrap());
        }
        output.extend(resampler.finish().unwrap());
        assert_eq!(output.len(), input.len() / 3);

        // Frame edges fall every 1,600 output samples: a seam there would break the sine.
        let ideal = sine(16_000, 1_000.0, 3.05);
        let inner = 200..output.len() - 200;
        let error = max_difference(&output[inner.clone()], &ideal[inner.clone()]);
        assert!(error < 0.01, "max error {error}");
        let steepest = output[inner].windows(2).map(|pair| (pair[1] - pair[0]).abs()).fold(0.0, f32::max);
        let sine_steepest = 2.0 * (std::f32::consts::PI * 1_000.0 / 16_000.0).sin();
        assert!(steepest < sine_steepest * 1.01, "step {steepest} vs the sine's own {sine_steepest}");

        assert!(max_difference(&output, &resample_mono(&input, 48_000, 16_000).unwrap()) < 1e-6);
    }

    #[test]
    fn odd_sized_pieces_at_44_1_khz_give_the_same_output_as_the_whole_signal() {
        let input = sine(44_100, 300.0, 1.37);
        let whole = resample_mono(&input, 44_100, 16_000).unwrap();
        let mut resampler = StreamResampler::new(44_100, 16_000).unwrap();
        let mut pieces = Vec::new();
        for piece in input.chunks(333) {
            pieces.extend(resampler.push(piece).unwrap());
        }
        pieces.extend(resampler.finish().unwrap());
        assert_eq!(pieces.len(), input.len() * 16_000 / 44_100);
        assert_eq!(pieces.len(), whole.len());
        assert!(max_difference(&pieces, &whole) < 1e-6);
    }

    #[test]
    fn a_finished_resampler_starts_a_new_stream_afresh() {
        let input = sine(48_000, 500.0, 0.5);
        let mut resampler = StreamResampler::new(48_000, 16_000).unwrap();
        let mut first = resampler.push(&input).unwrap();
        first.extend(resampler.finish().unwrap());
        let mut second = resampler.push(&input).unwrap();
        second.extend(resampler.finish().unwrap());
        assert_eq!(first, second);
    }

    #[test]
    fn a_stream_shorter_than_one_chunk_still_comes_out() {
        let mut resampler = StreamResampler::new(48_000, 16_000).unwrap();
        assert!(resampler.push(&[0.5; 300]).unwrap().is_empty());
        assert_eq!(resampler.finish().unwrap().len(), 100);
    }
}
