//! Systems overviews: the components of one scope, grouped by the party that manages them.
//!
//! Each managing party gets a column inside a coloured group box; its components stack
//! down the column. Connections are routed like flow arrows, through the gaps between
//! groups and rows.

use super::geom::Diagram;
use super::geom::{Edge, Layout, Node, Point, Rect, Shape};
use super::route::{Grid, label_size, place_edge_labels, tracks};
use super::style::party_class;
use super::svg;
use super::text::{
    FONT, LINE, SMALL_FONT, block_width, escape, id_fragment, num, width, wrap, write_lines,
};
use crate::model::{Project, Scope, System};
use std::fmt::Write;

const ROW_PAD: f64 = 38.0;
/// Padding of a group box around its column of components.
const GROUP_PAD: f64 = 16.0;
/// Height of the band at the top of the groups that holds their headings.
const HEAD: f64 = 40.0;
/// Space left and right of the outermost groups, wide enough for arrows to pass.
const OUTER: f64 = 72.0;
const MIN_GAP: f64 = 104.0;
/// Distance between parallel arrow tracks along the row borders.
const TRACK: f64 = 12.0;
const TEXT_WIDTH: f64 = 150.0;
const LABEL_WIDTH: f64 = 120.0;
const BOLD: f64 = 1.08;
const SWATCH: f64 = 14.0;

/// A party's group box.
#[derive(Clone, Debug, PartialEq)]
pub struct Group {
    /// Party id.
    pub party: String,
    pub(crate) name: String,
    /// Colour slot: the party's position in the project (see [`party_class`]).
    pub(crate) palette: usize,
    pub rect: Rect,
    pub heading: Rect,
    pub(crate) lines: Vec<String>,
    /// Ids of the group's components, top to bottom.
    pub members: Vec<String>,
}

/// One party in the legend: a colour swatch and the name.
#[derive(Clone, Debug, PartialEq)]
pub struct LegendEntry {
    pub(crate) party: String,
    pub name: String,
    pub(crate) palette: usize,
    pub(crate) swatch: Rect,
    /// Where the name's text starts (left end of its baseline).
    pub(crate) text_at: Point,
}

/// The geometry of a systems overview, from which [`render_systems`] draws it.
#[derive(Clone, Debug, PartialEq)]
pub struct SystemsLayout {
    pub layout: Layout,
    pub groups: Vec<Group>,
    pub legend: Vec<LegendEntry>,
    /// Baseline start of the legend's caption.
    pub(crate) legend_at: Point,
}

/// Whether `system` exists in `scope`: systems without `scopes` exist everywhere.
fn in_scope(system: &System, scope: &Scope) -> bool {
    system
        .scopes
        .as_ref()
        .is_none_or(|scopes| scopes.iter().any(|s| s.value == scope.id.value))
}

const LEGEND_CAPTION: &str = "Managed by:";

/// Lays out the components of `scope` in the default model (the implicit model of a
/// project without models).
pub fn systems_layout(project: &Project, scope: &Scope) -> SystemsLayout {
    let default = project.models.iter().find(|m| m.is_default);
    systems_layout_in(project, default.and_then(|m| m.id()), scope)
}

