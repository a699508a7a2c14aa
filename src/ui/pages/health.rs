//! The Health page: concentration (top clients against the max-share line, HHI band, effective
//! number of clients), migration between windows, and the clients going sour.

use yew::prelude::*;

use crate::core::analysis::view;
use crate::core::analysis::{Cell, Flag, HhiBand};
use crate::i18n::format::{float, percent};
use crate::i18n::T;
use crate::ui::state::{AppState, Page};
use crate::ui::{use_derived, use_portfolio};
use crate::ui::charts::{ConcentrationBars, ParetoCurve, ProfitScatter, WhaleCurve};
use crate::ui::words::fact;

/// The clients that slid and those ageing, as derivations ([`super::WARM_UP`] builds them
/// ahead). Two functions, not one with the flag as its deps: a derivation keeps only the value
/// it built last.
pub fn slid(s: &AppState, _: &()) -> Vec<usize> {
    view::flagged(&s.analysis, Flag::Slid)
}

pub fn ageing(s: &AppState, _: &()) -> Vec<usize> {
    view::flagged(&s.analysis, Flag::Ageing)
}

#[component]
pub fn HealthPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let a = app.analysis.clone();
    let s = &app.portfolio.settings;
    let c = &a.concentration;
    let band = lang.t(match c.band {
        HhiBand::Unconcentrated => T::HhiLow,
        HhiBand::Moderate => T::HhiModerate,
        HhiBand::High => T::HhiHigh,
    });
    let go = |id: &str| app.go_to(Page::Client(id.to_string()));
    let slid = use_derived((), slid);
    let ageing = use_derived((), ageing);
    let slid_page = super::use_paging(lang, slid.len(), super::LIST_PAGE, app.revision, "slid-pager");
    let ageing_page = super::use_paging(lang, ageing.len(), super::LIST_PAGE, app.revision, "ageing-pager");
    let cells = Cell::all();

    html! {
        <section class="health-page">
            <h1>{ lang.t(T::NavHealth) }</h1>
            <h2>{ lang.t(T::Concentration) }</h2>
            <dl class="cards">
                <div class="card"><dt>{ lang.t(T::Top1) }</dt><dd data-testid="top1">{ percent(lang, c.top1, 1) }</dd></div>
                <div class="card"><dt>{ lang.t(T::Top5) }</dt><dd data-testid="top5">{ percent(lang, c.top5, 1) }</dd></div>
                <div class="card"><dt>{ lang.t(T::Hhi) }</dt><dd data-testid="hhi">{ float(lang, c.hhi, 0) }<small>{ " · " }{ band }</small></dd></div>
                <div class="card"><dt>{ lang.t(T::EffectiveClients) }</dt><dd>{ c.effective_clients.map_or_else(|| lang.t(T::Dash).to_string(), |n| float(lang, n, 1)) }</dd></div>
            </dl>
            <div class="chart-grid">
                <ConcentrationBars />
                <WhaleCurve />
                <ParetoCurve />
                <ProfitScatter />
            </div>
            <h2>{ lang.t(T::Migration) }</h2>
            <div class="table-wrap">
                <table class="data migration" data-testid="migration">
                    <thead><tr>
                        <th scope="col">{ lang.t(T::MigrationFromTo) }</th>
                        { for cells.iter().map(|c| html! { <th scope="col" class="center">{ c.label() }</th> }) }
                    </tr></thead>
                    <tbody>
                        { for cells.iter().map(|from| html! {
                            <tr>
                                <th scope="row">{ from.label() }</th>
                                { for cells.iter().map(|to| {
                                    let n = a.transitions[from.index()][to.index()];
                                    html! { <td class={classes!("center", (n == 0).then_some("zero"), (from == to && n > 0).then_some("same"))}>{ if n == 0 { String::new() } else { n.to_string() } }</td> }
                                }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <div class="two-col">
                <section>
                    <h3>{ lang.t(T::SlidClients) }</h3>
                    if slid.is_empty() { <p class="muted">{ lang.t(T::NoneFound) }</p> }
                    <ul>
                        { for slid[slid_page.rows.clone()].iter().map(|&i| {
                            let cl = &a.clients[i];
                            html! { <li><button class="link" onclick={go(&cl.id)}>{ &cl.name }</button>{ " — " }{ lang.fill(T::FromTo, &[cl.previous_cell.label(), cl.cell.label()]) }</li> }
                        }) }
                    </ul>
                    { slid_page.pager }
                </section>
                <section>
                    <h3>{ lang.t(T::AgeingClients) }</h3>
                    if ageing.is_empty() { <p class="muted">{ lang.t(T::NoneFound) }</p> }
                    <ul>
                        { for ageing[ageing_page.rows.clone()].iter().map(|&i| {
                            let cl = &a.clients[i];
                            let detail = match (cl.sour_terms, cl.now.margin(), cl.previous.margin()) {
                                (Some(terms), Some(now), Some(prev)) => fact(lang, &crate::core::analysis::Fact::Ageing { margin_now: now, margin_prev: prev, terms }, &s.currency),
                                _ => String::new(),
                            };
                            html! { <li><button class="link" onclick={go(&cl.id)}>{ &cl.name }</button>{ " — " }{ detail }</li> }
                        }) }
                    </ul>
                    { ageing_page.pager }
                </section>
            </div>
        </section>
    }
}
