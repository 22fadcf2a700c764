//! Phones' audio formats decode to the same speech as the WAV they were encoded from
//! (tests/fixtures/README.md says how), and damaged files are refused with a reason.

use std::path::{Path, PathBuf};

use coagent_audio::{decode_audio_file, decode_audio_path, Audio16k, AudioError};

const COMPRESSED: [&str; 3] = ["jfk.m4a", "jfk.ogg", "jfk.webm"];
/// 20 ms at 16 kHz: fine enough to see syllables, coarse enough to ignore codec detail.
const WINDOW: usize = 320;

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures").join(name)
}

fn bytes(name: &str) -> Vec<u8> {
    std::fs::read(fixture(name)).unwrap()
}

fn envelope(audio: &Audio16k) -> Vec<f64> {
    let rms = |window: &[f32]| (window.iter().map(|s| f64::from(*s).powi(2)).sum::<f64>() / window.len() as f64).sqrt();
    audio.samples().chunks_exact(WINDOW).map(rms).collect()
}

fn correlation(a: &[f64], b: &[f64]) -> f64 {
    let n = a.len().min(b.len());
    let (a, b) = (&a[..n], &b[..n]);
    let mean = |x: &[f64]| x.iter().sum::<f64>() / n as f64;
    let (mean_a, mean_b) = (mean(a), mean(b));
    let covariance: f64 = a.iter().zip(b).map(|(x, y)| (x - mean_a) * (y - mean_b)).sum();
    let spread = |x: &[f64], m: f64| x.iter().map(|v| (v - m).powi(2)).sum::<f64>().sqrt();
    covariance / (spread(a, mean_a) * spread(b, mean_b))
}

