//! The 3×3 ABC–XYZ matrix: client count and profit per cell; a cell lists its clients.

use yew::prelude::*;

use crate::core::analysis::view;
use crate::core::analysis::{AbcClass, Cell, XyzClass};
use crate::core::chart;
use crate::i18n::format::money_whole;
use crate::i18n::T;
use crate::ui::state::Page;
use crate::ui::{use_derived, use_portfolio};

/// The matrix cell picked to list its clients; picking it again clears it.
#[hook]
pub fn use_picked_cell() -> (Option<Cell>, Callback<Cell>) {
    let picked = use_state(|| None::<Cell>);
    let on_pick = {
        let handle = picked.clone();
        use_callback(*picked, move |c: Cell, current| handle.set(if *current == Some(c) { None } else { Some(c) }))
    };
    (*picked, on_pick)
}

#[derive(Properties, PartialEq)]
pub struct GridProps {
    pub selected: Option<Cell>,
    pub on_select: Callback<Cell>,
}

/// The grid itself, used on the Portfolio page and the Matrix page.
#[component]
pub fn MatrixGrid(props: &GridProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let currency = app.portfolio.settings.currency.clone();
    let heat = use_derived((), |s, _| chart::heat_map(&s.analysis).0);
    html! {
        <table class="matrix" aria-describedby="matrix-intro">
            <thead>
                <tr>
                    <th scope="col"><span class="sr-only">{ lang.t(T::Abc) }</span></th>
                    { for XyzClass::ALL.iter().map(|x| html! { <th scope="col">{ x.as_str() }</th> }) }
                </tr>
            </thead>
            <tbody>
                { for AbcClass::ALL.iter().map(|abc| html! {
                    <tr>
                        <th scope="row">{ abc.as_str() }</th>
                        { for XyzClass::ALL.iter().map(|xyz| {
                            let cell = Cell { abc: *abc, xyz: *xyz };
                            let chart::HeatCell { count, profit, level, .. } = heat[cell.index()];
                            let selected = props.selected == Some(cell);
                            let on_select = props.on_select.clone();
                            html! {
                                <td class={classes!("cell", format!("cell-{}", cell.label()), crate::ui::charts::heat_class(level), selected.then_some("selected"), (count == 0).then_some("empty"))}>
                                    <button data-testid={format!("matrix-cell-{}", cell.label())}
                                        aria-pressed={selected.to_string()}
                                        onclick={Callback::from(move |_| on_select.emit(cell))}>
                                        <span class="cell-label">{ cell.label() }</span>
                                        <span class="cell-count">{ lang.count(T::CountClients, count) }</span>
                                        <span class="cell-profit">{ lang.fill(T::CellProfit, &[&money_whole(lang, profit, &currency)]) }</span>
                                    </button>
                                </td>
                            }
                        }) }
                    </tr>
                }) }
            </tbody>
        </table>
    }
}

#[derive(Properties, PartialEq)]
pub struct CellListProps {
    pub cell: Cell,
}

/// The clients of one cell, by profit.
#[component]
pub fn CellList(props: &CellListProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let currency = &app.portfolio.settings.currency;
    let analysis = app.analysis.clone();
    let rows = use_derived(props.cell, |s, cell| view::in_cell(&s.analysis, *cell));
    let paging = super::use_paging(lang, rows.len(), super::LIST_PAGE, (props.cell, app.revision), "cell-pager");
    html! {
        <section class="cell-list" data-testid="cell-list">
            <h3>{ lang.fill(T::CellList, &[props.cell.label()]) }</h3>
            <table class="data">
                <thead><tr>
                    <th scope="col">{ lang.t(T::Name) }</th>
                    <th scope="col" class="num">{ lang.t(T::Profit) }</th>
                    <th scope="col">{ lang.t(T::Verdict) }</th>
                </tr></thead>
                <tbody onkeydown={super::row_keys()}>
                    { for rows[paging.rows.clone()].iter().map(|&i| {
                        let c = &analysis.clients[i];
                        let go = app.go_to(Page::Client(c.id.clone()));
                        html! {
                            <tr key={c.id.clone()}>
                                <td><button class="link" onclick={go}>{ &c.name }</button></td>
                                <td class="num">{ crate::i18n::format::money(lang, c.now.profit, currency) }</td>
                                <td>{ lang.verdict(c.decision.verdict) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            { paging.pager }
        </section>
    }
}

#[component]
pub fn MatrixPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let (selected, on_select) = use_picked_cell();
    html! {
        <section class="matrix-page">
            <h1>{ lang.t(T::NavMatrix) }</h1>
            <p id="matrix-intro" class="intro">{ lang.t(T::MatrixIntro) }</p>
            <div class="matrix-pair">
                <figure class="chart" data-testid="heat-map">
                    <figcaption>{ lang.t(T::HeatTitle) }</figcaption>
                    <MatrixGrid {selected} {on_select} />
                </figure>
                <crate::ui::charts::PreviousMatrix />
            </div>
            { match selected {
                Some(cell) => html! { <CellList {cell} /> },
                None => html! { <p class="hint">{ lang.t(T::PickCell) }</p> },
            } }
        </section>
    }
}
