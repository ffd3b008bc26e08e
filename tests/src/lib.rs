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
use std::ffi::OsStr;
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

/// Whether to write fixtures, from the values of `CULPRIT_CAPTURE` and `CI`: only with the
/// value `1` (`0` or empty means no, anything else is refused), and never when `CI` is set,
/// since CI checks against the committed fixtures and never rewrites them.
pub fn capture_mode(capture: Option<&OsStr>, ci: Option<&OsStr>) -> Result<bool, String> {
    let on = match capture {
        None => false,
        Some(v) if v.is_empty() || v == "0" => false,
        Some(v) if v == "1" => true,
        Some(other) => {
            return Err(format!(
                "CULPRIT_CAPTURE={}: set it to 1 to write fixtures, or leave it unset",
                other.to_string_lossy()
            ));
        }
    };
    if on && ci.is_some_and(|v| !v.is_empty()) {
        return Err(
            "CULPRIT_CAPTURE=1 is refused because CI is set: CI checks the committed \
                    fixtures, it never rewrites them. Capture on a workstation and review the diff."
                .to_string(),
        );
    }
    Ok(on)
}

/// True when the run should write fixtures (`CULPRIT_CAPTURE=1`); panics when capturing is
/// asked for but refused (see [`capture_mode`]).
pub fn capturing() -> bool {
    match capture_mode(
        std::env::var_os("CULPRIT_CAPTURE").as_deref(),
        std::env::var_os("CI").as_deref(),
    ) {
        Ok(on) => on,
        Err(e) => panic!("{e}"),
    }
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

/// With `CULPRIT_CAPTURE=1`, writes the fixture, its `.toml` sidecar and its diagnosis
/// snapshot, but only after checking that the diagnosis says what the fixture states (source,
/// status, hop): a wrong answer is never written down as the expected one.
pub fn capture_fixture(f: &Fixture<'_>) -> Result<(), String> {
    if !capturing() {
        return Ok(());
    }
    write_fixture(f, &fixture_dir(f.source))
}

/// Checks the diagnosis of `f`, then writes the fixture, sidecar and snapshot into `dir`.
fn write_fixture(f: &Fixture<'_>, dir: &Path) -> Result<(), String> {
    let d = try_check(f.raw, f.source, f.status, f.hop)
        .map_err(|e| format!("not captured, the diagnosis is wrong: {e}"))?;
    if let Err(e) = std::fs::create_dir_all(dir) {
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
    // An existing sidecar is an expert's statement with its reasons (`why`): a capture never
    // rewrites it. A new one is written without `why`, so the fixture test fails until
    // someone says why the answer is right.
    let sidecar = dir.join(format!("{stem}.toml"));
    if !sidecar.exists() {
        if let Err(e) = std::fs::write(&sidecar, toml) {
            panic!("cannot write {}: {e}", sidecar.display());
        }
        eprintln!(
            "new fixture {}: add a `why` to its sidecar (see crates/core/tests/fixtures/README.md)",
            sidecar.display()
        );
    }
    // The diagnosis snapshot, exactly as `CULPRIT_BLESS=1` in culprit-core's fixture test
    // writes it, so a fresh capture needs no blessing of every other source.
    let json = serde_json::to_string_pretty(&d)
        .map_err(|e| format!("the diagnosis does not serialise: {e}"))?;
    let snapshot = dir.join(format!("{stem}.diagnosis.json"));
    if let Err(e) = std::fs::write(&snapshot, json + "\n") {
        panic!("cannot write {}: {e}", snapshot.display());
    }
    Ok(())
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
    /// Checks the diagnosis of an already fetched response and, when it is right, captures
    /// the response.
    pub fn judge(&self, raw: &[u8], failures: &mut Failures) {
        if failures
            .check(self.case, raw, self.source, self.status, self.hop)
            .is_some()
        {
            let captured = capture_fixture(&Fixture {
                source: self.source,
                case: self.case,
                ext: "http",
                raw,
                status: status_of(raw),
                hop: Some(self.hop),
                what: self.what,
            });
            failures.record(self.case, captured);
        }
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
        let checked = failures.check(case, lines.as_bytes(), self.source, self.status, self.hop);
        if checked.is_none() {
            return;
        }
        let captured = capture_fixture(&Fixture {
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
        failures.record(case, captured);
    }
}

// ---------------------------------------------------------------------------------------------
// Servers as a config template plus a table of cases
// ---------------------------------------------------------------------------------------------

/// A server under test: the files and command line that start it, as templates.
///
/// Templates are plain text with placeholders, replaced in this order: `vars` (which may
/// themselves hold placeholders), `snippets` (each repeated once per case that has an
/// upstream, in table order), then `{dir}` (the work directory), `{port}` (the port the
/// server listens on, on 127.0.0.1) and `{port:NAME}` (the port of the broken upstream
/// `NAME`: a [`Broken::name`] of the table's upstreams, or a name from `extra_upstreams`).
/// Inside a snippet, `{name}` is the upstream's [`Broken::name`], `{ident}` the same with `_`
/// for `-`, and `{upstream_port}` its port.
#[derive(Debug, Clone, Copy)]
pub struct Server<'a> {
    /// The fixture folder the captures go to (`crates/core/tests/fixtures/<source>/`).
    pub source: &'a str,
    /// The product's name in messages (`Apache`, `Traffic Server`).
    pub name: &'a str,
    /// The binary to start, found with [`require`].
    pub program: &'a str,
    pub args: &'a [&'a str],
    pub env: &'a [(&'a str, &'a str)],
    /// Files written into the work directory before the start: (path, template).
    pub files: &'a [(&'a str, &'a str)],
    pub vars: &'a [(&'a str, &'a str)],
    pub snippets: &'a [(&'a str, &'a str)],
    /// Broken upstreams no case is about but the configuration routes to.
    pub extra_upstreams: &'a [(&'a str, Broken)],
    /// A file (templated) the server writes its PID to, when it forks.
    pub pid_file: Option<&'a str>,
    /// Anything else to set up in the work directory before the start.
    pub prepare: Option<Prepare>,
    /// The `Host` header of the requests (templated).
    pub host: &'a str,
    /// How long to wait for a log line.
    pub log_wait: Duration,
    /// How long the server may take to listen (a JVM needs longer than a proxy).
    pub start_wait: Duration,
    /// How long each request may take.
    pub fetch_wait: Duration,
}

