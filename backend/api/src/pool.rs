//! Inference off the async executor: each engine gets its own worker threads fed by a bounded
//! queue. A full queue answers `Busy` at once, so callers see a clear "try again" instead of
//! latency that grows without bound.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Instant;

use coagent_domain::EngineError;
use tokio::sync::oneshot;

type Job = Box<dyn FnOnce() + Send>;

/// Worker threads for one engine and the queue in front of them. Cheap to clone.
#[derive(Clone)]
pub struct InferencePool {
    inner: Arc<Inner>,
}

struct Inner {
    name: &'static str,
    sender: Mutex<mpsc::Sender<Job>>,
    /// Jobs accepted and not yet started: what the bound applies to.
    queued: AtomicUsize,
    capacity: usize,
    stats: PoolStats,
}

/// What `/metrics` reports for a pool.
#[derive(Default)]
pub struct PoolStats {
    pub completed: AtomicU64,
    pub busy_rejections: AtomicU64,
    /// Sum of queue wait plus run time, in microseconds.
    pub latency_micros_total: AtomicU64,
}

impl InferencePool {
    /// Starts `threads` workers named after the engine; at most `capacity` jobs wait.
    pub fn new(name: &'static str, threads: usize, capacity: usize) -> Self {
        let (sender, receiver) = mpsc::channel::<Job>();
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..threads.max(1) {
            let receiver = receiver.clone();
            std::thread::Builder::new()
                .name(format!("{name}-{index}"))
                .spawn(move || loop {
                    // The lock is held only while taking a job, never while running it.
                    let job = match receiver.lock() {
                        Ok(receiver) => receiver.recv(),
                        Err(_) => return,
                    };
                    match job {
                        // A panicking model must not take the worker down with it; the job's
                        // caller sees its result channel close instead.
                        Ok(job) => {
                            let _ = std::panic::catch_unwind(std::panic::AssertUnwindSafe(job));
                        }
                        Err(_) => return, // the pool was dropped
                    }
                })
                .expect("spawning an inference thread");
        }
        let inner = Inner {
            name,
            sender: Mutex::new(sender),
            queued: AtomicUsize::new(0),
            capacity,
            stats: PoolStats::default(),
        };
        InferencePool { inner: Arc::new(inner) }
    }

    pub fn name(&self) -> &'static str {
        self.inner.name
    }

    /// Jobs waiting for a worker right now.
    pub fn depth(&self) -> usize {
        self.inner.queued.load(Ordering::Relaxed)
    }

    pub fn stats(&self) -> &PoolStats {
        &self.inner.stats
    }

    /// Takes a place in the queue, or says `Busy` without consuming anything: a caller that
    /// owns state (a live speech stream) keeps it when the queue is full.
    pub fn reserve(&self) -> Result<Slot, EngineError> {
        let taken = self.inner.queued.fetch_add(1, Ordering::AcqRel);
        if taken >= self.inner.capacity {
            self.inner.queued.fetch_sub(1, Ordering::AcqRel);
            self.inner.stats.busy_rejections.fetch_add(1, Ordering::Relaxed);
            return Err(EngineError::Busy);
        }
        Ok(Slot { pool: self.clone(), used: false })
    }

    /// Runs `work` on a worker thread, or fails at once with `Busy` when the queue is full.
    pub async fn run<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, EngineError> {
        self.reserve()?.run(work).await
    }
}

/// A reserved place in a pool's queue; dropping it unused gives the place back.
pub struct Slot {
    pool: InferencePool,
    used: bool,
}

impl Slot {
    /// Runs `work` on a worker, carrying the caller's tracing span onto the thread.
    pub async fn run<T: Send + 'static>(mut self, work: impl FnOnce() -> T + Send + 'static) -> Result<T, EngineError> {
        self.used = true;
        let (done, result) = oneshot::channel();
        let pool = self.pool.clone();
        let span = tracing::Span::current();
        let enqueued = Instant::now();
        let job: Job = Box::new(move || {
            pool.inner.queued.fetch_sub(1, Ordering::AcqRel);
            let output = span.in_scope(work);
            let stats = &pool.inner.stats;
            stats.completed.fetch_add(1, Ordering::Relaxed);
            let micros = u64::try_from(enqueued.elapsed().as_micros()).unwrap_or(u64::MAX);
            stats.latency_micros_total.fetch_add(micros, Ordering::Relaxed);
            let _ = done.send(output); // the caller may have gone (client disconnected)
        });
        let sent = self.pool.inner.sender.lock().map_err(|_| stopped())?.send(job);
        if sent.is_err() {
            self.pool.inner.queued.fetch_sub(1, Ordering::AcqRel);
            return Err(stopped());
        }
        // A panic in `work` drops `done`; it surfaces as an inference error, not a hang.
        result.await.map_err(|_| EngineError::Inference(format!("the {} worker stopped", self.pool.name())))
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if !self.used {
            self.pool.inner.queued.fetch_sub(1, Ordering::AcqRel);
        }
    }
}

fn stopped() -> EngineError {
    EngineError::Inference("the inference workers have stopped".into())
}

#[cfg(test)]
mod tests {
    use std::sync::Barrier;

    use super::*;

    #[tokio::test]
    async fn work_runs_on_a_named_worker_thread() {
        let pool = InferencePool::new("speech", 1, 4);
        let name = pool.run(|| std::thread::current().name().map(str::to_owned)).await.unwrap();
        assert_eq!(name.as_deref(), Some("speech-0"));
    }

    #[tokio::test]
    async fn a_full_queue_answers_busy_at_once_and_frees_up_afterwards() {
        let pool = InferencePool::new("summary", 1, 1);
        let gate = Arc::new(Barrier::new(2));
        // The first job occupies the only worker until the gate opens...
        let (started_tx, started_rx) = oneshot::channel();
        let blocking = {
            let gate = gate.clone();
            let pool = pool.clone();
            tokio::spawn(async move {
                pool.run(move || {
                    let _ = started_tx.send(());
                    gate.wait();
                })
                .await
            })
        };
        started_rx.await.unwrap();
        // ...the second waits in the queue (capacity 1)...
        let queued = pool.reserve().unwrap();
        // ...and a third is turned away.
        assert!(matches!(pool.reserve(), Err(EngineError::Busy)));
        assert_eq!(pool.depth(), 1);
        drop(queued);
        assert_eq!(pool.depth(), 0);
        gate.wait();
        blocking.await.unwrap().unwrap();
        assert_eq!(pool.run(|| 7).await.unwrap(), 7);
        assert_eq!(pool.stats().busy_rejections.load(Ordering::Relaxed), 1);
    }

    #[tokio::test]
    async fn a_panicking_job_is_an_error_and_the_pool_keeps_working() {
        let pool = InferencePool::new("speech", 1, 2);
        let outcome = pool.run(|| panic!("model exploded")).await;
        assert!(matches!(outcome, Err(EngineError::Inference(_))));
        assert_eq!(pool.run(|| 1).await.unwrap(), 1);
    }
}
