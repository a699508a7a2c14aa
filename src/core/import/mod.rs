//! Getting data in (DOMAIN.md §9): every import is checked whole, then applied whole or refused
//! with every problem listed by row and column.
//!
//! Two steps, like a controller checking a spreadsheet before pasting it into the ledger:
//! [`parse`] turns bytes into a validated [`Parsed`] batch (format detected from the header),
//! and [`apply`] merges it into a copy of the portfolio, checking what needs the whole
//! portfolio (referrals). The caller keeps the old portfolio until `apply` succeeds, so a
//! refused import changes nothing.

pub mod columns;
pub mod formats;
pub mod job;
pub mod parse;
pub mod problem;
pub mod row;
pub mod settings;
pub mod table;

use std::collections::{BTreeMap, HashSet};

pub use formats::{ClientRow, CsvFormat, RecordRow, Revenue, RevenueRow};
pub use job::{Job, Note, Progress};
pub use problem::{Expected, Problem, ProblemKind};

pub use columns::Column;
use columns::{CLIENT_FIELDS, RECORD_FIELDS};

use crate::core::model::{Client, Portfolio, Settings};

/// Which of the §9 files an import was.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Records,
    Transactions,
    WideRevenue,
    Clients,
    Settings,
}

/// A validated file, ready to apply.
#[derive(Clone, Debug, PartialEq)]
pub enum Parsed {
    /// Whole period records: a row for a client and period already there replaces it.
    Records(Vec<RecordRow>),
    /// Revenue (and direct cost) per client and period, from transactions or a wide sheet:
    /// these set those fields of a record already there and keep its hours, tickets and terms.
    Revenue { format: Format, rows: Vec<RevenueRow> },
    Clients(Vec<ClientRow>),
    Settings(Box<Settings>),
}

impl Parsed {
    /// The rows it holds (none in a settings file).
    pub fn rows(&self) -> usize {
        match self {
            Parsed::Records(rows) => rows.len(),
            Parsed::Revenue { rows, .. } => rows.len(),
            Parsed::Clients(rows) => rows.len(),
            Parsed::Settings(_) => 0,
        }
    }

    /// Lets go of up to `rows` of its rows (from the end). Returns whether any are left: a
    /// caller freeing millions of rows does it a slice at a time between looks at the page.
    pub fn let_go(&mut self, rows: usize) -> bool {
        use crate::core::model::shorten;
        match self {
            Parsed::Records(list) => shorten(list, rows),
            Parsed::Revenue { rows: list, .. } => shorten(list, rows),
            Parsed::Clients(list) => shorten(list, rows),
            Parsed::Settings(_) => false,
        }
    }

    pub fn format(&self) -> Format {
        match self {
            Parsed::Records(_) => Format::Records,
            Parsed::Revenue { format, .. } => *format,
            Parsed::Clients(_) => Format::Clients,
            Parsed::Settings(_) => Format::Settings,
        }
    }
}

/// What an applied import changed, for the preview and the confirmation.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: usize,
    pub clients_added: usize,
    pub clients_updated: usize,
    pub records_added: usize,
    pub records_replaced: usize,
    /// In replace mode: clients and period records of the portfolio the file does not keep.
    pub clients_removed: usize,
    pub records_removed: usize,
    pub settings_changed: bool,
}

/// How an import meets what the portfolio already holds.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Mode {
    /// Added to the portfolio; a row for a client and period already there replaces it.
    #[default]
    Add,
    /// The file replaces the portfolio's data of its kind (see [`replace`]).
    Replace,
}

/// Applies a parsed file in the given mode.
pub fn apply_in(portfolio: &Portfolio, parsed: &Parsed, mode: Mode) -> Result<(Portfolio, Summary), Vec<Problem>> {
    match mode {
        Mode::Add => apply(portfolio, parsed),
        Mode::Replace => replace(portfolio, parsed),
    }
}

