//! A build that reuses the previous one (as `serve` does on every save) gives exactly the
//! site a fresh build gives, whatever changed, and resolves and checks the project once
//! to get there.

use rasci::pipeline::{build, build_reusing, stage_runs};
use std::path::Path;

use crate::support::{copy_example, copy_project, edit};

/// How many pages an edit should cause to be rendered.
enum Rendered {
    Pages(usize),
    All,
}
use Rendered::{All, Pages};

/// Applies each edit in turn; after each, the reusing build must equal a fresh one, in
/// files and in findings, having checked the project once and rendered from that check.
fn assert_reuse_matches_fresh(root: &Path, edits: &[(&str, &str, &str, Rendered)]) {
    let (_, mut memo) = build_reusing(root, None).unwrap();
    let all_pages = memo.rendered_pages();
    for (file, from, to, rendered) in edits {
        edit(&root.join(file), from, to);
        let before = stage_runs();
        let (reused, next) = build_reusing(root, Some(memo)).unwrap();
        let after = stage_runs();
        assert_eq!(
            (after.checks - before.checks, after.renders - before.renders),
            (1, 1),
            "one check and one render after editing {file}"
        );
        match rendered {
            Rendered::Pages(n) => assert_eq!(next.rendered_pages(), *n, "after editing {file}"),
            Rendered::All => assert_eq!(next.rendered_pages(), all_pages, "after editing {file}"),
        }
        let fresh = build(root).unwrap();
        assert_eq!(
            reused.site.files.keys().collect::<Vec<_>>(),
            fresh.site.files.keys().collect::<Vec<_>>(),
            "after editing {file}"
        );
        for (path, bytes) in &fresh.site.files {
            assert!(
                reused.site.files[path] == *bytes,
                "{path} differs after editing {file}"
            );
        }
        assert_eq!(
            reused.findings.diagnostics, fresh.findings.diagnostics,
            "after editing {file}"
        );
        memo = next;
    }
}

#[test]
fn editing_page_text_rerenders_to_the_same_site() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    assert_reuse_matches_fresh(
        &root,
        &[
            // Body text only: the page alone is rendered again.
            (
                "content/submission-guidelines.md",
                "P1",
                "P1 (urgent, as agreed)",
                Pages(2), // the guidelines are a page of each deployment
            ),
            // The home page's text.
            (
                "content/_index.md",
                "RASCI",
                "RASCI (who does what)",
                Pages(1),
            ),
            // A new heading changes the page's anchors: the whole site is rendered.
            (
                "content/reading-the-matrix.md",
                "\n## ",
                "\n## A new section\n\nText with a term: tenant.\n\n## ",
                All,
            ),
            // A broken link is found in the re-rendered page.
            (
                "content/submission-guidelines.md",
                "P1 (urgent, as agreed)",
                "P1 [see](missing-page.md)",
                Pages(2),
            ),
            // Data: the pages built from it (home, deployments, parties, comparison,
            // glossary, 404), and the guide with shortcodes ("Reading the matrix" shows
            // letter badges, once per deployment); not the other guide, which has none.
            (
                "data/tasks.yaml",
                "L2-3 Support Anywhere365",
                "L2/3 Support",
                Pages(11),
            ),
            (
                "data/tasks.yaml",
                r#"anywhere365: "C", customer: "A, R", end-users: "C, I""#,
                r#"anywhere365: "C, S", customer: "A, R", end-users: "I""#,
                Pages(11),
            ),
            (
                "data/summaries.yaml",
                "Training of customers",
                "Customer training",
                Pages(11),
            ),
            // A renamed task changes the deployment pages' anchors; a renamed party and
            // the glossary show on every page: everything again.
            (
                "data/tasks.yaml",
                "id: monitoring",
                "id: monitoring-and-maintenance",
                All,
            ),
            (
                "data/parties.yaml",
                "name: End-users",
                "name: End users",
                All,
            ),
            ("data/glossary.yaml", "term: CRM", "term: CRM system", All),
            // A page's front matter (titles are in every page's navigation): everything.
            (
                "content/reading-the-matrix.md",
                "title: ",
                "title: Guide to ",
                All,
            ),
        ],
    );
}

