//! Where the sentences of a paragraph are: Arabic and Latin end marks,
//! never inside a quotation. Import splits articles with it; the desk
//! widens and narrows a candidate claim to its boundaries.

use std::ops::Range;

/// Where a sentence ends (Arabic and Latin), outside quotations.
fn ends_sentence(c: char) -> bool {
    matches!(c, '.' | '?' | '!' | '؟' | '؛' | ';')
}

/// Titles and short forms English news writes with a full stop.
const ABBREVIATIONS: &[&str] = &[
    "Mr", "Mrs", "Ms", "Dr", "Sen", "Rep", "Gov", "Gen", "Col", "Lt", "Sgt", "St", "Jr", "Sr",
    "Prof", "Rev", "No", "vs", "Jan", "Feb", "Aug", "Sept", "Sep", "Oct", "Nov", "Dec",
];

/// Whether `before` (the sentence up to a full stop) ends with an
/// abbreviation: a title, or initials ("U.S", "U.N", "A").
fn abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(|c: char| c.is_whitespace() || c == '(')
        .next()
        .unwrap_or("");
    if ABBREVIATIONS.contains(&word) {
        return true;
    }
    // Initials: single capitals joined by full stops.
    !word.is_empty()
        && word.split('.').all(|part| {
            let mut cs = part.chars();
            cs.next().is_some_and(|c| c.is_ascii_uppercase()) && cs.next().is_none()
        })
}

/// Whether the text read so far is inside a quotation: `"` toggles;
/// « » and “ ” nest.
#[derive(Default)]
struct Quotes {
    straight: bool,
    depth: usize,
}

impl Quotes {
    /// Take `c` into account; whether the text after it is outside quotations.
    fn outside_after(&mut self, c: char) -> bool {
        match c {
            '"' => self.straight = !self.straight,
            '«' | '“' => self.depth += 1,
            '»' | '”' => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        !self.straight && self.depth == 0
    }
}

/// The byte ranges of the sentences of `p`, trimmed, in order.
pub fn sentences(p: &str) -> Vec<Range<usize>> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut quotes = Quotes::default();
    let mut chars = p.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if !quotes.outside_after(c) || !ends_sentence(c) {
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
        // Nor does the stop of an abbreviation ("U.S.", "Mr.", "Sen."),
        // when the sentence goes on.
        if c == '.' && end == i + 1 && abbreviation(&p[start..i]) {
            continue;
        }
        push_trimmed(&mut out, p, start..end);
        start = end;
    }
    push_trimmed(&mut out, p, start..p.len());
    out
}

/// Where the commas (Arabic and Latin) of `s` stand outside quotations,
/// as byte offsets: where a sentence may break into clauses.
pub fn commas_outside_quotes(s: &str) -> Vec<usize> {
    let mut quotes = Quotes::default();
    s.char_indices()
        .filter(|&(_, c)| quotes.outside_after(c) && matches!(c, '،' | ','))
        .map(|(i, _)| i)
        .collect()
}

/// `r` of `p` without its surrounding whitespace, if anything is left.
pub(crate) fn push_trimmed(out: &mut Vec<Range<usize>>, p: &str, r: Range<usize>) {
    let s = &p[r.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        out.push(r.start + lead..r.start + lead + trimmed.len());
    }
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
            // Nested: a quotation inside a quotation ends nothing either.
            (
                "قال «نقل عن الوزير “لن نتراجع. أبداً” ثم غادر.» وانتهى. بعدها",
                &[
                    "قال «نقل عن الوزير “لن نتراجع. أبداً” ثم غادر.» وانتهى.",
                    "بعدها",
                ],
            ),
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
}
