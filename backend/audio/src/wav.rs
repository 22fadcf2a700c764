use std::{io::Cursor, path::Path};

use hound::{SampleFormat, WavReader};

use crate::{Audio16k, AudioError};

/// Decodes a WAV file of any common rate, bit depth and channel count to 16 kHz mono.
pub fn decode_wav(bytes: &[u8]) -> Result<Audio16k, AudioError> {
    let reader = WavReader::new(Cursor::new(bytes)).map_err(|e| AudioError::InvalidWav(e.to_string()))?;
    let spec = reader.spec();
    let samples: Vec<f32> = match (spec.sample_format, spec.bits_per_sample) {
        (SampleFormat::Float, 32) => collect(reader.into_samples::<f32>(), |s| s)?,
        (SampleFormat::Int, bits @ 8..=32) => {
            let scale = 1.0 / (1u64 << (bits - 1)) as f32;
            collect(reader.into_samples::<i32>(), |s| s as f32 * scale)?
        }
        (format, bits) => return Err(AudioError::UnsupportedFormat(format!("{format:?} with {bits} bits"))),
    };
    Audio16k::from_interleaved(&samples, spec.sample_rate, spec.channels)
}

pub fn decode_wav_file(path: &Path) -> Result<Audio16k, AudioError> {
    let bytes = std::fs::read(path).map_err(|source| AudioError::Io { path: path.display().to_string(), source })?;
    decode_wav(&bytes)
}

fn collect<S, I>(samples: I, convert: impl Fn(S) -> f32) -> Result<Vec<f32>, AudioError>
where
    I: Iterator<Item = hound::Result<S>>,
{
    samples.map(|sample| sample.map(&convert).map_err(|e| AudioError::InvalidWav(e.to_string()))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wav_bytes(spec: hound::WavSpec, frames: usize) -> Vec<u8> {
        let mut cursor = Cursor::new(Vec::new());
        let mut writer = hound::WavWriter::new(&mut cursor, spec).unwrap();
        for i in 0..frames * usize::from(spec.channels) {
            writer.write_sample(((i % 100) as i16 - 50) * 100).unwrap();
        }
        writer.finalize().unwrap();
        cursor.into_inner()
    }

    #[test]
    fn a_stereo_44k_wav_becomes_16k_mono_of_the_same_duration() {
        let spec =
            hound::WavSpec { channels: 2, sample_rate: 44_100, bits_per_sample: 16, sample_format: SampleFormat::Int };
        let audio = decode_wav(&wav_bytes(spec, 44_100)).unwrap();
        assert_eq!(audio.samples().len(), 16_000);
        assert_eq!(audio.duration_ms(), 1000);
    }

    #[test]
    fn bytes_that_are_not_a_wav_are_rejected_with_a_reason() {
        let error = decode_wav(b"this is not audio").unwrap_err();
        assert!(error.to_string().starts_with("not a readable WAV file"), "{error}");
    }
}
