//! Table-driven test over every fixture in `tests/fixtures/<source>/`: each input is
//! diagnosed and checked against its `.toml` sidecar, and against the full snapshot
//! `<name>.diagnosis.json`.
//!
//! The same run measures calibration: for each confidence band, how many fixtures the
//! source was named with and how often it is the sidecar's. `docs/reliability.md` is that
//! table, generated here; the test fails when the file differs from what it computes, and
//! when an answer given with 90% or more is right less than 98% of the time.
//!
//! `CULPRIT_BLESS=1` rewrites the snapshots (and `docs/reliability.md`), and only the snapshots of fixtures whose
//! diagnosis agrees with their sidecar: a sidecar states what an expert would say, so a
//! snapshot is never blessed over it. Blessing happens only with the value `1` (`0` or empty
//! means no; anything else is refused), and never when `CI` is set: CI compares, it does not
//! rewrite.

// A failing fixture or a refused blessing is a panic by design.
#![allow(clippy::expect_used, clippy::panic)]

use serde::Deserialize;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    provenance: String,
    /// Why an expert gives this answer for this input, in one or two sentences: required and
    /// never empty, so an expectation is reasoned, never copied from the classifier's output.
    why: String,
    source: String,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    hop: Option<String>,
    #[serde(default)]
    via: Option<Vec<String>>,
    #[serde(default)]
    form: Option<String>,
    #[serde(default)]
    ids: Vec<String>,
    #[serde(default)]
    net_error: Option<String>,
    /// For a log of several requests: how many other failing requests it shows.
    #[serde(default)]
    others: Option<usize>,
}

fn fixtures() -> Vec<(PathBuf, PathBuf)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let mut out = Vec::new();
    let Ok(dirs) = std::fs::read_dir(&root) else {
        return out;
    };
    for dir in dirs
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_dir())
    {
        let Ok(files) = std::fs::read_dir(&dir) else {
            continue;
        };
        for f in files.filter_map(Result::ok).map(|e| e.path()) {
            let name = f
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            if name.ends_with(".toml") || name.ends_with(".diagnosis.json") || name.ends_with(".md")
            {
                continue;
            }
            let sidecar = f.with_extension("toml");
            out.push((f, sidecar));
        }
    }
    out.sort();
    out
}

fn snapshot_path(input: &Path) -> PathBuf {
    let stem = input
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    input.with_file_name(format!("{stem}.diagnosis.json"))
}

/// Whether to rewrite snapshots, from the values of `CULPRIT_BLESS` and `CI`.
fn bless_mode(bless: Option<&OsStr>, ci: Option<&OsStr>) -> Result<bool, String> {
    let on = match bless {
        None => false,
        Some(v) if v.is_empty() || v == "0" => false,
        Some(v) if v == "1" => true,
        Some(other) => {
            return Err(format!(
                "CULPRIT_BLESS={}: set it to 1 to rewrite the snapshots, or leave it unset",
                other.to_string_lossy()
            ));
        }
    };
    if on && ci.is_some_and(|v| !v.is_empty()) {
        return Err(
            "CULPRIT_BLESS=1 is refused because CI is set: CI compares the snapshots, it \
                    never rewrites them. Bless on a workstation and commit the reviewed diff."
                .to_string(),
        );
    }
    Ok(on)
}

#[test]
fn bless_only_with_1_and_never_under_ci() {
    fn os(s: &str) -> Option<&OsStr> {
        Some(OsStr::new(s))
    }
    assert_eq!(bless_mode(None, None), Ok(false));
    assert_eq!(bless_mode(os("0"), None), Ok(false));
    assert_eq!(bless_mode(os(""), None), Ok(false));
    assert_eq!(bless_mode(os("1"), None), Ok(true));
    assert_eq!(bless_mode(os("1"), os("")), Ok(true));
    assert_eq!(bless_mode(None, os("true")), Ok(false));
    assert_eq!(bless_mode(os("0"), os("true")), Ok(false));
    for value in ["true", "yes", "2", " 1"] {
        assert!(
            bless_mode(os(value), None).is_err(),
            "CULPRIT_BLESS={value}"
        );
    }
    let refused = bless_mode(os("1"), os("true")).expect_err("no blessing under CI");
    assert!(refused.contains("refused because CI is set"), "{refused}");
}

