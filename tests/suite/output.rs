//! The output folder never costs the user a file: which `--out` paths `build` refuses,
//! with and without `--force`; that a rebuild replaces a previous build whole; that a
//! killed build leaves the old site complete and its staging is cleaned by the next one;
//! that a rebuild keeps the files it would write again the same, and only those;
//! read-only and mount-point outputs; and that `check --site`, a failing build and `serve`
//! write nothing.
#![cfg(unix)]

use crate::support;

use crate::support::rasci;
use std::collections::BTreeMap;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

const MARKER: &str = ".rasci-build";

/// Every file under `dir` with its bytes, by path relative to `dir`.
fn tree(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| !e.file_type().is_dir())
        .map(|e| {
            let rel = e.path().strip_prefix(dir).unwrap().display().to_string();
            let bytes = if e.file_type().is_symlink() {
                std::fs::read_link(e.path())
                    .unwrap()
                    .display()
                    .to_string()
                    .into_bytes()
            } else {
                std::fs::read(e.path()).unwrap()
            };
            (rel, bytes)
        })
        .collect()
}

/// Names in `dir`, sorted.
fn names(dir: &Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    names
}

/// The site in `out` is whole: its manifest lists exactly the files it holds, and there
/// is a home page.
fn assert_complete(out: &Path) {
    let manifest = std::fs::read_to_string(out.join(MARKER)).expect("a manifest");
    let listed: Vec<&str> = manifest.lines().skip(1).collect();
    let mut held: Vec<String> = tree(out).into_keys().filter(|k| k != MARKER).collect();
    held.sort();
    assert_eq!(listed, held, "{}", out.display());
    assert!(listed.contains(&"index.html"));
}

/// A build of `root` into `out` (relative paths are taken from `cwd`).
fn build(cwd: &Path, root: &Path, out: &str, force: bool) -> assert_cmd::assert::Assert {
    let mut command = rasci();
    command
        .current_dir(cwd)
        .args(["build", "--root"])
        .arg(root)
        .args(["--out", out]);
    if force {
        command.arg("--force");
    }
    command.assert()
}

fn stderr(assert: &assert_cmd::assert::Assert) -> String {
    String::from_utf8(assert.get_output().stderr.clone()).unwrap()
}

/// A copy of the example project with a `.git` folder, a `notes/` folder of the user's,
/// a README and a `schemas/` folder.
fn project(dir: &Path) -> PathBuf {
    let root = support::copy_example(dir);
    std::fs::create_dir_all(root.join(".git/refs")).unwrap();
    std::fs::write(root.join(".git/HEAD"), "ref: refs/heads/main\n").unwrap();
    std::fs::create_dir_all(root.join("notes")).unwrap();
    std::fs::write(root.join("notes/todo.txt"), "call the supplier\n").unwrap();
    std::fs::write(root.join("README.md"), "# My hub\n").unwrap();
    std::fs::create_dir_all(root.join("schemas")).unwrap();
    std::fs::write(root.join("schemas/tasks.schema.json"), "{}\n").unwrap();
    root
}

#[test]
fn paths_that_hold_the_users_files_are_refused_and_nothing_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let name = root.file_name().unwrap().to_str().unwrap().to_string();
    std::os::unix::fs::symlink(root.join("data"), root.join("data-link")).unwrap();
    std::os::unix::fs::symlink(root.join("notes"), root.join("notes-link")).unwrap();
    let before = tree(dir.path());
    // (path, refused even with --force, words the message must hold)
    let cases: Vec<(String, bool, &str)> = vec![
        (".git".into(), true, "`.git`"),
        (".git/site".into(), true, "`.git`"),
        ("notes".into(), false, "no `.rasci-build` manifest"),
        ("notes-link".into(), false, "no `.rasci-build` manifest"),
        ("README.md".into(), false, "it is a file"),
        ("public/../data".into(), true, "`data`"),
        ("data-link".into(), true, "`data`"),
        ("data-link/../content".into(), true, "the project's"),
        (format!("nope/../../{name}"), true, "it holds the project"),
        (".".into(), true, "it holds the project"),
        ("..".into(), true, "it holds the project"),
        ("rasci.yaml".into(), true, "`rasci.yaml`"),
        ("schemas".into(), true, "`schemas`"),
        ("content/site".into(), true, "`content`"),
    ];
    for (out, always, words) in &cases {
        for force in [false, true] {
            if force && !always {
                continue;
            }
            let assert = build(&root, &root, out, force).code(2);
            let text = stderr(&assert);
            assert!(
                text.contains(&format!("refusing to write the site into {out}")),
                "{out}: names the folder: {text}"
            );
            assert!(text.contains(words), "{out}: {text}");
            if *always {
                assert!(text.contains("not even with --force"), "{out}: {text}");
            } else {
                assert!(text.contains("--force"), "{out}: says how: {text}");
                assert!(text.contains("another folder"), "{out}: {text}");
            }
            assert_eq!(
                tree(dir.path()),
                before,
                "{out} (force: {force}): no change"
            );
        }
    }
}

