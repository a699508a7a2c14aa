//! The demo portfolio shown on a first visit: a small IT-services company whose data has
//! known cases planted in it (a dominant client, loss-makers, ageing clients, a referrer …).

use crate::core::import;
use crate::core::model::Portfolio;

const RECORDS: &str = include_str!("../../tests/fixtures/sample-records.csv");
const CLIENTS: &str = include_str!("../../tests/fixtures/sample-clients.csv");
const SETTINGS: &str = include_str!("../../tests/fixtures/sample-settings.json");

/// The demo portfolio, named in the user's language.
pub fn portfolio(name: &str) -> Portfolio {
    let mut p = Portfolio::new(name);
    for file in [SETTINGS, RECORDS, CLIENTS] {
        // The demo files ship with the app and are tested to import cleanly.
        if let Ok(parsed) = import::parse(file.as_bytes(), &p.settings) {
            if let Ok((next, _)) = import::apply(&p, &parsed) {
                p = next;
            }
        }
    }
    p
}
