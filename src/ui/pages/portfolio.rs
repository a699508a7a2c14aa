//! The Portfolio page: headline figures, the matrix, and the sortable client table.

use std::cmp::Ordering;

use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::matrix::{CellList, MatrixGrid};
use super::sort_header;
use crate::core::analysis::{Analysis, Cell};
use crate::i18n::format::{money, percent, period};
use crate::i18n::{Lang, T};
use crate::ui::state::{Action, Page};
use crate::ui::use_app;

/// The columns the client table sorts by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Id,
    Name,
    Revenue,
    CostToServe,
    Profit,
    Margin,
    Abc,
    Xyz,
    Cell,
}

fn compare(a: &Analysis, i: usize, j: usize, key: SortKey) -> Ordering {
    let (x, y) = (&a.clients[i], &a.clients[j]);
    match key {
        SortKey::Id => x.id.cmp(&y.id),
        SortKey::Name => x.name.to_lowercase().cmp(&y.name.to_lowercase()),
        SortKey::Revenue => x.now.revenue.cmp(&y.now.revenue),
        SortKey::CostToServe => x.now.cost_to_serve.cmp(&y.now.cost_to_serve),
        SortKey::Profit => x.now.profit.cmp(&y.now.profit),
        SortKey::Margin => x.now.margin().cmp(&y.now.margin()),
        SortKey::Abc => x.cell.abc.cmp(&y.cell.abc),
        SortKey::Xyz => x.cell.xyz.cmp(&y.cell.xyz),
        SortKey::Cell => x.cell.cmp(&y.cell),
    }
    .then_with(|| x.id.cmp(&y.id))
}

/// Headline cards: clients, revenue, profit, margin, window.
#[component]
pub fn Summary() -> Html {
    let app = use_app();
    let lang = app.lang;
    let a = &app.analysis;
    let s = &app.portfolio.settings;
    let margin = a.margin();
    let window = a.window.map(|w| {
        lang.fill(T::WindowRange, &[&period(lang, s.period_kind, w.start), &period(lang, s.period_kind, w.end), &lang.count(T::CountPeriods, w.len() as usize)])
    });
    html! {
        <dl class="cards">
            <div class="card"><dt>{ lang.t(T::Clients) }</dt><dd data-testid="client-count">{ a.clients.len() }</dd></div>
            <div class="card"><dt>{ lang.t(T::TotalRevenue) }</dt><dd>{ money(lang, a.total_revenue, &s.currency) }</dd></div>
            <div class="card"><dt>{ lang.t(T::TotalProfit) }</dt><dd>{ money(lang, a.total_profit, &s.currency) }</dd></div>
            <div class="card"><dt>{ lang.t(T::Margin) }</dt><dd>{ margin.map_or_else(|| lang.t(T::Dash).to_string(), |m| percent(lang, m, 1)) }</dd></div>
            <div class="card wide"><dt>{ lang.t(T::Window) }</dt><dd>{ window.unwrap_or_else(|| lang.t(T::Dash).to_string()) }</dd></div>
        </dl>
    }
}

