//! The source, status-filter and status pickers.

use std::collections::HashSet;

use super::super::screen::{Overlay, Picker, PickerEntry, PickerKind, PickerValue};
use super::super::{Action, App};

fn toggle(set: &mut HashSet<usize>, i: usize) {
    if !set.remove(&i) {
        set.insert(i);
    }
}

impl App {
    pub(super) fn update_picker(&mut self, mut p: Picker, action: Action) {
        if p.typing {
            match action {
                Action::Input(c) => p.query.push(c),
                Action::Paste(t) => p.query.push_str(t.lines().next().unwrap_or("")),
                Action::Backspace => {
                    p.query.pop();
                }
                Action::ClearInput => p.query.clear(),
                // Going to a claim: the id typed, Enter goes.
                Action::Confirm if p.kind == PickerKind::GoTo => return self.apply_picker(p),
                Action::Confirm => p.typing = false,
                Action::Back => {
                    p.query.clear();
                    p.typing = false;
                }
                _ => self.out.redraw = false,
            }
            p.move_by(0);
            self.screen.overlay = Some(Overlay::Picker(p));
            return;
        }
        let page = self.screen.layout.list_rows.max(1) as isize;
        match action {
            Action::Down => p.move_by(1),
            Action::Up => p.move_by(-1),
            Action::PageDown => p.move_by(page),
            Action::PageUp => p.move_by(-page),
            Action::Top => p.move_by(isize::MIN / 2),
            Action::Bottom => p.move_by(isize::MAX / 2),
            Action::SearchStart => p.typing = true,
            Action::Toggle
                if !matches!(
                    p.kind,
                    PickerKind::SetStatus
                        | PickerKind::SetSource
                        | PickerKind::LinkClaim
                        | PickerKind::GoTo
                ) =>
            {
                let cursor = p.cursor;
                toggle(&mut p.checked, cursor)
            }
            // The digits the status pickers print choose.
            Action::Digit(d) => {
                let scale = self.session.scale();
                let found = scale.by_digit(d).and_then(|s| {
                    p.entries
                        .iter()
                        .position(|e| e.value == PickerValue::Status(s))
                });
                match (found, p.kind) {
                    (Some(i), PickerKind::SetStatus) => {
                        p.cursor = i;
                        return self.apply_picker(p);
                    }
                    (Some(i), PickerKind::StatusFilter) => {
                        p.cursor = i;
                        toggle(&mut p.checked, i);
                    }
                    _ => self.screen.info(format!(
                        "{d} chooses nothing here; the digits are for statuses"
                    )),
                }
            }
            Action::Confirm => return self.apply_picker(p),
            Action::Back => return,
            _ => self.out.redraw = false,
        }
        self.screen.overlay = Some(Overlay::Picker(p));
    }

