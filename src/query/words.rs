//! One file's words, for searches typed at word starts: the claims holding
//! a word that starts so come from a binary search among the file's
//! distinct words, not from a scan of its text; and which claims have
//! each letter, for a lone letter typed. At a million claims a scan reads
//! 240 MB a keystroke; this reads a few bytes a file.

use std::ops::Range;

use hashbrown::HashMap;

use super::bytes;

#[derive(Debug, Default, PartialEq)]
pub struct Words {
    /// The file's distinct words, sorted by their bytes: where in the
    /// folded text each first occurs.
    spans: Vec<(u32, u32)>,
    /// Each sorted word's first 8 bytes as a number (`head`): a prefix's
    /// run of words is found among these, without reading the text at
    /// every step of the search (at a million claims, the binary searches
    /// of 10,000 files were most of a keystroke).
    heads: Vec<u64>,
    /// Where each word's claims start in `claims` (one more than words).
    starts: Vec<u32>,
    /// The claims (numbered within the file) holding each word, word after
    /// word: each word's in order, or, for a word in many claims, as bits
    /// (see `bits_len`): a bit a claim, 16 to a number, lowest first.
    claims: Vec<u16>,
    /// How many claims the file has.
    count: usize,
    /// Which claims have each letter: a row of a bit a claim for each
    /// letter's bit (see `letter_bit`), rows one after another. A letter
    /// typed reads its row, a few bytes a file, not every claim's letters.
    letters: Vec<u64>,
}

/// The bit for a letter or digit of folded text: one of its own for Latin
/// letters, digits and Arabic letters; `OTHER` for the rest, whose claims
/// must then be read.
pub fn letter_bit(c: char) -> u32 {
    match c {
        'a'..='z' => c as u32 - 'a' as u32,
        '0'..='9' => 26 + c as u32 - '0' as u32,
        '\u{0621}'..='\u{064a}' => 36 + c as u32 - 0x0621,
        _ => OTHER,
    }
}

pub const OTHER: u32 = 78;

/// Rows of `Words::letters`: a bit of each letter, and `OTHER`.
const LETTER_ROWS: usize = OTHER as usize + 1;

