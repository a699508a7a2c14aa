//! The app state and its reducer. Every user intent is an [`Action`]; `reduce` is pure — it
//! calls the engine (`core`) and never storage. What the browser must do around an intent
//! (read storage, mint an id, persist) happens in the [`hook`](super::hook) that dispatches it.

use std::rc::Rc;

use yew::Reducible;

use crate::core::analysis::prospect::Prospect;
use crate::core::analysis::view::{self, Moved};
use crate::core::analysis::{analyze, Analysis};
use crate::core::edit::{self, ClientFields};
use crate::core::import::{self, Mode, Note, Parsed, Problem, Summary};
use crate::core::model::{Period, Portfolio, Settings};
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
    /// Checked, and applied once in each mode to `base` (the portfolio it was checked
    /// against): confirming takes the chosen outcome as it is. `lines` is the number of data
    /// rows read (a transactions file sums many into few); `replacing` is `None` when
    /// replacing would be refused.
    Ready {
        name: String,
        parsed: Rc<Parsed>,
        base: Rc<Portfolio>,
        adding: Rc<Outcome>,
        replacing: Option<Rc<Outcome>>,
        notes: Rc<Vec<Note>>,
        lines: usize,
    },
    Refused { name: String, problems: Rc<Vec<Problem>> },
}

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
    pub entries: Vec<Entry>,
    pub current: String,
    pub next_id: u64,
    pub portfolio: Rc<Portfolio>,
    pub analysis: Rc<Analysis>,
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
    /// Open a stored portfolio (read by the hook).
    Open { id: String, portfolio: Portfolio },
    /// Create an empty portfolio under a fresh id and switch to it.
    New { id: String, name: String },
    Rename(String),
    /// The current portfolio was deleted from storage; open this one instead.
    Deleted { open: (String, Portfolio) },
    StageReading(String),
    StageProgress { name: String, done: usize, total: usize, rows: usize },
    StageChecked { name: String, lines: usize, result: Result<(Parsed, Vec<Note>), Vec<Problem>> },
    StageMapping { name: String, text: String, problems: Vec<Problem> },
    /// A file refused before it was read (too large, unreadable).
    StageRefused { name: String, problems: Vec<Problem> },
    /// Apply the staged file: added to the portfolio, or replacing its clients and records.
    ApplyStaged { replace: bool },
    CancelStaged,
    /// Portfolios restored from a backup (already stored under these ids); open the first.
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

impl AppState {
    /// A state showing `portfolio` as the current one.
    pub fn new(lang: Lang, entries: Vec<Entry>, current: String, next_id: u64, portfolio: Portfolio) -> AppState {
        let portfolio = Rc::new(portfolio);
        AppState {
            lang,
            entries,
            current,
            next_id,
            analysis: Rc::new(analyze(&portfolio)),
            portfolio,
            undo: Vec::new(),
            redo: Vec::new(),
            page: Page::Portfolio,
            staged: None,
            notices: Vec::new(),
            moved: Rc::new(Vec::new()),
            refused_form: None,
            revision: 0,
        }
    }

    /// The problems of `form`'s last refused submission (none when it was accepted since).
    pub fn form_problems(&self, form: &Form) -> Rc<Vec<Problem>> {
        match &self.refused_form {
            Some((f, problems)) if f == form => problems.clone(),
            _ => Rc::new(Vec::new()),
        }
    }

    fn set_portfolio(&mut self, portfolio: Rc<Portfolio>) {
        self.analysis = Rc::new(analyze(&portfolio));
        if let Some(e) = self.entries.iter_mut().find(|e| e.id == self.current) {
            e.name = portfolio.name.clone();
        }
        self.portfolio = portfolio;
        self.revision += 1;
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
        let before = self.analysis.clone();
        self.set_portfolio(Rc::new(next));
        if settings_changed {
            self.moved = Rc::new(view::moved(&before, &self.analysis));
        }
    }

