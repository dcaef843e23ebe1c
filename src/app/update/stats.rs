//! The stats view: moving over the source x status matrix, and Enter to see
//! a cell's claims in the list.

use std::collections::HashSet;

use crate::query::Filter;

use super::super::screen::{Overlay, View};
use super::super::{Action, App};

impl App {
    pub(super) fn update_stats(&mut self, (r, c): (usize, usize), action: Action) {
        let rows = self.session.catalog().tree().sources.len() + 1;
        let cols = self.session.scale().len() + 1;
        let cell = match action {
            Action::Down => ((r + 1).min(rows - 1), c),
            Action::Up => (r.saturating_sub(1), c),
            Action::Right => (r, (c + 1).min(cols - 1)),
            Action::Left => (r, c.saturating_sub(1)),
            Action::Top => (0, c),
            Action::Bottom => (rows - 1, c),
            Action::Open => return self.filter_to_stats_cell((r, c)),
            Action::Back => {
                self.screen.close_view();
                return;
            }
            Action::Help => {
                self.screen.overlay = Some(Overlay::Help { scroll: 0 });
                return;
            }
            Action::Messages => {
                self.screen.overlay = Some(Overlay::Messages { scroll: 0 });
                return;
            }
            _ => {
                self.out.redraw = false;
                return;
            }
        };
        self.screen.view = View::Stats { cell };
    }

    /// Enter on a cell of the matrix: the list, filtered to that source and status.
    fn filter_to_stats_cell(&mut self, (r, c): (usize, usize)) {
        let tree = self.session.catalog().tree();
        let source = tree.depth_first().get(r).map(|(_, s)| s.id.clone());
        let sources = source.clone().map(|id| tree.with_descendants([id]));
        let status = self.session.scale().statuses.get(c).map(|d| d.key);
        let what = format!(
            "{} · {}",
            source.as_ref().map_or("all sources", |id| tree.name(id)),
            status.map_or("any status", |s| s.key())
        );
        self.screen.list.filter = Filter {
            sources,
            statuses: status.map(|s| HashSet::from([s])),
            ..Filter::default()
        };
        self.screen.list.refilter(&mut self.session);
        self.screen.list.selected = 0;
        self.screen.back_to_main();
        let n = self.screen.list.visible.len();
        self.screen.info(format!("{n} claim(s): {what}"));
    }
}
