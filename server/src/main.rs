//! `daylight`: serve the portal, or import data into it.

mod account;
mod admin;
mod admin_cmd;
mod api;
mod card;
mod cli;
mod complaints;
mod config;
mod demo;
mod embed;
mod embed_builder;
mod enterprise_user_cmd;
mod etag;
mod feeds;
mod gateway;
mod import;
mod import_cmd;
mod ingest;
mod live;
mod logger_cmd;
mod oembed;
mod open311;
mod open311_cmd;
mod page_cache;
mod rate_limit;
mod serve;
mod snapshot;
mod token_cmd;
mod web;

use clap::Parser;

use crate::cli::{Cli, Command, Open311Command, ServeArgs};
use crate::config::Config;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let filter = match tracing_subscriber::EnvFilter::try_from_env("DAYLIGHT_LOG") {
        Ok(filter) => filter,
        Err(error) => {
            if std::env::var_os("DAYLIGHT_LOG").is_some() {
                eprintln!("DAYLIGHT_LOG is invalid ({error}); using the default 'info,sqlx=warn'");
            }
            "info,sqlx=warn".into()
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    let cli = Cli::parse();
    let mut config = Config::load(cli.config.as_deref())?;
    if let Some(dir) = &cli.data_dir {
        config.data_dir = dir.clone();
    }
    match cli.command.unwrap_or(Command::Serve(ServeArgs::default())) {
        Command::Serve(args) => {
            config.apply_serve_args(&args);
            serve::run(config).await
        }
        Command::Import(command) => {
            let store = serve::open_store(&config).await?;
            import_cmd::run(store.as_ref(), command).await
        }
        Command::Logger(command) => {
            let store = serve::open_store(&config).await?;
            logger_cmd::run(store.as_ref(), command).await
        }
        Command::Admin(command) => {
            let store = serve::open_store(&config).await?;
            admin_cmd::run(store.as_ref(), command, config.utc_offset_minutes).await
        }
        Command::Audit(command) => {
            let store = serve::open_store(&config).await?;
            admin_cmd::audit(store.as_ref(), command).await
        }
        Command::EnterpriseUser(command) => {
            let store = serve::open_store(&config).await?;
            enterprise_user_cmd::run(store.as_ref(), command, config.utc_offset_minutes).await
        }
        Command::Open311(Open311Command::Key(command)) => {
            let store = serve::open_store(&config).await?;
            open311_cmd::run(store.as_ref(), command, config.utc_offset_minutes).await
        }
        Command::Token(command) => {
            let store = serve::open_store(&config).await?;
            token_cmd::run(store.as_ref(), command, config.utc_offset_minutes).await
        }
    }
}