    /// A change an engine edit made, or the problems that refused it (kept for `form`).
    fn edit(&mut self, form: Form, result: Result<Portfolio, Vec<Problem>>) -> bool {
        match result {
            Ok(next) => {
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
            let before = self.analysis.clone();
            self.set_portfolio(step.before);
            // Taking back a settings change lists who moved back; any other step, nobody.
            self.moved = Rc::new(if step.kind == UndoKind::Settings { view::moved(&before, &self.analysis) } else { Vec::new() });
        }
    }

    fn open(&mut self, id: String, portfolio: Portfolio) {
        if !self.entries.iter().any(|e| e.id == id) {
            self.entries.push(Entry { id: id.clone(), name: portfolio.name.clone() });
        }
        self.current = id;
        self.undo.clear();
        self.redo.clear();
        self.staged = None;
        self.refused_form = None;
        self.moved = Rc::new(Vec::new());
        self.set_portfolio(Rc::new(portfolio));
        self.page = Page::Portfolio;
    }

    /// Remembers that ids up to `p{n}` are taken.
    fn saw_id(&mut self, id: &str) {
        if let Some(n) = id.strip_prefix('p').and_then(|n| n.parse::<u64>().ok()) {
            self.next_id = self.next_id.max(n);
        }
    }

    /// A refused file: the notice, and the problems to list.
    fn refuse(&mut self, name: String, problems: Vec<Problem>) -> Staged {
        self.notices.retain(|n| !matches!(n, Notice::Refused(..) | Notice::Imported(_)));
        self.notices.push(Notice::Refused(name.clone(), problems.len()));
        Staged::Refused { name, problems: Rc::new(problems) }
    }

    /// A checked file applied once in each mode, for the preview and the confirmation.
    fn stage(&mut self, name: String, lines: usize, parsed: Parsed, notes: Vec<Note>) -> Staged {
        let outcome = |mode| import::apply_in(&self.portfolio, &parsed, mode).map(|(portfolio, summary)| Rc::new(Outcome { portfolio, summary }));
        match outcome(Mode::Add) {
            Ok(adding) => {
                let replacing = outcome(Mode::Replace).ok();
                Staged::Ready { name, parsed: Rc::new(parsed), base: self.portfolio.clone(), adding, replacing, notes: Rc::new(notes), lines }
            }
            Err(problems) => self.refuse(name, problems),
        }
    }

    fn apply_staged(&mut self, replace: bool) {
        let Some(Staged::Ready { name, parsed, base, adding, replacing, .. }) = self.staged.take() else { return };
        let chosen = if replace { replacing } else { Some(adding) };
        // The outcome holds while the portfolio is the one it was checked against; after an
        // undo in between, the file is applied to the portfolio as it is now.
        let result = match chosen {
            Some(outcome) if Rc::ptr_eq(&base, &self.portfolio) => Ok(outcome.portfolio.clone()),
            _ => import::apply_in(&self.portfolio, &parsed, if replace { Mode::Replace } else { Mode::Add }).map(|(p, _)| p),
        };
        match result {
            Ok(next) => {
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
            Action::Open { id, portfolio } => s.open(id, portfolio),
            Action::New { id, name } => {
                s.saw_id(&id);
                s.open(id, Portfolio::new(name));
            }
            Action::Rename(name) => {
                s.change_with(UndoKind::Rename, |p| {
                    p.name = name;
                    true
                });
            }
            Action::Deleted { open: (id, portfolio) } => {
                let gone = s.current.clone();
                s.entries.retain(|e| e.id != gone);
                s.saw_id(&id);
                s.open(id, portfolio);
            }
            Action::StageReading(name) => {
                s.staged = Some(Staged::Reading { name, done: 0, total: 0, rows: 0 });
                s.page = Page::Import;
            }
            Action::StageProgress { name, done, total, rows } => {
                s.staged = Some(Staged::Reading { name, done, total, rows });
                s.page = Page::Import;
            }
            Action::StageChecked { name, lines, result } => {
                s.staged = Some(match result {
                    Ok((parsed, notes)) => s.stage(name, lines, parsed, notes),
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
            Action::ApplyStaged { replace } => s.apply_staged(replace),
            Action::CancelStaged => s.staged = None,
            Action::Restored { portfolios, replace } => {
                if replace {
                    s.entries.clear();
                }
                let count = portfolios.len();
                for (id, p) in &portfolios {
                    s.saw_id(id);
                    s.entries.push(Entry { id: id.clone(), name: p.name.clone() });
                }
                if let Some((id, p)) = portfolios.into_iter().next() {
                    s.open(id, p);
                }
                s.notices.push(Notice::Restored(count));
            }
            Action::SaveClient { id, fields } => {
                let result = edit::save_client(&s.portfolio, &id, &fields, locale);
                s.edit(Form::Client(id), result);
            }
            Action::AddClient { id, name } => {
                let result = edit::add_client(&s.portfolio, &id, &name);
                if s.edit(Form::AddClient, result) {
                    s.page = Page::Client(id.trim().to_string());
                }
            }
            Action::DeleteClient(id) => {
                let next = edit::delete_client(&s.portfolio, &id);
                s.change(UndoKind::Edit, next);
                s.page = Page::Portfolio;
            }
            Action::SaveRecord { id, period, fields } => {
                let result = edit::save_record(&s.portfolio, &id, &period, &fields, locale);
                s.edit(Form::Record(id), result);
            }
            Action::DeleteRecord { id, period } => {
                let next = edit::delete_record(&s.portfolio, &id, period);
                s.change(UndoKind::Edit, next);
            }
            Action::SetSettings(settings) => {
                s.change_with(UndoKind::Settings, |p| {
                    let changed = p.settings != settings;
                    p.settings = settings;
                    changed
                });
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
