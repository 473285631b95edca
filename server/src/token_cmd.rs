//! `daylight token add|list|remove`: the tokens of the HTTP push API
//! (`POST /api/v1/ingest/readings`), one per named source.

use std::collections::BTreeSet;

use anyhow::{bail, Context};
use chrono::{FixedOffset, Offset, SubsecRound, Utc};
use daylight_domain::station::StationCode;
use daylight_store::{IngestSecret, IngestToken, SourceName, StationScope, Store, StoreError};

use crate::cli::{TokenAddArgs, TokenCommand};

pub async fn run(
    store: &dyn Store,
    command: TokenCommand,
    utc_offset_minutes: i32,
) -> anyhow::Result<()> {
    match command {
        TokenCommand::Add(args) => add(store, args).await,
        TokenCommand::List => list(store, utc_offset_minutes).await,
        TokenCommand::Remove { name } => {
            let name = SourceName::parse(&name)?;
            if !store.remove_ingest_token(&name).await? {
                bail!("no token named '{name}' exists (see daylight token list)");
            }
            println!("token '{name}' removed: it is refused from now on");
            Ok(())
        }
    }
}

async fn add(store: &dyn Store, args: TokenAddArgs) -> anyhow::Result<()> {
    let name = SourceName::parse(&args.name)?;
    let stations = args
        .stations
        .iter()
        .map(|raw| {
            StationCode::parse(raw)
                .map_err(|e| anyhow::anyhow!("invalid station code '{raw}': {e}"))
        })
        .collect::<anyhow::Result<BTreeSet<_>>>()?;
    let scope = if stations.is_empty() {
        StationScope::All
    } else {
        StationScope::Only(stations)
    };
    let token = IngestToken {
        name,
        scope,
        // The store keeps seconds; a listing then shows exactly what was issued.
        created: Utc::now().trunc_subsecs(0),
    };
    let secret = IngestSecret::generate()?;
    match store.add_ingest_token(&token, &secret.hash()).await {
        Ok(()) => {}
        Err(StoreError::UnknownStation(code)) => {
            bail!("unknown station '{code}': import it first (daylight import stations FILE)")
        }
        Err(StoreError::TokenNameTaken(name)) => bail!(
            "a token named '{name}' already exists: to replace it, add one under a new name, \
             switch the source over, then remove the old one"
        ),
        Err(error) => {
            return Err(error).with_context(|| format!("cannot add token '{}'", token.name))
        }
    }
    println!(
        "token '{}' added for {}:",
        token.name,
        describe_scope(&token.scope)
    );
    println!("{}", secret.expose());
    println!(
        "It cannot be shown again (Daylight keeps only its hash): give it to the source now, \
         as the header Authorization: Bearer <token>."
    );
    Ok(())
}

async fn list(store: &dyn Store, utc_offset_minutes: i32) -> anyhow::Result<()> {
    let tokens = store.ingest_tokens().await?;
    if tokens.is_empty() {
        println!("no tokens");
        return Ok(());
    }
    let zone =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    let width = tokens
        .iter()
        .map(|t| t.name.as_str().len())
        .max()
        .unwrap_or(0)
        .max("name".len());
    // Neither the token nor its hash: listings end up in terminals and tickets.
    println!("{:<width$}  {:<25}  stations", "name", "created");
    for token in tokens {
        println!(
            "{:<width$}  {:<25}  {}",
            token.name.as_str(),
            token.created.with_timezone(&zone).to_rfc3339(),
            describe_scope(&token.scope)
        );
    }
    Ok(())
}

fn describe_scope(scope: &StationScope) -> String {
    match scope {
        StationScope::All => "all stations".into(),
        StationScope::Only(stations) if stations.is_empty() => "no station".into(),
        StationScope::Only(stations) => {
            let codes: Vec<&str> = stations.iter().map(StationCode::as_str).collect();
            format!("stations {}", codes.join(", "))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_read_as_english() {
        let only = |codes: &[&str]| {
            StationScope::Only(
                codes
                    .iter()
                    .map(|c| StationCode::parse(c).unwrap())
                    .collect(),
            )
        };
        assert_eq!(describe_scope(&StationScope::All), "all stations");
        assert_eq!(describe_scope(&only(&[])), "no station");
        assert_eq!(
            describe_scope(&only(&["1463A", "1462A"])),
            "stations 1462A, 1463A"
        );
    }
}
