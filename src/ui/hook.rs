//! The one door: [`use_portfolio`] hands every component the app state and the user's intents
//! as methods. Each intent becomes an [`Action`] for the pure reducer; what the browser must do
//! around it — reading and writing storage, minting portfolio ids, reading files — happens
//! here and nowhere else. The state is stored by one effect ([`use_persist`]) keyed on its
//! revision.

use std::ops::Deref;
use std::rc::Rc;

use yew::prelude::*;

use super::importer;
use super::state::{Action, AppState, Entry, Notice, Page};
use super::storage::{self, Index, IndexEntry, StorageError};
use crate::core::analysis::prospect::Prospect;
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

/// The app's reducer, started from storage; [`App`](super::App) provides it as context.
#[hook]
pub fn use_app_state() -> UseReducerHandle<AppState> {
    let state = use_reducer(initial_state);
    use_persist(&state);
    state
}

/// Stores the open portfolio and the index whenever the revision moves; a failed write
/// becomes a notice.
#[hook]
fn use_persist(state: &UseReducerHandle<AppState>) {
    let state = state.clone();
    use_effect_with(state.revision, move |_| {
        if let Err(notice) = persist(&state) {
            state.dispatch(Action::Notify(notice));
        }
    });
}

/// The id of the `n`-th portfolio this browser made (`p1`, `p2`, …). Every id is minted here,
/// after the highest one the index has seen.
fn portfolio_id(n: u64) -> String {
    format!("p{n}")
}

/// The name a new portfolio gets: "New portfolio N", N one more than the portfolios listed.
fn untitled(lang: Lang, entries: &[Entry]) -> String {
    lang.fill(T::NewPortfolioName, &[&(entries.len() + 1).to_string()])
}

fn browser_lang() -> Lang {
    web_sys::window().and_then(|w| w.navigator().language()).map_or(Lang::En, |tag| Lang::from_tag(&tag))
}

fn lang_of(code: Option<&str>) -> Option<Lang> {
    Lang::ALL.into_iter().find(|l| Some(l.code()) == code)
}

fn unreadable(e: &StorageError, lang: Lang) -> String {
    match e {
        StorageError::Unreadable(SnapshotError::NewerVersion { .. }) => lang.t(T::StorageNewer).into(),
        _ => lang.t(T::StorageCorrupt).into(),
    }
}

/// The state on start: the stored portfolios, or the demo portfolio on a first visit.
fn initial_state() -> AppState {
    let mut notices = Vec::new();
    let index = match storage::load_index() {
        Ok(index) => index,
        Err(StorageError::Unavailable) => {
            notices.push(Notice::StorageUnavailable);
            None
        }
        Err(_) => {
            notices.push(Notice::StorageUnreadable("index".into(), String::new()));
            None
        }
    };
    let mut state = match index {
        Some(index) => {
            let lang = lang_of(index.lang.as_deref()).unwrap_or_else(browser_lang);
            let entries: Vec<Entry> = index.portfolios.iter().map(|e| Entry { id: e.id.clone(), name: e.name.clone() }).collect();
            match storage::load_portfolio(&index.current) {
                Ok(Some(p)) => AppState::new(lang, entries, index.current, index.next_id, p),
                Ok(None) => first_visit(),
                Err(e) => {
                    let name = entries.iter().find(|e| e.id == index.current).map_or(index.current.clone(), |e| e.name.clone());
                    notices.push(Notice::StorageUnreadable(name, unreadable(&e, lang)));
                    // Keep the unreadable data where it is; work in a fresh portfolio beside it.
                    let id = portfolio_id(index.next_id + 1);
                    let fresh = Portfolio::new(untitled(lang, &entries));
                    let mut entries = entries;
                    entries.push(Entry { id: id.clone(), name: fresh.name.clone() });
                    AppState::new(lang, entries, id, index.next_id + 1, fresh)
                }
            }
        }
        None => first_visit(),
    };
    state.notices = notices;
    state
}

/// The demo portfolio, stored at once.
fn first_visit() -> AppState {
    let lang = browser_lang();
    // The demo ships with the app and is tested to import cleanly; an empty one is the fallback.
    let demo = crate::core::demo::portfolio(lang.t(T::DemoName)).unwrap_or_else(|_| Portfolio::new(lang.t(T::DemoName)));
    let id = portfolio_id(1);
    let entries = vec![Entry { id: id.clone(), name: demo.name.clone() }];
    let mut state = AppState::new(lang, entries, id, 1, demo);
    state.revision = 1;
    state
}

