use std::collections::HashSet;
use std::time::Duration;

use coagent_store::{JobStatus, StoreError, Timestamp};
use serde_json::json;

use crate::common::{on_both_backends, Ctx};

const LEASE: Duration = Duration::from_secs(30);

fn at(seconds: i64) -> Timestamp {
    Timestamp::from_millis(1_800_000_000_000 + seconds * 1000)
}

on_both_backends!(
    a_job_is_claimed_only_once_it_is_due,
    a_worker_claims_only_the_kinds_it_runs,
    the_most_overdue_job_is_claimed_first,
    a_claimed_job_is_not_claimed_again_while_its_lease_holds,
    a_job_whose_lease_ran_out_is_claimed_again_and_the_first_worker_loses_it,
    extending_a_lease_keeps_a_long_job_from_being_reclaimed,
    a_completed_job_never_runs_again,
    a_failed_job_runs_again_at_its_retry_time_with_its_attempts_counted,
    a_job_failed_without_a_retry_time_is_given_up,
    concurrent_workers_never_claim_the_same_job,
    a_second_job_with_the_same_unique_key_is_a_conflict,
);

async fn a_job_is_claimed_only_once_it_is_due(t: Ctx) {
    let job = t.store.enqueue("transcribe", &json!({"recording": "r1"}), at(10)).await.unwrap();

    assert_eq!(t.store.claim(&["transcribe"], "w1", LEASE, at(9)).await.unwrap(), None);
    let claimed = t.store.claim(&["transcribe"], "w1", LEASE, at(10)).await.unwrap().unwrap();

    assert_eq!(claimed.id, job.id);
    assert_eq!(claimed.payload, json!({"recording": "r1"}));
    assert_eq!((claimed.status, claimed.attempts), (JobStatus::Running, 1));
    assert_eq!((claimed.locked_by.as_deref(), claimed.locked_until), (Some("w1"), Some(at(40))));
}

async fn a_worker_claims_only_the_kinds_it_runs(t: Ctx) {
    let push = t.store.enqueue("push", &json!({}), at(0)).await.unwrap();

    assert_eq!(t.store.claim(&["transcribe", "summarize"], "w1", LEASE, at(1)).await.unwrap(), None);
    let claimed = t.store.claim(&["transcribe", "push"], "w1", LEASE, at(1)).await.unwrap().unwrap();
    assert_eq!(claimed.id, push.id);
}

async fn the_most_overdue_job_is_claimed_first(t: Ctx) {
    let later = t.store.enqueue("push", &json!({"n": 2}), at(5)).await.unwrap();
    let sooner = t.store.enqueue("push", &json!({"n": 1}), at(1)).await.unwrap();

    let first = t.store.claim(&["push"], "w1", LEASE, at(10)).await.unwrap().unwrap();
    let second = t.store.claim(&["push"], "w1", LEASE, at(10)).await.unwrap().unwrap();

    assert_eq!((first.id, second.id), (sooner.id, later.id));
}

async fn a_claimed_job_is_not_claimed_again_while_its_lease_holds(t: Ctx) {
    t.store.enqueue("summarize", &json!({}), at(0)).await.unwrap();
    t.store.claim(&["summarize"], "w1", LEASE, at(0)).await.unwrap().unwrap();

    let second = t.store.claim(&["summarize"], "w2", LEASE, at(29)).await.unwrap();

    assert_eq!(second, None);
}

async fn a_job_whose_lease_ran_out_is_claimed_again_and_the_first_worker_loses_it(t: Ctx) {
    t.store.enqueue("summarize", &json!({}), at(0)).await.unwrap();
    let crashed = t.store.claim(&["summarize"], "w1", LEASE, at(0)).await.unwrap().unwrap();

    let reclaimed = t.store.claim(&["summarize"], "w2", LEASE, at(30)).await.unwrap().unwrap();

    assert_eq!((reclaimed.id, reclaimed.attempts, reclaimed.locked_by.as_deref()), (crashed.id, 2, Some("w2")));
    let late = t.store.complete(&crashed, at(31)).await;
    assert!(matches!(late, Err(StoreError::LeaseLost)), "{late:?}");
    t.store.complete(&reclaimed, at(31)).await.unwrap();
}

