//! The background worker: how sure the verdicts are ([`Robustness`]), worked out in a Web
//! Worker so that the page never waits on it. The worker runs this same wasm, started by
//! `worker.js` (written next to the app at build time, see `scripts/post-build.mjs`): the
//! app's entry point sees it is in a worker and serves requests ([`serve`]) instead of
//! mounting the page.
//!
//! A request is the portfolio as storage writes it ([`snapshot::Pieces`], encoded a slice at a
//! time by storage's encoder, so a settings change encodes nothing again) and the scope. The
//! worker reads the portfolio, analyses it (the same engine: the same analysis as the page's),
//! works the robustness out in one go, telling its progress every 100 ms, and hands it back
//! as bytes ([`Robustness::to_bytes`]: a copy, no text to parse). Each request has a worker of
//! its own, stopped as soon as the answer is in or no longer wanted.
//!
//! Where no worker starts — the single-file build opened from `file://` has no `worker.js`,
//! and a browser may refuse one — [`sense`] says so and the page works it out itself, a slice
//! at a time (`hook::sense`).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use js_sys::{Array, Object, Reflect, Uint32Array, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use crate::core::analysis::analyze;
use crate::core::analysis::robustness::{Robustness, Scope, Sensing};
use crate::core::model::Portfolio;
use crate::core::snapshot;

/// The script that starts a worker, beside `index.html`.
const SCRIPT: &str = "worker.js";

/// How often the worker tells its progress, and the page looks whether it still wants the
/// answer while none comes.
const TELL_MS: f64 = 100.0;

/// No worker could be started, or it stopped without an answer.
#[derive(Debug)]
pub struct Unavailable;

/// Whether this wasm runs in a worker (where there is no page to mount).
pub fn in_worker() -> bool {
    Reflect::has(&js_sys::global(), &"WorkerGlobalScope".into()).unwrap_or(false)
}

/// Works out the robustness of the analysis of `portfolio` for `scope` in a worker, telling
/// `progress` as it goes: `Ok(None)` as soon as `wanted` says it no longer is (the worker is
/// stopped), [`Unavailable`] when no worker answers.
pub async fn sense(portfolio: &Portfolio, scope: &Scope, mut progress: impl FnMut((usize, usize)), wanted: impl Fn() -> bool) -> Result<Option<Robustness>, Unavailable> {
    let worker = Started::new()?;
    // Encoded while the worker loads.
    let pieces = super::storage::encode(portfolio).await;
    if !wanted() {
        return Ok(None);
    }
    loop {
        match worker.next().await {
            Some(Answer::Ready) => break,
            Some(Answer::Failed) => return Err(Unavailable),
            _ if !wanted() => return Ok(None),
            _ => {}
        }
    }
    worker.worker.post_message(&request(&pieces, scope)).map_err(|_| Unavailable)?;
    loop {
        match worker.next().await {
            Some(Answer::Progress(done, all)) => progress((done, all)),
            Some(Answer::Done(bytes)) => return Robustness::from_bytes(&bytes).map(Some).ok_or(Unavailable),
            Some(Answer::Failed) => return Err(Unavailable),
            Some(Answer::Ready) | None => {}
        }
        if !wanted() {
            return Ok(None);
        }
    }
}

/// What a worker says.
enum Answer {
    Ready,
    Progress(usize, usize),
    Done(Vec<u8>),
    /// It could not read the request, or it failed (its script did not load, it stopped).
    Failed,
}

/// A worker started for one request, with what it said not read yet. Dropped, it is stopped.
struct Started {
    worker: web_sys::Worker,
    inbox: Rc<RefCell<Inbox>>,
    _listeners: [Closure<dyn Fn(JsValue)>; 2],
}

#[derive(Default)]
struct Inbox {
    answers: VecDeque<Answer>,
    /// Resolves the wait under way, if any.
    wake: Option<js_sys::Function>,
}

impl Inbox {
    fn push(&mut self, answer: Answer) {
        self.answers.push_back(answer);
        if let Some(wake) = self.wake.take() {
            let _ = wake.call0(&JsValue::NULL);
        }
    }
}

