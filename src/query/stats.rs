//! Counts for the stats view and `claimdesk stats`: the source x status
//! matrix and what each reviewer did.

use std::collections::{BTreeMap, HashMap};

use super::SourceTree;
use crate::model::{Scale, SourceId};
use crate::store::Desk;

/// Claims per status of the desk's scale, in scale order.
pub fn status_counts(desk: &Desk) -> Vec<usize> {
    desk.settings
        .rating_scale
        .counts(desk.heads().map(|(_, c)| c.status))
}

/// One row of the source x status matrix.
#[derive(Debug, Clone, PartialEq)]
pub struct StatsRow {
    /// `None` for the row of all sources.
    pub source: Option<SourceId>,
    pub name: String,
    pub depth: usize,
    /// Per status of the scale, counting the source's sub-sources too (as its filter does).
    pub counts: Vec<usize>,
    /// Claims attributed to the source itself, without its sub-sources.
    pub own: usize,
    /// Claims with a verdict.
    pub reviewed: usize,
}

impl StatsRow {
    pub fn total(&self) -> usize {
        self.counts.iter().sum()
    }
}

/// The matrix from per-source counts (`direct`, not counting sub-sources):
/// every source in tree order with its sub-sources added in, then `totals`.
pub(super) fn rows(
    tree: &SourceTree,
    scale: &Scale,
    direct: &HashMap<SourceId, Vec<usize>>,
    totals: &[usize],
) -> Vec<StatsRow> {
    let mut rows: Vec<StatsRow> = tree
        .depth_first()
        .into_iter()
        .map(|(depth, s)| {
            let mut counts = vec![0; scale.len()];
            for id in tree.with_descendants([s.id.clone()]) {
                if let Some(d) = direct.get(&id) {
                    for (c, n) in counts.iter_mut().zip(d) {
                        *c += n;
                    }
                }
            }
            StatsRow {
                source: Some(s.id.clone()),
                name: s.name.clone(),
                depth,
                own: direct.get(&s.id).map_or(0, |d| d.iter().sum()),
                reviewed: scale.verdicts_in(&counts),
                counts,
            }
        })
        .collect();
    let total: usize = totals.iter().sum();
    rows.push(StatsRow {
        source: None,
        name: "All sources".into(),
        depth: 0,
        own: total,
        reviewed: scale.verdicts_in(totals),
        counts: totals.to_vec(),
    });
    rows
}

/// What one reviewer did, from history.
#[derive(Debug, Clone, PartialEq)]
pub struct Activity {
    pub reviewer: String,
    pub changes: usize,
    /// Claims whose verdict is this reviewer's decision: the last status
    /// they set on it is a verdict (an undo takes one back, a redo or the
    /// same verdict again is not another).
    pub verdicts: usize,
    pub last: String,
}

/// Per-reviewer activity, most active first.
pub fn reviewer_activity(desk: &Desk) -> Vec<Activity> {
    let scale = &desk.settings.rating_scale;
    let mut by: BTreeMap<&str, Activity> = BTreeMap::new();
    // Per claim, who decided each status it had (None: not a verdict); an
    // undo takes the last decision back, so the top is whose verdict it is.
    let mut decided: Vec<Option<&str>> = Vec::new();
    for (_, c) in desk.heads() {
        decided.clear();
        for h in &c.history {
            let a = by.entry(h.by.as_str()).or_insert_with(|| Activity {
                reviewer: h.by.to_string(),
                changes: 0,
                verdicts: 0,
                last: String::new(),
            });
            a.changes += 1;
            if h.status != h.previous {
                if h.undo {
                    decided.pop();
                } else {
                    decided.push(scale.is_verdict(h.status).then_some(h.by.as_str()));
                }
            }
            if *h.at > *a.last {
                a.last = h.at.to_string();
            }
        }
        if let Some(Some(who)) = decided.last()
            && let Some(a) = by.get_mut(*who)
        {
            a.verdicts += 1;
        }
    }
    let mut out: Vec<Activity> = by.into_values().collect();
    out.sort_by(|a, b| b.changes.cmp(&a.changes).then(a.reviewer.cmp(&b.reviewer)));
    out
}
