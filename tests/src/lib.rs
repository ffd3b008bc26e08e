//! Test harness shared by the end-to-end tests.
//!
//! The live tests start real servers from Debian (nginx, Apache, HAProxy, Varnish, Squid, ...)
//! in front of deliberately broken upstreams, fetch through them, and check that Culprit names
//! the server that wrote the error page and the hop that failed. Everything here is plain
//! `std`: servers bind 127.0.0.1 on free ports, run in the foreground, keep every file in a
//! fresh work directory, and are stopped by PID when their guard is dropped (also on panic).

// A test harness reports failures by panicking: that is how the test runner learns of them.
#![allow(clippy::panic)]

use culprit_core::{Diagnosis, Hop};
use std::collections::HashMap;
use std::fs::File;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

/// Asks the kernel for a free TCP port on 127.0.0.1 and releases it.
///
/// There is a small window in which another process could take the port; the tests accept it.
pub fn free_port() -> u16 {
    match TcpListener::bind(("127.0.0.1", 0)).and_then(|l| l.local_addr()) {
        Ok(addr) => addr.port(),
        Err(e) => panic!("cannot bind a free port on 127.0.0.1: {e}"),
    }
}

// ---------------------------------------------------------------------------------------------
// Work directories
// ---------------------------------------------------------------------------------------------

/// A fresh directory under the system temp dir, removed (with its contents) on drop.
///
/// Set `CULPRIT_KEEP=1` to keep it for a post-mortem; its path is printed.
#[derive(Debug)]
pub struct WorkDir {
    path: PathBuf,
}

impl WorkDir {
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside the work directory.
    pub fn join(&self, name: impl AsRef<Path>) -> PathBuf {
        self.path.join(name)
    }

    /// Writes a file inside the work directory and returns its path.
    pub fn write(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path.join(name);
        if let Some(parent) = path.parent()
            && let Err(e) = std::fs::create_dir_all(parent)
        {
            panic!("cannot create {}: {e}", parent.display());
        }
        if let Err(e) = std::fs::write(&path, contents) {
            panic!("cannot write {}: {e}", path.display());
        }
        path
    }

    /// Reads a file inside the work directory as text (empty when missing).
    pub fn read(&self, name: &str) -> String {
        std::fs::read(self.path.join(name))
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default()
    }
}

impl AsRef<Path> for WorkDir {
    fn as_ref(&self) -> &Path {
        &self.path
    }
}

impl Drop for WorkDir {
    fn drop(&mut self) {
        if std::env::var_os("CULPRIT_KEEP").is_some_and(|v| v == "1") {
            eprintln!("keeping work directory {}", self.path.display());
            return;
        }
        let _ = std::fs::remove_dir_all(&self.path);
    }
}

/// Creates a fresh, empty work directory named after `name`.
///
/// The directory is world-readable and writable: the servers under test are started as root
/// and several of them drop privileges (to `www-data`, `proxy`, `vcache`, `nobody`) for their
/// workers, which must still reach their config, logs and cache here.
pub fn workdir(name: &str) -> WorkDir {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.subsec_nanos())
        .unwrap_or(0);
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let safe: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    let path = std::env::temp_dir().join(format!(
        "culprit-{safe}-{}-{n}-{nanos:x}",
        std::process::id()
    ));
    if let Err(e) = std::fs::create_dir_all(&path) {
        panic!("cannot create work directory {}: {e}", path.display());
    }
    set_mode(&path, 0o777);
    WorkDir { path }
}

fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode));
}

// ---------------------------------------------------------------------------------------------
// Binaries
// ---------------------------------------------------------------------------------------------

/// Finds an installed binary on PATH or in the sbin directories, or panics with a message
/// saying how to install it.
pub fn require(binary: &str) -> PathBuf {
    match find_binary(binary) {
        Some(p) => p,
        None => panic!("{binary} is not installed: run `cargo xtask test`, which installs it"),
    }
}

/// Like [`require`], but returns `None` instead of panicking.
pub fn find_binary(binary: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH").unwrap_or_default();
    let mut dirs: Vec<PathBuf> = std::env::split_paths(&path).collect();
    for extra in ["/usr/sbin", "/sbin", "/usr/local/sbin", "/usr/bin", "/bin"] {
        dirs.push(PathBuf::from(extra));
    }
    dirs.into_iter()
        .map(|d| d.join(binary))
        .find(|p| p.is_file())
}

