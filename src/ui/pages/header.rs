//! The bar on every page: portfolio switcher, import and export, undo, language, navigation.

use std::rc::Rc;

use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::core::analysis::Analysis;
use crate::core::export;
use crate::i18n::{Lang, T};
use crate::ui::state::{Page, UndoKind};
use crate::ui::{download, use_portfolio};

fn undo_label(lang: Lang, kind: &UndoKind) -> String {
    match kind {
        UndoKind::Import(name) => lang.fill(T::UndoImport, &[name]),
        UndoKind::Settings => lang.t(T::UndoSettings).into(),
        UndoKind::Rename => lang.t(T::UndoRename).into(),
        UndoKind::Plan => lang.t(T::UndoPlan).into(),
        UndoKind::Prospect => lang.t(T::UndoProspect).into(),
        UndoKind::Edit => lang.t(T::UndoEdit).into(),
    }
}

/// Downloads the §9 results export of an analysis (written a slice at a time).
pub fn export_results(analysis: Rc<Analysis>) {
    yew::platform::spawn_local(async move {
        let row = |i: usize, out: &mut String| export::results_row(&analysis, i, out);
        download::save_rows("results.csv", export::RESULTS_HEADER.to_string(), &analysis, &row).await;
    });
}

#[component]
pub fn Header() -> Html {
    let app = use_portfolio();
    let lang = app.lang;

    let on_switch = {
        let app = app.clone();
        Callback::from(move |e: Event| app.open(&e.target_unchecked_into::<HtmlSelectElement>().value()))
    };
    let on_new = {
        let app = app.clone();
        Callback::from(move |_| app.new_portfolio())
    };
    let on_rename = {
        let app = app.clone();
        Callback::from(move |_| {
            let prompt = gloo::dialogs::prompt(app.lang.t(T::RenamePrompt), Some(&app.portfolio.name));
            if let Some(name) = prompt.map(|n| n.trim().to_string()).filter(|n| !n.is_empty()) {
                app.rename(name);
            }
        })
    };
    let on_delete = {
        let app = app.clone();
        Callback::from(move |_| {
            if gloo::dialogs::confirm(&app.lang.fill(T::DeleteConfirm, &[&app.portfolio.name])) {
                app.delete_current();
            }
        })
    };
    let on_file = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let input: HtmlInputElement = e.target_unchecked_into();
            if let Some(file) = input.files().and_then(|f| f.get(0)) {
                app.import_file(file);
            }
            // Let the same file be chosen again after a fix.
            input.set_value("");
        })
    };
    let on_export = {
        let app = app.clone();
        Callback::from(move |_| export_results(app.analysis.clone()))
    };
    let on_undo = {
        let app = app.clone();
        Callback::from(move |_| app.undo())
    };
    let on_redo = {
        let app = app.clone();
        Callback::from(move |_| app.redo())
    };
    let on_lang = {
        let app = app.clone();
        Callback::from(move |e: Event| {
            let code = e.target_unchecked_into::<HtmlSelectElement>().value();
            if let Some(l) = Lang::ALL.into_iter().find(|l| l.code() == code) {
                app.set_lang(l);
            }
        })
    };
    let nav = |page: Page, text: T| {
        let app = app.clone();
        let current = app.page == page
            || (page == Page::Portfolio && matches!(app.page, Page::Client(_)))
            || (page == Page::Plans && matches!(app.page, Page::Plan(_)));
        html! {
            <li>
                <button class={classes!("nav-link", current.then_some("current"))}
                    aria-current={current.then_some("page")}
                    data-page={format!("{page:?}").to_lowercase()}
                    onclick={app.go_to(page.clone())}>
                    { lang.t(text) }
                </button>
            </li>
        }
    };
    let redo_title = app.redo.last().map_or_else(|| lang.t(T::NothingToRedo).to_string(), |s| lang.fill(T::RedoWhat, &[&undo_label(lang, &s.kind)]));
    let undo_title = app.undo.last().map_or_else(|| lang.t(T::NothingToUndo).to_string(), |s| lang.fill(T::UndoWhat, &[&undo_label(lang, &s.kind)]));

    html! {
        <header class="topbar">
            <div class="brand">
                <span class="logo" aria-hidden="true">{ "◆" }</span>
                <span class="brand-name">{ lang.t(T::AppName) }</span>
            </div>
            <div class="toolbar">
                <label class="field inline">
                    <span class="sr-only">{ lang.t(T::PortfolioLabel) }</span>
                    <select data-testid="portfolio-select" onchange={on_switch} aria-label={lang.t(T::PortfolioLabel)}>
                        { for app.entries.iter().map(|e| html! {
                            <option key={e.id.clone()} value={e.id.clone()} selected={e.id == app.current}>{ &e.name }</option>
                        }) }
                    </select>
                </label>
                <button data-testid="new-portfolio" onclick={on_new}>{ lang.t(T::NewPortfolio) }</button>
                <button data-testid="rename-portfolio" onclick={on_rename}>{ lang.t(T::Rename) }</button>
                <button data-testid="delete-portfolio" class="danger" onclick={on_delete}>{ lang.t(T::Delete) }</button>
                <span class="sep" />
                <label class="button file-button">
                    <input type="file" class="sr-only" data-testid="import-file" accept=".csv,.tsv,.txt,.json,text/csv,application/json" onchange={on_file} />
                    { lang.t(T::ImportFile) }
                </label>
                <button data-testid="export-results" onclick={on_export} disabled={app.analysing.is_some()}>{ lang.t(T::ExportResults) }</button>
                <button data-testid="undo" onclick={on_undo} disabled={app.undo.is_empty()} title={undo_title}>
                    { "↶ " }{ lang.t(T::Undo) }
                </button>
                <button data-testid="redo" onclick={on_redo} disabled={app.redo.is_empty()} title={redo_title}>
                    { "↷ " }{ lang.t(T::Redo) }
                </button>
                <label class="field inline">
                    <span class="sr-only">{ lang.t(T::Language) }</span>
                    <select data-testid="lang-select" onchange={on_lang} aria-label={lang.t(T::Language)}>
                        { for Lang::ALL.iter().map(|l| html! {
                            <option value={l.code()} selected={*l == lang}>{ l.native_name() }</option>
                        }) }
                    </select>
                </label>
            </div>
            <nav aria-label={lang.t(T::MainNavigation)}>
                <ul class="nav">
                    { nav(Page::Portfolio, T::NavPortfolio) }
                    { nav(Page::Decisions, T::NavDecisions) }
                    { nav(Page::Matrix, T::NavMatrix) }
                    { nav(Page::Health, T::NavHealth) }
                    { nav(Page::WhatIf, T::NavWhatIf) }
                    { nav(Page::Plans, T::NavPlans) }
                    { nav(Page::SixR, T::NavSixR) }
                    { nav(Page::Prospects, T::NavProspects) }
                    { nav(Page::Report, T::NavReport) }
                    { nav(Page::Import, T::NavImport) }
                    { nav(Page::Settings, T::NavSettings) }
                </ul>
            </nav>
        </header>
    }
}
