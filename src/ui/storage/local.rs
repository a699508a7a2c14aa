//! The localStorage backend, for browsers where IndexedDB is unavailable: the same records
//! under `cartera.v2.` keys. A snapshot is written under a key of its own revision first, then
//! the meta record is switched to it, then the old one removed — so a reload at any moment
//! finds the old version or the new one, whole.

use std::collections::BTreeMap;

use web_sys::Storage;

use super::{Check, Meta, Write, WriteError};

const META: &str = "cartera.v2.meta.";
const SNAP: &str = "cartera.v2.snap.";

pub fn storage() -> Option<Storage> {
    web_sys::window().and_then(|w| w.local_storage().ok().flatten())
}

fn keys(s: &Storage) -> Vec<String> {
    let n = s.length().unwrap_or(0);
    (0..n).filter_map(|i| s.key(i).ok().flatten()).collect()
}

/// `(id, rev)` of a snapshot key.
fn snap_key(key: &str) -> Option<(&str, u64)> {
    let rest = key.strip_prefix(SNAP)?;
    let (id, rev) = rest.rsplit_once('.')?;
    Some((id, rev.parse().ok()?))
}

pub struct Local {
    s: Storage,
}

impl Local {
    pub fn open() -> Option<Local> {
        let s = storage()?;
        // Some sandboxed frames hand out a storage that refuses every write.
        s.set_item("cartera.v2.probe", "1").ok()?;
        let _ = s.remove_item("cartera.v2.probe");
        Some(Local { s })
    }

    pub fn meta(&self, id: &str) -> Option<String> {
        self.s.get_item(&format!("{META}{id}")).ok().flatten()
    }

    /// Every portfolio id with a meta record or a snapshot, and its meta text.
    pub fn all_meta(&self) -> Vec<(String, Option<String>)> {
        let mut out: BTreeMap<String, Option<String>> = BTreeMap::new();
        for key in keys(&self.s) {
            if let Some(id) = key.strip_prefix(META) {
                out.insert(id.to_string(), self.s.get_item(&key).ok().flatten());
            } else if let Some((id, _)) = snap_key(&key) {
                out.entry(id.to_string()).or_insert(None);
            }
        }
        out.into_iter().collect()
    }

    /// The snapshot the meta record points to; without a readable one, the newest there is.
    pub fn snap(&self, id: &str) -> Option<String> {
        let rev = self.meta(id).and_then(|m| Meta::parse(&m)).map(|m| m.rev);
        if let Some(text) = rev.and_then(|r| self.s.get_item(&format!("{SNAP}{id}.{r}")).ok().flatten()) {
            return Some(text);
        }
        let newest = keys(&self.s).into_iter().filter_map(|k| snap_key(&k).filter(|(i, _)| *i == id).map(|(_, r)| r)).max()?;
        self.s.get_item(&format!("{SNAP}{id}.{newest}")).ok().flatten()
    }

    pub fn commit(&self, check: Option<Check>, writes: Vec<Write>) -> Result<(), WriteError> {
        if let Some(check) = check {
            check.verify(self.meta(&check.id).as_deref())?;
        }
        // The revision each written snapshot belongs to, from the meta written with it.
        let rev_of = |id: &str| {
            writes.iter().find_map(|w| match w {
                Write::Meta(i, text) if i == id => Meta::parse(text).map(|m| m.rev),
                _ => None,
            })
        };
        let mut written: Vec<String> = Vec::new();
        for w in &writes {
            if let Write::Snap(id, snap) = w {
                let key = format!("{SNAP}{id}.{}", rev_of(id).unwrap_or(0));
                if self.s.set_item(&key, &snap.text()).is_err() {
                    for k in &written {
                        let _ = self.s.remove_item(k);
                    }
                    return Err(WriteError::Full);
                }
                written.push(key);
            }
        }
        for w in &writes {
            match w {
                Write::Meta(id, text) => {
                    if self.s.set_item(&format!("{META}{id}"), text).is_err() {
                        for k in &written {
                            let _ = self.s.remove_item(k);
                        }
                        return Err(WriteError::Full);
                    }
                }
                Write::Delete(id) => {
                    let _ = self.s.remove_item(&format!("{META}{id}"));
                }
                Write::Snap(..) => {}
            }
        }
        // Old snapshots go once the meta records point past them; deleted portfolios' too.
        for key in keys(&self.s) {
            if let Some((id, rev)) = snap_key(&key) {
                let current = self.meta(id).and_then(|m| Meta::parse(&m)).map(|m| m.rev);
                let touched = writes.iter().any(|w| matches!(w, Write::Meta(i, _) | Write::Delete(i) if i == id));
                if touched && current != Some(rev) {
                    let _ = self.s.remove_item(&key);
                }
            }
        }
        Ok(())
    }
}
