//! Orthogonal arrow routing on a grid of channels.
//!
//! Both layouts place boxes in the cells of a table whose rows and columns are separated by
//! empty gaps. The router works on the grid formed by the box centre lines plus a few
//! parallel tracks inside every gap. Because every box is centred on one grid column line
//! and one grid row line, and the tracks lie in the gaps, the only grid point inside a box
//! is its centre. Forbidding other boxes' centres is therefore enough to keep every arrow
//! out of every box but its own two ends. Between those centres a shortest path search
//! picks the route, with a cost per bend and per grid segment that another arrow already
//! uses, so arrows spread over the tracks instead of sitting on top of each other.

use super::geom::{EPS, Edge, Label, Point, Rect};
use super::text::{SMALL_FONT, SMALL_LINE, block_width};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

/// A direction of travel on the grid.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Dir {
    Right = 0,
    Down = 1,
    Left = 2,
    Up = 3,
}

const DIRS: [Dir; 4] = [Dir::Right, Dir::Down, Dir::Left, Dir::Up];
/// State slot for "no direction yet", at the start of a route.
const NO_DIR: usize = 4;

/// Cost of a turn, in pixels of detour it is worth avoiding.
const BEND: i64 = 45;
/// Cost of sharing a grid segment with an arrow to a different target.
const SHARED: i64 = 400;

impl Dir {
    fn opposite(self) -> Dir {
        DIRS[(self as usize + 2) % 4]
    }
}

pub(crate) struct Grid {
    xs: Vec<f64>,
    ys: Vec<f64>,
    /// For each grid node, the box whose centre it is.
    owner: Vec<Option<usize>>,
    /// For each box, its centre node.
    centers: Vec<usize>,
    rects: Vec<Rect>,
    /// Grid segments (lower node, higher node) already used, with the target box of each
    /// arrow using them.
    used: BTreeMap<(usize, usize), Vec<usize>>,
}

fn sorted_unique(mut values: Vec<f64>) -> Vec<f64> {
    values.sort_by(f64::total_cmp);
    values.dedup_by(|a, b| (*a - *b).abs() < EPS);
    values
}

fn nearest(values: &[f64], v: f64) -> usize {
    let mut best = 0;
    for (i, x) in values.iter().enumerate() {
        if (x - v).abs() < (values[best] - v).abs() {
            best = i;
        }
    }
    best
}

impl Grid {
    /// A grid with the given track lines; the centre lines of `rects` are added.
    pub(crate) fn new(xs: Vec<f64>, ys: Vec<f64>, rects: Vec<Rect>) -> Grid {
        let mut xs = xs;
        let mut ys = ys;
        for r in &rects {
            xs.push(r.center().x);
            ys.push(r.center().y);
        }
        let xs = sorted_unique(xs);
        let ys = sorted_unique(ys);
        let mut owner = vec![None; xs.len() * ys.len()];
        let mut centers = Vec::with_capacity(rects.len());
        for (i, r) in rects.iter().enumerate() {
            let c = r.center();
            let node = nearest(&ys, c.y) * xs.len() + nearest(&xs, c.x);
            owner[node] = Some(i);
            centers.push(node);
        }
        Grid {
            xs,
            ys,
            owner,
            centers,
            rects,
            used: BTreeMap::new(),
        }
    }

    fn point(&self, node: usize) -> Point {
        Point::new(self.xs[node % self.xs.len()], self.ys[node / self.xs.len()])
    }

    fn step(&self, node: usize, dir: Dir) -> Option<usize> {
        let nx = self.xs.len();
        let (x, y) = (node % nx, node / nx);
        match dir {
            Dir::Right if x + 1 < nx => Some(node + 1),
            Dir::Left if x > 0 => Some(node - 1),
            Dir::Down if y + 1 < self.ys.len() => Some(node + nx),
            Dir::Up if y > 0 => Some(node - nx),
            _ => None,
        }
    }

    fn segment_key(a: usize, b: usize) -> (usize, usize) {
        (a.min(b), a.max(b))
    }

