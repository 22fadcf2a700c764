//! Maps CTranslate2 Whisper variables to whisper.cpp tensors, checking every shape on the way,
//! and derives the hyper-parameters from those shapes and the head-count scalars.

use std::collections::BTreeSet;

use super::ctranslate2::{Ct2Model, Variable};
use super::ConvertError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hparams {
    pub n_vocab: usize,
    pub n_audio_ctx: usize,
    pub n_audio_state: usize,
    pub n_audio_head: usize,
    pub n_audio_layer: usize,
    pub n_text_ctx: usize,
    pub n_text_state: usize,
    pub n_text_head: usize,
    pub n_text_layer: usize,
    pub n_mels: usize,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum OutType {
    F32,
    F16,
}

/// One whisper.cpp tensor: which rows of which CTranslate2 variable it holds.
#[derive(Debug, Clone)]
pub(crate) struct TensorPlan {
    pub name: String,
    pub source: String,
    pub first_row: usize,
    pub rows: usize,
    /// Outermost first, as CTranslate2 and PyTorch write them (ggml wants them reversed).
    pub dims: Vec<usize>,
    pub out: OutType,
    pub source_bytes: u64,
}

/// Rank-0 variables whose value whisper.cpp hard-codes: a model that differs would convert
/// into something that loads and then transcribes garbage.
const FIXED_SCALARS: &[(&str, i64)] = &[
    ("decoder/activation", 3), // GELU
    ("decoder/alibi", 0),
    ("decoder/pre_norm", 1),
    ("decoder/scale_embeddings", 0),
    ("decoder/start_from_zero_embedding", 0),
    ("encoder/activation", 3),
    ("encoder/pre_norm", 1),
];

pub(crate) fn plan(model: &Ct2Model) -> Result<(Hparams, Vec<TensorPlan>), ConvertError> {
    let mut p = Planner { model, used: BTreeSet::new(), plans: Vec::new() };
    for &(name, expected) in FIXED_SCALARS {
        if let Some(var) = model.variables.get(name) {
            if var.scalar != Some(expected) {
                return Err(ConvertError::Unsupported {
                    name: name.to_owned(),
                    reason: format!("whisper.cpp needs {expected}, the model has {:?}", var.scalar),
                });
            }
        }
    }
    let hp = p.hparams()?;
    let (d, n_mels) = (hp.n_audio_state, hp.n_mels);
    use OutType::{F16, F32};

    // Encoder, in the order of the PyTorch state dict that whisper.cpp's own converter walks.
    p.whole("encoder.positional_embedding", "encoder/position_encodings/encodings", &[hp.n_audio_ctx, d], F32)?;
    p.whole("encoder.conv1.weight", "encoder/conv1/weight", &[d, n_mels, 3], F16)?;
    p.reshaped("encoder.conv1.bias", "encoder/conv1/bias", &[d], &[d, 1])?;
    p.whole("encoder.conv2.weight", "encoder/conv2/weight", &[d, d, 3], F16)?;
    p.reshaped("encoder.conv2.bias", "encoder/conv2/bias", &[d], &[d, 1])?;
    for i in 0..hp.n_audio_layer {
        let (o, s) = (format!("encoder.blocks.{i}"), format!("encoder/layer_{i}"));
        p.self_attention(&o, &s, d)?;
        p.mlp(&o, &s, d)?;
    }
    p.norm("encoder.ln_post", "encoder/layer_norm", d)?;

    let d = hp.n_text_state;
    p.whole("decoder.positional_embedding", "decoder/position_encodings/encodings", &[hp.n_text_ctx, d], F32)?;
    p.whole("decoder.token_embedding.weight", "decoder/embeddings/weight", &[hp.n_vocab, d], F16)?;
    for i in 0..hp.n_text_layer {
        let (o, s) = (format!("decoder.blocks.{i}"), format!("decoder/layer_{i}"));
        p.self_attention(&o, &s, d)?;
        let (oc, sc) = (format!("{o}.cross_attn"), format!("{s}/attention"));
        p.linear(&format!("{oc}.query"), &format!("{sc}/linear_0"), d, d, (0, 1))?;
        // The fused [key; value] projection: keys have no bias in Whisper, so only the value
        // keeps its half of the bias.
        p.rows(&format!("{oc}.key.weight"), &format!("{sc}/linear_1/weight"), &[2 * d, d], 0, 2, F16)?;
        p.linear(&format!("{oc}.value"), &format!("{sc}/linear_1"), d, d, (1, 2))?;
        p.linear(&format!("{oc}.out"), &format!("{sc}/linear_2"), d, d, (0, 1))?;
        p.norm(&format!("{o}.cross_attn_ln"), &format!("{sc}/layer_norm"), d)?;
        p.mlp(&o, &s, d)?;
    }
    p.norm("decoder.ln", "decoder/layer_norm", d)?;

    for (name, var) in &model.variables {
        if !var.dims.is_empty() && !p.used.contains(name) {
            return Err(ConvertError::UnknownVariable { name: name.clone(), dims: var.dims.clone() });
        }
    }
    Ok((hp, p.plans))
}

struct Planner<'a> {
    model: &'a Ct2Model,
    used: BTreeSet<String>,
    plans: Vec<TensorPlan>,
}

