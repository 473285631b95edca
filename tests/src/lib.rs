//! Test helpers: spawn the real server binary on a free port with a fresh data directory,
//! talk HTTP to it, and run its command-line subcommands against the same data.
//!
//! ```no_run
//! let server = daylight_tests::TestServer::start();
//! let reply = server.get("/api/v1/stations");
//! assert_eq!(reply.status, 200);
//! ```
//!
//! The binary is `DAYLIGHT_BIN` when set, otherwise `<workspace>/target/release/daylight`
//! (build it with `bash scripts/build-site.sh`). Every server gets its own temporary data
//! directory and is killed when the `TestServer` is dropped. Its HJ 212 gateway listens on a
//! free port of its own ([`TestServer::hj212_port`]) unless the test passes `--hj212-port`.

pub mod backoffice;
pub mod form;

use std::ffi::OsStr;
use std::fs::File;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

use serde_json::Value;
use tempfile::TempDir;

/// How long a server may take to answer its first request.
const START_TIMEOUT: Duration = Duration::from_secs(30);
/// How often readiness is polled.
const POLL_INTERVAL: Duration = Duration::from_millis(100);
/// Timeout of a single HTTP request.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
/// How often a start is retried when the chosen port was taken in the meantime.
const PORT_ATTEMPTS: usize = 3;

/// The workspace root (the parent of this crate).
pub fn workspace_root() -> PathBuf {
    let root = PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/.."));
    root.canonicalize().unwrap_or(root)
}

/// The `daylight` binary under test: `DAYLIGHT_BIN`, else the release build.
pub fn binary() -> PathBuf {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY
        .get_or_init(|| {
            let path = std::env::var_os("DAYLIGHT_BIN")
                .map(PathBuf::from)
                .unwrap_or_else(|| workspace_root().join("target/release/daylight"));
            assert!(
                path.is_file(),
                "the daylight binary is missing at {}: build it with `bash scripts/build-site.sh` \
                 (or point DAYLIGHT_BIN at a built binary)",
                path.display()
            );
            path
        })
        .clone()
}

/// The built site (pkg/, style/, vendor/) the server is given with `--site-root`.
pub fn site_root() -> PathBuf {
    workspace_root().join("target/site")
}

/// A file of the shared reference data, if it is present on this machine.
pub fn shared_data(relative: &str) -> Option<PathBuf> {
    let path = Path::new("/work/shared/data").join(relative);
    path.is_file().then_some(path)
}

/// One HTTP answer; 4xx and 5xx are answers too, not errors.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    /// The body as text (invalid UTF-8 replaced); [`bytes`](Self::bytes) has it as sent.
    pub body: String,
    /// The body's bytes (images, compressed bodies).
    pub bytes: Vec<u8>,
    /// Header names in lower case, in the order received (repeated headers repeat).
    pub headers: Vec<(String, String)>,
}

impl Reply {
    /// The first value of a header (case-insensitive name).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// Every value of a header (case-insensitive name).
    pub fn header_all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// The body as JSON; panics with the body when it is not.
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| {
            panic!(
                "expected a JSON body (status {}): {e}\n{}",
                self.status,
                excerpt(&self.body)
            )
        })
    }
}

