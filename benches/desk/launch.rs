//! Opening a desk as `claimdesk` does, timed: the first frame, the keys a
//! reviewer types while the rest arrives (the first search key above all),
//! and the whole desk.

use std::path::Path;
use std::time::{Duration, Instant};

use claimdesk::app::{Action, App, Screen, Session, update};
use claimdesk::query::Hub;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::{CAPS, display, frame};

/// What opening a desk took.
pub struct Launch {
    pub app: App,
    pub term: Terminal<TestBackend>,
    /// Launch to the first frame drawn.
    pub first: Duration,
    /// Launch until every file is in (searchable, counted).
    pub whole: Duration,
    /// `/` and a letter typed right after the first frame: the slower.
    pub first_search_key: Duration,
    /// Keys typed while the rest arrived: the slowest, and how many.
    pub worst_loading_key: Duration,
    pub loading_keys: usize,
    /// The longest the desk was busy taking in arriving files (a key
    /// typed then waits that long).
    pub worst_intake: Duration,
    /// Claims the first search key was answered over.
    pub searched_first: usize,
}

/// A key and the frame it causes: the time a reviewer waits.
fn key(app: &mut App, term: &mut Terminal<TestBackend>, action: Action) -> Duration {
    let t = Instant::now();
    update(app, action);
    frame(term, app);
    t.elapsed()
}

/// What a reviewer types while the desk loads: a search typed and taken
/// back, moves, the search cleared.
fn typing_while_loading() -> Vec<Action> {
    let mut keys = vec![Action::SearchStart];
    keys.extend("هجوم".chars().map(Action::Input));
    keys.extend([Action::Backspace, Action::Backspace, Action::Confirm]);
    keys.extend([Action::Down, Action::Down, Action::Up]);
    keys.extend([Action::SearchStart, Action::Input('n'), Action::Input('a')]);
    keys.extend([
        Action::Backspace,
        Action::Backspace,
        Action::Back,
        Action::Back,
    ]);
    keys
}

/// Open `dir` (through the parse cache if `cached`), draw the first frame,
/// type `/` and a letter, then go on typing a key every 20 ms, taking the
/// desk's changes in before each frame as the drive loop does, until every
/// file is in.
pub fn launch(dir: &Path, cached: bool) -> Launch {
    let start = Instant::now();
    let hub = match Hub::open(dir, cached) {
        Ok(h) => h,
        Err(p) => panic!("synthetic desk invalid: {p}"),
    };
    let mut app = App::new(
        Session::on(hub, Some("bench".into())),
        Screen::new(display(), CAPS),
    );
    let mut term = match Terminal::new(TestBackend::new(80, 24)) {
        Ok(t) => t,
        Err(e) => panic!("test backend: {e}"),
    };
    frame(&mut term, &mut app);
    let first = start.elapsed();
    let slash = key(&mut app, &mut term, Action::SearchStart);
    let letter = key(&mut app, &mut term, Action::Input('ه'));
    let searched_first = app.session().desk().claim_count();
    let first_search_key = slash.max(letter);
    key(&mut app, &mut term, Action::Back);
    key(&mut app, &mut term, Action::Back);
    let script = typing_while_loading();
    let (mut worst_loading_key, mut worst_intake, mut typed) = (Duration::ZERO, Duration::ZERO, 0);
    while app.session().loading().is_some() {
        std::thread::sleep(Duration::from_millis(20));
        if app.session().behind() {
            worst_intake = worst_intake.max(key(&mut app, &mut term, Action::DeskChanged));
        }
        let next = script[typed % script.len()].clone();
        worst_loading_key = worst_loading_key.max(key(&mut app, &mut term, next));
        typed += 1;
    }
    let whole = start.elapsed();
    // Leave the desk as a reviewer would find it: no search, at the top.
    for a in [
        Action::Back,
        Action::Back,
        Action::ClearFilters,
        Action::Top,
    ] {
        update(&mut app, a);
    }
    if app.session().behind() {
        update(&mut app, Action::DeskChanged);
    }
    frame(&mut term, &mut app);
    Launch {
        app,
        term,
        first,
        whole,
        first_search_key,
        worst_loading_key,
        loading_keys: typed,
        worst_intake,
        searched_first,
    }
}
