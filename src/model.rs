//! The desk's data: articles, sources, claims and their review history.
//!
//! Plain serde types. Every struct keeps the keys it does not know in `extra`,
//! so a file written by a newer desk (or by hand) loses nothing when we save it.

use std::fmt;
use std::ops::{Deref, DerefMut};

use compact_str::CompactString;
use serde::{Deserialize, Serialize};

/// Keys a struct does not know, kept in file order and written back after
/// the known ones. Boxed, and only when there are any: a million claims
/// that have none pay 8 bytes each, not the 72 of an empty map.
#[derive(Debug, Clone, Default)]
pub struct Extra(Option<Box<serde_yaml::Mapping>>);

impl Extra {
    pub fn new() -> Extra {
        Extra(None)
    }

    /// Whether it holds no key but `key`.
    pub fn is_empty_but(&self, key: &str) -> bool {
        self.0
            .as_ref()
            .is_none_or(|m| m.keys().all(|k| k.as_str() == Some(key)))
    }
}

impl From<serde_yaml::Mapping> for Extra {
    fn from(keys: serde_yaml::Mapping) -> Extra {
        Extra((!keys.is_empty()).then(|| Box::new(keys)))
    }
}

impl Deref for Extra {
    type Target = serde_yaml::Mapping;

    fn deref(&self) -> &serde_yaml::Mapping {
        static NONE: std::sync::LazyLock<serde_yaml::Mapping> =
            std::sync::LazyLock::new(serde_yaml::Mapping::new);
        self.0.as_deref().unwrap_or(&NONE)
    }
}

impl DerefMut for Extra {
    fn deref_mut(&mut self) -> &mut serde_yaml::Mapping {
        self.0.get_or_insert_with(Default::default)
    }
}

/// Equal by their keys: none and an emptied map are the same.
impl PartialEq for Extra {
    fn eq(&self, other: &Extra) -> bool {
        **self == **other
    }
}

impl Serialize for Extra {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        (**self).serialize(s)
    }
}

impl<'de> Deserialize<'de> for Extra {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Extra, D::Error> {
        serde_yaml::Mapping::deserialize(d).map(Extra::from)
    }
}

/// A claim's id: unique across the whole desk, stable across edits. Held
/// in place up to 24 bytes (ids are short): a million claims' ids and
/// sources then take no allocation of their own, 64 MB less.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct ClaimId(pub CompactString);

/// A source's id: unique within its file.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SourceId(pub CompactString);

impl fmt::Display for ClaimId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Display for SourceId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

pub use crate::scale::{Scale, Status};

/// The article a claims file is about, with its body split into numbered paragraphs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    /// The headline as published.
    pub title: String,
    /// The headline in English; empty until someone translates it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub title_en: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub outlet: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub author: String,
    /// Publication date and time, RFC 3339 with the outlet's offset.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub published: String,
    /// BCP 47 language tag of the original text, e.g. `ar`.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub language: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caption: Option<String>,
    /// The body, one entry per paragraph; claims refer to them 1-based (0 is the headline).
    pub paragraphs: Vec<String>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Article {
    /// The paragraph claim `c` stands in: the one it names, else the first
    /// that holds its text (a hand-written claim may not say).
    pub fn paragraph_of(&self, c: &Claim) -> Option<usize> {
        c.paragraph.or_else(|| self.paragraph_holding(&c.text))
    }

    /// The first paragraph (0 the headline) that holds `text` verbatim.
    pub fn paragraph_holding(&self, text: &str) -> Option<usize> {
        std::iter::once(&self.title)
            .chain(&self.paragraphs)
            .position(|p| !text.is_empty() && p.contains(text))
    }

    /// The article without its paragraphs (a copy of the rest).
    pub fn without_body(&self) -> Article {
        Article {
            id: self.id.clone(),
            title: self.title.clone(),
            title_en: self.title_en.clone(),
            outlet: self.outlet.clone(),
            author: self.author.clone(),
            published: self.published.clone(),
            language: self.language.clone(),
            url: self.url.clone(),
            caption: self.caption.clone(),
            paragraphs: Vec::new(),
            extra: self.extra.clone(),
        }
    }

    /// The English headline, or the original until someone translates it.
    pub fn english_title(&self) -> &str {
        if self.title_en.is_empty() {
            &self.title
        } else {
            &self.title_en
        }
    }

    /// Paragraph `n` as claims number them: 0 is the headline, 1.. the body.
    pub fn paragraph(&self, n: usize) -> Option<&str> {
        match n {
            0 => Some(&self.title),
            n => self.paragraphs.get(n - 1).map(String::as_str),
        }
    }
}