impl Words {
    /// The words of a folded text whose claims end at `ends`; None for a
    /// file too large to number its claims or places in this index (it is
    /// scanned instead).
    pub fn of(text: &[u8], ends: &[usize]) -> Option<Words> {
        if ends.len() > usize::from(u16::MAX) || u32::try_from(text.len()).is_err() {
            return None;
        }
        let bytes = text;
        // About a distinct word in every 24 bytes of a newsroom's text:
        // room for them from the start, not grown (and rehashed) by doubling.
        let mut ids: HashMap<&[u8], u32> = HashMap::with_capacity(text.len() / 24 + 16);
        let mut spans = Vec::with_capacity(text.len() / 24 + 16);
        let mut word_heads: Vec<u64> = Vec::with_capacity(text.len() / 24 + 16);
        // Each distinct word's letters: a claim's are its words', so the
        // text is not read letter by letter.
        let mut word_letters: Vec<u128> = Vec::new();
        let mut pairs: Vec<(u32, u16)> = Vec::with_capacity(text.len() / 6);
        let mut letters = Vec::with_capacity(ends.len());
        let mut start = 0;
        for (claim, &end) in ends.iter().enumerate() {
            let mut mine = 0u128;
            let mut at = start;
            // Every space ends a word, and so does the claim's end.
            let part = bytes.get(start..end)?;
            let last = (part.last() != Some(&b' ')).then_some(end);
            let cuts = memchr::memchr_iter(b' ', part).map(|s| start + s);
            for space in cuts.chain(last) {
                let word = &bytes[at..space];
                if !word.is_empty() {
                    let next = spans.len() as u32;
                    let id = *ids.entry(word).or_insert_with(|| {
                        spans.push((at as u32, space as u32));
                        word_heads.push(head(word));
                        word_letters.push(letters_of(word));
                        next
                    });
                    mine |= word_letters[id as usize];
                    pairs.push((id, claim as u16));
                }
                at = space + 1;
            }
            letters.push(mine);
            start = end;
        }
        // Number the words in byte order, so a prefix is one run of them:
        // by their first eight bytes as a number (what order heads keep),
        // and by the rest only where those are the same.
        let word = |&(s, e): &(u32, u32)| &bytes[s as usize..e as usize];
        let mut order: Vec<u32> = (0..spans.len() as u32).collect();
        order.sort_unstable_by(|&a, &b| {
            let (a, b) = (a as usize, b as usize);
            (word_heads[a].cmp(&word_heads[b])).then_with(|| word(&spans[a]).cmp(word(&spans[b])))
        });
        let mut rank = vec![0u32; spans.len()];
        for (r, &id) in order.iter().enumerate() {
            rank[id as usize] = r as u32;
        }
        // Each word's claims by counting, not sorting: occurrences come in
        // claim order, so a word's claims do too, and a repeat within a
        // claim is the claim last seen for that word.
        let mut last = vec![u16::MAX; spans.len()];
        let mut starts = vec![0u32; spans.len() + 1];
        for &(id, claim) in &pairs {
            if std::mem::replace(&mut last[id as usize], claim) != claim {
                starts[rank[id as usize] as usize + 1] += 1;
            }
        }
        // A word in as many claims as its bits would take is kept as bits.
        let as_bits = bits_len(ends.len());
        let dense: Vec<bool> = starts[1..].iter().map(|&n| n >= as_bits).collect();
        for (n, &d) in starts[1..].iter_mut().zip(&dense) {
            *n = if d { as_bits } else { *n };
        }
        for i in 1..starts.len() {
            starts[i] += starts[i - 1];
        }
        let mut next: Vec<u32> = starts[..spans.len()].to_vec();
        let mut claims = vec![0u16; starts[spans.len()] as usize];
        last.fill(u16::MAX);
        for &(id, claim) in &pairs {
            if std::mem::replace(&mut last[id as usize], claim) != claim {
                let word = rank[id as usize] as usize;
                if dense[word] {
                    let at = starts[word] as usize + usize::from(claim / 16);
                    claims[at] |= 1 << (claim % 16);
                } else {
                    claims[next[word] as usize] = claim;
                    next[word] += 1;
                }
            }
        }
        let heads = order.iter().map(|&id| word_heads[id as usize]).collect();
        let spans: Vec<_> = order.iter().map(|&id| spans[id as usize]).collect();
        let count = letters.len();
        let letters = letter_rows(&letters);
        Some(Words {
            spans,
            heads,
            starts,
            claims,
            count,
            letters,
        })
    }

    /// The run of sorted words that start with `prefix` in each of `files`
    /// (a file's words and its folded text). The files' binary searches go
    /// in step: each step's reads of every file are made together, so their
    /// cache misses overlap (one search alone waits on a miss at each step,
    /// and at a million claims a keystroke searches 10,000 files).
    pub fn runs_of(files: &[(&Words, &[u8])], prefix: &[u8]) -> Vec<Range<usize>> {
        // Heads order as words do, so the words whose first bytes are the
        // prefix's (up to 8) are one run of heads.
        let known = prefix.len().min(8);
        let low = head(prefix);
        let high = low | u64::MAX.checked_shr(8 * known as u32).unwrap_or(0);
        let heads: Vec<&[u64]> = files.iter().map(|(w, _)| w.heads.as_slice()).collect();
        let from = partition_points(&heads, |h| h < low);
        let runs = heads.iter().zip(from).map(|(h, f)| f..run_end(h, f, high));
        if prefix.len() <= 8 && !prefix.contains(&0) {
            return runs.collect();
        }
        // The rest of a longer prefix (or of one with a zero byte, which a
        // head's padding could stand for) is read in the words themselves.
        let rest = |((words, text), run): (&(&Words, &[u8]), Range<usize>)| {
            let word = |&(s, e): &(u32, u32)| text.get(s as usize..e as usize).unwrap_or_default();
            let spans = words.spans.get(run.clone()).unwrap_or_default();
            let start = spans.partition_point(|span| word(span) < prefix);
            let matching =
                (spans[start..].iter()).take_while(|span| word(span).starts_with(prefix));
            run.start + start..run.start + start + matching.count()
        };
        files.iter().zip(runs).map(rest).collect()
    }

