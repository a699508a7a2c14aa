//! Invariants on generated portfolios: shares sum to one, money sums exactly, exports import
//! back to the same portfolio and the same results, storage snapshots round-trip, and two
//! tabs' changes merge without losing either.

use cartera::core::analysis::profit::period_lines;
use cartera::core::analysis::{analyze, AbcClass, Analysing};
use cartera::core::export::{clients_csv, records_csv, results_csv, settings_json};
use cartera::core::generate::{portfolio, Shape};
use cartera::core::import::{apply, parse, Applying};
use cartera::core::merge::three_way;
use cartera::core::model::{NumberLocale, Portfolio, Settings};
use cartera::core::snapshot;
use proptest::prelude::*;
use rust_decimal::Decimal;

fn shape() -> impl Strategy<Value = (u64, Shape)> {
    (any::<u64>(), 1usize..40, 1usize..30, any::<bool>(), 30u64..=100).prop_map(|(seed, clients, periods, every_field, density)| {
        (seed, Shape { clients, periods, every_field, density })
    })
}

fn reimport(p: &Portfolio, compact: bool) -> Portfolio {
    let mut back = Portfolio::new(p.name.clone());
    let reading = Settings { number_locale: NumberLocale::Dot, ..p.settings.clone() };
    back.settings = reading.clone();
    for text in [records_csv(p, compact), clients_csv(p)] {
        if text.lines().count() > 1 {
            back = apply(&back, &parse(text.as_bytes(), &reading).unwrap()).unwrap().0;
        }
    }
    let settings = parse(settings_json(&p.settings).as_bytes(), &reading).unwrap();
    apply(&back, &settings).unwrap().0
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn positive_profit_shares_sum_to_one((seed, shape) in shape()) {
        let a = analyze(&portfolio(seed, shape));
        let positive: Vec<Decimal> = a.clients.iter().filter(|c| c.now.profit > Decimal::ZERO).map(|c| c.profit_share).collect();
        if !positive.is_empty() {
            let sum: Decimal = positive.iter().sum();
            prop_assert!((sum - Decimal::ONE).abs() < Decimal::new(1, 20), "sum {}", sum);
        }
        // The top client by the ABC basis is A, and C holds every non-positive one.
        for c in &a.clients {
            if c.abc.rank == 1 && c.now.profit > Decimal::ZERO { prop_assert_eq!(c.cell.abc, AbcClass::A); }
            if c.now.profit <= Decimal::ZERO { prop_assert_eq!(c.cell.abc, AbcClass::C); }
        }
    }

    #[test]
    fn money_sums_exactly((seed, shape) in shape()) {
        let p = portfolio(seed, shape);
        let a = analyze(&p);
        let sum: Decimal = a.clients.iter().map(|c| c.now.profit).sum();
        prop_assert_eq!(sum, a.total_profit);
        for c in &a.clients {
            prop_assert_eq!(c.now.profit, c.now.revenue - c.now.direct_cost - c.now.cost_to_serve);
            // Period by period, the window adds up (amortisation aside, which is spread exactly
            // only over whole spans).
            if let (true, Some(window)) = (p.clients[&c.id].acquisition_cost.is_zero(), a.window) {
                let lines = period_lines(&p.clients[&c.id], p.records.get(&c.id), &p.settings, window);
                prop_assert_eq!(lines.iter().map(|l| l.profit).sum::<Decimal>(), c.now.profit);
                prop_assert_eq!(lines.iter().map(|l| l.revenue).sum::<Decimal>(), c.now.revenue);
            }
        }
        let cells: usize = a.cell_totals().iter().map(|t| t.0).sum();
        prop_assert_eq!(cells, p.clients.len());
    }

    #[test]
    fn exports_import_back_to_the_same_portfolio((seed, shape) in shape(), compact in any::<bool>()) {
        let p = portfolio(seed, shape);
        let back = reimport(&p, compact);
        prop_assert_eq!(&back.clients, &p.clients);
        prop_assert_eq!(&back.records, &p.records);
        prop_assert_eq!(&back.settings, &p.settings);
        prop_assert_eq!(results_csv(&analyze(&back)), results_csv(&analyze(&p)));
    }

    /// Replacing a portfolio's data with its own exports changes nothing.
    #[test]
    fn replacing_with_its_own_exports_changes_nothing((seed, shape) in shape()) {
        use cartera::core::import::{apply_in, Mode};
        let p = portfolio(seed, shape);
        let reading = Settings { number_locale: NumberLocale::Dot, ..p.settings.clone() };
        let mut back = p.clone();
        for text in [records_csv(&p, false), clients_csv(&p)].into_iter().filter(|t| t.lines().count() > 1) {
            back = apply_in(&back, &parse(text.as_bytes(), &reading).unwrap(), Mode::Replace).unwrap().0;
        }
        prop_assert_eq!(back, p);
    }

    #[test]
    fn snapshots_round_trip((seed, shape) in shape()) {
        let p = portfolio(seed, shape);
        prop_assert_eq!(snapshot::decode(&snapshot::encode(&p)).unwrap(), p);
    }

    /// A file merged a slice of rows at a time into a portfolio that already has some of its
    /// clients gives the same portfolio and counts as in one go; its progress only grows.
    #[test]
    fn an_import_applied_in_slices_is_the_same((seed, shape) in shape(), slice in 1usize..9, compact in any::<bool>()) {
        let p = portfolio(seed, shape);
        let text = records_csv(&p, compact);
        prop_assume!(text.lines().count() > 1);
        let parsed = parse(text.as_bytes(), &Settings { number_locale: NumberLocale::Dot, ..p.settings.clone() }).unwrap();
        let base = portfolio(seed.wrapping_add(1), Shape { clients: shape.clients / 2 + 1, ..shape });
        let mut applying = Applying::new(&base, &parsed);
        let mut last = 0;
        while applying.step(&parsed, slice) {
            let (done, all) = applying.progress();
            prop_assert!(done > last && done < all, "{done} after {last}, of {all}");
            last = done;
        }
        prop_assert_eq!(applying.finish(&parsed), apply(&base, &parsed));
        // A clients list too, a slice at a time; once done, stepping again changes nothing.
        let clients = parse(clients_csv(&p).as_bytes(), &Settings { number_locale: NumberLocale::Dot, ..p.settings.clone() }).unwrap();
        let mut applying = Applying::new(&base, &clients);
        let mut steps = 1;
        while applying.step(&clients, slice) {
            steps += 1;
        }
        prop_assert_eq!(steps, p.clients.len().div_ceil(slice).max(1));
        prop_assert!(!applying.step(&clients, slice));
        prop_assert_eq!(applying.finish(&clients), apply(&base, &clients));
    }

    /// An analysis worked out a slice of clients at a time is the analysis in one go, in as
    /// many steps as the slices and the five ranking steps; its progress counts up to twice
    /// the clients (read, then judged), never down.
    #[test]
    fn an_analysis_in_slices_is_the_same((seed, shape) in shape(), slice in 1usize..7, basis in any::<bool>()) {
        let mut p = portfolio(seed, shape);
        if basis {
            p.settings.abc_basis = cartera::core::model::AbcBasis::Revenue;
        }
        let n = p.clients.len();
        let mut analysing = Analysing::new(&p);
        let (mut steps, mut last) = (1, 0);
        while analysing.step(slice) {
            steps += 1;
            let (done, all) = analysing.progress();
            prop_assert!(done >= last && done <= all && all == 2 * n);
            last = done;
        }
        prop_assert_eq!(analysing.progress(), (2 * n, 2 * n));
        // The periods looked at a slice of clients' records at a time, the figures and the
        // judging a slice of clients at a time, and seven whole-portfolio steps between.
        prop_assert_eq!(steps, p.records.len().div_ceil(slice).max(1) + 2 * n.div_ceil(slice) + 7);
        prop_assert_eq!(analysing.finish(), analyze(&p));
    }
}

