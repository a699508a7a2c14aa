//! An import done in slices: [`Job::step`] reads a bounded number of rows at a time, so a
//! browser can show progress and stay responsive between slices, and cancel by dropping the
//! job (nothing is applied until [`Job::finish`] returns and the caller applies the result).
//! [`super::parse`] is the same job run to the end in one go.

use std::collections::BTreeMap;
use std::rc::Rc;

use rust_decimal::Decimal;

use super::columns::Column;
use super::formats::{self, ClientRow, CsvFormat, Reading, RecordRow, RevenueRow};
use super::problem::{Problem, ProblemKind};
use super::row::Header;
use super::table::{self, RowReader};
use super::{parse, settings, Parsed};
use crate::core::model::{NumberLocale, Period, Settings};

/// At most this many problems are collected; a file with more is refused all the same.
pub const MAX_PROBLEMS: usize = 1_000;

/// Something worth telling the user about an import that is not a problem.
#[derive(Clone, Debug, PartialEq)]
pub enum Note {
    /// Values like `1.234` in this column could be read two ways; the portfolio's number
    /// locale decided, and this is what one of them became.
    Ambiguous { column: String, example: String, read_as: Decimal, locale: NumberLocale },
}

/// How far a job has got.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub bytes_read: usize,
    pub bytes_total: usize,
    pub rows: usize,
    pub done: bool,
}

struct CsvJob {
    rows: RowReader,
    format: CsvFormat,
    header: Header,
    names: Vec<String>,
    periods: Vec<Period>,
    reading: Reading,
    problems: Vec<Problem>,
    records: Vec<RecordRow>,
    /// Of a wide sheet, its revenue per client and period.
    revenue: Vec<RevenueRow>,
    /// Whether the records read so far list each client's rows together, period after period
    /// (then no period can be there twice; see [`InOrder`]).
    in_order: InOrder,
    /// Of a wide sheet, the clients of the lines read so far (one line per client).
    lines: formats::SeenClients<Rc<str>>,
    sums: BTreeMap<(Rc<str>, Period), RevenueRow>,
    clients: Vec<ClientRow>,
    /// Column index → numeric, for the ambiguity check.
    numeric: Vec<bool>,
    ambiguous: BTreeMap<usize, (String, Decimal)>,
    row_count: usize,
    finished: bool,
    /// Room for every record was made (see `reserve`).
    reserved: bool,
}

enum State {
    Ready(Result<Parsed, Vec<Problem>>),
    Csv(Box<CsvJob>),
}

/// An import in progress.
pub struct Job {
    state: State,
}

fn numeric(col: Option<Column>) -> bool {
    use Column::*;
    matches!(
        col,
        Some(Revenue | DirectCost | Discount | ServiceHours | SalesHours | Tickets | DaysLate | WrittenOff | Amount | Cost | AcquisitionCost)
    )
}

impl Job {
    /// Decodes the bytes, reads the header and detects the format. Problems with the file as
    /// a whole or its header are known at once; rows are read by [`Job::step`].
    /// A file larger than [`table::MAX_BYTES`] is refused.
    pub fn start(bytes: &[u8], settings: &Settings) -> Job {
        Job::start_within(bytes, settings, Some(table::MAX_BYTES))
    }

    /// [`Job::start`] for text Cartera wrote itself (the parts of a stored portfolio or of a
    /// backup): no size limit, since whatever was imported must load again — a portfolio
    /// grown by several imports, or 100,000 clients × 36 months pasted wide, is stored as
    /// records text larger than any one file it came from.
    /// The text is taken as it is (it is text, and Cartera's own), not copied: 100 MB of
    /// records are read where they lie.
    pub fn start_stored(text: String, settings: &Settings) -> Job {
        // What `table::decode` checks of a file and text can lack: a byte-order mark, content.
        let text = match text.strip_prefix('\u{feff}') {
            Some(rest) => rest.to_string(),
            None => text,
        };
        if text.trim().is_empty() {
            return Job { state: State::Ready(Err(vec![Problem::file(ProblemKind::EmptyFile)])) };
        }
        let mut job = Job::from_text(text, settings);
        // Its numbers are written as they are read (a point, no thousands): nothing to note.
        if let State::Csv(csv) = &mut job.state {
            csv.numeric.clear();
        }
        job
    }

    fn start_within(bytes: &[u8], settings: &Settings, limit: Option<usize>) -> Job {
        match table::decode(bytes, limit) {
            Ok(text) => Job::from_text(text.to_string(), settings),
            Err(p) => Job { state: State::Ready(Err(vec![p])) },
        }
    }

