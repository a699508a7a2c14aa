//! The lists and models the pages show, computed in the engine: sorting and search of the
//! client table, verdict groups, the what-if order, top clients, cell and flag lists, who
//! moved after a settings change, per-client period lines, chart models and flags. Checked on
//! the sample portfolio against the plain definitions they replace.

use std::collections::BTreeSet;

use cartera::core::analysis::view::{self, ClientPeriods, ClientSort};
use cartera::core::analysis::what_if::{reprice, reprice_percent, what_if};
use cartera::core::analysis::{analyze, Analysis, Cell, Family, Flag, Verdict};
use cartera::core::chart;
use cartera::core::demo;
use cartera::core::model::{NumberLocale, Portfolio, Settings};
use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

fn sample() -> (Portfolio, Analysis) {
    let p = demo::portfolio("demo").unwrap();
    let a = analyze(&p);
    (p, a)
}

fn ids(a: &Analysis, rows: &[usize]) -> Vec<String> {
    rows.iter().map(|&i| a.clients[i].id.clone()).collect()
}

#[test]
fn the_client_table_sorts_by_every_column() {
    let (_, a) = sample();
    // (column, the text it sorts by)
    type Key = fn(&cartera::core::analysis::ClientAnalysis) -> String;
    let cases: [(ClientSort, Key); 5] = [
        (ClientSort::Id, |c| c.id.clone()),
        (ClientSort::Name, |c| c.name.to_lowercase()),
        (ClientSort::Cell, |c| c.cell.label().to_string()),
        (ClientSort::Abc, |c| c.cell.abc.as_str().to_string()),
        (ClientSort::Xyz, |c| c.cell.xyz.as_str().to_string()),
    ];
    for (key, text) in cases {
        let rows = view::sorted(&a, key, true);
        assert_eq!(rows.len(), a.clients.len(), "{key:?}: every client once");
        for w in rows.windows(2) {
            let (x, y) = (&a.clients[w[0]], &a.clients[w[1]]);
            assert!((text(x), &x.id) <= (text(y), &y.id), "{key:?}: {} before {}", x.id, y.id);
        }
        let mut down = view::sorted(&a, key, false);
        down.reverse();
        assert_eq!(down, rows, "{key:?}: descending is ascending reversed (ties by id too)");
    }
    let money: [(ClientSort, fn(&cartera::core::analysis::ClientAnalysis) -> Decimal); 3] = [
        (ClientSort::Revenue, |c| c.now.revenue),
        (ClientSort::CostToServe, |c| c.now.cost_to_serve),
        (ClientSort::Profit, |c| c.now.profit),
    ];
    for (key, value) in money {
        let rows = view::sorted(&a, key, false);
        for w in rows.windows(2) {
            let (x, y) = (&a.clients[w[0]], &a.clients[w[1]]);
            assert!(value(x) > value(y) || value(x) == value(y) && x.id > y.id, "{key:?} descending: {} before {}", x.id, y.id);
        }
    }
    // Profit descending with ties by id ascending is the export order.
    let mut by_profit = a.profit_order.clone();
    let sorted = view::sorted(&a, ClientSort::Profit, false);
    assert_eq!(by_profit.len(), sorted.len());
    by_profit.sort();
    let mut s2 = sorted.clone();
    s2.sort();
    assert_eq!(by_profit, s2);
    let margin = view::sorted(&a, ClientSort::Margin, true);
    for w in margin.windows(2) {
        assert!(a.clients[w[0]].now.margin() <= a.clients[w[1]].now.margin(), "margin ascending, undefined first");
    }
    assert!(ClientSort::Name.starts_ascending() && !ClientSort::Profit.starts_ascending());
}