#[test]
fn every_fixture_is_diagnosed_as_its_sidecar_says() {
    let bless = match bless_mode(
        std::env::var_os("CULPRIT_BLESS").as_deref(),
        std::env::var_os("CI").as_deref(),
    ) {
        Ok(bless) => bless,
        Err(e) => panic!("{e}"),
    };
    let mut failures = Vec::new();
    let all = fixtures();
    assert!(!all.is_empty(), "no fixtures found");
    for (input, sidecar) in &all {
        let name = input
            .strip_prefix(env!("CARGO_MANIFEST_DIR"))
            .unwrap_or(input)
            .display()
            .to_string();
        let expect: Expect = match std::fs::read_to_string(sidecar)
            .map_err(|e| e.to_string())
            .and_then(|t| toml::from_str(&t).map_err(|e| e.to_string()))
        {
            Ok(e) => e,
            Err(e) => {
                failures.push(format!("{name}: sidecar {}: {e}", sidecar.display()));
                continue;
            }
        };
        assert!(
            !expect.provenance.trim().is_empty(),
            "{name}: provenance is empty"
        );
        if expect.why.trim().is_empty() {
            failures.push(format!(
                "{name}: sidecar {}: `why` is empty: say why an expert gives this answer",
                sidecar.display()
            ));
            continue;
        }
        let bytes = std::fs::read(input).unwrap_or_default();
        let d = match culprit_core::diagnose(&bytes) {
            Ok(d) => d,
            Err(e) => {
                failures.push(format!("{name}: unreadable: {e}"));
                continue;
            }
        };
        let mut problems = Vec::new();
        if d.source.id != expect.source {
            problems.push(format!(
                "source {} (confidence {}), expected {}",
                d.source.id, d.source.confidence, expect.source
            ));
        }
        match expect.status {
            Some(0) if d.status.is_some() => {
                problems.push(format!("status {:?}, expected none", d.status))
            }
            Some(s) if s != 0 && d.status != Some(s) => {
                problems.push(format!("status {:?}, expected {s}", d.status))
            }
            _ => {}
        }
        let json = serde_json::to_value(&d).unwrap_or_default();
        if let Some(h) = &expect.hop
            && json["failing_hop"]["hop"] != *h
        {
            problems.push(format!("hop {}, expected {h}", json["failing_hop"]["hop"]));
        }
        if let Some(f) = &expect.form
            && json["input_form"] != *f
        {
            problems.push(format!("form {}, expected {f}", json["input_form"]));
        }
        if let Some(via) = &expect.via {
            let mut got: Vec<_> = d.via.iter().map(|v| v.id.clone()).collect();
            let mut want = via.clone();
            got.sort();
            want.sort();
            if got != want {
                problems.push(format!("via {got:?}, expected {want:?}"));
            }
        }
        for id in &expect.ids {
            if !d.ids.iter().any(|x| &x.value == id) {
                problems.push(format!(
                    "id {id} not found (found {:?})",
                    d.ids.iter().map(|x| &x.value).collect::<Vec<_>>()
                ));
            }
        }
        if let Some(n) = &expect.net_error
            && d.net_error.as_deref() != Some(n.as_str())
        {
            problems.push(format!("net_error {:?}, expected {n}", d.net_error));
        }
        if let Some(n) = expect.others {
            let got: usize = d.other_failures.iter().map(|f| f.count).sum();
            if got != n {
                problems.push(format!("{got} other failures, expected {n}"));
            }
        }
        // The snapshot: full diagnosis, compared as JSON values.
        let snap = snapshot_path(input);
        let pretty = serde_json::to_string_pretty(&d).unwrap_or_default() + "\n";
        if bless && !problems.is_empty() {
            problems.push(format!(
                "{} not rewritten: the diagnosis disagrees with the sidecar",
                snap.display()
            ));
        } else if bless {
            if let Err(e) = std::fs::write(&snap, &pretty) {
                problems.push(format!("cannot write snapshot: {e}"));
            }
        } else {
            match std::fs::read_to_string(&snap)
                .ok()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
            {
                Some(v) if v == json => {}
                Some(_) => problems.push(format!(
                    "diagnosis differs from {} (rerun with CULPRIT_BLESS=1 and review the diff)",
                    snap.display()
                )),
                None => problems.push(format!(
                    "no snapshot {} (run with CULPRIT_BLESS=1)",
                    snap.display()
                )),
            }
        }
        if !problems.is_empty() {
            failures.push(format!("{name}\n    {}", problems.join("\n    ")));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} fixture(s) failed:\n{}",
        failures.len(),
        all.len(),
        failures.join("\n")
    );
}

/// Confidence bands of the reliability table: lower bound inclusive, upper exclusive, in
/// hundredths.
const BANDS: &[(u32, u32)] = &[
    (0, 50),
    (50, 60),
    (60, 70),
    (70, 80),
    (80, 90),
    (90, 95),
    (95, 100),
];

/// One answer: its confidence in hundredths, whether the source is the sidecar's, and what
/// kind of answer it is (`product`, `custom` or `none`).
struct Answer {
    confidence: u32,
    right: bool,
    kind: &'static str,
    /// The fixture, relative to `tests/fixtures/`, and the source named.
    fixture: String,
    source: String,
}

