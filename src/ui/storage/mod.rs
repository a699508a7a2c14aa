//! Browser storage, behind the state hook: one module owns the records, the revisions, the
//! backends, the migration from the first storage format, and the news between tabs.
//!
//! - Each portfolio is two records under its id: a small **meta** record (name, revision,
//!   changes since the last backup) and its **snapshot** ([`snapshot`] text). They live in
//!   IndexedDB ([`idb`]); where that is unavailable (some private modes, sandboxed frames), in
//!   localStorage ([`local`]) with a notice.
//! - Every write is **compare-and-set** on the revision: a tab writes only over the revision it
//!   has read, so it never overwrites another tab's change it has not seen
//!   ([`Check`], [`sync`]). A write is atomic: the old version or the new one, never a mix.
//! - Nothing stored is written over without being read first: a damaged snapshot stays byte
//!   for byte where it is (it can be downloaded as it is, and goes only when the user deletes
//!   it); a damaged or missing meta record is rebuilt from its snapshot.
//! - The first format (`cartera.v1.` keys in localStorage) moves over by itself on first
//!   start; its keys are removed only once every portfolio has been read back from the new
//!   store ([`Store::migrate_v1`]).
//! - Small preferences (language, the portfolio last open) stay in localStorage ([`prefs`]).

mod idb;
pub use idb::pieces_written;
mod local;
pub mod sync;

use serde::{Deserialize, Serialize};

use crate::core::model::Portfolio;
use crate::core::snapshot::{self, SnapshotError};

thread_local! {
    /// Remembers the encoded clients and records of the last portfolio saved.
    static ENCODER: std::cell::RefCell<snapshot::Encoder> = std::cell::RefCell::new(snapshot::Encoder::default());
}

/// A stored portfolio read back a slice at a time (see [`snapshot::Reading`] and
/// [`snapshot::Decoding`]), so that opening 100,000 clients does not hold up the page while
/// its records are read.
async fn decode(stored: Stored) -> Result<Portfolio, SnapshotError> {
    // Reading the text out of the database is a task of its own; parsing it, another.
    crate::ui::clock::pause().await;
    let text;
    let frame;
    // The clients and records as stored, for the encoder (see `snapshot::Reading::keeping_parts`).
    let mut parts = None;
    let mut decoding = match &stored {
        Stored::Pieces { pieces, records } => match snapshot::Reading::new(pieces, records.clone()).map(snapshot::Reading::keeping_parts) {
            Some(mut reading) => {
                // The records' pieces are unescaped one a task.
                while reading.step().ok_or(SnapshotError::NotASnapshot)? {
                    crate::ui::clock::pause().await;
                }
                let (value, records, stored_parts) = reading.finish().ok_or(SnapshotError::NotASnapshot)?;
                (frame, parts) = (value, stored_parts);
                snapshot::Decoding::with_records(&frame, records)?
            }
            None => return snapshot::decode(&pieces.concat()),
        },
        // What is there may even read as a snapshot, with a part of it gone: it is damaged.
        Stored::Incomplete(_) => return Err(SnapshotError::NotASnapshot),
        Stored::Whole(whole) => {
            text = serde_json::from_str::<serde_json::Value>(whole).map_err(|_| SnapshotError::NotASnapshot)?;
            snapshot::Decoding::new(&text)?
        }
    };
    let mut slicer = crate::ui::clock::Slicer::new();
    while slicer.run_in(decoding.phase(), |rows| decoding.step(rows))? {
        crate::ui::clock::pause().await;
    }
    let portfolio = decoding.finish()?;
    // Its first save reuses them (a setting changed at 100,000 clients encodes no records).
    if let Some(parts) = parts {
        ENCODER.with_borrow_mut(|e| e.adopt(&portfolio, parts));
    }
    Ok(portfolio)
}

/// Whether the clients and records of `portfolio` are encoded already for its next save (for
/// the tests).
pub fn encoded(portfolio: &Portfolio) -> bool {
    ENCODER.with_borrow(|e| e.holds(portfolio))
}

