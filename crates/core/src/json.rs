//! A small JSON reader for the two JSON forms a person pastes: HAR files and browser
//! observations.
//!
//! Why not `serde_json`: in the site's wasm it cost about 33 KB gzip (its generic
//! deserializers, error messages and the float formatting they pull in), more than a tenth of
//! the first load, for two fixed shapes read once per paste. This reader builds a plain tree;
//! `input.rs` picks the fields it needs. Numbers are kept as integers when they are integers
//! (a status), otherwise only as "a number". Linear in the input; nesting is capped, so a
//! hostile `[[[[…` is an error, not a stack overflow; invalid UTF-8 inside strings is
//! replaced, not fatal.

/// A JSON value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Null,
    Bool(bool),
    /// An integer that fits in `i64`, or `None` for any other number.
    Number(Option<i64>),
    String(String),
    Array(Vec<Value>),
    /// Members in input order (a repeated key: the first one is found).
    Object(Vec<(String, Value)>),
}

/// The deepest nesting read (as `serde_json`).
const MAX_DEPTH: usize = 128;

impl Value {
    /// The member `key` of an object.
    pub fn get(&self, key: &str) -> Option<&Value> {
        match self {
            Value::Object(members) => members.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Value::Number(n) => *n,
            _ => None,
        }
    }

    pub fn as_array(&self) -> Option<&[Value]> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    pub fn as_object(&self) -> Option<&[(String, Value)]> {
        match self {
            Value::Object(members) => Some(members),
            _ => None,
        }
    }
}

/// Reads one JSON document (surrounding whitespace allowed). The error says what was wrong
/// and at which byte.
pub fn parse(input: &[u8]) -> Result<Value, String> {
    let mut p = Parser { input, at: 0 };
    // A byte order mark is not JSON, but editors write it.
    if input.starts_with(b"\xEF\xBB\xBF") {
        p.at = 3;
    }
    let value = p.value(0)?;
    p.skip_space();
    if p.at < input.len() {
        return Err(p.error("text after the end of the JSON"));
    }
    Ok(value)
}

