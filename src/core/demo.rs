//! The demo portfolio: a small IT-services company (78 clients, 24 months) whose data has
//! known cases planted in it — a dominant client, loss-makers, ageing clients, a referrer, a
//! slid client, new and dormant ones. The app opens on it on a first visit; the tests check
//! the engine against an independent computation of its results.

use crate::core::import::{self, Problem};
use crate::core::model::Portfolio;

/// The records, a column a line after the header (by client and period; written from
/// `tests/fixtures/sample-records.csv` by `scripts/demo-columns.mjs`): the same cells compress
/// to 30% fewer bytes in the app than the rows do.
const RECORD_COLUMNS: &str = include_str!("sample-records.columns");
pub const CLIENTS: &str = include_str!("../../tests/fixtures/sample-clients.csv");
pub const SETTINGS: &str = include_str!("../../tests/fixtures/sample-settings.json");

/// The demo portfolio under `name`, imported through the ordinary importers.
pub fn portfolio(name: &str) -> Result<Portfolio, Vec<Problem>> {
    let mut p = Portfolio::new(name);
    for file in [&records(), CLIENTS, SETTINGS] {
        p = import::apply(&p, &import::parse(file.as_bytes(), &p.settings)?)?.0;
    }
    Ok(p)
}

/// The records file, its rows put back together from [`RECORD_COLUMNS`].
pub fn records() -> String {
    let mut lines = RECORD_COLUMNS.lines();
    let header = lines.next().unwrap_or_default();
    let mut columns: Vec<std::str::Split<char>> = lines.map(|l| l.split(',')).collect();
    let mut out = format!("{header}\n");
    'rows: while !columns.is_empty() {
        for (k, column) in columns.iter_mut().enumerate() {
            let Some(cell) = column.next() else { break 'rows };
            if k > 0 {
                out.push(',');
            }
            out.push_str(cell);
        }
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    /// The rows put back together are the fixture's, each once (by client and period).
    #[test]
    fn the_record_columns_are_the_fixture_records() {
        let fixture = include_str!("../../tests/fixtures/sample-records.csv");
        let records = super::records();
        let (mut want, mut got): (Vec<&str>, Vec<&str>) = (fixture.lines().skip(1).collect(), records.lines().skip(1).collect());
        assert_eq!(records.lines().next(), fixture.lines().next(), "the header");
        assert_eq!(got.len(), 1_622);
        want.sort_unstable();
        got.sort_unstable();
        assert_eq!(got, want, "run `node scripts/demo-columns.mjs` after changing the fixture");
    }
}
