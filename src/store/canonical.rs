//! A reader for exactly the YAML the desk writes (`yaml::emit`): block
//! mappings and sequences at two spaces an indent, one scalar a line,
//! strings plain where `emit` leaves them plain and double-quoted with
//! `emit`'s escapes otherwise, integers, booleans, `[]` and `{}`.
//!
//! It reads several times faster than libyaml, and a newsroom's desk is
//! almost all files the desk wrote. Anything outside that shape (a
//! comment, a blank line, flow style, a single quote, another escape, a
//! duplicate key) gives `None`, and the caller parses with serde_yaml as
//! before: this reader never decides what a file means where the two could
//! differ, it only takes the shortcut where they cannot (tests compare
//! both readers on every file shape we write).

use serde_yaml::{Mapping, Number, Value};

use super::strict::{MAX_DEPTH, is_text_key};
use super::yaml::plain_is_safe;

/// `text` as a `T`, when it is in the desk's own shape: read fast into a
/// tree that serde_yaml turns into `T`. `None` for any other file, or one
/// whose tree is not a `T`, for the guarded paths to read and report.
pub fn read<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    serde_yaml::from_value(parse(text)?).ok()
}

/// The value tree of `text`, when it is in the desk's own shape.
pub fn parse(text: &str) -> Option<Value> {
    let mut lines = Vec::with_capacity(text.len() / 40);
    for line in text.strip_suffix('\n').unwrap_or(text).split('\n') {
        let content = line.trim_start_matches(' ');
        let indent = line.len() - content.len();
        // Blank lines, comments, tabs, CRs and document markers: serde_yaml's job.
        if content.is_empty()
            || content.starts_with(['#', '\t'])
            || content.contains('\r')
            || (indent == 0 && (content.starts_with("---") || content.starts_with("...")))
        {
            return None;
        }
        lines.push((indent, content));
    }
    let mut r = Reader { lines, at: 0 };
    let value = r.block(0)?;
    (r.at == r.lines.len()).then_some(value)
}

struct Reader<'a> {
    lines: Vec<(usize, &'a str)>,
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<(usize, &'a str)> {
        self.lines.get(self.at).copied()
    }

    /// The collection whose first line is the next one, at `indent`.
    fn block(&mut self, indent: usize) -> Option<Value> {
        let (at, content) = self.peek()?;
        // Real files nest a few levels; a deep one goes to the guarded path.
        if at != indent || indent > 2 * MAX_DEPTH {
            return None;
        }
        if is_item(content) {
            self.sequence(indent).map(Value::Sequence)
        } else {
            self.mapping(indent).map(Value::Mapping)
        }
    }

    fn sequence(&mut self, indent: usize) -> Option<Vec<Value>> {
        let mut items = Vec::new();
        while let Some((at, content)) = self.peek() {
            if at != indent || !is_item(content) {
                break;
            }
            let rest = content.strip_prefix('-')?.strip_prefix(' ').unwrap_or("");
            if rest.is_empty() {
                // "- " alone: a sequence inside the sequence, on the next lines.
                self.at += 1;
                items.push(self.block(indent + 2)?);
            } else if starts_mapping(rest)? {
                // The item's mapping starts on the dash line, its other keys below.
                self.lines[self.at] = (indent + 2, rest);
                items.push(Value::Mapping(self.mapping(indent + 2)?));
            } else {
                self.at += 1;
                items.push(scalar(rest)?);
            }
        }
        Some(items)
    }

    fn mapping(&mut self, indent: usize) -> Option<Mapping> {
        let mut m = Mapping::new();
        while let Some((at, content)) = self.peek() {
            if at < indent || (at == indent && is_item(content)) {
                break;
            }
            if at != indent {
                return None;
            }
            let (key, rest) = key_of(content)?;
            self.at += 1;
            let value = if rest.is_empty() {
                // A block below: a mapping or a sequence, two spaces in.
                match self.peek() {
                    Some((next, _)) if next == indent + 2 => self.block(indent + 2)?,
                    _ => return None,
                }
            } else {
                scalar(rest.strip_prefix(' ')?)?
            };
            // A number or boolean where text belongs: `check` says where to quote.
            if is_text_key(&key) && !is_text(&value) {
                return None;
            }
            if m.insert(Value::String(key), value).is_some() {
                return None; // A duplicate key: let serde_yaml say so.
            }
        }
        Some(m)
    }
}

