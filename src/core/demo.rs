//! The demo portfolio: a small IT-services company (78 clients, 24 months) whose data has
//! known cases planted in it — a dominant client, loss-makers, ageing clients, a referrer, a
//! slid client, new and dormant ones. The app opens on it on a first visit; the tests check
//! the engine against an independent computation of its results.

use crate::core::import::{self, Problem};
use crate::core::model::Portfolio;

pub const RECORDS: &str = include_str!("../../tests/fixtures/sample-records.csv");
pub const CLIENTS: &str = include_str!("../../tests/fixtures/sample-clients.csv");
pub const SETTINGS: &str = include_str!("../../tests/fixtures/sample-settings.json");

/// The demo portfolio under `name`, imported through the ordinary importers.
pub fn portfolio(name: &str) -> Result<Portfolio, Vec<Problem>> {
    let mut p = Portfolio::new(name);
    for file in [RECORDS, CLIENTS, SETTINGS] {
        p = import::apply(&p, &import::parse(file.as_bytes(), &p.settings)?)?.0;
    }
    Ok(p)
}
