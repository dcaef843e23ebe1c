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
//!
//! It is a serde `Deserializer` over the file's lines, so a `T` is read
//! straight from the text: no tree of values in between, and plain
//! strings and keys are lent from the text, not copied.

use std::borrow::Cow;

use super::strict::{MAX_DEPTH, is_text_key};
use super::yaml::plain_is_safe;
use hashbrown::HashSet;
use serde::de::value::{BorrowedStrDeserializer, Error, StringDeserializer};
use serde::de::{self, DeserializeSeed, Error as _, IntoDeserializer, Visitor};

/// `text` as a `T`, when it is in the desk's own shape. `None` for any
/// other file, or one that is not a `T`, for the guarded paths to read
/// and report.
pub fn read<T: serde::de::DeserializeOwned>(text: &str) -> Option<T> {
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
    let top = De {
        r: &mut r,
        node: Node::Block(0),
        want: Want::Any,
    };
    let value = T::deserialize(top).ok()?;
    (r.at == r.lines.len()).then_some(value)
}

/// The file's lines (indent, and what follows it), and the next to read.
struct Reader<'a> {
    lines: Vec<(usize, &'a str)>,
    at: usize,
}

impl<'a> Reader<'a> {
    fn peek(&self) -> Option<(usize, &'a str)> {
        self.lines.get(self.at).copied()
    }
}

/// Where a value is in the lines.
#[derive(Clone, Copy)]
enum Node<'a> {
    /// The rest of a line: `key: here` or `- here`.
    Scalar(&'a str),
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
}

/// Not the desk's own shape: the caller reads the file another way.
fn unread() -> Error {
    Error::custom("not in the shape the desk writes")
}

/// A value in the lines, to be read as whatever its reader asks.
struct De<'r, 'a> {
    r: &'r mut Reader<'a>,
    node: Node<'a>,
    want: Want,
}