/// Runs a command to completion and returns stdout and stderr together (for `-v` banners).
pub fn output_of(cmd: &mut Command) -> String {
    match cmd.stdin(Stdio::null()).output() {
        Ok(out) => {
            let mut s = String::from_utf8_lossy(&out.stdout).into_owned();
            s.push_str(&String::from_utf8_lossy(&out.stderr));
            s
        }
        Err(e) => format!("(could not run {cmd:?}: {e})"),
    }
}

/// The installed Debian package version of `package` (e.g. `1.22.1-9+deb12u2`), if known.
pub fn package_version(package: &str) -> Option<String> {
    let out = Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", package])
        .stdin(Stdio::null())
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let v = String::from_utf8_lossy(&out.stdout).trim().to_string();
    (out.status.success() && !v.is_empty()).then_some(v)
}

// ---------------------------------------------------------------------------------------------
// Processes
// ---------------------------------------------------------------------------------------------

/// A running server. Dropping it sends SIGTERM to its PID and process group (and to the PID in
/// its pid file, when one was given), waits up to 3 s, then sends SIGKILL.
#[derive(Debug)]
pub struct Proc {
    child: Child,
    name: String,
    stdout_path: PathBuf,
    stderr_path: PathBuf,
    pid_file: Option<PathBuf>,
    _logdir: Option<WorkDir>,
}

/// Starts `cmd` in its own process group with stdin closed and stdout/stderr logged to
/// `<program>.stdout` / `<program>.stderr` in the command's current directory (or in a
/// private temp dir when none was set).
pub fn spawn(cmd: &mut Command) -> Proc {
    let name = Path::new(cmd.get_program())
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "server".to_string());
    let (dir, logdir) = match cmd.get_current_dir() {
        Some(d) => (d.to_path_buf(), None),
        None => {
            let w = workdir(&format!("{name}-logs"));
            (w.path().to_path_buf(), Some(w))
        }
    };
    let stdout_path = dir.join(format!("{name}.stdout"));
    let stderr_path = dir.join(format!("{name}.stderr"));
    let open = |p: &Path| match File::create(p) {
        Ok(f) => f,
        Err(e) => panic!("cannot create log file {}: {e}", p.display()),
    };
    cmd.stdin(Stdio::null())
        .stdout(open(&stdout_path))
        .stderr(open(&stderr_path))
        .process_group(0);
    let child = match cmd.spawn() {
        Ok(c) => c,
        Err(e) => panic!("cannot start {cmd:?}: {e}"),
    };
    Proc {
        child,
        name,
        stdout_path,
        stderr_path,
        pid_file: None,
        _logdir: logdir,
    }
}

impl Proc {
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Also stop the PID written to `path` when this guard is dropped (for servers that fork).
    pub fn with_pid_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.pid_file = Some(path.into());
        self
    }

    /// What the server printed so far on stdout and stderr.
    pub fn output(&self) -> String {
        let read = |p: &Path| {
            std::fs::read(p)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or_default()
        };
        format!(
            "--- {} stdout ---\n{}\n--- {} stderr ---\n{}",
            self.name,
            read(&self.stdout_path),
            self.name,
            read(&self.stderr_path)
        )
    }

    /// `Err` with the server's output when it has already exited.
    pub fn still_running(&mut self) -> Result<(), String> {
        match self.child.try_wait() {
            Ok(None) => Ok(()),
            Ok(Some(status)) => Err(format!(
                "{} exited early ({status})\n{}",
                self.name,
                self.output()
            )),
            Err(e) => Err(format!("cannot check on {}: {e}", self.name)),
        }
    }

    /// Waits until `port` accepts connections, failing fast (with the server's output) when
    /// the server exits first.
    pub fn wait_ready(&mut self, port: u16, timeout: Duration) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        loop {
            self.still_running()?;
            if TcpStream::connect_timeout(&local(port), Duration::from_millis(200)).is_ok() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                return Err(format!(
                    "{} did not listen on port {port} within {timeout:?}\n{}",
                    self.name,
                    self.output()
                ));
            }
            std::thread::sleep(Duration::from_millis(25));
        }
    }

    /// Like [`Proc::wait_ready`], panicking with the server's output on failure.
    pub fn ready(&mut self, port: u16) {
        if let Err(e) = self.wait_ready(port, Duration::from_secs(15)) {
            panic!("{e}");
        }
    }

    fn pid_from_file(&self) -> Option<u32> {
        let path = self.pid_file.as_ref()?;
        let text = std::fs::read_to_string(path).ok()?;
        text.trim().parse().ok()
    }
}

