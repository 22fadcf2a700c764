//! Audio of live recordings: one append-only file per recording under `<data_dir>/audio/`,
//! kept in step with the `received_bytes` the database acknowledges.
//!
//! The invariant is that a file is never shorter than its recording's `received_bytes`:
//! `append` writes and fsyncs the bytes before it advances the database, and `resume` lowers
//! the database before it cuts the file. A crash in between leaves an unacknowledged tail,
//! which the next `append`, `resume` or `finish` cuts off. Cutting it (rather than keeping it)
//! is what makes a resumed stream exact: the client was told `received_ms` and resends
//! everything after it, so keeping the tail would store those bytes twice.

use std::fs::{File, OpenOptions};
use std::hash::{DefaultHasher, Hash as _, Hasher as _};
use std::io::{Seek as _, SeekFrom, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::Mutex;
use tracing::instrument;

use crate::{MemberId, Recording, RecordingId, RecordingStatus, Store, StoreError, Timestamp};

/// Lock stripes: recordings share a lock only when their ids hash alike, which costs at most
/// a short wait, while memory stays bounded however many recordings come and go.
const LOCK_STRIPES: usize = 64;

/// Appends, resumes and reads recordings' audio. Cheap to clone.
#[derive(Debug, Clone)]
pub struct AudioStore {
    store: Store,
    dir: PathBuf,
    // One writer at a time per recording in this process: two interleaved appends could
    // otherwise cut each other's unacknowledged bytes. Across nodes a recording's file lives
    // on the node that took the stream, so a resume must reach that same node.
    locks: Arc<[Mutex<()>; LOCK_STRIPES]>,
}

impl AudioStore {
    /// Audio files go to `<data_dir>/audio/`, which is created if missing.
    pub async fn new(store: Store, data_dir: impl AsRef<Path>) -> Result<AudioStore, StoreError> {
        let dir = data_dir.as_ref().join("audio");
        tokio::fs::create_dir_all(&dir).await?;
        Ok(AudioStore { store, dir, locks: Arc::new(std::array::from_fn(|_| Mutex::new(()))) })
    }

    /// Where a recording's audio lives. Safe to build from any `RecordingId`: ids are UUIDs.
    pub fn path(&self, id: RecordingId) -> PathBuf {
        self.dir.join(format!("{id}.pcm"))
    }

    /// Stores one chunk from the client: the bytes are on disk (fsynced) before the database
    /// counts them, so whatever `received_bytes` says survives a crash. Returns the recording
    /// with its new length.
    #[instrument(skip(self, bytes), fields(len = bytes.len()), err(level = "debug"))]
    pub async fn append(&self, id: RecordingId, bytes: &[u8]) -> Result<Recording, StoreError> {
        let _writer = self.lock(id).await;
        let recording = self.store.get_recording(id).await?;
        if recording.status == RecordingStatus::Finished {
            return Err(StoreError::RecordingFinished);
        }
        if bytes.is_empty() {
            return Ok(recording);
        }
        let (path, dir, start, chunk) = (self.path(id), self.dir.clone(), recording.received_bytes, bytes.to_vec());
        let end = blocking(move || write_at(&path, &dir, start, &chunk)).await?;
        self.store.set_received_bytes(id, start, end).await
    }

    /// Takes a dropped stream back: checks the member owns the recording, cuts both the
    /// database and the file back to whole `received_ms`, and returns the recording whose
    /// `received_ms()` tells the client where to resend from.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn resume(&self, member_id: MemberId, id: RecordingId) -> Result<Recording, StoreError> {
        let _writer = self.lock(id).await;
        let mut recording = self.store.get_recording(id).await?;
        if recording.member_id != member_id {
            return Err(StoreError::NotFound);
        }
        if recording.status == RecordingStatus::Finished {
            return Err(StoreError::RecordingFinished);
        }
        let resume_at = recording.resume_point_bytes();
        if resume_at < recording.received_bytes {
            // Database first: a crash right after leaves the file longer, never shorter.
            recording = self.store.set_received_bytes(id, recording.received_bytes, resume_at).await?;
        }
        let path = self.path(id);
        blocking(move || cut_to(&path, resume_at)).await?;
        Ok(recording)
    }

    /// Ends the recording: no more audio is taken, and the file holds exactly its bytes.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn finish(&self, id: RecordingId) -> Result<Recording, StoreError> {
        let _writer = self.lock(id).await;
        let recording = self.store.mark_recording_finished(id).await?;
        let (path, len) = (self.path(id), recording.received_bytes);
        blocking(move || cut_to(&path, len)).await?;
        Ok(recording)
    }

    /// The recording's acknowledged audio: exactly `received_bytes` bytes of 16-bit PCM.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn read_all(&self, id: RecordingId) -> Result<Vec<u8>, StoreError> {
        // Under the lock so a concurrent resume cannot cut the file between our two reads.
        let _writer = self.lock(id).await;
        let recording = self.store.get_recording(id).await?;
        if recording.audio_deleted_at.is_some() {
            return Err(StoreError::AudioDeleted);
        }
        if recording.received_bytes == 0 {
            return Ok(Vec::new());
        }
        let mut audio = tokio::fs::read(self.path(id)).await?;
        let len = usize::try_from(recording.received_bytes).map_err(|_| too_short(&self.path(id)))?;
        if audio.len() < len {
            return Err(too_short(&self.path(id)));
        }
        audio.truncate(len); // an unacknowledged tail is not audio the client stands by
        Ok(audio)
    }

    /// Retention: deletes a finished recording's audio file and marks it deleted. The file
    /// goes first, so a crash in between leaves a mark still to be made (the next run finds
    /// the recording again), never a file nobody will delete.
    #[instrument(skip(self), err(level = "debug"))]
    pub async fn delete_audio(&self, id: RecordingId, now: Timestamp) -> Result<Recording, StoreError> {
        let _writer = self.lock(id).await;
        let recording = self.store.get_recording(id).await?;
        if recording.status != RecordingStatus::Finished {
            return Err(StoreError::Invalid("only a finished recording's audio can be deleted".into()));
        }
        match tokio::fs::remove_file(self.path(id)).await {
            Ok(()) => {}
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {} // deleted before a crash
            Err(error) => return Err(error.into()),
        }
        self.store.mark_audio_deleted(id, now).await
    }

    async fn lock(&self, id: RecordingId) -> tokio::sync::MutexGuard<'_, ()> {
        let mut hasher = DefaultHasher::new();
        id.hash(&mut hasher);
        let stripe = (hasher.finish() % LOCK_STRIPES as u64) as usize;
        self.locks[stripe].lock().await
    }
}