impl<'a> Server<'a> {
    /// A server with no files, arguments or snippets yet, asked with `Host: localhost`.
    pub const fn new(source: &'a str, name: &'a str, program: &'a str) -> Self {
        Server {
            source,
            name,
            program,
            args: &[],
            env: &[],
            files: &[],
            vars: &[],
            snippets: &[],
            extra_upstreams: &[],
            pid_file: None,
            prepare: None,
            host: "localhost",
            log_wait: Duration::from_secs(3),
            start_wait: Duration::from_secs(15),
            fetch_wait: Duration::from_secs(10),
        }
    }
}

/// Sets up the work directory beyond the templated files.
pub type Prepare = fn(&WorkDir) -> Result<(), String>;

/// What a case asks the server.
#[derive(Debug, Clone, Copy)]
pub enum Request<'a> {
    /// `GET path` (templated) straight to the server.
    Get(&'a str),
    /// An absolute-URI `GET url` (templated) to the server as a forward proxy.
    Proxy(&'a str),
    /// Nothing: the case only reads a log.
    None,
}

/// What a case expects back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// An error page the server wrote: the status it sent, then the diagnosis (see
    /// [`Case::page`]); captured as a fixture.
    Page,
    /// A status the server only passed on from the upstream: checked, never captured.
    Relayed,
    /// Nothing: the server closes the connection without a byte (its log says why).
    NoAnswer,
}

