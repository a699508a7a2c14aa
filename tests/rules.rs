//! The fourteen verdict rules of DOMAIN.md §7, one case (or more) each, and their order.

use cartera::core::analysis::verdict::{decide, Fact, VerdictInputs};
use cartera::core::analysis::{AbcClass, Cell, Flags, SourTerms, Verdict, XyzClass};
use cartera::core::model::{Potential, Status};
use rust_decimal::Decimal;

fn cell(label: &str) -> Cell {
    let abc = match &label[..1] { "A" => AbcClass::A, "B" => AbcClass::B, _ => AbcClass::C };
    let xyz = match &label[1..] { "X" => XyzClass::X, "Y" => XyzClass::Y, _ => XyzClass::Z };
    Cell { abc, xyz }
}

fn d(n: i64) -> Decimal {
    Decimal::from(n)
}

/// A healthy BX client; each case changes what its rule needs.
fn base() -> VerdictInputs<'static> {
    VerdictInputs {
        status: Status::Active,
        flags: Flags::default(),
        cell: cell("BX"),
        previous_cell: cell("BX"),
        profit: d(1000),
        revenue: d(4000),
        strategic: false,
        potential: Potential::Medium,
        referral_value: Decimal::ZERO,
        referrals: &[],
        profit_share: Decimal::new(2, 2),
        max_share: Decimal::new(30, 2),
        series_len: 12,
        basis_value: d(1000),
        basis_share: Some(Decimal::new(2, 2)),
        needed_for_b: None,
        margins: Some((Decimal::new(25, 2), Decimal::new(25, 2))),
        sour_terms: None,
    }
}

type Case = (&'static str, fn(&mut VerdictInputs<'static>), Verdict, u8);

#[test]
fn each_rule_fires_where_it_should() {
    use Verdict::*;
    let cases: &[Case] = &[
        ("1 former", |i| i.status = Status::Former, Dormant, 1),
        ("1 inactive", |i| { i.flags.inactive = true; i.cell = cell("CZ"); }, Dormant, 1),
        ("2 concentration", |i| { i.flags.concentration = true; i.cell = cell("AX"); }, ProtectAndDiversify, 2),
        ("3 new", |i| { i.flags.new = true; i.series_len = 2; i.cell = cell("CZ"); }, TooEarly, 3),
        ("4 slid", |i| { i.flags.slid = true; i.previous_cell = cell("AX"); i.cell = cell("CZ"); }, Rest, 4),
        ("5 loss", |i| { i.flags.loss = true; i.profit = d(-500); i.cell = cell("CX"); }, RepriceOrExit, 5),
        ("5 loss, referrals too small", |i| { i.flags.loss = true; i.profit = d(-500); i.referral_value = d(499); i.cell = cell("CX"); }, RepriceOrExit, 5),
        ("6 long tail", |i| { i.cell = cell("CX"); i.potential = Potential::None; }, LetGoGradually, 6),
        ("7 upsell", |i| { i.cell = cell("CX"); i.needed_for_b = Some(d(400)); }, UpsellToB, 7),
        ("7 upsell at exactly the allowance", |i| { i.cell = cell("CZ"); i.potential = Potential::Low; i.needed_for_b = Some(d(250)); }, UpsellToB, 7),
        ("8 strategic", |i| { i.cell = cell("CX"); i.strategic = true; i.potential = Potential::None; }, KeepForIndirectValue, 8),
        ("8 referrals ≥ profit", |i| { i.cell = cell("CX"); i.potential = Potential::Low; i.referral_value = d(1000); i.needed_for_b = Some(d(5000)); }, KeepForIndirectValue, 8),
        ("8 loss covered by referrals", |i| { i.flags.loss = true; i.profit = d(-500); i.referral_value = d(500); i.cell = cell("CX"); }, KeepForIndirectValue, 8),
        ("9 class C, upsell out of reach", |i| { i.cell = cell("CY"); i.potential = Potential::Low; i.needed_for_b = Some(d(251)); }, LetGoGradually, 9),
        ("10 ageing", |i| { i.flags.ageing = true; i.cell = cell("AX"); i.sour_terms = Some(SourTerms { discounts: true, ..SourTerms::default() }); }, Renegotiate, 10),
        ("11 AX", |i| i.cell = cell("AX"), KeyKeep, 11),
        ("12 AY", |i| i.cell = cell("AY"), KeyVolatile, 12),
        ("12 AZ", |i| i.cell = cell("AZ"), KeyVolatile, 12),
        ("13 BX", |_| {}, KeepAndGrow, 13),
        ("13 BY", |i| i.cell = cell("BY"), KeepAndGrow, 13),
        ("14 BZ", |i| i.cell = cell("BZ"), KeepAndStabilise, 14),
        // Order: earlier rules win.
        ("former beats concentration", |i| { i.status = Status::Former; i.flags.concentration = true; }, Dormant, 1),
        ("new beats loss", |i| { i.flags.new = true; i.flags.loss = true; i.profit = d(-10); i.cell = cell("CZ"); }, TooEarly, 3),
        ("slid beats ageing", |i| { i.flags.slid = true; i.flags.ageing = true; i.cell = cell("CZ"); i.sour_terms = Some(SourTerms::default()); }, Rest, 4),
        ("strategic loss-maker is not repriced", |i| { i.flags.loss = true; i.profit = d(-500); i.strategic = true; i.cell = cell("CX"); }, KeepForIndirectValue, 8),
        ("exiting changes no rule", |i| { i.status = Status::Exiting; i.cell = cell("AX"); }, KeyKeep, 11),
    ];
    for (name, tweak, verdict, rule) in cases {
        let mut i = base();
        tweak(&mut i);
        let got = decide(&i);
        assert_eq!((got.verdict, got.rule), (*verdict, *rule), "{name}");
        assert!(!got.facts.is_empty(), "{name}: a verdict always lists its facts");
    }
}

#[test]
fn facts_carry_the_money_at_stake() {
    let mut i = base();
    i.flags.loss = true;
    i.profit = d(-500);
    i.revenue = d(2000);
    i.cell = cell("CX");
    // Break-even price rise = −profit / revenue.
    assert_eq!(decide(&i).facts[0], Fact::Loss { profit: d(-500), rise: Some(Decimal::new(25, 2)) });

    let mut i = base();
    i.cell = cell("CX");
    i.potential = Potential::High;
    i.needed_for_b = Some(d(700));
    assert_eq!(decide(&i).facts[0], Fact::ProfitToReachB { needed: d(700), allowance: d(1000) });

    let mut i = base();
    i.flags.concentration = true;
    i.profit_share = Decimal::new(37, 2);
    assert_eq!(decide(&i).facts[0], Fact::ShareOverMax { share: Decimal::new(37, 2), max_share: Decimal::new(30, 2) });
}
