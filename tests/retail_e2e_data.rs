//! The data of the end-to-end scale test (e2e/scale.spec.mjs), made by the engine: a retail
//! log of 25,000 customers over 18 months, and the results export the engine computes for it
//! once imported with the default settings, and once A's threshold is moved to 60% or 65%. Written
//! under `target/e2e-data/`.

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
    // And after A's threshold is moved to 60% and to 65% in Settings (analysed in the
    // background worker).
    for a in [60, 65] {
        let moved = Portfolio { settings: Settings { a: rust_decimal::Decimal::new(a, 2), ..p.settings.clone() }, ..p.clone() };
        let moved_results = results_csv(&analyze(&moved));
        assert_ne!(moved_results, results, "the threshold moves some client");
        std::fs::write(dir.join(format!("retail-25k-results-a{a}.csv")), &moved_results).unwrap();
    }
    // And after two edits by hand: a record saved for one client in the last period, then
    // another client deleted (made again by the background worker).
    use cartera::core::edit::Edit;
    let (client, deleted) = ("R012345", "R000007");
    let period = p.settings.period_kind.label(p.last_period().unwrap());
    let revenue = ["50000".to_string(), "1000".into(), String::new(), "12".into(), String::new(), "3".into(), String::new(), String::new()];
    let saved = Edit::SaveRecord { id: client.into(), period: period.clone(), fields: revenue, locale: p.settings.number_locale }.apply(&p).unwrap();
    let edited = Edit::DeleteClient { id: deleted.into() }.apply(&saved).unwrap();
    assert_eq!(edited.clients.len(), 24_999);
    let edited_results = results_csv(&analyze(&edited));
    assert!(edited_results.lines().any(|l| l.starts_with(client)) && !edited_results.lines().any(|l| l.starts_with(deleted)));
    std::fs::write(dir.join("retail-25k-results-edited.csv"), edited_results).unwrap();
    std::fs::write(dir.join("retail-25k-edits.json"), format!(r#"{{"client":"{client}","period":"{period}","deleted":"{deleted}"}}"#)).unwrap();
}

/// The data of the end-to-end test of every range worked out by several workers
/// (e2e/robustness.spec.mjs): a generated portfolio of 1,200 clients with costs, as the three
/// files a user imports, and the robustness export the engine computes for it once imported.
#[test]
fn the_split_robustness_test_data_is_written_with_its_expected_export() {
    use cartera::core::analysis::robustness::{robustness, Scope};
    use cartera::core::export::{clients_csv, records_csv, robustness_csv, settings_json};
    use cartera::core::generate::{portfolio, Shape};
    let generated = portfolio(4, Shape { clients: 1_200, periods: 12, every_field: true, density: 90 });
    let files = [records_csv(&generated, true), clients_csv(&generated), settings_json(&generated.settings)];
    let mut p = Portfolio::default();
    for file in &files {
        p = apply(&p, &parse(file.as_bytes(), &p.settings).unwrap()).unwrap().0;
    }
    assert_eq!(p.clients.len(), 1_200);
    let a = analyze(&p);
    let r = robustness(&p, &a, Scope::All);
    assert!(r.levers.iter().any(|l| l.low.iter().chain(&l.high).any(Option::is_some)), "some bounds to compare");
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-data");
    std::fs::create_dir_all(&dir).unwrap();
    for (name, text) in ["split-records.csv", "split-clients.csv", "split-settings.json"].iter().zip(&files) {
        std::fs::write(dir.join(name), text).unwrap();
    }
    std::fs::write(dir.join("split-robustness.csv"), robustness_csv(&a, &r)).unwrap();
}
