//! Newsroom-shaped synthetic desks: what a desk looks like after years of
//! news rather than one article copied. Its vocabulary grows with the desk
//! (people's and places' names, numbers and dates keep coming, about one
//! new word a claim), Arabic words carry clitics (و، ف، ب، ل، ال and
//! pronoun endings) as real text does, a sixth of the claims have been
//! reviewed (a verdict, a note and a history entry), and the files are
//! written as another YAML writer writes them (`quoted.rs`), not in the
//! desk's own shape. Benchmarks run on both kinds of desk.

use super::Rng;
use super::vocabulary::{ARABIC, ENGLISH};
use crate::model::{Article, Claim, ClaimId, Document, HistoryEntry, Source, SourceId, Status};

/// Paragraphs an article has, and words a paragraph.
const PARAGRAPHS: usize = 45;
const PARAGRAPH_WORDS: usize = 42;
/// Words a claim's text takes from its paragraph (about 150 characters).
const CLAIM_WORDS: usize = 23;
/// Words of an English translation (about 150 characters).
const TRANSLATION_WORDS: usize = 24;
/// Sources an article quotes.
const SOURCES: usize = 12;

/// Words sampled by rank: the word of rank r (from 1) comes with weight 1/r.
struct Zipf<'a> {
    words: Vec<&'a str>,
    /// Cumulative weights, scaled to u64.
    cumulative: Vec<u64>,
}

impl<'a> Zipf<'a> {
    fn new(text: &'a str) -> Zipf<'a> {
        let words: Vec<&str> = text.split_whitespace().collect();
        let total: f64 = (1..=words.len()).map(|r| 1.0 / r as f64).sum();
        let mut acc = 0.0;
        let cumulative = (1..=words.len())
            .map(|r| {
                acc += 1.0 / r as f64;
                (acc / total * u64::MAX as f64) as u64
            })
            .collect();
        Zipf { words, cumulative }
    }

    fn pick(&self, rng: &mut Rng) -> &'a str {
        let x = rng.next_u64();
        let i = self.cumulative.partition_point(|&c| c < x);
        self.words[i.min(self.words.len() - 1)]
    }
}

const PROCLITICS: [&str; 9] = ["و", "ف", "ب", "ل", "ال", "وال", "بال", "لل", "فال"];
const ENCLITICS: [&str; 4] = ["ه", "ها", "هم", "نا"];

/// An Arabic word as running text has it: with a proclitic now and then,
/// a pronoun ending more rarely.
fn with_clitics(rng: &mut Rng, word: &str) -> String {
    let mut w = String::new();
    if rng.below(10) < 3 && !word.starts_with("ال") {
        w.push_str(PROCLITICS[rng.below(PROCLITICS.len())]);
    }
    w.push_str(word);
    if rng.below(10) == 0 {
        w.push_str(ENCLITICS[rng.below(ENCLITICS.len())]);
    }
    w
}

const AR_LETTERS: [char; 28] = [
    'ب', 'ت', 'ث', 'ج', 'ح', 'خ', 'د', 'ذ', 'ر', 'ز', 'س', 'ش', 'ص', 'ض', 'ط', 'ظ', 'ع', 'غ', 'ف',
    'ق', 'ك', 'ل', 'م', 'ن', 'ه', 'و', 'ي', 'ء',
];
const AR_VOWELS: [char; 3] = ['ا', 'و', 'ي'];
const LATIN_ONSETS: [&str; 20] = [
    "b", "d", "f", "g", "h", "j", "k", "kh", "l", "m", "n", "q", "r", "s", "sh", "t", "th", "w",
    "y", "z",
];
const LATIN_VOWELS: [&str; 5] = ["a", "i", "u", "aa", "ou"];

/// The name numbered `k`, in Arabic letters and in Latin transliteration:
/// the same `k` gives the same name wherever it is mentioned.
fn name(k: u64) -> (String, String) {
    let mut ar = String::new();
    let mut en = String::new();
    let mut n = k + 29;
    let mut syllable = 0;
    while n > 0 || syllable < 2 {
        let d = (n % 28) as usize;
        n /= 28;
        ar.push(AR_LETTERS[d]);
        en.push_str(LATIN_ONSETS[d % LATIN_ONSETS.len()]);
        let v = (d + syllable) % 5;
        if v < 3 {
            ar.push(AR_VOWELS[v]);
        }
        en.push_str(LATIN_VOWELS[v]);
        syllable += 1;
    }
    let mut chars = en.chars();
    let en = match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => en,
    };
    (ar, en)
}

