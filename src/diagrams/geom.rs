//! Plain geometry shared by the layouts, the renderer and the tests that check the
//! drawings for overlaps.

/// A point in SVG user units (pixels at 100 % zoom).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

impl Point {
    pub(crate) fn new(x: f64, y: f64) -> Point {
        Point { x, y }
    }
}

/// An axis-aligned rectangle: top-left corner plus size.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rect {
    pub(crate) x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

/// Distances below this count as zero: coordinates are multiples of 0.5, so anything
/// smaller is rounding noise.
pub(crate) const EPS: f64 = 0.01;

impl Rect {
    pub fn new(x: f64, y: f64, w: f64, h: f64) -> Rect {
        Rect { x, y, w, h }
    }

    pub fn right(&self) -> f64 {
        self.x + self.w
    }

    pub(crate) fn bottom(&self) -> f64 {
        self.y + self.h
    }

    pub(crate) fn center(&self) -> Point {
        Point::new(self.x + self.w / 2.0, self.y + self.h / 2.0)
    }

    /// The rectangle grown by `d` on every side (shrunk when `d` is negative).
    pub(crate) fn inflate(&self, d: f64) -> Rect {
        Rect::new(self.x - d, self.y - d, self.w + 2.0 * d, self.h + 2.0 * d)
    }

    /// Whether the interiors meet; rectangles that only touch along an edge do not overlap.
    pub fn overlaps(&self, other: &Rect) -> bool {
        self.x < other.right() - EPS
            && other.x < self.right() - EPS
            && self.y < other.bottom() - EPS
            && other.y < self.bottom() - EPS
    }

    /// Whether `other` lies completely inside this rectangle (touching allowed).
    pub fn contains_rect(&self, other: &Rect) -> bool {
        other.x >= self.x - EPS
            && other.y >= self.y - EPS
            && other.right() <= self.right() + EPS
            && other.bottom() <= self.bottom() + EPS
    }

    /// Whether `p` is on the outline, within `tolerance`.
    pub fn on_border(&self, p: Point, tolerance: f64) -> bool {
        let inside_x = p.x >= self.x - tolerance && p.x <= self.right() + tolerance;
        let inside_y = p.y >= self.y - tolerance && p.y <= self.bottom() + tolerance;
        let near_vertical =
            (p.x - self.x).abs() <= tolerance || (p.x - self.right()).abs() <= tolerance;
        let near_horizontal =
            (p.y - self.y).abs() <= tolerance || (p.y - self.bottom()).abs() <= tolerance;
        (inside_y && near_vertical) || (inside_x && near_horizontal)
    }

    /// Whether the segment `a`–`b` passes through the interior. Running along the outline or
    /// touching a corner does not count. Liang–Barsky clipping gives the part of the
    /// segment within the closed rectangle; it crosses the interior when the middle of that
    /// part lies strictly inside.
    pub fn segment_crosses_interior(&self, a: Point, b: Point) -> bool {
        let dx = b.x - a.x;
        let dy = b.y - a.y;
        let mut t0: f64 = 0.0;
        let mut t1: f64 = 1.0;
        let checks = [
            (-dx, a.x - self.x),
            (dx, self.right() - a.x),
            (-dy, a.y - self.y),
            (dy, self.bottom() - a.y),
        ];
        for (p, q) in checks {
            if p.abs() < 1e-12 {
                if q < 0.0 {
                    return false;
                }
            } else {
                let t = q / p;
                if p < 0.0 {
                    t0 = t0.max(t);
                } else {
                    t1 = t1.min(t);
                }
            }
        }
        if t1 - t0 <= 1e-9 {
            return false;
        }
        let tm = (t0 + t1) / 2.0;
        let m = Point::new(a.x + dx * tm, a.y + dy * tm);
        let inner = self.inflate(-EPS);
        m.x > inner.x && m.x < inner.right() && m.y > inner.y && m.y < inner.bottom()
    }
}

