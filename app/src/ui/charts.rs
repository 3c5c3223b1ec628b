//! Charts drawn on the server as SVG: readable without JavaScript, printable, and each followed
//! by the table of its numbers (the SVG is an image with a name; the table is what a screen
//! reader reads).

use leptos::prelude::*;

/// One series of bars: its name (in the legend and the table) and its values, one per label
/// (`None`: no value, no bar).
#[derive(Clone, Debug)]
pub struct Series {
    pub name: &'static str,
    /// The CSS class that colours it (`series-1`, `series-2`).
    pub class: &'static str,
    pub values: Vec<Option<f64>>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 240.0;
const LEFT: f64 = 44.0;
const BOTTOM: f64 = 40.0;
const TOP: f64 = 12.0;

/// A "nice" top for the axis: 1, 2 or 5 times a power of ten, at least `max`.
fn nice_top(max: f64) -> f64 {
    if max <= 0.0 {
        return 1.0;
    }
    let p = 10f64.powf(max.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * p)
        .find(|v| *v >= max)
        .unwrap_or(10.0 * p)
}

fn fmt(v: f64) -> String {
    if v.fract() == 0.0 {
        format!("{v:.0}")
    } else {
        format!("{v:.1}")
    }
}

/// Grouped vertical bars: one group per label, one bar per series, with a legend and the
/// table of the numbers under the chart.
#[component]
pub fn BarChart(
    /// The element id of the chart's caption.
    #[prop(into)]
    id: String,
    caption: &'static str,
    /// The header of the labels' column in the table.
    label_header: &'static str,
    labels: Vec<String>,
    series: Vec<Series>,
    /// The axis top (e.g. 100 for percentages); by default from the data.
    #[prop(optional)]
    top: Option<f64>,
) -> AnyView {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().flatten())
        .fold(0.0f64, |a, b| a.max(*b));
    let top = top.unwrap_or_else(|| nice_top(max));
    let plot_w = WIDTH - LEFT - 8.0;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let groups = labels.len().max(1) as f64;
    let group_w = plot_w / groups;
    let bar_w = (group_w * 0.8 / series.len().max(1) as f64).max(1.0);
    // Every label when they fit, else every n-th.
    let step = ((labels.len() as f64 * 48.0 / plot_w).ceil() as usize).max(1);
    let y = move |v: f64| TOP + plot_h - (v / top).min(1.0) * plot_h;
    let grid = [0.0, top / 2.0, top]
        .into_iter()
        .map(|v| {
            view! {
                <line class="chart-grid" x1=LEFT x2=WIDTH - 8.0 y1=y(v) y2=y(v)/>
                <text class="chart-axis" x=LEFT - 6.0 y=y(v) + 4.0 text-anchor="end">{fmt(v)}</text>
            }
        })
        .collect_view();
    let bars = series
        .iter()
        .enumerate()
        .flat_map(|(si, s)| {
            s.values.iter().enumerate().filter_map(move |(li, v)| {
                v.map(|v| {
                    let x = LEFT + li as f64 * group_w + group_w * 0.1 + si as f64 * bar_w;
                    view! { <rect class=s.class x=x y=y(v) width=bar_w height=(TOP + plot_h - y(v)).max(0.0)/> }
                })
            })
        })
        .collect_view();
    let xlabels = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % step == 0)
        .map(|(i, l)| {
            let x = LEFT + i as f64 * group_w + group_w / 2.0;
            view! { <text class="chart-axis" x=x y=HEIGHT - BOTTOM + 16.0 text-anchor="middle">{l.clone()}</text> }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|s| view! { <li><span class=format!("legend-swatch {}", s.class) aria-hidden="true"></span>{s.name}</li> })
        .collect_view();
    let title_id = format!("{id}-title");
    let (figure_id, caption_id) = (id.clone(), id.clone());
    let labelled_by = title_id.clone();
    let head = series
        .iter()
        .map(|s| view! { <th scope="col">{s.name}</th> })
        .collect_view();
    let rows = labels
        .iter()
        .enumerate()
        .map(|(i, l)| {
            let cells = series
                .iter()
                .map(|s| view! { <td class="num">{s.values.get(i).copied().flatten().map(fmt).unwrap_or_else(|| "—".into())}</td> })
                .collect_view();
            view! { <tr><th scope="row">{l.clone()}</th>{cells}</tr> }
        })
        .collect_view();
    view! {
        <figure class="chart" aria-labelledby=figure_id>
            <figcaption id=caption_id>{caption}</figcaption>
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-labelledby=labelled_by preserveAspectRatio="xMidYMid meet">
                <title id=title_id>{caption}</title>
                {grid}
                {bars}
                <line class="chart-axis-line" x1=LEFT x2=WIDTH - 8.0 y1=y(0.0) y2=y(0.0)/>
                {xlabels}
            </svg>
            <ul class="chart-legend">{legend}</ul>
            <div class="table-wrap" tabindex="0" role="region" aria-labelledby=id>
                <table class="chart-table">
                    <thead><tr><th scope="col">{label_header}</th>{head}</tr></thead>
                    <tbody>{rows}</tbody>
                </table>
            </div>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axis_tops_are_round() {
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(7.0), 10.0);
        assert_eq!(nice_top(13.0), 20.0);
        assert_eq!(nice_top(45.0), 50.0);
        assert_eq!(nice_top(100.0), 100.0);
        assert_eq!(fmt(12.0), "12");
        assert_eq!(fmt(92.3), "92.3");
    }
}
