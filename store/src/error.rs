use thiserror::Error;

#[derive(Debug, Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    /// From the writer of values (`sqlite/bulk.rs`), which uses rusqlite.
    #[error("database error: {0}")]
    Sqlite(#[from] rusqlite::Error),
    #[error("the writer of values has stopped: {0}")]
    WriterStopped(String),
    #[error("database migration failed: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("unknown station '{0}'")]
    UnknownStation(String),
    #[error("a push token named '{0}' already exists")]
    TokenNameTaken(String),
    #[error("tracking code '{0}' is already in use")]
    TrackingCodeTaken(String),
    #[error("unknown enterprise '{0}'")]
    UnknownEnterprise(String),
    #[error("unknown outlet '{0}'")]
    UnknownOutlet(String),
    #[error("unknown statement '{0}'")]
    UnknownStatement(String),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}
