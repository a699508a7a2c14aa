//! The sample portfolio (a small IT-services company with planted cases) against the results
//! an independent implementation of the domain specification computed.

use cartera::core::analysis::analyze;
use cartera::core::export::results_csv;
use cartera::core::demo;
use cartera::core::model::Portfolio;

const EXPECTED: &str = include_str!("fixtures/sample-expected.csv");

fn sample() -> Portfolio {
    demo::portfolio("sample").unwrap()
}

#[test]
fn results_export_equals_the_reference_byte_for_byte() {
    let got = results_csv(&analyze(&sample()));
    for (i, (g, e)) in got.lines().zip(EXPECTED.lines()).enumerate() {
        assert_eq!(g, e, "line {}", i + 1);
    }
    assert_eq!(got, EXPECTED);
}