/// A party the article attributes statements to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Source {
    pub id: SourceId,
    /// English display name.
    pub name: String,
    /// The name as the article writes it.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub name_original: String,
    /// Other names the newsroom's articles use for it, in any language
    /// ("Interior Ministry", "الداخلية الألبانية"): import matches speakers
    /// against them, and pickers and `--source` find it by them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    /// What kind of party: government-ministry, head-of-government, outlet, ...
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// The body this source speaks for or belongs to, e.g. a spokesperson's White House.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<SourceId>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Source {
    /// Every name it goes by: the English name, the original, the aliases.
    pub fn all_names(&self) -> impl Iterator<Item = &str> {
        [self.name.as_str(), &self.name_original]
            .into_iter()
            .chain(self.aliases.iter().map(String::as_str))
            .filter(|n| !n.is_empty())
    }

    /// "Name (as the article writes it)", the original left out when absent.
    pub fn names(&self) -> String {
        if self.name_original.is_empty() || self.name_original == self.name {
            self.name.clone()
        } else {
            format!("{} ({})", self.name, self.name_original)
        }
    }
}

/// Extra fields of a claim that the desk itself reads and writes: a
/// candidate `claimdesk import` proposed, and links to the same claim
/// elsewhere (a reviewer's `same_as`, import's `seen_before`).
pub const CANDIDATE: &str = "candidate";
pub const SAME_AS: &str = "same_as";
/// A history entry's key for where the change was made (a bureau).
pub const BUREAU: &str = "bureau";
pub const SEEN_BEFORE: &str = "seen_before";
/// How much of its weighted words each `seen_before` claim shares (0-1),
/// in the same order: what import's link stands on.
pub const SEEN_BEFORE_SCORE: &str = "seen_before_score";

/// One check-worthy statement of the article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Claim {
    pub id: ClaimId,
    pub source: SourceId,
    /// Where the claim stands: 0 the headline, 1.. the body paragraphs;
    /// `None` when nobody has said.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub paragraph: Option<usize>,
    /// The original wording, verbatim from the article.
    pub text: String,
    /// In English; empty while the translation is pending.
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub translation: String,
    pub status: Status,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    #[serde(default)]
    pub history: Vec<HistoryEntry>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Claim {
    /// Two verdicts made without seeing each other (in different bureaus,
    /// merged by a sync) that disagree, and which nobody has settled since:
    /// (the one overruled, the one that won, the newer). An entry made
    /// seeing the status at that moment settles them: a new verdict, or
    /// the same one confirmed.
    pub fn verdicts_differ(&self) -> Option<(&HistoryEntry, &HistoryEntry)> {
        let mut history: Vec<&HistoryEntry> = self.history.iter().collect();
        history.sort_by(|a, b| a.at.cmp(&b.at));
        let mut state: Option<(Status, &HistoryEntry)> = None;
        let mut differ = None;
        for h in history {
            let confirms = h.previous == Some(h.status)
                && h.note.is_none()
                && h.evidence.is_empty()
                && h.evidence_removed.is_empty()
                && h.extra.is_empty_but(BUREAU);
            if !(h.is_verdict() || confirms) {
                continue;
            }
            match state {
                Some((now, last)) if h.previous() != now && h.status != now => {
                    differ = Some((last, h));
                }
                Some((now, _)) if h.previous() == now => differ = None,
                _ => {}
            }
            state = Some((h.status, h));
        }
        differ
    }

    /// Where the claim stands, as a reader says it.
    pub fn place(&self) -> String {
        match self.paragraph {
            Some(0) => "headline".into(),
            Some(n) => format!("paragraph {n}"),
            None => "paragraph not given".into(),
        }
    }

    /// Whether `claimdesk import` proposed it and no reviewer has accepted it yet.
    pub fn is_candidate(&self) -> bool {
        self.extra.get(CANDIDATE) == Some(&serde_yaml::Value::Bool(true))
    }

    /// Mark it as a candidate, or (accepted) no longer.
    pub fn set_candidate(&mut self, candidate: bool) {
        if candidate {
            self.extra
                .insert(CANDIDATE.into(), serde_yaml::Value::Bool(true));
        } else {
            self.extra.remove(CANDIDATE);
        }
    }

    /// The claim ids under `key` of its extra fields: one id, or a list.
    pub fn ids_under(&self, key: &str) -> Vec<ClaimId> {
        match self.extra.get(key) {
            Some(serde_yaml::Value::String(id)) => vec![ClaimId(id.as_str().into())],
            Some(serde_yaml::Value::Sequence(list)) => list
                .iter()
                .filter_map(|v| v.as_str().map(|id| ClaimId(id.into())))
                .collect(),
            _ => Vec::new(),
        }
    }

    /// How much of its words each claim `seen_before` lists shares with
    /// this one (import's `seen_before_score`), in the same order.
    pub fn seen_before_scores(&self) -> Vec<f64> {
        match self.extra.get(SEEN_BEFORE_SCORE) {
            Some(serde_yaml::Value::Sequence(list)) => {
                list.iter().filter_map(serde_yaml::Value::as_f64).collect()
            }
            _ => Vec::new(),
        }
    }

    /// Claims that say the same thing: `same_as` (a reviewer's link, one id
    /// or a list) and `seen_before` (what `claimdesk import` found), in that
    /// order, each once.
    pub fn linked(&self) -> Vec<ClaimId> {
        let mut out: Vec<ClaimId> = Vec::new();
        for id in self
            .ids_under(SAME_AS)
            .into_iter()
            .chain(self.ids_under(SEEN_BEFORE))
        {
            if id != self.id && !out.contains(&id) {
                out.push(id);
            }
        }
        out
    }

    /// The English translation, or a word that it is pending.
    pub fn translation_or_pending(&self) -> &str {
        if self.translation.is_empty() {
            "(translation pending)"
        } else {
            &self.translation
        }
    }
}