/// The first 2,000 characters of a text, for failure messages.
pub fn excerpt(text: &str) -> String {
    let cut: String = text.chars().take(2000).collect();
    if cut.len() < text.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

/// A running `daylight serve` on a free port with a fresh data directory.
pub struct TestServer {
    child: Child,
    port: u16,
    /// The HJ 212 gateway's port (0 when the test turned it off).
    hj212_port: u16,
    /// The arguments after `serve --port PORT …`, for a restart.
    args: Vec<String>,
    data_dir: TempDir,
    log_path: PathBuf,
    agent: ureq::Agent,
}

impl TestServer {
    /// The built-in Xi'an demo (real stations and hours plus the simulated feed). Returns
    /// once the demo feed has filled in the last day, so that the latest values (marked
    /// "simulated") no longer change under the test.
    pub fn start() -> Self {
        Self::start_with_args(&[])
    }

    /// An empty database (`--no-demo`), for imports.
    pub fn start_empty() -> Self {
        Self::start_with_args(&["--no-demo"])
    }

    /// `serve` with extra arguments (e.g. `--no-demo`).
    pub fn start_with_args(extra: &[&str]) -> Self {
        let server = Self::spawn(extra);
        if !extra.contains(&"--no-demo") {
            server.wait_for_demo_feed();
        }
        server
    }

    fn spawn(extra: &[&str]) -> Self {
        let data_dir = tempfile::Builder::new()
            .prefix("daylight-test-")
            .tempdir()
            .expect("cannot create a temporary data directory");
        let log_path = data_dir.path().join("server.log");
        let agent = agent();
        let mut last_log = String::new();
        for _ in 0..PORT_ATTEMPTS {
            let port = free_port();
            // The gateway gets a free port of its own unless the test chose one (its default,
            // 9212, would collide between tests running in parallel).
            let chosen = extra
                .iter()
                .position(|a| *a == "--hj212-port")
                .and_then(|i| extra.get(i + 1))
                .map(|p| p.parse().expect("--hj212-port takes a port number"));
            let hj212_port = chosen.unwrap_or_else(free_port);
            let gateway_args = if chosen.is_some() {
                Vec::new()
            } else {
                vec!["--hj212-port".to_string(), hj212_port.to_string()]
            };
            let args: Vec<String> = gateway_args
                .into_iter()
                .chain(extra.iter().map(|a| a.to_string()))
                .collect();
            let mut child = launch(data_dir.path(), &log_path, port, &args);
            match wait_until_ready(&mut child, &agent, port, &log_path) {
                Ok(()) => {
                    return Self {
                        child,
                        port,
                        hj212_port,
                        args,
                        data_dir,
                        log_path,
                        agent,
                    }
                }
                Err(failure) => {
                    let _ = child.kill();
                    let _ = child.wait();
                    match failure {
                        // Someone took the port between our probe and the server's bind.
                        Startup::Exited(log) if log.contains("cannot listen") => last_log = log,
                        Startup::Exited(log) => {
                            panic!("daylight serve exited before answering; its log:\n{log}")
                        }
                        Startup::TimedOut(log) => panic!(
                            "daylight serve did not answer GET /api/v1/stations within {}s; its log:\n{log}",
                            START_TIMEOUT.as_secs()
                        ),
                    }
                }
            }
        }
        panic!("could not start daylight serve on a free port; last log:\n{last_log}")
    }

    /// The demo feed writes the last day of simulated values in one transaction right
    /// after the server starts; wait for it so that tests see a settled database.
    fn wait_for_demo_feed(&self) {
        let deadline = Instant::now() + START_TIMEOUT;
        loop {
            let stations = self.get_json("/api/v1/stations");
            let features = stations["features"].as_array().cloned().unwrap_or_default();
            let settled = !features.is_empty()
                && features
                    .iter()
                    .all(|f| f["properties"]["source"] == "simulated");
            // The server derives the 8-hour ozone means (which the US EPA scale needs) just
            // after the hourly values arrive; settled means those are in too.
            if settled && self.every_air_station_has_a_us_epa_aqi() {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the demo feed did not fill in the last day within {}s; server log:\n{}",
                START_TIMEOUT.as_secs(),
                self.log()
            );
            std::thread::sleep(POLL_INTERVAL);
        }
    }

    fn every_air_station_has_a_us_epa_aqi(&self) -> bool {
        let stations = self.get_json("/api/v1/stations?scale=us-epa");
        stations["features"].as_array().is_some_and(|features| {
            features
                .iter()
                .filter(|f| f["properties"]["kind"] == "air")
                .all(|f| f["properties"]["latest"]["aqi"].is_number())
        })
    }

    /// The port the server listens on (127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The port of the server's HJ 212 gateway (127.0.0.1), 0 when turned off.
    pub fn hj212_port(&self) -> u16 {
        self.hj212_port
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> &Path {
        self.data_dir.path()
    }

    /// Everything the server has written to stdout and stderr so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log_path).unwrap_or_default()
    }

    /// True while the server process is alive.
    pub fn is_running(&mut self) -> bool {
        matches!(self.child.try_wait(), Ok(None))
    }

    /// `http://127.0.0.1:PORT` + path (path starts with `/`).
    pub fn url(&self, path: &str) -> String {
        format!("http://127.0.0.1:{}{}", self.port, path)
    }

    /// GET without treating 4xx/5xx as errors; redirects are not followed.
    pub fn get(&self, path: &str) -> Reply {
        self.request("GET", path, &[], None)
    }

    /// GET with extra request headers.
    pub fn get_with(&self, path: &str, headers: &[(&str, &str)]) -> Reply {
        self.request("GET", path, headers, None)
    }

    /// GET that must answer 200 with JSON.
    pub fn get_json(&self, path: &str) -> Value {
        let reply = self.get(path);
        assert_eq!(
            reply.status,
            200,
            "GET {path} answered {}:\n{}",
            reply.status,
            excerpt(&reply.body)
        );
        reply.json()
    }

    /// Any method, headers and body; 4xx/5xx are returned, transport errors panic with
    /// the server log.
    pub fn request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Reply {
        self.try_request(method, path, headers, body)
            .unwrap_or_else(|error| {
                panic!(
                    "{method} {} failed: {error}\nserver log:\n{}",
                    excerpt(path),
                    self.log()
                )
            })
    }

    /// Like [`request`](Self::request), but a transport error (refused, reset, closed
    /// before an answer) is returned instead of panicking.
    pub fn try_request(
        &self,
        method: &str,
        path: &str,
        headers: &[(&str, &str)],
        body: Option<&[u8]>,
    ) -> Result<Reply, String> {
        let mut request = self.agent.request(method, &self.url(path));
        for (name, value) in headers {
            request = request.set(name, value);
        }
        let result = match body {
            Some(bytes) => request.send_bytes(bytes),
            None => request.call(),
        };
        match result {
            Ok(response) | Err(ureq::Error::Status(_, response)) => into_reply(response),
            Err(error) => Err(error.to_string()),
        }
    }

    /// Sends raw bytes over TCP and returns whatever the server answers before it closes
    /// the connection (or 3 seconds pass without a byte).
    pub fn raw(&self, request: &[u8]) -> String {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))
            .expect("cannot connect to the server");
        stream
            .set_read_timeout(Some(Duration::from_secs(3)))
            .expect("cannot set a read timeout");
        // The server may close early on garbage; a failed write is an answer too.
        let _ = stream.write_all(request);
        let _ = stream.flush();
        let mut answer = Vec::new();
        let _ = stream.read_to_end(&mut answer);
        String::from_utf8_lossy(&answer).into_owned()
    }

    /// Runs `daylight --data-dir DIR ARGS…` (e.g. `import readings FILE`) against this
    /// server's data directory. SQLite's WAL lets imports run while the server serves.
    pub fn run_cli<I, S>(&self, args: I) -> Output
    where
        I: IntoIterator<Item = S>,
        S: AsRef<OsStr>,
    {
        run_cli(self.data_dir.path(), args)
    }

    /// Kills the server with SIGKILL (no shutdown of any kind, as in a crash or a power cut)
    /// and starts it again on the same ports and data directory, with the same arguments.
    /// Its log continues in the same file.
    pub fn kill_and_restart(&mut self) {
        self.stop();
        let mut child = launch(self.data_dir.path(), &self.log_path, self.port, &self.args);
        match wait_until_ready(&mut child, &self.agent, self.port, &self.log_path) {
            Ok(()) => self.child = child,
            Err(Startup::Exited(log) | Startup::TimedOut(log)) => {
                let _ = child.kill();
                let _ = child.wait();
                panic!("daylight serve did not come back after a restart; its log:\n{log}")
            }
        }
    }

    fn stop(&mut self) {
        if matches!(self.child.try_wait(), Ok(None)) {
            let _ = self.child.kill();
        }
        let _ = self.child.wait();
    }
}

