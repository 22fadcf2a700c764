//! Cosine similarity between embeddings, and the earlier asks closest to a new one.

use std::cmp::Ordering;

use serde::{Deserialize, Serialize};

/// Eight running sums that the compiler keeps in one vector register. Their order is fixed, so
/// results are the same bit for bit on every run.
const LANES: usize = 8;

/// Cosine similarity in [-1, 1]. Vectors of different lengths (embeddings from another model)
/// and zero vectors carry no evidence: 0.
pub fn cosine(a: &[f32], b: &[f32]) -> f32 {
    Query::new(a).cosine(b)
}

/// One vector compared with many: its norm is computed once.
pub(crate) struct Query<'a> {
    vector: &'a [f32],
    norm: f32,
}

impl<'a> Query<'a> {
    pub(crate) fn new(vector: &'a [f32]) -> Self {
        let norm = dot(vector, vector).sqrt();
        Self { vector, norm }
    }

    pub(crate) fn cosine(&self, other: &[f32]) -> f32 {
        if other.len() != self.vector.len() || self.norm == 0.0 {
            return 0.0;
        }
        let (dot, squares) = dot_and_squares(self.vector, other);
        let similarity = dot / (self.norm * squares.sqrt());
        if similarity.is_finite() {
            similarity.clamp(-1.0, 1.0)
        } else {
            0.0
        }
    }
}

fn dot(a: &[f32], b: &[f32]) -> f32 {
    dot_and_squares(a, b).0
}

/// `a · b` and `b · b` in one pass over `b`.
fn dot_and_squares(a: &[f32], b: &[f32]) -> (f32, f32) {
    let mut dots = [0.0f32; LANES];
    let mut squares = [0.0f32; LANES];
    let (a_chunks, b_chunks) = (a.chunks_exact(LANES), b.chunks_exact(LANES));
    let (a_rest, b_rest) = (a_chunks.remainder(), b_chunks.remainder());
    for (x, y) in a_chunks.zip(b_chunks) {
        for lane in 0..LANES {
            dots[lane] += x[lane] * y[lane];
            squares[lane] += y[lane] * y[lane];
        }
    }
    for (lane, (x, y)) in a_rest.iter().zip(b_rest).enumerate() {
        dots[lane] += x * y;
        squares[lane] += y * y;
    }
    (dots.iter().sum(), squares.iter().sum())
}

/// An earlier ask, to be offered to the asker before routing.
#[derive(Debug, Clone, PartialEq)]
pub struct PastAsk {
    pub ask_id: String,
    pub embedding: Vec<f32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SimilarAsk {
    pub ask_id: String,
    pub similarity: f32,
}

/// The `limit` earlier asks most similar to `embedding`, at least `min_similarity` close, most
/// similar first and ties by id. The caller leaves the ask itself out of `past` and joins the
/// best answers of each.
pub fn similar_asks(embedding: &[f32], past: &[PastAsk], limit: usize, min_similarity: f32) -> Vec<SimilarAsk> {
    let query = Query::new(embedding);
    let mut similar: Vec<(f32, &str)> = past
        .iter()
        .map(|ask| (query.cosine(&ask.embedding), ask.ask_id.as_str()))
        .filter(|(similarity, _)| *similarity >= min_similarity)
        .collect();
    similar.sort_by(|a, b| by_score_then_id(a.0, a.1, b.0, b.1));
    similar.truncate(limit);
    similar.into_iter().map(|(similarity, ask_id)| SimilarAsk { ask_id: ask_id.to_owned(), similarity }).collect()
}

/// Highest score first; equal scores in id order, so that results never depend on input order.
pub(crate) fn by_score_then_id(score_a: f32, id_a: &str, score_b: f32, id_b: &str) -> Ordering {
    score_b.total_cmp(&score_a).then_with(|| id_a.cmp(id_b))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn past(ask_id: &str, embedding: &[f32]) -> PastAsk {
        PastAsk { ask_id: ask_id.to_owned(), embedding: embedding.to_vec() }
    }

    #[test]
    fn cosine_ignores_length_and_sees_direction() {
        assert!((cosine(&[1.0, 0.0], &[3.0, 0.0]) - 1.0).abs() < 1e-6);
        assert!((cosine(&[1.0, 0.0], &[0.0, 2.0])).abs() < 1e-6);
        assert!((cosine(&[1.0, 0.0], &[-1.0, 0.0]) + 1.0).abs() < 1e-6);
        assert!((cosine(&[1.0, 1.0], &[1.0, 0.0]) - std::f32::consts::FRAC_1_SQRT_2).abs() < 1e-6);
    }

    #[test]
    fn cosine_agrees_with_the_plain_formula_on_long_vectors() {
        let a: Vec<f32> = (0..389).map(|i| ((i * 7 % 13) as f32 - 6.0) / 5.0).collect();
        let b: Vec<f32> = (0..389).map(|i| ((i * 5 % 11) as f32 - 5.0) / 3.0).collect();
        let plain = a.iter().zip(&b).map(|(x, y)| x * y).sum::<f32>()
            / (a.iter().map(|x| x * x).sum::<f32>().sqrt() * b.iter().map(|y| y * y).sum::<f32>().sqrt());
        assert!((cosine(&a, &b) - plain).abs() < 1e-5);
    }

    #[test]
    fn embeddings_of_another_dimension_or_empty_carry_no_evidence() {
        assert_eq!(cosine(&[1.0, 0.0], &[1.0, 0.0, 0.0]), 0.0);
        assert_eq!(cosine(&[0.0, 0.0], &[1.0, 0.0]), 0.0);
        assert_eq!(cosine(&[1.0, 0.0], &[0.0, 0.0]), 0.0);
        assert_eq!(cosine(&[], &[]), 0.0);
    }

    #[test]
    fn similar_asks_come_most_similar_first_and_ties_by_id() {
        let asks = [past("c", &[1.0, 0.0]), past("b", &[0.6, 0.8]), past("a", &[1.0, 0.0]), past("d", &[0.0, 1.0])];
        let ids: Vec<String> = similar_asks(&[1.0, 0.0], &asks, 10, -1.0).into_iter().map(|s| s.ask_id).collect();
        assert_eq!(ids, ["a", "c", "b", "d"]);
    }

    #[test]
    fn similar_asks_keep_to_the_limit_and_the_threshold() {
        let asks = [past("close", &[0.9, 0.1]), past("near", &[0.6, 0.8]), past("far", &[0.0, 1.0])];
        let found = similar_asks(&[1.0, 0.0], &asks, 10, 0.5);
        assert_eq!(found.iter().map(|s| s.ask_id.as_str()).collect::<Vec<_>>(), ["close", "near"]);
        assert!((found[1].similarity - 0.6).abs() < 1e-6);
        assert_eq!(similar_asks(&[1.0, 0.0], &asks, 1, 0.5).len(), 1);
        assert!(similar_asks(&[1.0, 0.0], &asks, 0, 0.0).is_empty());
    }
}
