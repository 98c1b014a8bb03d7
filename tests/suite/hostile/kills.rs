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
    for (signal, code) in [("INT", 130), ("TERM", 143)] {
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