#[test]
fn a_data_edit_leaves_the_later_pages_of_guides_as_they_were() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    // 250 guides more in both deployments: each deployment's page lists 100 of its guides
    // and two pages of guides list the rest.
    for i in 0..250 {
        std::fs::write(
            root.join(format!("content/guide-{i:03}.md")),
            format!("---\ntitle: Guide {i:03}\ndescription: Step {i}.\n---\n\nText {i}.\n"),
        )
        .unwrap();
    }
    assert_reuse_matches_fresh(
        &root,
        &[
            // The same eleven pages as in the example alone: the pages of guides list
            // titles and descriptions only.
            (
                "data/tasks.yaml",
                "L2-3 Support Anywhere365",
                "L2/3 Support",
                Pages(11),
            ),
            (
                "data/scopes.yaml",
                "description: ",
                "description: Deployed ",
                Pages(11),
            ),
            // A guide's description is front matter: everything again, those pages too.
            (
                "content/guide-120.md",
                "description: Step 120.",
                "description: Step one hundred and twenty.",
                All,
            ),
        ],
    );
}

#[test]
fn a_broken_link_elsewhere_stays_reported_while_another_page_changes() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    edit(
        &root.join("content/reading-the-matrix.md"),
        "\n## ",
        "\nSee [nowhere](nowhere.md).\n\n## ",
    );
    assert_reuse_matches_fresh(
        &root,
        &[(
            "content/submission-guidelines.md",
            "P1",
            "P1 (urgent)",
            Pages(2),
        )],
    );
    let (built, _) = build_reusing(&root, None).unwrap();
    assert!(
        built
            .findings
            .diagnostics
            .iter()
            .any(|d| d.rule == rasci::diagnostic::RuleId::LinkBroken)
    );
}

#[test]
fn pages_with_shortcodes_follow_the_data() {
    let dir = tempfile::tempdir().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/site-basic");
    let root = copy_project(&fixture, dir.path());
    std::fs::write(
        root.join("content/plain.md"),
        "---\ntitle: Plain\n---\n\nNo data view here, only a [guide](guide.md).\n",
    )
    .unwrap();
    assert_reuse_matches_fresh(
        &root,
        &[
            // Home, two deployments, two parties, comparison, glossary, 404, and the
            // three pages with a shortcode (the guide in each deployment, the on-premises
            // notes); not the plain page, which has none, in either deployment.
            (
                "data/tasks.yaml",
                "title: Run the servers",
                "title: Run and patch the servers",
                Pages(11),
            ),
        ],
    );
}

/// The front matter and the links of unchanged pages are taken from the previous load and
/// check; what they say, and where their findings point, stays what a fresh load gives.
#[test]
fn remembered_front_matter_is_what_a_fresh_load_reads() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    let guidelines = root.join("content/submission-guidelines.md");
    // An impossible day: a finding at the value, and the page goes without a date.
    edit(&guidelines, "title: ", "updated: 2026-02-30\ntitle: ");
    let (_, memo) = build_reusing(&root, None).unwrap();
    assert_eq!(memo.remembered_fronts(), 3, "_index, reading, guidelines");
    assert_eq!(memo.remembered_links(), 3);

    let same_as_fresh = |memo| {
        let (reused, next) = build_reusing(&root, Some(memo)).unwrap();
        let fresh = build(&root).unwrap();
        assert_eq!(reused.findings.diagnostics, fresh.findings.diagnostics);
        assert!(
            *reused.site == *fresh.site,
            "the site equals a fresh build's"
        );
        (reused, next)
    };

    // A page read before the remembered ones moves them to other files of the sources:
    // the finding of the remembered page still points into its own file.
    std::fs::write(
        root.join("content/a-first-page.md"),
        "---\ntitle: A first page\n---\n\nRead first.\n",
    )
    .unwrap();
    let (reused, memo) = same_as_fresh(memo);
    let finding = reused
        .findings
        .diagnostics
        .iter()
        .find(|d| d.message.contains("2026-02-30"))
        .expect("the impossible day is reported");
    let span = finding.primary.as_ref().unwrap().span;
    assert_eq!(
        reused.project.sources.path(span.file),
        "content/submission-guidelines.md"
    );
    assert_eq!(memo.remembered_fronts(), 4);
    assert_eq!(memo.remembered_links(), 4);

    // Broken front matter is not remembered, and is reported as on a first load; fixed,
    // it is read again.
    edit(&guidelines, "updated: 2026-02-30\n", "updated: [\n");
    let (broken, memo) = same_as_fresh(memo);
    assert!(broken.findings.errors() > 0);
    assert_eq!(memo.remembered_fronts(), 3);
    edit(&guidelines, "updated: [\n", "updated: 2026-02-28\n");
    let (fixed, memo) = same_as_fresh(memo);
    assert_eq!(fixed.findings.errors(), 0);
    assert!(
        fixed.site.files["cloud/submission-guidelines/index.html"]
            .windows(10)
            .any(|w| w == b"2026-02-28"),
        "the new day is shown"
    );
    assert_eq!(memo.remembered_fronts(), 4);
}

