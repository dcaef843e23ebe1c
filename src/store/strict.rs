//! Plain YAML scalars that other readers would not take for text.
//!
//! `status: false`, `note: yes`, `by: 0x10` and `country: NO` are strings to
//! serde_yaml's typed reading, but booleans, numbers and dates to YAML 1.1
//! readers (PyYAML, ruamel.yaml, Go's yaml.v2) or YAML 1.2 readers
//! (js-yaml, yaml.v3). A claims file must mean the same to all of them, so
//! a field that is text accepts a plain scalar only when every reader reads
//! it as a string; otherwise the file says where to put quotes. With that,
//! every way of parsing the file gives the same document.
//!
//! The scan is one pass over the lines of a block-style file (what the desk
//! writes and people edit), linear, and cheap for the common value: text
//! that starts with a letter other than the few that begin YAML keywords.

use std::path::Path;

use hashbrown::HashMap;

use super::problem::Problem;

/// Keys whose values are text in any file the desk reads.
const TEXT_KEYS: &[&str] = &[
    "id",
    "title",
    "title_en",
    "outlet",
    "author",
    "published",
    "language",
    "url",
    "caption",
    "name",
    "name_original",
    "kind",
    "country",
    "parent",
    "source",
    "text",
    "translation",
    "status",
    "note",
    "at",
    "by",
    "previous",
    "key",
    "label",
    "color",
    "reviews_url",
    "role",
];

/// Keys whose values are lists of text.
const TEXT_LIST_KEYS: &[&str] = &[
    "paragraphs",
    "evidence",
    "evidence_removed",
    "keys",
    "aliases",
];

/// Whether `key` names text (or a list of text) wherever it stands.
pub fn is_text_key(key: &str) -> bool {
    // Every key of every file is asked about: the lists only once their
    // length (kept short by the first test) says a key could be in them.
    (2..=13).contains(&key.len()) && (TEXT_KEYS.contains(&key) || TEXT_LIST_KEYS.contains(&key))
}

/// Whether a plain scalar starting with byte `first` could be anything but
/// text: the common case (Arabic, or a letter no keyword starts with) is not.
fn may_be_non_string(first: u8) -> bool {
    !(first >= 0x80 || (first.is_ascii_alphabetic() && !b"nNyYtTfFoO".contains(&first)))
}

/// What a YAML 1.1 or 1.2 reader takes a plain scalar `s` for, when it is
/// not a string: "a boolean", "a number", "null", "a date".
pub fn non_string(s: &str) -> Option<&'static str> {
    if !may_be_non_string(*s.as_bytes().first()?) {
        return None;
    }
    const BOOLS: &[&str] = &[
        "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false",
        "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF",
    ];
    if BOOLS.contains(&s) {
        return Some("a boolean");
    }
    if ["~", "null", "Null", "NULL"].contains(&s) {
        return Some("null");
    }
    if ["<<", "="].contains(&s) {
        return Some("a special value (merge key or value key)");
    }
    if is_date(s) {
        return Some("a date");
    }
    if is_number(s) {
        return Some("a number");
    }
    None
}

fn digits(s: &str, ok: impl Fn(u8) -> bool) -> bool {
    !s.is_empty() && s.bytes().all(|b| ok(b) || b == b'_') && s.bytes().any(&ok)
}

