//! Synthetic portfolios of any size, deterministic from a seed: for benchmarks, storage-size
//! measurements and property tests. Not used by the app's analysis.

use rust_decimal::Decimal;

use crate::core::model::{Client, PeriodKind, PeriodRecord, Portfolio, Potential, Settings, Status};

/// A small, fast, deterministic random source (SplitMix64).
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }
    /// A whole number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }
    /// Money with 2 decimals in `0..max` (whole units).
    pub fn money(&mut self, max: u64) -> Decimal {
        Decimal::new(self.below(max * 100) as i64, 2)
    }
}

/// What to generate.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    pub clients: usize,
    pub periods: usize,
    /// Fill every record field (hours, tickets, discounts, terms), not only revenue and cost.
    pub every_field: bool,
    /// Share of client-periods with a record, in percent.
    pub density: u64,
}

/// A portfolio of `shape.clients` clients over `shape.periods` months ending 2025-12, with
/// realistic spreads: retainers, projects, loss-makers, referrals and a few new clients.
pub fn portfolio(seed: u64, shape: Shape) -> Portfolio {
    let mut rng = Rng::new(seed);
    let settings = Settings {
        service_rate: Decimal::from(45),
        sales_rate: Decimal::from(60),
        ticket_cost: Decimal::from(15),
        commission: Decimal::new(5, 2),
        capital_rate: Decimal::new(8, 2),
        ..Settings::default()
    };
    let mut p = Portfolio { name: format!("Generated {}×{}", shape.clients, shape.periods), settings, ..Portfolio::default() };
    let end = PeriodKind::Month.period_of(2025, 12);
    let start = end.offset(1 - shape.periods as i32);
    for i in 0..shape.clients {
        let id = format!("G{:06}", i + 1);
        let mut client = Client::new(id.clone());
        client.name = format!("Client {}", i + 1);
        client.icp_fit = 1 + rng.below(5) as u8;
        client.potential = Potential::ALL[rng.below(4) as usize];
        client.strategic = rng.below(50) == 0;
        client.status = if rng.below(40) == 0 { Status::Former } else { Status::Active };
        if i > 10 && rng.below(20) == 0 {
            // Refer to an earlier client: never a cycle.
            client.referred_by = Some(format!("G{:06}", 1 + rng.below(i as u64 - 1)));
        }
        if rng.below(8) == 0 {
            client.acquisition_cost = Decimal::from(500 + rng.below(6000));
            client.start = Some(start.offset(rng.below(shape.periods as u64) as i32));
        }
        let size = 200 + rng.below(20_000);
        let steady = rng.below(3) != 0;
        // With full density every client has every period; otherwise some start late (new clients).
        let first = if shape.density < 100 && rng.below(10) == 0 { shape.periods as u64 - 1 - rng.below(3).min(shape.periods as u64 - 1) } else { 0 };
        let mut records = std::collections::BTreeMap::new();
        for k in first as usize..shape.periods {
            if rng.below(100) >= shape.density {
                continue;
            }
            let base = if steady { size } else { rng.below(size * 2) };
            let revenue = Decimal::new((base * 100 + rng.below(base * 10 + 1)) as i64, 2);
            let mut r = PeriodRecord { revenue, direct_cost: revenue * Decimal::new(rng.below(60) as i64, 2), ..PeriodRecord::default() };
            r.direct_cost = r.direct_cost.round_dp(2);
            if shape.every_field {
                r.discount = rng.money(base / 20 + 1);
                r.service_hours = Decimal::new(rng.below(800) as i64, 1);
                r.sales_hours = Decimal::new(rng.below(100) as i64, 1);
                r.tickets = rng.below(40) as u32;
                r.days_late = Decimal::new(rng.below(600) as i64, 1);
                r.written_off = if rng.below(50) == 0 { rng.money(base / 2 + 1) } else { Decimal::ZERO };
            }
            records.insert(start.offset(k as i32), r);
        }
        if !records.is_empty() {
            p.records.insert(id.clone(), records);
        }
        p.clients.insert(id, client);
    }
    p
}

