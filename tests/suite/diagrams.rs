//! Flow and systems diagrams: snapshots of the example project's drawings, and checks on
//! the geometry, the markup and reproducibility, on the example and on generated projects.

use crate::support::{self, BuiltProject};
use rasci::diagrams::{self, Diagram, Layout, Rect};
use rasci::model::Project;
use std::fmt::Write;
use std::path::Path;

fn example() -> Project {
    let (project, _) = rasci::pipeline::check_project(Path::new(env!("CARGO_MANIFEST_DIR")))
        .expect("example loads");
    project
}

/// Loads a project written to a temporary folder from `files` (path, YAML).
fn project_from(files: &[(&str, String)]) -> (BuiltProject, Project) {
    let written = files
        .iter()
        .fold(
            support::Project::empty().file("rasci.yaml", "title: Generated\n"),
            |project, (path, text)| project.file(path, text),
        )
        .build();
    let (project, _) = rasci::pipeline::check_project(&written).expect("generated project loads");
    (written, project)
}

/// One element per line, so that snapshot diffs point at the element that changed.
fn readable(svg: &str) -> String {
    svg.replace("><", ">\n<")
}

/// The layout rules every drawing must keep.
fn check_geometry(what: &str, layout: &Layout, other_obstacles: &[Rect]) {
    let canvas = Rect::new(0.0, 0.0, layout.width, layout.height);
    for (i, a) in layout.boxes.iter().enumerate() {
        assert!(
            canvas.contains_rect(&a.rect),
            "{what}: box {} leaves the canvas",
            a.id
        );
        for b in &layout.boxes[i + 1..] {
            assert!(
                !a.rect.overlaps(&b.rect),
                "{what}: boxes {} and {} overlap",
                a.id,
                b.id
            );
        }
    }
    for (i, label) in layout.labels.iter().enumerate() {
        let text = &label.text;
        assert!(
            canvas.contains_rect(&label.rect),
            "{what}: label {text:?} leaves the canvas"
        );
        for b in &layout.boxes {
            assert!(
                !label.rect.overlaps(&b.rect),
                "{what}: label {text:?} overlaps box {}",
                b.id
            );
        }
        for o in other_obstacles {
            assert!(
                !label.rect.overlaps(o),
                "{what}: label {text:?} overlaps {o:?}"
            );
        }
        for other in &layout.labels[i + 1..] {
            assert!(
                !label.rect.overlaps(&other.rect),
                "{what}: labels {text:?} and {:?} overlap",
                other.text
            );
        }
        assert_eq!(
            layout.edges[label.edge].label,
            Some(i),
            "{what}: label {text:?} and its arrow disagree"
        );
    }
    for edge in &layout.edges {
        let name = format!("{what}: arrow {} -> {}", edge.from, edge.to);
        let from = layout
            .find_box(&edge.from)
            .unwrap_or_else(|| panic!("{name}: no source box"));
        let to = layout
            .find_box(&edge.to)
            .unwrap_or_else(|| panic!("{name}: no target box"));
        assert!(edge.points.len() >= 2, "{name}: fewer than two points");
        let first = edge.points[0];
        let last = *edge.points.last().unwrap();
        assert!(
            from.rect.on_border(first, 0.05),
            "{name}: starts at {first:?}, off {:?}",
            from.rect
        );
        assert!(
            to.rect.on_border(last, 0.05),
            "{name}: ends at {last:?}, off {:?}",
            to.rect
        );
        for segment in edge.points.windows(2) {
            let (a, b) = (segment[0], segment[1]);
            assert!(
                (a.x - b.x).abs() < 0.01 || (a.y - b.y).abs() < 0.01,
                "{name}: segment {a:?}-{b:?} is not horizontal or vertical"
            );
            assert!(
                canvas.contains_rect(&Rect::new(
                    a.x.min(b.x),
                    a.y.min(b.y),
                    (a.x - b.x).abs(),
                    (a.y - b.y).abs()
                )),
                "{name}: segment {a:?}-{b:?} leaves the canvas"
            );
            // Own boxes included: an arrow leaves its source and enters its target through
            // the outline, never running across either.
            for node in &layout.boxes {
                assert!(
                    !node.rect.segment_crosses_interior(a, b),
                    "{name}: segment {a:?}-{b:?} crosses box {}",
                    node.id
                );
            }
        }
        // The arrowhead (10 units) needs a last run at least that long.
        let before = edge.points[edge.points.len() - 2];
        let run = (last.x - before.x).abs() + (last.y - before.y).abs();
        assert!(
            run >= 12.0,
            "{name}: last run of {run} is too short for the arrowhead"
        );
    }
}

