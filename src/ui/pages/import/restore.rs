//! Restoring a backup of every portfolio: the file is checked whole first, then the user
//! chooses to replace the portfolios of this browser or to add them beside.

use std::rc::Rc;

use yew::prelude::*;

use super::format_name;
use crate::core::model::Portfolio;
use crate::core::snapshot::{self, SnapshotError};
use crate::i18n::{Lang, T};
use crate::ui::use_portfolio;

/// Why a backup cannot be restored, in words: for a damaged part, its first problem.
fn refusal(lang: Lang, e: &SnapshotError) -> String {
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
pub fn Restore() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let reader = use_mut_ref(|| None::<gloo::file::callbacks::FileReader>);
    let pending = use_state(|| None::<(String, Rc<Vec<Portfolio>>)>);
    let refused = use_state(|| None::<(String, SnapshotError)>);
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
                let result = text.map_err(|_| SnapshotError::NotASnapshot).and_then(|t| snapshot::restore(&t));
                match result {
                    Ok(list) => {
                        refused.set(None);
                        pending.set(Some((name, Rc::new(list))));
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
            if let Some((_, list)) = &*pending {
                app.restore(list, replace);
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