#[component]
pub fn PortfolioPage() -> Html {
    let app = use_app();
    let lang: Lang = app.lang;
    let sort = use_state(|| (SortKey::Profit, false));
    let query = use_state(String::new);
    let selected = use_state(|| None::<Cell>);
    let a = app.analysis.clone();
    let currency = app.portfolio.settings.currency.clone();

    let on_sort = {
        let sort = sort.clone();
        Callback::from(move |key: SortKey| {
            let (k, asc) = *sort;
            // A new column starts descending for numbers, ascending for text.
            let text = matches!(key, SortKey::Id | SortKey::Name | SortKey::Abc | SortKey::Xyz | SortKey::Cell);
            sort.set(if k == key { (key, !asc) } else { (key, text) });
        })
    };
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let on_select = {
        let selected = selected.clone();
        Callback::from(move |c: Cell| selected.set(if *selected == Some(c) { None } else { Some(c) }))
    };

    if app.portfolio.clients.is_empty() {
        let go = { let app = app.clone(); Callback::from(move |_| app.dispatch(Action::Go(Page::Import))) };
        return html! {
            <section class="empty-state">
                <h1>{ &app.portfolio.name }</h1>
                <p>{ lang.t(T::EmptyPortfolio) }{ " " }{ lang.t(T::NoData) }</p>
                <button class="primary" onclick={go}>{ lang.t(T::GoImport) }</button>
                <super::edit::AddClient />
            </section>
        };
    }

    let q = query.to_lowercase();
    let mut rows: Vec<usize> = (0..a.clients.len())
        .filter(|&i| q.is_empty() || a.clients[i].name.to_lowercase().contains(&q) || a.clients[i].id.to_lowercase().contains(&q))
        .collect();
    let (key, asc) = *sort;
    rows.sort_by(|&i, &j| {
        let o = compare(&a, i, j, key);
        if asc { o } else { o.reverse() }
    });
    let moved: std::collections::HashSet<&str> = app.moved.iter().filter(|m| m.decisive()).map(|m| m.id.as_str()).collect();
    let spark = |id: &str, name: &str| -> Html {
        let (Some(client), Some(window)) = (app.portfolio.clients.get(id), a.window) else { return html! {} };
        let lines = crate::core::analysis::profit::period_lines(client, app.portfolio.records.get(id), &app.portfolio.settings, window);
        html! {
            <crate::ui::charts::Spark
                revenue={lines.iter().map(|l| l.revenue).collect::<Vec<_>>()}
                profit={lines.iter().map(|l| l.profit).collect::<Vec<_>>()}
                label={AttrValue::from(format!("{}: {}", name, lang.t(T::PeriodTitle)))} />
        }
    };
    let h = |label: T, k: SortKey, numeric: bool| sort_header(lang, lang.t(label), k, *sort, &on_sort, numeric);

    html! {
        <section class="portfolio-page">
            <h1>{ &app.portfolio.name }</h1>
            <Summary />
            <div class="two-col">
                <div>
                    <h2>{ lang.t(T::NavMatrix) }</h2>
                    <MatrixGrid selected={*selected} {on_select} />
                </div>
                { if let Some(cell) = *selected { html! { <CellList {cell} /> } } else { html! {} } }
            </div>
            <h2>{ lang.t(T::Clients) }</h2>
            <div class="table-tools">
                <input type="search" placeholder={lang.t(T::Search)} aria-label={lang.t(T::Search)} value={(*query).clone()} oninput={on_query} />
                <span class="muted">{ lang.fill(T::ShownOf, &[&rows.len().to_string(), &a.clients.len().to_string()]) }</span>
                <super::edit::AddClient />
            </div>
            <div class="table-wrap">
                <table class="data clients" data-testid="client-table">
                    <thead><tr>
                        { h(T::Id, SortKey::Id, false) }
                        { h(T::Name, SortKey::Name, false) }
                        { h(T::Revenue, SortKey::Revenue, true) }
                        { h(T::CostToServe, SortKey::CostToServe, true) }
                        { h(T::Profit, SortKey::Profit, true) }
                        { h(T::Margin, SortKey::Margin, true) }
                        { h(T::Abc, SortKey::Abc, false) }
                        { h(T::Xyz, SortKey::Xyz, false) }
                        { h(T::CellHeader, SortKey::Cell, false) }
                        <th scope="col">{ lang.t(T::Trend) }</th>
                    </tr></thead>
                    <tbody>
                        { for rows.iter().map(|&i| {
                            let c = &a.clients[i];
                            let go = { let app = app.clone(); let id = c.id.clone(); Callback::from(move |_| app.dispatch(Action::Go(Page::Client(id.clone())))) };
                            let margin = c.now.margin().map_or_else(|| lang.t(T::Dash).to_string(), |m| percent(lang, m, 1));
                            html! {
                                <tr key={c.id.clone()} data-client={c.id.clone()} class={classes!(c.flags.loss.then_some("loss"), moved.contains(c.id.as_str()).then_some("moved"))}>
                                    <td class="mono">{ &c.id }</td>
                                    <td><button class="link" onclick={go}>{ &c.name }</button></td>
                                    <td class="num">{ money(lang, c.now.revenue, &currency) }</td>
                                    <td class="num">{ money(lang, c.now.cost_to_serve, &currency) }</td>
                                    <td class="num">{ money(lang, c.now.profit, &currency) }</td>
                                    <td class="num">{ margin }</td>
                                    <td class="center">{ c.cell.abc.as_str() }</td>
                                    <td class="center">{ c.cell.xyz.as_str() }</td>
                                    <td class="center"><span class={classes!("badge", format!("cell-{}", c.cell.label()))}>{ c.cell.label() }</span></td>
                                    <td>{ spark(c.id.as_str(), &c.name) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
        </section>
    }
}
