//! The desk's sources as a newsroom's registry: who a speaker that an
//! article names is, among every source of every article. One ministry is
//! one source across the desk, however each article writes its name
//! ("وزارة الداخلية الألبانية", "Albania's Interior Ministry", "the
//! Interior Ministry").
//!
//! Names are compared as their words, folded as search folds them (case,
//! harakat, hamza seats, the article and proclitics) with the small words
//! of names set aside ("the", "of", "في"). A speaker is a source when a
//! name or alias is the same words; else when one holds the other's words
//! and two of them at least ("Interior Ministry" in "Albanian Interior
//! Ministry"); and only when one source fits: a name two sources could
//! have is left for the reviewer, since a wrong source misleads.

use std::collections::HashMap;

use super::SourceTree;
use crate::model::{Source, SourceId};
use crate::text::{fold, words};

/// Words of a name that do not tell one party from another.
const SMALL_WORDS: &[&str] = &[
    "the", "of", "for", "and", "s", "in", "on", "at", "to", "a", "an", "u", "mr", "ms", "mrs",
    // Folded Arabic: في, من, على, عن, و, باسم (on behalf of: "the spokesman of").
    "في", "من", "علي", "عن", "و", "اسم",
];

/// The words of a name that tell who it is, folded.
pub fn name_words(name: &str) -> Vec<String> {
    let folded = fold(name);
    let mut out: Vec<String> = Vec::new();
    for w in words(&folded) {
        // Arabic plural endings: "محللون" and "محللين" are one word.
        let w = match w.strip_suffix("ون").or_else(|| w.strip_suffix("ين")) {
            Some(stem)
                if stem.chars().count() >= 3
                    && w.chars().all(|c| ('\u{0621}'..='\u{064a}').contains(&c)) =>
            {
                stem
            }
            _ => w,
        };
        if SMALL_WORDS.contains(&w) || out.iter().any(|o| o == w) {
            continue;
        }
        out.push(w.to_string());
    }
    out
}

/// Whether two folded words are one word in two forms: the same, or one
/// the other with an ending ("iran" / "iranian", "albania" / "albanian",
/// "محللون" / "محللين", "البانيا" / "البانيه").
pub fn same_word(a: &str, b: &str) -> bool {
    if a == b {
        return true;
    }
    // Folding drops a lone proclitic only from a word long enough without
    // it: "وزارة" folds to "زاره", "الوزارة" to "وزاره".
    let clitic =
        |long: &str, short: &str| long.strip_prefix(['و', 'ف', 'ب', 'ك', 'ل']) == Some(short);
    if clitic(a, b) || clitic(b, a) {
        return true;
    }
    let (short, long) = if a.chars().count() <= b.chars().count() {
        (a, b)
    } else {
        (b, a)
    };
    let (ns, nl) = (short.chars().count(), long.chars().count());
    if ns < 4 || nl - ns > 3 {
        return false;
    }
    let common = short
        .chars()
        .zip(long.chars())
        .take_while(|(x, y)| x == y)
        .count();
    common >= ns - 1 && (common == ns || nl == ns)
}

/// Whether every word of `part` is one of `whole`'s.
fn holds(whole: &[String], part: &[String]) -> bool {
    part.iter().all(|p| whole.iter().any(|w| same_word(w, p)))
}

/// How a speaker's name fits a source's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Fit {
    /// One holds the other's words, two at least.
    Holds,
    /// The same words.
    Same,
}

/// Every source of a desk, by each name it goes by.
#[derive(Debug, Default)]
pub struct Registry {
    sources: Vec<Source>,
    /// Each source's names (index into `sources`), as words.
    names: Vec<(usize, Vec<String>)>,
    /// A folded name's sources.
    exact: HashMap<String, Vec<usize>>,
    /// A word's names (indexes into `names`): the names to compare.
    by_word: HashMap<String, Vec<usize>>,
    by_id: HashMap<SourceId, usize>,
}

impl Registry {
    pub fn of(tree: &SourceTree) -> Registry {
        let mut r = Registry::default();
        for s in tree.sources.values() {
            r.add(s.clone());
        }
        r
    }

    fn add(&mut self, source: Source) {
        let si = self.sources.len();
        for name in source.all_names() {
            let key = fold(name.trim());
            let exact = self.exact.entry(key).or_default();
            if !exact.contains(&si) {
                exact.push(si);
            }
            let w = name_words(name);
            if w.is_empty() {
                continue;
            }
            let ni = self.names.len();
            for word in &w {
                self.by_word.entry(stem_key(word)).or_default().push(ni);
            }
            self.names.push((si, w));
        }
        self.by_id.insert(source.id.clone(), si);
        self.sources.push(source);
    }

    /// The sources `source` belongs to, nearest first: a file that names
    /// a source defines its parents too.
    pub fn ancestors(&self, source: &Source) -> Vec<&Source> {
        let mut out: Vec<&Source> = Vec::new();
        let mut at = source.parent.as_ref();
        while let Some(p) = at
            .and_then(|id| self.by_id.get(id))
            .map(|&i| &self.sources[i])
        {
            if p.id == source.id || out.iter().any(|o| o.id == p.id) {
                break;
            }
            out.push(p);
            at = p.parent.as_ref();
        }
        out
    }

