//! Audio files recognised by their first bytes: the declared Content-Type or file name of an
//! upload is often wrong or generic ("application/octet-stream"), the magic bytes are not.

/// The file formats coagent knows, named as people know them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Wav,
    /// ISO MP4 audio (.m4a, .mp4): iPhone voice memos, Android recorders, Safari's MediaRecorder.
    M4a,
    /// The MP4 family's mobile variant, often holding AMR speech.
    ThreeGp,
    /// Ogg, usually Opus (WhatsApp and Telegram voice notes) or Vorbis.
    Ogg,
    /// WebM or Matroska, usually Opus from a browser's MediaRecorder.
    WebM,
    Mp3,
    /// Raw AAC in ADTS frames (.aac).
    Aac,
    Flac,
}

impl Container {
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        let at = |offset: usize, magic: &[u8]| bytes.get(offset..offset + magic.len()) == Some(magic);
        if at(0, b"RIFF") && at(8, b"WAVE") {
            Some(Self::Wav)
        } else if at(4, b"ftyp") {
            // The major brand tells 3GPP ("3gp4", "3g2a") from the rest of the MP4 family.
            Some(if at(8, b"3gp") || at(8, b"3g2") { Self::ThreeGp } else { Self::M4a })
        } else if at(0, b"OggS") {
            Some(Self::Ogg)
        } else if at(0, &[0x1a, 0x45, 0xdf, 0xa3]) {
            Some(Self::WebM)
        } else if at(0, b"fLaC") {
            Some(Self::Flac)
        } else if at(0, b"ID3") {
            Some(Self::Mp3)
        } else {
            Self::sniff_mpeg_frame(bytes)
        }
    }

    /// MP3 and ADTS AAC start with the same 12-bit frame sync; the layer bits tell them apart
    /// (ADTS always writes layer 0, MP3 is layer III).
    fn sniff_mpeg_frame(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0xff, second, ..] if second & 0xf6 == 0xf0 => Some(Self::Aac),
            [0xff, second, ..] if second & 0xe0 == 0xe0 && (second >> 1) & 0b11 == 0b01 => Some(Self::Mp3),
            _ => None,
        }
    }

    /// The name used in messages: "the M4A file has no audio track".
    pub fn name(self) -> &'static str {
        match self {
            Self::Wav => "WAV",
            Self::M4a => "M4A",
            Self::ThreeGp => "3GP",
            Self::Ogg => "Ogg",
            Self::WebM => "WebM",
            Self::Mp3 => "MP3",
            Self::Aac => "AAC",
            Self::Flac => "FLAC",
        }
    }

    /// The usual file extension, a hint for the demuxer's probe.
    pub(crate) fn extension(self) -> &'static str {
        match self {
            Self::Wav => "wav",
            Self::M4a => "m4a",
            Self::ThreeGp => "3gp",
            Self::Ogg => "ogg",
            Self::WebM => "webm",
            Self::Mp3 => "mp3",
            Self::Aac => "aac",
            Self::Flac => "flac",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_format_is_known_by_its_first_bytes() {
        let cases: [(&[u8], Container); 9] = [
            (b"RIFF\x24\0\0\0WAVEfmt ", Container::Wav),
            (b"\0\0\0\x1cftypM4A \0\0\0\0", Container::M4a),
            (b"\0\0\0\x18ftyp3gp4\0\0\0\0", Container::ThreeGp),
            (b"OggS\0\x02", Container::Ogg),
            (&[0x1a, 0x45, 0xdf, 0xa3, 0x9f], Container::WebM),
            (b"fLaC\0\0\0\x22", Container::Flac),
            (b"ID3\x04\0", Container::Mp3),
            (&[0xff, 0xfb, 0x90, 0x64], Container::Mp3),
            (&[0xff, 0xf1, 0x50, 0x80], Container::Aac),
        ];
        for (bytes, container) in cases {
            assert_eq!(Container::sniff(bytes), Some(container), "{bytes:?}");
        }
    }

    #[test]
    fn text_and_short_or_empty_input_are_not_audio() {
        for bytes in [&b"hello, this is a text file"[..], b"RIFF", b"", &[0xff]] {
            assert_eq!(Container::sniff(bytes), None, "{bytes:?}");
        }
    }
}
