//! Folding text for search: what a reviewer types and what a claim says,
//! made comparable the way Arabic readers and search engines compare them.

mod squashed;

/// Arabic-aware search folding: lower case, no harakat or tatweel, the
/// letter variants Arabic readers treat as one (alef forms, hamza seats,
/// alef maqsura, ta marbuta), and light stemming: at the start of a word
/// the definite article and the common proclitics are dropped, the way
/// Arabic search engines do it (Lucene's light stemmer), so `الناتو`,
/// `ناتو` and `وبالناتو` all read `ناتو`.
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    fold_into(s, &mut out);
    out
}

/// `fold`, appended to `out` (building the search index folds every claim).
pub fn fold_into(s: &str, out: &mut String) {
    fold_with(s, out, 2, false);
}

/// `fold_into`, squashed for the search index: every run of characters
/// that are neither letter nor digit becomes one space. A search for
/// " word" then finds words from their start in one substring scan (`iran`
/// finds "Iranian", not "Tirana"), and `iran tehran` finds "Iran
/// (Tehran)". Start the index's text with a space.
/// What it gives is kept beside the parse cache (`query::search::kept`):
/// a change here must bump the `FORMAT` there, or old folding is read back.
pub fn fold_squashed_into(s: &str, out: &mut String) {
    squashed::fold_into(s, out);
}

/// What a typed search looks for in the index (see `fold_squashed_into`).
/// Folded as the index is, except that a word still being typed may lose
/// its article with a single letter left (`الن` already finds `الناتو`,
/// which the index holds as `ناتو`).
pub fn search_key(typed: &str) -> String {
    let mut key = String::with_capacity(typed.len() + 1);
    fold_with(typed.trim(), &mut key, 1, true);
    // Leading punctuation (`-05`, `"quote`) still starts at a word.
    format!(" {}", key.trim_start())
}

/// Append `c`; with `squash`, a character that is neither letter nor digit
/// as a space, unless a space is last already.
fn push_folded(c: char, out: &mut String, squash: bool) {
    if !squash || is_word_char(c) {
        out.push(c);
    } else if !out.ends_with(' ') {
        out.push(' ');
    }
}

