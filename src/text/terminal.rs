//! Which terminal emulator draws the desk, and how right-to-left text reads
//! right in it. Terminals disagree: most draw cells left to right as sent,
//! some reorder each line themselves, one shapes runs its own way. The table
//! here is what screenshots of each emulator showed (README, "Arabic in
//! terminals"), not what the emulators promise.

use super::Bidi;

/// The emulators whose behaviour was measured; `Other` gets the safe default.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Emulator {
    /// GNOME Terminal, xfce4-terminal, Tilix: VTE, which honours BDSM.
    Vte,
    Konsole,
    Kitty,
    Mlterm,
    XTerm,
    /// tmux answers for itself; what it draws on is the terminal outside.
    Tmux,
    Other,
}

impl Emulator {
    /// What the environment says (local terminals set these; SSH rarely forwards them).
    pub fn from_env(var: impl Fn(&str) -> Option<String>) -> Emulator {
        let set = |k: &str| var(k).is_some_and(|v| !v.is_empty());
        let term = var("TERM").unwrap_or_default();
        let program = var("TERM_PROGRAM").unwrap_or_default();
        if set("KITTY_WINDOW_ID") || term == "xterm-kitty" {
            Emulator::Kitty
        } else if set("KONSOLE_VERSION") {
            Emulator::Konsole
        } else if set("MLTERM") || term.starts_with("mlterm") {
            Emulator::Mlterm
        } else if set("VTE_VERSION") {
            Emulator::Vte
        } else if set("XTERM_VERSION") {
            Emulator::XTerm
        } else if program == "tmux" || set("TMUX") {
            Emulator::Tmux
        } else {
            Emulator::Other
        }
    }

    /// What the terminal said of itself when asked (XTVERSION, `CSI > q`:
    /// "XTerm(379)", "kitty(0.26.5)", "Konsole 22.12.3", "VTE(7600)", "tmux 3.3a").
    pub fn from_version(reply: &str) -> Emulator {
        let name: String = reply
            .trim()
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect::<String>()
            .to_ascii_lowercase();
        match name.as_str() {
            "xterm" => Emulator::XTerm,
            "kitty" => Emulator::Kitty,
            "konsole" => Emulator::Konsole,
            "mlterm" => Emulator::Mlterm,
            "vte" => Emulator::Vte,
            "tmux" => Emulator::Tmux,
            _ => Emulator::Other,
        }
    }

    /// Whether a reply naming this emulator should replace what the
    /// environment said. tmux's does not: the terminal outside it (which the
    /// environment may name) is what reorders or not.
    pub fn overrides_env(self) -> bool {
        !matches!(self, Emulator::Tmux | Emulator::Other)
    }

    /// In which order to send right-to-left text here, and whether to join
    /// the letters, as measured (README, "Arabic in the terminal").
    fn reads_right(self) -> (Order, bool) {
        match self {
            // Konsole and mlterm reorder each line themselves.
            Emulator::Konsole | Emulator::Mlterm => (Order::Logical, false),
            // xterm draws letters isolated: joined forms read far better.
            Emulator::XTerm => (Order::Visual, true),
            // VTE joins what it is sent once BDSM turns its own bidi off.
            Emulator::Vte => (Order::Visual, false),
            // kitty shapes each word itself, reversing its letters.
            Emulator::Kitty => (Order::Words, false),
            Emulator::Tmux | Emulator::Other => (Order::Visual, false),
        }
    }
}

/// Who puts right-to-left text in the order it is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Order {
    /// The desk: every letter where it is drawn (`--bidi on`).
    Visual,
    /// The desk orders the words; the terminal the letters in each (`--bidi words`).
    Words,
    /// The terminal (`--bidi off`).
    Logical,
}

/// What the reviewer asked for: each `None` is left to the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct BidiChoice {
    pub order: Option<Order>,
    pub shape: Option<bool>,
}