/// Lays out the components of `scope` that show in the model with id `model` (`None`
/// for the implicit model), each in the group of its manager in that model.
pub(crate) fn systems_layout_in(
    project: &Project,
    model: Option<&str>,
    scope: &Scope,
) -> SystemsLayout {
    let present: Vec<&System> = project
        .systems
        .iter()
        .filter(|s| in_scope(s, scope) && s.in_model(model))
        .collect();
    // The manager of each component in this model; a component with no manager here is
    // the check's finding, and is drawn apart under an empty id.
    let managers: Vec<String> = present
        .iter()
        .map(|s| s.manager_in(model).map(|m| m.value).unwrap_or_default())
        .collect();

    // Groups: the project's parties in their order, then managers the project does not
    // declare (the checker reports those), in order of appearance.
    let mut groups: Vec<(String, String, usize, Vec<usize>)> = Vec::new();
    for (p, party) in project.parties.iter().enumerate() {
        let members: Vec<usize> = (0..present.len())
            .filter(|i| managers[*i] == party.id.value)
            .collect();
        if !members.is_empty() {
            groups.push((party.id.value.clone(), party.name.value.clone(), p, members));
        }
    }
    let mut unknown = 0;
    for (i, manager) in managers.iter().enumerate() {
        if project.party(manager).is_some() {
            continue;
        }
        match groups.iter_mut().find(|g| g.0 == *manager) {
            Some(group) => group.3.push(i),
            None => {
                groups.push((
                    manager.clone(),
                    manager.clone(),
                    project.parties.len() + unknown,
                    vec![i],
                ));
                unknown += 1;
            }
        }
    }

    let mut boxes: Vec<Node> = present
        .iter()
        .map(|s| {
            let lines = wrap(&s.name.value, TEXT_WIDTH, FONT);
            let w = (block_width(&lines, FONT) + 32.0).max(150.0).round();
            let h = (lines.len() as f64 * LINE + 24.0).max(50.0);
            Node {
                id: s.id.value.clone(),
                rect: Rect::new(0.0, 0.0, w, h),
                shape: Shape::Component,
                text: s.name.value.clone(),
                lines,
            }
        })
        .collect();

    struct Link {
        from: usize,
        to: usize,
        label: Option<(String, Vec<String>)>,
    }
    let mut links = Vec::new();
    for (i, system) in present.iter().enumerate() {
        for connection in &system.connects_to {
            if let Some(j) = present
                .iter()
                .position(|s| s.id.value == connection.to.value)
                && j != i
            {
                links.push(Link {
                    from: i,
                    to: j,
                    label: connection
                        .label
                        .as_ref()
                        .map(|l| (l.value.clone(), wrap(&l.value, LABEL_WIDTH, SMALL_FONT))),
                });
            }
        }
    }
    let widest_label = links
        .iter()
        .filter_map(|l| l.label.as_ref())
        .map(|l| label_size(&l.1).0)
        .fold(0.0, f64::max);
    // Wide enough for a label on an arrow straight across the gap to stay between the groups.
    let gap = MIN_GAP.max(widest_label + 2.0 * GROUP_PAD + 24.0);

    let heading_lines: Vec<Vec<String>> = groups
        .iter()
        .map(|g| wrap(&g.1, 220.0, FONT * BOLD))
        .collect();
    let column_width: Vec<f64> = groups
        .iter()
        .zip(&heading_lines)
        .map(|(g, lines)| {
            let widest_member = g.3.iter().map(|m| boxes[*m].rect.w).fold(0.0, f64::max);
            widest_member.max(block_width(lines, FONT * BOLD) + 16.0 - 2.0 * GROUP_PAD)
        })
        .collect();
    let rows = groups.iter().map(|g| g.3.len()).max().unwrap_or(0);
    let tallest = boxes.iter().map(|b| b.rect.h).fold(50.0, f64::max);
    let row_height = tallest + 2.0 * ROW_PAD;
    let heading_height = heading_lines
        .iter()
        .map(|l| l.len() as f64 * LINE)
        .fold(LINE, f64::max);
    let rows_top = HEAD + heading_height - LINE;
    let rows_bottom = rows_top + rows as f64 * row_height;

    let mut xs = Vec::new();
    let mut ys = Vec::new();
    let mut x = 0.0;
    let mut column_x = Vec::with_capacity(groups.len());
    for (c, w) in column_width.iter().enumerate() {
        let space = if c == 0 { OUTER } else { gap };
        xs.extend(tracks(x, space));
        x += space;
        column_x.push(x);
        xs.push(x + w / 2.0);
        x += w;
    }
    xs.extend(tracks(x, OUTER));
    x += OUTER;
    let mut diagram_width = x;
    for r in 0..rows {
        let top = rows_top + r as f64 * row_height;
        ys.extend([
            top + 11.0,
            top + 11.0 + TRACK,
            top + row_height / 2.0,
            top + row_height - 11.0 - TRACK,
            top + row_height - 11.0,
        ]);
    }

    let mut group_boxes = Vec::with_capacity(groups.len());
    for (c, g) in groups.iter().enumerate() {
        // A group shorter than the tallest one is centred on it, which keeps arrows to its
        // components short.
        let first_row = (rows - g.3.len()) / 2;
        for (r, m) in g.3.iter().enumerate() {
            let b = &mut boxes[*m].rect;
            b.x = column_x[c] + (column_width[c] - b.w) / 2.0;
            b.y = rows_top + (first_row + r) as f64 * row_height + (row_height - b.h) / 2.0;
        }
        let rect = Rect::new(
            column_x[c] - GROUP_PAD,
            4.0,
            column_width[c] + 2.0 * GROUP_PAD,
            rows_bottom,
        );
        let lines = heading_lines[c].clone();
        let heading_width = (block_width(&lines, FONT * BOLD) + 4.0).round();
        let heading = Rect::new(
            rect.center().x - heading_width / 2.0,
            14.0,
            heading_width,
            lines.len() as f64 * LINE,
        );
        group_boxes.push(Group {
            party: g.0.clone(),
            name: g.1.clone(),
            palette: g.2,
            rect,
            heading,
            lines,
            members: g.3.iter().map(|m| present[*m].id.value.clone()).collect(),
        });
    }

    let mut grid = Grid::new(xs, ys, boxes.iter().map(|b| b.rect).collect());
    let mut edges = Vec::new();
    let mut edge_lines = Vec::new();
    for link in &links {
        if let Some(points) = grid.route(link.from, link.to, None) {
            edges.push(Edge {
                from: present[link.from].id.value.clone(),
                to: present[link.to].id.value.clone(),
                points,
                label: None,
            });
            edge_lines.push(link.label.clone());
        }
    }

    // Legend below the groups, wrapping onto further rows when wider than the groups.
    let legend_left = OUTER - GROUP_PAD;
    let mut legend_y = rows_bottom + 28.0;
    let legend_at = Point::new(legend_left, legend_y + SWATCH - 2.0);
    let caption_width = width(LEGEND_CAPTION, SMALL_FONT) + 14.0;
    let mut lx = legend_left + caption_width;
    let mut legend = Vec::new();
    let mut legend_right: f64 = lx;
    for g in &group_boxes {
        let entry_width = SWATCH + 6.0 + width(&g.name, SMALL_FONT);
        if lx + entry_width > diagram_width.max(520.0) - legend_left
            && lx > legend_left + caption_width
        {
            lx = legend_left + caption_width;
            legend_y += SWATCH + 10.0;
        }
        legend.push(LegendEntry {
            party: g.party.clone(),
            name: g.name.clone(),
            palette: g.palette,
            swatch: Rect::new(lx, legend_y, SWATCH, SWATCH),
            text_at: Point::new(lx + SWATCH + 6.0, legend_y + SWATCH - 2.0),
        });
        lx += entry_width + 20.0;
        legend_right = legend_right.max(lx - 20.0);
    }
    diagram_width = diagram_width.max((legend_right + legend_left).round());
    let height = legend_y + SWATCH + 14.0;

    let mut obstacles: Vec<Rect> = boxes.iter().map(|b| b.rect).collect();
    obstacles.extend(group_boxes.iter().map(|g| g.heading));
    let bounds = Rect::new(0.0, 0.0, diagram_width, rows_bottom + 8.0);
    let outlines: Vec<Rect> = group_boxes.iter().map(|g| g.rect).collect();
    let labels = place_edge_labels(
        &mut edges,
        &edge_lines,
        bounds,
        &obstacles,
        &outlines,
        false,
    );

    SystemsLayout {
        layout: Layout {
            width: diagram_width,
            height,
            boxes,
            labels,
            edges,
        },
        groups: group_boxes,
        legend,
        legend_at,
    }
}

