//! The parse cache's binary form of a claims file's document: the lengths
//! and counts in field order, then every string's bytes one after another.
//! Reading it back is one UTF-8 check of all the text (SIMD) and copying
//! strings out, several times faster than JSON (whose `flatten`ed extra
//! keys go through a buffered map for every struct).
//!
//! Hand-written rather than a serde format: the model keeps unknown keys by
//! `#[serde(flatten)]`, which the compact binary serde formats cannot read.
//! Those extra keys (rare: an import's `candidate`, a link) are stored as
//! their YAML text. The cache's header carries a checksum and a format
//! number; bump `cache::FORMAT` whenever this layout changes.

use crate::model::{
    Article, Claim, ClaimId, Document, Extra, HistoryEntry, Source, SourceId, Status,
};

/// Append `doc` to `out`: the length of the lengths, the lengths, the text.
pub fn encode(doc: &Document, out: &mut Vec<u8>) {
    let mut w = Writer {
        meta: Vec::with_capacity(4096),
        text: Vec::with_capacity(64 * 1024),
    };
    w.document(doc);
    leb128(out, w.meta.len());
    out.extend_from_slice(&w.meta);
    out.extend_from_slice(&w.text);
}

impl Writer {
    fn document(&mut self, doc: &Document) {
        let w = self;
        let a = &doc.article;
        for s in [
            &a.id,
            &a.title,
            &a.title_en,
            &a.outlet,
            &a.author,
            &a.published,
            &a.language,
        ] {
            w.str(s);
        }
        w.opt(a.url.as_deref());
        w.opt(a.caption.as_deref());
        w.strs(&a.paragraphs);
        w.extra(&a.extra);
        w.len(doc.sources.len());
        for s in &doc.sources {
            w.str(&s.id.0);
            w.str(&s.name);
            w.str(&s.name_original);
            w.strs(&s.aliases);
            w.str(&s.kind);
            w.opt(s.country.as_deref());
            w.opt(s.parent.as_ref().map(|p| p.0.as_str()));
            w.extra(&s.extra);
        }
        w.len(doc.claims.len());
        for c in &doc.claims {
            w.str(&c.id.0);
            w.str(&c.source.0);
            w.len(c.paragraph.map_or(0, |p| p + 1));
            w.str(&c.text);
            w.str(&c.translation);
            w.str(c.status.key());
            w.opt(c.note.as_deref());
            w.strs(&c.evidence);
            w.len(c.history.len());
            for h in &c.history {
                w.str(&h.at);
                w.str(&h.by);
                w.str(h.status.key());
                w.opt(h.previous.map(Status::key));
                w.opt(h.note.as_deref());
                w.strs(&h.evidence);
                w.strs(&h.evidence_removed);
                w.meta.push(u8::from(h.undo));
                w.extra(&h.extra);
            }
            w.extra(&c.extra);
        }
        w.extra(&doc.extra);
    }
}

/// The document in `bytes`, or `None` if they are not one (the caller
/// then parses the YAML).
pub fn decode(bytes: &[u8]) -> Option<Document> {
    let mut head = Reader {
        meta: bytes,
        at: 0,
        text: "",
        text_at: 0,
    };
    let meta_len = head.len()?;
    let meta = bytes.get(head.at..head.at.checked_add(meta_len)?)?;
    let text = simdutf8::basic::from_utf8(&bytes[head.at + meta_len..]).ok()?;
    let mut r = Reader {
        meta,
        at: 0,
        text,
        text_at: 0,
    };
    let article = Article {
        id: r.str()?,
        title: r.str()?,
        title_en: r.str()?,
        outlet: r.str()?,
        author: r.str()?,
        published: r.str()?,
        language: r.str()?,
        url: r.opt()?,
        caption: r.opt()?,
        paragraphs: r.strs()?,
        extra: r.extra()?,
    };
    let sources = r.list(|r| {
        Some(Source {
            id: SourceId(r.compact()?),
            name: r.str()?,
            name_original: r.str()?,
            aliases: r.strs()?,
            kind: r.str()?,
            country: r.opt()?,
            parent: r.opt_ref()?.map(|p| SourceId(p.into())),
            extra: r.extra()?,
        })
    })?;
    let claims = r.list(|r| {
        Some(Claim {
            id: ClaimId(r.compact()?),
            source: SourceId(r.compact()?),
            paragraph: r.len()?.checked_sub(1),
            text: r.str()?,
            translation: r.str()?,
            status: r.status()?,
            note: r.opt()?,
            evidence: r.strs()?,
            history: r.list(|r| {
                Some(HistoryEntry {
                    at: r.str()?,
                    by: r.str()?,
                    status: r.status()?,
                    previous: r.opt_ref()?.map(Status::intern).transpose().ok()?,
                    note: r.opt()?,
                    evidence: r.strs()?,
                    evidence_removed: r.strs()?,
                    undo: r.byte()? == 1,
                    extra: r.extra()?,
                })
            })?,
            extra: r.extra()?,
        })
    })?;
    let extra = r.extra()?;
    (r.at == meta.len() && r.text_at == text.len()).then_some(Document {
        article,
        sources,
        claims,
        extra,
    })
}

