//! Scalars as block-style YAML writes them: plain (on one line or folded
//! over several), double-quoted with YAML's escapes (folded or with escaped
//! line breaks, as PyYAML writes long values), single-quoted, and literal
//! or folded block scalars (`|`, `|-`, `>`). Each is read to the text YAML
//! gives it; anything whose reading could differ between readers (a tab
//! in a fold, a more-indented line in a folded block, a blank line in a
//! plain scalar) is `None`, for serde_yaml to read.

use super::Reader;
use crate::store::yaml::plain_is_safe;

/// A scalar, read.
#[derive(Debug, PartialEq)]
pub(super) enum Scalar<'a> {
    /// Plain text on one line, as it stands in the file.
    Lent(&'a str),
    /// Quoted, folded or block text, as YAML reads it.
    Owned(String),
    Bool(bool),
    Unsigned(u64),
    Negative(i64),
    EmptySeq,
    EmptyMap,
}

/// The scalar that starts with `raw` (the rest of its line, after `key: `
/// or `- `), reading on into the lines at `r` where it continues; a line
/// continues it only if indented past `parent`.
pub(super) fn scalar<'a>(raw: &'a str, parent: usize, r: &mut Reader<'a>) -> Option<Scalar<'a>> {
    match raw.as_bytes().first()? {
        b'"' => {
            // Most quoted values are one line without an escape: lent as
            // they stand (ids, statuses and sources then cost no copy).
            let body = &raw[1..];
            if let Some(end) = memchr::memchr2(b'"', b'\\', body.as_bytes())
                && body.as_bytes()[end] == b'"'
            {
                let after = &body[end + 1..];
                return ends_cleanly(after).then_some(Scalar::Lent(&body[..end]));
            }
            let (text, after) = double_quoted(raw, parent, r)?;
            ends_cleanly(after).then_some(Scalar::Owned(text))
        }
        b'\'' => {
            let (text, after) = single_quoted(raw, parent, r)?;
            ends_cleanly(after).then_some(Scalar::Owned(text))
        }
        b'|' | b'>' => block(raw, parent, r).map(Scalar::Owned),
        _ => plain(raw, parent, r),
    }
}

/// What may follow a closing quote: spaces, and a comment after one.
fn ends_cleanly(after: &str) -> bool {
    let rest = after.trim_start_matches(' ');
    rest.is_empty() || (rest.starts_with('#') && rest.len() < after.len())
}

/// `raw` without a comment (` #` on): YAML's plain scalar ends there.
fn uncommented(raw: &str) -> &str {
    let cut = memchr::memmem::find(raw.as_bytes(), b" #").unwrap_or(raw.len());
    raw[..cut].trim_end_matches(' ')
}

fn plain<'a>(raw: &'a str, parent: usize, r: &mut Reader<'a>) -> Option<Scalar<'a>> {
    let first = uncommented(raw);
    match first {
        "true" => return Some(Scalar::Bool(true)),
        "false" => return Some(Scalar::Bool(false)),
        "[]" => return Some(Scalar::EmptySeq),
        "{}" => return Some(Scalar::EmptyMap),
        _ => {}
    }
    // A commented line ends the scalar: nothing may continue it.
    let commented = first.len() < raw.trim_end_matches(' ').len();
    let more = r.continuation(parent)?;
    if more == 0 {
        if let Some(n) = integer(first) {
            return Some(n);
        }
        return plain_is_safe(first).then_some(Scalar::Lent(first));
    }
    if commented {
        return None;
    }
    let mut text = first.to_string();
    for _ in 0..more {
        let line = r.next_line()?;
        let part = line.content.trim_end_matches(' ');
        // A comment, a new item or a key where the scalar would go on:
        // readers disagree or refuse; not ours to decide.
        if part.starts_with(['#', '-']) || part.contains(": ") || part.ends_with(':') {
            return None;
        }
        text.push(' ');
        text.push_str(part);
    }
    plain_is_safe(&text).then_some(Scalar::Owned(text))
}

