//! A small bar chart drawn as SVG on the server, so the trend is there before any script.

use leptos::prelude::*;

/// One bar: a label for the time axis, a height (None for a gap), its colour and the text
/// a screen reader announces.
#[derive(Debug, Clone, PartialEq)]
pub struct TrendBar {
    pub label: String,
    pub value: Option<f64>,
    pub color: &'static str,
    pub title: String,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const PAD_LEFT: f64 = 36.0;
const PAD_BOTTOM: f64 = 22.0;
const PAD_TOP: f64 = 8.0;

#[component]
pub fn TrendChart(
    bars: Vec<TrendBar>,
    label: String,
    #[prop(optional)] max: Option<f64>,
) -> impl IntoView {
    let top = max
        .unwrap_or_else(|| bars.iter().filter_map(|b| b.value).fold(0.0_f64, f64::max))
        .max(1.0);
    let plot_w = WIDTH - PAD_LEFT;
    let plot_h = HEIGHT - PAD_BOTTOM - PAD_TOP;
    let n = bars.len().max(1) as f64;
    let slot = plot_w / n;
    let bar_w = (slot * 0.8).max(1.0);
    let label_every = ((bars.len() as f64) / 6.0).ceil().max(1.0) as usize;
    let rects = bars
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let x = PAD_LEFT + i as f64 * slot + (slot - bar_w) / 2.0;
            let rect = b.value.map(|v| {
                let h = (v / top).clamp(0.0, 1.0) * plot_h;
                view! {
                    <rect x=format!("{x:.1}") y=format!("{:.1}", PAD_TOP + plot_h - h)
                        width=format!("{bar_w:.1}") height=format!("{h:.1}") fill=b.color>
                        <title>{b.title.clone()}</title>
                    </rect>
                }
            });
            let tick = (i % label_every == 0).then(|| {
                view! {
                    <text x=format!("{:.1}", x + bar_w / 2.0) y=format!("{:.1}", HEIGHT - 6.0)
                        text-anchor="middle" class="axis">{b.label.clone()}</text>
                }
            });
            view! { {rect} {tick} }
        })
        .collect_view();
    let grid = [0.0, 0.5, 1.0]
        .map(|f| {
            let y = PAD_TOP + plot_h - f * plot_h;
            view! {
                <line x1=format!("{PAD_LEFT}") x2=format!("{WIDTH}") y1=format!("{y:.1}") y2=format!("{y:.1}") class="grid" />
                <text x=format!("{:.1}", PAD_LEFT - 4.0) y=format!("{:.1}", y + 4.0) text-anchor="end" class="axis">
                    {format!("{:.0}", f * top)}
                </text>
            }
        })
        .into_iter()
        .collect_view();
    view! {
        <svg class="trend" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=label
            preserveAspectRatio="xMidYMid meet">
            {grid}
            {rects}
        </svg>
    }
}