/// "Replace the portfolio" with a file: the portfolio becomes what the file says, keeping what
/// the file cannot say. A controller replacing last year's export expects exactly this:
/// - period records (records, transactions, revenue by period): the records are the file's;
///   clients the file names keep their attributes, the others are removed;
/// - a clients list: the clients are the file's; records are kept for the clients it lists;
/// - a settings file: the settings, as in add mode.
///
/// The name, settings and prospects stay; exit plans stay for clients still there. A
/// `referred_by` that names a removed client is cleared (as when a client is deleted by hand).
pub fn replace(portfolio: &Portfolio, parsed: &Parsed) -> Result<(Portfolio, Summary), Vec<Problem>> {
    let mut base = portfolio.clone();
    match parsed {
        // A new empty part, not the shared one emptied (which would copy it first).
        Parsed::Records(_) | Parsed::Revenue { .. } => base.records = Default::default(),
        Parsed::Clients(_) => base.clients = Default::default(),
        Parsed::Settings(_) => return apply(portfolio, parsed),
    }
    let (mut next, mut summary) = apply(&base, parsed)?;
    if matches!(parsed, Parsed::Clients(_)) {
        next.records.retain(|id, _| next.clients.contains_key(id));
    } else {
        let Portfolio { clients, records, .. } = &mut next;
        clients.retain(|id, _| records.contains_key(id));
    }
    next.forget_removed_clients();
    // Counted against the portfolio as it was: what is added, replaced and removed.
    let existed = next.clients.keys().filter(|id| portfolio.clients.contains_key(*id)).count();
    summary.clients_added = next.clients.len() - existed;
    summary.clients_removed = portfolio.clients.len() - existed;
    if matches!(parsed, Parsed::Clients(_)) {
        summary.clients_updated = existed;
    } else {
        summary.records_replaced = next.record_keys().filter(|(id, p)| portfolio.has_record(id, p)).count();
        summary.records_added = next.record_count() - summary.records_replaced;
    }
    summary.records_removed = portfolio.record_keys().filter(|(id, p)| !next.has_record(id, p)).count();
    Ok((next, summary))
}

/// The columns a CSV format may have.
fn allowed(format: CsvFormat) -> Vec<Column> {
    let mut cols = vec![Column::Client];
    match format {
        CsvFormat::Records => {
            cols.push(Column::Period);
            cols.extend(RECORD_FIELDS);
        }
        CsvFormat::Transactions => cols.extend([Column::Date, Column::Amount, Column::Cost]),
        CsvFormat::Clients => cols.extend(CLIENT_FIELDS),
        CsvFormat::Wide => {}
    }
    cols
}

/// Reads any §9 file, its format detected from the header (a JSON object is a settings file).
/// `settings` gives the period kind and the number locale for ambiguous numbers.
pub fn parse(bytes: &[u8], settings: &Settings) -> Result<Parsed, Vec<Problem>> {
    Job::start(bytes, settings).finish().map(|(parsed, _)| parsed)
}

/// The first rows of a CSV text, for a column-mapping preview.
pub fn preview(text: &str, rows: usize) -> Vec<Vec<String>> {
    let mut reader = table::RowReader::new(text.to_string());
    let mut out = Vec::new();
    while out.len() < rows {
        match reader.next_row() {
            Ok(Some((_, cells))) => out.push(cells.to_vec()),
            _ => break,
        }
    }
    out
}

/// What each column of a header most likely is, by the synonyms table.
pub fn guess_columns(cells: &[String]) -> Vec<Option<Column>> {
    cells.iter().map(|c| Column::from_header(c)).collect()
}

/// Whether a first row looks like data rather than a header: most of its cells are numbers,
/// dates or periods.
pub fn looks_like_data(cells: &[String]) -> bool {
    let data = cells
        .iter()
        .filter(|c| parse::number(c, crate::core::model::NumberLocale::Dot).is_some() || parse::year_month(c).is_some())
        .count();
    data * 2 >= cells.len().max(1)
}

/// Rewrites a CSV text with the user's choice of what each column is: a header of canonical
/// names, and only the columns given a role. With `has_header` false the first row is data.
pub fn remap(text: &str, roles: &[Option<Column>], has_header: bool) -> String {
    let mut reader = table::RowReader::new(text.to_string());
    let header: Vec<&str> = roles.iter().flatten().map(|c| c.name()).collect();
    let mut out = header.join(",");
    out.push('\n');
    let mut first = true;
    while let Ok(Some((_, cells))) = reader.next_row() {
        if first && has_header {
            first = false;
            continue;
        }
        first = false;
        let kept: Vec<String> = roles
            .iter()
            .enumerate()
            .filter(|(_, r)| r.is_some())
            .map(|(i, _)| crate::core::export::csv_field(cells.get(i).unwrap_or("")))
            .collect();
        out.push_str(&kept.join(","));
        out.push('\n');
    }
    out
}

/// Merges a parsed file into a copy of `portfolio`. Clients named only in records are added
/// with default attributes. Refused whole when the result would have a `referred_by` naming
/// nobody or a referral cycle (DOMAIN.md §9, open points).
pub fn apply(portfolio: &Portfolio, parsed: &Parsed) -> Result<(Portfolio, Summary), Vec<Problem>> {
    Applying::new(portfolio, parsed).finish(parsed)
}

/// [`apply`] a slice of rows at a time, so that merging millions of records does not hold up
/// the page; the same result at any slice size. Every call is given the same parsed file.
pub struct Applying {
    next: Portfolio,
    summary: Summary,
    client_lines: BTreeMap<String, usize>,
    /// Rows merged so far.
    done: usize,
    /// Everything is merged (settings go in one step).
    merged: bool,
}

