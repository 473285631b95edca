//! The writer of measured values: readings, derived readings and samples.
//!
//! Every batch the HJ 212 gateway acknowledges is written here, so its cost per batch is the
//! gateway's throughput. sqlx runs each statement as a round trip between the caller's task
//! and its own SQLite thread; a batch was five of them, and each waited its turn on a
//! runtime busy with hundreds of connections. This writer owns a synchronous connection
//! on a thread of its own and runs a whole transaction in one call: the caller sends the
//! batch and awaits one answer.
//!
//! Only values go through here; everything else is written through sqlx as before. The two
//! connections take SQLite's write lock in turn (with the busy timeout), which is rare
//! outside imports.

use std::collections::BTreeSet;
use std::path::Path;
use std::sync::mpsc;
use std::time::Duration;

use rusqlite::{params, Connection, OpenFlags, TransactionBehavior};
use tokio::sync::oneshot;

use super::{to_unix, Counting, Destination, READING_COLUMNS};
use crate::{ImportCounts, Reading, Result, StoreError};

/// A handle on the writer thread; the thread ends when the last handle is dropped.
pub(super) struct BulkWriter {
    commands: mpsc::Sender<Command>,
}

struct Command {
    values: Vec<Reading>,
    destination: Destination,
    counting: Counting,
    reply: oneshot::Sender<Result<ImportCounts>>,
}

impl BulkWriter {
    /// Opens a second connection on the database at `path` (its schema already migrated)
    /// and starts the thread that writes through it.
    pub(super) fn open(path: &Path) -> Result<Self> {
        let connection = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )?;
        // As the sqlx connections (see `SqliteStore::open`): an acknowledged value is on
        // disk. The page cache is smaller: the writer touches the newest pages of each
        // station, and every commit walks the whole cache's hash table (SQLite's
        // pcache1Truncate), 5 % of the writer's time with 64 MiB.
        connection.execute_batch(
            "PRAGMA journal_mode = WAL; PRAGMA synchronous = FULL; \
             PRAGMA foreign_keys = ON; PRAGMA cache_size = -8192;",
        )?;
        connection.busy_timeout(Duration::from_secs(5))?;
        let (commands, queue) = mpsc::channel::<Command>();
        std::thread::Builder::new()
            .name("sqlite-values".into())
            .spawn(move || run(connection, queue))
            .map_err(|e| StoreError::WriterStopped(e.to_string()))?;
        Ok(Self { commands })
    }

    /// Writes `values` in one transaction on the writer thread.
    pub(super) async fn write(
        &self,
        values: Vec<Reading>,
        destination: Destination,
        counting: Counting,
    ) -> Result<ImportCounts> {
        let (reply, answer) = oneshot::channel();
        let command = Command {
            values,
            destination,
            counting,
            reply,
        };
        let stopped = || StoreError::WriterStopped("the thread has ended".into());
        self.commands.send(command).map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn run(mut connection: Connection, queue: mpsc::Receiver<Command>) {
    for command in queue {
        let result = write(
            &mut connection,
            &command.values,
            command.destination,
            command.counting,
        );
        // The caller may have given up waiting: nothing to answer then.
        let _ = command.reply.send(result);
    }
}

/// Inserts new values and replaces changed ones (as `destination` allows), in one
/// transaction; every value's station must exist, or nothing is written.
fn write(
    connection: &mut Connection,
    values: &[Reading],
    destination: Destination,
    counting: Counting,
) -> Result<ImportCounts> {
    let table = match destination {
        Destination::Reported | Destination::Derived => "readings",
        Destination::Samples => "samples",
    };
    // IMMEDIATE: take the write lock up front (see `super::WRITE`).
    let tx = connection.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let mut counts = ImportCounts::default();
    {
        let mut station = tx.prepare_cached("SELECT 1 FROM stations WHERE code = ?1")?;
        let codes: BTreeSet<&str> = values.iter().map(|r| r.station.as_str()).collect();
        for code in codes {
            if !station.exists([code])? {
                return Err(StoreError::UnknownStation(code.to_string()));
            }
        }
        let mut upsert = tx.prepare_cached(&upsert_sql(table, destination))?;
        let mut existing = tx.prepare_cached(&format!(
            "SELECT 1 FROM {table} WHERE station_code = ?1 AND time = ?2 AND parameter = ?3"
        ))?;
        for r in values {
            let (station, parameter, time) =
                (r.station.as_str(), r.parameter.code(), to_unix(r.time));
            let existed = match counting {
                Counting::Count => existing.exists(params![station, time, parameter])?,
                Counting::Skip => false,
            };
            let flag = r.flag.code().to_string();
            let changed = upsert.execute(params![
                station,
                parameter,
                time,
                r.value,
                r.unit.ascii(),
                flag,
                r.source.as_str(),
                r.provenance.as_str(),
            ])?;
            match (existed, changed > 0) {
                (false, _) => counts.inserted += 1,
                (true, true) => counts.updated += 1,
                (true, false) => counts.unchanged += 1,
            }
        }
    }
    tx.commit()?;
    if counting == Counting::Skip {
        return Ok(ImportCounts::default());
    }
    Ok(counts)
}

/// The upsert of one value. A value identical to the stored one is left alone (and not
/// counted as changed); a derived value replaces only a derived one; a reported value
/// replaces anything and clears the derived mark.
fn upsert_sql(table: &str, destination: Destination) -> String {
    let (extra_column, extra_value, mark, replaceable, differs) = match destination {
        Destination::Samples => ("", "", "", "", ""),
        Destination::Reported => (", derived", ", 0", ", derived = 0", "", " OR derived <> 0"),
        Destination::Derived => (", derived", ", 1", "", " AND derived = 1", ""),
    };
    format!(
        "INSERT INTO {table} ({READING_COLUMNS}{extra_column}) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8{extra_value}) \
         ON CONFLICT (station_code, time, parameter) DO UPDATE SET \
         value = excluded.value, unit = excluded.unit, flag = excluded.flag, \
         source = excluded.source, provenance = excluded.provenance{mark} \
         WHERE (value IS NOT excluded.value OR unit IS NOT excluded.unit \
         OR flag IS NOT excluded.flag OR source IS NOT excluded.source \
         OR provenance IS NOT excluded.provenance{differs}){replaceable}"
    )
}