/// The markup rules every drawing must keep: well-formed XML, accessible name wired up,
/// no colour written outside the stylesheet.
fn check_markup(what: &str, diagram: &Diagram) {
    let file = diagrams::standalone(&diagram.svg);
    assert!(file.starts_with(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\""
    ));
    let doc = roxmltree::Document::parse(&file)
        .unwrap_or_else(|e| panic!("{what}: standalone SVG is not XML: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(
        root.tag_name().namespace(),
        Some("http://www.w3.org/2000/svg")
    );
    assert_eq!(root.attribute("role"), Some("img"));
    assert_eq!(root.attribute("id"), Some(diagram.id.as_str()));
    let view_box = root.attribute("viewBox").expect("viewBox");
    let size: Vec<&str> = view_box.split(' ').collect();
    assert_eq!(size[2], root.attribute("width").unwrap());
    assert_eq!(size[3], root.attribute("height").unwrap());
    let labelled_by = root.attribute("aria-labelledby").expect("aria-labelledby");
    let ids: Vec<&str> = labelled_by.split(' ').collect();
    assert_eq!(
        ids,
        [
            format!("{}-title", diagram.id),
            format!("{}-desc", diagram.id)
        ]
    );
    let title = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(ids[0]))
        .expect("title element");
    assert_eq!(title.tag_name().name(), "title");
    assert_eq!(title.text(), Some(diagram.title.as_str()));
    let desc = doc
        .descendants()
        .find(|n| n.attribute("id") == Some(ids[1]))
        .expect("desc element");
    assert_eq!(desc.tag_name().name(), "desc");
    assert!(!desc.text().unwrap_or_default().is_empty());
    for node in doc.descendants().filter(|n| n.is_element()) {
        if let Some(id) = node.attribute("id") {
            assert!(
                id.starts_with(&diagram.id),
                "{what}: id {id} does not start with {}",
                diagram.id
            );
        }
        for attribute in ["fill", "stroke", "style", "color"] {
            assert!(
                node.attribute(attribute).is_none(),
                "{what}: {attribute} written on <{}>",
                node.tag_name().name()
            );
        }
    }
    // The inline form is well-formed too, and so is the text version (XHTML-compatible).
    roxmltree::Document::parse(&diagram.svg)
        .unwrap_or_else(|e| panic!("{what}: inline SVG is not XML: {e}"));
    roxmltree::Document::parse(&format!("<div>{}</div>", diagram.text_html))
        .unwrap_or_else(|e| panic!("{what}: text version is not well-formed: {e}"));
    // Every colour in the stylesheet is a custom property with a fallback.
    let start = diagram.svg.find("<style>").expect("stylesheet");
    let end = diagram.svg.find("</style>").expect("stylesheet end");
    let css = &diagram.svg[start..end];
    for (i, _) in css.match_indices('#') {
        let before = &css[..i];
        let open = before.rfind("var(").expect("colour outside var()");
        assert!(
            !before[open..].contains(')'),
            "{what}: colour at {i} is not a var() fallback"
        );
    }
}

#[test]
fn example_flow_snapshot() {
    let project = example();
    let flow = &project.flows[0];
    let diagram = diagrams::flow_svg(&project, flow);
    insta::assert_snapshot!("flow_support_svg", readable(&diagram.svg));
    insta::assert_snapshot!("flow_support_html", readable(&diagram.text_html));
}

#[test]
fn example_systems_snapshots() {
    let project = example();
    for scope in &project.scopes {
        let diagram = diagrams::systems_svg(&project, scope);
        insta::assert_snapshot!(
            format!("systems_{}_svg", scope.id.value),
            readable(&diagram.svg)
        );
        insta::assert_snapshot!(
            format!("systems_{}_html", scope.id.value),
            readable(&diagram.text_html)
        );
    }
}

#[test]
fn example_flow_geometry_and_markup() {
    let project = example();
    for flow in &project.flows {
        let layout = diagrams::flow_layout(&project, flow);
        check_geometry(&flow.id.value, &layout.layout, &[]);
        assert_eq!(layout.layout.boxes.len(), flow.steps.len());
        assert_eq!(layout.lanes.len(), flow.lanes.len());
        let diagram = diagrams::render_flow(flow, &layout);
        check_markup(&flow.id.value, &diagram);
    }
}

#[test]
fn example_flow_reads_in_order() {
    let project = example();
    let flow = &project.flows[0];
    let layout = diagrams::flow_layout(&project, flow);
    assert_eq!(layout.order.first().map(String::as_str), Some("report"));
    assert_eq!(layout.order.last().map(String::as_str), Some("closed"));
    // Lanes keep the flow's order, headed by the lane name.
    let names: Vec<&str> = layout.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        ["End-users", "Customer L1 staff", "Anywhere365 L2/L3"]
    );
    // The decision's two branches are labelled and leave from different sides.
    let branches: Vec<_> = layout
        .layout
        .edges
        .iter()
        .filter(|e| e.from == "validate")
        .collect();
    assert_eq!(branches.len(), 2);
    assert!(branches.iter().all(|e| e.label.is_some()));
    assert_ne!(branches[0].points[0], branches[1].points[0]);
    // Without loops, every arrow points to a later column, or straight up or down to the
    // next lane.
    for edge in &layout.layout.edges {
        assert!(
            points_on(flow, &layout, &edge.from, &edge.to),
            "{} -> {} points back",
            edge.from,
            edge.to
        );
    }
    let diagram = diagrams::render_flow(flow, &layout);
    assert!(diagram.text_html.starts_with("<ol"));
    assert!(
        diagram
            .text_html
            .contains("Customer L1 staff</span>: Is the problem highly likely")
    );
    assert!(
        diagram
            .text_html
            .contains("<li>Yes: go to <a href=\"#rasci-flow-support-step-log-case\">")
    );
}