    /// Routes an arrow from box `from` to box `to`, leaving `from` in direction `first`
    /// when given. Returns the polyline from the outline of `from` to the outline of `to`,
    /// or `None` when the boxes are the same or no route exists.
    pub(crate) fn route(
        &mut self,
        from: usize,
        to: usize,
        first: Option<Dir>,
    ) -> Option<Vec<Point>> {
        if from == to {
            return None;
        }
        let start = self.centers[from];
        let goal = self.centers[to];
        let states = self.owner.len() * 5;
        let mut dist = vec![i64::MAX; states];
        let mut prev = vec![usize::MAX; states];
        let mut heap = BinaryHeap::new();
        let start_state = start * 5 + NO_DIR;
        dist[start_state] = 0;
        heap.push(Reverse((0i64, start_state)));
        let mut reached = None;
        while let Some(Reverse((cost, state))) = heap.pop() {
            if cost > dist[state] {
                continue;
            }
            let node = state / 5;
            if node == goal {
                reached = Some(state);
                break;
            }
            let came = state % 5;
            for dir in DIRS {
                if came == NO_DIR {
                    if first.is_some_and(|f| f != dir) {
                        continue;
                    }
                } else if dir == DIRS[came].opposite() {
                    continue;
                }
                let Some(next) = self.step(node, dir) else {
                    continue;
                };
                if self.owner[next].is_some() && next != goal {
                    continue;
                }
                let (a, b) = (self.point(node), self.point(next));
                let mut step_cost = ((a.x - b.x).abs() + (a.y - b.y).abs()).round() as i64;
                if came != NO_DIR && came != dir as usize {
                    step_cost += BEND;
                }
                if let Some(targets) = self.used.get(&Self::segment_key(node, next))
                    && targets.iter().any(|t| *t != to)
                {
                    step_cost += SHARED;
                }
                let next_state = next * 5 + dir as usize;
                let next_cost = cost + step_cost;
                if next_cost < dist[next_state] {
                    dist[next_state] = next_cost;
                    prev[next_state] = state;
                    heap.push(Reverse((next_cost, next_state)));
                }
            }
        }
        let mut state = reached?;
        let mut nodes = vec![state / 5];
        while prev[state] != usize::MAX {
            state = prev[state];
            nodes.push(state / 5);
        }
        nodes.reverse();
        for pair in nodes.windows(2) {
            self.used
                .entry(Self::segment_key(pair[0], pair[1]))
                .or_default()
                .push(to);
        }
        let mut points: Vec<Point> = nodes.iter().map(|n| self.point(*n)).collect();
        simplify(&mut points);
        let n = points.len();
        points[0] = exit_point(&self.rects[from], points[0], points[1]);
        points[n - 1] = exit_point(&self.rects[to], points[n - 1], points[n - 2]);
        Some(points)
    }
}

/// Distance between parallel arrow tracks in the gaps between columns.
pub(crate) const GAP_TRACK: f64 = 16.0;

/// The three vertical arrow tracks of a gap that starts at `start` and is `space` wide:
/// its middle line and one on either side.
pub(crate) fn tracks(start: f64, space: f64) -> [f64; 3] {
    let middle = start + space / 2.0;
    [middle - GAP_TRACK, middle, middle + GAP_TRACK]
}

/// Drops points in the middle of straight runs.
fn simplify(points: &mut Vec<Point>) {
    let mut out: Vec<Point> = Vec::with_capacity(points.len());
    for p in points.iter().copied() {
        if out.len() >= 2 {
            let a = out[out.len() - 2];
            let b = out[out.len() - 1];
            let straight = ((a.x - b.x).abs() < EPS && (b.x - p.x).abs() < EPS)
                || ((a.y - b.y).abs() < EPS && (b.y - p.y).abs() < EPS);
            if straight {
                out.pop();
            }
        }
        out.push(p);
    }
    *points = out;
}

/// Where the axis-parallel ray from `center` towards `toward` leaves `rect`.
fn exit_point(rect: &Rect, center: Point, toward: Point) -> Point {
    if (toward.y - center.y).abs() < EPS {
        let x = if toward.x > center.x {
            rect.right()
        } else {
            rect.x
        };
        Point::new(x, center.y)
    } else {
        let y = if toward.y > center.y {
            rect.bottom()
        } else {
            rect.y
        };
        Point::new(center.x, y)
    }
}

/// What a label must keep clear of, and what it should rather keep clear of.
pub(crate) struct Surroundings<'a> {
    /// The label stays inside.
    pub(crate) bounds: Rect,
    /// Boxes: never covered.
    pub(crate) obstacles: &'a [Rect],
    /// Labels already placed: never covered.
    pub(crate) taken: &'a [Rect],
    /// Other arrows: crossed only when there is no other spot.
    pub(crate) paths: &'a [&'a [Point]],
    /// Group boxes: a label should not straddle their edges.
    pub(crate) outlines: &'a [Rect],
}

