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
pub mod robustness;
pub mod settings;
pub mod six_r;
pub mod what_if;

use std::ops::Range;

use yew::prelude::*;

use crate::ui::hook::warm;

use crate::i18n::format::{count, progress};
use crate::i18n::{Lang, T};

/// What [`use_warm_up`](crate::ui::hook) builds ahead after each analysis, a task each: the
/// derivations that cost a page's first visit most at real size (tens of milliseconds each at
/// 100,000 clients), the same functions and deps as the pages' own [`use_derived`]. Pages not
/// yet visited then open on values already built.
pub const WARM_UP: &[fn(&crate::ui::state::AppState)] = &[
    |s| drop(warm(s, (), decisions::groups)),
    |s| drop(warm(s, String::new(), decisions::searched)),
    |s| drop(warm(s, (), decisions::moves)),
    |s| drop(warm(s, (portfolio::FIRST_SORT, String::new()), portfolio::rows)),
    |s| drop(warm(s, (), what_if::listed)),
    |s| drop(warm(s, (), what_if::defaults)),
    // (Its selection, the defaults, built in the task before: found kept here.)
    |s| drop(warm(s, (warm(s, (), what_if::defaults), false), what_if::outcome)),
    |s| drop(warm(s, (), health::slid)),
    |s| drop(warm(s, (), health::ageing)),
    |s| drop(warm(s, (), crate::ui::charts::concentration)),
    |s| drop(warm(s, (), crate::ui::charts::whale)),
    |s| drop(warm(s, (), crate::ui::charts::pareto)),
    |s| drop(warm(s, (), crate::ui::charts::scatter)),
];

/// The page sizes a long list offers.
pub const PAGE_SIZES: [usize; 4] = [25, 50, 100, 500];

/// The first page of a list, and of each verdict group (several groups share one page). The
/// demo portfolio's lists fit their first page whole. (A longer list's page is drawn a few
/// dozen rows a frame: see [`FRAME_ROWS`].)
pub const LIST_PAGE: usize = 100;
pub const GROUP_PAGE: usize = 25;

/// Rows of paged lists drawn in one frame, all the lists of a page together, from the top. A
/// page of 100 client rows with their sparklines takes about 90 ms to draw at once on a
/// two-core laptop, seven verdict groups of 25 rows about as long, which holds up the first
/// frame of a page switch; 40 rows fill any screen, and the rest follow a frame at a time.
pub const FRAME_ROWS: usize = 40;

/// One page of a long list: the rows to render now, and the pager to show with them.
pub struct Paging {
    /// The page's rows drawn so far: all of a list that fits one page; of a longer list's
    /// page, more each frame from its first (see [`FRAME_ROWS`]).
    pub rows: Range<usize>,
    pub pager: Html,
}

