//! Node.js and the npm packages the site's build and tests use (`package.json` at the
//! workspace root, exact versions, `package-lock.json` committed): binaryen's `wasm-opt`,
//! `playwright-core`, `lighthouse` and `smol-toml`. Installed with `npm ci` into
//! `node_modules/`.

use crate::proc::{self, output, run, workspace_root};
use std::path::PathBuf;
use std::process::Command;
use std::time::SystemTime;

/// `node_modules/.bin/wasm-opt` (npm `binaryen`).
pub fn wasm_opt() -> PathBuf {
    workspace_root().join("node_modules/.bin/wasm-opt")
}

/// Makes sure `node` and `npm` are on `PATH`, installing Debian's `nodejs` / `npm` when one
/// is missing and this is a Debian system run as root.
pub fn ensure_node() -> Result<(), String> {
    let has_node = proc::which("node").is_some();
    let has_npm = proc::which("npm").is_some();
    if has_node && has_npm {
        let version = output(Command::new("node").arg("--version")).unwrap_or_default();
        println!("node {}, npm: present", version.trim());
        return Ok(());
    }
    // A Node.js from elsewhere (e.g. NodeSource) brings its own npm, which Debian's `npm`
    // package conflicts with: install only what is missing.
    let missing: Vec<&str> = if has_node {
        vec!["npm"]
    } else {
        vec!["nodejs", "npm"]
    };
    let uid = output(Command::new("id").arg("-u")).unwrap_or_default();
    if proc::which("apt-get").is_none() || uid.trim() != "0" {
        return Err(format!(
            "Node.js and npm are needed for the site's build and tests; install them \
             (Debian: `sudo apt-get install {}`), then re-run",
            missing.join(" ")
        ));
    }
    crate::install::apt_install(&missing)?;
    if proc::which("node").is_none() || proc::which("npm").is_none() {
        return Err("apt-get finished but `node` or `npm` is still not on PATH".to_string());
    }
    Ok(())
}

/// Runs `npm ci` when `node_modules/` is missing, lacks `wasm-opt`, or is older than
/// `package-lock.json`.
pub fn ensure_packages() -> Result<(), String> {
    let root = workspace_root();
    let lock = root.join("package-lock.json");
    if !lock.is_file() {
        return Err(format!(
            "{} is missing: it pins the npm packages the site's build and tests use",
            lock.display()
        ));
    }
    let reason = if !wasm_opt().is_file() {
        Some("node_modules/.bin/wasm-opt is missing")
    } else if older_than(
        // npm rewrites its hidden lockfile on every install.
        &root.join("node_modules/.package-lock.json"),
        &lock,
    ) {
        Some("node_modules is older than package-lock.json")
    } else {
        None
    };
    let Some(reason) = reason else {
        println!("npm packages: present (node_modules matches package-lock.json)");
        return Ok(());
    };
    println!("npm packages: {reason}; installing them");
    if proc::which("npm").is_none() {
        return Err(
            "npm is not on PATH: run `cargo xtask test` (its install step installs Node.js \
             and npm), or `apt-get install nodejs npm`"
                .to_string(),
        );
    }
    run(Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&root))?;
    if !wasm_opt().is_file() {
        return Err(format!(
            "`npm ci` finished but {} is missing",
            wasm_opt().display()
        ));
    }
    Ok(())
}

/// Whether `file` is missing or last modified before `than`.
fn older_than(file: &std::path::Path, than: &std::path::Path) -> bool {
    let modified = |p: &std::path::Path| -> Option<SystemTime> {
        std::fs::metadata(p).and_then(|m| m.modified()).ok()
    };
    match (modified(file), modified(than)) {
        (Some(a), Some(b)) => a < b,
        (None, _) => true,
        (Some(_), None) => false,
    }
}
