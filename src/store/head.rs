//! What the desk keeps of each claims file at all times: the article
//! without its body, the sources, and a head of each claim (its id, source
//! and status, whether it is a candidate, who changed it and when). That
//! is all a list, a filter, a count or an order needs. A claim whole (its
//! texts, note, evidence and full history) is read back when it is shown
//! (`whole.rs`): at a million claims the wholes are most of a desk's
//! memory, and a reviewer looks at a few hundred of them.

use compact_str::CompactString;

use crate::model::{Article, ClaimId, Document, Source, SourceId, Status};

#[derive(Debug, Clone, PartialEq)]
pub struct FileHead {
    /// Without its paragraphs (`Desk::article` reads them back).
    pub article: Article,
    pub sources: Vec<Source>,
    pub claims: Vec<ClaimHead>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ClaimHead {
    pub id: ClaimId,
    pub source: SourceId,
    pub status: Status,
    /// `claimdesk import` proposed it and nobody has accepted it yet.
    pub candidate: bool,
    /// Its history, what of it counts and orders: who, when, what status.
    pub history: Box<[Stroke]>,
}

/// One history entry, as stats and orders read it.
#[derive(Debug, Clone, PartialEq)]
pub struct Stroke {
    pub by: CompactString,
    /// RFC 3339 UTC (ordered as text).
    pub at: CompactString,
    pub status: Status,
    pub previous: Status,
    pub undo: bool,
}

impl FileHead {
    /// The head of `doc`.
    pub fn of(doc: &Document) -> FileHead {
        FileHead {
            article: doc.article.without_body(),
            sources: doc.sources.clone(),
            claims: doc.claims.iter().map(ClaimHead::of).collect(),
        }
    }

    /// The source the file defines as `id`.
    pub fn source(&self, id: &SourceId) -> Option<&Source> {
        self.sources.iter().find(|s| &s.id == id)
    }
}

impl ClaimHead {
    fn of(c: &crate::model::Claim) -> ClaimHead {
        let stroke = |h: &crate::model::HistoryEntry| Stroke {
            by: CompactString::from(h.by.as_str()),
            at: CompactString::from(h.at.as_str()),
            status: h.status,
            previous: h.previous(),
            undo: h.undo,
        };
        ClaimHead {
            id: c.id.clone(),
            source: c.source.clone(),
            status: c.status,
            candidate: c.is_candidate(),
            history: c.history.iter().map(stroke).collect(),
        }
    }

    /// When it was last changed, if it was (RFC 3339, ordered as text).
    pub fn last_change(&self) -> Option<&str> {
        self.history.last().map(|h| h.at.as_str())
    }

    /// Whether `who` has a history entry on it.
    pub fn changed_by(&self, who: &str) -> bool {
        self.history.iter().any(|h| h.by == who)
    }
}
