//! A fast reader for the block-style YAML that the desk and other writers
//! produce: block mappings and sequences at any indentation (sequences under
//! their key or not, as PyYAML writes them), comments and blank lines
//! between entries, plain scalars on one line or folded over several,
//! double- and single-quoted scalars (folded, or with PyYAML's escaped line
//! breaks), literal and folded block scalars, integers, booleans, `[]` and
//! `{}` (see `scalar.rs`).
//!
//! It reads several times faster than libyaml, and a newsroom's desk is
//! almost all files in these shapes. Anything else (flow collections,
//! anchors, aliases, tags, a tab in indentation, a null, a duplicate key, a
//! scalar whose reading could differ between readers) gives `None`, and
//! the caller parses with serde_yaml as before: this reader never decides
//! what a file means where readers could differ, it only takes the
//! shortcut where they cannot (tests compare it with serde_yaml on every
//! shape, and with PyYAML's own output).
//!
//! It is a serde `Deserializer` over the file's lines, so a `T` is read
//! straight from the text: no tree of values in between, and plain
//! strings and keys are lent from the text, not copied.

mod scalar;

use std::borrow::Cow;

use super::strict::{MAX_DEPTH, is_text_key};
use super::yaml::plain_is_safe;
use hashbrown::HashSet;
use scalar::{Scalar, double_quoted, scalar, skip_double_quoted};
use serde::de::value::{BorrowedStrDeserializer, Error, StringDeserializer};
use serde::de::{self, DeserializeSeed, Error as _, IntoDeserializer, Visitor};

/// `text` as a `T`, when it is in a shape this reader reads. `None` for any
/// other file, or one that is not a `T`, for the guarded paths to read
/// and report.
pub fn read<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    read_with(text, false)
}

/// `read`, with the text of the article's paragraphs read past, not
/// copied: each is an empty string (the desk keeps no paragraphs; it
/// reads them back when the article is opened, and checks only their count).
pub fn read_lean<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
    read_with(text, true)
}

fn read_with<T: serde::de::DeserializeOwned>(text: &str, lean: bool) -> Option<T> {
    let mut r = Reader::new(text)?;
    r.lean = lean;
    let (indent, _) = r.peek()?;
    if indent != 0 {
        return None;
    }
    let top = De {
        r: &mut r,
        node: Node::Block(0),
        want: Want::Any,
        depth: 0,
    };
    let value = T::deserialize(top).ok()?;
    (r.peek().is_none()).then_some(value)
}

/// One line: its indentation and what follows it (empty for a blank line).
#[derive(Debug, Clone, Copy)]
struct Line<'a> {
    indent: usize,
    content: &'a str,
}

impl Line<'_> {
    /// A document marker, which only a multi-document reader handles.
    fn is_marker(&self) -> bool {
        self.indent == 0 && (self.content.starts_with("---") || self.content.starts_with("..."))
    }

    /// A blank line or a comment: nothing to the structure.
    fn is_void(&self) -> bool {
        self.content.is_empty() || self.content.starts_with('#')
    }
}

/// The file's lines, and the next to read.
struct Reader<'a> {
    lines: Vec<Line<'a>>,
    at: usize,
    /// Paragraphs are read past (see `read_lean`).
    lean: bool,
    /// The key last read is the article's `paragraphs`.
    in_paragraphs: bool,
}

