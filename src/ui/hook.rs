//! The one door: [`use_portfolio`] hands every component the app state and the user's intents
//! as methods. Each intent becomes an [`Action`] for the pure reducer; what the browser must do
//! around it — reading and writing storage, minting portfolio ids, reading files — happens
//! here and nowhere else. The state is stored by one effect ([`use_persist`]) keyed on its
//! revision.

use std::ops::Deref;
use std::rc::Rc;

use yew::platform::spawn_local;
use yew::prelude::*;

use super::download;
use super::importer;
use super::state::{Action, AppState, Entry, Notice, Page};
use super::storage::sync::{self, Change, Outcome};
use super::storage::{self, prefs, Listed, Store, StorageError, WriteError};
use crate::core::analysis::prospect::Prospect;
use crate::core::analysis::robustness::{Robustness, Scope, Sensing};
use crate::core::analysis::Analysis;
use crate::core::edit::ClientFields;
use crate::core::model::{Period, Portfolio, Settings};
use crate::core::plan::Date;
use crate::core::snapshot::{self, SnapshotError};
use crate::i18n::{Lang, T};

/// The app state with the user's intents. Derefs to [`AppState`] for reading.
#[derive(Clone, PartialEq)]
pub struct PortfolioHandle {
    state: UseReducerHandle<AppState>,
}

impl Deref for PortfolioHandle {
    type Target = AppState;

    fn deref(&self) -> &AppState {
        &self.state
    }
}

/// The state and intents, from the context [`App`](super::App) provides.
#[hook]
pub fn use_portfolio() -> PortfolioHandle {
    let state = use_context::<UseReducerHandle<AppState>>().expect("components are rendered inside <App>");
    PortfolioHandle { state }
}

type Dispatcher = UseReducerDispatcher<AppState>;

/// The app's reducer; on mount it reads storage and listens to other tabs. [`App`](super::App)
/// provides it as context.
#[hook]
pub fn use_app_state() -> UseReducerHandle<AppState> {
    let state = use_reducer(|| AppState::loading(prefs::load().lang.as_deref().and_then(lang_of).unwrap_or_else(browser_lang)));
    {
        let dispatch = state.dispatcher();
        use_effect_with((), move |_| {
            spawn_local(start(dispatch));
        });
    }
    use_persist(&state);
    use_background_analysis(&state);
    use_list_moved(&state);
    use_background_flips(&state);
    use_warm_up(&state);
    state
}

/// After each analysis, the derivations of the pages that cost most at real size
/// ([`crate::ui::pages::WARM_UP`]) are built ahead, one a task with the page free between, so
/// that opening a page for the first time renders without working them out; a newer state
/// stops it at its next task.
#[hook]
fn use_warm_up(state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    let running = use_mut_ref(|| (0u64, 0u64, Lang::En));
    let inputs = derived_inputs(&state);
    use_effect_with(inputs, move |&inputs| {
        *running.borrow_mut() = inputs;
        if state.loading || state.analysing.is_some() {
            return;
        }
        spawn_local(async move {
            super::clock::after_paint().await;
            for warm in crate::ui::pages::WARM_UP {
                super::clock::pause().await;
                if *running.borrow() != inputs {
                    return;
                }
                warm(&state);
            }
            WARMED.with(|w| w.set(w.get() + 1));
        });
    });
}

thread_local! {
    /// Derivations built so far (not found kept), and warm-ups run to their end, in this page.
    static BUILT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    static WARMED: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
}

/// How many derivations this page has built, and how many warm-ups it has finished: what the
/// browser tests read to tell that a page opened after a warm-up builds nothing.
pub fn derivations() -> (u64, u64) {
    (BUILT.with(|b| b.get()), WARMED.with(|w| w.get()))
}

/// What every derivation is built from besides its own `deps`.
fn derived_inputs(s: &AppState) -> (u64, u64, Lang) {
    (s.revision, s.analysis_rev, s.lang)
}

/// Builds derivation `f` of `state` with `deps` ahead of a page's [`use_derived`] of the same
/// function and deps, which then finds it kept; returns it.
pub fn warm<D, T>(state: &AppState, deps: D, f: fn(&AppState, &D) -> T) -> Rc<T>
where
    D: Clone + PartialEq + 'static,
    T: 'static,
{
    kept_or_built(f, derived_inputs(state), &deps, || f(state, &deps))
}

