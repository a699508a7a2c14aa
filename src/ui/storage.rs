//! Browser storage: one module owns the keys, the versioned snapshots and the errors.
//!
//! Keys carry the app's own prefix (`cartera.v1.`), so Cartera never collides with a page it
//! is embedded in. The index (which portfolios exist, which is open, the language) and each
//! portfolio are stored under their own keys; a portfolio is a [`snapshot`] text. A failed
//! write leaves the previous value in place, and every error becomes a notice — never a panic.

use serde::{Deserialize, Serialize};
use web_sys::Storage;

use crate::core::model::Portfolio;
use crate::core::snapshot::{self, SnapshotError};

const PREFIX: &str = "cartera.v1.";
const INDEX_KEY: &str = "cartera.v1.index";

/// Why storage could not do what was asked.
#[derive(Clone, Debug, PartialEq)]
pub enum StorageError {
    /// No localStorage (disabled, or a sandboxed frame).
    Unavailable,
    /// The write did not fit (quota exceeded).
    Full,
    /// What is stored could not be read.
    Unreadable(SnapshotError),
}

/// The stored list of portfolios.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Index {
    pub current: String,
    pub portfolios: Vec<IndexEntry>,
    pub next_id: u64,
    #[serde(default)]
    pub lang: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct IndexEntry {
    pub id: String,
    pub name: String,
}

fn storage() -> Result<Storage, StorageError> {
    web_sys::window()
        .and_then(|w| w.local_storage().ok().flatten())
        .ok_or(StorageError::Unavailable)
}

fn portfolio_key(id: &str) -> String {
    format!("{PREFIX}portfolio.{id}")
}

fn write(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?.set_item(key, value).map_err(|_| StorageError::Full)
}

fn read(key: &str) -> Result<Option<String>, StorageError> {
    storage()?.get_item(key).map_err(|_| StorageError::Unavailable)
}

/// The stored index; `Ok(None)` on a first visit.
pub fn load_index() -> Result<Option<Index>, StorageError> {
    match read(INDEX_KEY)? {
        None => Ok(None),
        Some(text) => serde_json::from_str(&text)
            .map(Some)
            .map_err(|_| StorageError::Unreadable(SnapshotError::NotASnapshot)),
    }
}

pub fn save_index(index: &Index) -> Result<(), StorageError> {
    let text = serde_json::to_string(index).map_err(|_| StorageError::Full)?;
    write(INDEX_KEY, &text)
}

/// A stored portfolio; `Ok(None)` when there is none under that id.
pub fn load_portfolio(id: &str) -> Result<Option<Portfolio>, StorageError> {
    match read(&portfolio_key(id))? {
        None => Ok(None),
        Some(text) => snapshot::decode(&text).map(Some).map_err(StorageError::Unreadable),
    }
}

/// Stores a portfolio; returns the characters written.
pub fn save_portfolio(id: &str, portfolio: &Portfolio) -> Result<usize, StorageError> {
    let text = snapshot::encode(portfolio);
    write(&portfolio_key(id), &text)?;
    Ok(text.chars().count())
}

/// Removes the portfolios `remove` and stores `add` as one step: if a write does not fit, the
/// portfolios written so far are removed and the removed ones put back as they were, so a
/// restore is applied whole or not at all.
pub fn replace_portfolios(remove: &[String], add: &[(String, Portfolio)]) -> Result<(), StorageError> {
    let s = storage()?;
    let old: Vec<(String, Option<String>)> = remove
        .iter()
        .map(|id| {
            let key = portfolio_key(id);
            let value = s.get_item(&key).ok().flatten();
            (key, value)
        })
        .collect();
    for (key, _) in &old {
        let _ = s.remove_item(key);
    }
    let mut written: Vec<String> = Vec::new();
    for (id, p) in add {
        let key = portfolio_key(id);
        if s.set_item(&key, &snapshot::encode(p)).is_err() {
            for key in &written {
                let _ = s.remove_item(key);
            }
            for (key, value) in &old {
                if let Some(value) = value {
                    let _ = s.set_item(key, value);
                }
            }
            return Err(StorageError::Full);
        }
        written.push(key);
    }
    Ok(())
}

pub fn remove_portfolio(id: &str) -> Result<(), StorageError> {
    storage()?.remove_item(&portfolio_key(id)).map_err(|_| StorageError::Unavailable)
}

/// Every key this app owns (for tests and for a clean reset).
pub fn own_keys() -> Vec<String> {
    let Ok(s) = storage() else { return Vec::new() };
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).filter(|k| k.starts_with(PREFIX)).collect()
}
