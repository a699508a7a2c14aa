//! The browser side: Yew components that display what the engine computed.
//!
//! State lives in one reducer ([`state`]) provided by [`App`] as context; components reach it
//! through [`hook::use_portfolio`], which hands them the state and the user's intents. Only
//! the hook touches [`storage`]; pages display and call intents.

pub mod background;
pub mod charts;
pub mod clock;
pub mod download;
pub mod hook;
pub mod importer;
pub mod pages;
pub mod release;
pub mod state;
pub mod storage;
pub mod words;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::i18n::T;
pub use hook::{use_derived, use_portfolio, PortfolioHandle};
use state::{AppState, Page};

/// Mounts the app on the page.
pub fn start() {
    yew::Renderer::<App>::new().render();
}

#[component]
pub fn App() -> Html {
    let state = hook::use_app_state();
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| release::register(move || dispatch.dispatch(state::Action::Notify(state::Notice::UpdateReady))));
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
                    state.dispatch(state::Action::Undo);
                } else if command && ((key == "z" && e.shift_key()) || key == "y") {
                    e.prevent_default();
                    state.dispatch(state::Action::Redo);
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
        <ContextProvider<UseReducerHandle<AppState>> context={state.clone()}>
            // The bar acts on the open portfolio: it appears once storage has been read.
            if !state.loading { <pages::header::Header /> }
            // Where the last background analysis was worked out (read by the tests).
            <main id="main" class="page" aria-busy={state.loading.to_string()} data-analysed-by={if state.analysed_by_worker { "worker" } else { "page" }} data-analysis-rev={state.analysis_rev.to_string()} data-saved={(!state.unsaved()).to_string()} data-encoded-away={storage::encoded_away().to_string()}>
                <pages::notices::Notices />
                if state.loading {
                    <p class="loading" data-testid="loading"><span class="spinner" aria-hidden="true" />{ state.lang.t(T::Loading) }</p>
                } else if state.analysing.is_some() && !matches!(state.page, Page::Import | Page::Settings) {
                    // Every other page shows the analysis, which is on its way.
                    <pages::AnalysisProgress />
                } else {
                    <pages::AnalysisProgress />
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
                }
            </main>
            <footer class="footer">{ state.lang.t(T::Privacy) }</footer>
        </ContextProvider<UseReducerHandle<AppState>>>
    }
}
