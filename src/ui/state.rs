//! The app state and its reducer. Every user intent is an [`Action`]; `reduce` is pure — it
//! calls the engine (`core`) and never storage. What the browser must do around an intent
//! (read storage, mint an id, persist) happens in the [`hook`](super::hook) that dispatches it.
//!
//! The state keeps `base`, the version of the open portfolio last read from or written to
//! storage: the portfolio is written whenever it is not that version, and when another tab
//! stored a newer one, the two are merged from it (`core::merge`).

use std::rc::Rc;

use yew::Reducible;

use crate::core::analysis::prospect::Prospect;
use crate::core::analysis::robustness::Robustness;
use crate::core::analysis::view::{self, Moved};
use crate::core::analysis::{analyze, Analysis};
use crate::core::edit::{self, ClientFields, Edit};
use crate::core::import::{self, Mode, Note, Parsed, Problem, Summary};
use crate::core::merge::{three_way, Part};
use crate::core::model::{Period, Portfolio, Settings, Shared};
use crate::core::plan::{self, Date};
use crate::i18n::Lang;

/// The pages of the app.
#[derive(Clone, Debug, PartialEq)]
pub enum Page {
    Portfolio,
    Decisions,
    Matrix,
    Health,
    Import,
    Settings,
    Client(String),
    WhatIf,
    Plans,
    Plan(String),
    SixR,
    Prospects,
    Report,
}

/// A portfolio known to this browser.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub id: String,
    pub name: String,
    /// Its stored data could not be read (kept as it is).
    pub damaged: bool,
}

impl Entry {
    pub fn new(id: impl Into<String>, name: impl Into<String>) -> Entry {
        Entry { id: id.into(), name: name.into(), damaged: false }
    }
}

/// Both this tab and another changed the open portfolio, in the same parts.
#[derive(Clone, Debug, PartialEq)]
pub struct Conflict {
    /// The other tab's version, as stored, and its revision.
    pub theirs: Rc<Portfolio>,
    pub rev: u64,
    pub parts: Vec<Part>,
}

/// What an undo step takes back.
#[derive(Clone, Debug, PartialEq)]
pub enum UndoKind {
    Import(String),
    Settings,
    Rename,
    Plan,
    Prospect,
    Edit,
}

/// One undoable step: the portfolio as it was before.
#[derive(Clone, Debug, PartialEq)]
pub struct UndoStep {
    pub kind: UndoKind,
    pub before: Rc<Portfolio>,
}

/// A checked import applied to the portfolio it was checked against, in one mode: what the
/// portfolio becomes, and the counts the preview shows.
#[derive(Debug, PartialEq)]
pub struct Outcome {
    pub portfolio: Portfolio,
    pub summary: Summary,
}

/// A file being read and checked, or checked and waiting for the user to confirm it.
#[derive(Clone, Debug, PartialEq)]
pub enum Staged {
    /// Being checked: bytes done of total, rows so far.
    Reading { name: String, done: usize, total: usize, rows: usize },
    /// The header was not understood: the user says what each column is.
    Mapping { name: String, text: Rc<String>, rows: Rc<Vec<Vec<String>>>, problems: Rc<Vec<Problem>> },
    /// Checked, and applied to `base` (the portfolio it was checked against) in add mode,
    /// and in replace mode once the user asks for it: confirming takes the chosen outcome as
    /// it is. `lines` is the number of data rows read (a transactions file sums many into few).
    Ready {
        name: String,
        parsed: Rc<Parsed>,
        base: Rc<Portfolio>,
        adding: Rc<Outcome>,
        replacing: Replacing,
        notes: Rc<Vec<Note>>,
        lines: usize,
        /// The file's bytes as checked (see `background::derived`).
        source: Option<super::background::Source>,
    },
    Refused { name: String, problems: Rc<Vec<Problem>> },
}

/// The outcome of replace mode for a staged file. It is worked out only when the user picks
/// that mode: for a file of millions of rows each outcome is a whole portfolio, and most
/// imports add.
#[derive(Clone, Debug, PartialEq)]
pub enum Replacing {
    NotAsked,
    /// Replacing would be refused (a clients list whose referrers it removes).
    Refused,
    Ready(Rc<Outcome>),
}

impl Replacing {
    pub fn outcome(&self) -> Option<&Rc<Outcome>> {
        match self {
            Replacing::Ready(outcome) => Some(outcome),
            _ => None,
        }
    }
}

