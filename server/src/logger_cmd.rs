//! `daylight logger add|list|remove`: the registry of HJ 212 data loggers the gateway accepts.

use anyhow::{bail, Context};
use daylight_domain::enterprise::{CreditCode, OutletCode};
use daylight_domain::station::{DataSource, StationCode};
use daylight_store::{Logger, LoggerTarget, Store};

use crate::cli::{LoggerAddArgs, LoggerCommand};

/// The longest MN: HJ 212-2017 Table 3 gives the field 24 characters.
const MAX_MN_LEN: usize = 24;
/// The longest PW: Table 3 gives the field 6 characters. Loggers with longer passwords exist,
/// but accepting them would register something the standard's own loggers cannot send.
const MAX_PW_LEN: usize = 6;

pub async fn run(store: &dyn Store, command: LoggerCommand) -> anyhow::Result<()> {
    match command {
        LoggerCommand::Add(args) => add(store, args).await,
        LoggerCommand::List => list(store).await,
        LoggerCommand::Remove { mn } => {
            let mn = parse_mn(&mn)?;
            if !store.remove_logger(&mn).await? {
                bail!("no logger with MN {mn} is registered");
            }
            println!("logger {mn} removed");
            Ok(())
        }
    }
}

async fn add(store: &dyn Store, args: LoggerAddArgs) -> anyhow::Result<()> {
    let mn = parse_mn(&args.mn)?;
    let password = parse_password(&args.password)?;
    let target = match (&args.station, &args.outlet) {
        (Some(station), None) => station_target(store, station).await?,
        (None, Some(outlet)) => outlet_target(store, outlet).await?,
        _ => bail!("give either --station CODE or --outlet CREDIT_CODE/OUTLET_CODE"),
    };
    let replaced = store.logger(&mn).await?.is_some();
    let logger = Logger {
        mn,
        password,
        target,
        lenient: args.lenient,
        source: DataSource::Measured,
    };
    store
        .upsert_logger(&logger)
        .await
        .with_context(|| format!("cannot register logger {}", logger.mn))?;
    let mode = if logger.lenient { "lenient" } else { "strict" };
    let verb = if replaced { "updated" } else { "added" };
    println!("logger {} {verb}: {}, {mode}", logger.mn, logger.target);
    Ok(())
}

async fn station_target(store: &dyn Store, raw: &str) -> anyhow::Result<LoggerTarget> {
    let station = StationCode::parse(raw)
        .map_err(|e| anyhow::anyhow!("invalid station code '{raw}': {e}"))?;
    if store.station(&station).await?.is_none() {
        bail!("unknown station '{station}': import it first (daylight import stations FILE)");
    }
    Ok(LoggerTarget::Station(station))
}

async fn outlet_target(store: &dyn Store, raw: &str) -> anyhow::Result<LoggerTarget> {
    let Some((enterprise, outlet)) = raw.split_once('/') else {
        bail!("invalid outlet '{raw}': CREDIT_CODE/OUTLET_CODE expected");
    };
    let enterprise = CreditCode::parse(enterprise)
        .map_err(|e| anyhow::anyhow!("invalid credit code '{enterprise}': {e}"))?;
    let outlet = OutletCode::parse(outlet)
        .map_err(|e| anyhow::anyhow!("invalid outlet code '{outlet}': {e}"))?;
    let known = store
        .outlets(Some(&enterprise))
        .await?
        .iter()
        .any(|o| o.code == outlet);
    if !known {
        bail!(
            "unknown outlet '{enterprise}/{outlet}': import it first (daylight import outlets FILE)"
        );
    }
    Ok(LoggerTarget::Outlet { enterprise, outlet })
}

async fn list(store: &dyn Store) -> anyhow::Result<()> {
    let loggers = store.loggers().await?;
    if loggers.is_empty() {
        println!("no loggers registered");
        return Ok(());
    }
    println!("{:<24}  {:<40}  {:<8}  values", "MN", "target", "mode");
    for logger in loggers {
        let mode = if logger.lenient { "lenient" } else { "strict" };
        // The password is not printed: listings end up in terminals and tickets.
        println!(
            "{:<24}  {:<40}  {mode:<8}  {}",
            logger.mn,
            logger.target.to_string(),
            logger.source.as_str()
        );
    }
    Ok(())
}

/// An MN as Table 3 allows it: 1–24 characters of `[0-9A-Za-z]`.
pub fn parse_mn(raw: &str) -> anyhow::Result<String> {
    if raw.is_empty() || raw.len() > MAX_MN_LEN || !raw.bytes().all(|b| b.is_ascii_alphanumeric()) {
        bail!("invalid MN '{raw}': 1 to {MAX_MN_LEN} characters of 0-9, A-Z, a-z expected");
    }
    Ok(raw.to_owned())
}

/// A PW as Table 3 allows it: 1–6 characters, none of which would break the data segment.
pub fn parse_password(raw: &str) -> anyhow::Result<String> {
    if raw.is_empty()
        || raw.chars().count() > MAX_PW_LEN
        || !raw
            .chars()
            .all(|c| c.is_ascii_graphic() && !matches!(c, ';' | '=' | '&' | ','))
    {
        bail!(
            "invalid password: 1 to {MAX_PW_LEN} printable ASCII characters without ; = & , expected"
        );
    }
    Ok(raw.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mn_follows_table_3() {
        assert!(parse_mn("010000A8900016F000169DC0").is_ok());
        assert!(parse_mn("").is_err());
        assert!(parse_mn("010000A8900016F000169DC01").is_err());
        assert!(parse_mn("MN-1").is_err());
        assert!(parse_mn("站点").is_err());
    }

    #[test]
    fn password_follows_table_3() {
        assert!(parse_password("123456").is_ok());
        assert!(parse_password("").is_err());
        assert!(parse_password("1234567").is_err());
        assert!(parse_password("12;4").is_err());
        assert!(parse_password("12 4").is_err());
    }
}
