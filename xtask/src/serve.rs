//! `cargo xtask serve`: the built site over HTTP/1.1 on 127.0.0.1, as a static host would
//! serve it: precompressed `.br` / `.gz` copies when the browser accepts them, directories as
//! their `index.html` (a path without its slash is redirected to it), `404.html` for what is
//! missing, and the headers `_headers` sets (the Content-Security-Policy among them).
//!
//! Plain `std::net`, one thread per connection, keep-alive. Only for local use and tests.

use crate::site;
use std::collections::HashMap;
use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

/// The port `serve` and `run` try first.
pub const DEFAULT_PORT: u16 = 8080;
/// A request's line and headers may not be longer than this.
const MAX_HEAD: usize = 16 * 1024;
/// An idle keep-alive connection is closed after this.
const IDLE: Duration = Duration::from_secs(15);

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// The folder to serve (default `target/dist/site`).
    pub dir: Option<PathBuf>,
    /// The port; 0 picks a free one; none: 8080, or a free one when 8080 is taken.
    pub port: Option<u16>,
    /// Print one line per request on stderr.
    pub log: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        crate::exit_if_help(args);
        let mut options = Options::default();
        let mut flags = crate::Flags::new(args);
        while let Some((flag, inline)) = flags.next() {
            let mut value = || flags.value(inline.clone(), &format!("{flag} needs a value"));
            match flag {
                "--dir" => options.dir = Some(PathBuf::from(value()?)),
                "--port" => options.port = Some(parse_port(&value()?)?),
                "--host" => check_host(&value()?)?,
                "--log" => options.log = true,
                other => {
                    return Err(format!(
                        "unknown option `{other}` for `cargo xtask serve`; see `cargo xtask help`"
                    ));
                }
            }
        }
        Ok(options)
    }
}

pub fn parse_port(text: &str) -> Result<u16, String> {
    text.parse::<u16>()
        .map_err(|_| format!("`{text}` is not a port number (0 to 65535; 0 picks a free one)"))
}

/// Only loopback: this server is for looking at the site on this machine.
fn check_host(host: &str) -> Result<(), String> {
    if host == "127.0.0.1" || host == "localhost" {
        Ok(())
    } else {
        Err(format!(
            "--host {host}: this server only listens on 127.0.0.1 (it is for local use; any \
             static host can serve target/dist/site for the world)"
        ))
    }
}

/// `cargo xtask serve`.
pub fn run(options: &Options) -> Result<(), String> {
    let dir = options.dir.clone().unwrap_or_else(site::dist_dir);
    let listener = bind(options.port)?;
    serve(listener, &dir, options.log)
}

/// Binds 127.0.0.1: `port` if given (0: a free one), else 8080 or a free one if it is taken.
pub fn bind(port: Option<u16>) -> Result<TcpListener, String> {
    let at = |port: u16| TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    match port {
        Some(port) => at(port).map_err(|e| {
            format!("could not listen on 127.0.0.1:{port}: {e} (--port 0 picks a free port)")
        }),
        None => at(DEFAULT_PORT)
            .or_else(|_| at(0))
            .map_err(|e| format!("could not listen on 127.0.0.1: {e}")),
    }
}

/// Serves `dir` until the process is stopped. The first line on stdout is exactly
/// `serving http://127.0.0.1:PORT/` (tests read it).
pub fn serve(listener: TcpListener, dir: &Path, log: bool) -> Result<(), String> {
    let site = Arc::new(Site::open(dir, log)?);
    let port = listener
        .local_addr()
        .map_err(|e| format!("could not read the listening address: {e}"))?
        .port();
    println!("serving http://127.0.0.1:{port}/");
    crate::proc::flush();
    for stream in listener.incoming() {
        match stream {
            Ok(stream) => {
                let site = Arc::clone(&site);
                let spawned = std::thread::Builder::new()
                    .name("serve".to_string())
                    .spawn(move || site.connection(stream));
                if let Err(e) = spawned {
                    eprintln!("serve: could not start a thread: {e}");
                }
            }
            Err(e) => eprintln!("serve: could not accept a connection: {e}"),
        }
    }
    Ok(())
}

