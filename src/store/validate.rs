//! Turning a claims file's text into a checked `Document`, collecting every
//! problem on the way (not just the first) with its line and a fix.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde_yaml::{Mapping, Value};

use super::canonical;
use super::locate::Locator;
use super::problem::{Problem, Problems};
use super::strict;
use super::yaml;
use crate::model::{Article, Claim, Document, Scale, Settings, Source, SourceId};
use crate::text::closest;

/// How much a document may expand while parsing, relative to its size.
/// Without aliases a document's values are smaller than its text; the slack
/// covers per-node overhead. An alias bomb blows through this at once.
fn expansion_budget(text_len: usize) -> usize {
    text_len.saturating_mul(4).saturating_add(1 << 20)
}

/// A document parsed whole: the checks of its meaning, located in `text`.
fn check_parsed(
    path: &Path,
    text: &str,
    scale: Option<&Scale>,
    doc: Document,
) -> Result<Document, Problems> {
    let loc = Locator::new(text);
    let mut problems = Vec::new();
    let checker = Checker {
        path,
        loc: &loc,
        scale,
        problems: &mut problems,
    };
    checker.check(Some(&doc.article), &doc.sources, &doc.claims);
    if problems.is_empty() {
        Ok(doc)
    } else {
        Err(Problems(capped(problems)))
    }
}

pub fn parse_document(
    path: &Path,
    text: &str,
    scale: Option<&Scale>,
) -> Result<Document, Problems> {
    parse_document_with(path, text, scale, false)
}

/// `parse_document` for the desk's loading: the article's paragraphs are
/// counted (and checked against the claims), their text read past where the
/// fast reader reads the file: each is empty (the desk keeps none).
pub fn parse_document_lean(
    path: &Path,
    text: &str,
    scale: Option<&Scale>,
) -> Result<Document, Problems> {
    parse_document_with(path, text, scale, true)
}

fn parse_document_with(
    path: &Path,
    text: &str,
    scale: Option<&Scale>,
    lean: bool,
) -> Result<Document, Problems> {
    if text.trim().is_empty() {
        return Err(Problems::one(Problem::file(
            path,
            "the file is empty; a claims file needs `article`, `sources` and `claims` \
             sections (see README, \"The YAML format\")",
        )));
    }
    // The desk's own shape: nothing nests past its indentation limit, and
    // every plain scalar is text to every reader (a text field holding a
    // number or boolean does not make a document, and is reported below).
    let fast = if lean {
        canonical::read_lean::<Document>(text)
    } else {
        canonical::read::<Document>(text)
    };
    if let Some(doc) = fast {
        return check_parsed(path, text, scale, doc);
    }
    if let Some(p) = strict::too_deep(path, text) {
        return Err(Problems::one(p));
    }
    // Text fields hold text to every YAML reader, so every way of parsing
    // below gives the same document.
    let unquoted = strict::check(path, text);
    if !unquoted.is_empty() {
        return Err(Problems(capped(unquoted)));
    }
    if let Some(doc) = yaml::parse_plain::<Document>(text) {
        return check_parsed(path, text, scale, doc);
    }
    let value = yaml::parse_bounded(text, expansion_budget(text.len())).map_err(|e| {
        let message = format!("invalid YAML: {}", e.message);
        Problems::one(match (e.line, e.column) {
            (Some(l), Some(c)) => Problem::at(path, l, c, message),
            _ => Problem::file(path, message),
        })
    })?;
    let Value::Mapping(mut top) = value else {
        return Err(Problems::one(Problem::at(
            path,
            1,
            1,
            "the top level must be a mapping with `article`, `sources` and `claims` keys",
        )));
    };
    let loc = Locator::new(text);
    let mut problems = Vec::new();
    let mut section = |name: &str| {
        let found = top.remove(name);
        if found.is_none() {
            problems.push(Problem::at(
                path,
                1,
                1,
                format!("missing `{name}` section; add a top-level `{name}:` key"),
            ));
        }
        found
    };
    let article = section("article");
    let sources = section("sources");
    let claims = section("claims");
    let extra = top;

    if let Some(Value::Mapping(m)) = &article {
        let line = loc.section_line("article").unwrap_or(1);
        for (key, what) in missing(m, ARTICLE_FIELDS) {
            problems.push(Problem::at(
                path,
                line,
                1,
                format!("article: missing `{key}`; add `{key}:` with {what}"),
            ));
        }
    }
    let article: Option<Article> = article.and_then(|v| {
        if let Value::Mapping(m) = &v
            && !missing(m, ARTICLE_FIELDS).is_empty()
        {
            return None;
        }
        typed(v)
            .map_err(|e| {
                problems.push(Problem::maybe_at(
                    path,
                    loc.section_line("article"),
                    format!("article: {e}"),
                ))
            })
            .ok()
    });
    let sources: Vec<Source> = items(
        path,
        &loc,
        ("sources", "source", SOURCE_FIELDS),
        sources,
        &mut problems,
    );
    let claims: Vec<Claim> = items(
        path,
        &loc,
        ("claims", "claim", CLAIM_FIELDS),
        claims,
        &mut problems,
    );

    let checker = Checker {
        path,
        loc: &loc,
        scale,
        problems: &mut problems,
    };
    checker.check(article.as_ref(), &sources, &claims);

    match article {
        Some(article) if problems.is_empty() => Ok(Document {
            article,
            sources,
            claims,
            extra: extra.into(),
        }),
        _ => Err(Problems(capped(problems))),
    }
}