/// A transactions file shaped like a real retail log: `clients` customers over `months`
/// months ending 2025-12, most of them buying one to three times, a regular few (about one in
/// a hundred) buying most months. Amounts and costs vary from purchase to purchase.
pub fn retail_transactions(seed: u64, clients: usize, months: u32) -> String {
    let mut rng = Rng::new(seed);
    let mut text = String::with_capacity(clients * 90);
    text.push_str("client,date,amount,cost\n");
    let first = 2026 * 12 - months as i32; // months since year 0 of the first month
    for i in 0..clients {
        let regular = rng.below(100) == 0;
        let purchases = if regular { months as u64 * 2 / 3 + rng.below(months as u64 / 3 + 1) } else { 1 + rng.below(3) };
        for _ in 0..purchases {
            let m = first + rng.below(months as u64) as i32;
            let (year, month, day) = (m / 12, m % 12 + 1, 1 + rng.below(28));
            let amount = rng.money(if regular { 900 } else { 300 }) + Decimal::ONE;
            let cost = amount * Decimal::new(55 + rng.below(20) as i64, 2);
            text.push_str(&format!("R{:06},{year}-{month:02}-{day:02},{amount},{}\n", i + 1, cost.round_dp(2)));
        }
    }
    text
}

/// Revenue by month as pasted from a spreadsheet (the wide format of DOMAIN.md §9): `clients`
/// rows, one column per month for `months` months ending 2025-12. Most clients buy most
/// months; about one in five has gaps; a few have credit notes. 100,000 × 36 is about 25 MB,
/// within the import limit.
pub fn wide_revenue(seed: u64, clients: usize, months: u32) -> String {
    let mut rng = Rng::new(seed);
    let first = 2026 * 12 - months as i32;
    let mut text = String::with_capacity(clients * (months as usize * 7 + 10));
    text.push_str("client");
    for m in first..first + months as i32 {
        text.push_str(&format!(",{}-{:02}", m / 12, m % 12 + 1));
    }
    text.push('\n');
    for i in 0..clients {
        let gappy = rng.below(5) == 0;
        let size = 50 + rng.below(5_000);
        text.push_str(&format!("W{:06}", i + 1));
        for _ in 0..months {
            text.push(',');
            if gappy && rng.below(3) == 0 {
                continue;
            }
            let mut amount = Decimal::from(size / 2 + rng.below(size));
            if rng.below(200) == 0 {
                amount = -amount / Decimal::from(10);
            }
            text.push_str(&amount.to_string());
        }
        text.push('\n');
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A generated file imported into an empty portfolio.
    fn imported(text: &str) -> Portfolio {
        crate::core::import::parse(text.as_bytes(), &Settings::default())
            .and_then(|parsed| crate::core::import::apply(&Portfolio::default(), &parsed))
            .unwrap()
            .0
    }

    #[test]
    fn wide_revenue_reads_as_one_client_a_row_and_one_period_a_column() {
        let text = wide_revenue(7, 300, 36);
        let p = imported(&text);
        assert_eq!(p.clients.len(), 300);
        assert_eq!(p.first_period(), Some(PeriodKind::Month.period_of(2023, 1)));
        assert_eq!(p.last_period(), Some(PeriodKind::Month.period_of(2025, 12)));
        let full = p.records.values().filter(|r| r.len() == 36).count();
        assert!((180..300).contains(&full), "{full} clients with every month");
        assert!(p.records.values().flat_map(|r| r.values()).any(|r| r.revenue < Decimal::ZERO), "a credit note");
    }

    #[test]
    fn a_retail_log_has_many_occasional_buyers_and_few_regulars() {
        let text = retail_transactions(5, 5_000, 18);
        let p = imported(&text);
        assert_eq!(p.clients.len(), 5_000);
        let periods: Vec<usize> = p.records.values().map(|r| r.len()).collect();
        let occasional = periods.iter().filter(|n| **n <= 3).count();
        let regular = periods.iter().filter(|n| **n >= 10).count();
        assert!(occasional > 4_800, "{occasional} occasional buyers");
        assert!((20..=100).contains(&regular), "{regular} regulars");
        assert_eq!(p.first_period(), Some(PeriodKind::Month.period_of(2024, 7)));
        assert_eq!(p.last_period(), Some(PeriodKind::Month.period_of(2025, 12)));
        assert_eq!(retail_transactions(5, 5_000, 18), text, "the same seed gives the same file");
    }
}
