//! Who each speaker pattern gives, in both languages.

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
            "White House",
        ),
        // Wire copy: verbs in every position, pronouns and documents
        // resolving to the speaker before, adverbs, titles in names.
        (
            "\"Another attack was seen,\" Prime Minister Edi Rama tweeted on Saturday.",
            "Prime Minister Edi Rama",
        ),
        (
            "Officials are coordinating with allies, wrote Rama on Twitter.",
            "Rama",
        ),
        ("Officials are coordinating, writes Rama.", "Rama"),
        ("\"The results show it,\" the statement said.", "(previous)"),
        (
            "It said in a statement that systems were down.",
            "(previous)",
        ),
        (
            "Iran later rejected the accusation as \"baseless\".",
            "Iran",
        ),
        ("Local media reported long queues.", "Local media"),
        (
            "\"Iran led this attack,\" National Security Council spokeswoman Adrienne Watson said.",
            "National Security Council spokeswoman Adrienne Watson",
        ),
        (
            "NATO pledged support, according to a statement from the alliance.",
            "NATO",
        ),
        (
            "The ministry told reporters it was investigating.",
            "ministry",
        ),
        // Arabic: more verbs, time words that are never names, a
        // subject before its verb, and a clause of another speaker.
        ("وأردفت أن \"النتائج الأولية تظهر\"", "(previous)"),
        (
            "ونقلت وسائل إعلام محلية أن طوابير طويلة تشكلت",
            "وسائل إعلام محلية",
        ),
        (
            "أعلنت وزارة الداخلية الألبانية، اليوم السبت، أن أحد أنظمتها تعرض لهجوم",
            "وزارة الداخلية الألبانية",
        ),
        (
            "وكانت ألبانيا قد ادعت سابقاً أنها كانت هدفاً لهجوم",
            "ألبانيا",
        ),
        ("ادعت سابقاً أنها كانت هدفاً لهجوم", "(previous)"),
        (
            "من طرفه، دوّن رئيس الوزراء إدي راما على \"تويتر\" يوم السبت",
            "رئيس الوزراء إدي راما",
        ),
        (
            "ووصفت المتحدثة باسم مجلس الأمن القومي الأمريكي أدريين واتسون الهجوم بأنه \"سابقة\"",
            "المتحدثة باسم مجلس الأمن القومي الأمريكي أدريين واتسون",
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
fn a_dateline_is_set_aside_and_a_sentence_is_not_taken_for_one() {
    let p =
        "TIRANA, Albania (AP) — Albania's Interior Ministry said Saturday that systems were hit.";
    let end = dateline_end(p).expect("a dateline");
    assert!(p[end..].starts_with("Albania's Interior Ministry"));
    assert!(dateline_end("LONDON (Reuters) - Britain said on Friday it would act.").is_some());
    assert_eq!(
        dateline_end("NATO said — in a rare move — that it would act."),
        None
    );
    assert_eq!(
        dateline_end(
            "أعلنت وزارة الداخلية الألبانية، اليوم السبت، أن أحد أنظمتها الحدودية تعرض لهجوم إلكتروني من المصدر الإيراني ذاته"
        ),
        None
    );
}

#[test]
fn a_clause_opens_an_attribution_only_with_a_named_speaker() {
    assert!(opens_attribution(
        " بعدما زعمت تيرانا أن «إيران تقف وراء الهجوم»"
    ));
    assert!(opens_attribution(" أعلنت ألبانيا العضو في حلف الناتو"));
    assert!(!opens_attribution(" مضيفة أن السلطات"));
    assert!(!opens_attribution(" طهران من تكرار الهجمات"));
    assert!(!opens_attribution(" وأضاف \"نقف\""));
}
