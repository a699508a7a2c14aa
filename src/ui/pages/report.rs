//! The printable report: portfolio summary, health, matrix, the decisions with their reasons,
//! and the exit plans, in that order. A print stylesheet keeps charts whole and numbers pages.

use yew::prelude::*;

use super::matrix::MatrixGrid;
use super::portfolio::Summary;
use crate::core::model::WindowLength;
use crate::i18n::format::{count, date, float, money, percent};
use crate::i18n::T;
use crate::ui::charts::{ConcentrationBars, WhaleCurve};
use crate::ui::clock::today;
use crate::ui::words::{at_stake, fact};
use crate::ui::{use_derived, use_portfolio};

/// How many clients of each verdict the report lists, best score first; the rest are counted
/// (every client is in the results export). So the report of any portfolio prints to a
/// bounded number of pages: 13 verdicts × 25 rows at most.
const REPORT_TOP: usize = 25;

/// How many exit plans the report lists.
const REPORT_PLANS: usize = 50;

#[component]
pub fn ReportPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let a = &app.analysis;
    let s = &app.portfolio.settings;
    let currency = &s.currency;
    let today = today();
    let groups = use_derived((), super::decisions::groups);
    let print = Callback::from(|_| {
        let _ = gloo::utils::window().print();
    });
    let settings_rows: Vec<(T, String)> = vec![
        (T::ServiceRate, money(lang, s.service_rate, currency)),
        (T::SalesRate, money(lang, s.sales_rate, currency)),
        (T::TicketCost, money(lang, s.ticket_cost, currency)),
        (T::Commission, percent(lang, s.commission, 1)),
        (T::CapitalRate, percent(lang, s.capital_rate, 1)),
        (T::WindowLength, match s.window { WindowLength::Last(n) => n.to_string(), WindowLength::All => lang.t(T::WindowAll).to_string() }),
        (T::ClassA, percent(lang, s.a, 0)),
        (T::ClassB, percent(lang, s.b, 0)),
        (T::MaxShare, percent(lang, s.max_share, 0)),
    ];
    let c = &a.concentration;
    html! {
        <article class="report" data-testid="report">
            <div class="actions no-print"><button class="primary" data-testid="print-report" onclick={print}>{ lang.t(T::PrintReport) }</button></div>
            <h1>{ lang.fill(T::ReportTitle, &[&app.portfolio.name]) }</h1>
            <p class="muted">{ lang.fill(T::ReportGenerated, &[&date(lang, today.year, today.month, today.day)]) }</p>
            <section class="report-section">
                <Summary />
                <h2>{ lang.t(T::ReportSettings) }</h2>
                <table class="data compact"><tbody>
                    { for settings_rows.into_iter().map(|(t, v)| html! { <tr><th scope="row">{ lang.t(t) }</th><td class="num">{ v }</td></tr> }) }
                </tbody></table>
            </section>
            <section class="report-section">
                <h2>{ lang.t(T::NavHealth) }</h2>
                <dl class="cards">
                    <div class="card"><dt>{ lang.t(T::Top1) }</dt><dd>{ percent(lang, c.top1, 1) }</dd></div>
                    <div class="card"><dt>{ lang.t(T::Top5) }</dt><dd>{ percent(lang, c.top5, 1) }</dd></div>
                    <div class="card"><dt>{ lang.t(T::Hhi) }</dt><dd>{ float(lang, c.hhi, 0) }</dd></div>
                    <div class="card"><dt>{ lang.t(T::EffectiveClients) }</dt><dd>{ c.effective_clients.map_or_else(|| lang.t(T::Dash).to_string(), |n| float(lang, n, 1)) }</dd></div>
                </dl>
                <ConcentrationBars />
                <WhaleCurve />
            </section>
            <section class="report-section">
                <h2>{ lang.t(T::NavMatrix) }</h2>
                <MatrixGrid selected={None} on_select={Callback::noop()} />
            </section>
            <section class="report-section">
                <h2>{ lang.t(T::ReportDecisions) }</h2>
                { for groups.iter().map(|g| {
                    html! {
                        <div class="report-group">
                            <h3>{ lang.verdict(g.verdict) }{ format!(" ({})", g.members.len()) }</h3>
                            <table class="data compact">
                                <tbody>
                                    { for g.members.iter().take(REPORT_TOP).map(|&i| (&a.clients[i], a.scores[i])).map(|(c, score)| html! {
                                        <tr>
                                            <td>{ &c.name }</td>
                                            <td class="center">{ c.cell.label() }</td>
                                            <td class="num">{ float(lang, score, 1) }</td>
                                            <td>{ c.decision.facts.first().map(|f| fact(lang, f, currency)).unwrap_or_default() }</td>
                                            <td class="num">{ at_stake(lang, c, currency) }</td>
                                        </tr>
                                    }) }
                                </tbody>
                            </table>
                            if g.members.len() > REPORT_TOP {
                                <p class="muted">{ lang.fill(T::ReportMore, &[&count(lang, g.members.len() - REPORT_TOP)]) }</p>
                            }
                        </div>
                    }
                }) }
            </section>
            if !app.portfolio.plans.is_empty() {
                <section class="report-section">
                    <h2>{ lang.t(T::NavPlans) }</h2>
                    if app.portfolio.plans.len() > REPORT_PLANS {
                        <p class="muted">{ lang.fill(T::ReportMorePlans, &[&count(lang, REPORT_PLANS), &count(lang, app.portfolio.plans.len())]) }</p>
                    }
                    { for app.portfolio.plans.values().take(REPORT_PLANS).map(|p| {
                        let name = app.portfolio.clients.get(&p.client).map_or(p.client.clone(), |c| c.name.clone());
                        html! {
                            <div class="report-group">
                                <h3>{ lang.fill(T::PlanFor, &[&name]) }</h3>
                                <ul>{ for p.steps.iter().map(|s| html! {
                                    <li>{ if s.done { "☑ " } else { "☐ " } }{ date(lang, s.date.year, s.date.month, s.date.day) }{ " — " }{ super::plans::stage_name(lang, s.stage) }{ if s.note.is_empty() { String::new() } else { format!(": {}", s.note) } }</li>
                                }) }</ul>
                            </div>
                        }
                    }) }
                </section>
            }
        </article>
    }
}
