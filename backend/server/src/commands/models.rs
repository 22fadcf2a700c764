use anyhow::{bail, Result};
use coagent_models::{Bars, FetchOutcome, Manifest, ModelSpec, Role};

use crate::{
    cli::{ModelSettings, ModelsCommand},
    engines::model_cache,
};

pub fn run(settings: &ModelSettings, command: ModelsCommand) -> Result<()> {
    let manifest = Manifest::load()?;
    match command {
        ModelsCommand::Fetch { models, all } => fetch(settings, &manifest, &models, all),
        ModelsCommand::List => list(settings, &manifest),
    }
}

fn fetch(settings: &ModelSettings, manifest: &Manifest, ids: &[String], all: bool) -> Result<()> {
    let specs: Vec<&ModelSpec> = if all {
        manifest.models().iter().collect()
    } else if ids.is_empty() {
        Role::ALL.iter().map(|role| manifest.selected(*role)).collect::<Result<_, _>>()?
    } else {
        ids.iter()
            .map(|id| match manifest.model(id) {
                Some(spec) => Ok(spec),
                None => bail!("there is no model `{id}` in the manifest; `coagent models list` shows them"),
            })
            .collect::<Result<_>>()?
    };
    let cache = model_cache(settings);
    let progress = Bars::new();
    for spec in specs {
        match cache.fetch(spec, &progress)? {
            FetchOutcome::AlreadyPresent => {
                eprintln!("{}: already present and verified in {}", spec.id, cache.model_dir(spec).display())
            }
            FetchOutcome::Fetched { source } => {
                eprintln!("{}: installed from {source} into {}", spec.id, cache.model_dir(spec).display())
            }
        }
    }
    Ok(())
}

fn list(settings: &ModelSettings, manifest: &Manifest) -> Result<()> {
    let cache = model_cache(settings);
    println!("cache: {}", cache.root().display());
    for spec in manifest.models() {
        let selected = manifest.selected(spec.role).map(|s| s.id == spec.id).unwrap_or(false);
        let state = match cache.installed(spec) {
            Ok(_) => "installed".to_string(),
            Err(error) => format!("not installed ({error})"),
        };
        println!(
            "{marker} {id:<30} {role:<10} {size:>6} MB  {state}\n    {description}",
            marker = if selected { "*" } else { " " },
            id = spec.id,
            role = spec.role.as_str(),
            size = spec.size() / 1_000_000,
            description = spec.description,
        );
    }
    println!("(* = selected; choose others with COAGENT_WHISPER_MODEL, COAGENT_LLM_MODEL, COAGENT_EMBEDDING_MODEL)");
    Ok(())
}
