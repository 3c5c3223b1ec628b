//! State diagrams as SVG, drawn on the server from a workflow definition: states in columns by
//! their distance from the initial state, transitions as labelled arrows, timers as notes.
//! Pure string building; every text is XML-escaped.

use std::collections::{BTreeMap, VecDeque};
use std::fmt::Write;

/// A state box.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Node {
    pub id: String,
    pub label: String,
    /// `initial`, `active`, `waiting`, `terminal`: drawn differently.
    pub kind: String,
    /// Extra lines under the label (timers that run in this state).
    pub notes: Vec<String>,
}

/// A transition arrow.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Edge {
    pub from: String,
    pub to: String,
    pub label: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Graph {
    pub title: String,
    pub nodes: Vec<Node>,
    pub edges: Vec<Edge>,
    /// Transitions possible from every open state (withdrawal): listed once in a legend
    /// instead of an arrow from each state.
    pub from_any: Vec<Edge>,
}

const BOX_W: i32 = 190;
const BOX_H: i32 = 58;
const COL_GAP: i32 = 120;
const ROW_GAP: i32 = 64;
const MARGIN: i32 = 24;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// Column of each node: its BFS distance from the first `initial` node (unreachable nodes go
/// in a last column).
fn layers(g: &Graph) -> BTreeMap<String, usize> {
    let mut depth = BTreeMap::new();
    let start = g
        .nodes
        .iter()
        .find(|n| n.kind == "initial")
        .or(g.nodes.first());
    let mut queue = VecDeque::new();
    if let Some(s) = start {
        depth.insert(s.id.clone(), 0usize);
        queue.push_back(s.id.clone());
    }
    while let Some(id) = queue.pop_front() {
        let d = depth.get(&id).copied().unwrap_or(0);
        for e in g.edges.iter().filter(|e| e.from == id) {
            if !depth.contains_key(&e.to) {
                depth.insert(e.to.clone(), d + 1);
                queue.push_back(e.to.clone());
            }
        }
    }
    let last = depth.values().copied().max().map(|m| m + 1).unwrap_or(0);
    for n in &g.nodes {
        depth.entry(n.id.clone()).or_insert(last);
    }
    depth
}

