//! `daylight admin add|list|remove` (the back office's accounts) and `daylight audit verify`
//! (the complaints' hash chain).

use std::io::{BufRead, IsTerminal, Write};

use anyhow::{bail, Context};
use chrono::{FixedOffset, Offset, SubsecRound, Utc};
use daylight_store::{valid_username, Role, Store};

use crate::admin::password;
use crate::cli::{AdminAddArgs, AdminCommand, AdminRole, AuditCommand};

/// Shortest password accepted.
pub(crate) const MIN_PASSWORD: usize = 10;

pub async fn run(
    store: &dyn Store,
    command: AdminCommand,
    utc_offset_minutes: i32,
) -> anyhow::Result<()> {
    match command {
        AdminCommand::Add(args) => add(store, args).await,
        AdminCommand::List => list(store, utc_offset_minutes).await,
        AdminCommand::Remove { username } => {
            if !store.remove_admin(&username).await? {
                bail!("no account named '{username}' exists (see daylight admin list)");
            }
            println!("account '{username}' removed; its sessions have ended");
            Ok(())
        }
    }
}

pub(crate) fn read_password(from_stdin: bool) -> anyhow::Result<String> {
    let stdin = std::io::stdin();
    let interactive = !from_stdin && stdin.is_terminal();
    if interactive {
        eprint!("password for the new account: ");
        std::io::stderr().flush().ok();
        // Best effort: no echo while typing.
        let _ = std::process::Command::new("stty").arg("-echo").status();
    }
    let mut line = String::new();
    let read = stdin.lock().read_line(&mut line);
    if interactive {
        let _ = std::process::Command::new("stty").arg("echo").status();
        eprintln!();
    }
    read.context("cannot read the password")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_owned())
}

async fn add(store: &dyn Store, args: AdminAddArgs) -> anyhow::Result<()> {
    if !valid_username(&args.username) {
        bail!(
            "invalid user name '{}': 1–64 characters of a-z, 0-9, '.', '_' and '-'",
            args.username
        );
    }
    let role = match (args.role, args.district) {
        (AdminRole::DistrictOfficer, Some(district)) => {
            let known = store.districts().await?;
            if !known.iter().any(|d| d.adcode == district) {
                bail!(
                    "unknown district '{district}': give the adcode of an imported district \
                     (daylight import districts FILE)"
                );
            }
            Role::DistrictOfficer { district }
        }
        (AdminRole::DistrictOfficer, None) => bail!("a district officer needs --district ADCODE"),
        (_, Some(_)) => bail!("--district is only for --role district-officer"),
        (AdminRole::CitySupervisor, None) => Role::CitySupervisor,
        (AdminRole::Admin, None) => Role::Admin,
    };
    let pw = read_password(args.password_stdin)?;
    if pw.chars().count() < MIN_PASSWORD {
        bail!("the password must have at least {MIN_PASSWORD} characters");
    }
    let hash = tokio::task::spawn_blocking(move || password::hash(&pw))
        .await
        .context("password hashing failed")??;
    if !store
        .add_admin(&args.username, &role, &hash, Utc::now().trunc_subsecs(0))
        .await?
    {
        bail!("an account named '{}' already exists", args.username);
    }
    println!("account '{}' added: {}", args.username, describe(&role));
    Ok(())
}

fn describe(role: &Role) -> String {
    match role {
        Role::DistrictOfficer { district } => format!("district officer of {district}"),
        Role::CitySupervisor => "city supervisor".into(),
        Role::Admin => "admin".into(),
    }
}

async fn list(store: &dyn Store, utc_offset_minutes: i32) -> anyhow::Result<()> {
    let admins = store.admins().await?;
    if admins.is_empty() {
        println!("no accounts");
        return Ok(());
    }
    let zone =
        FixedOffset::east_opt(utc_offset_minutes.saturating_mul(60)).unwrap_or_else(|| Utc.fix());
    let width = admins
        .iter()
        .map(|a| a.username.len())
        .max()
        .unwrap_or(0)
        .max("username".len());
    println!("{:<width$}  {:<25}  role", "username", "created");
    for admin in admins {
        println!(
            "{:<width$}  {:<25}  {}",
            admin.username,
            admin.created.with_timezone(&zone).to_rfc3339(),
            describe(&admin.role)
        );
    }
    Ok(())
}

pub async fn audit(store: &dyn Store, command: AuditCommand) -> anyhow::Result<()> {
    match command {
        AuditCommand::Verify => {
            let report = store.verify_audit_chain().await?;
            if let Some(broken) = report.broken {
                eprintln!(
                    "audit chain BROKEN at record {} (complaint {}): {}",
                    broken.event_id, broken.tracking_code, broken.reason
                );
                std::process::exit(1);
            }
            println!(
                "audit chain intact: {} records of {} complaints; head {}",
                report.events, report.complaints, report.head
            );
            let enterprises = store.verify_enterprise_audit_chain().await?;
            if let Some((id, reason)) = enterprises.broken {
                eprintln!("enterprise audit chain BROKEN at record {id}: {reason}");
                std::process::exit(1);
            }
            println!(
                "enterprise audit chain intact: {} records of {} enterprises; head {}",
                enterprises.records, enterprises.enterprises, enterprises.head
            );
            println!("(note the head down elsewhere: a chain rebuilt from scratch would differ)");
            Ok(())
        }
    }
}
