//! The Client page: every number of one client for the window and the previous window, the
//! per-period revenue and profit, the score breakdown, the flags explained, and the verdict
//! with the rule that fired and its facts.

use yew::prelude::*;

use std::rc::Rc;

use crate::core::analysis::profit::Figures;
use crate::core::analysis::view::ClientPeriods;
use crate::core::analysis::Factor;
use crate::core::plan::Date;
use crate::i18n::format::{float, money, number, percent, period};
use crate::i18n::{Lang, T};
use crate::ui::clock::today;
use crate::ui::state::Page;
use crate::ui::words::fact;
use crate::ui::{use_derived, use_portfolio};

#[derive(Properties, PartialEq)]
pub struct ClientProps {
    pub id: AttrValue,
}

fn figures_rows(lang: Lang, now: &Figures, prev: &Figures, currency: &str) -> Html {
    let m = |d| money(lang, d, currency);
    let margin = |f: &Figures| f.margin().map_or_else(|| lang.t(T::Dash).to_string(), |v| percent(lang, v, 1));
    let rows: Vec<(T, String, String)> = vec![
        (T::Revenue, m(now.revenue), m(prev.revenue)),
        (T::DirectCost, m(now.direct_cost), m(prev.direct_cost)),
        (T::CostToServe, m(now.cost_to_serve), m(prev.cost_to_serve)),
        (T::Profit, m(now.profit), m(prev.profit)),
        (T::Margin, margin(now), margin(prev)),
        (T::Discount, m(now.discount), m(prev.discount)),
        (T::ServiceHours, number(lang, now.service_hours, 1), number(lang, prev.service_hours, 1)),
        (T::SalesHours, number(lang, now.sales_hours, 1), number(lang, prev.sales_hours, 1)),
        (T::Tickets, now.tickets.to_string(), prev.tickets.to_string()),
        (T::DaysLate, number(lang, now.days_late(), 1), number(lang, prev.days_late(), 1)),
        (T::WrittenOff, m(now.written_off), m(prev.written_off)),
    ];
    html! {
        { for rows.into_iter().map(|(label, a, b)| html! {
            <tr><th scope="row">{ lang.t(label) }</th><td class="num">{ a }</td><td class="num">{ b }</td></tr>
        }) }
    }
}

