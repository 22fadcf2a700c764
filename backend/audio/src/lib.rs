//! Pure audio handling: decoding audio files (WAV, and phones' AAC, Opus and the like),
//! resampling to the 16 kHz mono f32 that the speech engine expects, converting the live
//! stream's 16-bit PCM, and finding where speech is.

mod activity;
mod container;
mod decode;
mod pcm;
mod resample;
mod wav;
mod webm;

pub use activity::{SpeechDetector, SpeechSpan};
pub use container::Container;
pub use decode::{decode_audio_file, decode_audio_path};
pub use pcm::{pcm_s16le_to_f32, Audio16k, MAX_SAMPLE_RATE, MIN_SAMPLE_RATE, SAMPLE_RATE};
pub use resample::{resample_mono, StreamResampler};
pub use wav::{decode_wav, decode_wav_file};

/// Why audio could not be turned into 16 kHz mono samples.
#[derive(Debug, thiserror::Error)]
pub enum AudioError {
    #[error("this is not an audio file coagent recognises (WAV, M4A/AAC, Ogg/Opus, WebM/Opus, MP3 or FLAC expected)")]
    UnknownFormat,
    #[error("the {0} file has no audio track")]
    NoAudioTrack(&'static str),
    #[error("the {0} file is truncated: it ends in the middle of its audio")]
    Truncated(&'static str),
    #[error("the {format} file is damaged or unreadable ({reason})")]
    Damaged { format: &'static str, reason: String },
    /// A well-formed file that coagent cannot decode (an AMR voice note in 3GP, say).
    #[error("the {format} file's audio cannot be decoded ({what}); send AAC, Opus, MP3, FLAC, Vorbis or WAV audio")]
    UnsupportedEncoding { format: &'static str, what: String },
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
