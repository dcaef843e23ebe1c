//! A vector kept in shared chunks: a copy costs a count per chunk, and a
//! change copies only the chunk it lands in. The hub makes a new view of
//! the desk at every change while sessions still hold the last ones; with
//! plain vectors each view copied every file and every claim's facets.

use std::ops::{Index, IndexMut, Range};
use std::sync::Arc;

/// Elements per chunk.
const CHUNK: usize = 1024;

#[derive(Debug, Clone)]
pub struct Chunked<T> {
    /// Full chunks, then the last (never empty, unless there is none).
    chunks: Vec<Arc<Vec<T>>>,
    len: usize,
}

impl<T> Default for Chunked<T> {
    fn default() -> Self {
        Chunked {
            chunks: Vec::new(),
            len: 0,
        }
    }
}

impl<T: Clone> Chunked<T> {
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    pub fn get(&self, i: usize) -> Option<&T> {
        self.chunks.get(i / CHUNK)?.get(i % CHUNK)
    }

    /// Element `i` to change: its chunk is copied first if a copy of the
    /// vector shares it.
    pub fn get_mut(&mut self, i: usize) -> Option<&mut T> {
        Arc::make_mut(self.chunks.get_mut(i / CHUNK)?).get_mut(i % CHUNK)
    }

    pub fn last(&self) -> Option<&T> {
        self.chunks.last()?.last()
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &T> + Clone {
        self.chunks.iter().flat_map(|c| c.iter())
    }

    /// The elements at `range` (clamped to the vector), in order.
    pub fn range(&self, range: Range<usize>) -> impl Iterator<Item = &T> + Clone {
        let end = range.end.min(self.len);
        let start = range.start.min(end);
        let chunks = self.chunks.get(start / CHUNK..end.div_ceil(CHUNK));
        let skip = start % CHUNK;
        chunks
            .unwrap_or_default()
            .iter()
            .flat_map(|c| c.iter())
            .skip(skip)
            .take(end - start)
    }

    pub fn push(&mut self, value: T) {
        let room = self.chunks.last().is_some_and(|last| last.len() < CHUNK);
        match self.chunks.last_mut() {
            Some(last) if room => Arc::make_mut(last).push(value),
            _ => {
                let mut chunk = Vec::with_capacity(CHUNK);
                chunk.push(value);
                self.chunks.push(Arc::new(chunk));
            }
        }
        self.len += 1;
    }

    /// Put `value` at `i`, the elements from `i` on one further (the
    /// chunks from `i`'s on are made again).
    pub fn insert(&mut self, i: usize, value: T) {
        let i = i.min(self.len);
        let mut tail = self.split_off(i);
        self.push(value);
        self.extend(tail.drain(..));
    }

    /// `items` in place of the elements at `range`: in place where as many
    /// come as go (copying only their chunks), else by making the chunks
    /// from `range`'s on again.
    pub fn splice(&mut self, range: Range<usize>, items: Vec<T>) {
        if items.len() == range.len() {
            for (i, item) in range.zip(items) {
                if let Some(slot) = self.get_mut(i) {
                    *slot = item;
                }
            }
            return;
        }
        let mut tail = self.split_off(range.start.min(self.len));
        tail.drain(..range.len().min(tail.len()));
        self.extend(items);
        self.extend(tail);
    }

    /// Take out the element at `i`, the elements after it one back.
    pub fn remove(&mut self, i: usize) -> Option<T> {
        if i >= self.len {
            return None;
        }
        let mut tail = self.split_off(i);
        let gone = tail.remove(0);
        self.extend(tail);
        Some(gone)
    }

    /// The elements from `at` on, taken out.
    fn split_off(&mut self, at: usize) -> Vec<T> {
        let first = at / CHUNK;
        let mut tail: Vec<T> = Vec::with_capacity(self.len - at);
        let taken: Vec<Arc<Vec<T>>> = self.chunks.drain(first..).collect();
        for (k, chunk) in taken.into_iter().enumerate() {
            let mut chunk = Arc::unwrap_or_clone(chunk);
            if k == 0 {
                tail.extend(chunk.drain(at % CHUNK..));
                if !chunk.is_empty() {
                    self.chunks.push(Arc::new(chunk));
                }
            } else {
                tail.extend(chunk);
            }
        }
        self.len = at;
        tail
    }

    /// `slice::binary_search_by`, over the chunks.
    pub fn binary_search_by(&self, f: impl Fn(&T) -> std::cmp::Ordering) -> Result<usize, usize> {
        use std::cmp::Ordering::Less;
        let at = self.partition_point(|x| f(x) == Less);
        match self.get(at) {
            Some(x) if f(x) == std::cmp::Ordering::Equal => Ok(at),
            _ => Err(at),
        }
    }

    /// The first index for which `before` is false (the elements for which
    /// it holds come first), as `slice::partition_point`.
    pub fn partition_point(&self, before: impl Fn(&T) -> bool) -> usize {
        let chunk = self
            .chunks
            .partition_point(|c| c.last().is_some_and(&before));
        match self.chunks.get(chunk) {
            Some(c) => chunk * CHUNK + c.partition_point(&before),
            None => self.len,
        }
    }
}

impl<T: Clone> Extend<T> for Chunked<T> {
    fn extend<I: IntoIterator<Item = T>>(&mut self, items: I) {
        for item in items {
            self.push(item);
        }
    }
}

impl<T: Clone> FromIterator<T> for Chunked<T> {
    fn from_iter<I: IntoIterator<Item = T>>(items: I) -> Self {
        let mut c = Chunked::default();
        c.extend(items);
        c
    }
}

impl<T: Clone> Index<usize> for Chunked<T> {
    type Output = T;
    fn index(&self, i: usize) -> &T {
        match self.get(i) {
            Some(t) => t,
            None => panic!("index {i} out of a chunked vector of {}", self.len),
        }
    }
}

impl<T: Clone> IndexMut<usize> for Chunked<T> {
    fn index_mut(&mut self, i: usize) -> &mut T {
        let len = self.len;
        match self.get_mut(i) {
            Some(t) => t,
            None => panic!("index {i} out of a chunked vector of {len}"),
        }
    }
}

impl<T: Clone + PartialEq> PartialEq for Chunked<T> {
    fn eq(&self, other: &Self) -> bool {
        self.len == other.len && self.iter().eq(other.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn behaves_as_a_vector_and_shares_what_a_change_does_not_touch() {
        let n = 3 * CHUNK + 7;
        let mut plain: Vec<usize> = (0..n).collect();
        let mut c: Chunked<usize> = (0..n).collect();
        assert_eq!(c.len(), n);
        let copy = c.clone();
        c[CHUNK + 5] = 99;
        plain[CHUNK + 5] = 99;
        assert_eq!(copy[CHUNK + 5], CHUNK + 5, "the copy keeps its own");
        assert!(Arc::ptr_eq(&c.chunks[0], &copy.chunks[0]), "chunk 0 shared");
        assert!(
            !Arc::ptr_eq(&c.chunks[1], &copy.chunks[1]),
            "chunk 1 copied"
        );
        for (at, v) in [(0, 1000), (CHUNK, 1001), (n, 1002), (2 * CHUNK + 3, 1003)] {
            c.insert(at, v);
            plain.insert(at, v);
        }
        assert_eq!(c.iter().copied().collect::<Vec<_>>(), plain);
        for at in [0, CHUNK - 1, 5] {
            assert_eq!(c.remove(at), Some(plain.remove(at)));
        }
        let last = plain.len() - 1;
        assert_eq!(c.remove(last), plain.pop());
        assert_eq!(c.remove(plain.len()), None);
        assert_eq!(c.iter().copied().collect::<Vec<_>>(), plain);
        assert_eq!(c.len(), plain.len());
        for r in [0..0, 3..CHUNK + 9, CHUNK..2 * CHUNK, 10..plain.len() + 5] {
            let want: Vec<usize> = plain[r.start.min(plain.len())..r.end.min(plain.len())].to_vec();
            assert_eq!(c.range(r).copied().collect::<Vec<_>>(), want);
        }
        let sorted: Chunked<usize> = (0..n).map(|i| i * 2).collect();
        for x in [0, 1, 2, 2 * CHUNK, 2 * CHUNK + 1, 2 * n + 4] {
            let want = (0..n)
                .map(|i| i * 2)
                .collect::<Vec<_>>()
                .partition_point(|&v| v < x);
            assert_eq!(sorted.partition_point(|&v| v < x), want, "{x}");
        }
    }
}
