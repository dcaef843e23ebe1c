//! The only place that speaks YAML, with `canonical` beside it (a fast
//! reader for exactly what `emit` writes).
//!
//! serde_yaml is deprecated upstream; keeping every call to it here means a
//! maintained drop-in can replace it in one file. Two of its behaviours are
//! handled here: alias expansion is bounded by a byte budget (a small file can
//! otherwise expand to gigabytes), and the writer is our own, so strings that
//! YAML 1.1 readers take for booleans or numbers (`yes`, `off`, `0x10`) are
//! quoted and the output is byte-stable for clean `git diff`s.

use std::cell::Cell;
use std::fmt::{self, Write as _};

use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde::{Serialize, de::DeserializeOwned};
use serde_yaml::{Mapping, Value};

/// A YAML error with the position serde_yaml reported, if any (1-based).
#[derive(Debug, Clone, PartialEq)]
pub struct YamlError {
    pub message: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
}

impl From<serde_yaml::Error> for YamlError {
    fn from(e: serde_yaml::Error) -> Self {
        let loc = e.location();
        let mut message = e.to_string();
        // serde_yaml appends " at line L column C"; we report the position separately.
        if let Some(cut) = message.find(" at line ") {
            message.truncate(cut);
        }
        YamlError {
            message,
            line: loc.as_ref().map(|l| l.line()),
            column: loc.as_ref().map(|l| l.column()),
        }
    }
}

/// Parse one YAML document into a value tree, refusing to build more than
/// `budget` bytes of it. Aliases are replayed by serde_yaml as full copies, so
/// counting what the visitor receives bounds alias bombs of any shape.
pub fn parse_bounded(text: &str, budget: usize) -> Result<Value, YamlError> {
    let counter = Budget {
        left: Cell::new(budget),
        total: budget,
    };
    let de = serde_yaml::Deserializer::from_str(text);
    ValueSeed(&counter).deserialize(de).map_err(YamlError::from)
}

/// Parse straight into a typed value in one pass, when the text cannot hold
/// an alias (no `*` anywhere) or a tag (no `!`): then nothing can expand, so
/// the byte budget has nothing to guard. `None` for any other text, and on
/// any error, so the caller takes the guarded path and its located messages.
/// This halves load time for the common case of a clean file.
pub fn parse_plain<T: DeserializeOwned>(text: &str) -> Option<T> {
    if text.contains(['*', '!']) {
        return None;
    }
    serde_yaml::from_str(text).ok()
}

/// Parse text straight into a typed value, keeping serde_yaml's position on
/// errors. Only for text already parsed once with `parse_bounded`.
pub fn from_str_located<T: DeserializeOwned>(text: &str) -> Result<T, YamlError> {
    serde_yaml::from_str(text).map_err(YamlError::from)
}

/// Convert a parsed value into a typed one.
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, String> {
    serde_yaml::from_value(value).map_err(|e| YamlError::from(e).message)
}

pub fn to_value<T: Serialize>(value: &T) -> Result<Value, String> {
    serde_yaml::to_value(value).map_err(|e| e.to_string())
}

struct Budget {
    left: Cell<usize>,
    total: usize,
}

/// What one node costs besides its text: enough that millions of tiny aliased nodes also run out.
const NODE_COST: usize = 16;

impl Budget {
    fn charge<E: de::Error>(&self, bytes: usize) -> Result<(), E> {
        let cost = bytes + NODE_COST;
        match self.left.get().checked_sub(cost) {
            Some(left) => {
                self.left.set(left);
                Ok(())
            }
            None => Err(E::custom(format!(
                "the document expands to more than {} bytes, far more than the file itself: \
                 it most likely repeats a large value through YAML aliases (`&anchor` / `*anchor`). \
                 Claims files need no aliases; write each value out in full",
                self.total
            ))),
        }
    }
}

struct ValueSeed<'a>(&'a Budget);

impl<'de> DeserializeSeed<'de> for ValueSeed<'_> {
    type Value = Value;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor(self.0))
    }
}

struct ValueVisitor<'a>(&'a Budget);

impl<'de> Visitor<'de> for ValueVisitor<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a YAML value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Number(v.into()))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Value, E> {
        self.0.charge(v.len())?;
        Ok(Value::String(v.to_owned()))
    }
    fn visit_string<E: de::Error>(self, v: String) -> Result<Value, E> {
        self.0.charge(v.len())?;
        Ok(Value::String(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Value, E> {
        self.0.charge(0)?;
        Ok(Value::Null)
    }
    fn visit_none<E: de::Error>(self) -> Result<Value, E> {
        self.visit_unit()
    }
    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        ValueSeed(self.0).deserialize(d)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        self.0.charge(0)?;
        let mut items = Vec::new();
        while let Some(v) = seq.next_element_seed(ValueSeed(self.0))? {
            items.push(v);
        }
        Ok(Value::Sequence(items))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        self.0.charge(0)?;
        let mut out = Mapping::new();
        while let Some(k) = map.next_key_seed(ValueSeed(self.0))? {
            let v = map.next_value_seed(ValueSeed(self.0))?;
            out.insert(k, v);
        }
        Ok(Value::Mapping(out))
    }
    fn visit_enum<A: de::EnumAccess<'de>>(self, _data: A) -> Result<Value, A::Error> {
        Err(de::Error::custom(
            "YAML tags (`!tag value`) are not used in claims files; remove the tag",
        ))
    }
}