/// Parse a whole file as `T`, bounded, with the error's line and column.
pub fn parse_typed<T: DeserializeOwned>(path: &Path, text: &str) -> Result<T, Problems> {
    let located = |e: yaml::YamlError| {
        let message = format!("invalid: {}", e.message);
        Problems::one(match (e.line, e.column) {
            (Some(l), Some(c)) => Problem::at(path, l, c, message),
            _ => Problem::file(path, message),
        })
    };
    if let Some(p) = strict::too_deep(path, text) {
        return Err(Problems::one(p));
    }
    let unquoted = strict::check(path, text);
    if !unquoted.is_empty() {
        return Err(Problems(capped(unquoted)));
    }
    yaml::parse_bounded(text, expansion_budget(text.len())).map_err(located)?;
    yaml::from_str_located(text).map_err(located)
}

/// Parse the desk settings; every key is optional, a wrong one is located.
pub fn parse_settings(path: &Path, text: &str) -> Result<Settings, Problems> {
    if text.trim().is_empty() {
        return Ok(Settings::default());
    }
    let located = |e: yaml::YamlError, what: &str| {
        let message = format!("{what}: {}; see README, \"Desk settings\"", e.message);
        Problems::one(match (e.line, e.column) {
            (Some(l), Some(c)) => Problem::at(path, l, c, message),
            _ => Problem::file(path, message),
        })
    };
    if let Some(p) = strict::too_deep(path, text) {
        return Err(Problems::one(p));
    }
    let unquoted = strict::check(path, text);
    if !unquoted.is_empty() {
        return Err(Problems(capped(unquoted)));
    }
    // Bounded parse first (settings files are hand-written too), then typed.
    yaml::parse_bounded(text, expansion_budget(text.len()))
        .map_err(|e| located(e, "invalid YAML"))?;
    let settings: Settings =
        yaml::from_str_located(text).map_err(|e| located(e, "invalid settings"))?;
    let scale_problems = settings.rating_scale.problems();
    if !scale_problems.is_empty() {
        let line = Locator::new(text).section_line("rating_scale");
        return Err(Problems(
            scale_problems
                .into_iter()
                .map(|p| Problem::maybe_at(path, line, p))
                .collect(),
        ));
    }
    if let Some(url) = &settings.reviews_url
        && !(url.starts_with("https://") || url.starts_with("http://"))
    {
        let line = Locator::new(text).section_line("reviews_url");
        return Err(Problems::one(Problem::maybe_at(
            path,
            line,
            format!(
                "reviews_url `{url}` must be an http(s) URL, e.g. https://example.org/reviews/"
            ),
        )));
    }
    Ok(settings)
}

