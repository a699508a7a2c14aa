//! The Portfolio page: headline figures, the matrix, and the sortable client table.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::matrix::{use_picked_cell, CellList, MatrixGrid};
use super::sort_header;
use crate::core::analysis::view::{self, ClientSort};
use crate::core::chart;
use crate::i18n::format::{count, money, percent, period};
use crate::i18n::{Lang, T};
use crate::ui::state::{AppState, Page};
use crate::ui::{use_derived, use_portfolio};

/// Headline cards: clients, revenue, profit, margin, window.
#[component]
pub fn Summary() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let a = &app.analysis;
    let s = &app.portfolio.settings;
    let margin = a.margin();
    let window = a.window.map(|w| {
        lang.fill(T::WindowRange, &[&period(lang, s.period_kind, w.start), &period(lang, s.period_kind, w.end), &lang.count(T::CountPeriods, w.len() as usize)])
    });
    html! {
        <dl class="cards">
            <div class="card"><dt>{ lang.t(T::Clients) }</dt><dd data-testid="client-count">{ count(lang, a.clients.len()) }</dd></div>
            <div class="card"><dt>{ lang.t(T::TotalRevenue) }</dt><dd>{ money(lang, a.total_revenue, &s.currency) }</dd></div>
            <div class="card"><dt>{ lang.t(T::TotalProfit) }</dt><dd>{ money(lang, a.total_profit, &s.currency) }</dd></div>
            <div class="card"><dt>{ lang.t(T::Margin) }</dt><dd>{ margin.map_or_else(|| lang.t(T::Dash).to_string(), |m| percent(lang, m, 1)) }</dd></div>
            <div class="card wide"><dt>{ lang.t(T::Window) }</dt><dd>{ window.unwrap_or_else(|| lang.t(T::Dash).to_string()) }</dd></div>
        </dl>
    }
}

/// The client table's first order: by profit, the largest first.
pub const FIRST_SORT: (ClientSort, bool) = (ClientSort::Profit, false);

/// The client table's rows in a sort, matching a search, as a derivation ([`super::WARM_UP`]
/// builds the first order ahead).
pub fn rows(s: &AppState, ((key, ascending), query): &((ClientSort, bool), String)) -> Vec<usize> {
    view::search(&s.analysis, &view::sorted(&s.analysis, *key, *ascending), query)
}

#[component]
pub fn PortfolioPage() -> Html {
    let app = use_portfolio();
    let lang: Lang = app.lang;
    let sort = use_state(|| FIRST_SORT);
    let query = use_state(String::new);
    let (selected, on_select) = use_picked_cell();
    let a = app.analysis.clone();
    let currency = app.portfolio.settings.currency.clone();
    let rows = use_derived(((*sort), (*query).clone()), rows);
    let paging = super::use_paging(lang, rows.len(), super::LIST_PAGE, ((*sort), (*query).clone(), app.revision), "client-pager");
    let shown: Vec<usize> = rows[paging.rows.clone()].to_vec();
    let sparks = use_derived(shown.clone(), |s, shown| chart::sparklines(&s.portfolio, &s.analysis, shown));
    let moved = use_derived((), super::decisions::moves);

    let on_sort = {
        let sort = sort.clone();
        Callback::from(move |key: ClientSort| {
            let (k, asc) = *sort;
            sort.set(if k == key { (key, !asc) } else { (key, key.starts_ascending()) });
        })
    };
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };

    if app.portfolio.clients.is_empty() {
        return html! {
            <section class="empty-state">
                <h1>{ &app.portfolio.name }</h1>
                <p>{ lang.t(T::EmptyPortfolio) }{ " " }{ lang.t(T::NoData) }</p>
                <button class="primary" onclick={app.go_to(Page::Import)}>{ lang.t(T::GoImport) }</button>
                <super::edit::AddClient />
            </section>
        };
    }

    let h = |label: T, k: ClientSort, numeric: bool| sort_header(lang, lang.t(label), k, *sort, &on_sort, numeric);

    html! {
        <section class="portfolio-page">
            <h1>{ &app.portfolio.name }</h1>
            <Summary />
            <div class="two-col">
                <div>
                    <h2>{ lang.t(T::NavMatrix) }</h2>
                    <MatrixGrid {selected} {on_select} />
                </div>
                { if let Some(cell) = selected { html! { <CellList {cell} /> } } else { html! {} } }
            </div>
            <h2>{ lang.t(T::Clients) }</h2>
            <div class="table-tools">
                <input type="search" placeholder={lang.t(T::Search)} aria-label={lang.t(T::Search)} value={(*query).clone()} oninput={on_query} />
                <span class="muted">{ lang.fill(T::ShownOf, &[&count(lang, rows.len()), &count(lang, a.clients.len())]) }</span>
                <super::edit::AddClient />
            </div>
            <div class="table-wrap">
                <table class="data clients" data-testid="client-table" aria-rowcount={(rows.len() + 1).to_string()}>
                    <thead><tr>
                        { h(T::Id, ClientSort::Id, false) }
                        { h(T::Name, ClientSort::Name, false) }
                        { h(T::Revenue, ClientSort::Revenue, true) }
                        { h(T::CostToServe, ClientSort::CostToServe, true) }
                        { h(T::Profit, ClientSort::Profit, true) }
                        { h(T::Margin, ClientSort::Margin, true) }
                        { h(T::Abc, ClientSort::Abc, false) }
                        { h(T::Xyz, ClientSort::Xyz, false) }
                        { h(T::CellHeader, ClientSort::Cell, false) }
                        <th scope="col">{ lang.t(T::Trend) }</th>
                    </tr></thead>
                    <tbody onkeydown={super::row_keys()}>
                        { for shown.iter().zip(sparks.iter()).enumerate().map(|(k, (&i, spark))| {
                            let c = &a.clients[i];
                            let go = app.go_to(Page::Client(c.id.clone()));
                            let margin = c.now.margin().map_or_else(|| lang.t(T::Dash).to_string(), |m| percent(lang, m, 1));
                            html! {
                                <tr key={c.id.clone()} data-client={c.id.clone()} aria-rowindex={(paging.rows.start + k + 2).to_string()} class={classes!(c.flags.loss.then_some("loss"), moved.get(i).is_some_and(|m| m.decisive()).then_some("moved"))}>
                                    <td class="mono">{ &c.id }</td>
                                    <td><button class="link" onclick={go}>{ &c.name }</button></td>
                                    <td class="num">{ money(lang, c.now.revenue, &currency) }</td>
                                    <td class="num">{ money(lang, c.now.cost_to_serve, &currency) }</td>
                                    <td class="num">{ money(lang, c.now.profit, &currency) }</td>
                                    <td class="num">{ margin }</td>
                                    <td class="center">{ c.cell.abc.as_str() }</td>
                                    <td class="center">{ c.cell.xyz.as_str() }</td>
                                    <td class="center"><span class={classes!("badge", format!("cell-{}", c.cell.label()))}>{ c.cell.label() }</span></td>
                                    <td><crate::ui::charts::Spark line={spark.clone()} label={AttrValue::from(format!("{}: {}", c.name, lang.t(T::PeriodTitle)))} /></td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            { paging.pager }
        </section>
    }
}
