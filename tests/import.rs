//! Importing every §9 format, and refusing bad input whole with positioned problems.

use std::str::FromStr;

use cartera::core::import::{apply, parse, Expected, Format, Parsed, Problem, ProblemKind};
use cartera::core::model::{NumberLocale, Period, PeriodKind, Portfolio, Potential, Settings, Status};
use rust_decimal::Decimal;

fn d(s: &str) -> Decimal {
    Decimal::from_str(s).unwrap()
}

fn month(y: i32, m: u32) -> Period {
    PeriodKind::Month.period_of(y, m)
}

fn import(p: &Portfolio, text: &str) -> Result<Portfolio, Vec<Problem>> {
    let parsed = parse(text.as_bytes(), &p.settings)?;
    apply(p, &parsed).map(|(next, _)| next)
}

#[test]
fn records_in_any_separator_with_a_bom() {
    let files = [
        "\u{feff}client,period,revenue,service_hours\nC1,2025-01,\"1,234.50\",2.5\nC1,2025-02,100,0\n",
        "Cliente;Periodo;Ingresos;Horas\nC1;2025-01;1.234,50;2,5\nC1;02.2025;;\n",
        "client\tperiod\trevenue\tservice_hours\nC1\tJan 2025\t1 234,50\t2.5\nC1\t2025-02\t100\t0\n",
    ];
    for text in files {
        let p = import(&Portfolio::default(), text).unwrap_or_else(|e| panic!("{text:?}: {e:?}"));
        let r = &p.records["C1"][&month(2025, 1)];
        assert_eq!(r.revenue, d("1234.50"), "{text:?}");
        assert_eq!(r.service_hours, d("2.5"), "{text:?}");
        assert!(p.clients.contains_key("C1"));
    }
}

#[test]
fn transactions_are_summed_into_their_period() {
    let text = "client,date,amount,cost\nC1,2025-01-05,100.10,10\nC1,31/01/2025,50,5\nC1,20250201,7,\nC2,03.01.2025,-20,\n";
    let parsed = parse(text.as_bytes(), &Settings::default()).unwrap();
    assert_eq!(parsed.format(), Format::Transactions);
    let p = apply(&Portfolio::default(), &parsed).unwrap().0;
    assert_eq!(p.records["C1"][&month(2025, 1)].revenue, d("150.10"));
    assert_eq!(p.records["C1"][&month(2025, 1)].direct_cost, d("15"));
    assert_eq!(p.records["C1"][&month(2025, 2)].revenue, d("7"));
    assert_eq!(p.records["C2"][&month(2025, 1)].revenue, d("-20"));
}

#[test]
fn wide_revenue_sets_revenue_and_keeps_the_rest() {
    let base = import(&Portfolio::default(), "client,period,revenue,service_hours\nC1,2025-01,100,9\n").unwrap();
    let text = "Client;Jan 2025;Feb 2025;mar-25\nC1;200;;300\nC2;1.234,5;10;0\n";
    let parsed = parse(text.as_bytes(), &base.settings).unwrap();
    assert_eq!(parsed.format(), Format::WideRevenue);
    let (p, summary) = apply(&base, &parsed).unwrap();
    assert_eq!(summary.records_replaced, 1);
    assert_eq!(summary.clients_added, 1);
    let jan = &p.records["C1"][&month(2025, 1)];
    assert_eq!((jan.revenue, jan.service_hours), (d("200"), d("9")));
    assert!(!p.records["C1"].contains_key(&month(2025, 2)), "an empty cell is no record");
    assert_eq!(p.records["C2"][&month(2025, 1)].revenue, d("1234.5"));
    // Held until applied, a sheet's rows are its revenue only: a third of a whole record's
    // row, for the millions of rows of a large sheet.
    use cartera::core::import::{RecordRow, RevenueRow};
    assert!(3 * std::mem::size_of::<RevenueRow>() < 2 * std::mem::size_of::<RecordRow>());
    let Parsed::Revenue { rows, .. } = &parsed else { panic!("revenue") };
    assert_eq!(rows.iter().map(|r| (r.client.to_string(), r.period, r.record.revenue)).collect::<Vec<_>>(), [
        ("C1".to_string(), month(2025, 1), d("200")),
        ("C1".to_string(), month(2025, 3), d("300")),
        ("C2".to_string(), month(2025, 1), d("1234.5")),
        ("C2".to_string(), month(2025, 2), d("10")),
        ("C2".to_string(), month(2025, 3), d("0")),
    ]);
}

