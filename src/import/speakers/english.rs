//! Attribution in English wire copy: "X said", "said X", "X tweeted",
//! "according to X"; datelines, adverbs and documents set aside.

use super::{Attribution, bare};

const ENGLISH_VERBS: &[&str] = &[
    "said",
    "says",
    "say",
    "condemns",
    "warn",
    "warns",
    "believe",
    "argue",
    "claim",
    "claims",
    "insist",
    "deny",
    "denies",
    "insists",
    "tweeted",
    "writes",
    "reported",
    "reports",
    "rejected",
    "noted",
    "posted",
    "urged",
    "dismissed",
    "blamed",
    "blames",
    "accuses",
    "pledged",
    "vowed",
    "confirmed",
    "alleged",
    "explained",
    "acknowledged",
    "tells",
    "adds",
    "announces",
    "stressed",
    "threatened",
    "announced",
    "stated",
    "told",
    "wrote",
    "claimed",
    "warned",
    "added",
    "denied",
    "accused",
    "condemned",
    "insisted",
    "argued",
];
const ENGLISH_STOPS: &[&str] = &[
    "on", "in", "that", "at", "to", "the", "a", "an", "last", "this", "earlier", "later", "had",
    "as", "while", "when", "because", "since", "if", "after", "before", "amid", "where", "has",
    "have", "was", "is", "would", "will", "also", "and", "but", "of", "for", "with",
];

/// Titles that stand inside a name in lower case ("National Security
/// Council spokeswoman Adrienne Watson").
const ENGLISH_TITLES: &[&str] = &[
    "spokeswoman",
    "spokesman",
    "spokesperson",
    "minister",
    "secretary",
    "president",
    "chief",
    "director",
    "ambassador",
    "envoy",
    "official",
    "adviser",
    "advisor",
    "press",
    "commander",
    "leader",
    "head",
    "senator",
];

/// Words between a subject and its verb that are not the subject ("Iran
/// later rejected", "NATO also said").
const ENGLISH_ADVERBS: &[&str] = &[
    "later",
    "also",
    "earlier",
    "previously",
    "again",
    "then",
    "had",
    "has",
    "have",
    "would",
    "recently",
    "quickly",
    "swiftly",
    "strongly",
    "publicly",
    "separately",
    "repeatedly",
];

const ENGLISH_DAYS: &[&str] = &[
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "week",
    "month",
    "year",
];
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// What says nothing itself: "the statement said" is whoever issued it.
const ENGLISH_GENERIC: &[&str] = &["statement", "report", "release", "communique", "letter"];

/// Whether `name` is only a document or a pronoun (the speaker is the one before).
fn generic(name: &str) -> bool {
    let words: Vec<String> = name
        .split_whitespace()
        .map(|w| bare(w).to_lowercase())
        .filter(|w| {
            !["the", "a", "an", "its", "their", "his", "her", "joint"].contains(&w.as_str())
        })
        .collect();
    !words.is_empty()
        && words.iter().all(|w| {
            ENGLISH_GENERIC.contains(&w.as_str())
                || ["it", "he", "she", "they"].contains(&w.as_str())
        })
}

/// A run of capitalised words (a name), allowing "of", "the" and "for" inside.
fn english_name(words: &[&str]) -> Option<String> {
    let mut name: Vec<&str> = Vec::new();
    for w in words {
        let b = bare(w);
        let capital = b.chars().next().is_some_and(|c| c.is_uppercase());
        let joiner =
            (["of", "the", "for"].contains(&b) || ENGLISH_TITLES.contains(&b)) && !name.is_empty();
        if !(capital || joiner) || b.is_empty() {
            break;
        }
        name.push(b);
        if w.ends_with([',', ':']) {
            break;
        }
    }
    while name
        .last()
        .is_some_and(|w| ["of", "the", "for"].contains(w))
    {
        name.pop();
    }
    if name.first() == Some(&"The") {
        name.remove(0);
    }
    (!name.is_empty()).then(|| name.join(" "))
}

