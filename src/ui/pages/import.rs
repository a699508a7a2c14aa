//! The Import page: file picker, drag and drop, a paste box; the preview of what will change,
//! or every problem that refused the file. Also the exports that import back.

use web_sys::{DragEvent, HtmlTextAreaElement};
use yew::prelude::*;

use super::read_file;
use crate::core::export;
use crate::core::import::{guess_columns, looks_like_data, remap, Column, Format, Note, Problem};
use crate::core::model::NumberLocale;
use crate::core::snapshot;
use crate::i18n::format::{count, percent};
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
            <p class="muted">{ lang.fill(T::MoreProblems, &[&count(lang, problems.len() - SHOWN_PROBLEMS)]) }</p>
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
            app.dispatch(Action::StageReading(name.clone()));
            super::run_import(&app, name, paste.as_bytes().to_vec());
        })
    };
    let replace = use_state(|| false);
    // Every newly checked file starts in add mode, the one that removes nothing.
    {
        let replace = replace.clone();
        let key = match &app.staged {
            Some(Staged::Ready { parsed, .. }) => std::rc::Rc::as_ptr(parsed) as usize,
            _ => 0,
        };
        use_effect_with(key, move |_| replace.set(false));
    }
    let on_apply = {
        let app = app.clone();
        let replace = replace.clone();
        Callback::from(move |_| app.dispatch(Action::ApplyStaged { replace: *replace }))
    };
    let on_cancel = {
        let app = app.clone();
        Callback::from(move |_| {
            super::cancel_import();
            app.dispatch(Action::CancelStaged);
        })
    };
    let mode = |value: bool, label: T, disabled: bool| {
        let replace = replace.clone();
        html! {
            <label class="check">
                <input type="radio" name="import-mode" data-testid={if value { "mode-replace" } else { "mode-add" }} checked={*replace == value} {disabled}
                    onchange={Callback::from(move |_| replace.set(value))} />
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
            let pct = if *total > 0 { percent(lang, rust_decimal::Decimal::from(*done) / rust_decimal::Decimal::from(*total), 0) } else { String::new() };
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
        Some(Staged::Ready { name, parsed, summary, replacing, notes, lines }) => {
            let shown = if *replace { replacing.as_ref().unwrap_or(summary) } else { summary };
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
                        { mode(true, if parsed.format() == Format::Clients { T::ModeReplaceClients } else { T::ModeReplace }, replacing.is_none()) }
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
                <button data-testid="backup-all" onclick={{
                    let app = app.clone();
                    Callback::from(move |_| {
                        // The open portfolio as it is now, the others as stored.
                        let others: Vec<crate::core::model::Portfolio> = app.entries.iter()
                            .filter(|e| e.id != app.current)
                            .filter_map(|e| crate::ui::storage::load_portfolio(&e.id).ok().flatten())
                            .collect();
                        let text = snapshot::backup(std::iter::once(&*app.portfolio).chain(others.iter()));
                        download::save("cartera-backup.json", "application/json", &text);
                    })
                }}>{ lang.t(T::BackupAll) }</button>
            </div>
            <Restore />
        </section>
    }
}

/// Every column a file may have, for the mapping step (canonical §9 names).
const ROLES: [Column; 23] = [
    Column::Client, Column::Period, Column::Revenue, Column::DirectCost, Column::Discount, Column::ServiceHours,
    Column::SalesHours, Column::Tickets, Column::DaysLate, Column::WrittenOff, Column::Date, Column::Amount, Column::Cost,
    Column::Name, Column::Start, Column::AcquisitionCost, Column::ReferredBy, Column::IcpFit, Column::Potential,
    Column::Strategic, Column::Status, Column::Tags, Column::Notes,
];

#[derive(Properties, PartialEq)]
struct MappingProps {
    name: AttrValue,
    text: std::rc::Rc<String>,
    rows: std::rc::Rc<Vec<Vec<String>>>,
    problems: std::rc::Rc<Vec<Problem>>,
}

/// The column-mapping step: the first rows, and what each column is.
#[component]
fn Mapping(props: &MappingProps) -> Html {
    let app = use_app();
    let lang = app.lang;
    let width = props.rows.iter().map(Vec::len).max().unwrap_or(0);
    let first = props.rows.first().cloned().unwrap_or_default();
    let has_header = use_state(|| !looks_like_data(&first));
    let roles = use_state(|| {
        let mut guess = if looks_like_data(&first) { vec![None; width] } else { guess_columns(&first) };
        guess.resize(width, None);
        guess
    });
    let check = {
        let app = app.clone();
        let roles = roles.clone();
        let has_header = has_header.clone();
        let text = props.text.clone();
        let name = props.name.to_string();
        Callback::from(move |_| {
            let mapped = remap(&text, &roles, *has_header);
            app.dispatch(Action::StageReading(name.clone()));
            super::run_import(&app, name.clone(), mapped.into_bytes());
        })
    };
    let on_header = {
        let has_header = has_header.clone();
        Callback::from(move |e: Event| has_header.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))
    };
    html! {
        <section class="staged mapping" data-testid="import-mapping">
            <h2>{ lang.fill(T::MappingHeading, &[&props.name]) }</h2>
            <p>{ lang.t(T::MappingIntro) }</p>
            { problem_table(lang, &props.problems) }
            <label class="check"><input type="checkbox" data-testid="mapping-header" checked={*has_header} onchange={on_header} />{ lang.t(T::FirstRowHeader) }</label>
            <div class="table-wrap">
                <table class="data">
                    <thead><tr>
                        { for (0..width).map(|i| {
                            let roles_h = roles.clone();
                            let onchange = Callback::from(move |e: Event| {
                                let v = e.target_unchecked_into::<web_sys::HtmlSelectElement>().value();
                                let mut next = (*roles_h).clone();
                                next[i] = ROLES.iter().copied().find(|c| c.name() == v);
                                roles_h.set(next);
                            });
                            let current = roles[i];
                            html! {
                                <th scope="col">
                                    <select data-testid={format!("mapping-col-{i}")} aria-label={lang.fill(T::ColumnN, &[&(i + 1).to_string()])} {onchange}>
                                        <option value="" selected={current.is_none()}>{ lang.t(T::IgnoreColumn) }</option>
                                        { for ROLES.iter().map(|c| html! { <option value={c.name()} selected={current == Some(*c)}>{ format!("{} ({})", lang.t(crate::ui::words::column_label(*c)), c.name()) }</option> }) }
                                    </select>
                                </th>
                            }
                        }) }
                    </tr></thead>
                    <tbody>
                        { for props.rows.iter().enumerate().map(|(r, row)| html! {
                            <tr class={classes!((r == 0 && *has_header).then_some("header-row"))}>
                                { for (0..width).map(|i| html! { <td>{ row.get(i).cloned().unwrap_or_default() }</td> }) }
                            </tr>
                        }) }
                    </tbody>
                </table>
            </div>
            <div class="actions">
                <button class="primary" data-testid="mapping-check" onclick={check}>{ lang.t(T::CheckMapping) }</button>
            </div>
        </section>
    }
}

