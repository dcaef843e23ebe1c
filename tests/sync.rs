//! `claimdesk init` and `claimdesk sync` with real git: a bare remote and
//! clones of it, the bureaus of one newsroom.

mod common;

use std::collections::HashMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use claimdesk::model::{Claim, ClaimId, HistoryEntry, Status};
use claimdesk::store::{Change, Desk, Edit, Review, Seen, Triage, now_rfc3339};
use common::*;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/newsroom");

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "failed:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// `claimdesk` on clone `clone`'s claims folder.
fn desk_cmd(clone: &Path, args: &[&str]) -> Output {
    Command::new(bin())
        .arg("-C")
        .arg(clone.join("claims"))
        .args(args)
        .env("CLAIMDESK_NO_CACHE", "1")
        .env_remove("CLAIMDESK_DIR")
        .env_remove("CLAIMDESK_BUREAU")
        .output()
        .expect("run claimdesk")
}

/// A sync of `clone`, as JSON: (exit code, report).
fn sync(clone: &Path) -> (i32, serde_json::Value) {
    let out = desk_cmd(clone, &["sync", "--json"]);
    let report = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "sync of {} printed no JSON ({e}):\n{}{}",
            clone.display(),
            stdout(&out),
            stderr(&out)
        )
    });
    (out.status.code().unwrap_or(-1), report)
}

/// A newsroom: a bare remote, and `n` clones each set up with `init`
/// (bureaus B0, B1, ...). The desk: the shipped article and two imported
/// reports (their candidates to triage).
struct Newsroom {
    _root: tempfile::TempDir,
    root: PathBuf,
    remote: PathBuf,
    clones: Vec<PathBuf>,
}

fn newsroom(n: usize) -> Newsroom {
    let root_dir = tempfile::tempdir().expect("temp dir");
    let root = root_dir.path().to_path_buf();
    let remote = root.join("remote.git");
    ok(git(&root, &["init", "--quiet", "--bare", "remote.git"]));
    ok(git(&remote, &["symbolic-ref", "HEAD", "refs/heads/main"]));
    let first = root.join("c0");
    ok(git(&root, &["clone", "--quiet", "remote.git", "c0"]));
    ok(git(&first, &["symbolic-ref", "HEAD", "refs/heads/main"]));
    let claims = first.join("claims");
    fs::create_dir(&claims).expect("claims folder");
    fs::copy(SHIPPED_FILE, data_file(&claims)).expect("copy");
    fs::copy(
        Path::new(SHIPPED).join("claimdesk.yaml"),
        claims.join("claimdesk.yaml"),
    )
    .expect("copy settings");
    for (name, outlet) in [("ar-border", "Levant News"), ("en-wire-border", "Wire")] {
        let text = format!("{FIXTURES}/{name}.txt");
        ok(desk_cmd(
            &first,
            &["import", &text, "--id", name, "--outlet", outlet],
        ));
    }
    ok(desk_cmd(&first, &["init", "--bureau", "B0"]));
    ok(git(&first, &["add", "-A"]));
    ok(git(&first, &["commit", "--quiet", "-m", "the desk"]));
    ok(git(&first, &["push", "--quiet", "origin", "main"]));
    let mut clones = vec![first];
    for i in 1..n {
        let name = format!("c{i}");
        ok(git(&root, &["clone", "--quiet", "remote.git", &name]));
        let bureau = format!("B{i}");
        ok(desk_cmd(&root.join(&name), &["init", "--bureau", &bureau]));
        clones.push(root.join(name));
    }
    Newsroom {
        _root: root_dir,
        root,
        remote,
        clones,
    }
}

/// Whether git is here; says so loudly when it is not.
fn no_git(test: &str) -> bool {
    lacks(test, &["git"])
}

