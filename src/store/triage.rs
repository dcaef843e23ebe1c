//! Triage of an imported candidate at the level of its file: a new source
//! it names, the checks that need the whole article, and the log a rejected
//! candidate leaves behind.

use super::{Change, Triage};
use crate::model::{Claim, Document};

/// Check triage `t` of the candidate at `index` against the file as it is,
/// and add a new source it names. Only candidates are triaged; new wording
/// must stand verbatim in the claim's paragraph.
pub(super) fn prepare(
    doc: &mut Document,
    index: usize,
    t: &Triage,
    change: &Change,
) -> Result<(), String> {
    let claim = &doc.claims[index];
    if let Triage::Link(other) = t {
        // Any claim may say what another says; only not itself.
        return if *other == claim.id {
            Err(format!("{} cannot be the same claim as itself", claim.id))
        } else {
            Ok(())
        };
    }
    if !claim.is_candidate() {
        return Err(format!(
            "{} is not a candidate: triage is for claims `claimdesk import` proposed",
            change.claim
        ));
    }
    match t {
        Triage::Text(text) => {
            let found = match claim.paragraph {
                Some(n) => doc
                    .article
                    .paragraph(n)
                    .is_some_and(|p| p.contains(text.as_str())),
                None => doc.article.paragraph_holding(text).is_some(),
            };
            if text.trim().is_empty() || !found {
                return Err(format!(
                    "the new wording of {} is not in its paragraph; nothing was changed",
                    change.claim
                ));
            }
        }
        Triage::Source { id, define } => {
            // A definition the file lacks is added; one it has stays as
            // the file has it. Aliases stay where the newsroom keeps them.
            for d in define {
                if !doc.sources.iter().any(|s| s.id == d.id) {
                    doc.sources.push(crate::model::Source {
                        aliases: Vec::new(),
                        ..d.clone()
                    });
                }
            }
            if !doc.sources.iter().any(|s| &s.id == id) {
                return Err(format!("no source `{id}` in this article's file"));
            }
        }
        Triage::Accept | Triage::Reject | Triage::Link(_) => {}
    }
    Ok(())
}

/// Keep a rejected candidate's id, text and source in the file's
/// `rejected:` log, with who rejected it and when.
pub(super) fn log_rejection(doc: &mut Document, gone: &Claim, change: &Change) {
    use serde_yaml::{Mapping, Value};
    let mut entry = Mapping::new();
    let mut put = |k: &str, v: &str| {
        entry.insert(Value::String(k.into()), Value::String(v.into()));
    };
    put("id", &gone.id.0);
    put("source", &gone.source.0);
    put("text", &gone.text);
    put("by", &change.by);
    put("at", &change.at);
    let key = Value::String("rejected".into());
    match doc.extra.get_mut(&key) {
        Some(Value::Sequence(list)) => list.push(Value::Mapping(entry)),
        _ => {
            doc.extra
                .insert(key, Value::Sequence(vec![Value::Mapping(entry)]));
        }
    }
}

/// Take the newest entry for claim `id` out of the file's `rejected:` log
/// (its rejection was undone); the log goes when it empties.
pub(super) fn unlog_rejection(doc: &mut Document, id: &crate::model::ClaimId) {
    use serde_yaml::Value;
    let key = Value::String("rejected".into());
    let Some(Value::Sequence(list)) = doc.extra.get_mut(&key) else {
        return;
    };
    let mine = |v: &Value| {
        v.get("id")
            .and_then(Value::as_str)
            .is_some_and(|x| x == id.0.as_str())
    };
    if let Some(i) = list.iter().rposition(mine) {
        list.remove(i);
    }
    if list.is_empty() {
        doc.extra.remove(&key);
    }
}
