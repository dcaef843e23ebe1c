//! `claimdesk serve` with the real OpenSSH client (keys from ssh-keygen,
//! terminals from tmux) against the server on 127.0.0.1.
#![cfg(feature = "serve")]

mod common;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use claimdesk::model::Status;
use common::*;

const T: Duration = Duration::from_secs(15);

struct Server {
    dir: tempfile::TempDir,
    port: u16,
    child: Child,
    socket: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .output();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn keygen(dir: &Path, name: &str) -> String {
    let out = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", ""])
        .arg("-f")
        .arg(dir.join(name))
        .output()
        .expect("ssh-keygen is installed");
    assert!(out.status.success());
    fs::read_to_string(dir.join(format!("{name}.pub")))
        .expect("public key")
        .trim()
        .to_string()
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn start() -> Server {
    start_with(&[])
}

fn start_with(extra: &[&str]) -> Server {
    start_custom(extra, |_| {})
}

/// A server on a copy of the shipped claims, after `prepare` had its way with them.
fn start_custom(extra: &[&str], prepare: impl FnOnce(&Path)) -> Server {
    start_full(extra, prepare, &[], None, |r| r)
}

/// The same, with variables for the server, and its file limit (hard and soft).
fn start_full(
    extra: &[&str],
    prepare: impl FnOnce(&Path),
    env: &[(&str, &str)],
    file_limit: Option<u32>,
    reviewers: impl FnOnce(String) -> String,
) -> Server {
    let dir = tempfile::tempdir().expect("temp dir");
    let d = dir.path();
    fs::create_dir(d.join("claims")).expect("mkdir");
    for f in ["000_albania-iran-cyberattacks.yaml", "claimdesk.yaml"] {
        fs::copy(Path::new(SHIPPED).join(f), d.join("claims").join(f)).expect("copy");
    }
    prepare(&d.join("claims"));
    let (alice, vera) = (keygen(d, "alice"), keygen(d, "vera"));
    keygen(d, "stranger");
    fs::write(
        d.join("reviewers.yaml"),
        reviewers(format!(
            "reviewers:\n  - name: alice\n    role: reviewer\n    keys:\n      - {alice}\n  \
             - name: vera\n    role: viewer\n    keys:\n      - {vera}\n"
        )),
    )
    .expect("reviewers");
    let port = free_port();
    let mut cmd = match file_limit {
        // A hard limit the server cannot raise: bash's ulimit sets both.
        Some(n) => {
            let mut c = Command::new("bash");
            c.args(["-c", &format!("ulimit -n {n} && exec \"$0\" \"$@\"")])
                .arg(bin());
            c
        }
        None => Command::new(bin()),
    };
    let child = cmd
        .envs(env.iter().copied())
        .env("CLAIMDESK_NO_CACHE", "1")
        .arg("-C")
        .arg(d.join("claims"))
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--host-key")
        .arg(d.join("host_key"))
        .arg("--reviewers")
        .arg(d.join("reviewers.yaml"))
        .args(extra)
        .stdout(Stdio::null())
        .stderr(fs::File::create(d.join("server.log")).expect("log"))
        .spawn()
        .expect("start the server");
    let start = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        assert!(start.elapsed() < T, "the server did not start listening");
        std::thread::sleep(Duration::from_millis(50));
    }
    let socket = format!("claimdesk-serve-{}-{port}", std::process::id());
    Server {
        dir,
        port,
        child,
        socket,
    }
}

impl Server {
    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    fn ssh_args(&self, key: &str, user: &str) -> Vec<String> {
        vec![
            "-p".into(),
            self.port.to_string(),
            "-i".into(),
            self.path(key).display().to_string(),
            "-o".into(),
            "StrictHostKeyChecking=no".into(),
            "-o".into(),
            "UserKnownHostsFile=/dev/null".into(),
            "-o".into(),
            "LogLevel=ERROR".into(),
            format!("{user}@127.0.0.1"),
        ]
    }

    /// One non-interactive ssh run (no prompts, no stdin), with extra options and a command.
    fn ssh_once(&self, key: &str, user: &str, options: &[&str], command: Option<&str>) -> Output {
        Command::new("ssh")
            .args(["-o", "BatchMode=yes"])
            .args(options)
            .args(self.ssh_args(key, user))
            .args(command)
            .stdin(Stdio::null())
            .output()
            .expect("ssh is installed")
    }

