//! Synthetic desks for benchmarks: many articles of realistic Arabic claims
//! with English translations, built from the shipped article's own words so
//! lengths, scripts and harakat match real data. Deterministic for a seed.
//!
//! Two shapes: the plain one (`document`, a small fixed vocabulary, the
//! desk's own YAML) and a newsroom's (`newsroom`: a vocabulary that grows
//! with the desk, notes and history, YAML from another writer).

mod newsroom;
mod quoted;
mod vocabulary;

pub use newsroom::document as newsroom_document;

/// `doc` as another YAML writer writes it (values double-quoted, folded).
pub fn quoted_text(doc: &crate::model::Document) -> String {
    crate::store::yaml::to_value(doc).map_or_else(|_| String::new(), |v| quoted::emit(&v))
}

use std::path::Path;

use crate::model::{Article, Claim, ClaimId, Document, Source, SourceId, Status};

/// A tiny deterministic generator (xorshift64*): no crate needed for benchmark data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }
}

const ARABIC: &str = "أثارت الهجمات الإلكترونية الإيرانية على البنية التحتية لألبانيا والتي أدت إلى قطع العلاقات بين البلدين ردود فعل قوية حيث هددت واشنطن أقرب حلفاء ألبانيا طهران بتفعيل البند الخامس في حين وعد حلف شمال الأطلسي بمساعدتها في مواجهة هجمات مماثلة في المستقبل وقالت وزارة الداخلية إن أحد أنظمتها الحدودية تعرض لهجوم إلكتروني جاء من نفس المصدر الإيراني الذي شنّ هجوماً سابقاً ودفع البلاد إلى قطع العلاقات الدبلوماسية مع إيران سيتّخذون قراراتهم السيادية حول كيفية الردّ على هذه الهجمات في 15 يوليو (تموز) 2022 حوالي 3000 عضو";

const ENGLISH: &str = "Iranian cyberattacks on Albania's infrastructure which led to the severing of relations between the two countries provoked strong reactions as Washington Albania's closest ally threatened Tehran with invoking Article 5 while NATO promised to help it confront similar attacks in the future the Interior Ministry said one of its border systems was hit by a cyberattack from the same Iranian source on 15 July 2022 about 3,000 members";

fn words(rng: &mut Rng, pool: &[&str], n: usize) -> String {
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(pool[rng.below(pool.len())]);
    }
    out
}

pub(crate) const KINDS: [&str; 6] = [
    "government",
    "government-ministry",
    "spokesperson",
    "international-organisation",
    "news-agency",
    "outlet",
];

/// One synthetic article with `claims` claims; claim ids are unique across `article` numbers.
pub fn document(article: usize, claims: usize, seed: u64) -> Document {
    let mut rng = Rng::new(seed ^ (article as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let ar: Vec<&str> = ARABIC.split(' ').collect();
    let en: Vec<&str> = ENGLISH.split(' ').collect();
    let paragraphs: Vec<String> = (0..30).map(|_| words(&mut rng, &ar, 40)).collect();
    let sources: Vec<Source> = (0..12)
        .map(|i| Source {
            id: SourceId(format!("src-{i}").into()),
            name: format!("Source {i} {}", words(&mut rng, &en, 2)),
            name_original: words(&mut rng, &ar, 3),
            aliases: Vec::new(),
            kind: KINDS[i % KINDS.len()].to_string(),
            country: None,
            // Every third source belongs to the one before it: a shallow tree, like real desks.
            parent: (i % 3 == 2).then(|| SourceId(format!("src-{}", i - 1).into())),
            extra: Default::default(),
        })
        .collect();
    let claims = (0..claims)
        .map(|i| {
            let paragraph = 1 + rng.below(paragraphs.len());
            let p: Vec<&str> = paragraphs[paragraph - 1].split(' ').collect();
            let start = rng.below(p.len() - 12);
            let len = 6 + rng.below(12);
            let translation_words = 12 + rng.below(14);
            Claim {
                id: ClaimId(format!("a{article}-c{i}").into()),
                source: SourceId(format!("src-{}", rng.below(sources.len())).into()),
                paragraph: Some(paragraph),
                text: p[start..(start + len).min(p.len())].join(" "),
                translation: words(&mut rng, &en, translation_words),
                status: Status::ALL[rng.below(3)],
                note: None,
                evidence: Vec::new(),
                history: Vec::new(),
                extra: Default::default(),
            }
        })
        .collect();
    Document {
        article: Article {
            id: format!("synthetic-{article}"),
            title: words(&mut rng, &ar, 8),
            title_en: format!("Synthetic article {article}"),
            outlet: "synthetic".into(),
            author: "generator".into(),
            published: "2022-09-12T16:40:00+04:00".into(),
            language: "ar".into(),
            url: None,
            caption: None,
            paragraphs,
            extra: Default::default(),
        },
        sources,
        claims,
        extra: Default::default(),
    }
}

/// Which synthetic desk to write.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Shape {
    /// A fixed vocabulary, no reviews yet, the desk's own YAML.
    #[default]
    Plain,
    /// A newsroom's: a growing vocabulary, a sixth reviewed with notes and
    /// history, every value double-quoted by another writer.
    Newsroom,
}

/// Write `files` articles of `per_file` claims each into `dir`.
/// On all cores: a million claims is 10,000 files.
pub fn write_desk(dir: &Path, files: usize, per_file: usize, seed: u64) -> std::io::Result<()> {
    write_desk_shaped(dir, files, per_file, seed, Shape::Plain)
}

/// `write_desk`, in the given shape.
pub fn write_desk_shaped(
    dir: &Path,
    files: usize,
    per_file: usize,
    seed: u64,
    shape: Shape,
) -> std::io::Result<()> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let write = |f: usize| -> std::io::Result<()> {
        let text = match shape {
            Shape::Plain => crate::store::render(&document(f, per_file, seed)),
            Shape::Newsroom => crate::store::yaml::to_value(&newsroom::document(f, per_file, seed))
                .map(|v| quoted::emit(&v)),
        }
        .map_err(std::io::Error::other)?;
        std::fs::write(dir.join(format!("{f:05}.yaml")), text)
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| s.spawn(move || (t..files).step_by(threads).try_for_each(write)))
            .collect();
        handles
            .into_iter()
            .try_for_each(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
    })
}