/// A string, or a list of strings.
fn is_text(v: &Value) -> bool {
    match v {
        Value::String(_) => true,
        Value::Sequence(items) => items.iter().all(|i| matches!(i, Value::String(_))),
        _ => false,
    }
}

fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Whether a sequence item's text is a `key: ...` line (`None`: neither
/// cleanly a key nor a scalar).
fn starts_mapping(rest: &str) -> Option<bool> {
    if rest.starts_with('"') {
        let (_, after) = quoted(rest)?;
        return match after {
            "" => Some(false),
            a if a.starts_with(':') => Some(true),
            _ => None,
        };
    }
    Some(rest.contains(": ") || rest.ends_with(':'))
}

/// `key: rest` (rest empty for a block below, else starting with a space).
fn key_of(content: &str) -> Option<(String, &str)> {
    if content.starts_with('"') {
        let (key, after) = quoted(content)?;
        return Some((key, after.strip_prefix(':')?));
    }
    let (key, rest) = match content.find(": ") {
        Some(i) => (&content[..i], &content[i + 1..]),
        None => (content.strip_suffix(':')?, ""),
    };
    plain_is_safe(key).then(|| (key.to_string(), rest))
}

fn scalar(s: &str) -> Option<Value> {
    if s.starts_with('"') {
        let (text, after) = quoted(s)?;
        return after.is_empty().then_some(Value::String(text));
    }
    match s {
        "true" => return Some(Value::Bool(true)),
        "false" => return Some(Value::Bool(false)),
        "[]" => return Some(Value::Sequence(Vec::new())),
        "{}" => return Some(Value::Mapping(Mapping::new())),
        _ => {}
    }
    if let Some(n) = integer(s) {
        return Some(Value::Number(n));
    }
    plain_is_safe(s).then(|| Value::String(s.to_string()))
}

/// A decimal integer as `emit` writes one: no sign but `-`, no leading zero.
fn integer(s: &str) -> Option<Number> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !canonical {
        return None;
    }
    if s.starts_with('-') {
        s.parse::<i64>().ok().map(Number::from)
    } else {
        s.parse::<u64>().ok().map(Number::from)
    }
}

