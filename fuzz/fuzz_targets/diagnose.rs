//! Feeds arbitrary bytes to `diagnose`, and to `diagnose_observation` when they parse as a
//! browser observation. Any panic is a bug; so is an answer that does not serialise.
//!
//! Built two ways: by cargo-fuzz (nightly, feature `libfuzzer`, the default) as a libFuzzer
//! target, or on stable with `--no-default-features --features replay` as a plain program
//! whose `main` (below) replays files and folders and then mutates them with the dictionary:
//! `diagnose [-dict=FILE] [-max_total_time=SECONDS] [-seed=N] PATH...`.

#![cfg_attr(not(feature = "replay"), no_main)]

use culprit_core::{BrowserObservation, Diagnosis, diagnose, diagnose_observation};

fn check(d: &Diagnosis) {
    let json = match serde_json::to_string(d) {
        Ok(json) => json,
        Err(e) => panic!("a diagnosis does not serialise: {e}"),
    };
    match serde_json::from_str::<Diagnosis>(&json) {
        Ok(back) => assert_eq!(&back, d, "the JSON round trip changed the diagnosis"),
        Err(e) => panic!("a diagnosis does not read back from its JSON: {e}"),
    }
    let c = d.source.confidence;
    assert!(c.is_finite() && (0.0..=1.0).contains(&c), "confidence {c}");
}

fn one_input(data: &[u8]) {
    if let Ok(d) = diagnose(data) {
        check(&d);
    }
    if let Ok(o) = serde_json::from_slice::<BrowserObservation>(data) {
        check(&diagnose_observation(&o));
    }
}

#[cfg(not(feature = "replay"))]
libfuzzer_sys::fuzz_target!(|data: &[u8]| one_input(data));

#[cfg(feature = "replay")]
fn main() -> std::process::ExitCode {
    match replay::run(std::env::args().skip(1).collect()) {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("diagnose: {e}");
            std::process::ExitCode::from(2)
        }
    }
}

/// The stable driver: no coverage feedback, but every corpus file, then random splices of
/// corpus files and dictionary tokens, byte flips, cuts and repeats until the time is up.
#[cfg(feature = "replay")]
mod replay {
    use std::path::{Path, PathBuf};
    use std::time::{Duration, Instant};

    /// Inputs longer than this are cut (libFuzzer's `-max_len` in the README).
    const MAX_LEN: usize = 65_536;

    pub fn run(args: Vec<String>) -> Result<(), String> {
        let mut dict = None;
        let mut seconds = 0u64;
        let mut seed = 0x9e37_79b9_7f4a_7c15u64;
        let mut paths = Vec::new();
        for arg in args {
            if let Some(v) = arg.strip_prefix("-dict=") {
                dict = Some(PathBuf::from(v));
            } else if let Some(v) = arg.strip_prefix("-max_total_time=") {
                seconds = v.parse().map_err(|e| format!("-max_total_time={v}: {e}"))?;
            } else if let Some(v) = arg.strip_prefix("-seed=") {
                seed = v.parse().map_err(|e| format!("-seed={v}: {e}"))?;
            } else if arg.starts_with('-') {
                return Err(format!("unknown option {arg}"));
            } else {
                paths.push(PathBuf::from(arg));
            }
        }
        let mut corpus = Vec::new();
        for p in &paths {
            collect(p, &mut corpus)?;
        }
        if corpus.is_empty() {
            return Err("no input files: give files or folders to replay".to_string());
        }
        let tokens = match &dict {
            Some(d) => read_dict(d)?,
            None => Vec::new(),
        };
        let started = Instant::now();
        for (path, bytes) in &corpus {
            // Kept first, so that a panic leaves the input that caused it behind.
            if std::env::var_os("CULPRIT_FUZZ_VERBOSE").is_some() {
                eprintln!("replay {}", path.display());
            }
            let _ = std::fs::write(last_input_path(), bytes);
            super::one_input(bytes);
        }
        let replayed = corpus.len();
        let mut rng = Rng(seed | 1);
        let mut runs = 0u64;
        let deadline = started + Duration::from_secs(seconds);
        while Instant::now() < deadline {
            let input = mutate(&mut rng, &corpus, &tokens);
            // Written first, so that a panic leaves the input that caused it behind.
            let _ = std::fs::write(last_input_path(), &input);
            super::one_input(&input);
            runs += 1;
        }
        println!(
            "diagnose: replayed {replayed} file(s), then {runs} mutated input(s) in {:.1} s \
             (seed {seed}, {} dictionary token(s)); no failure",
            started.elapsed().as_secs_f64(),
            tokens.len()
        );
        Ok(())
    }

