//! Hostile input: symbolic links and misplaced files in a project (or beside it) never make
//! rasci write outside the folder a command writes into. For every writing command
//! (`import`, `init`, `schema`, `export --out`, `build`) and every kind of link (dangling,
//! leading out, a linked folder, a linked final file, a file where a folder is expected),
//! the command exits 2 with a message naming the link, and nothing is written anywhere:
//! the folder outside stays as it was and the project is unchanged.
//!
//! The repository git reads is the project's own, too: variables of the environment that
//! name another repository (`GIT_DIR`, `GIT_OBJECT_DIRECTORY`, …) are ignored by `diff`
//! and by the history that dates the pages.

#![cfg(unix)]

use crate::support::{self, git, rasci};
use std::collections::BTreeMap;
use std::os::unix::fs::symlink;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// Everything under `dir` (links not followed): path → file bytes, link target, or folder.
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, String> {
    let mut seen = BTreeMap::new();
    for entry in walkdir::WalkDir::new(dir).sort_by_file_name() {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(dir).unwrap().to_path_buf();
        let what = if entry.path_is_symlink() {
            format!(
                "link to {}",
                std::fs::read_link(entry.path()).unwrap().display()
            )
        } else if entry.file_type().is_dir() {
            "folder".to_string()
        } else {
            format!("file {:?}", std::fs::read(entry.path()).unwrap())
        };
        seen.insert(relative, what);
    }
    seen
}

/// A scene: `project/` (where the command writes), `outside/` holding one file of the
/// user's (`victim.txt`), and `matrix.csv` to import.
struct Scene {
    dir: TempDir,
}

impl Scene {
    fn new() -> Scene {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("project")).unwrap();
        std::fs::create_dir(dir.path().join("outside")).unwrap();
        std::fs::write(dir.path().join("outside/victim.txt"), "mine").unwrap();
        std::fs::write(
            dir.path().join("matrix.csv"),
            "Task,Vendor,Customer\nRun it,\"A, R\",I\n",
        )
        .unwrap();
        Scene { dir }
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn link(&self, at: &str, target: &str) {
        let path = self.path(at);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        symlink(self.path(target), path).unwrap();
    }

    fn file(&self, at: &str, text: &str) {
        let path = self.path(at);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }

    /// Runs `rasci args…` in `cwd` (relative to the scene) and asserts that it exits 2
    /// naming `named`, and that nothing under the scene changed.
    fn refused(&self, cwd: &str, args: &[&str], named: &str) {
        let before = snapshot(self.dir.path());
        let output = rasci()
            .current_dir(self.path(cwd))
            .args(args)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(
            output.status.code(),
            Some(2),
            "{args:?}: stdout {} stderr {stderr}",
            String::from_utf8_lossy(&output.stdout)
        );
        assert!(stderr.contains(named), "{args:?} names {named}: {stderr}");
        assert_eq!(
            snapshot(self.dir.path()),
            before,
            "{args:?} wrote something"
        );
        assert_eq!(
            std::fs::read_to_string(self.path("outside/victim.txt")).unwrap(),
            "mine"
        );
    }
}

/// One way a project points a write elsewhere: a symbolic link at `at` (inside the
/// project) to `link_to` (in the scene), or, without `link_to`, a file at `at` where a
/// folder is needed. The message must name `at`.
struct Trap {
    at: String,
    link_to: Option<&'static str>,
}

impl Trap {
    fn set(&self, scene: &Scene) {
        let at = format!("project/{}", self.at);
        match self.link_to {
            Some(target) => scene.link(&at, target),
            None => scene.file(&at, "not a folder"),
        }
    }
}

/// The kinds of trap for a command writing the file `file` into the folder `folder`: the
/// file a dangling link, the file a link to a file outside, the folder a link to a folder
/// outside, the folder a dangling link, the folder a file.
fn traps(file: &str, folder: &str) -> Vec<Trap> {
    let trap = |at: &str, link_to| Trap {
        at: at.to_string(),
        link_to,
    };
    vec![
        trap(file, Some("outside/gone.yaml")),
        trap(file, Some("outside/victim.txt")),
        trap(folder, Some("outside")),
        trap(folder, Some("outside/missing")),
        trap(folder, None),
    ]
}

