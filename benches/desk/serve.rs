//! What `claimdesk serve` holds and how soon it answers: 32 sessions
//! sharing one desk in this process, and the real server over real SSH
//! (OpenSSH's client in a pseudo-terminal): a new reviewer's first frame,
//! handshake included, and the server's memory with 32 reviewers who each
//! searched.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use claimdesk::app::{Action, App, Screen, Session, update};
use claimdesk::query::Hub;
use ratatui::Terminal;
use ratatui::backend::TestBackend;

use super::pty::PtyDesk;
use super::{CAPS, QUERIES, display, frame, peak_rss_mb, report};

const SESSIONS: usize = 32;

/// The server's budget for 32 sessions at a million claims.
fn budget(claims: usize) -> Option<f64> {
    (claims > 100_000).then_some(1200.0)
}

/// 32 sessions on one hub in this process, each having searched.
pub fn in_process(dir: &Path) {
    let hub = match Hub::open(dir, true) {
        Ok(h) => h,
        Err(p) => return println!("  (serve: the desk did not load: {p})"),
    };
    while hub.view().loading.is_some() {
        std::thread::sleep(Duration::from_millis(10));
    }
    let claims = hub.view().desk.claim_count();
    let alone = peak_rss_mb();
    let mut sessions = Vec::new();
    for i in 0..SESSIONS {
        let session = Session::on(hub.clone(), Some(format!("r{i}")));
        let mut app = App::new(session, Screen::new(display(), CAPS));
        let mut term = match Terminal::new(TestBackend::new(80, 24)) {
            Ok(t) => t,
            Err(e) => return println!("  (serve: test backend: {e})"),
        };
        let query = QUERIES[i % QUERIES.len()].1;
        let keys = std::iter::once(Action::SearchStart).chain(query.chars().map(Action::Input));
        for a in keys.chain([Action::Confirm]) {
            update(&mut app, a);
        }
        frame(&mut term, &mut app);
        sessions.push((app, term));
    }
    report("serve (in process): the desk alone", alone, "MB", None);
    report(
        &format!("serve (in process): {SESSIONS} sessions, each searched"),
        peak_rss_mb(),
        "MB",
        budget(claims),
    );
}

/// Memory of process `pid` (resident now, and its peak), from the kernel.
fn rss_of(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .map_or(f64::NAN, |kb| kb / 1024.0)
    };
    (field("VmRSS:"), field("VmHWM:"))
}

/// A server this bench started; stopped by its PID when dropped.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn have(tool: &str) -> bool {
    Command::new(tool)
        .arg("-V")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok()
}

/// A free port on the loopback.
fn free_port() -> Option<u16> {
    let l = std::net::TcpListener::bind("127.0.0.1:0").ok()?;
    l.local_addr().ok().map(|a| a.port())
}

/// The real server on `dir`, through OpenSSH's client: a new session's
/// first frame, and 32 sessions' memory.
pub fn over_ssh(dir: &Path, bin: &Path, claims: usize) {
    if !have("ssh") || !have("ssh-keygen") {
        return println!("  (serve over SSH: SKIPPED, no OpenSSH client here)");
    }
    let Ok(work) = tempfile::tempdir() else {
        return println!("  (serve over SSH: no temp dir)");
    };
    let key = work.path().join("client_key");
    let made = Command::new("ssh-keygen")
        .args(["-q", "-t", "ed25519", "-N", ""])
        .arg("-f")
        .arg(&key)
        .status();
    let public = std::fs::read_to_string(key.with_extension("pub")).unwrap_or_default();
    if !made.is_ok_and(|s| s.success()) || public.is_empty() {
        return println!("  (serve over SSH: ssh-keygen failed)");
    }
    let reviewers = work.path().join("reviewers.yaml");
    let yaml = format!(
        "reviewers:\n  - name: bench\n    role: reviewer\n    keys:\n      - '{}'\n",
        public.trim()
    );
    let Some(port) = free_port() else {
        return println!("  (serve over SSH: no free port)");
    };
    if std::fs::write(&reviewers, yaml).is_err() {
        return println!("  (serve over SSH: cannot write reviewers.yaml)");
    }
    let spawned = Command::new(bin)
        .arg("-C")
        .arg(dir)
        .args(["serve", "--listen", &format!("127.0.0.1:{port}")])
        .arg("--host-key")
        .arg(work.path().join("host_key"))
        .arg("--reviewers")
        .arg(&reviewers)
        .args(["--max-sessions", "64", "--max-sessions-per-reviewer", "64"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn();
    let server = match spawned {
        Ok(c) => Server(c),
        Err(e) => return println!("  (serve over SSH: cannot start the server: {e})"),
    };
    let started = Instant::now();
    while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
        if started.elapsed() > Duration::from_secs(120) {
            return println!("  (serve over SSH: the server never listened)");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    let ssh = |cols: u16, rows: u16| {
        let key = key.to_string_lossy().into_owned();
        let args = [
            "-tt",
            "-p",
            &port.to_string(),
            "-i",
            &key,
            "-o",
            "StrictHostKeyChecking=no",
            "-o",
            "UserKnownHostsFile=/dev/null",
            "-o",
            "LogLevel=ERROR",
            "bench@127.0.0.1",
        ]
        .map(str::to_string);
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        PtyDesk::spawn(&PathBuf::from("ssh"), &args, &[], cols, rows)
    };
    let wait = Duration::from_secs(300);
    // A first reviewer, until the whole desk is in.
    let first = ssh(80, 24);
    first.wait_for("the first session", wait, |s| s.contains("Claims "));
    first.wait_for("the whole desk", wait, |s| {
        s.contains(" shown") && !s.contains("loading")
    });
    let pid = server.0.id();
    let (alone, _) = rss_of(pid);
    // A reviewer who logs in now: the handshake, the session, its first frame.
    let t = Instant::now();
    let newcomer = ssh(80, 24);
    newcomer.wait_for("a new session's first frame", wait, |s| {
        s.contains("Claims ")
    });
    let login = t.elapsed();
    report(
        "serve over SSH: login to first frame",
        login.as_secs_f64() * 1000.0,
        "ms",
        (claims > 100_000).then_some(1000.0),
    );
    // The rest log in one after another, as reviewers do (the server lets
    // only a few connections from one address wait to log in at once).
    let mut sessions = vec![first, newcomer];
    while sessions.len() < SESSIONS {
        let s = ssh(80, 24);
        s.wait_for("a session", wait, |screen| screen.contains("Claims "));
        sessions.push(s);
    }
    for (i, s) in sessions.iter_mut().enumerate() {
        let query = QUERIES[i % QUERIES.len()].1;
        s.type_keys(&["/", query, "\r"]);
    }
    for s in &sessions {
        s.wait_for("a search", wait, |screen| screen.contains("search: "));
    }
    let (now, peak) = rss_of(pid);
    report("serve over SSH: the desk, one session", alone, "MB", None);
    report(
        &format!("serve over SSH: {SESSIONS} sessions, each searched"),
        now,
        "MB",
        budget(claims),
    );
    report("  its peak", peak, "MB", None);
    drop(sessions);
    drop(server);
}
