//! Charts, drawn as SVG from the geometry `core::chart` computes. Every chart has a title,
//! axis labels in the user's number format, marks that show their value on hover and on
//! keyboard focus, a text alternative, and its data as a table on request. Colours are from
//! the Okabe–Ito palette (safe for colour-blind readers).

use rust_decimal::prelude::FromPrimitive;
use rust_decimal::Decimal;
use yew::prelude::*;

use std::rc::Rc;

use crate::core::analysis::view::ClientPeriods;
use crate::core::analysis::{Cell, Family};
use crate::core::chart::{self, Anchor, Frame, PeriodChart, Scale};
use crate::i18n::format::{count, money, money_whole, percent};
use crate::i18n::{Lang, T};
use crate::ui::state::{AppState, Page};
use crate::ui::{use_derived, use_portfolio};

fn pct_number(lang: Lang, v: f64) -> String {
    Decimal::from_f64(v / 100.0).map_or_else(String::new, |d| percent(lang, d, 0))
}

/// A tick label in money: whole units, or cents where the ticks are less than a unit apart.
fn money_tick(lang: Lang, currency: &str, ticks: &[f64]) -> impl Fn(f64) -> String {
    let fine = ticks.windows(2).any(|w| (w[1] - w[0]).abs() < 1.0);
    let currency = currency.to_string();
    move |v: f64| {
        Decimal::from_f64(v).map_or_else(String::new, |d| if fine { money(lang, d, &currency) } else { money_whole(lang, d, &currency) })
    }
}

/// Under a data table that lists a selection: how many of how many, and where the rest are.
fn selection(lang: Lang, shown: usize, total: usize) -> Html {
    if shown >= total {
        return html! {};
    }
    html! { <p class="muted">{ lang.fill(T::ChartSelection, &[&count(lang, shown), &count(lang, total)]) }</p> }
}

/// Grid lines and labels of a y axis, and the axis titles.
fn axes(frame: &Frame, y: &Scale, y_ticks: &[f64], label: &dyn Fn(f64) -> String, x_title: &str, y_title: &str) -> Html {
    let (x0, x1) = frame.x_range();
    html! {
        <g class="axes">
            { for y_ticks.iter().map(|t| {
                let py = y.map(*t);
                html! {
                    <g>
                        <line class="grid" x1={format!("{x0:.1}")} x2={format!("{x1:.1}")} y1={format!("{py:.1}")} y2={format!("{py:.1}")} />
                        <text class="tick" x={format!("{:.1}", x0 - 6.0)} y={format!("{:.1}", py + 4.0)} text-anchor="end">{ label(*t) }</text>
                    </g>
                }
            }) }
            <line class="axis" x1={format!("{x0:.1}")} x2={format!("{x0:.1}")} y1={format!("{:.1}", frame.top)} y2={format!("{:.1}", frame.height - frame.bottom)} />
            <text class="axis-title" x={format!("{:.1}", (x0 + x1) / 2.0)} y={format!("{:.1}", frame.height - 6.0)} text-anchor="middle">{ x_title.to_string() }</text>
            <text class="axis-title" transform={format!("translate(14 {:.1}) rotate(-90)", (frame.top + frame.height - frame.bottom) / 2.0)} text-anchor="middle">{ y_title.to_string() }</text>
        </g>
    }
}

/// A focusable mark's readout: shown under the chart while hovered or focused.
#[hook]
fn use_readout() -> (UseStateHandle<Option<String>>, Callback<Option<String>>) {
    let readout = use_state(|| None::<String>);
    let set = {
        let readout = readout.clone();
        Callback::from(move |v: Option<String>| readout.set(v))
    };
    (readout, set)
}

fn focus_handlers(set: &Callback<Option<String>>, text: String) -> (Callback<FocusEvent>, Callback<FocusEvent>, Callback<MouseEvent>, Callback<MouseEvent>) {
    let (a, b, c, d) = (set.clone(), set.clone(), set.clone(), set.clone());
    let (t1, t2) = (text.clone(), text);
    (
        Callback::from(move |_| a.emit(Some(t1.clone()))),
        Callback::from(move |_| b.emit(None)),
        Callback::from(move |_| c.emit(Some(t2.clone()))),
        Callback::from(move |_| d.emit(None)),
    )
}

struct Figure<'a> {
    testid: &'static str,
    title: &'a str,
    summary: String,
    svg: Html,
    legend: Html,
    /// The data table, built only while its disclosure is open.
    table: Callback<(), Html>,
}