/// A decimal integer as `emit` writes one: no sign but `-`, no leading zero.
pub(super) fn integer(s: &str) -> Option<Scalar<'_>> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let canonical = !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && (digits == "0" || !digits.starts_with('0'));
    if !canonical {
        return None;
    }
    if s.starts_with('-') {
        s.parse::<i64>().ok().map(Scalar::Negative)
    } else {
        s.parse::<u64>().ok().map(Scalar::Unsigned)
    }
}

/// Where a fold of a quoted scalar goes on: after its line break, the
/// blank lines (each a `\n`, or one space if there are none), and the
/// next line's text. `None` if the scalar runs out of its block.
fn fold<'a>(out: &mut String, kept: usize, parent: usize, r: &mut Reader<'a>) -> Option<&'a str> {
    // Trailing white space before an unescaped break is not content.
    let trimmed = out[kept..].trim_end_matches([' ', '\t']).len() + kept;
    out.truncate(trimmed);
    let mut blank = 0;
    loop {
        let line = r.next_line()?;
        if line.content.is_empty() {
            blank += 1;
            continue;
        }
        if line.indent <= parent || line.content.starts_with('\t') || line.is_marker() {
            return None;
        }
        match blank {
            0 => out.push(' '),
            n => out.extend(std::iter::repeat_n('\n', n)),
        }
        return Some(line.content);
    }
}

/// A double-quoted scalar from `raw` on, and what follows its closing quote
/// on the line it ends on.
pub(super) fn double_quoted<'a>(
    raw: &'a str,
    parent: usize,
    r: &mut Reader<'a>,
) -> Option<(String, &'a str)> {
    let mut line = raw.strip_prefix('"')?;
    let mut out = String::with_capacity(line.len());
    // Where escapes last wrote: a fold trims trailing spaces only after it.
    let mut kept = 0;
    loop {
        let bytes = line.as_bytes();
        let Some(i) = memchr::memchr2(b'"', b'\\', bytes) else {
            out.push_str(line);
            line = fold(&mut out, kept, parent, r)?;
            continue;
        };
        out.push_str(&line[..i]);
        if bytes[i] == b'"' {
            return Some((out, &line[i + 1..]));
        }
        let rest = &line[i + 1..];
        let Some(e) = rest.chars().next() else {
            // An escaped line break: nothing of it is content, nor the
            // next line's indentation.
            let next = r.next_line()?;
            if next.indent <= parent || next.content.is_empty() || next.content.starts_with('\t') {
                return None;
            }
            kept = out.len();
            line = next.content;
            continue;
        };
        let (c, after) = escape(e, &rest[e.len_utf8()..])?;
        out.push(c);
        kept = out.len();
        line = after;
    }
}

/// What the escape `\e` stands for (`after`: what follows `e`), and what
/// follows the escape; `None` for an escape YAML does not have.
fn escape(e: char, after: &str) -> Option<(char, &str)> {
    let c = match e {
        '0' => '\0',
        'a' => '\u{7}',
        'b' => '\u{8}',
        't' | '\t' => '\t',
        'n' => '\n',
        'v' => '\u{b}',
        'f' => '\u{c}',
        'r' => '\r',
        'e' => '\u{1b}',
        ' ' => ' ',
        '"' => '"',
        '/' => '/',
        '\\' => '\\',
        'N' => '\u{85}',
        '_' => '\u{a0}',
        'L' => '\u{2028}',
        'P' => '\u{2029}',
        'x' | 'u' | 'U' => {
            let n = match e {
                'x' => 2,
                'u' => 4,
                _ => 8,
            };
            let hex = after.get(..n)?;
            let c = char::from_u32(u32::from_str_radix(hex, 16).ok()?)?;
            return Some((c, &after[n..]));
        }
        _ => return None,
    };
    Some((c, after))
}

