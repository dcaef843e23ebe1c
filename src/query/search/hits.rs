//! A search's hits as a bit a claim in desk order: a million claims are
//! 125 KB, however many hit. As a list of places, a common letter's hits
//! were 4 MB of fresh memory a keystroke, and the page faults of filling
//! it cost more than finding them.

use std::ops::Range;

use crate::query::words::claim_bits;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct Hits {
    /// Bit `p % 64` of word `p / 64` is set where the claim at place `p`
    /// (desk order) is a hit.
    bits: Vec<u64>,
    /// How many bits are set.
    count: usize,
    /// For a phrase scanned for: where in each hit's folded text (in hit
    /// order) the first match starts, so a phrase typed on looks from
    /// there. Empty where every hit is looked at from its start (words and
    /// letters looked up, not scanned for).
    from: Vec<u32>,
}

impl Hits {
    /// Every one of `claims` claims.
    pub(super) fn every(claims: usize) -> Hits {
        let mut bits = vec![u64::MAX; claims / 64];
        if !claims.is_multiple_of(64) {
            bits.push(u64::MAX >> (64 - claims % 64));
        }
        Hits {
            bits,
            count: claims,
            from: Vec::new(),
        }
    }

    /// The hits marked in `bits` (a bit a claim).
    pub(super) fn of_bits(bits: Vec<u64>) -> Hits {
        Hits {
            count: ones(&bits),
            bits,
            from: Vec::new(),
        }
    }

    /// The hits of a desk of `claims` claims that `parts` found (in desk
    /// order, as they were cut).
    pub(super) fn of_parts(claims: usize, parts: Vec<Part>) -> Hits {
        let mut bits = vec![0; claims.div_ceil(64)];
        let mut from = Vec::new();
        for part in parts {
            let mine = bits.get_mut(part.first_word..).unwrap_or_default();
            mine.iter_mut().zip(&part.bits).for_each(|(w, p)| *w |= p);
            from.extend(part.from);
        }
        Hits {
            from,
            ..Hits::of_bits(bits)
        }
    }

    pub fn len(&self) -> usize {
        self.count
    }

    pub fn is_empty(&self) -> bool {
        self.count == 0
    }

    /// What keeping it costs, in bytes.
    pub fn bytes(&self) -> usize {
        self.bits.len() * size_of::<u64>() + self.from.len() * size_of::<u32>()
    }

    /// How many words of bits there are.
    pub(super) fn words(&self) -> usize {
        self.bits.len()
    }

    /// How many hits come before word `word`.
    pub(super) fn rank(&self, word: usize) -> usize {
        ones(self.bits.get(..word).unwrap_or(&self.bits))
    }

    /// How many hits are in `words`.
    pub(super) fn count_in(&self, words: Range<usize>) -> usize {
        ones(self.bits.get(words).unwrap_or_default())
    }

    /// The places of the hits in `words`, rising.
    pub(super) fn places_in(&self, words: Range<usize>) -> impl Iterator<Item = usize> + '_ {
        let first = words.start;
        let mine = self.bits.get(words).unwrap_or_default();
        mine.iter().enumerate().flat_map(move |(i, &w)| {
            let base = (first + i) * 64;
            SetBits(w).map(move |b| base + b)
        })
    }

    /// The hits in `words` with where to look from, the first of them
    /// being hit number `rank` (see `rank`).
    pub(super) fn pairs_in(
        &self,
        words: Range<usize>,
        rank: usize,
    ) -> impl Iterator<Item = (usize, u32)> + '_ {
        let from = self.from.get(rank..).unwrap_or_default().iter().copied();
        let from = from.chain(std::iter::repeat(0));
        self.places_in(words).zip(from)
    }
}

/// How many bits of `words` are set.
fn ones(words: &[u64]) -> usize {
    words.iter().map(|w| w.count_ones() as usize).sum()
}

/// The set bits of a word, lowest first.
struct SetBits(u64);

impl Iterator for SetBits {
    type Item = usize;

    fn next(&mut self) -> Option<usize> {
        if self.0 == 0 {
            return None;
        }
        let bit = self.0.trailing_zeros() as usize;
        self.0 &= self.0 - 1;
        Some(bit)
    }
}

