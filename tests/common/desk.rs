//! The real app and drive loop with a scripted front end: keys in, ratatui's
//! test backend out. What a person would see, without a terminal.
#![allow(dead_code)]

use std::collections::VecDeque;
use std::io;
use std::time::Duration;

use claimdesk::app::drive::{self, Event, Frontend};
use claimdesk::app::{
    Action, App, Capabilities, Display, Effect, Key, KeyCode, Layout, Screen, Session,
};
use claimdesk::query::Hub;
use claimdesk::store::Desk;
use claimdesk::text::Bidi;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;

/// Keys as a test writes them: each character a key, or `<Name>` for
/// Esc, Enter, Tab, Space, Up, Down, Left, Right, PgUp, PgDn, C-x (Ctrl-x),
/// M-x (Alt-x, as a terminal sends Esc and x typed together).
pub fn keys(script: &str) -> Vec<Key> {
    let mut out = Vec::new();
    let mut rest = script;
    while let Some(c) = rest.chars().next() {
        if c == '<'
            && let Some(end) = rest.find('>')
        {
            let name = &rest[1..end];
            rest = &rest[end + 1..];
            out.push(match name {
                "Esc" => Key::plain(KeyCode::Esc),
                "Enter" => Key::plain(KeyCode::Enter),
                "Tab" => Key::plain(KeyCode::Tab),
                "Space" => Key::char(' '),
                "Up" => Key::plain(KeyCode::Up),
                "Down" => Key::plain(KeyCode::Down),
                "Left" => Key::plain(KeyCode::Left),
                "Right" => Key::plain(KeyCode::Right),
                "PgUp" => Key::plain(KeyCode::PageUp),
                "PgDn" => Key::plain(KeyCode::PageDown),
                alt if alt.starts_with("M-") => Key {
                    alt: true,
                    ..Key::char(alt.chars().nth(2).expect("M-x names a key"))
                },
                ctrl if ctrl.starts_with("C-") => {
                    Key::ctrl(ctrl.chars().nth(2).expect("C-x names a key"))
                }
                other => panic!("unknown key <{other}>"),
            });
            continue;
        }
        out.push(Key::char(c));
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// A front end that types a script and draws into a test backend.
pub struct Scripted {
    events: VecDeque<Event>,
    pub terminal: Terminal<TestBackend>,
    pub effects: Vec<Effect>,
    /// Each switch of how right-to-left text is sent, in order.
    pub bidi_changes: Vec<Bidi>,
}

impl Scripted {
    pub fn new(w: u16, h: u16, events: Vec<Event>) -> Scripted {
        Scripted {
            events: events.into(),
            terminal: Terminal::new(TestBackend::new(w, h)).expect("test terminal"),
            effects: Vec::new(),
            bidi_changes: Vec::new(),
        }
    }

    /// The screen as text, one trimmed line per row.
    pub fn text(&self) -> String {
        let buf = self.terminal.backend().buffer();
        let mut out = String::new();
        for y in 0..buf.area.height {
            let mut line = String::new();
            for x in 0..buf.area.width {
                line.push_str(buf[(x, y)].symbol());
            }
            out.push_str(line.trim_end());
            out.push('\n');
        }
        out
    }
}

impl Frontend for Scripted {
    fn next_event(&mut self, _timeout: Duration) -> io::Result<Option<Event>> {
        Ok(Some(self.events.pop_front().unwrap_or(Event::Closed)))
    }

    fn draw(&mut self, app: &App) -> io::Result<Layout> {
        let mut layout = Layout::default();
        let Ok(_) = self
            .terminal
            .draw(|f| layout = claimdesk::ui::render(app, f));
        Ok(layout)
    }

    fn resize(&mut self, width: u16, height: u16) -> io::Result<()> {
        self.terminal.backend_mut().resize(width, height);
        let Ok(()) = self.terminal.resize(Rect::new(0, 0, width, height));
        Ok(())
    }

    fn bidi_changed(&mut self, bidi: Bidi) -> io::Result<()> {
        self.bidi_changes.push(bidi);
        Ok(())
    }

    fn perform(&mut self, effect: Effect) -> io::Result<Option<Action>> {
        self.effects.push(effect);
        Ok(None)
    }
}

/// A desk app as the terminal front end would make it, reviewer alice.
pub fn app(desk: Desk, bidi: Bidi) -> App {
    app_as(desk, bidi, "alice")
}

/// The same, for reviewer `who` (a second reviewer on the same files).
pub fn app_as(desk: Desk, bidi: Bidi, who: &str) -> App {
    app_on(Hub::new(desk), bidi, who)
}

/// A session of reviewer `who` on `hub`'s desk (two of them: a server's two sessions).
pub fn app_on(hub: Hub, bidi: Bidi, who: &str) -> App {
    let display = Display {
        bidi,
        bidi_choice: Default::default(),
        color: false,
        time_zone: jiff::tz::TimeZone::UTC,
    };
    let caps = Capabilities {
        editor: true,
        suspend: true,
    };
    App::new(
        Session::on(hub, Some(who.into())),
        Screen::new(display, caps),
    )
}

/// Type `script` into `app` at `w` x `h` through the drive loop; the front end after.
pub fn type_into(app: &mut App, script: &str, w: u16, h: u16) -> Scripted {
    let events = keys(script).into_iter().map(Event::Key).collect();
    let mut fe = Scripted::new(w, h, events);
    drive::run(app, &mut fe).expect("the drive loop runs");
    fe
}