impl Planner<'_> {
    fn var(&self, name: &str) -> Result<&Variable, ConvertError> {
        self.model.variables.get(name).ok_or_else(|| ConvertError::MissingVariable(name.to_owned()))
    }

    fn dims(&self, name: &str, rank: usize) -> Result<&[usize], ConvertError> {
        let var = self.var(name)?;
        if var.dims.len() != rank {
            return Err(ConvertError::Unsupported {
                name: name.to_owned(),
                reason: format!("expected rank {rank}, found shape {:?}", var.dims),
            });
        }
        Ok(&var.dims)
    }

    fn scalar(&self, name: &str) -> Result<usize, ConvertError> {
        let var = self.var(name)?;
        match var.scalar {
            Some(v) if v > 0 => Ok(v as usize),
            other => Err(ConvertError::Unsupported {
                name: name.to_owned(),
                reason: format!("expected a positive integer scalar, found {other:?}"),
            }),
        }
    }

    fn layers(&self, prefix: &str) -> usize {
        let numbers = self.model.variables.keys().filter_map(|name| {
            let rest = name.strip_prefix(prefix)?;
            rest.split('/').next()?.parse::<usize>().ok()
        });
        numbers.max().map_or(0, |n| n + 1)
    }

    fn hparams(&self) -> Result<Hparams, ConvertError> {
        let conv1 = self.dims("encoder/conv1/weight", 3)?;
        let (n_audio_state, n_mels) = (conv1[0], conv1[1]);
        let n_audio_ctx = self.dims("encoder/position_encodings/encodings", 2)?[0];
        let embeddings = self.dims("decoder/embeddings/weight", 2)?;
        let (n_vocab, n_text_state) = (embeddings[0], embeddings[1]);
        let n_text_ctx = self.dims("decoder/position_encodings/encodings", 2)?[0];
        let hp = Hparams {
            n_vocab,
            n_audio_ctx,
            n_audio_state,
            n_audio_head: self.scalar("encoder/num_heads")?,
            n_audio_layer: self.layers("encoder/layer_"),
            n_text_ctx,
            n_text_state,
            n_text_head: self.scalar("decoder/num_heads")?,
            n_text_layer: self.layers("decoder/layer_"),
            n_mels,
        };
        // whisper.cpp asserts the first and assumes the others.
        let fits = hp.n_audio_state == hp.n_text_state
            && [hp.n_vocab, hp.n_audio_ctx, hp.n_text_ctx, hp.n_mels, hp.n_audio_state].iter().all(|&n| n > 0)
            && hp.n_audio_state.is_multiple_of(hp.n_audio_head)
            && hp.n_text_state.is_multiple_of(hp.n_text_head)
            && hp.n_audio_layer > 0
            && hp.n_text_layer > 0;
        if !fits {
            return Err(ConvertError::Unsupported {
                name: "encoder/conv1/weight".to_owned(),
                reason: format!("these dimensions do not make a Whisper model: {hp:?}"),
            });
        }
        Ok(hp)
    }

    /// Rows `part` of `parts` of `source` (whose full shape must be `full`) as tensor `name`.
    fn rows(
        &mut self,
        name: &str,
        source: &str,
        full: &[usize],
        part: usize,
        parts: usize,
        out: OutType,
    ) -> Result<(), ConvertError> {
        let var = self.var(source)?;
        if var.dims != full {
            return Err(ConvertError::Shape {
                name: source.to_owned(),
                expected: full.to_vec(),
                actual: var.dims.clone(),
            });
        }
        if !var.dtype.is_float() {
            return Err(ConvertError::Unsupported {
                name: source.to_owned(),
                reason: format!("it is {:?}; only float16/float32 models convert (not quantized ones)", var.dtype),
            });
        }
        let rows = full[0] / parts;
        let mut dims = full.to_vec();
        dims[0] = rows;
        let source_bytes = var.len / parts as u64;
        self.used.insert(source.to_owned());
        self.plans.push(TensorPlan {
            name: name.to_owned(),
            source: source.to_owned(),
            first_row: part * rows,
            rows,
            dims,
            out,
            source_bytes,
        });
        Ok(())
    }

    fn whole(&mut self, name: &str, source: &str, dims: &[usize], out: OutType) -> Result<(), ConvertError> {
        self.rows(name, source, dims, 0, 1, out)
    }

    /// whisper.cpp adds conv biases to [n, 1] tensors; the data is the same.
    fn reshaped(&mut self, name: &str, source: &str, dims: &[usize], to: &[usize]) -> Result<(), ConvertError> {
        self.whole(name, source, dims, OutType::F32)?;
        if let Some(plan) = self.plans.last_mut() {
            plan.dims = to.to_vec();
        }
        Ok(())
    }

    /// `part` of `parts` of a linear layer with `out_dim` outputs per part.
    fn linear(
        &mut self,
        name: &str,
        source: &str,
        out_dim: usize,
        in_dim: usize,
        (part, parts): (usize, usize),
    ) -> Result<(), ConvertError> {
        let total = out_dim * parts;
        self.rows(&format!("{name}.weight"), &format!("{source}/weight"), &[total, in_dim], part, parts, OutType::F16)?;
        self.rows(&format!("{name}.bias"), &format!("{source}/bias"), &[total], part, parts, OutType::F32)
    }

    fn norm(&mut self, name: &str, source: &str, d: usize) -> Result<(), ConvertError> {
        self.whole(&format!("{name}.weight"), &format!("{source}/gamma"), &[d], OutType::F32)?;
        self.whole(&format!("{name}.bias"), &format!("{source}/beta"), &[d], OutType::F32)
    }

    /// The fused [query; key; value] projection, split in row thirds; the key has no bias.
    fn self_attention(&mut self, o: &str, s: &str, d: usize) -> Result<(), ConvertError> {
        let s = format!("{s}/self_attention");
        self.linear(&format!("{o}.attn.query"), &format!("{s}/linear_0"), d, d, (0, 3))?;
        self.rows(&format!("{o}.attn.key.weight"), &format!("{s}/linear_0/weight"), &[3 * d, d], 1, 3, OutType::F16)?;
        self.linear(&format!("{o}.attn.value"), &format!("{s}/linear_0"), d, d, (2, 3))?;
        self.linear(&format!("{o}.attn.out"), &format!("{s}/linear_1"), d, d, (0, 1))?;
        self.norm(&format!("{o}.attn_ln"), &format!("{s}/layer_norm"), d)
    }

    /// whisper.cpp hard-codes the feed-forward width to 4 × the state.
    fn mlp(&mut self, o: &str, s: &str, d: usize) -> Result<(), ConvertError> {
        self.linear(&format!("{o}.mlp.0"), &format!("{s}/ffn/linear_0"), 4 * d, d, (0, 1))?;
        self.linear(&format!("{o}.mlp.2"), &format!("{s}/ffn/linear_1"), d, 4 * d, (0, 1))?;
        self.norm(&format!("{o}.mlp_ln"), &format!("{s}/ffn/layer_norm"), d)
    }
}
