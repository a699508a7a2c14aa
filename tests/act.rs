//! Acting on the analysis (DOMAIN.md §8): what-if and repricing, with hand-checked numbers.

use std::collections::BTreeSet;
use std::str::FromStr;

use cartera::core::analysis::what_if::{default_selection, reprice, what_if};
use cartera::core::analysis::{analyze, Analysis};
use cartera::core::demo;
use cartera::core::import::{apply, parse};
use cartera::core::model::Portfolio;
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

/// K: 10,000 − 4,000 − 100 h × 10 = 5,000. L: 1,000 − 200 − 150 h × 10 = −700.
/// T: 2,000 − 500 − 50 h × 10 = 1,000.
fn three() -> Analysis {
    let mut p = Portfolio::default();
    for file in [
        r#"{"service_rate": 10, "window": "all"}"#,
        "client,period,revenue,direct_cost,service_hours,days_late\nK,2025-01,10000,4000,100,0\nL,2025-01,1000,200,150,0\nT,2025-01,2000,500,50,36.5\n",
    ] {
        p = apply(&p, &parse(file.as_bytes(), &p.settings).unwrap()).unwrap().0;
    }
    analyze(&p)
}

#[test]
fn letting_a_loss_maker_go() {
    let a = three();
    let let_go: BTreeSet<String> = ["L".to_string()].into();
    let w = what_if(&a, &let_go, false);
    assert_eq!((w.before.revenue, w.before.profit, w.before.service_hours), (d("13000"), d("5300"), d("300")));
    assert_eq!((w.after.revenue, w.after.profit, w.after.service_hours), (d("12000"), d("6000"), d("150")));
    assert_eq!(w.after.margin, Some(d("0.5")));
    assert_eq!(w.freed_hours, d("150"));
    // K is A, T is B: 6,000 profit over 150 service hours = 40 an hour.
    assert_eq!(w.profit_per_hour, Some(d("40")));
    assert_eq!(w.redeployed_profit, Decimal::ZERO);
    assert!((w.after.hhi - (10000.0f64 / 12000.0 * 100.0).powi(2) - (2000.0f64 / 12000.0 * 100.0).powi(2)).abs() < 1e-9);
    assert_eq!(w.after.top1.round_dp(4), d("0.8333"));

    let w = what_if(&a, &let_go, true);
    assert_eq!(w.redeployed_profit, d("6000"));
    assert_eq!(w.after.profit, d("12000"));

    // Letting nobody go changes nothing.
    let w = what_if(&a, &BTreeSet::new(), true);
    assert_eq!(w.before, w.after);
}

#[test]
fn a_price_rise_that_may_be_refused() {
    let a = three();
    let t = a.client("T").unwrap();
    // No commission; the cost of late payment is 0 here (capital rate 0): +10% is +200.
    let r = reprice(t, Decimal::ZERO, d("0.10"), d("0.2"));
    assert_eq!((r.current_profit, r.if_accepted, r.expected), (d("1000"), d("1200"), d("960")));
    // With a 5% commission the rise brings 10% × (2,000 − 100) = 190.
    assert_eq!(reprice(t, d("0.05"), d("0.10"), Decimal::ZERO).if_accepted, d("1190"));
}

#[test]
fn the_default_what_if_on_the_sample() {
    let a = analyze(&demo::portfolio("sample").unwrap());
    let selection = default_selection(&a);
    // Let go gradually 16, Reprice or exit 5, Rest 1.
    assert_eq!(selection.len(), 22);
    let w = what_if(&a, &selection, false);
    assert_eq!(w.before.profit, a.total_profit);
    let leaving: Decimal = a.clients.iter().filter(|c| selection.contains(&c.id)).map(|c| c.now.profit).sum();
    assert_eq!(w.after.profit, a.total_profit - leaving);
    assert!(w.after.profit > w.before.profit, "letting the exits go raises profit");
    assert!(w.freed_hours > Decimal::ZERO);
}