/// Whether the arrow `from` -> `to` goes on through the flow: to a later column, or
/// within its column straight to the next lane.
fn points_on(
    flow: &rasci::model::Flow,
    layout: &diagrams::FlowLayout,
    from: &str,
    to: &str,
) -> bool {
    let index = |id: &str| flow.steps.iter().position(|s| s.id.value == id).unwrap();
    let (from_ix, to_ix) = (index(from), index(to));
    let (from, to) = (layout.cells[from_ix], layout.cells[to_ix]);
    // A conditional step is a side branch below the step before it, in its cell.
    let side_branch =
        from == to && !layout.when[to_ix].is_empty() && layout.stack[to_ix] > layout.stack[from_ix];
    to.0 > from.0 || (to.0 == from.0 && to.1.abs_diff(from.1) == 1) || side_branch
}

/// The position of step `id` in the flow's step list.
fn step_index(flow: &rasci::model::Flow, id: &str) -> usize {
    flow.steps
        .iter()
        .position(|s| s.id.value == id)
        .unwrap_or_else(|| panic!("no step {id}"))
}

#[test]
fn example_flow_is_layered_into_three_columns() {
    let project = example();
    let flow = &project.flows[0];
    let layout = diagrams::flow_layout(&project, flow);
    let cell = |id: &str| layout.cells[step_index(flow, id)];
    let stack = |id: &str| layout.stack[step_index(flow, id)];
    // The decision's two branch targets, both for the L1 staff, share a column: stacked,
    // the "No" branch on top.
    assert_eq!(cell("internal"), cell("log-case"));
    assert_eq!((stack("internal"), stack("log-case")), (0, 1));
    // A hand-over to the next lane is a straight arrow down (or up) in the same column.
    assert_eq!(cell("report").0, cell("validate").0);
    assert_eq!(cell("log-case").0, cell("handle").0);
    assert_eq!(cell("inform").0, cell("closed").0);
    // The call to the 24x7 line, for Premium Plus customers only, is a side branch:
    // stacked below the logging of the case, not a column of its own.
    assert_eq!(cell("call-24x7"), cell("log-case"));
    assert_eq!(stack("call-24x7"), 2);
    assert_eq!(
        layout.when[step_index(flow, "call-24x7")],
        ["Premium Plus support purchased"]
    );
    assert_eq!(layout.columns, 3);
    let columns: Vec<usize> = flow.steps.iter().map(|s| cell(&s.id.value).0).collect();
    assert_eq!(columns, [0, 0, 1, 1, 1, 1, 2, 2]);
    for (from, to) in [("log-case", "call-24x7"), ("call-24x7", "handle")] {
        let hand_over = layout
            .layout
            .edges
            .iter()
            .find(|e| e.from == from && e.to == to)
            .unwrap();
        assert_eq!(hand_over.points.len(), 2, "{:?}", hand_over.points);
        assert_eq!(hand_over.points[0].x, hand_over.points[1].x);
    }
    // Reading order follows the arrows within a column.
    assert_eq!(
        layout.order,
        [
            "report",
            "validate",
            "internal",
            "log-case",
            "call-24x7",
            "handle",
            "inform",
            "closed"
        ]
    );
    // The conditional step is drawn dashed and opens with its condition, in the drawing
    // and in its text equivalent.
    let diagram = diagrams::render_flow(flow, &layout);
    assert!(diagram.svg.contains(
        "<style>.rasci-diagram .rasci-conditional{stroke-dasharray:6 4;stroke-width:2}</style>"
    ));
    let call = diagram.svg.split("data-step=\"call-24x7\"").nth(1).unwrap();
    assert!(call.starts_with("><rect class=\"rasci-node rasci-step rasci-conditional\""));
    assert_eq!(
        layout.layout.boxes[step_index(flow, "call-24x7")].lines[0],
        "Only if: Premium"
    );
    assert!(diagram.text_html.contains(
        "For P1, also call the 24x7 support number <span class=\"rasci-flow-kind\">(only if: Premium Plus support purchased)</span>"
    ));
}