fn signal(target: &str, sig: &str) {
    let _ = Command::new("kill")
        .args([sig, "--", target])
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
}

fn alive(pid: u32) -> bool {
    // A zombie still has a /proc entry; its state letter is `Z`.
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => !stat
            .rsplit(')')
            .next()
            .is_some_and(|rest| rest.trim_start().starts_with('Z')),
        Err(_) => false,
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let pid = self.child.id();
        let extra = self.pid_from_file().filter(|p| *p != pid && *p > 1);
        let group = format!("-{pid}");
        signal(&group, "-TERM");
        signal(&pid.to_string(), "-TERM");
        if let Some(p) = extra {
            signal(&p.to_string(), "-TERM");
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        let mut exited = false;
        while Instant::now() < deadline {
            if matches!(self.child.try_wait(), Ok(Some(_))) {
                exited = true;
            }
            if exited && extra.is_none_or(|p| !alive(p)) {
                break;
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        // Whatever is left of the group (workers, helpers) goes too.
        signal(&group, "-KILL");
        if !exited {
            let _ = self.child.kill();
        }
        if let Some(p) = extra
            && alive(p)
        {
            signal(&p.to_string(), "-KILL");
        }
        let _ = self.child.wait();
    }
}

// ---------------------------------------------------------------------------------------------
// Broken upstreams
// ---------------------------------------------------------------------------------------------

/// How a fake upstream misbehaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Broken {
    /// Nothing listens on the port: connections are refused.
    Refused,
    /// Accepts, reads the request, closes without a byte of answer.
    CloseEarly,
    /// Accepts, reads the request, answers with something that is not HTTP.
    Garbage,
    /// Accepts, reads the request, never answers (until the upstream is dropped).
    Hang,
}

impl Broken {
    pub const ALL: [Broken; 4] = [
        Broken::Refused,
        Broken::CloseEarly,
        Broken::Garbage,
        Broken::Hang,
    ];

    /// A short name for test cases and fixture files (`refused`, `close-early`, ...).
    pub fn name(self) -> &'static str {
        match self {
            Broken::Refused => "refused",
            Broken::CloseEarly => "close-early",
            Broken::Garbage => "garbage",
            Broken::Hang => "hang",
        }
    }
}

/// What [`Broken::Garbage`] answers: a plausible status line followed by header lines no HTTP
/// parser accepts (one without a colon, one with a NUL and control bytes in it). A status line
/// alone would not do: nginx and Apache pass a reply that does not start with `HTTP/` through
/// as an HTTP/0.9 body instead of failing.
pub const GARBAGE: &[u8] = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nthis line is not a header\r\nBroken\x00Header: \x01\x02\r\n\r\n<p>not really a response</p>\n";

/// A fake upstream on 127.0.0.1. Dropping it stops the listener and closes held connections.
#[derive(Debug)]
pub struct Upstream {
    pub port: u16,
    pub kind: Broken,
    accepted: Arc<AtomicUsize>,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<()>>,
}

impl Upstream {
    /// How many connections the upstream has accepted so far.
    pub fn connections(&self) -> usize {
        self.accepted.load(Ordering::SeqCst)
    }

    /// `host:port` for config files.
    pub fn addr(&self) -> String {
        format!("127.0.0.1:{}", self.port)
    }

    /// Records a failure when `server` never connected to this upstream (a refused port
    /// cannot be reached by design), so a case cannot pass without exercising the upstream.
    pub fn check_reached(&self, case: &str, server: &str, failures: &mut Failures) {
        if self.kind != Broken::Refused && self.connections() == 0 {
            failures.record::<()>(case, Err(format!("{server} never reached the upstream")));
        }
    }
}

