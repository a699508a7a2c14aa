//! The Import page: file picker, drag and drop, a paste box; the preview of what will change,
//! or every problem that refused the file. Also the exports that import back, and restoring a
//! backup ([`restore`]). A header that is not understood goes to the column mapping
//! ([`mapping`]).

mod mapping;
mod restore;

use std::rc::Rc;

use web_sys::{DragEvent, HtmlTextAreaElement};
use yew::prelude::*;

use crate::core::export;
use crate::core::import::{Format, Note, Problem};
use crate::core::model::NumberLocale;
use crate::i18n::format::{count, progress};
use crate::i18n::{Lang, T};
use crate::ui::state::{Replacing, Staged};
use crate::ui::{download, use_portfolio};
use mapping::Mapping;
use restore::Restore;


pub(crate) fn format_name(lang: Lang, f: Format) -> &'static str {
    lang.t(match f {
        Format::Records => T::FormatRecords,
        Format::Transactions => T::FormatTransactions,
        Format::WideRevenue => T::FormatWide,
        Format::Clients => T::FormatClients,
        Format::Settings => T::FormatSettings,
    })
}

#[derive(Properties, PartialEq)]
pub(crate) struct ProblemsProps {
    pub problems: Rc<Vec<Problem>>,
}

/// Every problem found (up to the reader's limit), paged, by row and column.
#[component]
pub(crate) fn ProblemTable(props: &ProblemsProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let problems = &props.problems;
    let paging = super::use_paging(lang, problems.len(), super::LIST_PAGE, Rc::as_ptr(problems) as usize, "problems-pager");
    html! {
        <>
        <table class="data problems" data-testid="import-problems" aria-rowcount={(problems.len() + 1).to_string()}>
            <thead><tr>
                <th scope="col" class="num">{ lang.t(T::Row) }</th>
                <th scope="col">{ lang.t(T::Column) }</th>
                <th scope="col">{ lang.t(T::Problem) }</th>
            </tr></thead>
            <tbody>
                { for problems[paging.rows.clone()].iter().enumerate().map(|(k, p)| html! {
                    <tr aria-rowindex={(paging.rows.start + k + 2).to_string()}>
                        <td class="num" data-row={p.row.map(|r| r.to_string())}>{ p.row.map_or_else(|| lang.t(T::WholeFile).to_string(), |r| r.to_string()) }</td>
                        <td data-column={p.column.clone()}>{ p.column.clone().unwrap_or_default() }</td>
                        <td>{ lang.problem(p) }</td>
                    </tr>
                }) }
            </tbody>
        </table>
        { paging.pager }
        </>
    }
}