#[test]
fn import_writes_nothing_through_links_nor_half_a_project() {
    let mut cases = traps("data/parties.yaml", "data");
    cases.extend(
        traps("rasci.yaml", "data")
            .into_iter()
            .take(2)
            .collect::<Vec<_>>(),
    );
    for trap in cases {
        let scene = Scene::new();
        trap.set(&scene);
        scene.refused(
            ".",
            &["import", "matrix.csv", "--root", "project", "--force"],
            &trap.at,
        );
    }
    // Into a project that has data already: its per-scope folders are guarded too.
    for trap in traps("data/tasks/matrix.yaml", "data/tasks") {
        let scene = Scene::new();
        support::copy_dir(&support::fixtures().join("base"), &scene.path("project"));
        trap.set(&scene);
        scene.refused(
            ".",
            &["import", "matrix.csv", "--root", "project"],
            &trap.at,
        );
    }
}

#[test]
fn import_into_the_file_system_root_is_refused() {
    let scene = Scene::new();
    // A table naming no party: should the root ever be accepted, the import still stops
    // before writing, so this test never writes at the root of the machine it runs on.
    scene.file("empty.csv", "Task\nRun it\n");
    let output = rasci()
        .current_dir(scene.path("."))
        .args(["import", "empty.csv", "--root", "/"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("it is the root of the file system"),
        "{stderr}"
    );
}

#[test]
fn init_writes_nothing_through_links() {
    let mut cases = traps("rasci.yaml", "schemas");
    cases.extend(traps("content/_index.md", "content"));
    cases.extend(
        traps("schemas/rasci.schema.json", "data")
            .into_iter()
            .take(2),
    );
    for trap in cases {
        let scene = Scene::new();
        trap.set(&scene);
        scene.refused(".", &["init", "project"], &trap.at);
    }
}

#[test]
fn schema_writes_nothing_through_links() {
    for trap in traps("schemas/parties.schema.json", "schemas") {
        let scene = Scene::new();
        trap.set(&scene);
        scene.refused("project", &["schema"], &trap.at);
    }
}

#[test]
fn export_never_replaces_a_file_through_a_link() {
    for (target, force) in [("outside/victim.txt", true), ("outside/gone.json", false)] {
        let scene = Scene::new();
        support::copy_dir(&support::fixtures().join("base"), &scene.path("project"));
        scene.link("exports/matrix.json", target);
        let mut args = vec![
            "export",
            "--format",
            "json",
            "--out",
            "../exports/matrix.json",
        ];
        if force {
            args.push("--force");
        }
        scene.refused("project", &args, "matrix.json");
    }
}

#[test]
fn build_does_not_create_the_folder_a_dangling_output_link_names() {
    let scene = Scene::new();
    support::copy_dir(&support::fixtures().join("base"), &scene.path("project"));
    scene.link("project/public", "outside/site");
    scene.refused("project", &["build"], "public");
}

#[test]
fn links_that_stay_inside_are_followed() {
    let scene = Scene::new();
    std::fs::create_dir_all(scene.path("project/real-data")).unwrap();
    scene.link("project/data", "project/real-data");
    let output = rasci()
        .current_dir(scene.path("."))
        .args(["import", "matrix.csv", "--root", "project"])
        .output()
        .unwrap();
    support::assert_success(&output);
    assert!(scene.path("project/real-data/tasks.yaml").is_file());
    assert_eq!(
        snapshot(&scene.path("outside")).len(),
        2,
        "outside untouched"
    );
}

#[test]
fn a_link_on_the_way_to_the_folder_written_into_is_refused_too() {
    // The folder a command writes into, not only what it writes there: a checkout's
    // `exports`, `docs` or project folder linked elsewhere (or to nothing) sends nothing
    // there, whether the link lies in the current folder or in the project.
    let cases: [(&str, &str, &[&str], &str); 6] = [
        (
            "project/exports",
            "project",
            &["export", "--format", "json", "--out", "exports/m.json"],
            "exports",
        ),
        (
            "project/exports",
            "project/data",
            &[
                "export",
                "--root",
                "..",
                "--format",
                "json",
                "--out",
                "../exports/m.json",
            ],
            "exports",
        ),
        ("project/new", "project", &["init", "new"], "new"),
        (
            "project/new",
            "project",
            &["import", "../matrix.csv", "--root", "new"],
            "new",
        ),
        (
            "project/docs",
            "project",
            &["schema", "--out", "docs/schemas"],
            "docs",
        ),
        // The project in a folder of the checkout, the site built beside it.
        (
            "project/site",
            "project",
            &["build", "--root", "handbook", "--out", "site/out"],
            "site",
        ),
    ];
    for (at, cwd, args, named) in cases {
        for target in ["outside", "outside/missing"] {
            let scene = Scene::new();
            support::copy_dir(&support::fixtures().join("base"), &scene.path("project"));
            support::copy_dir(
                &support::fixtures().join("base"),
                &scene.path("project/handbook"),
            );
            scene.link(at, target);
            scene.refused(cwd, args, named);
        }
    }
}

#[test]
fn a_file_in_the_way_is_replaced_never_written_into() {
    // A hard link to a file elsewhere where an export is replaced: the file elsewhere
    // keeps its bytes. A named pipe there is refused, named, without stalling the
    // command, and left as it is (as a device would be: never replaced, never written).
    let scene = Scene::new();
    support::copy_dir(&support::fixtures().join("base"), &scene.path("project"));
    std::fs::create_dir(scene.path("project/exports")).unwrap();
    std::fs::hard_link(
        scene.path("outside/victim.txt"),
        scene.path("project/exports/linked.json"),
    )
    .unwrap();
    let pipe = scene.path("project/exports/pipe.json");
    let made = std::process::Command::new("mkfifo")
        .arg(&pipe)
        .status()
        .unwrap();
    assert!(made.success());
    let export = |name: &str| {
        rasci()
            .current_dir(scene.path("project"))
            .args(["export", "--format", "json", "--force", "--out"])
            .arg(format!("exports/{name}"))
            .timeout(std::time::Duration::from_secs(60))
            .output()
            .unwrap()
    };
    let output = export("linked.json");
    support::assert_success(&output);
    let written = std::fs::read_to_string(scene.path("project/exports/linked.json")).unwrap();
    assert!(written.contains("\"parties\""), "{written}");
    assert_eq!(
        std::fs::read_to_string(scene.path("outside/victim.txt")).unwrap(),
        "mine"
    );
    let output = export("pipe.json");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("pipe.json") && stderr.contains("named pipe"),
        "{stderr}"
    );
    use std::os::unix::fs::FileTypeExt;
    assert!(
        std::fs::symlink_metadata(&pipe)
            .unwrap()
            .file_type()
            .is_fifo()
    );
    let names: Vec<String> = std::fs::read_dir(scene.path("project/exports"))
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(
        names.len(),
        2,
        "nothing else is left beside them: {names:?}"
    );
}