/// The folder being served and the header rules from its `_headers`.
struct Site {
    root: PathBuf,
    rules: Vec<Rule>,
    log: bool,
}

/// One block of `_headers`: a path pattern (`/*`, `/pkg/*`, `/sw.js`) and its headers.
#[derive(Debug, PartialEq, Eq)]
struct Rule {
    pattern: String,
    headers: Vec<(String, String)>,
}

impl Rule {
    fn matches(&self, path: &str) -> bool {
        match self.pattern.strip_suffix('*') {
            Some(prefix) => path.starts_with(prefix),
            None => path == self.pattern,
        }
    }
}

/// Reads the Netlify / Cloudflare Pages `_headers` format: an unindented path pattern, then
/// indented `Name: value` lines; `#` starts a comment.
fn parse_headers_file(text: &str) -> Vec<Rule> {
    let mut rules: Vec<Rule> = Vec::new();
    for line in text.lines() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed.starts_with('#') {
            continue;
        }
        let indented = line.starts_with(' ') || line.starts_with('\t');
        if !indented {
            rules.push(Rule {
                pattern: trimmed.to_string(),
                headers: Vec::new(),
            });
        } else if let (Some(rule), Some((name, value))) =
            (rules.last_mut(), trimmed.split_once(':'))
        {
            rule.headers
                .push((name.trim().to_string(), value.trim().to_string()));
        }
    }
    rules
}

/// A parsed request: method, path (decoded), query and the headers that matter here.
#[derive(Debug)]
struct Request {
    method: String,
    target: String,
    version: String,
    headers: HashMap<String, String>,
}

impl Request {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(String::as_str)
    }

    fn keep_alive(&self) -> bool {
        let connection = self.header("connection").unwrap_or("").to_ascii_lowercase();
        if self.version == "HTTP/1.0" {
            connection.contains("keep-alive")
        } else {
            !connection.contains("close")
        }
    }
}

struct Response {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Response {
    fn new(status: u16) -> Response {
        Response {
            status,
            headers: Vec::new(),
            body: Vec::new(),
        }
    }

    fn text(status: u16, body: &str) -> Response {
        let mut response = Response::new(status);
        response.set("Content-Type", "text/plain; charset=utf-8");
        response.body = body.as_bytes().to_vec();
        response
    }

