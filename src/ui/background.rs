//! The background worker: how sure the verdicts are ([`Robustness`]), worked out in a Web
//! Worker so that the page never waits on it. The worker runs this same wasm, started by
//! `worker.js` (written next to the app at build time, see `scripts/post-build.mjs`): the
//! app's entry point sees it is in a worker and serves requests ([`serve`]) instead of
//! mounting the page.
//!
//! The worker is kept between requests, with the portfolio it was last sent and its analysis:
//! reading 360,000 records back from their text takes far longer than the analysis itself.
//! A request carries the portfolio as storage writes it ([`snapshot::Pieces`], encoded a slice
//! at a time by storage's encoder) only when its clients or records are not the ones the
//! worker holds; otherwise just the settings (a rate changed: analysed again there, with the
//! same engine, so the same analysis as the page's). The worker works the robustness out in
//! one go, telling its progress every 100 ms, and hands it back as bytes
//! ([`Robustness::to_bytes`]: a copy, no text to parse).
//!
//! One request at a time: a later one waits its turn. Every range of a large portfolio (the
//! export) is split between up to four workers, as many as the machine has cores, each for
//! a run of the clients, and joined ([`Robustness::joined`]). A request no longer wanted stops
//! the workers (and what they held); the next starts others.
//!
//! The analysis itself goes to the worker too when the worker holds the portfolio's clients
//! and records ([`analyse`]): a change of settings, analysed there while
//! the page stays free, handed back as bytes in parts ([`Analysis::to_parts`]) and read back
//! on the page a part at a time (`hook::use_background_analysis`), about five times less work
//! than the analysis.
//! A file just imported into a portfolio the worker holds (or into a small one, sent first) is
//! imported again by the worker, from the same bytes with the same engine ([`derived`]), as
//! soon as the page has checked it ([`prepare`]): the worker then holds what it made, and its
//! analysis. An edit by hand is made again the same way ([`edited`]). The worker keeps the
//! portfolio it made one from, for a preview put away, a file applied in replace mode, or an
//! undo. Any other portfolio it does not hold (one opened) is analysed on the page, a slice at
//! a time: sending it would cost the page its encoding and the worker reading it back, together
//! longer than the analysis (about 5 s against 1.3 s natively at 100,000 clients × 36).
//!
//! The save of a large portfolio the worker holds or makes has its clients and records, the
//! bulk of the stored text, encoded there too ([`encoded`]): the page copies them in and
//! writes them (at 100,000 clients × 36, about 1 s of the page's time instead of 2–3 s).
//!
//! Where no worker starts — the single-file build opened from `file://` has no `worker.js`,
//! and a browser may refuse one — [`sense`] says so and the page works it out itself, a slice
//! at a time (`hook::sense`); after a refusal no worker is tried again in this page.

use std::cell::{Cell, RefCell};
use std::collections::{BTreeMap, VecDeque};
use std::rc::{Rc, Weak};