    /// Starts reading `text`, checked as `table::decode` checks it (no byte-order mark, not
    /// empty).
    fn from_text(text: String, settings: &Settings) -> Job {
        let ready = |r| Job { state: State::Ready(r) };
        if text.trim_start().starts_with('{') {
            // A Cartera backup is restored, not imported into a portfolio.
            let backup = serde_json::from_str::<serde_json::Value>(&text)
                .ok()
                .and_then(|v| v.get("format").and_then(|f| f.as_str()).map(|f| f.starts_with("cartera-")))
                .unwrap_or(false);
            if backup {
                return ready(Err(vec![Problem::file(ProblemKind::IsBackup)]));
            }
            return ready(settings::parse(&text).map(|s| Parsed::Settings(Box::new(s))));
        }
        let mut rows = RowReader::new(text);
        let names = match rows.next_row() {
            Ok(Some((_, cells))) => cells.to_vec(),
            Ok(None) => return ready(Err(vec![Problem::file(ProblemKind::EmptyFile)])),
            Err(p) => return ready(Err(vec![p])),
        };
        let Some(format) = formats::detect(&names) else {
            return ready(Err(vec![Problem::row(1, ProblemKind::UnknownFormat)]));
        };
        let reading = Reading { kind: settings.period_kind, locale: settings.number_locale };
        let mut problems = Vec::new();
        let (header, periods, numeric_cols) = if format == CsvFormat::Wide {
            let periods = formats::wide_periods(&names, reading, &mut problems);
            let header = Header::map(&names[..1], &mut Vec::new());
            let numeric_cols = (0..names.len()).map(|i| i > 0).collect();
            (header, periods, numeric_cols)
        } else {
            let header = Header::map(&names, &mut problems);
            let allowed = super::allowed(format);
            for (col, i) in header.index.iter() {
                if !allowed.contains(&col) {
                    problems.push(Problem::at(1, header.names[i].clone(), ProblemKind::UnknownColumn));
                }
            }
            header.require(formats::required(format), &mut problems);
            let numeric_cols = names.iter().map(|n| numeric(Column::from_header(n))).collect();
            (header, Vec::new(), numeric_cols)
        };
        if !problems.is_empty() {
            crate::core::order::sort_by_key(&mut problems, |p| (p.row.unwrap_or(0), p.column.clone()));
            return ready(Err(problems));
        }
        Job {
            state: State::Csv(Box::new(CsvJob {
                rows,
                format,
                header,
                names,
                periods,
                reading,
                problems,
                records: Vec::new(),
                revenue: Vec::new(),
                in_order: InOrder::default(),
                lines: formats::SeenClients::default(),
                sums: BTreeMap::new(),
                clients: Vec::new(),
                numeric: numeric_cols,
                ambiguous: BTreeMap::new(),
                row_count: 0,
                finished: false,
                reserved: false,
            })),
        }
    }

    /// The problems when the header itself was not understood (a column-mapping step can fix
    /// those), as opposed to problems in the rows.
    pub fn header_problems(&self) -> Option<&[Problem]> {
        match &self.state {
            State::Ready(Err(problems))
                if problems.iter().all(|p| {
                    matches!(
                        p.kind,
                        ProblemKind::UnknownFormat | ProblemKind::UnknownColumn | ProblemKind::MissingColumn { .. } | ProblemKind::DuplicateColumn
                    )
                }) =>
            {
                Some(problems)
            }
            _ => None,
        }
    }

    /// Reads and checks up to `max_rows` more rows.
    pub fn step(&mut self, max_rows: usize) -> Progress {
        let State::Csv(job) = &mut self.state else {
            return Progress { bytes_read: 0, bytes_total: 0, rows: 0, done: true };
        };
        if !job.finished {
            let mut slice = Vec::with_capacity(max_rows.min(100_000));
            while slice.len() < max_rows {
                match job.rows.next_row() {
                    Ok(Some(row)) => slice.push(row),
                    Ok(None) => {
                        job.finished = true;
                        break;
                    }
                    Err(p) => {
                        job.problems.push(p);
                        job.finished = true;
                        break;
                    }
                }
            }
            job.row_count += slice.len();
            job.read(&slice);
            job.reserve();
            if job.problems.len() >= MAX_PROBLEMS {
                job.finished = true;
            }
        }
        let (bytes_read, bytes_total) = job.rows.progress();
        Progress { bytes_read, bytes_total, rows: job.row_count, done: job.finished }
    }

    /// The validated file and notes about it, or every problem found.
    pub fn finish(mut self) -> Result<(Parsed, Vec<Note>), Vec<Problem>> {
        while !self.step(50_000).done {}
        match self.state {
            State::Ready(result) => result.map(|p| (p, Vec::new())),
            State::Csv(job) => job.finish(),
        }
    }
}

/// Follows the records as they are read, to tell whether each client's rows come together
/// with their periods going up, as a stored portfolio and most exports list them: then no
/// client has a period twice, and the whole file need not be gone over again at the end
/// (for millions of records that pass would hold the page). Checked a slice at a time.
#[derive(Default)]
struct InOrder {
    last: Option<(Rc<str>, Period)>,
    /// Clients whose rows are behind.
    done: std::collections::HashSet<Rc<str>>,
    broken: bool,
}