fn figure(f: Figure, readout: &Option<String>, lang: Lang) -> Html {
    let Figure { testid, title, summary, svg, legend, table } = f;
    html! {
        <figure class="chart" data-testid={testid}>
            <figcaption>{ title.to_string() }</figcaption>
            <div class="chart-svg" role="group" aria-label={format!("{title}. {summary}")}>{ svg }</div>
            { legend }
            <p class="readout" aria-live="polite">{ readout.clone().unwrap_or_else(|| summary.clone()) }</p>
            <DataTable label={AttrValue::from(lang.t(T::DataTable))} {table} />
        </figure>
    }
}

#[derive(Properties, PartialEq)]
struct DataTableProps {
    label: AttrValue,
    table: Callback<(), Html>,
}

/// A chart's data as a table, behind a disclosure; built and rendered only while open, so a
/// page of charts stays small and quick (each table has up to 250 rows of formatted numbers).
#[component]
fn DataTable(props: &DataTableProps) -> Html {
    let open = use_state(|| false);
    let ontoggle = {
        let open = open.clone();
        Callback::from(move |e: Event| open.set(e.target_unchecked_into::<web_sys::HtmlDetailsElement>().open()))
    };
    html! {
        <details class="chart-data no-print" {ontoggle}>
            <summary>{ props.label.clone() }</summary>
            if *open { { props.table.emit(()) } }
        </details>
    }
}

/// The charts' models, as derivations the pages share and [`crate::ui::pages::WARM_UP`] builds
/// ahead.
pub fn whale(s: &AppState, _: &()) -> Option<chart::WhaleChart> {
    chart::whale(&s.analysis)
}

pub fn pareto(s: &AppState, _: &()) -> Option<chart::ParetoChart> {
    chart::pareto(&s.analysis, &s.portfolio.settings)
}

pub fn concentration(s: &AppState, _: &()) -> chart::Concentration {
    chart::concentration(&s.analysis, &s.portfolio.settings)
}

pub fn scatter(s: &AppState, _: &()) -> chart::Scatter {
    chart::scatter(&s.analysis)
}

/// Kaplan's whale curve with its peak and the 100% line.
#[component]
pub fn WhaleCurve() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let (readout, set) = use_readout();
    let whale = use_derived((), whale);
    let Some(w) = &*whale else { return html! {} };
    let (share, peak) = w.values[w.peak];
    let peak_text = lang.fill(T::WhalePeak, &[&pct_number(lang, share), &pct_number(lang, peak)]);
    let frame = w.frame;
    let (x0, x1) = frame.x_range();
    let pp = w.points[w.peak];
    let svg = html! {
        <svg viewBox={format!("0 0 {} {}", frame.width, frame.height)} preserveAspectRatio="xMidYMid meet" focusable="false">
            { axes(&frame, &w.y, &w.y_ticks, &|t| pct_number(lang, t), lang.t(T::WhaleX), lang.t(T::WhaleY)) }
            { for w.x_ticks.iter().map(|t| html! {
                <text class="tick" x={format!("{:.1}", w.x.map(*t))} y={format!("{:.1}", frame.height - frame.bottom + 16.0)} text-anchor="middle">{ pct_number(lang, *t) }</text>
            }) }
            <line class="reference" x1={format!("{x0:.1}")} x2={format!("{x1:.1}")} y1={format!("{:.1}", w.hundred)} y2={format!("{:.1}", w.hundred)} />
            <path class="series s1" d={w.path.clone()} />
            { for w.marks.iter().map(|&k| {
                let p = &w.points[k];
                let c = &app.analysis.clients[app.analysis.profit_order[k]];
                let text = lang.fill(T::PointValue, &[&c.name, &pct_number(lang, w.values[k].1)]);
                let (f, b, e, l) = focus_handlers(&set, text.clone());
                html! {
                    <circle class="mark s1" cx={format!("{:.1}", p.x)} cy={format!("{:.1}", p.y)} r="3" tabindex="0" role="img" aria-label={text.clone()}
                        onfocus={f} onblur={b} onmouseenter={e} onmouseleave={l}><title>{ text }</title></circle>
                }
            }) }
            <circle class="peak" cx={format!("{:.1}", pp.x)} cy={format!("{:.1}", pp.y)} r="6" />
            <text class="peak-label" x={format!("{:.1}", if w.peak_anchor == Anchor::Start { pp.x + 10.0 } else { pp.x - 10.0 })} y={format!("{:.1}", pp.y - 8.0)}
                text-anchor={if w.peak_anchor == Anchor::Start { "start" } else { "end" }}>{ peak_text.clone() }</text>
        </svg>
    };
    let table = {
        let (app, whale) = (app.clone(), whale.clone());
        Callback::from(move |_| {
            let Some(w) = &*whale else { return html! {} };
            html! {
                <><table class="data"><thead><tr><th scope="col">{ lang.t(T::Name) }</th><th scope="col" class="num">{ lang.t(T::WhaleY) }</th></tr></thead>
                <tbody>{ for w.marks.iter().map(|&k| html! { <tr><td>{ &app.analysis.clients[app.analysis.profit_order[k]].name }</td><td class="num">{ pct_number(lang, w.values[k].1) }</td></tr> }) }</tbody></table>
                { selection(lang, w.marks.len(), w.values.len()) }</>
            }
        })
    };
    figure(Figure { testid: "whale-curve", title: lang.t(T::WhaleTitle), summary: peak_text, svg, legend: html! {}, table }, &readout, lang)
}