use js_sys::{Array, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::analysis::robustness::{Robustness, Scope, Sensing};
use crate::core::analysis::{Analysing, Analysis};
use crate::core::model::{Client, Period, PeriodRecord, Portfolio, Settings};
use crate::core::edit::Edit;
use crate::core::{export, import, snapshot};

/// The script that starts a worker, beside `index.html`.
const SCRIPT: &str = "worker.js";

/// How often the worker tells its progress, and the page looks whether it still wants the
/// answer (or its turn) while none comes.
const TELL_MS: f64 = 100.0;

/// No worker could be started, or it stopped without an answer.
#[derive(Debug)]
pub struct Unavailable;

/// Every range of a portfolio of at least this many clients (up to [`SPLIT_UP_TO`]) is worked
/// out by several workers at once where the machine has the cores, each for a run of the
/// clients; of others, by one.
const SPLIT_FROM: usize = 1_000;

/// At most this many workers: each holds a copy of the portfolio.
const MAX_WORKERS: usize = 4;

/// Nor above this many clients: copies of a larger portfolio would take gigabytes.
const SPLIT_UP_TO: usize = 30_000;

thread_local! {
    /// The workers kept between requests (taken out during one).
    static KEPT: RefCell<Option<Pool>> = const { RefCell::new(None) };
    /// A request is under way (the others wait their turn).
    static BUSY: Cell<bool> = const { Cell::new(false) };
    /// A worker was refused here: none is tried again.
    static REFUSED: Cell<bool> = const { Cell::new(false) };
    /// The clients and records the first kept worker holds since its last answer (none once
    /// a request ends early: its workers are stopped), and those it keeps behind.
    static HELD: RefCell<Held> = const { RefCell::new(Held { now: None, before: None }) };
    /// The last file imported, to make its portfolio in a worker that holds the one it was
    /// imported into (until a worker holds what it made).
    static DERIVED: RefCell<Option<Derivation>> = const { RefCell::new(None) };
    /// Every range is being worked out (the export): the request with the turn may take
    /// minutes.
    static EVERY_RANGE: Cell<bool> = const { Cell::new(false) };
    /// Requests other than a save's encoding waiting for their turn.
    static WAITING: Cell<usize> = const { Cell::new(0) };
}

/// A portfolio made from another by importing a file or by an edit: a worker that holds the
/// one it was made from (`base`) makes it again with the same engine, instead of being sent
/// its clients and records. Reading 100,000 clients × 36 months back from their stored text
/// takes a worker more than twice as long as reading and adding the file they came from
/// (natively 4.1 s against 1.7 s), and the page encodes nothing for it.
#[derive(Clone)]
struct Derivation {
    /// What it was made from: kept (it shares its clients and records with the undo
    /// history) to be sent whole to a worker that holds neither.
    base: Portfolio,
    made: Holds,
    change: Change,
    /// The settings of `base` as it was changed (a file is read with their period kind and
    /// number locale).
    reading: Settings,
    /// What it made, checked by the worker: the same engine on the same input makes the same.
    clients: usize,
    records: usize,
}

#[derive(Clone)]
enum Change {
    /// The file's bytes as checked, in the page's JS memory (not the wasm's).
    Import(Uint8Array, import::Mode),
    /// [`Edit::to_bytes`].
    Edit(Uint8Array),
}

/// Notes that `made` is the file `source` imported into `base` in `mode`, read with the
/// period kind and number locale of `reading`: a worker that holds `base` makes it itself.
pub fn derived(base: &Portfolio, made: &Portfolio, source: &Source, mode: import::Mode, reading: &Settings) {
    note(base, made, Change::Import(source.0.clone(), mode), reading);
}

/// Notes that `made` is `edit` made on `base`: a worker that holds `base` makes it itself.
pub fn edited(base: &Portfolio, made: &Portfolio, edit: &Edit) {
    if !REFUSED.get() {
        note(base, made, Change::Edit(Uint8Array::from(&edit.to_bytes()[..])), &base.settings);
    }
}

/// Lets go of the file of an import put away (its bytes can be tens of megabytes).
pub fn forget_import() {
    DERIVED.with_borrow_mut(|d| d.take_if(|d| matches!(d.change, Change::Import(..))));
}

/// A worker never started (the single-file build, a refusal) needs no note.
fn note(base: &Portfolio, made: &Portfolio, change: Change, reading: &Settings) {
    if REFUSED.get() {
        return;
    }
    DERIVED.set(Some(Derivation {
        base: base.clone(),
        made: Holds::of(made),
        change,
        reading: reading.clone(),
        clients: made.clients.len(),
        records: made.record_count(),
    }));
}

/// Has the worker make and analyse `made`, a file imported ([`derived`]), while the user
/// looks at the file's preview: confirmed, its analysis is there at once. The worker keeps
/// what it was imported into behind it ([`Held`]), for a preview put away or a file applied in
/// replace mode instead.
pub fn prepare(made: &Portfolio) {
    if !can_analyse(made) || holds(made) {
        return;
    }
    let made = made.clone();
    wasm_bindgen_futures::spawn_local(async move {
        let _ = request(&made, made.clients.len(), &Job::Hold, &mut |_| {}, &|| true).await;
    });
}

/// The bytes of a file being imported, kept in the page's JS memory for [`derived`].
#[derive(Clone, Debug)]
pub struct Source(Uint8Array);

impl PartialEq for Source {
    fn eq(&self, other: &Source) -> bool {
        Object::is(&self.0, &other.0)
    }
}

/// `bytes` kept as the [`Source`] of an import (none where no worker is started).
pub fn keep_source(bytes: &[u8]) -> Option<Source> {
    (!REFUSED.get()).then(|| Source(Uint8Array::from(bytes)))
}

/// What a request asks of the workers.
#[derive(Clone)]
enum Job {
    Sense(Scope),
    Analyse,
    /// Make and analyse the portfolio, to hold it for the next request (nothing answered).
    Hold,
    /// The clients' and records' parts of its stored text ([`snapshot::Parts`]).
    Encode,
}

/// Whether this wasm runs in a worker (where there is no page to mount).
pub fn in_worker() -> bool {
    Reflect::has(&js_sys::global(), &"WorkerGlobalScope".into()).unwrap_or(false)
}

/// Works out the robustness of the analysis of `portfolio` (of `clients` clients) for `scope`
/// in the background, telling `progress` as it goes: `Ok(None)` as soon as `wanted` says it no
/// longer is, [`Unavailable`] when no worker answers.
pub async fn sense(portfolio: &Portfolio, clients: usize, scope: &Scope, progress: &mut dyn FnMut((usize, usize)), wanted: &dyn Fn() -> bool) -> Result<Option<Robustness>, Unavailable> {
    let Some(answers) = request(portfolio, clients, &Job::Sense(scope.clone()), progress, wanted).await? else { return Ok(None) };
    let read = |parts: Array| Robustness::from_bytes(&parts.get(0).dyn_into::<Uint8Array>().ok()?.to_vec()).filter(|_| parts.length() == 1);
    let mut found = answers.into_iter().map(|(part, bytes)| Some((part, read(bytes)?))).collect::<Option<Vec<_>>>().ok_or(Unavailable)?;
    if found.len() == 1 {
        return Ok(found.pop().map(|(_, r)| r));
    }
    Robustness::joined(found).map(Some).ok_or(Unavailable)
}

/// Whether the worker holds the clients and records of `portfolio`: its analysis is then asked
/// of the worker ([`analyse`]). (Not while it is being sent them: reading 100,000 clients takes
/// the worker longer than the page takes to analyse them.)
pub fn holds(portfolio: &Portfolio) -> bool {
    !REFUSED.get() && HELD.with_borrow(|held| held.slot(portfolio).is_some())
}

/// Whether the worker holds the clients and records of `portfolio`, or can make them from a
/// file imported into a portfolio it holds ([`derived`]): its analysis is then asked of the
/// worker.
/// A portfolio it was imported into that it does not hold is sent first, when small.
pub fn can_analyse(portfolio: &Portfolio) -> bool {
    let small = |p: &Portfolio| p.clients.len() + p.record_count() <= SENT_WITH_A_FILE;
    holds(portfolio) || (!REFUSED.get() && DERIVED.with_borrow(|d| d.as_ref().is_some_and(|d| d.made.data_of(portfolio) && (holds(&d.base) || small(&d.base)))))
}

/// The clients and records of a portfolio sent to the worker with a file imported into it,
/// at most: its encoding is a few milliseconds of the page's time (a new portfolio has none).
const SENT_WITH_A_FILE: usize = 20_000;

/// Analyses `portfolio` (of `clients` clients) in the background worker, telling `progress` as
/// it goes: the parts [`Analysis::to_parts`] wrote, still in the worker's buffers (each copied
/// to the page's memory as it is read: one copy of 100 MB would hold the page for a third of
/// a second while its memory grows); `Ok(None)` as soon as `wanted` says it no longer is,
/// [`Unavailable`] when no worker answers.
pub async fn analyse(portfolio: &Portfolio, clients: usize, progress: &mut dyn FnMut((usize, usize)), wanted: &dyn Fn() -> bool) -> Result<Option<Vec<Uint8Array>>, Unavailable> {
    let answers = request(portfolio, clients, &Job::Analyse, progress, wanted).await?;
    let Some((_, parts)) = answers.and_then(|mut a| a.pop()) else { return Ok(None) };
    parts.iter().map(|p| p.dyn_into::<Uint8Array>().map_err(|_| Unavailable)).collect::<Result<Vec<_>, _>>().map(Some)
}

/// The clients' and records' parts of the stored text of `portfolio` ([`snapshot::Parts`]),
/// encoded by the worker that holds it or can make it, for storage to write without encoding
/// them on the page (about a second of the page's time at 100,000 clients × 36, a slice at a
/// time). `None` when no worker can: the page encodes them itself. A save waits at most
/// [`ENCODE_WAIT_MS`] for the worker's turn, and not on every range worked out (the export).
pub async fn encoded(portfolio: &Portfolio) -> Option<snapshot::Parts> {
    if !can_analyse(portfolio) {
        return None;
    }
    let asked = js_sys::Date::now();
    let wanted = || !EVERY_RANGE.get() && js_sys::Date::now() - asked < ENCODE_WAIT_MS;
    // A portfolio the worker is still to make (a file just imported, an edit) is made and
    // analysed first, for the analysis the page waits on: the encoding comes after it.
    while !holds(portfolio) && can_analyse(portfolio) && wanted() {
        gloo::timers::future::TimeoutFuture::new(TELL_MS as u32).await;
    }
    let answers = request(portfolio, portfolio.clients.len(), &Job::Encode, &mut |_| {}, &wanted).await.ok()??;
    let (_, parts) = answers.into_iter().next()?;
    let bytes = |k: u32| parts.get(k).dyn_into::<Uint8Array>().ok();
    let records_print = u64::from_le_bytes(bytes(2)?.to_vec().try_into().ok()?);
    let parts = snapshot::Parts { clients: text_of(&bytes(0)?).await?, records: text_of(&bytes(1)?).await?, records_print };
    parts.well_formed().then_some(parts)
}

/// How long a save waits for the worker's turn before encoding on the page.
const ENCODE_WAIT_MS: f64 = 10_000.0;

/// The bytes of a text copied to the page's memory at most in one task.
const COPIED_A_TASK: usize = 4 << 20;

/// UTF-8 `bytes` in the page's JS memory as a `String`, copied and checked a slice a task (77 MB
/// of records in one copy would hold the page). `None` if they are not UTF-8.
async fn text_of(bytes: &Uint8Array) -> Option<String> {
    let n = bytes.length() as usize;
    let mut text = String::with_capacity(n);
    let mut slice = Vec::new();
    let mut at = 0;
    while at < n {
        let mut end = (at + COPIED_A_TASK).min(n);
        // Not inside a character: a continuation byte (10xxxxxx) goes with the slice before it.
        while end < n && bytes.get_index(end as u32) & 0xc0 == 0x80 {
            end += 1;
        }
        slice.resize(end - at, 0);
        bytes.subarray(at as u32, end as u32).copy_to(&mut slice);
        text.push_str(std::str::from_utf8(&slice).ok()?);
        at = end;
        if at < n {
            crate::ui::clock::pause().await;
        }
    }
    Some(text)
}

/// The clients of an analysis a part of its bytes, as the worker sends them back.
const CLIENTS_A_PART: usize = 1_000;

/// One request, on its turn: each worker's answer with the run of clients it was given.
async fn request(portfolio: &Portfolio, clients: usize, job: &Job, progress: &mut dyn FnMut((usize, usize)), wanted: &dyn Fn() -> bool) -> Result<Option<Vec<(Vec<usize>, Array)>>, Unavailable> {
    // A save's encoding takes its turn after the requests waiting for theirs: the page waits
    // on those (an analysis, the flips), and the worker does one thing at a time.
    let waiting = (!matches!(job, Job::Encode)).then(Waiting::begin);
    let _turn = loop {
        if REFUSED.get() {
            return Err(Unavailable);
        }
        if let Some(turn) = if waiting.is_some() { Turn::take() } else { Turn::take_after_others() } {
            break turn;
        }
        gloo::timers::future::TimeoutFuture::new(TELL_MS as u32).await;
        if !wanted() {
            return Ok(None);
        }
    };
    drop(waiting);
    // An analysis is asked of a worker that holds the portfolio (or can make it) only: a
    // request before it that was stopped took its workers with it.
    if matches!(job, Job::Analyse | Job::Hold | Job::Encode) && !can_analyse(portfolio) {
        return Err(Unavailable);
    }
    // An encoding taken up is waited for: the save it is for waits on it.
    let wanted: &dyn Fn() -> bool = if matches!(job, Job::Encode) { &|| true } else { wanted };
    EVERY_RANGE.set(matches!(job, Job::Sense(Scope::All)));
    let mut pool = KEPT.take().unwrap_or_default();
    // An analysis, the flips or one client's ranges no longer wanted are let finish, which
    // takes no longer than the analysis on the page would (the flips of 100,000 clients take
    // the worker under half a second): the worker keeps the portfolio for the next request
    // (settings changed twice in a row), which waits its turn meanwhile. Whatever else ends a
    // request early (every range no longer wanted, a failure) stops the workers.
    let let_finish = !matches!(job, Job::Sense(Scope::All));
    let outcome = pool.ask(portfolio, clients, job, progress, if let_finish { &|| true } else { wanted }).await;
    EVERY_RANGE.set(false);
    match outcome {
        Ok(Some(_)) => {
            HELD.set(pool.workers.first().map_or_else(Held::default, |w| w.held.clone()));
            KEPT.set(Some(pool));
            // What the file made is held now: its bytes can go.
            DERIVED.with_borrow_mut(|d| d.take_if(|d| d.made.data_of(portfolio)));
        }
        _ => HELD.set(Held::default()),
    }
    match wanted() {
        true => outcome,
        false => Ok(None),
    }
}

/// A request waiting for its turn, counted in [`WAITING`] until dropped.
pub struct Waiting;

impl Waiting {
    pub fn begin() -> Waiting {
        WAITING.set(WAITING.get() + 1);
        Waiting
    }
}

impl Drop for Waiting {
    fn drop(&mut self) {
        WAITING.set(WAITING.get() - 1);
    }
}

/// The turn of one request; given back when dropped.
pub struct Turn;

impl Turn {
    /// The turn, unless another request has it. (Only a turn given is made: one made and
    /// dropped at once would give back the turn of the request that has it.)
    pub fn take() -> Option<Turn> {
        (!BUSY.replace(true)).then(|| Turn)
    }

    /// The turn, unless another request has it or is [`Waiting`] for it.
    pub fn take_after_others() -> Option<Turn> {
        (WAITING.get() == 0).then(Turn::take).flatten()
    }
}

impl Drop for Turn {
    fn drop(&mut self) {
        BUSY.set(false);
    }
}

/// The workers, and what they said not read yet (by worker).
#[derive(Default)]
struct Pool {
    workers: Vec<Started>,
    inbox: Rc<RefCell<Inbox>>,
}

/// Where one worker's part of a request is.
enum Part<'a> {
    /// Waiting for the worker to be ready, with the request to post then (after the
    /// portfolio's pieces, when it is to be sent them).
    Waiting(Option<&'a snapshot::Pieces>, JsValue),
    Asked { done: usize, all: usize },
    /// With its answer and the work it was, as its last progress told.
    Answered(Array, usize),
}

impl Pool {
    async fn ask(&mut self, portfolio: &Portfolio, clients: usize, job: &Job, progress: &mut dyn FnMut((usize, usize)), wanted: &dyn Fn() -> bool) -> Result<Option<Vec<(Vec<usize>, Array)>>, Unavailable> {
        let wanted_workers = match job {
            Job::Sense(Scope::All) if (SPLIT_FROM..=SPLIT_UP_TO).contains(&clients) => cores().min(MAX_WORKERS),
            _ => 1,
        };
        while self.workers.len() < wanted_workers {
            match Started::new(self.workers.len(), &self.inbox) {
                Ok(worker) => self.workers.push(worker),
                Err(_) => break,
            }
        }
        if self.workers.is_empty() {
            REFUSED.set(true);
            return Err(Unavailable);
        }
        // Which of the workers hold these clients and records already.
        let workers = if wanted_workers > 1 { self.workers.len() } else { 1 };
        let holding: Vec<bool> = self.workers[..workers].iter().map(|w| w.held.slot(portfolio).is_some()).collect();
        let scopes: Vec<Option<(Vec<usize>, Job)>> = match job {
            Job::Sense(Scope::All) if workers > 1 => split(&holding, clients).into_iter().map(|part| part.map(|c| (c.clone(), Job::Sense(Scope::Clients(c))))).collect(),
            _ => vec![Some((Vec::new(), job.clone()))],
        };
        // A worker that does not hold the portfolio makes it from the file it was imported
        // from, into the portfolio it holds (or is sent first); others are sent it whole.
        let derivation = DERIVED.with_borrow(|d| d.as_ref().filter(|d| d.made.data_of(portfolio)).cloned());
        let whole = derivation.as_ref().map_or(portfolio, |d| &d.base);
        // Where each worker starts from, and whether it imports the file then.
        let plans: Vec<(Option<Slot>, bool)> = self.workers[..workers].iter().map(|w| match (w.held.slot(portfolio), &derivation) {
            (Some(slot), _) => (Some(slot), false),
            (None, Some(d)) => (w.held.slot(&d.base), true),
            (None, None) => (None, false),
        }).collect();
        // Encoded once, while new workers load, if any is to be sent it.
        let pieces = match plans.iter().any(|(from, _)| from.is_none()) {
            true => Some(super::storage::encode_here(whole).await),
            false => None,
        };
        let mut parts: Vec<Part> = plans.iter().zip(&scopes).map(|(&(from, imports), part)| {
            let scope = part.as_ref().map(|p| &p.1);
            let request = match (&pieces, from) {
                (Some(pieces), None) => pieces_request(pieces, scope),
                _ => settings_request(&portfolio.settings, scope, from == Some(Slot::Before)),
            };
            let request = match &derivation {
                Some(d) if imports => change_request(request, d, &portfolio.settings),
                _ => request,
            };
            Part::Waiting(pieces.as_ref().filter(|_| from.is_none()), request)
        }).collect();
        let had: Vec<Held> = self.workers[..scopes.len()].iter_mut().map(|w| std::mem::take(&mut w.held)).collect();
        loop {
            for (i, part) in parts.iter_mut().enumerate() {
                if let (Part::Waiting(pieces, request), true) = (&*part, self.workers[i].ready) {
                    let worker = &self.workers[i].worker;
                    // The text, a piece a message: 100 MB copied at once would hold the page.
                    if let Some(pieces) = pieces {
                        for k in 0..pieces.len() {
                            worker.post_message(&message(&[("piece", pieces.get(k).into())])).map_err(|_| Unavailable)?;
                            crate::ui::clock::pause().await;
                        }
                    }
                    worker.post_message(request).map_err(|_| Unavailable)?;
                    *part = Part::Asked { done: 0, all: 0 };
                }
            }
            if parts.iter().all(|p| matches!(p, Part::Answered(..))) {
                break;
            }
            if !wanted() {
                return Ok(None);
            }
            match self.next().await {
                Some((i, Answer::Ready)) => self.workers[i].ready = true,
                Some((i, Answer::Progress(done, all))) => {
                    parts[i] = Part::Asked { done, all };
                    let (done, all) = parts.iter().fold((0, 0), |(d, a), p| match p {
                        Part::Asked { done, all } => (d + done, a + all),
                        Part::Answered(_, all) => (d + all, a + all),
                        Part::Waiting(..) => (d, a),
                    });
                    progress((done, all));
                }
                Some((i, Answer::Done(bytes))) => {
                    let all = match parts[i] {
                        Part::Asked { all, .. } => all,
                        _ => 0,
                    };
                    parts[i] = Part::Answered(bytes, all);
                }
                Some((i, Answer::Failed)) => {
                    // A worker that never came up: the browser refuses them.
                    if !self.workers[i].ready {
                        REFUSED.set(true);
                    }
                    return Err(Unavailable);
                }
                None => {}
            }
        }
        for ((w, had), &(from, imports)) in self.workers.iter_mut().zip(had).zip(&plans) {
            w.held = had.after(from, derivation.as_ref().filter(|_| imports).map(|d| &d.base), portfolio);
        }
        let answered = parts.into_iter().map(|p| match p {
            Part::Answered(bytes, _) => bytes,
            Part::Waiting(..) | Part::Asked { .. } => unreachable!("every part answered"),
        });
        // The workers that only read the portfolio answer nothing to join.
        Ok(Some(scopes.into_iter().zip(answered).filter_map(|(part, bytes)| Some((part?.0, bytes))).collect()))
    }

    /// The next answer of any worker, or `None` after [`TELL_MS`] without one.
    async fn next(&self) -> Option<(usize, Answer)> {
        if let Some(answer) = self.inbox.borrow_mut().answers.pop_front() {
            return Some(answer);
        }
        let inbox = self.inbox.clone();
        let promise = js_sys::Promise::new(&mut |resolve, _| {
            if let Some(window) = web_sys::window() {
                let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, TELL_MS as i32);
            }
            inbox.borrow_mut().wake = Some(resolve);
        });
        let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
        self.inbox.borrow_mut().wake = None;
        self.inbox.borrow_mut().answers.pop_front()
    }
}

