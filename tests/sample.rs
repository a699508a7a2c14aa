//! The sample portfolio (a small IT-services company with planted cases) against the results
//! an independent implementation of the domain specification computed.

use cartera::core::analysis::analyze;
use cartera::core::export::results_csv;
use cartera::core::import::{apply, parse};
use cartera::core::model::Portfolio;

const RECORDS: &str = include_str!("fixtures/sample-records.csv");
const CLIENTS: &str = include_str!("fixtures/sample-clients.csv");
const SETTINGS: &str = include_str!("fixtures/sample-settings.json");
const EXPECTED: &str = include_str!("fixtures/sample-expected.csv");

fn sample() -> Portfolio {
    let mut p = Portfolio::new("Nubeclara IT Services S.L.");
    for file in [RECORDS, CLIENTS, SETTINGS] {
        let parsed = parse(file.as_bytes(), &p.settings).expect("sample parses");
        p = apply(&p, &parsed).expect("sample applies").0;
    }
    p
}

#[test]
fn results_export_equals_the_reference_byte_for_byte() {
    let got = results_csv(&analyze(&sample()));
    for (i, (g, e)) in got.lines().zip(EXPECTED.lines()).enumerate() {
        assert_eq!(g, e, "line {}", i + 1);
    }
    assert_eq!(got, EXPECTED);
}