/// One change to a claim: who, when, from which status to which, and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HistoryEntry {
    /// RFC 3339, UTC.
    pub at: String,
    pub by: String,
    pub status: Status,
    /// The status before; a hand-written entry without it changed no status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Status>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// Evidence URLs this change added.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence: Vec<String>,
    /// Evidence URLs this change removed.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub evidence_removed: Vec<String>,
    /// Set when this entry undoes the reviewer's previous change.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub undo: bool,
    #[serde(flatten)]
    pub extra: Extra,
}

impl HistoryEntry {
    /// Where the change was made, when the desk knew (`--bureau`).
    pub fn bureau(&self) -> Option<&str> {
        self.extra.get(BUREAU).and_then(|v| v.as_str())
    }

    /// Who made the change, and where when known: `bob (Abu Dhabi)`.
    pub fn who(&self) -> String {
        match self.bureau() {
            Some(b) => format!("{} ({b})", self.by),
            None => self.by.clone(),
        }
    }

    /// Whether this entry changed the verdict (or undid a change).
    pub fn is_verdict(&self) -> bool {
        self.status != self.previous()
    }

    /// The status before this change (the same when the entry does not say).
    pub fn previous(&self) -> Status {
        self.previous.unwrap_or(self.status)
    }

    /// What the change did, in words: `unreviewed -> verified`, a note, the
    /// evidence added or removed (a change that only touched evidence does
    /// not restate the status).
    pub fn what(&self) -> String {
        let mut parts = Vec::new();
        if self.status != self.previous() {
            parts.push(format!("{} -> {}", self.previous(), self.status));
        }
        if let Some(n) = &self.note {
            parts.push(if n.trim().is_empty() {
                "note removed".to_string()
            } else {
                format!("note \"{n}\"")
            });
        }
        for e in &self.evidence {
            parts.push(format!("added evidence {e}"));
        }
        for e in &self.evidence_removed {
            parts.push(format!("removed evidence {e}"));
        }
        if let Some(t) = self.extra.get("translation").and_then(|v| v.as_str()) {
            parts.push(if t.is_empty() {
                "translation removed".to_string()
            } else {
                format!("translation \"{t}\"")
            });
        }
        if let Some(t) = self.extra.get("triage").and_then(|v| v.as_str()) {
            parts.push(format!("candidate {t}"));
        }
        if parts.is_empty() {
            parts.push(format!("{} (unchanged)", self.status));
        }
        let said = parts.join("; ");
        if self.undo {
            format!("undo: {said}")
        } else {
            said
        }
    }
}

/// One claims file: an article, who it quotes, and what it claims.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Document {
    pub article: Article,
    pub sources: Vec<Source>,
    pub claims: Vec<Claim>,
    #[serde(flatten)]
    pub extra: Extra,
}

impl Document {
    pub fn source(&self, id: &SourceId) -> Option<&Source> {
        self.sources.iter().find(|s| &s.id == id)
    }
}

