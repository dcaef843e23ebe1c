//! The desk's claims by id. The table holds only each claim's place; the
//! id is read from the claim itself. At a million claims a map owning a
//! copy of every id cost about 110 MB and a string copy per claim loaded;
//! this costs 9 bytes a slot.

use std::hash::BuildHasher;

use hashbrown::{DefaultHashBuilder, HashTable};

use super::FileHead;
use super::{Chunked, ClaimRef, ClaimsFile};
use crate::model::ClaimId;

#[derive(Debug, Clone, Default)]
pub struct ClaimIndex {
    /// Places as (file, claim): half the size of a `ClaimRef`.
    table: HashTable<(u32, u32)>,
    hasher: DefaultHashBuilder,
}

fn id_at(files: &Chunked<ClaimsFile>, (file, claim): (u32, u32)) -> Option<&ClaimId> {
    let f = files.get(file as usize)?;
    Some(&f.head.claims.get(claim as usize)?.id)
}

fn place(r: ClaimRef) -> (u32, u32) {
    (r.file() as u32, r.claim() as u32)
}

fn claim_ref((file, claim): (u32, u32)) -> ClaimRef {
    ClaimRef::new(file as usize, claim as usize)
}

impl ClaimIndex {
    pub fn len(&self) -> usize {
        self.table.len()
    }

    pub fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    pub fn reserve(&mut self, files: &Chunked<ClaimsFile>, more: usize) {
        let hasher = &self.hasher;
        self.table.reserve(more, |&p| {
            id_at(files, p).map_or(0, |id| hasher.hash_one(id))
        });
    }

    pub fn get(&self, files: &Chunked<ClaimsFile>, id: &ClaimId) -> Option<ClaimRef> {
        let hash = self.hasher.hash_one(id);
        let found = self.table.find(hash, |&p| id_at(files, p) == Some(id))?;
        Some(claim_ref(*found))
    }

    /// Index the claim at `at` (already in `files`) under its id, unless
    /// the id is taken: then the place that holds it.
    pub fn insert(&mut self, files: &Chunked<ClaimsFile>, at: ClaimRef) -> Result<(), ClaimRef> {
        let Some(id) = id_at(files, place(at)) else {
            return Ok(());
        };
        let hasher = &self.hasher;
        let hash = hasher.hash_one(id);
        if let Some(taken) = self.table.find(hash, |&p| id_at(files, p) == Some(id)) {
            return Err(claim_ref(*taken));
        }
        let rehash = |&p: &(u32, u32)| id_at(files, p).map_or(0, |id| hasher.hash_one(id));
        self.table.insert_unique(hash, place(at), rehash);
        Ok(())
    }

    /// Forget the claims file `file` had as `old` (it was read again).
    pub fn remove_file(&mut self, file: usize, old: &FileHead) {
        for (ci, c) in old.claims.iter().enumerate() {
            let hash = self.hasher.hash_one(&c.id);
            let entry = self
                .table
                .find_entry(hash, |&p| p == (file as u32, ci as u32));
            if let Ok(entry) = entry {
                entry.remove();
            }
        }
    }

    /// Every indexed place, in no order.
    pub fn places(&self) -> impl Iterator<Item = ClaimRef> + '_ {
        self.table.iter().copied().map(claim_ref)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn file(doc: crate::model::Document) -> ClaimsFile {
        ClaimsFile::new(std::path::Path::new("x.yaml").into(), doc, None)
    }

    fn at(file: usize, claim: usize) -> ClaimRef {
        ClaimRef::new(file, claim)
    }

    #[test]
    fn an_id_is_found_at_its_place_and_a_file_read_again_is_indexed_anew() {
        let mut files: Chunked<ClaimsFile> = [
            file(crate::synth::document(0, 4, 1)),
            file(crate::synth::document(1, 4, 1)),
        ]
        .into_iter()
        .collect();
        let mut index = ClaimIndex::default();
        for r in [at(0, 0), at(0, 1), at(0, 2), at(0, 3), at(1, 0), at(1, 1)] {
            assert_eq!(index.insert(&files, r), Ok(()));
        }
        let id =
            |f: &Chunked<ClaimsFile>, r: ClaimRef| f[r.file()].head.claims[r.claim()].id.clone();
        assert_eq!(index.get(&files, &id(&files, at(1, 1))), Some(at(1, 1)));
        assert_eq!(
            index.get(&files, &id(&files, at(1, 2))),
            None,
            "not indexed"
        );
        // An id taken stays with the place that took it.
        let mut twin = crate::synth::document(2, 1, 1);
        twin.claims[0].id = id(&files, at(0, 2));
        files.push(file(twin));
        assert_eq!(index.insert(&files, at(2, 0)), Err(at(0, 2)));

        // File 0 read again: its first claim gone, the others one place up.
        let old = Arc::clone(&files[0].head);
        let mut new = files[0].doc().expect("a document").clone();
        let gone = new.claims.remove(0).id;
        files[0] = file(new);
        index.remove_file(0, &old);
        for claim in 0..3 {
            assert_eq!(index.insert(&files, at(0, claim)), Ok(()));
        }
        assert_eq!(index.get(&files, &gone), None);
        assert_eq!(index.get(&files, &old.claims[3].id), Some(at(0, 2)));
        assert_eq!(index.len(), 5);
        assert_eq!(index.places().count(), 5);
    }
}