/// Integers and floats of YAML 1.1 and 1.2: decimal, 0b/0o/0x, octal,
/// sexagesimal (12:30), exponents with or without a dot, .inf and .nan.
fn is_number(s: &str) -> bool {
    if [".nan", ".NaN", ".NAN"].contains(&s) {
        return true;
    }
    let body = s.strip_prefix(['-', '+']).unwrap_or(s);
    if [".inf", ".Inf", ".INF"].contains(&body) {
        return true;
    }
    let dec = |b: u8| b.is_ascii_digit();
    if let Some(hex) = body.strip_prefix("0x") {
        return digits(hex, |b| b.is_ascii_hexdigit());
    }
    if let Some(oct) = body.strip_prefix("0o") {
        return digits(oct, |b| (b'0'..=b'7').contains(&b));
    }
    if let Some(bin) = body.strip_prefix("0b") {
        return digits(bin, |b| b == b'0' || b == b'1');
    }
    // Sexagesimal: 190:20:30, 1:30.5 (YAML 1.1).
    if body.contains(':') {
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        return whole.split(':').all(|p| digits(p, dec))
            && (frac.is_empty() || digits(frac, dec) || frac == "_");
    }
    // Mantissa, then an optional exponent.
    let (mantissa, exponent) = match body.find(['e', 'E']) {
        Some(i) => (&body[..i], Some(&body[i + 1..])),
        None => (body, None),
    };
    if let Some(e) = exponent {
        let e = e.strip_prefix(['-', '+']).unwrap_or(e);
        if !digits(e, dec) {
            return false;
        }
    }
    match mantissa.split_once('.') {
        // 1.1 reads `1.2.3` and a lone `.` as floats too.
        Some((whole, frac)) => {
            (whole.is_empty() || digits(whole, dec))
                && frac
                    .bytes()
                    .all(|b| b.is_ascii_digit() || b == b'_' || b == b'.')
                && (exponent.is_none() || !whole.is_empty() || !frac.is_empty())
        }
        None => digits(mantissa, dec),
    }
}

/// YAML 1.1 timestamps: 2022-09-12, 2022-9-12T10:00:00Z, 2022-09-12 10:00.
fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    if b.len() < 8 || !b[..4].iter().all(u8::is_ascii_digit) || b[4] != b'-' {
        return false;
    }
    let rest = &s[5..];
    let mut parts = rest.splitn(2, '-');
    let month = parts.next().unwrap_or("");
    let Some(tail) = parts.next() else {
        return false;
    };
    let day_len = tail.bytes().take_while(u8::is_ascii_digit).count();
    let ok_len = |n: usize| (1..=2).contains(&n);
    if !ok_len(month.len()) || !month.bytes().all(|c| c.is_ascii_digit()) || !ok_len(day_len) {
        return false;
    }
    let after = &tail[day_len..];
    after.is_empty()
        || (after.starts_with(['T', 't', ' ', '\t'])
            && after[1..]
                .trim_start()
                .starts_with(|c: char| c.is_ascii_digit()))
}

/// Where a multi-line scalar being skipped ends.
enum Skip {
    /// A `|` or `>` block: lines more indented than this.
    Block(usize),
    /// A quoted scalar still open at the end of a line.
    Quote(char),
}

/// A plain `key:` at the start of `s` (after indentation and `- `), and the rest.
fn key_of(s: &str) -> Option<(&str, &str)> {
    let end = s
        .bytes()
        .position(|b| !(b.is_ascii_alphanumeric() || b == b'_'))
        .unwrap_or(s.len());
    let (key, rest) = s.split_at(end);
    let rest = rest.strip_prefix(':')?;
    (!key.is_empty() && (rest.is_empty() || rest.starts_with([' ', '\t'])))
        .then(|| (key, rest.trim_start()))
}

/// Whether a quoted scalar opened at the start of `s` closes on this line.
fn closes(s: &str, quote: char) -> bool {
    let b = s.as_bytes();
    let mut at = 1;
    if quote == '"' {
        // A backslash escapes the next byte; memchr finds both fast.
        while let Some(i) = memchr::memchr2(b'"', b'\\', &b[at.min(b.len())..]) {
            match b[at + i] {
                b'\\' => at += i + 2,
                _ => return true,
            }
        }
        false
    } else {
        memchr::memchr(b'\'', &b[at.min(b.len())..]).is_some()
    }
}

/// Still inside a quoted scalar that opened on an earlier line?
fn still_open(line: &str, quote: char) -> bool {
    !closes(&format!("{quote}{line}"), quote)
}

struct Scan<'a> {
    path: &'a Path,
    problems: Vec<Problem>,
}

/// The block mappings open at a line, innermost last: each one's column
/// and the keys it has said, with their lines. YAML readers do not agree
/// on a key said twice (PyYAML keeps the last, serde_yaml the last or an
/// error, js-yaml refuses the file), and a verdict typed by hand above the
/// old one would be silently lost, so the file says where.
#[derive(Default)]
struct Mappings<'a> {
    open: Vec<(usize, HashMap<&'a str, usize>)>,
}

