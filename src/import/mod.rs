//! `claimdesk import`: a new article's text in, a claims file out, with
//! candidate claims already attributed, for a reviewer to triage.
//!
//! The text is split into paragraphs (one per line, or blank-line
//! separated), the paragraphs into sentences and clauses; a piece becomes a
//! candidate when it reports speech (a reporting verb, a connective or a
//! quotation) or states a checkable fact (a number or a date). Its source is
//! the speaker the piece names, the previous speaker for a continuation, and
//! the outlet otherwise. Speakers with the same name are one source.

mod html;
mod seen;
mod sentences;
mod speakers;

use serde_yaml::Value;

use crate::model::{Article, Claim, ClaimId, Document, Source, SourceId, Status};
use crate::query::{Registry, name_words, same_word};

pub use crate::text::sentences;
pub use html::article_text;
pub use seen::mark_seen_before;
pub use sentences::clauses;
pub use speakers::{Attribution, attribute};

/// What the command line says about the article.
#[derive(Debug, Clone, Default)]
pub struct Options {
    pub id: String,
    pub title: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub author: Option<String>,
    /// What claim and source ids start with (`alrai` gives `alrai-01`);
    /// the article's id when not given.
    pub prefix: Option<String>,
}

/// A short prefix for the ids of article `id`'s claims: its first word
/// (`alrai` of `alrai-2022-09-10-albania`), made unique with a number
/// when `taken` says the desk has claims under it already. Reviewers read
/// and type ids; a 34-character id does not fit a column or a hand.
pub fn short_prefix(id: &str, taken: impl Fn(&str) -> bool) -> String {
    let word: String = id
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric())
        .take(10)
        .collect::<String>()
        .to_ascii_lowercase();
    let word = if word.is_empty() {
        "c".to_string()
    } else {
        word
    };
    std::iter::once(word.clone())
        .chain((2..).map(|n| format!("{word}{n}")))
        .find(|p| !taken(p))
        .unwrap_or(word)
}

/// The paragraphs of an article's text: one per line, blank lines between
/// them or not; surrounding space trimmed, empty lines dropped.
pub fn paragraphs(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect()
}

/// Months, and English days (Arabic days are `speakers::ARABIC_DAYS`):
/// a piece naming one states a date.
const DATE_WORDS: &[&str] = &[
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
    "Monday",
    "Tuesday",
    "Wednesday",
    "Thursday",
    "Friday",
    "Saturday",
    "Sunday",
];

/// Whether paragraph `p` is a byline ("By LLAZAR SEMINI, Associated
/// Press", "كتب: ..."): who wrote the article, not a claim.
fn byline(p: &str) -> bool {
    let words: Vec<&str> = p.split_whitespace().collect();
    words.len() <= 8
        && (words.first().is_some_and(|w| *w == "By" || *w == "BY")
            || words
                .first()
                .is_some_and(|w| ["كتب:", "بقلم", "بقلم:"].contains(w)))
}

/// Whether a piece states something checkable without attributing it: a
/// number, a date, or a sentence long enough to assert something.
fn states_a_fact(piece: &str) -> bool {
    piece
        .chars()
        .any(|c| c.is_ascii_digit() || ('٠'..='٩').contains(&c))
        || piece
            .split_whitespace()
            .map(|w| w.trim_matches(|c: char| !c.is_alphanumeric()))
            .any(|w| DATE_WORDS.contains(&w) || speakers::ARABIC_DAYS.contains(&w))
        || piece.split_whitespace().count() >= 8
}

/// The sources of an article being built: one per party, in order of
/// appearance; a party the desk knows already is the desk's source.
struct Sources<'r> {
    prefix: String,
    list: Vec<Source>,
    /// Each name met in the article, folded and as words, with its source
    /// (an index into `list`), most recent last.
    met: Vec<(String, Vec<String>, usize)>,
    registry: &'r Registry,
}

