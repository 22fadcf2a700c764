//! `coagent bench live`: N concurrent live dictations of one WAV at the pace of speech against
//! the real server, for each N given, as a Markdown table: streams held, how far partial text
//! trails the speaker, and how long the card takes once the speaker stops.

mod stats;
mod stream;
mod target;

use std::sync::Arc;
use std::time::Duration;

use anyhow::{bail, Context as _, Result};

use self::stream::Speech;
use self::target::Target;
use crate::cli::{LiveBenchArgs, ModelSettings};

/// The streams of a round start evenly over this much time, so they do not move in lockstep.
const START_SPREAD: Duration = Duration::from_secs(1);

pub fn run(models: &ModelSettings, args: &LiveBenchArgs) -> Result<()> {
    if args.streams.is_empty() || args.streams.contains(&0) {
        bail!("--streams takes stream counts of at least 1, such as 1,4,16,64");
    }
    let audio = coagent_audio::decode_wav_file(&args.wav)
        .with_context(|| format!("the live bench needs a WAV of speech at {} (see --wav)", args.wav.display()))?;
    if audio.samples().is_empty() {
        bail!("{} holds no audio", args.wav.display());
    }
    let speech = Arc::new(Speech::from_samples(audio.samples()));
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build()?;
    runtime.block_on(async {
        let target = match (&args.url, &args.token) {
            (Some(url), Some(token)) => Target::remote(url, token)?,
            (Some(_), None) => bail!("--url needs --token (or COAGENT_BENCH_TOKEN)"),
            (None, _) => Target::in_process(models).await?,
        };
        let mut rows = Vec::new();
        for (round, &count) in args.streams.iter().enumerate() {
            if round > 0 {
                target.wait_until_idle().await;
            }
            eprintln!("{count} concurrent streams…");
            let tokens = target.tokens(count, round).await.context("could not sign in the bench's members")?;
            let outcomes = dictate_all(&target.live_url(), tokens, &speech).await;
            let partials: usize = outcomes.iter().map(|outcome| outcome.partial_lags.len()).sum();
            let row = stats::row(&outcomes);
            let transcript = stats::transcript_p50(&outcomes).map_or("–".to_owned(), |p50| format!("{p50:.1} s"));
            let late_busy = stats::busy_after_stop(&outcomes);
            eprintln!(
                "{row} ({partials} partials; end of speech → transcript p50 {transcript}; {late_busy} told busy after stop)"
            );
            rows.push(row);
        }
        println!("| streams | held | partial lag p50 | p95 | end of speech → card p50 | p95 | busy/errors |");
        println!("|---|---|---|---|---|---|---|");
        for row in &rows {
            println!("{row}");
        }
        let cores = std::thread::available_parallelism().map_or(0, |cores| cores.get());
        let name =
            args.wav.file_name().map_or_else(|| args.wav.display().to_string(), |name| name.to_string_lossy().into());
        println!();
        println!(
            "{cores} cores; every stream dictates {name} ({:.1} s) in 100 ms frames at the pace of speech; {}.",
            speech.duration.as_secs_f64(),
            target.description
        );
        target.stop();
        Ok(())
    })
}

/// Runs one round: every stream on its own task, started over `START_SPREAD`.
async fn dictate_all(url: &str, tokens: Vec<String>, speech: &Arc<Speech>) -> Vec<stats::Outcome> {
    let count = tokens.len();
    let tasks: Vec<_> = tokens
        .into_iter()
        .enumerate()
        .map(|(index, token)| {
            let (url, speech) = (url.to_owned(), speech.clone());
            tokio::spawn(async move {
                tokio::time::sleep(stats::start_offset(index, count, START_SPREAD)).await;
                stream::dictate(&url, &token, &speech).await
            })
        })
        .collect();
    let mut outcomes = Vec::with_capacity(count);
    for task in tasks {
        outcomes.push(
            task.await
                .unwrap_or_else(|_| stats::Outcome { error: Some("panicked".to_owned()), ..stats::Outcome::default() }),
        );
    }
    outcomes
}
