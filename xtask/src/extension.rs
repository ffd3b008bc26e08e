//! The browser extension: `cargo xtask build` (after the site) writes the unpacked extension
//! to `target/dist/extension/` and the store packages to `target/dist/`
//! (`culprit-extension-chrome.zip` for the Chrome Web Store, `culprit-extension-firefox.zip`
//! for addons.mozilla.org; one manifest serves both); `cargo xtask test --only extension`
//! builds it and runs `tests/extension/` in headless Chromium with it loaded (and a smoke test
//! in headless Firefox ESR).

use crate::npm;
use crate::proc::{
    self, Counts, banner, cargo, human, run as run_command, target_dir, workspace_root,
};
use flate2::Compression;
use flate2::write::{DeflateEncoder, GzEncoder};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

const OUT_NAME: &str = "culprit_extension";
const WASM_TARGET: &str = crate::install::WASM_TARGET;
const ICON_SIZES: [u32; 4] = [16, 32, 48, 128];
/// The budget for the unpacked extension.
const MAX_UNPACKED: u64 = 1_500_000;
const PACKAGES: [&str; 2] = [
    "culprit-extension-chrome.zip",
    "culprit-extension-firefox.zip",
];

/// `target/dist/extension`.
pub fn dist_dir() -> PathBuf {
    target_dir().join("dist").join("extension")
}

/// Where the extension's manifest and `static/` live: the top of the workspace (the wasm
/// crate is `crates/extension`).
fn source_dir() -> PathBuf {
    workspace_root()
}

/// Builds the extension into `dist_dir()` and the zips beside it; returns the folder.
pub fn build(dev: bool) -> Result<PathBuf, String> {
    let started = Instant::now();
    let dist = dist_dir();
    crate::install::wasm_target()?;
    if !dev {
        npm::ensure_node()?;
        npm::ensure_packages()?;
    }
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .map_err(|e| format!("could not empty {}: {e}", dist.display()))?;
    }

    let t = banner("xtask build: the extension's wasm (crates/extension) -> dist/extension/pkg/");
    let mut build = cargo([
        "build",
        "-p",
        "culprit-extension",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        "wasm-release",
    ]);
    build.env(
        "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
        crate::site::remap_flags(),
    );
    run_command(&mut build)?;
    let wasm = target_dir()
        .join(WASM_TARGET)
        .join("wasm-release")
        .join(format!("{OUT_NAME}.wasm"));
    let pkg = dist.join("pkg");
    std::fs::create_dir_all(&pkg)
        .map_err(|e| format!("could not create {}: {e}", pkg.display()))?;
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(&wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .out_name(OUT_NAME)
        .typescript(false)
        .omit_default_module_path(false)
        .remove_name_section(!dev)
        .remove_producers_section(!dev);
    bindgen
        .generate(&pkg)
        .map_err(|e| format!("wasm-bindgen on {} failed: {e:#}", wasm.display()))?;
    let bound = pkg.join(format!("{OUT_NAME}_bg.wasm"));
    if !dev {
        crate::site::wasm_opt(&bound, false)?;
    }
    println!("--> wasm ok ({})", human(t.elapsed()));

    let t = banner("xtask build: the extension's files (manifest, static/, icons) and packages");
    copy(
        &source_dir().join("manifest.json"),
        &dist.join("manifest.json"),
    )?;
    for entry in std::fs::read_dir(source_dir().join("static"))
        .map_err(|e| format!("could not list static/: {e}"))?
    {
        let path = entry.map_err(|e| e.to_string())?.path();
        if let Some(name) = path.file_name().filter(|_| path.is_file()) {
            copy(&path, &dist.join(name))?;
        }
    }
    let icons = dist.join("icons");
    std::fs::create_dir_all(&icons)
        .map_err(|e| format!("could not create {}: {e}", icons.display()))?;
    crate::icons::write_pngs(&icons, &ICON_SIZES)?;
    check_manifest(&dist)?;
    let files = crate::site::files_under(&dist)?;
    for name in PACKAGES {
        let zip = dist.parent().unwrap_or(&dist).join(name);
        write_zip(&dist, &files, &zip)?;
    }
    println!("--> files ok ({})", human(t.elapsed()));

    let sizes = sizes(&dist, &files, &bound)?;
    print!("{}", sizes.0);
    let json = target_dir().join("dist").join("extension-sizes.json");
    std::fs::write(&json, &sizes.1)
        .map_err(|e| format!("could not write {}: {e}", json.display()))?;
    println!(
        "xtask build: {} in {}",
        crate::site::shown(&dist),
        human(started.elapsed())
    );
    Ok(dist)
}

