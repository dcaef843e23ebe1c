//! How a session is set up, decided once: who the reviewer is, how Arabic
//! is drawn, whether to use colour and hyperlinks. Flags win over the
//! environment, which wins over `claimdesk.yaml`, which wins over defaults.
//! The local terminal resolves it from the process's environment; each SSH
//! session from what its client sent, so the two cannot drift apart.

use std::collections::HashMap;

use crate::model::{BidiSetting, Settings};
use crate::text::Bidi;
use crate::text::terminal::{BidiChoice, Emulator, Order};

/// What the command line said (clap has already merged in the
/// `CLAIMDESK_*` variables that mirror flags).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Flags {
    pub reviewer: Option<String>,
    pub bidi: Option<BidiSetting>,
    pub shape: Option<bool>,
}

/// The environment a session sees: the process's own, or what an SSH client sent.
pub trait Env {
    fn var(&self, key: &str) -> Option<String>;
}

/// The process's environment.
pub struct ProcessEnv;

impl Env for ProcessEnv {
    fn var(&self, key: &str) -> Option<String> {
        std::env::var(key).ok()
    }
}

impl Env for HashMap<String, String> {
    fn var(&self, key: &str) -> Option<String> {
        self.get(key).cloned()
    }
}

/// Everything a session needs to know about how to run.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Who signs changes; `None` lets the desk be browsed, not changed.
    pub reviewer: Option<String>,
    pub bidi: Bidi,
    /// What the reviewer asked for; the rest is left to the terminal, which
    /// is asked who it is once the first frame is up.
    pub bidi_choice: BidiChoice,
    pub color: bool,
    pub hyperlinks: bool,
    /// Where times are shown: `TZ` (an SSH client's, else the server's),
    /// else the system's zone.
    pub time_zone: jiff::tz::TimeZone,
    /// What the reviewer should know of how the session was set up (a
    /// `TZ` this machine does not know, say): shown in the message log.
    pub notices: Vec<String>,
}

pub fn resolve(flags: &Flags, settings: &Settings, env: &dyn Env) -> Config {
    Config {
        reviewer: reviewer(flags.reviewer.as_deref(), env),
        bidi: bidi(flags, settings, env),
        bidi_choice: bidi_choice(flags, settings),
        color: color(env),
        hyperlinks: hyperlinks(env),
        time_zone: time_zone(env),
        notices: time_zone_problem(env).into_iter().collect(),
    }
}

/// What is wrong with the `TZ` the session (or else the process) has, if
/// this machine does not know it: times then show in the system's zone,
/// and the reviewer is told rather than left to read wrong hours.
pub fn time_zone_problem(env: &dyn Env) -> Option<String> {
    let tz = env.var("TZ").or_else(|| std::env::var("TZ").ok())?;
    if tz.trim().is_empty() || crate::text::time_zone(&tz).is_some() {
        return None;
    }
    let hint = match tz.trim() {
        "Europe/Tirana" | "Asia/Tirana" => " (IANA's name for Tirana's zone is Europe/Tirane)",
        _ => "",
    };
    Some(format!(
        "TZ={} is not a time zone this machine knows{hint}; times show in the system's zone ({})",
        crate::text::sanitize(&tz),
        jiff::tz::TimeZone::system().iana_name().unwrap_or("UTC")
    ))
}

/// The zone times are shown in: `TZ` as the session sees it, else the
/// process's `TZ` (a server's), else the system's.
pub fn time_zone(env: &dyn Env) -> jiff::tz::TimeZone {
    env.var("TZ")
        .and_then(|tz| crate::text::time_zone(&tz))
        .or_else(|| {
            std::env::var("TZ")
                .ok()
                .and_then(|tz| crate::text::time_zone(&tz))
        })
        .unwrap_or_else(jiff::tz::TimeZone::system)
}

fn non_empty(s: Option<String>) -> Option<String> {
    s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty())
}

/// Who is making changes: `--reviewer`, else `CLAIMDESK_REVIEWER`, else
/// `$USER`, else the account's name in the password database (a container
/// or a service has no `$USER`, but its account has a name).
pub fn reviewer(flag: Option<&str>, env: &dyn Env) -> Option<String> {
    non_empty(flag.map(str::to_string))
        .or_else(|| non_empty(env.var("CLAIMDESK_REVIEWER")))
        .or_else(|| non_empty(env.var("USER")))
        .or_else(account_name)
}

/// The name of the account this process runs as.
fn account_name() -> Option<String> {
    // SAFETY: getpwuid_r writes only into `pwd` and `buf`, whose sizes we
    // pass; the name it points to lives in `buf`, copied before `buf` goes.
    unsafe {
        let mut pwd: libc::passwd = std::mem::zeroed();
        let mut buf = vec![0 as libc::c_char; 4096];
        let mut found: *mut libc::passwd = std::ptr::null_mut();
        let rc = libc::getpwuid_r(
            libc::getuid(),
            &mut pwd,
            buf.as_mut_ptr(),
            buf.len(),
            &mut found,
        );
        if rc != 0 || found.is_null() || pwd.pw_name.is_null() {
            return None;
        }
        let name = std::ffi::CStr::from_ptr(pwd.pw_name).to_string_lossy();
        non_empty(Some(name.into_owned()))
    }
}