/// Every range of `clients` clients split between workers, by whether each `holding` the
/// portfolio already: a run of the clients for each of those that do (for each worker where
/// none does), `None` for the others, which only read the portfolio meanwhile, to hold it for
/// the next request. Reading it takes a worker longer than its part of the ranges at these
/// sizes, so a part given to one that reads it first would come last.
pub fn split(holding: &[bool], clients: usize) -> Vec<Option<Vec<usize>>> {
    let held = holding.iter().filter(|h| **h).count();
    let mut runs = Scope::split(clients, if held > 0 { held } else { holding.len() }).into_iter();
    holding.iter().map(|&h| if h || held == 0 { runs.next() } else { None }).collect()
}

/// The machine's cores, as the browser tells them (1 if it does not).
fn cores() -> usize {
    web_sys::window().map_or(1.0, |w| w.navigator().hardware_concurrency()).max(1.0) as usize
}

/// What the worker's analysis reads of the portfolio it holds: its clients and records, as
/// [`Shared::mark`](crate::core::model::Shared::mark)s (its settings are sent each time).
#[derive(Clone)]
struct Holds {
    clients: Weak<BTreeMap<String, Client>>,
    records: Weak<BTreeMap<String, BTreeMap<Period, PeriodRecord>>>,
}

impl Holds {
    fn of(p: &Portfolio) -> Holds {
        Holds { clients: p.clients.mark(), records: p.records.mark() }
    }

