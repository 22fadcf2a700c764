use rubato::{FftFixedIn, Resampler};

use crate::{pcm::check_sample_rate, AudioError};

const CHUNK_FRAMES: usize = 1024;

/// Resamples a whole mono signal with rubato's FFT resampler, compensating its delay so the
/// output lines up with the input and has exactly `len * to / from` samples.
pub fn resample_mono(samples: &[f32], from_rate: u32, to_rate: u32) -> Result<Vec<f32>, AudioError> {
    check_sample_rate(from_rate)?;
    check_sample_rate(to_rate)?;
    if from_rate == to_rate || samples.is_empty() {
        return Ok(samples.to_vec());
    }
    let fail = |error: &dyn std::fmt::Display| AudioError::Resample(error.to_string());
    let mut resampler =
        FftFixedIn::<f32>::new(from_rate as usize, to_rate as usize, CHUNK_FRAMES, 2, 1).map_err(|e| fail(&e))?;
    let expected_len = (samples.len() as u64 * u64::from(to_rate) / u64::from(from_rate)) as usize;
    let delay = resampler.output_delay();
    let mut output = Vec::with_capacity(expected_len + delay + CHUNK_FRAMES);

    let mut chunks = samples.chunks_exact(CHUNK_FRAMES);
    for chunk in &mut chunks {
        let frames = resampler.process(&[chunk], None).map_err(|e| fail(&e))?;
        output.extend_from_slice(&frames[0]);
    }
    let remainder = chunks.remainder();
    if !remainder.is_empty() {
        let frames = resampler.process_partial(Some(&[remainder]), None).map_err(|e| fail(&e))?;
        output.extend_from_slice(&frames[0]);
    }
    // Flush what the resampler still holds until the delayed tail has come out.
    while output.len() < expected_len + delay {
        let frames = resampler.process_partial::<&[f32]>(None, None).map_err(|e| fail(&e))?;
        if frames[0].is_empty() {
            break;
        }
        output.extend_from_slice(&frames[0]);
    }
    output.drain(..delay.min(output.len()));
    output.resize(expected_len, 0.0);
    Ok(output)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sine(rate: u32, freq: f32, seconds: f32) -> Vec<f32> {
        let n = (rate as f32 * seconds) as usize;
        (0..n).map(|i| (2.0 * std::f32::consts::PI * freq * i as f32 / rate as f32).sin()).collect()
    }

    #[test]
    fn resampling_keeps_duration_and_frequency() {
        let input = sine(44_100, 440.0, 1.0);
        let output = resample_mono(&input, 44_100, 16_000).unwrap();
        assert_eq!(output.len(), 16_000);
        // Compare with the ideal 440 Hz sine at 16 kHz, away from the edges.
        let ideal = sine(16_000, 440.0, 1.0);
        let max_error =
            output[1000..15000].iter().zip(&ideal[1000..15000]).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
        assert!(max_error < 0.02, "max error {max_error}");
    }

    #[test]
    fn same_rate_is_returned_unchanged() {
        let input = sine(16_000, 100.0, 0.1);
        assert_eq!(resample_mono(&input, 16_000, 16_000).unwrap(), input);
    }
}