#[test]
fn force_replaces_a_users_folder_but_never_the_sources() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    build(&root, &root, "notes", true).success();
    assert!(!root.join("notes/todo.txt").exists());
    assert_complete(&root.join("notes"));
    // Once built, the folder is rasci's: no --force needed any more.
    build(&root, &root, "notes", false).success();
    assert_complete(&root.join("notes"));

    let data = tree(&root.join("data"));
    let text = stderr(&build(&root, &root, "data", true).code(2));
    assert!(
        text.contains("refusing to write the site into data"),
        "{text}"
    );
    assert_eq!(tree(&root.join("data")), data);
}

#[test]
fn a_previous_build_is_replaced_whole_and_builds_are_identical() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    build(&root, &root, "public", false).success();
    assert_complete(&root.join("public"));
    let first = tree(&root.join("public"));
    // A file of an old build that the new one does not write goes away with it.
    let manifest = std::fs::read_to_string(root.join("public").join(MARKER)).unwrap();
    std::fs::write(root.join("public/old-page.html"), "old").unwrap();
    std::fs::write(
        root.join("public").join(MARKER),
        format!("{manifest}old-page.html\n"),
    )
    .unwrap();
    build(&root, &root, "public", false).success();
    assert_eq!(tree(&root.join("public")), first, "byte for byte");
    assert_eq!(
        names(&root),
        [
            ".git",
            "README.md",
            "content",
            "data",
            "notes",
            "public",
            "rasci.yaml",
            "schemas"
        ],
        "no staging folder left beside the output"
    );
    // A file the user added to a build makes it theirs.
    std::fs::write(root.join("public/CNAME"), "docs.example.org\n").unwrap();
    let text = stderr(&build(&root, &root, "public", false).code(2));
    assert!(text.contains("`CNAME`"), "{text}");
    assert!(root.join("public/CNAME").exists());
}

/// A rebuild keeps each file it would write again with the same bytes (hard-linked from
/// the old build: the same inode), writes anew what changed, and keeps nothing that is not
/// the old build's alone: a file the user edited, a hard link to a file outside, a
/// symbolic link, each with the very bytes of the build.
#[test]
fn a_rebuild_keeps_unchanged_files_and_only_those() {
    use std::os::unix::fs::MetadataExt;
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let out = root.join("public");
    build(&root, &root, "public", false).success();
    let first = tree(&out);
    let meta = |path: &str| std::fs::symlink_metadata(out.join(path)).unwrap();
    let pages: Vec<&String> = first
        .keys()
        .filter(|k| k.ends_with(".html") && k.contains('/'))
        .collect();
    let (edited, linked) = (pages[0].as_str(), pages[1].as_str());
    let styles = first.keys().find(|k| k.ends_with(".css")).unwrap().as_str();
    let (index, page) = (meta("index.html").ino(), meta(pages[2]).ino());
    // Edited in place by the user: the same inode, other bytes.
    let edited_inode = meta(edited).ino();
    std::fs::write(out.join(edited), "edited by hand").unwrap();
    // The same bytes, but a hard link to a file outside the output.
    let outside = dir.path().join("outside.css");
    std::fs::write(&outside, &first[styles]).unwrap();
    std::fs::remove_file(out.join(styles)).unwrap();
    std::fs::hard_link(&outside, out.join(styles)).unwrap();
    // The same bytes, through a symbolic link to a file outside.
    let target = dir.path().join("outside.html");
    std::fs::write(&target, &first[linked]).unwrap();
    std::fs::remove_file(out.join(linked)).unwrap();
    std::os::unix::fs::symlink(&target, out.join(linked)).unwrap();

    build(&root, &root, "public", false).success();
    assert_eq!(tree(&out), first, "byte for byte");
    assert_eq!(meta("index.html").ino(), index, "an unchanged file is kept");
    assert_eq!(meta(pages[2]).ino(), page, "an unchanged file is kept");
    assert_eq!(
        meta("index.html").nlink(),
        1,
        "the old build's name is gone"
    );
    assert_ne!(
        meta(edited).ino(),
        edited_inode,
        "an edited file is written anew"
    );
    let outside_meta = std::fs::metadata(&outside).unwrap();
    assert_ne!(
        meta(styles).ino(),
        outside_meta.ino(),
        "not tied to a file outside"
    );
    assert_eq!(outside_meta.nlink(), 1);
    assert_eq!(std::fs::read(&outside).unwrap(), first[styles]);
    assert!(
        meta(linked).file_type().is_file(),
        "a link is replaced by a file"
    );
    assert_eq!(std::fs::read(&target).unwrap(), first[linked]);
    assert_eq!(
        names(&root),
        [
            ".git",
            "README.md",
            "content",
            "data",
            "notes",
            "public",
            "rasci.yaml",
            "schemas"
        ],
        "no staging folder left beside the output"
    );
}