/// Where a case's log lines come from.
#[derive(Debug, Clone, Copy)]
pub enum LogFrom<'a> {
    /// A file in the work directory.
    File(&'a str),
    /// A program that prints the log of the request for the given path.
    Custom(fn(&Running<'_>, &str) -> Result<String, String>),
}

/// Log lines a case also captures and checks (same source, status and hop as its page).
#[derive(Debug, Clone, Copy)]
pub struct Log<'a> {
    pub from: LogFrom<'a>,
    /// Added to the case name for the fixture: `-log`, `-error-log`, `-cache-log`, or empty
    /// when the case is only about the log.
    pub suffix: &'a str,
    /// Words put before the case's own in the provenance line (`error log (JSON)`).
    pub label: &'a str,
    /// Wait for a line containing this (templated; also `{path}`, `{url}`, `{addr}`: the
    /// request's path, its URL, and the upstream's `127.0.0.1:port`).
    pub needle: &'a str,
    /// Of the lines holding `needle`, keep only those also holding this (templated).
    pub keep: &'a str,
    /// Only lines written after the case's request was sent.
    pub since_request: bool,
    /// When set (templated): instead of every line holding `needle`, the lines from the first
    /// one holding it through the first one from there holding this.
    pub until: &'a str,
}

impl<'a> Log<'a> {
    /// Every line of `file` holding `needle`, captured as `<case>-log`.
    pub const fn lines(file: &'a str, needle: &'a str) -> Self {
        Log {
            from: LogFrom::File(file),
            suffix: "-log",
            label: "",
            needle,
            keep: "",
            since_request: false,
            until: "",
        }
    }

    /// The same, with another fixture suffix and provenance words.
    pub const fn named(self, suffix: &'a str, label: &'a str) -> Self {
        Log {
            suffix,
            label,
            ..self
        }
    }

    pub const fn keep(self, keep: &'a str) -> Self {
        Log { keep, ..self }
    }

    pub const fn until(self, until: &'a str) -> Self {
        Log { until, ..self }
    }

    pub const fn since_request(self) -> Self {
        Log {
            since_request: true,
            ..self
        }
    }
}

/// One row of a server's case table.
#[derive(Debug, Clone, Copy)]
pub struct LiveCase<'a> {
    /// Fixture stem without `live-`.
    pub case: &'a str,
    /// Words for the provenance line.
    pub what: &'a str,
    /// The fixture folder when not the server's (a module's page that is its host's page).
    pub source: Option<&'a str>,
    /// The broken upstream this case's route leads to (one fresh upstream per case).
    pub upstream: Option<Broken>,
    pub request: Request<'a>,
    /// The status the server sends (or, for [`Expect::Relayed`], passes on).
    pub status: u16,
    pub hop: Hop,
    pub expect: Expect,
    pub logs: &'a [Log<'a>],
}

impl<'a> LiveCase<'a> {
    /// The server in front of a `kind` upstream, asked for `/{name}`; the origin failed.
    pub const fn upstream(kind: Broken, status: u16, case: &'a str, what: &'a str) -> Self {
        LiveCase {
            case,
            what,
            source: None,
            upstream: Some(kind),
            request: Request::Get("/{name}"),
            status,
            hop: Hop::Origin,
            expect: Expect::Page,
            logs: &[],
        }
    }

    /// The usual row: the upstream's port refuses the connection.
    pub const fn refused(status: u16) -> Self {
        Self::upstream(
            Broken::Refused,
            status,
            "upstream-refused",
            "the upstream port refused the connection",
        )
    }

    /// The usual row: the upstream closes the connection without a byte.
    pub const fn closed(status: u16) -> Self {
        Self::upstream(
            Broken::CloseEarly,
            status,
            "upstream-closed",
            "the upstream closed the connection without answering",
        )
    }

    /// The usual row: the upstream answers bytes that are not HTTP.
    pub const fn garbage(status: u16) -> Self {
        Self::upstream(
            Broken::Garbage,
            status,
            "upstream-garbage",
            "the upstream answered with bytes that are not HTTP",
        )
    }

    /// The usual row: the upstream accepts and never answers; `what` names the timeout.
    pub const fn timeout(status: u16, what: &'a str) -> Self {
        Self::upstream(Broken::Hang, status, "upstream-timeout", what)
    }

    /// A page the server writes itself for `GET path`.
    pub const fn get(path: &'a str, status: u16, hop: Hop, case: &'a str, what: &'a str) -> Self {
        LiveCase {
            case,
            what,
            source: None,
            upstream: None,
            request: Request::Get(path),
            status,
            hop,
            expect: Expect::Page,
            logs: &[],
        }
    }

    /// The usual row of an application server: `GET /missing` gets its 404 page.
    pub const fn not_found() -> Self {
        Self::get(
            "/missing",
            404,
            Hop::Origin,
            "not-found",
            "a path that does not exist",
        )
    }

    /// The usual row of an application server: a request line split by a space in the path
    /// (`fetch` writes the path as it is) gets its 400 page.
    pub const fn space_in_path() -> Self {
        Self::get(
            "/a b",
            400,
            Hop::Browser,
            "bad-request",
            "a request line with a space in the path",
        )
    }

