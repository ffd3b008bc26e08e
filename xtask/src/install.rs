//! Installs what the tests need, and only what is missing: the wasm32 Rust target, rustfmt
//! and clippy, and Debian packages (Chromium with its WebDriver, Firefox ESR, and the web
//! servers and proxies the live-server tests put in front of broken upstreams), Node.js and
//! npm, and the npm packages in `package-lock.json` (`npm ci`).

use crate::proc::{self, output, run};
use std::path::Path;
use std::process::Command;

pub const WASM_TARGET: &str = "wasm32-unknown-unknown";

/// Debian packages the tests use.
pub const APT_PACKAGES: &[&str] = &[
    "chromium",
    "chromium-driver",
    // The extension's smoke test in Firefox ESR (driven over its own WebDriver BiDi server).
    "firefox-esr",
    "nginx-light",
    "apache2",
    "haproxy",
    "varnish",
    "squid",
    "caddy",
    "trafficserver",
    "lighttpd",
    "tinyproxy",
    "nghttp2-proxy",
    "tomcat10",
    "jetty9",
    "gunicorn",
    "uwsgi",
    "uwsgi-plugin-python3",
    "h2o",
    "node-express",
    "libapache2-mod-security2",
];

const POLICY_RC_D: &str = "/usr/sbin/policy-rc.d";

pub fn install() -> Result<(), String> {
    rust_parts()?;
    apt_packages()?;
    // The site's build (wasm-opt) and end-to-end tests (playwright-core) run on Node.js.
    crate::npm::ensure_node()?;
    crate::npm::ensure_packages()
}

/// The wasm32 target through rustup, when it is missing (the site's build needs it too).
pub fn wasm_target() -> Result<(), String> {
    let installed =
        output(Command::new("rustup").args(["target", "list", "--installed"])).unwrap_or_default();
    let has_target = installed.lines().any(|l| l.trim() == WASM_TARGET) || sysroot_has_target();
    if has_target {
        println!("rust target {WASM_TARGET}: present");
        Ok(())
    } else if proc::which("rustup").is_some() {
        run(Command::new("rustup").args(["target", "add", WASM_TARGET]))
    } else {
        Err(format!(
            "the Rust target {WASM_TARGET} is missing and rustup is not on PATH; install it \
             with your toolchain manager"
        ))
    }
}

/// The wasm32 target, rustfmt and clippy, through rustup.
fn rust_parts() -> Result<(), String> {
    let have_rustup = proc::which("rustup").is_some();
    wasm_target()?;

    let mut components = Vec::new();
    if output(&mut proc::cargo(["fmt", "--version"])).is_none() {
        components.push("rustfmt");
    }
    if output(&mut proc::cargo(["clippy", "--version"])).is_none() {
        components.push("clippy");
    }
    if components.is_empty() {
        println!("rustfmt, clippy: present");
    } else if have_rustup {
        run(Command::new("rustup")
            .args(["component", "add"])
            .args(&components))?;
    } else {
        return Err(format!(
            "missing Rust components {} and rustup is not on PATH",
            components.join(", ")
        ));
    }
    Ok(())
}

/// Whether the active toolchain's sysroot holds the wasm32 standard library.
fn sysroot_has_target() -> bool {
    let rustc = std::env::var_os("RUSTC").unwrap_or_else(|| "rustc".into());
    output(Command::new(rustc).args(["--print", "sysroot"]))
        .map(|sysroot| {
            Path::new(sysroot.trim())
                .join("lib/rustlib")
                .join(WASM_TARGET)
                .join("lib")
                .is_dir()
        })
        .unwrap_or(false)
}

/// The Debian packages, installed with services kept from starting.
fn apt_packages() -> Result<(), String> {
    if proc::which("dpkg-query").is_none() {
        println!(
            "no dpkg-query here: not a Debian system, so install these yourself if the tests \
             need them: {}",
            APT_PACKAGES.join(" ")
        );
        return Ok(());
    }
    let missing: Vec<&str> = APT_PACKAGES
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if missing.is_empty() {
        println!("apt packages: all {} present", APT_PACKAGES.len());
        return Ok(());
    }
    println!("apt packages missing: {}", missing.join(" "));
    let uid = output(Command::new("id").arg("-u")).unwrap_or_default();
    if uid.trim() != "0" {
        return Err(format!(
            "installing Debian packages needs root; run as root, or install them first:\n  \
             sudo apt-get install {}\n(or skip this step with --no-install)",
            missing.join(" ")
        ));
    }

    // Keep postinst scripts from starting the services: the tests start their own.
    let created_policy = if Path::new(POLICY_RC_D).exists() {
        false
    } else {
        write_policy_rc_d()?;
        true
    };
    let result = apt_install(&missing);
    if created_policy && let Err(e) = std::fs::remove_file(POLICY_RC_D) {
        eprintln!("xtask: warning: could not remove {POLICY_RC_D}: {e}");
    }
    result?;

    let still_missing: Vec<&str> = missing
        .iter()
        .copied()
        .filter(|p| !dpkg_installed(p))
        .collect();
    if still_missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "apt-get finished but these are still not installed: {}",
            still_missing.join(" ")
        ))
    }
}

fn dpkg_installed(package: &str) -> bool {
    output(Command::new("dpkg-query").args(["-W", "-f=${Status}", package]))
        .is_some_and(|status| status.trim() == "install ok installed")
}

fn write_policy_rc_d() -> Result<(), String> {
    std::fs::write(POLICY_RC_D, "#!/bin/sh\nexit 101\n")
        .map_err(|e| format!("could not write {POLICY_RC_D}: {e}"))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(POLICY_RC_D, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| format!("could not make {POLICY_RC_D} executable: {e}"))?;
    }
    Ok(())
}

/// `apt-get update` and `apt-get install` of `missing`, waiting for another apt run's lock.
pub fn apt_install(missing: &[&str]) -> Result<(), String> {
    // Wait for another apt run to finish rather than failing on its lock.
    let lock_wait = "DPkg::Lock::Timeout=600";
    run(Command::new("apt-get")
        .args(["-o", lock_wait, "update", "-q"])
        .env("DEBIAN_FRONTEND", "noninteractive"))?;
    run(Command::new("apt-get")
        .args([
            "-o",
            lock_wait,
            "install",
            "-y",
            "-q",
            "--no-install-recommends",
        ])
        .args(missing)
        .env("DEBIAN_FRONTEND", "noninteractive"))
}