    /// Read where each of `runs` (one a file of `files`, as `runs_of` gave
    /// them) starts in its file's claims, and the first of them, in all
    /// the files together: their cache misses overlap here, where
    /// `mark_run`, a file at a time, would wait on each in turn.
    pub fn fetch_runs(files: &[(&Words, &[u8])], runs: &[Range<usize>]) {
        let found: Vec<(&Words, usize)> = (files.iter().zip(runs))
            .filter(|(_, run)| !run.is_empty())
            .map(|((w, _), run)| (*w, run.start))
            .collect();
        let starts: Vec<u32> = (found.iter())
            .map(|(w, at)| w.starts.get(*at).copied().unwrap_or(0))
            .collect();
        let first = (found.iter().zip(starts))
            .map(|((w, _), at)| w.claims.get(at as usize).copied().unwrap_or(0));
        std::hint::black_box(first.fold(0, |a, c| a ^ c));
    }

    /// Mark in `marks` (a bit a claim) the claims holding a word of `run`
    /// (of the sorted words).
    pub fn mark_run(&self, run: Range<usize>, marks: &mut [u64]) {
        let as_bits = bits_len(self.count) as usize;
        for w in run {
            let (Some(&from), Some(&to)) = (self.starts.get(w), self.starts.get(w + 1)) else {
                return;
            };
            let held = (self.claims)
                .get(from as usize..to as usize)
                .unwrap_or_default();
            if held.len() == as_bits {
                for (m, q) in marks.iter_mut().zip(held.as_chunks().0) {
                    *m |= word_of(q);
                }
            } else {
                mark_listed(held, marks);
            }
        }
    }

    /// Append the index as bytes (see `bytes`).
    pub fn write(&self, out: &mut Vec<u8>) {
        bytes::put(out, &self.spans, |&(s, e)| {
            let mut b = [0; 8];
            b[..4].copy_from_slice(&s.to_le_bytes());
            b[4..].copy_from_slice(&e.to_le_bytes());
            b
        });
        bytes::put(out, &self.starts, |n| n.to_le_bytes());
        bytes::put(out, &self.claims, |n| n.to_le_bytes());
        bytes::put(out, &self.letters, |n| n.to_le_bytes());
    }

    /// The index `write` wrote, for the folded text `text` of `claims`
    /// claims; None unless every part is in range (a search must never
    /// index out of it).
    pub fn read(r: &mut bytes::Reader, text: &[u8], claims: usize) -> Option<Words> {
        let text_len = text.len();
        let spans = r.array(|b: [u8; 8]| {
            let [s0, s1, s2, s3, e0, e1, e2, e3] = b;
            (
                u32::from_le_bytes([s0, s1, s2, s3]),
                u32::from_le_bytes([e0, e1, e2, e3]),
            )
        })?;
        let starts = r.array(u32::from_le_bytes)?;
        let held = r.array(u16::from_le_bytes)?;
        let letters = r.array(u64::from_le_bytes)?;
        let row = claims.div_ceil(64);
        // No bit past the file's claims, in a row of letters or a word's bits.
        let in_file = |(i, w): (usize, u64)| w & !claim_bits(claims, i) == 0;
        let rows_in_file =
            (letters.chunks(row.max(1))).all(|r| r.iter().copied().enumerate().all(in_file));
        let letters_ok = letters.len() == LETTER_ROWS * row && rows_in_file;
        let spans_ok = spans.iter().all(|&(s, e)| s <= e && e as usize <= text_len);
        let starts_ok = starts.len() == spans.len() + 1
            && starts.first() == Some(&0)
            && starts.windows(2).all(|w| w[0] <= w[1])
            && starts.last().is_some_and(|&n| n as usize == held.len());
        // Each word's claims: a list of claims, rising, or bits.
        let as_bits = bits_len(claims) as usize;
        let bits_in_file = |bits: &[u16]| {
            let words = bits.as_chunks().0.iter().map(word_of);
            words.enumerate().all(in_file)
        };
        let held_ok = starts_ok
            && starts.windows(2).all(|w| {
                let word = held.get(w[0] as usize..w[1] as usize).unwrap_or_default();
                match word.len().cmp(&as_bits) {
                    std::cmp::Ordering::Less => {
                        word.iter().all(|&c| usize::from(c) < claims)
                            && word.windows(2).all(|p| p[0] < p[1])
                    }
                    std::cmp::Ordering::Equal => bits_in_file(word),
                    std::cmp::Ordering::Greater => false,
                }
            });
        let fits = spans_ok && starts_ok && held_ok && letters_ok;
        fits.then(|| Words::with_heads(text, spans, starts, held, claims, letters))
    }

