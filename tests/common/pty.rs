//! Driving the real binary in a pseudo-terminal and reading its screen back
//! through a terminal emulator (vt100), as a person at a terminal would see it.
#![allow(dead_code)]

use std::io::{Read, Write};
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, MasterPty, PtySize, native_pty_system};

pub struct PtyDesk {
    master: Box<dyn MasterPty + Send>,
    writer: Box<dyn Write + Send>,
    pub child: Box<dyn Child + Send + Sync>,
    screen: Arc<Mutex<vt100::Parser>>,
    bytes: Arc<AtomicUsize>,
    raw: Arc<Mutex<Vec<u8>>>,
    last_output: Arc<Mutex<Instant>>,
}

impl PtyDesk {
    /// Start `bin args...` in a `cols` x `rows` terminal.
    pub fn spawn(bin: &Path, args: &[&str], env: &[(&str, &str)], cols: u16, rows: u16) -> PtyDesk {
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("open a pty");
        let mut cmd = CommandBuilder::new(bin);
        cmd.args(args);
        cmd.env("TERM", "xterm-256color");
        // Tests must not fill the user's cache; callers that want one pass XDG_CACHE_HOME.
        if !env.iter().any(|(k, _)| *k == "XDG_CACHE_HOME") {
            cmd.env("CLAIMDESK_NO_CACHE", "1");
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = pair.slave.spawn_command(cmd).expect("spawn in pty");
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let writer = pair.master.take_writer().expect("pty writer");
        let screen = Arc::new(Mutex::new(vt100::Parser::new(rows, cols, 0)));
        let bytes = Arc::new(AtomicUsize::new(0));
        let raw = Arc::new(Mutex::new(Vec::new()));
        let last_output = Arc::new(Mutex::new(Instant::now()));
        let (s, b, r) = (Arc::clone(&screen), Arc::clone(&bytes), Arc::clone(&raw));
        let l = Arc::clone(&last_output);
        std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 {
                    break;
                }
                if let Ok(mut t) = l.lock() {
                    *t = Instant::now();
                }
                b.fetch_add(n, Ordering::SeqCst);
                if let Ok(mut all) = r.lock() {
                    all.extend_from_slice(&buf[..n]);
                }
                if let Ok(mut p) = s.lock() {
                    p.process(&buf[..n]);
                }
            }
        });
        PtyDesk {
            master: pair.master,
            writer,
            child,
            screen,
            bytes,
            raw,
            last_output,
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).expect("write keys");
        self.writer.flush().expect("flush keys");
    }

    /// Send each key on its own, as typing does (a lone ESC must not merge with the next key).
    pub fn type_keys(&mut self, keys: &[&str]) {
        for k in keys {
            self.send(k);
            std::thread::sleep(Duration::from_millis(40));
        }
    }

    pub fn screen(&self) -> String {
        self.screen
            .lock()
            .map(|p| p.screen().contents())
            .unwrap_or_default()
    }

    /// Everything the program wrote so far, as text (escape sequences included).
    pub fn raw(&self) -> String {
        self.raw
            .lock()
            .map(|r| String::from_utf8_lossy(&r).into_owned())
            .unwrap_or_default()
    }

    pub fn bytes_read(&self) -> usize {
        self.bytes.load(Ordering::SeqCst)
    }

    /// Wait until the screen satisfies `ok`; the screen on success, or a failure naming `what`.
    pub fn wait_for(&self, what: &str, timeout: Duration, ok: impl Fn(&str) -> bool) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if ok(&s) {
                return s;
            }
            if start.elapsed() > timeout {
                panic!("timed out waiting for {what}; screen:\n{s}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// When the program last wrote anything.
    pub fn last_output(&self) -> Instant {
        self.last_output
            .lock()
            .map(|t| *t)
            .unwrap_or_else(|_| Instant::now())
    }

    /// Send one key and wait for the frame it causes: (bytes written, time to the frame's last byte).
    pub fn key_to_frame(&mut self, key: &str, quiet: Duration) -> (usize, Duration) {
        let before = self.bytes_read();
        let sent = Instant::now();
        self.send(key);
        let deadline = sent + Duration::from_secs(5);
        while self.bytes_read() == before && Instant::now() < deadline {
            std::thread::sleep(Duration::from_micros(200));
        }
        self.settle(quiet);
        (
            self.bytes_read() - before,
            self.last_output().saturating_duration_since(sent),
        )
    }

    /// Wait until no new output has arrived for `quiet`.
    pub fn settle(&self, quiet: Duration) {
        let mut last = self.bytes_read();
        loop {
            std::thread::sleep(quiet);
            let now = self.bytes_read();
            if now == last {
                return;
            }
            last = now;
        }
    }

    pub fn resize(&self, cols: u16, rows: u16) {
        // The emulator first: the program redraws as soon as it hears of the
        // new size, and that frame must land on a screen of that size.
        if let Ok(mut p) = self.screen.lock() {
            p.screen_mut().set_size(rows, cols);
        }
        self.master
            .resize(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .expect("resize pty");
    }

    /// Wait for the process to end; its success, or None if it did not end in time.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<bool> {
        let start = Instant::now();
        while start.elapsed() < timeout {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status.success());
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        None
    }
}

impl Drop for PtyDesk {
    fn drop(&mut self) {
        let _ = self.child.kill();
    }
}
