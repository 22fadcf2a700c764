//! The digest on the real SmolLM2 model: answers written for these tests, each condensed to a
//! faithful, attributed sentence, from the model or from the answer itself.

mod common;

use std::sync::{Arc, OnceLock};
use std::time::Instant;

use coagent_domain::{AnswerToCondense, CardSource, DigestPoint};
use coagent_language::faithfulness::{check_point, unsupported_facts, MAX_POINT_WORDS};
use coagent_language::{CardSummarizer, ChatModel, DigestCondenser};
use coagent_models::Role;

fn model() -> &'static Arc<ChatModel> {
    static MODEL: OnceLock<Arc<ChatModel>> = OnceLock::new();
    MODEL.get_or_init(|| {
        let model = common::installed(Role::Summary);
        let started = Instant::now();
        match ChatModel::load(model.file("model.gguf")) {
            Ok(model) => {
                eprintln!("model loaded in {:.1}s", started.elapsed().as_secs_f64());
                model
            }
            Err(error) => panic!("cannot load the model: {error}"),
        }
    })
}

fn condenser() -> &'static DigestCondenser {
    static CONDENSER: OnceLock<DigestCondenser> = OnceLock::new();
    CONDENSER.get_or_init(|| {
        let started = Instant::now();
        match DigestCondenser::new(Arc::clone(model())) {
            Ok(condenser) => {
                eprintln!("digest prompt primed in {:.1}s", started.elapsed().as_secs_f64());
                condenser
            }
            Err(error) => panic!("cannot start the condenser: {error}"),
        }
    })
}

const TITLE: &str = "Two team leads fight over the night shift schedule";
const HELP: &str = "How do I stop the fights over who approves overtime?";

/// An answer and words of which its point must mention at least one.
struct Case {
    author: &'static str,
    text: &'static str,
    key_terms: &'static [&'static str],
}

const CASES: [Case; 3] = [
    Case {
        author: "Ana Costa",
        text: "We had exactly this at our plant. Split the schedule: each lead owns alternate weeks and \
approves their own overtime. We did that in Porto and the fights stopped within a month.",
        key_terms: &["week", "split"],
    },
    Case {
        author: "Ben Ode",
        text: "Honestly, I wouldn't split anything. Get the plant manager to write down a single owner for \
overtime approval and publish it. Ambiguity is the real problem, not the leads.",
        key_terms: &["owner", "ambiguity"],
    },
    Case {
        author: "Chen Wei",
        text: "Sit both leads down together with the schedule once a week, fifteen minutes, no more. When \
they build it together they stop blaming each other. It took us three weeks to get there.",
        key_terms: &["together", "both leads"],
    },
];

fn answers() -> Vec<AnswerToCondense> {
    CASES.iter().map(|case| AnswerToCondense { author: case.author.into(), text: case.text.into() }).collect()
}

#[test]
fn each_answer_becomes_one_faithful_attributed_sentence() {
    let condenser = condenser();
    let started = Instant::now();
    let (digest, stats) =
        condenser.condense_with_stats(TITLE, HELP, &answers()).unwrap_or_else(|error| panic!("{error}"));
    eprintln!("digest of {} answers in {:.1}s", CASES.len(), started.elapsed().as_secs_f64());
    assert_eq!(digest.points.len(), CASES.len());
    let mut from_model = 0;
    for ((case, point), stats) in CASES.iter().zip(&digest.points).zip(&stats) {
        eprintln!(
            "--- {} [{:?}] prompt {} tok in {:.2}s, {} tok generated in {:.2}s{}\n    {}",
            point.author,
            point.source,
            stats.prompt_tokens,
            stats.prompt_secs,
            stats.generated_tokens,
            stats.generation_secs,
            point.fallback_reason.as_deref().map(|reason| format!("\n    reason: {reason}")).unwrap_or_default(),
            point.sentence,
        );
        assert_faithful(point, case);
        if point.source == CardSource::Model {
            from_model += 1;
        }
    }
    let text = digest.text();
    eprintln!("{text}\nmodel points: {from_model} of {}", CASES.len());
    let authors: Vec<&str> = text.lines().map(|line| line.split(':').next().unwrap_or_default()).collect();
    assert_eq!(authors, ["Ana Costa", "Ben Ode", "Chen Wei"]);
    // The fallback is a safety net, not the digest: most points should be the model's.
    assert!(from_model * 2 > CASES.len(), "only {from_model} of {} points came from the model", CASES.len());
}

fn assert_faithful(point: &DigestPoint, case: &Case) {
    assert_eq!(point.author, case.author);
    assert_eq!(point.fallback_reason.is_some(), point.source == CardSource::Extractive, "{point:?}");
    assert_eq!(check_point(&point.sentence, case.text), [], "{point:?}");
    // No name, place or number that the answer does not state.
    assert_eq!(unsupported_facts(&point.sentence, case.text), [], "{point:?}");
    let words = point.sentence.split_whitespace().count();
    assert!((1..=MAX_POINT_WORDS).contains(&words), "{words} words: {point:?}");
    let lower = point.sentence.to_lowercase();
    assert!(case.key_terms.iter().any(|term| lower.contains(term)), "none of {:?} in {point:?}", case.key_terms);
}

#[test]
fn the_same_answers_always_give_the_same_digest() {
    let condenser = condenser();
    let case = &CASES[1];
    let generate =
        || condenser.generate(TITLE, HELP, case.text).map(|(text, _)| text).unwrap_or_else(|e| panic!("{e}"));
    let (first, second) = std::thread::scope(|scope| {
        let other = scope.spawn(generate);
        (generate(), other.join().unwrap_or_else(|_| panic!("the second call panicked")))
    });
    assert_eq!(first, second);
}

#[test]
fn cards_and_digests_share_one_model_without_sharing_state() {
    let summarizer = CardSummarizer::new(Arc::clone(model())).unwrap_or_else(|error| panic!("{error}"));
    let transcript = "Hi, this is Marta from the Braga plant. Two of my team leads keep fighting over the \
        night shift schedule and who approves overtime. How do I stop it?";
    let card = |summarizer: &CardSummarizer| {
        summarizer.generate(transcript, &mut |_| {}).map(|(text, _)| text).unwrap_or_else(|error| panic!("{error}"))
    };
    let before = card(&summarizer);
    let point = condenser().generate(TITLE, HELP, CASES[0].text).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(card(&summarizer), before);
    let again = condenser().generate(TITLE, HELP, CASES[0].text).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(again.0, point.0);
}

#[test]
fn an_answer_longer_than_the_model_reads_gets_its_own_sentence_without_running_it() {
    let text = CASES.iter().map(|case| case.text).collect::<Vec<_>>().join(" ").repeat(20);
    let answer = AnswerToCondense { author: "Ana Costa".into(), text };
    let (point, stats) = condenser().point_with_stats(TITLE, HELP, &answer).unwrap_or_else(|error| panic!("{error}"));
    assert_eq!(point.source, CardSource::Extractive);
    assert!(point.fallback_reason.is_some_and(|reason| reason.contains("longer than the model reads")));
    assert_eq!(point.sentence, "Split the schedule: each lead owns alternate weeks and approves their own overtime.");
    assert_eq!(stats.generated_tokens, 0);
}

#[test]
fn an_answer_without_words_is_invalid_input() {
    let answer = AnswerToCondense { author: "Ana Costa".into(), text: " … ".into() };
    let error = condenser().point_with_stats(TITLE, HELP, &answer).map(|_| ()).err();
    assert!(matches!(error, Some(coagent_language::LanguageError::InvalidInput(_))), "{error:?}");
}
