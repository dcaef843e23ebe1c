//! The sources of the whole desk as one tree: who speaks for whom.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::model::{Source, SourceId};
use crate::store::Desk;
use crate::text::{fold, words};

/// The sources of the whole desk as one tree. Sources are defined per file;
/// the same id in two files is taken to be the same party (first definition wins).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SourceTree {
    pub sources: BTreeMap<SourceId, Source>,
    /// The file whose definition each source has (the first to define it).
    origin: HashMap<SourceId, usize>,
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
        let mut more_names = false;
        for (fi, f) in desk.files.iter().enumerate().skip(from) {
            for s in &f.head.sources {
                match self.sources.get_mut(&s.id) {
                    None => {
                        self.sources.insert(s.id.clone(), s.clone());
                        self.origin.insert(s.id.clone(), fi);
                    }
                    // A newsroom adds an alias where it meets the name:
                    // every file's aliases of a source are the source's.
                    Some(known) => {
                        for alias in &s.aliases {
                            if !known.aliases.contains(alias) {
                                known.aliases.push(alias.clone());
                                more_names = true;
                            }
                        }
                    }
                }
            }
        }
        self.sources.len() != before || more_names
    }

    /// Whether every source the files `files` of `desk` define is in the
    /// tree already (then taking them in changes nothing).
    pub fn knows_sources_of(&self, desk: &Desk, files: std::ops::Range<usize>) -> bool {
        let mut files = desk.files.range(files);
        files.all(|f| {
            f.head
                .sources
                .iter()
                .all(|s| self.sources.contains_key(&s.id))
        })
    }

    /// Whether file `fi` of `desk`, just read again, leaves the tree as it
    /// was: every source it defines is known, those it was first to define
    /// are the same and all still there, and it defines none first that a
    /// later file defined. (A save re-reads one file: this costs the tree's
    /// size, where building it anew costs every file's sources.)
    pub fn unchanged_by(&self, desk: &Desk, fi: usize) -> bool {
        let Some(file) = desk.files.get(fi) else {
            return false;
        };
        let same = file
            .head
            .sources
            .iter()
            .all(|s| match self.origin.get(&s.id) {
                None => false,
                Some(&o) if o == fi => self.sources.get(&s.id) == Some(s),
                // Aliases are gathered from every file: one defined again
                // with aliases may have dropped one (rare: build anew).
                Some(&o) => o < fi && s.aliases.is_empty(),
            });
        same && (self.origin.iter())
            .filter(|&(_, &o)| o == fi)
            .all(|(id, _)| file.head.sources.iter().any(|s| &s.id == id))
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
                std::iter::once(s.id.0.as_str())
                    .chain(s.all_names())
                    .any(|x| fold(x) == n)
            })
            .map(|s| s.id.clone())
            .collect();
        let found = if exact.is_empty() {
            self.sources
                .values()
                .filter(|s| {
                    std::iter::once(s.id.0.as_str())
                        .chain(s.all_names())
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

#[cfg(test)]
mod origin_tests {
    use super::*;

    /// Two synthetic files define the same source ids with other names:
    /// the first file's definitions are the tree's.
    fn two_files() -> (tempfile::TempDir, Desk) {
        let dir = tempfile::tempdir().expect("temp dir");
        crate::synth::write_desk(dir.path(), 2, 5, 8).expect("synthetic desk");
        let desk = Desk::load(dir.path()).expect("loads");
        (dir, desk)
    }

    #[test]
    fn only_a_change_to_what_the_tree_holds_rebuilds_it() {
        let (_dir, mut desk) = two_files();
        let tree = SourceTree::of(&desk);
        let shared = &desk.files[1].head.sources[0];
        assert_ne!(tree.get(&shared.id), Some(shared), "file 1 redefines an id");
        assert!(tree.unchanged_by(&desk, 0) && tree.unchanged_by(&desk, 1));
        let with = |desk: &mut Desk, fi: usize, doc: &crate::model::Document| {
            desk.files[fi] =
                crate::store::ClaimsFile::new(desk.files[fi].path.clone(), doc.clone(), None);
        };

        let mut second = desk.files[1].doc().expect("a document").clone();
        second.sources[0].name = "Renamed where it is not the definition".into();
        with(&mut desk, 1, &second);
        assert!(
            tree.unchanged_by(&desk, 1),
            "file 0's definition still stands"
        );

        second.sources.push(Source {
            id: SourceId("brand-new".into()),
            ..second.sources[0].clone()
        });
        with(&mut desk, 1, &second);
        assert!(!tree.unchanged_by(&desk, 1), "a new source");

        let mut first = desk.files[0].doc().expect("a document").clone();
        first.sources[0].name = "Renamed at its definition".into();
        with(&mut desk, 0, &first);
        assert!(!tree.unchanged_by(&desk, 0), "the definition changed");

        first.sources.remove(0);
        with(&mut desk, 0, &first);
        assert!(!tree.unchanged_by(&desk, 0), "the definition went");
    }
}