/// After each analysis, the verdicts a ±20% change in each rate would move
/// ([`Scope::Flips`](crate::core::analysis::robustness::Scope)), a slice at a time; a newer
/// analysis stops it at its next slice.
#[hook]
fn use_background_flips(state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    let running = use_mut_ref(|| 0u64);
    use_effect_with(state.analysis_rev, move |&rev| {
        *running.borrow_mut() = rev;
        if state.loading || state.analysing.is_some() {
            return;
        }
        let (dispatch, portfolio, analysis) = (state.dispatcher(), state.analysed.clone(), state.analysis.clone());
        spawn_local(async move {
            // Not in the task that shows the analysis: `sense` waits for it to be painted.
            let wanted = || *running.borrow() == rev;
            if let Some(robustness) = sense(&portfolio, &analysis, Scope::Flips, |_| {}, wanted).await {
                dispatch.dispatch(Action::Sensed { rev, robustness });
            }
        });
    });
}

/// Works out how sure the verdicts of `analysis` (of `portfolio`) are, in the background worker
/// ([`super::background`]) or, where none starts, here a slice at a time with the page free
/// between slices, telling `progress` as it goes; `None` as soon as `wanted` says it no longer
/// is.
pub async fn sense(portfolio: &Portfolio, analysis: &Analysis, scope: Scope, progress: impl FnMut((usize, usize)), wanted: impl Fn() -> bool) -> Option<Robustness> {
    sense_with(portfolio, analysis, scope, &mut { progress }, &wanted).await
}

/// [`sense`], one copy for every caller (not one per kind of closure).
async fn sense_with(portfolio: &Portfolio, analysis: &Analysis, scope: Scope, progress: &mut dyn FnMut((usize, usize)), wanted: &dyn Fn() -> bool) -> Option<Robustness> {
    // The page that asked is painted first.
    super::clock::after_paint().await;
    if !wanted() {
        return None;
    }
    // In the background worker where one starts; else here, a slice at a time.
    match super::background::sense(portfolio, analysis.clients.len(), &scope, progress, wanted).await {
        Ok(found) => return found,
        Err(super::background::Unavailable) => web_sys::console::warn_1(&"Cartera: no background worker; the verdicts' robustness is worked out on the page".into()),
    }
    let mut sensing = Sensing::new(portfolio, analysis, scope);
    let mut slicer = super::clock::Slicer::new();
    // A slice also ends at its time: a client's costs are estimated from its crossings.
    while slicer.run_in(sensing.phase(), |clients| sensing.step_while(clients, super::clock::within(super::clock::SLICE_MS))) {
        progress(sensing.progress());
        crate::ui::clock::pause().await;
        if !wanted() {
            return None;
        }
    }
    let robustness = sensing.finish();
    wanted().then_some(robustness)
}

/// Analyses a large portfolio in the background when the state asks for it
/// ([`AppState::analysing`]) and hands the analysis to the state: in the background worker
/// when it holds the portfolio's clients and records (a change of settings; see
/// [`super::background`]), read back here a slice at a time; else here, a slice at a time
/// with the page free between slices. A newer request stops an older one at its next slice.
#[hook]
fn use_background_analysis(state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    let running = use_mut_ref(|| 0u64);
    use_effect_with(state.analysis_wanted, move |&wanted| {
        *running.borrow_mut() = wanted;
        if state.analysing.is_some() {
            let (dispatch, portfolio) = (state.dispatcher(), state.portfolio.clone());
            spawn_local(async move {
                let still = || *running.borrow() == wanted;
                let mut tell = in_twentieths({
                    let dispatch = dispatch.clone();
                    move |(done, all)| dispatch.dispatch(Action::Analysing { wanted, done, all })
                });
                if super::background::can_analyse(&portfolio) {
                    match analysed_in_worker(&portfolio, &mut tell, still).await {
                        Ok(Some(analysis)) => return dispatch.dispatch(Action::Analysed { portfolio, analysis, by_worker: true }),
                        Ok(None) => return,
                        Err(super::background::Unavailable) => {}
                    }
                }
                let mut analysing = crate::core::analysis::Analysing::new(&portfolio);
                let mut slicer = super::clock::Slicer::new();
                while slicer.run_in(analysing.phase(), |clients| analysing.step(clients)) {
                    tell(analysing.progress());
                    crate::ui::clock::pause().await;
                    if *running.borrow() != wanted {
                        return;
                    }
                }
                let analysis = analysing.finish();
                // Showing it (the page it opens) is work of its own, in a task of its own.
                crate::ui::clock::pause().await;
                if *running.borrow() == wanted {
                    dispatch.dispatch(Action::Analysed { portfolio, analysis, by_worker: false });
                }
            });
        }
    });
}