/// A portfolio's stored text. Its clients and records, the bulk of it, are encoded by the
/// background worker where it holds them or can make them (`background::encoded`) and the
/// portfolio is large enough to be worth it ([`ENCODED_AWAY_FROM`]); what is left, and all of
/// it elsewhere, is encoded on the page a slice at a time ([`encode_here`]). Also whether the
/// worker encoded them.
async fn encode(portfolio: &Portfolio) -> (snapshot::Pieces, bool) {
    let large = || portfolio.clients.len() + portfolio.record_count() >= ENCODED_AWAY_FROM;
    let mut away = false;
    if !ENCODER.with_borrow(|e| e.holds(portfolio)) && large() {
        if let Some(parts) = crate::ui::background::encoded(portfolio).await {
            ENCODER.with_borrow_mut(|e| e.adopt(portfolio, parts));
            away = true;
        }
    }
    (encode_here(portfolio).await, away)
}

/// The clients and records of a portfolio, at least, whose stored text the worker encodes
/// (below this the page takes a few milliseconds, less than asking).
const ENCODED_AWAY_FROM: usize = 20_000;

thread_local! {
    static ENCODED_AWAY: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
}

/// How many saves of this page were stored with the clients and records the worker encoded
/// (for the tests and the benchmark).
pub fn encoded_away() -> usize {
    ENCODED_AWAY.get()
}

/// A portfolio's stored text, encoded a slice at a time so that saving 100,000 clients never
/// holds up the page for long. (Each tab writes one portfolio at a time, see `sync`.)
pub(crate) async fn encode_here(portfolio: &Portfolio) -> snapshot::Pieces {
    let mut encoding = ENCODER.with(|e| e.borrow().begin(portfolio));
    // Records encoded between two looks at the page: as many as fit in a short slice.
    let mut slicer = crate::ui::clock::Slicer::new();
    while slicer.run_in(encoding.phase(), |rows| encoding.step(rows)) {
        crate::ui::clock::pause().await;
    }
    ENCODER.with(|e| e.borrow_mut().finish_pieces(encoding))
}

/// A snapshot as it is written: whole (a text moved over as it was, byte for byte), or in
/// [`snapshot::Pieces`] that storage takes a piece at a time.
#[derive(Clone, Debug)]
pub enum Snap {
    Whole(String),
    Pieces(snapshot::Pieces),
}

impl Snap {
    /// The whole text (for a backend that stores it in one go).
    fn text(&self) -> std::borrow::Cow<'_, str> {
        match self {
            Snap::Whole(text) => text.as_str().into(),
            Snap::Pieces(pieces) => pieces.joined().into(),
        }
    }
}

/// A snapshot as it was read: whole, or in pieces with the range of its records' pieces, or
/// stored in pieces of which some are missing (the ones there, joined: it does not read).
#[derive(Clone, Debug)]
pub enum Stored {
    Whole(String),
    Pieces { pieces: Vec<String>, records: std::ops::Range<usize> },
    Incomplete(String),
}

impl Stored {
    /// The stored text, exactly as it is.
    fn joined(self) -> String {
        match self {
            Stored::Whole(text) | Stored::Incomplete(text) => text,
            Stored::Pieces { pieces, .. } => pieces.concat(),
        }
    }
}

/// Why storage could not do what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    /// Neither IndexedDB nor localStorage can be used.
    Unavailable,
    /// What is stored could not be read (left as it is).
    Unreadable(SnapshotError),
}

/// Why a write was refused; nothing of it was written.
#[derive(Clone, Debug, PartialEq)]
pub enum WriteError {
    /// Another tab stored a revision this tab has not read.
    Conflict,
    /// The portfolio was deleted (by another tab) since this tab read it.
    Gone,
    /// The write did not fit (quota exceeded).
    Full,
    /// Anything else the browser said.
    Other(String),
}

impl WriteError {
    fn from_name(name: &str) -> WriteError {
        if name == "QuotaExceededError" { WriteError::Full } else { WriteError::Other(name.to_string()) }
    }
}