impl Drop for TestServer {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs `daylight --data-dir DIR ARGS…` with a clean environment and returns its output.
pub fn run_cli<I, S>(data_dir: &Path, args: I) -> Output
where
    I: IntoIterator<Item = S>,
    S: AsRef<OsStr>,
{
    hermetic_command(data_dir)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .unwrap_or_else(|e| panic!("cannot run {}: {e}", binary().display()))
}

/// stdout and stderr of a finished command, for assertion messages.
pub fn describe(output: &Output) -> String {
    format!(
        "{}\n--- stdout ---\n{}\n--- stderr ---\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

/// `daylight --data-dir DIR`, run in DIR, without any `DAYLIGHT_*` or backtrace settings
/// from the developer's environment, so that every run sees the defaults a user sees.
fn hermetic_command(data_dir: &Path) -> Command {
    let mut command = Command::new(binary());
    for (key, _) in std::env::vars_os() {
        let name = key.to_string_lossy();
        if name.starts_with("DAYLIGHT_") || name == "RUST_BACKTRACE" || name == "RUST_LIB_BACKTRACE"
        {
            command.env_remove(&key);
        }
    }
    command
        .current_dir(data_dir)
        .arg("--data-dir")
        .arg(data_dir);
    command
}

/// A fresh connection per request: a pooled keep-alive connection that the server has just
/// closed (after a refused oversize body, say) would fail the next request with a transport
/// error that says nothing about the behaviour under test.
fn agent() -> ureq::Agent {
    ureq::AgentBuilder::new()
        .redirects(0)
        .timeout(REQUEST_TIMEOUT)
        .max_idle_connections(0)
        .build()
}

fn into_reply(response: ureq::Response) -> Result<Reply, String> {
    let status = response.status();
    let mut headers = Vec::new();
    for name in response.headers_names() {
        for value in response.all(&name) {
            headers.push((name.to_ascii_lowercase(), value.to_string()));
        }
    }
    let mut bytes = Vec::new();
    response
        .into_reader()
        .take(64 * 1024 * 1024)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("status {status}, but the body could not be read: {e}"))?;
    Ok(Reply {
        status,
        body: String::from_utf8_lossy(&bytes).into_owned(),
        bytes,
        headers,
    })
}

/// A port that was free a moment ago (bind to port 0, read it, let it go).
fn free_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("cannot bind a probe socket");
    listener
        .local_addr()
        .expect("the probe socket has no address")
        .port()
}

fn launch(data_dir: &Path, log_path: &Path, port: u16, args: &[String]) -> Child {
    // Appending: a restarted server continues the log of the one before.
    let log = File::options()
        .create(true)
        .append(true)
        .open(log_path)
        .expect("cannot create the server log file");
    let log_err = log.try_clone().expect("cannot share the server log file");
    let mut command = hermetic_command(data_dir);
    command.arg("serve");
    // A quiet feed unless the test asks for another pace.
    if !args.iter().any(|a| a == "--demo-feed-interval") {
        command.args(["--demo-feed-interval", "3600"]);
    }
    command
        .arg("--port")
        .arg(port.to_string())
        .arg("--site-root")
        .arg(site_root())
        .args(args)
        .stdin(Stdio::null())
        .stdout(Stdio::from(log))
        .stderr(Stdio::from(log_err));
    command
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", binary().display()))
}

/// Polls `GET /api/v1/stations` until it answers 200, the process exits, or time runs out.
fn wait_until_ready(
    child: &mut Child,
    agent: &ureq::Agent,
    port: u16,
    log_path: &Path,
) -> Result<(), Startup> {
    let read_log = || std::fs::read_to_string(log_path).unwrap_or_default();
    let url = format!("http://127.0.0.1:{port}/api/v1/stations");
    let deadline = Instant::now() + START_TIMEOUT;
    loop {
        if let Ok(Some(_)) = child.try_wait() {
            return Err(Startup::Exited(read_log()));
        }
        if let Ok(response) = agent.get(&url).timeout(Duration::from_secs(2)).call() {
            if response.status() == 200 {
                return Ok(());
            }
        }
        if Instant::now() >= deadline {
            return Err(Startup::TimedOut(read_log()));
        }
        std::thread::sleep(POLL_INTERVAL);
    }
}

enum Startup {
    Exited(String),
    TimedOut(String),
}

/// The HTML a reader without JavaScript gets: the document minus `<script>` elements (so
/// that text found in it is not merely inside serialised hydration data), HTML comments and
/// Leptos's `<!>` hydration markers (so that `<h1>Name<!></h1>` reads `<h1>Name</h1>`).
pub fn readable_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    loop {
        let next = [
            rest.find("<script").map(|i| (i, "</script>")),
            rest.find("<!--").map(|i| (i, "-->")),
            rest.find("<!>").map(|i| (i, "<!>")),
        ]
        .into_iter()
        .flatten()
        .min_by_key(|(i, _)| *i);
        let Some((start, end_marker)) = next else {
            out.push_str(rest);
            return out;
        };
        out.push_str(&rest[..start]);
        let after = if end_marker == "<!>" {
            Some(start + end_marker.len())
        } else {
            rest[start..]
                .find(end_marker)
                .map(|end| start + end + end_marker.len())
        };
        match after {
            Some(after) => rest = &rest[after..],
            None => return out,
        }
    }
}

