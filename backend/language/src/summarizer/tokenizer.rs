//! The LLM's tokenizer, rebuilt from the GGUF file itself so a model is one file and its
//! tokenizer can never drift from its weights.

use candle_core::quantized::gguf_file::{Content, Value};
use tokenizers::decoders::byte_level::ByteLevel as ByteLevelDecoder;
use tokenizers::models::bpe::{Merges, Vocab, BPE};
use tokenizers::normalizers::unicode::NFC;
use tokenizers::pre_tokenizers::byte_level::ByteLevel;
use tokenizers::pre_tokenizers::digits::Digits;
use tokenizers::pre_tokenizers::sequence::Sequence;
use tokenizers::pre_tokenizers::split::{Split, SplitPattern};
use tokenizers::{AddedToken, PreTokenizerWrapper, SplitDelimiterBehavior, Tokenizer};

use crate::LanguageError;

/// GGUF `tokenizer.ggml.token_type` value of control tokens (`<|im_start|>`...): llama.cpp's
/// `LLAMA_TOKEN_TYPE_CONTROL`. They must be matched whole, never split by BPE.
const CONTROL_TOKEN: i32 = 3;

/// The regex Qwen2's own `tokenizer.json` splits on before byte-level BPE: like GPT-2's,
/// but digits one by one and newlines kept apart.
const QWEN2_SPLIT: &str =
    r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+";

/// Builds a byte-level BPE tokenizer from `tokenizer.ggml.*` metadata.
pub fn from_gguf(content: &Content) -> Result<Tokenizer, LanguageError> {
    let kind = string(content, "tokenizer.ggml.model")?;
    if kind != "gpt2" {
        return Err(LanguageError::Unsupported(format!(
            "tokenizer model {kind:?} (only byte-level BPE, \"gpt2\", is supported)"
        )));
    }
    let tokens = strings(content, "tokenizer.ggml.tokens")?;
    let merges = strings(content, "tokenizer.ggml.merges")?;

    let vocab: Vocab = tokens.iter().enumerate().map(|(id, token)| (token.to_string(), id as u32)).collect();
    let merges: Merges = merges
        .iter()
        .map(|merge| {
            merge
                .split_once(' ')
                .map(|(left, right)| (left.to_string(), right.to_string()))
                .ok_or_else(|| LanguageError::Malformed(format!("merge without a space: {merge:?}")))
        })
        .collect::<Result<_, _>>()?;
    let bpe = BPE::builder()
        .vocab_and_merges(vocab, merges)
        .build()
        .map_err(|error| LanguageError::Tokenizer(error.to_string()))?;

    let mut tokenizer = Tokenizer::new(bpe);
    // `tokenizer.ggml.pre` names llama.cpp's pre-tokenizer; each arm mirrors the
    // `pre_tokenizer` of the model's original `tokenizer.json`.
    let pre = content
        .metadata
        .get("tokenizer.ggml.pre")
        .and_then(|value| value.to_string().ok())
        .map_or("default", String::as_str);
    let pre_tokenizer: PreTokenizerWrapper = match pre {
        // SmolLM: every digit on its own, then GPT-2's byte-level split, no prefix space.
        "smollm" => Sequence::new(vec![Digits::new(true).into(), ByteLevel::new(false, true, true).into()]).into(),
        "qwen2" => {
            tokenizer.with_normalizer(Some(NFC));
            let split = Split::new(SplitPattern::Regex(QWEN2_SPLIT.into()), SplitDelimiterBehavior::Isolated, false)?;
            Sequence::new(vec![split.into(), ByteLevel::new(false, false, false).into()]).into()
        }
        "default" | "gpt2" => ByteLevel::new(false, true, true).into(),
        other => {
            return Err(LanguageError::Unsupported(format!("pre-tokenizer {other:?} (supported: smollm, qwen2, gpt2)")))
        }
    };
    tokenizer.with_pre_tokenizer(Some(pre_tokenizer));
    tokenizer.with_decoder(Some(ByteLevelDecoder::default()));

    let special: Vec<AddedToken> =
        control_tokens(content, &tokens).map(|token| AddedToken::from(token.to_string(), true)).collect();
    tokenizer.add_special_tokens(&special);
    Ok(tokenizer)
}

