//! Swimlane diagrams of flows.
//!
//! Steps go into a table: one row per lane, one column per position in the flow. Columns
//! follow a breadth-first topological order from the start, so every arrow that is not a
//! loop back points to the right; a step whose cell is taken moves to the next column.

use super::Diagram;
use super::geom::{Edge, Layout, Node, Rect, Shape};
use super::route::{Dir, Grid, label_size, place_edge_labels, tracks};
use super::style::party_class;
use super::svg;
use super::text::{
    FONT, LINE, SMALL_FONT, block_width, escape, id_fragment, num, wrap, write_lines,
};
use crate::model::{Flow, Project, StepKind};
use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt::Write;

/// Empty space above and below the tallest box of a lane; arrows run along it.
const LANE_PAD: f64 = 38.0;
/// Narrowest gap between columns; wider when a branch label needs it.
const MIN_GAP: f64 = 72.0;
/// Distance between parallel arrow tracks along the lane borders.
const TRACK: f64 = 12.0;
const TEXT_WIDTH: f64 = 180.0;
const DECISION_TEXT_WIDTH: f64 = 150.0;
const LABEL_WIDTH: f64 = 110.0;
const HEADER_TEXT_WIDTH: f64 = 130.0;
/// Headings are bold, which the width estimate for regular text undershoots.
const BOLD: f64 = 1.08;

/// A lane as laid out: its band across the diagram and its heading cell on the left.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneBand {
    pub id: String,
    pub name: String,
    /// Position of the lane's party in the project, which picks its colour.
    pub party: Option<usize>,
    pub rect: Rect,
    pub header: Rect,
    pub lines: Vec<String>,
}

/// The geometry of a flow diagram, from which [`render_flow`] draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowLayout {
    pub layout: Layout,
    pub lanes: Vec<LaneBand>,
    /// Step ids in reading order: by column, then by lane.
    pub order: Vec<String>,
    pub columns: usize,
    /// The (column, lane) cell of each step, in the flow's step order.
    pub cells: Vec<(usize, usize)>,
}

struct Link {
    from: usize,
    to: usize,
    label: Option<String>,
}

