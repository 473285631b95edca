//! The hourly chart of one pollutant at one outlet (issue 5): the last [`CHART_HOURS`] of
//! self-reported values as an SVG drawn on the server, so it is there without any script,
//! with the limit as a dashed line labelled with its value, unit and standard, the hours
//! over the limit marked, and missing hours left as breaks in the line (missing data is
//! itself disclosed). Built like `crate::components::chart::TrendChart`.

use daylight_domain::enterprise::Averaging;
use leptos::prelude::*;

use super::texts::pollutant_name;
use super::{MonitoredView, CHART_HOURS};
use crate::components::format_local;
use crate::i18n::{use_lang, Lang};

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 200.0;
const PAD_LEFT: f64 = 44.0;
const PAD_RIGHT: f64 = 8.0;
const PAD_BOTTOM: f64 = 22.0;
const PAD_TOP: f64 = 18.0;
const HOUR: i64 = 3600;

/// The chart's texts, zh-CN first.
struct ChartTexts {
    heading: &'static str,
    limit: &'static str,
    daily_limit_note: &'static str,
    summary_values: &'static str,
    summary_missing: &'static str,
    summary_over: &'static str,
    summary_max: &'static str,
    no_values: &'static str,
}

fn chart_texts(lang: Lang) -> ChartTexts {
    ChartTexts {
        heading: lang.pick("近 7 天小时值", "Hourly values, last 7 days"),
        limit: lang.pick("限值", "limit"),
        daily_limit_note: lang.pick(
            "（日均值限值：单个小时值高于它不算超标）",
            " (a daily-mean limit: one hour above it is not an exceedance)",
        ),
        summary_values: lang.pick("小时值", "hourly values"),
        summary_missing: lang.pick("缺失小时", "hours missing"),
        summary_over: lang.pick("超过限值的小时", "hours over the limit"),
        summary_max: lang.pick("最高", "highest"),
        no_values: lang.pick(
            "近 7 天没有小时值。",
            "No hourly values in the last 7 days.",
        ),
    }
}

/// Where things go in the SVG, computed apart from the markup so it can be tested.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    /// An SVG path: one `M` per run of consecutive hours, so a missing hour is a break.
    pub path: String,
    /// Lone hours (no neighbour on either side) drawn as dots, since a path of one point
    /// shows nothing.
    pub lone: Vec<(f64, f64)>,
    /// The y of the limit line.
    pub limit_y: f64,
    /// The top of the value axis.
    pub top: f64,
    /// Points over the limit (x, y, time, value), for an hourly limit only.
    pub over: Vec<(f64, f64, i64, f64)>,
    /// Hours in the window without a value.
    pub missing: usize,
}

/// Lays out `points` (Unix seconds of the hour, value; sorted) over the `hours` ending at
/// `end` against `limit`.
pub fn geometry(points: &[(i64, f64)], limit: f64, end: i64, hours: i64, hourly: bool) -> Geometry {
    let start = end - hours * HOUR;
    let inside: Vec<(i64, f64)> = points
        .iter()
        .copied()
        .filter(|(t, v)| *t > start && *t <= end && v.is_finite())
        .collect();
    let max = inside.iter().map(|(_, v)| *v).fold(0.0_f64, f64::max);
    let top = nice_top(max.max(limit) * 1.1);
    let plot_w = WIDTH - PAD_LEFT - PAD_RIGHT;
    let plot_h = HEIGHT - PAD_TOP - PAD_BOTTOM;
    let x = |t: i64| PAD_LEFT + (t - start) as f64 / (hours * HOUR) as f64 * plot_w;
    let y = |v: f64| PAD_TOP + plot_h - (v / top).clamp(0.0, 1.0) * plot_h;
    let mut path = String::new();
    let mut lone = Vec::new();
    for (i, &(t, v)) in inside.iter().enumerate() {
        let joins_previous = i > 0 && t - inside[i - 1].0 == HOUR;
        let joins_next = inside.get(i + 1).is_some_and(|n| n.0 - t == HOUR);
        if joins_previous {
            path.push_str(&format!("L{:.1} {:.1}", x(t), y(v)));
        } else if joins_next {
            path.push_str(&format!("M{:.1} {:.1}", x(t), y(v)));
        } else {
            lone.push((x(t), y(v)));
        }
    }
    let over = if hourly {
        inside
            .iter()
            .filter(|(_, v)| *v > limit)
            .map(|&(t, v)| (x(t), y(v), t, v))
            .collect()
    } else {
        Vec::new()
    };
    let hours_with_value = {
        let mut slots: Vec<i64> = inside.iter().map(|(t, _)| t.div_euclid(HOUR)).collect();
        slots.dedup();
        slots.len()
    };
    Geometry {
        path,
        lone,
        limit_y: y(limit),
        top,
        over,
        missing: usize::try_from(hours)
            .unwrap_or(0)
            .saturating_sub(hours_with_value),
    }
}