#[test]
fn search_finds_by_name_or_id_in_any_case_and_keeps_the_order() {
    let (_, a) = sample();
    let all = view::sorted(&a, ClientSort::Name, true);
    let first = &a.clients[all[0]];
    // (query, expected ids)
    let by_name: Vec<String> = ids(&a, &all).into_iter().filter(|id| {
        let c = a.client(id).unwrap();
        c.name.to_lowercase().contains("ооо") || c.id.to_lowercase().contains("ооо")
    }).collect();
    let cases: Vec<(String, Vec<String>)> = vec![
        (String::new(), ids(&a, &all)),
        ("   ".into(), ids(&a, &all)),
        (first.id.to_lowercase(), ids(&a, &all).into_iter().filter(|id| id.to_lowercase().contains(&first.id.to_lowercase()) || a.client(id).unwrap().name.to_lowercase().contains(&first.id.to_lowercase())).collect()),
        ("ООО".into(), by_name),
        ("no such client at all".into(), Vec::new()),
    ];
    for (query, want) in cases {
        assert_eq!(ids(&a, &view::search(&a, &all, &query)), want, "query {query:?}");
    }
    assert!(view::search(&a, &all, "ооо").len() >= 2, "Cyrillic names are found in any case");
}

#[test]
fn verdict_groups_follow_the_rules_and_the_scores() {
    let (_, a) = sample();
    let groups = view::by_verdict(&a);
    assert_eq!(groups.iter().map(|g| g.members.len()).sum::<usize>(), a.clients.len());
    let order: Vec<usize> = groups.iter().map(|g| Verdict::ALL.iter().position(|v| *v == g.verdict).unwrap()).collect();
    assert!(order.windows(2).all(|w| w[0] < w[1]), "rule order, each verdict once");
    for g in &groups {
        assert!(!g.members.is_empty(), "{:?}: no empty groups", g.verdict);
        assert!(g.members.iter().all(|&i| a.clients[i].decision.verdict == g.verdict));
        for w in g.members.windows(2) {
            let (x, y) = (&a.clients[w[0]], &a.clients[w[1]]);
            let (sx, sy) = (a.scores[w[0]], a.scores[w[1]]);
            assert!(sx > sy || sx == sy && x.id < y.id, "{:?} by score", g.verdict);
        }
    }
    assert!(groups.len() >= 5, "the sample gives many verdicts");
}

#[test]
fn the_what_if_list_puts_exits_first_then_the_least_profitable() {
    let (_, a) = sample();
    let rows = view::exits_first(&a);
    assert_eq!(rows.len(), a.clients.len());
    let exits = rows.iter().take_while(|&&i| a.clients[i].decision.verdict.is_exit()).count();
    assert_eq!(exits, a.clients.iter().filter(|c| c.decision.verdict.is_exit()).count(), "every exit before any other");
    assert!(exits > 0);
    for part in [&rows[..exits], &rows[exits..]] {
        for w in part.windows(2) {
            assert!(a.clients[w[0]].now.profit <= a.clients[w[1]].now.profit);
        }
    }
}

#[test]
fn top_clients_cells_and_flags() {
    let (p, a) = sample();
    // (n, expected length)
    for (n, want) in [(0, 0), (1, 1), (10, 10), (1_000, a.clients.iter().filter(|c| c.now.profit > Decimal::ZERO).count())] {
        let top = view::top_by_profit(&a, n);
        assert_eq!(top.len(), want, "top {n}");
        assert!(top.iter().all(|&i| a.clients[i].now.profit > Decimal::ZERO));
        assert_eq!(top, a.profit_order[..want].to_vec(), "top {n} is the head of the profit ranking");
    }
    let totals = a.cell_totals();
    for cell in Cell::all() {
        let rows = view::in_cell(&a, cell);
        assert_eq!(rows.len(), totals[cell.index()].0, "{cell}");
        assert_eq!(rows.iter().map(|&i| a.clients[i].now.profit).sum::<Decimal>(), totals[cell.index()].1, "{cell}");
    }
    for flag in Flag::ALL {
        let rows = view::flagged(&a, flag);
        let want: Vec<usize> = (0..a.clients.len()).filter(|&i| a.clients[i].flags.has(flag)).collect();
        assert_eq!(rows, want, "{flag:?}");
    }
    assert!(!view::flagged(&a, Flag::Slid).is_empty() && !view::flagged(&a, Flag::Loss).is_empty());
    let c = chart::concentration(&a, &p.settings);
    assert_eq!(c.clients, view::top_by_profit(&a, chart::CONCENTRATION_TOP));
    assert_eq!(c.bars.lengths.len(), c.clients.len());
}

