//! One reviewer's searching: what the last keys found, so the next key
//! looks only among those hits (a letter typed on) or finds them again (a
//! letter deleted). The catalog it searches is shared by every session;
//! this part is each session's own.

use super::catalog::keep_by_claim;
use super::{Catalog, Filter, Hits};
use crate::store::{ClaimRef, Desk};
use crate::text::search_key;

#[derive(Debug, Default)]
pub struct Searcher {
    /// The text hits of the last searches, the latest last.
    recent: Vec<(String, Hits)>,
}

/// What `recent` may hold: a long word typed and deleted again, at a
/// million claims (125 KB a search, and 4 bytes a hit of a phrase scanned
/// for), beside the newest search, always kept.
const RECENT: usize = 24;
const RECENT_BYTES: usize = 32 << 20;

impl Searcher {
    /// The claims of `desk` that pass `filter`, written over `out`: a
    /// list's buffer, reused, since at a million claims a fresh one costs
    /// its page faults every keystroke, and zeroing it again its writes.
    pub fn filter_into(
        &mut self,
        desk: &Desk,
        catalog: &Catalog,
        filter: &Filter,
        out: &mut Vec<ClaimRef>,
    ) {
        self.text_and_facets(catalog, filter, out);
        keep_by_claim(desk, filter, out);
    }

    /// Those of `claims` (in desk order) that pass `filter`: the claims
    /// that just arrived or changed, at their cost rather than the desk's.
    pub fn filter_among(
        &self,
        desk: &Desk,
        catalog: &Catalog,
        filter: &Filter,
        claims: &[ClaimRef],
    ) -> Vec<ClaimRef> {
        let mut hits = (catalog.index()).filter_within(catalog.facets(), filter, claims);
        keep_by_claim(desk, filter, &mut hits);
        hits
    }

    /// The desk changed: what was found is found in another desk.
    pub fn clear(&mut self) {
        self.recent.clear();
    }

    /// Keep only the latest search's hits (a search typed on later starts
    /// from them); the rest served keys typed and deleted.
    pub fn forget(&mut self) {
        let keep = self.recent.len().saturating_sub(1);
        self.recent.drain(..keep);
        self.recent.shrink_to_fit();
    }

    fn text_and_facets(&mut self, catalog: &Catalog, filter: &Filter, out: &mut Vec<ClaimRef>) {
        let search = filter.search.trim();
        if search.is_empty() {
            out.clear();
            return catalog.facets().filter_into(filter, out);
        }
        let key = search_key(search);
        let (index, facets) = (catalog.index(), catalog.facets());
        if let Some(i) = self.recent.iter().position(|(k, _)| *k == key) {
            let again = self.recent.remove(i);
            self.recent.push(again);
        } else {
            // A search that extends an earlier one by letters at its end: its
            // hits (words starting so) are among that one's.
            let within = (self.recent.iter())
                .filter(|(k, _)| key.starts_with(k.as_str()))
                .max_by_key(|(k, _)| k.len())
                .map(|(_, hits)| hits);
            let hits = index.text_hits(facets, search, within);
            self.recent.push((key, hits));
            while self.recent.len() > RECENT
                || (self.recent.len() > 1
                    && self.recent.iter().map(|(_, h)| h.bytes()).sum::<usize>() > RECENT_BYTES)
            {
                self.recent.remove(0);
            }
        }
        match self.recent.last() {
            Some((_, hits)) => index.refs_into(facets, filter, hits, out),
            None => out.clear(),
        }
    }
}