/// The Pareto curve of the ABC basis, with the class cut-offs and bands.
#[component]
pub fn ParetoCurve() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let (readout, set) = use_readout();
    let pareto = use_derived((), pareto);
    let Some(p) = &*pareto else { return html! {} };
    let frame = p.frame;
    let (x0, x1) = frame.x_range();
    let a_text = percent(lang, p.a, 0);
    let ab_text = percent(lang, p.ab, 0);
    let summary = format!("A < {a_text} · B < {ab_text}");
    let svg = html! {
        <svg viewBox={format!("0 0 {} {}", frame.width, frame.height)} preserveAspectRatio="xMidYMid meet" focusable="false">
            { for p.bands.iter().zip(["A", "B", "C"]).filter(|(b, _)| b.1 > b.0).map(|(b, name)| html! {
                <g>
                    <rect class={format!("band band-{name}")} x={format!("{:.1}", b.0)} y={format!("{:.1}", frame.top)} width={format!("{:.1}", b.1 - b.0)} height={format!("{:.1}", frame.height - frame.top - frame.bottom)} />
                    <text class="band-label" x={format!("{:.1}", (b.0 + b.1) / 2.0)} y={format!("{:.1}", frame.height - frame.bottom + 16.0)} text-anchor="middle">{ name }</text>
                </g>
            }) }
            { axes(&frame, &p.y, &p.y_ticks, &|t| pct_number(lang, t), lang.t(T::ParetoX), lang.t(T::ParetoY)) }
            { for p.bars.iter().zip(&p.clients).map(|(bar, &i)| {
                let c = &app.analysis.clients[i];
                let text = lang.fill(T::PointValue, &[&c.name, &c.abc.share.map_or_else(String::new, |s| percent(lang, s, 1))]);
                let (f, b, e, l) = focus_handlers(&set, text.clone());
                html! {
                    <rect class={format!("mark bar abc-{}", c.cell.abc)} x={format!("{:.1}", bar.x)} y={format!("{:.1}", bar.y)} width={format!("{:.1}", bar.width)} height={format!("{:.1}", bar.height.max(0.5))} tabindex="0" role="img" aria-label={text.clone()}
                        onfocus={f} onblur={b} onmouseenter={e} onmouseleave={l}><title>{ text }</title></rect>
                }
            }) }
            <path class="series s1" d={p.path.clone()} />
            <line class="cutoff" x1={format!("{x0:.1}")} x2={format!("{x1:.1}")} y1={format!("{:.1}", p.cut_a)} y2={format!("{:.1}", p.cut_a)} />
            <text class="cutoff-label" x={format!("{:.1}", x1 - 4.0)} y={format!("{:.1}", p.cut_a - 4.0)} text-anchor="end">{ format!("a = {a_text}") }</text>
            <line class="cutoff" x1={format!("{x0:.1}")} x2={format!("{x1:.1}")} y1={format!("{:.1}", p.cut_ab)} y2={format!("{:.1}", p.cut_ab)} />
            <text class="cutoff-label" x={format!("{:.1}", x1 - 4.0)} y={format!("{:.1}", p.cut_ab - 4.0)} text-anchor="end">{ format!("a + b = {ab_text}") }</text>
        </svg>
    };
    let table = {
        let (app, pareto) = (app.clone(), pareto.clone());
        Callback::from(move |_| {
            let Some(p) = &*pareto else { return html! {} };
            html! {
                <><table class="data"><thead><tr><th scope="col">{ lang.t(T::Name) }</th><th scope="col">{ lang.t(T::Abc) }</th><th scope="col" class="num">{ lang.t(T::ParetoY) }</th></tr></thead>
                <tbody>{ for p.clients.iter().map(|&i| { let c = &app.analysis.clients[i]; html! { <tr><td>{ &c.name }</td><td>{ c.cell.abc.as_str() }</td><td class="num">{ c.abc.cumulative.map_or_else(String::new, |s| percent(lang, s, 1)) }</td></tr> } }) }</tbody></table>
                { selection(lang, p.clients.len(), p.total) }</>
            }
        })
    };
    figure(Figure { testid: "pareto-curve", title: lang.t(T::ParetoTitle), summary, svg, legend: html! {}, table }, &readout, lang)
}