    /// Whether `p` has the clients and records held (its settings may differ).
    fn data_of(&self, p: &Portfolio) -> bool {
        p.clients.is(&self.clients) && p.records.is(&self.records)
    }
}

/// Which of the portfolios a worker holds a request starts from.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Slot {
    Now,
    /// The one the last file or edit it made again went into (see [`Derivation`]), without its
    /// analysis.
    Before,
}

/// The portfolios a worker holds: the one of its last answer, and the one a file or an edit
/// went into to make it, if one did (taken up again after a preview put away, a file applied
/// in replace mode rather than the add mode prepared, or an undo).
#[derive(Clone, Default)]
struct Held {
    now: Option<Holds>,
    before: Option<Holds>,
}

impl Held {
    fn slot(&self, p: &Portfolio) -> Option<Slot> {
        let has = |h: &Option<Holds>| h.as_ref().is_some_and(|h| h.data_of(p));
        match (has(&self.now), has(&self.before)) {
            (true, _) => Some(Slot::Now),
            (false, true) => Some(Slot::Before),
            _ => None,
        }
    }

    /// What the worker holds after answering a request for `portfolio` that started `from`
    /// a slot (or from pieces sent), and imported a file into `base` or not: as `work` keeps
    /// them.
    fn after(self, from: Option<Slot>, base: Option<&Portfolio>, portfolio: &Portfolio) -> Held {
        let before = match from {
            Some(Slot::Now) => self.before,
            Some(Slot::Before) => self.now,
            None => None,
        };
        // The portfolio a file or an edit went into, sent or held, is kept behind.
        Held { now: Some(Holds::of(portfolio)), before: base.map(Holds::of).or(before) }
    }
}

