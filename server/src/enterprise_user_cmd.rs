//! `daylight enterprise-user add|list|remove`: the accounts of enterprises (`/account`).

use anyhow::{bail, Context};
use chrono::{FixedOffset, Offset, SubsecRound, Utc};
use daylight_domain::enterprise::CreditCode;
use daylight_store::{valid_username, Store, StoreError};

use crate::admin::password;
use crate::admin_cmd::{read_password, MIN_PASSWORD};
use crate::cli::{EnterpriseUserAddArgs, EnterpriseUserCommand};

/// Longest display name, in characters.
const MAX_DISPLAY_NAME: usize = 64;

pub async fn run(
    store: &dyn Store,
    command: EnterpriseUserCommand,
    utc_offset_minutes: i32,
) -> anyhow::Result<()> {
    match command {
        EnterpriseUserCommand::Add(args) => add(store, args).await,
        EnterpriseUserCommand::List => list(store, utc_offset_minutes).await,
        EnterpriseUserCommand::Remove { username } => {
            if !store.remove_enterprise_user(&username).await? {
                bail!("no enterprise account named '{username}' exists (see daylight enterprise-user list)");
            }
            println!("enterprise account '{username}' removed; its sessions have ended");
            Ok(())
        }
    }
}

async fn add(store: &dyn Store, args: EnterpriseUserAddArgs) -> anyhow::Result<()> {
    if !valid_username(&args.username) {
        bail!(
            "invalid user name '{}': 1–64 characters of a-z, 0-9, '.', '_' and '-'",
            args.username
        );
    }
    let enterprise = CreditCode::parse(args.enterprise.trim()).map_err(|e| {
        anyhow::anyhow!(
            "'{}' is not a unified social credit code: {e}",
            args.enterprise
        )
    })?;
    let display_name: String = args
        .display_name
        .unwrap_or_default()
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_owned();
    if display_name.chars().count() > MAX_DISPLAY_NAME {
        bail!("the display name may have at most {MAX_DISPLAY_NAME} characters");
    }
    if store.enterprise(&enterprise).await?.is_none() {
        bail!(
            "unknown enterprise '{enterprise}': import it first (daylight import enterprises FILE)"
        );
    }
    let pw = read_password(args.password_stdin)?;
    if pw.chars().count() < MIN_PASSWORD {
        bail!("the password must have at least {MIN_PASSWORD} characters");
    }
    let hash = tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .context("password hashing failed")??;
    match store
        .add_enterprise_user(
            &args.username,
            &enterprise,
            &display_name,
            &hash,
            Utc::now().trunc_subsecs(0),
        )
        .await
    {
        Ok(true) => {}
        Ok(false) => bail!(
            "an enterprise account named '{}' already exists",
            args.username
        ),
        Err(StoreError::UnknownEnterprise(code)) => bail!("unknown enterprise '{code}'"),
        Err(error) => return Err(error.into()),
    }
    println!(
        "enterprise account '{}' added for {enterprise}",
        args.username
    );
    Ok(())
}

async fn list(store: &dyn Store, utc_offset_minutes: i32) -> anyhow::Result<()> {
    let users = store.enterprise_users().await?;
    if users.is_empty() {
        println!("no enterprise accounts");
        return Ok(());
    }
    let zone =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    let width = users
        .iter()
        .map(|u| u.username.len())
        .max()
        .unwrap_or(0)
        .max("username".len());
    println!(
        "{:<width$}  {:<18}  {:<25}  display name",
        "username", "enterprise", "created"
    );
    for user in users {
        println!(
            "{:<width$}  {:<18}  {:<25}  {}",
            user.username,
            user.enterprise.as_str(),
            user.created.with_timezone(&zone).to_rfc3339(),
            user.display_name
        );
    }
    Ok(())
}
