//! The pages of the app, and what several of them share.

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

use gloo::file::callbacks::FileReader;
use yew::prelude::*;

use crate::core::import::table::MAX_BYTES;
use crate::core::import::{Problem, ProblemKind};
use crate::i18n::Lang;
use crate::ui::state::Action;
use crate::ui::AppContext;

thread_local! {
    /// The import under way; a new import or a cancel moves it on, and a job that sees a
    /// different number stops without reporting.
    static IMPORT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// Rows checked between two looks at the page (a slice takes a few milliseconds).
const ROWS_PER_SLICE: usize = 20_000;

/// Stops the import under way; nothing of it is applied.
pub fn cancel_import() {
    IMPORT.with(|g| g.set(g.get() + 1));
}

/// Checks a file in slices, reporting progress between them so the page stays responsive,
/// then stages the result for the user to confirm.
pub fn run_import(app: &AppContext, name: String, bytes: Vec<u8>) {
    let id = IMPORT.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let current = move || IMPORT.with(|g| g.get()) == id;
    let app = app.clone();
    let settings = app.portfolio.settings.clone();
    yew::platform::spawn_local(async move {
        let mut job = crate::core::import::Job::start(&bytes, &settings);
        if let Some(problems) = job.header_problems() {
            // A header it does not understand (or none): let the user say what the columns are.
            let text = String::from_utf8_lossy(&bytes).trim_start_matches('\u{feff}').to_string();
            app.dispatch(Action::StageMapping { name, text, problems: problems.to_vec() });
            return;
        }
        drop(bytes);
        let lines = loop {
            let p = job.step(ROWS_PER_SLICE);
            if !current() {
                return;
            }
            if p.done {
                break p.rows;
            }
            app.dispatch(Action::StageProgress { name: name.clone(), done: p.bytes_read, total: p.bytes_total, rows: p.rows });
            gloo::timers::future::TimeoutFuture::new(0).await;
        };
        let result = job.finish();
        if current() {
            app.dispatch(Action::StageChecked { name, lines, result });
        }
    });
}

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
        Ok(bytes) => run_import(&app, name, bytes),
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