impl BidiChoice {
    /// The mode for `emulator`, with what the reviewer asked for winning.
    pub fn resolve(self, emulator: Emulator) -> Bidi {
        let (order, shape) = emulator.reads_right();
        match (self.order.unwrap_or(order), self.shape.unwrap_or(shape)) {
            (Order::Logical, _) if emulator == Emulator::Mlterm => Bidi::LogicalByLine,
            (Order::Logical, _) => Bidi::Logical,
            (Order::Words, _) => Bidi::ReorderWords,
            (Order::Visual, false) => Bidi::Reorder,
            (Order::Visual, true) => Bidi::ReorderShaped,
        }
    }

    /// Whether anything is left for the terminal to decide.
    pub fn is_auto(self) -> bool {
        self.order.is_none() || self.shape.is_none()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn env(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        move |k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone())
    }

    #[test]
    fn the_environment_names_the_terminal() {
        let cases: &[(&[(&str, &str)], Emulator)] = &[
            (
                &[("VTE_VERSION", "7006"), ("TERM", "xterm-256color")],
                Emulator::Vte,
            ),
            (&[("KONSOLE_VERSION", "221203")], Emulator::Konsole),
            (&[("KITTY_WINDOW_ID", "1")], Emulator::Kitty),
            (&[("TERM", "xterm-kitty")], Emulator::Kitty),
            (&[("MLTERM", "3.9.3")], Emulator::Mlterm),
            (&[("TERM", "mlterm")], Emulator::Mlterm),
            (&[("XTERM_VERSION", "XTerm(379)")], Emulator::XTerm),
            (
                &[("TERM_PROGRAM", "tmux"), ("TMUX", "/tmp/x,1,0")],
                Emulator::Tmux,
            ),
            // Inside tmux the outer terminal's variables still name what draws.
            (
                &[("TMUX", "/tmp/x,1,0"), ("KONSOLE_VERSION", "221203")],
                Emulator::Konsole,
            ),
            (&[("VTE_VERSION", "")], Emulator::Other),
            (&[("TERM", "xterm-256color")], Emulator::Other),
            (&[], Emulator::Other),
        ];
        for (vars, want) in cases {
            assert_eq!(Emulator::from_env(env(vars)), *want, "{vars:?}");
        }
    }

    #[test]
    fn an_xtversion_reply_names_the_terminal() {
        let cases = [
            ("XTerm(379)", Emulator::XTerm),
            ("kitty(0.26.5)", Emulator::Kitty),
            ("Konsole 22.12.3", Emulator::Konsole),
            ("mlterm(3.9.3)", Emulator::Mlterm),
            ("VTE(7600)", Emulator::Vte),
            ("tmux 3.3a", Emulator::Tmux),
            ("WezTerm 20230712", Emulator::Other),
            ("", Emulator::Other),
        ];
        for (reply, want) in cases {
            assert_eq!(Emulator::from_version(reply), want, "{reply:?}");
        }
        assert!(Emulator::XTerm.overrides_env());
        assert!(!Emulator::Tmux.overrides_env());
    }

    #[test]
    fn each_terminal_gets_the_mode_that_reads_right_unless_the_reviewer_chose() {
        let auto = BidiChoice::default();
        assert_eq!(auto.resolve(Emulator::XTerm), Bidi::ReorderShaped);
        assert_eq!(auto.resolve(Emulator::Vte), Bidi::Reorder);
        assert_eq!(auto.resolve(Emulator::Konsole), Bidi::Logical);
        assert_eq!(auto.resolve(Emulator::Mlterm), Bidi::LogicalByLine);
        assert_eq!(auto.resolve(Emulator::Kitty), Bidi::ReorderWords);
        assert_eq!(auto.resolve(Emulator::Other), Bidi::Reorder);
        let on = BidiChoice {
            order: Some(Order::Visual),
            shape: None,
        };
        assert_eq!(on.resolve(Emulator::Konsole), Bidi::Reorder);
        assert_eq!(on.resolve(Emulator::XTerm), Bidi::ReorderShaped);
        let plain = BidiChoice {
            order: None,
            shape: Some(false),
        };
        assert_eq!(plain.resolve(Emulator::XTerm), Bidi::Reorder);
        let off = BidiChoice {
            order: Some(Order::Logical),
            shape: Some(true),
        };
        assert_eq!(off.resolve(Emulator::XTerm), Bidi::Logical);
        assert!(!off.is_auto());
    }
}