#[derive(Default)]
struct Band {
    answers: usize,
    right: usize,
    product: usize,
    custom: usize,
    none: usize,
}

fn bands(answers: &[Answer]) -> Vec<Band> {
    let mut out: Vec<Band> = BANDS.iter().map(|_| Band::default()).collect();
    for a in answers {
        let Some(i) = BANDS
            .iter()
            .position(|&(lo, hi)| a.confidence >= lo && (a.confidence < hi || hi == 100))
        else {
            continue;
        };
        let b = &mut out[i];
        b.answers += 1;
        b.right += usize::from(a.right);
        match a.kind {
            "custom" => b.custom += 1,
            "none" => b.none += 1,
            _ => b.product += 1,
        }
    }
    out
}

fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        "–".to_string()
    } else {
        format!("{:.1}%", 100.0 * part as f64 / whole as f64)
    }
}

fn reliability_doc(answers: &[Answer]) -> String {
    let mut doc = String::from(
        "# Reliability: what Culprit's confidence is worth\n\
         \n\
         Generated by `crates/core/tests/fixtures.rs` from every fixture under\n\
         `crates/core/tests/fixtures/`; do not edit by hand. After a change that moves a\n\
         confidence, `CULPRIT_BLESS=1 cargo test -p culprit-core --test fixtures` rewrites\n\
         this page with the snapshots, and the test fails while it is out of date.\n\
         \n\
         Each fixture's sidecar says what an expert answers for it. The table puts every\n\
         fixture's answer in the band of the confidence Culprit gave it and counts how often\n\
         the source named is the sidecar's. The test also fails when answers given with 90% or\n\
         more are right less than 98% of the time.\n\
         \n\
         | confidence | answers | right | share right | a product | the site's own (`custom`) | not an error page (`none`) |\n\
         |---|---:|---:|---:|---:|---:|---:|\n",
    );
    for (&(lo, hi), b) in BANDS.iter().zip(bands(answers)) {
        let label = if hi == 100 {
            format!("{lo}-99%")
        } else {
            format!("{lo}-{}%", hi - 1)
        };
        doc.push_str(&format!(
            "| {label} | {} | {} | {} | {} | {} | {} |\n",
            b.answers,
            b.right,
            percent(b.right, b.answers),
            b.product,
            b.custom,
            b.none
        ));
    }
    let total = answers.len();
    let right = answers.iter().filter(|a| a.right).count();
    let top: Vec<&Answer> = answers.iter().filter(|a| a.confidence >= 90).collect();
    let top_right = top.iter().filter(|a| a.right).count();
    doc.push_str(&format!(
        "| all | {total} | {right} | {} | | | |\n\
         \n\
         At 90% or more: {} answers, {} right ({}).\n",
        percent(right, total),
        top.len(),
        top_right,
        percent(top_right, top.len())
    ));
    let mut least: Vec<&Answer> = answers.iter().collect();
    least.sort_by(|a, b| (a.confidence, &a.fixture).cmp(&(b.confidence, &b.fixture)));
    doc.push_str(
        "\n## The least sure answers\n\n\
         | fixture | source named | confidence | right |\n|---|---|---:|---|\n",
    );
    for a in least.iter().take(12) {
        doc.push_str(&format!(
            "| `{}` | `{}` | {}% | {} |\n",
            a.fixture,
            a.source,
            a.confidence,
            if a.right { "yes" } else { "no" }
        ));
    }
    doc.push_str(
        "\n\
         ## How to read it\n\
         \n\
         The fixture test itself fails on a wrong source, so on the committed fixtures every\n\
         row is right by construction: what the table shows is where the answers sit. A\n\
         product named on a single fingerprint, a page pasted without its response, a\n\
         signature shared with another product, the site's own page and text about errors all\n\
         land below 90%; only corroborated signatures (several independent signals, or a\n\
         signature and the product's own headers, with no rival) reach the top bands. When a\n\
         new fixture is added with the expert's answer and Culprit disagrees, it is counted\n\
         here as wrong in its band until the rules or the engine are fixed.\n\
         \n\
         ## Where the numbers come from\n\
         \n\
         `crates/core/src/engine/source.rs` derives the confidence from the evidence:\n\
         \n\
         - **A product's page**: its signals combined as independent evidence (each removes its\n\
           weight's share of the remaining doubt), strengthened by the product's own headers;\n\
           times 0.9 when one signal alone with no header of its own carries the answer; times\n\
           up to 0.5 for another product's distinctive signature in the same input and up to\n\
           0.85 for another product's generic phrases; times 0.8 when three or more products\n\
           sign the input; times 0.95 for text pasted or saved without its response, and\n\
           0.9 more when that text runs past a thousand words (error pages are short).\n\
         - **The site's own page (`custom`)**: 0.6 for an error status sent, 0.45 for one read\n\
           off the page, 0.35 for error words alone; +0.1 for a page with words of its own,\n\
           -0.15 for no page at all; times one minus the best partial signature of any product\n\
           (it may be that product's page; a generic phrase that is the whole body, such as a\n\
           bare `Bad Gateway`, is one); -0.05 when a header names a product that could have\n\
           written it; kept between 0.2 and 0.8.\n\
         - **Not an error page (`none`)**: 0.9 for a success or redirect sent as such, 0.6 for\n\
           text that shows no failure; for text that reads like an article, a guide, a help\n\
           page, a news report or a thread about errors (`engine/prose.rs`), 0.6 plus 0.05 per\n\
           phrase of such writing found (up to four) plus 0.1 when three or more products are\n\
           named.\n\
         - **A page quoted in a question**: the quoted product's confidence times 0.7, at most\n\
           0.7, with a note saying it was found quoted.\n\
         - **A browser**: 0.95 when a HAR or observation recorded the network error itself;\n\
           0.7 for its error code alone, 0.55 for its code inside a longer text.\n\
         - **Headers alone** (an empty body): the header score times 0.9.\n",
    );
    doc
}