    /// The index of these parts, and the words' heads, read from them
    /// rather than kept.
    fn with_heads(
        text: &[u8],
        spans: Vec<(u32, u32)>,
        starts: Vec<u32>,
        claims: Vec<u16>,
        count: usize,
        letters: Vec<u64>,
    ) -> Words {
        Words {
            heads: heads(text, &spans),
            spans,
            starts,
            claims,
            count,
            letters,
        }
    }

    /// The claims (a bit each) that have the letter of `bit`.
    pub fn letter_row(&self, bit: u32) -> &[u64] {
        let row = self.count.div_ceil(64);
        let at = (bit as usize).min(OTHER as usize) * row;
        self.letters.get(at..at + row).unwrap_or_default()
    }

    /// Whether claim `claim` has the letter of `bit` (for `OTHER`: some
    /// letter without a bit of its own).
    pub fn has_letter(&self, claim: usize, bit: u32) -> bool {
        (self.letter_row(bit).get(claim / 64)).is_some_and(|w| w & (1 << (claim % 64)) != 0)
    }
}

/// How many numbers a word's claims take as bits, in a file of `claims`
/// claims: a whole number of 64-bit words, so they are OR-ed a word at a
/// time. A word in at least this many claims is kept so (a list as long
/// would be as large, and slower to mark); a list is always shorter.
fn bits_len(claims: usize) -> u32 {
    (claims.div_ceil(64) * 4) as u32
}

/// Four numbers of a word's claims kept as bits (see `bits_len`), as the
/// word of bits they are.
fn word_of(q: &[u16; 4]) -> u64 {
    u64::from(q[0]) | u64::from(q[1]) << 16 | u64::from(q[2]) << 32 | u64::from(q[3]) << 48
}

/// The bits of word `word` of a row (a bit a claim) that stand for claims
/// of a file of `claims` claims: a bit past them is another file's claim,
/// or none.
pub fn claim_bits(claims: usize, word: usize) -> u64 {
    let in_file = claims.saturating_sub(word * 64).min(64) as u32;
    u64::MAX.checked_shr(64 - in_file).unwrap_or(0)
}

/// Mark in `marks` the claims listed in `held`, rising.
fn mark_listed(held: &[u16], marks: &mut [u64]) {
    // Most fall in the word of bits the last did: gathered in a register,
    // each word of `marks` is written once a run, not read and written
    // again at every claim.
    let (mut at, mut bits) = (0, 0u64);
    for &c in held {
        let c = usize::from(c);
        if c / 64 != at {
            if let Some(w) = marks.get_mut(at) {
                *w |= bits;
            }
            (at, bits) = (c / 64, 0);
        }
        bits |= 1 << (c % 64);
    }
    if let Some(w) = marks.get_mut(at) {
        *w |= bits;
    }
}

