//! Verification statuses and the desk's rating scale.
//!
//! A desk may define its own statuses (`rating_scale` in claimdesk.yaml), so
//! a status is a key, not a fixed enum: `Status` is an interned key, cheap to
//! copy and compare, and `Scale` says which keys exist, in which order, with
//! which label, shortcut digit, colour and published rating. Without
//! settings the scale is the six default statuses.

use std::collections::HashSet;
use std::fmt;
use std::sync::Mutex;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A status key such as `verified`, interned so it is `Copy`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Status(&'static str);

/// Keys longer than this are not status keys.
const MAX_KEY: usize = 48;
/// Distinct keys a process will intern; a file with more is refused, not a memory leak.
const MAX_KEYS: usize = 512;

static INTERNED: Mutex<Option<HashSet<&'static str>>> = Mutex::new(None);

#[allow(non_upper_case_globals)]
impl Status {
    pub const Unreviewed: Status = Status("unreviewed");
    pub const InReview: Status = Status("in-review");
    pub const Verified: Status = Status("verified");
    pub const Misleading: Status = Status("misleading");
    pub const False: Status = Status("false");
    pub const Unverifiable: Status = Status("unverifiable");

    /// The default statuses, in order.
    pub const ALL: [Status; 6] = [
        Status::Unreviewed,
        Status::InReview,
        Status::Verified,
        Status::Misleading,
        Status::False,
        Status::Unverifiable,
    ];

    /// The status with this key. Any key can be a status; whether the desk
    /// knows it is the scale's to say.
    pub fn intern(key: &str) -> Result<Status, String> {
        if let Some(s) = Status::ALL.iter().find(|s| s.0 == key) {
            return Ok(*s);
        }
        if key.is_empty() || key.len() > MAX_KEY {
            return Err(format!("a status key must be 1 to {MAX_KEY} bytes long"));
        }
        let mut guard = INTERNED.lock().unwrap_or_else(|p| p.into_inner());
        let set = guard.get_or_insert_with(HashSet::new);
        if let Some(k) = set.get(key) {
            return Ok(Status(k));
        }
        if set.len() >= MAX_KEYS {
            return Err("too many distinct status keys".into());
        }
        let leaked: &'static str = Box::leak(key.to_string().into_boxed_str());
        set.insert(leaked);
        Ok(Status(leaked))
    }

    /// The spelling used in YAML and on the command line.
    pub fn key(self) -> &'static str {
        self.0
    }
}

impl fmt::Display for Status {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl Serialize for Status {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for Status {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Key;
        impl serde::de::Visitor<'_> for Key {
            type Value = Status;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a status key")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Status, E> {
                Status::intern(v.trim()).map_err(E::custom)
            }
        }
        d.deserialize_str(Key)
    }
}

/// How a status reads when a verdict is published (ClaimReview's rating).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Rating {
    /// On the scale from `worst` to `best`; none for verdicts off the truth scale.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub value: Option<i64>,
    /// The textual rating (`alternateName`), e.g. "False".
    pub text: String,
}

/// One status of the scale.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StatusDef {
    pub key: Status,
    pub label: String,
    /// The key that sets it in the desk, 0-9.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub digit: Option<u8>,
    /// A terminal colour name: default, red, green, yellow, blue, magenta, cyan, gray.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub color: Option<String>,
    /// Present for verdicts (published as ClaimReview); absent for work in progress.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rating: Option<Rating>,
}

/// The desk's statuses, in order, and the numeric range of published ratings.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Scale {
    pub best: i64,
    pub worst: i64,
    pub statuses: Vec<StatusDef>,
}

pub const COLORS: [&str; 8] = [
    "default", "red", "green", "yellow", "blue", "magenta", "cyan", "gray",
];

impl Default for Scale {
    fn default() -> Self {
        let def =
            |key: Status, label: &str, digit, color: &str, rating: Option<(Option<i64>, &str)>| {
                StatusDef {
                    key,
                    label: label.into(),
                    digit: Some(digit),
                    color: Some(color.into()),
                    rating: rating.map(|(value, text)| Rating {
                        value,
                        text: text.into(),
                    }),
                }
            };
        Scale {
            best: 5,
            worst: 1,
            statuses: vec![
                def(Status::Unreviewed, "Unreviewed", 1, "default", None),
                def(Status::InReview, "In review", 2, "blue", None),
                def(
                    Status::Verified,
                    "Verified",
                    3,
                    "green",
                    Some((Some(5), "True")),
                ),
                def(
                    Status::Misleading,
                    "Misleading",
                    4,
                    "yellow",
                    Some((Some(2), "Misleading")),
                ),
                def(Status::False, "False", 5, "red", Some((Some(1), "False"))),
                def(
                    Status::Unverifiable,
                    "Unverifiable",
                    6,
                    "magenta",
                    Some((None, "Unverifiable")),
                ),
            ],
        }
    }
}

/// An unknown status, with the closest valid spelling when one is near.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownStatus {
    pub given: String,
    pub suggestion: Option<&'static str>,
    pub valid: Vec<&'static str>,
}

impl fmt::Display for UnknownStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown status `{}`", self.given)?;
        if let Some(s) = self.suggestion {
            write!(f, " (did you mean `{s}`?)")?;
        }
        write!(f, "; valid statuses: {}", self.valid.join(", "))
    }
}

impl std::error::Error for UnknownStatus {}