impl Drop for Upstream {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

/// Starts a fake upstream that misbehaves as `kind` says.
pub fn broken_upstream(kind: Broken) -> Upstream {
    let stop = Arc::new(AtomicBool::new(false));
    let accepted = Arc::new(AtomicUsize::new(0));
    if kind == Broken::Refused {
        return Upstream {
            port: free_port(),
            kind,
            accepted,
            stop,
            thread: None,
        };
    }
    let listener = match TcpListener::bind(("127.0.0.1", 0)) {
        Ok(l) => l,
        Err(e) => panic!("cannot bind a fake upstream: {e}"),
    };
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(e) => panic!("cannot read the fake upstream's port: {e}"),
    };
    if let Err(e) = listener.set_nonblocking(true) {
        panic!("cannot make the fake upstream non-blocking: {e}");
    }
    let thread = {
        let stop = Arc::clone(&stop);
        let accepted = Arc::clone(&accepted);
        std::thread::spawn(move || serve_broken(listener, kind, &stop, &accepted))
    };
    Upstream {
        port,
        kind,
        accepted,
        stop,
        thread: Some(thread),
    }
}

fn serve_broken(
    listener: TcpListener,
    kind: Broken,
    stop: &Arc<AtomicBool>,
    accepted: &AtomicUsize,
) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    while !stop.load(Ordering::SeqCst) {
        match listener.accept() {
            Ok((stream, _)) => {
                accepted.fetch_add(1, Ordering::SeqCst);
                let stop = Arc::clone(stop);
                workers.push(std::thread::spawn(move || {
                    handle_broken(stream, kind, &stop);
                }));
            }
            Err(e) if e.kind() == ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(10));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(10)),
        }
    }
    for w in workers {
        let _ = w.join();
    }
}

fn handle_broken(mut stream: TcpStream, kind: Broken, stop: &AtomicBool) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(100)));
    // Read the request head (or whatever arrives within about a second).
    let mut seen = Vec::new();
    let mut buf = [0u8; 4096];
    let deadline = Instant::now() + Duration::from_secs(1);
    while Instant::now() < deadline && !stop.load(Ordering::SeqCst) {
        match stream.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                seen.extend_from_slice(&buf[..n]);
                if seen.windows(4).any(|w| w == b"\r\n\r\n") {
                    break;
                }
            }
            Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
            Err(_) => break,
        }
    }
    match kind {
        Broken::Refused | Broken::CloseEarly => {}
        Broken::Garbage => {
            let _ = stream.write_all(GARBAGE);
            let _ = stream.flush();
        }
        Broken::Hang => {
            // Keep the connection open and silent; drain anything more the peer sends.
            while !stop.load(Ordering::SeqCst) {
                match stream.read(&mut buf) {
                    Ok(0) => break,
                    Ok(_) => {}
                    Err(e) if matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {}
                    Err(_) => break,
                }
            }
        }
    }
    let _ = stream.shutdown(Shutdown::Both);
}

// ---------------------------------------------------------------------------------------------
// Clients
// ---------------------------------------------------------------------------------------------

fn local(port: u16) -> SocketAddr {
    SocketAddr::from(([127, 0, 0, 1], port))
}

/// Waits until something accepts TCP connections on 127.0.0.1:`port`.
pub fn wait_for_port(port: u16, timeout: Duration) -> Result<(), String> {
    let deadline = Instant::now() + timeout;
    loop {
        if TcpStream::connect_timeout(&local(port), Duration::from_millis(200)).is_ok() {
            return Ok(());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "nothing listened on 127.0.0.1:{port} within {timeout:?}"
            ));
        }
        std::thread::sleep(Duration::from_millis(25));
    }
}

/// Sends `GET path` with `Host: host` to 127.0.0.1:`port` and returns the raw response bytes
/// (status line, headers and body, exactly as received).
pub fn fetch(port: u16, host: &str, path: &str, timeout: Duration) -> Result<Vec<u8>, String> {
    let request = format!(
        "GET {path} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: culprit-live-test\r\nAccept: */*\r\nConnection: close\r\n\r\n"
    );
    exchange(port, request.as_bytes(), timeout)
}

