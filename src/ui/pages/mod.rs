//! The pages of the app, and what several of them share.

pub mod client;
pub mod decisions;
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

use gloo::file::callbacks::FileReader;
use yew::prelude::*;

use crate::core::import::table::MAX_BYTES;
use crate::core::import::{Problem, ProblemKind};
use crate::i18n::Lang;
use crate::ui::state::Action;
use crate::ui::AppContext;

/// Reads a chosen or dropped file and stages it for import. Files too large to import are
/// refused before they are read. Keep the returned reader alive until it reports.
pub fn read_file(app: &AppContext, file: web_sys::File) -> Option<FileReader> {
    let name = file.name();
    let size = file.size() as usize;
    if size > MAX_BYTES {
        let problems = vec![Problem::file(ProblemKind::TooLarge { bytes: size, limit: MAX_BYTES })];
        app.dispatch(Action::StageRefused { name, problems });
        return None;
    }
    app.dispatch(Action::StageReading(name.clone()));
    let app = app.clone();
    let file = gloo::file::File::from(file);
    Some(gloo::file::callbacks::read_as_bytes(&file, move |result| match result {
        Ok(bytes) => app.dispatch(Action::Stage { name, bytes }),
        Err(_) => app.dispatch(Action::StageRefused { name, problems: vec![Problem::file(ProblemKind::NotText)] }),
    }))
}

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

/// Today's date from the browser's clock.
pub fn today() -> crate::core::plan::Date {
    let now = js_sys::Date::new_0();
    crate::core::plan::Date::new(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .unwrap_or(crate::core::plan::Date { year: 2026, month: 1, day: 1 })
}

/// A number typed by the user, read the way their language writes numbers.
pub fn user_number(lang: Lang, text: &str) -> Option<rust_decimal::Decimal> {
    let locale = match lang {
        Lang::En => crate::core::model::NumberLocale::Dot,
        Lang::Es | Lang::Ru => crate::core::model::NumberLocale::Comma,
    };
    crate::core::import::parse::number(text, locale)
}
