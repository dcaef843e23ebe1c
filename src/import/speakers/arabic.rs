//! Attribution in Arabic: the verb, then who (قالت وزارة ...), or who
//! before it (وكانت ألبانيا قد ادعت); carriers (بحسب، وفق، نقلاً عن).

use super::{Attribution, bare};

/// Reporting verbs, past tense, masculine; `ت` makes the feminine.
const ARABIC_VERBS: &[&str] = &[
    "قال",
    "أعلن",
    "أكد",
    "أضاف",
    "تابع",
    "أشار",
    "أوضح",
    "ذكر",
    "أورد",
    "ندد",
    "دان",
    "أدان",
    "زعم",
    "ادعى",
    "حذر",
    "وصف",
    "كتب",
    "اتهم",
    "نفى",
    "دعا",
    "يقول",
    "تقول",
    "صرح",
    "شدد",
    "طالب",
    "أردف",
    "نقل",
    "اعتبر",
    "لفت",
    "نوه",
    "كشف",
    "أفاد",
    "دون",
    "غرد",
    "هدد",
    "توعد",
    "أبلغ",
];
/// Feminine and irregular forms the `ت` rule misses.
const ARABIC_VERB_FORMS: &[&str] = &["قالت", "ادعت", "نفت", "دعت", "أدانت", "دانت"];
/// Continuing the previous speaker: participles ("مضيفة") and verbs with no subject.
const ARABIC_CONTINUATIONS: &[&str] = &[
    "مضيفة",
    "مضيفاً",
    "مضيفا",
    "مشيرة",
    "مشيراً",
    "موضحة",
    "موضحاً",
    "لافتة",
    "لافتاً",
    "مشددة",
    "مشدّدة",
    "مشدداً",
    "قائلة",
    "قائلاً",
    "قائلا",
    "متعهداً",
    "متعهدة",
];
/// Carriers and "according to": بحسب، وفق، نقلاً عن، حسب ما.
const ARABIC_CARRIERS: &[&str] = &["بحسب", "وفق", "وفقا", "حسب", "نقلا"];

/// Texts an article cites "according to": they say nothing themselves.
const DOCUMENTS: &[&str] = &[
    "معاهدة",
    "اتفاقية",
    "قانون",
    "المادة",
    "البند",
    "الدستور",
    "ميثاق",
    "القانون",
    "المعاهدة",
];

/// `w` as a carrier word: without a leading و and a final tanween
/// ("ووفقاً" is "وفقا").
fn carrier(w: &str) -> bool {
    let w: String = w
        .chars()
        .filter(|c| !matches!(c, '\u{64b}'..='\u{652}'))
        .collect();
    let w = w.as_str();
    ARABIC_CARRIERS.contains(&w)
        || w.strip_prefix('و')
            .is_some_and(|r| ARABIC_CARRIERS.contains(&r))
}
/// The days of the week: they end a speaker's name, and date a statement.
pub const ARABIC_DAYS: &[&str] = &[
    "السبت",
    "الأحد",
    "الإثنين",
    "الاثنين",
    "الثلاثاء",
    "الأربعاء",
    "الخميس",
    "الجمعة",
];

/// Words that end a speaker's name: particles, prepositions, days, adverbs.
const ARABIC_STOPS: &[&str] = &[
    "إن",
    "أن",
    "إنه",
    "أنه",
    "بأن",
    "في",
    "على",
    "من",
    "إلى",
    "عن",
    "مع",
    "أيضاً",
    "أيضا",
    "يوم",
    "بدوره",
    "بدورها",
    "الهجوم",
    "بشدة",
    "بشكل",
    "قائلة",
    "قائلاً",
    "قائلا",
    "ما",
    "الذي",
    "التي",
    "أي",
    "كل",
    "لا",
    "لم",
    "لن",
    // When, not who: "أعلنت ... اليوم", "ادعت سابقاً أنها".
    "اليوم",
    "أمس",
    "سابقاً",
    "سابقا",
    "لاحقاً",
    "لاحقا",
    "مجدداً",
    "مجددا",
    "حالياً",
    "الليلة",
    "صباح",
    "مساء",
    "قد",
    "أنها",
    "إنها",
    "أنهم",
    "بأنه",
    "بأنها",
    // What was announced, not who: "أعلنت ألبانيا قطع العلاقات".
    "قطع",
    "تعرض",
    "فرض",
    "طرد",
    "إغلاق",
    "تعليق",
    "رفض",
    "وقف",
    "اعتقال",
];
/// `w` without a leading conjunction (و, ف, and the pair وف / كما is separate).
fn stem(w: &str) -> &str {
    let w = bare(w);
    // "دوّن": a shadda or a vowel mark does not change the verb.
    if w.contains(|c: char| matches!(c, '\u{64b}'..='\u{652}')) {
        let plain: String = w
            .chars()
            .filter(|c| !matches!(c, '\u{64b}'..='\u{652}'))
            .collect();
        if let Some(v) = ARABIC_VERBS.iter().chain(ARABIC_VERB_FORMS).find(|v| {
            plain == **v
                || plain.strip_suffix('ت') == Some(**v)
                || plain.strip_prefix('و') == Some(**v)
        }) {
            return v;
        }
    }
    for p in ["و", "ف"] {
        if let Some(rest) = w.strip_prefix(p)
            && rest.chars().count() >= 3
            && is_arabic_verb(rest)
        {
            return rest;
        }
    }
    w
}