impl<'a> Reader<'a> {
    /// `None` for a file this reader leaves alone whatever it holds: tabs
    /// before text, carriage returns, document markers.
    fn new(text: &'a str) -> Option<Reader<'a>> {
        let text = text.strip_suffix('\n').unwrap_or(text);
        if memchr::memchr(b'\r', text.as_bytes()).is_some() {
            return None;
        }
        let mut lines = Vec::with_capacity(text.len() / 40);
        let mut from = 0;
        let ends = memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]);
        for end in ends {
            let line = &text[from..end];
            from = end + 1;
            let content = line.trim_start_matches(' ');
            let indent = line.len() - content.len();
            let line = Line { indent, content };
            if content.starts_with('\t') || line.is_marker() {
                return None;
            }
            // Trailing spaces on a blank line: still blank.
            lines.push(if content.trim_end_matches(' ').is_empty() {
                Line {
                    indent,
                    content: "",
                }
            } else {
                line
            });
        }
        Some(Reader {
            lines,
            at: 0,
            lean: false,
            in_paragraphs: false,
        })
    }

    /// The next line that holds structure, past blank lines and comments.
    fn peek(&mut self) -> Option<(usize, &'a str)> {
        while let Some(l) = self.lines.get(self.at) {
            if !l.is_void() {
                return Some((l.indent, l.content));
            }
            self.at += 1;
        }
        None
    }

    /// The next line as it is, blank or not.
    fn peek_line(&self) -> Option<Line<'a>> {
        self.lines.get(self.at).copied()
    }

    fn next_line(&mut self) -> Option<Line<'a>> {
        let line = self.lines.get(self.at).copied()?;
        self.at += 1;
        Some(line)
    }

    /// How many of the lines ahead continue a plain scalar whose block is
    /// indented `parent` (text lines indented past it, up to a blank line or
    /// a comment); `None` when a blank line falls inside the scalar, which
    /// readers fold in ways this reader leaves to serde_yaml.
    fn continuation(&self, parent: usize) -> Option<usize> {
        let ahead = self.lines.get(self.at..).unwrap_or_default();
        let more = ahead
            .iter()
            .take_while(|l| !l.is_void() && l.indent > parent)
            .count();
        let after = ahead[more..].iter().find(|l| !l.content.is_empty());
        let blank_inside = ahead.get(more).is_some_and(|l| l.content.is_empty())
            && after.is_some_and(|l| l.indent > parent && !l.content.starts_with('#'));
        (!blank_inside).then_some(more)
    }
}

/// Where a value is in the lines.
#[derive(Clone, Copy)]
enum Node<'a> {
    /// The rest of a line (`key: here` or `- here`), in a block at `parent`.
    Scalar { raw: &'a str, parent: usize },
    /// A mapping or a sequence, from the next line, at this indent.
    Block(usize),
    /// A mapping whose first key is on a sequence's dash line, at this indent.
    Mapping(usize),
}

/// What a value must be for the file to mean the same to every reader.
#[derive(Clone, Copy, PartialEq)]
enum Want {
    Any,
    /// The value of a text key: text, or a list of text. A number or
    /// boolean there goes to `strict::check`, which says where to quote.
    Text,
    /// An item of such a list.
    Str,
    /// An item of the list of paragraphs, read lean: text read past.
    Skipped,
}

/// Not a shape this reader reads: the caller reads the file another way.
fn unread() -> Error {
    Error::custom("not in a shape this reader reads")
}

/// A value in the lines, to be read as whatever its reader asks.
struct De<'r, 'a> {
    r: &'r mut Reader<'a>,
    node: Node<'a>,
    want: Want,
    /// How many collections hold it.
    depth: usize,
}

