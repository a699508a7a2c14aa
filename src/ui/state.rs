//! The app state and its reducer: every user intent is an [`Action`]; `reduce` is pure (no
//! storage calls — persisting happens in one effect keyed on [`AppState::revision`]).

use std::rc::Rc;

use yew::Reducible;

use crate::core::analysis::{analyze, Analysis, Cell, Verdict};
use crate::core::import::{self, Note, Parsed, Problem, Summary};
use crate::core::analysis::prospect::Prospect;
use crate::core::model::{Client, Period, Portfolio, Settings};
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

/// A file being read and checked, or checked and waiting for the user to confirm it.
#[derive(Clone, Debug, PartialEq)]
pub enum Staged {
    /// Being checked: bytes done of total, rows so far.
    Reading { name: String, done: usize, total: usize, rows: usize },
    /// The header was not understood: the user says what each column is.
    Mapping { name: String, text: Rc<String>, rows: Rc<Vec<Vec<String>>>, problems: Rc<Vec<Problem>> },
    /// `lines` is the number of data rows read (a transactions file sums many into few).
    /// Checked: what adding would change, and what replacing would (`None` when replacing
    /// would be refused).
    Ready { name: String, parsed: Rc<Parsed>, summary: Summary, replacing: Option<Summary>, notes: Rc<Vec<Note>>, lines: usize },
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

/// A client a settings change affected: its cell or verdict moved, or its score as shown.
#[derive(Clone, Debug, PartialEq)]
pub struct Moved {
    pub id: String,
    pub name: String,
    pub cell: (Cell, Cell),
    pub verdict: (Verdict, Verdict),
    pub score: (f64, f64),
}

impl Moved {
    /// True when the class or the verdict changed (not only the score).
    pub fn decisive(&self) -> bool {
        self.cell.0 != self.cell.1 || self.verdict.0 != self.verdict.1
    }
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
    /// Open another stored portfolio (loaded by the caller).
    Open { id: String, portfolio: Portfolio },
    /// Create an empty portfolio and switch to it.
    New { name: String },
    Rename(String),
    /// The current portfolio was deleted from storage; open this one instead.
    Deleted { open: Option<(String, Portfolio)>, fallback_name: String },
    StageReading(String),
    StageProgress { name: String, done: usize, total: usize, rows: usize },
    StageChecked { name: String, lines: usize, result: Result<(Parsed, Vec<Note>), Vec<Problem>> },
    StageMapping { name: String, text: String, problems: Vec<Problem> },
    /// A file refused before it was read (too large, unreadable).
    StageRefused { name: String, problems: Vec<Problem> },
    /// Apply the staged file: added to the portfolio, or replacing its clients and records.
    ApplyStaged { replace: bool },
    /// Portfolios restored from a backup (already stored under these ids); open the first.
    Restored { portfolios: Vec<(String, Portfolio)>, replace: bool, next_id: u64 },
    /// A change made and checked in a page (client or record edits).
    Edit(Portfolio),
    CancelStaged,
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
            revision: 0,
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

    fn change(&mut self, kind: UndoKind, next: Portfolio) {
        self.redo.clear();
        self.undo.push(UndoStep { kind, before: self.portfolio.clone() });
        if self.undo.len() > UNDO_DEPTH {
            self.undo.remove(0);
        }
        self.set_portfolio(Rc::new(next));
    }

    fn open(&mut self, id: String, portfolio: Portfolio) {
        if !self.entries.iter().any(|e| e.id == id) {
            self.entries.push(Entry { id: id.clone(), name: portfolio.name.clone() });
        }
        self.current = id;
        self.undo.clear();
        self.redo.clear();
        self.staged = None;
        self.moved = Rc::new(Vec::new());
        self.set_portfolio(Rc::new(portfolio));
    }