/// Why a backup cannot be restored, in words: for a damaged part, its first problem.
fn refusal(lang: Lang, e: &snapshot::SnapshotError) -> String {
    use snapshot::SnapshotError;
    match e {
        SnapshotError::NotASnapshot => lang.t(T::NotABackup).into(),
        SnapshotError::NewerVersion { .. } => lang.t(T::StorageNewer).into(),
        SnapshotError::Empty => lang.t(T::BackupEmpty).into(),
        SnapshotError::Invalid { part, problems } => {
            let part = format_name(lang, *part);
            let first = problems.first().map_or_else(String::new, |p| match p.row {
                Some(row) => format!("{} {row}: {}", lang.t(T::Row), lang.problem(p)),
                None => lang.problem(p),
            });
            lang.fill(T::BackupPartInvalid, &[part, &first])
        }
    }
}

/// Restoring a full backup: validated whole, then replacing every portfolio or added beside.
#[component]
fn Restore() -> Html {
    let app = use_app();
    let lang = app.lang;
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let pending = use_state(|| None::<(String, std::rc::Rc<Vec<crate::core::model::Portfolio>>)>);
    let refused = use_state(|| None::<(String, snapshot::SnapshotError)>);
    let on_file = {
        let reader = reader.clone();
        let pending = pending.clone();
        let refused = refused.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let Some(file) = input.files().and_then(|f| f.get(0)) else { return };
            input.set_value("");
            let name = file.name();
            let pending = pending.clone();
            let refused = refused.clone();
            let file = gloo::file::File::from(file);
            *reader.borrow_mut() = Some(gloo::file::callbacks::read_as_text(&file, move |text| {
                let result = text.map_err(|_| snapshot::SnapshotError::NotASnapshot).and_then(|t| snapshot::restore(&t));
                match result {
                    Ok(list) => {
                        refused.set(None);
                        pending.set(Some((name, std::rc::Rc::new(list))));
                    }
                    Err(e) => {
                        pending.set(None);
                        refused.set(Some((name, e)));
                    }
                }
            }));
        })
    };
    let restore = |replace: bool| {
        let app = app.clone();
        let pending = pending.clone();
        Callback::from(move |_| {
            let Some((_, list)) = (*pending).clone() else { return };
            // Fresh ids after every id this browser has used. Storage takes the whole restore
            // or none of it; the open portfolio is stored again by the app as usual.
            let mut next_id = app.next_id;
            let entries: Vec<(String, crate::core::model::Portfolio)> = list
                .iter()
                .map(|p| {
                    next_id += 1;
                    (format!("p{next_id}"), p.clone())
                })
                .collect();
            let remove: Vec<String> = if replace { app.entries.iter().map(|e| e.id.clone()).collect() } else { Vec::new() };
            match crate::ui::storage::replace_portfolios(&remove, &entries) {
                Ok(()) => app.dispatch(crate::ui::state::Action::Restored { portfolios: entries, replace, next_id }),
                Err(_) => app.dispatch(crate::ui::state::Action::Notify(crate::ui::state::Notice::StorageFull(
                    list.first().map_or(String::new(), |p| p.name.clone()),
                ))),
            }
            pending.set(None);
        })
    };
    html! {
        <section class="restore">
            <label class="button">
                <input type="file" class="sr-only" data-testid="restore-file" accept=".json,application/json" onchange={on_file} />
                { lang.t(T::RestoreBackup) }
            </label>
            if let Some((name, list)) = &*pending {
                <div class="staged preview" data-testid="restore-preview">
                    <h2>{ lang.fill(T::RestoreHeading, &[name, &lang.count(T::CountPortfolios, list.len())]) }</h2>
                    <ul>{ for list.iter().map(|p| html! { <li>{ &p.name }{ format!(" — {} ", p.clients.len()) }{ lang.t(T::Clients).to_lowercase() }</li> }) }</ul>
                    <div class="actions">
                        <button class="primary" data-testid="restore-add" onclick={restore(false)}>{ lang.t(T::RestoreAdd) }</button>
                        <button class="danger" data-testid="restore-replace" onclick={restore(true)}>{ lang.t(T::RestoreReplace) }</button>
                    </div>
                </div>
            }
            if let Some((name, why)) = &*refused {
                <p class="notice error" data-testid="restore-refused">{ lang.fill(T::RestoreRefused, &[name, &refusal(lang, why)]) }</p>
            }
        </section>
    }
}
