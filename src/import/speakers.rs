//! Who a sentence attributes its statement to: the speaker next to a
//! reporting verb ("قالت وزارة الداخلية الألبانية" → the ministry, "NATO
//! said" → NATO), a carrier ("وفق ما نقلته وكالة الصحافة الفرنسية"), or the
//! previous speaker for a continuation ("وأضاف"، "وتابعت قائلة"، "he added").
//! Heuristics over words, no model: a reviewer triages what comes out.

/// Reporting verbs, past tense, masculine; `ت` makes the feminine.
const ARABIC_VERBS: &[&str] = &[
    "قال", "أعلن", "أكد", "أضاف", "تابع", "أشار", "أوضح", "ذكر", "أورد", "ندد", "دان", "أدان",
    "زعم", "ادعى", "حذر", "وصف", "كتب", "اتهم", "نفى", "دعا", "يقول", "تقول", "صرح", "شدد", "طالب",
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
const ENGLISH_VERBS: &[&str] = &[
    "said",
    "says",
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
    "has", "have", "was", "is", "would", "will", "also", "and", "but", "of", "for", "with",
];

/// What a piece of text says about who said it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Attribution {
    /// Who speaks, as the article writes it.
    pub speaker: Option<String>,
    /// Who carried the statement (an agency, a statement), when named.
    pub carrier: Option<String>,
    /// The speaker is the previous one ("وأضاف", "he added").
    pub continues: bool,
    /// The piece reports speech (a verb, a connective or a quotation).
    pub reported: bool,
}

/// A word without the punctuation around it.
fn bare(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric())
}

/// `w` without a leading conjunction (و, ف, and the pair وف / كما is separate).
fn stem(w: &str) -> &str {
    let w = bare(w);
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
                if rest[..upto]
                    .iter()
                    .all(|w| !w.contains(['"', '«', '“', '،']))
                {
                    name.extend(rest[..upto].iter().map(|w| bare(w).to_string()));
                }
            }
            break;
        }
        if ends_name(w) || name.len() == 7 {
            break;
        }
    }
    (!name.is_empty()).then(|| name.join(" "))
}

