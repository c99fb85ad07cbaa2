//! Geometry for the drawings and highlights of the review phase: the genogram, the
//! chronology timeline, and a text cut into pieces around the gate's hits. Pure
//! functions, tested on the host; the components only draw what these return.

use shared::genogram::Tie;
use shared::stage::Relationship;

/// The usual genogram shapes: a square for a male, a circle for a female; a diamond
/// where the record does not say.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    Square,
    Circle,
    Diamond,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub id: i64,
    pub x: f64,
    pub y: f64,
    pub shape: Shape,
    pub label: String,
    /// The child the review is about (drawn with a double outline).
    pub index: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    Partner,
    Parent,
    Sibling,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub points: Vec<(f64, f64)>,
    pub kind: LineKind,
    /// The people the line joins (for a parent line: the parents, then the children).
    pub joins: Vec<i64>,
}

/// The parent lines, one per sibship: the children who have the same recorded parents
/// hang from one bar of their own, joined to those parents (through the point between
/// them when there are two or more), each sibship at its own height. One parent's line
/// thus never runs along another's child: a half-sibling is drawn as the child of
/// their own parents only.
fn sibships(nodes: &[Node], ties: &[(i64, i64, Tie)]) -> Vec<Line> {
    let node = |id: i64| nodes.iter().find(|n| n.id == id);
    let mut groups: Vec<(Vec<i64>, Vec<i64>)> = Vec::new();
    for child in nodes {
        let mut parents: Vec<i64> = ties
            .iter()
            .filter(|(from, to, tie)| *tie == Tie::ParentOf && *to == child.id && node(*from).is_some())
            .map(|(from, _, _)| *from)
            .collect();
        if parents.is_empty() {
            continue;
        }
        parents.sort_unstable();
        parents.dedup();
        match groups.iter_mut().find(|(p, _)| *p == parents) {
            Some((_, children)) => children.push(child.id),
            None => groups.push((parents, vec![child.id])),
        }
    }
    // Couples' sibships higher up, so that a single parent's bar, lower down, never
    // meets the line between a couple.
    groups.sort_by_key(|(parents, children)| (std::cmp::Reverse(parents.len()), children.first().copied()));
    let count = groups.len() as f64;
    let mut lines = Vec::new();
    for (k, (parents, children)) in groups.iter().enumerate() {
        let ps: Vec<&Node> = parents.iter().filter_map(|id| node(*id)).collect();
        let cs: Vec<&Node> = children.iter().filter_map(|id| node(*id)).collect();
        // From below the parents' labels to above the children's shapes.
        let top = ps.iter().map(|p| p.y).fold(f64::MIN, f64::max) + R + 24.0;
        let bottom = cs.iter().map(|c| c.y).fold(f64::MAX, f64::min) - R;
        let step = (bottom - top) / (2.0 * count + 1.0);
        let join = top + step * (2.0 * k as f64 + 1.0);
        let bar = top + step * (2.0 * k as f64 + 2.0);
        let mut points = Vec::new();
        let drop_x = ps.iter().map(|p| p.x).sum::<f64>() / ps.len().max(1) as f64;
        if ps.len() > 1 {
            // Each parent down to the join, the join across, then down from between them.
            let left = ps.iter().map(|p| p.x).fold(f64::MAX, f64::min);
            let right = ps.iter().map(|p| p.x).fold(f64::MIN, f64::max);
            for p in &ps {
                lines.push(Line {
                    points: vec![(p.x, top), (p.x, join)],
                    kind: LineKind::Parent,
                    joins: joined(parents, children),
                });
            }
            lines.push(Line {
                points: vec![(left, join), (right, join)],
                kind: LineKind::Parent,
                joins: joined(parents, children),
            });
            points.push((drop_x, join));
        } else {
            points.push((drop_x, top));
        }
        points.push((drop_x, bar));
        lines.push(Line { points, kind: LineKind::Parent, joins: joined(parents, children) });
        let left = cs.iter().map(|c| c.x).fold(drop_x, f64::min);
        let right = cs.iter().map(|c| c.x).fold(drop_x, f64::max);
        if right > left {
            lines.push(Line {
                points: vec![(left, bar), (right, bar)],
                kind: LineKind::Parent,
                joins: joined(parents, children),
            });
        }
        for c in &cs {
            lines.push(Line {
                points: vec![(c.x, bar), (c.x, c.y - R)],
                kind: LineKind::Parent,
                joins: joined(parents, children),
            });
        }
    }
    lines
}

