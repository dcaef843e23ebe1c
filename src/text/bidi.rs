//! Right-to-left text for a terminal: in which order to send it (visual,
//! words, or logical for terminals that reorder themselves), joined letter
//! forms for terminals that draw them isolated, mirrored brackets, and the
//! direction marks a self-reordering terminal needs.
//!
//! Most terminals print characters left to right in the order received, so
//! Arabic must be sent in visual order. We reorder whole grapheme clusters (a
//! letter with its harakat), never single chars, or the marks land on the
//! wrong letters.

use std::borrow::Cow;
use std::ops::Range;

use unicode_bidi::{BidiInfo, Level};
use unicode_segmentation::UnicodeSegmentation;

use super::{is_rtl, space_runs, width};

/// Whether the desk reorders (and shapes) right-to-left text itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bidi {
    /// We send visual order: for terminals that do no bidi (most of them).
    Reorder,
    /// Visual order, with Arabic letters in their joined presentation forms:
    /// for terminals that neither reorder nor join letters.
    ReorderShaped,
    /// Words in visual order, the letters of each right-to-left word in
    /// logical order: for kitty, which shapes each word itself and in doing
    /// so puts its letters right to left.
    ReorderWords,
    /// We send logical order, for terminals that reorder each line taking
    /// it as left to right (Konsole): each line starts with a left-to-right
    /// mark, and right-to-left marks keep punctuation with its sentence.
    Logical,
    /// We send logical order, for terminals that reorder each line in the
    /// direction of its first letter (mlterm): no marks (mlterm gives each
    /// a cell), and right-to-left lines unaligned (the terminal puts their
    /// start on the right).
    LogicalByLine,
}

impl Bidi {
    /// Whether the terminal does the reordering.
    pub fn is_logical(self) -> bool {
        matches!(self, Bidi::Logical | Bidi::LogicalByLine)
    }
}

/// The reshaper, configured to keep harakat (its default deletes them).
fn reshaper() -> &'static ar_reshaper::ArabicReshaper {
    static RESHAPER: std::sync::OnceLock<ar_reshaper::ArabicReshaper> = std::sync::OnceLock::new();
    RESHAPER.get_or_init(|| {
        ar_reshaper::ArabicReshaper::new(ar_reshaper::ReshaperConfig {
            delete_harakat: false,
            ..Default::default()
        })
    })
}

/// Arabic letters in the contextual forms (initial, medial, final, and the
/// lam-alef ligature) that a terminal which cannot join letters should show.
/// Logical order in, logical order out; other scripts pass through. A
/// ligature takes one cell where its letters took two, so the line is
/// padded back to its width at its end (the left of a right-to-left line,
/// where it is blank anyway): columns and right-aligned lines stay where
/// they were, and words keep the one space between them.
pub fn shape(line: &str) -> Cow<'_, str> {
    if !reshaper().need_reshape(line) {
        return Cow::Borrowed(line);
    }
    let mut out = shape_unpadded(line);
    let missing = width(line).saturating_sub(width(&out));
    out.extend(std::iter::repeat_n(' ', missing));
    Cow::Owned(out)
}

/// `shape` without the padding: the shaped letters only (narrower than
/// `line` by a cell a ligature), for pieces of a line padded as a whole.
pub fn shape_unpadded(line: &str) -> String {
    if !reshaper().need_reshape(line) {
        return line.to_string();
    }
    let mut out = String::with_capacity(line.len() + 8);
    for (_, run) in space_runs(line) {
        if run.trim().is_empty() {
            out.push_str(run);
        } else {
            out.push_str(&reshaper().reshape(run));
        }
    }
    out
}

/// Brackets swap in right-to-left runs: a terminal draws `(` as it is, so
/// the RTL opening bracket must be sent as `)` to look right.
pub fn mirror(g: &str) -> &str {
    match g {
        "(" => ")",
        ")" => "(",
        "[" => "]",
        "]" => "[",
        "{" => "}",
        "}" => "{",
        "<" => ">",
        ">" => "<",
        "«" => "»",
        "»" => "«",
        other => other,
    }
}

/// The graphemes of one line in the order the terminal should draw them,
/// as byte ranges of `line`, each flagged when it must be sent mirrored: it
/// stands in a right-to-left run the terminal will not mirror itself.
/// Konsole reorders but does not mirror, so in `Logical` the brackets of
/// right-to-left runs are flagged though nothing moves.
pub fn visual_order(line: &str, rtl_paragraph: bool, bidi: Bidi) -> Vec<(Range<usize>, bool)> {
    visual_order_styled(line, rtl_paragraph, bidi, &[])
}