/// How a box is drawn. All shapes touch the middle of each side of their rectangle, which
/// is where arrows start and end.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// Start and end of a flow: a rectangle with fully rounded ends.
    Pill,
    /// An ordinary flow step.
    Rounded,
    /// A decision: pointed left and right ends, flat top and bottom.
    Hexagon,
    /// A component of a systems overview.
    Component,
}

/// A box of a diagram with the wrapped lines of text inside it.
#[derive(Clone, Debug, PartialEq)]
pub struct Node {
    /// The step or system id the box stands for.
    pub id: String,
    pub rect: Rect,
    pub(crate) shape: Shape,
    /// The text as written, for lists and tooltips.
    pub text: String,
    /// The text wrapped to fit the box.
    pub lines: Vec<String>,
}

/// Text placed next to an arrow: a decision's branch or a connection's label.
#[derive(Clone, Debug, PartialEq)]
pub struct Label {
    pub rect: Rect,
    /// The text as written.
    pub text: String,
    /// The text wrapped to fit the label.
    pub(crate) lines: Vec<String>,
    /// Index into [`Layout::edges`] of the arrow the label belongs to.
    pub edge: usize,
}

/// An arrow from one box to another, as an orthogonal polyline. The first point lies on
/// the outline of the source box and the last on the outline of the target box.
#[derive(Clone, Debug, PartialEq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub points: Vec<Point>,
    /// Index into [`Layout::labels`].
    pub label: Option<usize>,
}

/// Everything the renderer draws apart from the backdrop (lanes, groups, legend), in the
/// coordinates of the SVG's `viewBox`.
#[derive(Clone, Debug, PartialEq)]
pub struct Layout {
    pub width: f64,
    pub height: f64,
    pub boxes: Vec<Node>,
    pub labels: Vec<Label>,
    pub edges: Vec<Edge>,
}

impl Layout {
    pub fn find_box(&self, id: &str) -> Option<&Node> {
        self.boxes.iter().find(|b| b.id == id)
    }
}

/// A drawn diagram, ready to be placed in a page.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagram {
    /// An inline `<svg>` element, labelled by its own `<title>` and `<desc>`.
    pub svg: String,
    /// The same content as HTML: an `<ol>` of a flow's steps or a `<ul>` of systems.
    pub text_html: String,
    /// Title of the diagram, also the SVG's `<title>`.
    pub title: String,
    /// The `id` of the `<svg>` element; ids inside it start with this too.
    pub id: String,
    /// Natural size in CSS pixels (the `viewBox` size).
    pub width: f64,
    pub height: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn touching_rectangles_do_not_overlap() {
        let a = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(!a.overlaps(&Rect::new(10.0, 0.0, 5.0, 5.0)));
        assert!(a.overlaps(&Rect::new(9.0, 9.0, 5.0, 5.0)));
    }

    #[test]
    fn segment_along_the_outline_does_not_cross() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(!r.segment_crosses_interior(Point::new(-5.0, 0.0), Point::new(15.0, 0.0)));
        assert!(r.segment_crosses_interior(Point::new(-5.0, 5.0), Point::new(15.0, 5.0)));
        assert!(!r.segment_crosses_interior(Point::new(10.0, 5.0), Point::new(20.0, 5.0)));
        assert!(r.segment_crosses_interior(Point::new(5.0, 5.0), Point::new(20.0, 5.0)));
        assert!(!r.segment_crosses_interior(Point::new(-5.0, 20.0), Point::new(15.0, 20.0)));
    }

    #[test]
    fn border_points() {
        let r = Rect::new(0.0, 0.0, 10.0, 10.0);
        assert!(r.on_border(Point::new(10.0, 5.0), 0.1));
        assert!(!r.on_border(Point::new(5.0, 5.0), 0.1));
        assert!(!r.on_border(Point::new(20.0, 0.0), 0.1));
    }
}