/// `progress`, told once it has grown by a twentieth since it was last told: each telling
/// renders the page again.
fn in_twentieths(mut progress: impl FnMut((usize, usize))) -> impl FnMut((usize, usize)) {
    let mut told = 0;
    move |(done, all)| {
        if done.saturating_sub(told) * 20 >= all {
            told = done;
            progress((done, all));
        }
    }
}

/// The analysis of `portfolio` from the background worker, read back a slice at a time: `None`
/// as soon as `wanted` says it no longer is, [`Unavailable`](super::background::Unavailable)
/// when the worker does not answer or its bytes do not read.
async fn analysed_in_worker(portfolio: &Portfolio, progress: &mut dyn FnMut((usize, usize)), wanted: impl Fn() -> bool) -> Result<Option<Analysis>, super::background::Unavailable> {
    use super::background::{analyse, Unavailable};
    let Some(parts) = analyse(portfolio, portfolio.clients.len(), progress, &wanted).await? else { return Ok(None) };
    let (head, rest) = parts.split_first().ok_or(Unavailable)?;
    let (tail, clients) = rest.split_last().ok_or(Unavailable)?;
    let mut reading = crate::core::analysis::wire::Reading::new(&head.to_vec()).ok_or(Unavailable)?;
    let mut slice = super::clock::within(super::clock::SLICE_MS);
    for part in clients {
        reading.read(&part.to_vec()).ok_or(Unavailable)?;
        if !slice() {
            crate::ui::clock::pause().await;
            if !wanted() {
                return Ok(None);
            }
            slice = super::clock::within(super::clock::SLICE_MS);
        }
    }
    crate::ui::clock::pause().await;
    let analysis = reading.finish(&tail.to_vec()).ok_or(Unavailable)?;
    // Showing it (the page it opens) is work of its own, in a task of its own.
    crate::ui::clock::pause().await;
    Ok(wanted().then_some(analysis))
}

/// Who moved in a large portfolio, listed in a task of its own once the analysis that moved
/// them is shown (see `AppState::moving`).
#[hook]
fn use_list_moved(state: &UseReducerHandle<AppState>) {
    let dispatch = state.dispatcher();
    use_effect_with((state.analysis_rev, state.moving.is_some()), move |&(rev, moving)| {
        if moving {
            spawn_local(async move {
                crate::ui::clock::pause().await;
                dispatch.dispatch(Action::ListMoved { rev });
            });
        }
    });
}

/// After every change: the preferences, and the open portfolio when it differs from what
/// storage holds (over the revision it was built on; see `storage::sync`).
#[hook]
fn use_persist(state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    // The changes counted so far: several may come between two renders (and two writes).
    let counted = use_mut_ref(|| 0u64);
    use_effect_with(state.revision, move |_| {
        if state.loading {
            return;
        }
        let changes = state.edits.saturating_sub(std::mem::replace(&mut *counted.borrow_mut(), state.edits));
        prefs::save(&prefs::Prefs { lang: Some(state.lang.code().to_string()), current: Some(state.current.clone()) });
        sync::set_current(&state.current);
        if state.unsaved() {
            let dispatch = state.dispatcher();
            let changes = u32::try_from(changes).unwrap_or(u32::MAX).max(1);
            sync::write(state.current.clone(), state.portfolio.clone(), state.base_rev, changes, move |outcome| settle(&dispatch, outcome));
        }
    });
}