/// Top clients' profit shares against the max-share line.
#[component]
pub fn ConcentrationBars() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let a = &app.analysis;
    let s = &app.portfolio.settings;
    let model = use_derived((), concentration);
    let (top, bars) = (&model.clients, &model.bars);
    let limit = lang.fill(T::MaxShareLine, &[&percent(lang, s.max_share, 0)]);
    html! {
        <figure class="chart" data-testid="concentration-bars">
            <figcaption>{ lang.t(T::ConcentrationTitle) }</figcaption>
            <p class="legend"><span class="marker-key" aria-hidden="true" />{ limit.clone() }</p>
            <div class="bars" role="list" aria-label={format!("{}. {limit}", lang.t(T::ConcentrationTitle))}>
                { for top.iter().zip(&bars.lengths).map(|(&i, len)| {
                    let c = &a.clients[i];
                    let go = app.go_to(Page::Client(c.id.clone()));
                    html! {
                        <div class={classes!("bar-row", c.flags.concentration.then_some("over"))} role="listitem">
                            <button class="link bar-label" onclick={go}>{ &c.name }</button>
                            <svg class="bar-svg share" viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true">
                                <rect class="track" x="0" y="0" width="100" height="10" />
                                <rect class="fill" x="0" y="0" width={format!("{:.2}", len * 100.0)} height="10" />
                                <line class="marker" x1={format!("{:.2}", bars.limit * 100.0)} x2={format!("{:.2}", bars.limit * 100.0)} y1="0" y2="10" />
                            </svg>
                            <span class="bar-value">{ percent(lang, c.profit_share, 1) }</span>
                        </div>
                    }
                }) }
            </div>
        </figure>
    }
}

/// Profit against cost to serve, a dot per client coloured by verdict group.
#[component]
pub fn ProfitScatter() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let (readout, set) = use_readout();
    let currency = app.portfolio.settings.currency.clone();
    let s = use_derived((), scatter);
    let frame = s.frame;
    let (x0, x1) = frame.x_range();
    let short_x = money_tick(lang, &currency, &s.x_ticks);
    let short = money_tick(lang, &currency, &s.y_ticks);
    let legend_text = |f: Family| match f {
        Family::Exit => T::LegendExit,
        Family::Keep => T::LegendKeep,
        Family::Watch => T::LegendWatch,
        Family::Other => T::LegendOther,
    };
    let svg = html! {
        <svg viewBox={format!("0 0 {} {}", frame.width, frame.height)} preserveAspectRatio="xMidYMid meet" focusable="false">
            { axes(&frame, &s.y, &s.y_ticks, &short, lang.t(T::CostToServe), lang.t(T::Profit)) }
            { for s.x_ticks.iter().map(|t| html! {
                <text class="tick" x={format!("{:.1}", s.x.map(*t))} y={format!("{:.1}", frame.height - frame.bottom + 16.0)} text-anchor="middle">{ short_x(*t) }</text>
            }) }
            <line class="reference" x1={format!("{x0:.1}")} x2={format!("{x1:.1}")} y1={format!("{:.1}", s.zero)} y2={format!("{:.1}", s.zero)} />
            { for s.dots.iter().map(|d| {
                let c = &app.analysis.clients[d.client];
                let text = format!("{} — {}: {}, {}: {} ({})", c.name, lang.t(T::Profit), money(lang, c.now.profit, &currency), lang.t(T::CostToServe), money(lang, c.now.cost_to_serve, &currency), lang.verdict(d.verdict));
                let (f, b, e, l) = focus_handlers(&set, text.clone());
                html! {
                    <circle class={format!("mark dot g-{}", d.verdict.family().as_str())} cx={format!("{:.1}", d.x)} cy={format!("{:.1}", d.y)} r="4" tabindex="0" role="img" aria-label={text.clone()}
                        onfocus={f} onblur={b} onmouseenter={e} onmouseleave={l}><title>{ text }</title></circle>
                }
            }) }
        </svg>
    };
    let legend = html! {
        <p class="chart-legend">{ for Family::ALL.iter().map(|f| html! { <span class={format!("key g-{}", f.as_str())}>{ lang.t(legend_text(*f)) }</span> }) }</p>
    };
    let table = {
        let (app, s, currency) = (app.clone(), s.clone(), currency.clone());
        Callback::from(move |_| html! {
            <><table class="data"><thead><tr><th scope="col">{ lang.t(T::Name) }</th><th scope="col" class="num">{ lang.t(T::CostToServe) }</th><th scope="col" class="num">{ lang.t(T::Profit) }</th><th scope="col">{ lang.t(T::Verdict) }</th></tr></thead>
            <tbody>{ for s.dots.iter().map(|d| &app.analysis.clients[d.client]).map(|c| html! { <tr><td>{ &c.name }</td><td class="num">{ money(lang, c.now.cost_to_serve, &currency) }</td><td class="num">{ money(lang, c.now.profit, &currency) }</td><td>{ lang.verdict(c.decision.verdict) }</td></tr> }) }</tbody></table>
            { selection(lang, s.dots.len(), s.total) }</>
        })
    };
    let summary = format!("{} {}", app.analysis.clients.len(), lang.t(T::Clients).to_lowercase());
    figure(Figure { testid: "profit-scatter", title: lang.t(T::ScatterTitle), summary, svg, legend, table }, &readout, lang)
}