/// Draws the systems of `scope` as an accessible SVG with a text equivalent.
pub fn systems_svg(project: &Project, scope: &Scope) -> Diagram {
    render_systems(scope, &systems_layout(project, scope))
}

/// Draws the systems of `scope` in the model with id `model`; `path_id` is the model's id
/// as addresses use it (`None` for the default and the implicit model), which names the
/// drawing and its file, so the default model's drawing keeps the name it had before
/// the project had models.
pub(crate) fn systems_svg_in(
    project: &Project,
    model: Option<&str>,
    path_id: Option<&str>,
    scope: &Scope,
) -> Diagram {
    let layout = systems_layout_in(project, model, scope);
    let id = match path_id {
        // A dot, which no id holds, keeps `a` + `b-c` apart from a scope `a-b-c`.
        Some(model) => format!(
            "rasci-systems-{}.{}",
            id_fragment(&scope.id.value),
            id_fragment(model)
        ),
        None => format!("rasci-systems-{}", id_fragment(&scope.id.value)),
    };
    render_systems_as(scope, &layout, id)
}

/// Draws a systems overview from its layout.
pub fn render_systems(scope: &Scope, layout: &SystemsLayout) -> Diagram {
    let id = format!("rasci-systems-{}", id_fragment(&scope.id.value));
    render_systems_as(scope, layout, id)
}