/// A claims file of about 1 MB in each hostile shape an attack used (deep
/// nesting, a huge id, a long parent chain, thousands of problems or
/// duplicate ids), and a valid one: each must be accepted or refused fast.
pub fn hostile_files() -> Vec<(&'static str, String)> {
    let head = "article:\n  id: a\n  title: t\n  title_en: t\n  outlet: o\n  author: a\n  \
                published: \"2022-09-12T16:40:00+04:00\"\n  language: ar\n  paragraphs:\n    - p\n";
    let mb = 1 << 20;
    let mut out = Vec::new();
    out.push(("deep flow nesting", format!("{head}{}", "[".repeat(mb))));
    out.push((
        "deep block nesting",
        format!(
            "{head}x:\n{}",
            (0..4000)
                .map(|i| format!("{}k{i}:\n", " ".repeat(i % 200)))
                .collect::<String>()
        ),
    ));
    out.push((
        "a megabyte-long id",
        format!(
            "{head}sources:\n  - id: s\n    name: Name\n    name_original: Name\n    kind: kind\nclaims:\n  - id: {}\n    \
             source: s\n    paragraph: 1\n    text: p\n    translation: p\n    status: unreviewed\n",
            "x".repeat(mb)
        ),
    ));
    let chain: String = (0..12_000)
        .map(|i| format!("  - id: s{i}\n    name: Name\n    name_original: Name\n    kind: kind\n    parent: s{}\n", i + 1))
        .collect();
    out.push((
        "a long parent chain",
        format!("{head}sources:\n{chain}claims: []\n"),
    ));
    let dangling: String = (0..9_000)
        .map(|i| format!("  - id: c{i}\n    source: nowhere{i}\n    paragraph: 1\n    text: p\n    translation: p\n    status: unreviewed\n"))
        .collect();
    out.push((
        "thousands of problems",
        format!("{head}sources:\n  - id: s\n    name: Name\n    name_original: Name\n    kind: kind\nclaims:\n{dangling}"),
    ));
    let dups: String = (0..9_000)
        .map(|_| "  - id: same\n    source: s\n    paragraph: 1\n    text: p\n    translation: p\n    status: unreviewed\n")
        .collect();
    out.push((
        "thousands of duplicate ids",
        format!("{head}sources:\n  - id: s\n    name: Name\n    name_original: Name\n    kind: kind\nclaims:\n{dups}"),
    ));
    let valid: String = (0..9_000)
        .map(|i| format!("  - id: c{i}\n    source: s\n    paragraph: 1\n    text: p\n    translation: p\n    status: unreviewed\n"))
        .collect();
    out.push((
        "a valid file",
        format!("{head}sources:\n  - id: s\n    name: Name\n    name_original: Name\n    kind: kind\nclaims:\n{valid}"),
    ));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_synthetic_desk_loads_and_its_claims_are_in_their_paragraphs() {
        let dir = tempfile::tempdir().expect("temp dir");
        write_desk(dir.path(), 3, 50, 7).expect("write");
        let desk = crate::store::Desk::load(dir.path()).expect("valid");
        assert_eq!(desk.claim_count(), 150);
        for (r, c) in desk.claims() {
            let article = desk.article(r).expect("the article reads back");
            assert!(
                article
                    .paragraph(c.paragraph.expect("synth claims say"))
                    .expect("p")
                    .contains(&c.text)
            );
        }
    }
}