/// What a worker says.
enum Answer {
    Ready,
    Progress(usize, usize),
    /// Its answer's bytes, in parts.
    Done(Array),
    /// It could not read the request, or it failed (its script did not load, it stopped).
    Failed,
}

/// A started worker. Dropped, it is stopped.
struct Started {
    worker: web_sys::Worker,
    ready: bool,
    /// The portfolios it holds, after its last answer.
    held: Held,
    _listeners: [Closure<dyn Fn(JsValue)>; 2],
}

#[derive(Default)]
struct Inbox {
    answers: VecDeque<(usize, Answer)>,
    /// Resolves the wait under way, if any.
    wake: Option<js_sys::Function>,
}

impl Inbox {
    fn push(&mut self, worker: usize, answer: Answer) {
        self.answers.push_back((worker, answer));
        if let Some(wake) = self.wake.take() {
            let _ = wake.call0(&JsValue::NULL);
        }
    }
}

impl Started {
    /// Worker `index`, its answers put in `inbox`.
    fn new(index: usize, inbox: &Rc<RefCell<Inbox>>) -> Result<Started, Unavailable> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(SCRIPT, &options).map_err(|_| Unavailable)?;
        let on_message = {
            let inbox = inbox.clone();
            Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
                let data = event.unchecked_into::<web_sys::MessageEvent>().data();
                inbox.borrow_mut().push(index, answer(&data));
            })
        };
        let on_error = {
            let inbox = inbox.clone();
            Closure::<dyn Fn(JsValue)>::new(move |_| inbox.borrow_mut().push(index, Answer::Failed))
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Started { worker, ready: false, held: Held::default(), _listeners: [on_message, on_error] })
    }
}