/// Merges about `rows` more of `all`'s period rows from `*done` on (whole runs of a client's
/// rows), each record made or written as its values say ([`formats::Values`]). Returns
/// whether any are left.
fn merge<V: formats::Values>(all: &[RecordRow<V>], done: &mut usize, rows: usize, next: &mut Portfolio, summary: &mut Summary) -> bool {
    let (clients, records) = (&mut *next.clients, &mut *next.records);
    let end = done.saturating_add(rows);
    // Rows come grouped by client (files list a client's periods together): each client is
    // looked up once per run of its rows, not once per row.
    for run in all[*done..].chunk_by(|a, b| a.client == b.client) {
        let client: &str = &run[0].client;
        if !clients.contains_key(client) {
            clients.insert(client.to_string(), Client::new(client));
            summary.clients_added += 1;
        }
        if !records.contains_key(client) {
            records.insert(client.to_string(), BTreeMap::new());
        }
        let periods = records.get_mut(client).expect("inserted above");
        for row in run {
            match periods.get_mut(&row.period) {
                Some(existing) => {
                    summary.records_replaced += 1;
                    row.record.write(existing);
                }
                None => {
                    summary.records_added += 1;
                    periods.insert(row.period, row.record.record());
                }
            }
        }
        *done += run.len();
        if *done >= end {
            break;
        }
    }
    *done < all.len()
}

impl Applying {
    pub fn new(portfolio: &Portfolio, parsed: &Parsed) -> Applying {
        let summary = Summary { rows: parsed.rows(), ..Summary::default() };
        Applying { next: portfolio.clone(), summary, client_lines: BTreeMap::new(), done: 0, merged: false }
    }

    /// Merges about `rows` more rows (whole runs of a client's rows). Returns whether any
    /// are left.
    pub fn step(&mut self, parsed: &Parsed, rows: usize) -> bool {
        if self.merged {
            return false;
        }
        let (next, summary) = (&mut self.next, &mut self.summary);
        let more = match parsed {
            Parsed::Records(all) => merge(all, &mut self.done, rows, next, summary),
            Parsed::Revenue { rows: all, .. } => merge(all, &mut self.done, rows, next, summary),
            Parsed::Clients(all) => {
                let end = self.done.saturating_add(rows).min(all.len());
                for row in &all[self.done..end] {
                    self.client_lines.insert(row.client.id.clone(), row.line);
                    match next.clients.insert(row.client.id.clone(), row.client.clone()) {
                        Some(_) => summary.clients_updated += 1,
                        None => summary.clients_added += 1,
                    }
                }
                self.done = end;
                end < all.len()
            }
            Parsed::Settings(settings) => {
                summary.settings_changed = next.settings != **settings;
                next.settings = (**settings).clone();
                false
            }
        };
        self.merged = !more;
        more
    }

    /// Rows merged, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.done, self.summary.rows)
    }

    /// The merged portfolio, the rows left merged first; or why it is refused.
    pub fn finish(mut self, parsed: &Parsed) -> Result<(Portfolio, Summary), Vec<Problem>> {
        while self.step(parsed, usize::MAX) {}
        let problems = referral_problems(&self.next, &self.client_lines);
        if problems.is_empty() { Ok((self.next, self.summary)) } else { Err(problems) }
    }
}

/// Unknown referrers and referral cycles in a portfolio. `lines` gives the file row of the
/// clients just imported, so messages point at them.
pub fn referral_problems(portfolio: &Portfolio, lines: &BTreeMap<String, usize>) -> Vec<Problem> {
    let at = |id: &str, kind: ProblemKind| Problem {
        row: lines.get(id).copied(),
        column: Some("referred_by".into()),
        kind,
    };
    let mut problems = Vec::new();
    for client in portfolio.clients.values() {
        if let Some(r) = &client.referred_by {
            if !portfolio.clients.contains_key(r) {
                problems.push(at(&client.id, ProblemKind::UnknownReferrer { client: client.id.clone(), referrer: r.clone() }));
            }
        }
    }
    // Each cycle is reported once, from its smallest id.
    let mut reported: HashSet<String> = HashSet::new();
    // Only a client with a referrer can start a cycle (most have none: no path is made for them).
    for (start, _) in portfolio.clients.iter().filter(|(_, c)| c.referred_by.is_some()) {
        let mut path = vec![start.clone()];
        let mut current = start;
        while let Some(next) = portfolio.clients.get(current).and_then(|c| c.referred_by.as_ref()) {
            if next == start {
                if !reported.contains(start) {
                    reported.extend(path.iter().cloned());
                    path.push(start.clone());
                    problems.push(at(start, ProblemKind::ReferralCycle { cycle: path.clone() }));
                }
                break;
            }
            if path.contains(next) || path.len() > portfolio.clients.len() {
                break;
            }
            path.push(next.clone());
            current = next;
        }
    }
    problems
}
