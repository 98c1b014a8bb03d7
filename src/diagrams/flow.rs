//! Swimlane diagrams of flows.
//!
//! Steps go into a table: one row per lane, one column per layer of the flow. The layers
//! are as few as the arrows allow, so that a flow fits a page column: a step goes one
//! column right of its predecessor, but into the same column when the predecessor is in
//! the next lane (the arrow runs straight up or down between the lanes). Steps that share
//! a predecessor but do not follow one another, such as the branch targets of one
//! decision, share a cell: they are stacked inside their lane. Every arrow that is not a loop back points
//! right, up or down, never left. Lane names sit in a narrow heading column, turned a
//! quarter, so that the width goes to the steps.
//!
//! A step taken only under conditions (`when:`) that follows a single step of its own
//! lane is a side branch of that step: it is stacked below it in the same cell, rather
//! than a column further right, and what follows it is placed as if it followed that
//! step. So an optional step ("for P1, also call the 24x7 line") makes a flow taller,
//! never wider. It is drawn dashed, its box opening with the conditions' names.

use super::geom::Diagram;
use super::geom::{Edge, Layout, Node, Point, Rect, Shape};
use super::route::{Dir, Grid, label_size, place_edge_labels};
use super::style::party_class;
use super::svg;
use super::text::{
    self, FONT, LINE, SMALL_FONT, block_width, escape, id_fragment, num, wrap, write_lines,
};
use crate::model::{Flow, Project, StepKind};
use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write;

/// Empty space above and below the boxes of a lane; arrows run along it.
const LANE_PAD: f64 = 34.0;
/// Space between boxes stacked in one cell of a lane; an arrow track runs in its middle.
const STACK_GAP: f64 = 26.0;
/// Narrowest gap between columns; wider when a branch label needs it.
const MIN_GAP: f64 = 2.0 * (TRACK_CLEARANCE + GAP_TRACK);
/// Space left of the first column and right of the last, for arrows that go around.
const EDGE_GAP: f64 = 32.0;
/// Distance of the outer arrow track from a lane border, and between the two tracks.
const TRACK: f64 = 10.0;
const TEXT_WIDTH: f64 = 130.0;
const DECISION_TEXT_WIDTH: f64 = 112.0;
const LABEL_WIDTH: f64 = 110.0;
/// Space around the turned lane names in their heading column.
const HEADER_PAD: f64 = 8.0;
/// Width of the party colour bar at the left of each lane.
const ACCENT: f64 = 5.0;
/// Height of a lane with no steps, and of the first box row of every lane at least.
const MIN_ROW: f64 = 44.0;
/// Headings are bold, which the width estimate for regular text undershoots.
const BOLD: f64 = 1.08;

/// A lane as laid out: its band across the diagram and its heading cell on the left.
#[derive(Clone, Debug, PartialEq)]
pub struct LaneBand {
    pub(crate) id: String,
    pub name: String,
    /// Position of the lane's party in the project, which picks its colour.
    pub(crate) party: Option<usize>,
    pub rect: Rect,
    /// The heading cell; its name is drawn turned a quarter anticlockwise, read upwards.
    pub(crate) header: Rect,
    pub lines: Vec<String>,
}

/// The geometry of a flow diagram, from which [`render_flow`] draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct FlowLayout {
    pub layout: Layout,
    pub lanes: Vec<LaneBand>,
    /// Step ids in reading order: by column, then along the arrows within a column.
    pub order: Vec<String>,
    pub columns: usize,
    /// The (column, lane) cell of each step, in the flow's step order.
    pub cells: Vec<(usize, usize)>,
    /// The position of each step among the steps stacked in its cell, top first.
    pub stack: Vec<usize>,
    /// The names of the conditions each step is taken under, in the flow's step order;
    /// empty for a step always taken.
    pub when: Vec<Vec<String>>,
}

/// The line a conditional step's box opens with, `Only if: <names>`; none for a step
/// always taken.
fn only_if(when: &[String]) -> Option<String> {
    (!when.is_empty()).then(|| format!("Only if: {}", when.join(", ")))
}

struct Link {
    from: usize,
    to: usize,
    label: Option<String>,
}

/// Nearest an arrow track comes to a box, so that an arrow entering the box from the track
/// has room for its arrowhead.
const TRACK_CLEARANCE: f64 = 13.0;
/// Distance between the parallel arrow tracks of a gap between columns.
const GAP_TRACK: f64 = 8.0;