/// What a write's outcome means for the state.
fn settle(dispatch: &Dispatcher, outcome: Outcome) {
    match outcome {
        Outcome::Stored { id, meta, portfolio } => {
            let backup_due = storage::backup_due(&meta, js_sys::Date::now());
            dispatch.dispatch(Action::Stored { id, portfolio, rev: meta.rev, backup_due });
        }
        Outcome::Conflict { id } => spawn_local(load_theirs(dispatch.clone(), id)),
        Outcome::Gone { id } => dispatch.dispatch(Action::Gone(id)),
        Outcome::Failed { name, error: WriteError::Full, .. } => dispatch.dispatch(Action::Notify(Notice::StorageFull(name))),
        Outcome::Failed { .. } => dispatch.dispatch(Action::Notify(Notice::StorageUnavailable)),
    }
}

/// Reads another tab's newer version of a portfolio for the state to take in.
async fn load_theirs(dispatch: Dispatcher, id: String) {
    let Some(store) = sync::store() else { return };
    match store.load(&id).await {
        Ok(Some((meta, portfolio))) => dispatch.dispatch(Action::Theirs { id, portfolio, rev: meta.rev }),
        Ok(None) => dispatch.dispatch(Action::Gone(id)),
        Err(_) => {}
    }
}

/// The portfolios storage lists, as entries.
fn entries(list: &[Listed]) -> Vec<Entry> {
    list.iter().map(|l| Entry { id: l.id.clone(), name: l.name.clone(), damaged: l.damaged }).collect()
}

async fn refresh_list(dispatch: Dispatcher) {
    if let Some(store) = sync::store() {
        dispatch.dispatch(Action::Entries(entries(&store.list().await)));
    }
}

/// News from another tab.
fn on_change(dispatch: &Dispatcher, change: Change) {
    match change {
        Change::Saved { id, .. } => {
            if id == sync::current() {
                spawn_local(load_theirs(dispatch.clone(), id));
            }
        }
        Change::Removed { id } => {
            sync::forget(&id);
            dispatch.dispatch(Action::Gone(id));
        }
        Change::Listed => {}
    }
    spawn_local(refresh_list(dispatch.clone()));
}

/// The name a new portfolio gets: "New portfolio N", N one more than the portfolios listed.
fn untitled(lang: Lang, entries: &[Entry]) -> String {
    lang.fill(T::NewPortfolioName, &[&(entries.len() + 1).to_string()])
}

fn browser_lang() -> Lang {
    web_sys::window().and_then(|w| w.navigator().language()).map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

fn lang_of(code: &str) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| l.code() == code)
}

fn unreadable(e: &StorageError, lang: Lang) -> String {
    match e {
        StorageError::Unreadable(SnapshotError::NewerVersion { .. }) => lang.t(T::StorageNewer).into(),
        StorageError::Unavailable => lang.t(T::StorageNotRead).into(),
        StorageError::Unreadable(_) => lang.t(T::StorageCorrupt).into(),
    }
}

/// The demo portfolio, for a first visit.
fn demo(lang: Lang) -> Portfolio {
    // The demo ships with the app and is tested to import cleanly; an empty one is the fallback.
    crate::core::demo::portfolio(lang.t(T::DemoName)).unwrap_or_else(|_| Portfolio::new(lang.t(T::DemoName)))
}

/// Opens the first readable portfolio of `candidates`; the unreadable ones are reported and
/// marked damaged (and left as they are).
async fn open_first(store: &Store, candidates: &[Listed], lang: Lang, notices: &mut Vec<Notice>, listed: &mut [Entry]) -> Option<(String, u64, Portfolio)> {
    for c in candidates.iter().filter(|c| !c.damaged) {
        match store.load(&c.id).await {
            Ok(Some((meta, p))) => return Some((c.id.clone(), meta.rev, p)),
            Ok(None) => {}
            Err(e) => {
                notices.push(Notice::StorageUnreadable(c.name.clone(), unreadable(&e, lang)));
                // Only what was read and found wrong is offered as damaged (to download as it is).
                if matches!(e, StorageError::Unreadable(_)) {
                    notices.push(Notice::Damaged { id: c.id.clone(), name: c.name.clone() });
                    if let Some(entry) = listed.iter_mut().find(|x| x.id == c.id) {
                        entry.damaged = true;
                    }
                }
            }
        }
    }
    None
}

