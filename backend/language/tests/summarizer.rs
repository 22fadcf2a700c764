//! The summarizer on the real SmolLM2 model and dictated problems written for these tests.

mod common;

use std::sync::OnceLock;
use std::time::Instant;

use coagent_domain::CardSource;
use coagent_language::faithfulness::{check_card, grounding};
use coagent_language::{finalize, CardSummarizer};
use coagent_models::Role;
use serde::Deserialize;

fn summarizer() -> &'static CardSummarizer {
    static SUMMARIZER: OnceLock<CardSummarizer> = OnceLock::new();
    SUMMARIZER.get_or_init(|| {
        let model = common::installed(Role::Summary);
        let started = Instant::now();
        match CardSummarizer::load(model.file("model.gguf")) {
            Ok(summarizer) => {
                println!("summarizer loaded in {:.1}s", started.elapsed().as_secs_f64());
                summarizer
            }
            Err(error) => panic!("cannot load the summarizer: {error}"),
        }
    })
}

#[derive(Deserialize)]
struct Fixtures {
    problem: Vec<Problem>,
}

#[derive(Deserialize)]
struct Problem {
    name: String,
    transcript: String,
}

fn problems() -> Vec<Problem> {
    let text = include_str!("fixtures/problems.toml");
    match toml::from_str::<Fixtures>(text) {
        Ok(fixtures) => fixtures.problem,
        Err(error) => panic!("fixtures/problems.toml: {error}"),
    }
}

#[test]
fn every_dictated_problem_gets_a_faithful_card_mostly_written_by_the_model() {
    let summarizer = summarizer();
    let problems = problems();
    let mut from_model = 0;
    for problem in &problems {
        let started = Instant::now();
        let mut streamed = String::new();
        let (summary, stats) = summarizer
            .summarize_with_stats(&problem.transcript, &mut |piece| streamed.push_str(piece))
            .unwrap_or_else(|error| panic!("{}: {error}", problem.name));
        let card = &summary.card;
        println!(
            "--- {} [{:?}] {:.1}s (prompt {} tok after {} cached, at {:.0} tok/s; generated {} tok at {:.0} tok/s){}",
            problem.name,
            summary.source,
            started.elapsed().as_secs_f64(),
            stats.prompt_tokens,
            stats.cached_prompt_tokens,
            stats.prompt_tokens_per_sec(),
            stats.generated_tokens,
            stats.generated_tokens_per_sec(),
            summary.fallback_reason.as_deref().map(|reason| format!("\n    reason: {reason}")).unwrap_or_default(),
        );
        println!("    model: {}", streamed.replace('\n', "\n           "));
        println!("    card:  {card:?}");
        if let Ok(raw) = coagent_language::parse_card(&streamed) {
            let share = |line: &str| grounding(line, &problem.transcript).map_or(100, |share| (share * 100.0) as u32);
            println!(
                "    grounded: title {}%, summary {}%, help {}%",
                share(&raw.title),
                share(&raw.summary),
                share(&raw.help_needed)
            );
        }
        assert_eq!(check_card(card, &problem.transcript), [], "{}", problem.name);
        // The streamed pieces are the whole card: a client that only saw them would agree.
        assert_eq!(finalize(&streamed, &problem.transcript), summary, "{}", problem.name);
        assert!(card.summary.len() < problem.transcript.trim().len());
        assert!(!card.help_needed.trim().is_empty());
        if summary.source == CardSource::Model {
            from_model += 1;
        }
    }
    println!("model cards: {from_model} of {}", problems.len());
    assert!(from_model * 2 > problems.len(), "only {from_model} of {} cards came from the model", problems.len());
}

#[test]
fn a_model_card_that_fails_the_check_end_to_end_becomes_the_extractive_card_with_a_reason() {
    // Two words leave the model nothing to summarise that is shorter than them: whatever
    // it writes fails the check (too long, or an empty summary), never reaches the user.
    let transcript = "Hiring help?";
    let mut streamed = String::new();
    let summary = summarizer().summarize_with_stats(transcript, &mut |piece| streamed.push_str(piece));
    let (summary, _) = summary.unwrap_or_else(|error| panic!("{error}"));
    println!("model: {streamed:?}\n{summary:?}");
    assert_eq!(summary.source, CardSource::Extractive);
    assert!(summary.fallback_reason.is_some_and(|reason| !reason.is_empty()));
    assert_eq!(summary.card.help_needed, "Hiring help?");
    assert_eq!(check_card(&summary.card, transcript), []);
}

#[test]
fn calls_running_at_the_same_time_do_not_share_model_state() {
    let problems = problems();
    let [first, second] = [&problems[0].transcript, &problems[1].transcript];
    let generate = |transcript: &str| match summarizer().generate(transcript, &mut |_| {}) {
        Ok((text, _)) => text,
        Err(error) => panic!("{error}"),
    };
    let (together_first, together_second) = std::thread::scope(|scope| {
        let other = scope.spawn(|| generate(second));
        let mine = generate(first);
        (mine, other.join().unwrap_or_else(|_| panic!("the second call panicked")))
    });
    assert_eq!(together_first, generate(first));
    assert_eq!(together_second, generate(second));
}

#[test]
fn a_transcript_longer_than_the_model_reads_gets_the_extractive_card_without_running_it() {
    let transcript = problems().iter().map(|problem| problem.transcript.trim()).collect::<Vec<_>>().join(" ").repeat(2);
    let mut streamed = String::new();
    let summary = summarizer().summarize_with_stats(&transcript, &mut |piece| streamed.push_str(piece));
    let (summary, stats) = summary.unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(summary.source, CardSource::Extractive);
    assert!(summary.fallback_reason.is_some_and(|reason| reason.contains("longer than the model reads")));
    assert_eq!((streamed.as_str(), stats.generated_tokens), ("", 0));
    assert_eq!(check_card(&summary.card, &transcript), []);
}

#[test]
fn an_empty_transcript_is_invalid_input() {
    let error = summarizer().summarize_with_stats("  ... ", &mut |_| {}).map(|_| ()).err();
    assert!(matches!(error, Some(coagent_language::LanguageError::InvalidInput(_))), "{error:?}");
}
