//! A claim's evidence list: add, edit and remove URLs. Each change is one
//! history entry, applied as a set operation, so it never disturbs a URL
//! another reviewer added meanwhile.

use crate::model::ClaimId;
use crate::store::Edit;

use super::super::screen::Overlay;
use super::super::{Action, App};

impl App {
    pub(super) fn open_evidence(&mut self) {
        if let Err(e) = self.session.may_change() {
            return self.screen.error(e.to_string());
        }
        if let Some(c) = self.selected_claim() {
            self.screen.overlay = Some(Overlay::evidence_list(c.id.clone(), 0));
        }
    }

    fn evidence_of(&self, claim: &ClaimId) -> Vec<String> {
        let desk = self.session.desk();
        desk.find(claim)
            .and_then(|r| desk.get(r))
            .map(|c| c.evidence.clone())
            .unwrap_or_default()
    }

    pub(super) fn update_evidence(
        &mut self,
        claim: ClaimId,
        mut cursor: usize,
        input: Option<String>,
        replacing: Option<String>,
        action: Action,
    ) {
        let urls = self.evidence_of(&claim);
        if let Some(mut text) = input {
            return self.update_evidence_input(claim, cursor, &mut text, replacing, action);
        }
        let mut input = None;
        let mut replacing = None;
        match action {
            Action::Down => cursor = (cursor + 1).min(urls.len().saturating_sub(1)),
            Action::Up => cursor = cursor.saturating_sub(1),
            Action::Add => input = Some(String::new()),
            Action::Edit => match urls.get(cursor) {
                Some(u) => {
                    input = Some(u.clone());
                    replacing = Some(u.clone());
                }
                None => self.screen.info("no evidence yet; a adds a URL"),
            },
            Action::Remove => match urls.get(cursor) {
                Some(u) => {
                    let edit = Edit::Evidence {
                        add: Vec::new(),
                        remove: vec![u.clone()],
                    };
                    if self.change_claim(&claim, edit, None).is_ok() {
                        self.screen
                            .info(format!("{claim}: removed evidence {u} (u undoes)"));
                    }
                    cursor = cursor.min(urls.len().saturating_sub(2));
                }
                None => self.screen.info("no evidence to remove"),
            },
            Action::Back => return,
            _ => self.out.redraw = false,
        }
        self.screen.overlay = Some(Overlay::Evidence {
            claim,
            cursor,
            input,
            replacing,
        });
    }

    fn update_evidence_input(
        &mut self,
        claim: ClaimId,
        cursor: usize,
        text: &mut String,
        replacing: Option<String>,
        action: Action,
    ) {
        match action {
            Action::Input(c) => text.push(c),
            // A pasted URL: its first line, without the spaces around it.
            Action::Paste(p) => text.push_str(p.lines().next().unwrap_or("").trim()),
            Action::Backspace => {
                text.pop();
            }
            Action::ClearInput => text.clear(),
            Action::Back => {
                self.screen.overlay = Some(Overlay::evidence_list(claim, cursor));
                return;
            }
            Action::Confirm => {
                let url = text.trim().to_string();
                let edit = Edit::Evidence {
                    add: vec![url.clone()],
                    remove: replacing.iter().filter(|r| **r != url).cloned().collect(),
                };
                match self.change_claim(&claim, edit, None) {
                    Ok(_) => {
                        let what = if replacing.is_some() {
                            "changed"
                        } else {
                            "added"
                        };
                        self.screen.info(format!("{claim}: {what} evidence {url}"));
                        let urls = self.evidence_of(&claim);
                        let cursor = urls.iter().position(|u| *u == url).unwrap_or(cursor);
                        self.screen.overlay = Some(Overlay::evidence_list(claim, cursor));
                        return;
                    }
                    // The error is on screen; the URL stays to be fixed.
                    Err(e) => self.screen.error(e.to_string()),
                }
            }
            _ => self.out.redraw = false,
        }
        self.screen.overlay = Some(Overlay::Evidence {
            claim,
            cursor,
            input: Some(std::mem::take(text)),
            replacing,
        });
    }
}