fn copy(from: &Path, to: &Path) -> Result<(), String> {
    if let Some(parent) = to.parent() {
        std::fs::create_dir_all(parent)
            .map_err(|e| format!("could not create {}: {e}", parent.display()))?;
    }
    std::fs::copy(from, to)
        .map(|_| ())
        .map_err(|e| format!("could not copy {} to {}: {e}", from.display(), to.display()))
}

/// Every file the manifest names must be in the package.
fn check_manifest(dist: &Path) -> Result<(), String> {
    let text = std::fs::read_to_string(dist.join("manifest.json"))
        .map_err(|e| format!("could not read the manifest: {e}"))?;
    let mut missing = Vec::new();
    for piece in text.split('"') {
        let named = [".js", ".html", ".png", ".css"]
            .iter()
            .any(|ext| piece.ends_with(ext))
            && !piece.contains(' ');
        if named && !dist.join(piece).is_file() {
            missing.push(piece.to_string());
        }
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "the manifest names files the package lacks: {}",
            missing.join(", ")
        ))
    }
}

/// Sizes: the unpacked total (against the budget), the wasm raw and gzipped, the zips.
fn sizes(dist: &Path, files: &[String], wasm: &Path) -> Result<(String, String), String> {
    let len = |p: &Path| {
        std::fs::metadata(p)
            .map(|m| m.len())
            .map_err(|e| format!("{}: {e}", p.display()))
    };
    let mut total = 0;
    for f in files {
        total += len(&dist.join(f))?;
    }
    let wasm_bytes = std::fs::read(wasm).map_err(|e| format!("could not read the wasm: {e}"))?;
    let mut gz = GzEncoder::new(Vec::new(), Compression::best());
    gz.write_all(&wasm_bytes).map_err(|e| e.to_string())?;
    let wasm_gz = gz.finish().map_err(|e| e.to_string())?.len() as u64;
    let zip = len(&dist.parent().unwrap_or(dist).join(PACKAGES[0]))?;
    let text = format!(
        "\nextension unpacked: {total} bytes in {} files (budget {MAX_UNPACKED})\nwasm: {} bytes, \
         {wasm_gz} gzip\nzip (each store): {zip} bytes\n",
        files.len(),
        wasm_bytes.len()
    );
    let json = format!(
        "{{\n  \"unpacked\": {total},\n  \"files\": {},\n  \"wasm\": {},\n  \"wasm_gzip\": {wasm_gz},\n  \"zip\": {zip}\n}}\n",
        files.len(),
        wasm_bytes.len()
    );
    if total > MAX_UNPACKED {
        return Err(format!(
            "the unpacked extension is {total} bytes, over the {MAX_UNPACKED}-byte budget{text}"
        ));
    }
    Ok((text, json))
}