#[test]
fn flags_have_their_export_names_in_order() {
    let names: Vec<&str> = Flag::ALL.iter().map(|f| f.name()).collect();
    assert_eq!(names, ["loss", "no revenue", "new", "inactive", "concentration", "slid", "ageing"]);
    let (_, a) = sample();
    for c in &a.clients {
        let raised: Vec<Flag> = c.flags.raised().collect();
        let fields = [c.flags.loss, c.flags.no_revenue, c.flags.new, c.flags.inactive, c.flags.concentration, c.flags.slid, c.flags.ageing];
        let want: Vec<Flag> = Flag::ALL.iter().zip(fields).filter(|(_, on)| *on).map(|(f, _)| *f).collect();
        assert_eq!(raised, want, "{}", c.id);
    }
}

#[test]
fn every_verdict_has_a_family_and_exits_are_the_exit_family() {
    // (verdict, family)
    let cases = [
        (Verdict::RepriceOrExit, Family::Exit),
        (Verdict::LetGoGradually, Family::Exit),
        (Verdict::Rest, Family::Exit),
        (Verdict::KeyKeep, Family::Keep),
        (Verdict::KeepAndGrow, Family::Keep),
        (Verdict::KeepAndStabilise, Family::Keep),
        (Verdict::ProtectAndDiversify, Family::Watch),
        (Verdict::Renegotiate, Family::Watch),
        (Verdict::KeyVolatile, Family::Watch),
        (Verdict::UpsellToB, Family::Watch),
        (Verdict::KeepForIndirectValue, Family::Other),
        (Verdict::Dormant, Family::Other),
        (Verdict::TooEarly, Family::Other),
    ];
    assert_eq!(cases.len(), Verdict::ALL.len());
    for (v, f) in cases {
        assert_eq!(v.family(), f, "{v:?}");
        assert_eq!(v.is_exit(), f == Family::Exit, "{v:?}");
    }
}

#[test]
fn a_settings_change_lists_who_moved() {
    let (p, before) = sample();
    assert!(view::moved(&before, &before).is_empty(), "no change, nobody moved");
    // (what changes, whether some class or verdict must move)
    let mut stricter = p.clone();
    stricter.settings.a = Decimal::new(50, 2);
    let mut weights = p.clone();
    weights.settings.weights.0[0] += Decimal::from(10);
    for (case, next, decisive) in [("a = 50%", stricter, true), ("profitability weight +10", weights, false)] {
        let after = analyze(&next);
        let moved = view::moved(&before, &after);
        assert!(!moved.is_empty(), "{case}");
        // Brute force: exactly the clients whose cell, verdict or score (one decimal) differ.
        let shown = |x: f64| (x * 10.0).round() as i64;
        let want: BTreeSet<&str> = after
            .clients
            .iter()
            .filter(|c| {
                let b = before.client(&c.id).unwrap();
                b.cell != c.cell || b.decision.verdict != c.decision.verdict || shown(before.score_of(&b.id).unwrap()) != shown(after.score_of(&c.id).unwrap())
            })
            .map(|c| c.id.as_str())
            .collect();
        assert_eq!(moved.iter().map(|m| m.id.as_str()).collect::<BTreeSet<_>>(), want, "{case}");
        // In order: class and verdict changes first, then the largest score changes, then id.
        let mut ordered = moved.clone();
        ordered.sort_by(|x, y| y.decisive().cmp(&x.decisive()).then_with(|| (y.score.1 - y.score.0).abs().total_cmp(&(x.score.1 - x.score.0).abs())).then_with(|| x.id.cmp(&y.id)));
        assert_eq!(moved, ordered, "{case}: in order");
        let first_score_only = moved.iter().position(|m| !m.decisive()).unwrap_or(moved.len());
        assert!(moved[first_score_only..].iter().all(|m| !m.decisive()), "{case}: class and verdict changes first");
        if decisive {
            assert!(moved[0].decisive(), "{case}");
        } else {
            assert!(moved.iter().all(|m| m.cell.0 == m.cell.1), "{case}: a weight moves no class");
        }
    }
}

