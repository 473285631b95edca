//! The register's monthly statistics table (`/complaints?month=YYYY-MM`): a plain GET form
//! chooses the month, so it works without JavaScript; links step a month back and forth.

use leptos::prelude::*;

use super::texts::category_name;
use super::MonthlyStats;
use crate::i18n::Lang;

struct StatsTexts {
    title: &'static str,
    intro: &'static str,
    month: &'static str,
    show: &'static str,
    previous: &'static str,
    next: &'static str,
    empty: &'static str,
    district: &'static str,
    city_queue: &'static str,
    category: &'static str,
    count: &'static str,
    closed: &'static str,
    median_days: &'static str,
    overdue_share: &'static str,
}

const ZH: StatsTexts = StatsTexts {
    title: "月度统计",
    intro: "按区县和类别统计当月收到的投诉举报：件数、已办结件数、办结用时中位数（天，仅计已办结的），以及超期比例（未在受理时限或办结时限内受理或办结的，包括至今仍未办理完的）。",
    month: "月份",
    show: "查看",
    previous: "上个月",
    next: "下个月",
    empty: "该月没有投诉举报。",
    district: "区县",
    city_queue: "市级（未定位到区县）",
    category: "类别",
    count: "件数",
    closed: "已办结",
    median_days: "办结用时中位数（天）",
    overdue_share: "超期比例",
};

const EN: StatsTexts = StatsTexts {
    title: "Monthly statistics",
    intro: "The complaints received in the month, by district and kind: how many, how many are closed, the median days to close (of those closed), and the share overdue (not accepted or not closed within its deadline, including those still waiting).",
    month: "Month",
    show: "Show",
    previous: "Previous month",
    next: "Next month",
    empty: "No complaints in this month.",
    district: "District",
    city_queue: "City level (no district)",
    category: "Kind",
    count: "Count",
    closed: "Closed",
    median_days: "Median days to close",
    overdue_share: "Share overdue",
};

fn texts(lang: Lang) -> &'static StatsTexts {
    match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    }
}

#[component]
pub fn MonthlyStatsTable(lang: Lang, stats: MonthlyStats) -> impl IntoView {
    let st = texts(lang);
    let link = |m: super::Month| format!("/complaints?month={m}#stats");
    let rows = stats
        .rows
        .iter()
        .map(|line| {
            let r = &line.row;
            let median = r
                .median_days_to_close
                .map(|d| format!("{d:.1}"))
                .unwrap_or_else(|| "—".to_string());
            view! {
                <tr data-district=r.district.clone().unwrap_or_default() data-category=r.category.as_str()>
                    <td>{line.district.clone().unwrap_or_else(|| st.city_queue.to_string())}</td>
                    <td>{category_name(lang, r.category)}</td>
                    <td class="num" data-field="count">{r.count}</td>
                    <td class="num" data-field="closed">{r.closed}</td>
                    <td class="num" data-field="median">{median}</td>
                    <td class="num" data-field="overdue">
                        {format!("{:.0}%", r.overdue_share() * 100.0)}
                    </td>
                </tr>
            }
        })
        .collect_view();
    view! {
        <section class="complaint-stats" id="stats">
            <h2>{st.title}</h2>
            <p>{st.intro}</p>
            <form method="get" action="/complaints#stats" class="month-picker">
                <label>
                    {st.month} " "
                    <input type="month" name="month" value=stats.month.to_string() />
                </label>
                " "
                <button type="submit">{st.show}</button>
                " "
                <a href=link(stats.previous)>{st.previous}</a>
                {stats.next.map(|m| view! { " " <a href=link(m)>{st.next}</a> })}
            </form>
            {if stats.rows.is_empty() {
                view! { <p class="empty">{st.empty}</p> }.into_any()
            } else {
                view! {
                    <div class="table-scroll">
                        <table class="complaints stats">
                            <caption>{stats.month.to_string()}</caption>
                            <thead>
                                <tr>
                                    <th scope="col">{st.district}</th>
                                    <th scope="col">{st.category}</th>
                                    <th scope="col">{st.count}</th>
                                    <th scope="col">{st.closed}</th>
                                    <th scope="col">{st.median_days}</th>
                                    <th scope="col">{st.overdue_share}</th>
                                </tr>
                            </thead>
                            <tbody>{rows}</tbody>
                        </table>
                    </div>
                }
                    .into_any()
            }}
        </section>
    }
}