impl Drop for Started {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

fn answer(data: &JsValue) -> Answer {
    let get = |key: &str| Reflect::get(data, &key.into()).ok().filter(|v| !v.is_undefined());
    if get("ready").is_some() {
        Answer::Ready
    } else if let Some(parts) = get("parts").filter(Array::is_array) {
        Answer::Done(parts.unchecked_into::<Array>())
    } else if let (Some(done), Some(all)) = (get("done").and_then(|v| v.as_f64()), get("all").and_then(|v| v.as_f64())) {
        Answer::Progress(done as usize, all as usize)
    } else {
        Answer::Failed
    }
}

/// `{pieces, from, to, scope}`, after the pieces (`{piece}` each): how many there are and the
/// range of those holding the records.
fn pieces_request(pieces: &snapshot::Pieces, scope: Option<&Job>) -> JsValue {
    message(&[("pieces", pieces.len().into()), ("from", pieces.records().start.into()), ("to", pieces.records().end.into()), ("scope", scope_value(scope))])
}

/// `request` with the change to make on the portfolio the worker holds or is sent: the file
/// to import and how (`{import, mode}`) or the edit (`{edit}`), the settings of the portfolio
/// as it was changed and the counts of what it makes (`{reading, clients, records}`), and
/// the settings of what it makes.
fn change_request(request: JsValue, d: &Derivation, settings: &Settings) -> JsValue {
    let change = match &d.change {
        Change::Import(source, import::Mode::Add) => [("import", source.clone().into()), ("mode", "add".into())],
        Change::Import(source, import::Mode::Replace) => [("import", source.clone().into()), ("mode", "replace".into())],
        Change::Edit(edit) => [("edit", edit.clone().into()), ("mode", JsValue::UNDEFINED)],
    };
    for (key, value) in change.into_iter().chain([
        ("reading", export::settings_value(&d.reading).to_string().into()),
        ("clients", d.clients.into()),
        ("records", d.records.into()),
        ("settings", export::settings_value(settings).to_string().into()),
    ]) {
        let _ = Reflect::set(&request, &key.into(), &value);
    }
    request
}

/// `{settings, scope}`: of the portfolio the worker holds, with these settings (as a settings
/// file has them).
/// `before`: of the one it keeps behind (`{from: "before"}`, see [`Held`]), else of the last one.
fn settings_request(settings: &Settings, scope: Option<&Job>, before: bool) -> JsValue {
    let from = if before { "before" } else { "now" };
    message(&[("settings", export::settings_value(settings).to_string().into()), ("scope", scope_value(scope)), ("from", from.into())])
}

/// The job as `"analysis"`, or the robustness's scope as `"flips"`, `"all"` or the clients'
/// indices; `"read"` for none: the portfolio only read and analysed, to be held for the next
/// request.
fn scope_value(scope: Option<&Job>) -> JsValue {
    match scope {
        None => JsValue::from_str("read"),
        Some(Job::Analyse) => JsValue::from_str("analysis"),
        Some(Job::Hold) => JsValue::from_str("read"),
        Some(Job::Encode) => JsValue::from_str("encode"),
        Some(Job::Sense(Scope::Flips)) => JsValue::from_str("flips"),
        Some(Job::Sense(Scope::All)) => JsValue::from_str("all"),
        Some(Job::Sense(Scope::Clients(clients))) => Uint32Array::from(&clients.iter().map(|&i| i as u32).collect::<Vec<_>>()[..]).into(),
    }
}

fn message(fields: &[(&str, JsValue)]) -> JsValue {
    let message = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&message, &(*key).into(), value);
    }
    message.into()
}

