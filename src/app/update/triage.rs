//! Triage of the candidates `claimdesk import` proposed: their own queue,
//! accept, reject, widen or narrow the wording to sentence boundaries, and
//! who said it. Every decision is saved at once, like a mark.

use std::ops::Range;

use super::super::screen::{Overlay, Picker, PickerEntry, PickerKind, PickerValue};
use super::super::{Action, App};
use crate::model::{ClaimId, SAME_AS, SEEN_BEFORE, SourceId};
use crate::store::{Seen, Triage};
use crate::text;

/// Byte ranges of `s`'s pieces between commas outside quotations: where
/// a sentence narrows to.
fn comma_pieces(s: &str) -> Vec<Range<usize>> {
    let mut cuts = vec![0];
    for i in text::commas_outside_quotes(s) {
        cuts.push(i);
        cuts.push(i + s[i..].chars().next().map_or(1, char::len_utf8));
    }
    cuts.push(s.len());
    let mut out = Vec::new();
    for r in cuts.chunks(2) {
        text::push_trimmed(&mut out, s, r[0]..r[1]);
    }
    out
}

/// `text` (at `at` in paragraph `p`) widened: to the whole sentence it sits
/// in, or, already whole sentences, with the next one (else the one before).
pub fn widen(p: &str, at: Range<usize>) -> Option<String> {
    let sentences = text::sentences(p);
    let first = sentences.iter().position(|s| s.end > at.start)?;
    let last = sentences.iter().rposition(|s| s.start < at.end)?;
    let whole = sentences[first].start..sentences[last].end;
    let wider = if whole.start < at.start || whole.end > at.end {
        whole
    } else if let Some(next) = sentences.get(last + 1) {
        at.start..next.end
    } else {
        sentences.get(first.checked_sub(1)?)?.start..at.end
    };
    Some(p[wider].to_string())
}

/// `text` (at `at` in `p`) narrowed: without its last sentence, or, one
/// sentence, to its first piece between commas.
pub fn narrow(p: &str, at: Range<usize>) -> Option<String> {
    let sentences: Vec<Range<usize>> = text::sentences(p)
        .into_iter()
        .filter(|s| s.start < at.end && s.end > at.start)
        .collect();
    if sentences.len() > 1 {
        let keep = &sentences[sentences.len() - 2];
        return Some(p[at.start.max(keep.start)..keep.end.min(at.end)].to_string());
    }
    let pieces = comma_pieces(&p[at.clone()]);
    (pieces.len() > 1).then(|| p[at.start + pieces[0].start..at.start + pieces[0].end].to_string())
}

impl App {
    pub(super) fn update_triage(&mut self, action: Action) {
        match action {
            Action::Candidates => {
                let list = &mut self.screen.list;
                list.filter.candidates = !list.filter.candidates;
                list.refilter(&mut self.session);
                let n = self.screen.list.visible.len();
                if self.screen.list.filter.candidates {
                    self.screen.info(format!(
                        "{n} candidates to triage: Y accept, X reject, > < wording, R who said it"
                    ));
                } else {
                    self.screen.info("all claims");
                }
            }
            Action::Accept => self.triage(Triage::Accept),
            Action::Reject => self.triage(Triage::Reject),
            Action::Widen | Action::Narrow => self.reword(action == Action::Widen),
            Action::Reattribute => self.open_source_chooser(),
            Action::Link => self.open_link_picker(),
            Action::JumpLinked => self.jump_linked(),
            Action::GoTo => self.open_go_to(),
            Action::TrimFirstWord => self.trim_word(true),
            Action::TrimLastWord => self.trim_word(false),
            _ => self.out.redraw = false,
        }
    }