fn typed<T: DeserializeOwned>(v: Value) -> Result<T, String> {
    yaml::from_value(v)
}

/// Deserialise each item of a list on its own, so one bad item does not hide the others.
/// The fields a file must give, each with what to put there; every other
/// field is optional (README, "The YAML format").
const ARTICLE_FIELDS: &[(&str, &str)] = &[
    ("id", "a short id for the article"),
    ("title", "the headline as published"),
    ("paragraphs", "the body, one list item per paragraph"),
];
const SOURCE_FIELDS: &[(&str, &str)] = &[
    ("id", "a short id claims refer to"),
    ("name", "the source's name"),
];
const CLAIM_FIELDS: &[(&str, &str)] = &[
    ("id", "a unique id"),
    ("source", "the id of the source it is attributed to"),
    ("text", "the claim's wording, verbatim from the article"),
    ("status", "its status, e.g. unreviewed"),
];

/// The required fields `m` lacks, with what each should hold.
fn missing<'a>(m: &Mapping, fields: &[(&'a str, &'a str)]) -> Vec<(&'a str, &'a str)> {
    fields
        .iter()
        .filter(|(k, _)| !m.contains_key(*k))
        .copied()
        .collect()
}

/// Each item of a top-level list as `T`. An item lacking required fields
/// gets one problem per field, so a hand-written file is fixed in one pass
/// (serde would name only the first).
fn items<T: DeserializeOwned>(
    path: &Path,
    loc: &Locator,
    (section, what, required): (&str, &str, &[(&str, &str)]),
    value: Option<Value>,
    problems: &mut Vec<Problem>,
) -> Vec<T> {
    let list = match value {
        None => return Vec::new(),
        Some(Value::Sequence(list)) => list,
        Some(Value::Null) => Vec::new(),
        Some(_) => {
            problems.push(Problem::maybe_at(
                path,
                loc.section_line(section),
                format!("`{section}` must be a list (each item starting with `- `)"),
            ));
            return Vec::new();
        }
    };
    let mut out = Vec::with_capacity(list.len());
    for (i, item) in list.into_iter().enumerate() {
        let id = match &item {
            Value::Mapping(m) => id_of(m),
            _ => String::new(),
        };
        if let Value::Mapping(m) = &item {
            let lacking = missing(m, required);
            if !lacking.is_empty() {
                let line = loc.item_line(section, &id, i);
                let who = if id.is_empty() {
                    format!("{what} #{}", i + 1)
                } else {
                    format!("{what} `{id}`")
                };
                for (key, hint) in lacking {
                    problems.push(Problem::at(
                        path,
                        line.unwrap_or(1),
                        loc.item_column(line),
                        format!("{who}: missing `{key}`; add `{key}:` with {hint}"),
                    ));
                }
                continue;
            }
        }
        match typed::<T>(item) {
            Ok(t) => out.push(t),
            Err(e) => {
                let item_line = loc.item_line(section, &id, i);
                // An unknown status is the common hand-edit slip: point at its line.
                let line = match item_line {
                    Some(l) if e.contains("status `") => Some(loc.key_in_item(l, "status")),
                    l => l,
                };
                let who = if id.is_empty() {
                    format!("{what} #{}", i + 1)
                } else {
                    format!("{what} `{id}`")
                };
                problems.push(Problem::maybe_at(path, line, format!("{who}: {e}")));
            }
        }
    }
    out
}

