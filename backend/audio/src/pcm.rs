use crate::{resample_mono, AudioError};

/// The rate Whisper was trained on; everything is converted to it before transcription.
pub const SAMPLE_RATE: u32 = 16_000;
/// Rates outside this range are rejected: below it speech is unintelligible, above it the
/// input is almost certainly a mistake (10 MHz "audio") and resampling would waste memory.
pub const MIN_SAMPLE_RATE: u32 = 4_000;
pub const MAX_SAMPLE_RATE: u32 = 192_000;

/// Mono audio at 16 kHz, samples in [-1, 1]: the only audio the speech engine accepts.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Audio16k {
    samples: Vec<f32>,
}

impl Audio16k {
    /// Mixes interleaved frames down to mono and resamples them to 16 kHz.
    pub fn from_interleaved(samples: &[f32], sample_rate: u32, channels: u16) -> Result<Self, AudioError> {
        check_sample_rate(sample_rate)?;
        let mono = mix_to_mono(samples, channels)?;
        Ok(Self { samples: resample_mono(&mono, sample_rate, SAMPLE_RATE)? })
    }

    /// Wraps samples that are already 16 kHz mono.
    pub fn from_16k_mono(samples: Vec<f32>) -> Self {
        Self { samples }
    }

    pub fn samples(&self) -> &[f32] {
        &self.samples
    }

    pub fn into_samples(self) -> Vec<f32> {
        self.samples
    }

    pub fn duration_ms(&self) -> u64 {
        self.samples.len() as u64 * 1000 / u64::from(SAMPLE_RATE)
    }
}

/// Averages each frame of interleaved samples into one.
pub(crate) fn mix_to_mono(samples: &[f32], channels: u16) -> Result<Vec<f32>, AudioError> {
    match channels {
        1 => Ok(samples.to_vec()),
        2..=8 => Ok(samples
            .chunks_exact(usize::from(channels))
            .map(|frame| frame.iter().sum::<f32>() / f32::from(channels))
            .collect()),
        _ => Err(AudioError::UnsupportedChannels(channels)),
    }
}

pub(crate) fn check_sample_rate(sample_rate: u32) -> Result<(), AudioError> {
    if (MIN_SAMPLE_RATE..=MAX_SAMPLE_RATE).contains(&sample_rate) {
        Ok(())
    } else {
        Err(AudioError::UnsupportedSampleRate(sample_rate))
    }
}

/// Converts signed 16-bit little-endian PCM (the live stream's wire format) to f32.
pub fn pcm_s16le_to_f32(bytes: &[u8]) -> Result<Vec<f32>, AudioError> {
    if !bytes.len().is_multiple_of(2) {
        return Err(AudioError::OddPcmLength(bytes.len()));
    }
    Ok(bytes.chunks_exact(2).map(|pair| f32::from(i16::from_le_bytes([pair[0], pair[1]])) / 32768.0).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pcm_bytes_become_samples_in_unit_range() {
        let bytes = [0x00, 0x80, 0xff, 0x7f, 0x00, 0x00];
        let samples = pcm_s16le_to_f32(&bytes).unwrap();
        assert_eq!(samples[0], -1.0);
        assert!((samples[1] - 0.99997).abs() < 1e-4);
        assert_eq!(samples[2], 0.0);
    }

    #[test]
    fn an_odd_number_of_pcm_bytes_is_rejected() {
        assert!(matches!(pcm_s16le_to_f32(&[1, 2, 3]), Err(AudioError::OddPcmLength(3))));
    }

    #[test]
    fn a_sample_rate_of_zero_or_ten_megahertz_is_rejected() {
        assert!(Audio16k::from_interleaved(&[0.0; 10], 0, 1).is_err());
        assert!(Audio16k::from_interleaved(&[0.0; 10], 10_000_000, 1).is_err());
    }

    #[test]
    fn stereo_is_mixed_down_to_mono() {
        let stereo = [0.5, -0.5, 0.25, 0.25].repeat(8000);
        let audio = Audio16k::from_interleaved(&stereo, 16_000, 2).unwrap();
        assert_eq!(audio.samples().len(), 16_000);
        assert!((audio.samples()[100] - 0.0).abs() < 1e-6 || (audio.samples()[100] - 0.25).abs() < 1e-6);
    }
}
