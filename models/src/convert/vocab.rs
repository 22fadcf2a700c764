//! The vocabulary whisper.cpp wants: each GPT-2 byte-level BPE token as raw bytes, ids 0 up to
//! (not including) `<|endoftext|>`. whisper.cpp names the special tokens after that itself.

use std::collections::HashMap;
use std::path::Path;

use serde::Deserialize;

use super::ConvertError;

#[derive(Deserialize)]
struct TokenizerJson {
    model: BpeModel,
    #[serde(default)]
    added_tokens: Vec<AddedToken>,
}

#[derive(Deserialize)]
struct BpeModel {
    vocab: HashMap<String, u32>,
}

#[derive(Deserialize)]
struct AddedToken {
    id: u32,
    content: String,
}

const END_OF_TEXT: &str = "<|endoftext|>";

pub(crate) fn gpt2_byte_tokens(path: &Path, n_vocab: usize) -> Result<Vec<Vec<u8>>, ConvertError> {
    let fail = |message: String| ConvertError::Tokenizer { path: path.to_path_buf(), message };
    let text = std::fs::read_to_string(path).map_err(|source| ConvertError::Io {
        action: "read",
        path: path.to_path_buf(),
        source,
    })?;
    let json: TokenizerJson =
        serde_json::from_str(&text).map_err(|e| fail(format!("not a tokenizers JSON file: {e}")))?;
    let eot = json
        .added_tokens
        .iter()
        .find(|t| t.content == END_OF_TEXT)
        .map(|t| t.id)
        .or_else(|| json.model.vocab.get(END_OF_TEXT).copied())
        .ok_or_else(|| fail(format!("it has no `{END_OF_TEXT}` token")))? as usize;
    if eot > n_vocab {
        return Err(fail(format!("`{END_OF_TEXT}` has id {eot}, beyond the model's {n_vocab} embeddings")));
    }

    let decoder = byte_decoder();
    let mut tokens: Vec<Option<Vec<u8>>> = vec![None; eot];
    for (text, &id) in &json.model.vocab {
        let Some(slot) = tokens.get_mut(id as usize) else {
            continue;
        };
        let bytes = text
            .chars()
            .map(|c| decoder.get(&c).copied())
            .collect::<Option<Vec<u8>>>()
            .ok_or_else(|| fail(format!("token {id} ({text:?}) is not GPT-2 byte-level text")))?;
        *slot = Some(bytes);
    }
    tokens
        .into_iter()
        .enumerate()
        .map(|(id, t)| t.ok_or_else(|| fail(format!("it has no token with id {id}"))))
        .collect()
}

/// The inverse of GPT-2's `bytes_to_unicode`: printable Latin-1 bytes stand for themselves, the
/// other 68 bytes were shifted to U+0100.. in byte order.
fn byte_decoder() -> HashMap<char, u8> {
    let printable = |b: u8| matches!(b, b'!'..=b'~' | 0xA1..=0xAC | 0xAE..=0xFF);
    let mut map = HashMap::with_capacity(256);
    let mut shifted = 0u32;
    for b in 0..=255u8 {
        let c = if printable(b) {
            char::from(b)
        } else {
            shifted += 1;
            char::from_u32(255 + shifted).unwrap_or(char::REPLACEMENT_CHARACTER)
        };
        map.insert(c, b);
    }
    map
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokenizer(vocab: &str) -> tempfile::NamedTempFile {
        let file = tempfile::NamedTempFile::new().expect("temp file");
        let json = format!(r#"{{"added_tokens":[{{"id":3,"content":"<|endoftext|>"}}],"model":{{"vocab":{vocab}}}}}"#);
        std::fs::write(file.path(), json).expect("write tokenizer");
        file
    }

    #[test]
    fn byte_level_tokens_map_back_to_their_bytes() {
        let file = tokenizer(r#"{"Ġthe":0,"Ċ":1,"Ã©":2,"<|endoftext|>":3}"#);
        let tokens = gpt2_byte_tokens(file.path(), 10).expect("tokens");
        assert_eq!(tokens, vec![b" the".to_vec(), b"\n".to_vec(), "é".as_bytes().to_vec()]);
    }

    #[test]
    fn a_gap_in_the_token_ids_is_rejected() {
        let file = tokenizer(r#"{"a":0,"b":2}"#);
        let err = gpt2_byte_tokens(file.path(), 10).expect_err("gap");
        assert!(err.to_string().contains("no token with id 1"), "{err}");
    }

    #[test]
    fn the_decoder_covers_every_byte() {
        let decoder = byte_decoder();
        assert_eq!(decoder.len(), 256);
        assert_eq!(decoder.get(&'Ā'), Some(&0));
        assert_eq!(decoder.get(&'Ġ'), Some(&b' '));
    }
}
