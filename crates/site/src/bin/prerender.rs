//! Writes every route of the site as static HTML, hydratable by the wasm, plus the files
//! crawlers and the service worker read. Run by `cargo xtask build`:
//!
//! ```text
//! prerender OUT_DIR [--origin https://example.org]
//! ```
//!
//! The origin (also `CULPRIT_SITE_ORIGIN`) makes canonical links and the sitemap absolute;
//! it defaults to `http://127.0.0.1:8080`, where `cargo xtask run` serves the site.

use culprit_site::gallery::EXAMPLES;
use culprit_site::{App, AppProps, Route};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// What the site may load: its own origin only, plus compiling its own wasm.
/// (`frame-ancestors` is ignored in a meta tag; `_headers` sends it.)
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; worker-src 'self'; base-uri 'none'; form-action 'none'; object-src 'none'";

fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn render(route: &Route) -> String {
    let path = route.path();
    let renderer = yew::ServerRenderer::<App>::with_props(move || AppProps { path: path.into() });
    futures_executor::block_on(renderer.render())
}

/// The scripts the home page's app module imports (wasm-bindgen's `snippets/`), as URL paths
/// under `/pkg/home/`, found in `out`. Preloaded with the module: otherwise each is fetched
/// only once the module is, while the first answer waits.
fn home_snippets(out: &Path) -> Vec<String> {
    fn walk(dir: &Path, url: &str, found: &mut Vec<String>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.flatten().collect();
        entries.sort_by_key(|e| e.file_name());
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            let path = entry.path();
            if path.is_dir() {
                walk(&path, &format!("{url}{name}/"), found);
            } else if name.ends_with(".js") {
                found.push(format!("{url}{name}"));
            }
        }
    }
    let mut found = Vec::new();
    walk(
        &out.join("pkg").join("home").join("snippets"),
        "/pkg/home/snippets/",
        &mut found,
    );
    found
}

fn document(route: &Route, origin: &str, body: &str, snippets: &[String]) -> String {
    let canonical = format!("{origin}{}", route.path());
    let home = *route == Route::Home;
    let mut preload = String::new();
    if home {
        preload.push_str("<link rel=\"modulepreload\" href=\"/pkg/home/culprit_site.js\">\n");
        for snippet in snippets {
            preload.push_str(&format!(
                "<link rel=\"modulepreload\" href=\"{}\">\n",
                escape(snippet)
            ));
        }
        preload.push_str("<link rel=\"preload\" href=\"/pkg/home/culprit_site_bg.wasm\" as=\"fetch\" type=\"application/wasm\" crossorigin>\n");
    }
    // Without JavaScript the reference pages read in full; the diagnosis needs the wasm.
    let noscript = if home {
        "<noscript><p class=\"noscript\">Diagnosing a pasted page needs JavaScript (the work happens in your browser). The <a href=\"/status/\">status codes</a> and <a href=\"/source/\">products</a> pages work without it.</p></noscript>\n"
    } else {
        ""
    };
    let robots = if *route == Route::NotFound {
        "<meta name=\"robots\" content=\"noindex\">\n"
    } else {
        ""
    };
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n\
<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
<meta http-equiv=\"Content-Security-Policy\" content=\"{csp}\">\n\
<title>{title}</title>\n<meta name=\"description\" content=\"{description}\">\n{robots}\
<link rel=\"canonical\" href=\"{canonical}\">\n\
<meta name=\"color-scheme\" content=\"light dark\">\n\
<meta name=\"theme-color\" content=\"#f6f4f1\" media=\"(prefers-color-scheme: light)\">\n\
<meta name=\"theme-color\" content=\"#16181d\" media=\"(prefers-color-scheme: dark)\">\n\
<link rel=\"stylesheet\" href=\"/style.css\">\n\
<link rel=\"icon\" href=\"/icon.svg\" type=\"image/svg+xml\">\n\
<link rel=\"apple-touch-icon\" href=\"/icon-192.png\">\n\
<link rel=\"manifest\" href=\"/manifest.webmanifest\">\n{preload}\
<noscript><link rel=\"stylesheet\" href=\"/noscript.css\"></noscript>\n\
<script type=\"module\" src=\"/boot.js\"></script>\n\
</head>\n<body>\n{noscript}<div id=\"app\">{body}</div>\n</body>\n</html>\n",
        csp = CSP,
        title = escape(&route.title()),
        description = escape(&route.description()),
        canonical = escape(&canonical),
    )
}