/// Mark claim `claim` in `marks` (a bit a claim).
pub fn mark(marks: &mut [u64], claim: usize) {
    if let Some(w) = marks.get_mut(claim / 64) {
        *w |= 1 << (claim % 64);
    }
}

/// Each claim's letters (a bit each) as rows of claims, one a letter.
fn letter_rows(letters: &[u128]) -> Vec<u64> {
    let row = letters.len().div_ceil(64);
    let mut rows = vec![0u64; LETTER_ROWS * row];
    for (claim, &l) in letters.iter().enumerate() {
        let mut bits = l;
        while bits != 0 {
            let bit = bits.trailing_zeros() as usize;
            rows[bit * row + claim / 64] |= 1 << (claim % 64);
            bits &= bits - 1;
        }
    }
    rows
}

/// For each of `arrays` (each a run of numbers for which `before` holds,
/// then a run for which it does not), where the second run starts: binary
/// searches taken a step at a time in all the arrays together.
fn partition_points(arrays: &[&[u64]], before: impl Fn(u64) -> bool) -> Vec<usize> {
    let mut base = vec![0; arrays.len()];
    let mut size: Vec<usize> = arrays.iter().map(|a| a.len()).collect();
    // Each step halves every search still open: what is before `base` holds,
    // what is from `base + size` on does not.
    while size.iter().any(|&n| n > 1) {
        for ((a, b), n) in arrays.iter().zip(&mut base).zip(&mut size) {
            if *n > 1 {
                let half = *n / 2;
                *b = if before(a[*b + half]) { *b + half } else { *b };
                *n -= half;
            }
        }
    }
    let last = |((a, b), n): ((&&[u64], usize), usize)| b + usize::from(n == 1 && before(a[b]));
    arrays.iter().zip(base).zip(size).map(last).collect()
}

/// Where the run of `heads` from `from` up to `high` ends: read on from
/// its start, which the search for it just brought into the cache (a run
/// is mostly a few words), and searched for past the first few.
fn run_end(heads: &[u64], from: usize, high: u64) -> usize {
    const NEAR: usize = 16;
    let rest = heads.get(from..).unwrap_or_default();
    let near = rest.iter().take(NEAR).take_while(|&&h| h <= high).count();
    let far = match rest.get(NEAR..) {
        Some(far) if near == NEAR => far.partition_point(|&h| h <= high),
        _ => 0,
    };
    from + near + far
}

/// A word's first 8 bytes, big-endian, padded with zeros: numbers that
/// order as the words do (words equal in those bytes tie).
fn head(word: &[u8]) -> u64 {
    let mut b = [0u8; 8];
    let n = word.len().min(8);
    b[..n].copy_from_slice(&word[..n]);
    u64::from_be_bytes(b)
}

fn heads(bytes: &[u8], spans: &[(u32, u32)]) -> Vec<u64> {
    let word = |&(s, e): &(u32, u32)| bytes.get(s as usize..e as usize).unwrap_or_default();
    spans.iter().map(|span| head(word(span))).collect()
}