/// The best envelope correlation with the codec's delay (or lead) of up to 200 ms undone,
/// and the shift that gave it, in windows.
fn best_aligned_correlation(decoded: &Audio16k, reference: &Audio16k) -> (f64, isize) {
    let (decoded, reference) = (envelope(decoded), envelope(reference));
    (-10isize..=10)
        .map(|shift| {
            let correlation = if shift >= 0 {
                correlation(&decoded[shift as usize..], &reference)
            } else {
                correlation(&decoded, &reference[shift.unsigned_abs()..])
            };
            (correlation, shift)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .unwrap()
}

#[test]
fn each_phone_format_decodes_to_eleven_seconds_that_follow_the_wav_sample() {
    let reference = decode_audio_path(&fixture("jfk.wav")).unwrap();
    for name in COMPRESSED {
        let audio = decode_audio_path(&fixture(name)).unwrap_or_else(|error| panic!("{name}: {error}"));
        let seconds = audio.samples().len() as f64 / 16_000.0;
        let (correlation, shift) = best_aligned_correlation(&audio, &reference);
        println!("{name}: {seconds:.3} s, envelope correlation {correlation:.3} at a shift of {shift} windows");
        assert!((seconds - 11.0).abs() <= 0.1, "{name} lasts {seconds} s");
        assert!(correlation > 0.95, "{name}: envelope correlation {correlation}");
        assert!(shift.abs() <= 3, "{name} is {shift} windows out of step with the WAV");
    }
}

#[test]
fn noise_of_the_same_loudness_does_not_pass_for_the_sample() {
    // The check above would be worthless if any loud-ish audio passed it.
    let reference = decode_audio_path(&fixture("jfk.wav")).unwrap();
    let mut state = 1u32;
    let noise: Vec<f32> = (0..reference.samples().len())
        .map(|_| {
            state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (state >> 8) as f32 / (1 << 24) as f32 * 0.2 - 0.1
        })
        .collect();
    let (correlation, _) = best_aligned_correlation(&Audio16k::from_16k_mono(noise), &reference);
    assert!(correlation < 0.5, "{correlation}");
}

/// jfk.webm laid out as a browser's MediaRecorder streams it: Segment and Clusters of unknown
/// size, no seek index, no cues.
fn as_media_recorder_streams_it(webm: &[u8]) -> Vec<u8> {
    const UNKNOWN_SIZE: [u8; 8] = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];
    let vint = |at: usize| {
        let width = webm[at].leading_zeros() as usize + 1;
        let value =
            webm[at + 1..at + width].iter().fold(u64::from(webm[at]) & (0xff >> width), |v, b| v << 8 | u64::from(*b));
        (value as usize, width)
    };
    let element = |at: usize| {
        let id_width = webm[at].leading_zeros() as usize + 1;
        let (size, size_width) = vint(at + id_width);
        (&webm[at..at + id_width], at + id_width + size_width, size)
    };
    let (_, ebml_data, ebml_size) = element(0);
    let (segment_id, mut at, _) = element(ebml_data + ebml_size);
    let mut streamed = webm[..ebml_data + ebml_size].to_vec();
    streamed.extend(segment_id.iter().chain(&UNKNOWN_SIZE));
    while at < webm.len() {
        let (id, data, size) = element(at);
        match id {
            [0x1f, 0x43, 0xb6, 0x75] => streamed.extend(id.iter().chain(&UNKNOWN_SIZE).chain(&webm[data..data + size])),
            [0x11, 0x4d, 0x9b, 0x74] | [0xec] | [0x1c, 0x53, 0xbb, 0x6b] => {}
            _ => streamed.extend(&webm[at..data + size]),
        }
        at = data + size;
    }
    streamed
}

#[test]
fn a_webm_streamed_as_browsers_record_it_decodes_whole() {
    let streamed = as_media_recorder_streams_it(&bytes("jfk.webm"));
    let audio = decode_audio_file(&streamed).unwrap();
    let reference = decode_audio_path(&fixture("jfk.wav")).unwrap();
    assert!((audio.duration_ms() as i64 - 11_000).abs() <= 100, "{} ms", audio.duration_ms());
    assert!(best_aligned_correlation(&audio, &reference).0 > 0.95);
}

#[test]
fn a_file_cut_short_is_refused_not_half_transcribed() {
    for name in COMPRESSED {
        let whole = bytes(name);
        for cut in [whole.len() / 2, 200] {
            match decode_audio_file(&whole[..cut]) {
                Err(AudioError::Truncated(_) | AudioError::Damaged { .. } | AudioError::NoAudioTrack(_)) => {}
                other => panic!("{name} cut to {cut} bytes: {other:?}"),
            }
        }
    }
}

#[test]
fn two_kilobytes_of_garbage_anywhere_in_a_file_are_reported_as_damage() {
    for name in COMPRESSED {
        let whole = bytes(name);
        // Past the headers and before the last pages: an Ogg stream has no index, so damage
        // that swallows its last pages looks like a file that simply ends there. The fill is
        // pseudo-random, seeded by its position, so every run damages the same bytes.
        for start in (whole.len() / 8..whole.len() * 3 / 4).step_by(whole.len() / 8) {
            let mut damaged = whole.clone();
            let mut state = start as u32;
            for byte in &mut damaged[start..start + 2_000] {
                state = state.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
                *byte = (state >> 24) as u8;
            }
            match decode_audio_file(&damaged) {
                Err(AudioError::Damaged { .. } | AudioError::Truncated(_)) => {}
                other => panic!("{name} with garbage at byte {start}: {:?}", other.map(|audio| audio.duration_ms())),
            }
        }
    }
}

#[test]
fn a_well_formed_file_in_a_codec_coagent_lacks_is_unsupported_not_damaged() {
    // An M4A whose track claims AMR speech (as 3GP voice notes hold) instead of AAC.
    let mut m4a = bytes("jfk.m4a");
    let at = m4a.windows(4).position(|window| window == b"mp4a").unwrap();
    m4a[at..at + 4].copy_from_slice(b"samr");
    let error = decode_audio_file(&m4a).unwrap_err();
    assert!(matches!(error, AudioError::UnsupportedEncoding { format: "M4A", .. }), "{error}");
}

#[test]
fn text_is_not_a_known_format() {
    let error = decode_audio_file(b"hello, this is a text file").unwrap_err();
    assert!(matches!(error, AudioError::UnknownFormat), "{error}");
}

#[test]
fn a_wav_decodes_the_same_through_the_general_entry_point() {
    let wav = bytes("jfk.wav");
    assert_eq!(decode_audio_file(&wav).unwrap(), coagent_audio::decode_wav(&wav).unwrap());
}