#[component]
pub fn ClientPage(props: &ClientProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let start_date = use_state(|| today().iso());
    let months = use_state(|| "3".to_string());
    let periods = use_derived(props.id.clone(), |s, id| {
        let periods = ClientPeriods::of(&s.portfolio, &s.analysis, id);
        let kind = s.portfolio.settings.period_kind;
        let labels: Vec<String> = periods.all().map(|l| period(s.lang, kind, l.period)).collect();
        let chart = crate::core::chart::client_periods(&periods);
        (Rc::new(labels), Rc::new(periods), Rc::new(chart))
    });
    let back = app.go_to(Page::Decisions);
    let Some(c) = app.analysis.client(&props.id) else {
        return html! { <section><button onclick={back}>{ "← " }{ lang.t(T::BackToList) }</button><p>{ lang.t(T::UnknownClient) }</p></section> };
    };
    let s = &app.portfolio.settings;
    let currency = &s.currency;
    let (labels, lines, chart) = (*periods).clone();
    let chart = html! { <crate::ui::charts::PeriodLines labels={labels} periods={lines.clone()} chart={chart} /> };
    let plan_form = {
        let has_plan = app.portfolio.plans.contains_key(c.id.as_str());
        let id = c.id.clone();
        let start = {
            let app = app.clone();
            let id = id.clone();
            let start_date = start_date.clone();
            let months = months.clone();
            Callback::from(move |e: SubmitEvent| {
                e.prevent_default();
                let on = Date::parse(&start_date).unwrap_or_else(today);
                let months = months.trim().parse::<u32>().unwrap_or(3).clamp(1, 36);
                app.start_plan(id.clone(), on, months);
            })
        };
        if has_plan {
            html! { <button data-testid="open-plan" onclick={app.go_to(Page::Plan(id))}>{ lang.t(T::OpenPlan) }</button> }
        } else {
            let on_date = { let start_date = start_date.clone(); Callback::from(move |e: InputEvent| start_date.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) };
            let on_months = { let months = months.clone(); Callback::from(move |e: InputEvent| months.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().value())) };
            html! {
                <form class="inline-form" data-testid="start-plan-form" onsubmit={start}>
                    <label>{ lang.t(T::PlanStart) }{ " " }<input type="date" value={(*start_date).clone()} oninput={on_date} /></label>
                    <label>{ lang.t(T::PlanMonths) }{ " " }<input type="number" min="1" max="36" value={(*months).clone()} oninput={on_months} /></label>
                    <button type="submit" data-testid="start-plan">{ lang.t(T::StartPlan) }</button>
                </form>
            }
        }
    };
    let flags: Vec<_> = c.flags.raised().collect();
    let weights = s.weights.0;

    html! {
        <section class="client-page" data-testid="client-page" data-client={c.id.clone()}>
            <button class="link" onclick={back}>{ "← " }{ lang.t(T::BackToList) }</button>
            <h1>{ &c.name }<span class="muted mono">{ " · " }{ &c.id }</span></h1>
            <div class={classes!("verdict-card", format!("v-{}", format!("{:?}", c.decision.verdict).to_lowercase()))} data-testid="client-verdict">
                <p class="verdict-name">{ lang.verdict(c.decision.verdict) }
                    <span class="rule" data-testid="client-rule">{ lang.fill(T::RuleN, &[&c.decision.rule.to_string()]) }</span></p>
                <p>{ lang.verdict_advice(c.decision.verdict) }</p>
                <ul class="facts" data-testid="client-facts">
                    { for c.decision.facts.iter().map(|f| html! { <li>{ fact(lang, f, currency) }</li> }) }
                </ul>
                <p class="score-line">{ lang.t(T::Score) }{ ": " }<strong data-testid="client-score">{ float(lang, app.analysis.score_of(&c.id).unwrap_or_default(), 1) }</strong>
                    { " · " }{ lang.t(T::CellHeader) }{ ": " }<span class={classes!("badge", format!("cell-{}", c.cell.label()))}>{ c.cell.label() }</span>
                    { " (" }{ lang.t(T::PreviousWindow) }{ ": " }{ c.previous_cell.label() }{ ")" }</p>
                { plan_form }
            </div>
            if let Some(index) = app.analysis.index_of(&c.id) {
                <super::robustness::ClientRanges key={c.id.clone()} {index} />
            }
            <div class="editors">
                <super::edit::ClientEditor key={format!("c-{}-{}", c.id, app.revision)} id={AttrValue::from(c.id.clone())} />
                <super::edit::RecordsEditor key={format!("r-{}", c.id)} id={AttrValue::from(c.id.clone())} />
            </div>
            <div class="two-col">
                <section>
                    <h2>{ lang.t(T::Window) }</h2>
                    <table class="data">
                        <thead><tr><th /><th scope="col" class="num">{ lang.t(T::ThisWindow) }</th><th scope="col" class="num">{ lang.t(T::PreviousWindow) }</th></tr></thead>
                        <tbody>
                            { figures_rows(lang, &c.now, &c.previous, currency) }
                            <tr><th scope="row">{ lang.t(T::Cv) }</th><td class="num">{ c.xyz.cv.map_or_else(|| lang.t(T::Dash).to_string(), |v| float(lang, v, 3)) }</td><td /></tr>
                            <tr><th scope="row">{ lang.t(T::ProfitShare) }</th><td class="num">{ percent(lang, c.profit_share, 2) }</td><td /></tr>
                            <tr><th scope="row">{ lang.t(T::ReferralValue) }</th><td class="num">{ money(lang, c.referral_value, currency) }</td><td /></tr>
                        </tbody>
                    </table>
                </section>
                <section>
                    <h2>{ lang.t(T::ScoreBreakdown) }</h2>
                    <table class="data breakdown" data-testid="score-breakdown">
                        <thead><tr><th scope="col">{ lang.t(T::FactorHeader) }</th><th scope="col" class="num">{ lang.t(T::Weight) }</th><th scope="col" class="num">{ "0–100" }</th><th /></tr></thead>
                        <tbody>
                            { for Factor::ALL.iter().enumerate().map(|(i, f)| html! {
                                <tr>
                                    <th scope="row">{ lang.factor(*f) }</th>
                                    <td class="num">{ number(lang, weights[i], 0) }</td>
                                    <td class="num">{ float(lang, c.factors[i], 0) }</td>
                                    <td class="bar-cell">{ super::bar(c.factors[i] / 100.0, None, "") }</td>
                                </tr>
                            }) }
                        </tbody>
                    </table>
                    <h2>{ lang.t(T::FlagsHeading) }</h2>
                    if flags.is_empty() {
                        <p class="muted">{ lang.t(T::NoFlags) }</p>
                    } else {
                        <dl class="flags">
                            { for flags.iter().map(|&f| html! {
                                <><dt><span class="flag">{ lang.flag(f) }</span></dt><dd>{ lang.flag_explained(f) }</dd></>
                            }) }
                        </dl>
                    }
                </section>
            </div>
            { chart }
            <h2>{ lang.t(T::PerPeriod) }</h2>
            <div class="table-wrap">
                <table class="data" data-testid="client-periods">
                    <thead><tr>
                        <th scope="col">{ lang.t(T::PeriodHeader) }</th>
                        <th scope="col" class="num">{ lang.t(T::Revenue) }</th>
                        <th scope="col" class="num">{ lang.t(T::CostToServe) }</th>
                        <th scope="col" class="num">{ lang.t(T::Profit) }</th>
                    </tr></thead>
                    <tbody>
                        { for lines.now.iter().map(|l| html! {
                            <tr key={l.period.0}>
                                <td>{ period(lang, s.period_kind, l.period) }</td>
                                <td class="num">{ money(lang, l.revenue, currency) }</td>
                                <td class="num">{ money(lang, l.cost_to_serve, currency) }</td>
                                <td class={classes!("num", l.profit.is_sign_negative().then_some("neg"))}>{ money(lang, l.profit, currency) }</td>
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