/// The desk's settings, from the optional `claimdesk.yaml` in the claims directory.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// Who publishes the reviews.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organisation: Option<Organisation>,
    /// Where published reviews live; a claim's review is this plus its id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reviews_url: Option<String>,
    /// Defaults for how text is drawn; flags and environment override them.
    #[serde(default)]
    pub display: DisplaySettings,
    /// The desk's statuses; the six defaults when absent.
    #[serde(default)]
    pub rating_scale: Scale,
    #[serde(flatten)]
    pub extra: Extra,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Organisation {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DisplaySettings {
    /// `auto`, `on` or `off`, as `--bidi`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bidi: Option<BidiSetting>,
    /// Join Arabic letters, as `--shape`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shape: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum BidiSetting {
    Auto,
    On,
    /// Words in visual order, letters as sent: for kitty.
    Words,
    Off,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_keys_are_kept_and_no_keys_cost_no_map() {
        let yaml = "id: c1\nsource: s\ntext: t\ntranslation: tr\nstatus: unreviewed\nreviewed_by_bot: true\n";
        let claim: Claim = serde_yaml::from_str(yaml).expect("a claim");
        assert_eq!(
            claim.extra.get("reviewed_by_bot"),
            Some(&serde_yaml::Value::Bool(true))
        );
        let back = serde_yaml::to_string(&claim).expect("written");
        assert!(back.contains("reviewed_by_bot: true"), "{back}");

        let plain: Claim =
            serde_yaml::from_str(&yaml.replace("reviewed_by_bot: true\n", "")).expect("a claim");
        assert!(plain.extra.0.is_none(), "an empty map was allocated");
        // Emptied or never set: the same keys, so equal.
        let mut emptied = claim.clone();
        emptied.extra.clear();
        assert_eq!(emptied.extra, plain.extra);
        assert_ne!(claim.extra, plain.extra);
    }

    fn claim_with(history: &str) -> Claim {
        let yaml = format!(
            "id: c1\nsource: s\ntext: t\ntranslation: tr\nstatus: unreviewed\nhistory:\n{history}"
        );
        serde_yaml::from_str(&yaml).expect("a claim")
    }

    fn entry(at: &str, by: &str, from: &str, to: &str, bureau: &str) -> String {
        format!("  - {{at: '{at}', by: {by}, previous: {from}, status: {to}, bureau: {bureau}}}\n")
    }

    #[test]
    fn verdicts_made_apart_that_disagree_are_found_until_one_settles_them() {
        // Tirana and Abu Dhabi both judged from `unreviewed`, apart.
        let apart = entry(
            "2026-12-01T10:00:00Z",
            "alice",
            "unreviewed",
            "verified",
            "Tirana",
        ) + &entry(
            "2026-12-01T11:00:00Z",
            "bob",
            "unreviewed",
            "false",
            "Abu Dhabi",
        );
        let c = claim_with(&apart);
        let (lost, won) = c.verdicts_differ().expect("they differ");
        assert_eq!(
            (lost.who().as_str(), won.who().as_str()),
            ("alice (Tirana)", "bob (Abu Dhabi)")
        );

        // One after the other (bob saw alice's): no dispute.
        let seen = entry(
            "2026-12-01T10:00:00Z",
            "alice",
            "unreviewed",
            "verified",
            "Tirana",
        ) + &entry(
            "2026-12-01T11:00:00Z",
            "bob",
            "verified",
            "false",
            "Abu Dhabi",
        );
        assert!(claim_with(&seen).verdicts_differ().is_none());

        // Apart but agreeing: no dispute.
        let agree = entry(
            "2026-12-01T10:00:00Z",
            "alice",
            "unreviewed",
            "false",
            "Tirana",
        ) + &entry(
            "2026-12-01T11:00:00Z",
            "bob",
            "unreviewed",
            "false",
            "Abu Dhabi",
        );
        assert!(claim_with(&agree).verdicts_differ().is_none());

        // An editor confirms the kept verdict, or a note made seeing it: the
        // confirmation settles, a note alone does not.
        let noted = apart.clone()
            + "  - {at: '2026-12-01T12:00:00Z', by: ed, previous: 'false', status: 'false', note: why}\n";
        assert!(claim_with(&noted).verdicts_differ().is_some());
        let settled = apart
            + "  - {at: '2026-12-01T12:00:00Z', by: ed, previous: 'false', status: 'false', bureau: Tirana}\n";
        assert!(claim_with(&settled).verdicts_differ().is_none());
    }
}
