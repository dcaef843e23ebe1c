//! A file's folded text and word index, kept beside the parse cache (see
//! `store::Derived`) and read back for that same version of the file: a
//! warm start then copies them in instead of folding every claim again,
//! which was most of its time.

use super::FoldedFile;
use crate::model::Document;
use crate::query::bytes::{self, Reader};
use crate::query::words::Words;
use crate::store::Derived;

/// The name of what is kept.
const KIND: &str = "folded";

/// Its format: bump it whenever folding or this layout changes, and what
/// was kept before is folded afresh (and kept over).
const FORMAT: u64 = 4;

/// `doc` folded: read back from `keep` if it holds this file's, else
/// folded, and kept there for the next start.
pub(super) fn folded(doc: &Document, keep: Option<&Derived>) -> FoldedFile {
    let kept = keep.and_then(|k| k.get(KIND));
    if let Some(f) = kept.and_then(|bytes| FoldedFile::read(&bytes, doc)) {
        return f;
    }
    let f = FoldedFile::of(doc);
    if let Some(k) = keep {
        let mut out = Vec::with_capacity(f.text.len() * 2);
        if f.write(doc, &mut out) {
            k.put(KIND, &out);
        }
    }
    f
}

/// What the kept form must agree with: its format, and in the document it
/// is read back for, how many claims, and how long what was folded of them
/// is (`searched`, the same parts `fold_claim` folds).
fn fingerprint(doc: &Document) -> [u64; 3] {
    let parts = doc.claims.iter().flat_map(super::searched);
    let len: usize = parts.map(str::len).sum();
    [FORMAT, doc.claims.len() as u64, len as u64]
}

impl FoldedFile {
    /// Append the kept form; false (nothing worth keeping) for a text too
    /// long for 32-bit places.
    fn write(&self, doc: &Document, out: &mut Vec<u8>) -> bool {
        if u32::try_from(self.text.len()).is_err() {
            return false;
        }
        bytes::put(out, &fingerprint(doc), |n| n.to_le_bytes());
        bytes::put_raw(out, &self.text);
        bytes::put(out, &self.ends, |&e| (e as u32).to_le_bytes());
        match &self.words {
            Some(words) => {
                bytes::put_raw(out, &[1]);
                words.write(out);
            }
            None => bytes::put_raw(out, &[0]),
        }
        true
    }

    /// The kept form, if it is whole and agrees with `doc`.
    fn read(kept: &[u8], doc: &Document) -> Option<FoldedFile> {
        let mut r = Reader::new(kept);
        if r.array(u64::from_le_bytes)? != fingerprint(doc) {
            return None;
        }
        let text: Box<[u8]> = r.raw()?.into();
        let ends: Vec<usize> = r.array(|b| u32::from_le_bytes(b) as usize)?;
        let ends_ok = ends.len() == doc.claims.len()
            && ends.windows(2).all(|w| w[0] <= w[1])
            && ends.last().copied().unwrap_or(0) == text.len();
        if !ends_ok {
            return None;
        }
        let words = match r.raw()? {
            [1] => Some(Words::read(&mut r, &text, ends.len())?),
            [0] => None,
            _ => return None,
        };
        r.is_done().then_some(FoldedFile { text, ends, words })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_kept_reads_back_the_same_and_only_for_its_document() {
        let doc = crate::synth::document(2, 60, 5);
        let folded = FoldedFile::of(&doc);
        let mut out = Vec::new();
        assert!(folded.write(&doc, &mut out));
        assert_eq!(FoldedFile::read(&out, &doc), Some(FoldedFile::of(&doc)));
        // Every cut short is refused.
        for cut in [0, 8, out.len() / 2, out.len() - 1] {
            assert_eq!(FoldedFile::read(&out[..cut], &doc), None, "cut at {cut}");
        }
        // Another version of the file: a claim's text changed length.
        let mut changed = doc.clone();
        changed.claims[3].text.push_str(" أيضاً");
        assert_eq!(FoldedFile::read(&out, &changed), None);
        // A letter marked for a claim past the file's 60 (the last bytes
        // are the last letter's row).
        let mut past = out.clone();
        if let Some(last) = past.last_mut() {
            *last |= 0x80;
        }
        assert_eq!(FoldedFile::read(&past, &doc), None);
        // Another format.
        let mut other = out.clone();
        other[8] ^= 1;
        assert_eq!(FoldedFile::read(&other, &doc), None);
    }
}