/// Sends an absolute-URI `GET url` to a forward proxy on 127.0.0.1:`proxy_port`.
pub fn fetch_via_proxy(proxy_port: u16, url: &str, timeout: Duration) -> Result<Vec<u8>, String> {
    let host = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(url)
        .split('/')
        .next()
        .unwrap_or_default();
    let request = format!(
        "GET {url} HTTP/1.1\r\nHost: {host}\r\nUser-Agent: culprit-live-test\r\nAccept: */*\r\nProxy-Connection: close\r\nConnection: close\r\n\r\n"
    );
    exchange(proxy_port, request.as_bytes(), timeout)
}

/// Sends raw request bytes to 127.0.0.1:`port` and reads one whole response.
pub fn exchange(port: u16, request: &[u8], timeout: Duration) -> Result<Vec<u8>, String> {
    let deadline = Instant::now() + timeout;
    let mut stream = TcpStream::connect_timeout(&local(port), timeout)
        .map_err(|e| format!("cannot connect to 127.0.0.1:{port}: {e}"))?;
    stream
        .set_read_timeout(Some(Duration::from_millis(100)))
        .map_err(|e| format!("cannot set a read timeout: {e}"))?;
    stream
        .write_all(request)
        .map_err(|e| format!("cannot send the request to 127.0.0.1:{port}: {e}"))?;
    let mut got = Vec::new();
    let mut buf = [0u8; 8192];
    loop {
        if response_complete(&got) {
            return Ok(got);
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "no complete response from 127.0.0.1:{port} within {timeout:?}; got {} bytes:\n{}",
                got.len(),
                String::from_utf8_lossy(&got)
            ));
        }
        match stream.read(&mut buf) {
            Ok(0) => {
                return if got.is_empty() {
                    Err(format!(
                        "127.0.0.1:{port} closed the connection without answering"
                    ))
                } else {
                    Ok(got)
                };
            }
            Ok(n) => got.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut | ErrorKind::Interrupted
                ) => {}
            Err(e) if !got.is_empty() && e.kind() == ErrorKind::ConnectionReset => return Ok(got),
            Err(e) => return Err(format!("reading from 127.0.0.1:{port}: {e}")),
        }
    }
}

/// True when `got` holds a whole response framed by Content-Length or chunked encoding.
/// (Responses framed by closing the connection are complete at EOF.)
fn response_complete(got: &[u8]) -> bool {
    let Some(head_end) = got.windows(4).position(|w| w == b"\r\n\r\n") else {
        return false;
    };
    let head = String::from_utf8_lossy(&got[..head_end]).to_ascii_lowercase();
    let body = &got[head_end + 4..];
    let status: u16 = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0);
    if status == 204 || status == 304 || (100..200).contains(&status) {
        return true;
    }
    for line in head.lines().skip(1) {
        if let Some((name, value)) = line.split_once(':') {
            let name = name.trim();
            let value = value.trim();
            if name == "content-length" {
                return value.parse::<usize>().is_ok_and(|n| body.len() >= n);
            }
            if name == "transfer-encoding" && value.contains("chunked") {
                return body.ends_with(b"0\r\n\r\n");
            }
        }
    }
    false
}

/// The status code of a raw response, if it starts with a status line.
pub fn status_of(raw: &[u8]) -> Option<u16> {
    let line = raw.split(|b| *b == b'\n').next()?;
    let line = String::from_utf8_lossy(line);
    let mut parts = line.split_whitespace();
    let version = parts.next()?;
    if !version.starts_with("HTTP/") {
        return None;
    }
    parts.next()?.parse().ok()
}