#[test]
fn a_conditional_step_is_a_side_branch_and_the_same_step_taken_always_a_column() {
    let flow = |when: &str| {
        format!(
            "flows:
  - id: f
    title: F
    lanes:
      - {{ id: desk, party: desk }}
      - {{ id: ops, party: ops }}
    steps:
      - {{ id: start, lane: desk, kind: start, text: Start, next: [log] }}
      - {{ id: log, lane: desk, text: Log it, next: [call, fix] }}
      - {{ id: call, lane: desk, text: Call too, {when}next: [fix] }}
      - {{ id: fix, lane: ops, text: Fix it, next: [done] }}
      - {{ id: done, lane: desk, kind: end, text: Done }}
"
        )
    };
    let files = |when: &str| {
        vec![
            ("data/parties.yaml", PARTIES.to_string()),
            ("data/scopes.yaml", SCOPES.to_string()),
            ("data/tasks.yaml", TASKS.to_string()),
            (
                "data/conditions.yaml",
                "conditions:\n  - { id: paid, name: Paid }\n".to_string(),
            ),
            ("data/flows.yaml", flow(when)),
        ]
    };
    let (_dir, project) = project_from(&files("when: [paid], "));
    let layout = diagrams::flow_layout(&project, &project.flows[0]);
    let cell = |id: &str| layout.cells[step_index(&project.flows[0], id)];
    assert_eq!(cell("call"), cell("log"));
    assert_eq!(layout.columns, 3, "{:?}", layout.cells);
    let svg = diagrams::flow_svg(&project, &project.flows[0]).svg;
    assert!(svg.contains("rasci-step rasci-conditional"));

    // Taken always, the call is a step of its own, a column further right, and nothing
    // is dashed.
    let (_dir, project) = project_from(&files(""));
    let layout = diagrams::flow_layout(&project, &project.flows[0]);
    let cell = |id: &str| layout.cells[step_index(&project.flows[0], id)];
    assert_eq!(cell("call").0, cell("log").0 + 1);
    assert_eq!(layout.columns, 4, "{:?}", layout.cells);
    let svg = diagrams::flow_svg(&project, &project.flows[0]).svg;
    assert!(!svg.contains("rasci-conditional"));
}

/// The content column of a deployment page at the default desktop width (a 1280 px
/// window), inside the figure's border and padding, in CSS pixels.
const CONTENT_COLUMN: f64 = 654.0;
/// The smallest size text of a step may be shown at, and the size it is drawn at: the
/// site's stylesheet lets a drawing shrink to this ratio of its natural width, no further.
const MIN_TEXT: f64 = 12.0;
const STEP_TEXT: f64 = 13.0;

#[test]
fn example_flow_fits_the_content_column() {
    let project = example();
    let diagram = diagrams::flow_svg(&project, &project.flows[0]);
    let smallest = diagram.width * MIN_TEXT / STEP_TEXT;
    assert!(
        smallest <= CONTENT_COLUMN,
        "the flow is {} wide, {smallest} at its smallest: more than the column",
        diagram.width
    );
    assert!(diagram.svg.contains(".rasci-diagram text{"));
    assert!(diagram.svg.contains("font-size:13px"));
    // Every line of text fits its box, with the same estimate the layout uses.
    let layout = diagrams::flow_layout(&project, &project.flows[0]);
    for node in &layout.layout.boxes {
        for line in &node.lines {
            let width = diagrams::text::width(line, STEP_TEXT);
            assert!(
                width <= node.rect.w - 20.0,
                "{}: {line:?} ({width}) does not fit {}",
                node.id,
                node.rect.w
            );
        }
        let text_height = node.lines.len() as f64 * 17.0;
        assert!(
            text_height <= node.rect.h,
            "{}: text taller than its box",
            node.id
        );
        // Words are kept whole: the wrapped lines put back together are the text.
        assert_eq!(node.lines.join(" "), node.text, "{}", node.id);
    }
}

#[test]
fn parallel_steps_share_a_column_and_a_path_never_stacks() {
    let flow = r#"flows:
  - id: fork
    title: Fork
    lanes:
      - { id: desk, party: desk }
      - { id: ops, party: ops }
    steps:
      - { id: start, lane: desk, kind: start, text: Start, next: [a, b, c] }
      - { id: a, lane: ops, text: First in parallel, next: [join] }
      - { id: b, lane: ops, text: Second in parallel, next: [join] }
      - { id: c, lane: ops, text: Third in parallel, next: [d] }
      - { id: d, lane: ops, text: After the third, next: [join] }
      - { id: join, lane: desk, kind: end, text: Joined }
"#;
    let (_dir, project) = project_from(&[
        ("data/parties.yaml", PARTIES.to_string()),
        ("data/scopes.yaml", SCOPES.to_string()),
        ("data/tasks.yaml", TASKS.to_string()),
        ("data/flows.yaml", flow.to_string()),
    ]);
    let flow = &project.flows[0];
    let layout = diagrams::flow_layout(&project, flow);
    check_geometry("fork", &layout.layout, &[]);
    let cell = |id: &str| layout.cells[step_index(flow, id)];
    let stack = |id: &str| layout.stack[step_index(flow, id)];
    // The three parallel steps stack in one cell, in the order the flow names them.
    assert_eq!(cell("a"), cell("b"));
    assert_eq!(cell("a"), cell("c"));
    assert_eq!([stack("a"), stack("b"), stack("c")], [0, 1, 2]);
    // `d` follows `c` in the same lane: the next column, never the same cell.
    assert_eq!(cell("d").0, cell("c").0 + 1);
    // The end waits for its latest predecessor, `d`, which is in the next lane: the end
    // shares its column.
    assert_eq!(cell("join").0, cell("d").0);
    assert_eq!(layout.columns, 2);
    for edge in &layout.layout.edges {
        assert!(
            points_on(flow, &layout, &edge.from, &edge.to),
            "{} -> {}",
            edge.from,
            edge.to
        );
    }
}

