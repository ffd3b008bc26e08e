//! `cargo xtask build`: the explainer site as static files in `target/dist/site/` (the layout
//! is in docs/site.md): the app compiled to wasm, bound with wasm-bindgen and shrunk with
//! `wasm-opt`, every route pre-rendered, the shell (stylesheet, service worker, manifest,
//! icons, `_headers`), and `.gz` / `.br` copies of every text file and the wasm.

use crate::icons;
use crate::npm;
use crate::proc::{banner, cargo, human, run as run_command, target_dir, workspace_root};
use brotli::enc::BrotliEncoderParams;
use flate2::Compression;
use flate2::write::GzEncoder;
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// The wasm-bindgen output name: `pkg/culprit_site.js`, `pkg/culprit_site_bg.wasm`.
const OUT_NAME: &str = "culprit_site";
const WASM_TARGET: &str = crate::install::WASM_TARGET;
const ICON_SIZES: [u32; 2] = [192, 512];
/// Extensions that get `.gz` and `.br` siblings.
const COMPRESSED: [&str; 9] = [
    "html",
    "js",
    "css",
    "wasm",
    "svg",
    "xml",
    "txt",
    "webmanifest",
    "json",
];
/// The app's builds: cargo features, and the folder of `dist` wasm-bindgen writes to.
const VARIANTS: [(&str, &str); 2] = [("hydrate,home-only", "pkg/home"), ("hydrate", "pkg")];
/// What a first visit to `/` loads, for the size table (plus the scripts in `pkg/home/`).
const FIRST_LOAD: [&str; 6] = [
    "index.html",
    "style.css",
    "pkg/home/culprit_site.js",
    "pkg/home/culprit_site_bg.wasm",
    "manifest.webmanifest",
    "icon.svg",
];

#[derive(Debug, Default, PartialEq, Eq)]
pub struct Options {
    /// Skip `wasm-opt` (faster; the wasm is larger).
    pub dev: bool,
    /// Keep function names in the wasm, so CPU profiles name them (larger wasm).
    pub names: bool,
}

impl Options {
    pub fn parse(args: &[String]) -> Result<Options, String> {
        crate::exit_if_help(args);
        let mut options = Options::default();
        for arg in args {
            match arg.as_str() {
                "--dev" => options.dev = true,
                "--names" => options.names = true,
                other => {
                    return Err(format!(
                        "unknown argument `{other}` for `cargo xtask build`; see `cargo xtask help`"
                    ));
                }
            }
        }
        Ok(options)
    }
}

/// `target/dist/site`.
pub fn dist_dir() -> PathBuf {
    target_dir().join("dist").join("site")
}

/// `target/dist/site-sizes.json`.
pub fn sizes_file() -> PathBuf {
    target_dir().join("dist").join("site-sizes.json")
}