/// Writes the current portfolio and the index; a failure becomes a notice.
fn persist(state: &AppState) -> Result<(), Notice> {
    let index = Index {
        current: state.current.clone(),
        portfolios: state.entries.iter().map(|e| IndexEntry { id: e.id.clone(), name: e.name.clone() }).collect(),
        next_id: state.next_id,
        lang: Some(state.lang.code().to_string()),
    };
    let result = storage::save_portfolio(&state.current, &state.portfolio).and_then(|_| storage::save_index(&index));
    match result {
        Ok(_) => Ok(()),
        Err(StorageError::Unavailable) => Err(Notice::StorageUnavailable),
        Err(_) => Err(Notice::StorageFull(state.portfolio.name.clone())),
    }
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

    /// Open another stored portfolio; one that cannot be read stays where it is, with a notice.
    pub fn open(&self, id: &str) {
        if id == self.current {
            return;
        }
        match storage::load_portfolio(id) {
            Ok(Some(portfolio)) => self.dispatch(Action::Open { id: id.to_string(), portfolio }),
            Ok(None) | Err(_) => self.notify(Notice::StorageUnreadable(id.to_string(), self.lang.t(T::StorageCorrupt).into())),
        }
    }

    /// Create an empty portfolio and switch to it.
    pub fn new_portfolio(&self) {
        let id = portfolio_id(self.next_id + 1);
        self.dispatch(Action::New { id, name: untitled(self.lang, &self.entries) });
    }

    pub fn rename(&self, name: String) {
        self.dispatch(Action::Rename(name));
    }

    /// Delete the open portfolio from storage and open another stored one (a new empty one
    /// when none other can be read).
    pub fn delete_current(&self) {
        // A failed removal leaves the data where it was; the list forgets it either way.
        let _ = storage::remove_portfolio(&self.current);
        let others: Vec<Entry> = self.entries.iter().filter(|e| e.id != self.current).cloned().collect();
        let open = others
            .iter()
            .find_map(|e| storage::load_portfolio(&e.id).ok().flatten().map(|p| (e.id.clone(), p)))
            .unwrap_or_else(|| (portfolio_id(self.next_id + 1), Portfolio::new(untitled(self.lang, &others))));
        self.dispatch(Action::Deleted { open });
    }

    /// Read a chosen or dropped file and check it for import.
    pub fn import_file(&self, file: web_sys::File) {
        importer::read_file(self.state.dispatcher(), self.portfolio.settings.clone(), file);
    }

    /// Check text (a paste, or a file after column mapping) for import.
    pub fn import_text(&self, name: String, bytes: Vec<u8>) {
        self.dispatch(Action::StageReading(name.clone()));
        importer::run(self.state.dispatcher(), self.portfolio.settings.clone(), name, bytes);
    }

    /// Confirm the checked file: added to the portfolio, or replacing its data.
    pub fn apply_staged(&self, replace: bool) {
        self.dispatch(Action::ApplyStaged { replace });
    }

    /// Stop the import under way, or put the checked file away; nothing of it is applied.
    pub fn cancel_staged(&self) {
        importer::cancel();
        self.dispatch(Action::CancelStaged);
    }

    /// Store the portfolios of a checked backup under fresh ids, replacing every portfolio of
    /// this browser or beside them, whole or not at all; then open the first.
    pub fn restore(&self, list: &[Portfolio], replace: bool) {
        let portfolios: Vec<(String, Portfolio)> =
            list.iter().enumerate().map(|(k, p)| (portfolio_id(self.next_id + 1 + k as u64), p.clone())).collect();
        let remove: Vec<String> = if replace { self.entries.iter().map(|e| e.id.clone()).collect() } else { Vec::new() };
        match storage::replace_portfolios(&remove, &portfolios) {
            Ok(()) => self.dispatch(Action::Restored { portfolios, replace }),
            Err(_) => self.notify(Notice::StorageFull(list.first().map_or(String::new(), |p| p.name.clone()))),
        }
    }

    /// A backup of every portfolio: the open one as it is now, the others as stored.
    pub fn backup_all(&self) -> String {
        let others: Vec<Portfolio> = self
            .entries
            .iter()
            .filter(|e| e.id != self.current)
            .filter_map(|e| storage::load_portfolio(&e.id).ok().flatten())
            .collect();
        snapshot::backup(std::iter::once(&*self.portfolio).chain(others.iter()))
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
/// portfolio's revision or `deps` change — not on every render.
#[hook]
pub fn use_derived<D, T>(deps: D, f: impl FnOnce(&AppState, &D) -> T) -> Rc<T>
where
    D: PartialEq + 'static,
    T: 'static,
{
    let app = use_portfolio();
    let state = app.state.clone();
    use_memo((app.revision, deps), move |(_, deps)| f(&state, deps))
}
