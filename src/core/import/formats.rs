//! The CSV formats of DOMAIN.md §9: period records, transactions, wide revenue and clients.
//! Each turns a [`Table`] into validated rows, or every problem it found.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use rust_decimal::Decimal;

use super::columns::{Column, CLIENT_FIELDS, RECORD_FIELDS};
use super::parse;
use super::problem::{Expected, Problem, ProblemKind};
use super::row::{Header, Row};
use super::table::Cells;
use crate::core::model::{Client, NumberLocale, Period, PeriodKind, PeriodRecord, Potential, Status};

/// One validated period record from a file: a whole record, or (`V` = [`Revenue`]) the
/// revenue and direct cost of one, from transactions or a wide sheet.
#[derive(Clone, Debug, PartialEq)]
pub struct RecordRow<V = PeriodRecord> {
    pub line: usize,
    /// Shared by the rows of one line of a wide sheet (36 months, one id).
    pub client: Rc<str>,
    pub period: Period,
    pub record: V,
}

/// The revenue and direct cost of a client's period: all that transactions and a wide sheet
/// say. A row of them takes a third of the room of a whole record's, which counts for the 3.6
/// million rows of a wide sheet of 100,000 clients × 36 months (170 MB instead of 490 in the
/// browser, held until the import is applied).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Revenue {
    pub revenue: Decimal,
    pub direct_cost: Decimal,
}

/// A row of revenue per client and period (transactions, a wide sheet).
pub type RevenueRow = RecordRow<Revenue>;

/// What a row's values make of the portfolio's record of its client and period.
pub trait Values {
    /// A record of these values, where there was none.
    fn record(&self) -> PeriodRecord;
    /// Writes them over the record there: all of it, or the fields the row has.
    fn write(&self, record: &mut PeriodRecord);
}

impl Values for PeriodRecord {
    fn record(&self) -> PeriodRecord {
        self.clone()
    }

    fn write(&self, record: &mut PeriodRecord) {
        *record = self.clone();
    }
}

/// Revenue sets those fields and keeps the record's hours, tickets and terms.
impl Values for Revenue {
    fn record(&self) -> PeriodRecord {
        PeriodRecord { revenue: self.revenue, direct_cost: self.direct_cost, ..PeriodRecord::default() }
    }

    fn write(&self, record: &mut PeriodRecord) {
        record.revenue = self.revenue;
        record.direct_cost = self.direct_cost;
    }
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

/// Rows of a table: each with its 1-based line number in the file.
pub type Rows = [(usize, Cells)];

fn each_row<T>(
    rows: &Rows,
    header: &Header,
    reading: Reading,
    problems: &mut Vec<Problem>,
    mut read: impl FnMut(&mut Row) -> Option<T>,
) -> Vec<T> {
    let mut out = Vec::with_capacity(rows.len());
    for (line, cells) in rows {
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

/// The same client and period twice in one file (checked over the whole file, after all rows).
///
/// A client's rows usually come together, period after period (a stored portfolio always
/// lists them so): a client with one run of rows whose periods only go up has none twice, and
/// only the others' periods are collected to compare.
pub fn duplicate_periods(rows: &[RecordRow], column: &str, problems: &mut Vec<Problem>) {
    let mut runs: HashMap<&str, Vec<&[RecordRow]>> = HashMap::new();
    for run in rows.chunk_by(|a, b| a.client == b.client) {
        runs.entry(&*run[0].client).or_default().push(run);
    }
    for client_runs in runs.values() {
        if let [run] = client_runs[..] {
            if run.windows(2).all(|w| w[0].period < w[1].period) {
                continue;
            }
        }
        let mut periods: BTreeMap<Period, usize> = BTreeMap::new();
        for r in client_runs.iter().flat_map(|run| run.iter()) {
            if let Some(first) = periods.insert(r.period, r.line) {
                problems.push(Problem::at(r.line, column, ProblemKind::DuplicateRow { first_row: first }));
            }
        }
    }
}

/// The same client twice in one file.
pub fn duplicate_clients<'a>(ids: impl Iterator<Item = (&'a str, usize)>, column: &str, problems: &mut Vec<Problem>) {
    let mut seen = SeenClients::default();
    for (id, line) in ids {
        seen.see(id, line, column);
    }
    problems.append(&mut seen.problems);
}

/// The clients met so far in a file, met a slice of rows at a time: each row of a client met
/// before is a problem there, naming the row it was last met on ([`duplicate_clients`] in
/// steps, so that a file of 100,000 clients is not gone over again at the end).
pub struct SeenClients<K> {
    last_row: HashMap<K, usize>,
    pub problems: Vec<Problem>,
}

impl<K> Default for SeenClients<K> {
    fn default() -> Self {
        SeenClients { last_row: HashMap::new(), problems: Vec::new() }
    }
}

impl<K: std::hash::Hash + Eq> SeenClients<K> {
    pub fn see(&mut self, id: K, line: usize, column: &str) {
        if let Some(first) = self.last_row.insert(id, line) {
            self.problems.push(Problem::at(line, column, ProblemKind::DuplicateClient { first_row: first }));
        }
    }
}

/// The columns a format needs.
pub fn required(format: CsvFormat) -> &'static [Column] {
    match format {
        CsvFormat::Records => &[Column::Client, Column::Period],
        CsvFormat::Transactions => &[Column::Client, Column::Date, Column::Amount],
        CsvFormat::Clients | CsvFormat::Wide => &[Column::Client],
    }
}