/// Read past the double-quoted scalar from `raw` on, as `double_quoted`
/// reads it (the same lines, refused where it refuses) without its text;
/// what follows its closing quote must end the line cleanly.
pub(super) fn skip_double_quoted<'a>(
    raw: &'a str,
    parent: usize,
    r: &mut Reader<'a>,
) -> Option<()> {
    let mut line = raw.strip_prefix('"')?;
    loop {
        let bytes = line.as_bytes();
        let Some(i) = memchr::memchr2(b'"', b'\\', bytes) else {
            line = next_folded_line(parent, r)?;
            continue;
        };
        if bytes[i] == b'"' {
            return ends_cleanly(&line[i + 1..]).then_some(());
        }
        let rest = &line[i + 1..];
        let Some(e) = rest.chars().next() else {
            // An escaped line break.
            let next = r.next_line()?;
            if next.indent <= parent || next.content.is_empty() || next.content.starts_with('\t') {
                return None;
            }
            line = next.content;
            continue;
        };
        line = escape(e, &rest[e.len_utf8()..])?.1;
    }
}

/// The next line a quoted scalar goes on to, past blank lines, as `fold`
/// takes it.
fn next_folded_line<'a>(parent: usize, r: &mut Reader<'a>) -> Option<&'a str> {
    loop {
        let line = r.next_line()?;
        if line.content.is_empty() {
            continue;
        }
        if line.indent <= parent || line.content.starts_with('\t') || line.is_marker() {
            return None;
        }
        return Some(line.content);
    }
}

/// A single-quoted scalar from `raw` on (`''` is a quote), and what
/// follows its closing quote on its last line.
fn single_quoted<'a>(raw: &'a str, parent: usize, r: &mut Reader<'a>) -> Option<(String, &'a str)> {
    let mut line = raw.strip_prefix('\'')?;
    let mut out = String::with_capacity(line.len());
    loop {
        let Some(i) = line.find('\'') else {
            out.push_str(line);
            line = fold(&mut out, 0, parent, r)?;
            continue;
        };
        out.push_str(&line[..i]);
        let rest = &line[i + 1..];
        match rest.strip_prefix('\'') {
            Some(after) => {
                out.push('\'');
                line = after;
            }
            None => return Some((out, rest)),
        }
    }
}