/// The base project committed twice (a task retitled in the second commit), and another
/// repository beside it with one commit of a file of its own.
fn two_repositories() -> (crate::support::BuiltProject, PathBuf) {
    let project = support::Project::base()
        .file("content/guide.md", "---\ntitle: Guide\n---\nText.\n")
        .build();
    git(project.root(), &["init", "-q"]);
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-q", "-m", "first"]);
    project.edit("data/tasks.yaml", "title: Run it", "title: Run it well");
    git(project.root(), &["commit", "-q", "-am", "retitle"]);
    let other = project.beside("other");
    std::fs::create_dir(&other).unwrap();
    std::fs::write(other.join("README"), "another repository").unwrap();
    git(&other, &["init", "-q"]);
    git(&other, &["add", "-A"]);
    git(&other, &["commit", "-q", "-m", "other"]);
    (project, other)
}

/// Variables naming the other repository, as a git hook or a hostile CI step sets them.
fn foreign_environment(command: &mut assert_cmd::Command, other: &Path) {
    let git_dir = other.join(".git");
    command
        .env("GIT_DIR", &git_dir)
        .env("GIT_WORK_TREE", other)
        .env("GIT_INDEX_FILE", git_dir.join("index"))
        .env("GIT_OBJECT_DIRECTORY", git_dir.join("objects"))
        .env("GIT_COMMON_DIR", &git_dir)
        .env("GIT_CEILING_DIRECTORIES", "/")
        .env("GIT_CONFIG_COUNT", "1")
        .env("GIT_CONFIG_KEY_0", "core.bare")
        .env("GIT_CONFIG_VALUE_0", "true");
}

#[test]
fn diff_reads_the_projects_own_repository_whatever_the_environment_names() {
    let (project, other) = two_repositories();
    let mut command = project.rasci();
    command.args(["diff", "HEAD~1", "HEAD", "--format", "json"]);
    foreign_environment(&mut command, &other);
    let output = command.output().unwrap();
    support::assert_success(&output);
    let diff: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let text = diff.to_string();
    assert!(text.contains("Run it well"), "{text}");
}