/// Pages through `total` rows, `size` at a time to begin with (one of [`PAGE_SIZES`]), so a
/// list renders only what is on screen however long it is.
/// The page goes back to the first when `reset` changes (a new search or sort). The pager
/// says which rows are shown (politely, to screen readers too), and its buttons and size
/// choice work from the keyboard.
///
/// A page size the user picks holds for that list (by its test id: every verdict group at
/// once) until the tab closes, so leaving a page and coming back does not undo the choice.
#[hook]
pub fn use_paging<R: PartialEq + 'static>(lang: Lang, total: usize, initial: usize, reset: R, testid: &'static str) -> Paging {
    thread_local! {
        static CHOSEN: std::cell::RefCell<Vec<(&'static str, usize)>> = const { std::cell::RefCell::new(Vec::new()) };
    }
    let page = use_state(|| 0usize);
    let size = use_state(|| CHOSEN.with_borrow(|c| c.iter().find(|(id, _)| *id == testid).map(|(_, n)| *n)).unwrap_or(initial));
    {
        let page = page.clone();
        use_effect_with(reset, move |_| page.set(0));
    }
    let last = total.saturating_sub(1) / *size;
    let current = (*page).min(last);
    let rows = (current * *size).min(total)..((current + 1) * *size).min(total);
    // A list that fits its first page needs no pager (one the user resized keeps it), and is
    // drawn whole at once: the demo's lists, and scripts that read all their rows.
    let paged = !(total <= *size && *size == initial);
    let (drawn, at) = use_drawn(rows.clone(), paged);
    if !paged {
        return Paging { rows, pager: html! {} };
    }
    let go = |to: usize, label: T, name: &str, disabled: bool, text: &'static str| {
        let page = page.clone();
        html! {
            <button type="button" aria-label={lang.t(label)} title={lang.t(label)} {disabled}
                data-testid={format!("{testid}-{name}")}
                onclick={Callback::from(move |_| page.set(to))}>{ text }</button>
        }
    };
    let on_size = {
        let (page, size) = (page.clone(), size.clone());
        Callback::from(move |e: Event| {
            let value = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
            if let Ok(n) = value.parse::<usize>() {
                // Keep the first row shown in view.
                page.set(*page * *size / n);
                size.set(n);
                CHOSEN.with_borrow_mut(|c| {
                    c.retain(|(id, _)| *id != testid);
                    c.push((testid, n));
                });
            }
        })
    };
    let status = lang.fill(T::PagerStatus, &[&count(lang, rows.start + 1), &count(lang, rows.end), &count(lang, total)]);
    let sizes = PAGE_SIZES;
    let pager = html! {
        <nav class="pager" ref={at} aria-label={status.clone()} data-testid={testid}>
            { go(0, T::FirstPage, "first", current == 0, "«") }
            { go(current.saturating_sub(1), T::PreviousPage, "previous", current == 0, "‹") }
            <span class="pager-status" aria-live="polite" data-testid={format!("{testid}-status")}>{ status }</span>
            { go((current + 1).min(last), T::NextPage, "next", current == last, "›") }
            { go(last, T::LastPage, "last", current == last, "»") }
            <label class="pager-size">{ lang.t(T::PageSize) }{ " " }
                <select onchange={on_size} data-testid={format!("{testid}-size")}>
                    { for sizes.iter().map(|n| html! { <option value={n.to_string()} selected={*n == *size}>{ n }</option> }) }
                </select>
            </label>
        </nav>
    };
    Paging { rows: drawn, pager }
}

/// How much of a page of `rows` is drawn: all of it when not `paged`; else what the frame's
/// rows give it ([`Frames`]), until it is whole (again from the first when the page changes).
/// Also the reference its pager takes, which places the list on the page.
#[hook]
fn use_drawn(rows: Range<usize>, paged: bool) -> (Range<usize>, NodeRef) {
    let at = use_node_ref();
    let drawn = use_mut_ref(|| Drawn { rows: rows.clone(), given: 0, asked: false });
    let update = use_force_update();
    let shown = if paged {
        let mut d = drawn.borrow_mut();
        if d.rows != rows {
            (d.rows, d.given) = (rows.clone(), 0);
        }
        if d.given < rows.len() && !d.asked {
            d.asked = true;
            Frames::ask(Asking { at: at.clone(), drawn: drawn.clone(), update: update.clone() });
        }
        rows.start..rows.start + d.given
    } else {
        rows.clone()
    };
    (shown, at)
}

/// Of a paged list: its page, how many of its rows were given, whether it asked for more.
struct Drawn {
    rows: Range<usize>,
    given: usize,
    asked: bool,
}

/// A list waiting for rows.
struct Asking {
    at: NodeRef,
    drawn: std::rc::Rc<std::cell::RefCell<Drawn>>,
    update: UseForceUpdateHandle,
}

/// Gives the lists that ask [`FRAME_ROWS`] rows a frame, in their order on the page. Lists
/// that ask while a page is drawn are given rows before that frame is painted (a list drawn
/// on its own, its first 40 rows at once); lists still short ask again after the frame.
struct Frames;

thread_local! {
    static ASKING: std::cell::RefCell<(Vec<Asking>, bool)> = const { std::cell::RefCell::new((Vec::new(), false)) };
}

impl Frames {
    fn ask(list: Asking) {
        ASKING.with_borrow_mut(|(lists, giving)| {
            lists.push(list);
            if !std::mem::replace(giving, true) {
                // After the render that asked (a task's microtasks run before its frame).
                yew::platform::spawn_local(Frames::give());
            }
        });
    }

