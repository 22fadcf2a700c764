use std::io::Write as _;

use coagent_store::{Recording, RecordingPurpose, RecordingStatus, StoreError};
use rand::{Rng as _, RngCore as _, SeedableRng as _};

use crate::common::{on_both_backends, Ctx};

on_both_backends!(
    appended_chunks_are_read_back_in_order,
    a_dropped_16_khz_stream_resumed_from_received_ms_stores_every_byte_exactly_once,
    a_dropped_44_1_khz_stream_resumed_from_received_ms_stores_every_byte_exactly_once,
    a_crash_between_the_file_write_and_the_database_update_leaves_a_tail_that_resume_cuts,
    the_next_append_after_a_crash_also_cuts_the_unacknowledged_tail,
    concurrent_appends_to_one_recording_keep_whole_chunks,
    a_finished_recording_takes_no_more_audio_and_cannot_be_resumed,
    someone_elses_recording_cannot_be_resumed,
    an_answer_recording_must_name_an_existing_ask,
    a_file_shorter_than_what_was_acknowledged_is_reported_as_corrupt,
);

/// Deterministic "speech": random bytes, so any reordering or duplication shows.
fn speech(len: usize, seed: u64) -> Vec<u8> {
    let mut bytes = vec![0; len];
    rand::rngs::StdRng::seed_from_u64(seed).fill_bytes(&mut bytes);
    bytes
}

async fn open_recording(t: &Ctx, sample_rate: u32) -> Recording {
    let member = t.member("Marc").await;
    t.store.create_recording(member.id, RecordingPurpose::Ask, None, sample_rate).await.unwrap()
}

/// What a crashed server leaves behind: bytes on disk that the database never counted.
fn crash_after_writing(t: &Ctx, recording: &Recording, bytes: &[u8]) {
    let mut file = std::fs::OpenOptions::new().append(true).open(t.audio.path(recording.id)).unwrap();
    file.write_all(bytes).unwrap();
}

fn file_len(t: &Ctx, recording: &Recording) -> u64 {
    std::fs::metadata(t.audio.path(recording.id)).unwrap().len()
}

async fn appended_chunks_are_read_back_in_order(t: Ctx) {
    let recording = open_recording(&t, 16_000).await;
    let audio = speech(10_000, 1);

    let mut latest = recording.clone();
    for chunk in audio.chunks(3_333) {
        latest = t.audio.append(recording.id, chunk).await.unwrap();
    }

    assert_eq!(latest.received_bytes, 10_000);
    assert_eq!(t.store.get_recording(recording.id).await.unwrap().received_bytes, 10_000);
    assert_eq!(t.audio.read_all(recording.id).await.unwrap(), audio);
}

async fn a_dropped_16_khz_stream_resumed_from_received_ms_stores_every_byte_exactly_once(t: Ctx) {
    dropped_stream_resumes_exactly(t, 16_000).await;
}

async fn a_dropped_44_1_khz_stream_resumed_from_received_ms_stores_every_byte_exactly_once(t: Ctx) {
    dropped_stream_resumes_exactly(t, 44_100).await;
}

/// A client streams three seconds in uneven chunks (frames need not hold whole samples), the
/// connection drops while the server is mid-chunk, and the client resumes as the protocol
/// says: from sample `received_ms * sample_rate / 1000`.
async fn dropped_stream_resumes_exactly(t: Ctx, sample_rate: u32) {
    let recording = open_recording(&t, sample_rate).await;
    let sent = speech(sample_rate as usize * 2 * 3, 2);
    let mut chunk_sizes = rand::rngs::StdRng::seed_from_u64(3);

    let mut offset = 0;
    while offset < sent.len() * 2 / 5 {
        let end = (offset + chunk_sizes.random_range(1..4_001)).min(sent.len());
        t.audio.append(recording.id, &sent[offset..end]).await.unwrap();
        offset = end;
    }
    crash_after_writing(&t, &recording, &sent[offset..offset + 777]);

    let resumed = t.audio.resume(recording.member_id, recording.id).await.unwrap();
    let restart = (resumed.received_ms() * u64::from(sample_rate) / 1000 * 2) as usize;
    assert!(restart <= offset, "the server may only ask for more than it acknowledged, never less");
    assert_eq!(resumed.received_bytes, restart as u64);
    assert_eq!(file_len(&t, &recording), restart as u64);
    let mut offset = restart;
    while offset < sent.len() {
        let end = (offset + chunk_sizes.random_range(1..4_001)).min(sent.len());
        t.audio.append(recording.id, &sent[offset..end]).await.unwrap();
        offset = end;
    }
    let finished = t.audio.finish(recording.id).await.unwrap();

    assert_eq!(finished.received_bytes, sent.len() as u64);
    assert_eq!(finished.received_ms(), 3_000);
    assert!(t.audio.read_all(recording.id).await.unwrap() == sent, "stored audio differs from what was sent");
    assert_eq!(file_len(&t, &recording), sent.len() as u64);
}