/// Builds the site into `dist_dir()` and returns that folder.
pub fn build(options: &Options) -> Result<PathBuf, String> {
    let started = Instant::now();
    let dist = dist_dir();

    // On a fresh machine `cargo xtask run` comes here first: add what the build needs.
    let t = banner("xtask build: tools (wasm32 target; Node.js and npm binaryen for wasm-opt)");
    crate::install::wasm_target()?;
    if !options.dev {
        npm::ensure_node()?;
        npm::ensure_packages()?;
    }
    println!("--> tools ok ({})", human(t.elapsed()));

    // A fresh folder: nothing from an earlier build lingers (and gets precached).
    if dist.exists() {
        std::fs::remove_dir_all(&dist)
            .map_err(|e| format!("could not empty {}: {e}", dist.display()))?;
    }
    // Two builds of the same app: the home page's own (feature home-only: no reference
    // page code, so the first visit loads less) in pkg/home/, and the whole site in pkg/.
    for (features, folder) in VARIANTS {
        let t = banner(&format!(
            "xtask build: the app for wasm32 (crates/site, features {features}) -> {folder}/"
        ));
        let mut build = cargo([
            "build",
            "-p",
            "culprit-site",
            "--lib",
            "--target",
            WASM_TARGET,
            "--profile",
            "wasm-release",
            "--features",
            features,
        ]);
        // Panic locations name source files: shorten the registry's and the checkout's
        // paths (smaller wasm, and no build machine's paths in what ships).
        build.env(
            "CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS",
            remap_flags(),
        );
        // The home page shows no product page: its build leaves the products' `about`
        // paragraphs out of the core (crates/core/build.rs).
        if folder == "pkg/home" {
            build.env("CULPRIT_WITHOUT_ABOUT", "1");
        } else {
            build.env_remove("CULPRIT_WITHOUT_ABOUT");
        }
        run_command(&mut build)?;
        let wasm = target_dir()
            .join(WASM_TARGET)
            .join("wasm-release")
            .join(format!("{OUT_NAME}.wasm"));
        if !wasm.is_file() {
            return Err(format!(
                "the wasm build finished but {} is missing",
                wasm.display()
            ));
        }
        let pkg = dist.join(folder);
        create_dir(&pkg)?;
        bindgen(&wasm, &pkg, options.dev || options.names)?;
        if !options.dev {
            wasm_opt(&pkg.join(format!("{OUT_NAME}_bg.wasm")), options.names)?;
        }
        println!("--> {folder} ok ({})", human(t.elapsed()));
    }

    let t = banner("xtask build: pre-render every route (crates/site, feature ssr)");
    let mut prerender = cargo([
        "run",
        "-p",
        "culprit-site",
        "--features",
        "ssr",
        "--bin",
        "prerender",
        "--",
    ]);
    prerender.arg(&dist);
    run_command(&mut prerender)?;
    println!("--> pre-render ok ({})", human(t.elapsed()));

    let t = banner("xtask build: shell (static files, icons, service worker)");
    let statics = copy_static(&dist)?;
    icons::write_pngs(&dist, &ICON_SIZES)?;
    let (version, precache) = service_worker(&dist, &statics)?;
    println!(
        "sw.js: version {version}, {} URLs precached",
        precache.len()
    );
    println!("--> shell ok ({})", human(t.elapsed()));

    let t = banner(if options.dev {
        "xtask build: precompress (--dev: gzip -6, brotli 5)"
    } else {
        "xtask build: precompress (gzip by Zopfli, brotli 11)"
    });
    let count = precompress(&dist, !options.dev)?;
    println!("--> {count} files compressed ({})", human(t.elapsed()));

    let table = sizes(&dist)?;
    print!("{}", table.text);
    let json_path = sizes_file();
    std::fs::write(&json_path, &table.json)
        .map_err(|e| format!("could not write {}: {e}", json_path.display()))?;

    println!();
    println!(
        "xtask build: {} in {}{}",
        shown(&dist),
        human(started.elapsed()),
        if options.dev {
            " (--dev: wasm-opt skipped)"
        } else {
            ""
        }
    );
    Ok(dist)
}

/// `--remap-path-prefix` flags for the cargo registry and the workspace.
pub(crate) fn remap_flags() -> String {
    let home = std::env::var("CARGO_HOME")
        .map(PathBuf::from)
        .unwrap_or_else(|_| {
            PathBuf::from(std::env::var("HOME").unwrap_or_default()).join(".cargo")
        });
    let registry = home.join("registry").join("src");
    let mut flags = Vec::new();
    if let Ok(entries) = std::fs::read_dir(&registry) {
        for entry in entries.flatten() {
            flags.push(format!("--remap-path-prefix={}/=", entry.path().display()));
        }
    }
    flags.push(format!(
        "--remap-path-prefix={}/=",
        workspace_root().display()
    ));
    flags.join(" ")
}