/// Every claims file of a clone, by name, as bytes.
fn claims_files(clone: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = fs::read_dir(clone.join("claims"))
        .expect("claims folder")
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".yaml") && !n.starts_with('.'))
        .map(|n| {
            let bytes = fs::read(clone.join("claims").join(&n)).expect("read");
            (n, bytes)
        })
        .collect();
    out.sort();
    out
}

/// A small deterministic generator (xorshift): runs are repeatable by seed.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// Which clone triages a candidate: one bureau per candidate, as a desk
/// splits an article's triage (two bureaus deciding one candidate both
/// ways is a conflict a person settles, tested on its own).
fn owner(id: &str, clones: usize) -> usize {
    id.bytes()
        .fold(7u64, |h, b| h.wrapping_mul(31).wrapping_add(u64::from(b))) as usize
        % clones
}

/// One reviewer's own changes, for undo: (claim, as it was after, before).
type Undo = Vec<(ClaimId, Review, Review)>;

/// What the fuzz made: every history entry, and every rejection.
#[derive(Default)]
struct Made {
    entries: Vec<(String, HistoryEntry)>,
    rejected: Vec<String>,
}

/// The entries of `after` that `before` lacks (counting repeats).
fn new_entries(before: &[HistoryEntry], after: &[HistoryEntry]) -> Vec<HistoryEntry> {
    let mut left: Vec<&HistoryEntry> = before.iter().collect();
    let mut out = Vec::new();
    for h in after {
        match left.iter().position(|b| *b == h) {
            Some(i) => {
                left.swap_remove(i);
            }
            None => out.push(h.clone()),
        }
    }
    out
}

/// One random change in clone `i` by its reviewer, through the store the
/// desk saves with; recorded in `made`.
fn random_change(
    i: usize,
    n: usize,
    clone: &Path,
    rng: &mut Rng,
    undo: &mut Undo,
    made: &mut Made,
) {
    let claims = clone.join("claims");
    let mut desk = Desk::load(&claims).unwrap_or_else(|p| panic!("clone {i} does not load:\n{p}"));
    let by = format!("r{i}");
    let ids: Vec<ClaimId> = desk.claims().map(|(_, c)| c.id.clone()).collect();
    let get = |desk: &Desk, id: &ClaimId| desk.find(id).and_then(|r| desk.get(r)).cloned();
    let (id, edit) = if rng.chance(15) && !undo.is_empty() {
        let (id, after, before) = undo.pop().expect("not empty");
        let edit = Edit::Restore {
            from: Box::new(after),
            to: Box::new(before),
            undo: true,
        };
        (id, edit)
    } else {
        let id = ids[rng.below(ids.len())].clone();
        let Some(c) = get(&desk, &id) else { return };
        if c.is_candidate() {
            if owner(&id.0, n) != i {
                return;
            }
            let t = if rng.chance(70) {
                Triage::Accept
            } else {
                Triage::Reject
            };
            (id, Edit::Triage(t))
        } else {
            let edit = match rng.below(4) {
                0 | 1 => {
                    let statuses = [
                        "verified",
                        "misleading",
                        "false",
                        "unverifiable",
                        "in-review",
                    ];
                    let status = Status::intern(statuses[rng.below(statuses.len())])
                        .expect("a known status");
                    Edit::Status {
                        status,
                        note: None,
                        evidence: Vec::new(),
                    }
                }
                2 => Edit::Note(if rng.chance(20) {
                    String::new()
                } else {
                    format!("checked by r{i}, take {}", rng.below(1000))
                }),
                _ => match c.evidence.first() {
                    Some(e) if rng.chance(40) => Edit::Evidence {
                        add: Vec::new(),
                        remove: vec![e.clone()],
                    },
                    _ => Edit::Evidence {
                        add: vec![format!("https://example.org/r{i}/{}", rng.below(50))],
                        remove: Vec::new(),
                    },
                },
            };
            (id, edit)
        }
    };
    let Some(before) = get(&desk, &id) else {
        return;
    };
    let change = Change {
        claim: id.clone(),
        by,
        at: now_rfc3339(),
        edit: edit.clone(),
        seen: Some(Seen::of(&before)),
    };
    let is_undo = matches!(edit, Edit::Restore { .. });
    match desk.apply(&change) {
        Ok(Some(after)) => {
            let after: Claim = after.clone();
            for h in new_entries(&before.history, &after.history) {
                made.entries.push((id.0.to_string(), h));
            }
            if !is_undo && !matches!(edit, Edit::Triage(_)) {
                undo.push((id, Review::of(&after), Review::of(&before)));
            }
        }
        Ok(None) => made.rejected.push(id.0.to_string()),
        // An undo of something someone else changed since is refused; so is
        // a change that found nothing to do.
        Err(_) => {}
    }
}

