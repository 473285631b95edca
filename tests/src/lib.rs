//! Test helpers: spawn the real server binary on a free port with a fresh data directory.