async fn extending_a_lease_keeps_a_long_job_from_being_reclaimed(t: Ctx) {
    t.store.enqueue("summarize", &json!({}), at(0)).await.unwrap();
    let job = t.store.claim(&["summarize"], "w1", LEASE, at(0)).await.unwrap().unwrap();

    let job = t.store.extend_lease(&job, LEASE, at(25)).await.unwrap();

    assert_eq!(job.locked_until, Some(at(55)));
    assert_eq!(t.store.claim(&["summarize"], "w2", LEASE, at(40)).await.unwrap(), None);
    t.store.complete(&job, at(50)).await.unwrap();
}

async fn a_completed_job_never_runs_again(t: Ctx) {
    t.store.enqueue("push", &json!({}), at(0)).await.unwrap();
    let job = t.store.claim(&["push"], "w1", LEASE, at(0)).await.unwrap().unwrap();

    let done = t.store.complete(&job, at(1)).await.unwrap();

    assert_eq!((done.status, done.locked_by), (JobStatus::Done, None));
    assert_eq!(t.store.claim(&["push"], "w1", LEASE, at(1_000)).await.unwrap(), None);
    assert!(matches!(t.store.complete(&job, at(2)).await, Err(StoreError::LeaseLost)));
}

async fn a_failed_job_runs_again_at_its_retry_time_with_its_attempts_counted(t: Ctx) {
    t.store.enqueue("push", &json!({}), at(0)).await.unwrap();
    let job = t.store.claim(&["push"], "w1", LEASE, at(0)).await.unwrap().unwrap();

    let failed = t.store.fail(&job, "push service answered 503", Some(at(60)), at(1)).await.unwrap();

    assert_eq!((failed.status, failed.run_after), (JobStatus::Queued, at(60)));
    assert_eq!(t.store.claim(&["push"], "w1", LEASE, at(59)).await.unwrap(), None);
    let retried = t.store.claim(&["push"], "w2", LEASE, at(60)).await.unwrap().unwrap();
    assert_eq!(retried.attempts, 2);
    assert_eq!(retried.last_error.as_deref(), Some("push service answered 503"));
}

async fn a_job_failed_without_a_retry_time_is_given_up(t: Ctx) {
    t.store.enqueue("push", &json!({}), at(0)).await.unwrap();
    let job = t.store.claim(&["push"], "w1", LEASE, at(0)).await.unwrap().unwrap();

    let failed = t.store.fail(&job, "subscription is gone", None, at(1)).await.unwrap();

    assert_eq!(failed.status, JobStatus::Failed);
    assert_eq!(t.store.get_job(job.id).await.unwrap().status, JobStatus::Failed);
    assert_eq!(t.store.claim(&["push"], "w1", LEASE, at(1_000)).await.unwrap(), None);
}

async fn concurrent_workers_never_claim_the_same_job(t: Ctx) {
    const JOBS: usize = 24;
    for n in 0..JOBS {
        t.store.enqueue("embed", &json!({ "n": n }), at(0)).await.unwrap();
    }

    let workers: Vec<_> = (0..4)
        .map(|worker| {
            let store = t.store.clone();
            tokio::spawn(async move {
                let mut mine = Vec::new();
                while let Some(job) = store.claim(&["embed"], &format!("w{worker}"), LEASE, at(1)).await.unwrap() {
                    store.complete(&job, at(2)).await.unwrap();
                    mine.push(job.id);
                }
                mine
            })
        })
        .collect();
    let mut claimed = Vec::new();
    for worker in workers {
        claimed.extend(worker.await.unwrap());
    }

    let distinct: HashSet<_> = claimed.iter().collect();
    assert_eq!(claimed.len(), JOBS, "every job ran exactly once");
    assert_eq!(distinct.len(), JOBS);
}

async fn a_second_job_with_the_same_unique_key_is_a_conflict(t: Ctx) {
    t.store.enqueue_unique("transcribe", &json!({}), at(0), "transcribe:r1").await.unwrap();

    let again = t.store.enqueue_unique("transcribe", &json!({}), at(0), "transcribe:r1").await;

    assert!(matches!(again, Err(StoreError::Conflict(_))), "{again:?}");
    t.store.enqueue_unique("transcribe", &json!({}), at(0), "transcribe:r2").await.unwrap();
}