/// A zip of `files` (relative to `dir`), deflated, with a fixed timestamp so the same
/// files make the same package.
fn write_zip(dir: &Path, files: &[String], out: &Path) -> Result<(), String> {
    const DOS_TIME: u16 = 0;
    const DOS_DATE: u16 = (2024 - 1980) << 9 | 1 << 5 | 1;
    let mut zip: Vec<u8> = Vec::new();
    let mut central: Vec<u8> = Vec::new();
    for name in files {
        let data =
            std::fs::read(dir.join(name)).map_err(|e| format!("could not read {name}: {e}"))?;
        let mut crc = flate2::Crc::new();
        crc.update(&data);
        let mut deflate = DeflateEncoder::new(Vec::new(), Compression::best());
        deflate.write_all(&data).map_err(|e| e.to_string())?;
        let packed = deflate.finish().map_err(|e| e.to_string())?;
        let too_big =
            |n: usize| u32::try_from(n).map_err(|_| format!("{name} is too large for a zip"));
        let (size, packed_size) = (too_big(data.len())?, too_big(packed.len())?);
        let offset = too_big(zip.len())?;
        let name_len = u16::try_from(name.len()).map_err(|_| format!("{name}: name too long"))?;
        let common = |buf: &mut Vec<u8>| {
            buf.extend_from_slice(&20u16.to_le_bytes()); // version needed
            buf.extend_from_slice(&0u16.to_le_bytes()); // flags
            buf.extend_from_slice(&8u16.to_le_bytes()); // deflate
            buf.extend_from_slice(&DOS_TIME.to_le_bytes());
            buf.extend_from_slice(&DOS_DATE.to_le_bytes());
            buf.extend_from_slice(&crc.sum().to_le_bytes());
            buf.extend_from_slice(&packed_size.to_le_bytes());
            buf.extend_from_slice(&size.to_le_bytes());
            buf.extend_from_slice(&name_len.to_le_bytes());
            buf.extend_from_slice(&0u16.to_le_bytes()); // extra length
        };
        zip.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
        common(&mut zip);
        zip.extend_from_slice(name.as_bytes());
        zip.extend_from_slice(&packed);
        central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
        central.extend_from_slice(&20u16.to_le_bytes()); // version made by
        common(&mut central);
        central.extend_from_slice(&0u16.to_le_bytes()); // comment length
        central.extend_from_slice(&0u16.to_le_bytes()); // disk
        central.extend_from_slice(&0u16.to_le_bytes()); // internal attributes
        central.extend_from_slice(&0u32.to_le_bytes()); // external attributes
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
    }
    let count = u16::try_from(files.len()).map_err(|_| "too many files for a zip".to_string())?;
    let central_offset = u32::try_from(zip.len()).map_err(|_| "zip too large".to_string())?;
    let central_len = u32::try_from(central.len()).map_err(|_| "zip too large".to_string())?;
    zip.extend_from_slice(&central);
    zip.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&count.to_le_bytes());
    zip.extend_from_slice(&central_len.to_le_bytes());
    zip.extend_from_slice(&central_offset.to_le_bytes());
    zip.extend_from_slice(&0u16.to_le_bytes());
    std::fs::write(out, zip).map_err(|e| format!("could not write {}: {e}", out.display()))
}

/// The `extension` test step: builds the extension, then runs `tests/extension/` (node's test
/// runner, playwright-core, headless Chromium with the unpacked extension loaded; the smoke
/// test in headless Firefox ESR with the Firefox zip installed over WebDriver BiDi).
pub fn test() -> Result<Counts, String> {
    let dist = build(false)?;
    npm::ensure_packages()?;
    if proc::which("node").is_none() {
        return Err("node is not on PATH: run the install step (cargo xtask test)".to_string());
    }
    let mut node = Command::new("node");
    node.args([
        "--test",
        "--test-concurrency=1",
        &format!("--test-timeout={}", proc::NODE_TEST_TIMEOUT_MS),
        "--test-reporter=spec",
        "tests/extension/",
    ])
    .current_dir(workspace_root())
    .env("CULPRIT_EXTENSION", &dist);
    proc::run_node_tests(&mut node)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    #[test]
    fn the_zip_reads_back() {
        let dir = target_dir()
            .join("xtask")
            .join(format!("test-zip-{}", std::process::id()));
        let _ = std::fs::create_dir_all(dir.join("a"));
        let _ = std::fs::write(dir.join("a/b.txt"), "hello hello hello");
        let out = dir.join("out.zip");
        assert!(write_zip(&dir, &["a/b.txt".to_string()], &out).is_ok());
        let bytes = std::fs::read(&out).unwrap_or_default();
        assert_eq!(bytes.get(0..4), Some(&[0x50, 0x4b, 0x03, 0x04][..]));
        // Header (30) + name (7), then the deflated data.
        let packed = bytes.get(37..).unwrap_or_default();
        let mut text = String::new();
        let _ = flate2::read::DeflateDecoder::new(packed).read_to_string(&mut text);
        assert_eq!(text, "hello hello hello");
        let _ = std::fs::remove_dir_all(&dir);
    }
}