/// The three arrow tracks of a gap between columns that starts at `start` and is `space`
/// wide: its middle line and one on either side.
fn gap_tracks(start: f64, space: f64) -> [f64; 3] {
    let middle = start + space / 2.0;
    [middle - GAP_TRACK, middle, middle + GAP_TRACK]
}

/// The three arrow tracks of the margin left of the first column (`before_boxes`) or
/// right of the last, each at least [`TRACK_CLEARANCE`] from the boxes.
fn margin_tracks(start: f64, before_boxes: bool) -> [f64; 3] {
    let near = if before_boxes {
        start + EDGE_GAP - TRACK_CLEARANCE
    } else {
        start + TRACK_CLEARANCE
    };
    let away = if before_boxes { -GAP_TRACK } else { GAP_TRACK };
    [near, near + away, near + 2.0 * away]
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

    let placed = assign_cells(flow, &step_lane, &links);
    let step_column: Vec<usize> = placed.iter().map(|p| p.0).collect();
    let step_stack: Vec<usize> = placed.iter().map(|p| p.1).collect();
    let step_turn: Vec<usize> = placed.iter().map(|p| p.2).collect();
    let columns = step_column.iter().map(|c| c + 1).max().unwrap_or(0);

    // The names of each step's conditions (an unknown id stands for itself: the checker
    // reports it).
    let when: Vec<Vec<String>> = flow
        .steps
        .iter()
        .map(|step| {
            step.when
                .iter()
                .map(|id| {
                    project
                        .condition(&id.value)
                        .map_or_else(|| id.value.clone(), |c| c.name.value.clone())
                })
                .collect()
        })
        .collect();

    // Box sizes.
    let mut boxes: Vec<Node> = flow
        .steps
        .iter()
        .zip(&when)
        .map(|(step, when)| {
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
                    let mut lines = Vec::new();
                    if let Some(only) = only_if(when) {
                        lines.extend(wrap(&only, TEXT_WIDTH, FONT));
                    }
                    lines.extend(wrap(&step.text.value, TEXT_WIDTH, FONT));
                    let h = (lines.len() as f64 * LINE + 20.0).max(46.0);
                    let w = block_width(&lines, FONT) + 28.0;
                    (Shape::Rounded, lines, w.max(120.0), h)
                }
            };
            // A conditional step's box opens with its conditions, and so does its text.
            let text = match (step.kind, only_if(when)) {
                (StepKind::Step, Some(only)) => format!("{only} {}", step.text.value),
                _ => step.text.value.clone(),
            };
            Node {
                id: step.id.value.clone(),
                rect: Rect::new(0.0, 0.0, w.round(), h.round()),
                shape,
                text,
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
    // A branch label sits beside the start of its arrow, between the decision and the
    // next column.
    let gap = MIN_GAP.max(widest_label + 14.0);

    // Column widths, and the height of each row of stacked boxes in each lane.
    let mut column_width = vec![0.0f64; columns];
    let mut row_height: Vec<Vec<f64>> = vec![vec![MIN_ROW]; lanes.len()];
    for (i, b) in boxes.iter().enumerate() {
        let c = step_column[i];
        column_width[c] = column_width[c].max(b.rect.w);
        let rows = &mut row_height[step_lane[i]];
        if rows.len() <= step_stack[i] {
            rows.resize(step_stack[i] + 1, 0.0);
        }
        rows[step_stack[i]] = rows[step_stack[i]].max(b.rect.h);
    }

    // Lane heights, then the lane names wrapped to them: a name reads upwards along its
    // lane, so the lane is at least as tall as its longest word.
    let lane_height: Vec<f64> = lanes
        .iter()
        .enumerate()
        .map(|(i, lane)| {
            let rows = &row_height[i];
            let boxes_height = rows.iter().sum::<f64>() + (rows.len() - 1) as f64 * STACK_GAP;
            let longest_word = lane
                .1
                .split_whitespace()
                .map(|w| text::width(w, FONT * BOLD))
                .fold(0.0, f64::max);
            (boxes_height + 2.0 * LANE_PAD)
                .max(longest_word + 2.0 * HEADER_PAD + 2.0)
                .round()
        })
        .collect();
    let header_lines: Vec<Vec<String>> = lanes
        .iter()
        .zip(&lane_height)
        .map(|(l, h)| wrap(&l.1, h - 2.0 * HEADER_PAD, FONT * BOLD))
        .collect();
    let header_width = (header_lines.iter().map(Vec::len).max().unwrap_or(1) as f64 * LINE
        + 2.0 * HEADER_PAD
        + ACCENT)
        .round();

    let mut column_x = Vec::with_capacity(columns);
    let mut xs = Vec::new();
    let mut x = header_width;
    xs.extend(margin_tracks(x, true));
    x += EDGE_GAP;
    for (c, w) in column_width.iter().enumerate() {
        if c > 0 {
            xs.extend(gap_tracks(x, gap));
            x += gap;
        }
        column_x.push(x);
        xs.push(x + w / 2.0);
        x += w;
    }
    xs.extend(margin_tracks(x, false));
    x += EDGE_GAP;
    let width = x;

    let mut lane_bands = Vec::with_capacity(lanes.len());
    // For each lane, the top of each row of stacked boxes.
    let mut row_top: Vec<Vec<f64>> = Vec::with_capacity(lanes.len());
    let mut ys = Vec::new();
    let mut y = 0.0;
    for (i, lane) in lanes.iter().enumerate() {
        let height = lane_height[i];
        let rows = &row_height[i];
        let boxes_height = rows.iter().sum::<f64>() + (rows.len() - 1) as f64 * STACK_GAP;
        let mut top = y + (height - boxes_height) / 2.0;
        let mut tops = Vec::with_capacity(rows.len());
        for (k, h) in rows.iter().enumerate() {
            if k > 0 {
                ys.push(top - STACK_GAP / 2.0);
            }
            tops.push(top);
            ys.push(top + h / 2.0);
            top += h + STACK_GAP;
        }
        row_top.push(tops);
        ys.extend([
            y + TRACK,
            y + 2.0 * TRACK,
            y + height - 2.0 * TRACK,
            y + height - TRACK,
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
        let c = step_column[i];
        let (lane, row) = (step_lane[i], step_stack[i]);
        b.rect.x = column_x[c] + (column_width[c] - b.rect.w) / 2.0;
        b.rect.y = row_top[lane][row] + (row_height[lane][row] - b.rect.h) / 2.0;
    }

    // Arrows. A step with several ways out sends each through a different side, so that
    // the arrows and their labels start apart.
    let mut grid = Grid::new(xs, ys, boxes.iter().map(|b| b.rect).collect());
    let mut first_dirs: Vec<Option<Dir>> = vec![None; links.len()];
    let height_order = |s: usize| (step_lane[s], step_stack[s]);
    for from in 0..flow.steps.len() {
        let outgoing: Vec<usize> = (0..links.len())
            .filter(|l| links[*l].from == from)
            .collect();
        if outgoing.len() < 2 {
            continue;
        }
        // A step handed over from the lane above or below in the same column takes that
        // arrow on its top or bottom side: a way out there would run back along it.
        let mut taken: Vec<Dir> = links
            .iter()
            .filter(|link| link.to == from && step_column[link.from] == step_column[from])
            .map(|link| {
                if height_order(link.from) < height_order(from) {
                    Dir::Up
                } else {
                    Dir::Down
                }
            })
            .collect();
        for l in outgoing {
            let to = links[l].to;
            let preferred = match height_order(to).cmp(&height_order(from)) {
                std::cmp::Ordering::Greater => Dir::Down,
                std::cmp::Ordering::Less => Dir::Up,
                std::cmp::Ordering::Equal if step_column[to] > step_column[from] => Dir::Right,
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
    // Within a column, in the order the steps were placed, which follows the arrows: a
    // step comes after the step above or below it that leads to it.
    order.sort_by_key(|i| (step_column[*i], step_turn[*i]));

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
        when,
        cells: step_column
            .iter()
            .zip(&step_lane)
            .map(|(c, l)| (*c, *l))
            .collect(),
        stack: step_stack,
    }
}

/// The column of each step, its position in its cell's stack, and its turn in the order
/// the steps were placed.
///
/// Loops are cut where a depth-first walk from the start meets a step it is still inside
/// of. The remaining arrows are taken in breadth-first topological order. A step goes one
/// column right of its latest predecessor, or into the same column when that predecessor
/// is in the lane next to its own (the arrow between them is a short vertical one). A
/// step stacks below the steps already in its cell when it shares a predecessor with one
/// of them (branch targets of one decision, parallel steps) and follows none of them;
/// otherwise it moves right until its cell is empty or it can stack there. So a cell never
/// stacks two steps of one path, and every arrow that is not a loop points right, up or
/// down.
fn assign_cells(flow: &Flow, step_lane: &[usize], links: &[Link]) -> Vec<(usize, usize, usize)> {
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
    // Which steps lead to each step, one bit per step: a step's bits are complete when it
    // leaves the queue, because all its predecessors left before it.
    let words = n.div_ceil(64);
    let mut ancestors = vec![0u64; n * words];
    let mut predecessors: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (l, link) in links.iter().enumerate() {
        if !backward[l] {
            predecessors[link.to].push(link.from);
        }
    }
    let mut earliest = vec![0usize; n];
    let mut placed = vec![(0usize, 0usize, 0usize); n];
    let mut turn = 0;
    let mut cells: BTreeMap<(usize, usize), Vec<usize>> = BTreeMap::new();
    while let Some(node) = queue.pop_front() {
        let lane = step_lane[node];
        let mine = &ancestors[node * words..(node + 1) * words];
        let leads_here = |s: &usize| mine[s / 64] >> (s % 64) & 1 == 1;
        let sibling = |s: &usize| {
            predecessors[node]
                .iter()
                .any(|p| predecessors[*s].contains(p))
        };
        let mut c = earliest[node];
        // A conditional step after a single step of its lane: a side branch below it.
        let side_of = match predecessors[node].as_slice() {
            [p] if !flow.steps[node].when.is_empty() && step_lane[*p] == lane => Some(*p),
            _ => None,
        };
        if let Some(p) = side_of {
            c = placed[p].0;
        }
        while side_of.is_none()
            && cells
                .get(&(c, lane))
                .is_some_and(|steps| steps.iter().any(leads_here) || !steps.iter().any(sibling))
        {
            c += 1;
        }
        let cell = cells.entry((c, lane)).or_default();
        placed[node] = (c, cell.len(), turn);
        turn += 1;
        cell.push(node);
        for &l in &outgoing[node] {
            if backward[l] {
                continue;
            }
            let to = links[l].to;
            let step = usize::from(step_lane[to].abs_diff(lane) != 1);
            earliest[to] = earliest[to].max(c + step);
            for w in 0..words {
                let bits = ancestors[node * words + w];
                ancestors[to * words + w] |= bits;
            }
            ancestors[to * words + node / 64] |= 1 << (node % 64);
            waiting[to] -= 1;
            if waiting[to] == 0 && !queued[to] {
                queued[to] = true;
                queue.push_back(to);
            }
        }
    }
    placed
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
            r#"<g class="{party}" data-lane="{}"><rect class="{class}" x="{}" y="{}" width="{}" height="{}"/><rect class="rasci-lane-head" x="{}" y="{}" width="{}" height="{}"/><rect class="rasci-accent" x="{}" y="{}" width="{}" height="{}"/>"#,
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
            num(ACCENT),
            num(h.h),
        );
        // The name reads upwards: drawn level around the heading's centre, then turned.
        let c = Point::new(h.center().x + ACCENT / 2.0, h.center().y);
        let _ = write!(
            out,
            r#"<g transform="rotate(-90 {} {})">"#,
            num(c.x),
            num(c.y)
        );
        write_lines(
            &mut out,
            &lane.lines,
            c.x,
            c.y,
            LINE,
            FONT,
            "rasci-lane-name",
        );
        out.push_str("</g></g>");
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

    // Only a flow with a conditional step carries the rule that dashes it, so the
    // drawing of every other flow stays as it was.
    if flow.steps.iter().any(|step| !step.when.is_empty()) {
        out.push_str(
            "<style>.rasci-diagram .rasci-conditional{stroke-dasharray:6 4;stroke-width:2}</style>",
        );
    }
    out.push_str(r#"<g class="rasci-nodes">"#);
    for (b, step) in l.boxes.iter().zip(&flow.steps) {
        let class = match (step.kind, step.when.is_empty()) {
            (StepKind::Start | StepKind::End, true) => "rasci-terminal",
            (StepKind::Start | StepKind::End, false) => "rasci-terminal rasci-conditional",
            (StepKind::Decision, true) => "rasci-decision",
            (StepKind::Decision, false) => "rasci-decision rasci-conditional",
            (StepKind::Step, true) => "rasci-step",
            (StepKind::Step, false) => "rasci-step rasci-conditional",
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
        if let Some(when) = flow
            .steps
            .iter()
            .position(|s| &s.id.value == step_id)
            .and_then(|i| layout.when.get(i))
            .filter(|when| !when.is_empty())
        {
            let _ = write!(
                html,
                r#" <span class="rasci-flow-kind">(only if: {})</span>"#,
                escape(&when.join(", "))
            );
        }
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