impl Sources<'_> {
    fn id_for(&mut self, name: &str, kind: &str) -> SourceId {
        let key = crate::text::fold(name);
        let words = name_words(name);
        // The same name; or a shorter mention of someone named in full
        // before, the latest such ("واتسون" after "المتحدثة ... أدريين
        // واتسون", "الوزارة" after "وزارة الداخلية الألبانية", "the
        // ministry" after "Albania's Interior Ministry").
        let known = (self.met.iter().rev())
            .find(|(k, _, _)| *k == key)
            .or_else(|| {
                self.met.iter().rev().find(|(_, full, _)| {
                    !words.is_empty()
                        && full.len() > words.len()
                        && words.iter().all(|w| full.iter().any(|f| same_word(f, w)))
                })
            })
            .map(|m| m.2);
        if let Some(i) = known {
            self.met.push((key, words, i));
            return self.list[i].id.clone();
        }
        // A party the desk already has: its source, so the newsroom counts
        // it once. The copy leaves the aliases where the newsroom keeps them.
        if let Some(found) = self.registry.find(name) {
            let i = match self.list.iter().position(|s| s.id == found.id) {
                Some(i) => i,
                None => {
                    self.list.push(Source {
                        aliases: Vec::new(),
                        ..found.clone()
                    });
                    let i = self.list.len() - 1;
                    for up in self.registry.ancestors(found) {
                        if !self.list.iter().any(|s| s.id == up.id) {
                            self.list.push(Source {
                                aliases: Vec::new(),
                                ..up.clone()
                            });
                        }
                    }
                    i
                }
            };
            self.met.push((key, words, i));
            return found.id.clone();
        }
        let id = (self.list.len()..)
            .map(|n| SourceId(format!("{}-s{n:02}", self.prefix).into()))
            .find(|id| !self.list.iter().any(|s| &s.id == id))
            .unwrap_or_else(|| SourceId(self.prefix.as_str().into()));
        self.list.push(Source {
            id: id.clone(),
            name: name.to_string(),
            name_original: String::new(),
            aliases: Vec::new(),
            kind: kind.to_string(),
            country: None,
            parent: None,
            extra: Default::default(),
        });
        self.met.push((key, words, self.list.len() - 1));
        id
    }
}

/// The candidate claims of `text`, as a claims file for `opts.id`.
pub fn propose(text: &str, opts: &Options) -> Document {
    propose_with(text, opts, &Registry::default())
}

/// `propose`, with the speakers matched against the desk's sources first.
pub fn propose_with(text: &str, opts: &Options, registry: &Registry) -> Document {
    let mut paras = paragraphs(text);
    let title = match &opts.title {
        Some(t) => t.clone(),
        None if !paras.is_empty() => paras.remove(0),
        None => String::new(),
    };
    let outlet = opts.outlet.clone().unwrap_or_default();
    let mut sources = Sources {
        prefix: opts.prefix.clone().unwrap_or_else(|| opts.id.clone()),
        list: Vec::new(),
        met: Vec::new(),
        registry,
    };
    let outlet_id = sources.id_for(
        if outlet.is_empty() {
            "the outlet"
        } else {
            &outlet
        },
        "outlet",
    );
    let mut claims = Vec::new();
    let mut previous: Option<SourceId> = None;
    let folded_title = crate::text::fold(&title);
    let all = std::iter::once((0, title.as_str())).chain(
        (paras.iter().enumerate())
            .map(|(i, p)| (i + 1, p.as_str()))
            // The headline again (a page's title and its first line), and
            // bylines, are not claims of their own.
            .filter(|(_, p)| crate::text::fold(p) != folded_title && !byline(p)),
    );
    for (n, p) in all {
        for s in sentences(p) {
            let mut sentence = &p[s.clone()];
            if let Some(end) = speakers::dateline_end(sentence) {
                sentence = &sentence[end..];
            }
            for c in clauses(sentence) {
                let piece = &sentence[c];
                let att = attribute(piece);
                if !att.reported && !states_a_fact(piece) {
                    continue;
                }
                let source = match (&att.speaker, att.continues, &previous) {
                    (Some(name), _, _) => sources.id_for(name, ""),
                    (None, true, Some(prev)) => prev.clone(),
                    _ => outlet_id.clone(),
                };
                if att.speaker.is_some() || att.continues {
                    previous = Some(source.clone());
                }
                let mut claim = Claim {
                    id: ClaimId(format!("{}-{:02}", sources.prefix, claims.len() + 1).into()),
                    source,
                    paragraph: Some(n),
                    text: piece.to_string(),
                    translation: String::new(),
                    status: Status::Unreviewed,
                    note: None,
                    evidence: Vec::new(),
                    history: Vec::new(),
                    extra: Default::default(),
                };
                claim.set_candidate(true);
                if let Some(carrier) = &att.carrier {
                    claim
                        .extra
                        .insert("carrier".into(), Value::String(carrier.clone()));
                }
                claims.push(claim);
            }
        }
    }
    Document {
        article: Article {
            id: opts.id.clone(),
            title,
            title_en: String::new(),
            outlet,
            author: opts.author.clone().unwrap_or_default(),
            published: opts.published.clone().unwrap_or_default(),
            language: opts.language.clone().unwrap_or_default(),
            url: opts.url.clone(),
            caption: None,
            paragraphs: paras,
            extra: Default::default(),
        },
        sources: sources.list,
        claims,
        extra: Default::default(),
    }
}
