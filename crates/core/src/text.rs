//! Text utilities: visible text of an HTML page, the title, and small helpers.
//!
//! Everything here is a single forward pass over the bytes: linear in input size, no
//! recursion, no backtracking.

/// What one pass over an HTML page yields.
#[derive(Debug, Default, Clone)]
pub struct PageText {
    /// Visible text: tags, comments, scripts and styles removed, entities decoded,
    /// whitespace collapsed to single spaces, curly quotes folded to ASCII.
    pub text: String,
    /// Contents of the first `<title>`, normalised like `text`.
    pub title: Option<String>,
    /// Byte range of the first `<title>` element's contents in the raw body.
    pub title_range: Option<(usize, usize)>,
}

/// Appends `s` to `out`, collapsing whitespace runs into one space and folding
/// typographic characters to ASCII.
struct Collapser<'a> {
    out: &'a mut String,
    pending_space: bool,
}

impl<'a> Collapser<'a> {
    fn new(out: &'a mut String) -> Self {
        Collapser {
            out,
            pending_space: false,
        }
    }

    fn push(&mut self, c: char) {
        let c = match c {
            '\u{2018}' | '\u{2019}' | '\u{02BC}' => '\'',
            '\u{201C}' | '\u{201D}' => '"',
            '\u{00A0}' | '\u{2007}' | '\u{202F}' => ' ',
            '\u{2013}' | '\u{2014}' => '-',
            c => c,
        };
        if c.is_whitespace() || c.is_control() {
            self.pending_space = !self.out.is_empty();
            return;
        }
        if self.pending_space {
            self.out.push(' ');
            self.pending_space = false;
        }
        self.out.push(c);
    }

    fn push_str(&mut self, s: &str) {
        let bytes = s.as_bytes();
        // Fastest path, most text between two tags: printable ASCII words with single
        // spaces between them. The check runs without branches per byte (it vectorises).
        let next = bytes.get(1..).unwrap_or_default();
        if bytes
            .iter()
            .fold(true, |ok, &b| ok & (b.wrapping_sub(b' ') < 0x5f))
            && !bytes
                .iter()
                .zip(next)
                .fold(false, |two, (&a, &b)| two | ((a == b' ') & (b == b' ')))
        {
            let inner = s.strip_prefix(' ').unwrap_or(s);
            if inner.len() < s.len() {
                self.space();
            }
            let words = inner.strip_suffix(' ').unwrap_or(inner);
            if !words.is_empty() {
                if self.pending_space {
                    self.out.push(' ');
                    self.pending_space = false;
                }
                self.out.push_str(words);
            }
            if words.len() < inner.len() {
                self.space();
            }
            return;
        }
        // Fast path: runs of printable ASCII are copied whole and ASCII whitespace is
        // folded in bulk; everything else goes through `push` a character at a time.
        let mut i = 0;
        while let Some(&b) = bytes.get(i) {
            if matches!(b, b' ' | b'\t' | b'\n' | b'\r' | 0x0c) {
                self.pending_space = !self.out.is_empty();
                i += 1;
                continue;
            }
            // A run of printable ASCII, single spaces between words included (they are
            // already collapsed), is copied in one go: a sentence, not a word at a time.
            let printable = |b: u8| b > b' ' && b < 0x7f;
            let mut run = i;
            while let Some(&b) = bytes.get(run) {
                if printable(b) {
                    run += 1;
                } else if b == b' ' && run > i && bytes.get(run + 1).is_some_and(|&n| printable(n))
                {
                    run += 2;
                } else {
                    break;
                }
            }
            if run > i {
                if self.pending_space {
                    self.out.push(' ');
                    self.pending_space = false;
                }
                self.out.push_str(s.get(i..run).unwrap_or_default());
                i = run;
                continue;
            }
            let Some(c) = s[i..].chars().next() else {
                break;
            };
            self.push(c);
            i += c.len_utf8();
        }
    }

    fn space(&mut self) {
        self.pending_space = !self.out.is_empty();
    }
}

/// Collapses whitespace of plain text (text copied off a screen, log lines).
pub fn collapse(input: &[u8]) -> String {
    let s = decode(input);
    let mut out = String::with_capacity(s.len().min(1 << 20));
    let mut c = Collapser::new(&mut out);
    c.push_str(&s);
    out
}

