//! How fast `diagnose` is, on the fixtures and on synthetic pages of 1 KB to 10 MB.
//!
//! Run: `cargo bench -p culprit-core --bench diagnose` (about three minutes on two cores).
//! Only some benchmarks: `cargo bench -p culprit-core --bench diagnose -- synthetic`.
//!
//! Targets: a typical error page (<= 10 KB) in 20 µs or less (median), at least 500 MB/s
//! on a 10 MB body, and 300 MB/s on the 100 KB rows (a full scan: no window). The first
//! diagnosis in the process is timed and printed before anything else runs.
//!
//! The engine inspects a window of a large body (its head and tail), so the 10 MB figure
//! shows that big inputs cost no more than that window; the 100 KB figures show the raw
//! scanning speed.
//!
//! Before criterion starts, every fixture is timed once on its own and the slowest are
//! listed, so one slow fixture does not hide inside its folder's average. Set
//! `CULPRIT_BENCH_ALL=1` to list every fixture.

use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// Pages at or under this size count as "typical error pages" for the 20 µs target.
const TYPICAL_MAX: usize = 10 * 1024;
const TYPICAL_TARGET_US: f64 = 20.0;

struct Fixture {
    /// `<source-id>/<file name>`.
    name: String,
    /// The source folder.
    folder: String,
    bytes: Vec<u8>,
}

fn fixtures_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

fn is_input_file(path: &Path) -> bool {
    let name = path
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default();
    !(name.ends_with(".toml")
        || name.ends_with(".md")
        || name.ends_with(".diagnosis.json")
        || name.starts_with('.'))
}

fn collect(dir: &Path, root: &Path, out: &mut Vec<Fixture>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        if path.is_dir() {
            collect(&path, root, out);
        } else if is_input_file(&path) {
            let Ok(bytes) = std::fs::read(&path) else {
                eprintln!("bench: cannot read {}, skipped", path.display());
                continue;
            };
            let rel = path.strip_prefix(root).unwrap_or(&path);
            let name = rel.to_string_lossy().replace('\\', "/");
            let folder = match name.split_once('/') {
                Some((folder, _)) => folder.to_string(),
                None => "(top)".to_string(),
            };
            out.push(Fixture {
                name,
                folder,
                bytes,
            });
        }
    }
}

fn load_fixtures() -> Vec<Fixture> {
    let root = fixtures_dir();
    let mut out = Vec::new();
    collect(&root, &root, &mut out);
    out
}

/// Median time of one call, measured in batches long enough for the clock.
fn median_call(bytes: &[u8]) -> Duration {
    // Size the batch so it takes roughly 200 µs.
    let start = Instant::now();
    let _ = black_box(culprit_core::diagnose(black_box(bytes)));
    let one = start.elapsed().max(Duration::from_nanos(50));
    let batch = (Duration::from_micros(200).as_nanos() / one.as_nanos()).clamp(1, 10_000) as u32;
    let mut samples: Vec<Duration> = (0..15)
        .map(|_| {
            let start = Instant::now();
            for _ in 0..batch {
                let _ = black_box(culprit_core::diagnose(black_box(bytes)));
            }
            start.elapsed() / batch
        })
        .collect();
    samples.sort();
    samples[samples.len() / 2]
}

fn micros(d: Duration) -> f64 {
    d.as_secs_f64() * 1e6
}

/// Times every fixture alone and prints the slowest, with the count over target.
fn fixture_table(fixtures: &[Fixture]) {
    if fixtures.is_empty() {
        return;
    }
    let mut rows: Vec<(&Fixture, Duration, bool)> = fixtures
        .iter()
        .map(|f| {
            let ok = culprit_core::diagnose(&f.bytes).is_ok();
            (f, median_call(&f.bytes), ok)
        })
        .collect();
    rows.sort_by_key(|r| std::cmp::Reverse(r.1));
    let all = std::env::var_os("CULPRIT_BENCH_ALL").is_some();
    let shown = if all { rows.len() } else { rows.len().min(10) };

    eprintln!();
    eprintln!(
        "Median time per call, slowest fixtures first ({shown} of {}):",
        rows.len()
    );
    eprintln!("  {:>10}  {:>9}  fixture", "µs/call", "bytes");
    for (f, t, ok) in rows.iter().take(shown) {
        let mark = if *ok { "" } else { "  (refused as input)" };
        eprintln!(
            "  {:>10.2}  {:>9}  {}{mark}",
            micros(*t),
            f.bytes.len(),
            f.name
        );
    }
    let mut typical: Vec<Duration> = rows
        .iter()
        .filter(|(f, _, _)| f.bytes.len() <= TYPICAL_MAX)
        .map(|r| r.1)
        .collect();
    typical.sort();
    if let Some(mid) = typical.get(typical.len() / 2) {
        let over = typical
            .iter()
            .filter(|t| micros(**t) > TYPICAL_TARGET_US)
            .count();
        let worst = typical.last().copied().unwrap_or_default();
        eprintln!(
            "  fixtures <= 10 KB: {} · median {:.2} µs · slowest {:.2} µs · {over} over the {TYPICAL_TARGET_US} µs target",
            typical.len(),
            micros(*mid),
            micros(worst),
        );
    }
    eprintln!();
}

