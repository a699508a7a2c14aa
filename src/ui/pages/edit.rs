//! Editing by hand: a client's attributes, its period records, adding and deleting clients.
//! Every edit is an intent the engine checks like an imported row; a refused one comes back as
//! the form's problems, an accepted one is one undo step.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::core::edit::ClientFields;
use crate::core::import::columns::RECORD_FIELDS;
use crate::core::import::settings::typed;
use crate::core::import::Problem;
use crate::core::model::PeriodKind;
use crate::i18n::format::number;
use crate::i18n::{Lang, T};
use crate::ui::state::Form;
use crate::ui::use_portfolio;
use crate::ui::words::column_label;

/// A stored value as it is, never rounded away in the editor (at least `dp` decimals).
fn exact(lang: Lang, v: rust_decimal::Decimal, dp: u32) -> String {
    number(lang, v, v.normalize().scale().max(dp))
}

fn problems_list(lang: Lang, problems: &[Problem]) -> Html {
    if problems.is_empty() {
        return html! {};
    }
    html! {
        <ul class="form-problems" role="alert" data-testid="edit-problems">
            { for problems.iter().map(|p| html! { <li><strong>{ p.column.clone().unwrap_or_default() }</strong>{ ": " }{ lang.problem(p) }</li> }) }
        </ul>
    }
}

#[derive(Properties, PartialEq)]
pub struct ClientProps {
    pub id: AttrValue,
}

/// The form for a client's attributes, and deleting the client.
#[component]
pub fn ClientEditor(props: &ClientProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let id = props.id.to_string();
    let fields = {
        let p = app.portfolio.clone();
        let id = id.clone();
        use_state(move || ClientFields::of(&p, &id))
    };
    let problems = app.form_problems(&Form::Client(id.clone()));
    let field = |label: T, get: fn(&ClientFields) -> &String, set: fn(&mut ClientFields, String), key: &'static str| {
        let value = get(&fields).clone();
        let fields = fields.clone();
        let oninput = Callback::from(move |e: InputEvent| {
            let mut next = (*fields).clone();
            set(&mut next, e.target_unchecked_into::<HtmlInputElement>().value());
            fields.set(next);
        });
        let invalid = problems.iter().any(|p| p.column.as_deref() == Some(key));
        html! {
            <label class={classes!("field", invalid.then_some("invalid"))}>
                <span>{ lang.t(label) }</span>
                <input data-field={key} {value} {oninput} aria-invalid={invalid.to_string()} />
            </label>
        }
    };
    let save = {
        let app = app.clone();
        let fields = fields.clone();
        let id = id.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            app.save_client(id.clone(), (*fields).clone());
        })
    };
    let delete = {
        let app = app.clone();
        let id = id.clone();
        Callback::from(move |_| {
            let name = app.portfolio.clients.get(&id).map_or(id.clone(), |c| c.name.clone());
            if gloo::dialogs::confirm(&app.lang.fill(T::DeleteClientConfirm, &[&name])) {
                app.delete_client(id.clone());
            }
        })
    };
    html! {
        <details class="editor" data-testid="client-editor">
            <summary>{ lang.t(T::EditClient) }</summary>
            <form class="edit-grid" onsubmit={save}>
                { field(T::Name, |f| &f.name, |f, v| f.name = v, "name") }
                { field(T::StartField, |f| &f.start, |f, v| f.start = v, "start") }
                { field(T::ProspectAcquisition, |f| &f.acquisition_cost, |f, v| f.acquisition_cost = v, "acquisition_cost") }
                { field(T::ReferredByField, |f| &f.referred_by, |f, v| f.referred_by = v, "referred_by") }
                { field(T::IcpFitField, |f| &f.icp_fit, |f, v| f.icp_fit = v, "icp_fit") }
                { field(T::FactorPotential, |f| &f.potential, |f, v| f.potential = v, "potential") }
                { field(T::StrategicField, |f| &f.strategic, |f, v| f.strategic = v, "strategic") }
                { field(T::StatusField, |f| &f.status, |f, v| f.status = v, "status") }
                { field(T::TagsField, |f| &f.tags, |f, v| f.tags = v, "tags") }
                { field(T::NotesField, |f| &f.notes, |f, v| f.notes = v, "notes") }
                { problems_list(lang, &problems) }
                <div class="actions">
                    <button type="submit" class="primary" data-testid="save-client">{ lang.t(T::SaveClient) }</button>
                    <button type="button" class="danger" data-testid="delete-client" onclick={delete}>{ lang.t(T::DeleteClient) }</button>
                </div>
            </form>
        </details>
    }
}


