//! Reads the variable index of a CTranslate2 `model.bin` (format version 6) without loading the
//! weights: a model can be larger than we want in memory at once, and whisper.cpp wants the
//! tensors in a different order anyway, so data is read per tensor when it is written.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::{Path, PathBuf};

use super::ConvertError;

/// CTranslate2's `DataType` codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DType {
    F32,
    I8,
    I16,
    I32,
    F16,
    Bf16,
}

impl DType {
    fn from_code(code: u8) -> Option<Self> {
        Some(match code {
            0 => Self::F32,
            1 => Self::I8,
            2 => Self::I16,
            3 => Self::I32,
            4 => Self::F16,
            5 => Self::Bf16,
            _ => return None,
        })
    }

    pub(crate) fn size(self) -> u64 {
        match self {
            Self::I8 => 1,
            Self::I16 | Self::F16 | Self::Bf16 => 2,
            Self::F32 | Self::I32 => 4,
        }
    }

    pub(crate) fn is_float(self) -> bool {
        matches!(self, Self::F32 | Self::F16 | Self::Bf16)
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Variable {
    pub dims: Vec<usize>,
    pub dtype: DType,
    /// Where the raw data starts in the file.
    pub offset: u64,
    pub len: u64,
    /// The value of a rank-0 integer variable (flags and head counts).
    pub scalar: Option<i64>,
}

pub(crate) struct Ct2Model {
    path: PathBuf,
    file: File,
    pub variables: BTreeMap<String, Variable>,
}

/// A rank no real model comes near: it stops a corrupt header from asking for absurd allocations
/// (strings are bounded by their u16 length, data by the file length).
const MAX_RANK: u8 = 8;

impl Ct2Model {
    pub(crate) fn open(path: &Path) -> Result<Self, ConvertError> {
        let io = |source| ConvertError::Io { action: "read", path: path.to_path_buf(), source };
        let file = File::open(path).map_err(io)?;
        let len = file.metadata().map_err(io)?.len();
        let mut r =
            Header { inner: BufReader::with_capacity(1 << 16, file.try_clone().map_err(io)?), offset: 0, len, path };
        let version = r.u32("the format version")?;
        if version != 6 {
            return Err(ConvertError::Version(version));
        }
        let spec = r.string("the spec name")?;
        if spec != "WhisperSpec" {
            return Err(ConvertError::Spec(spec));
        }
        let _revision = r.u32("the spec revision")?;
        let count = r.u32("the variable count")?;
        let mut variables = BTreeMap::new();
        for _ in 0..count {
            let (name, var) = r.variable()?;
            if variables.insert(name.clone(), var).is_some() {
                return Err(r.corrupt(format!("variable `{name}` appears twice")));
            }
        }
        // Aliases only name tied weights (decoder/projection -> decoder/embeddings); whisper.cpp
        // ties them itself, so they are checked for consistency and otherwise ignored.
        let aliases = r.u32("the alias count")?;
        for _ in 0..aliases {
            let alias = r.string("an alias name")?;
            let target = r.string("an alias target")?;
            if !variables.contains_key(&target) {
                return Err(r.corrupt(format!("alias `{alias}` points to missing `{target}`")));
            }
        }
        if r.offset != len {
            return Err(r.corrupt(format!("{} unexpected bytes after the alias table", len - r.offset)));
        }
        Ok(Self { path: path.to_path_buf(), file, variables })
    }

    /// Raw little-endian data of `count` rows of `var` starting at row `start` (rows are the
    /// outermost dimension).
    pub(crate) fn read_rows(
        &mut self,
        name: &str,
        start: usize,
        count: usize,
    ) -> Result<(Vec<u8>, DType), ConvertError> {
        let var = self.variables.get(name).ok_or_else(|| ConvertError::MissingVariable(name.to_owned()))?;
        let rows = var.dims.first().copied().unwrap_or(1).max(1) as u64;
        let row_bytes = var.len / rows;
        let offset = var.offset + start as u64 * row_bytes;
        let len = count as u64 * row_bytes;
        let dtype = var.dtype;
        let mut buf = vec![0u8; len as usize];
        let io = |source| ConvertError::Io { action: "read", path: self.path.clone(), source };
        self.file.seek(SeekFrom::Start(offset)).map_err(io)?;
        self.file.read_exact(&mut buf).map_err(io)?;
        Ok((buf, dtype))
    }
}

struct Header<'a> {
    inner: BufReader<File>,
    offset: u64,
    len: u64,
    path: &'a Path,
}

impl Header<'_> {
    fn corrupt(&self, message: String) -> ConvertError {
        ConvertError::Corrupt { offset: self.offset, message }
    }

