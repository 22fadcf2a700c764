//! Writes whisper.cpp's ggml model file: magic, hyper-parameters, mel filters, vocabulary, then
//! the tensors (see `whisper_model_load` in whisper.cpp for the reader).

use std::io::Write;
use std::path::Path;

use half::{bf16, f16};

use super::ctranslate2::{Ct2Model, DType};
use super::layout::{Hparams, OutType, TensorPlan};
use super::ConvertError;
use crate::progress::Progress;

const GGML_MAGIC: i32 = 0x6767_6d6c;
/// `ftype` 1: the big matrices are f16 (the small ones are f32 regardless).
const FTYPE_F16: i32 = 1;

pub(crate) struct Header<'a> {
    pub hparams: &'a Hparams,
    /// n_mels rows of `filters.len() / n_mels` frequency bins.
    pub filters: &'a [f32],
    pub tokens: &'a [Vec<u8>],
    /// Only for error messages.
    pub out_path: &'a Path,
}

pub(crate) fn write(
    w: &mut impl Write,
    header: &Header<'_>,
    plans: &[TensorPlan],
    model: &mut Ct2Model,
    progress: &dyn Progress,
) -> Result<(), ConvertError> {
    let hp = header.hparams;
    let mut out = Out { w, path: header.out_path };
    out.i32(GGML_MAGIC)?;
    for (name, value) in [
        ("n_vocab", hp.n_vocab),
        ("n_audio_ctx", hp.n_audio_ctx),
        ("n_audio_state", hp.n_audio_state),
        ("n_audio_head", hp.n_audio_head),
        ("n_audio_layer", hp.n_audio_layer),
        ("n_text_ctx", hp.n_text_ctx),
        ("n_text_state", hp.n_text_state),
        ("n_text_head", hp.n_text_head),
        ("n_text_layer", hp.n_text_layer),
        ("n_mels", hp.n_mels),
    ] {
        out.i32(to_i32(name, value)?)?;
    }
    out.i32(FTYPE_F16)?;

    let bins = header.filters.len() / hp.n_mels.max(1);
    out.i32(to_i32("n_mels", hp.n_mels)?)?;
    out.i32(to_i32("mel bins", bins)?)?;
    for v in header.filters {
        out.bytes(&v.to_le_bytes())?;
    }

    out.i32(to_i32("vocabulary size", header.tokens.len())?)?;
    for token in header.tokens {
        out.i32(to_i32("token length", token.len())?)?;
        out.bytes(token)?;
    }

    for plan in plans {
        let (raw, dtype) = model.read_rows(&plan.source, plan.first_row, plan.rows)?;
        let data = encode(&raw, dtype, plan.out, &plan.source)?;
        out.i32(to_i32(&plan.name, plan.dims.len())?)?;
        out.i32(to_i32(&plan.name, plan.name.len())?)?;
        out.i32(match plan.out {
            OutType::F32 => 0,
            OutType::F16 => 1,
        })?;
        for &d in plan.dims.iter().rev() {
            out.i32(to_i32(&plan.name, d)?)?;
        }
        out.bytes(plan.name.as_bytes())?;
        out.bytes(&data)?;
        progress.advance(plan.source_bytes);
    }
    Ok(())
}

fn to_i32(what: &str, value: usize) -> Result<i32, ConvertError> {
    i32::try_from(value).map_err(|_| ConvertError::Unsupported {
        name: what.to_owned(),
        reason: format!("{value} does not fit the ggml header's 32-bit fields"),
    })
}

/// Re-encodes little-endian floats; f16 → f16 and f32 → f32 are copies, so the conversion of
/// an f16 model is lossless.
fn encode(raw: &[u8], from: DType, to: OutType, name: &str) -> Result<Vec<u8>, ConvertError> {
    let as_f32: Box<dyn Iterator<Item = f32> + '_> = match (from, to) {
        (DType::F16, OutType::F16) | (DType::F32, OutType::F32) => return Ok(raw.to_vec()),
        (DType::F16, _) => Box::new(raw.chunks_exact(2).map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32())),
        (DType::Bf16, _) => Box::new(raw.chunks_exact(2).map(|b| bf16::from_le_bytes([b[0], b[1]]).to_f32())),
        (DType::F32, _) => Box::new(raw.chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
        (other, _) => {
            return Err(ConvertError::Unsupported {
                name: name.to_owned(),
                reason: format!("data type {other:?} is not a float"),
            })
        }
    };
    Ok(match to {
        OutType::F32 => as_f32.flat_map(f32::to_le_bytes).collect(),
        OutType::F16 => as_f32.flat_map(|v| f16::from_f32(v).to_le_bytes()).collect(),
    })
}

struct Out<'w, W: Write> {
    w: &'w mut W,
    path: &'w Path,
}

impl<W: Write> Out<'_, W> {
    fn bytes(&mut self, b: &[u8]) -> Result<(), ConvertError> {
        self.w.write_all(b).map_err(|source| ConvertError::Io {
            action: "write the converted model",
            path: self.path.to_path_buf(),
            source,
        })
    }

    fn i32(&mut self, v: i32) -> Result<(), ConvertError> {
        self.bytes(&v.to_le_bytes())
    }
}