/// Waits until a log file contains a line with `needle` and returns every such line.
pub fn wait_for_log(path: &Path, needle: &str, timeout: Duration) -> Result<String, String> {
    let deadline = Instant::now() + timeout;
    loop {
        let text = std::fs::read(path)
            .map(|b| String::from_utf8_lossy(&b).into_owned())
            .unwrap_or_default();
        let lines: Vec<&str> = text.lines().filter(|l| l.contains(needle)).collect();
        if !lines.is_empty() {
            let mut out = lines.join("\n");
            out.push('\n');
            return Ok(out);
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{} has no line containing {needle:?} after {timeout:?}; it holds:\n{text}",
                path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

// ---------------------------------------------------------------------------------------------
// Capture and check
// ---------------------------------------------------------------------------------------------

fn versions() -> &'static Mutex<HashMap<String, String>> {
    static V: std::sync::OnceLock<Mutex<HashMap<String, String>>> = std::sync::OnceLock::new();
    V.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Records the product version that captured fixtures of `source` come from, e.g.
/// `note_version("nginx", "nginx 1.22.1")`; [`capture`] puts it in the provenance line.
pub fn note_version(source: &str, version: &str) {
    if let Ok(mut map) = versions().lock() {
        map.insert(source.to_string(), version.to_string());
    }
}

/// Notes `product` and the version that follows `marker` in its version banner (e.g.
/// `nginx/` in `nginx version: nginx/1.22.1`), for the provenance of captured fixtures.
/// Debian's revision suffix (`-1+deb12u4`) is dropped; without a version, only the name.
pub fn note_banner_version(source: &str, banner: &str, marker: &str, product: &str) {
    let version = banner
        .split(marker)
        .nth(1)
        .and_then(|rest| rest.split_whitespace().next())
        .map(|v| v.trim_end_matches([',', ';']))
        .and_then(|v| v.split('-').next())
        .filter(|v| !v.is_empty());
    match version {
        Some(v) => note_version(source, &format!("{product} {v}")),
        None => note_version(source, product),
    }
}

/// True when the run should write fixtures (`CULPRIT_CAPTURE=1`).
pub fn capturing() -> bool {
    std::env::var_os("CULPRIT_CAPTURE").is_some_and(|v| v == "1")
}

/// The fixture folder of `source`: `crates/core/tests/fixtures/<source>/`.
pub fn fixture_dir(source: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("crates/core/tests/fixtures")
        .join(source)
}

/// A captured input and what the classifier must say about it.
#[derive(Debug, Clone)]
pub struct Fixture<'a> {
    pub source: &'a str,
    /// File stem without the `live-` prefix, e.g. `upstream-refused`.
    pub case: &'a str,
    /// `http` for raw responses, `log` for log lines.
    pub ext: &'a str,
    pub raw: &'a [u8],
    pub status: Option<u16>,
    pub hop: Option<Hop>,
    /// Words for the provenance line, e.g. `upstream refused the connection`.
    pub what: &'a str,
}

/// With `CULPRIT_CAPTURE=1`, writes `crates/core/tests/fixtures/<source>/live-<case>.http`
/// and a `.toml` sidecar naming the source and the status on the status line.
pub fn capture(source: &str, case: &str, raw: &[u8]) {
    capture_fixture(&Fixture {
        source,
        case,
        ext: "http",
        raw,
        status: status_of(raw),
        hop: None,
        what: case,
    });
}

/// With `CULPRIT_CAPTURE=1`, writes the fixture and its `.toml` sidecar. The input file is
/// always rewritten; the sidecar is rewritten too, so that it matches the fresh capture.
pub fn capture_fixture(f: &Fixture<'_>) {
    if !capturing() {
        return;
    }
    let dir = fixture_dir(f.source);
    if let Err(e) = std::fs::create_dir_all(&dir) {
        panic!("cannot create {}: {e}", dir.display());
    }
    let stem = format!("live-{}", f.case);
    let input = dir.join(format!("{stem}.{}", f.ext));
    if let Err(e) = std::fs::write(&input, f.raw) {
        panic!("cannot write {}: {e}", input.display());
    }
    let version = versions()
        .lock()
        .ok()
        .and_then(|m| m.get(f.source).cloned())
        .unwrap_or_else(|| f.source.to_string());
    let mut toml = format!(
        "provenance = {:?}\nsource = {:?}\n",
        format!("captured: {version} (Debian 12), {}, tests/live", f.what),
        f.source
    );
    if let Some(s) = f.status {
        toml.push_str(&format!("status = {s}\n"));
    }
    if let Some(h) = f.hop {
        toml.push_str(&format!("hop = {:?}\n", hop_name(h)));
    }
    toml.push_str(&format!(
        "form = {:?}\n",
        if f.ext == "log" { "log" } else { "http" }
    ));
    let sidecar = dir.join(format!("{stem}.toml"));
    if let Err(e) = std::fs::write(&sidecar, toml) {
        panic!("cannot write {}: {e}", sidecar.display());
    }
    // The diagnosis snapshot, exactly as `CULPRIT_BLESS=1` in culprit-core's fixture test
    // writes it, so a fresh capture needs no blessing of every other source.
    if let Ok(d) = culprit_core::diagnose(f.raw)
        && let Ok(json) = serde_json::to_string_pretty(&d)
    {
        let snapshot = dir.join(format!("{stem}.diagnosis.json"));
        if let Err(e) = std::fs::write(&snapshot, json + "\n") {
            panic!("cannot write {}: {e}", snapshot.display());
        }
    }
}

/// The lower-case name of a hop, as used in fixtures and rule files.
pub fn hop_name(hop: Hop) -> &'static str {
    hop.as_str()
}

/// Diagnoses `raw` and asserts the source id, the status and the failing hop. On failure the
/// message shows the raw input and the whole diagnosis as JSON. Returns the diagnosis.
pub fn check(raw: &[u8], source: &str, status: u16, hop: Hop) -> Diagnosis {
    match try_check(raw, source, Some(status), Some(hop)) {
        Ok(d) => d,
        Err(e) => panic!("{e}"),
    }
}

/// Like [`check`], returning the failure message instead of panicking; `None` skips a field.
pub fn try_check(
    raw: &[u8],
    source: &str,
    status: Option<u16>,
    hop: Option<Hop>,
) -> Result<Diagnosis, String> {
    let shown = String::from_utf8_lossy(raw);
    let d = culprit_core::diagnose(raw).map_err(|e| {
        format!("culprit could not read the input ({e})\n--- input ---\n{shown}\n--- end ---")
    })?;
    let mut problems = Vec::new();
    if d.source.id != source {
        problems.push(format!(
            "source: expected `{source}`, got `{}`",
            d.source.id
        ));
    }
    match status {
        // 0: the server sent no response at all, so there must be no status.
        Some(0) if d.status.is_some() => {
            problems.push(format!("status: expected none, got {:?}", d.status));
        }
        Some(s) if s != 0 && d.status != Some(s) => {
            problems.push(format!("status: expected {s}, got {:?}", d.status));
        }
        _ => {}
    }
    if let Some(h) = hop
        && d.failing_hop.hop != h
    {
        problems.push(format!(
            "failing hop: expected {}, got {}",
            hop_name(h),
            hop_name(d.failing_hop.hop)
        ));
    }
    if problems.is_empty() {
        return Ok(d);
    }
    let json = serde_json::to_string_pretty(&d).unwrap_or_else(|e| format!("(no JSON: {e})"));
    Err(format!(
        "{}\n--- input ---\n{shown}\n--- diagnosis ---\n{json}\n--- end ---",
        problems.join("\n")
    ))
}

/// Collects failures from several cases so one test can report all of them at once.
#[derive(Debug, Default)]
pub struct Failures(Vec<String>);

impl Failures {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records an error, labelled with the case it came from.
    pub fn record<T>(&mut self, case: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.0.push(format!("=== {case} ===\n{e}"));
                None
            }
        }
    }

    /// Diagnoses `raw` and records a mismatch (see [`check`]) instead of panicking.
    pub fn check(
        &mut self,
        case: &str,
        raw: &[u8],
        source: &str,
        status: u16,
        hop: Hop,
    ) -> Option<Diagnosis> {
        self.record(case, try_check(raw, source, Some(status), Some(hop)))
    }

    /// Panics with every recorded failure, if there were any.
    pub fn finish(self) {
        if !self.0.is_empty() {
            panic!(
                "{} case(s) failed:\n\n{}",
                self.0.len(),
                self.0.join("\n\n")
            );
        }
    }
}