    fn tmux(&self, args: &[&str]) -> Output {
        Command::new("tmux")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is installed")
    }

    /// Open an interactive session in a tmux window named `name`.
    fn connect(&self, name: &str, key: &str, user: &str, cols: u16, rows: u16) {
        self.connect_from(None, name, key, user, cols, rows);
    }

    /// Like `connect`, from the loopback address `from` (127.0.0.2, say).
    fn connect_from(
        &self,
        from: Option<&str>,
        name: &str,
        key: &str,
        user: &str,
        cols: u16,
        rows: u16,
    ) {
        let bind = from.map(|a| format!("-b {a} ")).unwrap_or_default();
        self.connect_with(&bind, name, key, user, cols, rows);
    }

    /// Like `connect`, with more `ssh` options (`-o SetEnv=TZ=...`, say).
    fn connect_with(&self, options: &str, name: &str, key: &str, user: &str, cols: u16, rows: u16) {
        let ssh = format!(
            "ssh -tt {options}{}; sleep 30",
            self.ssh_args(key, user).join(" ")
        );
        let (c, r) = (cols.to_string(), rows.to_string());
        let out = self.tmux(&["new-session", "-d", "-s", name, "-x", &c, "-y", &r, &ssh]);
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
    }

    fn screen(&self, name: &str) -> String {
        String::from_utf8_lossy(&self.tmux(&["capture-pane", "-p", "-t", name]).stdout).into_owned()
    }