    /// Sets a header, replacing one of the same name.
    fn set(&mut self, name: &str, value: &str) {
        self.headers.retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        self.headers.push((name.to_string(), value.to_string()));
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

impl Site {
    fn open(dir: &Path, log: bool) -> Result<Site, String> {
        let root = std::fs::canonicalize(dir).map_err(|e| {
            format!(
                "cannot serve {}: {e} (build the site first: cargo xtask build)",
                dir.display()
            )
        })?;
        if !root.is_dir() {
            return Err(format!("cannot serve {}: not a folder", root.display()));
        }
        let rules = std::fs::read_to_string(root.join("_headers"))
            .map(|text| parse_headers_file(&text))
            .unwrap_or_default();
        Ok(Site { root, rules, log })
    }

    /// Answers requests on one connection until it closes, errs or idles.
    fn connection(&self, stream: TcpStream) {
        let _ = stream.set_read_timeout(Some(IDLE));
        let _ = stream.set_nodelay(true);
        let Ok(write_half) = stream.try_clone() else {
            return;
        };
        let mut writer = std::io::BufWriter::new(write_half);
        let mut reader = BufReader::new(stream);
        loop {
            let request = match read_request(&mut reader) {
                Ok(Some(request)) => request,
                Ok(None) => return,
                Err(status) => {
                    let response = Response::text(status, "bad request\n");
                    let _ = write_response(&mut writer, &response, false, false);
                    return;
                }
            };
            let keep_alive = request.keep_alive();
            let response = self.respond(&request);
            if self.log {
                eprintln!(
                    "serve: {} {} -> {}{}",
                    request.method,
                    request.target,
                    response.status,
                    response
                        .get("Content-Encoding")
                        .map(|e| format!(" ({e})"))
                        .unwrap_or_default()
                );
            }
            let head_only = request.method == "HEAD";
            if write_response(&mut writer, &response, head_only, keep_alive).is_err() || !keep_alive
            {
                return;
            }
        }
    }

    fn respond(&self, request: &Request) -> Response {
        let mut response = self.route(request);
        // The host's rules first, then what this server knows better.
        let path = request.target.split('?').next().unwrap_or("/");
        for rule in self.rules.iter().filter(|r| r.matches(path)) {
            for (name, value) in &rule.headers {
                response.set(name, value);
            }
        }
        let is_html = response
            .get("Content-Type")
            .is_some_and(|t| t.starts_with("text/html"));
        if is_html || path == "/sw.js" {
            response.set("Cache-Control", "no-cache");
        }
        response.set("Server", "culprit-xtask-serve");
        response.set("Date", &http_date(SystemTime::now()));
        response
    }

    fn route(&self, request: &Request) -> Response {
        if request.method != "GET" && request.method != "HEAD" {
            let mut response = Response::text(405, "only GET and HEAD\n");
            response.set("Allow", "GET, HEAD");
            return response;
        }
        let (raw_path, query) = match request.target.split_once('?') {
            Some((path, query)) => (path, Some(query)),
            None => (request.target.as_str(), None),
        };
        let Some(path) = decode_path(raw_path) else {
            return Response::text(400, "bad path\n");
        };
        let relative = path.trim_start_matches('/');
        // The host's own file is not part of the site.
        if relative == "_headers" {
            return self.not_found();
        }
        let file = self.root.join(relative);
        if file.is_dir() {
            if !path.ends_with('/') {
                let mut response = Response::text(301, "moved\n");
                let location = match query {
                    Some(query) => format!("{raw_path}/?{query}"),
                    None => format!("{raw_path}/"),
                };
                response.set("Location", &location);
                return response;
            }
            let index = file.join("index.html");
            if index.is_file() {
                return self.file(&index, request);
            }
            return self.not_found();
        }
        if file.is_file() {
            return self.file(&file, request);
        }
        self.not_found()
    }

    fn not_found(&self) -> Response {
        match std::fs::read(self.root.join("404.html")) {
            Ok(body) => {
                let mut response = Response::new(404);
                response.set("Content-Type", "text/html; charset=utf-8");
                response.body = body;
                response
            }
            Err(_) => Response::text(404, "not found\n"),
        }
    }

    /// A file, precompressed when a copy exists and the browser accepts it.
    fn file(&self, path: &Path, request: &Request) -> Response {
        let accepted = accepted_encodings(request.header("accept-encoding").unwrap_or(""));
        let mut chosen: Option<(&str, PathBuf)> = None;
        let mut has_copies = false;
        for (encoding, ext) in [("br", "br"), ("gzip", "gz")] {
            let mut name = path.as_os_str().to_owned();
            name.push(".");
            name.push(ext);
            let copy = PathBuf::from(name);
            if copy.is_file() {
                has_copies = true;
                if chosen.is_none() && accepted.iter().any(|a| a == encoding) {
                    chosen = Some((encoding, copy));
                }
            }
        }
        let served = chosen.as_ref().map_or(path, |(_, copy)| copy.as_path());
        let (body, etag) = match read_with_etag(served) {
            Ok(found) => found,
            Err(e) => {
                eprintln!("serve: could not read {}: {e}", served.display());
                return Response::text(500, "could not read the file\n");
            }
        };
        let mut response = Response::new(200);
        response.set("Content-Type", content_type(path));
        if let Some((encoding, _)) = &chosen {
            response.set("Content-Encoding", encoding);
        }
        if has_copies {
            response.set("Vary", "Accept-Encoding");
        }
        response.set("ETag", &etag);
        let matches_etag = request
            .header("if-none-match")
            .is_some_and(|tags| tags.split(',').any(|t| t.trim() == etag || t.trim() == "*"));
        if matches_etag {
            response.status = 304;
        } else {
            response.body = body;
        }
        response
    }
}

/// Reads a file and makes a strong validator from its length and modification time.
fn read_with_etag(path: &Path) -> std::io::Result<(Vec<u8>, String)> {
    let body = std::fs::read(path)?;
    let modified = std::fs::metadata(path)?
        .modified()
        .ok()
        .and_then(|m| m.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    let ext = path.extension().and_then(|e| e.to_str()).unwrap_or("");
    let etag = format!("\"{:x}-{:x}-{ext}\"", body.len(), modified);
    Ok((body, etag))
}

/// The encodings a request's `Accept-Encoding` allows (q > 0), lower-cased; `*` allows both
/// of ours unless they are named with q=0.
fn accepted_encodings(header: &str) -> Vec<String> {
    let mut allowed = Vec::new();
    let mut refused = Vec::new();
    let mut star = false;
    for item in header.split(',') {
        let mut parts = item.split(';');
        let name = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let q = parts
            .filter_map(|p| p.trim().strip_prefix("q="))
            .find_map(|q| q.trim().parse::<f32>().ok())
            .unwrap_or(1.0);
        if name == "*" {
            star = q > 0.0;
        } else if q > 0.0 {
            allowed.push(name);
        } else {
            refused.push(name);
        }
    }
    if star {
        for ours in ["br", "gzip"] {
            if !refused.iter().any(|r| r == ours) && !allowed.iter().any(|a| a == ours) {
                allowed.push(ours.to_string());
            }
        }
    }
    allowed
}

/// Percent-decodes a request path; `None` for anything that could leave the folder or is not
/// a plain path (`..` segments, backslashes, NUL, invalid UTF-8).
fn decode_path(raw: &str) -> Option<String> {
    if !raw.starts_with('/') {
        return None;
    }
    let bytes = raw.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = raw.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    let path = String::from_utf8(out).ok()?;
    let bad = path.contains('\0')
        || path.contains('\\')
        || path
            .split('/')
            .any(|segment| segment == ".." || segment == ".");
    (!bad).then_some(path)
}

pub fn content_type(path: &Path) -> &'static str {
    match path.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "webmanifest" => "application/manifest+json",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "xml" => "application/xml",
        "txt" => "text/plain; charset=utf-8",
        "gz" => "application/gzip",
        _ => "application/octet-stream",
    }
}

/// Reads one request head. `Ok(None)` when the connection closed or idled between requests;
/// `Err(status)` for a request this server will not read.
fn read_request(reader: &mut impl BufRead) -> Result<Option<Request>, u16> {
    let mut head = Vec::new();
    let mut lines: Vec<String> = Vec::new();
    loop {
        let mut line = Vec::new();
        match reader
            .take((MAX_HEAD + 1) as u64)
            .read_until(b'\n', &mut line)
        {
            Ok(0) => {
                return if lines.is_empty() { Ok(None) } else { Err(400) };
            }
            Ok(_) => {}
            Err(e)
                if lines.is_empty()
                    && matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) =>
            {
                return Ok(None);
            }
            Err(_) => return if lines.is_empty() { Ok(None) } else { Err(400) },
        }
        head.extend_from_slice(&line);
        if head.len() > MAX_HEAD {
            return Err(431);
        }
        let text = String::from_utf8_lossy(&line)
            .trim_end_matches(['\r', '\n'])
            .to_string();
        if text.is_empty() {
            if lines.is_empty() {
                // Blank lines before a request line are allowed (RFC 9112 2.2).
                continue;
            }
            break;
        }
        lines.push(text);
    }
    let mut first = lines.first().map(|l| l.split(' ')).ok_or(400u16)?;
    let (Some(method), Some(target), Some(version)) = (first.next(), first.next(), first.next())
    else {
        return Err(400);
    };
    if !version.starts_with("HTTP/1.") {
        return Err(505);
    }
    let mut headers = HashMap::new();
    for line in lines.iter().skip(1) {
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_string());
        }
    }
    // GET and HEAD carry no body; anything else is answered 405 and the connection closed.
    if headers.contains_key("content-length") || headers.contains_key("transfer-encoding") {
        headers.insert("connection".to_string(), "close".to_string());
    }
    Ok(Some(Request {
        method: method.to_string(),
        target: target.to_string(),
        version: version.to_string(),
        headers,
    }))
}