    /// Where the input being tried is kept, to replay after a crash.
    fn last_input_path() -> PathBuf {
        std::env::temp_dir().join(format!("culprit-fuzz-last-input-{}", std::process::id()))
    }

    fn collect(path: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) -> Result<(), String> {
        if path.is_dir() {
            let mut entries: Vec<PathBuf> = std::fs::read_dir(path)
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .collect();
            entries.sort();
            for e in entries {
                collect(&e, out)?;
            }
            return Ok(());
        }
        let bytes =
            std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        out.push((path.to_path_buf(), bytes));
        Ok(())
    }

    /// libFuzzer's dictionary format: one `"token"` per line (optionally `name="token"`),
    /// with `\\`, `\"` and `\xNN` escapes; `#` starts a comment.
    fn read_dict(path: &Path) -> Result<Vec<Vec<u8>>, String> {
        let text = std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        let mut tokens = Vec::new();
        for (n, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            let (Some(start), Some(end)) = (line.find('"'), line.rfind('"')) else {
                return Err(format!("{}:{}: no quoted token", path.display(), n + 1));
            };
            let quoted = line.get(start + 1..end).unwrap_or_default().as_bytes();
            let mut token = Vec::new();
            let mut i = 0;
            while let Some(&b) = quoted.get(i) {
                if b == b'\\' {
                    match quoted.get(i + 1) {
                        Some(b'x') => {
                            let hex = quoted.get(i + 2..i + 4).unwrap_or_default();
                            let hex = std::str::from_utf8(hex).unwrap_or_default();
                            let v = u8::from_str_radix(hex, 16).map_err(|e| {
                                format!("{}:{}: bad \\x escape: {e}", path.display(), n + 1)
                            })?;
                            token.push(v);
                            i += 4;
                        }
                        Some(&c) => {
                            token.push(c);
                            i += 2;
                        }
                        None => break,
                    }
                } else {
                    token.push(b);
                    i += 1;
                }
            }
            tokens.push(token);
        }
        Ok(tokens)
    }

    /// xorshift64*: small, fast, and the same sequence for the same seed.
    struct Rng(u64);

    impl Rng {
        fn next(&mut self) -> u64 {
            self.0 ^= self.0 >> 12;
            self.0 ^= self.0 << 25;
            self.0 ^= self.0 >> 27;
            self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
        }

        fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }
    }

    fn pick<'a>(rng: &mut Rng, corpus: &'a [(PathBuf, Vec<u8>)]) -> &'a [u8] {
        corpus
            .get(rng.below(corpus.len()))
            .map(|(_, b)| b.as_slice())
            .unwrap_or_default()
    }

    fn mutate(rng: &mut Rng, corpus: &[(PathBuf, Vec<u8>)], tokens: &[Vec<u8>]) -> Vec<u8> {
        let mut data = pick(rng, corpus).to_vec();
        for _ in 0..1 + rng.below(8) {
            let at = rng.below(data.len() + 1);
            match rng.below(6) {
                // Insert a dictionary token (or a random byte without a dictionary).
                0 | 1 => match tokens.get(rng.below(tokens.len())) {
                    Some(t) => {
                        data.splice(at..at, t.iter().copied());
                    }
                    None => data.insert(at, rng.next() as u8),
                },
                // Flip a byte.
                2 => {
                    if let Some(b) = data.get_mut(at) {
                        *b ^= 1 << rng.below(8);
                    }
                }
                // Cut a stretch out.
                3 => {
                    let end = (at + rng.below(256)).min(data.len());
                    data.drain(at..end);
                }
                // Splice in part of another corpus file.
                4 => {
                    let other = pick(rng, corpus);
                    let from = rng.below(other.len());
                    let to = (from + rng.below(4096)).min(other.len());
                    data.splice(
                        at..at,
                        other.get(from..to).unwrap_or_default().iter().copied(),
                    );
                }
                // Repeat a stretch many times (long lines, deep nesting).
                _ => {
                    let end = (at + 1 + rng.below(16)).min(data.len());
                    let unit = data.get(at..end).unwrap_or_default().to_vec();
                    let times = rng.below(2000);
                    data.splice(at..at, unit.repeat(times));
                }
            }
        }
        data.truncate(MAX_LEN);
        data
    }
}
