//! Recordings: the database side of a live dictation (who, what for, how much audio is safely
//! stored). The audio bytes themselves live in files managed by `AudioStore`.

use tracing::instrument;

use crate::db::with_pool;
use crate::labels::text_enum;
use crate::{AskId, MemberId, RecordingId, Store, StoreError, Timestamp};

/// The live stream is 16-bit PCM.
const BYTES_PER_SAMPLE: u64 = 2;

text_enum!(
    /// What a dictation is for.
    RecordingPurpose {
        /// A manager describing a problem; becomes an ask.
        Ask = "ask",
        /// A peer answering an existing ask.
        Answer = "answer",
    }
);

text_enum!(
    RecordingStatus {
        /// Still taking audio (or waiting for the client to resume).
        Open = "open",
        /// The client said stop; the audio is complete.
        Finished = "finished",
    }
);

/// A live dictation.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Recording {
    pub id: RecordingId,
    pub member_id: MemberId,
    pub purpose: RecordingPurpose,
    /// The ask being answered (for answers); dictated asks point back here instead.
    pub ask_id: Option<AskId>,
    pub sample_rate: u32,
    /// How many bytes of audio are durably stored and acknowledged to the client.
    pub received_bytes: u64,
    pub status: RecordingStatus,
    pub created_at: Timestamp,
    pub updated_at: Timestamp,
    /// When retention deleted the audio file; the transcript made from it stays.
    pub audio_deleted_at: Option<Timestamp>,
}

impl Recording {
    /// What the server reports as `received_ms`: the last whole millisecond `m` whose start
    /// sample, `m * sample_rate / 1000` (integer division), has fully arrived. A resuming
    /// client resends from exactly that sample.
    pub fn received_ms(&self) -> u64 {
        let samples = self.received_bytes / BYTES_PER_SAMPLE;
        // The largest m with floor(m * rate / 1000) <= samples. Rounding the other way
        // (floor(samples * 1000 / rate)) would not survive the round trip at 44.1 kHz.
        ((samples + 1) * 1000 - 1) / u64::from(self.sample_rate)
    }

    /// The byte length `received_ms` stands for, to which a resume cuts the stored audio so
    /// that the client's resent bytes follow on exactly. At 16 kHz every millisecond is 32
    /// bytes, so nothing is cut unless a frame ended mid-millisecond.
    pub fn resume_point_bytes(&self) -> u64 {
        self.received_ms() * u64::from(self.sample_rate) / 1000 * BYTES_PER_SAMPLE
    }
}

#[derive(sqlx::FromRow)]
struct RecordingRow {
    id: String,
    member_id: String,
    purpose: String,
    ask_id: Option<String>,
    sample_rate: i64,
    received_bytes: i64,
    status: String,
    created_at: i64,
    updated_at: i64,
    audio_deleted_at: Option<i64>,
}

impl TryFrom<RecordingRow> for Recording {
    type Error = StoreError;

    fn try_from(row: RecordingRow) -> Result<Recording, StoreError> {
        let corrupt = |what: &str| StoreError::Corrupt(format!("recording {} has a negative or huge {what}", row.id));
        Ok(Recording {
            id: RecordingId::from_db(&row.id)?,
            member_id: MemberId::from_db(&row.member_id)?,
            purpose: RecordingPurpose::from_db(&row.purpose)?,
            ask_id: row.ask_id.as_deref().map(AskId::from_db).transpose()?,
            sample_rate: u32::try_from(row.sample_rate).map_err(|_| corrupt("sample rate"))?,
            received_bytes: u64::try_from(row.received_bytes).map_err(|_| corrupt("length"))?,
            status: RecordingStatus::from_db(&row.status)?,
            created_at: Timestamp::from_millis(row.created_at),
            updated_at: Timestamp::from_millis(row.updated_at),
            audio_deleted_at: row.audio_deleted_at.map(Timestamp::from_millis),
        })
    }
}

macro_rules! recording_columns {
    () => {
        "id, member_id, purpose, ask_id, sample_rate, received_bytes, status, created_at, updated_at, audio_deleted_at"
    };
}