#[derive(Properties, PartialEq)]
pub struct SparkProps {
    pub line: chart::Sparkline,
    pub label: AttrValue,
}

/// A small revenue and profit line for tables.
#[component]
pub fn Spark(props: &SparkProps) -> Html {
    let s = &props.line;
    let (w, h) = (chart::SPARK_WIDTH, chart::SPARK_HEIGHT);
    html! {
        <svg class="spark" viewBox={format!("0 0 {w} {h}")} role="img" aria-label={props.label.clone()}>
            <title>{ props.label.clone() }</title>
            <line class="zero" x1="0" x2={w.to_string()} y1={format!("{:.1}", s.zero)} y2={format!("{:.1}", s.zero)} />
            { for s.paths.iter().zip(["s1", "s2"]).map(|(d, class)| html! { <path class={classes!("series", class)} d={d.clone()} /> }) }
        </svg>
    }
}

#[derive(Properties, PartialEq)]
pub struct PeriodProps {
    /// Each period's name, previous window first.
    pub labels: Rc<Vec<String>>,
    pub periods: Rc<ClientPeriods>,
    pub chart: Rc<PeriodChart>,
}

/// Revenue and profit per period, the previous window shaded.
#[component]
pub fn PeriodLines(props: &PeriodProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let (readout, set) = use_readout();
    let currency = app.portfolio.settings.currency.clone();
    let c = &props.chart;
    let lines: Vec<_> = props.periods.all().collect();
    let previous_len = props.periods.previous.len();
    let frame = c.frame;
    let (x0, _) = frame.x_range();
    let short = money_tick(lang, &currency, &c.y_ticks);
    let step = (props.labels.len() / 6).max(1);
    let marks = |points: &[chart::Point], value: fn(&crate::core::analysis::PeriodLine) -> Decimal, class: &'static str, what: T| {
        html! { <>{ for points.iter().zip(&lines).enumerate().map(|(i, (p, line))| {
            let text = format!("{} — {}: {}", props.labels[i], lang.t(what), money(lang, value(line), &currency));
            let (f, b, e, l) = focus_handlers(&set, text.clone());
            html! { <circle class={format!("mark {class}")} cx={format!("{:.1}", p.x)} cy={format!("{:.1}", p.y)} r="3" tabindex="0" role="img" aria-label={text.clone()}
                onfocus={f} onblur={b} onmouseenter={e} onmouseleave={l}><title>{ text }</title></circle> }
        }) }</> }
    };
    let svg = html! {
        <svg viewBox={format!("0 0 {} {}", frame.width, frame.height)} preserveAspectRatio="xMidYMid meet" focusable="false">
            if previous_len > 0 {
                <rect class="previous-window" x={format!("{x0:.1}")} y={format!("{:.1}", frame.top)} width={format!("{:.1}", (c.window_start - x0).max(0.0))} height={format!("{:.1}", frame.height - frame.top - frame.bottom)} />
                <text class="band-label" x={format!("{:.1}", x0 + 4.0)} y={format!("{:.1}", frame.top + 12.0)}>{ lang.t(T::PreviousWindow) }</text>
                <text class="band-label" x={format!("{:.1}", c.window_start + 4.0)} y={format!("{:.1}", frame.top + 12.0)}>{ lang.t(T::ThisWindow) }</text>
            }
            { axes(&frame, &c.y, &c.y_ticks, &short, lang.t(T::PeriodHeader), &currency) }
            { for props.labels.iter().enumerate().filter(|(i, _)| i % step == 0).map(|(i, l)| html! {
                <text class="tick" x={format!("{:.1}", c.x.map(i as f64))} y={format!("{:.1}", frame.height - frame.bottom + 16.0)} text-anchor="middle">{ l.clone() }</text>
            }) }
            <line class="reference" x1={format!("{x0:.1}")} x2={format!("{:.1}", frame.width - frame.right)} y1={format!("{:.1}", c.y.map(0.0))} y2={format!("{:.1}", c.y.map(0.0))} />
            <path class="series s1" d={c.revenue_path.clone()} />
            <path class="series s2" d={c.profit_path.clone()} />
            { marks(&c.revenue, |l| l.revenue, "s1", T::Revenue) }
            { marks(&c.profit, |l| l.profit, "s2", T::Profit) }
        </svg>
    };
    // A client's periods: a short table, built with the chart.
    let table = html! {
        <table class="data"><thead><tr><th scope="col">{ lang.t(T::PeriodHeader) }</th><th scope="col" class="num">{ lang.t(T::Revenue) }</th><th scope="col" class="num">{ lang.t(T::Profit) }</th></tr></thead>
        <tbody>{ for props.labels.iter().zip(&lines).map(|(l, line)| html! { <tr><td>{ l.clone() }</td><td class="num">{ money(lang, line.revenue, &currency) }</td><td class="num">{ money(lang, line.profit, &currency) }</td></tr> }) }</tbody></table>
    };
    let table = Callback::from(move |_| table.clone());
    let legend = html! { <p class="chart-legend"><span class="key s1">{ lang.t(T::Revenue) }</span><span class="key s2">{ lang.t(T::Profit) }</span></p> };
    let summary = format!("{} × {}", props.labels.len(), lang.t(T::PeriodHeader).to_lowercase());
    figure(Figure { testid: "period-chart", title: lang.t(T::PeriodTitle), summary, svg, legend, table }, &readout, lang)
}

