//! Pure Rust audio handling: decoding WAV, resampling to the 16 kHz mono f32 that the speech
//! engine expects, converting the live stream's 16-bit PCM, and finding where speech is.

mod activity;
mod pcm;
mod resample;
mod wav;

pub use activity::{SpeechDetector, SpeechSpan};
pub use pcm::{pcm_s16le_to_f32, Audio16k, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, SAMPLE_RATE};
pub use resample::resample_mono;
pub use wav::{decode_wav, decode_wav_file};

/// Why audio could not be turned into 16 kHz mono samples.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("not a readable WAV file: {0}")]
    InvalidWav(String),
    #[error("unsupported WAV sample format: {0}")]
    UnsupportedFormat(String),
    #[error("sample rate {0} Hz is outside the supported range of {min} to {max} Hz", min = pcm::MIN_SAMPLE_RATE, max = pcm::MAX_SAMPLE_RATE)]
    UnsupportedSampleRate(u32),
    #[error("audio has {0} channels; between 1 and 8 are supported")]
    UnsupportedChannels(u16),
    #[error("16-bit PCM must have an even number of bytes, got {0}")]
    OddPcmLength(usize),
    #[error("could not resample: {0}")]
    Resample(String),
    #[error("could not read {path}: {source}")]
    Io { path: String, source: std::io::Error },
}
