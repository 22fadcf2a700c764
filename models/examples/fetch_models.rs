//! Fetches models into the cache by hand, as `coagent models fetch` will:
//! `cargo run -p coagent-models --example fetch_models -- [MODEL_ID...]` (default: the selected
//! model of every role). Honours COAGENT_MODELS_DIR and the model selection settings.

use std::process::ExitCode;

use coagent_models::{Bars, Manifest, ModelCache};

fn main() -> ExitCode {
    let manifest = match Manifest::load() {
        Ok(m) => m,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let ids: Vec<String> = std::env::args().skip(1).collect();
    let specs = if ids.is_empty() {
        manifest.selected_all()
    } else {
        ids.iter()
            .map(|id| {
                manifest.model(id).ok_or_else(|| coagent_models::ModelError::Manifest(format!("no model `{id}`")))
            })
            .collect()
    };
    let specs = match specs {
        Ok(s) => s,
        Err(e) => {
            eprintln!("error: {e}");
            return ExitCode::FAILURE;
        }
    };
    let cache = ModelCache::from_env();
    let bars = Bars::new();
    let mut ok = true;
    for spec in specs {
        match cache.fetch(spec, &bars) {
            Ok(outcome) => println!("{}: {outcome:?}", spec.id),
            Err(e) => {
                eprintln!("error: {e}");
                ok = false;
            }
        }
    }
    if ok {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    }
}