/// A portfolio's meta record.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Meta {
    pub name: String,
    /// Bumped by every write of the snapshot.
    pub rev: u64,
    /// Writes since the last backup download.
    #[serde(default)]
    pub changes: u32,
    /// When the last backup was downloaded, and when the first change after it was made
    /// (milliseconds since 1970).
    #[serde(default)]
    pub backup_at: Option<f64>,
    #[serde(default)]
    pub changed_at: Option<f64>,
    /// The snapshot is known not to read (moved over damaged from the first format).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub damaged: bool,
}

impl Meta {
    pub fn parse(text: &str) -> Option<Meta> {
        serde_json::from_str(text).ok()
    }

    fn text(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

/// Changes or days since the last backup after which the user is reminded to download one.
pub const BACKUP_AFTER_CHANGES: u32 = 20;
pub const BACKUP_AFTER_DAYS: f64 = 7.0;

/// Whether a portfolio has changed enough since its last backup download to remind the user:
/// 20 changes, or 7 days since the first change after it.
pub fn backup_due(meta: &Meta, now_ms: f64) -> bool {
    let days = meta.changed_at.map_or(0.0, |t| (now_ms - t) / 86_400_000.0);
    meta.changes >= BACKUP_AFTER_CHANGES || meta.changes > 0 && days >= BACKUP_AFTER_DAYS
}

/// What a write requires of the stored meta record: no record (a new portfolio), or the
/// revision this tab read.
#[derive(Clone, Debug)]
pub struct Check {
    pub id: String,
    pub expected: Option<u64>,
}

impl Check {
    fn verify(&self, stored: Option<&str>) -> Result<(), WriteError> {
        match (self.expected, stored) {
            (None, None) => Ok(()),
            (None, Some(_)) => Err(WriteError::Conflict),
            (Some(_), None) => Err(WriteError::Gone),
            // A damaged meta record counts as revision 0 (it is rebuilt when listed).
            (Some(rev), Some(text)) => {
                if Meta::parse(text).map_or(0, |m| m.rev) == rev { Ok(()) } else { Err(WriteError::Conflict) }
            }
        }
    }
}

/// One write of a commit.
#[derive(Clone, Debug)]
pub enum Write {
    Meta(String, String),
    Snap(String, Snap),
    Delete(String),
}

enum Backend {
    Idb(idb::Db),
    Local(local::Local),
}

/// A stored portfolio as the list shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct Listed {
    pub id: String,
    pub name: String,
    /// Its snapshot cannot be read (known once it was tried).
    pub damaged: bool,
}

/// What was found in the first storage format and moved over.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Migrated {
    pub portfolios: usize,
    /// Names of portfolios whose data could not be read: moved over as they were.
    pub damaged: Vec<String>,
    /// The v1 keys could not all be moved (full): they stay, and so does everything else.
    pub incomplete: bool,
    pub lang: Option<String>,
    pub current: Option<String>,
}

/// The open store.
pub struct Store {
    backend: Backend,
}

impl Store {
    /// IndexedDB, or localStorage where IndexedDB cannot be opened; `None` when neither works.
    pub async fn open() -> Option<Store> {
        if let Ok(db) = idb::Db::open().await {
            return Some(Store { backend: Backend::Idb(db) });
        }
        Store::open_local()
    }

    /// The localStorage store (the fallback; tests open it directly).
    pub fn open_local() -> Option<Store> {
        local::Local::open().map(|l| Store { backend: Backend::Local(l) })
    }

    /// Whether the data lives in localStorage because IndexedDB is unavailable.
    pub fn is_fallback(&self) -> bool {
        matches!(self.backend, Backend::Local(_))
    }

    async fn meta_text(&self, id: &str) -> Option<String> {
        match &self.backend {
            Backend::Idb(db) => db.get(idb::META, id).await.ok().flatten(),
            Backend::Local(l) => l.meta(id),
        }
    }

    /// The stored snapshot of a portfolio, as it is; `Err` when the browser would not read it
    /// (which says nothing of whether it is there).
    async fn stored(&self, id: &str) -> Result<Option<Stored>, StorageError> {
        match &self.backend {
            Backend::Idb(db) => db.snapshot(id).await.map_err(|_| StorageError::Unavailable),
            Backend::Local(l) => Ok(l.snap(id).map(Stored::Whole)),
        }
    }