    /// A case about log lines alone.
    pub const fn log_only(case: &'a str, what: &'a str, status: u16, log: &'a [Log<'a>]) -> Self {
        LiveCase {
            case,
            what,
            source: None,
            upstream: None,
            request: Request::None,
            status,
            hop: Hop::Origin,
            expect: Expect::Page,
            logs: log,
        }
    }

    pub const fn logs(self, logs: &'a [Log<'a>]) -> Self {
        LiveCase { logs, ..self }
    }

    pub const fn request(self, request: Request<'a>) -> Self {
        LiveCase { request, ..self }
    }

    /// Captured into `source`'s fixture folder instead of the server's.
    pub const fn source(self, source: &'a str) -> Self {
        LiveCase {
            source: Some(source),
            ..self
        }
    }

    /// The status is the upstream's, passed on: check it, capture nothing.
    pub const fn relayed(self) -> Self {
        LiveCase {
            expect: Expect::Relayed,
            ..self
        }
    }

    /// The server must drop the connection without a byte; only the case's logs are captured.
    pub const fn no_answer(self) -> Self {
        LiveCase {
            expect: Expect::NoAnswer,
            ..self
        }
    }
}

/// A started server with its upstreams. Dropping it stops the server (by PID, also when a
/// check panicked), then the upstreams, then removes the work directory.
#[derive(Debug)]
pub struct Running<'a> {
    /// Set once started; dropped (stopped) first.
    proc: Option<Proc>,
    upstreams: Vec<(String, Upstream)>,
    pub wd: WorkDir,
    pub port: u16,
    /// Placeholders and what they stand for: the server's `vars`, then its snippets.
    vars: Vec<(String, String)>,
    pub server: Server<'a>,
}

impl<'a> Server<'a> {
    /// Writes the configuration for `cases`, starts the server on a free port of 127.0.0.1
    /// and waits until it listens (panicking with its output when it does not).
    pub fn start(&self, cases: &[LiveCase<'_>]) -> Running<'a> {
        let program = require(self.program);
        let wd = workdir(self.source);
        let port = free_port();
        let mut upstreams: Vec<(String, Upstream)> = cases
            .iter()
            .filter_map(|c| c.upstream)
            .map(|kind| (kind.name().to_string(), broken_upstream(kind)))
            .collect();
        let routed = upstreams.len();
        for (name, kind) in self.extra_upstreams {
            upstreams.push((name.to_string(), broken_upstream(*kind)));
        }
        let mut vars: Vec<(String, String)> = self
            .vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        for (placeholder, template) in self.snippets {
            let text: String = upstreams[..routed]
                .iter()
                .map(|(name, up)| {
                    template
                        .replace("{name}", name)
                        .replace("{ident}", &name.replace('-', "_"))
                        .replace("{upstream_port}", &up.port.to_string())
                })
                .collect();
            vars.push((placeholder.to_string(), text));
        }
        let mut running = Running {
            proc: None,
            upstreams,
            wd,
            port,
            vars,
            server: *self,
        };
        for (path, template) in self.files {
            running.wd.write(path, running.fill(template));
        }
        if let Some(prepare) = self.prepare
            && let Err(e) = prepare(&running.wd)
        {
            panic!("{e}");
        }
        let mut command = Command::new(&program);
        for arg in self.args {
            command.arg(running.fill(arg));
        }
        for (name, value) in self.env {
            command.env(name, running.fill(value));
        }
        command.current_dir(running.wd.path());
        let mut proc = spawn(&mut command);
        if let Some(pid_file) = self.pid_file {
            proc = proc.with_pid_file(running.fill(pid_file));
        }
        let proc = running.proc.insert(proc);
        if let Err(e) = proc.wait_ready(port, self.start_wait) {
            panic!("{e}");
        }
        running
    }

    /// Starts the server, runs every case of the table, and panics with every failure.
    pub fn run(&self, cases: &[LiveCase<'_>]) {
        let running = self.start(cases);
        let mut failures = Failures::new();
        running.run_cases(cases, &mut failures);
        running.finish(failures);
    }
}

impl Running<'_> {
    /// The broken upstream named `name` ([`Broken::name`] or an extra upstream's name).
    pub fn upstream(&self, name: &str) -> Option<&Upstream> {
        self.upstreams
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, u)| u)
    }

    /// Fills the server's placeholders in `template` (see [`Server`]).
    pub fn fill(&self, template: &str) -> String {
        let mut s = template.to_string();
        for (placeholder, value) in &self.vars {
            s = s.replace(placeholder, value);
        }
        for (name, up) in &self.upstreams {
            s = s.replace(&format!("{{port:{name}}}"), &up.port.to_string());
        }
        s.replace("{dir}", &self.wd.path().display().to_string())
            .replace("{port}", &self.port.to_string())
    }

