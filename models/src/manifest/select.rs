//! Which model a role uses: the default, unless a setting names another one.

use super::{Manifest, ModelSpec, Role};
use crate::error::ModelError;

impl Manifest {
    /// The model chosen for a role: `COAGENT_WHISPER_MODEL`, `COAGENT_LLM_MODEL` or
    /// `COAGENT_EMBEDDING_MODEL` if set (and not empty), else the role's default.
    pub fn selected(&self, role: Role) -> Result<&ModelSpec, ModelError> {
        let value = std::env::var(role.env_var()).ok();
        self.selected_by(role, value.as_deref())
    }

    /// [`Manifest::selected`] with the setting's value given, for callers that read settings
    /// from somewhere other than the environment.
    pub fn selected_by(&self, role: Role, id: Option<&str>) -> Result<&ModelSpec, ModelError> {
        let id = match id.map(str::trim) {
            None | Some("") => return Ok(self.default_for(role)),
            Some(id) => id,
        };
        self.models_for(role).find(|m| m.id == id).ok_or_else(|| ModelError::UnknownModel {
            var: role.env_var(),
            id: id.to_owned(),
            role,
            known: self.models_for(role).map(|m| m.id.clone()).collect(),
        })
    }

    /// The selected model of every role, in `Role::ALL` order.
    pub fn selected_all(&self) -> Result<Vec<&ModelSpec>, ModelError> {
        Role::ALL.into_iter().map(|role| self.selected(role)).collect()
    }
}