/// A parsed file applied to a portfolio: what it makes of it, or why it is refused.
pub type Applied = (Rc<Portfolio>, Result<(Portfolio, Summary), Vec<Problem>>);

/// A message shown above the page until dismissed.
#[derive(Clone, Debug, PartialEq)]
pub enum Notice {
    Imported(String),
    Refused(String, usize),
    StorageFull(String),
    StorageUnreadable(String, String),
    StorageUnavailable,
    SettingsApplied,
    Restored(usize),
    /// IndexedDB is unavailable: the data is kept in localStorage, which holds less.
    StorageFallback,
    /// A stored portfolio cannot be read: it stays as it is, to download or delete.
    Damaged { id: String, name: String },
    /// Portfolios moved over from the first storage format.
    Migrated(usize),
    /// The stored list entries of these portfolios were damaged and rebuilt from their data.
    Rebuilt(String),
    /// The open portfolio took in changes made in another tab.
    UpdatedElsewhere,
    /// The open portfolio has changed a lot since its last backup download.
    BackupDue(String),
    /// A new release of the app is installed and waits for a reload.
    UpdateReady,
}

/// A form whose last submission was refused.
#[derive(Clone, Debug, PartialEq)]
pub enum Form {
    /// A client's attributes.
    Client(String),
    /// A period record of a client.
    Record(String),
    /// The new-client form.
    AddClient,
}

/// Everything the UI shows.
#[derive(Clone, Debug)]
pub struct AppState {
    pub lang: Lang,
    /// Storage is still being read: nothing to show yet.
    pub loading: bool,
    pub entries: Vec<Entry>,
    pub current: String,
    pub portfolio: Rc<Portfolio>,
    /// The version of the open portfolio storage holds (see the module docs); a portfolio not
    /// stored yet has an empty stand-in, never equal to it by identity.
    pub base: Rc<Portfolio>,
    /// The revision of `base` in storage (`None`: not stored yet).
    pub base_rev: Option<u64>,
    /// Changes here and in another tab that meet; writes wait until the user settles it.
    pub conflict: Option<Conflict>,
    /// The open portfolio was deleted in another tab; writes wait until the user decides.
    pub gone: bool,
    /// What storage says of its space (shown in Settings).
    pub space: super::storage::Space,
    /// The analysis of `analysed`: of the open portfolio, unless a large one is being analysed
    /// in the background (see [`AppState::analysing`]).
    pub analysis: Rc<Analysis>,
    pub analysed: Rc<Portfolio>,
    /// A background analysis of the open portfolio: clients' work done, of all. Bumped
    /// `analysis_wanted` starts one.
    pub analysing: Option<(usize, usize)>,
    pub analysis_wanted: u64,
    /// The last background analysis was worked out in the background worker (not on the page).
    pub analysed_by_worker: bool,
    /// Bumped whenever `analysis` changes (what the pages derive from it is built again).
    pub analysis_rev: u64,
    /// The verdicts a ±20% change in a rate would move, worked out in the background after each
    /// analysis; of the analysis of this revision.
    pub robustness: Option<(u64, Rc<Robustness>)>,
    /// The analysis before a settings change whose analysis is still being worked out: who
    /// moved is listed from it when that arrives.
    moved_from: Option<Rc<Analysis>>,
    /// The analysis who moved is to be listed from, against the one shown, in a task of its
    /// own ([`Action::ListMoved`]): of more than [`MOVED_AT_ONCE`] clients.
    pub moving: Option<Rc<Analysis>>,
    pub undo: Vec<UndoStep>,
    /// Steps undone, to redo (cleared by any new change).
    pub redo: Vec<UndoStep>,
    pub page: Page,
    pub staged: Option<Staged>,
    pub notices: Vec<Notice>,
    pub moved: Rc<Vec<Moved>>,
    /// The problems of the last refused form submission.
    pub refused_form: Option<(Form, Rc<Vec<Problem>>)>,
    /// Bumped whenever something that is stored changes.
    pub revision: u64,
    /// The user's changes to portfolios in this tab, counted (for the backup reminder).
    pub edits: u64,
}

/// Every reduce makes a new state, so identity is equality: this spares a deep compare of the
/// portfolio each time the context is handed down.
impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        std::ptr::eq(self, other)
    }
}