/// Each client of an analysis finds its entry in who moved: by the index it was listed at, and
/// by id once the analysis has changed since (a client removed shifts the others).
#[test]
fn who_moved_is_found_by_client_index_and_by_id_after_a_change() {
    let (p, before) = sample();
    let mut stricter = p.clone();
    stricter.settings.a = Decimal::new(50, 2);
    let after = analyze(&stricter);
    let moved = view::moved(&before, &after);
    for (i, m) in moved.iter().enumerate() {
        assert_eq!(after.clients[m.client].id, m.id, "entry {i} is listed at its client's index");
    }
    let found = |a: &Analysis| -> Vec<(String, String)> {
        let at = view::moved_at(&moved, a);
        assert_eq!(at.len(), a.clients.len());
        (0..a.clients.len()).filter(|&i| at[i] != u32::MAX).map(|i| (a.clients[i].id.clone(), moved[at[i] as usize].id.clone())).collect()
    };
    let pairs = found(&after);
    assert_eq!(pairs.len(), moved.len(), "every entry found");
    assert!(pairs.iter().all(|(client, entry)| client == entry), "each at its own client");
    // A client removed after the list was made: the rest are found by id, the removed one not.
    let gone = moved[moved.len() / 2].id.clone();
    let first = after.clients[0].id.clone();
    let mut fewer = stricter.clone();
    for id in [&gone, &first] {
        fewer.clients.remove(id.as_str());
        fewer.records.remove(id.as_str());
    }
    let later = analyze(&fewer);
    let pairs = found(&later);
    assert!(pairs.iter().all(|(client, entry)| client == entry), "each at its own client after the change");
    let listed: BTreeSet<&str> = moved.iter().map(|m| m.id.as_str()).filter(|id| *id != gone && *id != first).collect();
    assert_eq!(pairs.iter().map(|(c, _)| c.as_str()).collect::<BTreeSet<_>>(), listed, "all but the removed");
}

#[test]
fn a_clients_period_lines_cover_both_windows() {
    let (p, a) = sample();
    let (w, pw) = (a.window.unwrap(), a.previous_window.unwrap());
    for c in a.clients.iter().take(10) {
        let lines = ClientPeriods::of(&p, &a, &c.id);
        assert_eq!(lines.now.len(), w.len() as usize, "{}", c.id);
        assert_eq!(lines.previous.len(), pw.len() as usize, "{}", c.id);
        assert_eq!(lines.now.iter().map(|l| l.profit).sum::<Decimal>(), c.now.profit, "{}: the lines add up to the window", c.id);
        assert_eq!(lines.now.iter().map(|l| l.revenue).sum::<Decimal>(), c.now.revenue, "{}", c.id);
        let chart = chart::client_periods(&lines);
        assert_eq!(chart.revenue.len(), lines.all().count());
    }
    let none = ClientPeriods::of(&p, &a, "no such client");
    assert!(none.now.is_empty() && none.previous.is_empty());
    let all: Vec<usize> = (0..a.clients.len()).collect();
    let sparks = chart::sparklines(&p, &a, &all);
    assert_eq!(sparks.len(), a.clients.len());
    assert_eq!(chart::sparklines(&p, &a, &all[5..7]), sparks[5..7].to_vec(), "one client's line does not depend on the others shown");
    assert!(sparks.iter().all(|s| s.paths.len() == 2));
}

#[test]
fn what_if_changes_and_repricing_in_percent() {
    let (p, a) = sample();
    let exits: BTreeSet<String> = a.clients.iter().filter(|c| c.decision.verdict.is_exit()).map(|c| c.id.clone()).collect();
    for redeploy in [false, true] {
        let r = what_if(&a, &exits, redeploy);
        let change = r.change();
        assert_eq!(change.revenue, r.after.revenue - r.before.revenue);
        assert_eq!(change.profit, r.after.profit - r.before.profit);
        assert_eq!(change.service_hours, r.after.service_hours - r.before.service_hours);
    }
    let c = &a.clients[0];
    // (rise %, leave %, the fractions they stand for)
    let cases = [(10, 20, (Decimal::new(10, 2), Decimal::new(20, 2))), (5, 150, (Decimal::new(5, 2), Decimal::ONE)), (5, -10, (Decimal::new(5, 2), Decimal::ZERO))];
    for (rise, leave, (r, l)) in cases {
        assert_eq!(reprice_percent(c, p.settings.commission, Decimal::from(rise), Decimal::from(leave)), reprice(c, p.settings.commission, r, l), "{rise}% / {leave}%");
    }
}

