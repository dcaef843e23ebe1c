//! Keeping the search index in step with the desk: built once, then each
//! file folded again only when it changes, arrives, or goes.

use std::sync::Arc;

use super::{FoldedFile, SearchIndex, ToFold, fold_file, folded_names, par_map, to_fold};
use crate::query::SourceTree;
use crate::store::{ClaimsFile, Derived, Desk, FileHead};

/// Files folded before they are taken into the index (a loading desk's,
/// on the loader's threads as they are read).
#[derive(Debug, Default)]
pub struct Prefolded(Vec<(Arc<FileHead>, Arc<FoldedFile>)>);

impl Prefolded {
    /// `file` folded (or its folding read back from `keep`), for later.
    pub fn of(file: &ClaimsFile, keep: Option<Derived>) -> Prefolded {
        let folded = Arc::new(fold_file(file, keep.as_ref()));
        Prefolded(vec![(Arc::clone(&file.head), folded)])
    }

    pub fn extend(&mut self, more: Prefolded) {
        self.0.extend(more.0);
    }
}

impl SearchIndex {
    pub fn build(desk: &Desk, tree: &SourceTree) -> SearchIndex {
        SearchIndex::of_documents(to_fold(desk, 0..desk.files.len()), tree, true)
    }

    /// `build` on the calling thread alone (for measuring what folding costs).
    #[doc(hidden)]
    pub fn build_on_one_core(desk: &Desk, tree: &SourceTree) -> SearchIndex {
        SearchIndex::of_documents(to_fold(desk, 0..desk.files.len()), tree, false)
    }

    /// From the documents alone (the desk's files, in order), so it can be
    /// built on another thread; on all cores if `all_cores`.
    fn of_documents(files: Vec<ToFold>, tree: &SourceTree, all_cores: bool) -> SearchIndex {
        let mut index = SearchIndex {
            tree: tree.clone(),
            names: folded_names(tree),
            ..SearchIndex::default()
        };
        index.fold(files, all_cores);
        index
    }

    /// Fold `files` (or read back their folding where it was kept) and
    /// add them after the files already folded.
    fn fold(&mut self, files: Vec<ToFold>, all_cores: bool) {
        let fold = |(f, keep): &ToFold| Some(Arc::new(fold_file(f, keep.as_ref())));
        let folded = if all_cores {
            par_map(&files, 64, fold)
        } else {
            files.iter().filter_map(fold).collect()
        };
        let heads = files.iter().map(|(f, _)| Arc::clone(&f.head)).collect();
        self.append(heads, folded);
    }

    /// Files already folded, after the files folded before.
    fn append(&mut self, heads: Vec<Arc<FileHead>>, folded: Vec<Arc<FoldedFile>>) {
        let mut next = self.len();
        let added = self.files.len()..self.files.len() + folded.len();
        for f in folded {
            self.file_starts.push(next);
            next += f.ends.len();
            self.files.push(f);
        }
        self.heads.extend(heads);
        self.letters.update(&self.files, &self.file_starts, added);
    }

    /// `add_files`, with what was folded ahead of them.
    pub fn add_files_folded(&mut self, desk: &Desk, tree: &SourceTree, ahead: Prefolded) {
        let from = self.heads.len();
        let arrived: Vec<_> = desk.files.range(from..desk.files.len()).collect();
        let matches = ahead.0.len() == arrived.len()
            && (ahead.0.iter().zip(arrived)).all(|((h, _), f)| Arc::ptr_eq(h, &f.head));
        if !matches {
            return self.add_files(desk, tree);
        }
        self.set_tree(tree);
        let (heads, folded) = ahead.0.into_iter().unzip();
        self.append(heads, folded);
    }

    /// Take the source tree (names may have changed) without folding claims.
    fn set_tree(&mut self, tree: &SourceTree) {
        if self.tree != *tree {
            self.tree = tree.clone();
            self.names = folded_names(tree);
        }
    }

