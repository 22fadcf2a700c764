//! Small CTranslate2 Whisper files built in tests: the real layout with tiny dimensions, which
//! each test can then break in one precise way.

use half::f16;

/// State size, heads, context lengths, vocabulary and mel bands of the synthetic model.
pub(crate) const D: usize = 8;
pub(crate) const HEADS: i16 = 2;
pub(crate) const AUDIO_CTX: usize = 10;
pub(crate) const TEXT_CTX: usize = 5;
pub(crate) const N_VOCAB: usize = 6;
pub(crate) const N_MELS: usize = 80;

#[derive(Clone)]
pub(crate) struct Var {
    pub name: String,
    pub dims: Vec<usize>,
    pub dtype: u8,
    pub data: Vec<u8>,
}

#[derive(Clone)]
pub(crate) struct Ct2File {
    pub version: u32,
    pub spec: String,
    pub vars: Vec<Var>,
    pub aliases: Vec<(String, String)>,
}

impl Ct2File {
    /// A complete one-layer Whisper with every variable the real tiny.en has.
    pub(crate) fn whisper() -> Self {
        let mut f = Self {
            version: 6,
            spec: "WhisperSpec".into(),
            vars: Vec::new(),
            aliases: vec![("decoder/projection/weight".into(), "decoder/embeddings/weight".into())],
        };
        for (name, value) in [("decoder/activation", 3i8), ("decoder/alibi", 0), ("decoder/pre_norm", 1)] {
            f.push(name, &[], 1, vec![value as u8]);
        }
        f.push("decoder/num_heads", &[], 2, HEADS.to_le_bytes().to_vec());
        f.push("encoder/num_heads", &[], 2, HEADS.to_le_bytes().to_vec());
        f.tensor("encoder/conv1/weight", &[D, N_MELS, 3]);
        f.tensor("encoder/conv1/bias", &[D]);
        f.tensor("encoder/conv2/weight", &[D, D, 3]);
        f.tensor("encoder/conv2/bias", &[D]);
        f.tensor("encoder/position_encodings/encodings", &[AUDIO_CTX, D]);
        f.layer("encoder/layer_0", false);
        f.norm("encoder/layer_norm");
        f.tensor("decoder/embeddings/weight", &[N_VOCAB, D]);
        f.tensor("decoder/position_encodings/encodings", &[TEXT_CTX, D]);
        f.layer("decoder/layer_0", true);
        f.norm("decoder/layer_norm");
        f
    }

    pub(crate) fn push(&mut self, name: &str, dims: &[usize], dtype: u8, data: Vec<u8>) {
        self.vars.push(Var { name: name.into(), dims: dims.to_vec(), dtype, data });
    }

    /// An f16 tensor whose values encode their position, so slices can be traced in the output.
    pub(crate) fn tensor(&mut self, name: &str, dims: &[usize]) {
        let n: usize = dims.iter().product();
        let seed = self.vars.len() as f32;
        let data = (0..n).flat_map(|i| f16::from_f32(seed + i as f32 / 1024.0).to_le_bytes()).collect();
        self.push(name, dims, 4, data);
    }

    fn norm(&mut self, prefix: &str) {
        self.tensor(&format!("{prefix}/gamma"), &[D]);
        self.tensor(&format!("{prefix}/beta"), &[D]);
    }

    fn linear(&mut self, prefix: &str, out: usize, inp: usize) {
        self.tensor(&format!("{prefix}/weight"), &[out, inp]);
        self.tensor(&format!("{prefix}/bias"), &[out]);
    }

    fn layer(&mut self, prefix: &str, cross: bool) {
        self.linear(&format!("{prefix}/self_attention/linear_0"), 3 * D, D);
        self.linear(&format!("{prefix}/self_attention/linear_1"), D, D);
        self.norm(&format!("{prefix}/self_attention/layer_norm"));
        if cross {
            self.linear(&format!("{prefix}/attention/linear_0"), D, D);
            self.linear(&format!("{prefix}/attention/linear_1"), 2 * D, D);
            self.linear(&format!("{prefix}/attention/linear_2"), D, D);
            self.norm(&format!("{prefix}/attention/layer_norm"));
        }
        self.linear(&format!("{prefix}/ffn/linear_0"), 4 * D, D);
        self.linear(&format!("{prefix}/ffn/linear_1"), D, 4 * D);
        self.norm(&format!("{prefix}/ffn/layer_norm"));
    }

    pub(crate) fn var_mut(&mut self, name: &str) -> &mut Var {
        match self.vars.iter_mut().find(|v| v.name == name) {
            Some(v) => v,
            None => panic!("the synthetic model has no `{name}`"),
        }
    }

    pub(crate) fn bytes(&self) -> Vec<u8> {
        let mut out = Vec::new();
        let string = |out: &mut Vec<u8>, s: &str| {
            out.extend_from_slice(&(s.len() as u16 + 1).to_le_bytes());
            out.extend_from_slice(s.as_bytes());
            out.push(0);
        };
        out.extend_from_slice(&self.version.to_le_bytes());
        string(&mut out, &self.spec);
        out.extend_from_slice(&3u32.to_le_bytes());
        out.extend_from_slice(&(self.vars.len() as u32).to_le_bytes());
        for v in &self.vars {
            string(&mut out, &v.name);
            out.push(v.dims.len() as u8);
            for &d in &v.dims {
                out.extend_from_slice(&(d as u32).to_le_bytes());
            }
            out.push(v.dtype);
            out.extend_from_slice(&(v.data.len() as u32).to_le_bytes());
            out.extend_from_slice(&v.data);
        }
        out.extend_from_slice(&(self.aliases.len() as u32).to_le_bytes());
        for (alias, target) in &self.aliases {
            string(&mut out, alias);
            string(&mut out, target);
        }
        out
    }
}

/// A tokenizer.json with four byte-level tokens before `<|endoftext|>` (id 4).
pub(crate) fn tokenizer_json() -> String {
    r#"{"added_tokens":[{"id":4,"content":"<|endoftext|>"},{"id":5,"content":"<|startoftranscript|>"}],
        "model":{"type":"BPE","vocab":{"a":0,"b":1,"Ġc":2,"Ċ":3,"<|endoftext|>":4}}}"#
        .to_owned()
}