fn id_of(m: &Mapping) -> String {
    match m.get("id") {
        Some(Value::String(s)) => s.clone(),
        _ => String::new(),
    }
}

/// Checks that need the whole file: ids, references, cycles, ranges.
struct Checker<'a> {
    path: &'a Path,
    loc: &'a Locator<'a>,
    /// The statuses claims may have; `None` checks no statuses (the merge driver).
    scale: Option<&'a Scale>,
    problems: &'a mut Vec<Problem>,
}

impl Checker<'_> {
    fn report(&mut self, section: &str, id: &str, index: usize, key: &str, message: String) {
        let line = self
            .loc
            .item_line(section, id, index)
            .map(|l| self.loc.key_in_item(l, key));
        self.problems
            .push(Problem::maybe_at(self.path, line, message));
    }

    /// A source or claim id over `MAX_ID` bytes (a hostile file's megabyte id).
    fn check_id_length(&mut self, section: &str, noun: &str, id: &str, i: usize) {
        if id.len() > MAX_ID {
            self.report(
                section,
                id,
                i,
                "id",
                format!(
                    "{noun} id `{}` is {} bytes long; keep ids under {MAX_ID} bytes",
                    shown(id),
                    id.len()
                ),
            );
        }
    }

    fn check(mut self, article: Option<&Article>, sources: &[Source], claims: &[Claim]) {
        let mut source_ids: HashSet<&SourceId> = HashSet::new();
        for (i, s) in sources.iter().enumerate() {
            self.check_id_length("sources", "source", &s.id.0, i);
            if !source_ids.insert(&s.id) {
                self.report(
                    "sources",
                    &s.id.0,
                    i,
                    "id",
                    format!(
                        "source id `{}` is defined twice in this file; give each source its own id",
                        s.id
                    ),
                );
            }
        }
        // A suggestion compares the id with every source: only for desks of
        // sane size, so a hostile file cannot make this quadratic.
        let suggest = source_ids.len() <= 1000;
        let known = || source_ids.iter().map(|s| s.0.as_str());
        for (i, s) in sources.iter().enumerate() {
            if let Some(parent) = &s.parent
                && !source_ids.contains(parent)
            {
                let hint = did_you_mean(suggest.then(|| closest(&parent.0, known())).flatten());
                self.report(
                    "sources",
                    &s.id.0,
                    i,
                    "parent",
                    format!(
                        "source `{}`: parent `{parent}` is not defined in this file{hint}; \
                         define it under `sources` or fix the id",
                        s.id
                    ),
                );
            }
        }
        self.check_cycles(sources);
        let mut claim_ids = HashSet::new();
        for (i, c) in claims.iter().enumerate() {
            if !claim_ids.insert(&c.id) {
                self.report(
                    "claims",
                    &c.id.0,
                    i,
                    "id",
                    format!(
                        "claim id `{}` is used twice in this file; claim ids must be unique",
                        c.id
                    ),
                );
            }
            if let Some(scale) = self.scale
                && !scale.contains(c.status)
            {
                let e = scale.unknown(c.status.key());
                self.report(
                    "claims",
                    &c.id.0,
                    i,
                    "status",
                    format!("claim `{}`: {e}", c.id),
                );
            }
            if !source_ids.contains(&c.source) {
                let hint = did_you_mean(suggest.then(|| closest(&c.source.0, known())).flatten());
                self.report(
                    "claims",
                    &c.id.0,
                    i,
                    "source",
                    format!(
                        "claim `{}`: source `{}` is not defined{hint}; add it under `sources` \
                         or use one of the ids defined there",
                        c.id, c.source
                    ),
                );
            }
            self.check_id_length("claims", "claim", &c.id.0, i);
            for e in &c.evidence {
                if let Some(why) = crate::text::url_problem(e) {
                    self.report(
                        "claims",
                        &c.id.0,
                        i,
                        "evidence",
                        format!(
                            "claim `{}`: evidence `{}` {why}; evidence must be an http:// or \
                             https:// address",
                            shown(&c.id.0),
                            shown(e)
                        ),
                    );
                }
            }
            for (k, h) in c.history.iter().enumerate() {
                if humantime::parse_rfc3339(&h.at).is_err() {
                    let line = self
                        .loc
                        .item_line("claims", &c.id.0, i)
                        .map(|l| self.loc.value_in_item(l, "at", &h.at));
                    self.problems.push(Problem::maybe_at(
                        self.path,
                        line,
                        format!(
                            "claim `{}`: history entry {}: `at: {}` is not an RFC 3339 UTC time; \
                             write it like 2026-11-28T10:00:00Z",
                            c.id,
                            k + 1,
                            crate::text::sanitize(&h.at)
                        ),
                    ));
                }
            }
            if let Some(a) = article
                && let Some(paragraph) = c.paragraph
                && paragraph > a.paragraphs.len()
            {
                self.report(
                    "claims",
                    &c.id.0,
                    i,
                    "paragraph",
                    format!(
                        "claim `{}`: paragraph {} is out of range; the article has {} paragraphs \
                         (1..{}, and 0 for the headline)",
                        c.id,
                        paragraph,
                        a.paragraphs.len(),
                        a.paragraphs.len()
                    ),
                );
            }
        }
    }

    /// A source may not be its own ancestor: the source tree would never end.
    /// One walk up from each source, each source visited once: linear even
    /// for a hostile file with a parent chain of thousands.
    fn check_cycles(&mut self, sources: &[Source]) {
        let mut index: HashMap<&SourceId, usize> = HashMap::new();
        for (i, s) in sources.iter().enumerate() {
            index.entry(&s.id).or_insert(i);
        }
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            New,
            OnPath,
            Done,
        }
        let mut mark = vec![Mark::New; sources.len()];
        for start in 0..sources.len() {
            let mut path = Vec::new();
            let mut at = Some(start);
            while let Some(i) = at {
                match mark[i] {
                    Mark::Done => break,
                    Mark::OnPath => {
                        let from = path.iter().position(|&p| p == i).unwrap_or(0);
                        let mut names: Vec<String> = path[from..]
                            .iter()
                            .map(|&p: &usize| shown(&sources[p].id.0))
                            .collect();
                        names.push(shown(&sources[i].id.0));
                        let first = &sources[i];
                        self.report(
                            "sources",
                            &first.id.0,
                            i,
                            "parent",
                            format!(
                                "source parent cycle: {}; remove one of these `parent` keys",
                                names.join(" -> ")
                            ),
                        );
                        break;
                    }
                    Mark::New => {}
                }
                mark[i] = Mark::OnPath;
                path.push(i);
                at = sources[i]
                    .parent
                    .as_ref()
                    .and_then(|p| index.get(p))
                    .copied();
            }
            for i in path {
                mark[i] = Mark::Done;
            }
        }
    }
}

/// An id as a message quotes it: sanitised, and cut if it is very long.
fn shown(id: &str) -> String {
    crate::text::truncate(&crate::text::sanitize(id), 60).into_owned()
}

/// The longest id a claim or source may have.
const MAX_ID: usize = 128;

/// Problems reported for one load, at most; the rest are counted.
pub const MAX_PROBLEMS: usize = 100;

/// `problems`, cut to `MAX_PROBLEMS` with a last line counting the rest.
pub fn capped(mut problems: Vec<Problem>) -> Vec<Problem> {
    if problems.len() > MAX_PROBLEMS {
        let more = problems.len() - MAX_PROBLEMS;
        let path = problems[0].path.clone();
        problems.truncate(MAX_PROBLEMS);
        problems.push(Problem::file(
            &path,
            format!("... and {more} more problems; fix these first"),
        ));
    }
    problems
}

fn did_you_mean(s: Option<&str>) -> String {
    s.map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}