/// The letter bits of a piece of folded text, byte by byte: ASCII and
/// two-byte Arabic are decoded in place; anything else is `OTHER`.
fn letters_of(part: &[u8]) -> u128 {
    let mut bits = 0u128;
    let mut i = 0;
    while i < part.len() {
        let b = part[i];
        let (bit, len) = match b {
            b'a'..=b'z' => (u32::from(b - b'a'), 1),
            b'0'..=b'9' => (26 + u32::from(b - b'0'), 1),
            b' ' => {
                i += 1;
                continue;
            }
            // Folding leaves no other ASCII; were some left, it is read for.
            0..0x80 => (OTHER, 1),
            0xC0..0xE0 => {
                let low = part.get(i + 1).map_or(0, |&c| u32::from(c & 0x3F));
                let c = (u32::from(b & 0x1F) << 6) | low;
                (char::from_u32(c).map_or(OTHER, letter_bit), 2)
            }
            0xE0..0xF0 => (OTHER, 3),
            _ => (OTHER, 4),
        };
        bits |= 1 << bit;
        i += len;
    }
    bits
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The claims holding a word that starts with `prefix`.
    fn claims_with(words: &Words, text: &str, prefix: &str) -> Vec<usize> {
        let runs = Words::runs_of(&[(words, text.as_bytes())], prefix.as_bytes());
        runs.into_iter()
            .flat_map(|run| claims_of(words, run))
            .collect()
    }

    /// The claims holding a word of `run`, in order.
    fn claims_of(words: &Words, run: Range<usize>) -> Vec<usize> {
        let mut marks = vec![0; words.count.div_ceil(64)];
        words.mark_run(run, &mut marks);
        (0..words.count)
            .filter(|&c| marks[c / 64] & (1 << (c % 64)) != 0)
            .collect()
    }

    #[test]
    fn a_prefix_finds_each_claim_with_a_word_starting_so_once() {
        let claims = [
            " cyber attack cyberattacks ",
            " cat  nato ",
            " ناتو الهجمات ",
            " x ",
            " tail",
        ];
        let text: String = claims.concat();
        let ends: Vec<usize> = claims
            .iter()
            .scan(0, |at, c| {
                *at += c.len();
                Some(*at)
            })
            .collect();
        let words = Words::of(text.as_bytes(), &ends).expect("small file");
        assert_eq!(claims_with(&words, &text, "cy"), vec![0]);
        assert_eq!(claims_with(&words, &text, "c"), vec![0, 1]);
        assert_eq!(claims_with(&words, &text, "nato"), vec![1]);
        assert_eq!(claims_with(&words, &text, "ات"), Vec::<usize>::new());
        assert_eq!(claims_with(&words, &text, "نا"), vec![2]);
        assert_eq!(claims_with(&words, &text, "attacks"), Vec::<usize>::new());
        assert_eq!(claims_with(&words, &text, "zz"), Vec::<usize>::new());
        assert_eq!(
            claims_with(&words, &text, "ta"),
            vec![4],
            "a last word without a space"
        );
        let y = letter_bit('y');
        assert!(words.has_letter(0, y) && !words.has_letter(1, y));
        assert!(words.has_letter(2, letter_bit('ه')));
        assert!(!words.has_letter(3, OTHER));
    }

    /// A file of these claims, folded as the index folds (a space before
    /// and after every word): its text, where each claim ends, its words.
    fn file(claims: &[&str]) -> (String, Vec<usize>, Words) {
        let mut text = String::new();
        let mut ends = Vec::new();
        for c in claims {
            text.push_str(&format!(" {c} "));
            ends.push(text.len());
        }
        let words = Words::of(text.as_bytes(), &ends).expect("small file");
        (text, ends, words)
    }

    #[test]
    fn words_in_many_claims_are_kept_as_bits_and_found_as_a_list_is() {
        // 70 claims: "common" in all, "tri" in every third (both kept as
        // bits: 8 numbers, two words of bits), "w1" starting 11 words of one claim each.
        let claims: Vec<String> = (0..70)
            .map(|i| match i % 3 {
                0 => format!("w{i} common tri"),
                _ => format!("common w{i}"),
            })
            .collect();
        let refs: Vec<&str> = claims.iter().map(String::as_str).collect();
        let (text, _, words) = file(&refs);
        let listed = words.starts.windows(2).filter(|w| w[1] - w[0] < 8).count();
        assert_eq!(listed, 70, "every w<i> is listed, the two others are bits");
        assert_eq!(
            claims_with(&words, &text, "common"),
            (0..70).collect::<Vec<_>>()
        );
        assert_eq!(
            claims_with(&words, &text, "tri"),
            (0..70).step_by(3).collect::<Vec<_>>()
        );
        let mut w1 = vec![1];
        w1.extend(10..20);
        assert_eq!(claims_with(&words, &text, "w1"), w1);
        assert_eq!(
            claims_with(&words, &text, "c"),
            claims_with(&words, &text, "common")
        );

        let read = |w: &Words| {
            let mut out = Vec::new();
            w.write(&mut out);
            Words::read(&mut bytes::Reader::new(&out), text.as_bytes(), 70)
        };
        assert_eq!(read(&words).as_ref(), Some(&words));
        // A word's bits marking claim 70, past the file's last (69).
        let mut past = read(&words).expect("reads back");
        let bits_at = (past.starts.windows(2))
            .position(|w| w[1] - w[0] == 8)
            .expect("a word kept as bits");
        let at = past.starts[bits_at] as usize + 70 / 16;
        past.claims[at] |= 1 << (70 % 16);
        assert_eq!(read(&past), None, "a bit past the claims is read");
        // A list out of order.
        let mut unordered = read(&words).expect("reads back");
        let list_at = (unordered.starts.windows(2))
            .position(|w| w[1] - w[0] == 1)
            .expect("a listed word");
        let at = unordered.starts[list_at] as usize;
        unordered.claims[at] = 70;
        assert_eq!(read(&unordered), None, "a claim past the file's is read");
    }

    #[test]
    fn files_searched_together_find_what_each_alone_would() {
        let files = [
            file(&["cyberattack cyberattacks cyber", "cyberattackers cy", "c"]),
            file(&[]),
            file(&[
                "ab\0c ab",
                "abcdefghijk abcdefghijkl abcdefghij",
                "abcdefgh",
            ]),
            file(&["الهجمات الإلكترونية", "هجمات هجوم", "ه"]),
            file(&["zzzzzzzzzzzz zzzzzzzz zz"]),
            // Runs of words longer than the few read on from a run's start:
            // 40 words from "w", exactly 16 from "u", 17 from "v".
            file(&[&many("w", 0..20), &many("w", 20..40), "x"]),
            file(&[&many("u", 10..26), &many("v", 10..27), "vz"]),
        ];
        fn many(letter: &str, n: Range<usize>) -> String {
            n.map(|i| format!("{letter}{i}"))
                .collect::<Vec<_>>()
                .join(" ")
        }
        let prefixes = [
            "c",
            "cy",
            "cyberatt",
            "cyberatta",
            "cyberattackers",
            "cyberattackersx",
            "ab",
            "ab\0",
            "ab\0c",
            "abcdefgh",
            "abcdefghi",
            "abcdefghijk",
            "abcdefghijkl",
            "هج",
            "هجمات",
            "الهجمات",
            "zzzzzzzz",
            "zzzzzzzzz",
            "zzzzzzzzzzzzz",
            "x",
            "w",
            "w1",
            "w39",
            "u",
            "u2",
            "v",
            "v1",
            "vz",
        ];
        let together: Vec<(&Words, &[u8])> =
            files.iter().map(|(t, _, w)| (w, t.as_bytes())).collect();
        for prefix in prefixes {
            let runs = Words::runs_of(&together, prefix.as_bytes());
            assert_eq!(runs.len(), files.len());
            for ((text, ends, words), run) in files.iter().zip(runs) {
                // Each claim read for a word that starts so.
                let starts = std::iter::once(0).chain(ends.iter().copied());
                let holds = |(start, end): (usize, &usize)| {
                    text[start..*end]
                        .split(' ')
                        .any(|w| !w.is_empty() && w.starts_with(prefix))
                };
                let read: Vec<usize> = (starts.zip(ends).map(holds).enumerate())
                    .filter_map(|(claim, holds)| holds.then_some(claim))
                    .collect();
                assert_eq!(claims_of(words, run), read, "{prefix:?} in {text:?}");
            }
        }
    }

    #[test]
    fn letters_outside_latin_and_arabic_are_marked_for_reading() {
        assert_eq!(letters_of(" é ".as_bytes()) & (1 << OTHER), 1 << OTHER);
        assert_eq!(letters_of(b" ab "), 0b11);
        assert_eq!(letters_of(" ي ".as_bytes()), 1 << letter_bit('ي'));
    }
}
