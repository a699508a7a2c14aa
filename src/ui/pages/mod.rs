//! The pages of the app, and the pieces of markup several of them share. Pages display what
//! the engine computed and call the intents of [`use_portfolio`](crate::ui::use_portfolio).

pub mod client;
pub mod decisions;
pub mod edit;
pub mod header;
pub mod health;
pub mod import;
pub mod matrix;
pub mod notices;
pub mod plans;
pub mod portfolio;
pub mod prospects;
pub mod report;
pub mod settings;
pub mod six_r;
pub mod what_if;

use yew::prelude::*;

use crate::i18n::Lang;

/// A sortable column header button with `aria-sort`.
pub fn sort_header<K: PartialEq + Copy + 'static>(
    lang: Lang,
    label: &str,
    key: K,
    current: (K, bool),
    on_sort: &Callback<K>,
    numeric: bool,
) -> Html {
    let active = current.0 == key;
    let aria = if !active { "none" } else if current.1 { "ascending" } else { "descending" };
    let arrow = if !active { "" } else if current.1 { " ▲" } else { " ▼" };
    let on_sort = on_sort.clone();
    html! {
        <th scope="col" aria-sort={aria} class={classes!(numeric.then_some("num"))}>
            <button class="sort" title={lang.fill(crate::i18n::T::SortBy, &[label])}
                onclick={Callback::from(move |_| on_sort.emit(key))}>
                { label }{ arrow }
            </button>
        </th>
    }
}

/// A horizontal bar for a share from 0 to 1, drawn in SVG (no inline styles: the page's
/// Content-Security-Policy allows none). An optional marker draws a limit line.
pub fn bar(fraction: f64, marker: Option<f64>, class: &'static str) -> Html {
    let pct = |f: f64| format!("{:.2}", (f * 100.0).clamp(0.0, 100.0));
    html! {
        <svg class={classes!("bar-svg", class)} viewBox="0 0 100 10" preserveAspectRatio="none" aria-hidden="true" focusable="false">
            <rect class="track" x="0" y="0" width="100" height="10" />
            <rect class="fill" x="0" y="0" width={pct(fraction)} height="10" />
            if let Some(m) = marker {
                <line class="marker" x1={pct(m)} x2={pct(m)} y1="0" y2="10" />
            }
        </svg>
    }
}
