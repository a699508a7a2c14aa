//! The planted cases of the sample portfolio, role by role, with what DOMAIN.md §4–§7 should
//! make of them (the sample data's README).

use std::collections::BTreeMap;

use cartera::core::analysis::{analyze, Analysis, Verdict};
use cartera::core::demo;

fn sample() -> Analysis {
    analyze(&demo::portfolio("sample").unwrap())
}

fn planted() -> BTreeMap<String, Vec<String>> {
    let v: serde_json::Value = serde_json::from_str(include_str!("fixtures/sample-planted.json")).unwrap();
    v.as_object()
        .unwrap()
        .iter()
        .map(|(role, list)| {
            let ids = list.as_array().unwrap().iter().map(|c| c["client"].as_str().unwrap().to_string()).collect();
            (role.clone(), ids)
        })
        .collect()
}

#[test]
fn every_planted_role_gets_its_cell_flags_and_verdict() {
    use Verdict::*;
    // role → (cell, flags that must be set, verdict)
    let expected: &[(&str, Option<&str>, &[&str], Verdict)] = &[
        ("dominant", Some("AX"), &["concentration"], ProtectAndDiversify),
        ("loss", Some("CX"), &["loss"], RepriceOrExit),
        ("ageing", Some("AX"), &["ageing"], Renegotiate),
        ("slid", Some("CZ"), &["slid"], Rest),
        ("referrer", Some("CX"), &[], KeepForIndirectValue),
        ("referred", Some("AX"), &[], KeyKeep),
        ("new", Some("CZ"), &["new"], TooEarly),
        ("former", None, &["no revenue", "inactive"], Dormant),
        ("quiet", None, &["no revenue", "inactive"], Dormant),
        ("strategic_ref", Some("CX"), &["loss"], KeepForIndirectValue),
        ("long_tail", Some("CX"), &[], LetGoGradually),
        ("strategic_other", Some("AX"), &[], KeyKeep),
        ("credit_note", Some("BZ"), &["ageing"], Renegotiate),
    ];
    let analysis = sample();
    let roles = planted();
    for (role, cell, flags, verdict) in expected {
        let ids = roles.get(*role).unwrap_or_else(|| panic!("role {role} in the planted file"));
        for id in ids {
            let c = analysis.client(id).unwrap_or_else(|| panic!("{id} analysed"));
            if let Some(cell) = cell {
                assert_eq!(c.cell.label(), *cell, "{role} {id} cell");
            }
            let set: Vec<&str> = c.flags.raised().map(|f| f.name()).collect();
            for f in *flags {
                assert!(set.contains(f), "{role} {id}: flag {f} missing from {set:?}");
            }
            assert_eq!(c.decision.verdict, *verdict, "{role} {id} verdict");
        }
    }
    // C143 loses money while onboarding: rule 3 comes first, and it keeps its `loss` flag.
    let c143 = analysis.client("C143").unwrap();
    assert!(c143.flags.loss && c143.flags.new);
    assert_eq!(c143.decision.rule, 3);
    // The slid client went from AX to CZ.
    assert_eq!(analysis.client("C287").unwrap().previous_cell.label(), "AX");
    // The referrer's value: half the window profit of the three it referred.
    let c274 = analysis.client("C274").unwrap();
    let referred: rust_decimal::Decimal = ["C133", "C187", "C234"].iter().map(|id| analysis.client(id).unwrap().now.profit).sum();
    assert_eq!(c274.referral_value, referred * rust_decimal::Decimal::new(5, 1));
    assert!(c274.referral_value > c274.now.profit);
}

#[test]
fn portfolio_totals_match_the_reference() {
    use rust_decimal::Decimal;
    use std::str::FromStr;
    let a = sample();
    assert_eq!(a.total_revenue.round_dp(2), Decimal::from_str("3034618.45").unwrap());
    assert_eq!(a.total_profit.round_dp(2), Decimal::from_str("1004104.68").unwrap());
    assert_eq!(a.concentration.positive_profit.round_dp(2), Decimal::from_str("1100027.89").unwrap());
    assert_eq!(a.concentration.top1.round_dp(4), Decimal::from_str("0.3685").unwrap());
    assert_eq!(a.concentration.top5.round_dp(4), Decimal::from_str("0.5058").unwrap());
    assert_eq!(a.concentration.hhi.round(), 987.0);
    let w = a.window.unwrap();
    assert_eq!(w.len(), 12);
    let counts = |f: fn(&cartera::core::analysis::Flags) -> bool| a.clients.iter().filter(|c| f(&c.flags)).count();
    assert_eq!(
        [counts(|f| f.concentration), counts(|f| f.slid), counts(|f| f.ageing), counts(|f| f.new), counts(|f| f.inactive), counts(|f| f.no_revenue), counts(|f| f.loss)],
        [1, 1, 5, 3, 2, 2, 7]
    );
    // Every client counted once in the migration matrix.
    let moved: u32 = a.transitions.iter().flatten().sum();
    assert_eq!(moved as usize, a.clients.len());
}