/// The control tokens by type when the file lists types, else the ChatML markers by name.
fn control_tokens<'a>(content: &Content, tokens: &'a [&'a str]) -> Box<dyn Iterator<Item = &'a str> + 'a> {
    let types: Option<Vec<i32>> = content
        .metadata
        .get("tokenizer.ggml.token_type")
        .and_then(|value| value.to_vec().ok())
        .and_then(|types| types.iter().map(|kind| kind.to_i32().ok()).collect());
    match types {
        Some(types) if types.len() == tokens.len() => {
            Box::new(tokens.iter().zip(types).filter(|(_, kind)| *kind == CONTROL_TOKEN).map(|(token, _)| *token))
        }
        _ => Box::new(
            tokens.iter().copied().filter(|token| matches!(*token, "<|im_start|>" | "<|im_end|>" | "<|endoftext|>")),
        ),
    }
}

fn string<'a>(content: &'a Content, key: &str) -> Result<&'a str, LanguageError> {
    content
        .metadata
        .get(key)
        .and_then(|value| value.to_string().ok())
        .map(String::as_str)
        .ok_or_else(|| LanguageError::Malformed(format!("no {key} string in the GGUF metadata")))
}

fn strings<'a>(content: &'a Content, key: &str) -> Result<Vec<&'a str>, LanguageError> {
    let values = content
        .metadata
        .get(key)
        .and_then(|value| value.to_vec().ok())
        .ok_or_else(|| LanguageError::Malformed(format!("no {key} array in the GGUF metadata")))?;
    values
        .iter()
        .map(|value: &Value| value.to_string().map(String::as_str))
        .collect::<Result<_, _>>()
        .map_err(|_| LanguageError::Malformed(format!("{key} holds something other than strings")))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The real SmolLM2 file's tokenizer; only its metadata is read.
    fn smollm2() -> Tokenizer {
        let manifest = coagent_models::Manifest::embedded();
        let spec = manifest.default_for(coagent_models::Role::Summary);
        let path = coagent_models::ModelCache::from_env().model_dir(spec).join("model.gguf");
        let mut file = std::fs::File::open(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        let content = Content::read(&mut file).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
        from_gguf(&content).unwrap_or_else(|error| panic!("{error}"))
    }

    #[test]
    fn chatml_markers_stay_whole_and_digits_are_split_one_by_one() {
        let tokenizer = smollm2();
        let encoding =
            tokenizer.encode("<|im_start|>user\nWe cut 2024 costs<|im_end|>", false).unwrap_or_else(|e| panic!("{e}"));
        let tokens = encoding.get_tokens();
        assert_eq!(tokens.first().map(String::as_str), Some("<|im_start|>"));
        assert_eq!(tokens.last().map(String::as_str), Some("<|im_end|>"));
        assert_eq!(encoding.get_ids().first(), Some(&1));
        let digits: Vec<&str> =
            tokens.iter().map(String::as_str).filter(|t| t.chars().any(|c| c.is_ascii_digit())).collect();
        assert_eq!(digits, ["2", "0", "2", "4"]);
    }

    #[test]
    fn text_survives_a_round_trip_through_the_tokenizer() {
        let tokenizer = smollm2();
        let text = "Zoë's café in Zürich lost €1,500 — ça va?\nNext line.";
        let ids = tokenizer.encode(text, false).unwrap_or_else(|e| panic!("{e}")).get_ids().to_vec();
        assert_eq!(tokenizer.decode(&ids, false).unwrap_or_else(|e| panic!("{e}")), text);
    }

    #[test]
    fn streaming_decode_never_splits_a_character() {
        let tokenizer = smollm2();
        let text = "Zoë's café: €1,500, 日本";
        let ids = tokenizer.encode(text, false).unwrap_or_else(|e| panic!("{e}")).get_ids().to_vec();
        // Some of these characters span several byte-level tokens.
        assert!(ids.len() > text.split_whitespace().count() + 4, "{ids:?}");
        let mut stream = tokenizer.decode_stream(true);
        let mut pieces = Vec::new();
        for id in ids {
            if let Some(piece) = stream.step(id).unwrap_or_else(|e| panic!("{e}")) {
                pieces.push(piece);
            }
        }
        assert_eq!(pieces.concat(), text);
    }
}