const MONTHS_AR: [&str; 12] = [
    "يناير",
    "فبراير",
    "مارس",
    "أبريل",
    "مايو",
    "يونيو",
    "يوليو",
    "أغسطس",
    "سبتمبر",
    "أكتوبر",
    "نوفمبر",
    "ديسمبر",
];
const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// What makes a claim news rather than boilerplate: a name that may be new
/// to the desk, a number, a date; in Arabic and as the translation says it.
struct Particulars {
    ar: Vec<String>,
    en: Vec<String>,
}

/// The particulars of the claim numbered `g` across the desk: names are
/// drawn from a range that grows with the desk, so each claim brings about
/// one word the desk has not seen (as names, figures and dates do in news).
fn particulars(rng: &mut Rng, g: u64) -> Particulars {
    let mut ar = Vec::new();
    let mut en = Vec::new();
    if rng.below(10) < 7 {
        let (a, e) = name(rng.next_u64() % (g + 500));
        ar.push(with_clitics(rng, &a));
        en.push(e);
    }
    if rng.below(4) == 0 {
        let n = 2 + rng.below(2_000_000);
        ar.push(n.to_string());
        en.push(n.to_string());
    }
    if rng.below(5) == 0 {
        let (d, m, y) = (1 + rng.below(28), rng.below(12), 1990 + rng.below(36));
        ar.extend([d.to_string(), MONTHS_AR[m].to_string(), y.to_string()]);
        en.extend([d.to_string(), MONTHS_EN[m].to_string(), y.to_string()]);
    }
    Particulars { ar, en }
}

/// `n` words of running text from `zipf`, with `particulars` in among them.
fn running(rng: &mut Rng, zipf: &Zipf, n: usize, particulars: &[String], arabic: bool) -> String {
    let mut words: Vec<String> = (0..n)
        .map(|_| {
            let w = zipf.pick(rng);
            if arabic {
                with_clitics(rng, w)
            } else {
                w.to_string()
            }
        })
        .collect();
    for p in particulars {
        let at = rng.below(words.len() + 1);
        words.insert(at, p.clone());
    }
    words.join(" ")
}

const REVIEWERS: usize = 40;
const VERDICTS: [Status; 4] = [
    Status::Verified,
    Status::Misleading,
    Status::False,
    Status::Unverifiable,
];

