//! Uploaded audio files, decoded to 16 kHz mono by coagent-audio, which knows the format by
//! its first bytes (the declared Content-Type is often wrong or generic). Its reasons become
//! the API's errors: audio coagent cannot decode is 415, a broken or unknown file 422. And the
//! way back: samples to the stored PCM format, stored PCM to a WAV file a browser plays.

use coagent_audio::{decode_audio_file, Audio16k, AudioError};

use crate::error::ApiError;

/// Decodes an uploaded file, or says why it cannot be.
pub fn decode_upload(bytes: &[u8]) -> Result<Audio16k, ApiError> {
    let audio = decode_audio_file(bytes).map_err(|error| match error {
        AudioError::UnsupportedEncoding { .. } | AudioError::UnsupportedFormat(_) => {
            ApiError::UnsupportedMediaType(error.to_string())
        }
        other => ApiError::InvalidAudio(other.to_string()),
    })?;
    if audio.samples().is_empty() {
        return Err(ApiError::InvalidAudio("the audio file holds no sound".into()));
    }
    Ok(audio)
}

/// 16 kHz samples as 16-bit little-endian PCM, the format recordings are stored in, so an
/// uploaded file can be kept (and played) like a live dictation.
pub fn pcm_s16le(samples: &[f32]) -> Vec<u8> {
    samples
        .iter()
        .flat_map(|sample| ((sample * 32768.0).round().clamp(-32768.0, 32767.0) as i16).to_le_bytes())
        .collect()
}

/// Wraps stored mono s16le PCM in a WAV header, for the browser's audio player.
pub fn wav_file(pcm: &[u8], sample_rate: u32) -> Result<Vec<u8>, hound::Error> {
    let spec =
        hound::WavSpec { channels: 1, sample_rate, bits_per_sample: 16, sample_format: hound::SampleFormat::Int };
    let mut out = std::io::Cursor::new(Vec::with_capacity(pcm.len() + 44));
    let mut writer = hound::WavWriter::new(&mut out, spec)?;
    for pair in pcm.chunks_exact(2) {
        writer.write_sample(i16::from_le_bytes([pair[0], pair[1]]))?;
    }
    writer.finalize()?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use super::*;

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)).unwrap()
    }

    #[test]
    fn text_is_not_audio() {
        let error = decode_upload(b"hello, this is a text file").unwrap_err();
        assert!(matches!(error, ApiError::InvalidAudio(_)) && error.to_string().contains("WAV, M4A"), "{error}");
    }

    #[test]
    fn a_phone_recording_in_m4a_decodes_to_its_eleven_seconds() {
        let audio = decode_upload(&fixture("jfk.m4a")).unwrap();
        assert!((audio.duration_ms() as i64 - 11_000).abs() <= 100, "{} ms", audio.duration_ms());
    }

    #[test]
    fn an_ogg_file_cut_after_its_first_bytes_is_invalid_audio_that_says_so() {
        let error = decode_upload(b"OggS\0\x02rest-of-the-page").unwrap_err();
        assert!(matches!(error, ApiError::InvalidAudio(_)), "{error:?}");
        assert_eq!(error.to_string(), "the Ogg file is truncated: it ends in the middle of its audio");
    }

    #[test]
    fn a_voice_note_in_a_codec_coagent_lacks_is_unsupported_media() {
        // jfk.m4a relabelled as AMR speech, the codec of many 3GP voice notes.
        let mut m4a = fixture("jfk.m4a");
        let at = m4a.windows(4).position(|window| window == b"mp4a").unwrap();
        m4a[at..at + 4].copy_from_slice(b"samr");
        let error = decode_upload(&m4a).unwrap_err();
        assert!(matches!(error, ApiError::UnsupportedMediaType(_)) && error.to_string().contains("M4A"), "{error}");
    }

    #[test]
    fn samples_survive_the_round_trip_through_stored_pcm() {
        let samples = [0.0, 0.5, -0.25, -1.0, 0.999];
        let back = coagent_audio::pcm_s16le_to_f32(&pcm_s16le(&samples)).unwrap();
        for (before, after) in samples.iter().zip(&back) {
            assert!((before - after).abs() < 1e-4, "{before} became {after}");
        }
    }

    #[test]
    fn samples_past_full_scale_are_clipped_not_wrapped() {
        assert_eq!(pcm_s16le(&[2.0, -2.0]), [0xff, 0x7f, 0x00, 0x80]);
    }

    #[test]
    fn a_truncated_wav_is_invalid_audio() {
        assert!(matches!(decode_upload(b"RIFF\x24\0\0\0WAVEfmt "), Err(ApiError::InvalidAudio(_))));
    }
}
