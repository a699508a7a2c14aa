//! The CSV formats of DOMAIN.md §9: period records, transactions, wide revenue and clients.
//! Each turns a [`Table`] into validated rows, or every problem it found.

use std::collections::{BTreeMap, HashMap};

use rust_decimal::Decimal;

use super::columns::{Column, CLIENT_FIELDS, RECORD_FIELDS};
use super::parse;
use super::problem::{Expected, Problem, ProblemKind};
use super::row::{Header, Row};
use super::table::Table;
use crate::core::model::{Client, NumberLocale, Period, PeriodKind, PeriodRecord, Potential, Status};

/// One validated period record from a file.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordRow {
    pub line: usize,
    pub client: String,
    pub period: Period,
    pub record: PeriodRecord,
}

/// One validated client from a clients file.
#[derive(Clone, Debug, PartialEq)]
pub struct ClientRow {
    pub line: usize,
    pub client: Client,
}

/// How to read the cells of a table.
#[derive(Clone, Copy)]
pub struct Reading {
    pub kind: PeriodKind,
    pub locale: NumberLocale,
}

fn each_row<T>(
    table: &Table,
    header: &Header,
    reading: Reading,
    problems: &mut Vec<Problem>,
    mut read: impl FnMut(&mut Row) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::with_capacity(table.rows.len());
    for (line, cells) in &table.rows {
        let mut row = Row { line: *line, cells, header, problems, locale: reading.locale };
        if !row.check_width() {
            continue;
        }
        let before = row.problems.len();
        let value = read(&mut row);
        if let Some(v) = value {
            if row.problems.len() == before {
                out.push(v);
            }
        }
    }
    out
}

fn no_duplicate_periods(rows: &[RecordRow], header: &Header, problems: &mut Vec<Problem>) {
    let mut seen: HashMap<(&str, Period), usize> = HashMap::new();
    let column = header.index.get(&Column::Period).map_or("period".to_string(), |&i| header.names[i].clone());
    for r in rows {
        if let Some(first) = seen.insert((&r.client, r.period), r.line) {
            problems.push(Problem::at(r.line, column.clone(), ProblemKind::DuplicateRow { first_row: first }));
        }
    }
}

/// The long period-records file: one row per client and period.
pub fn records(table: &Table, header: &Header, reading: Reading, problems: &mut Vec<Problem>) -> Vec<RecordRow> {
    header.require(&[Column::Client, Column::Period], problems);
    if !problems.is_empty() {
        return Vec::new();
    }
    let rows = each_row(table, header, reading, problems, |row| {
        let client = row.required(Column::Client);
        let period = row.period(Column::Period, reading.kind, true);
        let [revenue, direct_cost, discount, service_hours, sales_hours, _, days_late, written_off] =
            RECORD_FIELDS.map(|c| if c == Column::Tickets { Decimal::ZERO } else { row.decimal(c, c != Column::Revenue) });
        let tickets = row.count(Column::Tickets);
        let record =
            PeriodRecord { revenue, direct_cost, discount, service_hours, sales_hours, tickets, days_late, written_off };
        Some(RecordRow { line: row.line, client: client?.to_string(), period: period?, record })
    });
    no_duplicate_periods(&rows, header, problems);
    rows
}

/// The transactions file: amounts (and costs) summed into the period of their date.
pub fn transactions(table: &Table, header: &Header, reading: Reading, problems: &mut Vec<Problem>) -> Vec<RecordRow> {
    header.require(&[Column::Client, Column::Date, Column::Amount], problems);
    if !problems.is_empty() {
        return Vec::new();
    }
    let rows = each_row(table, header, reading, problems, |row| {
        let client = row.required(Column::Client);
        let period = row.date_period(Column::Date, reading.kind);
        if row.text(Column::Amount).is_none() {
            row.refuse(Column::Amount, ProblemKind::Invalid { value: String::new(), expected: Expected::Number });
        }
        let amount = row.decimal(Column::Amount, false);
        let cost = row.decimal(Column::Cost, true);
        Some((row.line, client?.to_string(), period?, amount, cost))
    });
    let mut sums: BTreeMap<(String, Period), RecordRow> = BTreeMap::new();
    for (line, client, period, amount, cost) in rows {
        let entry = sums.entry((client.clone(), period)).or_insert_with(|| RecordRow {
            line,
            client,
            period,
            record: PeriodRecord::default(),
        });
        entry.record.revenue += amount;
        entry.record.direct_cost += cost;
    }
    sums.into_values().collect()
}

/// Whether every column after the first names a period: the wide revenue layout.
pub fn is_wide(cells: &[String]) -> bool {
    cells.len() >= 2
        && Column::from_header(&cells[0]) == Some(Column::Client)
        && cells[1..].iter().all(|c| parse::year_month(c).is_some())
}

