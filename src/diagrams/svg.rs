//! SVG fragments shared by both diagrams: the opening with its accessible name, arrows,
//! boxes and labels.

use super::geom::{EPS, Edge, Label, Node, Point, Shape};
use super::style;
use super::text::{FONT, LINE, SMALL_FONT, SMALL_LINE, escape, num, write_lines};
use std::fmt::Write;

/// Writes the `<svg>` start tag, `<title>`, `<desc>`, the stylesheet and the arrowhead.
/// `id` prefixes every id inside, so several diagrams can share a page.
pub(crate) fn open(
    out: &mut String,
    id: &str,
    kind: &str,
    width: f64,
    height: f64,
    title: &str,
    desc: &str,
) {
    let _ = write!(
        out,
        r#"<svg class="rasci-diagram rasci-diagram-{kind}" id="{id}" role="img" aria-labelledby="{id}-title {id}-desc" viewBox="0 0 {w} {h}" width="{w}" height="{h}">"#,
        w = num(width),
        h = num(height),
    );
    let _ = write!(
        out,
        r#"<title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
        escape(title),
        escape(desc)
    );
    out.push_str(&style::stylesheet());
    let _ = write!(
        out,
        r#"<defs><marker id="{id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="10" markerHeight="10" markerUnits="userSpaceOnUse" orient="auto"><path class="rasci-arrowhead" d="M0,0.5L10,5L0,9.5z"/></marker></defs>"#
    );
}

/// Path data for an orthogonal polyline with its corners rounded off.
pub(crate) fn path_data(points: &[Point]) -> String {
    const RADIUS: f64 = 6.0;
    let mut d = String::new();
    let Some(first) = points.first() else {
        return d;
    };
    let _ = write!(d, "M{},{}", num(first.x), num(first.y));
    for i in 1..points.len() {
        let p = points[i];
        if i + 1 < points.len() {
            let a = points[i - 1];
            let b = points[i + 1];
            let len_in = (p.x - a.x).abs() + (p.y - a.y).abs();
            let len_out = (b.x - p.x).abs() + (b.y - p.y).abs();
            let r = RADIUS.min(len_in / 2.0).min(len_out / 2.0);
            if r > EPS {
                let before = Point::new(
                    p.x - (p.x - a.x).signum() * r * f64::from((p.x - a.x).abs() > EPS),
                    p.y - (p.y - a.y).signum() * r * f64::from((p.y - a.y).abs() > EPS),
                );
                let after = Point::new(
                    p.x + (b.x - p.x).signum() * r * f64::from((b.x - p.x).abs() > EPS),
                    p.y + (b.y - p.y).signum() * r * f64::from((b.y - p.y).abs() > EPS),
                );
                let _ = write!(
                    d,
                    "L{},{}Q{},{} {},{}",
                    num(before.x),
                    num(before.y),
                    num(p.x),
                    num(p.y),
                    num(after.x),
                    num(after.y)
                );
                continue;
            }
        }
        let _ = write!(d, "L{},{}", num(p.x), num(p.y));
    }
    d
}

pub(crate) fn edge(out: &mut String, id: &str, edge: &Edge) {
    let _ = write!(
        out,
        r#"<path class="rasci-edge" data-from="{}" data-to="{}" d="{}" marker-end="url(#{id}-arrow)"/>"#,
        escape(&edge.from),
        escape(&edge.to),
        path_data(&edge.points)
    );
}

/// A box with its text; `class` selects the colours (e.g. `rasci-step`).
pub(crate) fn node(out: &mut String, node: &Node, class: &str, data_attr: &str) {
    let r = node.rect;
    let _ = write!(out, r#"<g {data_attr}="{}">"#, escape(&node.id));
    match node.shape {
        Shape::Hexagon => {
            let point = (r.h / 2.0).min(22.0);
            let cy = r.y + r.h / 2.0;
            let _ = write!(
                out,
                r#"<polygon class="rasci-node {class}" points="{},{} {},{} {},{} {},{} {},{} {},{}"/>"#,
                num(r.x),
                num(cy),
                num(r.x + point),
                num(r.y),
                num(r.right() - point),
                num(r.y),
                num(r.right()),
                num(cy),
                num(r.right() - point),
                num(r.bottom()),
                num(r.x + point),
                num(r.bottom()),
            );
        }
        shape => {
            let radius = match shape {
                Shape::Pill => (r.h / 2.0).min(22.0),
                Shape::Component => 6.0,
                _ => 8.0,
            };
            let _ = write!(
                out,
                r#"<rect class="rasci-node {class}" x="{}" y="{}" width="{}" height="{}" rx="{}"/>"#,
                num(r.x),
                num(r.y),
                num(r.w),
                num(r.h),
                num(radius)
            );
        }
    }
    let c = r.center();
    write_lines(out, &node.lines, c.x, c.y, LINE, FONT, "rasci-node-text");
    out.push_str("</g>");
}

pub(crate) fn label(out: &mut String, label: &Label) {
    let r = label.rect;
    let _ = write!(
        out,
        r#"<g class="rasci-edge-label"><rect class="rasci-label-bg" x="{}" y="{}" width="{}" height="{}" rx="3"/>"#,
        num(r.x),
        num(r.y),
        num(r.w),
        num(r.h)
    );
    let c = r.center();
    write_lines(
        out,
        &label.lines,
        c.x,
        c.y,
        SMALL_LINE,
        SMALL_FONT,
        "rasci-label",
    );
    out.push_str("</g>");
}
