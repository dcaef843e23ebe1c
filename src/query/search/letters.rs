//! Which claims of the desk have each letter, in rows that run across
//! files: a lone letter typed copies one row a block of files. Read from
//! each file's own rows, it cost three cache misses a file, and at a
//! million claims (10,000 files) the first letter typed was the slowest key.

use std::ops::Range;
use std::sync::Arc;

use super::FoldedFile;
use super::hits::or_at;
use crate::query::words::OTHER;
use crate::store::Chunked;

/// How many files a block's rows cover. A block is built again when one
/// of its files changes, and shared by a server's sessions until then.
const BLOCK_FILES: usize = 256;

#[derive(Debug, Clone, Default)]
pub(super) struct Letters {
    /// Block `b` covers files `b * BLOCK_FILES..`.
    blocks: Vec<Arc<Block>>,
}

#[derive(Debug, Default, Clone)]
struct Block {
    /// How many claims the block's files have.
    claims: usize,
    /// A row of a bit a claim for each letter's bit (see `letter_bit`),
    /// the block's first claim at bit 0; rows one after another.
    rows: Vec<u64>,
    /// The block's files without a word index (too large): they have no
    /// bits here and are read instead.
    unindexed: Vec<usize>,
}

impl Letters {
    /// Build again the blocks holding `changed` files (of `files`, whose
    /// first claims are at `starts`: files added at the end are changed).
    pub(super) fn update(
        &mut self,
        files: &Chunked<Arc<FoldedFile>>,
        starts: &[usize],
        changed: impl IntoIterator<Item = usize>,
    ) {
        let blocks = files.len().div_ceil(BLOCK_FILES);
        let built = self.blocks.len().min(blocks);
        self.blocks.truncate(blocks);
        let mut stale: Vec<usize> = (built..blocks).collect();
        stale.extend(changed.into_iter().map(|fi| fi / BLOCK_FILES));
        stale.retain(|&b| b < blocks);
        stale.sort_unstable();
        stale.dedup();
        for b in stale {
            let range = b * BLOCK_FILES..((b + 1) * BLOCK_FILES).min(files.len());
            let block = Arc::new(Block::of(files, starts, range));
            match self.blocks.get_mut(b) {
                Some(slot) => *slot = block,
                None => self.blocks.push(block),
            }
        }
    }

    /// File `fi` (of `files`, whose first claims are at `starts`) was
    /// folded again with as many claims as before: its bits in its block's
    /// rows are written again, in a copy of the block (views share the rest).
    pub(super) fn file_changed(
        &mut self,
        files: &Chunked<Arc<FoldedFile>>,
        starts: &[usize],
        fi: usize,
    ) {
        let b = fi / BLOCK_FILES;
        let (Some(block), Some(f), Some(&start)) =
            (self.blocks.get(b), files.get(fi), starts.get(fi))
        else {
            return self.update(files, starts, [fi]);
        };
        let first = starts.get(b * BLOCK_FILES).copied().unwrap_or(0);
        let Some(words) = &f.words else {
            return self.update(files, starts, [fi]);
        };
        if block.unindexed.contains(&fi) {
            return self.update(files, starts, [fi]);
        }
        let mut patched = Block::clone(block);
        let row = patched.claims.div_ceil(64);
        let at = start - first;
        for (bit, mine) in patched.rows.chunks_mut(row.max(1)).enumerate() {
            clear_bits(mine, at, f.ends.len());
            or_at(mine, at, words.letter_row(bit as u32), f.ends.len());
        }
        self.blocks[b] = Arc::new(patched);
    }

    /// The desk's claims (a bit each, `out` long enough for all) that
    /// have the letter of `bit` (not `OTHER`), and the files without a
    /// word index, whose claims the caller must read.
    pub(super) fn row_into(&self, bit: u32, starts: &[usize], out: &mut [u64]) -> Vec<usize> {
        let mut unindexed = Vec::new();
        for (b, block) in self.blocks.iter().enumerate() {
            let at = starts.get(b * BLOCK_FILES).copied().unwrap_or(0);
            or_at(out, at, block.row(bit), block.claims);
            unindexed.extend(&block.unindexed);
        }
        unindexed
    }
}

/// Clear `n` bits of `row` from bit `at` on.
fn clear_bits(row: &mut [u64], at: usize, n: usize) {
    for bit in at..at + n {
        if let Some(w) = row.get_mut(bit / 64) {
            *w &= !(1 << (bit % 64));
        }
    }
}

impl Block {
    fn of(files: &Chunked<Arc<FoldedFile>>, starts: &[usize], range: Range<usize>) -> Block {
        let first = starts.get(range.start).copied().unwrap_or(0);
        let in_block = |fi: usize| files.get(fi).map_or(0, |f| f.ends.len());
        let claims = range.clone().map(in_block).sum::<usize>();
        let row = claims.div_ceil(64);
        let mut rows = vec![0; (OTHER as usize + 1) * row];
        let mut unindexed = Vec::new();
        for fi in range {
            let (Some(f), Some(&start)) = (files.get(fi), starts.get(fi)) else {
                continue;
            };
            let Some(words) = &f.words else {
                unindexed.push(fi);
                continue;
            };
            for (bit, mine) in rows.chunks_mut(row.max(1)).enumerate() {
                or_at(
                    mine,
                    start - first,
                    words.letter_row(bit as u32),
                    f.ends.len(),
                );
            }
        }
        Block {
            claims,
            rows,
            unindexed,
        }
    }

    fn row(&self, bit: u32) -> &[u64] {
        let row = self.claims.div_ceil(64);
        let at = (bit as usize).min(OTHER as usize) * row;
        self.rows.get(at..at + row).unwrap_or_default()
    }
}
