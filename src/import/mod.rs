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
mod sentences;
mod speakers;

use serde_yaml::Value;

use crate::model::{Article, Claim, ClaimId, Document, Source, SourceId, Status};

pub use crate::text::sentences;
pub use html::article_text;
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

/// The sources of an article being built: one per name, in order of appearance.
struct Sources {
    prefix: String,
    list: Vec<Source>,
    /// Each source's name, folded, in the order of `list`.
    folded: Vec<String>,
}

impl Sources {
    fn id_for(&mut self, name: &str, kind: &str) -> SourceId {
        let key = crate::text::fold(name);
        let words: Vec<&str> = key.split_whitespace().collect();
        // The same name; or a shorter mention of someone named in full
        // before ("واتسون" after "المتحدثة ... أدريين واتسون", "رئيس الوزراء
        // الألباني" after "رئيس الوزراء الألباني إيدي راما").
        let known = self.folded.iter().position(|f| *f == key).or_else(|| {
            self.folded.iter().position(|full| {
                let full: Vec<&str> = full.split_whitespace().collect();
                !words.is_empty()
                    && full.len() > words.len()
                    && words.iter().all(|w| full.contains(w))
            })
        });
        if let Some(i) = known {
            return self.list[i].id.clone();
        }
        let id = SourceId(format!("{}-s{:02}", self.prefix, self.list.len()).into());
        self.list.push(Source {
            id: id.clone(),
            name: name.to_string(),
            name_original: String::new(),
            kind: kind.to_string(),
            country: None,
            parent: None,
            extra: Default::default(),
        });
        self.folded.push(key);
        id
    }
}

/// The candidate claims of `text`, as a claims file for `opts.id`.
pub fn propose(text: &str, opts: &Options) -> Document {
    let mut paras = paragraphs(text);
    let title = match &opts.title {
        Some(t) => t.clone(),
        None if !paras.is_empty() => paras.remove(0),
        None => String::new(),
    };
    let outlet = opts.outlet.clone().unwrap_or_default();
    let mut sources = Sources {
        prefix: opts.id.clone(),
        list: Vec::new(),
        folded: Vec::new(),
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
    let all = std::iter::once((0, title.as_str()))
        .chain(paras.iter().enumerate().map(|(i, p)| (i + 1, p.as_str())));
    for (n, p) in all {
        for s in sentences(p) {
            let sentence = &p[s.clone()];
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
                    id: ClaimId(format!("{}-{:02}", opts.id, claims.len() + 1).into()),
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
