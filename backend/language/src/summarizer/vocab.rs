//! What the decoder needs to know about the vocabulary, worked out once at load.

use tokenizers::Tokenizer;

use crate::LanguageError;

pub struct Vocabulary {
    size: usize,
    /// Tokens that end the assistant's turn (`<|im_end|>`, end of text).
    stop: Vec<u32>,
    /// Tokens whose text holds a line break: a line may always end.
    line_breaks: Vec<u32>,
    /// Tokens that are (most of) a content word: four letters or more.
    words: Vec<bool>,
}

impl Vocabulary {
    pub fn new(tokenizer: &Tokenizer) -> Result<Self, LanguageError> {
        let size = tokenizer.get_vocab_size(true);
        let stop: Vec<u32> =
            ["<|im_end|>", "<|endoftext|>"].iter().filter_map(|token| tokenizer.token_to_id(token)).collect();
        if tokenizer.token_to_id("<|im_start|>").is_none() || stop.is_empty() {
            return Err(LanguageError::Unsupported(
                "the model's vocabulary has no ChatML markers (<|im_start|>, <|im_end|>)".into(),
            ));
        }
        let mut line_breaks = Vec::new();
        let mut words = vec![false; size];
        for id in 0..size as u32 {
            let text = tokenizer.decode(&[id], true)?;
            if text.contains('\n') {
                line_breaks.push(id);
            }
            words[id as usize] = text.chars().filter(|ch| ch.is_alphabetic()).count() >= 4;
        }
        Ok(Self { size, stop, line_breaks, words })
    }

    pub fn len(&self) -> usize {
        self.size
    }

    pub fn is_stop(&self, token: u32) -> bool {
        self.stop.contains(&token)
    }

    pub fn is_word(&self, token: u32) -> bool {
        self.words.get(token as usize).copied().unwrap_or(false)
    }

    pub fn line_breaks(&self) -> &[u32] {
        &self.line_breaks
    }
}