    /// Save triage `t` of the selected candidate, and say what happened.
    fn triage(&mut self, t: Triage) {
        let Some(c) = self.selected_claim() else {
            return self.screen.error("no claim selected");
        };
        if !c.is_candidate() && !matches!(t, Triage::Link(_)) {
            return self.screen.error(format!(
                "{} is not a candidate; C shows the candidates import proposed",
                c.id
            ));
        }
        let (id, seen) = (c.id.clone(), Seen::of(c));
        let said = match &t {
            Triage::Accept => format!("accepted {id}: a claim to review"),
            Triage::Reject => format!("rejected {id}: kept in the file's rejected: log"),
            Triage::Text(_) => format!("{id}: wording changed"),
            Triage::Source { .. } => format!("{id}: source changed"),
            Triage::Link(other) => format!("{id} is the same claim as {other}"),
        };
        let saved = self.session.triage(&id, t, seen);
        self.after_save(&id);
        match saved {
            Ok(()) => self.screen.info(said),
            Err(e) => self.screen.error(e.to_string()),
        }
    }

    fn reword(&mut self, wider: bool) {
        let Some(at) = self.selected_ref() else {
            return self.screen.error("no claim selected");
        };
        let Some(c) = self.session.desk().get(at) else {
            return;
        };
        let article = match self.session.desk().article(at) {
            Ok(a) => a,
            Err(why) => return self.screen.error(why.to_string()),
        };
        let Some(p) = article.paragraph_of(c).and_then(|n| article.paragraph(n)) else {
            return self
                .screen
                .error(format!("{}: its paragraph is not known", c.id));
        };
        let Some(start) = p.find(c.text.as_str()) else {
            return self.screen.error(format!(
                "{}: its text is not verbatim in its paragraph",
                c.id
            ));
        };
        let range = start..start + c.text.len();
        let changed = if wider {
            widen(p, range)
        } else {
            narrow(p, range)
        };
        match changed {
            Some(t) if t != c.text => self.triage(Triage::Text(t)),
            _ if wider => self.screen.info("already the whole paragraph"),
            _ => self
                .screen
                .info("already one sentence piece; it narrows no further"),
        }
    }

    /// Every source of the desk, to choose who said it: the article's own
    /// first, then the rest of the newsroom's, each found by any of its names.
    fn open_source_chooser(&mut self) {
        let Some(at) = self.selected_ref() else {
            return self.screen.error("no claim selected");
        };
        let (Some(c), Some(doc)) = (self.session.desk().get(at), self.session.desk().doc(at))
        else {
            return;
        };
        let catalog = self.session.catalog();
        let tree = catalog.tree();
        let here: Vec<&crate::model::Source> = doc.sources.iter().collect();
        let elsewhere = (tree.depth_first().into_iter())
            .map(|(_, s)| s)
            .filter(|s| !doc.sources.iter().any(|d| d.id == s.id));
        let entries: Vec<PickerEntry> = (here.into_iter().chain(elsewhere))
            .map(|s| {
                let names = tree.get(&s.id).unwrap_or(s);
                PickerEntry {
                    label: s.names(),
                    also: names.all_names().collect::<Vec<_>>().join(" · "),
                    depth: 0,
                    count: catalog.own_count(&s.id),
                    own: None,
                    value: PickerValue::Source(s.id.clone()),
                }
            })
            .collect();
        let cursor = entries
            .iter()
            .position(|e| e.value == PickerValue::Source(c.source.clone()))
            .unwrap_or(0);
        let p = Picker::new(PickerKind::SetSource, entries, cursor, Default::default());
        self.screen.overlay = Some(Overlay::Picker(p));
    }