/// A block scalar: `|` keeps its lines' breaks, `>` folds lines into one;
/// `-` drops the final break, `+` keeps every trailing one; a digit gives
/// the indentation. Its lines are those after the header indented past
/// `parent` (and blank lines among them).
fn block<'a>(raw: &'a str, parent: usize, r: &mut Reader<'a>) -> Option<String> {
    let header = uncommented(raw);
    let literal = header.starts_with('|');
    let mut chomp = None;
    let mut indent = None;
    for c in header[1..].chars() {
        match c {
            '-' | '+' if chomp.is_none() => chomp = Some(c),
            '1'..='9' if indent.is_none() => indent = Some(parent + c as usize - '0' as usize),
            _ => return None,
        }
    }
    // The block's lines: blank ones, and those indented past `parent`.
    let mut lines = Vec::new();
    while let Some(line) = r.peek_line() {
        let blank = line.content.is_empty();
        if !blank && line.indent <= parent {
            break;
        }
        lines.push(line);
        r.next_line();
    }
    // A line of spaces only is blank up to the block's indentation and
    // text past it; readers differ on such lines at a block's end.
    // Trailing blank lines are the chomping's business; so are the
    // spaces on them up to the block's indentation.
    let last_text = lines.iter().rposition(|l| !l.content.is_empty());
    let first_text = lines.iter().position(|l| !l.content.is_empty());
    let indent = match (indent, first_text) {
        (Some(n), _) => n,
        (None, Some(i)) => lines[i].indent,
        (None, None) => usize::MAX,
    };
    if lines
        .iter()
        .any(|l| l.content.is_empty() && l.indent > indent && indent != usize::MAX)
    {
        return None;
    }
    let mut out = String::new();
    let body = last_text.map_or(0, |i| i + 1);
    let mut pending_blank = 0;
    let mut previous_text = false;
    for line in &lines[..body] {
        if line.content.is_empty() && line.indent <= indent {
            pending_blank += 1;
            continue;
        }
        if line.indent < indent || line.content.starts_with('\t') {
            return None;
        }
        let text_indent = line.indent - indent;
        if literal {
            if previous_text {
                out.push('\n');
            }
            out.extend(std::iter::repeat_n('\n', pending_blank));
            out.extend(std::iter::repeat_n(' ', text_indent));
            out.push_str(line.content);
        } else {
            // A more-indented line keeps its breaks in a folded block:
            // a reading to leave to serde_yaml.
            if text_indent > 0 {
                return None;
            }
            if previous_text {
                match pending_blank {
                    0 => out.push(' '),
                    n => out.extend(std::iter::repeat_n('\n', n)),
                }
            } else {
                out.extend(std::iter::repeat_n('\n', pending_blank));
            }
            out.push_str(line.content);
        }
        pending_blank = 0;
        previous_text = true;
    }
    let trailing = lines.len() - body;
    match chomp {
        Some('-') => {}
        Some(_) => {
            if previous_text {
                out.push('\n');
            }
            out.extend(std::iter::repeat_n('\n', trailing));
        }
        None if previous_text => out.push('\n'),
        None => {}
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::super::Reader;
    use super::*;

    /// The scalar of `key: ...` in `text`, as we read it and as serde_yaml does.
    fn both(text: &str) -> (Option<String>, Option<String>) {
        let mut r = Reader::new(text).expect("lines");
        let first = r.next_line().expect("a line");
        let raw = first.content.strip_prefix("k: ").expect("k: ");
        let ours = scalar(raw, 0, &mut r).and_then(|s| match s {
            Scalar::Lent(s) => Some(s.to_string()),
            Scalar::Owned(s) => Some(s),
            _ => None,
        });
        let ours = ours.filter(|_| r.peek_line().is_none());
        let theirs: Option<serde_yaml::Value> = serde_yaml::from_str(text).ok();
        let theirs = theirs
            .and_then(|v| v.get("k").cloned())
            .and_then(|v| v.as_str().map(str::to_string));
        (ours, theirs)
    }

    #[test]
    fn every_style_of_scalar_reads_as_serde_yaml_reads_it() {
        for text in [
            "k: plain text\n",
            "k: plain text # with a comment\n",
            "k: plain text\n  folded over\n  three lines\n",
            "k: \"double\"\n",
            "k: \"escapes \\\" \\\\ \\n \\t \\/ \\x41 \\u00e9 \\U0001F600 \\_ \\e\"\n",
            "k: \"folded\n  over a line\"\n",
            "k: \"folded  \n  spaces trimmed\"\n",
            "k: \"escaped\\\n  \\ break, PyYAML's way\"\n",
            "k: \"kept \\ \n  escaped space\"\n",
            "k: \"a blank line\n\n  is a break\"\n",
            "k: \"two\n\n\n  blank lines\"\n",
            "k: 'single ''quoted'''\n",
            "k: 'single\n  folded'\n",
            "k: \"closed\" # then a comment\n",
            "k: |\n  literal\n  lines\n",
            "k: |-\n  stripped\n  end\n",
            "k: |+\n  kept\n\n",
            "k: |\n  with\n\n  a blank line\n    and more indent\n",
            "k: |2\n    indicated\n",
            "k: >\n  folded\n  block\n\n  paragraph\n",
            "k: >-\n  folded\n  stripped\n",
            "k: |\n  قالت الوزارة\n  \"إن\" # not a comment\n",
            "k: \"قالت الوزارة \\\"إن\\\" النتائج\\\n  \\ أولية\"\n",
        ] {
            let (ours, theirs) = both(text);
            assert!(theirs.is_some(), "serde_yaml refuses {text:?}");
            assert_eq!(ours, theirs, "{text:?}");
        }
    }

    #[test]
    fn what_readers_could_read_otherwise_is_left_to_serde_yaml() {
        for text in [
            "k: a\n  b: c\n",
            "k: a\n\n  b\n",
            "k: a # c\n  b\n",
            "k: >\n  folded\n    more indented\n",
            "k: \"open\n",
            "k: \"bad \\q escape\"\n",
            "k: \"x\" y\n",
            "k: yes\n",
            "k: 007\n",
        ] {
            assert_eq!(both(text).0, None, "{text:?}");
        }
    }
}