/// The diagram as a standalone `<svg>` element with a title and description for screen readers.
pub fn render(g: &Graph) -> String {
    let depth = layers(g);
    let mut columns: BTreeMap<usize, Vec<&Node>> = BTreeMap::new();
    for n in &g.nodes {
        columns.entry(depth[&n.id]).or_default().push(n);
    }
    let mut pos: BTreeMap<&str, (i32, i32)> = BTreeMap::new();
    let mut max_rows = 0;
    for (col, nodes) in &columns {
        max_rows = max_rows.max(nodes.len() as i32);
        for (row, n) in nodes.iter().enumerate() {
            let x = MARGIN + *col as i32 * (BOX_W + COL_GAP);
            let y = MARGIN + 30 + row as i32 * (BOX_H + ROW_GAP);
            pos.insert(n.id.as_str(), (x, y));
        }
    }
    let width = MARGIN * 2 + columns.len() as i32 * (BOX_W + COL_GAP) - COL_GAP;
    let legend_h = if g.from_any.is_empty() {
        0
    } else {
        24 + 20 * g.from_any.len() as i32
    };
    let height = MARGIN * 2 + 30 + max_rows * (BOX_H + ROW_GAP) + legend_h;

    let mut s = String::new();
    let _ = write!(
        s,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="wf-title wf-desc" class="workflow-svg" font-family="system-ui, sans-serif" font-size="13">"#,
        w = width.max(200),
        h = height
    );
    let _ = write!(s, r#"<title id="wf-title">{}</title>"#, escape(&g.title));
    let desc: Vec<String> = g
        .edges
        .iter()
        .map(|e| format!("{} → {}: {}", e.from, e.to, e.label))
        .collect();
    let _ = write!(
        s,
        r#"<desc id="wf-desc">{}</desc>"#,
        escape(&desc.join("; "))
    );
    s.push_str(r##"<defs><marker id="wf-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M0 0L10 5L0 10z" fill="#1b1f24"/></marker></defs>"##);

    // Arrows first, boxes on top.
    for (i, e) in g.edges.iter().enumerate() {
        let (Some(&(fx, fy)), Some(&(tx, ty))) = (pos.get(e.from.as_str()), pos.get(e.to.as_str()))
        else {
            continue;
        };
        let label = escape(&e.label);
        if e.from == e.to {
            // A loop over the top of the box.
            let (x1, x2, y) = (fx + BOX_W - 50, fx + BOX_W - 20, fy);
            let _ = write!(
                s,
                r##"<path d="M{x1} {y} C{x1} {top}, {x2} {top}, {x2} {y}" fill="none" stroke="#1b1f24" marker-end="url(#wf-arrow)"/><text x="{lx}" y="{ly}" text-anchor="middle" fill="#1b1f24">{label}</text>"##,
                top = y - 34,
                lx = (x1 + x2) / 2,
                ly = y - 36
            );
            continue;
        }
        let (x1, y1) = (fx + BOX_W, fy + BOX_H / 2);
        let (x2, y2) = if tx > fx {
            (tx, ty + BOX_H / 2)
        } else {
            (tx + BOX_W / 2, ty + BOX_H)
        };
        let (x1, y1) = if tx > fx {
            (x1, y1)
        } else {
            (fx + BOX_W / 2, fy + BOX_H)
        };
        // Back edges bend below the boxes; forward ones are straight.
        let path = if tx > fx {
            format!("M{x1} {y1} L{x2} {y2}")
        } else {
            let dip = y1.max(y2) + 28 + (i as i32 % 3) * 8;
            format!("M{x1} {y1} C{x1} {dip}, {x2} {dip}, {x2} {y2}")
        };
        let (lx, ly) = if tx > fx {
            ((x1 + x2) / 2, (y1 + y2) / 2 - 6)
        } else {
            ((x1 + x2) / 2, y1.max(y2) + 30)
        };
        let _ = write!(
            s,
            r##"<path d="{path}" fill="none" stroke="#1b1f24" marker-end="url(#wf-arrow)"/><text x="{lx}" y="{ly}" text-anchor="middle" fill="#1b1f24" paint-order="stroke" stroke="#fff" stroke-width="4">{label}</text>"##
        );
    }
    for n in &g.nodes {
        let Some(&(x, y)) = pos.get(n.id.as_str()) else {
            continue;
        };
        let (fill, stroke, dash) = match n.kind.as_str() {
            "initial" => ("#e8f1fb", "#0b4f8a", ""),
            "waiting" => ("#fff4d6", "#7a4a00", r#" stroke-dasharray="6 3""#),
            "terminal" => ("#f3f5f8", "#1b1f24", ""),
            _ => ("#ffffff", "#0b4f8a", ""),
        };
        let width = if n.kind == "terminal" { 3 } else { 2 };
        let _ = write!(
            s,
            r##"<g><rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" stroke="{stroke}" stroke-width="{width}"{dash}/><text x="{tx}" y="{ty}" text-anchor="middle" font-weight="600" fill="#1b1f24">{label}</text>"##,
            tx = x + BOX_W / 2,
            ty = y + 22,
            label = escape(&n.label)
        );
        for (k, note) in n.notes.iter().take(2).enumerate() {
            let _ = write!(
                s,
                r##"<text x="{tx}" y="{ty}" text-anchor="middle" font-size="11" fill="#4a5360">{note}</text>"##,
                tx = x + BOX_W / 2,
                ty = y + 38 + k as i32 * 13,
                note = escape(note)
            );
        }
        s.push_str("</g>");
    }
    if !g.from_any.is_empty() {
        let mut y = height - legend_h + 8;
        for e in &g.from_any {
            y += 20;
            let _ = write!(
                s,
                r##"<text x="{MARGIN}" y="{y}" fill="#1b1f24">⟳ {label} → {to}</text>"##,
                label = escape(&e.label),
                to = escape(&e.to)
            );
        }
    }
    s.push_str("</svg>");
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(id: &str, kind: &str) -> Node {
        Node {
            id: id.into(),
            label: id.into(),
            kind: kind.into(),
            notes: vec![],
        }
    }

    #[test]
    fn draws_every_state_and_transition_and_escapes_text() {
        let g = Graph {
            title: "Petiție <test> & co".into(),
            nodes: vec![
                node("a", "initial"),
                node("b", "active"),
                node("c", "terminal"),
            ],
            edges: vec![
                Edge {
                    from: "a".into(),
                    to: "b".into(),
                    label: "go".into(),
                },
                Edge {
                    from: "b".into(),
                    to: "b".into(),
                    label: "extend".into(),
                },
                Edge {
                    from: "b".into(),
                    to: "a".into(),
                    label: "back".into(),
                },
                Edge {
                    from: "b".into(),
                    to: "c".into(),
                    label: "\"end\"".into(),
                },
            ],
            from_any: vec![Edge {
                from: "*".into(),
                to: "c".into(),
                label: "withdraw".into(),
            }],
        };
        let svg = render(&g);
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("Petiție &lt;test&gt; &amp; co"));
        assert!(svg.contains("&quot;end&quot;"));
        assert_eq!(svg.matches("<rect").count(), 3);
        assert_eq!(svg.matches("marker-end").count(), 4);
        assert!(svg.contains("withdraw"));
        assert!(!svg.contains("<script"));
    }
}