impl Store {
    /// Opens a recording with no audio yet. An answer must name the ask it answers.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn create_recording(
        &self,
        member_id: MemberId,
        purpose: RecordingPurpose,
        ask_id: Option<AskId>,
        sample_rate: u32,
    ) -> Result<Recording, StoreError> {
        if purpose == RecordingPurpose::Answer && ask_id.is_none() {
            return Err(StoreError::Invalid("an answer recording must name the ask it answers".into()));
        }
        if sample_rate == 0 {
            return Err(StoreError::Invalid("the sample rate must be positive".into()));
        }
        const SQL: &str = concat!(
            "INSERT INTO recordings (",
            recording_columns!(),
            ") VALUES ($1, $2, $3, $4, $5, 0, 'open', $6, $6, NULL) RETURNING ",
            recording_columns!()
        );
        let row: RecordingRow = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(RecordingId::random().to_db())
                .bind(member_id.to_db())
                .bind(purpose.as_str())
                .bind(ask_id.map(AskId::to_db))
                .bind(i64::from(sample_rate))
                .bind(Timestamp::now().as_millis())
                .fetch_one(pool)
                .await?
        });
        row.try_into()
    }

    #[instrument(skip(self), err(level = "debug"))]
    pub async fn get_recording(&self, id: RecordingId) -> Result<Recording, StoreError> {
        const SQL: &str = concat!("SELECT ", recording_columns!(), " FROM recordings WHERE id = $1");
        let row: RecordingRow = with_pool!(self, pool => sqlx::query_as(SQL).bind(id.to_db()).fetch_one(pool).await?);
        row.try_into()
    }

    /// Moves `received_bytes` from `from` to `to` if nobody moved it meanwhile; the guard turns
    /// a second writer on the same recording into a `Conflict` instead of a silent overwrite.
    pub(crate) async fn set_received_bytes(
        &self,
        id: RecordingId,
        from: u64,
        to: u64,
    ) -> Result<Recording, StoreError> {
        const SQL: &str = concat!(
            "UPDATE recordings SET received_bytes = $3, updated_at = $4 ",
            "WHERE id = $1 AND received_bytes = $2 AND status = 'open' RETURNING ",
            recording_columns!()
        );
        let (from, to) = (db_length(from)?, db_length(to)?);
        let row: Option<RecordingRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL)
                .bind(id.to_db())
                .bind(from)
                .bind(to)
                .bind(Timestamp::now().as_millis())
                .fetch_optional(pool)
                .await?
        });
        match row {
            Some(row) => row.try_into(),
            None => Err(StoreError::Conflict(format!("recording {id} was written by someone else meanwhile"))),
        }
    }

    /// Marks a recording finished; finishing twice is harmless (a client may repeat "stop").
    pub(crate) async fn mark_recording_finished(&self, id: RecordingId) -> Result<Recording, StoreError> {
        const SQL: &str = concat!(
            "UPDATE recordings SET status = 'finished', ",
            "updated_at = CASE WHEN status = 'open' THEN $2 ELSE updated_at END ",
            "WHERE id = $1 RETURNING ",
            recording_columns!()
        );
        let row: RecordingRow = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(id.to_db()).bind(Timestamp::now().as_millis()).fetch_one(pool).await?
        });
        row.try_into()
    }
}

impl Store {
    /// Finished recordings made before `cutoff` whose audio is still on disk, oldest first:
    /// what retention deletes next. At most `limit`, so a long backlog goes in batches.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn expired_recordings(&self, cutoff: Timestamp, limit: u32) -> Result<Vec<Recording>, StoreError> {
        const SQL: &str = concat!(
            "SELECT ",
            recording_columns!(),
            " FROM recordings WHERE status = 'finished' AND audio_deleted_at IS NULL AND created_at < $1 ",
            "ORDER BY created_at, id LIMIT $2"
        );
        let rows: Vec<RecordingRow> = with_pool!(self, pool => {
            sqlx::query_as(SQL).bind(cutoff.as_millis()).bind(i64::from(limit)).fetch_all(pool).await?
        });
        rows.into_iter().map(Recording::try_from).collect()
    }

    /// Records that the audio file is gone; the first deletion time is kept.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn mark_audio_deleted(&self, id: RecordingId, now: Timestamp) -> Result<Recording, StoreError> {
        const SQL: &str = concat!(
            "UPDATE recordings SET audio_deleted_at = COALESCE(audio_deleted_at, $2) WHERE id = $1 RETURNING ",
            recording_columns!()
        );
        let row: RecordingRow =
            with_pool!(self, pool => sqlx::query_as(SQL).bind(id.to_db()).bind(now.as_millis()).fetch_one(pool).await?);
        row.try_into()
    }
}

fn db_length(bytes: u64) -> Result<i64, StoreError> {
    i64::try_from(bytes).map_err(|_| StoreError::Invalid(format!("{bytes} bytes is too long a recording")))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn recording(sample_rate: u32, received_bytes: u64) -> Recording {
        Recording {
            id: RecordingId::random(),
            member_id: MemberId::random(),
            purpose: RecordingPurpose::Ask,
            ask_id: None,
            sample_rate,
            received_bytes,
            status: RecordingStatus::Open,
            created_at: Timestamp::from_millis(0),
            updated_at: Timestamp::from_millis(0),
            audio_deleted_at: None,
        }
    }

    #[test]
    fn one_second_at_16_khz_is_1000_ms() {
        assert_eq!(recording(16_000, 32_000).received_ms(), 1000);
    }

    #[test]
    fn at_16_khz_a_whole_millisecond_boundary_loses_nothing_on_resume() {
        assert_eq!(recording(16_000, 32 * 1234).resume_point_bytes(), 32 * 1234);
    }

    #[test]
    fn a_partial_millisecond_is_cut_back_on_resume() {
        // 1.5 samples past 10 ms: the half sample and the sub-millisecond samples go.
        assert_eq!(recording(16_000, 320 + 3).resume_point_bytes(), 320);
    }

    #[test]
    fn at_44_1_khz_the_resume_point_is_the_sample_the_client_restarts_from() {
        let recording = recording(44_100, 880); // 440 samples
        assert_eq!(recording.received_ms(), 9);
        // The client restarts at sample 9 * 44100 / 1000 = 396.
        assert_eq!(recording.resume_point_bytes(), 396 * 2);
    }

    #[test]
    fn cutting_to_the_resume_point_reports_the_same_received_ms_again() {
        for sample_rate in [8_000, 16_000, 22_050, 44_100, 48_000] {
            for received_bytes in (0..200_000).step_by(37) {
                let before = recording(sample_rate, received_bytes);
                let after = recording(sample_rate, before.resume_point_bytes());
                assert!(after.received_bytes <= before.received_bytes);
                assert_eq!(after.received_ms(), before.received_ms(), "{sample_rate} Hz, {received_bytes} bytes");
                assert_eq!(
                    after.resume_point_bytes(),
                    after.received_bytes,
                    "{sample_rate} Hz, {received_bytes} bytes"
                );
            }
        }
    }
}