/// The text from the first `start` up to the next `end` (both excluded).
pub fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}

/// Every opening tag `<name …>` in an HTML text, as written (attributes included).
pub fn opening_tags<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    let open = format!("<{name}");
    let mut tags = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find(&open) {
        let after = &rest[start + open.len()..];
        let boundary = after
            .chars()
            .next()
            .is_some_and(|c| c == '>' || c.is_whitespace());
        match after.find('>') {
            Some(end) if boundary => {
                tags.push(&rest[start..start + open.len() + end + 1]);
                rest = &after[end + 1..];
            }
            Some(end) => rest = &after[end + 1..],
            None => break,
        }
    }
    tags
}

/// How long a change made by another process (an import) may take to show: the server
/// caches reads for a moment, so what the CLI writes becomes visible "soon", not at once.
pub const SETTLE_TIMEOUT: Duration = Duration::from_secs(15);

/// Polls `check` every 100 ms until it returns `Ok`, for at most [`SETTLE_TIMEOUT`];
/// panics naming `what` (and the last observation) when it never does.
pub fn eventually<T>(what: &str, mut check: impl FnMut() -> Result<T, String>) -> T {
    let deadline = Instant::now() + SETTLE_TIMEOUT;
    loop {
        match check() {
            Ok(value) => return value,
            Err(last) if Instant::now() >= deadline => panic!(
                "{what}: not the case after {}s; last seen:\n{}",
                SETTLE_TIMEOUT.as_secs(),
                excerpt(&last)
            ),
            Err(_) => std::thread::sleep(POLL_INTERVAL),
        }
    }
}

