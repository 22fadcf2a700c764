//! The summarizer on the real SmolLM2 model and dictated problems written for these tests.

mod common;

use std::sync::OnceLock;
use std::time::Instant;

use coagent_domain::CardSource;
use coagent_language::faithfulness::check_card;
use coagent_language::CardSummarizer;
use coagent_models::Role;
use serde::Deserialize;

fn summarizer() -> &'static CardSummarizer {
    static SUMMARIZER: OnceLock<CardSummarizer> = OnceLock::new();
    SUMMARIZER.get_or_init(|| {
        let model = common::installed(Role::Summary);
        match CardSummarizer::load(model.file("model.gguf")) {
            Ok(summarizer) => summarizer,
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
            "--- {} [{:?}] {:.1}s (prompt {} tok at {:.0} tok/s, generated {} tok at {:.0} tok/s){}",
            problem.name,
            summary.source,
            started.elapsed().as_secs_f64(),
            stats.prompt_tokens,
            stats.prompt_tokens_per_sec(),
            stats.generated_tokens,
            stats.generated_tokens_per_sec(),
            summary.fallback_reason.as_deref().map(|reason| format!("\n    reason: {reason}")).unwrap_or_default(),
        );
        println!("    model: {}", streamed.replace('\n', "\n           "));
        if std::env::var("EXP_QUIET").is_err() { println!("    card:  {card:?}"); }
        assert_eq!(check_card(card, &problem.transcript), [], "{}", problem.name);
        assert!(card.summary.len() < problem.transcript.trim().len());
        assert!(!card.help_needed.trim().is_empty());
        if summary.source == CardSource::Model {
            from_model += 1;
        }
    }
    println!("model cards: {from_model} of {}", problems.len());
    assert!(from_model * 2 > problems.len(), "only {from_model} of {} cards came from the model", problems.len());
}