#[component]
pub fn ImportPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let paste = use_state(String::new);
    let dragging = use_state(|| false);

    let on_drop = {
        let app = app.clone();
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            if let Some(file) = e.data_transfer().and_then(|d| d.files()).and_then(|f| f.get(0)) {
                app.import_file(file);
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
        Callback::from(move |_| app.import_text(app.lang.t(T::PastedData).to_string(), paste.as_bytes().to_vec()))
    };
    let replace = use_state(|| false);
    // Every newly checked file starts in add mode, the one that removes nothing; and goes
    // back to it when replacing turns out to be refused.
    {
        let replace = replace.clone();
        let key = match &app.staged {
            Some(Staged::Ready { parsed, replacing, .. }) => (std::rc::Rc::as_ptr(parsed) as usize, *replacing == Replacing::Refused),
            _ => (0, false),
        };
        use_effect_with(key, move |_| replace.set(false));
    }
    let on_apply = {
        let app = app.clone();
        let replace = replace.clone();
        Callback::from(move |_| app.apply_staged(*replace))
    };
    let on_cancel = {
        let app = app.clone();
        Callback::from(move |_| app.cancel_staged())
    };
    let mode = |value: bool, label: T, disabled: bool| {
        let checked = *replace == value;
        let replace = replace.clone();
        let app = app.clone();
        let onchange = Callback::from(move |_| {
            if value {
                app.check_replace();
            }
            replace.set(value);
        });
        html! {
            <label class="check">
                <input type="radio" name="import-mode" data-testid={if value { "mode-replace" } else { "mode-add" }} {checked} {disabled} {onchange} />
                { lang.t(label) }
            </label>
        }
    };
    let export = |label: T, file: &'static str, mime: &'static str, make: fn(&crate::core::model::Portfolio) -> String| {
        let app = app.clone();
        html! {
            <button onclick={Callback::from(move |_| download::save(file, mime, &make(&app.portfolio)))}>{ lang.t(label) }</button>
        }
    };

    let staged = match &app.staged {
        None => html! {},
        Some(Staged::Reading { name, done, total, rows }) => {
            let fraction = if *total > 0 { *done as f64 / *total as f64 } else { 0.0 };
            let pct = progress(lang, *done, *total);
            html! {
                <div class="staged" aria-busy="true" data-testid="import-progress">
                    <p><span class="spinner" aria-hidden="true" />
                        { if *total == 0 { lang.fill(T::Reading, &[name]) } else { lang.fill(T::ReadingProgress, &[name, &count(lang, *rows), &pct]) } }</p>
                    <progress max="1000" value={((fraction * 1000.0).round() as u32).to_string()} aria-label={lang.fill(T::Reading, &[name])} />
                    <div class="actions"><button data-testid="import-cancel" onclick={on_cancel.clone()}>{ lang.t(T::CancelImport) }</button></div>
                </div>
            }
        }
        Some(Staged::Mapping { name, text, rows, problems }) => html! {
            <Mapping name={AttrValue::from(name.clone())} text={text.clone()} rows={rows.clone()} problems={problems.clone()} />
        },
        Some(Staged::Ready { name, parsed, adding, replacing, notes, lines, .. }) => {
            let shown = &if *replace { replacing.outcome().unwrap_or(adding) } else { adding }.summary;
            let refused = *replacing == Replacing::Refused;
            html! {
            <section class="staged preview" data-testid="import-preview" aria-labelledby="preview-h">
                <h2 id="preview-h">{ lang.fill(T::PreviewHeading, &[name]) }</h2>
                <p>{ lang.fill(T::PreviewFormat, &[format_name(lang, parsed.format())]) }</p>
                <ul data-testid="preview-summary">
                    if parsed.format() == Format::Settings {
                        <li>{ lang.t(if shown.settings_changed { T::PreviewSettings } else { T::PreviewSettingsSame }) }</li>
                    } else {
                        <li>{ lang.count(T::PreviewRows, (*lines).max(shown.rows)) }</li>
                        <li>{ lang.count(T::PreviewClientsAdded, shown.clients_added) }</li>
                        if shown.clients_updated > 0 {
                            <li>{ lang.count(T::PreviewClientsUpdated, shown.clients_updated) }</li>
                        }
                        if shown.records_added + shown.records_replaced > 0 {
                            <li>{ lang.count(T::PreviewRecordsAdded, shown.records_added) }{ ", " }
                                { lang.count(T::PreviewRecordsReplaced, shown.records_replaced) }</li>
                        }
                        if shown.clients_removed + shown.records_removed > 0 {
                            <li class="removed">{ lang.fill(T::PreviewRemoved, &[&lang.count(T::CountClients, shown.clients_removed), &lang.count(T::CountRecords, shown.records_removed)]) }</li>
                        }
                    }
                </ul>
                { for notes.iter().map(|n| match n {
                    Note::Ambiguous { column, example, read_as, locale } => html! {
                        <p class="notice warn" data-testid="import-note">{ lang.fill(T::AmbiguousNote, &[column, example, &crate::i18n::format::number(lang, *read_as, read_as.scale()), lang.t(match locale { NumberLocale::Dot => T::LocaleDot, NumberLocale::Comma => T::LocaleComma })]) }</p>
                    },
                }) }
                if parsed.format() != Format::Settings {
                    <fieldset class="modes"><legend>{ lang.t(T::ImportMode) }</legend>
                        { mode(false, T::ModeAdd, false) }
                        { mode(true, if parsed.format() == Format::Clients { T::ModeReplaceClients } else { T::ModeReplace }, refused) }
                    </fieldset>
                }
                <div class="actions">
                    <button class="primary" data-testid="import-apply" onclick={on_apply}>{ lang.t(T::Apply) }</button>
                    <button data-testid="import-discard" onclick={on_cancel.clone()}>{ lang.t(T::Cancel) }</button>
                </div>
            </section>
            }
        }
        Some(Staged::Refused { name, problems }) => html! {
            <section class="staged refused" aria-labelledby="refused-h">
                <h2 id="refused-h">{ lang.fill(T::Refused, &[name, &lang.count(T::CountProblems, problems.len())]) }</h2>
                <ProblemTable problems={problems.clone()} />
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
                                Callback::from(move |e: Event| {
                                    let input: web_sys::HtmlInputElement = e.target_unchecked_into();
                                    if let Some(file) = input.files().and_then(|f| f.get(0)) {
                                        app.import_file(file);
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
                <button data-testid="backup-one" onclick={{ let app = app.clone(); Callback::from(move |_| app.backup()) }}>{ lang.t(T::ExportBackup) }</button>
                <button data-testid="backup-all" onclick={{
                    let app = app.clone();
                    Callback::from(move |_| app.backup_all())
                }}>{ lang.t(T::BackupAll) }</button>
            </div>
            <Restore />
        </section>
    }
}
