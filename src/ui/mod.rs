//! The browser side: Yew components that display what the engine computed.
//!
//! State lives in one reducer ([`state`]) handed down by context; components dispatch intents
//! and never compute money themselves. Storage is written from one effect, keyed on the
//! state's revision.

pub mod charts;
pub mod download;
pub mod pages;
pub mod state;
pub mod storage;
pub mod words;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::core::model::Portfolio;
use crate::i18n::{Lang, T};
use state::{Action, AppState, Entry, Notice, Page};
use storage::{Index, IndexEntry, StorageError};

/// The app's state handle, as every component receives it.
pub type AppContext = UseReducerHandle<AppState>;

/// The app state from context.
#[hook]
pub fn use_app() -> AppContext {
    use_context::<AppContext>().expect("components are rendered inside <App>")
}

/// Mounts the app on the page.
pub fn start() {
    yew::Renderer::<App>::new().render();
    register_service_worker();
}

/// Keeps the app usable offline after a first visit (`sw.js` caches this release's files).
/// Served from `file://` (the single-file build) or where workers are unavailable, nothing
/// is registered.
fn register_service_worker() {
    let Some(window) = web_sys::window() else { return };
    let navigator = window.navigator();
    let served = window.location().protocol().is_ok_and(|p| p == "http:" || p == "https:");
    let available = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    if served && available {
        // A failed registration only means no offline copy; the app works the same.
        let _ = navigator.service_worker().register("./sw.js");
    }
}

fn browser_lang() -> Lang {
    web_sys::window().and_then(|w| w.navigator().language()).map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

fn lang_of(code: Option<&str>) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| Some(l.code()) == code)
}

/// The state on start: the stored portfolios, or the demo portfolio on a first visit.
pub fn initial_state() -> (AppState, Vec<Notice>) {
    let mut notices = Vec::new();
    let index = match storage::load_index() {
        Ok(index) => index,
        Err(StorageError::Unavailable) => {
            notices.push(Notice::StorageUnavailable);
            None
        }
        Err(_) => {
            notices.push(Notice::StorageUnreadable("index".into(), String::new()));
            None
        }
    };
    if let Some(index) = index {
        let lang = lang_of(index.lang.as_deref()).unwrap_or_else(browser_lang);
        let entries: Vec<Entry> = index.portfolios.iter().map(|e| Entry { id: e.id.clone(), name: e.name.clone() }).collect();
        match storage::load_portfolio(&index.current) {
            Ok(Some(p)) => return (AppState::new(lang, entries, index.current, index.next_id, p), notices),
            Ok(None) => {}
            Err(e) => {
                let name = entries.iter().find(|e| e.id == index.current).map_or(index.current.clone(), |e| e.name.clone());
                notices.push(Notice::StorageUnreadable(name, describe(&e, lang)));
                // Keep the unreadable data where it is; work in a fresh portfolio beside it.
                let id = format!("p{}", index.next_id + 1);
                let fresh = Portfolio::new(lang.fill(T::NewPortfolioName, &[&(entries.len() + 1).to_string()]));
                let mut entries = entries;
                entries.push(Entry { id: id.clone(), name: fresh.name.clone() });
                return (AppState::new(lang, entries, id, index.next_id + 1, fresh), notices);
            }
        }
    }
    let lang = browser_lang();
    // The demo ships with the app and is tested to import cleanly; an empty one is the fallback.
    let demo = crate::core::demo::portfolio(lang.t(T::DemoName)).unwrap_or_else(|_| Portfolio::new(lang.t(T::DemoName)));
    let entries = vec![Entry { id: "p1".into(), name: demo.name.clone() }];
    let mut state = AppState::new(lang, entries, "p1".into(), 1, demo);
    state.revision = 1; // store the demo at once
    (state, notices)
}

fn describe(e: &StorageError, lang: Lang) -> String {
    match e {
        StorageError::Unreadable(crate::core::snapshot::SnapshotError::NewerVersion { .. }) => lang.t(T::StorageNewer).into(),
        _ => lang.t(T::StorageCorrupt).into(),
    }
}