#[test]
fn resetting_settings_keeps_what_describes_the_data() {
    let s = Settings { currency: "RUB".into(), number_locale: NumberLocale::Comma, a: Decimal::new(60, 2), ..Settings::default() };
    let r = s.reset();
    assert_eq!((r.currency.as_str(), r.number_locale, r.period_kind), ("RUB", NumberLocale::Comma, s.period_kind));
    assert_eq!(r.a, Settings::default().a);
}

#[test]
fn bounds_take_in_the_start() {
    // (values, start, expected)
    let cases: [(&[f64], (f64, f64), (f64, f64)); 4] = [
        (&[], (0.0, 0.0), (0.0, 0.0)),
        (&[3.0, 7.0], (0.0, 0.0), (0.0, 7.0)),
        (&[-2.0, 5.0], (0.0, 100.0), (-2.0, 100.0)),
        (&[120.0], (0.0, 100.0), (0.0, 120.0)),
    ];
    for (values, start, want) in cases {
        assert_eq!(chart::bounds(values.iter().copied(), start), want, "{values:?}");
    }
}

#[test]
fn new_weights_rescore_exactly_as_a_full_analysis() {
    for (seed, clients) in [(1, 78), (2, 400)] {
        let p = if clients == 78 { demo::portfolio("demo").unwrap() } else { cartera::core::generate::portfolio(seed, cartera::core::generate::Shape { clients, periods: 18, every_field: true, density: 80 }) };
        let a = analyze(&p);
        // (weights)
        let cases = [[0, 0, 0, 0, 0, 0, 0, 0], [30, 15, 15, 10, 10, 10, 5, 5], [1, 0, 0, 0, 0, 0, 0, 9], [5, 5, 5, 5, 5, 5, 5, 5]];
        for w in cases {
            let mut q = p.clone();
            q.settings.weights.0 = w.map(Decimal::from);
            assert_eq!(a.reweighted(&q.settings.weights), analyze(&q), "weights {w:?}");
        }
    }
}

/// The profit column is read off the analysis' profit order, not sorted again: the same as a
/// sort, ties (many clients with no profit in the window) included, both ways.
#[test]
fn the_profit_order_without_a_sort_equals_a_sort() {
    use cartera::core::generate::{portfolio, Shape};
    let mut ties = 0;
    for seed in 0..12 {
        let p = portfolio(seed, Shape { clients: 60, periods: 3, every_field: false, density: 30 });
        let a = analyze(&p);
        for ascending in [false, true] {
            let mut naive: Vec<usize> = (0..a.clients.len()).collect();
            naive.sort_by(|&i, &j| {
                let (x, y) = (&a.clients[i], &a.clients[j]);
                let o = x.now.profit.cmp(&y.now.profit).then_with(|| x.id.cmp(&y.id));
                if ascending { o } else { o.reverse() }
            });
            assert_eq!(view::sorted(&a, ClientSort::Profit, ascending), naive, "seed {seed}, ascending {ascending}");
        }
        ties += a.profit_order.windows(2).filter(|w| a.clients[w[0]].now.profit == a.clients[w[1]].now.profit).count();
    }
    assert!(ties > 10, "the portfolios have ties to turn round ({ties})");
}

/// Letting nobody go changes nothing: the totals before (read off the analysis) equal those
/// after (summed over the clients that stay), concentration included; on generated
/// portfolios too.
#[test]
fn letting_nobody_go_leaves_the_totals_as_they_are() {
    use cartera::core::generate::{portfolio, Shape};
    let (_, a) = sample();
    let none = BTreeSet::new();
    let r = what_if(&a, &none, false);
    assert_eq!(r.before, r.after);
    for seed in 0..6 {
        let a = analyze(&portfolio(seed, Shape { clients: 40, periods: 12, every_field: true, density: 80 }));
        let r = what_if(&a, &none, false);
        assert_eq!(r.before, r.after, "seed {seed}");
    }
}