    fn wait(&self, name: &str, what: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen(name);
            if s.contains(what) {
                return s;
            }
            assert!(
                start.elapsed() < T,
                "timed out waiting for {what:?} in {name}:\n{s}\nserver log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, name: &str, keys: &[&str]) {
        for k in keys {
            self.tmux(&["send-keys", "-t", name, k]);
            std::thread::sleep(Duration::from_millis(60));
        }
    }

    fn log(&self) -> String {
        fs::read_to_string(self.path("server.log")).unwrap_or_default()
    }
}

#[test]
fn a_reviewer_marks_a_claim_and_the_yaml_has_their_name() {
    if lacks(
        "a_reviewer_marks_a_claim_and_the_yaml_has_their_name",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start();
    s.connect("a", "alice", "alice", 80, 24);
    s.wait("a", "Claims 54/54");
    s.keys("a", &["j", "3"]);
    s.wait("a", "alb-02: unreviewed -> verified");
    s.keys("a", &["q"]);
    let c = saved_claim(&s.path("claims"), "alb-02");
    assert_eq!(c.status, Status::Verified);
    assert_eq!(c.history[0].by, "alice");
    assert!(s.log().contains("authenticated alice (Reviewer)"));
    let mode = std::os::unix::fs::PermissionsExt::mode(
        &fs::metadata(s.path("host_key"))
            .expect("host key")
            .permissions(),
    );
    assert_eq!(mode & 0o777, 0o600, "the generated host key is private");
}

#[test]
fn a_viewer_is_told_read_only_and_nothing_changes() {
    if lacks(
        "a_viewer_is_told_read_only_and_nothing_changes",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start();
    let before = fs::read(data_file(&s.path("claims"))).expect("read");
    s.connect("v", "vera", "vera", 80, 24);
    s.wait("v", "Claims 54/54");
    s.keys("v", &["3"]);
    s.wait("v", "read-only");
    assert_eq!(
        fs::read(data_file(&s.path("claims"))).expect("read"),
        before
    );
}

#[test]
fn an_unknown_key_and_exec_requests_are_refused() {
    if lacks(
        "an_unknown_key_and_exec_requests_are_refused",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start();
    let stranger = s.ssh_once("stranger", "alice", &[], Some("true"));
    assert!(!stranger.status.success());
    assert!(String::from_utf8_lossy(&stranger.stderr).contains("Permission denied"));
    let exec = s.ssh_once("alice", "alice", &[], Some("cat /etc/passwd"));
    assert!(!exec.status.success());
    assert!(exec.stdout.is_empty(), "nothing but the desk is served");
    // Without a pty there is no desk to draw, and no shell either.
    let no_pty = s.ssh_once("alice", "alice", &["-T"], None);
    assert!(String::from_utf8_lossy(&no_pty.stdout).contains("needs a terminal"));
    // Port forwarding is refused.
    let fwd = s.ssh_once(
        "alice",
        "alice",
        &["-o", "ExitOnForwardFailure=yes", "-N", "-W", "127.0.0.1:22"],
        None,
    );
    assert!(!fwd.status.success());
    let log = s.log();
    assert!(log.contains("auth failure: unknown key"), "{log}");
    // The log names the key as `ssh-keygen -lf` does, for an admin to add it.
    let fp = Command::new("ssh-keygen")
        .arg("-lf")
        .arg(s.path("stranger.pub"))
        .output()
        .expect("ssh-keygen");
    let fp = String::from_utf8_lossy(&fp.stdout).into_owned();
    let fp = fp.split_whitespace().nth(1).expect("a fingerprint");
    assert!(log.contains(fp), "{fp} not in\n{log}");
    // And the host key it made, as ssh shows it on first connection.
    assert!(
        log.contains("made a new host key") && log.contains("SHA256:"),
        "{log}"
    );
    assert!(log.contains("refused an exec request"), "{log}");
    assert!(log.contains("refused alice: no terminal"), "{log}");
    assert!(
        log.contains("refused port forwarding to 127.0.0.1:22"),
        "{log}"
    );
}

#[test]
fn two_sessions_see_each_others_changes_and_resize_works() {
    if lacks(
        "two_sessions_see_each_others_changes_and_resize_works",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start();
    s.connect("a", "alice", "alice", 80, 24);
    s.connect("v", "vera", "vera", 100, 30);
    s.wait("a", "Claims 54/54");
    s.wait("v", "Claims 54/54");
    s.keys("a", &["5"]);
    // Vera's header counts alice's verdict without any key pressed.
    s.wait("v", "✗1");
    // Resize: the desk redraws for the new size.
    s.tmux(&["resize-window", "-t", "v", "-x", "50", "-y", "14"]);
    let start = Instant::now();
    loop {
        let screen = s.screen("v");
        let widest = screen.lines().map(|l| l.chars().count()).max().unwrap_or(0);
        if widest <= 50 && screen.contains("Claims 54/54") && screen.lines().count() <= 14 {
            break;
        }
        assert!(start.elapsed() < T, "no redraw at 50x14:\n{screen}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn sessions_beyond_the_limit_are_told_the_desk_is_full() {
    if lacks(
        "sessions_beyond_the_limit_are_told_the_desk_is_full",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start_with(&["--max-sessions", "1"]);
    s.connect("a", "alice", "alice", 80, 24);
    s.wait("a", "Claims 54/54");
    s.connect("b", "vera", "vera", 80, 24);
    s.wait("b", "the desk is full (1 sessions)");
    assert!(s.log().contains("refused vera: the server is full"));
    // The first session is unaffected.
    s.keys("a", &["j"]);
    s.wait("a", "▶ alb-02");
}

/// The shipped article's headline, as the file holds it, and as a terminal
/// without bidi shows it once the desk has reordered it.
pub const HEADLINE: &str = "بعد هجوم إلكتروني ثان";
pub const HEADLINE_REORDERED: &str = "ناث ينورتكلإ موجه دعب";

#[test]
fn display_bidi_in_the_desk_settings_applies_to_served_sessions() {
    if lacks(
        "display_bidi_in_the_desk_settings_applies_to_served_sessions",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start_custom(&[], |claims| {
        let path = claims.join("claimdesk.yaml");
        let text = fs::read_to_string(&path).expect("settings");
        assert!(
            text.contains("  bidi: auto"),
            "the shipped settings changed"
        );
        fs::write(&path, text.replace("  bidi: auto", "  bidi: off")).expect("write");
    });
    s.connect("a", "alice", "alice", 100, 30);
    // tmux draws cells as they come: logical order shows as the file holds it.
    let screen = s.wait("a", HEADLINE);
    assert!(!screen.contains(HEADLINE_REORDERED), "{screen}");
}

#[test]
fn served_sessions_reorder_by_default() {
    if lacks(
        "served_sessions_reorder_by_default",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start();
    s.connect("a", "alice", "alice", 100, 30);
    let screen = s.wait("a", HEADLINE_REORDERED);
    assert!(!screen.contains(HEADLINE), "{screen}");
}

#[test]
fn the_detail_pane_shows_who_else_is_on_the_same_claim() {
    if lacks(
        "the_detail_pane_shows_who_else_is_on_the_same_claim",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start();
    s.connect("a", "alice", "alice", 100, 30);
    s.wait("a", "Claims 54/54");
    s.connect("v", "vera", "vera", 100, 30);
    s.wait("v", "Also here: alice");
    s.wait("a", "Also here: vera");
    // Vera moves on: alice's claim has no one else on it any more.
    s.keys("v", &["j"]);
    s.wait("v", "▶ alb-02");
    let start = Instant::now();
    while s.screen("a").contains("Also here") {
        assert!(start.elapsed() < T, "alice still sees vera on alb-01");
        std::thread::sleep(Duration::from_millis(50));
    }
    s.keys("a", &["j"]);
    s.wait("v", "Also here: alice");
}

/// A silent TCP connection to the server: connected, says nothing.
fn silent(port: u16) -> std::net::TcpStream {
    let s = std::net::TcpStream::connect(("127.0.0.1", port)).expect("connect");
    s.set_read_timeout(Some(Duration::from_secs(5)))
        .expect("timeout");
    s
}

/// Whether the server closed `s` (reading hits the end rather than waiting).
fn closed_by_server(s: &mut std::net::TcpStream) -> bool {
    use std::io::Read;
    let mut buf = [0u8; 256];
    loop {
        match s.read(&mut buf) {
            Ok(0) => return true,
            // The server's SSH greeting; read on.
            Ok(_) => continue,
            Err(_) => return false,
        }
    }
}

#[test]
fn many_silent_connections_neither_stop_nor_fill_the_server() {
    if lacks(
        "many_silent_connections_neither_stop_nor_fill_the_server",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start();
    let mut flood: Vec<_> = (0..120).map(|_| silent(s.port)).collect();
    // Past the limit for one address (8, and a slot the harness's own
    // start-up probe may free meanwhile), connections are closed at once.
    let refused = flood
        .iter_mut()
        .skip(20)
        .take(20)
        .map(|c| {
            let _ = c.set_read_timeout(Some(Duration::from_millis(500)));
            closed_by_server(c)
        })
        .filter(|closed| *closed)
        .count();
    assert!(
        refused >= 18,
        "only {refused} of 20 connections over the limit were closed"
    );
    assert!(
        s.log()
            .contains("too many connections that have not logged in"),
        "{}",
        s.log()
    );
    // ...and a reviewer from elsewhere still gets in while the flood is held open.
    s.connect_from(Some("127.0.0.2"), "a", "alice", "alice", 80, 24);
    s.wait("a", "Claims 54/54");
    drop(flood);
}

#[test]
fn the_server_keeps_accepting_after_running_out_of_files() {
    if lacks(
        "the_server_keeps_accepting_after_running_out_of_files",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    // A hard file limit the server cannot raise, and more connections
    // than it has files for.
    // Idle, the server holds about nine files; eight connections from one
    // address may wait to log in, so it runs out.
    let s = start_full(&[], |_| {}, &[], Some(14), |r| r);
    let flood: Vec<_> = (0..40)
        .filter_map(|_| std::net::TcpStream::connect(("127.0.0.1", s.port)).ok())
        .collect();
    let start = Instant::now();
    while !s.log().contains("cannot accept a connection") {
        assert!(start.elapsed() < T, "never ran out of files:\n{}", s.log());
        std::thread::sleep(Duration::from_millis(50));
    }
    drop(flood);
    // Still there, and still serving.
    s.connect("a", "alice", "alice", 80, 24);
    s.wait("a", "Claims 54/54");
}

#[test]
fn a_connection_that_does_not_log_in_is_closed_at_the_deadline() {
    if lacks(
        "a_connection_that_does_not_log_in_is_closed_at_the_deadline",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start_with(&["--login-timeout", "1"]);
    let mut c = silent(s.port);
    let start = Instant::now();
    assert!(
        closed_by_server(&mut c),
        "the silent connection stayed open"
    );
    assert!(
        start.elapsed() < Duration::from_secs(4),
        "{:?}",
        start.elapsed()
    );
    while !s.log().contains("within 1s") {
        assert!(start.elapsed() < T, "{}", s.log());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn one_reviewer_cannot_take_every_session() {
    if lacks(
        "one_reviewer_cannot_take_every_session",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start_with(&["--max-sessions-per-reviewer", "1"]);
    s.connect("a", "alice", "alice", 80, 24);
    s.wait("a", "Claims 54/54");
    s.connect("b", "alice", "alice", 80, 24);
    s.wait("b", "you already have 1 sessions open");
    // Someone else still gets in.
    s.connect("v", "vera", "vera", 80, 24);
    s.wait("v", "Claims 54/54");
}

#[test]
fn a_session_waiting_on_a_held_lock_does_not_hold_up_the_others() {
    if lacks(
        "a_session_waiting_on_a_held_lock_does_not_hold_up_the_others",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start_full(
        &[],
        |_| {},
        &[("CLAIMDESK_LOCK_WAIT_MS", "4000")],
        None,
        |r| r,
    );
    s.connect("a", "alice", "alice", 80, 24);
    s.connect("v", "vera", "vera", 80, 24);
    s.wait("a", "Claims 54/54");
    s.wait("v", "Claims 54/54");
    let sidecar = s.path("claims/.000_albania-iran-cyberattacks.yaml.lock");
    fs::write(&sidecar, "").expect("sidecar");
    let held = fs::File::open(&sidecar).expect("open");
    held.lock().expect("lock");
    s.keys("a", &["3"]);
    // While alice's save waits on the lock, vera moves at once.
    let start = Instant::now();
    s.keys("v", &["j", "j"]);
    s.wait("v", "▶ alb-03");
    assert!(
        start.elapsed() < Duration::from_secs(2),
        "vera waited {:?}",
        start.elapsed()
    );
    s.wait("a", "another process has held the lock");
    assert!(s.screen("a").contains("· unreviewed"), "nothing saved");
    drop(held);
}

#[test]
fn from_and_expiry_time_in_reviewers_yaml_are_honoured() {
    if lacks(
        "from_and_expiry_time_in_reviewers_yaml_are_honoured",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start_full(
        &[],
        |_| {},
        &[],
        None,
        |text| {
            let restricted = text
                .replacen(
                    "      - ssh-ed25519",
                    "      - from=\"10.9.9.9\" ssh-ed25519",
                    1,
                )
                .replacen(
                    "      - ssh-ed25519",
                    "      - expiry-time=\"20200101\" ssh-ed25519",
                    1,
                );
            assert_ne!(restricted, text);
            restricted
        },
    );
    let alice = s.ssh_once("alice", "alice", &[], Some("true"));
    assert!(!alice.status.success());
    let vera = s.ssh_once("vera", "vera", &[], Some("true"));
    assert!(!vera.status.success());
    let log = s.log();
    assert!(
        log.contains("alice's key is not allowed from 127.0.0.1"),
        "{log}"
    );
    assert!(log.contains("vera's key has expired"), "{log}");
}

#[test]
fn hostile_user_names_and_forwarding_requests_are_logged_safely() {
    if lacks(
        "hostile_user_names_and_forwarding_requests_are_logged_safely",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start();
    let forged = "x\n2026-11-30T10:00:00Z claimdesk serve: authenticated alice (Editor)\u{1b}[31m";
    let _ = s.ssh_once("stranger", forged, &[], Some("true"));
    let long = "u".repeat(5000);
    let _ = s.ssh_once("stranger", &long, &[], Some("true"));
    // -R with a reply asked for: refused at once, and logged.
    let r = s.ssh_once(
        "alice",
        "alice",
        &["-R", "0:127.0.0.1:9", "-o", "ExitOnForwardFailure=yes"],
        Some("true"),
    );
    assert!(!r.status.success());
    let x11 = Command::new("ssh")
        .env("DISPLAY", ":99")
        .args(["-o", "BatchMode=yes", "-X"])
        .args(s.ssh_args("alice", "alice"))
        .arg("true")
        .output()
        .expect("ssh");
    let log = s.log();
    assert!(!log.contains('\u{1b}'), "{log:?}");
    assert!(
        log.lines().all(|l| l.contains("claimdesk serve:")),
        "a line the server did not write: {log}"
    );
    assert!(log.lines().all(|l| l.len() < 600), "an uncapped line");
    assert!(log.contains("refused remote port forwarding (-R)"), "{log}");
    assert!(log.contains("refused an X11 forwarding request"), "{log}");
    assert!(
        String::from_utf8_lossy(&x11.stderr).contains("X11 forwarding request failed"),
        "{}",
        String::from_utf8_lossy(&x11.stderr)
    );
}

#[test]
fn a_client_sees_history_in_the_time_zone_it_sent() {
    if lacks(
        "a_client_sees_history_in_the_time_zone_it_sent",
        &["ssh", "ssh-keygen", "tmux"],
    ) {
        return;
    }
    let s = start_custom(&[], |claims| {
        let path = claims.join("000_albania-iran-cyberattacks.yaml");
        let text = fs::read_to_string(&path).expect("read");
        let text = text.replacen(
            "    status: unreviewed\n    history: []\n",
            "    status: verified\n    history:\n      - at: \"2026-11-28T10:00:00Z\"\n        by: alice\n        status: verified\n        previous: unreviewed\n",
            1,
        );
        fs::write(&path, text).expect("write");
    });
    s.connect_with("-o SetEnv=TZ=JST-9 ", "a", "alice", "alice", 100, 30);
    s.wait("a", "Claims 54/54");
    s.keys("a", &["Enter"]);
    s.wait("a", "2026-11-28 19:00 JST");
}

#[test]
fn a_bureau_server_syncs_by_itself_and_other_bureaus_verdicts_arrive_live() {
    if lacks(
        "a_bureau_server_syncs_by_itself_and_other_bureaus_verdicts_arrive_live",
        &["ssh", "ssh-keygen", "tmux", "git"],
    ) {
        return;
    }
    let git = |dir: &Path, args: &[&str]| {
        let out = common::git(dir, args);
        assert!(out.status.success(), "git {args:?}: {}", stderr(&out));
    };
    let desk = |dir: &Path, args: &[&str]| {
        let out = Command::new(bin())
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("CLAIMDESK_NO_CACHE", "1")
            .output()
            .expect("claimdesk runs");
        assert!(out.status.success(), "claimdesk {args:?}: {}", stderr(&out));
    };
    // Tirana's server holds a clone of the newsroom's remote; Abu Dhabi's
    // is another clone, synced by hand.
    let s = start_custom(&["--sync", "origin", "--sync-every", "1"], |claims| {
        let d = claims.parent().expect("the server's folder");
        git(d, &["init", "--quiet", "--bare", "remote.git"]);
        git(
            &d.join("remote.git"),
            &["symbolic-ref", "HEAD", "refs/heads/main"],
        );
        desk(claims, &["--bureau", "Tirana", "init"]);
        git(claims, &["symbolic-ref", "HEAD", "refs/heads/main"]);
        git(claims, &["add", "-A"]);
        git(claims, &["commit", "--quiet", "-m", "the desk"]);
        git(claims, &["remote", "add", "origin", "../remote.git"]);
        git(claims, &["push", "--quiet", "origin", "main"]);
        git(d, &["clone", "--quiet", "remote.git", "other"]);
        desk(&d.join("other"), &["--bureau", "Abu Dhabi", "init"]);
    });
    let other = s.path("other");
    s.connect("a", "alice", "alice", 100, 24);
    s.wait("a", "Claims 54/54");
    s.wait("a", "synced ");
    // Abu Dhabi's verdict arrives without a key pressed.
    desk(&other, &["--reviewer", "bob", "set", "alb-05", "false"]);
    desk(&other, &["sync"]);
    s.wait("a", "✗1");
    // Alice's verdict leaves by itself; Abu Dhabi's next sync brings it.
    s.keys("a", &["j", "3"]);
    s.wait("a", "alb-02: unreviewed -> verified");
    let start = Instant::now();
    loop {
        desk(&other, &["sync"]);
        let c = saved_claim(&other, "alb-02");
        if c.status == Status::Verified {
            assert_eq!(
                c.history.last().map(|h| h.who()),
                Some("alice (Tirana)".into())
            );
            break;
        }
        assert!(
            start.elapsed() < T,
            "alice's verdict never reached Abu Dhabi:\n{}",
            s.log()
        );
        std::thread::sleep(Duration::from_millis(300));
    }
    // A remote that goes away: the header says the sync failed.
    fs::rename(s.path("remote.git"), s.path("moved.git")).expect("move the remote");
    s.wait("a", "sync failed");
}
