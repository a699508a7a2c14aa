//! How sure the verdicts are: on the Decisions page, how many verdicts a 20% error in each
//! rate would change (a tornado chart, and who moves to what); on the Client page, the range
//! of each rate within which the client's verdict holds; and the `robustness.csv` export.

use std::rc::Rc;

use rust_decimal::Decimal;
use yew::platform::spawn_local;
use yew::prelude::*;

use crate::core::analysis::robustness::{Lever, Rate, Robustness, Scope};
use crate::core::analysis::view::Moved;
use crate::core::export;
use crate::i18n::format::{count, money, number, percent, progress};
use crate::i18n::{Lang, T};
use crate::ui::download;
use crate::ui::use_portfolio;

/// The rate's short name.
pub fn rate_name(lang: Lang, rate: Rate) -> &'static str {
    lang.t(match rate {
        Rate::ServiceRate => T::RateService,
        Rate::SalesRate => T::RateSales,
        Rate::TicketCost => T::RateTicket,
        Rate::Commission => T::RateCommission,
        Rate::CapitalRate => T::RateCapital,
        Rate::All => T::RateAll,
    })
}

/// A value of the rate as the user reads it: money, a percentage, or the factor (`×1.25`).
fn rate_value(lang: Lang, rate: Rate, value: Decimal, currency: &str) -> String {
    match rate {
        Rate::ServiceRate | Rate::SalesRate | Rate::TicketCost => money(lang, value, currency),
        Rate::Commission | Rate::CapitalRate => percent(lang, value, 2),
        Rate::All => lang.fill(T::TimesFactor, &[&number(lang, value, 3)]),
    }
}

/// A robustness of the analysis shown, worked out in the background while `scope` is given:
/// the result once done (of that analysis), and meanwhile the rates done of all.
#[hook]
fn use_sensing(scope: Option<Scope>) -> (Option<Rc<Robustness>>, Option<(usize, usize)>) {
    let app = use_portfolio();
    let result = use_state(|| None::<(u64, Option<Scope>, Rc<Robustness>)>);
    let working = use_state(|| None::<(usize, usize)>);
    let running = use_mut_ref(|| None::<(u64, Option<Scope>)>);
    let key = (app.analysis_rev, scope.clone());
    {
        let (result, working) = (result.clone(), working.clone());
        let (portfolio, analysis) = (app.analysed.clone(), app.analysis.clone());
        let idle = app.analysing.is_none();
        use_effect_with(key.clone(), move |key| {
            *running.borrow_mut() = Some(key.clone());
            if let Some(scope) = key.1.clone().filter(|_| idle) {
                let (key, running) = (key.clone(), running.clone());
                spawn_local(async move {
                    let wanted = || running.borrow().as_ref() == Some(&key);
                    let robustness = crate::ui::hook::sense(&portfolio, &analysis, scope, |p| working.set(Some(p)), wanted).await;
                    if let Some(robustness) = robustness {
                        working.set(None);
                        result.set(Some((key.0, key.1.clone(), Rc::new(robustness))));
                    }
                });
            } else {
                working.set(None);
            }
            // Leaving the page (or a newer analysis) stops the work at its next slice.
            move || *running.borrow_mut() = None
        });
    }
    let done = (*result).as_ref().filter(|(rev, s, _)| (*rev, s.clone()) == key).map(|(_, _, r)| r.clone());
    (done, *working)
}

/// Scrolls the Decisions page to its robustness summary.
pub fn show_summary() {
    let summary = web_sys::window().and_then(|w| w.document()).and_then(|d| d.query_selector("[data-testid=robustness]").ok().flatten());
    if let Some(summary) = summary {
        summary.scroll_into_view();
    }
}

/// "Working out how sure the verdicts are…", with the share done.
fn working_line(lang: Lang, working: Option<(usize, usize)>) -> Html {
    html! {
        <p class="muted" role="status" data-testid="robustness-working">
            { lang.t(T::SensingVerdicts) }
            if let Some((done, all)) = working { { " " }{ progress(lang, done, all) } }
        </p>
    }
}