#[test]
fn the_output_is_never_missing_while_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let root = support::copy_project(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-basic"),
        dir.path(),
    );
    let out = dir.path().join("public");
    build(dir.path(), &root, out.to_str().unwrap(), false).success();
    let done = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let watcher = {
        let done = done.clone();
        let out = out.clone();
        std::thread::spawn(move || {
            let mut looks = 0u64;
            let mut missing = 0u64;
            while !done.load(std::sync::atomic::Ordering::Relaxed) {
                looks += 1;
                if !out.join(MARKER).exists() || !out.join("index.html").exists() {
                    missing += 1;
                }
            }
            (looks, missing)
        })
    };
    for _ in 0..10 {
        build(dir.path(), &root, out.to_str().unwrap(), false).success();
    }
    done.store(true, std::sync::atomic::Ordering::Relaxed);
    let (looks, missing) = watcher.join().unwrap();
    assert!(looks > 1000, "the watcher looked often: {looks}");
    assert_eq!(
        missing, 0,
        "out of {looks} looks, the site was missing {missing}"
    );
    assert_complete(&out);
}

#[test]
fn an_output_link_named_outside_the_project_is_written_through() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let elsewhere = dir.path().join("site");
    // The folder exists: a link that dangles is refused (tests/suite/hostile/writes.rs).
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, dir.path().join("site-link")).unwrap();
    build(dir.path(), &root, "site-link", false).success();
    assert!(
        dir.path().join("site-link").is_symlink(),
        "the link stays a link"
    );
    assert_complete(&elsewhere);
    build(dir.path(), &root, "site-link", false).success();
    assert_complete(&elsewhere);
}

#[test]
fn an_output_link_in_the_project_that_leads_out_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let elsewhere = dir.path().join("site");
    std::fs::create_dir(&elsewhere).unwrap();
    std::os::unix::fs::symlink(&elsewhere, root.join("public")).unwrap();
    for out in ["public", "public/../public", "./public"] {
        build(&root, &root, out, false)
            .code(2)
            .stderr(predicates::str::contains(
                "a symbolic link on the way leads out of it",
            ));
        build(&root, &root, out, true).code(2);
    }
    assert!(names(&elsewhere).is_empty(), "nothing was written outside");
    // A link that stays inside the project is followed.
    std::fs::remove_file(root.join("public")).unwrap();
    std::fs::create_dir(root.join("out")).unwrap();
    std::os::unix::fs::symlink(root.join("out"), root.join("public")).unwrap();
    build(&root, &root, "public", false).success();
    assert_complete(&root.join("out"));
}

/// The example project with `count` extra theme files of 64 KiB each, so writing the site
/// takes a while.
fn big_project(dir: &Path, count: usize) -> PathBuf {
    let root = support::copy_example(dir);
    let big = root.join("themes/golive/static/big");
    std::fs::create_dir_all(&big).unwrap();
    let block: Vec<u8> = (0..65536u32).map(|i| (i % 251) as u8).collect();
    for i in 0..count {
        std::fs::write(big.join(format!("{i:05}.bin")), &block).unwrap();
    }
    root
}