#[test]
fn reliability_table_is_current_and_calibrated() {
    let bless = match bless_mode(
        std::env::var_os("CULPRIT_BLESS").as_deref(),
        std::env::var_os("CI").as_deref(),
    ) {
        Ok(bless) => bless,
        Err(e) => panic!("{e}"),
    };
    let mut answers = Vec::new();
    for (input, sidecar) in fixtures() {
        let Some(expect) = std::fs::read_to_string(&sidecar)
            .ok()
            .and_then(|t| toml::from_str::<Expect>(&t).ok())
        else {
            continue;
        };
        let bytes = std::fs::read(&input).unwrap_or_default();
        let Ok(d) = culprit_core::diagnose(&bytes) else {
            continue;
        };
        let fixture = input
            .strip_prefix(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures"))
            .unwrap_or(&input)
            .display()
            .to_string();
        answers.push(Answer {
            confidence: (d.source.confidence * 100.0).round() as u32,
            right: d.source.id == expect.source,
            fixture,
            source: d.source.id.clone(),
            kind: match d.source.id.as_str() {
                "custom" => "custom",
                "none" => "none",
                _ => "product",
            },
        });
    }
    assert!(answers.len() > 100, "only {} fixtures read", answers.len());
    let doc = reliability_doc(&answers);
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/reliability.md");
    if bless {
        std::fs::write(&path, &doc).expect("write docs/reliability.md");
    } else {
        let on_disk = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            on_disk == doc,
            "docs/reliability.md is out of date: rerun with CULPRIT_BLESS=1 and review the diff"
        );
    }
    if let Err(e) = calibrated(&answers) {
        panic!("{e}");
    }
}

/// When Culprit says 90% or more, it is right at least 98% of the time.
fn calibrated(answers: &[Answer]) -> Result<(), String> {
    let top: Vec<&Answer> = answers.iter().filter(|a| a.confidence >= 90).collect();
    let right = top.iter().filter(|a| a.right).count();
    if right * 100 >= top.len() * 98 {
        Ok(())
    } else {
        Err(format!(
            "answers given with 90% or more are right {right} of {} times, below 98%",
            top.len()
        ))
    }
}

#[test]
fn calibration_needs_98_percent_right_at_90_and_more() {
    let answer = |confidence, right| Answer {
        confidence,
        right,
        kind: "product",
        fixture: String::new(),
        source: String::new(),
    };
    let mut answers: Vec<Answer> = (0..49).map(|_| answer(95, true)).collect();
    answers.push(answer(90, false));
    assert!(calibrated(&answers).is_ok(), "49 of 50 is 98%");
    answers.push(answer(99, false));
    assert!(calibrated(&answers).is_err(), "49 of 51 is below 98%");
    // Wrong answers below 90% do not count against it.
    let low: Vec<Answer> = (0..10).map(|_| answer(89, false)).collect();
    assert!(calibrated(&low).is_ok());
}

#[test]
fn bands_cover_every_confidence_once() {
    let answers: Vec<Answer> = (0..=99)
        .map(|c| Answer {
            confidence: c,
            right: c % 2 == 0,
            kind: "product",
            fixture: String::new(),
            source: String::new(),
        })
        .collect();
    let b = bands(&answers);
    assert_eq!(b.iter().map(|b| b.answers).sum::<usize>(), 100);
    assert_eq!(b.first().map(|b| b.answers), Some(50));
    assert_eq!(b.last().map(|b| b.answers), Some(5));
    assert_eq!(percent(1, 3), "33.3%");
    assert_eq!(percent(0, 0), "–");
}