/// The current length of a log file (0 when missing), to read only what a case adds.
pub fn log_len(path: &Path) -> u64 {
    std::fs::metadata(path).map(|m| m.len()).unwrap_or(0)
}

/// One failure case run through a server under test.
#[derive(Debug, Clone, Copy)]
pub struct Case<'a> {
    pub source: &'a str,
    /// Fixture stem without `live-`, e.g. `upstream-refused`.
    pub case: &'a str,
    /// Words for the provenance line.
    pub what: &'a str,
    /// The status the server is expected to send.
    pub status: u16,
    pub hop: Hop,
}

impl Case<'_> {
    /// Fetches `path` from the server on `port`, captures the response as a fixture and checks
    /// the diagnosis; returns the raw response when there was one.
    pub fn http(&self, port: u16, path: &str, failures: &mut Failures) -> Option<Vec<u8>> {
        let raw = failures.record(
            self.case,
            fetch(port, "localhost", path, Duration::from_secs(10)),
        )?;
        self.judge(&raw, failures);
        Some(raw)
    }

    /// Captures an already fetched response and checks its diagnosis.
    pub fn judge(&self, raw: &[u8], failures: &mut Failures) {
        capture_fixture(&Fixture {
            source: self.source,
            case: self.case,
            ext: "http",
            raw,
            status: status_of(raw),
            hop: Some(self.hop),
            what: self.what,
        });
        failures.check(self.case, raw, self.source, self.status, self.hop);
    }

    /// Waits for the log line(s) containing `needle` in `log`, captures them as
    /// `live-<case>-log.log` and checks their diagnosis (same source, status and hop).
    pub fn log(&self, log: &Path, needle: &str, failures: &mut Failures) -> Option<String> {
        let case = format!("{}-log", self.case);
        let lines = failures.record(&case, wait_for_log(log, needle, Duration::from_secs(3)))?;
        self.judge_log(&lines, failures);
        Some(lines)
    }

    /// Waits until the log has a line containing `needle` written after byte `offset` (see
    /// [`log_len`]), then captures every line written after `offset` that contains `keep`.
    pub fn log_since(
        &self,
        log: &Path,
        offset: u64,
        needle: &str,
        keep: &str,
        failures: &mut Failures,
    ) -> Option<String> {
        let case = format!("{}-log", self.case);
        let deadline = Instant::now() + Duration::from_secs(3);
        let lines = loop {
            let all = std::fs::read(log).unwrap_or_default();
            let new = String::from_utf8_lossy(all.get(offset as usize..).unwrap_or_default())
                .into_owned();
            if new.contains(needle) {
                let kept: Vec<&str> = new.lines().filter(|l| l.contains(keep)).collect();
                break Ok(format!("{}\n", kept.join("\n")));
            }
            if Instant::now() >= deadline {
                break Err(format!(
                    "{} got no line containing {needle:?}; new lines:\n{new}",
                    log.display()
                ));
            }
            std::thread::sleep(Duration::from_millis(50));
        };
        let lines = failures.record(&case, lines)?;
        self.judge_log(&lines, failures);
        Some(lines)
    }

    /// Captures log lines found some other way as `live-<case>-log.log` and checks their
    /// diagnosis.
    pub fn judge_log(&self, lines: &str, failures: &mut Failures) {
        self.judge_lines(&format!("{}-log", self.case), lines, failures);
    }

    /// Checks a fetched response: first that the server sent the expected status, then that
    /// Culprit names the server, that status and the hop (see [`Case::judge`]).
    pub fn page(&self, fetched: Result<Vec<u8>, String>, failures: &mut Failures) {
        let Some(raw) = failures.record(self.case, fetched) else {
            return;
        };
        let sent = status_of(&raw);
        if sent != Some(self.status) {
            failures.record::<()>(
                self.case,
                Err(format!(
                    "the server sent status {sent:?}, expected {}:\n{}",
                    self.status,
                    String::from_utf8_lossy(&raw)
                )),
            );
            return;
        }
        self.judge(&raw, failures);
    }

    /// Log lines whose case name already says it is a log (`live-<case>.log`); status 0
    /// means the server sent no response, so the diagnosis must have no status.
    pub fn log_lines(&self, lines: Result<String, String>, failures: &mut Failures) {
        if let Some(lines) = failures.record(self.case, lines) {
            self.judge_lines(self.case, &lines, failures);
        }
    }

    fn judge_lines(&self, case: &str, lines: &str, failures: &mut Failures) {
        capture_fixture(&Fixture {
            source: self.source,
            case,
            ext: "log",
            raw: lines.as_bytes(),
            status: Some(self.status),
            hop: Some(self.hop),
            what: &if self.what.contains("log") {
                self.what.to_string()
            } else {
                format!("log line, {}", self.what)
            },
        });
        failures.check(case, lines.as_bytes(), self.source, self.status, self.hop);
    }
}
