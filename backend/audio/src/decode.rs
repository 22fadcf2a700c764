//! Any supported audio file to 16 kHz mono: WAV through hound, compressed formats through
//! symphonia's demuxers and decoders, with libopus plugged in for Opus (symphonia has none).

use std::{borrow::Cow, io::Cursor, path::Path, sync::LazyLock};

use symphonia::core::{
    audio::GenericAudioBufferRef,
    codecs::{audio::AudioDecoderOptions, registry::CodecRegistry},
    errors::Error as SymphoniaError,
    formats::{probe::Hint, FormatOptions, Track, TrackType},
    io::MediaSourceStream,
    meta::MetadataOptions,
    units::{TimeBase, Timestamp},
};
use symphonia_adapter_libopus::OpusDecoder;

use crate::{decode_wav, pcm::mix_to_mono, webm, Audio16k, AudioError, Container, StreamResampler, SAMPLE_RATE};

/// Packets that fail to decode are skipped, as players do, up to this share of the file:
/// past it the file is damaged and a transcript of the remains would mislead.
const MAX_BAD_PACKET_SHARE: f64 = 0.05;
/// Audio missing from the middle of a file beyond this is damage, not timestamp rounding
/// (WebM stamps in whole milliseconds) or a skipped packet (20 to 60 ms).
const MAX_GAP_SECONDS: f64 = 0.25;

static CODECS: LazyLock<CodecRegistry> = LazyLock::new(|| {
    let mut registry = CodecRegistry::new();
    symphonia::default::register_enabled_codecs(&mut registry);
    registry.register_audio_decoder::<OpusDecoder>();
    registry
});

/// Decodes an audio file of any supported format (see [`Container`]) to 16 kHz mono.
pub fn decode_audio_file(bytes: &[u8]) -> Result<Audio16k, AudioError> {
    match Container::sniff(bytes) {
        Some(Container::Wav) => decode_wav(bytes),
        Some(container) => decode_compressed(bytes, container),
        None => Err(AudioError::UnknownFormat),
    }
}

/// Reads and decodes an audio file of any supported format.
pub fn decode_audio_path(path: &Path) -> Result<Audio16k, AudioError> {
    let bytes = std::fs::read(path).map_err(|source| AudioError::Io { path: path.display().to_string(), source })?;
    decode_audio_file(&bytes)
}

fn decode_compressed(bytes: &[u8], container: Container) -> Result<Audio16k, AudioError> {
    let format = container.name();
    let error = |error: SymphoniaError| file_error(container, error);
    let bytes = if container == Container::WebM { webm::with_known_sizes(bytes) } else { Cow::Borrowed(bytes) };
    let source = MediaSourceStream::new(Box::new(Cursor::new(bytes)), Default::default());
    let mut hint = Hint::new();
    hint.with_extension(container.extension());
    let mut reader = symphonia::default::get_probe()
        .probe(&hint, source, FormatOptions::default(), MetadataOptions::default())
        .map_err(error)?;

    let unsupported_codec =
        || AudioError::UnsupportedEncoding { format, what: "its codec is not one coagent has".into() };
    let Some(track) = reader.default_track(TrackType::Audio) else {
        // Demuxers leave a track's parameters out when they do not know its codec (AMR in a
        // 3GP voice note, say): that is a codec to name, not a missing track.
        let unknown_track = reader.tracks().iter().any(|track| track.codec_params.is_none());
        return Err(if unknown_track { unsupported_codec() } else { AudioError::NoAudioTrack(format) });
    };
    let params =
        track.codec_params.as_ref().and_then(|params| params.audio()).ok_or(AudioError::NoAudioTrack(format))?;
    if CODECS.get_audio_decoder(params.codec).is_none() {
        return Err(unsupported_codec());
    }
    let track_id = track.id;
    let mut timeline = Timeline::of(track);
    let mut decoder = CODECS.make_audio_decoder(params, &AudioDecoderOptions::default()).map_err(error)?;

    let mut sink = To16kMono::default();
    let (mut packets, mut bad_packets) = (0usize, 0usize);
    let mut last_fault = None;
    while let Some(packet) = reader.next_packet().map_err(error)? {
        if packet.track_id != track_id {
            continue;
        }
        timeline.check(packet.pts).map_err(|reason| AudioError::Damaged { format, reason })?;
        packets += 1;
        match decoder.decode(&packet) {
            Ok(decoded) => {
                timeline.decoded += decoded.frames() as f64 / f64::from(decoded.spec().rate());
                sink.push(&decoded)?;
            }
            Err(fault @ SymphoniaError::DecodeError(_)) => {
                bad_packets += 1;
                last_fault = Some(fault);
            }
            Err(other) => return Err(error(other)),
        }
    }
    if let Some(fault) = last_fault.filter(|_| bad_packets as f64 > packets as f64 * MAX_BAD_PACKET_SHARE) {
        return Err(error(fault));
    }
    timeline.check_end().map_err(|reason| AudioError::Damaged { format, reason })?;
    Ok(Audio16k::from_16k_mono(sink.finish()?))
}

