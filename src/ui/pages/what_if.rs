//! The What-if page: choose clients to let go (by default every exit verdict), see the
//! portfolio before and after, optionally redeploy the freed hours; and a repricing scenario.

use std::collections::BTreeSet;
use std::rc::Rc;

use rust_decimal::Decimal;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::core::analysis::view;
use crate::core::analysis::what_if::{default_selection, reprice_percent, what_if, WhatIf};
use crate::i18n::format::{float, money, number, percent};
use crate::i18n::{Lang, T};
use crate::ui::clock::today;
use crate::ui::state::{AppState, Page};
use crate::ui::{use_derived, use_portfolio};

/// How many clients the repricing choice offers.
const REPRICE_CHOICES: usize = 100;

fn rows(lang: Lang, result: &WhatIf, currency: &str) -> Html {
    let (before, after, change) = (&result.before, &result.after, result.change());
    let m = |d: Decimal| money(lang, d, currency);
    let p = |d: Option<Decimal>| d.map_or_else(|| lang.t(T::Dash).to_string(), |v| percent(lang, v, 1));
    let f = |x: Option<f64>, dp| x.map_or_else(|| lang.t(T::Dash).to_string(), |v| float(lang, v, dp));
    let lines: Vec<(T, String, String, String)> = vec![
        (T::TotalRevenue, m(before.revenue), m(after.revenue), m(change.revenue)),
        (T::TotalProfit, m(before.profit), m(after.profit), m(change.profit)),
        (T::Margin, p(before.margin), p(after.margin), String::new()),
        (T::ServiceHours, number(lang, before.service_hours, 1), number(lang, after.service_hours, 1), number(lang, change.service_hours, 1)),
        (T::Top1, percent(lang, before.top1, 1), percent(lang, after.top1, 1), String::new()),
        (T::Hhi, f(Some(before.hhi), 0), f(Some(after.hhi), 0), String::new()),
        (T::EffectiveClients, f(before.effective_clients, 1), f(after.effective_clients, 1), String::new()),
    ];
    html! {
        { for lines.into_iter().map(|(label, b, a, c)| html! {
            <tr><th scope="row">{ lang.t(label) }</th><td class="num">{ b }</td><td class="num">{ a }</td><td class="num">{ c }</td></tr>
        }) }
    }
}

/// The page's derivations ([`super::WARM_UP`] builds them ahead): the clients listed, exits
/// first; the selection it opens with, every exit verdict; and the portfolio before and after
/// letting a selection go.
pub fn listed(s: &AppState, _: &()) -> Vec<usize> {
    view::exits_first(&s.analysis)
}

pub fn defaults(s: &AppState, _: &()) -> BTreeSet<String> {
    default_selection(&s.analysis)
}

pub fn outcome(s: &AppState, (selection, redeploy): &(Rc<BTreeSet<String>>, bool)) -> WhatIf {
    what_if(&s.analysis, selection, *redeploy)
}