    /// Take in the files of `desk` that arrived after the ones folded
    /// (progressive loading): only they are folded.
    pub fn add_files(&mut self, desk: &Desk, tree: &SourceTree) {
        let from = self.heads.len();
        let prefix_same = desk.files.len() >= from
            && self
                .heads
                .iter()
                .zip(desk.files.iter())
                .all(|(old, f)| Arc::ptr_eq(old, &f.head));
        if !prefix_same {
            *self = SearchIndex::build(desk, tree);
            return;
        }
        self.set_tree(tree);
        self.fold(to_fold(desk, from..desk.files.len()), true);
    }

    /// Catch up with `desk` after a reload: fold again only the files that
    /// changed, or everything if files came or went.
    pub fn sync(&mut self, desk: &Desk, tree: &SourceTree) {
        if self.heads.len() != desk.files.len() {
            *self = SearchIndex::build(desk, tree);
            return;
        }
        self.set_tree(tree);
        let mut moved = false;
        let mut changed = Vec::new();
        for (fi, f) in desk.files.iter().enumerate() {
            if Arc::ptr_eq(&self.heads[fi], &f.head) {
                continue;
            }
            let folded = fold_file(f, None);
            moved |= folded.ends.len() != self.files[fi].ends.len();
            self.files[fi] = Arc::new(folded);
            self.heads[fi] = Arc::clone(&f.head);
            changed.push(fi);
        }
        if moved {
            let mut next = 0;
            for (start, f) in self.file_starts.iter_mut().zip(self.files.iter()) {
                *start = next;
                next += f.ends.len();
            }
        }
        self.letters.update(&self.files, &self.file_starts, changed);
    }

    /// File `fi` of `desk` was read again: fold it alone again (the files
    /// after it move along if its number of claims changed).
    pub fn file_changed(&mut self, desk: &Desk, tree: &SourceTree, fi: usize) {
        let (Some(f), Some(had)) = (desk.files.get(fi), self.files.get(fi).map(|o| o.ends.len()))
        else {
            return self.sync(desk, tree);
        };
        if self.heads.len() != desk.files.len() {
            return self.sync(desk, tree);
        }
        self.set_tree(tree);
        if Arc::ptr_eq(&self.heads[fi], &f.head) {
            return;
        }
        let folded = fold_file(f, None);
        let moved = folded.ends.len() != had;
        self.files[fi] = Arc::new(folded);
        self.heads[fi] = Arc::clone(&f.head);
        if moved {
            self.renumber(fi);
        } else {
            self.letters
                .file_changed(&self.files, &self.file_starts, fi);
        }
    }

    /// Take in file `at` of `desk`, new on disk (the files from `at` on
    /// are numbered one more): it alone is folded.
    pub fn insert_file(&mut self, desk: &Desk, tree: &SourceTree, at: usize) {
        if self.heads.len() + 1 != desk.files.len() || at > self.heads.len() {
            *self = SearchIndex::build(desk, tree);
            return;
        }
        self.set_tree(tree);
        let Some((file, keep)) = to_fold(desk, at..at + 1).pop() else {
            return;
        };
        (self.files).insert(at, Arc::new(fold_file(&file, keep.as_ref())));
        self.heads.insert(at, Arc::clone(&file.head));
        self.renumber(at);
    }

    /// Drop file `at` (gone from disk; the files after it are numbered one less).
    pub fn remove_file(&mut self, at: usize) {
        if at >= self.heads.len() {
            return;
        }
        self.files.remove(at);
        self.heads.remove(at);
        self.renumber(at);
    }

    /// The files from `from` on moved: where their claims start, and the
    /// blocks of letters that hold them.
    fn renumber(&mut self, from: usize) {
        self.file_starts.truncate(from);
        let mut next = self.file_starts.last().copied().unwrap_or(0)
            + from.checked_sub(1).map_or(0, |f| self.files[f].ends.len());
        for f in self.files.range(from..self.files.len()) {
            self.file_starts.push(next);
            next += f.ends.len();
        }
        self.letters
            .update(&self.files, &self.file_starts, from..self.files.len());
    }
}