    /// Fails with the offset before reading past the end, so truncation is never an EOF error.
    fn check(&self, needed: u64, what: &str) -> Result<(), ConvertError> {
        match self.offset.checked_add(needed) {
            Some(end) if end <= self.len => Ok(()),
            _ => Err(ConvertError::Truncated { what: what.to_owned(), offset: self.offset, needed, len: self.len }),
        }
    }

    fn bytes(&mut self, n: usize, what: &str) -> Result<Vec<u8>, ConvertError> {
        self.check(n as u64, what)?;
        let mut buf = vec![0u8; n];
        self.inner.read_exact(&mut buf).map_err(|source| ConvertError::Io {
            action: "read",
            path: self.path.to_path_buf(),
            source,
        })?;
        self.offset += n as u64;
        Ok(buf)
    }

    fn skip(&mut self, n: u64, what: &str) -> Result<(), ConvertError> {
        self.check(n, what)?;
        let io = |source| ConvertError::Io { action: "read", path: self.path.to_path_buf(), source };
        let delta = i64::try_from(n).map_err(|e| io(std::io::Error::other(e)))?;
        self.inner.seek_relative(delta).map_err(io)?;
        self.offset += n;
        Ok(())
    }

    fn u8(&mut self, what: &str) -> Result<u8, ConvertError> {
        Ok(self.bytes(1, what)?[0])
    }

    fn u16(&mut self, what: &str) -> Result<u16, ConvertError> {
        let b = self.bytes(2, what)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }

    fn u32(&mut self, what: &str) -> Result<u32, ConvertError> {
        let b = self.bytes(4, what)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// A u16 length, then that many bytes ending in a NUL.
    fn string(&mut self, what: &str) -> Result<String, ConvertError> {
        let n = self.u16(what)?;
        let start = self.offset;
        let mut bytes = self.bytes(usize::from(n), what)?;
        if bytes.pop() != Some(0) {
            return Err(ConvertError::Corrupt { offset: start, message: format!("{what} is not NUL-terminated") });
        }
        String::from_utf8(bytes)
            .map_err(|_| ConvertError::Corrupt { offset: start, message: format!("{what} is not UTF-8") })
    }

    fn variable(&mut self) -> Result<(String, Variable), ConvertError> {
        let name = self.string("a variable name")?;
        let what = format!("variable `{name}`");
        let rank = self.u8(&what)?;
        if rank > MAX_RANK {
            return Err(self.corrupt(format!("{what} has rank {rank}")));
        }
        let mut dims = Vec::with_capacity(usize::from(rank));
        for _ in 0..rank {
            dims.push(self.u32(&what)? as usize);
        }
        let code = self.u8(&what)?;
        let dtype =
            DType::from_code(code).ok_or_else(|| self.corrupt(format!("{what} has unknown data type {code}")))?;
        let len = u64::from(self.u32(&what)?);
        let expected = dims.iter().try_fold(dtype.size(), |acc, &d| acc.checked_mul(d as u64));
        if expected != Some(len) {
            return Err(self.corrupt(format!("{what} declares {len} bytes for shape {dims:?} of {dtype:?}")));
        }
        let offset = self.offset;
        let scalar = if rank == 0 {
            let b = self.bytes(len as usize, &what)?;
            match dtype {
                DType::I8 => Some(i64::from(b[0] as i8)),
                DType::I16 => Some(i64::from(i16::from_le_bytes([b[0], b[1]]))),
                DType::I32 => Some(i64::from(i32::from_le_bytes([b[0], b[1], b[2], b[3]]))),
                _ => None,
            }
        } else {
            self.skip(len, &format!("the data of {what}"))?;
            None
        };
        let var = Variable { dims, dtype, offset, len, scalar };
        Ok((name, var))
    }
}
