//! Running the real `git`: one repository, its output captured, never a
//! prompt (a sync runs unattended, on a server or a laptop in the field).

use std::io;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// What one git command said.
#[derive(Debug)]
pub struct Output {
    pub ok: bool,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// Git's last line of complaint, for a message that says why.
    pub fn why(&self) -> String {
        let text = if self.stderr.trim().is_empty() {
            &self.stdout
        } else {
            &self.stderr
        };
        text.lines()
            .map(str::trim)
            .filter(|l| !l.is_empty() && !l.starts_with("hint:"))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A repository's work tree, and how to run git in it.
#[derive(Debug, Clone)]
pub struct Git {
    pub root: PathBuf,
    env: Vec<(String, String)>,
}

/// Git is missing or could not start: say what to install.
pub fn not_started(e: &io::Error) -> String {
    if e.kind() == io::ErrorKind::NotFound {
        "git is not installed (or not on PATH); install git and try again".to_string()
    } else {
        format!("cannot run git: {e}")
    }
}

fn command(dir: &Path) -> Command {
    let mut cmd = Command::new("git");
    // Housekeeping once at the end of a sync (`Git::housekeep`), not after
    // each of its commits, merges and fetches.
    cmd.args(["-c", "maintenance.auto=false", "-c", "gc.auto=0"]);
    cmd.current_dir(dir)
        .stdin(Stdio::null())
        // Messages are read by this program: git's own words, unlocalised;
        // a remote that wants a password fails instead of waiting for one.
        .env("LC_ALL", "C")
        .env("GIT_TERMINAL_PROMPT", "0")
        .env("GIT_MERGE_AUTOEDIT", "no")
        .env("GIT_SSH_COMMAND", ssh_command());
    cmd
}

/// An unreachable host must not hold a sync for minutes, nor ask for a
/// password or a host key nobody is there to type.
fn ssh_command() -> String {
    std::env::var("GIT_SSH_COMMAND")
        .unwrap_or_else(|_| "ssh -o BatchMode=yes -o ConnectTimeout=15".to_string())
}

/// Run git with `args` in `dir`, before knowing any repository.
pub fn run_in(dir: &Path, args: &[&str]) -> io::Result<Output> {
    finish(command(dir).args(args))
}

fn finish(cmd: &mut Command) -> io::Result<Output> {
    let out = cmd.output()?;
    Ok(Output {
        ok: out.status.success(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    })
}

impl Git {
    /// The repository `dir` is in, if it is in one.
    pub fn find(dir: &Path) -> Result<Option<Git>, String> {
        let out = run_in(dir, &["rev-parse", "--show-toplevel"]).map_err(|e| not_started(&e))?;
        if !out.ok {
            return Ok(None);
        }
        Ok(Some(Git {
            root: PathBuf::from(out.stdout.trim_end_matches('\n')),
            env: Vec::new(),
        }))
    }

    /// The repository whose work tree is at `root`.
    pub fn at(root: PathBuf) -> Git {
        Git {
            root,
            env: Vec::new(),
        }
    }

    /// The same repository, with `key=value` in every command's environment.
    pub fn with_env(mut self, key: &str, value: &str) -> Git {
        self.env.push((key.to_string(), value.to_string()));
        self
    }

    /// Run git with `args`; a failure is in the output, not an error.
    pub fn run(&self, args: &[&str]) -> Result<Output, String> {
        self.run_with(args, &[])
    }

    /// Run git with `args` and `env` added to its environment.
    pub fn run_with(&self, args: &[&str], env: &[(&str, &str)]) -> Result<Output, String> {
        let mut cmd = command(&self.root);
        cmd.args(args);
        for (k, v) in &self.env {
            cmd.env(k, v);
        }
        for (k, v) in env {
            cmd.env(k, v);
        }
        finish(&mut cmd).map_err(|e| not_started(&e))
    }

    /// Run git with `args`: its output, or why it failed.
    pub fn ok(&self, args: &[&str]) -> Result<String, String> {
        let out = self.run(args)?;
        if out.ok {
            Ok(out.stdout)
        } else {
            Err(format!("git {}: {}", args.join(" "), out.why()))
        }
    }

    /// Let git pack what piled up, if enough did (what it does by itself
    /// after a commit): once per sync.
    pub fn housekeep(&self) {
        let _ = Command::new("git")
            .current_dir(&self.root)
            .args(["maintenance", "run", "--auto", "--quiet"])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }

    /// The contents of several blobs (`HEAD:path`, say) through one git
    /// process: `None` for one that does not exist (a new file).
    pub fn cat_files(&self, specs: &[String]) -> Result<Vec<Option<String>>, String> {
        use std::io::{BufRead, Read, Write};
        if specs.is_empty() {
            return Ok(Vec::new());
        }
        let mut cmd = command(&self.root);
        cmd.args(["cat-file", "--batch"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        let mut child = cmd.spawn().map_err(|e| not_started(&e))?;
        let mut stdin = child.stdin.take().ok_or("git cat-file has no input")?;
        let input: String = specs.iter().map(|s| format!("{s}\n")).collect();
        // Written from a thread: git answers while we still write.
        let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
        let stdout = child.stdout.take().ok_or("git cat-file has no output")?;
        let mut out = io::BufReader::new(stdout);
        let mut found = Vec::with_capacity(specs.len());
        let broken = |e: io::Error| format!("git cat-file: {e}");
        for _ in specs {
            let mut header = String::new();
            out.read_line(&mut header).map_err(broken)?;
            let size = match header.trim_end().rsplit_once(' ') {
                Some((kind, size)) if kind.ends_with(" blob") => size.parse::<usize>().ok(),
                _ => None,
            };
            let Some(size) = size else {
                found.push(None);
                continue;
            };
            let mut body = vec![0; size + 1];
            out.read_exact(&mut body).map_err(broken)?;
            body.pop();
            found.push(String::from_utf8(body).ok());
        }
        let _ = writer.join();
        let _ = child.wait();
        Ok(found)
    }

    /// A local configuration value, if set.
    pub fn config(&self, key: &str) -> Option<String> {
        let out = self.run(&["config", "--get", key]).ok()?;
        out.ok
            .then(|| out.stdout.trim_end_matches('\n').to_string())
    }
}
