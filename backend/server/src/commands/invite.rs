//! `coagent invite`: creates a single-use, expiring invite in the server's database and
//! prints its link (or `{"code","link"}` with `--json`). The code exists only in this output.

use std::time::Duration;

use anyhow::{Context as _, Result};
use coagent_store::{Role, Store};

use crate::cli::{InviteArgs, InviteRole};
use crate::settings::Settings;

pub fn run(args: &InviteArgs) -> Result<()> {
    let settings = Settings::from_env()?;
    settings.prepare_data_dir()?;
    let name = args.name.trim();
    anyhow::ensure!(!name.is_empty(), "--name must not be empty");
    let role = match args.role {
        InviteRole::Manager => Role::Manager,
        InviteRole::Concierge => Role::Concierge,
    };
    let ttl = Duration::from_secs(args.valid_hours * 3600);
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    let code = runtime.block_on(async {
        let store = match &settings.database_url {
            Some(url) => Store::connect(url.expose()).await,
            None => Store::sqlite_in(&settings.data_dir).await,
        }
        .context("cannot open the database (check COAGENT_DATA_DIR or DATABASE_URL)")?;
        let (code, _) = store.create_invite(role, name, ttl).await.context("the invite was not created")?;
        store.close().await;
        anyhow::Ok(code)
    })?;
    let link = coagent_api::invite_link(&settings.public_url, &code);
    if args.json {
        println!("{}", serde_json::json!({ "code": code.expose(), "link": link }));
    } else {
        println!("Invite for {name} ({}), single use, valid {} hours:\n{link}", role.as_str(), args.valid_hours);
    }
    Ok(())
}
