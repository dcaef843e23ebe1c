//! What changed between two views of the desk: the one vocabulary in
//! which a save, a change on disk, an arriving file and a removal reach
//! every list.

use std::ops::Range;

#[derive(Debug, Clone, PartialEq)]
pub enum Delta {
    /// File `file` was read again (saved here, or changed on disk): it
    /// held `before` claims; it holds the new view's now.
    FileChanged { file: usize, before: usize },
    /// Files `files` are new in the desk: arrived while it loads (at its
    /// end), or new on disk (at their place in name order); `problems`
    /// says which of their claim ids another file already holds.
    FilesAdded {
        files: Range<usize>,
        problems: Vec<String>,
    },
    /// File `file`, which held `before` claims, is gone from disk.
    FileRemoved { file: usize, before: usize },
    /// Something every list depends on changed (the desk's settings):
    /// lists are computed again.
    Reset,
    /// A file that changed could not be read; the desk keeps its last
    /// good copy. Nothing in the desk changed; every session says so.
    Unreadable(String),
    /// Documents nobody looked at for a while were let go (their heads
    /// stay): nothing a list shows changed.
    Cooled,
    /// A sync with other bureaus ran (what it brought arrives as file
    /// changes): only the header's word on it changed.
    Synced,
}

impl Delta {
    /// Where a claim of file `file` of the view before this delta is in
    /// the view after it: its file's new number, or `None` if its file is
    /// gone. (A changed file's claims are found again by id.)
    pub fn file_after(&self, file: usize) -> Option<usize> {
        match self {
            Delta::FilesAdded { files, .. } if file >= files.start => Some(file + files.len()),
            Delta::FileRemoved { file: gone, .. } if file == *gone => None,
            Delta::FileRemoved { file: gone, .. } if file > *gone => Some(file - 1),
            _ => Some(file),
        }
    }
}