/// wasm-bindgen in-process, `--target web`, into `pkg`; `names` keeps the name section.
fn bindgen(wasm: &Path, pkg: &Path, names: bool) -> Result<(), String> {
    let mut bindgen = wasm_bindgen_cli_support::Bindgen::new();
    bindgen
        .input_path(wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .out_name(OUT_NAME)
        .typescript(false)
        // The library's default differs from the CLI's: without this, `init()` called with
        // no argument cannot find the .wasm file next to the module.
        .omit_default_module_path(false)
        // Names help reading a panic in a dev build or a CPU profile; a release build drops
        // them.
        .remove_name_section(!names)
        .remove_producers_section(!names);
    bindgen
        .generate(pkg)
        .map_err(|e| format!("wasm-bindgen on {} failed: {e:#}", wasm.display()))?;
    for name in [format!("{OUT_NAME}.js"), format!("{OUT_NAME}_bg.wasm")] {
        if !pkg.join(&name).is_file() {
            return Err(format!(
                "wasm-bindgen finished but {} is missing",
                pkg.join(name).display()
            ));
        }
    }
    Ok(())
}

/// `wasm-opt -Oz` in place, with the wasm features current rustc emits for
/// wasm32-unknown-unknown.
///
/// A function with one caller is inlined only when it is small (binaryen's default inlines
/// it whatever its size). Inlined whole, the core's stages made one 35 KB function, and
/// V8 compiles a function on its first call, slower the more locals and blocks it has: that
/// one took milliseconds of the first diagnosis in a fresh instance. Kept apart, the wasm is
/// also about 7 KB smaller gzipped.
/// `names` keeps the function names (`-g`), for CPU profiles.
pub(crate) fn wasm_opt(wasm: &Path, names: bool) -> Result<(), String> {
    let tool = npm::wasm_opt();
    if !tool.is_file() {
        return Err(format!(
            "{} is missing: run `npm ci` in {} (cargo xtask build does, when npm is there)",
            tool.display(),
            workspace_root().display()
        ));
    }
    let before = file_len(wasm)?;
    let optimised = wasm.with_extension("opt.wasm");
    run_command(
        Command::new(&tool)
            .arg("-Oz")
            .args(names.then_some("-g"))
            .args(["--one-caller-inline-max-function-size", "100"])
            .args([
                "--enable-bulk-memory",
                "--enable-bulk-memory-opt",
                "--enable-nontrapping-float-to-int",
                "--enable-sign-ext",
                "--enable-mutable-globals",
                "--enable-reference-types",
                "--enable-multivalue",
                "--enable-call-indirect-overlong",
            ])
            .arg(wasm)
            .arg("-o")
            .arg(&optimised),
    )?;
    std::fs::rename(&optimised, wasm).map_err(|e| {
        format!(
            "could not move {} to {}: {e}",
            optimised.display(),
            wasm.display()
        )
    })?;
    let after = file_len(wasm)?;
    println!("wasm-opt: {before} -> {after} bytes");
    Ok(())
}

/// Copies `crates/site/static/` into `dist` (all but the service worker template, which
/// `service_worker` fills in). Returns the copied paths, relative to `dist`.
fn copy_static(dist: &Path) -> Result<Vec<String>, String> {
    let source = workspace_root().join("crates/site/static");
    let mut copied = Vec::new();
    for relative in files_under(&source)? {
        if relative == "sw.js" {
            continue;
        }
        let from = source.join(&relative);
        let to = dist.join(&relative);
        if let Some(parent) = to.parent() {
            create_dir(parent)?;
        }
        let stripped: Option<fn(&str) -> String> = if relative.ends_with(".css") {
            Some(strip_css_comments)
        } else if relative.ends_with(".js") {
            Some(strip_js_comment_lines)
        } else {
            None
        };
        match stripped {
            // The comments are for people reading the source; the first visit's bytes are
            // budgeted (about 700 bytes gzip for style.css and boot.js).
            Some(strip) => {
                let text = std::fs::read_to_string(&from)
                    .map_err(|e| format!("could not read {}: {e}", from.display()))?;
                std::fs::write(&to, strip(&text))
                    .map_err(|e| format!("could not write {}: {e}", to.display()))?;
            }
            None => {
                std::fs::copy(&from, &to).map_err(|e| {
                    format!("could not copy {} to {}: {e}", from.display(), to.display())
                })?;
            }
        }
        copied.push(relative);
    }
    Ok(copied)
}

/// CSS without its `/* ... */` comments (a comment never starts inside a string) and
/// without blank lines.
fn strip_css_comments(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut quote: Option<char> = None;
    while let Some(c) = chars.next() {
        match quote {
            Some(q) => {
                out.push(c);
                if c == '\\' {
                    if let Some(n) = chars.next() {
                        out.push(n);
                    }
                } else if c == q {
                    quote = None;
                }
            }
            None if c == '/' && chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for n in chars.by_ref() {
                    if last == '*' && n == '/' {
                        break;
                    }
                    last = n;
                }
            }
            None => {
                if c == '"' || c == '\'' {
                    quote = Some(c);
                }
                out.push(c);
            }
        }
    }
    let lines: Vec<&str> = out.lines().filter(|l| !l.trim().is_empty()).collect();
    lines.join("\n") + "\n"
}