/// An analysis left behind is freed in slices (the page frees 100,000 clients' results a slice
/// at a time); one that shares its clients with another (a weight change) frees nothing of them.
#[test]
fn an_analysis_is_let_go_in_slices_unless_its_clients_are_shared() {
    let (p, a) = sample();
    let mut other = a.reweighted(&p.settings.weights);
    assert!(!other.let_go(10), "shared with the analysis it was reweighted from");
    assert_eq!(other.clients.len(), a.clients.len());
    let n = a.clients.len();
    drop(a);
    let mut slices = 1;
    while other.let_go(10) {
        slices += 1;
        assert_eq!(other.clients.len(), n - 10 * (slices - 1), "ten at a time");
    }
    assert!(other.clients.is_empty());
    assert_eq!(slices, n.div_ceil(10));
}

/// The what-if reads its selection beside the clients, both in id order: any selection — every
/// k-th client, ids before, between and after the portfolio's — leaves exactly the others.
#[test]
fn what_if_reads_any_selection_of_ids() {
    let (_, a) = sample();
    let ids: Vec<String> = a.clients.iter().map(|c| c.id.clone()).collect();
    for k in [1, 2, 3, 7, 1000] {
        let mut selection: BTreeSet<String> = ids.iter().step_by(k).cloned().collect();
        for stranger in [String::new(), "~ after every id".to_string(), format!("{}-not-a-client", ids[1])] {
            selection.insert(stranger);
        }
        let r = what_if(&a, &selection, false);
        let (going, staying): (Vec<_>, Vec<_>) = a.clients.iter().partition(|c| selection.contains(&c.id));
        assert_eq!(going.len(), ids.len().div_ceil(k), "k = {k}");
        assert_eq!(r.after.revenue, staying.iter().map(|c| c.now.revenue).sum::<Decimal>(), "k = {k}");
        assert_eq!(r.after.service_hours, staying.iter().map(|c| c.now.service_hours).sum::<Decimal>(), "k = {k}");
        assert_eq!(r.freed_hours, going.iter().map(|c| c.now.service_hours).sum::<Decimal>(), "k = {k}");
        assert_eq!(r.before.service_hours, a.clients.iter().map(|c| c.now.service_hours).sum::<Decimal>(), "k = {k}");
        // The index as DOMAIN.md §6 states it: Σ (100 × share of positive revenue)².
        let positive: Vec<Decimal> = staying.iter().map(|c| c.now.revenue).filter(|r| *r > Decimal::ZERO).collect();
        let whole: Decimal = positive.iter().sum();
        let hhi: f64 = positive.iter().map(|r| (r / whole).to_f64().unwrap() * 100.0).map(|s| s * s).sum();
        assert!((r.after.hhi - hhi).abs() < 1e-6 * hhi.max(1.0), "k = {k}: {} against {hhi}", r.after.hhi);
    }
}

/// What the analysis counts as it judges — profits by client, totals by cell in both windows —
/// is what its clients' results say, on the sample and on a generated portfolio.
#[test]
fn the_counted_profits_and_cell_totals_are_the_clients() {
    use cartera::core::generate::{portfolio, Shape};
    let generated = portfolio(3, Shape { clients: 600, periods: 24, every_field: true, density: 60 });
    for (label, p) in [("sample", sample().0), ("generated", generated)] {
        let a = analyze(&p);
        assert_eq!(a.profits, a.clients.iter().map(|c| c.now.profit).collect::<Vec<_>>(), "{label}");
        let mut now = [(0usize, Decimal::ZERO); 9];
        let mut previous = [(0usize, Decimal::ZERO); 9];
        for c in a.clients.iter() {
            now[c.cell.index()].0 += 1;
            now[c.cell.index()].1 += c.now.profit;
            previous[c.previous_cell.index()].0 += 1;
            previous[c.previous_cell.index()].1 += c.previous.profit;
        }
        assert_eq!(a.cells.now, now, "{label}");
        assert_eq!(a.cells.previous, previous, "{label}");
        assert_eq!(a.cells.previous_data, a.clients.iter().any(|c| !c.previous.revenue.is_zero()), "{label}");
        assert!(now.iter().filter(|t| t.0 > 0).count() > 3, "{label}: several cells are filled");
    }
}