/// Lays out `flow`: lanes, boxes, routed arrows and branch labels.
pub fn flow_layout(project: &Project, flow: &Flow) -> FlowLayout {
    // Lanes, plus one for each lane id a step names but the flow does not declare, so a
    // flow with a mistake still draws (the checker reports the mistake).
    let mut lanes: Vec<(String, String, Option<usize>)> = flow
        .lanes
        .iter()
        .map(|lane| {
            let party = project
                .parties
                .iter()
                .position(|p| p.id.value == lane.party.value);
            let name = match (&lane.name, party) {
                (Some(name), _) => name.value.clone(),
                (None, Some(p)) => project.parties[p].name.value.clone(),
                (None, None) => lane.party.value.clone(),
            };
            (lane.id.value.clone(), name, party)
        })
        .collect();
    let mut step_lane = Vec::with_capacity(flow.steps.len());
    for step in &flow.steps {
        let lane = match lanes.iter().position(|l| l.0 == step.lane.value) {
            Some(lane) => lane,
            None => {
                lanes.push((step.lane.value.clone(), step.lane.value.clone(), None));
                lanes.len() - 1
            }
        };
        step_lane.push(lane);
    }

    let mut index: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, step) in flow.steps.iter().enumerate() {
        index.entry(step.id.as_str()).or_insert(i);
    }
    let mut links = Vec::new();
    for (i, step) in flow.steps.iter().enumerate() {
        let targets = step.next.iter().map(|n| (n, None)).chain(
            step.branches
                .iter()
                .map(|b| (&b.to, Some(b.label.value.clone()))),
        );
        for (target, label) in targets {
            if let Some(&j) = index.get(target.as_str())
                && j != i
            {
                links.push(Link {
                    from: i,
                    to: j,
                    label,
                });
            }
        }
    }

    let columns_of_steps = assign_columns(flow, &step_lane, &links);
    let columns = columns_of_steps.iter().map(|c| c + 1).max().unwrap_or(0);

    // Box sizes.
    let mut boxes: Vec<Node> = flow
        .steps
        .iter()
        .map(|step| {
            let (shape, lines, w, h) = match step.kind {
                StepKind::Start | StepKind::End => {
                    let lines = wrap(&step.text.value, TEXT_WIDTH - 10.0, FONT);
                    let h = (lines.len() as f64 * LINE + 18.0).max(40.0);
                    let w = block_width(&lines, FONT) + 2.0 * (h / 2.0).min(22.0) + 10.0;
                    (Shape::Pill, lines, w.max(110.0), h)
                }
                StepKind::Decision => {
                    let lines = wrap(&step.text.value, DECISION_TEXT_WIDTH, FONT);
                    let h = lines.len() as f64 * LINE + 22.0;
                    let w = block_width(&lines, FONT) + 2.0 * (h / 2.0).min(22.0) + 20.0;
                    (Shape::Hexagon, lines, w.max(120.0), h.max(48.0))
                }
                StepKind::Step => {
                    let lines = wrap(&step.text.value, TEXT_WIDTH, FONT);
                    let h = (lines.len() as f64 * LINE + 20.0).max(46.0);
                    let w = block_width(&lines, FONT) + 28.0;
                    (Shape::Rounded, lines, w.max(120.0), h)
                }
            };
            Node {
                id: step.id.value.clone(),
                rect: Rect::new(0.0, 0.0, w.round(), h.round()),
                shape,
                text: step.text.value.clone(),
                lines,
            }
        })
        .collect();

    let label_lines: Vec<Option<(String, Vec<String>)>> = links
        .iter()
        .map(|l| {
            l.label
                .as_ref()
                .map(|t| (t.clone(), wrap(t, LABEL_WIDTH, SMALL_FONT)))
        })
        .collect();
    let widest_label = label_lines
        .iter()
        .flatten()
        .map(|l| label_size(&l.1).0)
        .fold(0.0, f64::max);
    let gap = MIN_GAP.max(widest_label + 48.0);

    let mut column_width = vec![0.0f64; columns];
    let mut lane_box_height = vec![44.0f64; lanes.len()];
    for (i, b) in boxes.iter().enumerate() {
        let c = columns_of_steps[i];
        column_width[c] = column_width[c].max(b.rect.w);
        lane_box_height[step_lane[i]] = lane_box_height[step_lane[i]].max(b.rect.h);
    }

    let header_lines: Vec<Vec<String>> = lanes
        .iter()
        .map(|l| wrap(&l.1, HEADER_TEXT_WIDTH, FONT * BOLD))
        .collect();
    let header_width = header_lines
        .iter()
        .map(|l| block_width(l, FONT * BOLD) + 36.0)
        .fold(130.0, f64::max)
        .round();

    let mut column_x = Vec::with_capacity(columns);
    let mut xs = Vec::new();
    let mut x = header_width;
    for w in &column_width {
        xs.extend(tracks(x, gap));
        x += gap;
        column_x.push(x);
        xs.push(x + w / 2.0);
        x += w;
    }
    xs.extend(tracks(x, gap));
    x += gap;
    let width = x;

    let mut lane_bands = Vec::with_capacity(lanes.len());
    let mut ys = Vec::new();
    let mut y = 0.0;
    for (i, lane) in lanes.iter().enumerate() {
        let text_height = header_lines[i].len() as f64 * LINE + 24.0;
        let height = (lane_box_height[i] + 2.0 * LANE_PAD).max(text_height);
        ys.extend([
            y + 11.0,
            y + 11.0 + TRACK,
            y + height / 2.0,
            y + height - 11.0 - TRACK,
            y + height - 11.0,
        ]);
        lane_bands.push(LaneBand {
            id: lane.0.clone(),
            name: lane.1.clone(),
            party: lane.2,
            rect: Rect::new(0.0, y, width, height),
            header: Rect::new(0.0, y, header_width, height),
            lines: header_lines[i].clone(),
        });
        y += height;
    }
    let height = y;

    for (i, b) in boxes.iter_mut().enumerate() {
        let c = columns_of_steps[i];
        let band = &lane_bands[step_lane[i]].rect;
        b.rect.x = column_x[c] + (column_width[c] - b.rect.w) / 2.0;
        b.rect.y = band.y + (band.h - b.rect.h) / 2.0;
    }

    // Arrows. A step with several ways out sends each through a different side, so that
    // the arrows and their labels start apart.
    let mut grid = Grid::new(xs, ys, boxes.iter().map(|b| b.rect).collect());
    let mut first_dirs: Vec<Option<Dir>> = vec![None; links.len()];
    for from in 0..flow.steps.len() {
        let outgoing: Vec<usize> = (0..links.len())
            .filter(|l| links[*l].from == from)
            .collect();
        if outgoing.len() < 2 {
            continue;
        }
        let mut taken = Vec::new();
        for l in outgoing {
            let to = links[l].to;
            let preferred = match step_lane[to].cmp(&step_lane[from]) {
                std::cmp::Ordering::Greater => Dir::Down,
                std::cmp::Ordering::Less => Dir::Up,
                std::cmp::Ordering::Equal if columns_of_steps[to] > columns_of_steps[from] => {
                    Dir::Right
                }
                std::cmp::Ordering::Equal => Dir::Down,
            };
            let choice = std::iter::once(preferred)
                .chain([Dir::Right, Dir::Down, Dir::Up, Dir::Left])
                .find(|d| !taken.contains(d));
            if let Some(d) = choice {
                taken.push(d);
            }
            first_dirs[l] = choice;
        }
    }
    let mut edges = Vec::new();
    let mut edge_labels = Vec::new();
    for (l, link) in links.iter().enumerate() {
        if let Some(points) = grid.route(link.from, link.to, first_dirs[l]) {
            edges.push(Edge {
                from: flow.steps[link.from].id.value.clone(),
                to: flow.steps[link.to].id.value.clone(),
                points,
                label: None,
            });
            edge_labels.push(label_lines[l].clone());
        }
    }

    let obstacles: Vec<Rect> = boxes.iter().map(|b| b.rect).collect();
    let bounds = Rect::new(header_width, 0.0, width - header_width, height);
    let labels = place_edge_labels(&mut edges, &edge_labels, bounds, &obstacles, &[], true);

    let mut order: Vec<usize> = (0..flow.steps.len()).collect();
    order.sort_by_key(|i| (columns_of_steps[*i], step_lane[*i], *i));

    FlowLayout {
        layout: Layout {
            width,
            height,
            boxes,
            labels,
            edges,
        },
        lanes: lane_bands,
        order: order
            .iter()
            .map(|i| flow.steps[*i].id.value.clone())
            .collect(),
        columns,
        cells: columns_of_steps
            .iter()
            .zip(&step_lane)
            .map(|(c, l)| (*c, *l))
            .collect(),
    }
}