/// Where a label of `size` goes along `path`. With `near_start` the label hugs the start
/// of the arrow (a decision's branch); otherwise it sits near the middle of the longest
/// run (a connection's name).
pub(crate) fn place_label(
    size: (f64, f64),
    path: &[Point],
    near_start: bool,
    around: &Surroundings,
) -> Rect {
    let Surroundings {
        bounds,
        obstacles,
        taken,
        paths,
        outlines,
    } = *around;
    let (w, h) = size;
    let mut candidates: Vec<(i64, Rect)> = Vec::new();
    for (i, seg) in path.windows(2).enumerate() {
        let (a, b) = (seg[0], seg[1]);
        let length = (a.x - b.x).abs() + (a.y - b.y).abs();
        let horizontal = (a.y - b.y).abs() < EPS;
        // A run that another arrow shares is a poor place: the label would seem to belong
        // to both.
        let shared = paths.iter().any(|other| {
            other
                .windows(2)
                .any(|o| overlap_length(a, b, o[0], o[1]) > EPS)
        });
        let rank = if near_start {
            i as i64 * 40
        } else {
            -(length.round() as i64)
        } + if shared { 500 } else { 0 };
        let mut spots = Vec::new();
        if near_start {
            if horizontal {
                let x = if b.x > a.x { a.x + 8.0 } else { a.x - 8.0 - w };
                spots.push((0, Rect::new(x, a.y - 4.0 - h, w, h)));
                spots.push((1, Rect::new(x, a.y + 4.0, w, h)));
            } else {
                let y = if b.y > a.y { a.y + 6.0 } else { a.y - 6.0 - h };
                spots.push((0, Rect::new(a.x + 6.0, y, w, h)));
                spots.push((1, Rect::new(a.x - 6.0 - w, y, w, h)));
            }
        } else {
            // The middle first, then further out, for a spot clear of other lines.
            for (f, cost) in [(0.5, 0), (0.35, 15), (0.65, 15), (0.2, 30), (0.8, 30)] {
                let m = Point::new(a.x + (b.x - a.x) * f, a.y + (b.y - a.y) * f);
                if horizontal {
                    spots.push((cost, Rect::new(m.x - w / 2.0, m.y - 4.0 - h, w, h)));
                    spots.push((cost + 1, Rect::new(m.x - w / 2.0, m.y + 4.0, w, h)));
                } else {
                    spots.push((cost, Rect::new(m.x + 6.0, m.y - h / 2.0, w, h)));
                    spots.push((cost + 1, Rect::new(m.x - 6.0 - w, m.y - h / 2.0, w, h)));
                }
            }
        }
        for (cost, spot) in spots {
            if !bounds.contains_rect(&spot)
                || obstacles.iter().any(|o| o.inflate(3.0).overlaps(&spot))
                || taken.iter().any(|t| t.inflate(2.0).overlaps(&spot))
            {
                continue;
            }
            let mut score = rank + cost;
            for outline in outlines {
                if outline.overlaps(&spot) && !outline.contains_rect(&spot) {
                    score += 300;
                }
            }
            let padded = spot.inflate(2.0);
            for other in paths {
                for s in other.windows(2) {
                    if padded.segment_crosses_interior(s[0], s[1]) {
                        score += 1000;
                    }
                }
            }
            for (j, s) in path.windows(2).enumerate() {
                if j != i && padded.segment_crosses_interior(s[0], s[1]) {
                    score += 1000;
                }
            }
            candidates.push((score, spot));
        }
    }
    candidates
        .into_iter()
        .min_by(|a, b| a.0.cmp(&b.0))
        .map(|c| c.1)
        .or_else(|| free_spot_near(size, path, around))
        .unwrap_or_else(|| {
            let a = path[0];
            Rect::new(a.x + 8.0, a.y - 4.0 - h, w, h)
        })
}