/// One newsroom-shaped article of `claims` claims; `article` numbers it
/// across the desk (claim ids are unique across articles).
pub fn document(article: usize, claims: usize, seed: u64) -> Document {
    let mut rng = Rng::new(seed ^ (article as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let ar = Zipf::new(ARABIC);
    let en = Zipf::new(ENGLISH);
    let first_claim = (article * claims) as u64;
    // Each claim's particulars, so its paragraph can hold them verbatim.
    let said: Vec<Particulars> = (0..claims)
        .map(|i| particulars(&mut rng, first_claim + i as u64))
        .collect();
    let mut paragraphs: Vec<Vec<String>> = (0..PARAGRAPHS)
        .map(|_| {
            (0..PARAGRAPH_WORDS)
                .map(|_| {
                    let w = ar.pick(&mut rng);
                    with_clitics(&mut rng, w)
                })
                .collect()
        })
        .collect();
    let mut spans = Vec::with_capacity(claims);
    for p in &said {
        let paragraph = rng.below(PARAGRAPHS);
        let words = &mut paragraphs[paragraph];
        let start = rng.below(words.len() - CLAIM_WORDS);
        for w in &p.ar {
            words.insert(start + 1 + rng.below(CLAIM_WORDS - 2), w.clone());
        }
        spans.push((paragraph, start, CLAIM_WORDS + p.ar.len()));
    }
    // A span names words by place; they are fixed once every insertion is
    // made, so each claim's text is cut from the final paragraph.
    let texts: Vec<String> = spans
        .iter()
        .map(|&(p, start, len)| {
            let words = &paragraphs[p];
            words[start.min(words.len())..(start + len).min(words.len())].join(" ")
        })
        .collect();
    let sources: Vec<Source> = (0..SOURCES)
        .map(|i| {
            let (name_ar, name_en) = name(rng.next_u64() % 3000);
            let body = ar.pick(&mut rng);
            Source {
                id: SourceId(format!("src-{i}").into()),
                name: format!("{name_en} of the {}", en.pick(&mut rng)),
                name_original: format!("{body} {name_ar}"),
                aliases: Vec::new(),
                kind: super::KINDS[i % super::KINDS.len()].to_string(),
                country: (i % 4 == 0).then(|| "AL".to_string()),
                parent: (i % 3 == 2).then(|| SourceId(format!("src-{}", i - 1).into())),
                extra: Default::default(),
            }
        })
        .collect();
    let claims = texts
        .into_iter()
        .zip(&said)
        .zip(&spans)
        .enumerate()
        .map(|(i, ((text, p), &(paragraph, _, _)))| {
            let translation = running(&mut rng, &en, TRANSLATION_WORDS, &p.en, false);
            let reviewed = rng.below(6) == 0;
            let (status, note, history) = if reviewed {
                let verdict = VERDICTS[rng.below(VERDICTS.len())];
                let named =
                    p.en.first()
                        .cloned()
                        .unwrap_or_else(|| "the ministry".into());
                let note = format!(
                    "Checked against {named}'s statement: {}",
                    running(&mut rng, &en, 14, &[], false)
                );
                let entry = HistoryEntry {
                    at: format!(
                        "20{:02}-{:02}-{:02}T{:02}:{:02}:00Z",
                        22 + rng.below(5),
                        1 + rng.below(12),
                        1 + rng.below(28),
                        rng.below(24),
                        rng.below(60)
                    ),
                    by: format!("reviewer{}", rng.below(REVIEWERS)),
                    status: verdict,
                    previous: Some(Status::Unreviewed),
                    note: Some(note.clone()),
                    evidence: Vec::new(),
                    evidence_removed: Vec::new(),
                    undo: false,
                    extra: Default::default(),
                };
                (verdict, Some(note), vec![entry])
            } else {
                let status = [Status::Unreviewed, Status::InReview][rng.below(4) / 3];
                (status, None, Vec::new())
            };
            Claim {
                id: ClaimId(format!("n{article:05}-{i:02}").into()),
                source: SourceId(format!("src-{}", rng.below(SOURCES)).into()),
                paragraph: Some(paragraph + 1),
                text,
                translation,
                status,
                note,
                evidence: Vec::new(),
                history,
                extra: Default::default(),
            }
        })
        .collect();
    let title = running(&mut rng, &ar, 9, &[], true);
    Document {
        article: Article {
            id: format!("newsroom-{article}"),
            title,
            title_en: format!("Newsroom article {article}"),
            outlet: "newsroom".into(),
            author: "generator".into(),
            published: "2022-09-12T16:40:00+04:00".into(),
            language: "ar".into(),
            url: None,
            caption: None,
            paragraphs: paragraphs.into_iter().map(|w| w.join(" ")).collect(),
            extra: Default::default(),
        },
        sources,
        claims,
        extra: Default::default(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn the_vocabulary_grows_with_the_desk_about_a_word_a_claim() {
        let distinct = |articles: usize| {
            let mut words = HashSet::new();
            for a in 0..articles {
                for c in document(a, 100, 42).claims {
                    words.extend(c.text.split(' ').map(str::to_string));
                    words.extend(c.translation.split(' ').map(str::to_string));
                }
            }
            words.len()
        };
        let (at_5k, at_20k) = (distinct(50), distinct(200));
        // About a new word a claim, from the first claims on, not a fixed
        // vocabulary that every claim repeats (measured: 120,000 words in
        // 100,000 claims, 225,000 in 200,000).
        assert!(
            (5_000..20_000).contains(&at_5k),
            "{at_5k} words in 5,000 claims"
        );
        assert!(
            at_20k > 5 * at_5k / 2,
            "{at_20k} words in 20,000 claims, {at_5k} in 5,000"
        );
    }

    #[test]
    fn claims_are_verbatim_in_their_paragraph_and_the_right_size() {
        let doc = document(7, 100, 3);
        let reviewed = doc.claims.iter().filter(|c| c.note.is_some()).count();
        assert!((5..35).contains(&reviewed), "{reviewed} of 100 reviewed");
        for c in &doc.claims {
            let p = doc
                .article
                .paragraph(c.paragraph.unwrap_or(0))
                .unwrap_or("");
            assert!(p.contains(&c.text), "{} is not in its paragraph", c.id);
            let (ar, en) = (c.text.chars().count(), c.translation.chars().count());
            assert!(
                (100..260).contains(&ar),
                "{}: {ar} characters of Arabic",
                c.id
            );
            assert!(
                (90..260).contains(&en),
                "{}: {en} characters of English",
                c.id
            );
            assert_eq!(c.note.is_some(), !c.history.is_empty());
        }
    }
}
