//! The sources of the whole desk as one tree: who speaks for whom.

use std::collections::{BTreeMap, HashSet};

use crate::model::{Source, SourceId};
use crate::store::Desk;
use crate::text::{fold, words};

/// The sources of the whole desk as one tree. Sources are defined per file;
/// the same id in two files is taken to be the same party (first definition wins).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceTree {
    pub sources: BTreeMap<SourceId, Source>,
}

impl SourceTree {
    pub fn of(desk: &Desk) -> SourceTree {
        let mut tree = SourceTree::default();
        tree.add_files(desk, 0);
        tree
    }

    /// Take in the sources of files `from..` of `desk` (files that just
    /// arrived); whether any source was new.
    pub fn add_files(&mut self, desk: &Desk, from: usize) -> bool {
        let before = self.sources.len();
        for f in desk.files.iter().skip(from) {
            for s in &f.doc.sources {
                self.sources
                    .entry(s.id.clone())
                    .or_insert_with(|| s.clone());
            }
        }
        self.sources.len() != before
    }

    pub fn get(&self, id: &SourceId) -> Option<&Source> {
        self.sources.get(id)
    }

    pub fn name<'a>(&'a self, id: &'a SourceId) -> &'a str {
        self.get(id).map_or(id.0.as_str(), |s| s.name.as_str())
    }

    pub fn children(&self, id: &SourceId) -> impl Iterator<Item = &Source> {
        let id = id.clone();
        self.sources
            .values()
            .filter(move |s| s.parent.as_ref() == Some(&id))
    }

    /// `ids` and every source below them.
    pub fn with_descendants(&self, ids: impl IntoIterator<Item = SourceId>) -> HashSet<SourceId> {
        let mut out: HashSet<SourceId> = HashSet::new();
        let mut todo: Vec<SourceId> = ids.into_iter().collect();
        while let Some(id) = todo.pop() {
            if out.insert(id.clone()) {
                todo.extend(self.children(&id).map(|c| c.id.clone()));
            }
        }
        out
    }

    /// Sources a user meant by `needle`: an exact id or name (any case,
    /// Arabic-folded), else those whose id or names hold its words as whole
    /// words in a row (`iran` is not in "Tirana"); always with their children.
    pub fn matching(&self, needle: &str) -> HashSet<SourceId> {
        let n = fold(needle.trim());
        let wanted: Vec<&str> = words(&n).collect();
        let exact: Vec<SourceId> = self
            .sources
            .values()
            .filter(|s| {
                [&s.id.0, &s.name, &s.name_original]
                    .iter()
                    .any(|x| fold(x) == n)
            })
            .map(|s| s.id.clone())
            .collect();
        let found = if exact.is_empty() {
            self.sources
                .values()
                .filter(|s| {
                    [&s.id.0, &s.name, &s.name_original]
                        .iter()
                        .any(|x| holds_words(&fold(x), &wanted))
                })
                .map(|s| s.id.clone())
                .collect()
        } else {
            exact
        };
        self.with_descendants(found)
    }

    /// Roots first, each followed by its children, with their depth: the picker's order.
    pub fn depth_first(&self) -> Vec<(usize, &Source)> {
        let mut out = Vec::with_capacity(self.sources.len());
        let mut seen = HashSet::new();
        let roots = self.sources.values().filter(|s| {
            s.parent
                .as_ref()
                .is_none_or(|p| !self.sources.contains_key(p))
        });
        for root in roots {
            self.walk(root, 0, &mut out, &mut seen);
        }
        out
    }

    fn walk<'a>(
        &'a self,
        s: &'a Source,
        depth: usize,
        out: &mut Vec<(usize, &'a Source)>,
        seen: &mut HashSet<&'a SourceId>,
    ) {
        if !seen.insert(&s.id) {
            return;
        }
        out.push((depth, s));
        for c in self.children(&s.id) {
            self.walk(c, depth + 1, out, seen);
        }
    }
}

/// Whether `hay`'s words hold `wanted` as consecutive whole words.
fn holds_words(hay: &str, wanted: &[&str]) -> bool {
    if wanted.is_empty() {
        return false;
    }
    let have: Vec<&str> = words(hay).collect();
    have.windows(wanted.len()).any(|w| w == wanted)
}