/// Decodes one entity starting after `&` in `s`; returns the text and the bytes consumed
/// (including the closing `;`).
fn decode_entity(s: &str) -> Option<(char, usize)> {
    let end = s.as_bytes().iter().take(12).position(|&b| b == b';')?;
    let name = &s[..end];
    let c = if let Some(num) = name.strip_prefix('#') {
        let code = if let Some(hex) = num.strip_prefix('x').or_else(|| num.strip_prefix('X')) {
            u32::from_str_radix(hex, 16).ok()?
        } else {
            num.parse::<u32>().ok()?
        };
        char::from_u32(code)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => ' ',
            "rsquo" | "lsquo" => '\'',
            "ldquo" | "rdquo" => '"',
            "mdash" | "ndash" => '-',
            "hellip" => '…',
            "copy" => '©',
            _ => return None,
        }
    };
    Some((c, end + 1))
}

/// Decodes entities in a short string (titles, ids).
pub fn decode_entities(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        match decode_entity(rest) {
            Some((c, n)) => {
                out.push(c);
                rest = &rest[n..];
            }
            None => out.push('&'),
        }
    }
    out.push_str(rest);
    out
}

fn starts_with_ci(hay: &[u8], needle: &[u8]) -> bool {
    hay.get(..needle.len())
        .is_some_and(|h| h.eq_ignore_ascii_case(needle))
}

/// `bytes[i..]`, or nothing past the end.
fn tail(bytes: &[u8], i: usize) -> &[u8] {
    bytes.get(i..).unwrap_or_default()
}

/// The first position of `needle` in `hay`: `memchr` for its first byte, then a comparison.
/// The core looks only for short needles (its own constants, or a matched literal), so this
/// stays linear in `hay` (at most `hay.len() * needle.len()` comparisons). `memchr::memmem`
/// builds a searcher on every call, which cost the first diagnosis in a fresh wasm instance
/// milliseconds and the wasm its code.
pub(crate) fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    let Some((&first, rest)) = needle.split_first() else {
        return Some(0);
    };
    let mut from = 0;
    while let Some(i) = memchr::memchr(first, tail(hay, from)) {
        let at = from + i;
        if hay.get(at + 1..at + needle.len()) == Some(rest) {
            return Some(at);
        }
        from = at + 1;
    }
    None
}

/// Finds `needle` (ASCII, lower-case) in `hay` case-insensitively, from `from`.
fn find_ci(hay: &[u8], needle: &[u8], from: usize) -> Option<usize> {
    let first = needle.first()?;
    let mut i = from;
    while i < hay.len() {
        let rest = tail(hay, i);
        let pos = memchr::memchr2(*first, first.to_ascii_uppercase(), rest)?;
        if starts_with_ci(tail(rest, pos), needle) {
            return Some(i + pos);
        }
        i += pos + 1;
    }
    None
}

/// Extracts the visible text and title of an HTML page in one pass.
pub fn html_text(body: &[u8]) -> PageText {
    let src = decode(body);
    let bytes = src.as_bytes();
    let mut page = PageText {
        text: String::with_capacity(bytes.len().min(1 << 20) / 2),
        ..Default::default()
    };
    let mut title_text: Option<String> = None;
    let mut in_title = false;
    let mut title_start = 0usize;
    let mut i = 0usize;
    let mut text_start = 0usize;
    {
        let mut c = Collapser::new(&mut page.text);
        let flush =
            |c: &mut Collapser<'_>, title: &mut Option<String>, in_title: bool, seg: &str| {
                if seg.is_empty() {
                    return;
                }
                let decoded = if seg.contains('&') {
                    std::borrow::Cow::Owned(decode_entities(seg))
                } else {
                    std::borrow::Cow::Borrowed(seg)
                };
                if in_title {
                    title.get_or_insert_with(String::new).push_str(&decoded);
                } else {
                    c.push_str(&decoded);
                }
            };
        while i < bytes.len() {
            let Some(lt) = memchr::memchr(b'<', tail(bytes, i)) else {
                break;
            };
            let lt = i + lt;
            flush(&mut c, &mut title_text, in_title, &src[text_start..lt]);
            let rest = tail(bytes, lt);
            // Comments.
            if rest.starts_with(b"<!--") {
                let end = find(tail(rest, 4), b"-->").map_or(bytes.len(), |e| lt + 4 + e + 3);
                i = end;
                text_start = end;
                continue;
            }
            // Not a tag: a lone `<` followed by something that cannot start a tag.
            let next = rest.get(1).copied().unwrap_or(b' ');
            if !(next.is_ascii_alphabetic() || next == b'/' || next == b'!' || next == b'?') {
                c.push('<');
                i = lt + 1;
                text_start = i;
                continue;
            }
            let gt = memchr::memchr(b'>', rest).map_or(bytes.len(), |g| lt + g + 1);
            let tag = bytes
                .get(lt + 1..gt.saturating_sub(1).max(lt + 1))
                .unwrap_or_default();
            let (closing, name_bytes) = match tag.split_first() {
                Some((b'/', rest)) => (true, rest),
                _ => (false, tag),
            };
            let name_len = name_bytes
                .iter()
                .position(|b| !(b.is_ascii_alphanumeric() || *b == b'-'))
                .unwrap_or(name_bytes.len());
            let name = name_bytes.get(..name_len).unwrap_or(name_bytes);
            i = gt;
            text_start = gt;
            if name.eq_ignore_ascii_case(b"script") || name.eq_ignore_ascii_case(b"style") {
                if !closing {
                    let close: &[u8] = if name.eq_ignore_ascii_case(b"script") {
                        b"</script"
                    } else {
                        b"</style"
                    };
                    let end = find_ci(bytes, close, gt).unwrap_or(bytes.len());
                    let end =
                        memchr::memchr(b'>', tail(bytes, end)).map_or(bytes.len(), |g| end + g + 1);
                    i = end;
                    text_start = end;
                }
                continue;
            }
            if name.eq_ignore_ascii_case(b"title") {
                if !closing && page.title_range.is_none() && title_text.is_none() {
                    in_title = true;
                    title_start = gt;
                } else if closing && in_title {
                    in_title = false;
                    page.title_range = Some((title_start, lt));
                }
                continue;
            }
            // Block-level tags separate words.
            const INLINE: [&[u8]; 11] = [
                b"a", b"b", b"i", b"em", b"strong", b"span", b"code", b"small", b"font", b"u",
                b"abbr",
            ];
            if !INLINE.iter().any(|t| name.eq_ignore_ascii_case(t)) {
                c.space();
            }
        }
        if i < bytes.len() && text_start < bytes.len() {
            flush(&mut c, &mut title_text, in_title, &src[text_start..]);
        }
    }
    if in_title {
        page.title_range = Some((title_start, bytes.len()));
    }
    page.title = title_text.map(|t| {
        let mut out = String::new();
        Collapser::new(&mut out).push_str(&t);
        out
    });
    // When the source was not valid UTF-8 the offsets refer to the lossy copy; clamp.
    if let Some((a, b)) = page.title_range {
        page.title_range = Some((a.min(body.len()), b.min(body.len())));
    }
    page
}