/// The user's intents.
pub enum Action {
    SetLang(Lang),
    Go(Page),
    /// Storage was read: open this portfolio at its stored revision (`None`: not stored yet).
    Loaded { lang: Lang, entries: Vec<Entry>, id: String, portfolio: Portfolio, rev: Option<u64>, notices: Vec<Notice> },
    /// Open a stored portfolio (read by the hook) at its revision.
    Open { id: String, portfolio: Portfolio, rev: u64 },
    /// Create an empty portfolio under a fresh id and switch to it.
    New { id: String, name: String },
    Rename(String),
    /// The current portfolio was deleted from storage; open this one instead (at its stored
    /// revision, or a new one with none).
    Deleted { open: (String, Portfolio), rev: Option<u64> },
    /// The portfolios storage lists changed (another tab added, renamed or deleted one).
    Entries(Vec<Entry>),
    /// A version of a portfolio was stored (`backup_due`: remind the user to download one).
    Stored { id: String, portfolio: Rc<Portfolio>, rev: u64, backup_due: bool },
    /// Another tab stored a newer version of a portfolio.
    Theirs { id: String, portfolio: Portfolio, rev: u64 },
    /// The open portfolio was deleted in another tab.
    Gone(String),
    /// Settle a conflict with the other tab's version.
    KeepTheirs,
    /// Keep this tab's version as a new portfolio under `id` (after a conflict, or after the
    /// portfolio was deleted in another tab).
    KeepAsCopy { id: String, name: String },
    /// What storage says of its space.
    Space(super::storage::Space),
    StageReading(String),
    StageProgress { name: String, done: usize, total: usize, rows: usize },
    /// A file was checked; `adding` is what adding it to this portfolio makes, worked out in
    /// the background (worked out here when the portfolio has changed since).
    StageChecked { name: String, lines: usize, result: Result<(Parsed, Vec<Note>), Vec<Problem>>, adding: Option<Applied>, source: Option<super::background::Source> },
    StageMapping { name: String, text: String, problems: Vec<Problem> },
    /// A file refused before it was read (too large, unreadable).
    StageRefused { name: String, problems: Vec<Problem> },
    /// Work out what replacing with the staged file would do (for its preview).
    CheckReplace,
    /// A background analysis has done this much of its work.
    Analysing { wanted: u64, done: usize, all: usize },
    /// The flips of the analysis of this revision were worked out.
    Sensed { rev: u64, robustness: Robustness },
    /// A background analysis of this portfolio is done.
    /// A background analysis done, in the background worker or on the page.
    Analysed { portfolio: Rc<Portfolio>, analysis: Analysis, by_worker: bool },
    /// List who moved, from the analysis waiting for it, if the analysis of revision `rev`
    /// is still shown (see [`AppState::moving`]).
    ListMoved { rev: u64 },
    /// Apply the staged file: added to the portfolio, or replacing its clients and records.
    ApplyStaged { replace: bool },
    CancelStaged,
    /// Portfolios restored from a backup (already stored under these ids, as revision 1); open
    /// the first.
    Restored { portfolios: Vec<(String, Portfolio)>, replace: bool },
    SaveClient { id: String, fields: ClientFields },
    AddClient { id: String, name: String },
    DeleteClient(String),
    SaveRecord { id: String, period: String, fields: [String; 8] },
    DeleteRecord { id: String, period: Period },
    SetSettings(Settings),
    /// Start an exit plan for a client and open it.
    StartPlan { client: String, on: Date, months: u32 },
    PlanStepDone { client: String, step: usize, done: bool },
    PlanStepEdit { client: String, step: usize, date: Option<Date>, note: Option<String> },
    CancelPlan(String),
    SaveProspect(Prospect),
    RemoveProspect(usize),
    /// The prospect was won: it becomes a client (with its acquisition cost, starting in `start`).
    WinProspect { index: usize, start: Period },
    Undo,
    Redo,
    Notify(Notice),
    Dismiss(usize),
}

/// How many undo steps are kept.
const UNDO_DEPTH: usize = 20;

/// Clients up to which who moved is listed with the analysis that moved them, in the same task
/// (about 6 ms in the browser at 10,000); more are listed in a task of their own
/// ([`Action::ListMoved`]): at 100,000 clients a weight change moves them all, and listing them
/// took the re-scoring's task past 100 ms.
pub const MOVED_AT_ONCE: usize = 20_000;

