//! Filtering, searching and counting the desk's claims: pure functions over
//! the loaded desk, and the `Catalog` that owns everything derived from it.

mod catalog;
mod facets;
mod search;
mod sources;
mod stats;

use std::collections::HashSet;

use crate::model::{SourceId, Status};

pub use catalog::Catalog;
pub use facets::Facets;
pub use search::{LazyIndex, SearchIndex};
pub use sources::SourceTree;
pub use stats::{Activity, StatsRow, reviewer_activity, status_counts};

/// What the reviewer has narrowed the list to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Filter {
    /// Only claims of these sources (already expanded to children); `None` means all.
    pub sources: Option<HashSet<SourceId>>,
    pub statuses: Option<HashSet<Status>>,
    pub search: String,
}

impl Filter {
    pub fn is_empty(&self) -> bool {
        self.sources.is_none() && self.statuses.is_none() && self.search.is_empty()
    }
}