fn write_response(
    out: &mut impl Write,
    response: &Response,
    head_only: bool,
    keep_alive: bool,
) -> std::io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    if response.status != 304 {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    head.push_str(if keep_alive {
        "Connection: keep-alive\r\n\r\n"
    } else {
        "Connection: close\r\n\r\n"
    });
    out.write_all(head.as_bytes())?;
    if !head_only && response.status != 304 {
        out.write_all(&response.body)?;
    }
    out.flush()
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        301 => "Moved Permanently",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        431 => "Request Header Fields Too Large",
        505 => "HTTP Version Not Supported",
        _ => "Internal Server Error",
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT`.
fn http_date(time: SystemTime) -> String {
    let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = secs / 86_400;
    let rest = secs % 86_400;
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil from days (Howard Hinnant's algorithm), for dates after 1970.
    let z = days as i64 + 719_468;
    let era = z / 146_097;
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let months = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ];
    format!(
        "{weekday}, {day:02} {} {year} {:02}:{:02}:{:02} GMT",
        months[(month - 1) as usize],
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::proc::target_dir;

    fn get(site: &Site, target: &str, accept: &str) -> Response {
        let mut headers = HashMap::new();
        headers.insert("accept-encoding".to_string(), accept.to_string());
        site.respond(&Request {
            method: "GET".to_string(),
            target: target.to_string(),
            version: "HTTP/1.1".to_string(),
            headers,
        })
    }

    fn fixture_site() -> (PathBuf, Option<Site>) {
        let dir = target_dir()
            .join("xtask")
            .join(format!("test-serve-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(dir.join("status/502"));
        let _ = std::fs::create_dir_all(dir.join("pkg"));
        let files: [(&str, &[u8]); 7] = [
            ("index.html", b"<p>home</p>"),
            ("404.html", b"<p>not found</p>"),
            ("status/502/index.html", b"<p>502</p>"),
            ("pkg/app.wasm", b"\0asm"),
            ("pkg/app.wasm.br", b"brotli"),
            ("pkg/app.wasm.gz", b"gzip"),
            (
                "_headers",
                b"/*\n  X-Content-Type-Options: nosniff\n  Content-Security-Policy: default-src 'self'\n/pkg/*\n  Cache-Control: public, max-age=60\n",
            ),
        ];
        for (name, body) in files {
            let _ = std::fs::write(dir.join(name), body);
        }
        let site = Site::open(&dir, false).ok();
        (dir, site)
    }

    #[test]
    fn serves_like_a_static_host() {
        let (dir, site) = fixture_site();
        assert!(site.is_some(), "could not open the test site");
        let Some(site) = site else {
            return;
        };
        let home = get(&site, "/", "");
        assert_eq!(home.status, 200);
        assert_eq!(home.body, b"<p>home</p>");
        assert_eq!(home.get("Content-Type"), Some("text/html; charset=utf-8"));
        assert_eq!(home.get("Cache-Control"), Some("no-cache"));
        assert_eq!(home.get("X-Content-Type-Options"), Some("nosniff"));
        assert_eq!(
            home.get("Content-Security-Policy"),
            Some("default-src 'self'")
        );

        let redirect = get(&site, "/status/502?x=1", "");
        assert_eq!(redirect.status, 301);
        assert_eq!(redirect.get("Location"), Some("/status/502/?x=1"));
        assert_eq!(get(&site, "/status/502/", "").body, b"<p>502</p>");

        let missing = get(&site, "/nope", "");
        assert_eq!(missing.status, 404);
        assert_eq!(missing.body, b"<p>not found</p>");
        assert_eq!(get(&site, "/_headers", "").status, 404);
        assert_eq!(get(&site, "/../etc/passwd", "").status, 400);
        assert_eq!(get(&site, "/%2e%2e/etc/passwd", "").status, 400);

        let br = get(&site, "/pkg/app.wasm", "gzip, deflate, br");
        assert_eq!(br.get("Content-Encoding"), Some("br"));
        assert_eq!(br.get("Content-Type"), Some("application/wasm"));
        assert_eq!(br.get("Vary"), Some("Accept-Encoding"));
        assert_eq!(br.get("Cache-Control"), Some("public, max-age=60"));
        assert_eq!(br.body, b"brotli");
        let gz = get(&site, "/pkg/app.wasm", "gzip;q=1, br;q=0");
        assert_eq!(gz.get("Content-Encoding"), Some("gzip"));
        let plain = get(&site, "/pkg/app.wasm", "identity");
        assert_eq!(plain.get("Content-Encoding"), None);
        assert_eq!(plain.body, b"\0asm");
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn reads_the_headers_file() {
        let rules = parse_headers_file("# c\n/*\n  A: 1\n  B: x: y\n\n/pkg/*\n\tC: 2\n");
        assert_eq!(rules.len(), 2);
        assert_eq!(
            rules[0].headers,
            vec![
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "x: y".to_string())
            ]
        );
        assert!(rules[1].matches("/pkg/a.js"));
        assert!(!rules[1].matches("/pk"));
    }

    #[test]
    fn reads_requests() {
        let raw =
            b"GET /a?b HTTP/1.1\r\nHost: x\r\nAccept-Encoding: br\r\n\r\nGET / HTTP/1.0\r\n\r\n";
        let mut reader = BufReader::new(&raw[..]);
        let first = read_request(&mut reader);
        assert!(matches!(&first, Ok(Some(r)) if r.target == "/a?b" && r.keep_alive()));
        let second = read_request(&mut reader);
        assert!(matches!(&second, Ok(Some(r)) if r.target == "/" && !r.keep_alive()));
        assert!(matches!(read_request(&mut reader), Ok(None)));
        let huge = format!("GET / HTTP/1.1\r\nX: {}\r\n\r\n", "a".repeat(MAX_HEAD));
        assert!(matches!(
            read_request(&mut BufReader::new(huge.as_bytes())),
            Err(431)
        ));
    }

    #[test]
    fn parses_options_and_encodings() {
        let parse = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            Options::parse(&args)
        };
        assert_eq!(
            parse(&["--port", "0", "--dir=x", "--host", "127.0.0.1"]),
            Ok(Options {
                dir: Some(PathBuf::from("x")),
                port: Some(0),
                log: false
            })
        );
        assert!(parse(&["--host", "0.0.0.0"]).is_err());
        assert!(parse(&["--port", "http"]).is_err());
        assert_eq!(
            accepted_encodings("gzip, deflate, br, zstd"),
            ["gzip", "deflate", "br", "zstd"]
        );
        assert_eq!(accepted_encodings("*;q=0.5, br;q=0"), ["gzip"]);
        assert_eq!(decode_path("/a%20b/"), Some("/a b/".to_string()));
        assert_eq!(decode_path("/a/./b"), None);
        assert_eq!(http_date(UNIX_EPOCH), "Thu, 01 Jan 1970 00:00:00 GMT");
        assert_eq!(
            http_date(UNIX_EPOCH + Duration::from_secs(784_111_777)),
            "Sun, 06 Nov 1994 08:49:37 GMT"
        );
    }
}