fn is_arabic_verb(w: &str) -> bool {
    ARABIC_VERBS.contains(&w)
        || ARABIC_VERB_FORMS.contains(&w)
        || w.strip_suffix('ت')
            .is_some_and(|m| ARABIC_VERBS.contains(&m))
}

/// "بالهجوم", "بتنفيذه": a ب-phrase (by, with, of it) ends a name; names
/// that start with ب (بيار، بايدن) do not look like one.
fn is_prepositional(w: &str) -> bool {
    w.starts_with("بال") || (w.starts_with('ب') && ["ه", "ها", "هم"].iter().any(|e| w.ends_with(e)))
}

fn ends_name(w: &str) -> bool {
    w.ends_with(['،', ',', ':', '؛']) || w.contains(['"', '«', '»', '“', '”'])
}

/// Whether `rest` (what follows a comma) opens a clause with a reporting
/// verb and its own named speaker.
pub fn opens_attribution(rest: &str) -> bool {
    let words: Vec<&str> = rest.split_whitespace().collect();
    // "...، بعدما زعمت تيرانا أن ...": a clause of its own speaker.
    let skip = match words.first().map(|w| bare(w)) {
        Some("بعدما" | "فيما" | "بينما" | "عندما" | "حين" | "حينما" | "وفيما" | "وبعدما") => {
            1
        }
        Some("بعد" | "وبعد") if words.get(1).is_some_and(|w| bare(w) == "أن") => 2,
        _ => 0,
    };
    let words = &words[skip.min(words.len())..];
    let Some(first) = words.first() else {
        return false;
    };
    is_arabic_verb(stem(first)) && arabic_speaker(&words[1..]).is_some()
}

/// The speaker named in `words` (what follows a verb), if any: words up to
/// a particle, a preposition, a comma or a colon. An opening adverbial ("في
/// وقت لاحق،") is skipped; "بيان للمتحدثة ..." is the spokeswoman.
fn arabic_speaker(words: &[&str]) -> Option<String> {
    let mut words = words;
    // "في وقت لاحق، المتحدثة ..." : the adverbial ends at its comma.
    if words
        .first()
        .is_some_and(|w| ["في", "على", "من"].contains(&bare(w)))
    {
        let comma = words.iter().take(5).position(|w| w.ends_with('،'))?;
        words = &words[comma + 1..];
    }
    if words.first().is_some_and(|w| bare(w) == "بيان") && words.len() > 1 {
        words = &words[1..];
    }
    let mut name: Vec<String> = Vec::new();
    for (i, w) in words.iter().enumerate() {
        let b = bare(w);
        // "للمتحدثة" is "ل" + "المتحدثة": the spokeswoman, not "to" her.
        let b = match b.strip_prefix("لل") {
            Some(rest) if i == 0 => format!("ال{rest}"),
            _ => b.to_string(),
        };
        let stop = b.is_empty()
            || ARABIC_STOPS.contains(&b.as_str())
            || ARABIC_DAYS.contains(&b.as_str())
            || w.starts_with(['"', '«', '“'])
            || (i > 0 && (is_prepositional(&b) || b.starts_with("إن")))
            || (w.contains(['"', '«', '“']) && !name.is_empty());
        if stop {
            break;
        }
        name.push(b);
        if w.ends_with('،') {
            // "رئيس الوزراء الألباني، إيدي راما إن ...": a name in apposition
            // runs up to what was said.
            let rest = &words[i + 1..];
            let said = rest
                .iter()
                .take(4)
                .position(|w| ["إن", "أن", "بأن"].contains(&bare(w)) || w.ends_with(':'));
            if let Some(n) = said.filter(|&n| n > 0) {
                let last_colon = rest[n].ends_with(':');
                let upto = if last_colon { n + 1 } else { n };
                if rest[..upto].iter().all(|w| {
                    !w.contains(['"', '«', '“', '،'])
                        && !ARABIC_STOPS.contains(&bare(w))
                        && !ARABIC_DAYS.contains(&bare(w))
                }) {
                    name.extend(rest[..upto].iter().map(|w| bare(w).to_string()));
                }
            }
            break;
        }
        if ends_name(w) || name.len() == 9 {
            break;
        }
    }
    (!name.is_empty()).then(|| name.join(" "))
}