/// The wide revenue file: a client column, then one column per period.
pub fn wide(table: &Table, reading: Reading, problems: &mut Vec<Problem>) -> Vec<RecordRow> {
    let mut periods = Vec::new();
    for name in &table.header[1..] {
        match parse::period(name, reading.kind) {
            Some(p) if periods.contains(&p) => problems.push(Problem::at(1, name.clone(), ProblemKind::DuplicateColumn)),
            Some(p) => periods.push(p),
            None => problems.push(Problem::at(1, name.clone(), ProblemKind::PeriodOutOfRange { value: name.clone() })),
        }
    }
    if !problems.is_empty() {
        return Vec::new();
    }
    let mut header_problems = Vec::new();
    let header = Header::map(&table.header[..1], &mut header_problems);
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut out = Vec::new();
    for (line, cells) in &table.rows {
        if cells.len() > table.header.len() && cells[table.header.len()..].iter().any(|c| !c.is_empty()) {
            problems.push(Problem::row(*line, ProblemKind::FieldCount { expected: table.header.len(), found: cells.len() }));
            continue;
        }
        let client = {
            let mut row = Row { line: *line, cells, header: &header, problems: &mut *problems, locale: reading.locale };
            row.required(Column::Client).map(str::to_string)
        };
        let Some(client) = client else { continue };
        if let Some(first) = seen.insert(client.clone(), *line) {
            problems.push(Problem::at(*line, table.header[0].clone(), ProblemKind::DuplicateClient { first_row: first }));
            continue;
        }
        for (i, period) in periods.iter().enumerate() {
            let Some(text) = cells.get(i + 1).filter(|c| !c.is_empty()) else { continue };
            match parse::number(text, reading.locale) {
                Some(revenue) => out.push(RecordRow {
                    line: *line,
                    client: client.to_string(),
                    period: *period,
                    record: PeriodRecord { revenue, ..PeriodRecord::default() },
                }),
                None => problems.push(Problem::at(
                    *line,
                    table.header[i + 1].clone(),
                    ProblemKind::Invalid { value: text.clone(), expected: Expected::Number },
                )),
            }
        }
    }
    out
}

fn potential(text: &str) -> Option<Potential> {
    match text.to_lowercase().as_str() {
        "none" | "ninguno" | "nulo" | "нет" => Some(Potential::None),
        "low" | "bajo" | "низкий" => Some(Potential::Low),
        "medium" | "medio" | "средний" => Some(Potential::Medium),
        "high" | "alto" | "высокий" => Some(Potential::High),
        _ => None,
    }
}

fn status(text: &str) -> Option<Status> {
    match text.to_lowercase().as_str() {
        "active" | "activo" | "активный" => Some(Status::Active),
        "exiting" | "saliendo" | "en salida" | "выходит" => Some(Status::Exiting),
        "former" | "antiguo" | "ex" | "бывший" => Some(Status::Former),
        _ => None,
    }
}

/// The clients file: static attributes; empty cells take the defaults (DOMAIN.md §1).
pub fn clients(table: &Table, header: &Header, reading: Reading, problems: &mut Vec<Problem>) -> Vec<ClientRow> {
    header.require(&[Column::Client], problems);
    if !problems.is_empty() {
        return Vec::new();
    }
    let rows = each_row(table, header, reading, problems, |row| {
        let id = row.required(Column::Client)?.to_string();
        let mut client = Client::new(id);
        if let Some(name) = row.text(Column::Name) {
            client.name = name.to_string();
        }
        client.start = row.period(Column::Start, reading.kind, false);
        client.acquisition_cost = row.decimal(Column::AcquisitionCost, true);
        client.referred_by = row.text(Column::ReferredBy).map(str::to_string);
        if let Some(fit) = row.choice(Column::IcpFit, Expected::IcpFit, |t| {
            parse::number(t, NumberLocale::Dot).filter(|v| v.fract().is_zero()).and_then(|v| {
                let n = v.trunc().to_string().parse::<u8>().ok()?;
                (1..=5).contains(&n).then_some(n)
            })
        }) {
            client.icp_fit = fit;
        }
        client.potential = row.choice(Column::Potential, Expected::Potential, potential).unwrap_or_default();
        client.strategic = row.choice(Column::Strategic, Expected::Boolean, parse::boolean).unwrap_or(false);
        client.status = row.choice(Column::Status, Expected::Status, status).unwrap_or_default();
        client.tags = row.text(Column::Tags).unwrap_or("").to_string();
        client.notes = row.text(Column::Notes).unwrap_or("").to_string();
        Some(ClientRow { line: row.line, client })
    });
    let mut seen: HashMap<&str, usize> = HashMap::new();
    let column = header.index.get(&Column::Client).map_or("client".to_string(), |&i| header.names[i].clone());
    for r in &rows {
        if let Some(first) = seen.insert(&r.client.id, r.line) {
            problems.push(Problem::at(r.line, column.clone(), ProblemKind::DuplicateClient { first_row: first }));
        }
    }
    rows
}

/// Which CSV format a header is, judged by its columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CsvFormat {
    Records,
    Transactions,
    Wide,
    Clients,
}

/// Detects the format from the header (DOMAIN.md §9: auto-detected from the header).
pub fn detect(cells: &[String]) -> Option<CsvFormat> {
    if is_wide(cells) {
        return Some(CsvFormat::Wide);
    }
    let cols: Vec<Column> = cells.iter().filter_map(|c| Column::from_header(c)).collect();
    let has = |c: Column| cols.contains(&c);
    if has(Column::Period) || RECORD_FIELDS.iter().any(|c| has(*c)) {
        Some(CsvFormat::Records)
    } else if has(Column::Date) || has(Column::Amount) {
        Some(CsvFormat::Transactions)
    } else if has(Column::Client) || CLIENT_FIELDS.iter().any(|c| has(*c)) {
        Some(CsvFormat::Clients)
    } else {
        None
    }
}