/// A client's period records: edit, add, delete.
#[component]
pub fn RecordsEditor(props: &ClientProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let id = props.id.to_string();
    let kind: PeriodKind = app.portfolio.settings.period_kind;
    let period = use_state(String::new);
    let values = use_state(|| std::array::from_fn::<String, 8, _>(|_| String::new()));
    let problems = app.form_problems(&Form::Record(id.clone()));
    let empty = std::collections::BTreeMap::new();
    let records = app.portfolio.records.get(&id).unwrap_or(&empty);
    let paging = super::use_paging(lang, records.len(), super::LIST_PAGE, id.clone(), "records-pager");
    let load = |p: crate::core::model::Period, r: &crate::core::model::PeriodRecord| {
        let period = period.clone();
        let values = values.clone();
        let decimals = [r.revenue, r.direct_cost, r.discount, r.service_hours, r.sales_hours, rust_decimal::Decimal::from(r.tickets), r.days_late, r.written_off];
        Callback::from(move |_| {
            period.set(kind.label(p));
            values.set(decimals.map(|d| typed(d, lang.number_locale())));
        })
    };
    let save = {
        let app = app.clone();
        let id = id.clone();
        let period = period.clone();
        let values = values.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            app.save_record(id.clone(), (*period).clone(), (*values).clone());
        })
    };
    html! {
        <details class="editor" data-testid="records-editor">
            <summary>{ lang.t(T::Records) }</summary>
            <div class="table-wrap">
                <table class="data compact" aria-rowcount={(records.len() + 1).to_string()}>
                    <thead><tr>
                        <th scope="col">{ lang.t(T::PeriodHeader) }</th>
                        { for RECORD_FIELDS.iter().map(|c| html! { <th scope="col" class="num">{ lang.t(column_label(*c)) }</th> }) }
                        <th />
                    </tr></thead>
                    <tbody onkeydown={super::row_keys()}>
                        { for records.iter().enumerate().skip(paging.rows.start).take(paging.rows.len()).map(|(k, (p, r))| {
                            let delete = { let app = app.clone(); let id = id.clone(); let p = *p; Callback::from(move |_| app.delete_record(id.clone(), p)) };
                            html! {
                                <tr key={p.0} data-period={kind.label(*p)} aria-rowindex={(k + 2).to_string()}>
                                    <td>{ crate::i18n::format::period(lang, kind, *p) }</td>
                                    <td class="num">{ exact(lang, r.revenue, 2) }</td>
                                    <td class="num">{ exact(lang, r.direct_cost, 2) }</td>
                                    <td class="num">{ exact(lang, r.discount, 2) }</td>
                                    <td class="num">{ exact(lang, r.service_hours, 1) }</td>
                                    <td class="num">{ exact(lang, r.sales_hours, 1) }</td>
                                    <td class="num">{ crate::i18n::format::count(lang, r.tickets as usize) }</td>
                                    <td class="num">{ exact(lang, r.days_late, 1) }</td>
                                    <td class="num">{ exact(lang, r.written_off, 2) }</td>
                                    <td class="actions">
                                        <button class="link" onclick={load(*p, r)} aria-label={format!("{} {}", lang.t(T::EditRecord), crate::i18n::format::period(lang, kind, *p))}>{ lang.t(T::EditRecord) }</button>
                                        <button class="link" data-testid="delete-record" onclick={delete} aria-label={format!("{} {}", lang.t(T::Delete), crate::i18n::format::period(lang, kind, *p))}>{ lang.t(T::Delete) }</button>
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            </div>
            { paging.pager }
            <form class="edit-grid" onsubmit={save} data-testid="record-form">
                <label class="field"><span>{ lang.t(T::PeriodHeader) }</span>
                    <input data-field="period" placeholder="2026-01" value={(*period).clone()}
                        oninput={{ let period = period.clone(); Callback::from(move |e: InputEvent| period.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} /></label>
                { for (0..8).map(|i| {
                    let value = values[i].clone();
                    let values = values.clone();
                    let oninput = Callback::from(move |e: InputEvent| {
                        let mut next = (*values).clone();
                        next[i] = e.target_unchecked_into::<HtmlInputElement>().value();
                        values.set(next);
                    });
                    html! { <label class="field"><span>{ lang.t(column_label(RECORD_FIELDS[i])) }</span><input data-field={RECORD_FIELDS[i].name()} inputmode="decimal" {value} {oninput} /></label> }
                }) }
                { problems_list(lang, &problems) }
                <div class="actions"><button type="submit" class="primary" data-testid="save-record">{ lang.t(T::SaveRecord) }</button></div>
            </form>
        </details>
    }
}

/// Adding a client by hand.
#[component]
pub fn AddClient() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let id = use_state(String::new);
    let name = use_state(String::new);
    let problems = app.form_problems(&Form::AddClient);
    let add = {
        let app = app.clone();
        let id = id.clone();
        let name = name.clone();
        Callback::from(move |e: SubmitEvent| {
            e.prevent_default();
            app.add_client((*id).clone(), (*name).clone());
        })
    };
    html! {
        <form class="inline-form" onsubmit={add} data-testid="add-client">
            <label>{ lang.t(T::ClientId) }{ " " }<input data-field="new-id" value={(*id).clone()}
                oninput={{ let id = id.clone(); Callback::from(move |e: InputEvent| id.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} /></label>
            <label>{ lang.t(T::Name) }{ " " }<input data-field="new-name" value={(*name).clone()}
                oninput={{ let name = name.clone(); Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value())) }} /></label>
            <button type="submit">{ lang.t(T::AddClient) }</button>
            { problems_list(lang, &problems) }
        </form>
    }
}