impl<'a> de::Deserializer<'a> for De<'_, 'a> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        let indent = match self.node {
            Node::Scalar(raw) => return self.scalar(raw, visitor),
            Node::Mapping(indent) => {
                return if self.want == Want::Any {
                    visitor.visit_map(MapDe::new(self.r, indent))
                } else {
                    Err(unread())
                };
            }
            Node::Block(indent) => indent,
        };
        let (at, content) = self.r.peek().ok_or_else(unread)?;
        // Real files nest a few levels; a deep one goes to the guarded path.
        if at != indent || indent > 2 * MAX_DEPTH {
            return Err(unread());
        }
        match (is_item(content), self.want) {
            (true, Want::Any) => visitor.visit_seq(SeqDe::new(self.r, indent, Want::Any)),
            (true, Want::Text) => visitor.visit_seq(SeqDe::new(self.r, indent, Want::Str)),
            (false, Want::Any) => visitor.visit_map(MapDe::new(self.r, indent)),
            _ => Err(unread()),
        }
    }

    fn deserialize_option<V: Visitor<'a>>(self, visitor: V) -> Result<V::Value, Error> {
        // The desk never writes a null (plain `null` and `~` are refused).
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
            Node::Scalar(raw) => match scalar(raw).ok_or_else(unread)? {
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
    fn scalar<V: Visitor<'a>>(self, raw: &'a str, visitor: V) -> Result<V::Value, Error> {
        let s = scalar(raw).ok_or_else(unread)?;
        let fits = match s {
            Scalar::Lent(_) | Scalar::Owned(_) => true,
            Scalar::EmptySeq => self.want != Want::Str,
            _ => self.want == Want::Any,
        };
        if !fits {
            return Err(unread());
        }
        match s {
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
}

impl<'r, 'a> SeqDe<'r, 'a> {
    fn new(r: &'r mut Reader<'a>, indent: usize, want: Want) -> Self {
        SeqDe { r, indent, want }
    }
}

impl<'a> de::SeqAccess<'a> for SeqDe<'_, 'a> {
    type Error = Error;

    /// The items ahead, counted, so a list is made at its length (a
    /// million claims in lists grown by doubling held 55 MB unused).
    fn size_hint(&self) -> Option<usize> {
        let lines = self.r.lines.get(self.r.at..).unwrap_or_default();
        let within = lines.iter().take_while(|(at, _)| *at >= self.indent);
        Some(
            within
                .filter(|(at, c)| *at == self.indent && is_item(c))
                .count(),
        )
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
        let rest = (content.strip_prefix('-').ok_or_else(unread)?)
            .strip_prefix(' ')
            .unwrap_or("");
        let inner = self.indent + 2;
        let node = if rest.is_empty() {
            // "- " alone: a sequence inside the sequence, on the next lines.
            self.r.at += 1;
            Node::Block(inner)
        } else if starts_mapping(rest).ok_or_else(unread)? {
            // The item's mapping starts on the dash line, its other keys below.
            self.r.lines[self.r.at] = (inner, rest);
            Node::Mapping(inner)
        } else {
            self.r.at += 1;
            Node::Scalar(rest)
        };
        let item = De {
            r: &mut *self.r,
            node,
            want: self.want,
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
}

impl<'r, 'a> MapDe<'r, 'a> {
    fn new(r: &'r mut Reader<'a>, indent: usize) -> Self {
        MapDe {
            r,
            indent,
            value: None,
            keys: Keys::default(),
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
        let node = if rest.is_empty() {
            // A block below: a mapping or a sequence, two spaces in.
            match self.r.peek() {
                Some((next, _)) if next == indent + 2 => Node::Block(indent + 2),
                _ => return Err(unread()),
            }
        } else {
            Node::Scalar(rest.strip_prefix(' ').ok_or_else(unread)?)
        };
        let want = if is_text_key(&key) {
            Want::Text
        } else {
            Want::Any
        };
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
        })
    }
}

/// A mapping's keys: a few are compared in a list, many in a set (a
/// hand-made file may hold thousands in one mapping).
#[derive(Default)]
struct Keys<'a> {
    few: Vec<Cow<'a, str>>,
    many: Option<HashSet<Cow<'a, str>>>,
}

impl<'a> Keys<'a> {
    /// Whether `key` is new.
    fn insert(&mut self, key: Cow<'a, str>) -> bool {
        if let Some(many) = &mut self.many {
            return many.insert(key);
        }
        if self.few.contains(&key) {
            return false;
        }
        self.few.push(key);
        if self.few.len() > 16 {
            self.many = Some(self.few.drain(..).collect());
        }
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
fn key_of(content: &str) -> Option<(Cow<'_, str>, &str)> {
    if content.starts_with('"') {
        let (key, after) = quoted(content)?;
        return Some((Cow::Owned(key), after.strip_prefix(':')?));
    }
    let (key, rest) = match content.find(": ") {
        Some(i) => (&content[..i], &content[i + 1..]),
        None => (content.strip_suffix(':')?, ""),
    };
    plain_is_safe(key).then_some((Cow::Borrowed(key), rest))
}

/// A scalar as `emit` writes one.
enum Scalar<'a> {
    /// Plain text, as it stands in the file.
    Lent(&'a str),
    /// Double-quoted text, unescaped.
    Owned(String),
    Bool(bool),
    Unsigned(u64),
    Negative(i64),
    EmptySeq,
    EmptyMap,
}

fn scalar(s: &str) -> Option<Scalar<'_>> {
    if s.starts_with('"') {
        let (text, after) = quoted(s)?;
        return after.is_empty().then_some(Scalar::Owned(text));
    }
    match s {
        "true" => return Some(Scalar::Bool(true)),
        "false" => return Some(Scalar::Bool(false)),
        "[]" => return Some(Scalar::EmptySeq),
        "{}" => return Some(Scalar::EmptyMap),
        _ => {}
    }
    if let Some(n) = integer(s) {
        return Some(n);
    }
    plain_is_safe(s).then_some(Scalar::Lent(s))
}

/// A decimal integer as `emit` writes one: no sign but `-`, no leading zero.
fn integer(s: &str) -> Option<Scalar<'_>> {
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
mod tests;
