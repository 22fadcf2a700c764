//! Embeddings are stored as JSON arrays of floats: the same text on both backends, a few KB
//! for a 384-dimension vector, and readable when inspecting the database by hand.

use crate::StoreError;

pub(crate) fn embedding_to_db(embedding: &[f32]) -> String {
    serde_json::to_string(embedding).unwrap_or_else(|_| "[]".to_owned())
}

pub(crate) fn embedding_from_db(text: &str) -> Result<Vec<f32>, StoreError> {
    serde_json::from_str(text).map_err(|_| StoreError::Corrupt("a stored embedding is not a JSON array".into()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_embedding_survives_the_round_trip_exactly() {
        let embedding = vec![0.1f32, -0.25, 1e-7, 0.333_333_34];
        assert_eq!(embedding_from_db(&embedding_to_db(&embedding)).unwrap(), embedding);
    }
}
