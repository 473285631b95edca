//! Every documented endpoint answers as documented: schemathesis (from PyPI, installed by
//! scripts/setup.sh) reads `/api/v1/openapi.json` and calls each operation with examples,
//! boundary values and generated input. A bounded run, with a fixed seed so that a failure
//! can be reproduced; it must find no server error (5xx or a dropped connection) and no
//! answer that contradicts the documented schema.
//!
//! Alone in its test binary: it turns the per-address rate limit off through the
//! environment the server inherits (otherwise most generated requests would get a 429).

use std::path::PathBuf;
use std::process::Command;

use daylight_tests::{workspace_root, TestServer};

fn schemathesis() -> PathBuf {
    workspace_root().join("target/openapi-venv/bin/schemathesis")
}

#[test]
fn every_documented_endpoint_answers_generated_requests_without_a_server_error() {
    let tool = schemathesis();
    assert!(
        tool.exists(),
        "{} is missing: run scripts/setup.sh (it installs schemathesis there)",
        tool.display()
    );
    // The only test in this binary: nothing else reads the environment meanwhile.
    std::env::set_var("DAYLIGHT_API_RATE_LIMIT_PER_SECOND", "0");
    let server = TestServer::start();
    let schema = server.url("/api/v1/openapi.json");
    let work = tempfile::tempdir().expect("temp dir");
    let out = Command::new(&tool)
        .args([
            "run",
            &schema,
            "--checks",
            "not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance",
            "--max-examples",
            "5",
            "--seed",
            "7",
            "--workers",
            "2",
            "--request-timeout",
            "20",
        ])
        // schemathesis writes its reports (and a cache) into the working directory.
        .current_dir(work.path())
        .env("NO_COLOR", "1")
        .output()
        .expect("schemathesis runs");
    let report = format!(
        "{}\n{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        out.status.success(),
        "schemathesis found problems:\n{report}"
    );
    assert!(
        !server.log().contains("panicked"),
        "the server panicked:\n{}",
        server.log()
    );
}