fn fold_with(s: &str, out: &mut String, keep_after_article: usize, squash: bool) {
    if s.is_ascii() && squash {
        // Byte for byte, without branches (it vectorises), in a buffer
        // kept for the thread: translations are most of the index.
        thread_local! {
            static BYTES: std::cell::RefCell<Vec<u8>> = const { std::cell::RefCell::new(Vec::new()) };
        }
        return BYTES.with_borrow_mut(|bytes| {
            bytes.clear();
            bytes.extend(s.bytes().map(|b| {
                if b.is_ascii_alphanumeric() {
                    b.to_ascii_lowercase()
                } else {
                    b' '
                }
            }));
            bytes.dedup_by(|b, a| *a == b' ' && *b == b' ');
            let joined = match out.ends_with(' ') {
                true => bytes.strip_prefix(b" ").unwrap_or(bytes),
                false => bytes,
            };
            // ASCII in, ASCII out: this never falls back.
            out.push_str(std::str::from_utf8(joined).unwrap_or_default());
        });
    }
    if s.is_ascii() {
        let start = out.len();
        out.push_str(s);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
        return;
    }
    out.reserve(s.len());
    // The Arabic word being read: its proclitics are known once it ends.
    // One pass, one buffer (building the index folds every claim).
    thread_local! {
        static WORD: std::cell::RefCell<Vec<char>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    WORD.with_borrow_mut(|word| {
        word.clear();
        let flush = |word: &mut Vec<char>, out: &mut String| {
            if !word.is_empty() {
                // A query word that is only an article so far (`ال`, `وال`)
                // asks for nothing yet: the index holds words without theirs.
                let article_only = keep_after_article < 2 && proclitics(word, 0) == word.len();
                let cut = if article_only {
                    word.len()
                } else {
                    proclitics(word, keep_after_article)
                };
                out.extend(&word[cut..]);
                word.clear();
            }
        };
        let put = |c: char, word: &mut Vec<char>, out: &mut String| {
            if is_arabic_letter(c) {
                word.push(c);
            } else {
                flush(word, out);
                push_folded(c, out, squash);
            }
        };
        for c in s.chars() {
            match c {
                '\u{064b}'..='\u{065f}' | '\u{0670}' | '\u{0640}' => {}
                'أ' | 'إ' | 'آ' | 'ٱ' => put('ا', word, out),
                'ؤ' => put('و', word, out),
                'ئ' | 'ى' => put('ي', word, out),
                'ة' => put('ه', word, out),
                c if c.is_ascii() => put(c.to_ascii_lowercase(), word, out),
                // Arabic letters have no case; skip the case tables for them.
                '\u{0600}'..='\u{06ff}' => put(c, word, out),
                c => {
                    for l in c.to_lowercase() {
                        put(l, word, out);
                    }
                }
            }
        }
        flush(word, out);
    });
}

/// `char::is_alphanumeric`, answered without its Unicode tables for ASCII
/// and Arabic letters and digits (the index squashes every claim's text).
fn is_word_char(c: char) -> bool {
    match c {
        'a'..='z' | 'A'..='Z' | '0'..='9' => true,
        c if c.is_ascii() => false,
        '\u{0621}'..='\u{064a}' | '\u{0660}'..='\u{0669}' | '\u{066e}'..='\u{06d3}' => true,
        c => c.is_alphanumeric(),
    }
}

/// Whether folded `hay` holds folded `needle` from the start of a word,
/// the way readers scan: `iran` finds "Iranian" and "Iran's", not
/// "Tirana". A needle that starts with punctuation (`-05`) may match anywhere.
pub fn contains_from_word_start(hay: &str, needle: &str) -> bool {
    let anchored = needle.chars().next().is_some_and(char::is_alphanumeric);
    let at_word_start = |at: usize| {
        hay.get(..at)
            .and_then(|before| before.chars().next_back())
            .is_none_or(|c| !c.is_alphanumeric())
    };
    hay.match_indices(needle)
        .any(|(at, _)| !anchored || at_word_start(at))
}

/// The words of folded `s`: runs of letters and digits.
pub fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

fn is_arabic_letter(c: char) -> bool {
    matches!(c, '\u{0621}'..='\u{064a}' | '\u{0671}'..='\u{06d3}')
}

/// How many letters of proclitics and article begin `word` (folded, a word
/// of Arabic letters): a conjunction (و ف), then a preposition (ب ك ل),
/// then the article (ال), or ل with the article (لل). The article may go
/// when `keep` letters remain; a lone proclitic only when three do, so
/// short words (بعد, لكن) stay whole.
fn proclitics(word: &[char], keep: usize) -> usize {
    let mut first = [0u16; 4];
    for (slot, c) in first.iter_mut().zip(word) {
        *slot = u16::try_from(u32::from(*c)).unwrap_or(0);
    }
    proclitics_of(&first[..word.len().min(4)], word.len(), keep)
}

/// The Arabic letters `proclitics` looks for, as code points.
const WAW: u16 = 0x648;
const FEH: u16 = 0x641;
const BEH: u16 = 0x628;
const KAF: u16 = 0x643;
const LAM: u16 = 0x644;
const ALEF: u16 = 0x627;

/// `proclitics`, from the first letters of the word as code points (up to
/// four: all it looks at) and its length in letters.
fn proclitics_of(word: &[u16], len: usize, keep: usize) -> usize {
    let mut i = 0;
    if matches!(word.first(), Some(&(WAW | FEH))) {
        i = 1;
    }
    let with_article = |at: usize| -> Option<usize> {
        let rest = len.checked_sub(at)?;
        if word.get(at..at + 2) == Some(&[LAM, LAM]) && rest >= 2 + keep {
            return Some(at + 2);
        }
        match word.get(at) {
            Some(&(BEH | KAF | LAM))
                if word.get(at + 1..at + 3) == Some(&[ALEF, LAM]) && rest >= 3 + keep =>
            {
                Some(at + 3)
            }
            Some(&ALEF) if word.get(at + 1) == Some(&LAM) && rest >= 2 + keep => Some(at + 2),
            _ => None,
        }
    };
    if let Some(n) = with_article(i) {
        return n;
    }
    // A lone proclitic, the word long enough to stay a word without it.
    if matches!(word.first(), Some(&(WAW | FEH | BEH | KAF | LAM))) && len >= 4 {
        return 1;
    }
    0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_start_at_words() {
        let hay = fold("US Embassy in Tirana; Iranian hackers; وإيران");
        assert!(!contains_from_word_start(&fold("Tirana"), "iran"));
        assert!(contains_from_word_start(&hay, "iran"));
        assert!(contains_from_word_start(&hay, "tiran"));
        assert!(contains_from_word_start(&hay, &fold("إيران")));
        assert!(!contains_from_word_start(&hay, "mbassy"));
        // A needle that starts with punctuation may match anywhere.
        assert!(contains_from_word_start("alb-05", "-05"));
        assert_eq!(search_key("  Iran (Tehran)، "), " iran tehran ");
        assert_eq!(search_key("alb-05"), " alb 05");
        assert_eq!(search_key("-05"), " 05");
        assert_eq!(search_key("وبالناتو، \"شريك"), " ناتو شريك");
        // Only an article typed so far: nothing asked yet, everything matches.
        assert_eq!(search_key("ال"), " ");
        assert_eq!(search_key("وال"), " ");
        assert_eq!(search_key("الن"), " ن");
        let mut hay = String::from(" ");
        fold_squashed_into("US-Embassy (Tirana) والإيرانيين", &mut hay);
        assert_eq!(hay, " us embassy tirana ايرانيين");
        // A run of punctuation is one space, within a part and where parts meet.
        fold_squashed_into(" -- (x) ", &mut hay);
        assert_eq!(hay, " us embassy tirana ايرانيين x ");
        assert_eq!(
            words("us-embassy (tirana)").collect::<Vec<_>>(),
            ["us", "embassy", "tirana"]
        );
    }

    #[test]
    fn arabic_light_stemming_drops_the_article_and_proclitics_at_word_start() {
        for (a, b) in [
            ("الناتو", "ناتو"),
            ("وبالناتو", "ناتو"),
            ("فالحلف", "حلف"),
            ("للحلف", "حلف"),
            ("وللحلف", "حلف"),
            ("كالهجوم", "هجوم"),
            ("والهجمات", "هجمات"),
            ("وزارة", "زاره"),
        ] {
            assert_eq!(fold(a), fold(b), "{a} / {b}");
        }
        // Short words stay whole; letters inside a word are never touched.
        assert_eq!(fold("بعد"), "بعد");
        assert_eq!(fold("لكن"), "لكن");
        assert_eq!(fold("ال"), "ال");
        assert_eq!(fold("حلف الناتو"), "حلف ناتو");
        // A word being typed already finds the stemmed text.
        assert_eq!(search_key("الن"), " ن");
        let mut index = String::from(" ");
        fold_squashed_into("الناتو", &mut index);
        assert!(index.contains(&search_key("الن")));
    }

    #[test]
    fn folding_ignores_harakat_tatweel_and_alef_forms() {
        assert_eq!(fold("إيـران"), fold("ايران"));
        assert_eq!(fold("كُتِبَ"), "كتب");
        assert_eq!(fold("NATO"), "nato");
        assert_eq!(fold("أدانت"), fold("ادانت"));
    }
}