/// On the Decisions page: per rate, how many verdicts change if it is 20% higher or lower, a
/// tornado chart of the rates by that, and the list of who moves to what for the one picked.
#[component]
pub fn RobustnessSummary() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let currency = app.portfolio.settings.currency.clone();
    let picked = use_state(|| None::<(Rate, bool)>);
    let exporting = use_state(|| false);
    let (all, export_working) = use_sensing((*exporting).then_some(Scope::All));
    {
        let (exporting, analysis) = (exporting.clone(), app.analysis.clone());
        use_effect_with(all.clone().map(|r| Rc::as_ptr(&r) as usize), move |done| {
            if let (Some(_), Some(r)) = (done, all) {
                yew::platform::spawn_local(async move {
                    let row = |i: usize, out: &mut String| export::robustness_row(&analysis, &r, i, out);
                    download::save_rows("robustness.csv", export::robustness_header(), &analysis, &row).await;
                    exporting.set(false);
                });
            }
        });
    }
    let on_export = {
        let exporting = exporting.clone();
        Callback::from(move |_| exporting.set(true))
    };
    let Some(r) = app.flips().cloned() else {
        return html! {
            <section class="robustness" data-testid="robustness" data-ready="false">
                <h2>{ lang.t(T::RobustnessHeading) }</h2>
                { working_line(lang, None) }
            </section>
        };
    };
    let a = app.analysis.clone();
    // Rates by the verdicts ±20% moves, most first (the tornado's order).
    let mut ranked: Vec<&Lever> = r.levers.iter().collect();
    crate::core::order::sort_by_key(&mut ranked, |l| std::cmp::Reverse(l.up.len() + l.down.len()));
    let widest = ranked.first().map_or(0, |l| l.up.len().max(l.down.len())).max(1);
    let pick = |rate: Rate, up: bool, n: usize| {
        let picked = picked.clone();
        let on = *picked == Some((rate, up));
        let label = lang.fill(if up { T::FlipsUp } else { T::FlipsDown }, &[&count(lang, n)]);
        html! {
            <button class={classes!("link", on.then_some("on"))} aria-pressed={on.to_string()} disabled={n == 0}
                data-testid={format!("flips-{}-{}", rate.key(), if up { "up" } else { "down" })} data-count={n.to_string()}
                onclick={Callback::from(move |_| picked.set(if on { None } else { Some((rate, up)) }))}>{ label }</button>
        }
    };
    let (row_h, mid, half) = (26.0, 330.0, 150.0);
    let tornado_alt = ranked
        .iter()
        .map(|l| lang.fill(T::TornadoRow, &[rate_name(lang, l.rate), &count(lang, l.down.len()), &count(lang, l.up.len())]))
        .collect::<Vec<_>>()
        .join("; ");
    let height = row_h * ranked.len() as f64 + 30.0;
    let moved: Option<Rc<Vec<Moved>>> = picked.and_then(|(rate, up)| {
        let lever = r.lever(rate)?;
        let list = if up { &lever.up } else { &lever.down };
        Some(Rc::new(
            list.iter()
                .map(|f| {
                    let c = &a.clients[f.client];
                    let score = a.scores[f.client];
                    Moved { client: f.client, id: c.id.clone(), cell: (c.cell, f.cell), verdict: (c.decision.verdict, f.to), score: (score, score) }
                })
                .collect(),
        ))
    });
    html! {
        <section class="robustness" data-testid="robustness" data-ready="true">
            <h2>{ lang.t(T::RobustnessHeading) }</h2>
            <p class="intro">{ lang.t(T::RobustnessIntro) }</p>
            <div class="two-col">
                <table class="data" data-testid="robustness-rates">
                    <thead><tr>
                        <th scope="col">{ lang.t(T::RateHeader) }</th>
                        <th scope="col" class="num">{ lang.t(T::YouSet) }</th>
                        <th scope="col">{ lang.t(T::TwentyMore) }</th>
                        <th scope="col">{ lang.t(T::TwentyLess) }</th>
                    </tr></thead>
                    <tbody>
                        { for r.levers.iter().map(|l| html! {
                            <tr data-rate={l.rate.key()}>
                                <th scope="row">{ rate_name(lang, l.rate) }</th>
                                <td class="num">{ rate_value(lang, l.rate, l.value, &currency) }</td>
                                <td>{ pick(l.rate, true, l.up.len()) }</td>
                                <td>{ pick(l.rate, false, l.down.len()) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
                <figure class="chart tornado" data-testid="tornado">
                    <figcaption>{ lang.t(T::TornadoTitle) }</figcaption>
                    <svg viewBox={format!("0 0 660 {height:.0}")} role="img" aria-label={tornado_alt}>
                        <text class="tick" x={format!("{:.0}", mid - 8.0)} y="14" text-anchor="end">{ lang.t(T::TwentyLess) }</text>
                        <text class="tick" x={format!("{:.0}", mid + 8.0)} y="14">{ lang.t(T::TwentyMore) }</text>
                        { for ranked.iter().enumerate().map(|(k, l)| {
                            let y = 22.0 + row_h * k as f64;
                            let w = |n: usize| half * n as f64 / widest as f64;
                            let (down, up) = (w(l.down.len()), w(l.up.len()));
                            html! {
                                <g class="tornado-row" data-rate={l.rate.key()}>
                                    <text class="tick" x="8" y={format!("{:.1}", y + 15.0)}>{ rate_name(lang, l.rate) }</text>
                                    <rect class="mark bar down" x={format!("{:.1}", mid - down)} y={format!("{y:.1}")} width={format!("{:.1}", down.max(0.5))} height="18"
                                        tabindex="0" role="img" aria-label={format!("{}: {}", rate_name(lang, l.rate), lang.fill(T::FlipsDown, &[&count(lang, l.down.len())]))}>
                                        <title>{ lang.fill(T::FlipsDown, &[&count(lang, l.down.len())]) }</title>
                                    </rect>
                                    <rect class="mark bar up" x={format!("{mid:.1}")} y={format!("{y:.1}")} width={format!("{:.1}", up.max(0.5))} height="18"
                                        tabindex="0" role="img" aria-label={format!("{}: {}", rate_name(lang, l.rate), lang.fill(T::FlipsUp, &[&count(lang, l.up.len())]))}>
                                        <title>{ lang.fill(T::FlipsUp, &[&count(lang, l.up.len())]) }</title>
                                    </rect>
                                    <text class="tick" x={format!("{:.1}", mid - down - 4.0)} y={format!("{:.1}", y + 14.0)} text-anchor="end">{ count(lang, l.down.len()) }</text>
                                    <text class="tick" x={format!("{:.1}", mid + up + 4.0)} y={format!("{:.1}", y + 14.0)}>{ count(lang, l.up.len()) }</text>
                                </g>
                            }
                        }) }
                        <line class="axis" x1={format!("{mid:.0}")} x2={format!("{mid:.0}")} y1="20" y2={format!("{:.0}", height - 4.0)} />
                    </svg>
                </figure>
            </div>
            if let (Some((rate, up)), Some(moved)) = (*picked, moved) {
                <div data-testid="flips-list">
                    <h3>{ lang.fill(if up { T::FlipsOfUp } else { T::FlipsOfDown }, &[rate_name(lang, rate)]) }</h3>
                    <super::settings::MovedTable moved={moved} scores={false} />
                </div>
            }
            <p>
                <button data-testid="export-robustness" onclick={on_export} disabled={*exporting}>{ lang.t(T::ExportRobustness) }</button>
                if *exporting { { " " }{ working_line(lang, export_working) } }
            </p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct RangesProps {
    /// The client's index in the analysis.
    pub index: usize,
}

/// On the Client page: per rate, the range within which the verdict holds.
#[component]
pub fn ClientRanges(props: &RangesProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let currency = app.portfolio.settings.currency.clone();
    let i = props.index;
    let (r, working) = use_sensing(Some(Scope::Clients(vec![i])));
    let Some(r) = r else {
        return html! {
            <section class="ranges" data-testid="client-ranges" data-ready="false">
                <h2>{ lang.t(T::RangesHeading) }</h2>
                { working_line(lang, working) }
            </section>
        };
    };
    let v = |rate: Rate, x: Decimal| rate_value(lang, rate, x, &currency);
    let fragile = r.fragile(i);
    html! {
        <section class="ranges" data-testid="client-ranges" data-ready="true">
            <h2>{ lang.t(T::RangesHeading) }</h2>
            if let Some(f) = fragile {
                <p class="fragile-note" data-testid="client-fragile">
                    { lang.fill(if f.up { T::FragileUp } else { T::FragileDown }, &[rate_name(lang, f.rate), lang.verdict(f.to)]) }
                </p>
            }
            <ul>
                { for r.levers.iter().map(|l| {
                    let (set, end) = (v(l.rate, l.value), v(l.rate, l.span_end));
                    let text = match (l.low[i], l.high[i]) {
                        (Some(lo), Some(hi)) => lang.fill(T::HoldsBetween, &[&v(l.rate, lo), &v(l.rate, hi), &set]),
                        (Some(lo), None) => lang.fill(T::HoldsFrom, &[&v(l.rate, lo), &end, &set]),
                        (None, Some(hi)) => lang.fill(T::HoldsUpTo, &[&v(l.rate, hi), &set]),
                        (None, None) if !l.moves => lang.fill(T::HoldsUnmoved, &[&set]),
                        (None, None) if l.ceiling => lang.fill(T::HoldsToCeiling, &[&end, &set]),
                        (None, None) => lang.fill(T::HoldsAny, &[&set, &end]),
                    };
                    html! { <li data-rate={l.rate.key()}><strong>{ rate_name(lang, l.rate) }</strong>{ ": " }{ text }</li> }
                }) }
            </ul>
            <p class="muted">{ lang.t(T::RangesMethod) }</p>
            if r.levers.iter().any(|l| !l.exact) {
                <p class="muted" data-testid="ranges-probed">{ lang.t(T::RangesProbed) }</p>
            }
        </section>
    }
}
