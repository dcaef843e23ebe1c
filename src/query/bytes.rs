//! Arrays of numbers as little-endian bytes, for the parts of the search
//! index kept beside the parse cache: each array is its length, then its
//! items. Read back at memory speed; anything short reads as nothing.

/// Append `items`, each as `N` bytes.
pub fn put<T, const N: usize>(out: &mut Vec<u8>, items: &[T], bytes: fn(&T) -> [u8; N]) {
    out.extend_from_slice(&(items.len() as u64).to_le_bytes());
    out.reserve(items.len() * N);
    for item in items {
        out.extend_from_slice(&bytes(item));
    }
}

/// Append `raw` bytes as they are (its length, then them).
pub fn put_raw(out: &mut Vec<u8>, raw: &[u8]) {
    out.extend_from_slice(&(raw.len() as u64).to_le_bytes());
    out.extend_from_slice(raw);
}

/// Reads what `put` and `put_raw` wrote, in order.
pub struct Reader<'a> {
    bytes: &'a [u8],
}

impl<'a> Reader<'a> {
    pub fn new(bytes: &'a [u8]) -> Reader<'a> {
        Reader { bytes }
    }

    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        Some(head)
    }

    /// The next bytes `put_raw` wrote.
    pub fn raw(&mut self) -> Option<&'a [u8]> {
        let len = self.take(8)?.try_into().ok().map(u64::from_le_bytes)?;
        self.take(usize::try_from(len).ok()?)
    }

    /// The next array, each item from `N` bytes.
    pub fn array<T, const N: usize>(&mut self, item: fn([u8; N]) -> T) -> Option<Vec<T>> {
        let len = self.take(8)?.try_into().ok().map(u64::from_le_bytes)?;
        let len = usize::try_from(len).ok()?;
        let bytes = self.take(len.checked_mul(N)?)?;
        // Exactly as long as it is: what is read back is kept for the session.
        let mut items = Vec::with_capacity(len);
        items.extend(
            bytes
                .chunks_exact(N)
                .filter_map(|c| c.try_into().ok().map(item)),
        );
        Some(items)
    }

    /// Whether every byte was read.
    pub fn is_done(&self) -> bool {
        self.bytes.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrays_come_back_in_order_and_a_short_read_is_nothing() {
        let mut out = Vec::new();
        put(&mut out, &[1u32, 70_000], |n| n.to_le_bytes());
        put_raw(&mut out, "نص".as_bytes());
        put(&mut out, &[7u16], |n| n.to_le_bytes());
        let mut r = Reader::new(&out);
        assert_eq!(r.array(u32::from_le_bytes), Some(vec![1, 70_000]));
        assert_eq!(r.raw(), Some("نص".as_bytes()));
        assert_eq!(r.array(u16::from_le_bytes), Some(vec![7]));
        assert!(r.is_done());
        let mut short = Reader::new(&out[..out.len() - 1]);
        assert!(short.array(u32::from_le_bytes).is_some() && short.raw().is_some());
        assert_eq!(short.array(u16::from_le_bytes), None);
    }
}