/// JavaScript without its whole-line `//` comments (a line whose first characters are `//`;
/// comments after code stay, as does everything inside strings).
fn strip_js_comment_lines(js: &str) -> String {
    let lines: Vec<&str> = js
        .lines()
        .filter(|l| !l.trim_start().starts_with("//"))
        .collect();
    lines.join("\n") + "\n"
}

/// Writes `dist/sw.js` from the template: `__VERSION__` becomes a hash of every built file,
/// `__PRECACHE__` the JSON array of URLs to cache on install. Returns both.
fn service_worker(dist: &Path, statics: &[String]) -> Result<(String, Vec<String>), String> {
    let template_path = workspace_root().join("crates/site/static/sw.js");
    let template = std::fs::read_to_string(&template_path)
        .map_err(|e| format!("could not read {}: {e}", template_path.display()))?;
    for placeholder in ["__VERSION__", "__PRECACHE__"] {
        if !template.contains(placeholder) {
            return Err(format!(
                "{} has no {placeholder} to fill in",
                template_path.display()
            ));
        }
    }

    let files = files_under(dist)?;
    let routes_path = dist.join("routes.txt");
    let routes = std::fs::read_to_string(&routes_path).map_err(|e| {
        format!(
            "could not read {} (the pre-renderer writes it): {e}",
            routes_path.display()
        )
    })?;
    let mut precache: Vec<String> = Vec::new();
    let mut seen = BTreeSet::new();
    let mut add = |url: String| {
        if seen.insert(url.clone()) {
            precache.push(url);
        }
    };
    for line in routes.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        add(if line.starts_with('/') {
            line.to_string()
        } else {
            format!("/{line}")
        });
    }
    for file in &files {
        if file.starts_with("pkg/") || file.starts_with("examples/") {
            add(format!("/{file}"));
        }
    }
    for file in statics {
        // `_headers` is for the host, not the browser.
        if file != "_headers" {
            add(format!("/{file}"));
        }
    }
    for size in ICON_SIZES {
        add(format!("/icon-{size}.png"));
    }
    // Every URL must be there, or the worker's install (cache.addAll) fails as a whole.
    let missing: Vec<&String> = precache
        .iter()
        .filter(|url| resolve(dist, url).is_none())
        .collect();
    if !missing.is_empty() {
        let list: Vec<&str> = missing.iter().map(|s| s.as_str()).collect();
        return Err(format!(
            "the service worker would precache URLs that have no file in {}: {}",
            dist.display(),
            list.join(", ")
        ));
    }

    let version = content_hash(dist, &files)?;
    let urls: Vec<String> = precache.iter().map(|u| json_string(u)).collect();
    let array = format!("[\n  {}\n]", urls.join(",\n  "));
    let sw = template
        .replace("__VERSION__", &version)
        .replace("__PRECACHE__", &array);
    let out = dist.join("sw.js");
    std::fs::write(&out, sw).map_err(|e| format!("could not write {}: {e}", out.display()))?;
    Ok((version, precache))
}