    fn apply_picker(&mut self, p: Picker) {
        if matches!(p.kind, PickerKind::LinkClaim | PickerKind::GoTo) {
            let shown = p.shown();
            let chosen = shown
                .contains(&p.cursor)
                .then(|| &p.entries[p.cursor].value);
            let id = match chosen {
                Some(PickerValue::Claim(id)) => id.clone(),
                _ => match self.session.desk().resolve(p.query.trim()) {
                    Ok(at) => match self.session.desk().head(at) {
                        Some(c) => c.id.clone(),
                        None => return self.screen.info("no claim chosen"),
                    },
                    Err(e) => return self.screen.error(e.to_string()),
                },
            };
            return match p.kind {
                PickerKind::GoTo => self.go_to_claim(id),
                _ => self.link_to(id),
            };
        }
        if p.kind == PickerKind::SetSource {
            // Nothing shown under a typed name: that name is a new source.
            let shown = p.shown();
            let chosen = shown
                .contains(&p.cursor)
                .then(|| &p.entries[p.cursor].value);
            return match chosen {
                Some(PickerValue::Source(id)) => self.reattribute(id.clone()),
                _ if !p.query.trim().is_empty() => {
                    let name = p.query.trim().to_string();
                    self.reattribute_new(name)
                }
                _ => self.screen.info("no source chosen"),
            };
        }
        // What a typed filter hides is not chosen: typing a name and Enter
        // picks what is shown (the ticked ones shown, else the highlighted).
        let shown = p.shown();
        let filtered = !p.query.trim().is_empty();
        let ticked: Vec<usize> = {
            let mut idx: Vec<_> = (p.checked.iter().copied())
                .filter(|i| !filtered || shown.contains(i))
                .collect();
            idx.sort_unstable();
            idx
        };
        let hidden = p.checked.len() - ticked.len();
        let chosen: Vec<&PickerValue> = if ticked.is_empty() {
            p.entries
                .get(p.cursor)
                .map(|e| &e.value)
                .into_iter()
                .collect()
        } else {
            ticked
                .iter()
                .filter_map(|i| p.entries.get(*i))
                .map(|e| &e.value)
                .collect()
        };
        if hidden > 0 {
            self.screen.info(format!(
                "{hidden} ticked {} hidden by the filter left out",
                if hidden == 1 { "entry" } else { "entries" }
            ));
        }
        match p.kind {
            PickerKind::Source => {
                let ids = chosen.iter().filter_map(|v| match v {
                    PickerValue::Source(id) => Some(id.clone()),
                    PickerValue::Status(_) | PickerValue::Claim(_) => None,
                });
                let tree = self.session.catalog().tree();
                self.screen.list.filter.sources = Some(tree.with_descendants(ids));
                self.screen.list.refilter(&mut self.session);
            }
            PickerKind::StatusFilter => {
                let set = chosen
                    .iter()
                    .filter_map(|v| match v {
                        PickerValue::Status(s) => Some(*s),
                        PickerValue::Source(_) | PickerValue::Claim(_) => None,
                    })
                    .collect();
                self.screen.list.filter.statuses = Some(set);
                self.screen.list.refilter(&mut self.session);
            }
            PickerKind::SetStatus => {
                if let Some(PickerValue::Status(s)) = chosen.first() {
                    let s = *s;
                    self.set_status(s);
                }
            }
            PickerKind::SetSource | PickerKind::LinkClaim | PickerKind::GoTo => {}
        }
    }

    /// Every source in tree order; a count says what applying it shows,
    /// sub-sources included, and the source's own count when that differs.
    pub(super) fn source_picker(&self) -> Picker {
        let catalog = self.session.catalog();
        let entries: Vec<PickerEntry> = catalog
            .tree()
            .depth_first()
            .into_iter()
            .map(|(depth, s)| {
                let count = catalog.count_with_subsources(&s.id);
                let own = catalog.own_count(&s.id);
                PickerEntry {
                    label: s.name.clone(),
                    also: s.all_names().collect::<Vec<_>>().join(" · "),
                    depth,
                    count,
                    own: (own != count).then_some(own),
                    value: PickerValue::Source(s.id.clone()),
                }
            })
            .collect();
        // Start with the current filter ticked, so the picker edits it.
        let checked = match &self.screen.list.filter.sources {
            Some(set) => entries
                .iter()
                .enumerate()
                .filter(|(_, e)| matches!(&e.value, PickerValue::Source(id) if set.contains(id)))
                .map(|(i, _)| i)
                .collect(),
            None => HashSet::new(),
        };
        Picker::new(PickerKind::Source, entries, 0, checked)
    }

    pub(super) fn status_picker(&self, kind: PickerKind) -> Picker {
        let counts = self.session.catalog().status_counts();
        let scale = self.session.scale();
        let entries = scale
            .statuses
            .iter()
            .zip(counts.iter().copied())
            .map(|(d, count)| PickerEntry {
                label: match d.digit {
                    Some(g) => format!("{g} {}", d.label),
                    None => d.label.clone(),
                },
                also: String::new(),
                depth: 0,
                count,
                own: None,
                value: PickerValue::Status(d.key),
            })
            .collect();
        let cursor = match kind {
            PickerKind::SetStatus => self
                .selected_claim()
                .and_then(|c| scale.index(c.status))
                .unwrap_or(0),
            _ => 0,
        };
        let checked = match (&self.screen.list.filter.statuses, kind) {
            (Some(set), PickerKind::StatusFilter) => scale
                .keys()
                .enumerate()
                .filter(|(_, s)| set.contains(s))
                .map(|(i, _)| i)
                .collect(),
            _ => HashSet::new(),
        };
        Picker::new(kind, entries, cursor, checked)
    }
}