/// A page's passages are taken from the last build only when they had no errors: one
/// left open is reported again by every rebuild, as a fresh build reports it.
#[test]
fn a_passage_left_open_is_reported_by_every_rebuild() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    std::fs::write(
        root.join("content/open-passage.md"),
        "---\ntitle: Open passage\n---\n\n{{ passage(models=\"partner\") }}\n\nFor partners.\n",
    )
    .unwrap();
    let open = |findings: &rasci::diagnostic::Findings| {
        findings
            .diagnostics
            .iter()
            .filter(|d| d.message == "a passage is not closed")
            .count()
    };
    let (first, mut memo) = build_reusing(&root, None).unwrap();
    assert_eq!(open(&first.findings), 1);
    for run in 0..2 {
        edit(
            &root.join("content/submission-guidelines.md"),
            "P1",
            &format!("P1 ({run})"),
        );
        let (again, next) = build_reusing(&root, Some(memo)).unwrap();
        assert_eq!(open(&again.findings), 1, "after edit {run}");
        assert_eq!(
            again.findings.diagnostics,
            build(&root).unwrap().findings.diagnostics
        );
        memo = next;
    }
}

/// A preview's rebuild leaves the search index to after the reload: the rebuilt site
/// still holds the previous index, and the index made after it is a fresh build's, byte
/// for byte, shards that are no longer made included.
#[test]
fn a_preview_makes_the_search_index_after_the_reload() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    let (first, mut memo) = build_reusing(&root, None).unwrap();
    memo.search_later();
    // A whole site's render makes its index at once.
    assert!(!memo.search_pending());
    let mut index = first.site.files["search-index.js"].clone();
    for (file, from, to, whole) in [
        (
            "content/submission-guidelines.md",
            "P1",
            "P1 (urgent, with the words zebra and quokka)",
            false,
        ),
        (
            "data/tasks.yaml",
            "L2-3 Support Anywhere365",
            "L2/3 Support",
            false,
        ),
        // A new heading renders the whole site: its index is made at once.
        (
            "content/reading-the-matrix.md",
            "\n## ",
            "\n## A new section on quokkas\n\nText.\n\n## ",
            true,
        ),
    ] {
        edit(&root.join(file), from, to);
        let (rebuilt, mut next) = build_reusing(&root, Some(memo)).unwrap();
        let fresh = build(&root).unwrap();
        if whole {
            assert!(!next.search_pending(), "after editing {file}");
            assert!(next.finish_search().is_none());
            assert_eq!(rebuilt.site.files, fresh.site.files, "after editing {file}");
        } else {
            assert!(next.search_pending(), "after editing {file}");
            assert_eq!(rebuilt.site.files["search-index.js"], index, "{file}");
            assert_ne!(rebuilt.site.files, fresh.site.files, "after editing {file}");
            let finished = next.finish_search().expect("an index to make");
            assert_eq!(finished.files, fresh.site.files, "after editing {file}");
            assert!(!next.search_pending());
            // The served site is untouched: the index comes as a new site.
            assert_eq!(rebuilt.site.files["search-index.js"], index);
        }
        index = fresh.site.files["search-index.js"].clone();
        memo = next;
    }
}

/// A rebuild takes the pages unchanged on disk from the memo: the memo holds every page
/// the last load read.
#[test]
fn a_rebuild_remembers_every_page_it_read() {
    let dir = tempfile::tempdir().unwrap();
    let root = copy_example(dir.path());
    let (_, memo) = build_reusing(&root, None).unwrap();
    let pages = std::fs::read_dir(root.join("content"))
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|x| x == "md")
        })
        .count();
    assert_eq!(memo.remembered_texts(), pages);
    let (_, memo) = build_reusing(&root, Some(memo)).unwrap();
    assert_eq!(memo.remembered_texts(), pages);
}
