//! Who a sentence attributes its statement to: the speaker next to a
//! reporting verb ("قالت وزارة الداخلية الألبانية" → the ministry, "NATO
//! said" → NATO), a carrier ("وفق ما نقلته وكالة الصحافة الفرنسية"), or the
//! previous speaker for a continuation ("وأضاف"، "وتابعت قائلة"، "he added").
//! Heuristics over words, no model: a reviewer triages what comes out.

mod arabic;
mod english;
#[cfg(test)]
mod tests;

pub use arabic::{ARABIC_DAYS, opens_attribution};
pub use english::dateline_end;

/// What a piece of text says about who said it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// Who speaks, as the article writes it.
    pub speaker: Option<String>,
    /// Who carried the statement (an agency, a statement), when named.
    pub carrier: Option<String>,
    /// The speaker is the previous one ("وأضاف", "he added").
    pub continues: bool,
    /// The piece reports speech (a verb, a connective or a quotation).
    pub reported: bool,
}

/// A word without the punctuation around it.
fn bare(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric())
}

/// Who `piece` attributes its statement to, in Arabic or English.
pub fn attribute(piece: &str) -> Attribution {
    if crate::text::is_rtl(piece) {
        arabic::attribute(piece)
    } else {
        english::attribute(piece)
    }
}
