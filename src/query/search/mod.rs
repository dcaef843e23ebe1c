//! The search index: each file's claims folded once into one text, with
//! the file's words (`words.rs`). A word typed is looked up in each file's
//! words, a lone letter in rows of claims across files (`letters.rs`); a
//! phrase is a `memchr` scan over contiguous text, among the hits of the
//! search it extends. A source's names are matched once per search, not
//! copied into the text of every claim it said. Hits are a bit a claim
//! (`hits.rs`).

mod hits;
mod kept;
mod letters;
mod maintain;

pub use hits::Hits;
pub use maintain::Prefolded;

use hits::Part;
use letters::Letters;

use std::collections::HashMap;
use std::ops::Range;
use std::sync::Arc;

use memchr::memmem::Finder;

use super::words::{OTHER, Words, claim_bits, letter_bit, mark};
use super::{Facets, Filter, SourceTree};
use crate::model::{Claim, Document, SourceId};
use crate::store::{Chunked, ClaimRef, ClaimsFile, Derived, Desk, FileHead};
use crate::text::{fold_squashed_into, search_key};

/// Each file's claims folded once, so a keystroke only scans. A clone
/// shares the folded text (sessions of one server share one index's text;
/// a session folds again only the files that change under it).
#[derive(Debug, Clone, Default)]
pub struct SearchIndex {
    /// In desk order; shared in chunks between views.
    files: Chunked<Arc<FoldedFile>>,
    /// The place (in desk order) of each file's first claim.
    file_starts: Vec<usize>,
    /// The heads of the files as folded, to tell after a reload which
    /// files need folding again (a file read again has a new head).
    heads: Chunked<Arc<FileHead>>,
    tree: SourceTree,
    /// Each source's names, folded as the claims are.
    names: HashMap<SourceId, String>,
    /// Which claims have each letter, across files.
    letters: Letters,
}

/// One file's claims folded, one after another. Each claim's text starts
/// with a space (every word follows one, the first too: see `search_key`)
/// and ends with one.
#[derive(Debug, Default, PartialEq)]
struct FoldedFile {
    /// UTF-8, but kept as bytes: searches match bytes, and a kept index
    /// is read back without checking its text again.
    text: Box<[u8]>,
    /// Where each claim's text ends in `text`.
    ends: Vec<usize>,
    /// None for a file too large for a word index: it is scanned.
    words: Option<Words>,
}

/// Mark in `marks` those of a file's `claims` not marked yet that `also`
/// holds for (claims found by their source's name, not their text).
fn mark_also(marks: &mut [u64], claims: usize, also: impl Fn(usize) -> bool) {
    for (wi, w) in marks.iter_mut().enumerate() {
        let mut unmarked = !*w & claim_bits(claims, wi);
        while unmarked != 0 {
            let bit = unmarked & unmarked.wrapping_neg();
            if also(wi * 64 + bit.trailing_zeros() as usize) {
                *w |= bit;
            }
            unmarked &= unmarked - 1;
        }
    }
}

/// How many files' word indexes are searched together.
const LOCKSTEP: usize = 32;

/// How a search key is looked for in a file.
enum Lookup<'a> {
    /// A lone letter, anywhere: by each claim's letters.
    Letter(u32),
    /// The start of a word: in the file's words.
    Word(&'a [u8]),
    /// Words and more: scanned for.
    Phrase,
}

impl FoldedFile {
    /// `claims` claims with no text: found by their source's name only.
    fn blank(claims: usize) -> FoldedFile {
        let text = " ".repeat(claims).into_bytes().into_boxed_slice();
        let ends: Vec<usize> = (1..=claims).collect();
        let words = Words::of(&text, &ends);
        FoldedFile { text, ends, words }
    }

    fn of(doc: &Document) -> FoldedFile {
        let mut text = String::new();
        let mut ends = Vec::with_capacity(doc.claims.len());
        for c in &doc.claims {
            fold_claim(c, &mut text);
            ends.push(text.len());
        }
        let text = text.into_bytes().into_boxed_slice();
        let words = Words::of(&text, &ends);
        FoldedFile { text, ends, words }
    }

