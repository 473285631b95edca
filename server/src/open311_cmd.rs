//! `daylight open311 key add|list|remove`: the API keys of the Open311 interface
//! (`/open311/v2/`, docs/open311.md), one per client. Only creating a request needs one;
//! reading is public.

use anyhow::{bail, Context};
use chrono::{FixedOffset, Offset, SubsecRound, Utc};
use daylight_store::{IngestSecret, SourceName, Store};

use crate::cli::Open311KeyCommand;

pub async fn run(
    store: &dyn Store,
    command: Open311KeyCommand,
    utc_offset_minutes: i32,
) -> anyhow::Result<()> {
    match command {
        Open311KeyCommand::Add { name } => add(store, &name).await,
        Open311KeyCommand::List => list(store, utc_offset_minutes).await,
        Open311KeyCommand::Remove { name } => {
            let name = SourceName::parse(&name)?;
            if !store.remove_open311_key(&name).await? {
                bail!("no Open311 key named '{name}' exists (see daylight open311 key list)");
            }
            println!("Open311 key '{name}' removed: its requests are refused from now on");
            Ok(())
        }
    }
}

async fn add(store: &dyn Store, name: &str) -> anyhow::Result<()> {
    let name = SourceName::parse(name)?;
    // The same kind of secret as a push token (256 random bits, shown once, kept as its
    // SHA-256), in a table of its own.
    let secret = IngestSecret::generate()?;
    // The store keeps seconds; a listing then shows exactly what was issued.
    let created = Utc::now().trunc_subsecs(0);
    let added = store
        .add_open311_key(&name, &secret.hash(), created)
        .await
        .with_context(|| format!("cannot add Open311 key '{name}'"))?;
    if !added {
        bail!(
            "an Open311 key named '{name}' already exists: to replace it, add one under a new \
             name, give it to the client, then remove the old one"
        );
    }
    println!("Open311 key '{name}' added:");
    println!("{}", secret.expose());
    println!(
        "It cannot be shown again (Daylight keeps only its hash): give it to the client now, \
         to send as the api_key parameter of POST /open311/v2/requests.json (or .xml)."
    );
    Ok(())
}

async fn list(store: &dyn Store, utc_offset_minutes: i32) -> anyhow::Result<()> {
    let keys = store.open311_keys().await?;
    if keys.is_empty() {
        println!("no Open311 keys");
        return Ok(());
    }
    let zone =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    let width = keys
        .iter()
        .map(|k| k.name.as_str().len())
        .max()
        .unwrap_or(0)
        .max("name".len());
    // Neither the key nor its hash: listings end up in terminals and tickets.
    println!("{:<width$}  created", "name");
    for key in keys {
        println!(
            "{:<width$}  {}",
            key.name.as_str(),
            key.created.with_timezone(&zone).to_rfc3339()
        );
    }
    Ok(())
}