    /// The one source `speaker` (as an article writes it) is, if the
    /// registry holds exactly one that fits best.
    pub fn find(&self, speaker: &str) -> Option<&Source> {
        let key = fold(speaker.trim());
        if let Some(found) = self.exact.get(&key) {
            return one(found.iter().copied()).map(|i| &self.sources[i]);
        }
        let wanted = name_words(speaker);
        if wanted.is_empty() {
            return None;
        }
        let mut best: Option<(Fit, Vec<usize>)> = None;
        let mut seen = std::collections::HashSet::new();
        for w in &wanted {
            for &ni in self.by_word.get(&stem_key(w)).into_iter().flatten() {
                if !seen.insert(ni) {
                    continue;
                }
                let (si, have) = &self.names[ni];
                let fit = if holds(have, &wanted) && holds(&wanted, have) {
                    Some(Fit::Same)
                } else if (holds(have, &wanted) && wanted.len() >= 2)
                    || (holds(&wanted, have) && have.len() >= 2)
                {
                    Some(Fit::Holds)
                } else {
                    None
                };
                let Some(fit) = fit else { continue };
                match &mut best {
                    Some((b, list)) if *b == fit => {
                        if !list.contains(si) {
                            list.push(*si);
                        }
                    }
                    Some((b, _)) if *b > fit => {}
                    _ => best = Some((fit, vec![*si])),
                }
            }
        }
        let (_, found) = best?;
        one(found.into_iter()).map(|i| &self.sources[i])
    }
}

/// The only item of `it`, if it has exactly one.
fn one(mut it: impl Iterator<Item = usize>) -> Option<usize> {
    let first = it.next()?;
    it.all(|x| x == first).then_some(first)
}

/// What words that `same_word` could take for one are filed under: their
/// first three letters, which all forms of a word share.
fn stem_key(w: &str) -> String {
    w.chars().take(3).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Source;

    fn source(id: &str, name: &str, original: &str, aliases: &[&str]) -> Source {
        Source {
            id: SourceId(id.into()),
            name: name.into(),
            name_original: original.into(),
            aliases: aliases.iter().map(|a| a.to_string()).collect(),
            kind: String::new(),
            country: None,
            parent: None,
            extra: Default::default(),
        }
    }

    fn registry() -> Registry {
        let mut r = Registry::default();
        r.add(source(
            "moi",
            "Albanian Interior Ministry",
            "وزارة الداخلية الألبانية",
            &["Ministry of Interior"],
        ));
        r.add(source(
            "rama",
            "Prime Minister Edi Rama",
            "رئيس الوزراء إدي راما",
            &["إيدي راما", "Edi Rama"],
        ));
        r.add(source(
            "treasury",
            "US Treasury Department",
            "وزارة الخزانة الأمريكية",
            &[],
        ));
        r.add(source(
            "iran",
            "Government of Iran (Tehran)",
            "طهران",
            &["Iran"],
        ));
        r.add(source("analysts", "Analysts", "محللون", &[]));
        r
    }

    fn who(r: &Registry, speaker: &str) -> Option<String> {
        r.find(speaker).map(|s| s.id.0.to_string())
    }

    #[test]
    fn one_party_however_an_article_writes_its_name() {
        let r = registry();
        for (speaker, want) in [
            ("وزارة الداخلية الألبانية", "moi"),
            ("Albania's Interior Ministry", "moi"),
            ("the Interior Ministry", "moi"),
            ("Albanian Interior Ministry", "moi"),
            ("الداخلية الألبانية", "moi"),
            ("Prime Minister Edi Rama", "rama"),
            ("رئيس الوزراء الألباني إيدي راما", "rama"),
            ("Albanian Prime Minister Edi Rama", "rama"),
            ("The U.S. Treasury Department", "treasury"),
            ("Treasury Department", "treasury"),
            ("Iran", "iran"),
            ("طهران", "iran"),
            ("محللين", "analysts"),
        ] {
            assert_eq!(who(&r, speaker).as_deref(), Some(want), "{speaker}");
        }
    }

    #[test]
    fn a_name_two_sources_could_have_or_none_has_is_left_alone() {
        let r = registry();
        for speaker in [
            "the ministry",
            "وزارة",
            "Iranian Foreign Ministry spokesman Nasser Kanani",
            "Local media",
            "Irish Prime Minister",
            "The",
            "",
        ] {
            assert_eq!(who(&r, speaker), None, "{speaker}");
        }
    }

    #[test]
    fn word_forms_are_one_word_and_other_words_are_not() {
        assert!(same_word("iran", "iranian"));
        assert!(same_word("albania", "albanian"));
        assert_eq!(name_words("محللون"), name_words("محللين"));
        assert!(same_word(&fold("الوزارة"), &fold("وزارة")));
        assert!(!same_word("iran", "tirana"));
        assert!(!same_word("state", "statement"));
        assert!(!same_word("us", "use"));
    }
}