impl<'a> de::Deserializer<'a> for De<'_, 'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        let depth = self.depth + 1;
        // Real files nest a few levels; a deep one goes to the guarded path.
        if depth > MAX_DEPTH {
            return Err(unread());
        }
        let indent = match self.node {
            Node::Scalar { raw, parent } => return self.scalar(raw, parent, visitor),
            Node::Mapping(indent) => {
                return if self.want == Want::Any {
                    visitor.visit_map(MapDe::new(self.r, indent, depth))
                } else {
                    Err(unread())
                };
            }
            Node::Block(indent) => indent,
        };
        let (at, content) = self.r.peek().ok_or_else(unread)?;
        if at != indent {
            return Err(unread());
        }
        match (is_item(content), self.want) {
            (true, Want::Any) => visitor.visit_seq(SeqDe::new(self.r, indent, Want::Any, depth)),
            (true, Want::Text) if self.r.lean && self.r.in_paragraphs => {
                visitor.visit_seq(SeqDe::new(self.r, indent, Want::Skipped, depth))
            }
            (true, Want::Text) => visitor.visit_seq(SeqDe::new(self.r, indent, Want::Str, depth)),
            (false, Want::Any) => visitor.visit_map(MapDe::new(self.r, indent, depth)),
            _ => Err(unread()),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        // A null is never read here (an empty value is left to serde_yaml).
        visitor.visit_some(self)
    }

    fn deserialize_newtype_struct<V: Visitor<'a>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'a>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        // A unit variant, by its name: the only enum a scalar can be.
        match self.node {
            Node::Scalar { raw, parent } => match scalar(raw, parent, self.r).ok_or_else(unread)? {
                Scalar::Lent(s) => visitor.visit_enum(s.into_deserializer()),
                Scalar::Owned(s) => visitor.visit_enum(s.into_deserializer()),
                _ => Err(unread()),
            },
            _ => Err(unread()),
        }
    }

    serde::forward_to_deserialize_any! {
        <W: Visitor<'a>>
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map struct
        identifier ignored_any
    }
}

impl<'a> De<'_, 'a> {
    fn scalar<V: Visitor<'a>>(
        self,
        raw: &'a str,
        parent: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        if self.want == Want::Skipped && raw.starts_with('"') {
            return match skip_double_quoted(raw, parent, self.r) {
                Some(()) => visitor.visit_borrowed_str(""),
                None => Err(unread()),
            };
        }
        let s = scalar(raw, parent, self.r).ok_or_else(unread)?;
        let fits = match s {
            Scalar::Lent(_) | Scalar::Owned(_) => true,
            Scalar::EmptySeq => !matches!(self.want, Want::Str | Want::Skipped),
            _ => self.want == Want::Any,
        };
        if !fits {
            return Err(unread());
        }
        match s {
            Scalar::Lent(_) | Scalar::Owned(_) if self.want == Want::Skipped => {
                visitor.visit_borrowed_str("")
            }
            Scalar::Lent(s) => visitor.visit_borrowed_str(s),
            Scalar::Owned(s) => visitor.visit_string(s),
            Scalar::Bool(b) => visitor.visit_bool(b),
            Scalar::Unsigned(n) => visitor.visit_u64(n),
            Scalar::Negative(n) => visitor.visit_i64(n),
            Scalar::EmptySeq => visitor.visit_seq(Empty),
            Scalar::EmptyMap => visitor.visit_map(Empty),
        }
    }
}

/// A block sequence's items, at `indent`.
struct SeqDe<'r, 'a> {
    r: &'r mut Reader<'a>,
    indent: usize,
    /// What each item must be.
    want: Want,
    depth: usize,
}

impl<'r, 'a> SeqDe<'r, 'a> {
    fn new(r: &'r mut Reader<'a>, indent: usize, want: Want, depth: usize) -> Self {
        SeqDe {
            r,
            indent,
            want,
            depth,
        }
    }
}

impl<'a> de::SeqAccess<'a> for SeqDe<'_, 'a> {
    type Error = Error;