/// True when the bytes look like an HTML document or fragment.
pub fn looks_like_html(body: &[u8]) -> bool {
    const TAGS: &[&[u8]] = &[
        b"<!doctype",
        b"<html",
        b"<head",
        b"<body",
        b"<title",
        b"<h1",
        b"<h2",
        b"<div",
        b"<p>",
        b"<p ",
        b"<center",
        b"<meta",
        b"<table",
        b"<pre",
        b"<span",
        b"<br",
        b"<hr",
        b"<style",
        b"<script",
        b"<a href",
    ];
    let head = body.get(..64 * 1024).unwrap_or(body);
    let mut i = 0;
    let mut hits = 0;
    while let Some(p) = memchr::memchr(b'<', tail(head, i)) {
        let at = i + p;
        let here = tail(head, at);
        if TAGS.iter().any(|t| starts_with_ci(here, t)) {
            hits += 1;
            if hits >= 2 || starts_with_ci(here, b"<!doctype") || starts_with_ci(here, b"<html") {
                return true;
            }
        }
        i = at + 1;
    }
    hits >= 1 && head.len() < 4096
}

/// The bytes as text: UTF-8 where they are UTF-8, and every other byte read as
/// Windows-1252 (a superset of Latin-1 for printable text), the usual encoding of a page
/// that is not UTF-8. One pass; valid UTF-8 is borrowed as is.
pub fn decode(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    if let Ok(s) = std::str::from_utf8(bytes) {
        return std::borrow::Cow::Borrowed(s);
    }
    // Windows-1252's 0x80..=0x9F; the five it leaves undefined become U+FFFD.
    const C1: [char; 32] = [
        '€', '\u{FFFD}', '‚', 'ƒ', '„', '…', '†', '‡', 'ˆ', '‰', 'Š', '‹', 'Œ', '\u{FFFD}', 'Ž',
        '\u{FFFD}', '\u{FFFD}', '‘', '’', '“', '”', '•', '–', '—', '˜', '™', 'š', '›', 'œ',
        '\u{FFFD}', 'ž', 'Ÿ',
    ];
    let mut out = String::with_capacity(bytes.len() + bytes.len() / 8);
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for &b in chunk.invalid() {
            let c = match b {
                0x80..=0x9F => C1.get(usize::from(b - 0x80)).copied().unwrap_or('\u{FFFD}'),
                _ => char::from(b),
            };
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}

/// True when the bytes are mostly not text (images, archives, compressed bodies).
pub fn looks_binary(bytes: &[u8]) -> bool {
    let head = bytes.get(..2048).unwrap_or(bytes);
    if head.is_empty() {
        return false;
    }
    let nul = head.iter().filter(|&&b| b == 0).count();
    let control = head
        .iter()
        .filter(|&&b| b < 0x20 && !matches!(b, b'\n' | b'\r' | b'\t' | 0x0c))
        .count();
    // Bytes that are not UTF-8, counted one by one: a page in Latin-1 or Windows-1252 has
    // a few (each accented letter), a compressed body has them everywhere.
    let invalid: usize = head.utf8_chunks().map(|c| c.invalid().len()).sum();
    nul > 0 && nul * 20 > head.len()
        || control * 10 > head.len()
        || (invalid > 4 && invalid * 4 > head.len())
}

/// Shortens a string for display in evidence, on a char boundary.
pub fn shorten(s: &str, max: usize) -> String {
    if s.len() <= max {
        return s.to_string();
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}…", &s[..end])
}

#[cfg(test)]
mod tests {

    #[test]
    fn find_is_the_first_occurrence() {
        assert_eq!(find(b"aaab", b"aab"), Some(1), "after a partial match");
        assert_eq!(find(b"x-->y-->", b"-->"), Some(1));
        assert_eq!(find(b"ends with -->", b"-->"), Some(10), "at the very end");
        assert_eq!(find(b"--", b"-->"), None, "longer than what is left");
        assert_eq!(find(b"", b"a"), None);
        assert_eq!(find(b"abc", b""), Some(0));
    }

    use super::*;

    /// Appending a string in bulk (its fast paths) gives what appending its characters one
    /// at a time gives, whatever came before.
    #[test]
    fn push_str_equals_pushing_each_character() {
        let pieces = [
            "",
            " ",
            "word",
            " word",
            "word ",
            " two words ",
            "two  spaces",
            "a\nnew line",
            "\ttab ",
            "curly \u{2019}quote\u{2019} and \u{201C}more\u{201D}",
            "no\u{00A0}break",
            "café crème",
            "~!@#$%^&*()_+{}|:<>?",
            "\u{7f}control",
        ];
        for before in ["", "x", "x "] {
            for piece in pieces {
                for next in ["", "y", " y"] {
                    let mut bulk = String::new();
                    let mut c = Collapser::new(&mut bulk);
                    c.push_str(before);
                    c.push_str(piece);
                    c.push_str(next);
                    let mut each = String::new();
                    let mut c = Collapser::new(&mut each);
                    for ch in before.chars().chain(piece.chars()).chain(next.chars()) {
                        c.push(ch);
                    }
                    assert_eq!(bulk, each, "{before:?} + {piece:?} + {next:?}");
                }
            }
        }
    }

    #[test]
    fn strips_tags_scripts_and_decodes() {
        let p = html_text(
            b"<html><head><title>502 Bad&nbsp;Gateway</title><style>x{}</style></head><body><script>var a='<b>';</script><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        );
        assert_eq!(p.title.as_deref(), Some("502 Bad Gateway"));
        assert_eq!(p.text, "502 Bad Gateway nginx");
    }

    #[test]
    fn curly_quotes_fold() {
        assert_eq!(
            collapse("This site can\u{2019}t  be\n reached".as_bytes()),
            "This site can't be reached"
        );
    }

    #[test]
    fn unclosed_things_do_not_panic() {
        for s in [
            "<",
            "<title",
            "<title>abc",
            "<script>",
            "<!--",
            "&#",
            "&#xZZ;",
            "a < b",
            "&#99999999;",
        ] {
            let _ = html_text(s.as_bytes());
        }
    }

    #[test]
    fn binary_detection() {
        assert!(looks_binary(&[
            0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0, 0, 0, 1, 2, 3, 4, 5, 6, 0, 0, 0
        ]));
        assert!(!looks_binary(b"<html>ok</html>"));
        // Latin-1 / Windows-1252 text: a few bytes that are not UTF-8 do not make it binary.
        let mut latin1 = b"<html><title>502 Probl\xe8me</title>".to_vec();
        latin1.extend(b"du texte fran\xe7ais, caf\xe9 \x93cit\xe9\x94 ".repeat(60));
        assert!(!looks_binary(&latin1));
    }

    #[test]
    fn windows_1252_bytes_are_read_as_letters() {
        assert_eq!(
            decode(b"caf\xe9 \x93ok\x94 \x80 \x81"),
            "café “ok” € \u{FFFD}"
        );
        assert_eq!(decode("déjà".as_bytes()), "déjà");
        let p = html_text(b"<title>Erreur 502 : passerelle incorrecte \x96 \xe9chec</title>");
        assert_eq!(
            p.title.as_deref(),
            Some("Erreur 502 : passerelle incorrecte - échec")
        );
    }
}
