//! The IndexedDB backend: two object stores keyed by portfolio id, `meta` (a small JSON record:
//! name, revision, changes since the last backup) and `snap` (the portfolio's snapshot).
//! A commit is one read-write transaction over both: the revision check and every write happen
//! inside it, so two tabs' commits never interleave and a crash leaves the old version or the
//! new one, never a mix.
//!
//! A snapshot is stored under its id either whole, as one text (the first layout, still read),
//! or as a small record `{pieces: n, records: [a, b], print}` with its [`Pieces`] under the
//! keys `[id, 0]` … `[id, n − 1]`. Each piece is written, and read, by a request of its own in
//! the one transaction — a request issued once the last has succeeded, in its own task — so
//! that 100 MB of text never goes through the page at once.
//!
//! `print` is the fingerprint of the records' text ([`Pieces::records_print`]). A save whose
//! records have the fingerprint and the range of those stored, all of whose pieces are there,
//! leaves those pieces as they are and writes the others: a setting, a plan or a name changed
//! in a portfolio of 100,000 clients writes a few kilobytes, not 77 MB (copying that text into
//! the database took the page about 0.4 s). Anything else is written whole, as before.

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::{Check, Snap, Stored, Write, WriteError};
use crate::core::snapshot::Pieces;

const DB_NAME: &str = "cartera";
const DB_VERSION: u32 = 1;
pub const META: &str = "meta";
pub const SNAP: &str = "snap";

/// An open database.
pub struct Db {
    db: IdbDatabase,
}

