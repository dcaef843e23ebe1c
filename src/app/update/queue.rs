//! Working through the list: the next claim without a verdict, moving on
//! after a mark, ordering, selecting several claims to mark at once, and
//! the claims one changed.

use crate::model::{ClaimId, Status};
use crate::store::{Edit, Seen};

use super::super::screen::View;
use super::super::{Action, App};

impl App {
    pub(super) fn update_queue(&mut self, action: Action) {
        match action {
            Action::NextUnreviewed => self.jump_to_do(true),
            Action::PrevUnreviewed => self.jump_to_do(false),
            Action::ToggleAdvance => {
                self.screen.advance = !self.screen.advance;
                self.screen.info(if self.screen.advance {
                    "after a mark, the cursor goes on to the next claim without a verdict"
                } else {
                    "after a mark, the cursor stays on the claim"
                });
            }
            Action::Sort => {
                let sort = self.screen.list.sort.next();
                self.screen.list.sort = sort;
                self.screen.list.invalidate();
                self.screen.list.refilter(&mut self.session);
                self.screen.info(format!("list ordered by {}", sort.name()));
            }
            Action::Select => {
                if let Some(id) = self.selected_claim().map(|c| c.id.clone()) {
                    if !self.screen.list.marked.remove(&id) {
                        self.screen.list.marked.insert(id);
                    }
                    self.screen.list.move_by(1);
                    let n = self.screen.list.marked.len();
                    self.screen.info(format!(
                        "{n} selected; a digit marks them all, Esc unselects"
                    ));
                }
            }
            Action::ChangedByMe => {
                let Some(me) = self.session.reviewer().map(str::to_string) else {
                    return self
                        .screen
                        .error("cannot tell who you are, so not which claims you changed");
                };
                let list = &mut self.screen.list;
                list.filter.changed_by = match list.filter.changed_by {
                    Some(_) => None,
                    None => Some(me),
                };
                list.refilter(&mut self.session);
                let n = self.screen.list.visible.len();
                match self.screen.list.filter.changed_by {
                    Some(_) => self.screen.info(format!("{n} claim(s) you changed")),
                    None => self.screen.info("all claims again"),
                }
            }
            _ => self.out.redraw = false,
        }
    }

    /// Move to the next (or previous) claim without a verdict, in list order.
    /// Past the end it wraps round, as vim's `n` does, and says so.
    fn jump_to_do(&mut self, forward: bool) {
        let list = &self.screen.list;
        let (at, len) = (list.selected, list.visible.len());
        let to_do = |i: &usize| self.session.to_do(list.visible[*i]);
        let found = if forward {
            (at + 1..len).find(to_do)
        } else {
            (0..at).rev().find(to_do)
        };
        let wrapped = || {
            if forward {
                (0..at.min(len)).find(to_do)
            } else {
                (at + 1..len).rev().find(to_do)
            }
        };
        match (found, found.is_none().then(wrapped).flatten()) {
            (Some(i), _) => self.select(i),
            (None, Some(i)) => {
                self.select(i);
                self.screen.info(if forward {
                    "no claim without a verdict below: wrapped to the top"
                } else {
                    "no claim without a verdict above: wrapped to the bottom"
                });
            }
            (None, None) => {
                let here = self.selected_ref().is_some_and(|r| self.session.to_do(r));
                self.screen.info(if here {
                    "this is the only claim without a verdict in this list"
                } else {
                    "no claim without a verdict in this list"
                });
            }
        }
    }

    fn select(&mut self, i: usize) {
        self.screen.list.selected = i;
        match &mut self.screen.view {
            View::Main { detail_scroll, .. } => *detail_scroll = 0,
            View::Claim { scroll } => *scroll = 0,
            _ => {}
        }
    }

    /// Whether the pause after a mark is over, the cursor still on the
    /// claim marked and nothing open over the list.
    pub(super) fn advance_is_due(&self) -> bool {
        let Some((id, at)) = &self.screen.advance_due else {
            return false;
        };
        *at <= std::time::Instant::now()
            && self.screen.overlay.is_none()
            && self.selected_claim().is_some_and(|c| &c.id == id)
    }

    /// After a mark: the cursor waits on the claim a moment (a note, the
    /// evidence or a copy reach it), then goes on; what to tell.
    pub(super) fn advance_later(&mut self, marked: &ClaimId) -> String {
        if !self.screen.advance {
            return String::new();
        }
        let at = std::time::Instant::now() + self.screen.advance_pause;
        self.screen.advance_due = Some((marked.clone(), at));
        "; n, E, T write on it now, then on to the next without a verdict (A: stay)".to_string()
    }

    /// After `marked` got its verdict: on to the next claim without one,
    /// from where it stood in the list. What happened, for the message.
    pub(super) fn advance_after(&mut self, marked: &ClaimId) -> String {
        if !self.screen.advance {
            return String::new();
        }
        let list = &self.screen.list;
        let from = list
            .visible
            .iter()
            .position(|r| {
                self.session
                    .desk()
                    .head(*r)
                    .is_some_and(|c| c.id == *marked)
            })
            .map_or(list.selected, |i| i + 1);
        let next = (from..list.visible.len()).find(|&i| self.session.to_do(list.visible[i]));
        match next {
            Some(i) => {
                self.select(i);
                let id = self
                    .selected_claim()
                    .map(|c| c.id.to_string())
                    .unwrap_or_default();
                format!("; on to {id}, the next without a verdict (A: stay instead)")
            }
            None => "; no claim without a verdict below in this list".to_string(),
        }
    }

    /// A digit with claims selected: every selected claim gets `status`,
    /// each its own history entry; what changed since is not overwritten.
    pub(super) fn mark_selected(&mut self, status: Status) {
        let ids: Vec<ClaimId> = self
            .screen
            .list
            .visible
            .iter()
            .filter_map(|r| self.session.desk().head(*r))
            .map(|c| c.id.clone())
            .filter(|id| self.screen.list.marked.contains(id))
            .collect();
        let (mut done, mut refused, mut already) = (0, Vec::new(), 0);
        // One key, one undo step, however many claims it marked.
        let outer = self.session.begin_step();
        for id in &ids {
            let desk = self.session.desk();
            let Some(seen) = desk.find(id).and_then(|r| desk.get(r)).map(Seen::of) else {
                continue;
            };
            if seen.status == status {
                already += 1;
                continue;
            }
            let edit = Edit::Status {
                status,
                note: None,
                evidence: Vec::new(),
            };
            match self.change_claim(id, edit, Some(seen)) {
                Ok(_) => done += 1,
                Err(e) => refused.push(format!("{id}: {e}")),
            }
        }
        self.session.end_step(outer);
        self.screen.list.marked.clear();
        let already = match already {
            0 => String::new(),
            n => format!(" ({n} were {status} already)"),
        };
        if refused.is_empty() {
            self.screen
                .info(format!("marked {done} claim(s) {status}{already}"));
        } else {
            self.screen.error(format!(
                "marked {done} claim(s) {status}{already}; not {}: {}",
                refused.len(),
                refused.join("; ")
            ));
        }
    }
}