async fn a_crash_between_the_file_write_and_the_database_update_leaves_a_tail_that_resume_cuts(t: Ctx) {
    let recording = open_recording(&t, 16_000).await;
    let audio = speech(3_200, 4); // exactly 100 ms
    t.audio.append(recording.id, &audio).await.unwrap();
    crash_after_writing(&t, &recording, &speech(1_000, 5));
    assert_eq!(file_len(&t, &recording), 4_200);

    let resumed = t.audio.resume(recording.member_id, recording.id).await.unwrap();

    assert_eq!((resumed.received_bytes, resumed.received_ms()), (3_200, 100));
    assert_eq!(file_len(&t, &recording), 3_200);
    assert_eq!(t.audio.read_all(recording.id).await.unwrap(), audio);
}

async fn the_next_append_after_a_crash_also_cuts_the_unacknowledged_tail(t: Ctx) {
    let recording = open_recording(&t, 16_000).await;
    t.audio.append(recording.id, b"abcd").await.unwrap();
    crash_after_writing(&t, &recording, b"stale");

    t.audio.append(recording.id, b"efgh").await.unwrap();

    assert_eq!(t.audio.read_all(recording.id).await.unwrap(), b"abcdefgh");
    assert_eq!(file_len(&t, &recording), 8);
}

async fn concurrent_appends_to_one_recording_keep_whole_chunks(t: Ctx) {
    let recording = open_recording(&t, 16_000).await;
    let writers: Vec<_> = (0..8u8)
        .map(|writer| {
            let audio = t.audio.clone();
            tokio::spawn(async move { audio.append(recording.id, &[writer; 100]).await })
        })
        .collect();
    for writer in writers {
        writer.await.unwrap().unwrap();
    }

    let stored = t.audio.read_all(recording.id).await.unwrap();

    assert_eq!(stored.len(), 800);
    let mut writers_seen: Vec<u8> = stored.chunks(100).map(|chunk| chunk[0]).collect();
    assert!(stored.chunks(100).all(|chunk| chunk.iter().all(|byte| *byte == chunk[0])), "chunks interleaved");
    writers_seen.sort();
    assert_eq!(writers_seen, (0..8).collect::<Vec<_>>());
}

async fn a_finished_recording_takes_no_more_audio_and_cannot_be_resumed(t: Ctx) {
    let recording = open_recording(&t, 16_000).await;
    t.audio.append(recording.id, &speech(64, 6)).await.unwrap();
    let finished = t.audio.finish(recording.id).await.unwrap();
    assert_eq!(finished.status, RecordingStatus::Finished);
    // A repeated "stop" is harmless.
    assert_eq!(t.audio.finish(recording.id).await.unwrap(), finished);

    let appended = t.audio.append(recording.id, b"late").await;
    let resumed = t.audio.resume(recording.member_id, recording.id).await;

    assert!(matches!(appended, Err(StoreError::RecordingFinished)), "{appended:?}");
    assert!(matches!(resumed, Err(StoreError::RecordingFinished)), "{resumed:?}");
    assert_eq!(t.audio.read_all(recording.id).await.unwrap(), speech(64, 6));
}

async fn someone_elses_recording_cannot_be_resumed(t: Ctx) {
    let recording = open_recording(&t, 16_000).await;
    let stranger = t.member("Nadia").await;

    let outcome = t.audio.resume(stranger.id, recording.id).await;

    assert!(matches!(outcome, Err(StoreError::NotFound)), "{outcome:?}");
}

async fn an_answer_recording_must_name_an_existing_ask(t: Ctx) {
    let peer = t.member("Nadia").await;
    let ghost_ask = "00000000-0000-4000-8000-000000000000".parse().unwrap();

    let without_ask = t.store.create_recording(peer.id, RecordingPurpose::Answer, None, 16_000).await;
    let unknown_ask = t.store.create_recording(peer.id, RecordingPurpose::Answer, Some(ghost_ask), 16_000).await;

    assert!(matches!(without_ask, Err(StoreError::Invalid(_))), "{without_ask:?}");
    assert!(matches!(unknown_ask, Err(StoreError::NotFound)), "{unknown_ask:?}");

    let asker = t.member("Marc").await;
    let ask = t.store.create_draft(asker.id, "text", None).await.unwrap();
    let answer = t.store.create_recording(peer.id, RecordingPurpose::Answer, Some(ask.id), 16_000).await.unwrap();
    assert_eq!(answer.ask_id, Some(ask.id));
}

async fn a_file_shorter_than_what_was_acknowledged_is_reported_as_corrupt(t: Ctx) {
    let recording = open_recording(&t, 16_000).await;
    t.audio.append(recording.id, &speech(320, 7)).await.unwrap();
    std::fs::OpenOptions::new().write(true).open(t.audio.path(recording.id)).unwrap().set_len(100).unwrap();

    let read = t.audio.read_all(recording.id).await;
    let appended = t.audio.append(recording.id, b"more").await;

    assert!(matches!(read, Err(StoreError::Corrupt(_))), "{read:?}");
    assert!(matches!(appended, Err(StoreError::Corrupt(_))), "{appended:?}");
}