/// The heat level class of a matrix cell: `heat-p3` … `heat-n3` by profit relative to the
/// largest cell (drawn by CSS classes: inline styles are not allowed by the page's policy).
pub fn heat_class(level: f64) -> String {
    let bucket = (level.abs() * 3.0).ceil().min(3.0) as u8;
    if bucket == 0 { "heat-0".into() } else if level > 0.0 { format!("heat-p{bucket}") } else { format!("heat-n{bucket}") }
}

/// The previous window's matrix, read-only, for comparison.
#[component]
pub fn PreviousMatrix() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let currency = &app.portfolio.settings.currency;
    let heat = use_derived((), |s, _| chart::heat_map(&s.analysis));
    let Some(cells) = &heat.1 else { return html! {} };
    let cell_of = |c: Cell| cells.iter().find(|h| h.cell == c).copied();
    html! {
        <figure class="chart" data-testid="previous-matrix">
            <figcaption>{ lang.t(T::HeatPrevious) }</figcaption>
            <table class="matrix small">
                <thead><tr><th /><th scope="col">{ "X" }</th><th scope="col">{ "Y" }</th><th scope="col">{ "Z" }</th></tr></thead>
                <tbody>
                    { for ["A", "B", "C"].iter().enumerate().map(|(r, abc)| html! {
                        <tr>
                            <th scope="row">{ *abc }</th>
                            { for (0..3).map(|k| {
                                let h = cell_of(Cell::all()[r * 3 + k]);
                                html! { <td class={classes!("cell", h.map(|h| heat_class(h.level)))} data-cell={Cell::all()[r * 3 + k].label()}>
                                    <span class="cell-count">{ h.map_or(0, |h| h.count) }</span>
                                    <span class="cell-profit">{ h.map_or_else(String::new, |h| money_whole(lang, h.profit, currency)) }</span>
                                </td> }
                            }) }
                        </tr>
                    }) }
                </tbody>
            </table>
        </figure>
    }
}