    /// A refused file: the notice, and the problems to list.
    fn refuse(&mut self, name: String, problems: Vec<Problem>) -> Staged {
        self.notices.retain(|n| !matches!(n, Notice::Refused(..) | Notice::Imported(_)));
        self.notices.push(Notice::Refused(name.clone(), problems.len()));
        Staged::Refused { name, problems: Rc::new(problems) }
    }

    fn fresh_id(&mut self) -> String {
        self.next_id += 1;
        format!("p{}", self.next_id)
    }
}

/// Clients whose cell, verdict or shown score (one decimal) differ between two analyses of
/// the same clients: class and verdict changes first, then the largest score changes.
pub fn moved(before: &Analysis, after: &Analysis) -> Vec<Moved> {
    let shown = |x: f64| (x * 10.0).round() as i64;
    let mut out: Vec<Moved> = after
        .clients
        .iter()
        .filter_map(|a| {
            let b = before.client(&a.id)?;
            let m = Moved {
                id: a.id.clone(),
                name: a.name.clone(),
                cell: (b.cell, a.cell),
                verdict: (b.decision.verdict, a.decision.verdict),
                score: (b.score.total, a.score.total),
            };
            (m.decisive() || shown(m.score.0) != shown(m.score.1)).then_some(m)
        })
        .collect();
    out.sort_by(|x, y| {
        y.decisive()
            .cmp(&x.decisive())
            .then_with(|| (y.score.1 - y.score.0).abs().total_cmp(&(x.score.1 - x.score.0).abs()))
            .then_with(|| x.id.cmp(&y.id))
    });
    out
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut s = (*self).clone();
        match action {
            Action::SetLang(lang) => {
                s.lang = lang;
                s.revision += 1;
            }
            Action::Go(page) => s.page = page,
            Action::Open { id, portfolio } => {
                s.open(id, portfolio);
                s.page = Page::Portfolio;
            }
            Action::New { name } => {
                let id = s.fresh_id();
                s.open(id, Portfolio::new(name));
                s.page = Page::Portfolio;
            }
            Action::Rename(name) => {
                let mut next = (*s.portfolio).clone();
                next.name = name;
                s.change(UndoKind::Rename, next);
            }
            Action::Deleted { open, fallback_name } => {
                let gone = s.current.clone();
                s.entries.retain(|e| e.id != gone);
                match open {
                    Some((id, portfolio)) => s.open(id, portfolio),
                    None => {
                        let id = s.fresh_id();
                        s.open(id, Portfolio::new(fallback_name));
                    }
                }
                s.page = Page::Portfolio;
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
                let checked = result.and_then(|(parsed, notes)| {
                    import::apply(&s.portfolio, &parsed).map(|(_, summary)| (parsed, summary, notes))
                });
                s.staged = Some(match checked {
                    Ok((parsed, summary, notes)) => {
                        let replacing = import::replace(&s.portfolio, &parsed).ok().map(|(_, summary)| summary);
                        Staged::Ready { name, parsed: Rc::new(parsed), summary, replacing, notes: Rc::new(notes), lines }
                    }
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
            Action::ApplyStaged { replace } => {
                if let Some(Staged::Ready { name, parsed, .. }) = s.staged.take() {
                    let mode = if replace { import::Mode::Replace } else { import::Mode::Add };
                    match import::apply_in(&s.portfolio, &parsed, mode) {
                        Ok((next, _)) => {
                            let before = s.analysis.clone();
                            let settings_changed = next.settings != s.portfolio.settings;
                            s.change(UndoKind::Import(name.clone()), next);
                            if settings_changed {
                                s.moved = Rc::new(moved(&before, &s.analysis));
                            }
                            s.notices.retain(|n| !matches!(n, Notice::Refused(..) | Notice::Imported(_)));
                            s.notices.push(Notice::Imported(name));
                            s.page = Page::Portfolio;
                        }
                        Err(problems) => s.staged = Some(s.refuse(name, problems)),
                    }
                }
            }
            Action::Edit(next) => s.change(UndoKind::Edit, next),
            Action::Restored { portfolios, replace, next_id } => {
                if replace {
                    s.entries.clear();
                }
                s.next_id = s.next_id.max(next_id);
                let count = portfolios.len();
                for (id, p) in &portfolios {
                    s.entries.push(Entry { id: id.clone(), name: p.name.clone() });
                }
                if let Some((id, p)) = portfolios.into_iter().next() {
                    s.open(id, p);
                }
                s.notices.push(Notice::Restored(count));
                s.page = Page::Portfolio;
            }
            Action::CancelStaged => s.staged = None,
            Action::SetSettings(settings) => {
                if settings != s.portfolio.settings {
                    let before = s.analysis.clone();
                    let mut next = (*s.portfolio).clone();
                    next.settings = settings;
                    s.change(UndoKind::Settings, next);
                    s.moved = Rc::new(moved(&before, &s.analysis));
                }
            }
            Action::StartPlan { client, on, months } => {
                let mut next = (*s.portfolio).clone();
                if plan::start(&mut next, &client, on, months) {
                    s.change(UndoKind::Plan, next);
                    s.page = Page::Plan(client);
                }
            }
            Action::PlanStepDone { client, step, done } => {
                let mut next = (*s.portfolio).clone();
                plan::set_done(&mut next, &client, step, done);
                s.change(UndoKind::Plan, next);
            }
            Action::PlanStepEdit { client, step, date, note } => {
                let mut next = (*s.portfolio).clone();
                plan::edit_step(&mut next, &client, step, date, note);
                s.change(UndoKind::Plan, next);
            }
            Action::CancelPlan(client) => {
                let mut next = (*s.portfolio).clone();
                plan::cancel(&mut next, &client);
                s.change(UndoKind::Plan, next);
                s.page = Page::Plans;
            }
            Action::SaveProspect(prospect) => {
                let mut next = (*s.portfolio).clone();
                next.prospects.push(prospect);
                s.change(UndoKind::Prospect, next);
            }
            Action::RemoveProspect(index) => {
                let mut next = (*s.portfolio).clone();
                if index < next.prospects.len() {
                    next.prospects.remove(index);
                    s.change(UndoKind::Prospect, next);
                }
            }
            Action::WinProspect { index, start } => {
                let mut next = (*s.portfolio).clone();
                if index < next.prospects.len() {
                    let prospect = next.prospects.remove(index);
                    // A fresh id from the name, made unique.
                    let base = if prospect.name.trim().is_empty() { "P".to_string() } else { prospect.name.trim().to_string() };
                    let mut id = base.clone();
                    let mut n = 1;
                    while next.clients.contains_key(&id) {
                        n += 1;
                        id = format!("{base} {n}");
                    }
                    let mut client = Client::new(id.clone());
                    client.name = base;
                    client.acquisition_cost = prospect.acquisition_cost;
                    client.start = Some(start);
                    next.clients.insert(id.clone(), client);
                    s.change(UndoKind::Prospect, next);
                    s.page = Page::Client(id);
                }
            }
            Action::Redo => {
                if let Some(step) = s.redo.pop() {
                    s.undo.push(UndoStep { kind: step.kind.clone(), before: s.portfolio.clone() });
                    let before = s.analysis.clone();
                    s.set_portfolio(step.before);
                    s.moved = Rc::new(if step.kind == UndoKind::Settings { moved(&before, &s.analysis) } else { Vec::new() });
                }
            }
            Action::Undo => {
                if let Some(step) = s.undo.pop() {
                    s.redo.push(UndoStep { kind: step.kind.clone(), before: s.portfolio.clone() });
                    let before = s.analysis.clone();
                    s.set_portfolio(step.before);
                    s.moved = Rc::new(if step.kind == UndoKind::Settings { moved(&before, &s.analysis) } else { Vec::new() });
                }
            }
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