/// One server-sent event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub id: Option<String>,
    pub name: String,
    pub data: String,
}

/// A server-sent event stream read over plain TCP (an HTTP/1.0 request, so the body is not
/// chunked: it simply runs until the server closes it).
pub struct EventStream {
    stream: TcpStream,
    buffer: Vec<u8>,
    /// The response's status line and headers.
    pub head: String,
}

impl TestServer {
    /// Opens `path` (e.g. `/api/v1/live`) as an event stream, with extra request headers.
    pub fn open_stream_with(&self, path: &str, headers: &[(&str, &str)]) -> EventStream {
        let address = SocketAddr::from(([127, 0, 0, 1], self.port));
        let mut stream = TcpStream::connect_timeout(&address, Duration::from_secs(5))
            .expect("cannot connect to the server");
        let mut request =
            format!("GET {path} HTTP/1.0\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n");
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        stream.write_all(request.as_bytes()).expect("cannot send");
        let mut events = EventStream {
            stream,
            buffer: Vec::new(),
            head: String::new(),
        };
        let head = events
            .read_until(b"\r\n\r\n", Duration::from_secs(10))
            .unwrap_or_else(|| panic!("no response head for {path}\n{}", self.log()));
        events.head = String::from_utf8_lossy(&head).into_owned();
        events
    }

    pub fn open_stream(&self, path: &str) -> EventStream {
        self.open_stream_with(path, &[])
    }
}

impl EventStream {
    /// The bytes up to and including `end`, waiting at most `timeout`.
    fn read_until(&mut self, end: &[u8], timeout: Duration) -> Option<Vec<u8>> {
        let deadline = Instant::now() + timeout;
        loop {
            if let Some(at) = self.buffer.windows(end.len()).position(|w| w == end) {
                return Some(self.buffer.drain(..at + end.len()).collect());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            self.stream
                .set_read_timeout(Some(left.max(Duration::from_millis(1))))
                .ok()?;
            let mut chunk = [0u8; 4096];
            match self.stream.read(&mut chunk) {
                Ok(0) => return None,
                Ok(n) => self.buffer.extend_from_slice(&chunk[..n]),
                Err(_) => return None,
            }
        }
    }

    /// The next event (comments, such as keep-alives, are skipped), or None if none comes
    /// within `timeout`.
    pub fn try_next_event(&mut self, timeout: Duration) -> Option<SseEvent> {
        let deadline = Instant::now() + timeout;
        loop {
            let left = deadline.checked_duration_since(Instant::now())?;
            let block = self.read_until(b"\n\n", left)?;
            let text = String::from_utf8_lossy(&block);
            let mut event = SseEvent {
                id: None,
                name: "message".into(),
                data: String::new(),
            };
            let mut any = false;
            for line in text.lines() {
                let (field, value) = line.split_once(':').unwrap_or((line, ""));
                let value = value.strip_prefix(' ').unwrap_or(value);
                match field {
                    "id" => event.id = Some(value.to_owned()),
                    "event" => event.name = value.to_owned(),
                    "data" => {
                        if any {
                            event.data.push('\n');
                        }
                        event.data.push_str(value);
                        any = true;
                    }
                    _ => {}
                }
            }
            if any {
                return Some(event);
            }
        }
    }

    /// The next event; panics if none comes within `timeout`.
    pub fn next_event(&mut self, timeout: Duration) -> SseEvent {
        self.try_next_event(timeout)
            .unwrap_or_else(|| panic!("no event within {timeout:?}"))
    }
}