/// Deletes a stored portfolio (its queued write too) and tells the other tabs.
async fn remove_stored(store: &Store, id: &str) {
    sync::forget(id);
    if store.remove(id).await.is_ok() {
        sync::announce(Change::Removed { id: id.to_string() });
    }
}

/// The portfolio to open after the open one went: the first readable of `others`, or a new
/// one.
async fn next_open(store: &Store, others: &[Entry], lang: Lang) -> Action {
    for e in others.iter().filter(|e| !e.damaged) {
        if let Ok(Some((meta, p))) = store.load(&e.id).await {
            return Action::Deleted { open: (e.id.clone(), p), rev: Some(meta.rev) };
        }
    }
    Action::Deleted { open: (sync::new_id(), Portfolio::new(untitled(lang, others))), rev: None }
}

/// Reads storage on start: moves the first format over, lists the portfolios and opens the
/// one last open (or the first readable one; the demo on a first visit). Listens to other tabs.
async fn start(dispatch: Dispatcher) {
    let prefs = prefs::load();
    let mut notices = Vec::new();
    let Some(store) = Store::open().await else {
        let lang = prefs.lang.as_deref().and_then(lang_of).unwrap_or_else(browser_lang);
        notices.push(Notice::StorageUnavailable);
        let id = sync::new_id();
        let demo = demo(lang);
        let entries = vec![Entry::new(id.clone(), demo.name.clone())];
        dispatch.dispatch(Action::Loaded { lang, entries, id, portfolio: demo, rev: None, notices });
        return;
    };
    let store = Rc::new(store);
    sync::set_store(store.clone());
    {
        let dispatch = dispatch.clone();
        sync::listen(move |change| on_change(&dispatch, change));
    }
    if store.is_fallback() {
        notices.push(Notice::StorageFallback);
    }
    let migrated = store.migrate_v1().await;
    if migrated.portfolios > 0 {
        notices.push(Notice::Migrated(migrated.portfolios));
    }
    if migrated.incomplete {
        notices.push(Notice::StorageFull(String::new()));
    }
    let lang = prefs.lang.as_deref().or(migrated.lang.as_deref()).and_then(lang_of).unwrap_or_else(browser_lang);
    let (list, rebuilt) = store.list_repairing().await;
    if !rebuilt.is_empty() {
        notices.push(Notice::Rebuilt(rebuilt.join(", ")));
    }
    let mut listed = entries(&list);
    for name in &migrated.damaged {
        if let Some(l) = list.iter().find(|l| &l.name == name) {
            notices.push(Notice::Damaged { id: l.id.clone(), name: name.clone() });
        }
    }
    for l in list.iter().filter(|l| l.damaged) {
        if !notices.iter().any(|n| matches!(n, Notice::Damaged { id, .. } if *id == l.id)) {
            notices.push(Notice::Damaged { id: l.id.clone(), name: l.name.clone() });
        }
    }
    let wanted = prefs.current.or(migrated.current);
    let mut candidates: Vec<Listed> = list.iter().filter(|l| Some(&l.id) == wanted.as_ref()).cloned().collect();
    candidates.extend(list.iter().filter(|l| Some(&l.id) != wanted.as_ref()).cloned());
    let (id, portfolio, rev) = match open_first(&store, &candidates, lang, &mut notices, &mut listed).await {
        Some((id, rev, p)) => (id, p, Some(rev)),
        None => {
            // A first visit gets the demo; a browser whose portfolios are all unreadable, a
            // fresh one beside them (they stay as they are).
            let p = if list.is_empty() { demo(lang) } else { Portfolio::new(untitled(lang, &listed)) };
            let id = sync::new_id();
            listed.push(Entry::new(id.clone(), p.name.clone()));
            (id, p, None)
        }
    };
    dispatch.dispatch(Action::Loaded { lang, entries: listed, id, portfolio, rev, notices });
    // Ask the browser to keep this site's data under storage pressure.
    let persisted = storage::request_persistence().await;
    dispatch.dispatch(Action::Space(storage::Space { persisted, ..storage::space().await }));
}

impl PortfolioHandle {
    fn dispatch(&self, action: Action) {
        self.state.dispatch(action);
    }