/// The first diagnosis in this process, before any other call: what a one-shot CLI run
/// pays on top of process start (the matcher's tables are generated at compile time, so
/// this is only the first touch of code and tables). Printed, not asserted.
fn first_diagnosis() {
    let page = fixtures_dir().join("cloudflare/520-unknown-error.http");
    let Ok(bytes) = std::fs::read(&page) else {
        eprintln!(
            "bench: {} missing; first diagnosis not timed",
            page.display()
        );
        return;
    };
    let start = Instant::now();
    let _ = black_box(culprit_core::diagnose(black_box(&bytes)));
    let first = start.elapsed();
    let start = Instant::now();
    let _ = black_box(culprit_core::diagnose(black_box(&bytes)));
    let second = start.elapsed();
    eprintln!();
    eprintln!(
        "First diagnosis in this process ({} bytes): {:.1} µs; the same page again: {:.1} µs",
        bytes.len(),
        micros(first),
        micros(second)
    );
}

/// Criterion benchmarks over the fixtures: one line per source folder, each reporting
/// the mean time of one call with the folder's fixtures taken in turn.
fn bench_fixtures(c: &mut Criterion) {
    first_diagnosis();
    let fixtures = load_fixtures();
    if fixtures.is_empty() {
        eprintln!(
            "bench: no fixtures under {}; only synthetic pages are measured",
            fixtures_dir().display()
        );
        return;
    }
    fixture_table(&fixtures);

    let mut group = c.benchmark_group("fixtures");
    group
        .sample_size(30)
        .warm_up_time(Duration::from_millis(300))
        .measurement_time(Duration::from_millis(1200));

    let typical: Vec<&[u8]> = fixtures
        .iter()
        .filter(|f| f.bytes.len() <= TYPICAL_MAX)
        .map(|f| f.bytes.as_slice())
        .collect();
    if !typical.is_empty() {
        group.bench_function("all <= 10 KB, per call", |b| {
            round_robin(b, &typical);
        });
    }

    let mut folders: Vec<&str> = fixtures.iter().map(|f| f.folder.as_str()).collect();
    folders.dedup();
    for folder in folders {
        let inputs: Vec<&[u8]> = fixtures
            .iter()
            .filter(|f| f.folder == folder)
            .map(|f| f.bytes.as_slice())
            .collect();
        group.bench_function(format!("{folder} ({}), per call", inputs.len()), |b| {
            round_robin(b, &inputs);
        });
    }
    group.finish();
}

/// One criterion iteration is one call; the inputs are taken in turn.
fn round_robin(b: &mut criterion::Bencher<'_>, inputs: &[&[u8]]) {
    b.iter_custom(|iters| {
        let start = Instant::now();
        let mut i = 0usize;
        for _ in 0..iters {
            let _ = black_box(culprit_core::diagnose(black_box(inputs[i])));
            i += 1;
            if i == inputs.len() {
                i = 0;
            }
        }
        start.elapsed()
    });
}

/// A small deterministic generator (xorshift64*), so runs compare like with like.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const WORDS: &[&str] = &[
    "the",
    "of",
    "and",
    "to",
    "in",
    "is",
    "that",
    "for",
    "it",
    "as",
    "was",
    "with",
    "on",
    "city",
    "council",
    "morning",
    "weather",
    "report",
    "market",
    "river",
    "bridge",
    "train",
    "season",
    "players",
    "museum",
    "library",
    "garden",
    "festival",
    "recipe",
    "kitchen",
    "results",
    "election",
    "students",
    "teachers",
    "harbour",
    "climate",
    "energy",
    "prices",
    "according",
    "yesterday",
    "officials",
    "announced",
    "residents",
    "community",
    "project",
    "would",
    "could",
    "between",
    "several",
    "before",
    "after",
    "during",
    "because",
    "although",
];

fn sentence(rng: &mut Rng, out: &mut String) {
    let n = 8 + rng.below(14);
    for i in 0..n {
        let w = WORDS[rng.below(WORDS.len())];
        if i == 0 {
            let mut cs = w.chars();
            if let Some(first) = cs.next() {
                out.extend(first.to_uppercase());
                out.push_str(cs.as_str());
            }
        } else {
            out.push(' ');
            out.push_str(w);
        }
    }
    out.push_str(". ");
}

/// Ordinary article markup: headings, paragraphs with links, lists.
fn article_html(rng: &mut Rng, target: usize, out: &mut String) {
    let start = out.len();
    let mut n = 0usize;
    while out.len() - start < target {
        n += 1;
        match rng.below(8) {
            0 => {
                out.push_str("<h2 class=\"section-title\">");
                sentence(rng, out);
                out.push_str("</h2>\n");
            }
            1 => {
                out.push_str("<ul class=\"related\">\n");
                for i in 0..3 {
                    out.push_str(&format!(
                        "  <li><a href=\"/news/{n}-{i}.html\" rel=\"bookmark\">"
                    ));
                    sentence(rng, out);
                    out.push_str("</a></li>\n");
                }
                out.push_str("</ul>\n");
            }
            _ => {
                out.push_str("<p>");
                for _ in 0..(2 + rng.below(4)) {
                    sentence(rng, out);
                }
                out.push_str(&format!(
                    "<a href=\"https://www.example.org/article/{n}\">read more</a></p>\n"
                ));
            }
        }
    }
}