fn staging_in(dir: &Path) -> Vec<String> {
    names(dir)
        .into_iter()
        .filter(|n| n.starts_with(".public.rasci-staging-"))
        .collect()
}

#[test]
fn a_build_killed_while_writing_leaves_the_old_site_and_the_next_build_cleans_up() {
    let dir = tempfile::tempdir().unwrap();
    let root = big_project(dir.path(), 3000);
    let out = dir.path().join("public");
    let out_arg = out.to_str().unwrap();
    build(dir.path(), &root, out_arg, false).success();
    let old = tree(&out);
    assert_complete(&out);

    let mut caught = false;
    for _attempt in 0..3 {
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rasci"))
            .args(["build", "--root"])
            .arg(&root)
            .args(["--out", out_arg])
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let started = Instant::now();
        // Kill it as soon as its staging folder holds some files.
        loop {
            if let Some(staging) = staging_in(dir.path()).first()
                && dir.path().join(staging).join("static").exists()
            {
                child.kill().unwrap(); // SIGKILL
                break;
            }
            if child.try_wait().unwrap().is_some() || started.elapsed() > Duration::from_secs(120) {
                break;
            }
            std::thread::sleep(Duration::from_micros(200));
        }
        let _ = child.wait();
        if !staging_in(dir.path()).is_empty() {
            caught = true;
            break;
        }
    }
    assert!(
        caught,
        "the build was killed while writing its staging folder"
    );
    assert_eq!(tree(&out), old, "the old site is whole");

    build(dir.path(), &root, out_arg, false).success();
    assert_complete(&out);
    assert_eq!(tree(&out), old, "the same project builds the same site");
    assert_eq!(
        names(dir.path()),
        ["project", "public"],
        "the killed build's staging is gone"
    );
}

#[test]
fn staging_of_a_dead_build_without_a_manifest_of_its_own_is_kept() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    // Named like staging, but holding a file of the user's: not rasci's to delete.
    let foreign = root.join(".public.rasci-staging-999999999");
    std::fs::create_dir_all(&foreign).unwrap();
    std::fs::write(foreign.join("keep.txt"), "mine").unwrap();
    // Named like staging and empty: removed.
    let empty = root.join(".public.rasci-staging-999999998");
    std::fs::create_dir_all(&empty).unwrap();
    build(&root, &root, "public", false).success();
    assert!(foreign.join("keep.txt").exists());
    assert!(!empty.exists());
}

/// Runs `script` with `sh` in a mount namespace of its own, or prints why it cannot and
/// returns `None` (no `unshare`, or not allowed to mount).
fn in_mount_namespace(script: &str) -> Option<std::process::Output> {
    let probe = std::process::Command::new("unshare")
        .args(["-m", "sh", "-c", "mount -t tmpfs tmpfs /mnt"])
        .output();
    match probe {
        Ok(output) if output.status.success() => {}
        Ok(output) => {
            eprintln!(
                "skipped: cannot mount in a namespace: {}",
                String::from_utf8_lossy(&output.stderr).trim()
            );
            return None;
        }
        Err(e) => {
            eprintln!("skipped: no `unshare`: {e}");
            return None;
        }
    }
    Some(
        std::process::Command::new("unshare")
            .args(["-m", "sh", "-c", script])
            .env("NO_COLOR", "1")
            .output()
            .unwrap(),
    )
}

fn sh_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', "'\\''"))
}

#[test]
fn a_read_only_output_parent_is_an_error_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let parent = dir.path().join("ro");
    let out = parent.join("public");
    std::fs::create_dir_all(&parent).unwrap();
    build(dir.path(), &root, out.to_str().unwrap(), false).success();
    let old = tree(&parent);
    let script = format!(
        "mount --bind {p} {p} && mount -o remount,bind,ro {p} && {bin} build --root {r} --out {o}; echo \"exit=$?\"",
        p = sh_quote(&parent),
        bin = sh_quote(Path::new(env!("CARGO_BIN_EXE_rasci"))),
        r = sh_quote(&root),
        o = sh_quote(&out),
    );
    let Some(output) = in_mount_namespace(&script) else {
        return;
    };
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stdout.contains("exit=2"), "{stdout}{stderr}");
    assert!(
        stderr.contains(&format!("cannot write {}", out.display())),
        "{stderr}"
    );
    assert!(stderr.contains("Read-only file system"), "{stderr}");
    assert_eq!(tree(&parent), old, "the old site is whole, no staging left");
}