#[test]
fn a_client_on_two_lines_of_a_wide_sheet_is_refused_naming_both_rows() {
    // C1 on lines 2 and 4 (with C2 between, and one-value lines among them).
    let text = "client,2025-01,2025-02\nC1,10,20\nC2,5,\nC1,,7\nC3,1,2\n";
    let problems = parse(text.as_bytes(), &Settings::default()).unwrap_err();
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert_eq!((problems[0].row, &problems[0].kind), (Some(4), &ProblemKind::DuplicateClient { first_row: 2 }));
    // Read a line at a time, the clients are told apart across slices: the same problems,
    // and a third line of C1 names the one before it.
    let text = "client,2025-01,2025-02\nC1,10,20\nC2,5,\nC1,,7\nC3,1,2\nC1,3,\n";
    let mut job = cartera::core::import::Job::start(text.as_bytes(), &Settings::default());
    while !job.step(1).done {}
    let problems = job.finish().unwrap_err();
    let found: Vec<_> = problems.iter().map(|p| (p.row, p.kind.clone())).collect();
    assert_eq!(found, [(Some(4), ProblemKind::DuplicateClient { first_row: 2 }), (Some(6), ProblemKind::DuplicateClient { first_row: 4 })]);
    assert_eq!(parse(text.as_bytes(), &Settings::default()).unwrap_err(), problems, "in one go as in slices");
    // Each line once: accepted, every value in place.
    let text = "client,2025-01,2025-02\nC1,10,20\nC2,5,\nC3,,7\n";
    let p = import(&Portfolio::default(), text).unwrap();
    assert_eq!(p.records.values().map(|r| r.len()).collect::<Vec<_>>(), [2, 1, 1]);
}

/// A client's rows in order of period (built whole), out of order, in two runs, or over
/// records it already has: the same records and the same counts whichever way they came.
#[test]
fn records_come_out_the_same_in_any_order_of_rows() {
    let rows = ["C1,2025-01,10", "C1,2025-02,20", "C1,2025-03,30", "C2,2025-01,5", "C2,2025-02,6"];
    let text = |order: &[usize]| format!("client,period,revenue\n{}\n", order.iter().map(|&i| rows[i]).collect::<Vec<_>>().join("\n"));
    let applied = |base: &Portfolio, order: &[usize]| {
        let (p, s) = apply(base, &parse(text(order).as_bytes(), &base.settings).unwrap()).unwrap();
        (p.records.clone(), s.clients_added, s.records_added, s.records_replaced)
    };
    let empty = Portfolio::default();
    let in_order = applied(&empty, &[0, 1, 2, 3, 4]);
    assert_eq!(in_order.0["C1"].keys().copied().collect::<Vec<_>>(), [month(2025, 1), month(2025, 2), month(2025, 3)]);
    assert_eq!(in_order.0["C1"][&month(2025, 3)].revenue, d("30"));
    assert_eq!((in_order.1, in_order.2, in_order.3), (2, 5, 0));
    for order in [[2, 0, 1, 4, 3], [0, 3, 1, 4, 2], [4, 3, 2, 1, 0]] {
        assert_eq!(applied(&empty, &order), in_order, "rows in order {order:?}");
    }
    // Over a portfolio that already has C1's February: replaced, not added, the rest built.
    let base = import(&empty, "client,period,revenue\nC1,2025-02,99\n").unwrap();
    let over = applied(&base, &[0, 1, 2, 3, 4]);
    assert_eq!((over.0.clone(), over.1, over.2, over.3), (in_order.0.clone(), 1, 4, 1));
}

#[test]
fn a_records_row_for_a_known_period_replaces_it_whole() {
    let base = import(&Portfolio::default(), "client,period,revenue,service_hours\nC1,2025-01,100,9\n").unwrap();
    let (p, s) = apply(&base, &parse(b"client,period,revenue\nC1,2025-01,50\n", &base.settings).unwrap()).unwrap();
    assert_eq!((s.records_replaced, s.records_added), (1, 0));
    let r = &p.records["C1"][&month(2025, 1)];
    assert_eq!((r.revenue, r.service_hours), (d("50"), Decimal::ZERO));
}

