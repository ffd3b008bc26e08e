//! Compiles the detection rules (`src/rules/*.toml`, one file per source) into Rust
//! statics, so that no rules parser ships in the binary or the wasm.
//!
//! Writes two files into OUT_DIR:
//! - `rules_gen.rs`: `RULES`, the rules themselves (included by `src/rules.rs`);
//! - `examples_gen.rs`: `EXAMPLES`, each rule's examples and negative examples
//!   (included by tests only).

// A build script should stop the build loudly on a broken rule file.
#![allow(clippy::expect_used, clippy::panic)]

#[path = "build/advice.rs"]
mod advice;

#[path = "build/matcher_gen.rs"]
mod matcher_gen;

use serde::Deserialize;
use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;
use std::path::Path;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    id: String,
    name: String,
    category: String,
    role: String,
    about: String,
    #[serde(default)]
    hops: std::collections::BTreeMap<String, String>,
    #[serde(default)]
    signal: Vec<SignalFile>,
    #[serde(default)]
    ids: Vec<IdFile>,
    #[serde(default)]
    example: Vec<ExampleFile>,
    #[serde(default)]
    negative: Vec<NegativeFile>,
    /// What is specific to this product in the advice (build/advice.rs).
    #[serde(default)]
    advice: advice::AdviceFile,
    /// Status codes of its own (outside the IANA registry) and what each means.
    #[serde(default)]
    code: Vec<CodeFile>,
    /// For browsers: how to recognise this browser in an observation or a HAR file.
    #[serde(default)]
    browser: Option<BrowserFile>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct BrowserFile {
    /// Lower-case pieces of a browser's name, user agent or HAR creator.
    names: Vec<String>,
    /// Prefixes of the network error codes only this browser uses.
    #[serde(default)]
    net_error_prefixes: Vec<String>,
    /// The browser assumed when nothing says which one it was.
    #[serde(default)]
    default: bool,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeFile {
    status: u16,
    reason: String,
    meaning: String,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalFile {
    #[serde(rename = "in")]
    place: String,
    pattern: String,
    weight: u8,
    meaning: String,
    #[serde(default)]
    header: Option<String>,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    fact: Option<String>,
    #[serde(default)]
    net_error: Option<String>,
    #[serde(default)]
    case: Option<String>,
    /// The failing hop whenever this signal is the source's (more specific than `[hops]`).
    #[serde(default)]
    hop: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct IdFile {
    kind: String,
    label: String,
    #[serde(default)]
    header: Option<String>,
    #[serde(default)]
    after: Option<String>,
    #[serde(default)]
    pop: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ExampleFile {
    input: String,
    #[serde(default)]
    status: Option<u16>,
    #[serde(default)]
    hop: Option<String>,
    #[serde(default)]
    via: Vec<String>,
    #[serde(default)]
    ids: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NegativeFile {
    input: String,
}

const CATEGORIES: &[(&str, &str)] = &[
    ("cdn", "Cdn"),
    ("platform", "Platform"),
    ("load-balancer", "LoadBalancer"),
    ("proxy", "Proxy"),
    ("web-server", "WebServer"),
    ("app-server", "AppServer"),
    ("browser", "Browser"),
    ("site", "Site"),
    ("none", "None"),
];
const HOPS: &[(&str, &str)] = &[
    ("browser", "Browser"),
    ("network", "Network"),
    ("edge", "Edge"),
    ("gateway", "Gateway"),
    ("origin", "Origin"),
    ("unknown", "Unknown"),
];
const PLACES: &[(&str, &str)] = &[
    ("body", "Body"),
    ("text", "Text"),
    ("title", "Title"),
    ("header", "Header"),
    ("log", "Log"),
    ("whole-text", "WholeText"),
];
const FACTS: &[&str] = &[
    "upstream-refused",
    "upstream-closed",
    "upstream-reset",
    "upstream-timeout",
    "upstream-invalid",
    "upstream-header-too-big",
    "upstream-dns",
    "upstream-tls",
    "no-upstream",
    "php-fpm",
    "overloaded",
    "maintenance",
    "blocked",
    "rate-limited",
    "request-too-large",
    "app-crashed",
    "app-boot-timeout",
    "request-timeout",
    "not-found",
    "origin-unreachable",
    "origin-tls",
    "dns",
    "edge-internal",
    "upstream-failed",
    "network-auth",
    "auth-failed",
];

/// `upstream-refused` -> `UpstreamRefused`.
use advice::camel;

/// The `Fact` enum: the one declaration is `FACTS` above.
fn write_facts(out: &mut String) {
    out.push_str("/// A fact about what went wrong, found by a signal (declared in build.rs `FACTS`).\n#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]\npub enum Fact {\n");
    for f in FACTS {
        writeln!(out, "    /// `{f}`\n    {},", camel(f)).ok();
    }
    out.push_str("}\n\nimpl Fact {\n    /// The fact's name as rule files spell it.\n    pub fn as_str(self) -> &'static str {\n        match self {\n");
    for f in FACTS {
        writeln!(out, "            Fact::{} => {f:?},", camel(f)).ok();
    }
    out.push_str("        }\n    }\n}\n\n");
}

fn map(table: &[(&str, &'static str)], value: &str, what: &str, file: &str) -> &'static str {
    match table.iter().find(|(k, _)| *k == value) {
        Some((_, v)) => v,
        None => {
            let allowed: Vec<&str> = table.iter().map(|(k, _)| *k).collect();
            panic!("{file}: unknown {what} `{value}`; allowed: {allowed:?}")
        }
    }
}

fn main() {
    let dir = Path::new("src/rules");
    println!("cargo:rerun-if-changed=src/rules");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-env-changed=CULPRIT_WITHOUT_ABOUT");
    println!("cargo:rerun-if-changed=build/advice.rs");
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .expect("src/rules exists")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .collect();
    paths.sort();

    let mut rules_out =
        String::from("// Generated by build.rs from src/rules/*.toml. Do not edit.\n");
    write_facts(&mut rules_out);
    advice::write_enums(&mut rules_out);
    let mut advice_files = BTreeMap::new();
    let mut codes: BTreeMap<u16, String> = BTreeMap::new();
    let mut defaults = 0;
    rules_out.push_str("pub static RULES: &[Rule] = &[\n");
    let mut examples_out =
        String::from("// Generated by build.rs from src/rules/*.toml. Do not edit.\n");
    examples_out.push_str("pub static EXAMPLES: &[RuleExample] = &[\n");
    let mut seen = BTreeSet::new();

    for path in &paths {
        println!("cargo:rerun-if-changed={}", path.display());
        let file = path.display().to_string();
        let text = std::fs::read_to_string(path).expect("rule file is readable");
        let rule: RuleFile = match toml::from_str(&text) {
            Ok(r) => r,
            Err(e) => panic!("{file}: {e}"),
        };
        let stem = path
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or_default();
        assert_eq!(stem, rule.id, "{file}: the file name must be the rule id");
        assert!(seen.insert(rule.id.clone()), "{file}: duplicate id");
        let category = map(CATEGORIES, &rule.category, "category", &file);
        let role = map(HOPS, &rule.role, "role", &file);

        write!(
            rules_out,
            "    Rule {{ id: {:?}, name: {:?}, category: Category::{category}, role: Hop::{role}, about: {:?},\n        hops: &[",
            rule.id,
            rule.name,
            // The site's home-page wasm shows no product page: it leaves the paragraphs out
            // (about 7 KB gzip of its first load).
            if std::env::var_os("CULPRIT_WITHOUT_ABOUT").is_some() {
                ""
            } else {
                rule.about.as_str()
            }
        )
        .ok();
        for (status, hop) in &rule.hops {
            let hop = map(HOPS, hop, "hop", &file);
            let status: u16 = status
                .parse()
                .unwrap_or_else(|_| panic!("{file}: hops keys are status codes, got `{status}`"));
            write!(rules_out, "({status}, Hop::{hop}), ").ok();
        }
        rules_out.push_str("],\n        signals: &[\n");
        for s in &rule.signal {
            let place = map(PLACES, &s.place, "signal place (`in`)", &file);
            assert!(
                (1..=100).contains(&s.weight),
                "{file}: weight must be 1..=100 (pattern {:?})",
                s.pattern
            );
            if place == "Header" {
                assert!(s.header.is_some(), "{file}: header signals need `header`");
            } else {
                assert!(
                    s.header.is_none(),
                    "{file}: only header signals take `header`"
                );
                assert!(
                    s.pattern.len() >= 3,
                    "{file}: pattern {:?} is too short to be a signal",
                    s.pattern
                );
            }
            if let Some(f) = &s.fact {
                assert!(
                    FACTS.contains(&f.as_str()),
                    "{file}: unknown fact `{f}`; allowed: {FACTS:?}"
                );
            }
            assert!(
                !s.meaning.trim().is_empty(),
                "{file}: every signal needs a meaning"
            );
            writeln!(
                rules_out,
                "            Signal {{ place: Place::{place}, pattern: {:?}, weight: {}, meaning: {:?}, header: {:?}, status: {:?}, fact: {}, net_error: {:?}, exact_case: {}, hop: {} }},",
                s.pattern,
                s.weight,
                s.meaning,
                s.header.as_deref().map(str::to_ascii_lowercase),
                s.status,
                s.fact.as_deref().map_or("None".to_string(), |f| format!("Some(Fact::{})", camel(f))),
                s.net_error,
                match s.case.as_deref() {
                    None | Some("any") => false,
                    Some("exact") => true,
                    Some(other) => panic!("{file}: case is \"exact\" or \"any\", not {other:?}"),
                },
                s.hop.as_deref().map_or("None".to_string(), |h| format!(
                    "Some(Hop::{})",
                    map(HOPS, h, "signal hop", &file)
                )),
            )
            .ok();
        }
        rules_out.push_str("        ],\n        ids: &[\n");
        for i in &rule.ids {
            assert!(
                i.header.is_some() != i.after.is_some(),
                "{file}: an [[ids]] entry takes exactly one of `header` or `after`"
            );
            writeln!(
                rules_out,
                "            IdSpec {{ kind: {:?}, label: {:?}, header: {:?}, after: {:?}, pop_after_dash: {} }},",
                i.kind,
                i.label,
                i.header.as_deref().map(str::to_ascii_lowercase),
                i.after,
                i.pop.as_deref() == Some("after-dash")
            )
            .ok();
        }
        writeln!(
            rules_out,
            "        ],\n        advice: &{},",
            advice::static_name(&rule.id)
        )
        .ok();
        match &rule.browser {
            Some(b) => {
                assert!(
                    category == "Browser",
                    "{file}: only browsers take a [browser] table"
                );
                assert!(
                    !b.names.is_empty()
                        && b.names
                            .iter()
                            .all(|n| !n.is_empty() && *n == n.to_ascii_lowercase()),
                    "{file}: [browser] names are non-empty and lower-case"
                );
                defaults += usize::from(b.default);
                writeln!(
                    rules_out,
                    "        browser: Some(BrowserSpec {{ names: &{:?}, net_error_prefixes: &{:?}, default: {} }}),",
                    b.names, b.net_error_prefixes, b.default
                )
                .ok();
            }
            None => {
                assert!(
                    category != "Browser",
                    "{file}: a browser needs a [browser] table (names, net_error_prefixes)"
                );
                rules_out.push_str("        browser: None,\n");
            }
        }
        rules_out.push_str("    },\n");
        advice_files.insert(rule.id.clone(), (file.clone(), rule.advice.clone()));
        for c in &rule.code {
            assert!(
                (400..=599).contains(&c.status),
                "{file}: [[code]] status {} is not an error status",
                c.status
            );
            assert!(
                !c.reason.trim().is_empty() && !c.meaning.trim().is_empty(),
                "{file}: [[code]] {} needs a reason and a meaning",
                c.status
            );
            let entry = format!(
                "    StatusInfo {{ code: {}, reason: {:?}, meaning: {:?}, registered: false, vendor: Some({:?}) }},\n",
                c.status, c.reason, c.meaning, rule.id
            );
            assert!(
                codes.insert(c.status, entry).is_none(),
                "{file}: status {} is already claimed by another product's [[code]]",
                c.status
            );
        }

        assert!(
            !rule.example.is_empty(),
            "{file}: every rule needs at least one [[example]]"
        );
        for e in &rule.example {
            let hop = e.hop.as_deref().map(|h| map(HOPS, h, "hop", &file));
            writeln!(
                examples_out,
                "    RuleExample {{ rule: {:?}, positive: true, input: {:?}, status: {:?}, hop: {}, via: &{:?}, ids: &{:?} }},",
                rule.id,
                e.input,
                e.status,
                hop.map_or("None".to_string(), |h| format!("Some(Hop::{h})")),
                e.via,
                e.ids
            )
            .ok();
        }
        for n in &rule.negative {
            writeln!(
                examples_out,
                "    RuleExample {{ rule: {:?}, positive: false, input: {:?}, status: None, hop: None, via: &[], ids: &[] }},",
                rule.id, n.input
            )
            .ok();
        }
    }
    rules_out.push_str("];\n\n");
    assert_eq!(
        defaults, 1,
        "exactly one browser's [browser] table says `default = true`"
    );
    advice::write_statics(&mut rules_out, &advice_files);
    rules_out.push_str(
        "/// The status codes products use outside the registry, ascending ([[code]] in rule files).\npub static VENDOR_STATUSES: &[StatusInfo] = &[\n",
    );
    for entry in codes.values() {
        rules_out.push_str(entry);
    }
    rules_out.push_str("];\n");
    examples_out.push_str("];\n");

    let out = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    std::fs::write(Path::new(&out).join("rules_gen.rs"), rules_out).expect("write rules_gen.rs");
    std::fs::write(Path::new(&out).join("examples_gen.rs"), examples_out)
        .expect("write examples_gen.rs");
    matcher_gen::generate(dir, Path::new(&out));
}