#[test]
fn a_mount_point_output_is_refused_and_loses_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let out = dir.path().join("public");
    build(dir.path(), &root, out.to_str().unwrap(), false).success();
    let old = tree(dir.path());
    let bin = sh_quote(Path::new(env!("CARGO_BIN_EXE_rasci")));
    let bin = &bin;
    // A bind mount of the folder onto itself (same file system: the swap is what fails),
    // then a tmpfs (another file system: seen before writing anything).
    for mount in [
        format!("mount --bind {o} {o}", o = sh_quote(&out)),
        format!("mount -t tmpfs tmpfs {o}", o = sh_quote(&out)),
    ] {
        let script = format!(
            "{mount} && {bin} build --root {r} --out {o}; echo \"exit=$?\"; ls -a {d}",
            r = sh_quote(&root),
            o = sh_quote(&out),
            d = sh_quote(dir.path()),
        );
        let Some(output) = in_mount_namespace(&script) else {
            return;
        };
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stdout.contains("exit=2"), "{mount}: {stdout}{stderr}");
        assert!(
            stderr.contains(&format!(
                "refusing to write the site into {}: it is a mount point",
                out.display()
            )),
            "{mount}: {stderr}"
        );
        assert!(!stdout.contains("rasci-staging"), "{mount}: {stdout}");
        assert_eq!(tree(dir.path()), old, "{mount}: nothing lost or left");
    }
}

#[test]
fn check_site_and_a_failing_build_write_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    std::fs::write(
        root.join("content/broken.md"),
        "---\ntitle: Broken\n---\n\nSee [nowhere](missing.md).\n",
    )
    .unwrap();
    let before = tree(dir.path());
    rasci()
        .args(["check", "--site", "--root"])
        .arg(&root)
        .assert()
        .code(1);
    assert_eq!(tree(dir.path()), before);
    build(&root, &root, "public", false).code(1);
    assert_eq!(tree(dir.path()), before, "nothing, not even staging");
    std::fs::remove_file(root.join("content/broken.md")).unwrap();
    let before = tree(dir.path());
    rasci()
        .args(["check", "--site", "--root"])
        .arg(&root)
        .assert()
        .code(0);
    assert_eq!(tree(dir.path()), before);
}

#[test]
fn serve_writes_nothing_to_disk() {
    let dir = tempfile::tempdir().unwrap();
    let root = project(dir.path());
    let before = tree(dir.path());
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_rasci"))
        .current_dir(&root)
        .args(["serve", "--port", "0", "--root"])
        .arg(&root)
        .env("NO_COLOR", "1")
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    assert!(line.contains("http://127.0.0.1:"), "{line}");
    let port: u16 = line
        .split_whitespace()
        .find_map(|w| w.strip_prefix("http://127.0.0.1:"))
        .unwrap()
        .trim_end_matches('/')
        .parse()
        .unwrap();
    // Fetch a page, then edit a page so that it rebuilds, then stop it.
    let fetch = || {
        use std::io::{Read, Write};
        let mut stream = std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();
        stream
            .write_all(
                format!("GET / HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n")
                    .as_bytes(),
            )
            .unwrap();
        let mut text = String::new();
        stream.read_to_string(&mut text).unwrap();
        text
    };
    assert!(fetch().starts_with("HTTP/1.1 200"));
    let page = root.join("content/reading-the-matrix.md");
    let text = std::fs::read_to_string(&page).unwrap();
    std::fs::write(&page, format!("{text}\nOne more line.\n")).unwrap();
    std::thread::sleep(Duration::from_millis(1500));
    assert!(fetch().starts_with("HTTP/1.1 200"));
    child.kill().unwrap();
    let _ = child.wait();
    let mut after = tree(dir.path());
    let edited = page.strip_prefix(dir.path()).unwrap().display().to_string();
    after.insert(edited.clone(), before[&edited].clone());
    assert_eq!(after, before, "only the edit itself changed the folder");
}
