//! Hostile conditions: processes killed at any moment. A build killed while it writes its
//! staging folder, swaps it in, or removes the old site leaves a folder the next build
//! recognises and removes, while a staging-like folder holding a file of the user's is
//! kept. `diff` killed by SIGINT or SIGTERM removes its temporary folders.

#![cfg(unix)]

use crate::support::{Project, git};
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The base project with `pages` content pages, so a build takes a while.
fn big_project(pages: usize) -> crate::support::BuiltProject {
    let project = Project::base().build();
    for i in 0..pages {
        project.page(
            &format!("page-{i:04}.md"),
            &format!("Page {i}"),
            &"Some words in a paragraph. ".repeat(40),
        );
    }
    project
}

/// The names in `dir` that look like staging folders of the output `public`.
fn staging_folders(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with(".public.rasci-staging-"))
        .collect();
    names.sort();
    names
}

fn build(root: &Path, out: &Path) -> std::process::Child {
    Command::new(assert_cmd::cargo::cargo_bin("rasci"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap()
}

#[test]
fn builds_killed_at_any_moment_leave_nothing_the_next_build_keeps() {
    let project = big_project(300);
    let site = project.beside("site");
    std::fs::create_dir(&site).unwrap();
    let out = site.join("public");
    // A whole build, timed, so the kills spread over its length; it also leaves an old
    // site for the killed builds to swap out and remove.
    let started = Instant::now();
    let status = build(project.root(), &out).wait().unwrap();
    assert!(status.success());
    let whole = started.elapsed();
    // A folder of the user's that looks like a staging folder of a dead process.
    let foreign = site.join(".public.rasci-staging-999999999");
    std::fs::create_dir(&foreign).unwrap();
    std::fs::write(foreign.join("notes.txt"), "mine").unwrap();
    let kills = 16;
    for i in 0..kills {
        let mut child = build(project.root(), &out);
        // From the start to just past the end of a build, most of them near the end,
        // where the site is written, swapped in and the old one removed.
        let share = 0.3 + 0.8 * f64::from(i) / f64::from(kills);
        std::thread::sleep(whole.mul_f64(share));
        let _ = child.kill();
        child.wait().unwrap();
    }
    let status = build(project.root(), &out).wait().unwrap();
    assert!(status.success());
    assert_eq!(
        staging_folders(&site),
        vec![".public.rasci-staging-999999999".to_string()],
        "only the folder holding a file of the user's is left"
    );
    assert!(foreign.join("notes.txt").is_file());
    assert!(out.join("page-0299/index.html").is_file() || out.join("index.html").is_file());
}

/// The temporary folders of `diff` in `tmp`.
fn diff_folders(tmp: &Path) -> Vec<String> {
    std::fs::read_dir(tmp)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.starts_with("rasci-diff-"))
        .collect()
}

#[test]
fn diff_stopped_by_a_signal_removes_its_temporary_folders() {
    let project = big_project(2000);
    git(project.root(), &["init", "-q"]);
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-q", "-m", "first"]);
    for (signal, code) in [("INT", 130), ("TERM", 143), ("HUP", 129)] {
        let tmp = project.beside(&format!("tmp-{signal}"));
        std::fs::create_dir(&tmp).unwrap();
        let mut child = Command::new(assert_cmd::cargo::cargo_bin("rasci"))
            .args(["diff", "HEAD", "HEAD"])
            .current_dir(project.root())
            .env("TMPDIR", &tmp)
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        // Waits (up to a minute, for a slow machine) until the first folder exists.
        let deadline = Instant::now() + Duration::from_secs(60);
        while diff_folders(&tmp).is_empty() {
            assert!(Instant::now() < deadline, "diff made no temporary folder");
            assert!(child.try_wait().unwrap().is_none(), "diff ended too soon");
            std::thread::sleep(Duration::from_millis(1));
        }
        let sent = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(child.id().to_string())
            .status()
            .unwrap();
        assert!(sent.success());
        let output = child.wait_with_output().unwrap();
        assert_eq!(
            output.status.code(),
            Some(code),
            "SIG{signal}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        assert_eq!(diff_folders(&tmp), Vec::<String>::new(), "SIG{signal}");
    }
}

#[test]
fn a_write_killed_half_way_is_finished_by_the_next_run() {
    // Files are put whole under their name, so a killed `init` leaves some files of the
    // project, complete, and perhaps one file being written beside its name. The next
    // `init` keeps the complete ones, writes the rest and removes the leftover; a file
    // that differs from what init writes still stops it.
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    let status = Command::new(assert_cmd::cargo::cargo_bin("rasci"))
        .arg("init")
        .arg(&whole)
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());
    let half = dir.path().join("half");
    std::fs::create_dir_all(half.join("data")).unwrap();
    for kept in ["rasci.yaml", "data/parties.yaml"] {
        std::fs::copy(whole.join(kept), half.join(kept)).unwrap();
    }
    let dead = u32::MAX / 2; // no such process
    let leftover = half.join(format!("data/.scopes.yaml.rasci-{dead}-0.tmp"));
    std::fs::write(&leftover, "scopes:\n  - id: clo").unwrap();
    let init = |folder: &Path| {
        Command::new(assert_cmd::cargo::cargo_bin("rasci"))
            .arg("init")
            .arg(folder)
            .output()
            .unwrap()
    };
    let output = init(&half);
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    for entry in walkdir::WalkDir::new(&whole).min_depth(1) {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(&whole).unwrap();
        if entry.file_type().is_file() {
            assert_eq!(
                std::fs::read(half.join(relative)).unwrap(),
                std::fs::read(entry.path()).unwrap(),
                "{}",
                relative.display()
            );
        }
    }
    assert!(
        !leftover.exists(),
        "the leftover of the killed run is removed"
    );
    // A project that is whole, or has a file of its own, is still refused.
    assert_eq!(init(&half).status.code(), Some(2));
    std::fs::remove_file(half.join("data/tasks.yaml")).unwrap();
    std::fs::write(half.join("data/parties.yaml"), "parties: []\n").unwrap();
    assert_eq!(init(&half).status.code(), Some(2));
    assert!(!half.join("data/tasks.yaml").exists());
}

#[test]
fn diff_removes_the_temporary_folders_of_a_killed_diff() {
    // SIGKILL cannot be caught: the folders of a diff killed so are removed by the next
    // one, once their process is gone; a folder of a process still running, a link named
    // like one, and a name of another shape are kept.
    let project = Project::base().build();
    git(project.root(), &["init", "-q"]);
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-q", "-m", "first"]);
    let tmp = project.beside("tmp");
    let outside = project.beside("outside");
    std::fs::create_dir_all(&tmp).unwrap();
    std::fs::create_dir_all(outside.join("rasci-diff-x")).unwrap();
    let dead = u32::MAX / 2; // no such process
    let left = tmp.join(format!("rasci-diff-{dead}-1-0"));
    std::fs::create_dir_all(left.join("data")).unwrap();
    std::fs::write(left.join("data/tasks.yaml"), "sections: []\n").unwrap();
    let running = tmp.join(format!("rasci-diff-{}-1-0", std::process::id()));
    std::fs::create_dir(&running).unwrap();
    let linked = tmp.join(format!("rasci-diff-{}-1-0", dead + 1));
    std::os::unix::fs::symlink(outside.join("rasci-diff-x"), &linked).unwrap();
    let other = tmp.join(format!("rasci-diff-{dead}-notes"));
    std::fs::create_dir(&other).unwrap();
    let output = Command::new(assert_cmd::cargo::cargo_bin("rasci"))
        .args(["diff", "HEAD", "HEAD"])
        .current_dir(project.root())
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(!left.exists(), "the dead diff's folder is removed");
    assert!(running.is_dir());
    assert!(linked.is_symlink() && outside.join("rasci-diff-x").is_dir());
    assert!(other.is_dir());
}