/// Who `piece` (Arabic) attributes its statement to.
fn arabic(piece: &str) -> Attribution {
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

/// A run of capitalised words (a name), allowing "of", "the" and "for" inside.
fn english_name(words: &[&str]) -> Option<String> {
    let mut name: Vec<&str> = Vec::new();
    for w in words {
        let b = bare(w);
        let capital = b.chars().next().is_some_and(|c| c.is_uppercase());
        let joiner = ["of", "the", "for"].contains(&b) && !name.is_empty();
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
    (!name.is_empty()).then(|| name.join(" "))
}

/// Who `piece` (English) attributes its statement to.
fn english(piece: &str) -> Attribution {
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
            let after: Vec<&str> = words[i + 2..]
                .iter()
                .skip_while(|w| bare(w) == "the")
                .copied()
                .collect();
            att.speaker =
                english_name(&after).or_else(|| after.first().map(|w| bare(w).to_string()));
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
        // "X said": the name just before the verb.
        let before: Vec<&str> = words[..i]
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
            && (1..=5).contains(&candidate.len())
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
        if let Some(name) = name {
            att.speaker = Some(name);
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
        att.speaker = english_name(&after);
        att.continues = att.speaker.is_none();
        return att;
    }
    att
}

/// Who `piece` attributes its statement to, in Arabic or English.
pub fn attribute(piece: &str) -> Attribution {
    if crate::text::is_rtl(piece) {
        arabic(piece)
    } else {
        english(piece)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(piece: &str) -> String {
        let a = attribute(piece);
        match (a.speaker, a.carrier, a.continues) {
            (Some(s), Some(c), _) => format!("{s} via {c}"),
            (Some(s), None, _) => s,
            (None, Some(c), _) => format!("via {c}"),
            (None, None, true) => "(previous)".into(),
            (None, None, false) if a.reported => "(quoted)".into(),
            (None, None, false) => "(outlet)".into(),
        }
    }

    #[test]
    fn speakers_in_arabic_and_english() {
        let cases = [
            (
                "وفي بيان، قالت وزارة الداخلية الألبانية، السبت، إن أحد أنظمتها تعرض لهجوم",
                "وزارة الداخلية الألبانية",
            ),
            (
                "وبدوره، كتب رئيس الوزراء إدي راما على تويتر، قائلاً: \"هجوم\"",
                "رئيس الوزراء إدي راما",
            ),
            (
                "و ندد حلف شمال الأطلسي، ناتو، بدوره بالهجوم الإلكتروني",
                "حلف شمال الأطلسي",
            ),
            (
                "وقالت الدول الأعضاء في الحلف: \"نحن متضامنون\"",
                "الدول الأعضاء",
            ),
            (
                "وقال وزير الخارجية البريطاني جيمس كليفرلي: \"تصرفات إيران\"",
                "وزير الخارجية البريطاني جيمس كليفرلي",
            ),
            (
                "وقالت وزارة الخزانة الأمريكية في بيان، إن \"هجوم إيران\"",
                "وزارة الخزانة الأمريكية",
            ),
            (
                "وأعلن البيت الأبيض أيضاً أن الولايات المتحدة ستتخذ",
                "البيت الأبيض",
            ),
            (
                "وقال بيان للمتحدثة باسم مجلس الأمن القومي أدريين واتسون، إن \"الولايات\"",
                "المتحدثة باسم مجلس الأمن القومي أدريين واتسون",
            ),
            (
                "وأعلنت في وقت لاحق، المتحدثة باسم البيت الأبيض كارين جان بيار، أن \"الحلفاء\"",
                "المتحدثة باسم البيت الأبيض كارين جان بيار",
            ),
            (
                "ومن جانبها، أدانت طهران و\"بشدة\"، العقوبات الجديدة",
                "طهران",
            ),
            (
                "ويقول محللون، إن \"الهجمات الإلكترونية كانت تهدف\"",
                "محللون",
            ),
            (
                "حذرت السفارة الأميركية في تيرانا بشكل منفصل من \"تهديد محتمل\"",
                "السفارة الأميركية",
            ),
            ("وقالت السفارة إن\"الحكومة الأمريكية تدرك\"", "السفارة"),
            (
                "أعلنت ألبانيا العضو في حلف الناتو، السبت، تعرض شرطتها لهجوم",
                "ألبانيا العضو",
            ),
            (
                "وفي سياق إيراني دعت وكالة أنباء \"فارس\"، للحرس الثوري",
                "وكالة أنباء",
            ),
            (
                "ونفت الخارجية الإيرانية أي علاقة بالهجوم",
                "الخارجية الإيرانية",
            ),
            (
                "وزعم المتحدث باسم الوزارة أن الهجوم لم يقع",
                "المتحدث باسم الوزارة",
            ),
            // Continuations take the previous speaker.
            ("وتابعت قائلة إن \"النتائج الأولية تظهر\"", "(previous)"),
            ("وأضاف \"نقف إلى جانب ألبانيا\"", "(previous)"),
            ("مضيفة أن السلطات أغلقت مؤقتاً جميع الأنظمة", "(previous)"),
            ("كما وصف ألبانيا بـ \"شريك مهم\"", "(previous)"),
            ("وقال: \"على إيران أن تجيب\"", "(previous)"),
            // Carriers, and the outlet's own voice.
            (
                "وذلك وفق ما نقلته وكالة الصحافة الفرنسية",
                "via وكالة الصحافة الفرنسية",
            ),
            ("بحسب وكالة رويترز، فإن الهجوم استمر يومين", "وكالة رويترز"),
            ("وكانت هذه أول حالة معروفة لدولة تقطع العلاقات", "(outlet)"),
            ("ووصفت الحكومة الهجوم بأنه \"اعتداء\"", "الحكومة"),
            // English.
            ("NATO said it would strengthen its defences.", "NATO"),
            (
                "The White House announced new sanctions on Friday.",
                "The White House",
            ),
            (
                "\"We stand with Albania,\" said Foreign Secretary James Cleverly.",
                "Foreign Secretary James Cleverly",
            ),
            (
                "According to the Interior Ministry, the attack came from Iran.",
                "Interior Ministry",
            ),
            ("He added that the systems were back online.", "(previous)"),
            (
                "Prime Minister Edi Rama wrote on Twitter that the attack failed.",
                "Prime Minister Edi Rama",
            ),
            ("Tehran denied any involvement.", "Tehran"),
            ("The attack took place in July 2022.", "(outlet)"),
            (
                "Officials told Reuters the servers were wiped.",
                "Officials",
            ),
        ];
        assert!(cases.len() >= 30);
        let mut wrong = Vec::new();
        for (piece, want) in cases {
            let got = who(piece);
            if got != want {
                wrong.push(format!("{piece}\n  want {want}\n  got  {got}"));
            }
        }
        assert!(wrong.is_empty(), "{}", wrong.join("\n"));
    }

    #[test]
    fn a_clause_opens_an_attribution_only_with_a_named_speaker() {
        assert!(opens_attribution(" أعلنت ألبانيا العضو في حلف الناتو"));
        assert!(!opens_attribution(" مضيفة أن السلطات"));
        assert!(!opens_attribution(" طهران من تكرار الهجمات"));
        assert!(!opens_attribution(" وأضاف \"نقف\""));
    }
}