    /// Choose the claim the selected one is the same as: those import
    /// found first (best first, with their match), then the claims the
    /// list shows (narrow it with / first), or any id typed.
    fn open_link_picker(&mut self) {
        let Some(at) = self.selected_ref() else {
            return self.screen.error("no claim selected");
        };
        let Some(c) = self.session.desk().get(at) else {
            return;
        };
        let desk = self.session.desk();
        let tree = self.session.catalog().tree();
        let already = c.ids_under(SAME_AS);
        let scores = c.seen_before_scores();
        let seen = c.ids_under(SEEN_BEFORE);
        let entry = |id: &ClaimId, score: Option<f64>| {
            let other = desk.find(id).and_then(|r| desk.get(r))?;
            let score = score
                .map(|s| format!(" · match {s:.2}"))
                .unwrap_or_default();
            let linked = if already.contains(id) {
                " · linked"
            } else {
                ""
            };
            Some(PickerEntry {
                label: format!(
                    "{id} · {} · {}{score}{linked}: {}",
                    other.status.key(),
                    tree.name(&other.source),
                    text::truncate(&other.text, 60)
                ),
                also: other.translation.clone(),
                depth: 0,
                count: 0,
                own: None,
                value: PickerValue::Claim(id.clone()),
            })
        };
        let mut entries: Vec<PickerEntry> = (seen.iter().enumerate())
            .filter(|(_, id)| **id != c.id)
            .filter_map(|(i, id)| entry(id, scores.get(i).copied()))
            .collect();
        // The list as shown, capped: a desk of a million is narrowed with /.
        const SHOWN: usize = 2000;
        let listed = (self.screen.list.visible().iter())
            .filter_map(|&r| desk.head(r).map(|h| h.id.clone()))
            .filter(|id| *id != c.id && !seen.contains(id))
            .take(SHOWN)
            .collect::<Vec<_>>();
        entries.extend(listed.iter().filter_map(|id| entry(id, None)));
        if entries.is_empty() {
            return self
                .screen
                .info("no claim to link to: / narrows the list, or type an id in the picker");
        }
        let p = Picker::new(PickerKind::LinkClaim, entries, 0, Default::default());
        self.screen.overlay = Some(Overlay::Picker(p));
    }

    /// Go to any claim by its id: the listed claims to choose from as
    /// you type, or any id of the desk typed whole (the filter is cleared
    /// when it hides the claim).
    pub(super) fn open_go_to(&mut self) {
        let desk = self.session.desk();
        let tree = self.session.catalog().tree();
        const SHOWN: usize = 2000;
        let entries: Vec<PickerEntry> = (self.screen.list.visible().iter())
            .take(SHOWN)
            .filter_map(|&r| {
                let c = desk.head(r)?;
                let text = desk.get(r).map(|x| x.text.clone()).unwrap_or_default();
                Some(PickerEntry {
                    label: format!(
                        "{} · {} · {}: {}",
                        c.id,
                        c.status.key(),
                        tree.name(&c.source),
                        text::truncate(&text, 50)
                    ),
                    also: String::new(),
                    depth: 0,
                    count: 0,
                    own: None,
                    value: PickerValue::Claim(c.id.clone()),
                })
            })
            .collect();
        let cursor = self
            .screen
            .list
            .selected()
            .min(entries.len().saturating_sub(1));
        let mut p = Picker::new(PickerKind::GoTo, entries, cursor, Default::default());
        p.typing = true;
        self.screen.overlay = Some(Overlay::Picker(p));
    }

    pub(super) fn go_to_claim(&mut self, id: ClaimId) {
        if self.screen.list.go_to(&id, &mut self.session) {
            self.screen.info(format!("on {id}"));
        } else {
            self.screen.error(format!("{id} is not on this desk"));
        }
    }

    /// Link the selected claim to claim `other` (`same_as`).
    pub(super) fn link_to(&mut self, other: ClaimId) {
        self.triage(Triage::Link(other));
    }

    /// Move to the claim the selected one is the same as (linked, else the
    /// best seen before); the same key on it comes back.
    pub(super) fn jump_linked(&mut self) {
        let Some(c) = self.selected_claim() else {
            return self.screen.error("no claim selected");
        };
        let here = c.id.clone();
        let linked = c.linked();
        if let Some((from, to)) = self.screen.jumped.take()
            && to == here
        {
            return match self.screen.list.go_to(&from, &mut self.session) {
                true => self.screen.info(format!("back on {from}")),
                false => self
                    .screen
                    .error(format!("{from} is no longer on the desk")),
            };
        }
        let Some(target) = linked.into_iter().find(|id| *id != here) else {
            return self
                .screen
                .info(format!("{here} is linked to no claim; L links one"));
        };
        if self.screen.list.go_to(&target, &mut self.session) {
            let key =
                super::super::keymap::key_for(super::super::Context::List, &Action::JumpLinked)
                    .unwrap_or_default();
            self.screen.info(format!(
                "on {target}, the same claim as {here}; {key} goes back"
            ));
            self.screen.jumped = Some((here, target));
        } else {
            self.screen.error(format!("{target} is not on this desk"));
        }
    }

