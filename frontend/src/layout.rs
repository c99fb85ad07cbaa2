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
        row.sort_by_key(|i| (household_of(family[*i].0), family[*i].1, family[*i].0));
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
    for (a, b, tie) in ties {
        let (Some(p), Some(q)) = (node(*a), node(*b)) else { continue };
        match tie {
            Tie::PartnerOf => {
                lines.push(Line { points: vec![(p.x + R, p.y), (q.x - R, q.y)], kind: LineKind::Partner })
            }
            Tie::ParentOf => {
                // From below the parent's label, so the line never crosses it.
                let from = p.y + R + 24.0;
                let mid = (from + q.y - R) / 2.0;
                lines.push(Line {
                    points: vec![(p.x, from), (p.x, mid), (q.x, mid), (q.x, q.y - R)],
                    kind: LineKind::Parent,
                });
            }
            Tie::SiblingOf => {
                let over = p.y.min(q.y) - R - 14.0;
                lines.push(Line {
                    points: vec![(p.x, p.y - R), (p.x, over), (q.x, over), (q.x, q.y - R)],
                    kind: LineKind::Sibling,
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
        assert_eq!(g.lines.iter().filter(|l| l.kind == LineKind::Parent).count(), 2);
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