fn joined(parents: &[i64], children: &[i64]) -> Vec<i64> {
    parents.iter().chain(children).copied().collect()
}

#[derive(Debug, Clone, PartialEq)]
pub struct Boundary {
    pub label: String,
    pub x: f64,
    pub y: f64,
    pub w: f64,
    pub h: f64,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Genogram {
    pub nodes: Vec<Node>,
    pub lines: Vec<Line>,
    pub households: Vec<Boundary>,
    pub width: f64,
    pub height: f64,
}

/// Half the size of a person's shape.
pub const R: f64 = 22.0;
const DX: f64 = 170.0;
const DY: f64 = 140.0;
const MARGIN: f64 = 50.0;

fn shape_of(r: Relationship) -> Shape {
    match r {
        Relationship::Mother => Shape::Circle,
        Relationship::Father => Shape::Square,
        _ => Shape::Diamond,
    }
}

/// Lays out the family: parents' generation above the children's, partners side by
/// side, parent lines as elbows, each household a dashed boundary around its members.
/// Professionals are not family and are left out.
pub fn genogram(
    people: &[(i64, Relationship, String)],
    ties: &[(i64, i64, Tie)],
    households: &[(String, Vec<i64>)],
) -> Genogram {
    let family: Vec<&(i64, Relationship, String)> =
        people.iter().filter(|(_, r, _)| *r != Relationship::Professional).collect();
    if family.is_empty() {
        return Genogram::default();
    }
    // Generations: children and siblings below, everyone else above, then moved so that
    // every recorded parent sits one generation above their child.
    let mut generation: Vec<i32> =
        family.iter().map(|(_, r, _)| i32::from(matches!(r, Relationship::Child | Relationship::Sibling))).collect();
    let at = |id: i64| family.iter().position(|(p, _, _)| *p == id);
    for _ in 0..family.len() {
        let mut moved = false;
        for (from, to, tie) in ties {
            if let (Tie::ParentOf, Some(p), Some(c)) = (tie, at(*from), at(*to))
                && generation[p] >= generation[c]
            {
                generation[p] = generation[c] - 1;
                moved = true;
            }
        }
        if !moved {
            break;
        }
    }
    let top = generation.iter().copied().min().unwrap_or(0);
    let household_of = |id: i64| households.iter().position(|(_, m)| m.contains(&id)).unwrap_or(usize::MAX);
    let mut rows: Vec<Vec<usize>> = Vec::new();
    for (i, g) in generation.iter().enumerate() {
        let g = (g - top) as usize;
        if rows.len() <= g {
            rows.resize(g + 1, Vec::new());
        }
        rows[g].push(i);
    }
    let mut nodes = Vec::new();
    let widest = rows.iter().map(Vec::len).max().unwrap_or(1);
    for (g, row) in rows.iter_mut().enumerate() {
        // Below the first row, children sit under their parents (already placed), those
        // with the same parents together; the rest by household.
        let under = |i: usize| -> i64 {
            let xs: Vec<f64> = ties
                .iter()
                .filter(|(_, to, tie)| *tie == Tie::ParentOf && *to == family[i].0)
                .filter_map(|(from, _, _)| nodes.iter().find(|n: &&Node| n.id == *from).map(|n| n.x))
                .collect();
            if xs.is_empty() { i64::MAX } else { (xs.iter().sum::<f64>() / xs.len() as f64).round() as i64 }
        };
        row.sort_by_key(|i| (under(*i), household_of(family[*i].0), family[*i].1, family[*i].0));
        // Partners next to each other.
        let mut ordered: Vec<usize> = Vec::new();
        for i in row.iter().copied() {
            if ordered.contains(&i) {
                continue;
            }
            ordered.push(i);
            let id = family[i].0;
            for (a, b, tie) in ties {
                let other = if *a == id {
                    *b
                } else if *b == id {
                    *a
                } else {
                    continue;
                };
                if let (Tie::PartnerOf, Some(j)) = (tie, at(other))
                    && row.contains(&j)
                    && !ordered.contains(&j)
                {
                    ordered.push(j);
                }
            }
        }
        let offset = (widest - ordered.len()) as f64 * DX / 2.0;
        for (k, i) in ordered.iter().enumerate() {
            let (id, rel, label) = family[*i];
            nodes.push(Node {
                id: *id,
                x: MARGIN + offset + k as f64 * DX + R,
                y: MARGIN + g as f64 * DY + R + 16.0,
                shape: shape_of(*rel),
                label: label.clone(),
                index: *rel == Relationship::Child,
            });
        }
    }
    let node = |id: i64| nodes.iter().find(|n| n.id == id);
    let mut lines = Vec::new();
    lines.extend(sibships(&nodes, ties));
    for (a, b, tie) in ties {
        let (Some(p), Some(q)) = (node(*a), node(*b)) else { continue };
        match tie {
            Tie::PartnerOf => lines.push(Line {
                points: vec![(p.x + R, p.y), (q.x - R, q.y)],
                kind: LineKind::Partner,
                joins: vec![*a, *b],
            }),
            Tie::ParentOf => {}
            Tie::SiblingOf => {
                let over = p.y.min(q.y) - R - 14.0;
                lines.push(Line {
                    points: vec![(p.x, p.y - R), (p.x, over), (q.x, over), (q.x, q.y - R)],
                    kind: LineKind::Sibling,
                    joins: vec![*a, *b],
                });
            }
        }
    }
    let mut boundaries = Vec::new();
    for (label, members) in households {
        let inside: Vec<&Node> = nodes.iter().filter(|n| members.contains(&n.id)).collect();
        if inside.is_empty() {
            continue;
        }
        let pad = R + 12.0;
        let min_x = inside.iter().map(|n| n.x).fold(f64::MAX, f64::min) - pad;
        let max_x = inside.iter().map(|n| n.x).fold(f64::MIN, f64::max) + pad;
        let min_y = inside.iter().map(|n| n.y).fold(f64::MAX, f64::min) - pad - 10.0;
        let max_y = inside.iter().map(|n| n.y).fold(f64::MIN, f64::max) + pad + 14.0;
        boundaries.push(Boundary { label: label.clone(), x: min_x, y: min_y, w: max_x - min_x, h: max_y - min_y });
    }
    let width = 2.0 * MARGIN + widest as f64 * DX;
    let height = 2.0 * MARGIN + rows.len() as f64 * DY;
    Genogram { nodes, lines, households: boundaries, width, height }
}

/// Days since 1 January 1970 of a `YYYY-MM-DD` date (proleptic Gregorian).
pub fn day_number(iso: &str) -> Option<i64> {
    let mut p = iso.get(..10)?.split('-');
    let (y, m, d): (i64, i64, i64) = (p.next()?.parse().ok()?, p.next()?.parse().ok()?, p.next()?.parse().ok()?);
    if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
        return None;
    }
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    Some(era * 146_097 + doe - 719_468)
}