/// Clients plus records up to which a portfolio is analysed at once, in the reducer (about
/// 20 ms in the browser); a larger one is analysed in the background, a slice at a time.
pub const SYNC_ANALYSIS: usize = 20_000;

impl AppState {
    /// A state showing `portfolio` as the current one.
    pub fn new(lang: Lang, entries: Vec<Entry>, current: String, portfolio: Portfolio) -> AppState {
        let portfolio = Rc::new(portfolio);
        AppState {
            lang,
            loading: false,
            entries,
            current,
            analysis: Rc::new(analyze(&portfolio)),
            analysed: portfolio.clone(),
            analysing: None,
            analysis_wanted: 0,
            analysed_by_worker: false,
            analysis_rev: 0,
            robustness: None,
            moved_from: None,
            moving: None,
            base: portfolio.clone(),
            base_rev: None,
            portfolio,
            conflict: None,
            gone: false,
            space: Default::default(),
            undo: Vec::new(),
            redo: Vec::new(),
            page: Page::Portfolio,
            staged: None,
            notices: Vec::new(),
            moved: Rc::new(Vec::new()),
            refused_form: None,
            revision: 0,
            edits: 0,
        }
    }

    /// The state while storage is being read.
    pub fn loading(lang: Lang) -> AppState {
        let mut s = AppState::new(lang, Vec::new(), String::new(), Portfolio::default());
        s.loading = true;
        s
    }

    /// Whether the open portfolio differs from what storage holds and may be written (not
    /// while a conflict or a deletion elsewhere waits for the user).
    pub fn unsaved(&self) -> bool {
        !self.loading && self.conflict.is_none() && !self.gone && !Rc::ptr_eq(&self.portfolio, &self.base)
    }

    /// The problems of `form`'s last refused submission (none when it was accepted since).
    pub fn form_problems(&self, form: &Form) -> Rc<Vec<Problem>> {
        match &self.refused_form {
            Some((f, problems)) if f == form => problems.clone(),
            _ => Rc::new(Vec::new()),
        }
    }

    /// The analysis of `next` when it needs no background work: the one shown, when the
    /// clients, records and settings it reads are the same (a rename, a plan, a prospect);
    /// re-scored, when only the score weights differ; or worked out now, for a portfolio small
    /// enough to take no noticeable time.
    fn ready_analysis(&self, next: &Portfolio) -> Option<Rc<Analysis>> {
        let had = &*self.analysed;
        let same_data = Shared::same(&next.clients, &had.clients) && Shared::same(&next.records, &had.records);
        if same_data && next.settings == had.settings {
            Some(self.analysis.clone())
        } else if same_data && (Settings { weights: had.settings.weights, ..next.settings.clone() }) == had.settings {
            Some(Rc::new(self.analysis.reweighted(&next.settings.weights)))
        } else if next.clients.len() <= SYNC_ANALYSIS && next.clients.len() + next.record_count() <= SYNC_ANALYSIS {
            // (The records are counted only where the clients alone leave room: counting
            // those of 100,000 clients is a step of its own.)
            Some(Rc::new(analyze(next)))
        } else {
            None
        }
    }