/// `visual_order`, for a line drawn in more than one style: `breaks` are
/// the byte offsets where the style changes. kitty shapes each run of one
/// style on its own, so in `ReorderWords` a word split by a highlight is
/// two words (else the comma after a highlighted word lands on its right).
pub fn visual_order_styled(
    line: &str,
    rtl_paragraph: bool,
    bidi: Bidi,
    breaks: &[usize],
) -> Vec<(Range<usize>, bool)> {
    let logical = || {
        line.grapheme_indices(true)
            .map(|(i, g)| (i..i + g.len(), false))
            .collect()
    };
    if bidi == Bidi::LogicalByLine || !line.chars().any(is_strong_rtl_or_number) {
        return logical();
    }
    let base = if rtl_paragraph {
        Level::rtl()
    } else {
        Level::ltr()
    };
    let info = BidiInfo::new(line, Some(base));
    let Some(para) = info.paragraphs.first() else {
        return logical();
    };
    let (levels, runs) = info.visual_runs(para, para.range.clone());
    if bidi == Bidi::Logical {
        return line
            .grapheme_indices(true)
            .map(|(i, g)| (i..i + g.len(), levels[i].is_rtl()))
            .collect();
    }
    let mut out: Vec<(Range<usize>, bool)> = Vec::new();
    for run in runs {
        let graphemes = line[run.clone()]
            .grapheme_indices(true)
            .map(|(i, g)| run.start + i..run.start + i + g.len());
        if levels[run.start].is_rtl() {
            let mut rev: Vec<_> = graphemes.map(|r| (r, true)).collect();
            rev.reverse();
            out.extend(rev);
        } else {
            out.extend(graphemes.map(|r| (r, false)));
        }
    }
    if bidi == Bidi::ReorderWords {
        // Each right-to-left word back in logical order, unmirrored: the
        // terminal reverses (and mirrors) it when it shapes the word.
        let blank = |r: &Range<usize>| line[r.clone()].trim().is_empty();
        let mut i = 0;
        while i < out.len() {
            if !out[i].1 || blank(&out[i].0) {
                i += 1;
                continue;
            }
            let start = i;
            while i < out.len() && out[i].1 && !blank(&out[i].0) {
                out[i].1 = false;
                i += 1;
                // In visual order a run goes right to left: a style break
                // at this grapheme's start ends the word here.
                if breaks.contains(&out[i - 1].0.start) {
                    break;
                }
            }
            out[start..i].reverse();
        }
    }
    out
}

/// One line in the order the terminal should draw it (and shaped, when asked).
/// `rtl_paragraph` is the direction of the paragraph the line was wrapped from.
pub fn visual(line: &str, rtl_paragraph: bool, bidi: Bidi) -> Cow<'_, str> {
    if bidi == Bidi::LogicalByLine || !line.chars().any(is_strong_rtl_or_number) {
        return Cow::Borrowed(line);
    }
    let shaped = if bidi == Bidi::ReorderShaped {
        shape(line)
    } else {
        Cow::Borrowed(line)
    };
    let line = shaped.as_ref();
    let mut out = String::with_capacity(line.len());
    for (r, in_rtl) in visual_order(line, rtl_paragraph, bidi) {
        let g = &line[r];
        out.push_str(if in_rtl { mirror(g) } else { g });
    }
    Cow::Owned(out)
}

/// Left-to-right mark: starts each line a terminal reorders itself, so it
/// takes the line as left to right whatever its first letter (Konsole
/// does; mlterm otherwise guesses, and mirrors right-aligned lines).
pub const LRM: &str = "\u{200e}";
/// Right-to-left mark: binds punctuation to the right-to-left words beside it.
pub const RLM: &str = "\u{200f}";

/// For a terminal that applies bidi to each line itself (we send logical
/// order): the cells of one line, and where right-to-left marks must go so
/// that punctuation stays with its sentence. In a left-to-right line the
/// bidi algorithm gives the final full stop of an Arabic sentence, its
/// closing quote or a cut's ellipsis to the left-to-right side (they show at
/// the sentence's start); a mark on their outer side gives them to the
/// sentence. Returns, per cell, whether a mark goes before and after it.
pub fn rtl_marks<'a>(cells: impl IntoIterator<Item = &'a str>) -> Vec<(bool, bool)> {
    #[derive(Clone, Copy, PartialEq)]
    enum K {
        Rtl,
        Ltr,
        Blank,
        Neutral,
    }
    let kinds: Vec<K> = cells
        .into_iter()
        .map(|c| {
            if c.trim().is_empty() {
                K::Blank
            } else if is_rtl(c) {
                K::Rtl
            } else if c.chars().any(|ch| ch.is_alphanumeric()) {
                K::Ltr
            } else {
                K::Neutral
            }
        })
        .collect();
    let mut marks = vec![(false, false); kinds.len()];
    let mut i = 0;
    while i < kinds.len() {
        if kinds[i] != K::Neutral {
            i += 1;
            continue;
        }
        let start = i;
        while i < kinds.len() && kinds[i] == K::Neutral {
            i += 1;
        }
        let before = start.checked_sub(1).map(|j| kinds[j]);
        let after = kinds.get(i).copied();
        let outer = |k: Option<K>| matches!(k, None | Some(K::Blank));
        if before == Some(K::Rtl) && outer(after) {
            marks[i - 1].1 = true;
        } else if after == Some(K::Rtl) && outer(before) {
            marks[start].0 = true;
        }
    }
    marks
}

/// Whether `s` holds any right-to-left letter (or Arabic digit).
pub fn has_rtl(s: &str) -> bool {
    s.chars().any(is_strong_rtl_or_number)
}

fn is_strong_rtl_or_number(c: char) -> bool {
    use unicode_bidi::BidiClass::*;
    matches!(unicode_bidi::bidi_class(c), R | AL | AN)
}
