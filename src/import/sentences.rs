//! Splitting a paragraph into the pieces a claim can be: sentences, and the
//! clauses of a sentence that start with a new attribution ("..., أعلنت
//! ألبانيا ..."). Never inside a quotation: a quoted statement is one piece
//! with the words that attribute it.

use std::ops::Range;

use super::speakers;

/// Where a sentence ends (Arabic and Latin), outside quotations.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '؟' | '؛' | ';')
}

/// The byte ranges of the sentences of `p`, trimmed, in order.
pub fn sentences(p: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    // Quotation marks: `"` toggles; « » and “ ” nest.
    let mut straight = false;
    let mut depth = 0usize;
    let mut chars = p.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => straight = !straight,
            '«' | '“' => depth += 1,
            '»' | '”' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if !ends_sentence(c) || straight || depth > 0 {
            continue;
        }
        // "؟." and "..": the run of end marks ends the sentence once.
        let mut end = i + c.len_utf8();
        while let Some(&(j, d)) = chars.peek() {
            if !ends_sentence(d) {
                break;
            }
            end = j + d.len_utf8();
            chars.next();
        }
        // A full stop between digits or letters (24.ae, 3.5) ends nothing.
        let next = p[end..].chars().next();
        if c == '.' && next.is_some_and(|n| !n.is_whitespace() && n != '"' && n != '»') {
            continue;
        }
        push_trimmed(&mut out, p, start..end);
        start = end;
    }
    push_trimmed(&mut out, p, start..p.len());
    out
}

fn push_trimmed(out: &mut Vec<Range<usize>>, p: &str, r: Range<usize>) {
    let s = &p[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        out.push(r.start + lead..r.start + lead + trimmed.len());
    }
}

/// The pieces of sentence `s` (as ranges of `s`): split after a comma
/// outside quotations where the next clause starts with its own reporting
/// verb and names who speaks ("حذر مسؤولون غربيون، ...، أعلنت ألبانيا ...").
pub fn clauses(s: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut straight = false;
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '"' => straight = !straight,
            '«' | '“' => depth += 1,
            '»' | '”' => depth = depth.saturating_sub(1),
            '،' | ',' if !straight && depth == 0 => {
                let rest = &s[i + c.len_utf8()..];
                if speakers::opens_attribution(rest) && i > start {
                    push_trimmed(&mut out, s, start..i);
                    start = i + c.len_utf8();
                }
            }
            _ => {}
        }
    }
    push_trimmed(&mut out, s, start..s.len());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(p: &str) -> Vec<&str> {
        sentences(p).into_iter().map(|r| &p[r]).collect()
    }

    #[test]
    fn sentences_end_at_arabic_and_latin_marks_but_not_inside_quotes() {
        let cases: &[(&str, &[&str])] = &[
            ("جملة أولى. جملة ثانية.", &["جملة أولى.", "جملة ثانية."]),
            (
                "هل ينفذ الحلفاء وعودهم؟. ثم",
                &["هل ينفذ الحلفاء وعودهم؟.", "ثم"],
            ),
            ("أولاً؛ ثانياً", &["أولاً؛", "ثانياً"]),
            (
                "قال: \"نحن هنا. ولن نغادر\". ثم مضى.",
                &["قال: \"نحن هنا. ولن نغادر\".", "ثم مضى."],
            ),
            ("قال «أولاً. ثانياً» ثم سكت.", &["قال «أولاً. ثانياً» ثم سكت."]),
            (
                "He said “one. two” and left. Then",
                &["He said “one. two” and left.", "Then"],
            ),
            (
                "See 24.ae and 3.5 percent. Done",
                &["See 24.ae and 3.5 percent.", "Done"],
            ),
            ("Really?! Yes.", &["Really?!", "Yes."]),
            ("", &[]),
            ("بلا نهاية", &["بلا نهاية"]),
        ];
        for (p, want) in cases {
            assert_eq!(split(p), *want, "{p}");
        }
    }

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
