//! Profit per client and period (DOMAIN.md §2) and the windows (§3), case by case.

use std::str::FromStr;

use cartera::core::analysis::profit::{figures, windows, Span};
use cartera::core::analysis::{analyze, XyzClass};
use cartera::core::model::{Client, Period, PeriodKind, PeriodRecord, Portfolio, Settings, WindowLength};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn m(y: i32, mo: u32) -> Period {
    PeriodKind::Month.period_of(y, mo)
}

fn settings() -> Settings {
    Settings {
        service_rate: d("45"),
        sales_rate: d("60"),
        ticket_cost: d("15"),
        commission: d("0.05"),
        capital_rate: d("0.0730"),
        ..Settings::default()
    }
}

#[test]
fn profit_of_one_period_term_by_term() {
    // revenue 1000: commission 50, service 2 h × 45 = 90, sales 1 h × 60 = 60, 3 tickets × 15 = 45,
    // late 1000 × 0.073 × 10 / 365 = 2, written off 8, direct cost 300 → profit 445.
    let record = PeriodRecord {
        revenue: d("1000"),
        direct_cost: d("300"),
        discount: d("40"),
        service_hours: d("2"),
        sales_hours: d("1"),
        tickets: 3,
        days_late: d("10"),
        written_off: d("8"),
    };
    type Case = (&'static str, fn(&mut Settings), &'static str, &'static str);
    let cases: &[Case] = &[
        ("every term", |_| {}, "255", "445"),
        ("all rates zero: profit = revenue − direct cost − written off", |s| *s = Settings::default(), "8", "692"),
        ("no commission", |s| s.commission = Decimal::ZERO, "205", "495"),
        ("no cost of money", |s| s.capital_rate = Decimal::ZERO, "253", "447"),
    ];
    for (name, tweak, cts, profit) in cases {
        let mut s = settings();
        tweak(&mut s);
        let client = Client::new("C1");
        let records = [(m(2025, 1), record.clone())].into_iter().collect();
        let f = figures(&client, Some(&records), &s, Span { start: m(2025, 1), end: m(2025, 1) });
        assert_eq!((f.cost_to_serve, f.profit), (d(cts), d(profit)), "{name}");
        assert_eq!(f.margin(), Some(d(profit) / d("1000")), "{name}");
    }
}

#[test]
fn acquisition_cost_is_spread_from_start_whether_or_not_there_are_rows() {
    let mut client = Client::new("C1");
    client.acquisition_cost = d("2400");
    client.start = Some(m(2024, 7));
    let s = Settings::default();
    let records = [(m(2025, 3), PeriodRecord { revenue: d("100"), ..PeriodRecord::default() })].into_iter().collect();
    type Case = (Span, &'static str);
    let cases: &[Case] = &[
        // 100 a month from 2024-07 to 2026-06.
        (Span { start: m(2025, 1), end: m(2025, 12) }, "-1100"),
        (Span { start: m(2024, 1), end: m(2024, 12) }, "-600"),
        (Span { start: m(2026, 6), end: m(2026, 8) }, "-100"),
        (Span { start: m(2024, 1), end: m(2024, 6) }, "0"),
    ];
    for (span, profit) in cases {
        let f = figures(&client, Some(&records), &s, *span);
        assert_eq!(f.profit, d(profit), "{span:?}");
    }
    // Without a start, the span begins at the first row.
    client.start = None;
    let f = figures(&client, Some(&records), &s, Span { start: m(2025, 1), end: m(2025, 12) });
    assert_eq!(f.profit, d("100") - d("1000"));
}

#[test]
fn windows_end_at_the_last_row_and_series_start_at_the_client() {
    let mut p = Portfolio::default();
    for (id, period) in [("old", m(2023, 1)), ("old", m(2025, 6)), ("late", m(2025, 5)), ("late", m(2025, 6))] {
        p.clients.entry(id.to_string()).or_insert_with(|| Client::new(id));
        p.records.entry(id.to_string()).or_default().insert(period, PeriodRecord { revenue: d("10"), ..PeriodRecord::default() });
    }
    let (now, prev) = windows(&p).unwrap();
    assert_eq!((now.start, now.end), (m(2024, 7), m(2025, 6)));
    assert_eq!((prev.start, prev.end), (m(2023, 7), m(2024, 6)));
    let a = analyze(&p);
    let late = a.client("late").unwrap();
    assert_eq!(late.now.series.len(), 2);
    assert!(late.flags.new);
    assert_eq!(late.cell.xyz, XyzClass::Z);
    let old = a.client("old").unwrap();
    assert_eq!(old.now.series.len(), 12, "missing periods count as zero");

    p.settings.window = WindowLength::All;
    let (now, _) = windows(&p).unwrap();
    assert_eq!((now.start, now.end, now.len()), (m(2023, 1), m(2025, 6), 30));
    p.settings.window = WindowLength::Last(3);
    assert_eq!(windows(&p).unwrap().0.start, m(2025, 4));
}

#[test]
fn an_empty_portfolio_analyses_to_nothing() {
    let a = analyze(&Portfolio::default());
    assert!(a.window.is_none());
    assert!(a.clients.is_empty());
    let mut p = Portfolio::default();
    p.clients.insert("C1".into(), Client::new("C1"));
    let a = analyze(&p);
    assert!(a.clients[0].flags.inactive && a.clients[0].flags.no_revenue);
}
