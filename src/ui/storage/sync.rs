//! Keeping tabs in step: one write at a time per tab (the newest state of each portfolio wins
//! a place in the queue), each over the revision its state was built on, and news to and from
//! other tabs on a `BroadcastChannel`.
//!
//! A write names the revision it expects in storage: the one the state's stored version has,
//! or a later one this tab wrote itself (the state always holds what it wrote before). Any
//! other tab's revision in between makes it a conflict, merged by the state, never overwritten.

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

use super::{Meta, Store, WriteError};
use crate::core::model::Portfolio;

/// What happened to a write.
pub enum Outcome {
    /// Stored as this revision.
    Stored { id: String, meta: Meta, portfolio: Rc<Portfolio> },
    /// Another tab stored a newer revision first: nothing was written.
    Conflict { id: String },
    /// The portfolio was deleted elsewhere: nothing was written.
    Gone { id: String },
    Failed { id: String, name: String, error: WriteError },
}

type Done = Rc<dyn Fn(Outcome)>;

struct Job {
    portfolio: Rc<Portfolio>,
    expected: Option<u64>,
    /// The user's changes it holds (a job that waited takes over the one it replaced).
    changes: u32,
    done: Done,
}

#[derive(Default)]
struct Sync {
    store: Option<Rc<Store>>,
    /// The last revision this tab itself wrote, per portfolio.
    own: HashMap<String, u64>,
    /// The portfolio open in this tab (news of others' changes to it are loaded).
    current: String,
    writing: bool,
    queued: BTreeMap<String, Job>,
    channel: Option<web_sys::BroadcastChannel>,
    tab: String,
}

thread_local! {
    static SYNC: RefCell<Sync> = RefCell::new(Sync::default());
}

/// The store, once open.
pub fn store() -> Option<Rc<Store>> {
    SYNC.with(|s| s.borrow().store.clone())
}

pub fn set_store(store: Rc<Store>) {
    SYNC.with(|s| s.borrow_mut().store = Some(store));
}

/// The portfolio open in this tab.
pub fn set_current(id: &str) {
    SYNC.with(|s| {
        if s.borrow().current != id {
            s.borrow_mut().current = id.to_string();
        }
    });
}

pub fn current() -> String {
    SYNC.with(|s| s.borrow().current.clone())
}

/// Forgets a portfolio's queued write (it was deleted).
pub fn forget(id: &str) {
    SYNC.with(|s| {
        s.borrow_mut().queued.remove(id);
    });
}

/// Stores `portfolio` under `id` over revision `expected` (`None`: not stored yet) — or over
/// a later one this tab wrote itself — holding `changes` of the user's changes; `done` hears
/// how it went. While a write is under way,
/// the newest state of each portfolio waits its turn.
pub fn write(id: String, portfolio: Rc<Portfolio>, expected: Option<u64>, changes: u32, done: impl Fn(Outcome) + 'static) {
    let start = SYNC.with(|s| {
        let mut s = s.borrow_mut();
        let waited = s.queued.get(&id).map_or(0, |j| j.changes);
        s.queued.insert(id, Job { portfolio, expected, changes: waited.saturating_add(changes), done: Rc::new(done) });
        !std::mem::replace(&mut s.writing, true)
    });
    if start {
        yew::platform::spawn_local(run());
    }
}

async fn run() {
    loop {
        let next = SYNC.with(|s| {
            let mut s = s.borrow_mut();
            let id = s.queued.keys().next().cloned();
            match id.and_then(|id| s.queued.remove(&id).map(|job| (id, job))) {
                Some((id, job)) => Some((id, job, s.store.clone())),
                None => {
                    s.writing = false;
                    None
                }
            }
        });
        let Some((id, job, store)) = next else { return };
        let Some(store) = store else {
            (job.done)(Outcome::Failed { name: job.portfolio.name.clone(), id, error: WriteError::Other("no storage".into()) });
            continue;
        };
        let now = js_sys::Date::now();
        let own = SYNC.with(|s| s.borrow().own.get(&id).copied());
        let expected = job.expected.max(own);
        match store.save(&id, expected, &job.portfolio, job.changes, now).await {
            Ok(meta) => {
                SYNC.with(|s| s.borrow_mut().own.insert(id.clone(), meta.rev));
                announce(Change::Saved { id: id.clone(), rev: meta.rev });
                (job.done)(Outcome::Stored { id, meta, portfolio: job.portfolio });
            }
            Err(WriteError::Conflict) => {
                // The newer state of this portfolio is built on the other tab's version first.
                SYNC.with(|s| s.borrow_mut().queued.remove(&id));
                (job.done)(Outcome::Conflict { id });
            }
            Err(WriteError::Gone) => {
                SYNC.with(|s| s.borrow_mut().queued.remove(&id));
                (job.done)(Outcome::Gone { id });
            }
            Err(error) => (job.done)(Outcome::Failed { name: job.portfolio.name.clone(), id, error }),
        }
    }
}

/// News between tabs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Change {
    /// A portfolio was stored as a new revision.
    Saved { id: String, rev: u64 },
    /// A portfolio was deleted.
    Removed { id: String },
    /// Portfolios were added or removed at once (a restore).
    Listed,
}

#[derive(Serialize, Deserialize)]
struct Message {
    tab: String,
    change: Change,
}

/// Tells the other tabs.
pub fn announce(change: Change) {
    SYNC.with(|s| {
        let s = s.borrow();
        if let Some(channel) = &s.channel {
            let message = Message { tab: s.tab.clone(), change };
            if let Ok(value) = serde_wasm_bindgen::to_value(&message) {
                let _ = channel.post_message(&value);
            }
        }
    });
}

/// Listens to the other tabs (never to this one's own news).
pub fn listen(on_change: impl Fn(Change) + 'static) {
    let Ok(channel) = web_sys::BroadcastChannel::new("cartera") else { return };
    let tab = format!("{:x}{:x}", js_sys::Date::now() as u64, (js_sys::Math::random() * 1e12) as u64);
    let own = tab.clone();
    let on_message = Closure::<dyn Fn(web_sys::MessageEvent)>::new(move |e: web_sys::MessageEvent| {
        if let Ok(m) = serde_wasm_bindgen::from_value::<Message>(e.data()) {
            if m.tab != own {
                on_change(m.change);
            }
        }
    });
    channel.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
    on_message.forget();
    SYNC.with(|s| {
        let mut s = s.borrow_mut();
        s.tab = tab;
        s.channel = Some(channel);
    });
}

/// A new portfolio id, unique across tabs and never reused: the time and a random part.
pub fn new_id() -> String {
    let time = js_sys::Date::now() as u64;
    let random = (js_sys::Math::random() * 2f64.powi(40)) as u64;
    format!("p{time:x}{random:010x}")
}