/// Mixes each decoded packet down and resamples it as it comes, so a long file never sits in
/// memory at its original rate and channel count.
#[derive(Default)]
struct To16kMono {
    resampler: Option<StreamResampler>,
    interleaved: Vec<f32>,
    output: Vec<f32>,
}

impl To16kMono {
    fn push(&mut self, decoded: &GenericAudioBufferRef<'_>) -> Result<(), AudioError> {
        let rate = decoded.spec().rate();
        let channels = u16::try_from(decoded.spec().channels().count()).unwrap_or(u16::MAX);
        if self.resampler.as_ref().is_none_or(|resampler| resampler.from_rate() != rate) {
            // MP3 and ADTS frames may switch rate mid-stream: finish the old rate first.
            if let Some(mut previous) = self.resampler.take() {
                self.output.extend(previous.finish()?);
            }
            self.resampler = Some(StreamResampler::new(rate, SAMPLE_RATE)?);
        }
        decoded.copy_to_vec_interleaved(&mut self.interleaved);
        let mono = mix_to_mono(&self.interleaved, channels)?;
        let resampler = self.resampler.as_mut().expect("set just above");
        self.output.extend(resampler.push(&mono)?);
        Ok(())
    }

    fn finish(mut self) -> Result<Vec<f32>, AudioError> {
        if let Some(mut resampler) = self.resampler.take() {
            self.output.extend(resampler.finish()?);
        }
        Ok(self.output)
    }
}

/// Where each packet should start, going by the audio decoded before it, against where the
/// container puts it. Demuxers resync past damage without a word (Ogg drops whole pages), so
/// a jump is the only sign that part of the speech is gone.
struct Timeline {
    time_base: Option<TimeBase>,
    /// Where the container says the track ends, in seconds, if it says.
    end: Option<f64>,
    start: Option<f64>,
    /// Seconds of audio decoded so far.
    decoded: f64,
}

impl Timeline {
    fn of(track: &Track) -> Self {
        let seconds =
            |ticks: f64| track.time_base.map(|base| ticks * f64::from(base.numer.get()) / f64::from(base.denom.get()));
        let end = track.duration.and_then(|duration| seconds(track.start_ts.get() as f64 + duration.get() as f64));
        Timeline { time_base: track.time_base, end, start: None, decoded: 0.0 }
    }

    fn check(&mut self, pts: Timestamp) -> Result<(), String> {
        let Some(base) = self.time_base else { return Ok(()) };
        let at = pts.get() as f64 * f64::from(base.numer.get()) / f64::from(base.denom.get());
        let expected = *self.start.get_or_insert(at) + self.decoded;
        if at - expected > MAX_GAP_SECONDS {
            return Err(format!("{:.1} s of its audio are missing after {expected:.1} s", at - expected));
        }
        Ok(())
    }

    /// Damage can also swallow the last pages, leaving no later packet to show the jump.
    fn check_end(&self) -> Result<(), String> {
        let reached = self.start.unwrap_or(0.0) + self.decoded;
        match self.end {
            Some(end) if end - reached > MAX_GAP_SECONDS => {
                Err(format!("its audio stops at {reached:.1} s of the {end:.1} s it declares"))
            }
            _ => Ok(()),
        }
    }
}

/// Symphonia's errors in the words of the file. Its "unsupported" also covers files that are
/// merely broken ("missing moov atom"), so only codecs are called unsupported, checked above.
fn file_error(container: Container, error: SymphoniaError) -> AudioError {
    let format = container.name();
    match error {
        SymphoniaError::IoError(io) if io.kind() == std::io::ErrorKind::UnexpectedEof => AudioError::Truncated(format),
        SymphoniaError::ResetRequired => {
            AudioError::UnsupportedEncoding { format, what: "it chains several streams".into() }
        }
        SymphoniaError::Unsupported(reason) => AudioError::Damaged { format, reason: reason.to_owned() },
        other => AudioError::Damaged { format, reason: other.to_string() },
    }
}
