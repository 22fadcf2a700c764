//! `coagent bench`: the engines' speed on this machine, as a Markdown table for the README.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use coagent_domain::Embedder;
use coagent_speech::{
    wer::{word_error_rate, JFK_REFERENCE},
    EngineOptions, StreamingConfig, StreamingTranscriber,
};

use crate::{
    cli::{EngineBenchArgs, ModelSettings},
    engines,
};

const DICTATION: &str = "Hi, this is Claire from the Lyon plant. Since the reorganization in March, two of my \
    team leads keep arguing about who owns the night shift schedule. Last week we missed a delivery for our \
    biggest customer because nobody approved the overtime. I have tried weekly meetings but they just repeat \
    the same arguments. I need advice from someone who has split responsibilities between two strong leads \
    without losing one of them.";

pub fn run(settings: &ModelSettings, args: &EngineBenchArgs) -> Result<()> {
    let jfk = coagent_audio::decode_wav_file(&args.jfk)
        .with_context(|| format!("the bench needs the JFK sample at {} (see --jfk)", args.jfk.display()))?;
    let runs = args.runs.max(1);
    println!("| engine | measurement | result |");
    println!("|---|---|---|");
    bench_speech(settings, jfk.samples(), runs)?;
    bench_summary(settings, runs)?;
    bench_embeddings(settings, runs)?;
    Ok(())
}

fn bench_speech(settings: &ModelSettings, jfk: &[f32], runs: usize) -> Result<()> {
    let jfk_secs = jfk.len() as f64 / 16_000.0;
    let minute: Vec<f32> = jfk.iter().copied().cycle().take(60 * 16_000).collect();
    let repeats = (60.0 / jfk_secs).ceil() as usize;
    let minute_reference = vec![JFK_REFERENCE; repeats].join(" ");
    for fit_audio_ctx in [false, true] {
        let label = if fit_audio_ctx { "encoder sized to the audio" } else { "full 30 s encoder" };
        let engine = engines::speech_with(settings, EngineOptions { fit_audio_ctx, ..EngineOptions::default() })?;
        let mut text = String::new();
        let elapsed = median(runs, || {
            text = engine.transcribe(jfk).map(|t| t.text).unwrap_or_default();
        });
        let wer = word_error_rate(JFK_REFERENCE, &text);
        row(
            "whisper tiny.en",
            &format!("JFK 11 s, {label}"),
            &format!(
                "RTF {:.3} ({:.2} s), WER {:.1}%",
                elapsed.as_secs_f64() / jfk_secs,
                elapsed.as_secs_f64(),
                wer * 100.0
            ),
        );
        let elapsed = median(1, || {
            text = engine.transcribe(&minute).map(|t| t.text).unwrap_or_default();
        });
        // The 60 s clip cuts JFK mid-sentence, so its WER is only indicative.
        let wer = word_error_rate(&minute_reference, &text);
        row(
            "whisper tiny.en",
            &format!("60 s of speech, {label}"),
            &format!(
                "RTF {:.3} ({:.2} s), WER {:.1}%",
                elapsed.as_secs_f64() / 60.0,
                elapsed.as_secs_f64(),
                wer * 100.0
            ),
        );
    }
    let engine = std::sync::Arc::new(engines::speech(settings)?);
    for fit_audio_ctx in [false, true] {
        let label = if fit_audio_ctx { "encoder sized to the window" } else { "full 30 s encoder" };
        let config = StreamingConfig { fit_audio_ctx, ..StreamingConfig::default() };
        let mut text = String::new();
        let elapsed = median(1, || {
            let mut session = StreamingTranscriber::new(engine.clone(), config.clone());
            for chunk in jfk.chunks(1600) {
                let _ = session.push(chunk);
            }
            text = session.finish().map(|t| t.text).unwrap_or_default();
        });
        // Above 1, a live stream on this machine falls behind the speaker.
        row(
            "whisper tiny.en",
            &format!("JFK streamed in 100 ms chunks, {label}"),
            &format!(
                "RTF {:.3} (all passes), WER {:.1}%",
                elapsed.as_secs_f64() / jfk_secs,
                word_error_rate(JFK_REFERENCE, &text) * 100.0
            ),
        );
    }
    Ok(())
}

fn bench_summary(settings: &ModelSettings, runs: usize) -> Result<()> {
    let summarizer = engines::summarizer(settings)?;
    let mut stats = Vec::new();
    for _ in 0..runs {
        let started = Instant::now();
        let (summary, run) = summarizer.summarize_with_stats(DICTATION, &mut |_| {})?;
        stats.push((started.elapsed(), run, summary.source));
    }
    stats.sort_by_key(|(elapsed, _, _)| *elapsed);
    let (elapsed, run, source) = &stats[stats.len() / 2];
    row(
        "summary (SmolLM2-135M Q4_1)",
        "prompt processing",
        &format!("{:.1} tokens/s ({} tokens)", run.prompt_tokens as f64 / run.prompt_secs, run.prompt_tokens),
    );
    row(
        "summary (SmolLM2-135M Q4_1)",
        "generation",
        &format!("{:.1} tokens/s ({} tokens)", run.generated_tokens as f64 / run.generation_secs, run.generated_tokens),
    );
    row(
        "summary (SmolLM2-135M Q4_1)",
        "transcript to card",
        &format!("{:.2} s ({source:?} path)", elapsed.as_secs_f64()),
    );
    Ok(())
}

fn bench_embeddings(settings: &ModelSettings, runs: usize) -> Result<()> {
    let embedder = engines::embedder(settings)?;
    let sentences: Vec<String> =
        DICTATION.split(". ").cycle().take(128).enumerate().map(|(i, s)| format!("{s} ({i})")).collect();
    let texts: Vec<&str> = sentences.iter().map(String::as_str).collect();
    let elapsed = median(runs, || {
        for batch in texts.chunks(32) {
            let _ = embedder.embed(batch);
        }
    });
    row(
        "embeddings (all-MiniLM-L6-v2)",
        "128 sentences, batches of 32",
        &format!("{:.0} sentences/s", texts.len() as f64 / elapsed.as_secs_f64()),
    );
    let elapsed = median(runs * 5, || {
        let _ = embedder.embed(&texts[..1]);
    });
    row("embeddings (all-MiniLM-L6-v2)", "one sentence", &format!("{:.1} ms", elapsed.as_secs_f64() * 1000.0));
    Ok(())
}

fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let started = Instant::now();
            work();
            started.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn row(engine: &str, measurement: &str, result: &str) {
    println!("| {engine} | {measurement} | {result} |");
}
