//! The column-mapping step: when a file's header is not understood (or there is none), the
//! user sees the first rows and says what each column is.

use yew::prelude::*;

use super::ProblemTable;
use crate::core::import::{guess_columns, looks_like_data, remap, Column, Problem};
use crate::i18n::T;
use crate::ui::use_portfolio;

/// Every column a file may have, for the mapping step (canonical §9 names).
const ROLES: [Column; 23] = [
    Column::Client, Column::Period, Column::Revenue, Column::DirectCost, Column::Discount, Column::ServiceHours,
    Column::SalesHours, Column::Tickets, Column::DaysLate, Column::WrittenOff, Column::Date, Column::Amount, Column::Cost,
    Column::Name, Column::Start, Column::AcquisitionCost, Column::ReferredBy, Column::IcpFit, Column::Potential,
    Column::Strategic, Column::Status, Column::Tags, Column::Notes,
];

#[derive(Properties, PartialEq)]
pub struct MappingProps {
    pub name: AttrValue,
    pub text: std::rc::Rc<String>,
    pub rows: std::rc::Rc<Vec<Vec<String>>>,
    pub problems: std::rc::Rc<Vec<Problem>>,
}

/// The column-mapping step: the first rows, and what each column is.
#[component]
pub fn Mapping(props: &MappingProps) -> Html {
    let app = use_portfolio();
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
        Callback::from(move |_| app.import_text(name.clone(), remap(&text, &roles, *has_header).into_bytes()))
    };
    let on_header = {
        let has_header = has_header.clone();
        Callback::from(move |e: Event| has_header.set(e.target_unchecked_into::<web_sys::HtmlInputElement>().checked()))
    };
    html! {
        <section class="staged mapping" data-testid="import-mapping">
            <h2>{ lang.fill(T::MappingHeading, &[&props.name]) }</h2>
            <p>{ lang.t(T::MappingIntro) }</p>
            <ProblemTable problems={props.problems.clone()} />
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
