//! The sentence embedder on the real all-MiniLM-L6-v2 weights.

mod common;

use std::sync::OnceLock;

use coagent_domain::Embedder;
use coagent_language::SentenceEmbedder;
use coagent_models::Role;

fn embedder() -> &'static SentenceEmbedder {
    static EMBEDDER: OnceLock<SentenceEmbedder> = OnceLock::new();
    EMBEDDER.get_or_init(|| {
        let model = common::installed(Role::Embedding);
        SentenceEmbedder::load(&model.dir).unwrap_or_else(|e| panic!("{e}"))
    })
}

fn cosine(a: &[f32], b: &[f32]) -> f32 {
    // Vectors are unit length, so the dot product is the cosine.
    a.iter().zip(b).map(|(x, y)| x * y).sum()
}

#[test]
fn vectors_have_384_dimensions_and_unit_length() {
    let vectors = embedder().embed(&["short", "a much longer sentence that needs padding in the batch"]).unwrap();
    assert_eq!(embedder().dimension(), 384);
    for vector in &vectors {
        assert_eq!(vector.len(), 384);
        let norm: f32 = vector.iter().map(|x| x * x).sum::<f32>().sqrt();
        assert!((norm - 1.0).abs() < 1e-4, "norm {norm}");
    }
}

#[test]
fn similarities_match_the_published_reference_within_a_thousandth() {
    // The sentence-transformers README quickstart runs all-MiniLM-L6-v2 on these three
    // sentences and prints this similarity matrix (to four decimals).
    let vectors = embedder()
        .embed(&["The weather is lovely today.", "It's so sunny outside!", "He drove to the stadium."])
        .unwrap();
    let published = [[1.0000, 0.6660, 0.1046], [0.6660, 1.0000, 0.1411], [0.1046, 0.1411, 1.0000]];
    for (i, row) in published.iter().enumerate() {
        for (j, expected) in row.iter().enumerate() {
            let got = cosine(&vectors[i], &vectors[j]);
            assert!((got - expected).abs() < 1e-3, "similarity[{i}][{j}] = {got:.4}, published {expected:.4}");
        }
    }
}

#[test]
fn a_paraphrase_ranks_above_an_unrelated_sentence() {
    let vectors = embedder()
        .embed(&[
            "Our supplier keeps delivering late and the production line stops.",
            "The vendor's shipments are always delayed, so manufacturing halts.",
            "I am looking for a good recipe for apple pie.",
        ])
        .unwrap();
    let paraphrase = cosine(&vectors[0], &vectors[1]);
    let unrelated = cosine(&vectors[0], &vectors[2]);
    assert!(paraphrase > unrelated + 0.3, "paraphrase {paraphrase}, unrelated {unrelated}");
}

#[test]
fn a_batch_gives_the_same_vectors_as_one_at_a_time() {
    let texts = ["first sentence here", "a second, rather longer sentence with more words in it"];
    let batch = embedder().embed(&texts).unwrap();
    for (text, batched) in texts.iter().zip(&batch) {
        let single = &embedder().embed(&[text]).unwrap()[0];
        assert!(cosine(single, batched) > 0.9999, "padding changed the vector of {text:?}");
    }
}