#[test]
fn example_systems_geometry_markup_and_content() {
    let project = example();
    for scope in &project.scopes {
        let layout = diagrams::systems_layout(&project, scope);
        let headings: Vec<Rect> = layout.groups.iter().map(|g| g.heading).collect();
        check_geometry(&scope.id.value, &layout.layout, &headings);
        for group in &layout.groups {
            for member in &group.members {
                let b = layout.layout.find_box(member).unwrap();
                assert!(
                    group.rect.contains_rect(&b.rect),
                    "{member} sits outside its group"
                );
            }
        }
        for (i, a) in layout.groups.iter().enumerate() {
            for b in &layout.groups[i + 1..] {
                assert!(
                    !a.rect.overlaps(&b.rect),
                    "groups {} and {} overlap",
                    a.party,
                    b.party
                );
            }
        }
        check_markup(&scope.id.value, &diagrams::render_systems(scope, &layout));
    }

    let cloud = diagrams::systems_layout(&project, project.scope("cloud").unwrap());
    let members: Vec<(&str, Vec<&str>)> = cloud
        .groups
        .iter()
        .map(|g| {
            (
                g.party.as_str(),
                g.members.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        members,
        [
            ("anywhere365", vec!["backend"]),
            ("customer", vec!["tenant", "sbc"])
        ]
    );
    assert_eq!(cloud.layout.edges.len(), 2);
    let legend: Vec<&str> = cloud.legend.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(legend, ["Anywhere365", "Customer"]);

    // The example draws the seeds' systems on every deployment; a system limited to one
    // deployment is drawn there only.
    let onprem = diagrams::systems_layout(&project, project.scope("onprem").unwrap());
    assert_eq!(onprem.groups[1].members, ["tenant", "sbc"]);
    let systems = std::fs::read_to_string(support::repo().join("data/systems.yaml")).unwrap();
    let written = support::Project::example()
        .file(
            "data/systems.yaml",
            systems
                + "  - id: infrastructure\n    name: Customer infrastructure\n"
                + "    managed_by: customer\n    scopes: [onprem]\n"
                + "    connects_to:\n      - to: backend\n        label: hosts\n",
        )
        .build();
    let (project, _) = rasci::pipeline::check_project(&written).expect("the example loads");
    let cloud = diagrams::systems_layout(&project, project.scope("cloud").unwrap());
    assert_eq!(cloud.groups[1].members, ["tenant", "sbc"]);
    let onprem = diagrams::systems_layout(&project, project.scope("onprem").unwrap());
    assert_eq!(
        onprem.groups[1].members,
        ["tenant", "sbc", "infrastructure"]
    );
    assert_eq!(onprem.layout.edges.len(), 3);
    let html = diagrams::systems_svg(&project, project.scope("onprem").unwrap()).text_html;
    assert!(html.contains(
        "<li><span class=\"rasci-system-name\">Customer infrastructure</span> — managed by Customer"
    ));
    assert!(html.contains("<li>connects to Anywhere365 back-end (SIP)</li>"));
}

#[test]
fn rendering_is_reproducible() {
    let project = example();
    for flow in &project.flows {
        let a = diagrams::flow_svg(&project, flow);
        let b = diagrams::flow_svg(&project, flow);
        assert_eq!(a, b);
    }
    for scope in &project.scopes {
        assert_eq!(
            diagrams::systems_svg(&project, scope),
            diagrams::systems_svg(&project, scope)
        );
    }
    let (_dir, generated) = larger_project();
    assert_eq!(
        diagrams::flow_svg(&generated, &generated.flows[0]).svg,
        diagrams::flow_svg(&generated, &generated.flows[0]).svg
    );
}

#[test]
fn diagrams_on_one_page_have_distinct_ids() {
    let project = example();
    let cloud = diagrams::systems_svg(&project, &project.scopes[0]);
    let onprem = diagrams::systems_svg(&project, &project.scopes[1]);
    let flow = diagrams::flow_svg(&project, &project.flows[0]);
    assert_ne!(cloud.id, onprem.id);
    assert_ne!(cloud.id, flow.id);
}

const PARTIES: &str = "parties:
  - { id: desk, name: Service desk }
  - { id: ops, name: Operations }
  - { id: vendor, name: Vendor }
  - { id: users, name: Users }
";
const SCOPES: &str = "scopes:
  - { id: main, name: Main, sections: [general] }
  - { id: extra, name: Extra, sections: [general] }
";
const TASKS: &str = "sections:
  - id: general
    tasks:
      - { id: run, title: Run it, rasci: { desk: \"A, R\" } }
";

/// A 12-step flow over 4 lanes with two decisions and a loop back.
const LARGER_FLOW: &str = r#"flows:
  - id: change
    title: Change with review & release
    lanes:
      - { id: users, party: users }
      - { id: desk, party: desk, name: Service desk first line }
      - { id: ops, party: ops }
      - { id: vendor, party: vendor, name: Vendor engineering and release management }
    steps:
      - { id: ask, lane: users, kind: start, text: Ask for a change, next: [register] }
      - { id: register, lane: desk, text: Register the request with all details the user gave, next: [complete] }
      - id: complete
        lane: desk
        kind: decision
        text: Is the request complete enough to be assessed by operations?
        branches:
          - { label: "No, ask again", to: clarify }
          - { label: "Yes", to: assess }
      - { id: clarify, lane: users, text: Provide the missing details, next: [register] }
      - { id: assess, lane: ops, text: Assess impact and risk, next: [plan] }
      - { id: plan, lane: ops, text: Plan the change window, next: [release] }
      - id: release
        lane: vendor
        kind: decision
        text: Does the change need a new release?
        branches:
          - { label: "Yes", to: build }
          - { label: "No", to: apply }
      - { id: build, lane: vendor, text: Build and test a release <with> "quotes", next: [apply] }
      - { id: apply, lane: ops, text: Apply the change, next: [confirm] }
      - { id: confirm, lane: desk, text: Confirm with the user that the change works, next: [verify] }
      - { id: verify, lane: users, text: Verify the result, next: [done] }
      - { id: done, lane: users, kind: end, text: Change closed }
"#;

const LARGER_SYSTEMS: &str = "systems:
  - id: portal
    name: Self-service portal
    managed_by: desk
    connects_to: [{ to: tickets, label: REST }, { to: directory, label: sign-in }]
  - id: tickets
    name: Ticketing system with a very long descriptive name
    managed_by: desk
    connects_to: [{ to: monitoring, label: alerts and events }]
  - id: monitoring
    name: Monitoring
    managed_by: ops
    connects_to: [{ to: app }]
  - id: directory
    name: Directory
    managed_by: ops
    scopes: [extra]
    connects_to: [{ to: app, label: LDAP }]
  - id: app
    name: Application
    managed_by: vendor
    connects_to: [{ to: tickets, label: webhooks }]
  - id: cdn
    name: Content delivery
    managed_by: outsider
    connects_to: [{ to: app }]
";

fn larger_project() -> (BuiltProject, Project) {
    project_from(&[
        ("data/parties.yaml", PARTIES.to_string()),
        ("data/scopes.yaml", SCOPES.to_string()),
        ("data/tasks.yaml", TASKS.to_string()),
        ("data/flows.yaml", LARGER_FLOW.to_string()),
        ("data/systems.yaml", LARGER_SYSTEMS.to_string()),
    ])
}

#[test]
fn larger_flow_and_systems() {
    let (_dir, project) = larger_project();
    let flow = &project.flows[0];
    assert_eq!(flow.steps.len(), 12);
    let layout = diagrams::flow_layout(&project, flow);
    check_geometry("larger flow", &layout.layout, &[]);
    assert_eq!(layout.layout.edges.len(), 13);
    assert_eq!(layout.layout.labels.len(), 4);
    // Arrows point on except the loop back for more details.
    for edge in &layout.layout.edges {
        assert_eq!(
            points_on(flow, &layout, &edge.from, &edge.to),
            edge.from != "clarify",
            "{} -> {}",
            edge.from,
            edge.to
        );
    }
    // The release decision is handed over from the lane above, on its top side; neither
    // of its ways out leaves there, back along that arrow.
    let release = layout.layout.find_box("release").unwrap().rect;
    for edge in layout.layout.edges.iter().filter(|e| e.from == "release") {
        assert!(
            (edge.points[0].y - release.y).abs() > 0.01,
            "release -> {} leaves through the top: {:?}",
            edge.to,
            edge.points
        );
    }
    // The party name stands in for a lane without a name.
    assert_eq!(layout.lanes[2].name, "Operations");
    let diagram = diagrams::render_flow(flow, &layout);
    check_markup("larger flow", &diagram);
    assert!(diagram.svg.contains("Change with review &amp; release"));
    assert!(diagram.svg.contains("&lt;with&gt;"));
    assert!(
        diagram
            .text_html
            .contains("Build and test a release &lt;with&gt; &quot;quotes&quot;")
    );

    for scope in &project.scopes {
        let layout = diagrams::systems_layout(&project, scope);
        let headings: Vec<Rect> = layout.groups.iter().map(|g| g.heading).collect();
        check_geometry(
            &format!("larger systems {}", scope.id.value),
            &layout.layout,
            &headings,
        );
        check_markup(&scope.id.value, &diagrams::render_systems(scope, &layout));
    }
    let main = diagrams::systems_layout(&project, project.scope("main").unwrap());
    assert!(main.layout.find_box("directory").is_none());
    let groups: Vec<&str> = main.groups.iter().map(|g| g.party.as_str()).collect();
    assert_eq!(groups, ["desk", "ops", "vendor", "outsider"]);
}

#[test]
fn empty_flow_and_scope_without_systems() {
    let (_dir, project) = project_from(&[
        ("data/parties.yaml", PARTIES.to_string()),
        ("data/scopes.yaml", SCOPES.to_string()),
        ("data/tasks.yaml", TASKS.to_string()),
        (
            "data/flows.yaml",
            "flows:\n  - { id: empty, title: Empty, lanes: [{ id: desk, party: desk }], steps: [] }\n".to_string(),
        ),
    ]);
    let flow = diagrams::flow_svg(&project, &project.flows[0]);
    check_markup("empty flow", &flow);
    let systems = diagrams::systems_svg(&project, &project.scopes[0]);
    check_markup("no systems", &systems);
}

/// A small deterministic generator (xorshift), so the generated flows are the same on
/// every run and a failure can be reproduced from its seed.
struct Random(u64);

impl Random {
    fn below(&mut self, n: usize) -> usize {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 % n as u64) as usize
    }
}

fn generated_flow(seed: u64) -> String {
    let mut random = Random(seed * 2_654_435_761 + 1);
    let lanes = 2 + random.below(4);
    let steps = 5 + random.below(12);
    let words = [
        "check", "the", "ticket", "and", "escalate", "to", "the", "right", "team", "quickly",
    ];
    let mut yaml = String::from("flows:\n  - id: generated\n    title: Generated\n    lanes:\n");
    let parties = ["desk", "ops", "vendor", "users"];
    for lane in 0..lanes {
        let _ = writeln!(
            yaml,
            "      - {{ id: lane{lane}, party: {} }}",
            parties[lane % 4]
        );
    }
    yaml.push_str("    steps:\n");
    // Every step after the first is reached from an earlier one; some get extra arrows,
    // forward or back.
    let mut next: Vec<Vec<usize>> = vec![Vec::new(); steps];
    for step in 1..steps {
        next[random.below(step)].push(step);
        if random.below(4) == 0 {
            let other = random.below(steps);
            if other != step && !next[step].contains(&other) {
                next[step].push(other);
            }
        }
    }
    for (step, targets) in next.iter().enumerate() {
        let length = 1 + random.below(12);
        let text: Vec<&str> = (0..length)
            .map(|_| words[random.below(words.len())])
            .collect();
        let kind = if step == 0 {
            "start"
        } else if targets.len() >= 2 {
            "decision"
        } else if targets.is_empty() {
            "end"
        } else {
            "step"
        };
        let _ = writeln!(
            yaml,
            "      - id: s{step}\n        lane: lane{}\n        kind: {kind}\n        text: {}",
            random.below(lanes),
            text.join(" ")
        );
        if kind == "decision" {
            yaml.push_str("        branches:\n");
            for (i, target) in targets.iter().enumerate() {
                let label = ["Yes", "No", "Not sure yet"][i % 3];
                let _ = writeln!(yaml, "          - {{ label: \"{label}\", to: s{target} }}");
            }
        } else if !targets.is_empty() {
            let list: Vec<String> = targets.iter().map(|t| format!("s{t}")).collect();
            let _ = writeln!(yaml, "        next: [{}]", list.join(", "));
        }
    }
    yaml
}

#[test]
fn generated_flows_keep_the_layout_rules() {
    for seed in 0..40 {
        let (_dir, project) = project_from(&[
            ("data/parties.yaml", PARTIES.to_string()),
            ("data/scopes.yaml", SCOPES.to_string()),
            ("data/tasks.yaml", TASKS.to_string()),
            ("data/flows.yaml", generated_flow(seed)),
        ]);
        let flow = &project.flows[0];
        let layout = diagrams::flow_layout(&project, flow);
        check_geometry(&format!("seed {seed}"), &layout.layout, &[]);
        let targets: usize = flow
            .steps
            .iter()
            .map(|s| s.next.len() + s.branches.len())
            .sum();
        assert_eq!(
            layout.layout.edges.len(),
            targets,
            "seed {seed}: an arrow is missing"
        );
        check_markup(
            &format!("seed {seed}"),
            &diagrams::render_flow(flow, &layout),
        );
    }
}

#[test]
fn deployment_pages_put_each_drawing_in_a_labelled_scroll_region() {
    let files = support::build_clean(support::repo());
    let html = String::from_utf8(files["cloud/index.html"].clone()).unwrap();
    let doc = scraper::Html::parse_document(&html);
    let regions: Vec<_> = doc
        .select(&support::sel("figure.diagram > .diagram-scroll"))
        .collect();
    assert_eq!(
        regions.len(),
        2,
        "the systems overview and the support flow"
    );
    for region in &regions {
        let attr = |name: &str| region.value().attr(name).unwrap_or_default();
        let svg = region
            .select(&support::sel("svg.rasci-diagram"))
            .next()
            .expect("a drawing in the region");
        let title: String = svg
            .select(&support::sel("title"))
            .next()
            .unwrap()
            .text()
            .collect();
        assert_eq!(attr("role"), "region");
        assert_eq!(attr("tabindex"), "0");
        assert_eq!(attr("aria-label"), format!("Drawing: {title}"));
        // The stylesheet scales the drawing from its natural width, given here.
        let width = svg.value().attr("width").unwrap();
        assert_eq!(attr("style"), format!("--diagram-width: {width}px"));
    }
    // The flow's drawing is in a disclosure before its numbered steps, which a phone's
    // stylesheet puts first; the stylesheet has the rules for it, for the scaling, and for
    // print.
    let view = doc
        .select(&support::sel(".flow-view"))
        .next()
        .expect("flow view");
    let children: Vec<&str> = view
        .children()
        .filter_map(|c| c.value().as_element())
        .map(|e| e.name())
        .collect();
    assert_eq!(children, ["details", "ol"]);
    let details = view
        .select(&support::sel("details.flow-drawing[open]"))
        .next()
        .unwrap();
    let summary: String = details
        .select(&support::sel("summary"))
        .next()
        .unwrap()
        .text()
        .collect();
    assert_eq!(summary, "Drawing of this flow");
    assert!(
        details
            .select(&support::sel("svg.rasci-diagram-flow"))
            .next()
            .is_some()
    );
    // The theme's stylesheets, in the order the pages link them.
    let css: String = [
        "variables",
        "layout",
        "components",
        "matrix",
        "diagrams",
        "print",
    ]
    .iter()
    .map(|name| String::from_utf8(files[&format!("static/css/{name}.css")].clone()).unwrap())
    .collect();
    for rule in [
        "min-width: calc(var(--diagram-width) * 12 / 13)",
        ".flow-view > .flow-steps { order: -1; }",
        ".diagram-download, .flow-drawing > summary { display: none !important; }",
    ] {
        assert!(css.contains(rule), "the stylesheets lack {rule}");
    }
}

#[test]
fn wide_decisions_and_long_lane_names_keep_the_layout_rules() {
    let flow = r#"flows:
  - id: many
    title: Many branches
    lanes:
      - { id: desk, party: desk, name: "Supercalifragilisticexpialidocious-service-desk-of-the-north" }
      - { id: ops, party: ops }
    steps:
      - id: pick
        lane: desk
        kind: decision
        text: Which of the many ways?
        branches:
          - { label: "One", to: a }
          - { label: "Two", to: b }
          - { label: "Three", to: c }
          - { label: "Four", to: d }
          - { label: "Five, the longest label of them all", to: e }
          - { label: "Back", to: pick }
      - { id: a, lane: desk, text: "<b>A</b> & done", next: [end] }
      - { id: b, lane: desk, text: B, next: [end, a] }
      - { id: c, lane: ops, text: C, next: [end] }
      - { id: d, lane: ops, text: D, next: [end] }
      - { id: e, lane: nowhere, text: E, next: [end] }
      - { id: end, lane: desk, kind: end, text: End }
"#;
    let (_dir, project) = project_from(&[
        ("data/parties.yaml", PARTIES.to_string()),
        ("data/scopes.yaml", SCOPES.to_string()),
        ("data/tasks.yaml", TASKS.to_string()),
        ("data/flows.yaml", flow.to_string()),
    ]);
    let flow = &project.flows[0];
    let layout = diagrams::flow_layout(&project, flow);
    check_geometry("many branches", &layout.layout, &[]);
    let diagram = diagrams::render_flow(flow, &layout);
    check_markup("many branches", &diagram);
    let cell = |id: &str| layout.cells[step_index(flow, id)];
    // `b` leads to `a`, so they never stack; `c` and `d` do.
    assert_ne!(cell("a"), cell("b"));
    assert_eq!(cell("c"), cell("d"));
    // The lane is tall enough for its name's longest word, which stays whole.
    let desk = &layout.lanes[0];
    assert_eq!(desk.lines.len(), 1, "{:?}", desk.lines);
    assert!(desk.rect.h >= diagrams::text::width(&desk.name, 13.0 * 1.08));
    // The lane a step names but the flow lacks is drawn too.
    assert_eq!(layout.lanes.len(), 3);
    assert!(diagram.svg.contains("&lt;b&gt;A&lt;/b&gt; &amp; done"));
}
