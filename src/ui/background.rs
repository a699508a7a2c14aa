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
//! A portfolio it does not hold (just imported or edited) is analysed on the page, a slice at a
//! time: sending it would cost the page its encoding and the worker reading it back, together
//! longer than the analysis (about 5 s against 1.3 s natively at 100,000 clients × 36).
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
    /// a request ends early: its workers are stopped).
    static HELD: RefCell<Option<Holds>> = const { RefCell::new(None) };
}

/// What a request asks of the workers.
#[derive(Clone)]
enum Job {
    Sense(Scope),
    Analyse,
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
    !REFUSED.get() && HELD.with_borrow(|held| held.as_ref().is_some_and(|h| h.data_of(portfolio)))
}

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

/// The clients of an analysis a part of its bytes, as the worker sends them back.
const CLIENTS_A_PART: usize = 1_000;

/// One request, on its turn: each worker's answer with the run of clients it was given.
async fn request(portfolio: &Portfolio, clients: usize, job: &Job, progress: &mut dyn FnMut((usize, usize)), wanted: &dyn Fn() -> bool) -> Result<Option<Vec<(Vec<usize>, Array)>>, Unavailable> {
    let _turn = loop {
        if REFUSED.get() {
            return Err(Unavailable);
        }
        if let Some(turn) = Turn::take() {
            break turn;
        }
        gloo::timers::future::TimeoutFuture::new(TELL_MS as u32).await;
        if !wanted() {
            return Ok(None);
        }
    };
    let analysis = matches!(job, Job::Analyse);
    // An analysis is asked of a worker that holds the portfolio only: a request before it that
    // was stopped took its workers with it.
    if analysis && !holds(portfolio) {
        return Err(Unavailable);
    }
    let mut pool = KEPT.take().unwrap_or_default();
    // An analysis no longer wanted is let finish, which takes no longer than the analysis on
    // the page would: the worker keeps the portfolio for the next request (settings changed
    // twice in a row), which waits its turn meanwhile. Whatever else ends a request early
    // (not wanted, failed) stops the workers.
    let outcome = pool.ask(portfolio, clients, job, progress, if analysis { &|| true } else { wanted }).await;
    match outcome {
        Ok(Some(_)) => {
            HELD.set(Some(Holds::of(portfolio)));
            KEPT.set(Some(pool));
        }
        _ => HELD.set(None),
    }
    match wanted() {
        true => outcome,
        false => Ok(None),
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
        let holding: Vec<bool> = self.workers[..workers].iter().map(|w| w.holds.as_ref().is_some_and(|h| h.data_of(portfolio))).collect();
        let scopes: Vec<Option<(Vec<usize>, Job)>> = match job {
            Job::Sense(Scope::All) if workers > 1 => split(&holding, clients).into_iter().map(|part| part.map(|c| (c.clone(), Job::Sense(Scope::Clients(c))))).collect(),
            _ => vec![Some((Vec::new(), job.clone()))],
        };
        // Encoded once, while new workers load, if any does not.
        let pieces = match holding.iter().all(|&h| h) {
            true => None,
            false => Some(super::storage::encode(portfolio).await),
        };
        let mut parts: Vec<Part> = holding.iter().zip(&scopes).map(|(&holds, part)| {
            let scope = part.as_ref().map(|p| &p.1);
            match &pieces {
                Some(pieces) if !holds => Part::Waiting(Some(pieces), pieces_request(pieces, scope)),
                _ => Part::Waiting(None, settings_request(&portfolio.settings, scope)),
            }
        }).collect();
        for w in &mut self.workers[..scopes.len()] {
            w.holds = None;
        }
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
        for w in &mut self.workers[..scopes.len()] {
            w.holds = Some(Holds::of(portfolio));
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
    /// The portfolio it holds, after its last answer.
    holds: Option<Holds>,
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
        Ok(Started { worker, ready: false, holds: None, _listeners: [on_message, on_error] })
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

/// `{settings, scope}`: of the portfolio the worker holds, with these settings (as a settings
/// file has them).
fn settings_request(settings: &Settings, scope: Option<&Job>) -> JsValue {
    message(&[("settings", export::settings_value(settings).to_string().into()), ("scope", scope_value(scope))])
}

/// The job as `"analysis"`, or the robustness's scope as `"flips"`, `"all"` or the clients'
/// indices; `"read"` for none: the portfolio only read and analysed, to be held for the next
/// request.
fn scope_value(scope: Option<&Job>) -> JsValue {
    match scope {
        None => JsValue::from_str("read"),
        Some(Job::Analyse) => JsValue::from_str("analysis"),
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
    // The portfolio last sent, and its analysis.
    let held = RefCell::new(None::<(Portfolio, Analysis)>);
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
            let answer = work(&global, &mut held.borrow_mut(), pieces, &data);
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
fn work(global: &web_sys::DedicatedWorkerGlobalScope, held: &mut Option<(Portfolio, Analysis)>, pieces: Vec<String>, data: &JsValue) -> Option<Vec<Vec<u8>>> {
    let get = |key: &str| Reflect::get(data, &key.into()).ok().filter(|v| !v.is_undefined());
    let scope = get("scope")?;
    let job = match scope.as_string().as_deref() {
        Some("read") => None,
        Some("analysis") => Some(Job::Analyse),
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
    if let Some(settings) = get("settings") {
        let settings = import::settings::parse(&settings.as_string()?).ok()?;
        let (portfolio, analysis) = held.as_ref()?;
        if portfolio.settings != settings {
            let same_but_weights = Settings { weights: settings.weights, ..portfolio.settings.clone() } == settings;
            let portfolio = Portfolio { settings, ..portfolio.clone() };
            // Other score weights change the scores only (as on the page: `Analysis::reweighted`).
            *held = Some(match same_but_weights {
                true => {
                    let analysis = analysis.reweighted(&portfolio.settings.weights);
                    (portfolio, analysis)
                }
                false => analysed(portfolio),
            });
        }
    } else {
        let (count, from, to) = (get("pieces")?.as_f64()? as usize, get("from")?.as_f64()? as usize, get("to")?.as_f64()? as usize);
        *held = None;
        if pieces.len() != count {
            return None;
        }
        let portfolio = snapshot::decode_pieces(&pieces, from..to).ok()?;
        drop(pieces);
        *held = Some(analysed(portfolio));
    }
    let (portfolio, analysis) = held.as_ref()?;
    let scope = match job {
        None => return Some(Vec::new()),
        Some(Job::Analyse) => return Some(analysis.to_parts(CLIENTS_A_PART)),
        Some(Job::Sense(scope)) => scope,
    };
    let mut sensing = Sensing::new(portfolio, analysis, scope);
    while sensing.step_while(usize::MAX, super::clock::within(TELL_MS)) {
        tell_progress(global, sensing.progress());
    }
    Some(vec![sensing.finish().to_bytes()])
}

/// `{done, all}`, from the worker.
fn tell_progress(global: &web_sys::DedicatedWorkerGlobalScope, (done, all): (usize, usize)) {
    let _ = global.post_message(&message(&[("done", (done as f64).into()), ("all", (all as f64).into())]));
}