/// In the worker: answers each request the page posts (see the module's description).
pub fn serve() {
    let global = js_sys::global().unchecked_into::<web_sys::DedicatedWorkerGlobalScope>();
    // The portfolio last sent, and its analysis; and the one the last file or edit went into.
    let held = RefCell::new(None::<(Portfolio, Analysis)>);
    let before = RefCell::new(None::<Portfolio>);
    // The pieces of the portfolio being sent.
    let incoming = RefCell::new(Vec::<String>::new());
    let on_message = {
        let global = global.clone();
        Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            let data = event.unchecked_into::<web_sys::MessageEvent>().data();
            if let Some(piece) = Reflect::get(&data, &"piece".into()).ok().and_then(|p| p.as_string()) {
                return incoming.borrow_mut().push(piece);
            }
            let pieces = std::mem::take(&mut *incoming.borrow_mut());
            let answer = work(&global, &mut held.borrow_mut(), &mut before.borrow_mut(), pieces, &data);
            let _ = match answer {
                Some(parts) => {
                    let parts: Array = parts.iter().map(|p| Uint8Array::from(&p[..])).collect();
                    let buffers: Array = parts.iter().map(|p| p.unchecked_into::<Uint8Array>().buffer()).collect();
                    global.post_message_with_transfer(&message(&[("parts", parts.into())]), &buffers)
                }
                None => global.post_message(&message(&[("failed", JsValue::TRUE)])),
            };
        })
    };
    global.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    let _ = global.post_message(&message(&[("ready", JsValue::TRUE)]));
}

