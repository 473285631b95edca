//! `daylight import …`: reads a file, reports every bad row, writes all or nothing.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;

use anyhow::{bail, Context};
use daylight_domain::station::DataSource;
use daylight_store::{ImportCounts, Store};

use crate::cli::{ImportArgs, ImportCommand};
use crate::import::{self, Parsed, RowError};

pub async fn run(store: &dyn Store, command: ImportCommand) -> anyhow::Result<()> {
    match command {
        ImportCommand::Stations(args) => {
            let parsed = import::parse_stations(open(&args)?);
            let rows = accept(parsed, &args, "stations")?;
            let counts = store.upsert_stations(&rows).await?;
            report("stations", counts);
        }
        ImportCommand::Readings(args) => {
            let known: HashMap<_, _> = store
                .stations()
                .await?
                .into_iter()
                .map(|s| (s.code, s.kind))
                .collect();
            let parsed = import::parse_readings(open(&args)?, &known, DataSource::Measured);
            let rows = accept(parsed, &args, "readings")?;
            let counts = store.upsert_readings(&rows).await?;
            report("readings", counts);
        }
        ImportCommand::Districts(args) => {
            let text = std::fs::read_to_string(&args.file)
                .with_context(|| format!("cannot read {}", args.file.display()))?;
            let districts = match import::parse_districts(&text, args.datum) {
                Ok(d) => d,
                Err(errors) => {
                    print_errors(&errors);
                    bail!(
                        "{}: {} bad feature(s); nothing was imported",
                        args.file.display(),
                        errors.len()
                    );
                }
            };
            let counts = store.upsert_districts(&districts).await?;
            report("districts", counts);
        }
        ImportCommand::Enterprises(args) => {
            let parsed = import::parse_enterprises(open(&args)?);
            let rows = accept(parsed, &args, "enterprises")?;
            let counts = store.upsert_enterprises(&rows).await?;
            report("enterprises", counts);
        }
        ImportCommand::Outlets(args) => {
            let known = store
                .enterprises()
                .await?
                .into_iter()
                .map(|e| e.credit_code)
                .collect();
            let parsed = import::parse_outlets(open(&args)?, &known);
            let rows = accept(parsed, &args, "outlets")?;
            let counts = store.upsert_outlets(&rows).await?;
            report("outlets", counts);
        }
        ImportCommand::Limits(args) => {
            let known = store
                .outlets(None)
                .await?
                .into_iter()
                .map(|o| ((o.enterprise, o.code), o.kind))
                .collect();
            let parsed = import::parse_limits(open(&args)?, &known);
            let rows = accept(parsed, &args, "limits")?;
            let counts = store.upsert_outlet_limits(&rows).await?;
            report("limits", counts);
        }
    }
    Ok(())
}

fn open(args: &ImportArgs) -> anyhow::Result<BufReader<File>> {
    let file =
        File::open(&args.file).with_context(|| format!("cannot open {}", args.file.display()))?;
    Ok(BufReader::new(file))
}

fn print_errors(errors: &[RowError]) {
    for e in errors {
        eprintln!("{e}");
    }
}

/// All or nothing by default; with --skip-bad-rows the good rows go in and the bad ones
/// are listed.
fn accept<T>(parsed: Parsed<T>, args: &ImportArgs, what: &str) -> anyhow::Result<Vec<T>> {
    if parsed.errors.is_empty() {
        return Ok(parsed.rows);
    }
    print_errors(&parsed.errors);
    if parsed.errors.iter().any(|e| e.fatal) {
        bail!(
            "{}: the file cannot be read as {what}; nothing was imported",
            args.file.display()
        );
    }
    if args.skip_bad_rows {
        eprintln!("skipped {} bad row(s)", parsed.errors.len());
        Ok(parsed.rows)
    } else if parsed.rows.is_empty() {
        bail!(
            "{}: {} bad row(s) and no good one; nothing was imported",
            args.file.display(),
            parsed.errors.len()
        )
    } else {
        bail!(
            "{}: {} bad row(s); no {what} were imported (use --skip-bad-rows to import the {} good ones)",
            args.file.display(),
            parsed.errors.len(),
            parsed.rows.len()
        )
    }
}

fn report(what: &str, counts: ImportCounts) {
    println!(
        "imported {} {what}: {} new, {} updated, {} unchanged",
        counts.total(),
        counts.inserted,
        counts.updated,
        counts.unchanged
    );
}