impl InOrder {
    fn read(&mut self, rows: &[RecordRow]) {
        for r in rows {
            if self.broken {
                return;
            }
            match &self.last {
                Some((client, period)) if *client == r.client => self.broken = r.period <= *period,
                _ => {
                    if let Some((client, _)) = self.last.take() {
                        self.done.insert(client);
                    }
                    self.broken = self.done.contains(&r.client);
                }
            }
            self.last = Some((r.client.clone(), r.period));
        }
    }

    fn still(&self) -> bool {
        !self.broken
    }
}

impl CsvJob {
    /// Makes room, once the first slice shows how many records a byte of the file makes, for
    /// all the records the file will make (and a tenth more): a list of millions of records
    /// that doubled as it grew would copy hundreds of megabytes at a time, holding the page.
    fn reserve(&mut self) {
        let (read, total) = self.rows.progress();
        if self.reserved || read == 0 || (self.records.is_empty() && self.revenue.is_empty()) {
            return;
        }
        self.reserved = true;
        let room = |len: usize| ((len as f64 * total as f64 / read as f64 * 1.1) as usize).saturating_sub(len);
        self.records.reserve(room(self.records.len()));
        self.revenue.reserve(room(self.revenue.len()));
    }

    fn read(&mut self, slice: &formats::Rows) {
        let problems = &mut self.problems;
        match self.format {
            CsvFormat::Records => {
                let from = self.records.len();
                self.records.extend(formats::records(slice, &self.header, self.reading, problems));
                self.in_order.read(&self.records[from..]);
            }
            CsvFormat::Clients => self.clients.extend(formats::clients(slice, &self.header, self.reading, problems)),
            CsvFormat::Wide => {
                // A line's records come together and are all of its client: the first of each
                // line tells the lines' clients apart.
                let from = self.revenue.len();
                self.revenue.extend(formats::wide(slice, &self.names, &self.periods, self.reading, problems));
                let mut line = from.checked_sub(1).map(|k| self.revenue[k].line);
                for r in &self.revenue[from..] {
                    if line != Some(r.line) {
                        line = Some(r.line);
                        self.lines.see(r.client.clone(), r.line, &self.names[0]);
                    }
                }
            }
            CsvFormat::Transactions => {
                // Summed per client and period, the first row of each kept for its line.
                for row in formats::transactions(slice, &self.header, self.reading, problems) {
                    let entry = self.sums.entry((row.client.clone(), row.period)).or_insert_with(|| RecordRow {
                        record: Default::default(),
                        ..row.clone()
                    });
                    entry.record.revenue += row.record.revenue;
                    entry.record.direct_cost += row.record.direct_cost;
                }
            }
        }
        problems.truncate(MAX_PROBLEMS);
        // Note the first ambiguous value of each numeric column, until each has one.
        let numeric = self.numeric.iter().filter(|n| **n).count();
        for (_, cells) in slice {
            if self.ambiguous.len() == numeric {
                break;
            }
            for (i, cell) in cells.iter().enumerate() {
                if self.numeric.get(i).copied().unwrap_or(false) && !self.ambiguous.contains_key(&i) && parse::ambiguous(cell) {
                    if let Some(v) = parse::number(cell, self.reading.locale) {
                        self.ambiguous.insert(i, (cell.to_string(), v));
                    }
                }
            }
        }
    }

    fn finish(mut self) -> Result<(Parsed, Vec<Note>), Vec<Problem>> {
        let mut problems = self.problems;
        if self.row_count == 0 && problems.is_empty() {
            return Err(vec![Problem::file(ProblemKind::NoRows)]);
        }
        let column_name = |col: Column| self.header.index.get(&col).map_or_else(|| col.name().to_string(), |&i| self.names[i].clone());
        let parsed = match self.format {
            CsvFormat::Records => {
                if !self.in_order.still() {
                    formats::duplicate_periods(&self.records, &column_name(Column::Period), &mut problems);
                }
                Parsed::Records(self.records)
            }
            CsvFormat::Wide => {
                // One row per client, told apart as the lines were read.
                problems.append(&mut self.lines.problems);
                Parsed::Revenue { format: super::Format::WideRevenue, rows: self.revenue }
            }
            CsvFormat::Transactions => Parsed::Revenue { format: super::Format::Transactions, rows: self.sums.into_values().collect() },
            CsvFormat::Clients => {
                formats::duplicate_clients(self.clients.iter().map(|c| (c.client.id.as_str(), c.line)), &column_name(Column::Client), &mut problems);
                Parsed::Clients(self.clients)
            }
        };
        if !problems.is_empty() {
            crate::core::order::sort_by_key(&mut problems, |p| (p.row.unwrap_or(0), p.column.clone()));
            problems.truncate(MAX_PROBLEMS);
            return Err(problems);
        }
        let locale = self.reading.locale;
        let notes = self
            .ambiguous
            .into_iter()
            .map(|(i, (example, read_as))| Note::Ambiguous { column: self.names[i].clone(), example, read_as, locale })
            .collect();
        Ok((parsed, notes))
    }
}
