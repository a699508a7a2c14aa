//! The IndexedDB backend: two object stores keyed by portfolio id, `meta` (a small JSON record:
//! name, revision, changes since the last backup) and `snap` (the portfolio's snapshot text).
//! A commit is one read-write transaction over both: the revision check and every write happen
//! inside it, so two tabs' commits never interleave and a crash leaves the old version or the
//! new one, never a mix.

use std::cell::RefCell;
use std::rc::Rc;

use js_sys::{Array, Function, Promise};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{IdbDatabase, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode};

use super::{Check, Write, WriteError};

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

    /// Applies `writes` in one transaction, after `check` holds on the stored meta record (read
    /// in the same transaction). Nothing is written when the check fails or a write does not
    /// fit.
    pub async fn commit(&self, check: Option<Check>, writes: Vec<Write>) -> Result<(), WriteError> {
        let tx = self
            .db
            .transaction_with_str_sequence_and_mode(&Array::of2(&META.into(), &SNAP.into()), IdbTransactionMode::Readwrite)
            .map_err(|e| WriteError::Other(error_name(&e)))?;
        let refusal: Rc<RefCell<Option<WriteError>>> = Rc::new(RefCell::new(None));
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
        let apply = {
            let tx = tx.clone();
            let refusal = refusal.clone();
            move |writes: Vec<Write>| {
                let stores = tx.object_store(META).and_then(|m| Ok((m, tx.object_store(SNAP)?)));
                let Ok((meta, snap)) = stores else { return };
                for w in writes {
                    let result = match &w {
                        Write::Meta(id, text) => meta.put_with_key(&JsValue::from_str(text), &JsValue::from_str(id)).map(drop),
                        Write::Snap(id, text) => snap.put_with_key(&JsValue::from_str(text), &JsValue::from_str(id)).map(drop),
                        Write::Delete(id) => meta.delete(&JsValue::from_str(id)).and_then(|_| snap.delete(&JsValue::from_str(id))).map(drop),
                    };
                    if let Err(e) = result {
                        *refusal.borrow_mut() = Some(WriteError::from_name(&error_name(&e)));
                        let _ = tx.abort();
                        return;
                    }
                }
            }
        };
        match check {
            None => apply(writes),
            Some(check) => {
                let store = tx.object_store(META).map_err(|e| WriteError::Other(error_name(&e)))?;
                let req = store.get(&JsValue::from_str(&check.id)).map_err(|e| WriteError::Other(error_name(&e)))?;
                let on_read = {
                    let req = req.clone();
                    let tx = tx.clone();
                    let refusal = refusal.clone();
                    Closure::once_into_js(move || {
                        let stored = req.result().ok().and_then(|v| v.as_string());
                        match check.verify(stored.as_deref()) {
                            Ok(()) => apply(writes),
                            Err(e) => {
                                *refusal.borrow_mut() = Some(e);
                                let _ = tx.abort();
                            }
                        }
                    })
                };
                req.set_onsuccess(Some(on_read.unchecked_ref()));
            }
        }
        let completed = done.await.map(|v| v.is_truthy()).unwrap_or(false);
        if completed {
            return Ok(());
        }
        let refused = refusal.borrow_mut().take();
        Err(refused.unwrap_or_else(|| WriteError::from_name(&tx.error().map_or_else(String::new, |e| e.name()))))
    }
}