fn render_systems_as(scope: &Scope, layout: &SystemsLayout, id: String) -> Diagram {
    let title = format!("Systems in {}", scope.name.value);
    let names: Vec<&str> = layout.groups.iter().map(|g| g.name.as_str()).collect();
    let desc = format!(
        "{} component{} of the {} deployment, grouped by the party that manages them ({}), with the connections between them.",
        layout.layout.boxes.len(),
        if layout.layout.boxes.len() == 1 {
            ""
        } else {
            "s"
        },
        scope.name.value,
        names.join(", ")
    );
    let l = &layout.layout;
    let mut out = String::new();
    svg::open(&mut out, &id, "systems", l.width, l.height, &title, &desc);

    out.push_str(r#"<g class="rasci-groups">"#);
    for g in &layout.groups {
        let r = g.rect;
        let _ = write!(
            out,
            r#"<g class="{}" data-party="{}"><rect class="rasci-group" x="{}" y="{}" width="{}" height="{}" rx="10"/>"#,
            party_class(g.palette),
            escape(&g.party),
            num(r.x),
            num(r.y),
            num(r.w),
            num(r.h)
        );
        let c = g.heading.center();
        write_lines(&mut out, &g.lines, c.x, c.y, LINE, FONT, "rasci-group-name");
        out.push_str("</g>");
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="rasci-edges">"#);
    for e in &l.edges {
        svg::edge(&mut out, &id, e);
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="rasci-nodes">"#);
    for g in &layout.groups {
        let _ = write!(out, r#"<g class="{}">"#, party_class(g.palette));
        for member in &g.members {
            if let Some(b) = l.find_box(member) {
                svg::node(&mut out, b, "rasci-component", "data-system");
            }
        }
        out.push_str("</g>");
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="rasci-labels">"#);
    for label in &l.labels {
        svg::label(&mut out, label);
    }
    out.push_str("</g>");

    out.push_str(r#"<g class="rasci-legend">"#);
    if !layout.legend.is_empty() {
        let _ = write!(
            out,
            r#"<text class="rasci-legend-text" x="{}" y="{}">{}</text>"#,
            num(layout.legend_at.x),
            num(layout.legend_at.y),
            LEGEND_CAPTION
        );
    }
    for entry in &layout.legend {
        let s = entry.swatch;
        let _ = write!(
            out,
            r#"<g class="{}"><rect class="rasci-swatch" x="{}" y="{}" width="{}" height="{}" rx="3"/><text class="rasci-legend-text" x="{}" y="{}">{}</text></g>"#,
            party_class(entry.palette),
            num(s.x),
            num(s.y),
            num(s.w),
            num(s.h),
            num(entry.text_at.x),
            num(entry.text_at.y),
            escape(&entry.name)
        );
    }
    out.push_str("</g></svg>");

    Diagram {
        text_html: systems_html(layout, &id),
        svg: out,
        title,
        id,
        width: l.width,
        height: l.height,
    }
}

/// The overview as a list: each component with its manager and its connections.
fn systems_html(layout: &SystemsLayout, id: &str) -> String {
    let name_of = |system: &str| {
        layout
            .layout
            .find_box(system)
            .map_or(system.to_string(), |b| b.text.clone())
    };
    let mut html = format!(r#"<ul class="rasci-systems-list" id="{id}-list">"#);
    for g in &layout.groups {
        for member in &g.members {
            let _ = write!(
                html,
                r#"<li><span class="rasci-system-name">{}</span> — managed by {}"#,
                escape(&name_of(member)),
                escape(&g.name)
            );
            let connections: Vec<&Edge> = layout
                .layout
                .edges
                .iter()
                .filter(|e| &e.from == member)
                .collect();
            if !connections.is_empty() {
                html.push_str("<ul>");
                for e in connections {
                    let _ = write!(html, "<li>connects to {}", escape(&name_of(&e.to)));
                    if let Some(label) = e.label.and_then(|i| layout.layout.labels.get(i)) {
                        let _ = write!(html, " ({})", escape(&label.text));
                    }
                    html.push_str("</li>");
                }
                html.push_str("</ul>");
            }
            html.push_str("</li>");
        }
    }
    html.push_str("</ul>");
    html
}