    /// Mark in `marks` (a bit a claim, cleared first) the claims that hold
    /// the key `lookup` and `finder` look for (not `Lookup::Phrase`, which
    /// is scanned for); `run` is a word's run of the file's words if found.
    fn look_up(
        &self,
        lookup: &Lookup,
        finder: &Finder,
        run: Option<Range<usize>>,
        marks: &mut Vec<u64>,
    ) {
        marks.clear();
        marks.resize(self.ends.len().div_ceil(64), 0);
        let claims = 0..self.ends.len();
        match (lookup, &self.words) {
            (Lookup::Word(prefix), Some(words)) => {
                let run = run.or_else(|| Words::runs_of(&[(words, &self.text)], prefix).pop());
                if let Some(run) = run {
                    words.mark_run(run, marks);
                }
            }
            // A letter with a bit of its own is read in rows across files
            // (`letter_hits`); one without is read for.
            (Lookup::Letter(bit), Some(words)) => claims
                .filter(|&c| words.has_letter(c, *bit) && self.holds(c, finder))
                .for_each(|c| mark(marks, c)),
            _ => claims
                .filter(|&c| self.holds(c, finder))
                .for_each(|c| mark(marks, c)),
        }
    }

    fn start(&self, claim: usize) -> usize {
        claim.checked_sub(1).map_or(0, |before| self.ends[before])
    }

    fn holds(&self, claim: usize, finder: &Finder) -> bool {
        self.find_from(claim, 0, finder).is_some()
    }

    /// Where in claim `claim`'s text, at or after byte `from` of it, the
    /// needle first starts.
    fn find_from(&self, claim: usize, from: usize, finder: &Finder) -> Option<usize> {
        let end = *self.ends.get(claim)?;
        let text = self.text.get(self.start(claim) + from..end)?;
        // Where a shorter search matched, the longer one mostly does too.
        let at = if text.starts_with(finder.needle()) {
            Some(0)
        } else {
            finder.find(text)
        };
        at.map(|at| from + at)
    }
}

/// What of a claim a search reads: its id, text, translation and note.
fn searched(claim: &Claim) -> [&str; 4] {
    [
        claim.id.0.as_str(),
        &claim.text,
        &claim.translation,
        claim.note.as_deref().unwrap_or(""),
    ]
}

fn fold_claim(claim: &Claim, s: &mut String) {
    fold_parts(searched(claim), s);
}

/// `parts` folded into `s`, each after a space and the last before one,
/// with one space where two meet, as within a part.
fn fold_parts<'a>(parts: impl IntoIterator<Item = &'a str>, s: &mut String) {
    s.push(' ');
    for part in parts {
        fold_squashed_into(part, s);
        if !s.ends_with(' ') {
            s.push(' ');
        }
    }
}

fn folded_names(tree: &SourceTree) -> HashMap<SourceId, String> {
    let fold = |(id, source): (&SourceId, &crate::model::Source)| {
        let mut s = String::new();
        fold_parts(source.all_names(), &mut s);
        (id.clone(), s)
    };
    tree.sources.iter().map(fold).collect()
}

/// What a typed search looks for: matches start at words (the key and the
/// index are squashed alike), except a lone letter, which matches anywhere:
/// it is a search still being typed, and at word starts it would scan most
/// of the index for few hits (Arabic words lose their article there). Its
/// hits hold every later key's. None for a search of nothing.
fn finder(search: &str) -> Option<Finder<'static>> {
    if search.trim().is_empty() {
        return None;
    }
    let key = search_key(search);
    let needle = if key.chars().count() == 2 {
        key.trim_start()
    } else {
        key.as_str()
    };
    // memchr's searcher picks the needle's rarest bytes to scan for; a scan
    // for the first byte would stop at almost every other byte of Arabic.
    Some(Finder::new(needle.as_bytes()).into_owned())
}

/// A desk file to fold, and where its folding may be kept.
pub type ToFold = (ClaimsFile, Option<Derived>);

/// The desk's files `files`, to fold.
fn to_fold(desk: &Desk, files: Range<usize>) -> Vec<ToFold> {
    let file = |fi: usize| Some((desk.files.get(fi)?.clone(), desk.derived(fi)));
    files.filter_map(file).collect()
}

/// `file` folded, or its folding read back from `keep`. A file whose
/// document can no longer be read folds to claims of no text, keeping
/// every later claim in its place.
fn fold_file(file: &ClaimsFile, keep: Option<&Derived>) -> FoldedFile {
    match file.doc() {
        Some(doc) => kept::folded(doc, keep),
        None => FoldedFile::blank(file.head.claims.len()),
    }
}

