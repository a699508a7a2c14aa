//! A portfolio as one compact, versioned text: what the browser stores, and what a backup file
//! holds. Clients and records are kept in their own §9 CSV forms (records with zeros left
//! empty), so storing and importing share one reader and one writer, and 2,000 clients × 36
//! months fit in a few million characters.

use serde_json::{json, Value};

use crate::core::export;
use crate::core::import::{self, Parsed, Problem};
use crate::core::model::{NumberLocale, Portfolio, Settings};

/// The snapshot format's name and version. A newer version is refused, never guessed at.
pub const FORMAT: &str = "cartera-portfolio";
pub const VERSION: u64 = 1;

/// Why a stored snapshot could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum SnapshotError {
    /// Not JSON, or not a Cartera snapshot.
    NotASnapshot,
    /// Written by a newer version of Cartera.
    NewerVersion { version: u64 },
    /// A part of the snapshot failed validation.
    Invalid { part: &'static str, problems: Vec<Problem> },
}

/// The portfolio as a JSON value (see [`encode`]).
pub fn to_value(p: &Portfolio) -> Value {
    json!({
        "format": FORMAT,
        "version": VERSION,
        "name": p.name,
        "settings": export::settings_value(&p.settings),
        "clients": export::clients_csv(p),
        "records": export::records_csv(p, true),
    })
}

/// Encodes a portfolio for storage.
pub fn encode(p: &Portfolio) -> String {
    to_value(p).to_string()
}

/// Reads a portfolio back from [`to_value`]'s form, validating every part.
pub fn from_value(v: &Value) -> Result<Portfolio, SnapshotError> {
    if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
        return Err(SnapshotError::NotASnapshot);
    }
    let version = v.get("version").and_then(Value::as_u64).ok_or(SnapshotError::NotASnapshot)?;
    if version > VERSION {
        return Err(SnapshotError::NewerVersion { version });
    }
    let name = v.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
    let settings_text = v.get("settings").map(Value::to_string).ok_or(SnapshotError::NotASnapshot)?;
    let settings = import::settings::parse(&settings_text)
        .map_err(|problems| SnapshotError::Invalid { part: "settings", problems })?;
    let mut portfolio = Portfolio { name, settings: settings.clone(), ..Portfolio::default() };
    // Stored numbers are always written with a `.` decimal point.
    let reading = Settings { number_locale: NumberLocale::Dot, ..settings };
    for part in ["records", "clients"] {
        let text = v.get(part).and_then(Value::as_str).ok_or(SnapshotError::NotASnapshot)?;
        if text.lines().count() <= 1 {
            continue;
        }
        let invalid = |problems| SnapshotError::Invalid { part: if part == "records" { "records" } else { "clients" }, problems };
        let parsed = import::parse(text.as_bytes(), &reading).map_err(invalid)?;
        if !matches!(parsed, Parsed::Records(_) | Parsed::Clients(_)) {
            return Err(SnapshotError::NotASnapshot);
        }
        portfolio = import::apply(&portfolio, &parsed).map_err(invalid)?.0;
    }
    Ok(portfolio)
}

/// Decodes a stored portfolio.
pub fn decode(text: &str) -> Result<Portfolio, SnapshotError> {
    let v: Value = serde_json::from_str(text).map_err(|_| SnapshotError::NotASnapshot)?;
    from_value(&v)
}