    /// Show a page.
    pub fn go(&self, page: Page) {
        self.dispatch(Action::Go(page));
    }

    pub fn set_lang(&self, lang: Lang) {
        self.dispatch(Action::SetLang(lang));
    }

    pub fn notify(&self, notice: Notice) {
        self.dispatch(Action::Notify(notice));
    }

    pub fn dismiss(&self, index: usize) {
        self.dispatch(Action::Dismiss(index));
    }

    /// Open another stored portfolio; one that cannot be read stays where it is, with a notice
    /// that offers it for download as it is.
    pub fn open(&self, id: &str) {
        if id == self.current {
            return;
        }
        let (dispatch, id, lang) = (self.state.dispatcher(), id.to_string(), self.lang);
        let name = self.entries.iter().find(|e| e.id == id).map_or(id.clone(), |e| e.name.clone());
        spawn_local(async move {
            let Some(store) = sync::store() else { return };
            match store.load(&id).await {
                Ok(Some((meta, portfolio))) => dispatch.dispatch(Action::Open { id, portfolio, rev: meta.rev }),
                Ok(None) => refresh_list(dispatch).await,
                Err(e) => {
                    dispatch.dispatch(Action::Notify(Notice::StorageUnreadable(name.clone(), unreadable(&e, lang))));
                    if matches!(e, StorageError::Unreadable(_)) {
                        dispatch.dispatch(Action::Notify(Notice::Damaged { id, name }));
                    }
                }
            }
        });
    }

    /// Create an empty portfolio and switch to it.
    pub fn new_portfolio(&self) {
        self.dispatch(Action::New { id: sync::new_id(), name: untitled(self.lang, &self.entries) });
    }

    pub fn rename(&self, name: String) {
        self.dispatch(Action::Rename(name));
    }

    /// Delete the open portfolio from storage and open another stored one (a new empty one
    /// when none other can be read).
    pub fn delete_current(&self) {
        self.leave_current(true);
    }

    /// Leave a portfolio deleted in another tab: open another stored one.
    pub fn close_gone(&self) {
        self.leave_current(false);
    }

    /// Opens the first other readable portfolio (or a new one), deleting the open one first
    /// when `delete`.
    fn leave_current(&self, delete: bool) {
        let (dispatch, id, lang) = (self.state.dispatcher(), self.current.clone(), self.lang);
        let others: Vec<Entry> = self.entries.iter().filter(|e| e.id != id).cloned().collect();
        spawn_local(async move {
            let Some(store) = sync::store() else { return };
            if delete {
                remove_stored(&store, &id).await;
            }
            dispatch.dispatch(next_open(&store, &others, lang).await);
        });
    }

    /// Keep this tab's version as a new portfolio (after a conflict or a deletion elsewhere).
    pub fn keep_as_copy(&self) {
        let name = self.lang.fill(T::CopyName, &[&self.portfolio.name]);
        self.dispatch(Action::KeepAsCopy { id: sync::new_id(), name });
    }

    /// Settle a conflict with the other tab's version.
    pub fn keep_theirs(&self) {
        self.dispatch(Action::KeepTheirs);
    }

    /// Download a stored portfolio exactly as it is stored (for one that cannot be read).
    pub fn download_raw(&self, id: &str) {
        let id = id.to_string();
        spawn_local(async move {
            let Some(store) = sync::store() else { return };
            if let Some(text) = store.raw(&id).await {
                download::save(&format!("{id}.cartera.json"), "application/json", &text);
            }
        });
    }

    /// Delete a stored portfolio that cannot be read (the user asked for it).
    pub fn delete_damaged(&self, id: &str) {
        let (dispatch, id) = (self.state.dispatcher(), id.to_string());
        spawn_local(async move {
            let Some(store) = sync::store() else { return };
            remove_stored(&store, &id).await;
            refresh_list(dispatch).await;
        });
    }

    /// Ask storage how much space is used and available, for Settings.
    pub fn refresh_space(&self) {
        let dispatch = self.state.dispatcher();
        spawn_local(async move { dispatch.dispatch(Action::Space(storage::space().await)) });
    }

    /// Whether the data lives in localStorage because IndexedDB is unavailable.
    pub fn storage_fallback(&self) -> bool {
        sync::store().is_some_and(|s| s.is_fallback())
    }