    /// The stored snapshot text of a portfolio, exactly as it is (its pieces joined).
    pub async fn raw(&self, id: &str) -> Option<String> {
        self.stored(id).await.ok().flatten().map(Stored::joined)
    }

    async fn all_meta(&self) -> Vec<(String, Option<String>)> {
        match &self.backend {
            Backend::Idb(db) => {
                let mut metas = db.all(idb::META).await.unwrap_or_default();
                for id in db.keys(idb::SNAP).await.unwrap_or_default() {
                    if !metas.iter().any(|(m, _)| *m == id) {
                        metas.push((id, None));
                    }
                }
                metas
            }
            Backend::Local(l) => l.all_meta(),
        }
    }

    async fn commit(&self, check: Option<Check>, writes: Vec<Write>) -> Result<(), WriteError> {
        match &self.backend {
            Backend::Idb(db) => db.commit(check, writes).await,
            Backend::Local(l) => l.commit(check, writes),
        }
    }

    /// Every stored portfolio, by name. A meta record that is missing or damaged is rebuilt
    /// from its snapshot (the name read from it); a snapshot that cannot be read is listed as
    /// damaged, under its id.
    pub async fn list(&self) -> Vec<Listed> {
        self.list_repairing().await.0
    }

    /// [`Store::list`], and the names of the portfolios whose meta record was rebuilt.
    pub async fn list_repairing(&self) -> (Vec<Listed>, Vec<String>) {
        let mut out = Vec::new();
        let mut rebuilt = Vec::new();
        for (id, meta) in self.all_meta().await {
            if let Some(m) = meta.as_deref().and_then(Meta::parse) {
                out.push(Listed { id, name: m.name, damaged: m.damaged });
                continue;
            }
            let decoded = self.raw(&id).await.map(|t| snapshot::decode(&t));
            match decoded {
                Some(Ok(p)) => {
                    let meta = Meta { name: p.name.clone(), rev: 0, changes: 0, backup_at: None, changed_at: None, damaged: false };
                    // Only the derived record is written, and only where it was read as absent
                    // or damaged; the snapshot is not touched.
                    let _ = self.commit(None, vec![Write::Meta(id.clone(), meta.text())]).await;
                    rebuilt.push(p.name.clone());
                    out.push(Listed { id, name: p.name, damaged: false });
                }
                _ => out.push(Listed { name: id.clone(), id, damaged: true }),
            }
        }
        crate::core::order::sort_by(&mut out, |a, b| a.name.to_lowercase().cmp(&b.name.to_lowercase()).then_with(|| a.id.cmp(&b.id)));
        (out, rebuilt)
    }

    /// A stored portfolio with its meta record; `Ok(None)` when there is none under that id.
    pub async fn load(&self, id: &str) -> Result<Option<(Meta, Portfolio)>, StorageError> {
        // A snapshot the browser would not read is not one that is absent.
        let Some(stored) = self.stored(id).await? else { return Ok(None) };
        let p = decode(stored).await.map_err(StorageError::Unreadable)?;
        let meta = self.meta_text(id).await.as_deref().and_then(Meta::parse).unwrap_or(Meta {
            name: p.name.clone(),
            rev: 0,
            changes: 0,
            backup_at: None,
            changed_at: None,
            damaged: false,
        });
        Ok(Some((meta, p)))
    }

    /// Stores a portfolio over revision `expected` (`None`: a new portfolio, none stored
    /// under `id`), holding `changes` more of the user's changes since the last backup.
    /// Returns the new meta record. Its clients and records are encoded again only when they
    /// changed since the last save (see [`snapshot::Encoder`]).
    pub async fn save(&self, id: &str, expected: Option<u64>, portfolio: &Portfolio, changes: u32, now_ms: f64) -> Result<Meta, WriteError> {
        let old = match expected {
            Some(_) => self.meta_text(id).await.as_deref().and_then(Meta::parse),
            None => None,
        };
        let meta = Meta {
            name: portfolio.name.clone(),
            rev: expected.map_or(1, |r| r + 1),
            changes: old.as_ref().map_or(0, |m| m.changes).saturating_add(changes),
            backup_at: old.as_ref().and_then(|m| m.backup_at),
            changed_at: old.as_ref().and_then(|m| m.changed_at).or(Some(now_ms)),
            damaged: false,
        };
        let (snap, away) = encode(portfolio).await;
        let writes = vec![Write::Snap(id.to_string(), Snap::Pieces(snap)), Write::Meta(id.to_string(), meta.text())];
        self.commit(Some(Check { id: id.to_string(), expected }), writes).await?;
        ENCODED_AWAY.set(ENCODED_AWAY.get() + usize::from(away));
        Ok(meta)
    }