impl<'a> Mappings<'a> {
    /// A line whose content starts at column `col`, a sequence item if
    /// `item`, saying `key` if it does: the line `key` was first said on in
    /// this mapping, if it was.
    fn line(&mut self, line: usize, col: usize, key: Option<&'a str>, item: bool) -> Option<usize> {
        // Mappings deeper than the line end at it, and one at its column
        // too when the line starts a sequence's next item.
        while (self.open.last()).is_some_and(|(c, _)| *c > col || (*c == col && item)) {
            self.open.pop();
        }
        let key = key?;
        if self.open.last().is_none_or(|(c, _)| *c != col) {
            self.open.push((col, HashMap::new()));
        }
        let keys = &mut self.open.last_mut()?.1;
        match keys.get(key) {
            Some(&first) => Some(first),
            None => {
                keys.insert(key, line);
                None
            }
        }
    }
}

impl Scan<'_> {
    /// Check the plain scalar at the start of `value` (column `col`) for `key`.
    /// What it opens (a block or quoted scalar spanning lines) comes back.
    fn value(
        &mut self,
        line: usize,
        col: usize,
        key: &str,
        value: &str,
        list: bool,
        indent: usize,
    ) -> Option<Skip> {
        let text = if list {
            TEXT_LIST_KEYS.contains(&key)
        } else {
            TEXT_KEYS.contains(&key)
        };
        match value.chars().next()? {
            '|' | '>' => return Some(Skip::Block(indent)),
            q @ ('"' | '\'') => return (!closes(value, q)).then_some(Skip::Quote(q)),
            '[' if list || TEXT_LIST_KEYS.contains(&key) => {
                self.flow(line, col, value, key, true);
                return None;
            }
            '{' => {
                self.flow(line, col, value, key, false);
                return None;
            }
            '&' | '*' | '!' | '#' | '[' => return None,
            _ => {}
        }
        // Most values are ruled out on their first byte, before anything
        // else is looked at (this runs on every line of every file).
        if !may_be_non_string(value.as_bytes()[0]) {
            return None;
        }
        if !text {
            return None;
        }
        let plain = match value.find(" #") {
            Some(i) => &value[..i],
            None => value,
        }
        .trim_end();
        if let Some(kind) = non_string(plain) {
            self.problems.push(Problem::at(
                self.path,
                line,
                col,
                format!(
                    "quote this value: {key}: \"{plain}\"; unquoted, YAML readers such as \
                     PyYAML or js-yaml read it as {kind}, not text"
                ),
            ));
        }
        None
    }

    /// A one-line flow collection: `{key: v, key2: v2}` or `[a, b]`.
    fn flow(&mut self, line: usize, col: usize, s: &str, key: &str, seq: bool) {
        let inner = s[1..].trim_end();
        let inner = inner.strip_suffix([']', '}']).unwrap_or(inner);
        let mut at = 1;
        // This mapping's keys so far, and their columns.
        let mut said: Vec<(&str, usize)> = Vec::new();
        for item in split_flow(inner) {
            let lead = item.len() - item.trim_start().len();
            let item_col = col + at + lead;
            let t = item.trim();
            if seq {
                self.value(line, item_col, key, t, true, 0);
            } else if let Some((k, v)) = key_of(t) {
                if let Some(&(_, first)) = said.iter().find(|(s, _)| *s == k) {
                    let first = format!("first at column {first} of this line");
                    self.problems
                        .push(said_twice(self.path, line, item_col, k, &first));
                }
                said.push((k, item_col));
                let vcol = item_col + (t.len() - v.len());
                self.value(line, vcol, k, v, false, 0);
            }
            at += item.len() + 1;
        }
    }
}

/// A key said twice in one mapping, at `line`:`col` (`first`: where else).
fn said_twice(path: &Path, line: usize, col: usize, key: &str, first: &str) -> Problem {
    Problem::at(
        path,
        line,
        col,
        format!(
            "`{key}` is said twice in one mapping ({first}); YAML readers keep one of \
             the two or refuse the file, so delete the one you do not mean"
        ),
    )
}