/// The file a static host serves for `url` (`/a/` is `a/index.html`).
pub fn resolve(dist: &Path, url: &str) -> Option<PathBuf> {
    let path = url.split(['?', '#']).next().unwrap_or("");
    let relative = path.trim_start_matches('/');
    if relative.split('/').any(|segment| segment == "..") {
        return None;
    }
    let candidate = dist.join(relative);
    if candidate.is_dir() {
        let index = candidate.join("index.html");
        index.is_file().then_some(index)
    } else {
        candidate.is_file().then_some(candidate)
    }
}

/// A short hash (12 hex digits, FNV-1a 64) of the paths and contents of `files`.
fn content_hash(dist: &Path, files: &[String]) -> Result<String, String> {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let mut feed = |bytes: &[u8]| {
        for &byte in bytes {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
    };
    for file in files {
        let path = dist.join(file);
        let bytes =
            std::fs::read(&path).map_err(|e| format!("could not read {}: {e}", path.display()))?;
        feed(file.as_bytes());
        feed(&[0]);
        feed(&(bytes.len() as u64).to_le_bytes());
        feed(&bytes);
    }
    Ok(format!("{hash:016x}")[..12].to_string())
}

/// Writes `.gz` (gzip, best) and `.br` (brotli, quality 11) beside every text file and the
/// wasm (`best` false: quicker, for `--dev`). Returns how many files were compressed.
fn precompress(dist: &Path, best: bool) -> Result<usize, String> {
    let files: Vec<String> = files_under(dist)?
        .into_iter()
        .filter(|f| {
            Path::new(f)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| COMPRESSED.contains(&e))
        })
        .collect();
    // Two cores: brotli on one, gzip on the other.
    let (gz, br) = std::thread::scope(|scope| {
        let gz = scope.spawn(|| -> Result<(), String> {
            for file in &files {
                let path = dist.join(file);
                write_file(&sibling(&path, "gz"), &gzip(&read_file(&path)?, best)?)?;
            }
            Ok(())
        });
        let br = scope.spawn(|| -> Result<(), String> {
            for file in &files {
                let path = dist.join(file);
                write_file(&sibling(&path, "br"), &brotli(&read_file(&path)?, best)?)?;
            }
            Ok(())
        });
        (gz.join(), br.join())
    });
    gz.map_err(|_| "the gzip thread panicked".to_string())??;
    br.map_err(|_| "the brotli thread panicked".to_string())??;
    Ok(files.len())
}

/// gzip that every browser reads. The release build uses Zopfli, which finds a smaller
/// deflate stream than zlib's level 9 (about 5 % on the wasm) at the cost of a few seconds.
fn gzip(bytes: &[u8], best: bool) -> Result<Vec<u8>, String> {
    if best {
        let mut out = Vec::new();
        zopfli::compress(
            zopfli::Options::default(),
            zopfli::Format::Gzip,
            bytes,
            &mut out,
        )
        .map_err(|e| format!("gzip (zopfli) failed: {e}"))?;
        return Ok(out);
    }
    let level = if best {
        Compression::best()
    } else {
        Compression::default()
    };
    let mut encoder = GzEncoder::new(Vec::new(), level);
    encoder
        .write_all(bytes)
        .map_err(|e| format!("gzip failed: {e}"))?;
    encoder.finish().map_err(|e| format!("gzip failed: {e}"))
}

fn brotli(bytes: &[u8], best: bool) -> Result<Vec<u8>, String> {
    let params = BrotliEncoderParams {
        quality: if best { 11 } else { 5 },
        lgwin: 24,
        size_hint: bytes.len(),
        ..BrotliEncoderParams::default()
    };
    let mut out = Vec::new();
    brotli::BrotliCompress(&mut &bytes[..], &mut out, &params)
        .map_err(|e| format!("brotli failed: {e}"))?;
    Ok(out)
}

/// `a/b.js` -> `a/b.js.gz`.
fn sibling(path: &Path, ext: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(ext);
    PathBuf::from(name)
}

struct Sizes {
    text: String,
    json: String,
}

