//! Filtering, searching and counting the desk's claims: pure functions over
//! the loaded desk, and the `Catalog` that owns everything derived from it.

mod bytes;
mod catalog;
mod facets;
pub mod hub;
mod registry;
mod search;
mod searcher;
mod similar;
mod sources;
mod stats;
mod words;

use std::collections::HashSet;

use crate::model::{SourceId, Status};

pub use catalog::Catalog;
pub use facets::Facets;
pub use hub::{Delta, Hub, Synced, View};
pub use registry::{Registry, name_words, same_word};
pub use search::{Hits, Prefolded, SearchIndex, ToFold};
pub use searcher::Searcher;
pub use similar::{Matcher, SAME_CLAIM, terms};
pub use sources::SourceTree;
pub use stats::{Activity, StatsRow, reviewer_activity, status_counts};

/// What the reviewer has narrowed the list to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Only claims of these sources (already expanded to children); `None` means all.
    pub sources: Option<HashSet<SourceId>>,
    pub statuses: Option<HashSet<Status>>,
    pub search: String,
    /// Only claims this reviewer changed (has a history entry on).
    pub changed_by: Option<String>,
    /// Only candidates `claimdesk import` proposed: the triage queue.
    pub candidates: bool,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.sources.is_none()
            && self.statuses.is_none()
            && self.search.is_empty()
            && self.changed_by.is_none()
            && !self.candidates
    }
}

/// How the list is ordered.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum Sort {
    /// As the files have them: by file, then as each file lists its claims.
    #[default]
    Desk,
    Id,
    /// In the order of the desk's scale.
    Status,
    /// By source name.
    Source,
    /// The most recently changed first.
    LastChange,
}

impl Sort {
    pub fn next(self) -> Sort {
        match self {
            Sort::Desk => Sort::Id,
            Sort::Id => Sort::Status,
            Sort::Status => Sort::Source,
            Sort::Source => Sort::LastChange,
            Sort::LastChange => Sort::Desk,
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Sort::Desk => "file order",
            Sort::Id => "id",
            Sort::Status => "status",
            Sort::Source => "source",
            Sort::LastChange => "last change",
        }
    }
}
