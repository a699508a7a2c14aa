//! Messages above the page: imports done or refused, storage trouble, a conflict with another
//! tab or a portfolio deleted there, and the reminder to download a backup.

use yew::prelude::*;

use crate::core::merge::Part;
use crate::i18n::{Lang, T};
use crate::ui::state::Notice;
use crate::ui::use_portfolio;

/// A part both tabs changed, in words.
fn part(lang: Lang, p: &Part, name_of: impl Fn(&str) -> String) -> String {
    match p {
        Part::Name => lang.t(T::PartName).into(),
        Part::Settings => lang.t(T::PartSettings).into(),
        Part::Prospects => lang.t(T::PartProspects).into(),
        Part::Client(id) => format!("{} ({id})", name_of(id)),
    }
}

#[component]
pub fn Notices() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    if app.notices.is_empty() && app.conflict.is_none() && !app.gone {
        return html! {};
    }
    let backup = {
        let app = app.clone();
        Callback::from(move |_| app.backup())
    };
    let conflict = app.conflict.as_ref().map(|c| {
        let name_of = |id: &str| app.portfolio.clients.get(id).or_else(|| c.theirs.clients.get(id)).map_or(id.to_string(), |c| c.name.clone());
        let parts: Vec<String> = c.parts.iter().take(5).map(|p| part(lang, p, name_of)).collect();
        let more = c.parts.len().saturating_sub(5);
        let list = if more > 0 { format!("{} {}", parts.join(", "), lang.fill(T::MoreProblems, &[&crate::i18n::format::count(lang, more)])) } else { parts.join(", ") };
        let (theirs, mine) = (app.clone(), app.clone());
        html! {
            <div class="notice error" role="alert" data-testid="conflict">
                <span>{ lang.fill(T::ConflictNotice, &[&list]) }</span>
                <button data-testid="keep-theirs" onclick={Callback::from(move |_| theirs.keep_theirs())}>{ lang.t(T::KeepTheirs) }</button>
                <button data-testid="keep-mine" onclick={Callback::from(move |_| mine.keep_as_copy())}>{ lang.t(T::KeepMineAsCopy) }</button>
            </div>
        }
    });
    let gone = app.gone.then(|| {
        let (keep, close) = (app.clone(), app.clone());
        html! {
            <div class="notice error" role="alert" data-testid="gone">
                <span>{ lang.t(T::GoneNotice) }</span>
                <button data-testid="keep-copy" onclick={Callback::from(move |_| keep.keep_as_copy())}>{ lang.t(T::KeepAsCopy) }</button>
                <button onclick={Callback::from(move |_| close.close_gone())}>{ lang.t(T::LetItGo) }</button>
            </div>
        }
    });
    html! {
        <div class="notices" role="status" aria-live="polite">
            { conflict.unwrap_or_default() }
            { gone.unwrap_or_default() }
            { for app.notices.iter().enumerate().map(|(i, n)| {
                let (class, text, offer_backup) = match n {
                    Notice::Imported(name) => ("ok", lang.fill(T::Imported, &[name]), false),
                    Notice::Refused(name, count) => ("error", lang.fill(T::Refused, &[name, &lang.count(T::CountProblems, *count)]), false),
                    Notice::StorageFull(name) => ("error", lang.fill(T::StorageFull, &[name]), true),
                    Notice::StorageUnreadable(name, why) => ("error", lang.fill(T::StorageUnreadable, &[name, why]), false),
                    Notice::StorageUnavailable => ("error", lang.t(T::StorageUnavailable).to_string(), true),
                    Notice::SettingsApplied => ("ok", lang.t(T::SettingsApplied).to_string(), false),
                    Notice::Restored(n) => ("ok", lang.fill(T::Restored, &[&lang.count(T::CountPortfolios, *n)]), false),
                    Notice::StorageFallback => ("warn", lang.t(T::StorageFallback).to_string(), true),
                    Notice::Damaged { name, .. } => ("error", lang.fill(T::DamagedNotice, &[name]), false),
                    Notice::Migrated(n) => ("info", lang.fill(T::Migrated, &[&lang.count(T::CountPortfolios, *n)]), false),
                    Notice::Rebuilt(names) => ("info", lang.fill(T::RebuiltNotice, &[names]), false),
                    Notice::UpdatedElsewhere => ("info", lang.t(T::UpdatedElsewhere).to_string(), false),
                    Notice::BackupDue(name) => ("warn", lang.fill(T::BackupDue, &[name]), true),
                    Notice::UpdateReady => ("info", lang.t(T::UpdateReady).to_string(), false),
                };
                let dismiss = {
                    let app = app.clone();
                    Callback::from(move |_| app.dismiss(i))
                };
                let actions = match n {
                    Notice::Damaged { id, name } => {
                        let (download, delete) = (app.clone(), app.clone());
                        let (id1, id2, name) = (id.clone(), id.clone(), name.clone());
                        html! {
                            <>
                                <button data-testid="download-damaged" onclick={Callback::from(move |_| download.download_raw(&id1))}>{ lang.t(T::DownloadAsIs) }</button>
                                <button class="danger" data-testid="delete-damaged" onclick={Callback::from(move |_| {
                                    if gloo::dialogs::confirm(&delete.lang.fill(T::DeleteDamagedConfirm, &[&name])) {
                                        delete.delete_damaged(&id2);
                                    }
                                })}>{ lang.t(T::DeleteDamaged) }</button>
                            </>
                        }
                    }
                    Notice::UpdateReady => html! {
                        <button class="primary" data-testid="reload-update" onclick={Callback::from(|_| crate::ui::release::reload_into_new())}>{ lang.t(T::ReloadNow) }</button>
                    },
                    _ => html! {},
                };
                html! {
                    <div class={classes!("notice", class)} data-testid={format!("notice-{class}")}>
                        <span>{ text }</span>
                        { actions }
                        if offer_backup {
                            <button data-testid="notice-backup" onclick={backup.clone()}>{ lang.t(T::DownloadBackup) }</button>
                        }
                        <button class="link" onclick={dismiss} aria-label={lang.t(T::Dismiss)}>{ "×" }</button>
                    </div>
                }
            }) }
        </div>
    }
}
