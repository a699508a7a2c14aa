//! Messages above the page: imports done or refused, storage trouble.

use yew::prelude::*;

use crate::core::snapshot;
use crate::i18n::T;
use crate::ui::state::Notice;
use crate::ui::{download, use_portfolio};

#[component]
pub fn Notices() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    if app.notices.is_empty() {
        return html! {};
    }
    let backup = {
        let app = app.clone();
        Callback::from(move |_| {
            let name = format!("{}.cartera.json", app.portfolio.name);
            download::save(&name, "application/json", &snapshot::encode(&app.portfolio));
        })
    };
    html! {
        <div class="notices" role="status" aria-live="polite">
            { for app.notices.iter().enumerate().map(|(i, n)| {
                let (class, text, offer_backup) = match n {
                    Notice::Imported(name) => ("ok", lang.fill(T::Imported, &[name]), false),
                    Notice::Refused(name, count) => ("error", lang.fill(T::Refused, &[name, &lang.count(T::CountProblems, *count)]), false),
                    Notice::StorageFull(name) => ("error", lang.fill(T::StorageFull, &[name]), true),
                    Notice::StorageUnreadable(name, why) => ("error", lang.fill(T::StorageUnreadable, &[name, why]), false),
                    Notice::StorageUnavailable => ("error", lang.t(T::StorageUnavailable).to_string(), true),
                    Notice::SettingsApplied => ("ok", lang.t(T::SettingsApplied).to_string(), false),
                    Notice::Restored(n) => ("ok", lang.fill(T::Restored, &[&lang.count(T::CountPortfolios, *n)]), false),
                };
                let dismiss = {
                    let app = app.clone();
                    Callback::from(move |_| app.dismiss(i))
                };
                html! {
                    <div class={classes!("notice", class)} data-testid={format!("notice-{class}")}>
                        <span>{ text }</span>
                        if offer_backup {
                            <button onclick={backup.clone()}>{ lang.t(T::DownloadBackup) }</button>
                        }
                        <button class="link" onclick={dismiss} aria-label={lang.t(T::Dismiss)}>{ "×" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