fn write(path: &Path, contents: &[u8]) -> Result<(), String> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| format!("cannot create {}: {e}", dir.display()))?;
    }
    std::fs::write(path, contents).map_err(|e| format!("cannot write {}: {e}", path.display()))
}

fn file_for(out: &Path, route: &Route) -> PathBuf {
    match route {
        Route::NotFound => out.join("404.html"),
        r => out
            .join(r.path().trim_start_matches('/'))
            .join("index.html"),
    }
}

fn run() -> Result<(), String> {
    let mut args = std::env::args().skip(1);
    let mut out: Option<PathBuf> = None;
    let mut origin =
        std::env::var("CULPRIT_SITE_ORIGIN").unwrap_or_else(|_| "http://127.0.0.1:8080".into());
    while let Some(a) = args.next() {
        match a.as_str() {
            "--origin" => {
                origin = args
                    .next()
                    .ok_or("--origin needs a URL, e.g. --origin https://example.org")?
            }
            "-h" | "--help" => {
                println!("usage: prerender OUT_DIR [--origin URL]");
                return Ok(());
            }
            _ if out.is_none() => out = Some(PathBuf::from(a)),
            other => {
                return Err(format!(
                    "unexpected argument `{other}`; usage: prerender OUT_DIR [--origin URL]"
                ));
            }
        }
    }
    let out = out.ok_or("usage: prerender OUT_DIR [--origin URL]")?;
    let origin = origin.trim_end_matches('/').to_string();
    if !(origin.starts_with("http://") || origin.starts_with("https://")) {
        return Err(format!(
            "the origin must start with http:// or https://, not `{origin}`"
        ));
    }

    let snippets = home_snippets(&out);
    let mut routes = Route::all();
    routes.push(Route::NotFound);
    let mut paths = Vec::new();
    for route in &routes {
        let body = render(route);
        write(
            &file_for(&out, route),
            document(route, &origin, &body, &snippets).as_bytes(),
        )?;
        if *route != Route::NotFound {
            paths.push(route.path());
        }
    }

    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for r in routes.iter().filter(|r| **r != Route::NotFound) {
        sitemap.push_str(&format!(
            "  <url><loc>{}</loc></url>\n",
            escape(&format!("{origin}{}", r.path()))
        ));
    }
    sitemap.push_str("</urlset>\n");
    write(&out.join("sitemap.xml"), sitemap.as_bytes())?;
    write(
        &out.join("robots.txt"),
        format!("User-agent: *\nAllow: /\nSitemap: {origin}/sitemap.xml\n").as_bytes(),
    )?;

    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../core/tests/fixtures");
    for ex in EXAMPLES {
        let from = fixtures.join(ex.fixture);
        let bytes = std::fs::read(&from)
            .map_err(|e| format!("cannot read example {}: {e}", from.display()))?;
        let name = format!("examples/{}.txt", ex.name);
        write(&out.join(&name), &bytes)?;
    }
    // Every page the sitemap lists, one path a line (the service worker precaches these).
    let mut list = paths.join("\n");
    list.push('\n');
    write(&out.join("routes.txt"), list.as_bytes())?;
    println!(
        "prerender: wrote {} pages and {} examples to {}",
        routes.len(),
        EXAMPLES.len(),
        out.display()
    );
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("prerender: error: {e}");
            ExitCode::FAILURE
        }
    }
}