/// One request worked out (with the pieces sent before it): the robustness or the analysis as
/// bytes, in parts (none to a request only to read the portfolio), `None` for a request it cannot read
/// (or settings for a portfolio it does not hold).
fn work(global: &web_sys::DedicatedWorkerGlobalScope, held: &mut Option<(Portfolio, Analysis)>, before: &mut Option<Portfolio>, pieces: Vec<String>, data: &JsValue) -> Option<Vec<Vec<u8>>> {
    let get = |key: &str| Reflect::get(data, &key.into()).ok().filter(|v| !v.is_undefined());
    let scope = get("scope")?;
    let job = match scope.as_string().as_deref() {
        Some("read") => None,
        Some("analysis") => Some(Job::Analyse),
        Some("encode") => Some(Job::Encode),
        Some("flips") => Some(Job::Sense(Scope::Flips)),
        Some("all") => Some(Job::Sense(Scope::All)),
        Some(_) => return None,
        None => Some(Job::Sense(Scope::Clients(scope.dyn_into::<Uint32Array>().ok()?.to_vec().into_iter().map(|i| i as usize).collect()))),
    };
    // The progress of an analysis is told when it is what was asked.
    let analysed = |portfolio: Portfolio| {
        let mut analysing = Analysing::new(&portfolio);
        let (tell, mut since) = (matches!(job, Some(Job::Analyse)), super::clock::within(TELL_MS));
        while analysing.step(1_000) {
            if tell && !since() {
                tell_progress(global, analysing.progress());
                since = super::clock::within(TELL_MS);
            }
        }
        let analysis = analysing.finish();
        (portfolio, analysis)
    };
    // The portfolio: sent whole (its pieces), or the one held with its analysis.
    let (mut portfolio, mut analysis) = match get("pieces") {
        Some(count) => {
            let (count, from, to) = (count.as_f64()? as usize, get("from")?.as_f64()? as usize, get("to")?.as_f64()? as usize);
            *held = None;
            if pieces.len() != count {
                return None;
            }
            *before = None;
            let portfolio = snapshot::decode_pieces(&pieces, from..to).ok()?;
            drop(pieces);
            (portfolio, None)
        }
        // The one a file was imported into, taken up again (its analysis is not kept).
        None if get("from")?.as_string()? == "before" => {
            let now = held.take().map(|(p, _)| p);
            let portfolio = std::mem::replace(before, now)?;
            (portfolio, None)
        }
        None => held.take().map(|(p, a)| (p, Some(a)))?,
    };
    // A file imported into it or an edit, made again here (see `Derivation`); it is kept
    // behind.
    if get("reading").is_some() {
        let made = made_again(&mut portfolio, &get)?;
        *before = Some(std::mem::replace(&mut portfolio, made));
        analysis = None;
    }
    if let Some(settings) = get("settings") {
        let settings = import::settings::parse(&settings.as_string()?).ok()?;
        if portfolio.settings != settings {
            let same_but_weights = Settings { weights: settings.weights, ..portfolio.settings.clone() } == settings;
            // Other score weights change the scores only (as on the page: `Analysis::reweighted`).
            analysis = analysis.filter(|_| same_but_weights).map(|a| a.reweighted(&settings.weights));
            portfolio.settings = settings;
        }
    }
    *held = Some(match analysis {
        Some(analysis) => (portfolio, analysis),
        None => analysed(portfolio),
    });
    let (portfolio, analysis) = held.as_ref()?;
    let scope = match job {
        None | Some(Job::Hold) => return Some(Vec::new()),
        Some(Job::Analyse) => return Some(analysis.to_parts(CLIENTS_A_PART)),
        Some(Job::Encode) => {
            let parts = snapshot::Parts::of(portfolio);
            return Some(vec![parts.clients.into_bytes(), parts.records.into_bytes(), parts.records_print.to_le_bytes().to_vec()]);
        }
        Some(Job::Sense(scope)) => scope,
    };
    let mut sensing = Sensing::new(portfolio, analysis, scope);
    while sensing.step_while(usize::MAX, super::clock::within(TELL_MS)) {
        tell_progress(global, sensing.progress());
    }
    Some(vec![sensing.finish().to_bytes()])
}

/// `base`, with the settings it had when it was changed (`reading`), changed as the request
/// says (see [`change_request`]): the same engine as the page's on the same input, so the same
/// portfolio (and `None` should its counts differ from the page's).
fn made_again(base: &mut Portfolio, get: &dyn Fn(&str) -> Option<JsValue>) -> Option<Portfolio> {
    base.settings = import::settings::parse(&get("reading")?.as_string()?).ok()?;
    let bytes = |key: &str| get(key).and_then(|v| v.dyn_into::<Uint8Array>().ok()).map(|b| b.to_vec());
    let made = match (bytes("import"), bytes("edit")) {
        (Some(file), None) => {
            let mode = match get("mode")?.as_string()?.as_str() {
                "add" => import::Mode::Add,
                "replace" => import::Mode::Replace,
                _ => return None,
            };
            let (parsed, _) = import::Job::start(&file, &base.settings).finish().ok()?;
            import::apply_in(base, &parsed, mode).ok()?.0
        }
        (None, Some(edit)) => Edit::from_bytes(&edit)?.apply(base).ok()?,
        _ => return None,
    };
    let count = |key: &str| get(key).and_then(|v| v.as_f64()).map(|n| n as usize);
    (count("clients")? == made.clients.len() && count("records")? == made.record_count()).then_some(made)
}

/// `{done, all}`, from the worker.
fn tell_progress(global: &web_sys::DedicatedWorkerGlobalScope, (done, all): (usize, usize)) {
    let _ = global.post_message(&message(&[("done", (done as f64).into()), ("all", (all as f64).into())]));
}