struct Parser<'a> {
    input: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn peek(&self) -> Option<u8> {
        self.input.get(self.at).copied()
    }

    fn error(&self, what: &str) -> String {
        format!("{what} at byte {}", self.at)
    }

    fn skip_space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &[u8], value: Value) -> Result<Value, String> {
        if self.input.get(self.at..self.at + word.len()) == Some(word) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("unexpected character"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Value, String> {
        self.skip_space();
        match self.peek() {
            None => Err(self.error("unexpected end of input")),
            Some(b'{') => self.object(depth + 1),
            Some(b'[') => self.array(depth + 1),
            Some(b'"') => self.string().map(Value::String),
            Some(b't') => self.literal(b"true", Value::Bool(true)),
            Some(b'f') => self.literal(b"false", Value::Bool(false)),
            Some(b'n') => self.literal(b"null", Value::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.at += 1;
        let mut members = Vec::new();
        self.skip_space();
        if self.peek() == Some(b'}') {
            self.at += 1;
            return Ok(Value::Object(members));
        }
        loop {
            self.skip_space();
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a member name"));
            }
            let key = self.string()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.error("expected `:`"));
            }
            self.at += 1;
            let value = self.value(depth)?;
            members.push((key, value));
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b'}') => {
                    self.at += 1;
                    return Ok(Value::Object(members));
                }
                _ => return Err(self.error("expected `,` or `}`")),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Result<Value, String> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply"));
        }
        self.at += 1;
        let mut items = Vec::new();
        self.skip_space();
        if self.peek() == Some(b']') {
            self.at += 1;
            return Ok(Value::Array(items));
        }
        loop {
            items.push(self.value(depth)?);
            self.skip_space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(b']') => {
                    self.at += 1;
                    return Ok(Value::Array(items));
                }
                _ => return Err(self.error("expected `,` or `]`")),
            }
        }
    }

    /// A number: its integer value when it is an integer that fits, else just "a number".
    fn number(&mut self) -> Result<Value, String> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        // No leading zeros: `0` is a whole integer part.
        let digits = if self.peek() == Some(b'0') {
            self.at += 1;
            1
        } else {
            self.digits()
        };
        if digits == 0 {
            return Err(self.error("expected a digit"));
        }
        let mut integer = true;
        if self.peek() == Some(b'.') {
            self.at += 1;
            integer = false;
            if self.digits() == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            integer = false;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        let text = self.input.get(start..self.at).unwrap_or_default();
        let value = integer
            .then(|| std::str::from_utf8(text).ok()?.parse::<i64>().ok())
            .flatten();
        Ok(Value::Number(value))
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let mut v = 0u32;
        for _ in 0..4 {
            let d = match self.peek() {
                Some(c @ b'0'..=b'9') => c - b'0',
                Some(c @ b'a'..=b'f') => c - b'a' + 10,
                Some(c @ b'A'..=b'F') => c - b'A' + 10,
                _ => return Err(self.error("bad \\u escape")),
            };
            v = v * 16 + u32::from(d);
            self.at += 1;
        }
        Ok(v)
    }

    /// A string (the cursor on its opening quote).
    fn string(&mut self) -> Result<String, String> {
        self.at += 1;
        let mut out: Vec<u8> = Vec::new();
        loop {
            // Copy the run up to the next quote or backslash in one go.
            let rest = self.input.get(self.at..).unwrap_or_default();
            let Some(stop) = memchr::memchr2(b'"', b'\\', rest) else {
                self.at = self.input.len();
                return Err(self.error("unterminated string"));
            };
            out.extend_from_slice(rest.get(..stop).unwrap_or_default());
            self.at += stop;
            if self.peek() == Some(b'"') {
                self.at += 1;
                return Ok(match String::from_utf8(out) {
                    Ok(s) => s,
                    Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
                });
            }
            // A backslash.
            self.at += 1;
            let escaped = self.peek();
            self.at += 1;
            let c = match escaped {
                Some(b'"') => '"',
                Some(b'\\') => '\\',
                Some(b'/') => '/',
                Some(b'b') => '\u{8}',
                Some(b'f') => '\u{c}',
                Some(b'n') => '\n',
                Some(b'r') => '\r',
                Some(b't') => '\t',
                Some(b'u') => {
                    let hi = self.hex4()?;
                    let code = if (0xD800..0xDC00).contains(&hi)
                        && self.input.get(self.at..self.at + 2) == Some(b"\\u")
                    {
                        let back = self.at;
                        self.at += 2;
                        let lo = self.hex4()?;
                        if (0xDC00..0xE000).contains(&lo) {
                            0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)
                        } else {
                            // Not a pair: the lone high half, and read the next escape anew.
                            self.at = back;
                            hi
                        }
                    } else {
                        hi
                    };
                    char::from_u32(code).unwrap_or(char::REPLACEMENT_CHARACTER)
                }
                _ => {
                    self.at -= 1;
                    return Err(self.error("bad escape"));
                }
            };
            let mut buf = [0u8; 4];
            out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_values_and_escapes() {
        let v = parse(br#" {"a": [1, -2, 3.5, 1e3, true, false, null], "s": "x\"\\\/\n\u00e9\ud83d\ude00\ud800z", "o": {}} "#)
            .expect("valid JSON");
        assert_eq!(
            v.get("a").and_then(Value::as_array).map(<[Value]>::to_vec),
            Some(vec![
                Value::Number(Some(1)),
                Value::Number(Some(-2)),
                Value::Number(None),
                Value::Number(None),
                Value::Bool(true),
                Value::Bool(false),
                Value::Null,
            ])
        );
        assert_eq!(
            v.get("s").and_then(Value::as_str),
            Some("x\"\\/\né😀\u{fffd}z")
        );
        assert_eq!(v.get("o"), Some(&Value::Object(Vec::new())));
        assert_eq!(v.get("missing"), None);
    }

    #[test]
    fn errors_say_where() {
        for (bad, what) in [
            (&b"{\"a\" 1}"[..], "expected `:` at byte 5"),
            (b"[1, 2", "expected `,` or `]` at byte 5"),
            (b"\"abc", "unterminated string"),
            (b"{} x", "text after the end of the JSON at byte 3"),
            (b"01", "text after the end of the JSON at byte 1"),
            (b"-", "expected a digit"),
            (b"\"\\x\"", "bad escape at byte 2"),
            (b"", "unexpected end of input at byte 0"),
        ] {
            let err = parse(bad).expect_err("invalid JSON");
            assert!(err.contains(what), "{err:?} for {bad:?}");
        }
    }

    #[test]
    fn deep_nesting_is_an_error_not_a_crash() {
        let deep = "[".repeat(100_000);
        assert!(parse(deep.as_bytes()).is_err_and(|e| e.contains("nested too deeply")));
        let ok = format!("{}{}", "[".repeat(100), "]".repeat(100));
        assert!(parse(ok.as_bytes()).is_ok());
    }

    #[test]
    fn invalid_utf8_in_a_string_is_replaced() {
        let v = parse(b"\"a\xffb\"").expect("valid JSON apart from the byte");
        assert_eq!(v.as_str(), Some("a\u{fffd}b"));
    }
}
