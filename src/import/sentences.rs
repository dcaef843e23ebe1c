//! Splitting a paragraph into the pieces a claim can be: sentences, and the
//! clauses of a sentence that start with a new attribution ("..., أعلنت
//! ألبانيا ..."). Never inside a quotation: a quoted statement is one piece
//! with the words that attribute it.

use std::ops::Range;

use super::speakers;
use crate::text::{commas_outside_quotes, push_trimmed};

/// The pieces of sentence `s` (as ranges of `s`): split after a comma
/// outside quotations where the next clause starts with its own reporting
/// verb and names who speaks ("حذر مسؤولون غربيون، ...، أعلنت ألبانيا ...").
pub fn clauses(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    for i in commas_outside_quotes(s) {
        // Both commas are two bytes in UTF-8 or one: step over the one there.
        let after = i + s[i..].chars().next().map_or(1, char::len_utf8);
        if i > start && speakers::opens_attribution(&s[after..]) {
            push_trimmed(&mut out, s, start..i);
            start = after;
        }
    }
    push_trimmed(&mut out, s, start..s.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sentence_splits_where_a_new_speaker_takes_over() {
        let s = "وبعدما حذر مسؤولون غربيون، طهران من تكرار الهجمات، أعلنت ألبانيا العضو في حلف الناتو، السبت، تعرض شرطتها لهجوم";
        let parts: Vec<&str> = clauses(s).into_iter().map(|r| &s[r]).collect();
        assert_eq!(
            parts,
            [
                "وبعدما حذر مسؤولون غربيون، طهران من تكرار الهجمات",
                "أعلنت ألبانيا العضو في حلف الناتو، السبت، تعرض شرطتها لهجوم"
            ]
        );
        // A continuation ("مضيفة") keeps the speaker: no split.
        let s = "قالت الوزارة إن \"أ، ب\"، مضيفة أن ج";
        assert_eq!(clauses(s).len(), 1);
    }
}