/// Rows of the long period-records file: one row per client and period.
pub fn records(rows: &Rows, header: &Header, reading: Reading, problems: &mut Vec<Problem>) -> Vec<RecordRow> {
    // A client's rows usually come together: they share one copy of its id.
    let mut last: Option<Rc<str>> = None;
    each_row(rows, header, reading, problems, |row| {
        let client = row.required(Column::Client);
        let period = row.period(Column::Period, reading.kind, true);
        let [revenue, direct_cost, discount, service_hours, sales_hours, _, days_late, written_off] =
            RECORD_FIELDS.map(|c| if c == Column::Tickets { Decimal::ZERO } else { row.decimal(c, c != Column::Revenue) });
        let tickets = row.count(Column::Tickets);
        let record =
            PeriodRecord { revenue, direct_cost, discount, service_hours, sales_hours, tickets, days_late, written_off };
        let client = match (&last, client?) {
            (Some(id), text) if **id == *text => id.clone(),
            (_, text) => last.insert(Rc::from(text)).clone(),
        };
        Some(RecordRow { line: row.line, client, period: period?, record })
    })
}

/// Rows of the transactions file: each amount (and cost) in the period of its date, one row a
/// transaction ([`super::Job`] sums them per client and period, over the whole file).
pub fn transactions(rows: &Rows, header: &Header, reading: Reading, problems: &mut Vec<Problem>) -> Vec<RevenueRow> {
    each_row(rows, header, reading, problems, |row| {
        let client = row.required(Column::Client);
        let period = row.date_period(Column::Date, reading.kind);
        if row.text(Column::Amount).is_none() {
            row.refuse(Column::Amount, ProblemKind::Invalid { value: String::new(), expected: Expected::Number });
        }
        let revenue = row.decimal(Column::Amount, false);
        let direct_cost = row.decimal(Column::Cost, true);
        Some(RecordRow { line: row.line, client: Rc::from(client?), period: period?, record: Revenue { revenue, direct_cost } })
    })
}

/// Whether every column after the first names a period: the wide revenue layout.
pub fn is_wide(cells: &[String]) -> bool {
    cells.len() >= 2
        && Column::from_header(&cells[0]) == Some(Column::Client)
        && cells[1..].iter().all(|c| parse::year_month(c).is_some())
}

/// The periods named by a wide sheet's header (after its client column).
pub fn wide_periods(header: &[String], reading: Reading, problems: &mut Vec<Problem>) -> Vec<Period> {
    let mut periods = Vec::new();
    for name in &header[1..] {
        match parse::period(name, reading.kind) {
            Some(p) if periods.contains(&p) => problems.push(Problem::at(1, name.clone(), ProblemKind::DuplicateColumn)),
            Some(p) => periods.push(p),
            None => problems.push(Problem::at(1, name.clone(), ProblemKind::PeriodOutOfRange { value: name.clone() })),
        }
    }
    periods
}

/// Rows of the wide revenue file: a client column, then one column per period.
pub fn wide(rows: &Rows, names: &[String], periods: &[Period], reading: Reading, problems: &mut Vec<Problem>) -> Vec<RevenueRow> {
    let mut header_problems = Vec::new();
    let header = Header::map(&names[..1], &mut header_problems);
    let mut out = Vec::new();
    for (line, cells) in rows {
        if cells.len() > names.len() && cells.iter().skip(names.len()).any(|c| !c.is_empty()) {
            problems.push(Problem::row(*line, ProblemKind::FieldCount { expected: names.len(), found: cells.len() }));
            continue;
        }
        let client = {
            let mut row = Row { line: *line, cells, header: &header, problems: &mut *problems, locale: reading.locale };
            row.required(Column::Client).map(Rc::<str>::from)
        };
        let Some(client) = client else { continue };
        for (i, period) in periods.iter().enumerate() {
            let Some(text) = cells.get(i + 1).filter(|c| !c.is_empty()) else { continue };
            match parse::number(text, reading.locale) {
                Some(revenue) => out.push(RecordRow {
                    line: *line,
                    client: client.clone(),
                    period: *period,
                    record: Revenue { revenue, direct_cost: Decimal::ZERO },
                }),
                None => problems.push(Problem::at(
                    *line,
                    names[i + 1].clone(),
                    ProblemKind::Invalid { value: text.to_string(), expected: Expected::Number },
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

/// Rows of the clients file: static attributes; empty cells take the defaults (DOMAIN.md §1).
pub fn clients(rows: &Rows, header: &Header, reading: Reading, problems: &mut Vec<Problem>) -> Vec<ClientRow> {
    each_row(rows, header, reading, problems, |row| {
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
    })
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