    /// Shows a portfolio: with its analysis when that is ready, else with the last one until
    /// the background analysis the hook starts arrives.
    fn set_portfolio(&mut self, portfolio: Rc<Portfolio>) {
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == self.current) {
            e.name = portfolio.name.clone();
        }
        match self.ready_analysis(&portfolio) {
            Some(analysis) => self.set_analysis(portfolio.clone(), analysis),
            None => {
                self.analysing = Some((0, 2 * portfolio.clients.len()));
                self.analysis_wanted += 1;
            }
        }
        self.portfolio = portfolio;
        self.revision += 1;
    }

    /// The flips of the analysis shown, once worked out.
    pub fn flips(&self) -> Option<&Rc<Robustness>> {
        self.robustness.as_ref().filter(|(rev, _)| *rev == self.analysis_rev).map(|(_, r)| r)
    }

    fn set_analysis(&mut self, portfolio: Rc<Portfolio>, analysis: Rc<Analysis>) {
        // Freeing 100,000 clients' analysis takes as long as a page's render: the one left
        // behind (and the one who moved was listed from, if older) is freed a slice at a time,
        // once the pages that showed it let go.
        let left = std::mem::replace(&mut self.analysis, analysis);
        if let Some(before) = self.moved_from.take() {
            if self.analysis.clients.len() <= MOVED_AT_ONCE {
                self.moved = Rc::new(view::moved(&before, &self.analysis));
                if !Rc::ptr_eq(&before, &left) {
                    super::clock::let_go_analysis(before);
                }
            } else if let Some(older) = self.moving.replace(before) {
                super::clock::let_go_analysis(older);
            }
        }
        super::clock::let_go_analysis(left);
        self.analysed = portfolio;
        self.analysing = None;
        // Worked out (or kept, re-scored) on the page, unless the worker's answer says otherwise.
        self.analysed_by_worker = false;
        self.analysis_rev += 1;
    }

    /// Who moved, listed from the analysis waiting for it ([`AppState::moving`]), when the
    /// analysis shown is still that of revision `rev`.
    fn list_moving(&mut self, rev: u64) {
        if rev != self.analysis_rev {
            return;
        }
        if let Some(before) = self.moving.take() {
            self.moved = Rc::new(view::moved(&before, &self.analysis));
            super::clock::let_go_analysis(before);
        }
    }

    /// Lists who moved once the analysis of the portfolio being set is there (a change of
    /// settings, or taking one back). Over several such changes in a row, from the first.
    fn list_moved(&mut self) {
        if self.moved_from.is_none() {
            self.moved_from = Some(self.analysis.clone());
        }
    }

    /// A new version of the portfolio, one undo step. A change of settings lists who moved;
    /// other changes leave the last such list as it is.
    fn change(&mut self, kind: UndoKind, next: Portfolio) {
        self.redo.clear();
        let settings_changed = next.settings != self.portfolio.settings;
        self.undo.push(UndoStep { kind, before: self.portfolio.clone() });
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.refused_form = None;
        self.edits += 1;
        if settings_changed {
            self.list_moved();
        }
        self.set_portfolio(Rc::new(next));
    }

    /// A change an engine edit made, or the problems that refused it (kept for `form`).
    fn edit(&mut self, form: Form, edit: Edit) -> bool {
        match edit.apply(&self.portfolio) {
            Ok(next) => {
                // Made again by the background worker, which holds the portfolio it was made on.
                super::background::edited(&self.portfolio, &next, &edit);
                self.change(UndoKind::Edit, next);
                true
            }
            Err(problems) => {
                self.refused_form = Some((form, Rc::new(problems)));
                false
            }
        }
    }

    /// Undo (`undo` true) or redo: the step popped from one stack goes onto the other with the
    /// portfolio as it is now.
    fn step(&mut self, undo: bool) {
        let (from, to) = if undo { (&mut self.undo, &mut self.redo) } else { (&mut self.redo, &mut self.undo) };
        if let Some(step) = from.pop() {
            to.push(UndoStep { kind: step.kind.clone(), before: self.portfolio.clone() });
            self.edits += 1;
            // Taking back a settings change lists who moved back; any other step, nobody.
            self.moved_from = None;
            self.moving = None;
            self.moved = Rc::new(Vec::new());
            if step.kind == UndoKind::Settings {
                self.list_moved();
            }
            self.set_portfolio(step.before);
        }
    }

    /// Opens a portfolio at its stored revision (`None`: not stored yet, so it is written).
    fn open(&mut self, id: String, portfolio: Portfolio, rev: Option<u64>) {
        if !self.entries.iter().any(|e| e.id == id) {
            self.entries.push(Entry::new(id.clone(), portfolio.name.clone()));
        }
        self.current = id;
        self.undo.clear();
        self.redo.clear();
        self.staged = None;
        self.refused_form = None;
        self.conflict = None;
        self.gone = false;
        self.moved = Rc::new(Vec::new());
        self.moved_from = None;
        self.moving = None;
        let portfolio = Rc::new(portfolio);
        self.base = if rev.is_some() { portfolio.clone() } else { Rc::new(Portfolio::default()) };
        self.base_rev = rev;
        self.set_portfolio(portfolio);
        self.page = Page::Portfolio;
    }

    /// Takes in another tab's version: as it is when nothing here is unsaved, else merged with
    /// what is. Undo steps are dropped (taking one back could undo the other tab's change).
    fn take_theirs(&mut self, theirs: Portfolio, rev: u64) {
        if self.base_rev.is_some_and(|r| r >= rev) {
            return;
        }
        let theirs = Rc::new(theirs);
        let next = if Rc::ptr_eq(&self.portfolio, &self.base) {
            theirs.clone()
        } else {
            match three_way(&self.base, &self.portfolio, &theirs) {
                Ok(merged) => Rc::new(merged),
                Err(parts) => {
                    self.conflict = Some(Conflict { theirs, rev, parts });
                    return;
                }
            }
        };
        let merged = !Rc::ptr_eq(&next, &theirs);
        self.base = theirs;
        self.base_rev = Some(rev);
        self.undo.clear();
        self.redo.clear();
        self.set_portfolio(if merged { next } else { self.base.clone() });
        self.notices.retain(|n| *n != Notice::UpdatedElsewhere);
        self.notices.push(Notice::UpdatedElsewhere);
    }

    /// A refused file: the notice, and the problems to list.
    fn refuse(&mut self, name: String, problems: Vec<Problem>) -> Staged {
        self.notices.retain(|n| !matches!(n, Notice::Refused(..) | Notice::Imported(_)));
        self.notices.push(Notice::Refused(name.clone(), problems.len()));
        Staged::Refused { name, problems: Rc::new(problems) }
    }

    /// A checked file applied in add mode, for the preview and the confirmation.
    fn stage(&mut self, name: String, lines: usize, parsed: Parsed, notes: Vec<Note>, adding: Option<Applied>, source: Option<super::background::Source>) -> Staged {
        let adding = match adding {
            Some((base, applied)) if Rc::ptr_eq(&base, &self.portfolio) => outcome_of(applied),
            _ => outcome(&self.portfolio, &parsed, Mode::Add),
        };
        match adding {
            Ok(adding) => {
                let (base, parsed, notes) = (self.portfolio.clone(), Rc::new(parsed), Rc::new(notes));
                Staged::Ready { name, parsed, base, adding, replacing: Replacing::NotAsked, notes, lines, source }
            }
            Err(problems) => self.refuse(name, problems),
        }
    }

    /// Replace mode's outcome for the staged file, worked out once.
    fn check_replace(&mut self) {
        if let Some(Staged::Ready { parsed, base, replacing: replacing @ Replacing::NotAsked, .. }) = &mut self.staged {
            *replacing = outcome(base, parsed, Mode::Replace).map_or(Replacing::Refused, Replacing::Ready);
        }
    }

    fn apply_staged(&mut self, replace: bool) {
        let Some(Staged::Ready { name, parsed, base, adding, replacing, source, .. }) = self.staged.take() else { return };
        let chosen = if replace { replacing.outcome().cloned() } else { Some(adding) };
        let mode = if replace { Mode::Replace } else { Mode::Add };
        // The outcome holds while the portfolio is the one it was checked against; after an
        // undo in between, the file is applied to the portfolio as it is now.
        let result = match chosen {
            Some(outcome) if Rc::ptr_eq(&base, &self.portfolio) => Ok(outcome.portfolio.clone()),
            _ => import::apply_in(&self.portfolio, &parsed, mode).map(|(p, _)| p),
        };
        super::clock::let_go_rows(parsed);
        match result {
            Ok(next) => {
                // Read with the settings of the portfolio it was checked against.
                if let Some(source) = &source {
                    super::background::derived(&self.portfolio, &next, source, mode, &base.settings);
                }
                self.change(UndoKind::Import(name.clone()), next);
                self.notices.retain(|n| !matches!(n, Notice::Refused(..) | Notice::Imported(_)));
                self.notices.push(Notice::Imported(name));
                self.page = Page::Portfolio;
            }
            Err(problems) => self.staged = Some(self.refuse(name, problems)),
        }
    }

    /// A copy of the portfolio changed by `f`, kept as one undo step of `kind` when `f` says it
    /// changed something.
    fn change_with(&mut self, kind: UndoKind, f: impl FnOnce(&mut Portfolio) -> bool) -> bool {
        let mut next = (*self.portfolio).clone();
        let changed = f(&mut next);
        if changed {
            self.change(kind, next);
        }
        changed
    }
}