#[test]
fn clients_take_defaults_for_empty_cells() {
    let text = "client,name,start,acquisition_cost,referred_by,icp_fit,potential,strategic,status\nC1,,,,,,,,\nC2,\"Acme, S.L.\",2024-03,1.200,C1,5,high,sí,exiting\n";
    let p = import(&Portfolio { settings: Settings { number_locale: NumberLocale::Comma, ..Settings::default() }, ..Portfolio::default() }, text).unwrap();
    let c1 = &p.clients["C1"];
    assert_eq!((c1.name.as_str(), c1.icp_fit, c1.potential, c1.strategic, c1.status), ("C1", 3, Potential::Medium, false, Status::Active));
    let c2 = &p.clients["C2"];
    assert_eq!(c2.name, "Acme, S.L.");
    assert_eq!(c2.start, Some(month(2024, 3)));
    assert_eq!(c2.acquisition_cost, d("1200"), "1.200 in the comma locale is twelve hundred");
    assert_eq!(c2.referred_by.as_deref(), Some("C1"));
    assert_eq!((c2.icp_fit, c2.potential, c2.strategic, c2.status), (5, Potential::High, true, Status::Exiting));
}

#[test]
fn a_settings_file_is_detected_and_applied() {
    let parsed = parse(br#"{"service_rate": 45, "window": 6}"#, &Settings::default()).unwrap();
    let Parsed::Settings(s) = &parsed else { panic!("settings") };
    assert_eq!(s.service_rate, d("45"));
    let (p, summary) = apply(&Portfolio::default(), &parsed).unwrap();
    assert!(summary.settings_changed);
    assert_eq!(p.settings.service_rate, d("45"));
}

fn problems(existing: &Portfolio, text: &[u8]) -> Vec<(Option<usize>, Option<String>, ProblemKind)> {
    let result = parse(text, &existing.settings).and_then(|parsed| apply(existing, &parsed).map(|_| ()));
    result.expect_err("refused").into_iter().map(|p| (p.row, p.column, p.kind)).collect()
}

#[test]
fn bad_input_is_refused_with_row_column_and_reason() {
    let invalid = |v: &str, e| ProblemKind::Invalid { value: v.into(), expected: e };
    let s = |x: &str| Some(x.to_string());
    type Case = (&'static str, &'static [u8], Vec<(Option<usize>, Option<String>, ProblemKind)>);
    let cases: Vec<Case> = vec![
        ("empty file", b"", vec![(None, None, ProblemKind::EmptyFile)]),
        ("header only", b"client,period,revenue\n", vec![(None, None, ProblemKind::NoRows)]),
        ("binary", b"\x89PNG\r\n\x1a\n\0\0", vec![(None, None, ProblemKind::NotText)]),
        ("invalid utf-8", b"client,period\n\xff\xfe,2025-01\n", vec![(None, None, ProblemKind::NotText)]),
        ("unknown format", b"foo,bar\n1,2\n", vec![(Some(1), None, ProblemKind::UnknownFormat)]),
        ("unknown column", b"client,period,revenue,colour\nC1,2025-01,1,red\n", vec![(Some(1), s("colour"), ProblemKind::UnknownColumn)]),
        ("missing client", b"period,revenue\n2025-01,1\n", vec![(None, None, ProblemKind::MissingColumn { column: "client" })]),
        ("text in a number", b"client,period,revenue\nC1,2025-01,abc\n", vec![(Some(2), s("revenue"), invalid("abc", Expected::Number))]),
        ("negative hours", b"client,period,service_hours\nC1,2025-01,-2\n", vec![(Some(2), s("service_hours"), invalid("-2", Expected::NonNegative))]),
        ("fractional tickets", b"client,period,tickets\nC1,2025-01,1.5\n", vec![(Some(2), s("tickets"), invalid("1.5", Expected::WholeNumber))]),
        ("duplicate period", b"client,period,revenue\nC1,2025-01,1\nC1,2025-01,2\n", vec![(Some(3), s("period"), ProblemKind::DuplicateRow { first_row: 2 })]),
        ("duplicate period in a later run of the client's rows", b"client,period,revenue\nC1,2025-01,1\nC2,2025-01,1\nC1,2025-01,2\n", vec![(Some(4), s("period"), ProblemKind::DuplicateRow { first_row: 2 })]),
        ("duplicate period among periods out of order", b"client,period,revenue\nC1,2025-02,1\nC1,2025-01,1\nC1,2025-02,2\n", vec![(Some(4), s("period"), ProblemKind::DuplicateRow { first_row: 2 })]),
        ("impossible date", b"client,date,amount\nC1,31/02/2025,5\n", vec![(Some(2), s("date"), invalid("31/02/2025", Expected::Date))]),
        ("period out of range", b"client,period,revenue\nC1,1850-01,5\n", vec![(Some(2), s("period"), ProblemKind::PeriodOutOfRange { value: "1850-01".into() })]),
        ("icp_fit 7", b"client,icp_fit\nC1,7\n", vec![(Some(2), s("icp_fit"), invalid("7", Expected::IcpFit))]),
        ("unknown potential", b"client,potential\nC1,huge\n", vec![(Some(2), s("potential"), invalid("huge", Expected::Potential))]),
        ("unknown referrer", b"client,referred_by\nC1,C9\n", vec![(Some(2), s("referred_by"), ProblemKind::UnknownReferrer { client: "C1".into(), referrer: "C9".into() })]),
        ("referral cycle", b"client,referred_by\nC1,C2\nC2,C1\n", vec![(Some(2), s("referred_by"), ProblemKind::ReferralCycle { cycle: vec!["C1".into(), "C2".into(), "C1".into()] })]),
        ("self referral", b"client,referred_by\nC1,C1\n", vec![(Some(2), s("referred_by"), ProblemKind::ReferralCycle { cycle: vec!["C1".into(), "C1".into()] })]),
        ("too many cells", b"client,period,revenue\nC1,2025-01,1,2\n", vec![(Some(2), None, ProblemKind::FieldCount { expected: 3, found: 4 })]),
        ("empty client", b"client,period,revenue\n,2025-01,1\n", vec![(Some(2), s("client"), invalid("", Expected::NonEmpty))]),
    ];
    for (name, text, want) in cases {
        assert_eq!(problems(&Portfolio::default(), text), want, "{name}");
    }
}

#[test]
fn every_problem_is_listed_not_just_the_first() {
    let text = b"client,period,revenue,service_hours\nC1,2025-01,x,1\nC2,2025-13,1,-1\nC3,2025-02,1,1\n";
    let got = problems(&Portfolio::default(), text);
    let at: Vec<(Option<usize>, Option<String>)> = got.into_iter().map(|(r, c, _)| (r, c)).collect();
    assert_eq!(
        at,
        vec![(Some(2), Some("revenue".into())), (Some(3), Some("period".into())), (Some(3), Some("service_hours".into()))]
    );
}

#[test]
fn a_refused_import_changes_nothing() {
    let base = import(&Portfolio::default(), "client,period,revenue\nC1,2025-01,100\n").unwrap();
    let before = base.clone();
    assert!(import(&base, "client,period,revenue\nC1,2025-01,5\nC2,2025-01,oops\n").is_err());
    assert_eq!(base, before);
}

#[test]
fn quarters_group_months() {
    let p = Portfolio { settings: Settings { period_kind: PeriodKind::Quarter, ..Settings::default() }, ..Portfolio::default() };
    let p = import(&p, "client,date,amount\nC1,2025-01-10,1\nC1,2025-03-31,2\nC1,2025-04-01,4\n").unwrap();
    let periods: Vec<(String, Decimal)> = p.records["C1"].iter().map(|(k, r)| (PeriodKind::Quarter.label(*k), r.revenue)).collect();
    assert_eq!(periods, vec![("2025-Q1".to_string(), d("3")), ("2025-Q2".to_string(), d("4"))]);
}

#[test]
fn a_large_file_is_read_in_slices_with_progress() {
    use cartera::core::import::Job;
    let mut text = String::from("client,date,amount\n");
    for i in 0..60_000 {
        text.push_str(&format!("C{},2025-{:02}-15,{}.50\n", i % 500, i % 12 + 1, i % 97));
    }
    let settings = Settings::default();
    let mut job = Job::start(text.as_bytes(), &settings);
    let mut seen = Vec::new();
    loop {
        let p = job.step(10_000);
        seen.push((p.bytes_read, p.rows));
        if p.done {
            break;
        }
    }
    assert!(seen.len() >= 6, "read in slices: {seen:?}");
    assert!(seen.windows(2).all(|w| w[0].0 <= w[1].0 && w[0].1 <= w[1].1), "progress only grows");
    assert_eq!(seen.last().unwrap().1, 60_000);
    let (parsed, _) = job.finish().unwrap();
    assert_eq!(parsed, parse(text.as_bytes(), &settings).unwrap());
    let Parsed::Revenue { rows, .. } = parsed else { panic!("transactions") };
    // (i mod 500, i mod 12) repeats every lcm(500, 12) = 1,500 rows.
    assert_eq!(rows.len(), 1_500);
}

#[test]
fn ambiguous_numbers_are_noted_with_the_locale_that_decided() {
    use cartera::core::import::{Job, Note};
    for (locale, read_as) in [(NumberLocale::Dot, "1.234"), (NumberLocale::Comma, "1234")] {
        let settings = Settings { number_locale: locale, ..Settings::default() };
        let (_, notes) = Job::start(b"client,period,revenue,service_hours\nC1,2025-01,1.234,2\nC1,2025-02,5,1.5\n", &settings).finish().unwrap();
        assert_eq!(notes, vec![Note::Ambiguous { column: "revenue".into(), example: "1.234".into(), read_as: d(read_as), locale }]);
    }
    let (_, notes) = Job::start(b"client,period,revenue\nC1,2025-01,1.23\n", &Settings::default()).finish().unwrap();
    assert!(notes.is_empty());
    // Each numeric column gets its first ambiguous value, however far down; text Cartera
    // stored itself gets none (it writes numbers as they are read).
    let text = "client,period,revenue,direct_cost\nC1,2025-01,1.234,2\nC1,2025-02,5,7\nC1,2025-03,6.500,2.750\n";
    let (_, notes) = Job::start(text.as_bytes(), &Settings::default()).finish().unwrap();
    let noted: Vec<(String, String)> = notes.iter().map(|Note::Ambiguous { column, example, .. }| (column.clone(), example.clone())).collect();
    assert_eq!(noted, [("revenue".to_string(), "1.234".to_string()), ("direct_cost".to_string(), "2.750".to_string())]);
    let (_, notes) = Job::start_stored(text.to_string(), &Settings::default()).finish().unwrap();
    assert!(notes.is_empty());
}

#[test]
fn mixed_separators_are_refused_with_the_row() {
    let got = problems(&Portfolio::default(), b"client;period;revenue\nC1;2025-01;5\nC2,2025-02,7\n");
    assert_eq!(got.first().map(|p| p.0), Some(Some(3)), "{got:?}");
}

#[test]
fn a_headerless_paste_is_mapped_to_columns_and_imported() {
    use cartera::core::import::{guess_columns, looks_like_data, preview, remap, Column, Job};
    let pasted = "C1\t2025-01\t1000\t3\nC2\t2025-01\t2.500,50\t1\n";
    let job = Job::start(pasted.as_bytes(), &Settings::default());
    assert!(job.header_problems().is_some(), "no header: the mapping step is offered");
    let rows = preview(pasted, 5);
    assert_eq!(rows.len(), 2);
    assert!(looks_like_data(&rows[0]));
    let roles = [Some(Column::Client), Some(Column::Period), Some(Column::Revenue), None];
    let text = remap(pasted, &roles, false);
    assert_eq!(text, "client,period,revenue\nC1,2025-01,1000\nC2,2025-01,\"2.500,50\"\n");
    let p = import(&Portfolio::default(), &text).unwrap();
    assert_eq!(p.records["C2"][&month(2025, 1)].revenue, d("2500.50"));
    // Unknown headers are guessed from the synonyms where they can be.
    assert_eq!(guess_columns(&["Cliente".into(), "Mes".into(), "Facturado".into()]), vec![Some(Column::Client), Some(Column::Period), None]);
}

#[test]
fn spreadsheet_pastes_in_spanish_and_russian_are_read_without_mapping() {
    // 1C-style transactions: Russian headers, dd.mm.yyyy dates, space-grouped comma decimals.
    let pasted = "Контрагент\tДата\tСумма\nООО Ромашка\t15.01.2025\t1 234,56\nООО Ромашка\t20.01.2025\t765,44\n";
    let parsed = parse(pasted.as_bytes(), &Settings::default()).unwrap();
    assert_eq!(parsed.format(), Format::Transactions);
    let p = apply(&Portfolio::default(), &parsed).unwrap().0;
    assert_eq!(p.records["ООО Ромашка"][&month(2025, 1)].revenue, d("2000.00"));

    // A client list from a Spanish sheet.
    let pasted = "Cliente\tNombre\tAlta\tPotencial\tEstado\nC1\tAcme, S.L.\t2024-03\talto\tactivo\n";
    let parsed = parse(pasted.as_bytes(), &Settings::default()).unwrap();
    assert_eq!(parsed.format(), Format::Clients);
    let p = apply(&Portfolio::default(), &parsed).unwrap().0;
    assert_eq!(p.clients["C1"].name, "Acme, S.L.");
    assert_eq!(p.clients["C1"].potential, Potential::High);

    // Wide revenue with every month form of the issue, one column each.
    let pasted = "клиент\t2025-01\tFeb 2025\tmar-25\tапр.25\t05.2025\nC1\t1\t2\t3\t4\t5\n";
    let parsed = parse(pasted.as_bytes(), &Settings::default()).unwrap();
    assert_eq!(parsed.format(), Format::WideRevenue);
    let p = apply(&Portfolio::default(), &parsed).unwrap().0;
    let by_month: Vec<Decimal> = (1..=5).map(|m| p.records["C1"][&month(2025, m)].revenue).collect();
    assert_eq!(by_month, vec![d("1"), d("2"), d("3"), d("4"), d("5")]);
}

#[test]
fn replacing_keeps_what_the_file_cannot_say_and_counts_what_goes() {
    use cartera::core::import::{apply_in, Mode, Summary};
    let mut base = import(&Portfolio::default(), "client,name,referred_by,icp_fit\nC1,Uno,,5\nC2,Dos,C1,4\nC3,Tres,,2\n").unwrap();
    base = import(&base, "client,period,revenue\nC1,2025-01,1\nC1,2025-02,1\nC2,2025-01,1\nC2,2025-02,1\nC3,2025-01,1\nC3,2025-02,1\n").unwrap();
    assert!(cartera::core::plan::start(&mut base, "C1", cartera::core::plan::Date::new(2026, 1, 1).unwrap(), 3));
    let run = |text: &str, mode| apply_in(&base, &parse(text.as_bytes(), &base.settings).unwrap(), mode).unwrap();

    // Records: the records are the file's; C2 keeps its attributes, C1 and C3 go, and with
    // C1 its plan and C2's link to it.
    let (p, s) = run("client,period,revenue\nC2,2025-01,5\nC4,2025-03,1\n", Mode::Replace);
    assert_eq!(p.clients.keys().collect::<Vec<_>>(), vec!["C2", "C4"]);
    assert_eq!((p.clients["C2"].name.as_str(), p.clients["C2"].icp_fit, p.clients["C2"].referred_by.as_deref()), ("Dos", 4, None));
    assert_eq!(p.record_count(), 2);
    assert!(p.plans.is_empty());
    assert_eq!(s, Summary { rows: 2, clients_added: 1, clients_removed: 2, records_added: 1, records_replaced: 1, records_removed: 5, ..Summary::default() });

    // A clients list: the clients are the file's; records stay for those it lists.
    let (p, s) = run("client,name\nC1,Uno bis\nC5,Cinco\n", Mode::Replace);
    assert_eq!(p.clients.keys().collect::<Vec<_>>(), vec!["C1", "C5"]);
    assert_eq!(p.clients["C1"].name, "Uno bis");
    assert_eq!(p.records.keys().collect::<Vec<_>>(), vec!["C1"]);
    assert_eq!(p.plans.keys().collect::<Vec<_>>(), vec!["C1"]);
    assert_eq!(s, Summary { rows: 2, clients_added: 1, clients_updated: 1, clients_removed: 2, records_removed: 4, ..Summary::default() });

    // Adding the same records file keeps everyone.
    let (p, s) = run("client,period,revenue\nC2,2025-01,5\nC4,2025-03,1\n", Mode::Add);
    assert_eq!(p.clients.len(), 4);
    assert_eq!((s.records_replaced, s.records_added, s.clients_removed, s.records_removed), (1, 1, 0, 0));
}

/// A user's file over the size limit is refused before it is read; the same text stored by
/// Cartera itself (a large portfolio's records) is read, since what was imported must load.
#[test]
fn the_size_limit_is_for_files_not_for_what_cartera_stored() {
    use cartera::core::import::{table::MAX_BYTES, Job};
    let line = "C1,2025-01,1\n";
    let mut text = String::from("client,period,revenue\n");
    text.push_str(&line.repeat(MAX_BYTES / line.len() + 1));
    assert!(text.len() > MAX_BYTES);
    let settings = Settings::default();
    let refused = Job::start(text.as_bytes(), &settings).finish().unwrap_err();
    assert!(matches!(refused[0].kind, ProblemKind::TooLarge { limit: MAX_BYTES, .. }), "{refused:?}");
    let mut stored = Job::start_stored(text, &settings);
    assert!(stored.header_problems().is_none());
    let first = stored.step(10);
    assert_eq!((first.rows, first.done), (10, false), "rows are read");
}