    /// The items ahead, counted, so a list is made at its length (a
    /// million claims in lists grown by doubling held 55 MB unused).
    fn size_hint(&self) -> Option<usize> {
        let lines = self.r.lines.get(self.r.at..).unwrap_or_default();
        let indent = self.indent;
        let within = (lines.iter())
            .filter(|l| !l.is_void())
            .take_while(|l| l.indent > indent || (l.indent == indent && is_item(l.content)));
        Some(within.filter(|l| l.indent == indent).count())
    }

    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        let Some((at, content)) = self.r.peek() else {
            return Ok(None);
        };
        if at != self.indent || !is_item(content) {
            return Ok(None);
        }
        let after_dash = &content[1..];
        let rest = after_dash.trim_start_matches(' ');
        let node = if rest.is_empty() || rest.starts_with('#') {
            // "-" alone: the item is a block below it.
            self.r.at += 1;
            match self.r.peek() {
                Some((next, _)) if next > self.indent => Node::Block(next),
                _ => return Err(unread()),
            }
        } else if starts_mapping(rest).ok_or_else(unread)? {
            // The item's mapping starts on the dash line, its other keys
            // below, where its first key stands.
            let column = self.indent + 1 + (after_dash.len() - rest.len());
            self.r.lines[self.r.at] = Line {
                indent: column,
                content: rest,
            };
            Node::Mapping(column)
        } else {
            self.r.at += 1;
            Node::Scalar {
                raw: rest,
                parent: self.indent,
            }
        };
        let item = De {
            r: &mut *self.r,
            node,
            want: self.want,
            depth: self.depth,
        };
        seed.deserialize(item).map(Some)
    }
}

/// A block mapping's keys and values, at `indent`.
struct MapDe<'r, 'a> {
    r: &'r mut Reader<'a>,
    indent: usize,
    /// The value of the key just read, and what it must be.
    value: Option<(Node<'a>, Want)>,
    /// The keys read so far: a second of one is serde_yaml's to report.
    keys: Keys<'a>,
    depth: usize,
}

impl<'r, 'a> MapDe<'r, 'a> {
    fn new(r: &'r mut Reader<'a>, indent: usize, depth: usize) -> Self {
        MapDe {
            r,
            indent,
            value: None,
            keys: Keys::default(),
            depth,
        }
    }
}

impl<'a> de::MapAccess<'a> for MapDe<'_, 'a> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'a>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        let indent = self.indent;
        let Some((at, content)) = self.r.peek() else {
            return Ok(None);
        };
        if at < indent || (at == indent && is_item(content)) {
            return Ok(None);
        }
        if at != indent {
            return Err(unread());
        }
        let (key, rest) = key_of(content).ok_or_else(unread)?;
        self.r.at += 1;
        let value = rest.trim_start_matches(' ');
        let node = if value.is_empty() || value.starts_with('#') {
            // A block below: a mapping or a sequence indented past the key,
            // or a sequence at the key's own indent (PyYAML's style).
            match self.r.peek() {
                Some((next, _)) if next > indent => Node::Block(next),
                Some((next, c)) if next == indent && is_item(c) => Node::Block(indent),
                // Nothing: a null, which readers disagree on.
                _ => return Err(unread()),
            }
        } else if value.len() == rest.len() {
            // `key:text` is one plain scalar, not a key.
            return Err(unread());
        } else {
            Node::Scalar {
                raw: value,
                parent: indent,
            }
        };
        let want = if is_text_key(&key) {
            Want::Text
        } else {
            Want::Any
        };
        // The article's paragraphs: the key at the article's indent.
        self.r.in_paragraphs = self.r.lean && key == "paragraphs" && self.depth == 2;
        self.value = Some((node, want));
        if !self.keys.insert(key.clone()) {
            return Err(unread());
        }
        match key {
            Cow::Borrowed(k) => seed.deserialize(BorrowedStrDeserializer::new(k)),
            Cow::Owned(k) => seed.deserialize(StringDeserializer::new(k)),
        }
        .map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let (node, want) = self.value.take().ok_or_else(unread)?;
        seed.deserialize(De {
            r: &mut *self.r,
            node,
            want,
            depth: self.depth,
        })
    }
}

/// A mapping's keys: a few are compared in place (a claim's mapping is
/// read for each claim: no allocation for it), many in a set (a
/// hand-made file may hold thousands in one mapping).
#[derive(Default)]
struct Keys<'a> {
    few: [Option<Cow<'a, str>>; FEW],
    len: usize,
    many: Option<HashSet<Cow<'a, str>>>,
}