/// A double-quoted string at the start of `s` with `emit`'s escapes only,
/// and what follows it on the line.
fn quoted(s: &str) -> Option<(String, &str)> {
    let body = s.strip_prefix('"')?;
    let mut out = String::with_capacity(body.len());
    let mut chars = body.char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Some((out, &body[i + 1..])),
            '\\' => {
                let (_, e) = chars.next()?;
                out.push(match e {
                    '"' => '"',
                    '\\' => '\\',
                    'n' => '\n',
                    't' => '\t',
                    'r' => '\r',
                    '0' => '\0',
                    'e' => '\u{1b}',
                    '_' => '\u{a0}',
                    'u' => {
                        let hex: String = (0..4)
                            .map(|_| chars.next().map(|(_, h)| h))
                            .collect::<Option<_>>()?;
                        char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?
                    }
                    _ => return None,
                });
            }
            c => out.push(c),
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Document;

    /// Both readers give the same tree and the same document.
    fn same_as_serde_yaml(text: &str) {
        let ours = parse(text).expect("the desk's own shape is read");
        let theirs: Value = serde_yaml::from_str(text).expect("serde_yaml reads it");
        assert_eq!(ours, theirs);
        let doc: Document = serde_yaml::from_value(ours).expect("a document");
        let direct: Document = serde_yaml::from_str(text).expect("typed");
        assert_eq!(doc, direct);
    }

    fn tricky() -> Vec<String> {
        [
            "",
            " lead",
            "trail ",
            "yes",
            "No",
            "null",
            "~",
            "007",
            "3",
            "-1",
            "1.5",
            "0x10",
            "2022-09-12",
            "a: b",
            "a #b",
            "ends:",
            "- dash",
            "#hash",
            "[x]",
            "{y}",
            "'single'",
            "\"double\"",
            "back\\slash",
            "tab\there",
            "line\nbreak",
            "cr\rhere",
            "nbsp\u{a0}x",
            "\u{202e}bidi",
            "\u{1b}esc",
            "\0nul",
            "colon:inside",
            "<<",
            "=",
            "@at",
            "`tick",
            "%pct",
            "!bang",
            "&amp",
            "*star",
            "|pipe",
            ">gt",
            "?q",
            ",comma",
            "قال \"الوزير\"",
            "emoji 🇦🇱",
            "true",
            "False",
            "on",
            "Off",
            "y",
            "n",
            ".5",
            "+1",
            "١٢٣",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    }

    #[test]
    fn what_the_desk_writes_reads_the_same_as_with_serde_yaml() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
        let desk = crate::store::Desk::load(&dir).expect("the shipped claims load");
        for f in &desk.files {
            let text = std::fs::read_to_string(&f.path).expect("read");
            same_as_serde_yaml(&text);
            same_as_serde_yaml(&crate::store::render(&f.doc).expect("render"));
        }
        same_as_serde_yaml(
            &crate::store::render(&crate::synth::document(0, 30, 3)).expect("render"),
        );
    }

    #[test]
    fn tricky_strings_in_every_place_read_back_as_written() {
        let mut doc = crate::synth::document(2, 4, 9);
        let sources = doc.sources.len();
        for (i, s) in tricky().into_iter().enumerate() {
            doc.sources[i % sources].name_original = s.clone();
            let c = &mut doc.claims[i % 4];
            c.evidence.push(s.clone());
            c.note = Some(s.clone());
            doc.article.paragraphs.push(s.clone());
            c.extra
                .insert(Value::String(format!("k{i}")), Value::String(s.clone()));
            if !s.is_empty() {
                c.extra
                    .insert(Value::String(s.clone()), Value::Number(Number::from(i)));
            }
            let text = crate::store::render(&doc).expect("render");
            same_as_serde_yaml(&text);
        }
        doc.claims[0].extra.insert("flag".into(), Value::Bool(true));
        doc.claims[0]
            .extra
            .insert("neg".into(), Value::Number(Number::from(-4)));
        doc.claims[0]
            .extra
            .insert("empty".into(), Value::Sequence(vec![]));
        doc.claims[0].extra.insert(
            "nested".into(),
            Value::Sequence(vec![Value::Sequence(vec!["a".into()])]),
        );
        same_as_serde_yaml(&crate::store::render(&doc).expect("render"));
    }

    #[test]
    fn a_text_field_holding_a_number_is_refused_where_it_is() {
        let doc = crate::synth::document(0, 2, 1);
        let text = crate::store::render(&doc).expect("render");
        let id_line = format!("  - id: {}\n", doc.claims[1].id);
        let bad = text.replacen(&id_line, "  - id: 12\n", 1);
        assert_ne!(bad, text);
        let err = crate::store::parse_document(std::path::Path::new("a.yaml"), &bad, None)
            .expect_err("refused");
        assert!(err.to_string().contains("a.yaml:"), "{err}");
        assert!(err.to_string().contains("quote"), "{err}");
    }

    #[test]
    fn deep_indentation_is_left_to_the_guarded_path() {
        let mut text = String::new();
        for level in 0..200 {
            text.push_str(&" ".repeat(2 * level));
            text.push_str("a:\n");
        }
        text.push_str(&" ".repeat(400));
        text.push_str("b: 1\n");
        assert_eq!(parse(&text), None);
    }

    #[test]
    fn anything_else_is_left_to_serde_yaml() {
        for text in [
            "a: 1\n\nb: 2\n",
            "# comment\na: 1\n",
            "a: 1 # comment\n",
            "a: [1, 2]\n",
            "a: 'single'\n",
            "a: \"\\x41\"\n",
            "a: 1\na: 2\n",
            "a:\n   b: 1\n",
            "a: 1.5\n",
            "a: 007\n",
            "a: null\n",
            "a: yes\n",
            "a: *ref\n",
            "---\na: 1\n",
            "a: 1\r\n",
            "a: |\n  text\n",
            "a: \"open\n",
        ] {
            assert_eq!(parse(text), None, "{text:?}");
        }
    }
}