/// What a first visit to `/` loads: `FIRST_LOAD`, every script in `pkg/home/` (wasm-bindgen's
/// snippets are imported by the glue) and the site's own scripts that `index.html` names.
fn first_load(dist: &Path) -> Result<Vec<String>, String> {
    let mut files: Vec<String> = FIRST_LOAD.iter().map(|f| f.to_string()).collect();
    for file in files_under(&dist.join("pkg/home"))? {
        let file = format!("pkg/home/{file}");
        if file.ends_with(".js") && !files.contains(&file) {
            files.push(file);
        }
    }
    let index = std::fs::read_to_string(dist.join("index.html")).unwrap_or_default();
    for file in files_under(dist)? {
        let top_level_script = file.ends_with(".js") && !file.contains('/') && file != "sw.js";
        if top_level_script && index.contains(&format!("/{file}")) && !files.contains(&file) {
            files.push(file);
        }
    }
    Ok(files)
}

/// The size table: the app's files and what a first visit to `/` loads, raw, gzip and brotli.
fn sizes(dist: &Path) -> Result<Sizes, String> {
    let first = first_load(dist)?;
    let mut rows: Vec<String> = files_under(&dist.join("pkg"))?
        .into_iter()
        .filter(|f| f.ends_with(".js") || f.ends_with(".wasm"))
        .map(|f| format!("pkg/{f}"))
        .collect();
    for file in &first {
        if !rows.contains(file) {
            rows.push(file.clone());
        }
    }
    let measure = |file: &str| -> Result<[u64; 3], String> {
        let path = dist.join(file);
        Ok([
            file_len(&path)?,
            file_len(&sibling(&path, "gz"))?,
            file_len(&sibling(&path, "br"))?,
        ])
    };
    let width = rows.iter().map(|r| r.len()).max().unwrap_or(0).max(20);
    let mut text = String::from("\n");
    text.push_str(&format!(
        "{:<width$} {:>10} {:>10} {:>10}\n",
        "file", "raw", "gzip", "brotli"
    ));
    let mut json_files = Vec::new();
    for row in &rows {
        let [raw, gz, br] = measure(row)?;
        text.push_str(&format!("{row:<width$} {raw:>10} {gz:>10} {br:>10}\n"));
        json_files.push(format!(
            "    {}: {{ \"raw\": {raw}, \"gzip\": {gz}, \"brotli\": {br} }}",
            json_string(row)
        ));
    }
    let mut total = [0u64; 3];
    for file in &first {
        let sizes = measure(file)?;
        for (sum, size) in total.iter_mut().zip(sizes) {
            *sum += size;
        }
    }
    let [raw, gz, br] = total;
    text.push_str(&format!(
        "{:<width$} {raw:>10} {gz:>10} {br:>10}\n",
        "first load of / (total)"
    ));
    text.push_str(&format!("(bytes; first load: {})\n", first.join(", ")));
    let first_load: Vec<String> = first.iter().map(|f| json_string(f)).collect();
    let json = format!(
        "{{\n  \"files\": {{\n{}\n  }},\n  \"first_load\": {{\n    \"files\": [{}],\n    \
         \"raw\": {raw},\n    \"gzip\": {gz},\n    \"brotli\": {br}\n  }}\n}}\n",
        json_files.join(",\n"),
        first_load.join(", ")
    );
    Ok(Sizes { text, json })
}

/// Every file under `dir`, as `/`-separated paths relative to it, sorted; skips `.gz` and
/// `.br` copies.
pub fn files_under(dir: &Path) -> Result<Vec<String>, String> {
    let mut found = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(folder) = stack.pop() {
        let entries = std::fs::read_dir(&folder)
            .map_err(|e| format!("could not list {}: {e}", folder.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("could not list {}: {e}", folder.display()))?;
            let path = entry.path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let is_copy = path.extension().is_some_and(|e| e == "gz" || e == "br");
            if is_copy {
                continue;
            }
            if let Ok(relative) = path.strip_prefix(dir) {
                let parts: Vec<String> = relative
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                found.push(parts.join("/"));
            }
        }
    }
    found.sort();
    Ok(found)
}

