//! The search index folded on another thread from launch on.

use super::{SearchIndex, to_fold};
use crate::query::SourceTree;
use crate::store::Desk;

/// The search index, folded on another thread from launch on: the first
/// frame needs no index (nothing is searched yet), so it does not wait for one.
#[derive(Debug)]
pub struct LazyIndex {
    ready: Option<SearchIndex>,
    building: Option<std::thread::JoinHandle<SearchIndex>>,
}

impl LazyIndex {
    pub fn start(desk: &Desk, tree: &SourceTree) -> LazyIndex {
        let files = to_fold(desk, 0..desk.files.len());
        let owned_tree = tree.clone();
        let spawned = std::thread::Builder::new()
            .name("search-index".into())
            // One thread: the other core stays with the reviewer's keys.
            .spawn(move || SearchIndex::of_documents(files, &owned_tree, false));
        match spawned {
            Ok(handle) => LazyIndex {
                ready: None,
                building: Some(handle),
            },
            Err(_) => LazyIndex::ready(SearchIndex::build(desk, tree)),
        }
    }

    /// No index until `get` asks for one.
    pub fn on_demand() -> LazyIndex {
        LazyIndex {
            ready: None,
            building: None,
        }
    }

    pub fn ready(index: SearchIndex) -> LazyIndex {
        LazyIndex {
            ready: Some(index),
            building: None,
        }
    }

    /// The index, waiting for the build if it is still running. The build
    /// saw the desk as it was at `start`; callers `sync` or `update` after.
    pub fn get(&mut self, desk: &Desk, tree: &SourceTree) -> &mut SearchIndex {
        if let Some(handle) = self.building.take() {
            // A build that panicked is done again here, where the panic shows.
            self.ready = handle.join().ok();
        }
        self.ready
            .get_or_insert_with(|| SearchIndex::build(desk, tree))
    }
}
