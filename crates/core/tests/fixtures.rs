//! Table-driven test over every fixture in `tests/fixtures/<source>/`: each input is
//! diagnosed and checked against its `.toml` sidecar, and against the full snapshot
//! `<name>.diagnosis.json`.
//!
//! `CULPRIT_BLESS=1` rewrites the snapshots, and only the snapshots of fixtures whose
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