/// A parsed file applied to a portfolio in one mode.
fn outcome(portfolio: &Portfolio, parsed: &Parsed, mode: Mode) -> Result<Rc<Outcome>, Vec<Problem>> {
    outcome_of(import::apply_in(portfolio, parsed, mode))
}

/// What applying a file made, as the staged outcome.
fn outcome_of(applied: Result<(Portfolio, Summary), Vec<Problem>>) -> Result<Rc<Outcome>, Vec<Problem>> {
    applied.map(|(portfolio, summary)| Rc::new(Outcome { portfolio, summary }))
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        let locale = s.lang.number_locale();
        match action {
            Action::SetLang(lang) => {
                s.lang = lang;
                s.revision += 1;
            }
            Action::Go(page) => {
                s.refused_form = None;
                s.page = page;
            }
            Action::Loaded { lang, entries, id, portfolio, rev, notices } => {
                s.loading = false;
                s.lang = lang;
                s.entries = entries;
                s.open(id, portfolio, rev);
                s.notices.extend(notices);
            }
            Action::Open { id, portfolio, rev } => s.open(id, portfolio, Some(rev)),
            Action::New { id, name } => s.open(id, Portfolio::new(name), None),
            Action::Rename(name) => {
                s.change_with(UndoKind::Rename, |p| {
                    p.name = name;
                    true
                });
            }
            Action::Deleted { open: (id, portfolio), rev } => {
                let gone = s.current.clone();
                s.entries.retain(|e| e.id != gone);
                s.open(id, portfolio, rev);
            }
            Action::Entries(mut entries) => {
                // The open portfolio stays listed, even before it is first stored.
                if !entries.iter().any(|e| e.id == s.current) && !s.gone {
                    entries.push(Entry::new(s.current.clone(), s.portfolio.name.clone()));
                }
                // A damaged portfolio deleted (here or elsewhere) needs no notice any more.
                s.notices.retain(|n| !matches!(n, Notice::Damaged { id, .. } if !entries.iter().any(|e| e.id == *id)));
                s.entries = entries;
            }
            Action::Stored { id, portfolio, rev, backup_due } => {
                if id == s.current && !s.gone && s.base_rev.is_none_or(|r| r < rev) {
                    s.base = portfolio;
                    s.base_rev = Some(rev);
                    let name = s.portfolio.name.clone();
                    if backup_due && !s.notices.iter().any(|n| matches!(n, Notice::BackupDue(_))) {
                        s.notices.push(Notice::BackupDue(name));
                    }
                }
            }
            Action::Theirs { id, portfolio, rev } => {
                if id == s.current && !s.loading {
                    s.take_theirs(portfolio, rev);
                }
            }
            Action::Gone(id) => {
                if id == s.current {
                    s.gone = true;
                    s.conflict = None;
                }
                s.entries.retain(|e| e.id != id || e.id == s.current);
            }
            Action::KeepTheirs => {
                if let Some(conflict) = s.conflict.take() {
                    s.base = conflict.theirs.clone();
                    s.base_rev = Some(conflict.rev);
                    s.undo.clear();
                    s.redo.clear();
                    s.set_portfolio(conflict.theirs);
                }
            }
            Action::KeepAsCopy { id, name } => {
                let mut mine = (*s.portfolio).clone();
                mine.name = name;
                if s.gone {
                    let gone = s.current.clone();
                    s.entries.retain(|e| e.id != gone);
                }
                s.open(id, mine, None);
            }
            Action::Space(space) => s.space = space,
            Action::StageReading(name) => {
                s.staged = Some(Staged::Reading { name, done: 0, total: 0, rows: 0 });
                s.page = Page::Import;
            }
            Action::StageProgress { name, done, total, rows } => {
                s.staged = Some(Staged::Reading { name, done, total, rows });
                s.page = Page::Import;
            }
            Action::StageChecked { name, lines, result, adding, source } => {
                s.staged = Some(match result {
                    Ok((parsed, notes)) => s.stage(name, lines, parsed, notes, adding, source),
                    Err(problems) => s.refuse(name, problems),
                });
                s.page = Page::Import;
            }
            Action::StageMapping { name, text, problems } => {
                let rows = import::preview(&text, 6);
                s.staged = Some(Staged::Mapping { name, text: Rc::new(text), rows: Rc::new(rows), problems: Rc::new(problems) });
                s.page = Page::Import;
            }
            Action::StageRefused { name, problems } => {
                s.staged = Some(s.refuse(name, problems));
                s.page = Page::Import;
            }
            Action::CheckReplace => s.check_replace(),
            Action::Analysing { wanted, done, all } => {
                if wanted == s.analysis_wanted && s.analysing.is_some() {
                    s.analysing = Some((done, all));
                }
            }
            Action::Sensed { rev, robustness } => {
                if rev == s.analysis_rev {
                    s.robustness = Some((rev, Rc::new(robustness)));
                }
            }
            Action::Analysed { portfolio, analysis, by_worker } => {
                // An analysis of a version since left behind is dropped (the next one runs).
                if Rc::ptr_eq(&portfolio, &s.portfolio) {
                    s.set_analysis(portfolio, Rc::new(analysis));
                    s.analysed_by_worker = by_worker;
                }
            }
            Action::ApplyStaged { replace } => s.apply_staged(replace),
            Action::ListMoved { rev } => s.list_moving(rev),
            Action::CancelStaged => {
                if let Some(Staged::Ready { parsed, .. }) = s.staged.take() {
                    super::clock::let_go_rows(parsed);
                }
            }
            Action::Restored { portfolios, replace } => {
                if replace {
                    s.entries.clear();
                }
                let count = portfolios.len();
                for (id, p) in &portfolios {
                    s.entries.push(Entry::new(id.clone(), p.name.clone()));
                }
                if let Some((id, p)) = portfolios.into_iter().next() {
                    s.open(id, p, Some(1));
                }
                s.notices.push(Notice::Restored(count));
            }
            Action::SaveClient { id, fields } => {
                s.edit(Form::Client(id.clone()), Edit::SaveClient { id, fields, locale });
            }
            Action::AddClient { id, name } => {
                let page = Page::Client(id.trim().to_string());
                if s.edit(Form::AddClient, Edit::AddClient { id, name }) {
                    s.page = page;
                }
            }
            Action::DeleteClient(id) => {
                s.edit(Form::Client(id.clone()), Edit::DeleteClient { id });
                s.page = Page::Portfolio;
            }
            Action::SaveRecord { id, period, fields } => {
                s.edit(Form::Record(id.clone()), Edit::SaveRecord { id, period, fields, locale });
            }
            Action::DeleteRecord { id, period } => {
                s.edit(Form::Record(id.clone()), Edit::DeleteRecord { id, period });
            }
            Action::SetSettings(settings) => {
                // Only new score weights: the analysis is re-scored, not redone (see
                // `ready_analysis`).
                if settings != s.portfolio.settings {
                    let mut next = (*s.portfolio).clone();
                    next.settings = settings;
                    s.change(UndoKind::Settings, next);
                }
            }
            Action::StartPlan { client, on, months } => {
                if s.change_with(UndoKind::Plan, |p| plan::start(p, &client, on, months)) {
                    s.page = Page::Plan(client);
                }
            }
            Action::PlanStepDone { client, step, done } => {
                s.change_with(UndoKind::Plan, |p| {
                    plan::set_done(p, &client, step, done);
                    true
                });
            }
            Action::PlanStepEdit { client, step, date, note } => {
                s.change_with(UndoKind::Plan, |p| {
                    plan::edit_step(p, &client, step, date, note);
                    true
                });
            }
            Action::CancelPlan(client) => {
                s.change_with(UndoKind::Plan, |p| {
                    plan::cancel(p, &client);
                    true
                });
                s.page = Page::Plans;
            }
            Action::SaveProspect(prospect) => {
                s.change_with(UndoKind::Prospect, |p| {
                    p.prospects.push(prospect);
                    true
                });
            }
            Action::RemoveProspect(index) => {
                s.change_with(UndoKind::Prospect, |p| {
                    let exists = index < p.prospects.len();
                    if exists {
                        p.prospects.remove(index);
                    }
                    exists
                });
            }
            Action::WinProspect { index, start } => {
                if let Some((next, id)) = edit::win_prospect(&s.portfolio, index, start) {
                    s.change(UndoKind::Prospect, next);
                    s.page = Page::Client(id);
                }
            }
            Action::Undo => s.step(true),
            Action::Redo => s.step(false),
            Action::Notify(notice) => {
                if !s.notices.contains(&notice) {
                    s.notices.push(notice);
                }
            }
            Action::Dismiss(i) => {
                if i < s.notices.len() {
                    s.notices.remove(i);
                }
            }
        }
        Rc::new(s)
    }
}