/// Who `piece` (Arabic) attributes its statement to.
pub(super) fn attribute(piece: &str) -> Attribution {
    let words: Vec<&str> = piece.split_whitespace().collect();
    let quoted = piece.contains(['"', '«', '“']);
    let mut att = Attribution {
        reported: quoted,
        ..Attribution::default()
    };
    // "كما وصف ..." and a verb followed straight by إن/أن/: continue the last speaker.
    let also = words.first().is_some_and(|w| bare(w) == "كما");
    for (i, w) in words.iter().enumerate() {
        let s = stem(w);
        if carrier(s) {
            att.reported = true;
            let after = &words[i + 1..];
            // "وفق ما نقلته X", "نقلاً عن X", "بحسب X".
            let skip = after
                .iter()
                .take(2)
                .take_while(|w| ["ما", "عن"].contains(&bare(w)) || bare(w).starts_with("نقل"))
                .count();
            let named = arabic_speaker(&after[skip..]);
            // "بحسب X", "وفقا لـX": X is who says it. "وفق ما نقلته X",
            // "نقلاً عن X": X carried it; the speaker is named elsewhere.
            let carried = after
                .first()
                .is_some_and(|w| bare(w) == "ما" || bare(w) == "عن")
                || bare(w).starts_with("نقل");
            // "وفق معاهدة ..." cites a text, not a speaker: the outlet's voice.
            let document = named.as_deref().is_some_and(|n| {
                let first = n.split_whitespace().next().unwrap_or("");
                let first = first
                    .strip_prefix("ل")
                    .filter(|r| r.starts_with('م'))
                    .unwrap_or(first);
                DOCUMENTS.contains(&first)
            });
            if document {
                continue;
            }
            if carried || att.speaker.is_some() {
                att.carrier = named;
            } else {
                att.speaker = named;
            }
            continue;
        }
        if is_arabic_verb(s) {
            att.reported = true;
            if also {
                att.continues = true;
                return att;
            }
            // "وكانت ألبانيا قد ادعت": the subject stands before the verb.
            if i >= 3 && bare(words[i - 1]) == "قد" {
                let was = words[..i - 1].iter().rposition(|w| {
                    let b = bare(w);
                    let b = b.strip_prefix('و').unwrap_or(b);
                    ["كان", "كانت"].contains(&b)
                });
                if let Some(k) = was.filter(|&k| k + 1 < i - 1) {
                    att.speaker = Some(
                        words[k + 1..i - 1]
                            .iter()
                            .map(|w| bare(w))
                            .collect::<Vec<_>>()
                            .join(" "),
                    );
                    return att;
                }
            }
            // The subject, unless the verb runs straight into what was said.
            let next = words.get(i + 1).map(|w| bare(w)).unwrap_or("");
            let direct = next.is_empty()
                || ["إن", "أن", "بأن"].contains(&next)
                || ARABIC_CONTINUATIONS.contains(&next)
                || words[i].ends_with(':')
                || words
                    .get(i + 1)
                    .is_some_and(|w| w.starts_with(['"', '«', '“']));
            if direct {
                att.continues = att.speaker.is_none();
                return att;
            }
            att.speaker = arabic_speaker(&words[i + 1..]);
            // A verb with no subject named continues who spoke before.
            att.continues = att.speaker.is_none();
            return att;
        }
        if i == 0 && ARABIC_CONTINUATIONS.contains(&s) {
            att.reported = true;
            att.continues = true;
            return att;
        }
    }
    att
}
