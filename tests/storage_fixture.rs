//! The first-format storage fixture the end-to-end migration test loads into localStorage:
//! its snapshots decode to the portfolios it claims to hold.

use cartera::core::{demo, snapshot};
use rust_decimal::Decimal;

#[test]
fn the_v1_fixture_holds_the_demo_and_a_second_portfolio() {
    let text = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/v1-storage.json")).unwrap();
    let keys: serde_json::Value = serde_json::from_str(&text).unwrap();
    let p3 = snapshot::decode(keys["cartera.v1.portfolio.p3"].as_str().unwrap()).unwrap();
    assert_eq!(p3, demo::portfolio("Desde v1").unwrap());
    let p2 = snapshot::decode(keys["cartera.v1.portfolio.p2"].as_str().unwrap()).unwrap();
    assert_eq!((p2.name.as_str(), p2.settings.service_rate, p2.clients.len()), ("Segunda v1", Decimal::from(61), 0));
    let index: serde_json::Value = serde_json::from_str(keys["cartera.v1.index"].as_str().unwrap()).unwrap();
    assert_eq!(index["current"], "p2");
}
