//! Claims seen before: each candidate of a new article marked with the
//! claims on the desk that say the same thing (see `query::Matcher`).

use serde_yaml::Value;

use crate::model::{Document, SEEN_BEFORE, SEEN_BEFORE_SCORE, SourceId};
use crate::query::{Matcher, SAME_CLAIM, SourceTree};
use crate::store::Desk;

/// The share of weighted words a claim of another party must reach. Two
/// parties rarely say the same thing in the same words; a text of the
/// same topic from another party is the likeliest wrong link (a ministry's
/// "computer systems attacked in July" and the Treasury's).
pub const SAME_CLAIM_OTHER_SOURCE: f64 = 0.5;

/// Mark each candidate of `doc` with the claims already on `desk` that say
/// the same thing (`seen_before: [ids]`, best first, and their share of
/// weighted words as `seen_before_score`); how many it marked. `tree` is
/// the desk's sources.
pub fn mark_seen_before(desk: &Desk, tree: &SourceTree, doc: &mut Document) -> usize {
    let known = Matcher::new(
        desk.claims()
            .filter(|(_, c)| !c.is_candidate())
            .map(|(_, c)| {
                (
                    (c.id.clone(), c.source.clone()),
                    c.text.as_str(),
                    c.translation.as_str(),
                )
            }),
    );
    let outlet = |id: &SourceId| {
        tree.get(id).is_some_and(|s| s.kind == "outlet")
            || doc
                .sources
                .iter()
                .any(|s| &s.id == id && s.kind == "outlet")
    };
    // The same party: one source, or one speaking for the other.
    let related = |a: &SourceId, b: &SourceId| {
        a == b
            || tree.with_descendants([a.clone()]).contains(b)
            || tree.with_descendants([b.clone()]).contains(a)
    };
    let mut marks = Vec::new();
    for c in &doc.claims {
        let speaker = doc
            .sources
            .iter()
            .find(|s| s.id == c.source && s.kind != "outlet")
            .map(|s| format!("{} {}", s.name, s.name_original))
            .unwrap_or_default();
        let found: Vec<(crate::model::ClaimId, f64)> = known
            .matches_without(&c.text, &speaker, 10)
            .into_iter()
            .filter(|((_, theirs), share)| {
                let agree = outlet(theirs) || outlet(&c.source) || related(theirs, &c.source);
                *share
                    >= if agree {
                        SAME_CLAIM
                    } else {
                        SAME_CLAIM_OTHER_SOURCE
                    }
            })
            .take(3)
            .map(|((id, _), share)| (id, share))
            .collect();
        marks.push(found);
    }
    let mut marked = 0;
    for (c, found) in doc.claims.iter_mut().zip(marks) {
        if found.is_empty() {
            continue;
        }
        marked += 1;
        let scores = found
            .iter()
            .map(|(_, s)| Value::Number(serde_yaml::Number::from((s * 100.0).round() / 100.0)))
            .collect();
        let ids = found
            .into_iter()
            .map(|(id, _)| Value::String(id.0.into_string()))
            .collect();
        c.extra.insert(SEEN_BEFORE.into(), Value::Sequence(ids));
        c.extra
            .insert(SEEN_BEFORE_SCORE.into(), Value::Sequence(scores));
    }
    marked
}