#[component]
pub fn WhatIfPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let analysis = app.analysis.clone();
    let currency = app.portfolio.settings.currency.clone();
    // The selection is shared, not copied, between the state, the derivation's deps and the
    // page: at 100,000 clients it holds tens of thousands of ids.
    let defaults = use_derived((), defaults);
    let selection = {
        let defaults = defaults.clone();
        use_state(move || defaults)
    };
    let redeploy = use_state(|| false);
    let reprice_client = use_state(|| analysis.clients.iter().find(|c| c.flags.loss).map(|c| c.id.clone()));
    let rise = use_state(|| "10".to_string());
    let leave = use_state(|| "20".to_string());

    let result = use_derived(((*selection).clone(), *redeploy), outcome);
    let listed = use_derived((), listed);
    let toggle = |id: String| {
        let selection = selection.clone();
        Callback::from(move |e: Event| {
            let on = e.target_unchecked_into::<HtmlInputElement>().checked();
            let mut next = (**selection).clone();
            if on { next.insert(id.clone()); } else { next.remove(&id); }
            selection.set(Rc::new(next));
        })
    };
    let select_exits = {
        let selection = selection.clone();
        Callback::from(move |_| selection.set(defaults.clone()))
    };
    let select_none = {
        let selection = selection.clone();
        Callback::from(move |_| selection.set(Rc::new(BTreeSet::new())))
    };
    let on_redeploy = {
        let redeploy = redeploy.clone();
        Callback::from(move |e: Event| redeploy.set(e.target_unchecked_into::<HtmlInputElement>().checked()))
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| state.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let paging = super::use_paging(lang, listed.len(), super::LIST_PAGE, app.revision, "what-if-pager");
    // The client chosen for repricing, when it is beyond the choices listed.
    let chosen: Vec<usize> = reprice_client
        .as_deref()
        .and_then(|id| analysis.clients.binary_search_by(|c| c.id.as_str().cmp(id)).ok())
        .filter(|i| !listed.iter().take(REPRICE_CHOICES).any(|j| j == i))
        .into_iter()
        .collect();
    let repricing = reprice_client.as_ref().and_then(|id| analysis.client(id)).and_then(|c| {
        Some(reprice_percent(c, app.portfolio.settings.commission, lang.read_number(&rise)?, lang.read_number(&leave)?))
    });

    html! {
        <section class="what-if-page">
            <h1>{ lang.t(T::NavWhatIf) }</h1>
            <p class="intro">{ lang.t(T::WhatIfIntro) }</p>
            <div class="two-col">
                <section>
                    <table class="data" data-testid="what-if-table">
                        <thead><tr><th /><th scope="col" class="num">{ lang.t(T::Before) }</th><th scope="col" class="num">{ lang.t(T::After) }</th><th scope="col" class="num">{ lang.t(T::Change) }</th></tr></thead>
                        <tbody>
                            { rows(lang, &result, &currency) }
                            <tr><th scope="row">{ lang.t(T::FreedHours) }</th><td /><td class="num" data-testid="freed-hours">{ number(lang, result.freed_hours, 1) }</td><td /></tr>
                            if *redeploy {
                                <tr><th scope="row">{ lang.t(T::RedeployedProfit) }</th><td /><td class="num">{ money(lang, result.redeployed_profit, &currency) }</td><td /></tr>
                            }
                        </tbody>
                    </table>
                    <label class="check">
                        <input type="checkbox" data-testid="redeploy" checked={*redeploy} onchange={on_redeploy} disabled={result.profit_per_hour.is_none()} />
                        { lang.fill(T::Redeploy, &[&result.profit_per_hour.map_or_else(|| lang.t(T::Dash).to_string(), |r| money(lang, r, &currency))]) }
                    </label>
                    <h2>{ lang.t(T::Repricing) }</h2>
                    <div class="form-grid">
                        <label>{ lang.t(T::RepriceClient) }
                            <select data-testid="reprice-client" onchange={{
                                let reprice_client = reprice_client.clone();
                                Callback::from(move |e: Event| reprice_client.set(Some(e.target_unchecked_into::<HtmlSelectElement>().value())))
                            }}>
                                // The clients a price rise is for come first (exits, then the least
                                // profitable); a list of every client would be too long to use.
                                { for listed.iter().take(REPRICE_CHOICES).chain(chosen.iter()).map(|&i| {
                                    let c = &analysis.clients[i];
                                    html! { <option value={c.id.clone()} selected={reprice_client.as_deref() == Some(c.id.as_str())}>{ &c.name }</option> }
                                }) }
                            </select>
                        </label>
                        <label>{ lang.t(T::RepriceRise) }<input inputmode="decimal" value={(*rise).clone()} oninput={text_input(&rise)} /></label>
                        <label>{ lang.t(T::RepriceLeave) }<input inputmode="decimal" value={(*leave).clone()} oninput={text_input(&leave)} /></label>
                    </div>
                    if let Some(r) = repricing {
                        <dl class="cards">
                            <div class="card"><dt>{ lang.t(T::RepriceNow) }</dt><dd>{ money(lang, r.current_profit, &currency) }</dd></div>
                            <div class="card"><dt>{ lang.t(T::RepriceAccepted) }</dt><dd>{ money(lang, r.if_accepted, &currency) }</dd></div>
                            <div class="card"><dt>{ lang.t(T::RepriceExpected) }</dt><dd data-testid="reprice-expected">{ money(lang, r.expected, &currency) }</dd></div>
                        </dl>
                    }
                </section>
                <section>
                    <div class="actions">
                        <button onclick={select_exits}>{ lang.t(T::SelectExits) }</button>
                        <button onclick={select_none}>{ lang.t(T::SelectNone) }</button>
                        <span class="muted" data-testid="selected-count">{ lang.count(T::SelectedCount, selection.len()) }</span>
                    </div>
                    <div class="table-wrap scroll">
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{ lang.t(T::LetGoColumn) }</th>
                                <th scope="col">{ lang.t(T::Name) }</th>
                                <th scope="col">{ lang.t(T::Verdict) }</th>
                                <th scope="col" class="num">{ lang.t(T::Profit) }</th>
                                <th />
                            </tr></thead>
                            <tbody onkeydown={super::row_keys()}>
                                { for listed[paging.rows.clone()].iter().map(|&i| {
                                    let c = &analysis.clients[i];
                                    let start = { let app = app.clone(); let id = c.id.clone(); Callback::from(move |_| app.start_plan(id.clone(), today(), 3)) };
                                    let has_plan = app.portfolio.plans.contains_key(&c.id);
                                    let open = app.go_to(Page::Plan(c.id.clone()));
                                    html! {
                                        <tr key={c.id.clone()} data-client={c.id.clone()}>
                                            <td class="center"><input type="checkbox" aria-label={format!("{}: {}", lang.t(T::LetGoColumn), c.name)}
                                                checked={selection.contains(&c.id)} onchange={toggle(c.id.clone())} /></td>
                                            <td>{ &c.name }</td>
                                            <td>{ lang.verdict(c.decision.verdict) }</td>
                                            <td class="num">{ money(lang, c.now.profit, &currency) }</td>
                                            <td>
                                                if has_plan {
                                                    <button class="link" onclick={open}>{ lang.t(T::OpenPlan) }</button>
                                                } else if c.decision.verdict.is_exit() {
                                                    <button class="link" onclick={start}>{ lang.t(T::StartPlan) }</button>
                                                }
                                            </td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </div>
                    { paging.pager }
                </section>
            </div>
        </section>
    }
}
