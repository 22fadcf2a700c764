//! The sentence embedder on the real all-MiniLM-L6-v2 weights.

mod common;

use std::sync::OnceLock;
use std::time::Instant;

use coagent_domain::Embedder;
use coagent_language::SentenceEmbedder;
use coagent_models::Role;

fn embedder() -> &'static SentenceEmbedder {
    static EMBEDDER: OnceLock<SentenceEmbedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| {
        let model = common::installed(Role::Embedding);
        match SentenceEmbedder::load(&model.dir) {
            Ok(embedder) => embedder,
            Err(error) => panic!("cannot load the embedder: {error}"),
        }
    })
}

fn embed(texts: &[&str]) -> Vec<Vec<f32>> {
    embedder().embed(texts).unwrap_or_else(|error| panic!("embedding failed: {error}"))
}

/// Vectors are unit length, so their dot product is their cosine similarity.
fn cosine(a: &[f32], b: &[f32]) -> f32 {
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn the_published_similarity_matrix_is_reproduced_to_three_decimals() {
    // sentence-transformers' own quickstart with this model prints this matrix: see
    // `index.rst` (and docs/quickstart) in huggingface/sentence-transformers, "Embedding
    // Models > Text": model.similarity(embeddings, embeddings) →
    // tensor([[1.0000, 0.6660, 0.1046], [0.6660, 1.0000, 0.1411], [0.1046, 0.1411, 1.0000]]).
    let vectors = embed(&["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."]);
    let expected = [[1.0, 0.6660, 0.1046], [0.6660, 1.0, 0.1411], [0.1046, 0.1411, 1.0]];
    for (i, row) in expected.iter().enumerate() {
        for (j, want) in row.iter().enumerate() {
            let got = cosine(&vectors[i], &vectors[j]);
            assert!((got - want).abs() < 1e-3, "similarity[{i}][{j}] = {got:.4}, published {want:.4}");
        }
    }
}

#[test]
fn a_paraphrase_ranks_above_an_unrelated_sentence() {
    let vectors = embed(&[
        "Our supplier in Lyon is three weeks late with the packaging.",
        "The packaging vendor will deliver to our Lyon plant nearly a month behind schedule.",
        "I need advice on giving feedback to a colleague who wanted my job.",
    ]);
    let paraphrase = cosine(&vectors[0], &vectors[1]);
    let unrelated = cosine(&vectors[0], &vectors[2]);
    println!("paraphrase {paraphrase:.3}, unrelated {unrelated:.3}");
    assert!(paraphrase > unrelated + 0.2, "paraphrase {paraphrase:.3}, unrelated {unrelated:.3}");
}

#[test]
fn vectors_are_unit_length_and_independent_of_the_batch_they_came_in() {
    let alone = embed(&["A short one."]);
    let batched =
        embed(&["A short one.", "A much longer sentence that forces padding onto the short one in the batch."]);
    assert_eq!(batched.len(), 2);
    assert_eq!(alone[0].len(), embedder().dimension());
    assert_eq!(embedder().dimension(), 384);
    let norm: f32 = alone[0].iter().map(|x| x * x).sum::<f32>().sqrt();
    assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    // Padding is masked out of the mean, so a padded text keeps its vector.
    assert!(cosine(&alone[0], &batched[0]) > 0.9999);
    assert!(embed(&[]).is_empty());
}

#[test]
fn texts_longer_than_the_window_are_truncated_not_rejected() {
    let long = "The night shift in Rotterdam is short staffed again. ".repeat(80);
    let vectors = embed(&[long.as_str()]);
    assert_eq!(vectors[0].len(), 384);
}

#[test]
fn throughput_is_reported_for_a_batch_of_card_sized_texts() {
    let text = "Our packaging supplier in Lyon is three weeks late and we have ten days of boxes left. \
        I'm looking for ideas to bridge the gap.";
    let texts = vec![text; 64];
    embed(&texts[..2]);
    let started = Instant::now();
    let vectors = embed(&texts);
    let secs = started.elapsed().as_secs_f64();
    println!("{} embeddings in {secs:.2}s: {:.0} per second", vectors.len(), vectors.len() as f64 / secs);
    assert_eq!(vectors.len(), 64);
}