/// Write a value tree as canonical YAML: two-space indentation, keys in the
/// order given, one scalar per line, strings plain where every YAML reader
/// agrees on them and double-quoted otherwise. Arabic stays readable UTF-8.
pub fn emit(value: &Value) -> String {
    let mut out = String::with_capacity(4096);
    match value {
        Value::Mapping(m) if !m.is_empty() => emit_mapping(m, 0, &mut out),
        Value::Sequence(s) if !s.is_empty() => emit_sequence(s, 0, &mut out),
        other => {
            out.push_str(&scalar(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn is_block(v: &Value) -> bool {
    match v {
        Value::Mapping(m) => !m.is_empty(),
        Value::Sequence(s) => !s.is_empty(),
        _ => false,
    }
}

fn emit_mapping(m: &Mapping, level: usize, out: &mut String) {
    for (i, (k, v)) in m.iter().enumerate() {
        // The first key of a mapping inside a sequence shares the "- " line.
        if i > 0 || !out.ends_with("- ") {
            indent(out, level);
        }
        out.push_str(&key(k));
        out.push(':');
        emit_child(v, level + 2, out);
    }
}

fn emit_sequence(s: &[Value], level: usize, out: &mut String) {
    for v in s {
        if !out.ends_with("- ") {
            indent(out, level);
        }
        out.push_str("- ");
        match v {
            Value::Mapping(m) if !m.is_empty() => emit_mapping(m, level + 2, out),
            Value::Sequence(inner) if !inner.is_empty() => {
                out.push('\n');
                emit_sequence(inner, level + 2, out)
            }
            other => {
                out.push_str(&scalar(other));
                out.push('\n');
            }
        }
    }
}

fn emit_child(v: &Value, level: usize, out: &mut String) {
    if is_block(v) {
        out.push('\n');
        match v {
            Value::Mapping(m) => emit_mapping(m, level, out),
            Value::Sequence(s) => emit_sequence(s, level, out),
            _ => unreachable!("is_block covers only collections"),
        }
    } else {
        out.push(' ');
        out.push_str(&scalar(v));
        out.push('\n');
    }
}

fn key(k: &Value) -> String {
    match k {
        Value::String(s) => string(s),
        other => scalar(other),
    }
}

fn scalar(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => string(s),
        Value::Sequence(_) => "[]".into(),
        Value::Mapping(_) => "{}".into(),
        // Tags are refused on load; anything built in code falls back to serde_yaml's form.
        Value::Tagged(_) => serde_yaml::to_string(v)
            .map(|s| s.trim_end().to_string())
            .unwrap_or_else(|_| "null".into()),
    }
}

/// A string as a plain scalar when that is unambiguous for YAML 1.1 and 1.2 readers alike.
fn string(s: &str) -> String {
    if plain_is_safe(s) {
        s.to_string()
    } else {
        double_quoted(s)
    }
}

/// Plain scalars YAML 1.1 resolves to something other than a string.
const AMBIGUOUS_WORDS: &[&str] = &[
    "y", "yes", "n", "no", "true", "false", "on", "off", "null", "~", "=", "<<",
];

pub(super) fn plain_is_safe(s: &str) -> bool {
    let b = s.as_bytes();
    let Some(&first) = b.first() else {
        return false;
    };
    let ambiguous = s.len() <= 5 && AMBIGUOUS_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s));
    if ambiguous {
        return false;
    }
    // The common key and word (`status`, `title_en`): letters, digits,
    // `_` and `-`, starting with a letter. Every key of every file is asked.
    if first.is_ascii_alphabetic()
        && b.iter()
            .all(|c| c.is_ascii_alphanumeric() || *c == b'_' || *c == b'-')
    {
        return true;
    }
    if s.trim() != s {
        return false;
    }
    // Anything that might read as a number, date or time in some YAML version.
    if first.is_ascii_digit() || matches!(first, b'+' | b'-' | b'.') {
        return false;
    }
    if matches!(
        first,
        b'?' | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    ) {
        return false;
    }
    if s.ends_with(':') {
        return false;
    }
    // This runs on every string of every file read, so each check is a
    // vectorised scan: `: ` and ` #` where a colon or hash is; then the
    // lead bytes of every character `needs_escape` can say yes to, and
    // only where one is, the characters themselves.
    let b = s.as_bytes();
    for i in memchr::memchr2_iter(b':', b'#', b) {
        let breaks = match b[i] {
            b':' => b.get(i + 1) == Some(&b' '),
            _ => i > 0 && b[i - 1] == b' ',
        };
        if breaks {
            return false;
        }
    }
    // C0 controls and DEL; C2: C1 controls, NBSP, soft hyphen; E2:
    // zero-widths and bidi controls; EF: the BOM; and the Arabic letter mark.
    let lead = |c: u8| c < 0x20 || c == 0x7f || c == 0xc2 || c == 0xe2 || c == 0xef;
    // The Arabic letter mark is D8 9C: a 9C after a D8.
    let maybe_unsafe = b
        .chunks(32)
        .any(|chunk| chunk.iter().fold(false, |any, &c| any | lead(c)))
        || memchr::memchr_iter(0x9c, b).any(|i| i > 0 && b[i - 1] == 0xd8);
    !(maybe_unsafe && s.chars().any(needs_escape))
}

/// Characters that must never stand raw in our files: the unsafe ones
/// (`text::is_unsafe`), and the no-break space, which reads as a space in a
/// diff but is not one.
fn needs_escape(c: char) -> bool {
    crate::text::is_unsafe(c) || c == '\u{a0}'
}

fn double_quoted(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            '\u{1b}' => out.push_str("\\e"),
            '\u{a0}' => out.push_str("\\_"),
            c if needs_escape(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(s: &str) -> String {
        let mut m = Mapping::new();
        m.insert(Value::String("k".into()), Value::String(s.into()));
        let text = emit(&Value::Mapping(m));
        let back = parse_bounded(&text, 1 << 20).expect("our own output parses");
        match back.get("k") {
            Some(Value::String(v)) => v.clone(),
            other => panic!("`{s}` came back as {other:?} from {text}"),
        }
    }

    #[test]
    fn tricky_strings_survive_a_round_trip() {
        for s in [
            "yes",
            "No",
            "ON",
            "off",
            "y",
            "null",
            "~",
            "true",
            "0x10",
            "1e3",
            "012",
            "1_000",
            ".inf",
            "-",
            "- x",
            "a: b",
            "a #b",
            "#c",
            "&a",
            "*a",
            "!t",
            "'q'",
            "\"q\"",
            "",
            " lead",
            "trail ",
            "2022-09-12",
            "12:30",
            "line\nbreak",
            "tab\there",
            "\u{1b}[2J",
            "a\u{202e}b",
            "nbsp\u{a0}x",
            "back\\slash",
            "%x",
            "@x",
            "`x",
            "|x",
            ">x",
            "[x",
            "{x",
            "قالت وزارة الداخلية: \"نص\"",
            "<<",
            "=",
        ] {
            assert_eq!(round_trip(s), s, "string {s:?}");
        }
    }

    #[test]
    fn ambiguous_words_are_quoted_so_yaml_1_1_reads_strings() {
        for s in ["yes", "no", "on", "off", "Y", "n"] {
            let mut m = Mapping::new();
            m.insert("k".into(), s.into());
            assert_eq!(emit(&Value::Mapping(m)), format!("k: \"{s}\"\n"));
        }
    }

    #[test]
    fn arabic_is_written_plain_and_readable() {
        let mut m = Mapping::new();
        m.insert("k".into(), "هجوم إلكتروني آخر".into());
        assert_eq!(emit(&Value::Mapping(m)), "k: هجوم إلكتروني آخر\n");
    }

    #[test]
    fn nested_layout_is_block_style_with_two_space_indent() {
        let v: Value = serde_yaml::from_str("a:\n  - id: x\n    h: []\n  - id: z\nb: {}\n")
            .expect("fixture parses");
        assert_eq!(emit(&v), "a:\n  - id: x\n    h: []\n  - id: z\nb: {}\n");
    }

    #[test]
    fn wide_alias_bomb_hits_the_budget() {
        let big = "x".repeat(10_000);
        let refs = "  - *a\n".repeat(2_000);
        let text = format!("v: &a {big}\nlist:\n{refs}");
        let err = parse_bounded(&text, text.len() * 4).unwrap_err();
        assert!(err.message.contains("aliases"), "{}", err.message);
    }

    #[test]
    fn the_byte_scan_agrees_with_the_character_rule() {
        let by_chars = |s: &str| {
            !(s.contains(": ")
                || s.contains(" #")
                || s.ends_with(':')
                || s.chars().any(needs_escape))
        };
        for c in (0..0x3000u32)
            .chain(0xfe00..0x10000)
            .filter_map(char::from_u32)
        {
            for s in [
                format!("a{c}b"),
                format!("ق{c}"),
                format!("x{c}: y"),
                format!("x {c}#"),
            ] {
                let trimmed_ok = s.trim() == s;
                if trimmed_ok && !s.starts_with(['-', ' ']) {
                    assert_eq!(
                        plain_is_safe(&s),
                        by_chars(&s),
                        "U+{:04X} in {s:?}",
                        c as u32
                    );
                }
            }
        }
    }

    #[test]
    fn tags_are_refused() {
        let err = parse_bounded("a: !custom 5\n", 1000).unwrap_err();
        assert!(err.message.contains("tags"), "{}", err.message);
    }
}