/// Who `piece` (English) attributes its statement to.
pub(super) fn attribute(piece: &str) -> Attribution {
    let words: Vec<&str> = piece.split_whitespace().collect();
    let mut att = Attribution {
        reported: piece.contains(['"', '“']),
        ..Attribution::default()
    };
    let lower: Vec<String> = words.iter().map(|w| bare(w).to_lowercase()).collect();
    for i in 0..words.len() {
        // "according to X"
        if lower[i] == "according" && lower.get(i + 1).is_some_and(|w| w == "to") {
            att.reported = true;
            // "according to a statement from the alliance": who issued it.
            let after: Vec<&str> = words[i + 2..]
                .iter()
                .skip_while(|w| {
                    let b = bare(w).to_lowercase();
                    ["the", "a", "an", "from", "by", "of", "its", "joint"].contains(&b.as_str())
                        || ENGLISH_GENERIC.contains(&b.as_str())
                })
                .copied()
                .collect();
            att.speaker = english_name(&after);
            att.continues = att.speaker.is_none();
            return att;
        }
        if !ENGLISH_VERBS.contains(&lower[i].as_str()) {
            continue;
        }
        att.reported = true;
        if i > 0 && ["he", "she", "they", "it"].contains(&lower[i - 1].as_str()) {
            att.continues = true;
            return att;
        }
        // "X said": the name just before the verb (and its adverbs, and
        // when: "The United States on Friday announced").
        let mut subject_end = i;
        loop {
            let last = subject_end.checked_sub(1).map(|j| lower[j].as_str());
            let when = |w: &str| ENGLISH_DAYS.contains(&w) || MONTHS.contains(&w);
            if last.is_some_and(|w| ENGLISH_ADVERBS.contains(&w))
                && !words[subject_end - 1].ends_with(',')
            {
                subject_end -= 1;
            } else if last.is_some_and(when)
                && subject_end >= 2
                && ["on", "in", "last", "this", "since"].contains(&lower[subject_end - 2].as_str())
            {
                subject_end -= 2;
            } else {
                break;
            }
        }
        let before: Vec<&str> = words[..subject_end]
            .iter()
            .rev()
            .take_while(|w| !w.ends_with([',', ':', '"', '”']) || words.len() < 2)
            .copied()
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let start = before
            .iter()
            .rposition(|w| {
                ENGLISH_STOPS.contains(&bare(w).to_lowercase().as_str())
                    && !bare(w).starts_with(char::is_uppercase)
            })
            .map_or(0, |p| p + 1);
        let candidate = &before[start..];
        // A short subject that opens with a capital is the speaker whole
        // ("Iran's foreign ministry denied"); else the capitalised run.
        let whole = start == 0
            && (1..=8).contains(&candidate.len())
            && candidate
                .first()
                .is_some_and(|w| bare(w).starts_with(char::is_uppercase));
        let name = if whole {
            Some(
                candidate
                    .iter()
                    .map(|w| bare(w))
                    .collect::<Vec<_>>()
                    .join(" "),
            )
        } else {
            english_name(candidate)
        };
        let name = name
            .map(|n| n.strip_prefix("The ").map_or(n.clone(), str::to_string))
            .filter(|n| {
                let l = n.to_lowercase();
                !ENGLISH_DAYS.contains(&l.as_str()) && !MONTHS.contains(&l.as_str())
            });
        if let Some(name) = name.filter(|n| !n.is_empty() && n != "The") {
            if generic(&name) {
                att.continues = true;
            } else {
                att.speaker = Some(name);
            }
            return att;
        }
        if matches!(
            lower.get(i.wrapping_sub(1)).map(String::as_str),
            Some("he" | "she" | "they" | "it")
        ) {
            att.continues = true;
            return att;
        }
        // "said X" (after a quotation): the name just after.
        let after: Vec<&str> = words[i + 1..]
            .iter()
            .skip_while(|w| bare(w) == "the")
            .copied()
            .collect();
        att.speaker = english_name(&after).filter(|n| !generic(n));
        att.continues = att.speaker.is_none();
        return att;
    }
    att
}

/// Where the dateline of wire copy ends ("TIRANA, Albania (AP) — "), if
/// `piece` opens with one: a place in capitals, and an agency in brackets
/// or a dash. The place and the agency are never who speaks.
pub fn dateline_end(piece: &str) -> Option<usize> {
    let mut cut = piece.len().min(120);
    while !piece.is_char_boundary(cut) {
        cut -= 1;
    }
    let head = &piece[..cut];
    let dash = ["— ", "– ", " - ", " -- "]
        .iter()
        .filter_map(|d| head.find(d).map(|at| (at, at + d.len())))
        .min()?;
    let before = &piece[..dash.0];
    let first = before.split([',', ' ']).next().unwrap_or("");
    let city = first.chars().count() >= 3
        && first
            .chars()
            .all(|c| c.is_uppercase() || c == '-' || c == '.');
    // "TIRANA, Albania (AP) —", "LONDON (Reuters) -", "WASHINGTON —";
    // not "NATO said — ...".
    let place_only = before
        .split_whitespace()
        .all(|w| w.starts_with(|c: char| c.is_uppercase() || c == '('));
    (city && place_only && before.split_whitespace().count() <= 8).then_some(dash.1)
}
