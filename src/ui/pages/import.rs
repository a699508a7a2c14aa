//! The Import page: file picker, drag and drop, a paste box; the preview of what will change,
//! or every problem that refused the file. Also the exports that import back.

use web_sys::{DragEvent, HtmlTextAreaElement};
use yew::prelude::*;

use super::read_file;
use crate::core::export;
use crate::core::import::{Format, Problem};
use crate::core::snapshot;
use crate::i18n::{Lang, T};
use crate::ui::state::{Action, Staged};
use crate::ui::{download, use_app};

/// How many problems are listed before "…and n more".
const SHOWN_PROBLEMS: usize = 200;

fn format_name(lang: Lang, f: Format) -> &'static str {
    lang.t(match f {
        Format::Records => T::FormatRecords,
        Format::Transactions => T::FormatTransactions,
        Format::WideRevenue => T::FormatWide,
        Format::Clients => T::FormatClients,
        Format::Settings => T::FormatSettings,
    })
}

fn problem_table(lang: Lang, problems: &[Problem]) -> Html {
    html! {
        <>
        <table class="data problems" data-testid="import-problems">
            <thead><tr>
                <th scope="col" class="num">{ lang.t(T::Row) }</th>
                <th scope="col">{ lang.t(T::Column) }</th>
                <th scope="col">{ lang.t(T::Problem) }</th>
            </tr></thead>
            <tbody>
                { for problems.iter().take(SHOWN_PROBLEMS).map(|p| html! {
                    <tr>
                        <td class="num" data-row={p.row.map(|r| r.to_string())}>{ p.row.map_or_else(|| lang.t(T::WholeFile).to_string(), |r| r.to_string()) }</td>
                        <td data-column={p.column.clone()}>{ p.column.clone().unwrap_or_default() }</td>
                        <td>{ lang.problem(p) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
        if problems.len() > SHOWN_PROBLEMS {
            <p class="muted">{ lang.fill(T::MoreProblems, &[&(problems.len() - SHOWN_PROBLEMS).to_string()]) }</p>
        }
        </>
    }
}

#[component]
pub fn ImportPage() -> Html {
    let app = use_app();
    let lang = app.lang;
    let reader = use_mut_ref(|| None);
    let paste = use_state(String::new);
    let dragging = use_state(|| false);

    let on_drop = {
        let app = app.clone();
        let reader = reader.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                *reader.borrow_mut() = read_file(&app, file);
            }
        })
    };
    let on_over = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(true);
        })
    };
    let on_leave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let on_paste_input = {
        let paste = paste.clone();
        Callback::from(move |e: InputEvent| paste.set(e.target_unchecked_into::<HtmlTextAreaElement>().value()))
    };
    let on_paste_check = {
        let app = app.clone();
        let paste = paste.clone();
        Callback::from(move |_| {
            let name = app.lang.t(T::PastedData).to_string();
            app.dispatch(Action::Stage { name, bytes: paste.as_bytes().to_vec() });
        })
    };
    let on_apply = {
        let app = app.clone();
        Callback::from(move |_| app.dispatch(Action::ApplyStaged))
    };
    let on_cancel = {
        let app = app.clone();
        Callback::from(move |_| app.dispatch(Action::CancelStaged))
    };
    let export = |label: T, file: &'static str, mime: &'static str, make: fn(&crate::core::model::Portfolio) -> String| {
        let app = app.clone();
        html! {
            <button onclick={Callback::from(move |_| download::save(file, mime, &make(&app.portfolio)))}>{ lang.t(label) }</button>
        }
    };

    let staged = match &app.staged {
        None => html! {},
        Some(Staged::Reading(name)) => html! {
            <div class="staged" aria-busy="true"><span class="spinner" aria-hidden="true" />{ lang.fill(T::Reading, &[name]) }</div>
        },
        Some(Staged::Ready { name, parsed, summary }) => html! {
            <section class="staged preview" data-testid="import-preview" aria-labelledby="preview-h">
                <h2 id="preview-h">{ lang.fill(T::PreviewHeading, &[name]) }</h2>
                <p>{ lang.fill(T::PreviewFormat, &[format_name(lang, parsed.format())]) }</p>
                <ul>
                    if parsed.format() == Format::Settings {
                        <li>{ lang.t(if summary.settings_changed { T::PreviewSettings } else { T::PreviewSettingsSame }) }</li>
                    } else {
                        <li>{ lang.fill(T::PreviewRows, &[&summary.rows.to_string()]) }</li>
                        <li>{ lang.fill(T::PreviewClientsAdded, &[&summary.clients_added.to_string()]) }</li>
                        if summary.clients_updated > 0 {
                            <li>{ lang.fill(T::PreviewClientsUpdated, &[&summary.clients_updated.to_string()]) }</li>
                        }
                        if summary.records_added + summary.records_replaced > 0 {
                            <li>{ lang.fill(T::PreviewRecordsAdded, &[&summary.records_added.to_string()]) }{ ", " }
                                { lang.fill(T::PreviewRecordsReplaced, &[&summary.records_replaced.to_string()]) }</li>
                        }
                    }
                </ul>
                <div class="actions">
                    <button class="primary" data-testid="import-apply" onclick={on_apply}>{ lang.t(T::Apply) }</button>
                    <button onclick={on_cancel.clone()}>{ lang.t(T::Cancel) }</button>
                </div>
            </section>
        },
        Some(Staged::Refused { name, problems }) => html! {
            <section class="staged refused" aria-labelledby="refused-h">
                <h2 id="refused-h">{ lang.fill(T::Refused, &[name, &problems.len().to_string()]) }</h2>
                { problem_table(lang, problems) }
                <div class="actions"><button onclick={on_cancel}>{ lang.t(T::Close) }</button></div>
            </section>
        },
    };

    html! {
        <section class="import-page">
            <h1>{ lang.t(T::ImportHeading) }</h1>
            <p class="intro">{ lang.t(T::ImportIntro) }</p>
            { staged }
            <div class={classes!("dropzone", dragging.then_some("over"))} ondrop={on_drop} ondragover={on_over} ondragleave={on_leave}>
                <p>{ lang.t(T::DropHere) }{ " " }
                    <label class="button">
                        <input type="file" class="sr-only" data-testid="import-drop-input" accept=".csv,.tsv,.txt,.json"
                            onchange={{
                                let app = app.clone();
                                let reader = reader.clone();
                                Callback::from(move |e: Event| {
                                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                                    if let Some(file) = input.files().and_then(|f| f.get(0)) {
                                        *reader.borrow_mut() = read_file(&app, file);
                                    }
                                    input.set_value("");
                                })
                            }} />
                        { lang.t(T::ChooseFile) }
                    </label>
                </p>
            </div>
            <label class="field block">
                <span>{ lang.t(T::PasteLabel) }</span>
                <textarea data-testid="import-paste" rows="6" value={(*paste).clone()} oninput={on_paste_input} spellcheck="false" />
            </label>
            <button data-testid="import-paste-check" onclick={on_paste_check} disabled={paste.trim().is_empty()}>{ lang.t(T::PasteCheck) }</button>
            <h2>{ lang.t(T::ExportHeading) }</h2>
            <div class="actions">
                { export(T::ExportRecords, "records.csv", "text/csv;charset=utf-8", |p| export::records_csv(p, false)) }
                { export(T::ExportClients, "clients.csv", "text/csv;charset=utf-8", export::clients_csv) }
                { export(T::ExportSettings, "settings.json", "application/json", |p| export::settings_json(&p.settings)) }
                { export(T::ExportBackup, "portfolio.cartera.json", "application/json", snapshot::encode) }
            </div>
        </section>
    }
}