impl SearchIndex {
    /// How many files are folded.
    pub fn files(&self) -> usize {
        self.heads.len()
    }

    /// How many claims are folded.
    pub fn len(&self) -> usize {
        (self.file_starts.last().zip(self.files.last())).map_or(0, |(s, f)| s + f.ends.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Which of `facets`' sources (by their number there) have a name that
    /// `finder` finds.
    fn named(&self, facets: &Facets, finder: &Finder) -> Vec<bool> {
        let named = |id: &SourceId| {
            (self.names.get(id)).is_some_and(|n| finder.find(n.as_bytes()).is_some())
        };
        facets.sources().iter().map(named).collect()
    }

    /// The claims whose text or source's names hold `search`. A word is
    /// looked up in each file's words, a lone letter in the rows of claims
    /// that have it; a longer phrase is scanned for, among the hits of
    /// `within` if given (a search this one extends), each from where that
    /// search found its match: a letter typed on costs a few bytes a hit,
    /// not a scan of the desk.
    pub fn text_hits(&self, facets: &Facets, search: &str, within: Option<&Hits>) -> Hits {
        let Some(finder) = finder(search) else {
            return Hits::every(self.len());
        };
        let named = self.named(facets, &finder);
        let is_named = |place: usize| facets.source_number(place).is_some_and(|n| named[n]);
        let key = search_key(search);
        let body = key.strip_prefix(' ').unwrap_or(&key);
        if body.is_empty() {
            // Every claim's text starts at a word (an article typed alone folds to this).
            return Hits::every(self.len());
        }
        let mut letters = body.chars();
        let lookup = match (letters.next(), letters.next()) {
            (Some(c), None) => Lookup::Letter(letter_bit(c)),
            _ if !body.contains(' ') => Lookup::Word(body.as_bytes()),
            _ => Lookup::Phrase,
        };
        if let Lookup::Phrase = lookup {
            return self.scan_for(&finder, &is_named, within);
        }
        let any_named = named.contains(&true);
        if let Lookup::Letter(bit) = lookup
            && bit != OTHER
        {
            return self.letter_hits(bit, &finder, any_named.then_some(&is_named));
        }
        let parts = par_map(&self.shares(self.files.len()), 1, |files| {
            let mut part = Part::new(self.claims_of(files.clone()));
            let mut marks = Vec::new();
            let mut runs = Vec::new();
            for fi in files.clone() {
                let (f, first) = (&self.files[fi], self.file_starts[fi]);
                if let Lookup::Word(prefix) = lookup
                    && (fi - files.start) % LOCKSTEP == 0
                {
                    runs = self.word_runs(fi..(fi + LOCKSTEP).min(files.end), prefix);
                }
                let run = runs.get((fi - files.start) % LOCKSTEP).cloned().flatten();
                f.look_up(&lookup, &finder, run, &mut marks);
                if any_named {
                    mark_also(&mut marks, f.ends.len(), |c| is_named(first + c));
                }
                part.add_marked(first, f.ends.len(), &marks);
            }
            Some(part)
        });
        Hits::of_parts(self.len(), parts)
    }

    /// The claims with the letter of `bit` (not `OTHER`), or whose source
    /// `is_named` if given.
    fn letter_hits(
        &self,
        bit: u32,
        finder: &Finder,
        is_named: Option<&dyn Fn(usize) -> bool>,
    ) -> Hits {
        let mut bits = vec![0; self.len().div_ceil(64)];
        let unindexed = self.letters.row_into(bit, &self.file_starts, &mut bits);
        let mut marks = Vec::new();
        for fi in unindexed {
            if let (Some(f), Some(&first)) = (self.files.get(fi), self.file_starts.get(fi)) {
                f.look_up(&Lookup::Letter(bit), finder, None, &mut marks);
                hits::or_at(&mut bits, first, &marks, f.ends.len());
            }
        }
        if let Some(is_named) = is_named {
            mark_also(&mut bits, self.len(), is_named);
        }
        Hits::of_bits(bits)
    }

    /// The places (desk order) of the claims of `files`.
    fn claims_of(&self, files: Range<usize>) -> Range<usize> {
        let from = |fi: usize| self.file_starts.get(fi).copied().unwrap_or(self.len());
        from(files.start)..from(files.end)
    }

    /// For a word looked up in `files`, the run of each one's sorted words
    /// that start with `prefix` (None for a file without a word index),
    /// searched for in all of them together (see `Words::runs_of`).
    fn word_runs(&self, files: Range<usize>, prefix: &[u8]) -> Vec<Option<Range<usize>>> {
        let indexed = |fi: usize| {
            let f = self.files.get(fi)?;
            Some((f.words.as_ref()?, &f.text[..]))
        };
        let found: Vec<_> = files.clone().filter_map(indexed).collect();
        let runs = Words::runs_of(&found, prefix);
        Words::fetch_runs(&found, &runs);
        let mut runs = runs.into_iter();
        files
            .map(|fi| indexed(fi).and_then(|_| runs.next()))
            .collect()
    }

    /// The claims whose text holds `finder`'s phrase, or whose source
    /// `is_named`: among the hits of `within` if given, each from where that
    /// search matched, else every claim from its start.
    fn scan_for(
        &self,
        finder: &Finder,
        is_named: &(impl Fn(usize) -> bool + Sync),
        within: Option<&Hits>,
    ) -> Hits {
        let check = |f: &FoldedFile, place: usize, claim: usize, from: u32| match f.find_from(
            claim,
            from as usize,
            finder,
        ) {
            Some(at) => Some((place, u32::try_from(at).unwrap_or(0))),
            None => is_named(place).then_some((place, 0)),
        };
        let parts = match within {
            // Cut at words of its bits, so each part's are its own.
            Some(hits) => par_map(&self.shares(hits.words()), 1, |words| {
                let mut part = Part::new(words.start * 64..words.end * 64);
                let mut walk = Walk::new(&self.file_starts);
                for (place, from) in hits.pairs_in(words.clone(), hits.rank(words.start)) {
                    let at = walk.at(place);
                    if let Some((place, from)) =
                        (self.files.get(at.file())).and_then(|f| check(f, place, at.claim(), from))
                    {
                        part.push(place, from);
                    }
                }
                Some(part)
            }),
            None => par_map(&self.shares(self.files.len()), 1, |files| {
                let mut part = Part::new(self.claims_of(files.clone()));
                for fi in files.clone() {
                    let (f, first) = (&self.files[fi], self.file_starts[fi]);
                    for c in 0..f.ends.len() {
                        if let Some((place, from)) = check(f, first + c, c, 0) {
                            part.push(place, from);
                        }
                    }
                }
                Some(part)
            }),
        };
        Hits::of_parts(self.len(), parts)
    }

    /// `0..n` cut into one run per core (one run for a small desk, where a
    /// thread costs more than it saves).
    fn shares(&self, n: usize) -> Vec<Range<usize>> {
        let threads = if self.len() < 8192 { 1 } else { cores() };
        let share = n.div_ceil(threads).max(1);
        (0..n)
            .step_by(share)
            .map(|s| s..(s + share).min(n))
            .collect()
    }

    /// The claims among `hits` that pass the source and status parts of
    /// `filter`, in desk order.
    pub fn refs(&self, facets: &Facets, filter: &Filter, hits: &Hits) -> Vec<ClaimRef> {
        let mut out = Vec::new();
        self.refs_into(facets, filter, hits, &mut out);
        out
    }

    /// `refs`, written over `out`: a list's buffer, reused (see
    /// `Facets::filter_into`).
    pub fn refs_into(
        &self,
        facets: &Facets,
        filter: &Filter,
        hits: &Hits,
        out: &mut Vec<ClaimRef>,
    ) {
        let test = facets.test(filter);
        let Some(test) = test else {
            return self.places_into(hits, out);
        };
        out.clear();
        let mut walk = Walk::new(&self.file_starts);
        for place in hits.places_in(0..hits.words()) {
            if test(place) {
                out.push(walk.at(place));
            }
        }
    }

    /// The claims of `hits`, written over `out`: one to one, so on all
    /// cores, each filling its own part of `out`. Only slots past the old
    /// length are zeroed first (a million hits are 16 MB to zero).
    fn places_into(&self, hits: &Hits, out: &mut Vec<ClaimRef>) {
        out.resize(hits.len(), ClaimRef::new(0, 0));
        let fill = |slots: &mut [ClaimRef], words: Range<usize>| {
            let mut walk = Walk::new(&self.file_starts);
            for (slot, place) in slots.iter_mut().zip(hits.places_in(words)) {
                *slot = walk.at(place);
            }
        };
        let mut rest = out.as_mut_slice();
        std::thread::scope(|s| {
            for words in self.shares(hits.words()) {
                let n = hits.count_in(words.clone()).min(rest.len());
                let (mine, after) = std::mem::take(&mut rest).split_at_mut(n);
                rest = after;
                if rest.is_empty() {
                    // The last run on this thread.
                    fill(mine, words);
                } else {
                    s.spawn(move || fill(mine, words));
                }
            }
        });
    }

    /// The claims that pass `filter`, in desk order.
    pub fn filter(&self, facets: &Facets, filter: &Filter) -> Vec<ClaimRef> {
        self.refs(
            facets,
            filter,
            &self.text_hits(facets, &filter.search, None),
        )
    }

    /// Those of `candidates` (in desk order) that pass `filter`: the claims
    /// of files that just arrived or changed, at their cost.
    pub fn filter_within(
        &self,
        facets: &Facets,
        filter: &Filter,
        candidates: &[ClaimRef],
    ) -> Vec<ClaimRef> {
        let finder = finder(&filter.search);
        let named = finder.as_ref().map(|f| self.named(facets, f));
        let test = facets.test(filter);
        let passes = |r: &ClaimRef| {
            let f = self.files.get(r.file())?;
            let pos = self.file_starts.get(r.file())? + r.claim();
            let text_ok = match (&finder, &named) {
                (Some(finder), Some(named)) => {
                    f.holds(r.claim(), finder)
                        || facets.source_number(pos).is_some_and(|n| named[n])
                }
                _ => r.claim() < f.ends.len(),
            };
            let facets_ok = test.as_ref().is_none_or(|t| t(pos));
            (text_ok && facets_ok).then_some(*r)
        };
        par_map(candidates, 8192, passes)
    }
}

/// Places (desk order) turned into claims, walking on through the files
/// from the last place's: places mostly come rising, so mostly the claim
/// is in that file or the next.
struct Walk<'a> {
    /// Where each file's claims start, in desk order.
    starts: &'a [usize],
    file: usize,
    /// Where the file's claims start, and where the next file's do.
    from: usize,
    to: usize,
}

impl<'a> Walk<'a> {
    fn new(starts: &'a [usize]) -> Walk<'a> {
        let mut walk = Walk {
            starts,
            file: 0,
            from: 0,
            to: 0,
        };
        walk.enter(0);
        walk
    }

    fn enter(&mut self, file: usize) {
        self.file = file;
        self.from = self.starts.get(file).copied().unwrap_or(0);
        self.to = self.starts.get(file + 1).copied().unwrap_or(usize::MAX);
    }

    /// The claim at `place`.
    fn at(&mut self, place: usize) -> ClaimRef {
        if place < self.from {
            let file = self.starts.partition_point(|&s| s <= place);
            self.enter(file.saturating_sub(1));
        }
        while place >= self.to {
            self.enter(self.file + 1);
        }
        ClaimRef::new(self.file, place - self.from)
    }
}

/// The cores this process may use, asked once: the standard library reads
/// the cgroup's files at every call, a dozen system calls a keystroke.
fn cores() -> usize {
    static CORES: std::sync::OnceLock<usize> = std::sync::OnceLock::new();
    *CORES.get_or_init(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
}

/// `f` over `items` on all cores, the `Some` results in order. Below
/// `min` items a thread costs more than it saves, so it runs inline.
fn par_map<T: Sync, U: Send>(
    items: &[T],
    min: usize,
    f: impl Fn(&T) -> Option<U> + Sync,
) -> Vec<U> {
    let threads = cores();
    if threads < 2 || items.len() < min.max(2) {
        return items.iter().filter_map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    std::thread::scope(|s| {
        let handles: Vec<_> = items
            .chunks(chunk)
            .map(|part| s.spawn(|| part.iter().filter_map(&f).collect::<Vec<U>>()))
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

#[cfg(test)]
mod tests;