    /// Drop the first (or the last) word of the selected candidate's
    /// wording: with `>` to widen, any span of words is reachable.
    fn trim_word(&mut self, first: bool) {
        let Some(c) = self.selected_claim() else {
            return self.screen.error("no claim selected");
        };
        let t = c.text.trim();
        let cut = if first {
            t.split_once(char::is_whitespace)
                .map(|(_, rest)| rest.trim_start())
        } else {
            t.rsplit_once(char::is_whitespace)
                .map(|(rest, _)| rest.trim_end())
        };
        match cut {
            Some(shorter) if !shorter.is_empty() => self.triage(Triage::Text(shorter.to_string())),
            _ => self.screen.info("one word left; it narrows no further"),
        }
    }

    /// Say source `id` of the desk said the selected candidate; its file
    /// gets the source's definition (and its parents') if it lacks them.
    pub(super) fn reattribute(&mut self, id: SourceId) {
        let tree = self.session.catalog().tree();
        let mut define = Vec::new();
        let mut at = tree.get(&id);
        while let Some(s) = at {
            if define.iter().any(|d: &crate::model::Source| d.id == s.id) {
                break;
            }
            define.push(s.clone());
            at = s.parent.as_ref().and_then(|p| tree.get(p));
        }
        self.triage(Triage::Source { id, define });
    }

    /// A source named `name` that the article's file does not have yet.
    pub(super) fn reattribute_new(&mut self, name: String) {
        let Some(at) = self.selected_ref() else {
            return self.screen.error("no claim selected");
        };
        let Some(doc) = self.session.desk().doc(at) else {
            return;
        };
        let id = (1..)
            .map(|n| SourceId(format!("{}-new{n:02}", doc.article.id).into()))
            .find(|id| !doc.sources.iter().any(|s| &s.id == id))
            .unwrap_or_else(|| SourceId(doc.article.id.as_str().into()));
        let define = vec![crate::model::Source {
            id: id.clone(),
            name,
            name_original: String::new(),
            aliases: Vec::new(),
            kind: String::new(),
            country: None,
            parent: None,
            extra: Default::default(),
        }];
        self.triage(Triage::Source { id, define });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const P: &str = "قالت الوزارة إن الهجوم فشل، مضيفة أن الأنظمة عادت. وتابعت أن التحقيق مستمر.";

    fn at(text: &str) -> Range<usize> {
        let s = P.find(text).expect("in P");
        s..s + text.len()
    }

    #[test]
    fn widening_goes_to_the_sentence_then_the_next() {
        let piece = "الهجوم فشل";
        let first = widen(P, at(piece)).expect("wider");
        assert_eq!(first, "قالت الوزارة إن الهجوم فشل، مضيفة أن الأنظمة عادت.");
        assert_eq!(widen(P, at(&first)).expect("wider"), P);
        assert_eq!(widen(P, 0..P.len()), None, "the whole paragraph");
    }

    #[test]
    fn narrowing_drops_the_last_sentence_then_splits_at_commas() {
        let one = narrow(P, 0..P.len()).expect("narrower");
        assert_eq!(one, "قالت الوزارة إن الهجوم فشل، مضيفة أن الأنظمة عادت.");
        assert_eq!(
            narrow(P, at(&one)).expect("narrower"),
            "قالت الوزارة إن الهجوم فشل"
        );
        assert_eq!(narrow(P, at("قالت الوزارة إن الهجوم فشل")), None);
        // A comma inside a quotation is not a boundary.
        let q = "قال \"أ، ب\" ثم مضى";
        assert_eq!(narrow(q, 0..q.len()), None);
    }
}