/// The status a claim's history says it has: its newest verdict that was
/// not undone (an undo withdraws its reviewer's own change).
fn newest_standing_verdict(c: &Claim, initial: Status) -> Status {
    let mut standing: Vec<&HistoryEntry> = Vec::new();
    for h in &c.history {
        if h.undo {
            if let Some(at) = standing.iter().rposition(|o| {
                o.by == h.by && o.status == h.previous() && o.previous() == h.status && !o.undo
            }) {
                standing.remove(at);
            }
            continue;
        }
        if h.is_verdict() {
            standing.push(h);
        }
    }
    standing.last().map_or(initial, |h| h.status)
}

#[test]
fn three_bureaus_syncing_at_random_end_with_the_same_desk_and_lose_nothing() {
    if no_git("three_bureaus_syncing_at_random_end_with_the_same_desk_and_lose_nothing") {
        return;
    }
    let rounds: usize = std::env::var("CLAIMDESK_SYNC_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(100);
    let seed: u64 = std::env::var("CLAIMDESK_SYNC_SEED")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(0x5eed_b0b5);
    eprintln!("sync fuzz: {rounds} rounds, seed {seed}");
    let net = newsroom(3);
    let initial: HashMap<String, (Status, usize)> = Desk::load(&net.clones[0].join("claims"))
        .expect("loads")
        .claims()
        .map(|(_, c)| (c.id.0.to_string(), (c.status, c.history.len())))
        .collect();
    let mut rng = Rng(seed | 1);
    let mut undo: Vec<Undo> = vec![Vec::new(); 3];
    let mut made = Made::default();
    let offline = rounds * 3 / 10..rounds * 6 / 10;
    let nowhere = net.root.join("nowhere.git");
    let remote_url = net.remote.to_string_lossy().into_owned();
    for round in 0..rounds {
        let away = &net.clones[2];
        if round == offline.start {
            ok(git(
                away,
                &["remote", "set-url", "origin", &nowhere.to_string_lossy()],
            ));
        }
        if round == offline.end {
            ok(git(away, &["remote", "set-url", "origin", &remote_url]));
        }
        for (i, clone) in net.clones.iter().enumerate() {
            for _ in 0..1 + rng.below(2) {
                random_change(i, 3, clone, &mut rng, &mut undo[i], &mut made);
            }
        }
        // Those that sync this round do so at once: pushes race.
        let syncing: Vec<usize> = (0..3).filter(|_| rng.chance(50)).collect();
        let before_away = (claims_files(away), git(away, &["rev-parse", "HEAD"]).stdout);
        let results: Vec<(usize, i32, serde_json::Value)> = std::thread::scope(|s| {
            let handles: Vec<_> = syncing
                .iter()
                .map(|&i| {
                    let clone = &net.clones[i];
                    s.spawn(move || {
                        let (code, report) = sync(clone);
                        (i, code, report)
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("sync thread"))
                .collect()
        });
        for (i, code, report) in results {
            let outcome = report["outcome"].as_str().unwrap_or_default().to_string();
            if i == 2 && offline.contains(&round) {
                assert_eq!(outcome, "offline", "round {round}: {report:#}");
                assert_eq!(code, 1, "an offline sync exits 1");
                // Nothing changed: files and commits as they were.
                let after = (claims_files(away), git(away, &["rev-parse", "HEAD"]).stdout);
                assert!(
                    after == before_away,
                    "round {round}: an offline sync changed the clone"
                );
            } else {
                assert!(
                    ["synced", "up-to-date", "raced"].contains(&outcome.as_str()),
                    "round {round}, clone {i}: {report:#}"
                );
            }
            Desk::load(&net.clones[i].join("claims")).unwrap_or_else(|p| {
                panic!("round {round}: clone {i} does not load after sync:\n{p}")
            });
        }
    }
    // Everyone online, syncing in turn until nothing moves.
    for _ in 0..2 {
        for clone in &net.clones {
            let (code, report) = sync(clone);
            assert_eq!(code, 0, "{report:#}");
        }
    }
    let files = claims_files(&net.clones[0]);
    for (i, clone) in net.clones.iter().enumerate().skip(1) {
        assert!(
            claims_files(clone) == files,
            "clone {i} differs from clone 0"
        );
    }
    // Every commit on the remote loads.
    let commits = ok(git(&net.remote, &["rev-list", "--all"]));
    let commits: Vec<&str> = commits.lines().collect();
    assert!(commits.len() > rounds, "only {} commits", commits.len());
    // The fuzz adds no file and removes none: each commit holds the
    // claims files the last one does, read through one `git cat-file`.
    let listed = ok(git(
        &net.remote,
        &["ls-tree", "--name-only", "main", "claims/"],
    ));
    let paths: Vec<&str> = listed.lines().filter(|p| p.ends_with(".yaml")).collect();
    let specs: Vec<String> = commits
        .iter()
        .flat_map(|c| paths.iter().map(move |p| format!("{c}:{p}")))
        .collect();
    let blobs = claimdesk::sync::Git::at(net.remote.clone())
        .cat_files(&specs)
        .expect("git cat-file");
    for (c, files) in commits.iter().zip(blobs.chunks(paths.len())) {
        let dir = tempfile::tempdir().expect("temp dir");
        for (path, text) in paths.iter().zip(files) {
            let text = text.as_ref().unwrap_or_else(|| panic!("{c} has no {path}"));
            let name = path.rsplit('/').next().expect("a name");
            fs::write(dir.path().join(name), text).expect("write");
        }
        Desk::load(dir.path()).unwrap_or_else(|p| panic!("commit {c} does not load:\n{p}"));
    }
    // Every history entry made anywhere is there exactly once; so is every
    // rejection; and each claim's status is its newest standing verdict.
    let desk = Desk::load(&net.clones[0].join("claims")).expect("loads");
    let on_desk: HashMap<String, Claim> = desk
        .claims()
        .map(|(_, c)| (c.id.0.to_string(), c.clone()))
        .collect();
    let mut counted = 0;
    for (id, entry) in &made.entries {
        if made.rejected.contains(id) {
            continue;
        }
        let c = on_desk
            .get(id)
            .unwrap_or_else(|| panic!("claim {id} is gone"));
        let here = c.history.iter().filter(|h| *h == entry).count();
        let made_n = made
            .entries
            .iter()
            .filter(|(i, e)| i == id && e == entry)
            .count();
        assert_eq!(here, made_n, "claim {id}: entry {entry:?}");
        counted += 1;
    }
    for (id, c) in &on_desk {
        let ours = made.entries.iter().filter(|(i, _)| i == id).count();
        let (status, shipped) = initial[id];
        assert_eq!(
            c.history.len(),
            shipped + ours,
            "claim {id}: {shipped} entries shipped, {ours} made, nothing else"
        );
        let expected = newest_standing_verdict(c, status);
        assert_eq!(c.status, expected, "claim {id}: {:#?}", c.history);
    }
    for id in &made.rejected {
        assert!(!on_desk.contains_key(id), "rejected {id} is back");
    }
    eprintln!(
        "sync fuzz: {} entries, {} rejections, {} commits on the remote",
        counted,
        made.rejected.len(),
        commits.len()
    );
}

/// Change the shipped article of `clone` by hand, as an editor would: its
/// first paragraph becomes `paragraph`.
fn edit_article(clone: &Path, paragraph: &str) {
    let path = data_file(&clone.join("claims"));
    let mut doc = claimdesk::store::load_file(&path, None).expect("loads");
    doc.article.paragraphs[0] = paragraph.to_string();
    let text = claimdesk::store::render(&doc).expect("renders");
    fs::write(&path, text).expect("write");
}

fn status_of(clone: &Path, id: &str) -> Status {
    saved_claim(&clone.join("claims"), id).status
}

#[test]
fn an_article_edited_on_both_sides_stops_the_sync_undone_with_the_work_kept() {
    if no_git("an_article_edited_on_both_sides_stops_the_sync_undone_with_the_work_kept") {
        return;
    }
    let net = newsroom(2);
    let (a, b) = (&net.clones[0], &net.clones[1]);
    edit_article(a, "Tirana's version of the first paragraph.");
    assert_eq!(sync(a).0, 0);
    edit_article(b, "Abu Dhabi's version of the first paragraph.");
    ok(desk_cmd(
        b,
        &["--reviewer", "bob", "set", "alb-05", "verified"],
    ));
    let head_before = ok(git(b, &["rev-parse", "HEAD"]));
    let (code, report) = sync(b);
    assert_eq!(code, 1, "{report:#}");
    assert_eq!(report["outcome"], "conflict", "{report:#}");
    let stuck = &report["conflicts"][0];
    assert_eq!(
        stuck["file"], "claims/000_albania-iran-cyberattacks.yaml",
        "{report:#}"
    );
    assert!(
        stuck["why"]
            .as_str()
            .unwrap_or_default()
            .contains("article"),
        "the report says what both sides changed: {report:#}"
    );
    // The merge is undone: no merge in progress, no markers, the desk loads,
    // and bob's verdict and article edit are committed here, not pushed.
    assert!(
        !git(b, &["rev-parse", "-q", "--verify", "MERGE_HEAD"])
            .status
            .success()
    );
    let text = fs::read_to_string(data_file(&b.join("claims"))).expect("read");
    assert!(!text.contains("<<<<<<<") && !text.contains(">>>>>>>"));
    assert!(text.contains("Abu Dhabi's version"));
    assert_eq!(status_of(b, "alb-05"), Status::Verified);
    assert_ne!(ok(git(b, &["rev-parse", "HEAD"])), head_before);
    assert_eq!(ok(git(b, &["log", "-1", "--format=%an"])).trim(), "bob");
    let said = ok(git(b, &["log", "-1", "--format=%B"]));
    assert!(
        said.contains("alb-05 verified") && said.contains("article"),
        "{said}"
    );
    let clean = ok(git(b, &["status", "--porcelain", "--untracked-files=no"]));
    assert_eq!(clean, "", "the work is committed");
    let remote_text = ok(git(
        &net.remote,
        &["show", "main:claims/000_albania-iran-cyberattacks.yaml"],
    ));
    assert!(
        remote_text.contains("Tirana's version"),
        "nothing of bob's was pushed"
    );
    // The way out, by hand: merge, settle the article (here: keep ours,
    // with bob's verdict), commit; the next sync goes through.
    assert!(!git(b, &["merge", "origin/main"]).status.success());
    let file = "claims/000_albania-iran-cyberattacks.yaml";
    ok(git(b, &["checkout", "--ours", "--", file]));
    ok(git(b, &["add", file]));
    ok(git(b, &["commit", "--no-edit", "--quiet"]));
    let (code, report) = sync(b);
    assert_eq!(
        (code, report["outcome"].as_str()),
        (0, Some("synced")),
        "{report:#}"
    );
}

#[test]
fn an_unreachable_remote_changes_nothing_and_says_so() {
    if no_git("an_unreachable_remote_changes_nothing_and_says_so") {
        return;
    }
    let net = newsroom(1);
    let a = &net.clones[0];
    let nowhere = net.root.join("gone.git");
    ok(git(
        a,
        &["remote", "set-url", "origin", &nowhere.to_string_lossy()],
    ));
    ok(desk_cmd(
        a,
        &[
            "--reviewer",
            "alice",
            "note",
            "alb-04",
            "asked the ministry",
        ],
    ));
    let head = ok(git(a, &["rev-parse", "HEAD"]));
    let files = claims_files(a);
    let out = desk_cmd(a, &["sync"]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stdout(&out).contains("cannot reach origin")
            && stdout(&out).contains("nothing was changed"),
        "{}",
        stdout(&out)
    );
    assert_eq!(ok(git(a, &["rev-parse", "HEAD"])), head, "no commit");
    assert!(claims_files(a) == files, "no file touched");
    assert!(
        ok(git(a, &["status", "--porcelain"])).contains("000_albania"),
        "still to send"
    );
}

#[test]
fn a_push_race_is_lost_then_won_on_the_next_round() {
    if no_git("a_push_race_is_lost_then_won_on_the_next_round") {
        return;
    }
    let net = newsroom(2);
    let (a, b) = (&net.clones[0], &net.clones[1]);
    // Bob's bureau pushes while Alice's sync is between its fetch and its
    // push: her pre-push hook lets it, once.
    let hook = a.join(".git/hooks/pre-push");
    let flag = net.root.join("raced");
    fs::write(
        &hook,
        format!(
            "#!/bin/sh\nif [ ! -e '{flag}' ]; then touch '{flag}'; '{bin}' -C '{b}/claims' sync >/dev/null; fi\n",
            flag = flag.display(),
            bin = bin().display(),
            b = b.display()
        ),
    )
    .expect("hook");
    std::os::unix::fs::PermissionsExt::set_mode(
        &mut fs::metadata(&hook).expect("hook").permissions(),
        0o755,
    );
    fs::set_permissions(&hook, std::os::unix::fs::PermissionsExt::from_mode(0o755)).expect("chmod");
    ok(desk_cmd(
        a,
        &["--reviewer", "alice", "set", "alb-03", "verified"],
    ));
    ok(desk_cmd(
        b,
        &["--reviewer", "bob", "set", "alb-07", "false"],
    ));
    let (code, report) = sync(a);
    assert!(flag.exists(), "the hook ran");
    assert_eq!(
        (code, report["outcome"].as_str()),
        (0, Some("synced")),
        "{report:#}"
    );
    assert!(report["attempts"].as_u64() >= Some(2), "{report:#}");
    assert_eq!(sync(b).0, 0);
    for clone in [a, b] {
        assert_eq!(status_of(clone, "alb-03"), Status::Verified);
        assert_eq!(status_of(clone, "alb-07"), Status::False);
    }
}

#[test]
fn verdicts_from_two_bureaus_show_who_decided_where_until_settled() {
    if no_git("verdicts_from_two_bureaus_show_who_decided_where_until_settled") {
        return;
    }
    let net = newsroom(2);
    let (a, b) = (&net.clones[0], &net.clones[1]);
    ok(desk_cmd(
        a,
        &["--reviewer", "alice", "set", "alb-03", "verified"],
    ));
    ok(desk_cmd(
        a,
        &["--reviewer", "alice", "note", "alb-04", "asked"],
    ));
    std::thread::sleep(std::time::Duration::from_millis(1100));
    ok(desk_cmd(
        b,
        &["--reviewer", "bob", "set", "alb-03", "false"],
    ));
    for clone in [a, b, a] {
        let (code, report) = sync(clone);
        assert_eq!(code, 0, "{report:#}");
    }
    // Each reviewer is the author of their commit, which says what they did.
    let log = ok(git(a, &["log", "--format=%an <%ae>|%s"]));
    assert!(
        log.contains("alice <alice@claimdesk.invalid>|alice: alb-03 verified, alb-04 note"),
        "{log}"
    );
    assert!(
        log.contains("bob <bob@claimdesk.invalid>|bob: alb-03 false"),
        "{log}"
    );
    for clone in [a, b] {
        assert_eq!(status_of(clone, "alb-03"), Status::False, "the newer won");
        let shown = stdout(&desk_cmd(clone, &["show", "alb-03"]));
        let differ = shown
            .lines()
            .find(|l| l.starts_with("Differ:"))
            .unwrap_or_else(|| panic!("no Differ line:\n{shown}"));
        assert!(
            differ.contains("verified by alice (B0)") && differ.contains("false by bob (B1)"),
            "{differ}"
        );
    }
    // An editor in Tirana settles it; once synced, nobody sees a dispute.
    ok(desk_cmd(
        a,
        &["--reviewer", "editor", "set", "alb-03", "false"],
    ));
    assert_eq!(sync(a).0, 0);
    assert_eq!(sync(b).0, 0);
    for clone in [a, b] {
        let shown = stdout(&desk_cmd(clone, &["show", "alb-03"]));
        assert!(!shown.contains("Differ:"), "{shown}");
        assert!(shown.contains("editor (B0): false (unchanged)"), "{shown}");
    }
}

#[test]
fn init_is_idempotent_and_settings_edited_apart_merge_line_by_line() {
    if no_git("init_is_idempotent_and_settings_edited_apart_merge_line_by_line") {
        return;
    }
    let net = newsroom(2);
    let (a, b) = (&net.clones[0], &net.clones[1]);
    let again = stdout(&desk_cmd(a, &["init"]));
    assert!(again.contains(".gitattributes already set"), "{again}");
    assert!(
        again.contains("merge.claimdesk.driver already set"),
        "{again}"
    );
    let attributes = fs::read_to_string(a.join("claims/.gitattributes")).expect("attributes");
    assert_eq!(
        attributes,
        "/*.yaml merge=claimdesk\n/claimdesk.yaml merge\n"
    );
    let check = ok(git(
        a,
        &[
            "check-attr",
            "merge",
            "--",
            "claims/claimdesk.yaml",
            "claims/x.yaml",
        ],
    ));
    assert_eq!(
        check,
        "claims/claimdesk.yaml: merge: set\nclaims/x.yaml: merge: claimdesk\n"
    );
    // Two bureaus change different settings: no conflict, both kept.
    let settings = |clone: &Path| clone.join("claims/claimdesk.yaml");
    let edit = |clone: &Path, from: &str, to: &str| {
        let text = fs::read_to_string(settings(clone)).expect("settings");
        assert!(text.contains(from));
        fs::write(settings(clone), text.replacen(from, to, 1)).expect("write");
    };
    edit(a, "name: Example Fact-Check Desk", "name: Tirana Desk");
    edit(b, "  bidi: auto", "  bidi: \"on\"");
    assert_eq!(sync(a).0, 0);
    let (code, report) = sync(b);
    assert_eq!(code, 0, "{report:#}");
    assert_eq!(sync(a).0, 0);
    for clone in [a, b] {
        let text = fs::read_to_string(settings(clone)).expect("settings");
        assert!(
            text.contains("name: Tirana Desk") && text.contains("bidi: \"on\""),
            "{text}"
        );
        ok(desk_cmd(clone, &["check"]));
    }
}

#[test]
fn sync_before_init_says_to_run_init() {
    if no_git("sync_before_init_says_to_run_init") {
        return;
    }
    let dir = copy_of_claims();
    let out = Command::new(bin())
        .arg("-C")
        .arg(dir.path())
        .arg("sync")
        .output()
        .expect("run");
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("init` first"), "{}", stderr(&out));
    let out = Command::new(bin())
        .arg("-C")
        .arg(dir.path())
        .args(["sync", "--json"])
        .output()
        .expect("run");
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(said["outcome"], "not-ready");
    assert!(
        said["message"]
            .as_str()
            .unwrap_or_default()
            .contains("init` first")
    );
}

#[test]
fn the_first_bureau_sets_up_in_two_commands_and_the_next_in_two_more() {
    if no_git("the_first_bureau_sets_up_in_two_commands_and_the_next_in_two_more") {
        return;
    }
    let root = tempfile::tempdir().expect("temp dir");
    let r = root.path();
    ok(git(r, &["init", "--quiet", "--bare", "hub.git"]));
    let first = copy_of_claims();
    let hub = r.join("hub.git");
    let run = |dir: &Path, args: &[&str]| {
        let out = Command::new(bin())
            .arg("-C")
            .arg(dir)
            .args(args)
            .env("CLAIMDESK_NO_CACHE", "1")
            .output()
            .expect("run");
        assert!(
            out.status.success(),
            "{args:?}: {}{}",
            stdout(&out),
            stderr(&out)
        );
        stdout(&out)
    };
    let said = run(
        first.path(),
        &[
            "--bureau",
            "Tirana",
            "init",
            "--remote",
            &hub.to_string_lossy(),
        ],
    );
    assert!(said.contains("made a git repository"), "{said}");
    run(first.path(), &["sync"]);
    ok(git(r, &["clone", "--quiet", "hub.git", "abudhabi"]));
    let second = r.join("abudhabi");
    run(&second, &["--bureau", "Abu Dhabi", "init"]);
    run(&second, &["--reviewer", "bob", "set", "alb-05", "false"]);
    run(&second, &["sync"]);
    run(first.path(), &["sync"]);
    let c = saved_claim(first.path(), "alb-05");
    assert_eq!(c.status, Status::False);
    assert_eq!(
        c.history.last().map(|h| h.who()),
        Some("bob (Abu Dhabi)".to_string())
    );
}

/// The desk (not only `show`) says who decided where, and the same verdict
/// marked again settles it.
#[test]
fn the_desk_shows_differing_verdicts_and_marking_one_settles_them() {
    let dir = copy_of_claims();
    let path = data_file(dir.path());
    let mut doc = claimdesk::store::load_file(&path, None).expect("loads");
    let c = doc
        .claims
        .iter_mut()
        .find(|c| c.id.0 == "alb-03")
        .expect("alb-03");
    let apart = "- {at: '2026-12-01T10:00:00Z', by: alice, previous: unreviewed, status: verified, bureau: Tirana}\n\
                 - {at: '2026-12-01T11:00:00Z', by: bob, previous: unreviewed, status: 'false', bureau: Abu Dhabi}\n";
    c.history = serde_yaml::from_str(apart).expect("history");
    c.status = Status::False;
    fs::write(&path, claimdesk::store::render(&doc).expect("renders")).expect("write");
    let desk = Desk::load(dir.path()).expect("loads");
    let mut app = common::desk::app(desk, claimdesk::text::Bidi::LogicalByLine);
    let screen = common::desk::type_into(&mut app, ":alb-03<Enter><Enter>", 120, 40).text();
    assert!(
        screen.contains("Verdicts differ: verified by alice (Tirana)")
            && screen.contains("false by bob (Abu Dhabi)"),
        "{screen}"
    );
    // The same verdict again: written this once, and the dispute is settled.
    let screen = common::desk::type_into(&mut app, "5", 120, 40).text();
    assert!(!screen.contains("Verdicts differ"), "{screen}");
    assert!(screen.contains("alb-03: false confirmed"), "{screen}");
    let c = saved_claim(dir.path(), "alb-03");
    assert_eq!(c.history.len(), 3);
    assert!(c.verdicts_differ().is_none());
}
