//! Finds the real model files the way the server does: the manifest's selected model for a
//! role, verified in the local cache (`COAGENT_MODELS_DIR` or `~/.cache/coagent/models`).

use coagent_models::{InstalledModel, Manifest, ModelCache, Role};

/// The installed model for `role`, or a panic saying how to install it.
pub fn installed(role: Role) -> InstalledModel {
    let manifest = Manifest::embedded();
    let spec = match manifest.selected(role) {
        Ok(spec) => spec,
        Err(error) => panic!("no {role:?} model selected: {error}"),
    };
    match ModelCache::from_env().installed(spec) {
        Ok(model) => model,
        Err(error) => panic!("{error}\n(run `coagent models fetch` to install the models)"),
    }
}