    /// Deletes a portfolio (its meta record and snapshot).
    pub async fn remove(&self, id: &str) -> Result<(), WriteError> {
        self.commit(None, vec![Write::Delete(id.to_string())]).await
    }

    /// Removes `remove` and stores `add` as new portfolios, in one commit: all or nothing.
    pub async fn replace(&self, remove: &[String], add: &[(String, Portfolio)]) -> Result<(), WriteError> {
        let mut writes: Vec<Write> = remove.iter().map(|id| Write::Delete(id.clone())).collect();
        for (id, p) in add {
            let meta = Meta { name: p.name.clone(), rev: 1, changes: 0, backup_at: None, changed_at: None, damaged: false };
            writes.push(Write::Snap(id.clone(), Snap::Pieces(snapshot::pieces(p))));
            writes.push(Write::Meta(id.clone(), meta.text()));
        }
        self.commit(None, writes).await
    }

    /// Notes that a backup of the portfolio was downloaded at `now_ms` (its revision stays).
    pub async fn mark_backup(&self, id: &str, now_ms: f64) {
        let Some(mut meta) = self.meta_text(id).await.as_deref().and_then(Meta::parse) else { return };
        let rev = meta.rev;
        meta.changes = 0;
        meta.backup_at = Some(now_ms);
        meta.changed_at = None;
        let _ = self.commit(Some(Check { id: id.to_string(), expected: Some(rev) }), vec![Write::Meta(id.to_string(), meta.text())]).await;
    }

    /// Moves the first storage format over: every `cartera.v1.portfolio.*` key is stored under
    /// its id (a damaged one as it is, byte for byte) unless already there, read back, and
    /// only when every one is in place are the v1 keys removed. An interrupted migration
    /// simply runs again on the next start.
    pub async fn migrate_v1(&self) -> Migrated {
        let mut out = Migrated::default();
        let Some(ls) = local::storage() else { return out };
        let keys: Vec<String> = (0..ls.length().unwrap_or(0)).filter_map(|i| ls.key(i).ok().flatten()).collect();
        let ids: Vec<String> = keys.iter().filter_map(|k| k.strip_prefix(V1_PORTFOLIO)).map(str::to_string).collect();
        let index = ls.get_item(V1_INDEX).ok().flatten();
        if ids.is_empty() && index.is_none() {
            return out;
        }
        // A damaged index only loses names, which the snapshots give back.
        let index: Option<V1Index> = index.as_deref().and_then(|t| serde_json::from_str(t).ok());
        out.lang = index.as_ref().and_then(|i| i.lang.clone());
        out.current = index.as_ref().map(|i| i.current.clone());
        let name_of = |id: &str| index.as_ref().and_then(|i| i.portfolios.iter().find(|e| e.id == id)).map(|e| e.name.clone());
        let mut all_in_place = true;
        for id in &ids {
            let Some(text) = ls.get_item(&format!("{V1_PORTFOLIO}{id}")).ok().flatten() else { continue };
            if self.raw(id).await.is_some() {
                // Moved by an earlier start that was interrupted before the clean-up.
                out.portfolios += 1;
                continue;
            }
            let decoded = snapshot::decode(&text);
            let name = decoded.as_ref().map(|p| p.name.clone()).ok().or_else(|| name_of(id)).unwrap_or_else(|| id.clone());
            let meta = Meta { name: name.clone(), rev: 1, changes: 0, backup_at: None, changed_at: None, damaged: decoded.is_err() };
            let written = self.commit(Some(Check { id: id.clone(), expected: None }), vec![Write::Snap(id.clone(), Snap::Whole(text.clone())), Write::Meta(id.clone(), meta.text())]).await;
            let back = self.raw(id).await;
            if written.is_err() || back.as_deref() != Some(text.as_str()) {
                all_in_place = false;
                out.incomplete = true;
                continue;
            }
            out.portfolios += 1;
            if decoded.is_err() {
                out.damaged.push(name);
            }
        }
        if all_in_place {
            for id in &ids {
                let _ = ls.remove_item(&format!("{V1_PORTFOLIO}{id}"));
            }
            let _ = ls.remove_item(V1_INDEX);
        }
        out
    }
}