/// The column of each step. Loops are cut where a depth-first walk from the start meets
/// a step it is still inside of; the remaining arrows are placed in breadth-first
/// topological order, each step one column right of its latest predecessor, or further
/// when its lane already has a step in that column.
fn assign_columns(flow: &Flow, step_lane: &[usize], links: &[Link]) -> Vec<usize> {
    let n = flow.steps.len();
    let mut outgoing: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (l, link) in links.iter().enumerate() {
        outgoing[link.from].push(l);
    }
    let mut roots: Vec<usize> = (0..n)
        .filter(|i| flow.steps[*i].kind == StepKind::Start)
        .collect();
    roots.extend(0..n);

    // 0 not seen, 1 on the current path, 2 done.
    let mut state = vec![0u8; n];
    let mut backward = vec![false; links.len()];
    for root in roots.iter().copied() {
        if state[root] != 0 {
            continue;
        }
        let mut stack: Vec<(usize, usize)> = vec![(root, 0)];
        state[root] = 1;
        while let Some(top) = stack.last_mut() {
            let node = top.0;
            if let Some(&l) = outgoing[node].get(top.1) {
                top.1 += 1;
                let to = links[l].to;
                match state[to] {
                    0 => {
                        state[to] = 1;
                        stack.push((to, 0));
                    }
                    1 => backward[l] = true,
                    _ => {}
                }
            } else {
                state[node] = 2;
                stack.pop();
            }
        }
    }

    let mut waiting = vec![0usize; n];
    for (l, link) in links.iter().enumerate() {
        if !backward[l] {
            waiting[link.to] += 1;
        }
    }
    let mut queue: VecDeque<usize> = VecDeque::new();
    let mut queued = vec![false; n];
    for root in roots {
        if waiting[root] == 0 && !queued[root] {
            queued[root] = true;
            queue.push_back(root);
        }
    }
    let mut earliest = vec![0usize; n];
    let mut column = vec![0usize; n];
    let mut occupied: BTreeSet<(usize, usize)> = BTreeSet::new();
    while let Some(node) = queue.pop_front() {
        let mut c = earliest[node];
        while occupied.contains(&(c, step_lane[node])) {
            c += 1;
        }
        occupied.insert((c, step_lane[node]));
        column[node] = c;
        for &l in &outgoing[node] {
            if backward[l] {
                continue;
            }
            let to = links[l].to;
            earliest[to] = earliest[to].max(c + 1);
            waiting[to] -= 1;
            if waiting[to] == 0 && !queued[to] {
                queued[to] = true;
                queue.push_back(to);
            }
        }
    }
    column
}