    /// Read a chosen or dropped file and check it for import.
    pub fn import_file(&self, file: web_sys::File) {
        importer::read_file(self.state.dispatcher(), self.portfolio.clone(), file);
    }

    /// Check text (a paste, or a file after column mapping) for import.
    pub fn import_text(&self, name: String, bytes: Vec<u8>) {
        self.dispatch(Action::StageReading(name.clone()));
        importer::run(self.state.dispatcher(), self.portfolio.clone(), name, bytes);
    }

    /// Show what replacing the portfolio's data with the checked file would do.
    pub fn check_replace(&self) {
        self.dispatch(Action::CheckReplace);
    }

    /// Confirm the checked file: added to the portfolio, or replacing its data.
    pub fn apply_staged(&self, replace: bool) {
        self.dispatch(Action::ApplyStaged { replace });
    }

    /// Stop the import under way, or put the checked file away; nothing of it is applied.
    pub fn cancel_staged(&self) {
        importer::cancel();
        super::background::forget_import();
        self.dispatch(Action::CancelStaged);
    }

    /// Store the portfolios of a checked backup under fresh ids, replacing every portfolio of
    /// this browser or beside them, whole or not at all; then open the first.
    pub fn restore(&self, list: &[Portfolio], replace: bool) {
        let portfolios: Vec<(String, Portfolio)> = list.iter().map(|p| (sync::new_id(), p.clone())).collect();
        let remove: Vec<String> = if replace { self.entries.iter().map(|e| e.id.clone()).collect() } else { Vec::new() };
        let dispatch = self.state.dispatcher();
        let name = list.first().map_or(String::new(), |p| p.name.clone());
        spawn_local(async move {
            let Some(store) = sync::store() else { return dispatch.dispatch(Action::Notify(Notice::StorageUnavailable)) };
            match store.replace(&remove, &portfolios).await {
                Ok(()) => {
                    for id in &remove {
                        sync::forget(id);
                        sync::announce(Change::Removed { id: id.clone() });
                    }
                    sync::announce(Change::Listed);
                    dispatch.dispatch(Action::Restored { portfolios, replace });
                }
                Err(_) => dispatch.dispatch(Action::Notify(Notice::StorageFull(name))),
            }
        });
    }

    /// Download a backup of the open portfolio, and note it (the reminder starts over).
    pub fn backup(&self) {
        let name = format!("{}.cartera.json", self.portfolio.name);
        download::save(&name, "application/json", &snapshot::encode(&self.portfolio));
        self.backed_up(vec![self.current.clone()]);
    }

    /// Download a backup of every portfolio: the open one as it is now, the others as stored.
    pub fn backup_all(&self) {
        let (current, portfolio) = (self.current.clone(), self.portfolio.clone());
        let ids: Vec<String> = self.entries.iter().map(|e| e.id.clone()).collect();
        let app = self.clone();
        spawn_local(async move {
            let mut others = Vec::new();
            if let Some(store) = sync::store() {
                for id in ids.iter().filter(|id| **id != current) {
                    if let Ok(Some((_, p))) = store.load(id).await {
                        others.push(p);
                    }
                }
            }
            let text = snapshot::backup(std::iter::once(&*portfolio).chain(others.iter()));
            download::save("cartera-backup.json", "application/json", &text);
            app.backed_up(ids);
        });
    }

    fn backed_up(&self, ids: Vec<String>) {
        let dispatch = self.state.dispatcher();
        let due = self.notices.iter().position(|n| matches!(n, Notice::BackupDue(_)));
        spawn_local(async move {
            if let Some(store) = sync::store() {
                for id in &ids {
                    store.mark_backup(id, js_sys::Date::now()).await;
                }
            }
            if let Some(i) = due {
                dispatch.dispatch(Action::Dismiss(i));
            }
        });
    }

    /// Save a client's attributes as typed; refused values are kept for the form.
    pub fn save_client(&self, id: String, fields: ClientFields) {
        self.dispatch(Action::SaveClient { id, fields });
    }

    /// Add a client and open it.
    pub fn add_client(&self, id: String, name: String) {
        self.dispatch(Action::AddClient { id, name });
    }