/// Writes the current portfolio and the index; a failure becomes a notice.
fn persist(state: &AppState) -> Result<(), Notice> {
    let index = Index {
        current: state.current.clone(),
        portfolios: state.entries.iter().map(|e| IndexEntry { id: e.id.clone(), name: e.name.clone() }).collect(),
        next_id: state.next_id,
        lang: Some(state.lang.code().to_string()),
    };
    let result = storage::save_portfolio(&state.current, &state.portfolio).and_then(|_| storage::save_index(&index));
    match result {
        Ok(()) => Ok(()),
        Err(StorageError::Unavailable) => Err(Notice::StorageUnavailable),
        Err(_) => Err(Notice::StorageFull(state.portfolio.name.clone())),
    }
}

#[component]
pub fn App() -> Html {
    let state = use_reducer(|| {
        let (mut s, notices) = initial_state();
        s.notices = notices;
        s
    });
    {
        let state = state.clone();
        use_effect_with(state.revision, move |_| {
            if let Err(notice) = persist(&state) {
                state.dispatch(Action::Notify(notice));
            }
        });
    }
    {
        // Ctrl+Z (⌘Z) undoes the last change and Ctrl+Shift+Z (or Ctrl+Y) redoes it, except while
        // typing in a field.
        let state = state.clone();
        use_effect_with((), move |_| {
            let listener = gloo::events::EventListener::new(&gloo::utils::document(), "keydown", move |e| {
                let Some(e) = e.dyn_ref::<web_sys::KeyboardEvent>() else { return };
                let typing = gloo::utils::document()
                    .active_element()
                    .is_some_and(|el| matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT"));
                let command = (e.ctrl_key() || e.meta_key()) && !typing;
                let key = e.key().to_lowercase();
                if command && key == "z" && !e.shift_key() {
                    e.prevent_default();
                    state.dispatch(Action::Undo);
                } else if command && ((key == "z" && e.shift_key()) || key == "y") {
                    e.prevent_default();
                    state.dispatch(Action::Redo);
                }
            });
            move || drop(listener)
        });
    }
    {
        let lang = state.lang;
        use_effect_with(lang, move |lang| {
            if let Some(root) = gloo::utils::document().document_element() {
                let _ = root.set_attribute("lang", lang.code());
            }
            gloo::utils::document().set_title(&format!("{} — {}", lang.t(T::AppName), lang.t(T::Tagline)));
        });
    }
    html! {
        <ContextProvider<AppContext> context={state.clone()}>
            <pages::header::Header />
            <main id="main" class="page">
                <pages::notices::Notices />
                { match &state.page {
                    Page::Portfolio => html! { <pages::portfolio::PortfolioPage /> },
                    Page::Decisions => html! { <pages::decisions::DecisionsPage /> },
                    Page::Matrix => html! { <pages::matrix::MatrixPage /> },
                    Page::Health => html! { <pages::health::HealthPage /> },
                    Page::Import => html! { <pages::import::ImportPage /> },
                    Page::Settings => html! { <pages::settings::SettingsPage /> },
                    Page::Client(id) => html! { <pages::client::ClientPage id={AttrValue::from(id.clone())} /> },
                    Page::WhatIf => html! { <pages::what_if::WhatIfPage /> },
                    Page::Plans => html! { <pages::plans::PlansPage /> },
                    Page::Plan(id) => html! { <pages::plans::PlanPage id={AttrValue::from(id.clone())} /> },
                    Page::SixR => html! { <pages::six_r::SixRPage /> },
                    Page::Prospects => html! { <pages::prospects::ProspectsPage /> },
                    Page::Report => html! { <pages::report::ReportPage /> },
                } }
            </main>
            <footer class="footer">{ state.lang.t(T::Privacy) }</footer>
        </ContextProvider<AppContext>>
    }
}
