//! Colours and symbols. Status always shows as a symbol and a word, so the
//! desk reads the same with `NO_COLOR`, 16 colours, light or dark backgrounds.

use ratatui::style::{Color, Modifier, Style};

use crate::model::{Scale, Status};

/// A one-cell mark beside the status word; statuses a desk adds get a bullet.
pub fn symbol(s: Status) -> &'static str {
    match s {
        Status::Unreviewed => "·",
        Status::InReview => "…",
        Status::Verified => "✓",
        Status::Misleading => "~",
        Status::False => "✗",
        Status::Unverifiable => "?",
        _ => "•",
    }
}

/// The 16-colour palette only: named colours follow the terminal's own theme.
fn named(color: &str) -> Option<Color> {
    Some(match color {
        "red" => Color::Red,
        "green" => Color::Green,
        "yellow" => Color::Yellow,
        "blue" => Color::Blue,
        "magenta" => Color::Magenta,
        "cyan" => Color::Cyan,
        "gray" => Color::Gray,
        _ => return None,
    })
}

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
}

impl Theme {
    /// A status in the colour its scale gives it.
    pub fn status(self, scale: &Scale, s: Status) -> Style {
        let color = scale
            .def(s)
            .and_then(|d| d.color.as_deref())
            .and_then(named);
        match (self.color, color) {
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

    /// The title of the pane with focus: reversed, so it shows under NO_COLOR.
    pub fn focused_title(self) -> Style {
        Style::new().add_modifier(Modifier::BOLD | Modifier::REVERSED)
    }

    pub fn focused_border(self) -> Style {
        let s = Style::new().add_modifier(Modifier::BOLD);
        if self.color { s.fg(Color::Cyan) } else { s }
    }
}