    pub fn delete_client(&self, id: String) {
        self.dispatch(Action::DeleteClient(id));
    }

    /// Save a period record as typed; refused values are kept for the form.
    pub fn save_record(&self, id: String, period: String, fields: [String; 8]) {
        self.dispatch(Action::SaveRecord { id, period, fields });
    }

    pub fn delete_record(&self, id: String, period: Period) {
        self.dispatch(Action::DeleteRecord { id, period });
    }

    pub fn set_settings(&self, settings: Settings) {
        self.dispatch(Action::SetSettings(settings));
    }

    pub fn start_plan(&self, client: String, on: Date, months: u32) {
        self.dispatch(Action::StartPlan { client, on, months });
    }

    pub fn plan_step_done(&self, client: String, step: usize, done: bool) {
        self.dispatch(Action::PlanStepDone { client, step, done });
    }

    pub fn plan_step_edit(&self, client: String, step: usize, date: Option<Date>, note: Option<String>) {
        self.dispatch(Action::PlanStepEdit { client, step, date, note });
    }

    pub fn cancel_plan(&self, client: String) {
        self.dispatch(Action::CancelPlan(client));
    }

    pub fn save_prospect(&self, prospect: Prospect) {
        self.dispatch(Action::SaveProspect(prospect));
    }

    pub fn remove_prospect(&self, index: usize) {
        self.dispatch(Action::RemoveProspect(index));
    }

    /// The prospect was won: it becomes a client starting in `start`.
    pub fn win_prospect(&self, index: usize, start: Period) {
        self.dispatch(Action::WinProspect { index, start });
    }

    pub fn undo(&self) {
        self.dispatch(Action::Undo);
    }

    pub fn redo(&self) {
        self.dispatch(Action::Redo);
    }

    /// A callback that shows a page (for links and buttons).
    pub fn go_to(&self, page: Page) -> Callback<MouseEvent> {
        let app = self.clone();
        Callback::from(move |_| app.go(page.clone()))
    }
}

/// A value derived from the state (a sorted list, a chart model), built again only when the
/// portfolio's revision, its analysis, the language or `deps` change — not on every render,
/// and not when a page is opened again: the last value each derivation built is kept (see
/// [`kept_or_built`]). `f` captures nothing (a function), so the same derivation always
/// means the same value for the same inputs.
#[hook]
pub fn use_derived<D, T>(deps: D, f: fn(&AppState, &D) -> T) -> Rc<T>
where
    D: Clone + PartialEq + 'static,
    T: 'static,
{
    let app = use_portfolio();
    let state = app.state.clone();
    let built = use_memo((derived_inputs(&app), deps), move |(inputs, deps)| kept_or_built(f, *inputs, deps, || f(&state, deps)));
    (*built).clone()
}

/// What a derivation built last, and from what.
struct Derived {
    inputs: (u64, u64, Lang),
    deps: Rc<dyn std::any::Any>,
    value: Rc<dyn std::any::Any>,
}

thread_local! {
    /// The last value of each derivation (by its function and types).
    static DERIVED: std::cell::RefCell<std::collections::HashMap<(usize, std::any::TypeId), Derived>> = Default::default();
}

/// The value derivation `f` last built when it was from the same inputs, or a new one from
/// `build`, kept in its place.
fn kept_or_built<D, T>(f: fn(&AppState, &D) -> T, inputs: (u64, u64, Lang), deps: &D, build: impl FnOnce() -> T) -> Rc<T>
where
    D: Clone + PartialEq + 'static,
    T: 'static,
{
    let key = (f as usize, std::any::TypeId::of::<(D, T)>());
    let kept = DERIVED.with(|d| {
        let d = d.borrow();
        let k = d.get(&key).filter(|k| k.inputs == inputs && k.deps.downcast_ref::<D>() == Some(deps))?;
        k.value.clone().downcast::<T>().ok()
    });
    kept.unwrap_or_else(|| {
        BUILT.with(|b| b.set(b.get() + 1));
        let value = Rc::new(build());
        let derived = Derived { inputs, deps: Rc::new(deps.clone()), value: value.clone() };
        DERIVED.with(|d| d.borrow_mut().insert(key, derived));
        value
    })
}