/// Draws `flow` as an accessible SVG swimlane diagram with a text equivalent.
pub fn flow_svg(project: &Project, flow: &Flow) -> Diagram {
    render_flow(flow, &flow_layout(project, flow))
}

/// Draws a flow from its layout.
pub fn render_flow(flow: &Flow, layout: &FlowLayout) -> Diagram {
    let id = format!("rasci-flow-{}", id_fragment(&flow.id.value));
    let title = flow.title.value.clone();
    let lane_names: Vec<&str> = layout.lanes.iter().map(|l| l.name.as_str()).collect();
    let mut desc = String::new();
    if let Some(d) = &flow.description {
        desc.push_str(d.value.trim());
        desc.push(' ');
    }
    let _ = write!(
        desc,
        "Swimlane diagram with {} lane{} ({}) and {} step{}.",
        lane_names.len(),
        if lane_names.len() == 1 { "" } else { "s" },
        lane_names.join(", "),
        flow.steps.len(),
        if flow.steps.len() == 1 { "" } else { "s" }
    );

    let l = &layout.layout;
    let mut out = String::new();
    svg::open(&mut out, &id, "flow", l.width, l.height, &title, &desc);

    out.push_str(r#"<g class="rasci-lanes">"#);
    for (i, lane) in layout.lanes.iter().enumerate() {
        let r = lane.rect;
        let h = lane.header;
        let class = if i % 2 == 0 {
            "rasci-lane"
        } else {
            "rasci-lane-alt"
        };
        let party = lane.party.map(party_class).unwrap_or_default();
        let _ = write!(
            out,
            r#"<g class="{party}" data-lane="{}"><rect class="{class}" x="{}" y="{}" width="{}" height="{}"/><rect class="rasci-lane-head" x="{}" y="{}" width="{}" height="{}"/><rect class="rasci-accent" x="{}" y="{}" width="5" height="{}"/>"#,
            escape(&lane.id),
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h),
            num(h.x),
            num(h.y),
            num(h.w),
            num(h.h),
            num(h.x),
            num(h.y),
            num(h.h),
        );
        let c = h.center();
        write_lines(
            &mut out,
            &lane.lines,
            c.x + 2.5,
            c.y,
            LINE,
            FONT,
            "rasci-lane-name",
        );
        out.push_str("</g>");
        if i > 0 {
            let _ = write!(
                out,
                r#"<line class="rasci-lane-border" x1="0" y1="{y}" x2="{}" y2="{y}"/>"#,
                num(r.w),
                y = num(r.y)
            );
        }
    }
    if let Some(first) = layout.lanes.first() {
        let x = first.header.right();
        let _ = write!(
            out,
            r#"<line class="rasci-lane-border" x1="{x}" y1="0" x2="{x}" y2="{}"/>"#,
            num(l.height),
            x = num(x)
        );
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="rasci-edges">"#);
    for e in &l.edges {
        svg::edge(&mut out, &id, e);
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="rasci-nodes">"#);
    for (b, step) in l.boxes.iter().zip(&flow.steps) {
        let class = match step.kind {
            StepKind::Start | StepKind::End => "rasci-terminal",
            StepKind::Decision => "rasci-decision",
            StepKind::Step => "rasci-step",
        };
        svg::node(&mut out, b, class, "data-step");
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="rasci-labels">"#);
    for label in &l.labels {
        svg::label(&mut out, label);
    }
    out.push_str("</g>");
    let _ = write!(
        out,
        r#"<rect class="rasci-frame" x="0.5" y="0.5" width="{}" height="{}"/>"#,
        num(l.width - 1.0),
        num(l.height - 1.0)
    );
    out.push_str("</svg>");

    Diagram {
        text_html: flow_html(flow, layout, &id),
        svg: out,
        title,
        id,
        width: l.width,
        height: l.height,
    }
}

/// The flow as an ordered list: the same steps, lanes and branches as the drawing, in
/// reading order, with links between steps where the flow does not simply go on to the
/// next item.
fn flow_html(flow: &Flow, layout: &FlowLayout, id: &str) -> String {
    let number: BTreeMap<&str, usize> = layout
        .order
        .iter()
        .enumerate()
        .map(|(i, s)| (s.as_str(), i + 1))
        .collect();
    let lane_name = |lane: &str| {
        layout
            .lanes
            .iter()
            .find(|l| l.id == lane)
            .map_or(lane.to_string(), |l| l.name.clone())
    };
    let step_ref = |target: &str| match number.get(target) {
        Some(n) => format!(
            r##"<a href="#{id}-step-{}">step {n}</a>"##,
            id_fragment(target)
        ),
        None => escape(target),
    };
    let mut html = format!(r#"<ol class="rasci-flow-steps" id="{id}-steps">"#);
    for step_id in &layout.order {
        let Some(step) = flow.steps.iter().find(|s| &s.id.value == step_id) else {
            continue;
        };
        let _ = write!(
            html,
            r#"<li id="{id}-step-{}"><span class="rasci-flow-lane">{}</span>: {}"#,
            id_fragment(step_id),
            escape(&lane_name(&step.lane.value)),
            escape(&step.text.value)
        );
        match step.kind {
            StepKind::Start => html.push_str(r#" <span class="rasci-flow-kind">(start)</span>"#),
            StepKind::End => html.push_str(r#" <span class="rasci-flow-kind">(end)</span>"#),
            StepKind::Decision => {
                html.push_str(r#" <span class="rasci-flow-kind">(decision)</span>"#)
            }
            StepKind::Step => {}
        }
        if !step.next.is_empty() {
            let ends_sentence = step.kind == StepKind::Step
                && step.text.value.trim_end().ends_with(['.', '?', '!']);
            let targets: Vec<String> = step.next.iter().map(|n| step_ref(&n.value)).collect();
            let _ = write!(
                html,
                "{} Next: {}.",
                if ends_sentence { "" } else { "." },
                targets.join(", ")
            );
        }
        if !step.branches.is_empty() {
            html.push_str("<ul>");
            for b in &step.branches {
                let _ = write!(
                    html,
                    "<li>{}: go to {}</li>",
                    escape(&b.label.value),
                    step_ref(&b.to.value)
                );
            }
            html.push_str("</ul>");
        }
        html.push_str("</li>");
    }
    html.push_str("</ol>");
    html
}
