//! Hostile input: symbolic links and misplaced files in a project (or beside it) never make
//! rasci write outside the folder a command writes into. For every writing command
//! (`import`, `init`, `schema`, `export --out`, `build`) and every kind of link (dangling,
//! leading out, a linked folder, a linked final file, a file where a folder is expected),
//! the command exits 2 with a message naming the link, and nothing is written anywhere:
//! the folder outside stays as it was and the project is unchanged.

#![cfg(unix)]

use crate::support::{self, rasci};
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

/// The ways a project can point a write elsewhere: (what to set up, the name the message
/// must give). `file` is a file the command writes, `folder` a folder it writes into.
fn traps(file: &str, folder: &str) -> Vec<(Box<dyn Fn(&Scene)>, String)> {
    let (f1, f2, d1, d2, d3) = (
        file.to_string(),
        file.to_string(),
        folder.to_string(),
        folder.to_string(),
        folder.to_string(),
    );
    vec![
        (
            Box::new(move |s: &Scene| s.link(&format!("project/{f1}"), "outside/gone.yaml")),
            file.to_string(),
        ),
        (
            Box::new(move |s: &Scene| s.link(&format!("project/{f2}"), "outside/victim.txt")),
            file.to_string(),
        ),
        (
            Box::new(move |s: &Scene| s.link(&format!("project/{d1}"), "outside")),
            folder.to_string(),
        ),
        (
            Box::new(move |s: &Scene| s.link(&format!("project/{d2}"), "outside/missing")),
            folder.to_string(),
        ),
        (
            Box::new(move |s: &Scene| s.file(&format!("project/{d3}"), "not a folder")),
            folder.to_string(),
        ),
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
    for (setup, named) in cases {
        let scene = Scene::new();
        setup(&scene);
        scene.refused(
            ".",
            &["import", "matrix.csv", "--root", "project", "--force"],
            &named,
        );
    }
    // Into a project that has data already: its per-scope folders are guarded too.
    for (setup, named) in traps("data/tasks/matrix.yaml", "data/tasks") {
        let scene = Scene::new();
        support::copy_dir(&support::fixtures().join("base"), &scene.path("project"));
        setup(&scene);
        scene.refused(".", &["import", "matrix.csv", "--root", "project"], &named);
    }
}

#[test]
fn import_into_the_file_system_root_is_refused() {
    let scene = Scene::new();
    let output = rasci()
        .current_dir(scene.path("."))
        .args(["import", "matrix.csv", "--root", "/"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("it is the root of the file system"),
        "{stderr}"
    );
    assert!(!Path::new("/data/tasks.yaml").exists());
}

#[test]
fn init_writes_nothing_through_links() {
    let mut cases = traps("rasci.yaml", "schemas");
    cases.extend(
        traps("schemas/rasci.schema.json", "data")
            .into_iter()
            .take(2),
    );
    for (setup, named) in cases {
        let scene = Scene::new();
        setup(&scene);
        scene.refused(".", &["init", "project"], &named);
    }
}

#[test]
fn schema_writes_nothing_through_links() {
    for (setup, named) in traps("schemas/parties.schema.json", "schemas") {
        let scene = Scene::new();
        setup(&scene);
        scene.refused("project", &["schema"], &named);
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
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(scene.path("project/real-data/tasks.yaml").is_file());
    assert_eq!(
        snapshot(&scene.path("outside")).len(),
        2,
        "outside untouched"
    );
}