    /// Runs every case in table order and returns the log lines each captured, by fixture
    /// case name.
    pub fn run_cases(
        &self,
        cases: &[LiveCase<'_>],
        failures: &mut Failures,
    ) -> Vec<(String, String)> {
        let mut logs = Vec::new();
        for c in cases {
            let up = c.upstream.and_then(|k| self.upstream(k.name()));
            let name = c.upstream.map(Broken::name).unwrap_or_default();
            let fill = |t: &str| {
                let mut s = self.fill(&t.replace("{name}", name));
                if let Some(up) = up {
                    s = s.replace("{addr}", &up.addr());
                }
                s
            };
            let expect = Case {
                source: c.source.unwrap_or(self.server.source),
                case: c.case,
                what: c.what,
                status: c.status,
                hop: c.hop,
            };
            let offsets: Vec<u64> = c
                .logs
                .iter()
                .map(|l| match l.from {
                    LogFrom::File(f) if l.since_request => log_len(&self.wd.join(f)),
                    _ => 0,
                })
                .collect();
            let timeout = self.server.fetch_wait;
            let (path, fetched) = match c.request {
                Request::Get(path) => {
                    let path = fill(path);
                    let got = fetch(self.port, &fill(self.server.host), &path, timeout);
                    (path, Some(got))
                }
                Request::Proxy(url) => {
                    let url = fill(url);
                    let got = fetch_via_proxy(self.port, &url, timeout);
                    (url, Some(got))
                }
                Request::None => (String::new(), None),
            };
            match (fetched, c.expect) {
                (Some(got), Expect::Page) => expect.page(got, failures),
                (Some(got), Expect::Relayed) => relayed(failures, c.case, got, c.status),
                (Some(got), Expect::NoAnswer) => {
                    if let Ok(raw) = got {
                        failures.record::<()>(
                            c.case,
                            Err(format!(
                                "expected {} to close without answering {path}, got:\n{}",
                                self.server.name,
                                String::from_utf8_lossy(&raw)
                            )),
                        );
                    }
                }
                (None, _) => {}
            }
            if let Some(up) = up {
                up.check_reached(c.case, self.server.name, failures);
            }
            for (log, offset) in c.logs.iter().zip(offsets) {
                let fill = |t: &str| fill(t).replace("{path}", &path).replace("{url}", &path);
                let lines = match log.from {
                    LogFrom::File(file) if !log.until.is_empty() => wait_for_excerpt(
                        &self.wd.join(file),
                        &fill(log.needle),
                        &fill(log.until),
                        self.server.log_wait,
                    ),
                    LogFrom::File(file) => wait_for_lines(
                        &self.wd.join(file),
                        offset,
                        &fill(log.needle),
                        &fill(log.keep),
                        self.server.log_wait,
                    ),
                    LogFrom::Custom(read) => read(self, &path),
                };
                let case = format!("{}{}", c.case, log.suffix);
                let what = if log.label.is_empty() {
                    c.what.to_string()
                } else {
                    format!("{}, {}", log.label, c.what)
                };
                if let Some(lines) = failures.record(&case, lines) {
                    Case {
                        case: &case,
                        what: &what,
                        ..expect
                    }
                    .judge_lines(&case, &lines, failures);
                    logs.push((case, lines));
                }
            }
        }
        logs
    }

    /// Checks the server is still up, then panics with every failure recorded.
    pub fn finish(mut self, mut failures: Failures) {
        if let Some(proc) = self.proc.as_mut()
            && let Err(e) = proc.still_running()
        {
            failures.record::<()>("server", Err(e));
        }
        failures.finish();
    }
}

/// Waits until the lines of `path` after byte `offset` include one holding `needle`, then
/// returns every such line that also holds `keep` (each ending in a newline).
pub fn wait_for_lines(
    path: &Path,
    offset: u64,
    needle: &str,
    keep: &str,
    timeout: Duration,
) -> Result<String, String> {
    let deadline = Instant::now() + timeout;
    loop {
        let all = std::fs::read(path).unwrap_or_default();
        let text = String::from_utf8_lossy(all.get(offset as usize..).unwrap_or_default());
        if text.contains(needle) {
            let kept: String = text
                .lines()
                .filter(|l| l.contains(needle) && l.contains(keep))
                .map(|l| format!("{l}\n"))
                .collect();
            return Ok(kept);
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

/// Waits until `path` holds a line with `needle` and, from there on, one with `until`, then
/// returns the lines from the first through the second (each ending in a newline).
pub fn wait_for_excerpt(
    path: &Path,
    needle: &str,
    until: &str,
    timeout: Duration,
) -> Result<String, String> {
    let deadline = Instant::now() + timeout;
    loop {
        let all = std::fs::read(path).unwrap_or_default();
        let text = String::from_utf8_lossy(&all);
        let excerpt: Vec<&str> = text.lines().skip_while(|l| !l.contains(needle)).collect();
        if let Some(end) = excerpt.iter().position(|l| l.contains(until)) {
            return Ok(excerpt
                .iter()
                .take(end + 1)
                .map(|l| format!("{l}\n"))
                .collect());
        }
        if Instant::now() >= deadline {
            return Err(format!(
                "{} has no {until:?} after {needle:?} within {timeout:?}; it holds:\n{text}",
                path.display()
            ));
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// For an upstream failure the server passes on instead of writing a page: checks only the
/// status it relayed (nothing is captured, since no product wrote an error page).
pub fn relayed(failures: &mut Failures, case: &str, fetched: Result<Vec<u8>, String>, status: u16) {
    let Some(raw) = failures.record(case, fetched) else {
        return;
    };
    if status_of(&raw) != Some(status) {
        failures.record::<()>(
            case,
            Err(format!(
                "expected the server to relay status {status}, got:\n{}",
                String::from_utf8_lossy(&raw)
            )),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn os(s: &str) -> Option<&OsStr> {
        Some(OsStr::new(s))
    }

    #[test]
    fn captures_only_with_1_and_never_under_ci() {
        assert_eq!(capture_mode(None, None), Ok(false));
        assert_eq!(capture_mode(os("0"), None), Ok(false));
        assert_eq!(capture_mode(os(""), None), Ok(false));
        assert_eq!(capture_mode(os("1"), None), Ok(true));
        assert_eq!(capture_mode(os("1"), os("")), Ok(true));
        assert_eq!(capture_mode(None, os("true")), Ok(false));
        for value in ["true", "yes", "2"] {
            assert!(capture_mode(os(value), None).is_err(), "{value}");
        }
        let refused = capture_mode(os("1"), os("true"));
        assert!(
            refused
                .as_ref()
                .is_err_and(|e| e.contains("refused because CI is set")),
            "{refused:?}"
        );
    }

    #[test]
    fn a_wrong_diagnosis_is_never_captured() {
        let page =
            b"HTTP/1.1 502 Bad Gateway\r\nServer: nginx/1.22.1\r\nContent-Type: text/html\r\n\r\n\
            <html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n\
            <center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx/1.22.1</center>\r\n\
            </body>\r\n</html>\r\n";
        let wd = workdir("capture-self-test");
        let fixture = |source| Fixture {
            source,
            case: "self-test",
            ext: "http",
            raw: page,
            status: Some(502),
            hop: Some(Hop::Origin),
            what: "a test of the harness",
        };
        let wrong = write_fixture(&fixture("apache"), wd.path());
        assert!(
            wrong.as_ref().is_err_and(|e| e.contains("not captured")),
            "{wrong:?}"
        );
        for ext in ["http", "toml", "diagnosis.json"] {
            assert!(!wd.join(format!("live-self-test.{ext}")).exists(), "{ext}");
        }
        assert_eq!(write_fixture(&fixture("nginx"), wd.path()), Ok(()));
        for ext in ["http", "toml", "diagnosis.json"] {
            assert!(wd.join(format!("live-self-test.{ext}")).exists(), "{ext}");
        }
    }

    #[test]
    fn a_capture_keeps_the_expert_s_sidecar() {
        let page = b"HTTP/1.1 502 Bad Gateway\r\nServer: nginx\r\n\r\n\
            <html><head><title>502 Bad Gateway</title></head><body>\
            <center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>";
        let wd = workdir("capture-keeps-sidecar");
        let sidecar = wd.join("live-keep.toml");
        let written =
            "provenance = \"by hand\"\nwhy = \"the expert's reasons\"\nsource = \"nginx\"\n";
        if let Err(e) = std::fs::write(&sidecar, written) {
            panic!("cannot write {}: {e}", sidecar.display());
        }
        let f = Fixture {
            source: "nginx",
            case: "keep",
            ext: "http",
            raw: page,
            status: Some(502),
            hop: Some(Hop::Origin),
            what: "a test of the harness",
        };
        assert_eq!(write_fixture(&f, wd.path()), Ok(()));
        assert_eq!(
            std::fs::read_to_string(&sidecar).ok().as_deref(),
            Some(written)
        );
        assert!(wd.join("live-keep.http").exists());
    }
}