/// Maps dates onto `[left, left + width]` over the span of `dates`.
#[derive(Debug, Clone, Copy)]
pub struct TimeScale {
    first: i64,
    span: i64,
    left: f64,
    width: f64,
}

impl TimeScale {
    pub fn over<'a>(dates: impl IntoIterator<Item = &'a str>, left: f64, width: f64) -> Self {
        let days: Vec<i64> = dates.into_iter().filter_map(day_number).collect();
        let first = days.iter().copied().min().unwrap_or(0);
        let last = days.iter().copied().max().unwrap_or(first);
        Self { first, span: (last - first).max(1), left, width }
    }

    pub fn x(&self, iso: &str) -> f64 {
        let d = day_number(iso).unwrap_or(self.first);
        self.left + (d - self.first) as f64 / self.span as f64 * self.width
    }
}

/// A piece of text, and which hit it is if it is one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub hit: Option<usize>,
}

/// Cuts `text` into plain pieces and hits. Hits are byte ranges as the gate reports
/// them; overlapping or out-of-range ones are skipped rather than trusted.
pub fn pieces(text: &str, hits: &[(usize, usize)]) -> Vec<Piece> {
    let mut order: Vec<usize> = (0..hits.len()).collect();
    order.sort_by_key(|i| hits[*i].0);
    let mut out = Vec::new();
    let mut at = 0;
    for i in order {
        let (s, e) = hits[i];
        if s < at || e > text.len() || s >= e || !text.is_char_boundary(s) || !text.is_char_boundary(e) {
            continue;
        }
        if s > at {
            out.push(Piece { text: text[at..s].to_owned(), hit: None });
        }
        out.push(Piece { text: text[s..e].to_owned(), hit: Some(i) });
        at = e;
    }
    if at < text.len() {
        out.push(Piece { text: text[at..].to_owned(), hit: None });
    }
    out
}