/// DOMAIN-size portfolios must fit in Chromium's localStorage (about 5 M characters per origin,
/// counted in UTF-16 code units, shared by the index and every portfolio).
#[test]
fn large_portfolios_fit_in_browser_storage() {
    const BUDGET: usize = 5_000_000;
    let full = portfolio(7, Shape { clients: 2_000, periods: 36, every_field: true, density: 100 });
    assert_eq!(full.record_count(), 72_000);
    let full_chars = snapshot::encode(&full).encode_utf16().count();
    // Transactions: 25,000 clients and 70,000 transactions summed into periods.
    let tx = many_transactions();
    let tx_chars = snapshot::encode(&tx).encode_utf16().count();
    println!("snapshot sizes: 2,000×36 every field = {full_chars} chars; 25,000 clients / 70,000 transactions = {tx_chars} chars");
    assert!(full_chars < BUDGET, "{full_chars}");
    assert!(tx_chars < BUDGET, "{tx_chars}");
}

fn many_transactions() -> Portfolio {
    let mut rng = cartera::core::generate::Rng::new(3);
    let mut text = String::from("client,date,amount,cost\n");
    for _ in 0..70_000 {
        let client = 1 + rng.below(25_000);
        let (month, day) = (1 + rng.below(12), 1 + rng.below(28));
        text.push_str(&format!("C{client:05},2025-{month:02}-{day:02},{},{}\n", rng.money(9_000), rng.money(3_000)));
    }
    let mut clients = String::from("client,name\n");
    for i in 1..=25_000 {
        clients.push_str(&format!("C{i:05},Cliente número {i}\n"));
    }
    let mut p = Portfolio::new("transactions");
    for t in [text, clients] {
        p = apply(&p, &parse(t.as_bytes(), &p.settings).unwrap()).unwrap().0;
    }
    assert_eq!(p.clients.len(), 25_000);
    p

}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn edits_of_different_clients_in_two_tabs_both_survive((seed, shape) in shape(), split in 1usize..5) {
        let base = portfolio(seed, shape);
        let ids: Vec<String> = base.clients.keys().cloned().collect();
        // Mine renames every client at an index ≡ 0 (mod split + 1); theirs deletes those at ≡ 1.
        let k = split + 1;
        let mut mine = base.clone();
        let mut theirs = base.clone();
        for (i, id) in ids.iter().enumerate() {
            if i % k == 0 { mine.clients.get_mut(id).unwrap().name = format!("mine {i}"); }
            if i % k == 1 { theirs = cartera::core::edit::delete_client(&theirs, id); }
        }
        theirs.settings.service_rate += Decimal::ONE;
        let merged = three_way(&base, &mine, &theirs).expect("disjoint edits merge");
        prop_assert_eq!(&merged, &three_way(&base, &theirs, &mine).unwrap());
        prop_assert_eq!(merged.settings.service_rate, base.settings.service_rate + Decimal::ONE);
        for (i, id) in ids.iter().enumerate() {
            if i % k == 1 {
                prop_assert!(!merged.clients.contains_key(id) && !merged.records.contains_key(id));
            } else if i % k == 0 {
                prop_assert_eq!(&merged.clients[id].name, &format!("mine {i}"));
                prop_assert_eq!(merged.records.get(id), base.records.get(id));
            }
        }
        // Merging a side with the base, or with itself, gives that side.
        prop_assert_eq!(three_way(&base, &mine, &base).unwrap(), mine.clone());
        prop_assert_eq!(three_way(&base, &base, &theirs).unwrap(), theirs.clone());
        prop_assert_eq!(three_way(&base, &mine, &mine).unwrap(), mine);
    }
}