/// What the reviewer chose: the flag (or `CLAIMDESK_BIDI`), else
/// `display.bidi` in the settings; `auto` and unset leave it to the terminal.
pub fn bidi_choice(flags: &Flags, settings: &Settings) -> BidiChoice {
    let mode = flags.bidi.or(settings.display.bidi);
    BidiChoice {
        order: match mode {
            Some(BidiSetting::On) => Some(Order::Visual),
            Some(BidiSetting::Words) => Some(Order::Words),
            Some(BidiSetting::Off) => Some(Order::Logical),
            Some(BidiSetting::Auto) | None => None,
        },
        shape: flags.shape.or(settings.display.shape),
    }
}

/// How right-to-left text is sent, as far as the reviewer's choice and the
/// environment tell (the terminal's own answer may refine it later).
pub fn bidi(flags: &Flags, settings: &Settings, env: &dyn Env) -> Bidi {
    bidi_choice(flags, settings).resolve(Emulator::from_env(|k| env.var(k)))
}

/// Colour unless `NO_COLOR` is set to anything (https://no-color.org).
pub fn color(env: &dyn Env) -> bool {
    env.var("NO_COLOR").is_none_or(|v| v.is_empty())
}

/// Whether to send evidence URLs as OSC 8 hyperlinks. `CLAIMDESK_HYPERLINKS`
/// (1/0) decides; else only terminals known to support them get them (most
/// others ignore the sequence, but some print it). Over SSH only TERM is
/// usually forwarded, so set the variable there.
pub fn hyperlinks(env: &dyn Env) -> bool {
    let var = |k: &str| env.var(k).unwrap_or_default();
    match var("CLAIMDESK_HYPERLINKS").as_str() {
        "1" | "on" | "yes" | "true" => return true,
        "0" | "off" | "no" | "false" => return false,
        _ => {}
    }
    let term = var("TERM");
    ["iTerm.app", "WezTerm", "vscode"].contains(&var("TERM_PROGRAM").as_str())
        || var("VTE_VERSION").parse::<u32>().is_ok_and(|v| v >= 5000)
        || !var("WT_SESSION").is_empty()
        || !var("KITTY_WINDOW_ID").is_empty()
        || ["kitty", "foot", "wezterm", "alacritty"]
            .iter()
            .any(|t| term.contains(t))
}

#[cfg(test)]
mod tests {

    #[test]
    fn a_time_zone_the_machine_does_not_know_is_said_not_hidden() {
        let env = |tz: &str| HashMap::from([("TZ".to_string(), tz.to_string())]);
        let said = time_zone_problem(&env("Asia/Tirana")).expect("unknown");
        assert!(
            said.contains("Asia/Tirana") && said.contains("Europe/Tirane"),
            "{said}"
        );
        assert!(time_zone_problem(&env("Not/AZone")).is_some());
        if crate::text::time_zone("Europe/Tirane").is_some() {
            assert_eq!(time_zone_problem(&env("Europe/Tirane")), None);
        } else {
            eprintln!("SKIPPED: this machine has no zone data for Europe/Tirane");
        }
        assert_eq!(time_zone_problem(&env("UTC")), None);
    }

    use super::*;
    use crate::model::DisplaySettings;

    fn settings(bidi: Option<BidiSetting>, shape: Option<bool>) -> Settings {
        Settings {
            display: DisplaySettings { bidi, shape },
            ..Settings::default()
        }
    }

    fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn flags_win_over_settings_which_win_over_defaults() {
        let none = Flags::default();
        let e = env(&[]);
        let off = settings(Some(BidiSetting::Off), None);
        assert_eq!(bidi(&none, &off, &e), Bidi::Logical);
        assert_eq!(
            bidi(&none, &settings(Some(BidiSetting::On), Some(true)), &e),
            Bidi::ReorderShaped
        );
        let forced = Flags {
            bidi: Some(BidiSetting::On),
            shape: Some(false),
            ..Flags::default()
        };
        assert_eq!(
            bidi(&forced, &settings(Some(BidiSetting::Off), Some(true)), &e),
            Bidi::Reorder
        );
        assert_eq!(bidi(&none, &Settings::default(), &e), Bidi::Reorder);
    }

    #[test]
    fn auto_follows_the_sessions_own_environment() {
        let none = Flags::default();
        let konsole = env(&[("KONSOLE_VERSION", "221203")]);
        assert_eq!(bidi(&none, &Settings::default(), &konsole), Bidi::Logical);
        assert_eq!(bidi(&none, &Settings::default(), &env(&[])), Bidi::Reorder);
        let xterm = env(&[("XTERM_VERSION", "XTerm(379)")]);
        assert_eq!(
            bidi(&none, &Settings::default(), &xterm),
            Bidi::ReorderShaped
        );
    }

    #[test]
    fn reviewer_comes_from_flag_then_env_then_user_then_the_account() {
        let e = env(&[("CLAIMDESK_REVIEWER", "carol"), ("USER", "dave")]);
        assert_eq!(reviewer(Some("bob"), &e).as_deref(), Some("bob"));
        assert_eq!(reviewer(None, &e).as_deref(), Some("carol"));
        assert_eq!(
            reviewer(None, &env(&[("USER", "dave")])).as_deref(),
            Some("dave")
        );
        assert_eq!(
            reviewer(Some("  "), &env(&[("USER", "dave")])).as_deref(),
            Some("dave")
        );
        // No variables at all (a bare container): the account still has a name.
        let account = reviewer(None, &env(&[]));
        assert!(account.is_some_and(|n| !n.is_empty()));
    }

    #[test]
    fn no_color_is_honoured_when_set_to_anything() {
        assert!(color(&env(&[])));
        assert!(!color(&env(&[("NO_COLOR", "1")])));
        assert!(color(&env(&[("NO_COLOR", "")])));
    }
}