fn create_dir(dir: &Path) -> Result<(), String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("could not create {}: {e}", dir.display()))
}

fn read_file(path: &Path) -> Result<Vec<u8>, String> {
    std::fs::read(path).map_err(|e| format!("could not read {}: {e}", path.display()))
}

fn write_file(path: &Path, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(path, bytes).map_err(|e| format!("could not write {}: {e}", path.display()))
}

fn file_len(path: &Path) -> Result<u64, String> {
    std::fs::metadata(path)
        .map(|m| m.len())
        .map_err(|e| format!("could not read {}: {e}", path.display()))
}

pub fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => out.push_str(&format!("\\u{:04x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// A path relative to the workspace root when it is inside it.
pub fn shown(path: &Path) -> String {
    let root = workspace_root();
    path.strip_prefix(&root)
        .unwrap_or(path)
        .display()
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn css_comments_go_strings_stay() {
        let css =
            "/* head */\na { color: red; } /* note */\n\nb::before { content: \"/* kept */\"; }\n";
        assert_eq!(
            strip_css_comments(css),
            "a { color: red; } \nb::before { content: \"/* kept */\"; }\n"
        );
    }

    #[test]
    fn js_comment_lines_go_code_stays() {
        let js = "// head\nconst a = 1; // after code\n  // indented\nconst u = '//x';\n";
        assert_eq!(
            strip_js_comment_lines(js),
            "const a = 1; // after code\nconst u = '//x';\n"
        );
    }
    use std::io::Read;

    fn scratch(name: &str) -> PathBuf {
        let dir = target_dir()
            .join("xtask")
            .join(format!("test-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let _ = std::fs::create_dir_all(&dir);
        dir
    }

    #[test]
    fn parses_options() {
        let parse = |args: &[&str]| {
            let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
            Options::parse(&args)
        };
        assert_eq!(parse(&[]), Ok(Options::default()));
        assert_eq!(
            parse(&["--dev"]),
            Ok(Options {
                dev: true,
                names: false
            })
        );
        assert_eq!(
            parse(&["--names"]),
            Ok(Options {
                dev: false,
                names: true
            })
        );
        assert!(parse(&["--nope"]).is_err());
    }

    #[test]
    fn compressed_copies_inflate_back() {
        let text = "<p>hello hello hello hello</p>\n".repeat(50);
        let gz = gzip(text.as_bytes(), true).unwrap_or_default();
        let mut back = String::new();
        let read = flate2::read::GzDecoder::new(&gz[..]).read_to_string(&mut back);
        assert!(read.is_ok());
        assert_eq!(back, text);
        let br = brotli(text.as_bytes(), true).unwrap_or_default();
        assert!(!br.is_empty() && br.len() < text.len());
        let mut back = Vec::new();
        let read = brotli::BrotliDecompress(&mut &br[..], &mut back);
        assert!(read.is_ok());
        assert_eq!(back, text.as_bytes());
    }

    #[test]
    fn resolves_urls_like_a_static_host() {
        let dir = scratch("resolve");
        let _ = std::fs::create_dir_all(dir.join("status/502"));
        let _ = std::fs::write(dir.join("status/502/index.html"), "x");
        let _ = std::fs::write(dir.join("index.html"), "x");
        let _ = std::fs::write(dir.join("style.css"), "x");
        let _ = std::fs::write(dir.join("style.css.gz"), "x");
        assert!(resolve(&dir, "/").is_some());
        assert!(resolve(&dir, "/status/502/").is_some());
        assert!(resolve(&dir, "/style.css?v=1").is_some());
        assert!(resolve(&dir, "/status/").is_none());
        assert!(resolve(&dir, "/../x").is_none());
        assert_eq!(
            files_under(&dir).unwrap_or_default(),
            vec!["index.html", "status/502/index.html", "style.css"]
        );
        let hash = content_hash(&dir, &["index.html".to_string()]).unwrap_or_default();
        assert_eq!(hash.len(), 12);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
