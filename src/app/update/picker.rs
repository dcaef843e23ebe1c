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
        match action {
            Action::Down => p.cursor = (p.cursor + 1).min(p.entries.len().saturating_sub(1)),
            Action::Up => p.cursor = p.cursor.saturating_sub(1),
            Action::Toggle if p.kind != PickerKind::SetStatus => {
                let cursor = p.cursor;
                toggle(&mut p.checked, cursor)
            }
            Action::Confirm => return self.apply_picker(p),
            Action::Back => return,
            _ => {}
        }
        self.screen.overlay = Some(Overlay::Picker(p));
    }

    fn apply_picker(&mut self, p: Picker) {
        let chosen: Vec<&PickerValue> = if p.checked.is_empty() {
            p.entries
                .get(p.cursor)
                .map(|e| &e.value)
                .into_iter()
                .collect()
        } else {
            let mut idx: Vec<_> = p.checked.iter().copied().collect();
            idx.sort_unstable();
            idx.iter()
                .filter_map(|i| p.entries.get(*i))
                .map(|e| &e.value)
                .collect()
        };
        match p.kind {
            PickerKind::Source => {
                let ids = chosen.iter().filter_map(|v| match v {
                    PickerValue::Source(id) => Some(id.clone()),
                    PickerValue::Status(_) => None,
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
                        PickerValue::Source(_) => None,
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
        Picker {
            kind: PickerKind::Source,
            entries,
            cursor: 0,
            checked,
        }
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
        Picker {
            kind,
            entries,
            cursor,
            checked,
        }
    }
}