impl Scale {
    pub fn keys(&self) -> impl Iterator<Item = Status> + '_ {
        self.statuses.iter().map(|d| d.key)
    }

    pub fn len(&self) -> usize {
        self.statuses.len()
    }

    pub fn is_empty(&self) -> bool {
        self.statuses.is_empty()
    }

    /// Where a status stands in the scale (for counts and ordering).
    pub fn index(&self, s: Status) -> Option<usize> {
        self.statuses.iter().position(|d| d.key == s)
    }

    pub fn def(&self, s: Status) -> Option<&StatusDef> {
        self.statuses.iter().find(|d| d.key == s)
    }

    pub fn contains(&self, s: Status) -> bool {
        self.index(s).is_some()
    }

    /// Whether a claim with this status has a verdict (counts as reviewed, is published).
    pub fn is_verdict(&self, s: Status) -> bool {
        self.def(s).is_some_and(|d| d.rating.is_some())
    }

    pub fn rating(&self, s: Status) -> Option<&Rating> {
        self.def(s)?.rating.as_ref()
    }

    pub fn label(&self, s: Status) -> &str {
        self.def(s).map_or(s.key(), |d| d.label.as_str())
    }

    pub fn by_digit(&self, digit: u8) -> Option<Status> {
        self.statuses
            .iter()
            .find(|d| d.digit == Some(digit))
            .map(|d| d.key)
    }

    /// The status a user typed: its key in any case, `_` or space for `-`.
    pub fn parse(&self, given: &str) -> Result<Status, UnknownStatus> {
        let wanted = given.trim().to_lowercase().replace(['_', ' '], "-");
        self.keys()
            .find(|s| s.key() == wanted)
            .ok_or_else(|| self.unknown(given))
    }

    pub fn unknown(&self, given: &str) -> UnknownStatus {
        UnknownStatus {
            given: given.to_string(),
            suggestion: crate::text::closest(given, self.keys().map(Status::key)),
            valid: self.keys().map(Status::key).collect(),
        }
    }

    /// Per-status counts, in scale order.
    pub fn counts<'a>(&self, statuses: impl Iterator<Item = Status> + 'a) -> Vec<usize> {
        let mut counts = vec![0; self.len()];
        for s in statuses {
            if let Some(i) = self.index(s) {
                counts[i] += 1;
            }
        }
        counts
    }

    /// How many of `counts` (per status, in scale order) are verdicts.
    pub fn verdicts_in(&self, counts: &[usize]) -> usize {
        self.keys()
            .zip(counts)
            .filter(|(s, _)| self.is_verdict(*s))
            .map(|(_, n)| n)
            .sum()
    }

    /// What is wrong with a hand-written scale, if anything: (message, the key it concerns).
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.statuses.is_empty() {
            out.push("rating_scale.statuses is empty; list at least one status".to_string());
        }
        if self.worst >= self.best {
            out.push(format!(
                "rating_scale: worst ({}) must be below best ({})",
                self.worst, self.best
            ));
        }
        let mut keys = HashSet::new();
        let mut digits = HashSet::new();
        for d in &self.statuses {
            let k = d.key.key();
            if !k
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            {
                out.push(format!("status `{k}`: keys use a-z, 0-9 and `-` only"));
            }
            if !keys.insert(d.key) {
                out.push(format!("status `{k}` is listed twice"));
            }
            if let Some(g) = d.digit {
                if g > 9 {
                    out.push(format!("status `{k}`: digit {g} is not a key; use 0-9"));
                } else if !digits.insert(g) {
                    out.push(format!(
                        "status `{k}`: digit {g} is already used by another status"
                    ));
                }
            }
            if let Some(c) = &d.color
                && !COLORS.contains(&c.as_str())
            {
                out.push(format!(
                    "status `{k}`: colour `{c}` is not one of {}",
                    COLORS.join(", ")
                ));
            }
            if let Some(v) = d.rating.as_ref().and_then(|r| r.value)
                && !(self.worst..=self.best).contains(&v)
            {
                out.push(format!(
                    "status `{k}`: rating {v} is outside worst..best ({}..{})",
                    self.worst, self.best
                ));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_scale_parses_its_keys_and_forgiving_spellings() {
        let s = Scale::default();
        for st in Status::ALL {
            assert_eq!(s.parse(st.key()), Ok(st));
        }
        assert_eq!(s.parse("In_Review"), Ok(Status::InReview));
        assert_eq!(s.parse("in review"), Ok(Status::InReview));
        let err = s.parse("verifed").unwrap_err();
        assert_eq!(err.suggestion, Some("verified"));
        assert!(err.to_string().contains("did you mean `verified`"));
        assert_eq!(s.parse("banana").unwrap_err().suggestion, None);
        assert!(s.problems().is_empty());
    }

    #[test]
    fn verdicts_are_the_statuses_with_a_rating() {
        let s = Scale::default();
        let verdicts: Vec<_> = Status::ALL
            .into_iter()
            .filter(|x| s.is_verdict(*x))
            .collect();
        assert_eq!(
            verdicts,
            [
                Status::Verified,
                Status::Misleading,
                Status::False,
                Status::Unverifiable
            ]
        );
        assert_eq!(s.by_digit(5), Some(Status::False));
    }

    #[test]
    fn interning_gives_equal_statuses_for_equal_keys() {
        let a = Status::intern("half-true").expect("a key");
        let b = Status::intern("half-true").expect("a key");
        assert_eq!(a, b);
        assert_eq!(Status::intern("verified"), Ok(Status::Verified));
        assert!(Status::intern(&"x".repeat(100)).is_err());
    }

    #[test]
    fn a_bad_scale_says_what_is_wrong() {
        let mut s = Scale::default();
        s.statuses[1].digit = Some(1);
        s.statuses[2].color = Some("chartreuse".into());
        s.statuses[3].rating = Some(Rating {
            value: Some(9),
            text: "x".into(),
        });
        let p = s.problems().join("\n");
        assert!(p.contains("digit 1 is already used"), "{p}");
        assert!(p.contains("colour `chartreuse`"), "{p}");
        assert!(p.contains("rating 9 is outside"), "{p}");
    }
}