impl Started {
    fn new() -> Result<Started, Unavailable> {
        let options = web_sys::WorkerOptions::new();
        options.set_type(web_sys::WorkerType::Module);
        let worker = web_sys::Worker::new_with_options(SCRIPT, &options).map_err(|_| Unavailable)?;
        let inbox = Rc::new(RefCell::new(Inbox::default()));
        let on_message = {
            let inbox = inbox.clone();
            Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
                let data = event.unchecked_into::<web_sys::MessageEvent>().data();
                inbox.borrow_mut().push(answer(&data));
            })
        };
        let on_error = {
            let inbox = inbox.clone();
            Closure::<dyn Fn(JsValue)>::new(move |_| inbox.borrow_mut().push(Answer::Failed))
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Ok(Started { worker, inbox, _listeners: [on_message, on_error] })
    }

    /// The next answer, or `None` after [`TELL_MS`] without one.
    async fn next(&self) -> Option<Answer> {
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
    } else if let Some(bytes) = get("bytes") {
        Answer::Done(bytes.unchecked_into::<Uint8Array>().to_vec())
    } else if let (Some(done), Some(all)) = (get("done").and_then(|v| v.as_f64()), get("all").and_then(|v| v.as_f64())) {
        Answer::Progress(done as usize, all as usize)
    } else {
        Answer::Failed
    }
}

/// `{pieces, from, to, scope}`: the pieces' texts, the range of those holding the records, and
/// the scope as `"flips"`, `"all"` or the clients' indices.
fn request(pieces: &snapshot::Pieces, scope: &Scope) -> JsValue {
    let texts: Array = (0..pieces.len()).map(|k| JsValue::from_str(pieces.get(k))).collect();
    let scope = match scope {
        Scope::Flips => JsValue::from_str("flips"),
        Scope::All => JsValue::from_str("all"),
        Scope::Clients(clients) => Uint32Array::from(&clients.iter().map(|&i| i as u32).collect::<Vec<_>>()[..]).into(),
    };
    let message = Object::new();
    for (key, value) in [("pieces", texts.into()), ("from", pieces.records().start.into()), ("to", pieces.records().end.into()), ("scope", scope)] {
        let _ = Reflect::set(&message, &key.into(), &value);
    }
    message.into()
}

/// In the worker: answers each request the page posts (see the module's description).
pub fn serve() {
    let global = js_sys::global().unchecked_into::<web_sys::DedicatedWorkerGlobalScope>();
    let on_message = {
        let global = global.clone();
        Closure::<dyn Fn(JsValue)>::new(move |event: JsValue| {
            let data = event.unchecked_into::<web_sys::MessageEvent>().data();
            work(&global, &data);
        })
    };
    global.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    post(&global, &[("ready", JsValue::TRUE)]);
}

fn post(global: &web_sys::DedicatedWorkerGlobalScope, fields: &[(&str, JsValue)]) {
    let message = Object::new();
    for (key, value) in fields {
        let _ = Reflect::set(&message, &(*key).into(), value);
    }
    let _ = global.post_message(&message);
}

/// One request worked out, its answer posted.
fn work(global: &web_sys::DedicatedWorkerGlobalScope, data: &JsValue) {
    let Some((pieces, records, scope)) = read_request(data) else {
        return post(global, &[("failed", JsValue::TRUE)]);
    };
    let Ok(portfolio) = snapshot::decode_pieces(&pieces, records) else {
        return post(global, &[("failed", JsValue::TRUE)]);
    };
    drop(pieces);
    let analysis = analyze(&portfolio);
    let mut sensing = Sensing::new(&portfolio, &analysis, scope);
    loop {
        let more = sensing.step_while(usize::MAX, super::clock::within(TELL_MS));
        if !more {
            break;
        }
        let (done, all) = sensing.progress();
        post(global, &[("done", (done as f64).into()), ("all", (all as f64).into())]);
    }
    let bytes = Uint8Array::from(&sensing.finish().to_bytes()[..]);
    let message = Object::new();
    let _ = Reflect::set(&message, &"bytes".into(), &bytes);
    let _ = global.post_message_with_transfer(&message, &Array::of1(&bytes.buffer()));
}

fn read_request(data: &JsValue) -> Option<(Vec<String>, std::ops::Range<usize>, Scope)> {
    let get = |key: &str| Reflect::get(data, &key.into()).ok();
    let pieces = get("pieces")?.dyn_into::<Array>().ok()?.iter().map(|p| p.as_string()).collect::<Option<Vec<_>>>()?;
    let (from, to) = (get("from")?.as_f64()? as usize, get("to")?.as_f64()? as usize);
    let scope = get("scope")?;
    let scope = match scope.as_string().as_deref() {
        Some("flips") => Scope::Flips,
        Some("all") => Scope::All,
        Some(_) => return None,
        None => Scope::Clients(scope.dyn_into::<Uint32Array>().ok()?.to_vec().into_iter().map(|i| i as usize).collect()),
    };
    Some((pieces, from..to, scope))
}