/// `text` with the byte range `start..end` replaced by `label`, when the range still
/// holds `found` (the text may have changed since the check).
pub fn replace_at(text: &str, start: usize, end: usize, found: &str, label: &str) -> Option<String> {
    (text.get(start..end)? == found).then(|| format!("{}{label}{}", &text[..start], &text[end..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn family() -> Vec<(i64, Relationship, String)> {
        vec![
            (1, Relationship::Child, "Child A".into()),
            (2, Relationship::Mother, "Mother".into()),
            (3, Relationship::Father, "Father".into()),
            (4, Relationship::Sibling, "Sibling 1".into()),
            (5, Relationship::Professional, "Social worker 1".into()),
        ]
    }

    #[test]
    fn parents_sit_above_their_children_and_professionals_are_left_out() {
        let ties = [(2, 1, Tie::ParentOf), (3, 1, Tie::ParentOf), (2, 3, Tie::PartnerOf)];
        let g = genogram(&family(), &ties, &[]);
        assert_eq!(g.nodes.len(), 4);
        let y = |id| g.nodes.iter().find(|n| n.id == id).unwrap().y;
        assert!(y(2) < y(1) && y(3) < y(1));
        assert_eq!(y(1), y(4));
        let shapes: Vec<Shape> = g.nodes.iter().map(|n| n.shape).collect();
        assert!(shapes.contains(&Shape::Circle) && shapes.contains(&Shape::Square));
        assert!(g.nodes.iter().find(|n| n.id == 1).unwrap().index);
        // Both parents join above the child: every parent line joins the two and the child.
        let parent_lines: Vec<&Line> = g.lines.iter().filter(|l| l.kind == LineKind::Parent).collect();
        assert!(!parent_lines.is_empty());
        assert!(parent_lines.iter().all(|l| l.joins == vec![2, 3, 1]), "{parent_lines:?}");
    }

    #[test]
    fn a_half_sibling_hangs_from_their_own_parent_only() {
        // The child has a mother and a father; the sibling the mother only.
        let ties = [(2, 1, Tie::ParentOf), (3, 1, Tie::ParentOf), (2, 4, Tie::ParentOf), (2, 3, Tie::PartnerOf)];
        let g = genogram(&family(), &ties, &[]);
        let x = |id| g.nodes.iter().find(|n| n.id == id).unwrap().x;
        let y = |id| g.nodes.iter().find(|n| n.id == id).unwrap().y;
        let fathers: Vec<&Line> =
            g.lines.iter().filter(|l| l.kind == LineKind::Parent && l.joins.contains(&3)).collect();
        // No line of the father's comes down to the sibling...
        assert!(
            !fathers
                .iter()
                .any(|l| l.points.iter().any(|p| (p.0 - x(4)).abs() < 1.0 && (p.1 - (y(4) - R)).abs() < 1.0)),
            "a line of the father's reaches the sibling"
        );
        // ...and the bar the father's children hang from does not pass over the sibling.
        let bar = fathers
            .iter()
            .find(|l| {
                l.points.len() == 2 && (l.points[0].0 - x(1)).abs() < 1.0 && (l.points[1].1 - (y(1) - R)).abs() < 1.0
            })
            .map(|l| l.points[0].1)
            .expect("the child's line");
        for l in &fathers {
            for w in l.points.windows(2) {
                if (w[0].1 - bar).abs() < 1e-6 && (w[1].1 - bar).abs() < 1e-6 {
                    let (lo, hi) = (w[0].0.min(w[1].0), w[0].0.max(w[1].0));
                    assert!(!(lo - 1.0..=hi + 1.0).contains(&x(4)), "the father's bar {l:?} runs over the sibling");
                }
            }
        }
        // The sibling's own line comes from the mother.
        assert!(g.lines.iter().any(|l| l.kind == LineKind::Parent && l.joins == vec![2, 4]));
        // Each sibship's bar at a height of its own.
        let bars: Vec<f64> = g
            .lines
            .iter()
            .filter(|l| {
                l.kind == LineKind::Parent
                    && l.points.len() == 2
                    && (l.points[0].1 - l.points[1].1).abs() < f64::EPSILON
            })
            .map(|l| l.points[0].1)
            .collect();
        let mut distinct = bars.clone();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        assert_eq!(bars.len(), distinct.len(), "no two horizontal parent lines share a height: {bars:?}");
    }

    #[test]
    fn a_grandparent_moves_the_parent_down_a_generation() {
        let mut people = family();
        people.push((6, Relationship::HouseholdMember, "Grandmother".into()));
        let g = genogram(&people, &[(6, 2, Tie::ParentOf), (2, 1, Tie::ParentOf)], &[]);
        let y = |id| g.nodes.iter().find(|n| n.id == id).unwrap().y;
        assert!(y(6) < y(2) && y(2) < y(1));
    }

    #[test]
    fn a_household_boundary_encloses_its_members() {
        let g = genogram(&family(), &[(2, 1, Tie::ParentOf)], &[("Household 1".into(), vec![1, 2])]);
        let b = &g.households[0];
        for n in g.nodes.iter().filter(|n| n.id == 1 || n.id == 2) {
            assert!(n.x - R > b.x && n.x + R < b.x + b.w && n.y - R > b.y && n.y + R < b.y + b.h);
        }
    }

    #[test]
    fn dates_count_days_and_scale_across_the_span() {
        assert_eq!(day_number("1970-01-01"), Some(0));
        assert_eq!(day_number("2024-03-01").unwrap() - day_number("2024-02-28").unwrap(), 2);
        assert_eq!(day_number("nonsense"), None);
        let s = TimeScale::over(["2025-01-01", "2025-01-11"], 100.0, 500.0);
        assert_eq!(s.x("2025-01-01"), 100.0);
        assert_eq!(s.x("2025-01-11"), 600.0);
        assert_eq!(s.x("2025-01-06"), 350.0);
    }

    #[test]
    fn text_is_cut_around_hits_and_a_hit_is_replaced_only_where_it_still_is() {
        let t = "Kelly Sutton told Jo.";
        let p = pieces(t, &[(18, 20), (0, 12)]);
        assert_eq!(
            p,
            vec![
                Piece { text: "Kelly Sutton".into(), hit: Some(1) },
                Piece { text: " told ".into(), hit: None },
                Piece { text: "Jo".into(), hit: Some(0) },
                Piece { text: ".".into(), hit: None },
            ]
        );
        assert_eq!(replace_at(t, 0, 12, "Kelly Sutton", "Mother").unwrap(), "Mother told Jo.");
        assert_eq!(replace_at(t, 0, 12, "Someone", "Mother"), None);
        assert_eq!(pieces(t, &[(5, 99)]).len(), 1, "out of range is ignored");
    }
}