/// A round number at or above `value` for the top of the axis (1, 2 or 5 times a power of
/// ten).
fn nice_top(value: f64) -> f64 {
    if !(value.is_finite() && value > 0.0) {
        return 1.0;
    }
    let power = 10f64.powf(value.log10().floor());
    [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|top| *top >= value)
        .unwrap_or(10.0 * power)
}

fn number(value: f64) -> String {
    if value.abs() >= 100.0 {
        format!("{value:.0}")
    } else if value.abs() >= 10.0 {
        format!("{value:.1}")
    } else {
        format!("{value:.2}")
    }
}

/// The chart of one monitored pollutant; nothing for manual monitoring.
#[component]
pub fn HourlyChart(
    monitored: MonitoredView,
    outlet: String,
    /// The end of the window (the page's "now"), Unix seconds.
    now: i64,
    offset: i32,
) -> impl IntoView {
    let lang = use_lang();
    let ct = chart_texts(lang);
    let m = monitored;
    let unit = m.unit.symbol();
    let hourly = m.averaging == Averaging::Hourly;
    let end = now.div_euclid(HOUR) * HOUR;
    let g = geometry(&m.recent, m.limit, end, CHART_HOURS, hourly);
    let name = pollutant_name(lang, m.pollutant);
    let limit_label = format!("{} {} {unit} · {}", ct.limit, number(m.limit), m.standard);
    let id = format!("chart-{outlet}-{}", m.pollutant.as_str());
    let title = format!("{outlet} · {name} · {}", ct.heading);
    let max = m.recent.iter().map(|(_, v)| *v).fold(f64::NAN, f64::max);
    let summary = if m.recent.is_empty() {
        ct.no_values.to_string()
    } else {
        format!(
            "{}: {}; {}: {}; {}: {}; {}: {} {unit}. {limit_label}{}",
            ct.summary_values,
            m.recent.len(),
            ct.summary_missing,
            g.missing,
            ct.summary_over,
            g.over.len(),
            ct.summary_max,
            number(max),
            if hourly { "" } else { ct.daily_limit_note },
        )
    };
    let plot_right = WIDTH - PAD_RIGHT;
    let plot_bottom = HEIGHT - PAD_BOTTOM;
    // Day ticks at local midnights.
    let start = end - CHART_HOURS * HOUR;
    let local = i64::from(offset) * 60;
    let first_midnight = ((start + local).div_euclid(86_400) + 1) * 86_400 - local;
    let ticks = (0..8)
        .map(|d| first_midnight + d * 86_400)
        .filter(|t| *t <= end)
        .map(|t| {
            let x = PAD_LEFT + (t - start) as f64 / (CHART_HOURS * HOUR) as f64 * (plot_right - PAD_LEFT);
            let label = chrono::DateTime::from_timestamp(t, 0)
                .map(|d| format_local(d, offset).chars().skip(5).take(5).collect::<String>())
                .unwrap_or_default();
            view! {
                <line x1=format!("{x:.1}") x2=format!("{x:.1}") y1=format!("{PAD_TOP}") y2=format!("{plot_bottom}") class="grid" />
                <text x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - 6.0) text-anchor="middle" class="axis">{label}</text>
            }
        })
        .collect_view();
    let lone = g
        .lone
        .iter()
        .map(|(x, y)| view! { <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="1.8" fill="#1f5fa8" /> })
        .collect_view();
    let over = g
        .over
        .iter()
        .map(|&(x, y, t, v)| {
            let when = chrono::DateTime::from_timestamp(t, 0)
                .map(|d| format_local(d, offset))
                .unwrap_or_default();
            view! {
                <circle class="over" cx=format!("{x:.1}") cy=format!("{y:.1}") r="3" fill="#c62828">
                    <title>{format!("{when}: {} {unit} > {} {unit}", number(v), number(m.limit))}</title>
                </circle>
            }
        })
        .collect_view();
    let label_y = (g.limit_y - 4.0).max(PAD_TOP - 4.0);
    view! {
        <figure class="outlet-chart" data-outlet=outlet.clone() data-pollutant=m.pollutant.as_str()>
            <figcaption>{title.clone()}</figcaption>
            <svg class="trend hourly-chart" viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img"
                aria-labelledby=format!("{id}-title {id}-desc") preserveAspectRatio="xMidYMid meet">
                <title id=format!("{id}-title")>{title}</title>
                <desc id=format!("{id}-desc")>{summary.clone()}</desc>
                <line x1=format!("{PAD_LEFT}") x2=format!("{plot_right}") y1=format!("{plot_bottom}") y2=format!("{plot_bottom}") class="grid" />
                <text x=format!("{:.1}", PAD_LEFT - 4.0) y=format!("{:.1}", plot_bottom + 4.0) text-anchor="end" class="axis">"0"</text>
                <text x=format!("{:.1}", PAD_LEFT - 4.0) y=format!("{:.1}", PAD_TOP + 4.0) text-anchor="end" class="axis">{number(g.top)}</text>
                {ticks}
                <path class="values" d=g.path.clone() fill="none" stroke="#1f5fa8" stroke-width="1.5" stroke-linejoin="round" />
                {lone}
                <line class="limit-line" x1=format!("{PAD_LEFT}") x2=format!("{plot_right}")
                    y1=format!("{:.1}", g.limit_y) y2=format!("{:.1}", g.limit_y)
                    stroke="#c62828" stroke-width="1.2" stroke-dasharray="6 4" />
                <text class="limit-label axis" x=format!("{:.1}", plot_right - 2.0) y=format!("{label_y:.1}") text-anchor="end" fill="#c62828">
                    {limit_label}
                </text>
                {over}
            </svg>
            <p class="chart-summary">{summary}</p>
        </figure>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const END: i64 = 1_764_460_800; // a whole hour

    fn hour(back: i64) -> i64 {
        END - back * HOUR
    }

    #[test]
    fn a_missing_hour_breaks_the_line_and_a_lone_hour_is_a_dot() {
        // 5, 4, 3 back; 2 missing; 1, 0 back; and a lone hour at 10 back.
        let points = [
            (hour(10), 10.0),
            (hour(5), 10.0),
            (hour(4), 20.0),
            (hour(3), 30.0),
            (hour(1), 40.0),
            (hour(0), 50.0),
        ];
        let g = geometry(&points, 100.0, END, 24, true);
        assert_eq!(g.path.matches('M').count(), 2, "{}", g.path);
        assert_eq!(g.path.matches('L').count(), 3, "{}", g.path);
        assert_eq!(g.lone.len(), 1);
        assert_eq!(g.missing, 24 - 6);
        assert!(g.over.is_empty());
    }

    #[test]
    fn the_limit_line_is_inside_the_plot_and_points_over_it_are_marked() {
        let points = [(hour(2), 50.0), (hour(1), 120.0), (hour(0), 100.0)];
        let g = geometry(&points, 100.0, END, 24, true);
        assert_eq!(g.top, 200.0);
        assert!(g.limit_y > PAD_TOP && g.limit_y < HEIGHT - PAD_BOTTOM);
        // At the limit is not over it.
        assert_eq!(g.over.len(), 1);
        assert_eq!(g.over[0].2, hour(1));
        assert!(g.over[0].1 < g.limit_y, "over the limit is above the line");
        // A daily limit: hours above it are not marked.
        assert!(geometry(&points, 100.0, END, 24, false).over.is_empty());
    }

    #[test]
    fn values_outside_the_window_are_left_out_and_the_axis_is_round() {
        let g = geometry(
            &[(hour(30), 900.0), (END + HOUR, 900.0)],
            30.0,
            END,
            24,
            true,
        );
        assert!(g.path.is_empty() && g.lone.is_empty());
        assert_eq!(g.missing, 24);
        assert_eq!(g.top, 50.0);
        assert_eq!(nice_top(0.0), 1.0);
        assert_eq!(nice_top(0.56), 1.0);
        assert_eq!(nice_top(110.0), 200.0);
    }
}