/// A promise settled by a request's success (with its result) or error.
fn request(req: &IdbRequest) -> JsFuture {
    let req = req.clone();
    JsFuture::from(Promise::new(&mut |resolve: Function, reject: Function| {
        let done = req.clone();
        let ok = Closure::once_into_js(move || {
            let _ = resolve.call1(&JsValue::NULL, &done.result().unwrap_or(JsValue::UNDEFINED));
        });
        let failed = req.clone();
        let err = Closure::once_into_js(move || {
            let e = failed.error().ok().flatten().map_or(JsValue::from_str("error"), JsValue::from);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    }))
}

/// The name of a DOM exception (`QuotaExceededError`, …), or of anything else thrown.
pub fn error_name(e: &JsValue) -> String {
    e.dyn_ref::<web_sys::DomException>().map_or_else(|| format!("{e:?}"), |d| d.name())
}

impl Db {
    /// Opens (creating on first use) the database; `Err` where IndexedDB is unavailable (some
    /// private modes, sandboxed frames).
    pub async fn open() -> Result<Db, JsValue> {
        let factory = web_sys::window()
            .ok_or(JsValue::NULL)?
            .indexed_db()?
            .ok_or_else(|| JsValue::from_str("no IndexedDB"))?;
        let req = factory.open_with_u32(DB_NAME, DB_VERSION)?;
        let upgrade = {
            let req = req.clone();
            Closure::once_into_js(move || {
                if let Ok(db) = req.result().and_then(|r| r.dyn_into::<IdbDatabase>()) {
                    let names = db.object_store_names();
                    for store in [META, SNAP] {
                        if !names.contains(store) {
                            let _ = db.create_object_store(store);
                        }
                    }
                }
            })
        };
        req.set_onupgradeneeded(Some(upgrade.unchecked_ref()));
        let db: IdbDatabase = request(&req).await?.dyn_into()?;
        // Another tab upgrading the database later asks this one to let go.
        let closing = db.clone();
        let on_version = Closure::<dyn Fn()>::new(move || closing.close());
        db.set_onversionchange(Some(on_version.as_ref().unchecked_ref()));
        on_version.forget();
        Ok(Db { db })
    }

    fn store(&self, name: &str, mode: IdbTransactionMode) -> Result<(IdbTransaction, IdbObjectStore), JsValue> {
        let tx = self.db.transaction_with_str_and_mode(name, mode)?;
        let store = tx.object_store(name)?;
        Ok((tx, store))
    }

    /// The text stored under `key` in `store`.
    pub async fn get(&self, store: &str, key: &str) -> Result<Option<String>, JsValue> {
        let (_, s) = self.store(store, IdbTransactionMode::Readonly)?;
        let value = request(&s.get(&JsValue::from_str(key))?).await?;
        Ok(value.as_string())
    }

    /// Every key of `store`, and each one's text (`None` where it is not text).
    pub async fn all(&self, store: &str) -> Result<Vec<(String, Option<String>)>, JsValue> {
        let (_, s) = self.store(store, IdbTransactionMode::Readonly)?;
        let keys = request(&s.get_all_keys()?);
        let values = request(&s.get_all()?);
        let (keys, values): (Array, Array) = (keys.await?.dyn_into()?, values.await?.dyn_into()?);
        Ok(keys.iter().zip(values.iter()).filter_map(|(k, v)| Some((k.as_string()?, v.as_string()))).collect())
    }

    /// Every key of `store`.
    pub async fn keys(&self, store: &str) -> Result<Vec<String>, JsValue> {
        let (_, s) = self.store(store, IdbTransactionMode::Readonly)?;
        let keys: Array = request(&s.get_all_keys()?).await?.dyn_into()?;
        Ok(keys.iter().filter_map(|k| k.as_string()).collect())
    }

    /// A snapshot as it is stored: whole, or its pieces (read in one transaction, so they are
    /// of one version). With a piece missing or not text, it is the pieces that are there,
    /// known not to read (kept and offered as they are).
    pub async fn snapshot(&self, id: &str) -> Result<Option<Stored>, JsValue> {
        let (_, s) = self.store(SNAP, IdbTransactionMode::Readonly)?;
        let value = request(&s.get(&JsValue::from_str(id))?).await?;
        if let Some(text) = value.as_string() {
            return Ok(Some(Stored::Whole(text)));
        }
        let Some((n, records)) = layout(&value) else { return Ok(None) };
        let mut pieces = Vec::with_capacity(n);
        let mut whole = true;
        for k in 0..n {
            // Issued once the last piece is read: each piece is a task of its own.
            match request(&s.get(&piece_key(id, k))?).await?.as_string() {
                Some(piece) => pieces.push(piece),
                None => whole = false,
            }
        }
        Ok(Some(if whole { Stored::Pieces { pieces, records } } else { Stored::Incomplete(pieces.concat()) }))
    }

    /// Applies `writes` in one transaction, after `check` holds on the stored meta record (read
    /// in the same transaction). Nothing is written when the check fails or a write does not
    /// fit.
    pub async fn commit(&self, check: Option<Check>, writes: Vec<Write>) -> Result<(), WriteError> {
        let other = |e: JsValue| WriteError::from_name(&error_name(&e));
        let tx = self
            .db
            .transaction_with_str_sequence_and_mode(&Array::of2(&META.into(), &SNAP.into()), IdbTransactionMode::Readwrite)
            .map_err(other)?;
        let done = {
            let tx = tx.clone();
            JsFuture::from(Promise::new(&mut |resolve: Function, _reject: Function| {
                let ok = resolve.clone();
                let complete = Closure::once_into_js(move || {
                    let _ = ok.call1(&JsValue::NULL, &JsValue::TRUE);
                });
                let abort = Closure::once_into_js(move || {
                    let _ = resolve.call1(&JsValue::NULL, &JsValue::FALSE);
                });
                tx.set_oncomplete(Some(complete.unchecked_ref()));
                tx.set_onabort(Some(abort.unchecked_ref()));
            }))
        };
        let refusal = apply(&tx, check, writes).await.err();
        if refusal.is_some() {
            let _ = tx.abort();
        }
        let completed = done.await.map(|v| v.is_truthy()).unwrap_or(false);
        if completed && refusal.is_none() {
            return Ok(());
        }
        Err(refusal.unwrap_or_else(|| WriteError::from_name(&tx.error().map_or_else(String::new, |e| e.name()))))
    }
}

/// The key of a snapshot's `k`th piece.
fn piece_key(id: &str, k: usize) -> JsValue {
    Array::of2(&JsValue::from_str(id), &JsValue::from_f64(k as f64)).into()
}

/// Every piece key of a snapshot: from `[id]` up to `[id, []]` (an array sorts after every
/// number).
fn pieces_of(id: &str) -> Result<JsValue, JsValue> {
    let id = JsValue::from_str(id);
    Ok(IdbKeyRange::bound(&Array::of1(&id), &Array::of2(&id, &Array::new()))?.into())
}

thread_local! {
    /// Pieces written by this page so far.
    static WRITTEN: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many pieces this page has written so far (what a save wrote, for the tests and the
/// benchmark).
pub fn pieces_written() -> usize {
    WRITTEN.get()
}

/// The record stored under a snapshot's id when it is stored in pieces.
fn layout_record(pieces: &Pieces) -> JsValue {
    let record = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&record, &"print".into(), &pieces.records_print().into());
    let records = pieces.records();
    let _ = js_sys::Reflect::set(&record, &"pieces".into(), &JsValue::from_f64(pieces.len() as f64));
    let _ = js_sys::Reflect::set(&record, &"records".into(), &Array::of2(&JsValue::from_f64(records.start as f64), &JsValue::from_f64(records.end as f64)));
    record.into()
}

/// The number of pieces and the range of the records' pieces, from [`layout_record`]'s record.
fn layout(value: &JsValue) -> Option<(usize, std::ops::Range<usize>)> {
    let number = |v: JsValue| v.as_f64().filter(|x| x.fract() == 0.0 && *x >= 0.0 && *x < 1e9).map(|x| x as usize);
    let n = number(js_sys::Reflect::get(value, &"pieces".into()).ok()?)?;
    let records: Array = js_sys::Reflect::get(value, &"records".into()).ok()?.dyn_into().ok()?;
    Some((n, number(records.get(0))?..number(records.get(1))?))
}

/// Checks and writes, inside `tx`. A snapshot's pieces are put one request after another.
async fn apply(tx: &IdbTransaction, check: Option<Check>, writes: Vec<Write>) -> Result<(), WriteError> {
    let other = |e: JsValue| WriteError::from_name(&error_name(&e));
    let meta = tx.object_store(META).map_err(other)?;
    let snap = tx.object_store(SNAP).map_err(other)?;
    if let Some(check) = check {
        let stored = request(&meta.get(&JsValue::from_str(&check.id)).map_err(other)?).await.map_err(other)?;
        check.verify(stored.as_string().as_deref())?;
    }
    for w in writes {
        match w {
            Write::Meta(id, text) => drop(meta.put_with_key(&JsValue::from_str(&text), &JsValue::from_str(&id)).map_err(other)?),
            Write::Delete(id) => {
                meta.delete(&JsValue::from_str(&id)).map_err(other)?;
                snap.delete(&JsValue::from_str(&id)).map_err(other)?;
                snap.delete(&pieces_of(&id).map_err(other)?).map_err(other)?;
            }
            Write::Snap(id, Snap::Whole(text)) => {
                snap.delete(&pieces_of(&id).map_err(other)?).map_err(other)?;
                snap.put_with_key(&JsValue::from_str(&text), &JsValue::from_str(&id)).map_err(other)?;
            }
            Write::Snap(id, Snap::Pieces(pieces)) => {
                let stored = request(&snap.get(&JsValue::from_str(&id)).map_err(other)?).await.map_err(other)?;
                let records = pieces.records();
                let same_records = layout(&stored).is_some_and(|(n, r)| n == pieces.len() && r == records)
                    && js_sys::Reflect::get(&stored, &"print".into()).ok().and_then(|p| p.as_string()) == Some(pieces.records_print());
                // Every one of them there (a count, not a read).
                let kept = same_records && {
                    let range = IdbKeyRange::bound(&piece_key(&id, records.start), &piece_key(&id, records.end - 1)).map_err(other)?;
                    let count = request(&snap.count_with_key(&range).map_err(other)?).await.map_err(other)?;
                    count.as_f64() == Some(records.len() as f64)
                };
                if !kept {
                    snap.delete(&pieces_of(&id).map_err(other)?).map_err(other)?;
                }
                snap.put_with_key(&layout_record(&pieces), &JsValue::from_str(&id)).map_err(other)?;
                for k in (0..pieces.len()).filter(|k| !(kept && records.contains(k))) {
                    // Each piece becomes the page's text only when the last one is in.
                    let put = snap.put_with_key(&JsValue::from_str(pieces.get(k)), &piece_key(&id, k)).map_err(other)?;
                    request(&put).await.map_err(other)?;
                    WRITTEN.set(WRITTEN.get() + 1);
                }
            }
        }
    }
    Ok(())
}
