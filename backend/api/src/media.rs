//! Uploaded audio files: recognised by their first bytes (the declared Content-Type is often
//! wrong or generic), decoded to 16 kHz mono. WAV is decoded; compressed formats are named
//! so the client is told plainly that they are not supported yet.

use coagent_audio::{decode_wav, Audio16k};

use crate::error::ApiError;

/// Decodes an uploaded file, or says why it cannot be.
pub fn decode_upload(bytes: &[u8]) -> Result<Audio16k, ApiError> {
    match sniff(bytes) {
        Some("wav") => {
            let audio = decode_wav(bytes)
                .map_err(|error| ApiError::InvalidAudio(format!("the WAV file is unreadable: {error}")))?;
            if audio.samples().is_empty() {
                return Err(ApiError::InvalidAudio("the audio file holds no sound".into()));
            }
            Ok(audio)
        }
        Some(format) => Err(ApiError::UnsupportedMediaType(format!(
            "{format} audio is not supported yet; send a WAV file (16-bit PCM) or dictate live"
        ))),
        None => Err(ApiError::InvalidAudio("the upload is not an audio file coagent recognises (WAV expected)".into())),
    }
}

/// The container format from its magic bytes.
fn sniff(bytes: &[u8]) -> Option<&'static str> {
    if bytes.len() >= 12 && &bytes[0..4] == b"RIFF" && &bytes[8..12] == b"WAVE" {
        Some("wav")
    } else if bytes.starts_with(b"OggS") {
        Some("Ogg")
    } else if bytes.starts_with(&[0x1a, 0x45, 0xdf, 0xa3]) {
        Some("WebM")
    } else if bytes.len() >= 8 && &bytes[4..8] == b"ftyp" {
        Some("AAC/M4A")
    } else if bytes.starts_with(b"ID3") || bytes.starts_with(&[0xff, 0xfb]) {
        Some("MP3")
    } else if bytes.starts_with(b"fLaC") {
        Some("FLAC")
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_not_audio() {
        assert!(matches!(decode_upload(b"hello, this is a text file"), Err(ApiError::InvalidAudio(_))));
    }

    #[test]
    fn an_ogg_file_is_named_as_unsupported() {
        let error = decode_upload(b"OggS\0\x02rest-of-the-page").unwrap_err();
        assert!(matches!(error, ApiError::UnsupportedMediaType(_)) && error.to_string().contains("Ogg"));
    }

    #[test]
    fn a_truncated_wav_is_invalid_audio() {
        assert!(matches!(decode_upload(b"RIFF\x24\0\0\0WAVEfmt "), Err(ApiError::InvalidAudio(_))));
    }
}
