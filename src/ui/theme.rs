//! Colours and symbols. Status always shows as a symbol and a word, so the
//! desk reads the same with `NO_COLOR`, 16 colours, light or dark backgrounds.

use ratatui::style::{Color, Modifier, Style};

use crate::model::Status;

pub fn symbol(s: Status) -> &'static str {
    match s {
        Status::Unreviewed => "·",
        Status::InReview => "…",
        Status::Verified => "✓",
        Status::Misleading => "~",
        Status::False => "✗",
        Status::Unverifiable => "?",
    }
}

/// The 16-colour palette only: named colours follow the terminal's own theme.
fn color_of(s: Status) -> Option<Color> {
    match s {
        Status::Unreviewed => None,
        Status::InReview => Some(Color::Blue),
        Status::Verified => Some(Color::Green),
        Status::Misleading => Some(Color::Yellow),
        Status::False => Some(Color::Red),
        Status::Unverifiable => Some(Color::Magenta),
    }
}

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    pub fn status(self, s: Status) -> Style {
        match (self.color, color_of(s)) {
            (true, Some(c)) => Style::new().fg(c),
            _ => Style::new(),
        }
    }

    /// The selected row: reversed, so it survives `NO_COLOR` and any palette.
    pub fn selected(self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    /// The claim's own words inside the article.
    pub fn highlight(self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD | Modifier::UNDERLINED);
        if self.color { s.fg(Color::Yellow) } else { s }
    }

    pub fn title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(self) -> Style {
        if self.color {
            Style::new().fg(Color::DarkGray)
        } else {
            Style::new()
        }
    }

    pub fn error(self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Red) } else { s }
    }

    pub fn focused_border(self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Cyan) } else { s }
    }
}