/// The hits one thread found among a run of places: its words of the
/// desk's bits (a word at either end may be shared with the next thread's
/// part, so parts are OR-ed together, not copied).
pub(super) struct Part {
    first_word: usize,
    bits: Vec<u64>,
    from: Vec<u32>,
}

impl Part {
    /// For hits among `places`.
    pub(super) fn new(places: Range<usize>) -> Part {
        let first_word = places.start / 64;
        Part {
            first_word,
            bits: vec![0; places.end.div_ceil(64).saturating_sub(first_word)],
            from: Vec::new(),
        }
    }

    /// The hit at `place`, its match found at `from` of its text. A part
    /// pushes all its hits with a `from`, or none does.
    pub(super) fn push(&mut self, place: usize, from: u32) {
        if let Some(w) = self.bits.get_mut(place / 64 - self.first_word) {
            *w |= 1 << (place % 64);
            self.from.push(from);
        }
    }

    /// A file's claims marked in `marks` (a bit a claim of the file; see
    /// `FoldedFile::look_up`), the file's first claim at place `first` and
    /// its `claims` claims.
    pub(super) fn add_marked(&mut self, first: usize, claims: usize, marks: &[u64]) {
        or_at(&mut self.bits, first - self.first_word * 64, marks, claims);
    }
}

/// Set in `bits` (a bit a claim) the first `claims` bits of `src`, from
/// bit `at` on: no bit past them, which would be the next file's claims.
pub(super) fn or_at(bits: &mut [u64], at: usize, src: &[u64], claims: usize) {
    let shift = at % 64;
    for (i, &m) in src.iter().enumerate() {
        let m = m & claim_bits(claims, i);
        if m == 0 {
            continue;
        }
        let word = at / 64 + i;
        if let Some(w) = bits.get_mut(word) {
            *w |= m << shift;
        }
        if shift != 0
            && let Some(w) = bits.get_mut(word + 1)
        {
            *w |= m >> (64 - shift);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn places(h: &Hits) -> Vec<usize> {
        h.places_in(0..h.words()).collect()
    }

    #[test]
    fn every_sets_each_claim_and_no_more() {
        for n in [0, 1, 63, 64, 65, 130] {
            let h = Hits::every(n);
            assert_eq!(places(&h), (0..n).collect::<Vec<_>>(), "{n} claims");
            assert_eq!(h.len(), n);
        }
    }

    #[test]
    fn files_marked_at_any_offset_land_at_their_places() {
        // Three files of 70, 3 and 100 claims, cut into two parts between
        // the second and the third: the shared word is OR-ed, not overwritten.
        // Every bit set, past the file's claims too: those must not spill
        // into the next file.
        let all = |claims: usize| vec![u64::MAX; claims.div_ceil(64)];
        let mut a = Part::new(0..73);
        a.add_marked(0, 70, &all(70));
        a.add_marked(70, 3, &[0b10]);
        let mut b = Part::new(73..173);
        // Claims 0 and 99 of the third file: places 73 and 172.
        b.add_marked(73, 100, &[1, 1 << 35]);
        let h = Hits::of_parts(173, vec![a, b]);
        let mut want: Vec<usize> = (0..70).collect();
        want.extend([71, 73, 172]);
        assert_eq!(places(&h), want);
        assert_eq!(h.len(), want.len());
        assert_eq!(h.count_in(1..3), want.iter().filter(|&&p| p >= 64).count());
        assert_eq!(h.rank(1), 64);
    }

    #[test]
    fn pairs_follow_their_rank() {
        let mut a = Part::new(0..100);
        a.push(3, 7);
        a.push(70, 9);
        let mut b = Part::new(100..200);
        b.push(150, 11);
        let h = Hits::of_parts(200, vec![a, b]);
        let second: Vec<_> = h.pairs_in(1..h.words(), h.rank(1)).collect();
        assert_eq!(second, vec![(70, 9), (150, 11)]);
        let looked_up = Hits::every(3);
        let all: Vec<_> = looked_up.pairs_in(0..1, 0).collect();
        assert_eq!(all, vec![(0, 0), (1, 0), (2, 0)]);
    }
}