#[test]
fn page_dates_come_from_the_projects_own_repository_whatever_the_environment_names() {
    let (project, other) = two_repositories();
    let out = project.beside("public");
    let mut command = project.rasci();
    command.args(["build", "--out"]).arg(&out);
    foreign_environment(&mut command, &other);
    let output = command.output().unwrap();
    support::assert_success(&output);
    let guide = std::fs::read_to_string(out.join("main/guide/index.html")).unwrap();
    assert!(guide.contains("datetime=\"2024-01-02\""), "{guide}");
}

#[test]
fn every_repository_variable_git_lists_is_cleared() {
    let output = std::process::Command::new("git")
        .args(["rev-parse", "--local-env-vars"])
        .output()
        .unwrap();
    assert!(output.status.success());
    let listed = String::from_utf8(output.stdout).unwrap();
    for variable in listed.lines() {
        assert!(
            rasci::load::history::REPOSITORY_VARIABLES.contains(&variable)
                || variable.starts_with("GIT_CONFIG"),
            "{variable} is not cleared"
        );
    }
}

#[test]
fn diff_reads_no_huge_file_out_of_git() {
    // Zeros pack to almost nothing: a small commit must not make diff fill memory and
    // the temporary folder.
    let project = support::Project::base().build();
    git(project.root(), &["init", "-q"]);
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-q", "-m", "first"]);
    std::fs::create_dir_all(project.root().join("content")).unwrap();
    let huge = vec![b'a'; (64 << 20) + 1];
    std::fs::write(project.root().join("content/huge.md"), huge).unwrap();
    git(project.root(), &["add", "-A"]);
    git(project.root(), &["commit", "-q", "-m", "huge"]);
    let tmp = project.beside("tmp");
    std::fs::create_dir(&tmp).unwrap();
    let output = project
        .rasci()
        .args(["diff", "HEAD~1", "HEAD"])
        .env("TMPDIR", &tmp)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("content/huge.md") && stderr.contains("MiB"),
        "{stderr}"
    );
    assert_eq!(std::fs::read_dir(&tmp).unwrap().count(), 0);
}

#[test]
fn a_folder_swapped_for_a_link_while_files_are_written_sends_nothing_out() {
    // As soon as the first schema appears, the folder is swapped for a link leading out:
    // the schemas still to write must not follow it.
    let scene = Scene::new();
    let (folder, aside) = (scene.path("project/schemas"), scene.path("project/aside"));
    for _ in 0..30 {
        let _ = std::fs::remove_file(&folder);
        let _ = std::fs::remove_dir_all(&folder);
        let _ = std::fs::remove_dir_all(&aside);
        std::fs::create_dir(&folder).unwrap();
        let mut child = std::process::Command::new(assert_cmd::cargo::cargo_bin("rasci"))
            .arg("schema")
            .current_dir(scene.path("project"))
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let started = std::fs::read_dir(&folder).is_ok_and(|mut e| e.next().is_some());
            if started {
                std::fs::rename(&folder, &aside).unwrap();
                // rasci may make the folder again first: then there is no swap this time.
                let _ = symlink(scene.path("outside"), &folder);
                break;
            }
            if child.try_wait().unwrap().is_some() || std::time::Instant::now() > deadline {
                break;
            }
        }
        child.wait().unwrap();
        assert_eq!(
            snapshot(&scene.path("outside")).len(),
            2,
            "a schema was written through the link"
        );
    }
}

/// A file left in an earlier build's output under a name with a line break and a
/// terminal escape is named in the refusal as escapes, so it can neither fake a second
/// line of the message nor command the terminal.
#[test]
fn a_stray_file_is_named_with_its_control_characters_escaped() {
    let project = support::Project::base().build();
    let out = project.root().join("public");
    let first = project.rasci().args(["build"]).output().unwrap();
    support::assert_success(&first);
    std::fs::write(out.join("evil\nerror: \u{1b}[31mred"), "x").unwrap();
    let again = project.rasci().args(["build"]).output().unwrap();
    assert_eq!(again.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&again.stderr);
    assert!(
        stderr.contains("it holds `evil\\nerror: \\u{1b}[31mred`, which rasci did not write"),
        "{stderr}"
    );
    assert!(!stderr.contains('\u{1b}'), "{stderr:?}");
    assert!(!stderr.contains("\nerror: "), "{stderr:?}");
}