const V1_PORTFOLIO: &str = "cartera.v1.portfolio.";
const V1_INDEX: &str = "cartera.v1.index";

/// The first format's index (its names, language and open portfolio).
#[derive(Deserialize)]
struct V1Index {
    current: String,
    portfolios: Vec<V1Entry>,
    #[serde(default)]
    lang: Option<String>,
}

#[derive(Deserialize)]
struct V1Entry {
    id: String,
    name: String,
}

/// Small preferences kept in localStorage: the language and the portfolio last open. Damaged
/// or missing, they are simply the defaults.
pub mod prefs {
    use serde::{Deserialize, Serialize};

    const KEY: &str = "cartera.v2.prefs";
    /// The portfolio open in this tab (survives a reload of the tab, not shared with others).
    const TAB_KEY: &str = "cartera.v2.tab";

    #[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
    pub struct Prefs {
        #[serde(default)]
        pub lang: Option<String>,
        #[serde(default)]
        pub current: Option<String>,
    }

    pub fn load() -> Prefs {
        let mut prefs: Prefs = super::local::storage()
            .and_then(|s| s.get_item(KEY).ok().flatten())
            .and_then(|t| serde_json::from_str(&t).ok())
            .unwrap_or_default();
        let tab = web_sys::window().and_then(|w| w.session_storage().ok().flatten()).and_then(|s| s.get_item(TAB_KEY).ok().flatten());
        if tab.is_some() {
            prefs.current = tab;
        }
        prefs
    }

    pub fn save(prefs: &Prefs) {
        if let Some(s) = super::local::storage() {
            let _ = s.set_item(KEY, &serde_json::to_string(prefs).unwrap_or_default());
        }
        if let (Some(s), Some(current)) = (web_sys::window().and_then(|w| w.session_storage().ok().flatten()), &prefs.current) {
            let _ = s.set_item(TAB_KEY, current);
        }
    }
}

/// Every key this app owns in localStorage (for tests and for a clean reset).
pub fn own_keys() -> Vec<String> {
    let Some(s) = local::storage() else { return Vec::new() };
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with("cartera.")).collect()
}

/// How much this site stores, how much it may, and whether the browser keeps it under
/// pressure (persistent storage).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Space {
    pub usage: Option<f64>,
    pub quota: Option<f64>,
    pub persisted: Option<bool>,
}

fn storage_manager() -> Option<web_sys::StorageManager> {
    let navigator = web_sys::window()?.navigator();
    js_sys::Reflect::has(&navigator, &"storage".into()).ok()?.then(|| navigator.storage())
}

/// Asks the browser to keep this site's data under storage pressure; whether it will.
pub async fn request_persistence() -> Option<bool> {
    let promise = storage_manager()?.persist().ok()?;
    wasm_bindgen_futures::JsFuture::from(promise).await.ok()?.as_bool()
}

/// The space used and available, and whether storage is persistent.
pub async fn space() -> Space {
    let Some(manager) = storage_manager() else { return Space::default() };
    let number = |v: &wasm_bindgen::JsValue, key: &str| js_sys::Reflect::get(v, &key.into()).ok().and_then(|x| x.as_f64());
    let estimate = match manager.estimate() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.ok(),
        Err(_) => None,
    };
    let persisted = match manager.persisted() {
        Ok(p) => wasm_bindgen_futures::JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    Space {
        usage: estimate.as_ref().and_then(|e| number(e, "usage")),
        quota: estimate.as_ref().and_then(|e| number(e, "quota")),
        persisted,
    }
}
