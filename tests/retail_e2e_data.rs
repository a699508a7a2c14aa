//! The data of the end-to-end scale test (e2e/scale.spec.mjs), made by the engine: a retail
//! log of 25,000 customers over 18 months, and the results export the engine computes for it
//! once imported with the default settings. Written under `target/e2e-data/`.

use cartera::core::analysis::analyze;
use cartera::core::export::results_csv;
use cartera::core::generate::retail_transactions;
use cartera::core::import::{apply, parse};
use cartera::core::model::{Portfolio, Settings};

#[test]
fn the_scale_test_data_is_written_with_its_expected_results() {
    let log = retail_transactions(25, 25_000, 18);
    let parsed = parse(log.as_bytes(), &Settings::default()).unwrap();
    let p = apply(&Portfolio::default(), &parsed).unwrap().0;
    assert_eq!(p.clients.len(), 25_000);
    let results = results_csv(&analyze(&p));
    assert_eq!(results.lines().count(), 25_001);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-data");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("retail-25k.csv"), &log).unwrap();
    std::fs::write(dir.join("retail-25k-results.csv"), &results).unwrap();
}