/// Split a flow collection's inside at top-level commas, outside quotes.
fn split_flow(s: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let (mut depth, mut quote, mut start) = (0i32, None::<char>, 0);
    let mut chars = s.char_indices();
    while let Some((i, c)) = chars.next() {
        match (quote, c) {
            (Some('"'), '\\') => {
                chars.next();
            }
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '"' | '\'') => quote = Some(c),
            (None, '[' | '{') => depth += 1,
            (None, ']' | '}') => depth -= 1,
            (None, ',') if depth == 0 => {
                out.push(&s[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    out.push(&s[start..]);
    out
}

/// The deepest nesting a claims file may have: real ones nest five or six
/// levels; a hostile one nests thousands, which parsers take super-linear
/// time (or their stack) to refuse.
pub const MAX_DEPTH: usize = 64;

/// Where `text` nests deeper than `MAX_DEPTH`, in flow brackets or by
/// indentation, if it does: found in one pass, before any parser sees it.
pub fn too_deep(path: &Path, text: &str) -> Option<Problem> {
    let deep = |line: usize, col: usize| {
        Problem::at(
            path,
            line,
            col,
            format!(
                "the file nests deeper than {MAX_DEPTH} levels; claims files need a few, \
                 so this one is broken or hostile"
            ),
        )
    };
    // Most files hold no bracket at all: then there is nothing to count.
    memchr::memchr2(b'[', b'{', text.as_bytes())?;
    let mut depth = 0usize;
    // One pass over the bytes; the line is counted only for the message.
    for (i, b) in text.bytes().enumerate() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                if depth > MAX_DEPTH {
                    let before = &text.as_bytes()[..i];
                    let line_start = memchr::memrchr(b'\n', before).map_or(0, |p| p + 1);
                    let line = memchr::memchr_iter(b'\n', before).count() + 1;
                    return Some(deep(line, i - line_start + 1));
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// Every plain scalar in `text` that a text field must not hold unquoted.
pub fn check(path: &Path, text: &str) -> Vec<Problem> {
    let mut scan = Scan {
        path,
        problems: Vec::new(),
    };
    let mut skip: Option<Skip> = None;
    // The list key whose items the lines below are, and its indentation.
    let mut list: Option<(&str, usize)> = None;
    // A key with no value on its line: its value may start on the next.
    let mut pending: Option<(&str, usize)> = None;
    let mut mappings = Mappings::default();
    for (n, line) in text.lines().enumerate() {
        let number = n + 1;
        let body = line.trim_start_matches(' ');
        let indent = line.len() - body.len();
        if indent > 2 * MAX_DEPTH {
            scan.problems.push(Problem::at(
                path,
                number,
                1,
                format!(
                    "the file nests deeper than {MAX_DEPTH} levels; claims files need a few, \
                     so this one is broken or hostile"
                ),
            ));
            return scan.problems;
        }
        match skip {
            Some(Skip::Block(at)) if body.is_empty() || indent > at => continue,
            Some(Skip::Quote(q)) => {
                if !still_open(line, q) {
                    skip = None;
                }
                continue;
            }
            _ => skip = None,
        }
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        if indent == 0 && (body.starts_with("---") || body.starts_with("...")) {
            // Another document: its keys are its own (two are refused later).
            mappings = Mappings::default();
            continue;
        }
        // Sequence indicators: `- - key: v` is still a key at the end.
        let mut rest = body;
        let mut item = false;
        while let Some(r) = rest
            .strip_prefix("- ")
            .or_else(|| (rest == "-").then_some(""))
        {
            rest = r.trim_start_matches(' ');
            item = true;
        }
        let col = line.len() - rest.len() + 1;
        if let Some((key, value)) = pending.take()
            && indent > value
            && !item
            && key_of(rest).is_none()
        {
            skip = scan.value(number, col, key, rest, false, value);
            continue;
        }
        if list.is_some_and(|(_, at)| indent <= at && !(item && indent == at)) {
            list = None;
        }
        let said = key_of(rest);
        if let Some(first) = mappings.line(number, col, said.map(|(key, _)| key), item) {
            let key = said.map_or("", |(key, _)| key);
            let first = format!("first on line {first}");
            scan.problems
                .push(said_twice(path, number, col, key, &first));
        }
        match said {
            Some((key, value)) => {
                let vcol = line.len() - value.len() + 1;
                if value.is_empty() {
                    pending = Some((key, indent));
                    if TEXT_LIST_KEYS.contains(&key) {
                        list = Some((key, indent));
                    }
                } else {
                    skip = scan.value(number, vcol, key, value, false, indent);
                }
            }
            // `- {key: v, ...}`: a mapping written in flow style.
            None if item && rest.starts_with('{') => scan.flow(number, col, rest, "", false),
            None if item => {
                if let Some((key, _)) = list {
                    skip = scan.value(number, col, key, rest, true, indent);
                }
            }
            None => {}
        }
    }
    scan.problems
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_numbers_and_dates_are_not_text_to_every_reader() {
        for s in [
            "false",
            "no",
            "yes",
            "on",
            "off",
            "y",
            "n",
            "NO",
            "True",
            "null",
            "~",
            "0x10",
            "1e3",
            "1E3",
            "0o17",
            ".inf",
            "-.inf",
            ".NaN",
            "2022-09-12",
            "2022-9-1",
            "2022-09-12T10:00:00Z",
            "12:30",
            "190:20:30",
            "1_000",
            "012",
            "+1",
            "-.5",
            "1.",
            ".",
            "1.2.3",
            "0b101",
            "<<",
            "=",
            "3",
        ] {
            assert!(non_string(s).is_some(), "{s:?} passed as text");
        }
        for s in [
            "verified",
            "in-review",
            "unreviewed",
            "Nato",
            "yesterday",
            "noted",
            "offline",
            "0x",
            "1e",
            "12:30 am",
            "2022-09",
            "v1.2",
            "4 diplomats",
            "-",
            "--",
            "نعم",
            "+",
            "e5",
            "1-2",
            "2022-09-12x",
            "Trump",
        ] {
            assert_eq!(non_string(s), None, "{s:?} is text to every reader");
        }
    }

    fn lines_of(text: &str) -> Vec<(usize, usize)> {
        check(Path::new("f.yaml"), text)
            .into_iter()
            .map(|p| (p.line.unwrap_or(0), p.column.unwrap_or(0)))
            .collect()
    }

    #[test]
    fn finds_them_in_block_and_flow_style_with_their_place() {
        let text = "\
article:
  title: ok
  country: NO
  paragraphs:
    - first
    - 2022-09-12
claims:
  - id: c1
    status: false
    note: |
      yes
      no
    text: \"yes\"
    translation: 'on'
    by:
      0x10
    evidence: [https://x.org, 1e3]
    paragraph: 3
    undo: true
statuses:
  - {key: false, label: \"False\", digit: 5}
";
        assert_eq!(
            lines_of(text),
            [(3, 12), (6, 7), (9, 13), (16, 7), (17, 31), (21, 11)]
        );
    }

    /// Where `text` says a key twice: line, column and message.
    fn said_twice_in(text: &str) -> Vec<(usize, usize, String)> {
        let problems = check(Path::new("a.yaml"), text);
        (problems.into_iter())
            .filter(|p| p.message.contains("said twice"))
            .map(|p| (p.line.unwrap_or(0), p.column.unwrap_or(0), p.message))
            .collect()
    }

    #[test]
    fn a_key_said_twice_in_one_mapping_is_found_where_it_is_said_again() {
        let text = "\
article:
  id: a
  title: t
sources:
  - id: s1
    name: n
  - id: s2
    name: n
claims:
  - id: c1
    status: verified
    note: |
      status: kept
      id: in the note
    text: x
    status: unreviewed
    history:
      - at: t
        status: verified
      - at: u
        status: verified
        at: v
  - id: c2
    status: false
id: top
";
        let said = said_twice_in(text);
        assert_eq!(said.len(), 2, "{said:?}");
        assert_eq!((said[0].0, said[0].1), (16, 5));
        assert!(said[0].2.contains("`status`") && said[0].2.contains("line 11"));
        assert_eq!((said[1].0, said[1].1), (22, 9));
        assert!(said[1].2.contains("`at`") && said[1].2.contains("line 20"));
        // In flow style, on one line.
        let flow = "claims:\n  - {id: c1, status: verified, status: false}\n  - {id: c2}\n";
        let said = said_twice_in(flow);
        assert_eq!(said.len(), 1, "{said:?}");
        assert_eq!((said[0].0, said[0].1), (2, 32));
        assert!(said[0].2.contains("first at column 14"), "{}", said[0].2);
    }

    #[test]
    fn a_quoted_scalar_spanning_lines_is_skipped_whole() {
        let text = "note: \"line one\n  status: false\n  still\"\nstatus: off\n";
        assert_eq!(lines_of(text), [(4, 9)]);
    }
}