/// Writes `chunk` at offset `start` (the acknowledged length) and fsyncs; returns the new end.
fn write_at(path: &Path, dir: &Path, start: u64, chunk: &[u8]) -> Result<u64, StoreError> {
    let is_new = !path.exists();
    let mut file = OpenOptions::new().create(true).write(true).truncate(false).open(path)?;
    let len = file.metadata()?.len();
    if len < start {
        return Err(too_short(path));
    }
    if len > start {
        file.set_len(start)?; // the unacknowledged tail of a crashed append
    }
    file.seek(SeekFrom::Start(start))?;
    file.write_all(chunk)?;
    file.sync_data()?;
    if is_new {
        // A new file's directory entry must be durable too, or a crash could lose the file
        // while the database already counts its bytes.
        File::open(dir)?.sync_all()?;
    }
    Ok(start + chunk.len() as u64)
}

/// Cuts a file back to `len` bytes if it is longer; a missing file is fine only when empty.
fn cut_to(path: &Path, len: u64) -> Result<(), StoreError> {
    let file = match OpenOptions::new().write(true).open(path) {
        Ok(file) => file,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound && len == 0 => return Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Err(too_short(path)),
        Err(error) => return Err(error.into()),
    };
    let current = file.metadata()?.len();
    if current < len {
        return Err(too_short(path));
    }
    if current > len {
        file.set_len(len)?;
        file.sync_data()?;
    }
    Ok(())
}

fn too_short(path: &Path) -> StoreError {
    StoreError::Corrupt(format!("{} is shorter than the audio the database acknowledged", path.display()))
}

/// File I/O and fsync block; they run on tokio's blocking pool, off the async workers.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, StoreError> + Send + 'static,
) -> Result<T, StoreError> {
    tokio::task::spawn_blocking(work).await.map_err(|join| StoreError::Io(std::io::Error::other(join)))?
}