const FEW: usize = 16;

impl<'a> Keys<'a> {
    /// Whether `key` is new.
    fn insert(&mut self, key: Cow<'a, str>) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(key);
        }
        if self.few[..self.len].iter().flatten().any(|k| *k == key) {
            return false;
        }
        if self.len < FEW {
            self.few[self.len] = Some(key);
            self.len += 1;
            return true;
        }
        let mut many: HashSet<Cow<'a, str>> =
            self.few.iter_mut().filter_map(Option::take).collect();
        many.insert(key);
        self.many = Some(many);
        true
    }
}

/// `[]` and `{}`.
struct Empty;

impl<'a> de::SeqAccess<'a> for Empty {
    type Error = Error;
    fn next_element_seed<T: DeserializeSeed<'a>>(
        &mut self,
        _: T,
    ) -> Result<Option<T::Value>, Error> {
        Ok(None)
    }
}

impl<'a> de::MapAccess<'a> for Empty {
    type Error = Error;
    fn next_key_seed<K: DeserializeSeed<'a>>(&mut self, _: K) -> Result<Option<K::Value>, Error> {
        Ok(None)
    }
    fn next_value_seed<V: DeserializeSeed<'a>>(&mut self, _: V) -> Result<V::Value, Error> {
        Err(unread())
    }
}

fn is_item(content: &str) -> bool {
    content == "-" || content.starts_with("- ")
}

/// Whether a sequence item's text is a `key: ...` line (`None`: neither
/// cleanly a key nor a scalar). A quote that does not close on the line
/// starts a scalar that goes on below.
fn starts_mapping(rest: &str) -> Option<bool> {
    if rest.starts_with('"') {
        let mut one_line = Reader {
            lines: Vec::new(),
            at: 0,
            lean: false,
            in_paragraphs: false,
        };
        return match double_quoted(rest, 0, &mut one_line) {
            Some((_, after)) => Some(after.starts_with(':')),
            None => Some(false),
        };
    }
    if rest.starts_with('\'') {
        return Some(quoted_key(rest).is_some_and(|(_, after)| after.starts_with(':')));
    }
    Some(key_of(rest).is_some_and(|(_, r)| r.is_empty() || r.starts_with(' ')))
}

/// A single-quoted key on one line, and what follows it.
fn quoted_key(s: &str) -> Option<(String, &str)> {
    let mut body = s.strip_prefix('\'')?;
    let mut out = String::new();
    loop {
        let i = body.find('\'')?;
        out.push_str(&body[..i]);
        match body[i + 1..].strip_prefix('\'') {
            Some(after) => {
                out.push('\'');
                body = after;
            }
            None => return Some((out, &body[i + 1..])),
        }
    }
}

/// `key: rest` (rest empty for a block below, else starting with a space).
fn key_of(content: &str) -> Option<(Cow<'_, str>, &str)> {
    if content.starts_with('"') {
        let mut one_line = Reader {
            lines: Vec::new(),
            at: 0,
            lean: false,
            in_paragraphs: false,
        };
        let (key, after) = double_quoted(content, 0, &mut one_line)?;
        return Some((Cow::Owned(key), after.strip_prefix(':')?));
    }
    if content.starts_with('\'') {
        let (key, after) = quoted_key(content)?;
        return Some((Cow::Owned(key), after.strip_prefix(':')?));
    }
    let bytes = content.as_bytes();
    let colon = memchr::memchr_iter(b':', bytes).find(|&i| bytes.get(i + 1) == Some(&b' '));
    let (key, rest) = match colon {
        Some(i) => (&content[..i], &content[i + 1..]),
        None => (content.strip_suffix(':')?, ""),
    };
    plain_is_safe(key).then_some((Cow::Borrowed(key), rest))
}

#[cfg(test)]
mod tests;