/// A spot for a label of `size` clear of the boxes and the labels placed before it,
/// searched outward from the points of `path`, nearest first. For a crowded corner
/// (a decision with more ways out than a box has sides) where no spot beside a run is free.
fn free_spot_near(size: (f64, f64), path: &[Point], around: &Surroundings) -> Option<Rect> {
    const STEP: f64 = 6.0;
    const RINGS: i32 = 40;
    let (w, h) = size;
    let free = |spot: &Rect| {
        around.bounds.contains_rect(spot)
            && !around
                .obstacles
                .iter()
                .any(|o| o.inflate(3.0).overlaps(spot))
            && !around.taken.iter().any(|t| t.inflate(2.0).overlaps(spot))
    };
    for ring in 1..=RINGS {
        for p in path {
            for i in -ring..=ring {
                for (dx, dy) in [(i, -ring), (i, ring), (-ring, i), (ring, i)] {
                    let spot = Rect::new(
                        p.x + f64::from(dx) * STEP - w / 2.0,
                        p.y + f64::from(dy) * STEP - h / 2.0,
                        w,
                        h,
                    );
                    if free(&spot) {
                        return Some(spot);
                    }
                }
            }
        }
    }
    None
}

/// Length of the common part of two axis-parallel segments (zero unless collinear).
fn overlap_length(a: Point, b: Point, c: Point, d: Point) -> f64 {
    let horizontal = |p: Point, q: Point| (p.y - q.y).abs() < EPS;
    if horizontal(a, b) && horizontal(c, d) && (a.y - c.y).abs() < EPS {
        (a.x.max(b.x).min(c.x.max(d.x)) - a.x.min(b.x).max(c.x.min(d.x))).max(0.0)
    } else if !horizontal(a, b) && !horizontal(c, d) && (a.x - c.x).abs() < EPS {
        (a.y.max(b.y).min(c.y.max(d.y)) - a.y.min(b.y).max(c.y.min(d.y))).max(0.0)
    } else {
        0.0
    }
}

/// Width and height of an arrow label's box for its wrapped lines.
pub(crate) fn label_size(lines: &[String]) -> (f64, f64) {
    (
        (block_width(lines, SMALL_FONT) + 10.0).round(),
        lines.len() as f64 * SMALL_LINE + 4.0,
    )
}

/// Places the label of every arrow that has one (`texts[e]`: the text and its wrapped
/// lines), in arrow order, each clear of the boxes, of the labels placed before it and,
/// where it can be, of the other arrows; records on each edge which label is its own.
/// `near_start` puts a label by the start of its arrow rather than its middle.
pub(crate) fn place_edge_labels(
    edges: &mut [Edge],
    texts: &[Option<(String, Vec<String>)>],
    bounds: Rect,
    obstacles: &[Rect],
    outlines: &[Rect],
    near_start: bool,
) -> Vec<Label> {
    let mut labels: Vec<Label> = Vec::new();
    for e in 0..edges.len() {
        let Some((text, lines)) = texts[e].clone() else {
            continue;
        };
        let others: Vec<&[Point]> = edges
            .iter()
            .enumerate()
            .filter(|(j, _)| *j != e)
            .map(|(_, other)| other.points.as_slice())
            .collect();
        let taken: Vec<Rect> = labels.iter().map(|l| l.rect).collect();
        let around = Surroundings {
            bounds,
            obstacles,
            taken: &taken,
            paths: &others,
            outlines,
        };
        let rect = place_label(label_size(&lines), &edges[e].points, near_start, &around);
        edges[e].label = Some(labels.len());
        labels.push(Label {
            rect,
            text,
            lines,
            edge: e,
        });
    }
    labels
}

#[cfg(test)]
mod tests {
    use super::*;

    fn boxed(cx: f64, cy: f64) -> Rect {
        Rect::new(cx - 20.0, cy - 10.0, 40.0, 20.0)
    }

    #[test]
    fn goes_around_a_box_in_the_way() {
        let rects = vec![boxed(50.0, 50.0), boxed(150.0, 50.0), boxed(250.0, 50.0)];
        let xs = vec![0.0, 100.0, 200.0, 300.0];
        let ys = vec![10.0, 90.0];
        let mut grid = Grid::new(xs, ys, rects.clone());
        let path = grid.route(0, 2, None).unwrap();
        for s in path.windows(2) {
            assert!(!rects[1].segment_crosses_interior(s[0], s[1]));
        }
        assert!(rects[0].on_border(path[0], 0.01));
        assert!(rects[2].on_border(*path.last().unwrap(), 0.01));
    }

    #[test]
    fn forced_first_direction() {
        let rects = vec![boxed(50.0, 50.0), boxed(150.0, 50.0)];
        let mut grid = Grid::new(vec![0.0, 100.0, 200.0], vec![10.0, 90.0], rects);
        let path = grid.route(0, 1, Some(Dir::Down)).unwrap();
        assert_eq!(path[0], Point::new(50.0, 60.0));
    }
}