/// `n` in LEB128: most lengths take one byte.
fn leb128(out: &mut Vec<u8>, mut n: usize) {
    while n >= 0x80 {
        out.push((n as u8) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// Lengths, counts and flags go to `meta`, the strings' bytes to `text`.
struct Writer {
    meta: Vec<u8>,
    text: Vec<u8>,
}

impl Writer {
    /// A length or count.
    fn len(&mut self, n: usize) {
        leb128(&mut self.meta, n);
    }

    fn str(&mut self, s: &str) {
        self.len(s.len());
        self.text.extend_from_slice(s.as_bytes());
    }

    /// `None` is 0; `Some(s)` is 1 and the string.
    fn opt(&mut self, s: Option<&str>) {
        match s {
            None => self.meta.push(0),
            Some(s) => {
                self.meta.push(1);
                self.str(s);
            }
        }
    }

    fn strs(&mut self, list: &[String]) {
        self.len(list.len());
        for s in list {
            self.str(s);
        }
    }

    /// Unknown keys as YAML text; none as an empty string.
    fn extra(&mut self, extra: &Extra) {
        let text = if extra.is_empty() {
            String::new()
        } else {
            serde_yaml::to_string(extra).unwrap_or_default()
        };
        self.str(&text);
    }
}

struct Reader<'a> {
    meta: &'a [u8],
    at: usize,
    /// All the strings, checked as UTF-8 once.
    text: &'a str,
    text_at: usize,
}

impl<'a> Reader<'a> {
    fn byte(&mut self) -> Option<u8> {
        let b = *self.meta.get(self.at)?;
        self.at += 1;
        Some(b)
    }

    fn len(&mut self) -> Option<usize> {
        let mut n: usize = 0;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            if b < 0x80 {
                // A count past the end is corruption, not a huge allocation.
                return (n <= self.meta.len().max(self.text.len())).then_some(n);
            }
        }
        None
    }

    fn str_ref(&mut self) -> Option<&'a str> {
        let n = self.len()?;
        let end = self.text_at.checked_add(n)?;
        // `get` refuses a cut inside a character: no string is ever invalid.
        let s = self.text.get(self.text_at..end)?;
        self.text_at = end;
        Some(s)
    }

    fn str(&mut self) -> Option<String> {
        self.str_ref().map(str::to_string)
    }

    /// An id, held in place when short (no allocation).
    fn compact(&mut self) -> Option<compact_str::CompactString> {
        self.str_ref().map(compact_str::CompactString::from)
    }

    fn opt_ref(&mut self) -> Option<Option<&'a str>> {
        match self.byte()? {
            0 => Some(None),
            1 => self.str_ref().map(Some),
            _ => None,
        }
    }

    fn opt(&mut self) -> Option<Option<String>> {
        Some(self.opt_ref()?.map(str::to_string))
    }

    fn strs(&mut self) -> Option<Vec<String>> {
        self.list(Reader::str)
    }

    fn status(&mut self) -> Option<Status> {
        Status::intern(self.str_ref()?).ok()
    }

    fn list<T>(&mut self, mut item: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let n = self.len()?;
        let mut v = Vec::with_capacity(n);
        for _ in 0..n {
            v.push(item(self)?);
        }
        Some(v)
    }

    fn extra(&mut self) -> Option<Extra> {
        let text = self.str_ref()?;
        if text.is_empty() {
            return Some(Extra::new());
        }
        serde_yaml::from_str(text).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn round_trip(doc: &Document) {
        let mut bytes = Vec::new();
        encode(doc, &mut bytes);
        assert_eq!(decode(&bytes).as_ref(), Some(doc));
        // Every cut short is refused, never a wrong document or a panic.
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(decode(&bytes[..cut]), None, "cut at {cut}");
        }
    }

    #[test]
    fn the_shipped_article_and_a_synthetic_one_come_back_equal() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("claims");
        let desk = crate::store::Desk::load(&dir).expect("the shipped claims load");
        for f in desk.files.iter() {
            round_trip(f.doc().expect("a document"));
        }
        round_trip(&crate::synth::document(3, 40, 7));
    }

    #[test]
    fn extra_keys_history_and_absent_fields_survive() {
        let mut doc = crate::synth::document(1, 3, 1);
        let c = &mut doc.claims[0];
        c.set_candidate(true);
        c.paragraph = None;
        c.note = Some("ملاحظة".into());
        c.history.push(HistoryEntry {
            at: "2026-11-30T10:00:00Z".into(),
            by: "ana".into(),
            status: Status::Verified,
            previous: Some(Status::Unreviewed),
            note: None,
            evidence: vec!["https://example.org/a".into()],
            evidence_removed: vec![],
            undo: true,
            extra: Extra::new(),
        });
        doc.claims[1].paragraph = Some(0);
        doc.article.url = None;
        doc.sources[0].parent = Some(SourceId("x".into()));
        round_trip(&doc);
    }
}
