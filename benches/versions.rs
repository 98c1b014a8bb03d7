//! What publishing versions costs: a generated project (`common/documentation.rs`)
//! committed as four tagged versions in a git repository of its own (a task retitled,
//! a letter added, another task retitled), built with the 0, 1, 2 and 4 newest listed
//! under `versions:`. Prints the median CPU time (user and system, from `wait4`) of each
//! `rasci build` and its multiple of the build without versions, which should stay near
//! N + 1: every version is read, loaded, checked and rendered once.
//!
//! ```sh
//! cargo bench --bench versions -- --pages 1000 --runs 3
//! ```
//!
//! Not run in CI: it builds the site (N + 1) × runs times.

#[path = "common/documentation.rs"]
#[allow(dead_code)]
mod documentation;
#[path = "common/wait.rs"]
mod wait;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::Duration;

/// Runs git in `dir` as a fixed author, with none of the machine's own git settings.
fn git(dir: &Path, args: &[&str]) {
    let status = Command::new("git")
        .arg("-C")
        .arg(dir)
        .args([
            "-c",
            "user.name=Writer",
            "-c",
            "user.email=writer@example.com",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .env_remove("GIT_DIR")
        .env_remove("GIT_WORK_TREE")
        .stdout(Stdio::null())
        .status()
        .expect("run git");
    assert!(status.success(), "git {args:?} failed");
}

/// Replaces `from` by `to` in the project's tasks, and commits and tags the result.
fn next_version(root: &Path, tag: &str, from: &str, to: &str) {
    let path = root.join("data/tasks.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.contains(from), "the generated tasks have no {from:?}");
    std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    git(root, &["commit", "-q", "-a", "-m", tag]);
    git(root, &["tag", tag]);
}

/// The CPU time (user and system) of one `rasci build` of `root`, read with `wait4`,
/// which reports that child's use (git included, whose processes it waits for); the
/// standard library cannot read it.
fn build_cpu(root: &Path, out: &Path) -> Duration {
    if out.exists() {
        std::fs::remove_dir_all(out).unwrap();
    }
    // Reaped by `wait4` below, which also reads its resource use; `Child::wait` cannot.
    #[allow(clippy::zombie_processes)]
    let pid = Command::new(env!("CARGO_BIN_EXE_rasci"))
        .args(["build", "--root"])
        .arg(root)
        .arg("--out")
        .arg(out)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("start rasci")
        .id();
    let (status, _, cpu) = wait::wait_with_peak(pid);
    assert!(status == 0, "rasci build failed (wait status {status})");
    cpu
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let option = |name: &str, default: usize| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .map_or(default, |n| n.replace('_', "").parse().expect("a number"))
    };
    let pages = option("--pages", 1000);
    let runs = option("--runs", 3).max(1);
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("project");
    documentation::generate(&root, pages);
    let config = std::fs::read_to_string(root.join("rasci.yaml")).unwrap();
    git(&root, &["init", "-q"]);
    git(&root, &["add", "-A"]);
    git(&root, &["commit", "-q", "-m", "v1"]);
    git(&root, &["tag", "v1"]);
    next_version(&root, "v2", "its priority\n", "its new priority\n");
    next_version(
        &root,
        "v3",
        "rasci: { party-5: \"A, R\", party-0: C }",
        "rasci: { party-5: \"A, R\", party-0: \"C, I\" }",
    );
    next_version(&root, "v4", "its platform\n", "all its platforms\n");
    let out = dir.path().join("out");
    println!("{pages} guides, median CPU time of {runs} builds");
    println!("| listed versions | CPU time | × no versions |");
    println!("|---:|---:|---:|");
    let mut alone = None;
    for listed in [0usize, 1, 2, 4] {
        let mut text = config.clone();
        if listed > 0 {
            text.push_str("versions:\n");
        }
        for version in (4 - listed + 1..=4).rev() {
            text.push_str(&format!(
                "  - id: \"{version}\"\n    name: Version {version}\n    revision: v{version}\n    effective: 2025-0{version}-01\n"
            ));
        }
        std::fs::write(root.join("rasci.yaml"), text).unwrap();
        let mut times: Vec<Duration> = (0..runs).map(|_| build_cpu(&root, &out)).collect();
        times.sort();
        let median = times[times.len() / 2];
        let alone = *alone.get_or_insert(median);
        println!(
            "| {listed} | {:.2} s | {:.2}× |",
            median.as_secs_f64(),
            median.as_secs_f64() / alone.as_secs_f64()
        );
    }
}