    async fn give() {
        loop {
            let lists = ASKING.with_borrow_mut(|(lists, _)| std::mem::take(lists));
            // From the top of the page; lists not on it (gone) last.
            let (mut lists, gone): (Vec<_>, Vec<_>) = lists.into_iter().partition(|l| l.at.get().is_some_and(|n| n.is_connected()));
            crate::core::order::sort_by(&mut lists, |a, b| {
                let (a, b) = (a.at.get().expect("on the page"), b.at.get().expect("on the page"));
                if a.is_same_node(Some(&b)) {
                    std::cmp::Ordering::Equal
                } else if b.compare_document_position(&a) & web_sys::Node::DOCUMENT_POSITION_PRECEDING != 0 {
                    std::cmp::Ordering::Less
                } else {
                    std::cmp::Ordering::Greater
                }
            });
            lists.extend(gone);
            let mut left = FRAME_ROWS;
            let mut short = Vec::new();
            for list in lists {
                let (got, asked) = {
                    let mut d = list.drawn.borrow_mut();
                    let got = (d.rows.len() - d.given).min(left);
                    (d.given, left) = (d.given + got, left - got);
                    d.asked = d.given < d.rows.len();
                    (got, d.asked)
                };
                // A list given nothing this frame is not drawn again for it.
                if got > 0 {
                    list.update.force_update();
                }
                if asked {
                    short.push(list);
                }
            }
            let done = ASKING.with_borrow_mut(|(lists, giving)| {
                lists.append(&mut short);
                *giving = !lists.is_empty();
                !*giving
            });
            if done {
                return;
            }
            crate::ui::clock::after_paint().await;
        }
    }
}

/// Keyboard access along the rows of a table body: ↓ and ↑ move to the next and previous row,
/// Home and End to the first and last row shown; focus goes to the row's link (or its first
/// control). Put on a `<tbody onkeydown>`.
pub fn row_keys() -> Callback<KeyboardEvent> {
    use wasm_bindgen::JsCast;
    Callback::from(|e: KeyboardEvent| {
        let Some(from) = gloo::utils::document().active_element() else { return };
        let Some(row) = from.closest("tr").ok().flatten() else { return };
        let Some(body) = row.parent_element() else { return };
        let target = match e.key().as_str() {
            "ArrowDown" => row.next_element_sibling(),
            "ArrowUp" => row.previous_element_sibling(),
            "Home" => body.first_element_child(),
            "End" => body.last_element_child(),
            _ => return,
        };
        let focusable = target.and_then(|tr| tr.query_selector("button.link, button, input, a").ok().flatten());
        if let Some(el) = focusable.and_then(|el| el.dyn_into::<web_sys::HtmlElement>().ok()) {
            e.prevent_default();
            let _ = el.focus();
        }
    })
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

/// In place of a page while a large portfolio is being analysed in the background: how far
/// the analysis is, and a way to take back the change that started it (the page before
/// comes back at once: its analysis is still there).
#[component]
pub fn AnalysisProgress() -> Html {
    let app = crate::ui::use_portfolio();
    let lang = app.lang;
    let Some((done, all)) = app.analysing else { return html! {} };
    let clients = count(lang, app.portfolio.clients.len());
    let fraction = if all > 0 { done as f64 / all as f64 } else { 0.0 };
    let cancel = {
        let app = app.clone();
        Callback::from(move |_| app.undo())
    };
    html! {
        <div class="staged analysing" aria-busy="true" data-testid="analysis-progress">
            <p role="status"><span class="spinner" aria-hidden="true" />{ lang.fill(T::AnalysingProgress, &[&clients, &progress(lang, done, all)]) }</p>
            <progress max="1000" value={((fraction * 1000.0).round() as u32).to_string()} aria-label={lang.t(T::AnalysingShort)} />
            if !app.undo.is_empty() {
                <div class="actions"><button type="button" data-testid="analysis-cancel" onclick={cancel}>{ lang.t(T::CancelChange) }</button></div>
            }
        </div>
    }
}