/// A Cloudflare-style 502 page, fronting an nginx origin, padded with article markup.
fn error_page_html(body_size: usize, rng: &mut Rng) -> String {
    let head = "<!DOCTYPE html>\n<html lang=\"en-US\">\n<head>\n<title>example.com | 502: Bad gateway</title>\n\
<meta charset=\"UTF-8\" />\n<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\" />\n\
<link rel=\"stylesheet\" id=\"cf_styles-css\" href=\"/cdn-cgi/styles/main.css\" />\n</head>\n<body>\n\
<div id=\"cf-wrapper\">\n<div id=\"cf-error-details\" class=\"p-0\">\n<header class=\"mx-auto pt-10 lg:pt-6\">\n\
<h1 class=\"inline-block sm:block sm:mb-2\"><span class=\"inline-block\">Bad gateway</span>\n\
<span class=\"code-label\">Error code 502</span></h1>\n</header>\n<div class=\"article\">\n";
    let tail = "</div>\n<div class=\"cf-error-footer\">\n<p>What happened?</p>\n\
<p>The web server reported a bad gateway error.</p>\n<p>What can I do?</p>\n<p>Please try again in a few minutes.</p>\n\
<span>Cloudflare Ray ID: <strong class=\"font-semibold\">8c1d2e3f4a5b6c7d</strong></span>\n\
<span>Performance &amp; security by <a href=\"https://www.cloudflare.com/5xx-error-landing\">Cloudflare</a></span>\n\
<hr><center>nginx</center>\n</div>\n</div>\n</div>\n</body>\n</html>\n";
    let mut out = String::with_capacity(body_size + 1024);
    out.push_str(head);
    let pad = body_size.saturating_sub(head.len() + tail.len());
    article_html(rng, pad, &mut out);
    out.push_str(tail);
    out
}

/// Random printable ASCII in lines of about 80 characters.
fn random_text(body_size: usize, rng: &mut Rng) -> String {
    let mut out = String::with_capacity(body_size + 1);
    let mut col = 0usize;
    while out.len() < body_size {
        let r = rng.next();
        // Eight characters per draw.
        for k in 0..8 {
            if col >= 72 && (r >> (k * 8)) & 7 == 0 {
                out.push('\n');
                col = 0;
                continue;
            }
            let c = 0x20 + (((r >> (k * 8)) & 0xff) % 95) as u8;
            out.push(char::from(c));
            col += 1;
        }
    }
    out
}

fn http_response(body: &str, server: &str) -> Vec<u8> {
    let head = format!(
        "HTTP/1.1 502 Bad Gateway\r\n\
Date: Sat, 21 Nov 2026 10:00:00 GMT\r\n\
Content-Type: text/html; charset=UTF-8\r\n\
Content-Length: {}\r\n\
Connection: keep-alive\r\n\
Cache-Control: private, max-age=0, no-store, no-cache, must-revalidate\r\n\
Expires: Thu, 01 Jan 1970 00:00:01 GMT\r\n\
Server: {server}\r\n\
CF-RAY: 8c1d2e3f4a5b6c7d-AMS\r\n\
\r\n",
        body.len()
    );
    let mut out = head.into_bytes();
    out.extend_from_slice(body.as_bytes());
    out
}

fn bench_synthetic(c: &mut Criterion) {
    let sizes: [(&str, usize); 3] = [
        ("1 KB", 1024),
        ("100 KB", 100 * 1024),
        ("10 MB", 10 * 1024 * 1024),
    ];
    let mut group = c.benchmark_group("synthetic");
    for (label, size) in sizes {
        let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ size as u64);
        let html = http_response(&error_page_html(size, &mut rng), "cloudflare");
        let text = http_response(&random_text(size, &mut rng), "nginx");

        if size >= 1024 * 1024 {
            // Each call takes milliseconds: the same few calls per sample is enough.
            group
                .sampling_mode(SamplingMode::Flat)
                .sample_size(10)
                .warm_up_time(Duration::from_secs(1))
                .measurement_time(Duration::from_secs(4));
        } else {
            group
                .sampling_mode(SamplingMode::Auto)
                .sample_size(30)
                .warm_up_time(Duration::from_millis(500))
                .measurement_time(Duration::from_secs(2));
        }
        for (kind, input) in [("error page html", &html), ("random text", &text)] {
            group.throughput(Throughput::Bytes(input.len() as u64));
            group.bench_function(format!("{kind}, {label}"), |b| {
                b.iter(|| culprit_core::diagnose(black_box(input.as_slice())));
            });
        }
    }
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().noise_threshold(0.03);
    targets = bench_fixtures, bench_synthetic
}
criterion_main!(benches);
