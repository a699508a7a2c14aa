//! A portfolio as one compact, versioned text: what the browser stores, and what a backup file
//! holds. Clients and records are kept in their own §9 CSV forms (records with zeros left
//! empty), so storing and importing share one reader and one writer, and 2,000 clients × 36
//! months fit in a few million characters.

use std::collections::BTreeMap;
use std::rc::{Rc, Weak};

use serde_json::{json, Value};

use crate::core::export;
use crate::core::import::{self, Parsed, Problem};
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::core::analysis::prospect::Prospect;
use crate::core::model::{Client, NumberLocale, Period, PeriodRecord, Portfolio, Settings, Shared};
use crate::core::plan::{Date, ExitPlan, Stage, Step};

/// The snapshot format's name and version. A newer version is refused, never guessed at.
pub const FORMAT: &str = "cartera-portfolio";
pub const VERSION: u64 = 1;

/// Why a stored snapshot could not be read.
#[derive(Clone, Debug, PartialEq)]
pub enum SnapshotError {
    /// Not JSON, or not a Cartera snapshot.
    NotASnapshot,
    /// Written by a newer version of Cartera.
    NewerVersion { version: u64 },
    /// A backup that holds no portfolio: nothing to restore.
    Empty,
    /// A part of the snapshot failed validation.
    Invalid { part: import::Format, problems: Vec<Problem> },
}

/// The portfolio as a JSON value (see [`encode`]).
pub fn to_value(p: &Portfolio) -> Value {
    json!({
        "format": FORMAT,
        "version": VERSION,
        "name": p.name,
        "settings": export::settings_value(&p.settings),
        "clients": export::clients_csv(p),
        "records": export::records_csv(p, true),
        "plans": p.plans.values().map(plan_value).collect::<Vec<_>>(),
        "prospects": p.prospects.iter().map(prospect_value).collect::<Vec<_>>(),
    })
}

fn stage_name(stage: Stage) -> String {
    match stage {
        Stage::Prepare => "prepare".into(),
        Stage::Talk => "talk".into(),
        Stage::Transition => "transition".into(),
        Stage::Close => "close".into(),
        Stage::FollowUp(n) => format!("follow-up-{n}"),
    }
}

fn stage_of(name: &str) -> Option<Stage> {
    Some(match name {
        "prepare" => Stage::Prepare,
        "talk" => Stage::Talk,
        "transition" => Stage::Transition,
        "close" => Stage::Close,
        other => Stage::FollowUp(other.strip_prefix("follow-up-")?.parse().ok()?),
    })
}

fn plan_value(plan: &ExitPlan) -> Value {
    json!({
        "client": plan.client,
        "start": plan.start.iso(),
        "months": plan.transition_months,
        "steps": plan.steps.iter().map(|s| json!({
            "stage": stage_name(s.stage), "date": s.date.iso(), "done": s.done, "note": s.note,
        })).collect::<Vec<_>>(),
    })
}

fn plan_of(v: &Value) -> Option<ExitPlan> {
    let steps = v.get("steps")?.as_array()?.iter().map(|s| {
        Some(Step {
            stage: stage_of(s.get("stage")?.as_str()?)?,
            date: Date::parse(s.get("date")?.as_str()?)?,
            done: s.get("done")?.as_bool()?,
            note: s.get("note")?.as_str()?.to_string(),
        })
    });
    Some(ExitPlan {
        client: v.get("client")?.as_str()?.to_string(),
        start: Date::parse(v.get("start")?.as_str()?)?,
        transition_months: v.get("months")?.as_u64()? as u32,
        steps: steps.collect::<Option<Vec<_>>>()?,
    })
}

fn prospect_value(p: &Prospect) -> Value {
    json!({
        "name": p.name,
        "yearly_revenue": p.yearly_revenue.to_string(),
        "margin": p.margin.to_string(),
        "service_hours": p.service_hours.to_string(),
        "sales_hours": p.sales_hours.to_string(),
        "acquisition_cost": p.acquisition_cost.to_string(),
        "expected_years": p.expected_years.to_string(),
        "retention": p.retention.to_string(),
        "discount_rate": p.discount_rate.to_string(),
    })
}

fn prospect_of(v: &Value) -> Option<Prospect> {
    let d = |k: &str| Decimal::from_str(v.get(k)?.as_str()?).ok();
    Some(Prospect {
        name: v.get("name")?.as_str()?.to_string(),
        yearly_revenue: d("yearly_revenue")?,
        margin: d("margin")?,
        service_hours: d("service_hours")?,
        sales_hours: d("sales_hours")?,
        acquisition_cost: d("acquisition_cost")?,
        expected_years: d("expected_years")?,
        retention: d("retention")?,
        discount_rate: d("discount_rate")?,
    })
}

/// Encodes a portfolio for storage (the same text as [`to_value`]'s, keys in its order).
pub fn encode(p: &Portfolio) -> String {
    Encoder::default().encode(p)
}

/// One encoded part, kept while the part it was made from is still alive: a [`Weak`] keeps
/// the allocation from being reused, so the same address means the same, unchanged part.
struct Kept<T> {
    part: Weak<T>,
    /// (A `String` behind the `Rc`: an `Rc<str>` made from 77 MB of text copies it, in one
    /// step.)
    json: Rc<String>,
}

impl<T> Kept<T> {
    fn reuse(kept: &Option<Kept<T>>, part: &Shared<T>) -> Option<Rc<String>> {
        kept.as_ref().filter(|k| part.is(&k.part)).map(|k| k.json.clone())
    }

    fn keep(part: &Shared<T>, json: String) -> (Option<Kept<T>>, Rc<String>) {
        let json = Rc::new(json);
        (Some(Kept { part: part.mark(), json: json.clone() }), json)
    }
}

/// A fingerprint of a text (64-bit FNV-1a), taken as the text is written, `bytes` more at a
/// time: storage compares the records' fingerprint with the stored one to leave pieces that
/// are already there as they are.
pub fn fingerprint(print: u64, bytes: &[u8]) -> u64 {
    bytes.iter().fold(print, |h, &b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The [`fingerprint`] of no text.
pub const NO_PRINT: u64 = 0xcbf2_9ce4_8422_2325;

/// Encodes portfolios for storage, reusing the encoded clients and records of the last
/// portfolio it encoded while the new one still shares them (see
/// [`Shared`](crate::core::model::Shared)): saving a settings change, a plan or a
/// renamed portfolio of 100,000 clients writes its records again without encoding them again.
#[derive(Default)]
pub struct Encoder {
    clients: Option<Kept<BTreeMap<String, Client>>>,
    records: Option<Kept<BTreeMap<String, BTreeMap<Period, PeriodRecord>>>>,
    /// The [`fingerprint`] of the kept records' JSON string.
    records_print: u64,
}

impl Encoder {
    /// The whole text at once.
    pub fn encode(&mut self, p: &Portfolio) -> String {
        let encoding = self.begin(p);
        self.finish(encoding)
    }

    /// Starts encoding `p` in steps: [`Encoding::step`] until it says it is done, then
    /// [`Encoder::finish`]. The parts still shared with the last portfolio encoded are taken as
    /// they were.
    pub fn begin<'a>(&self, p: &'a Portfolio) -> Encoding<'a> {
        let records = Kept::reuse(&self.records, &p.records);
        // Records encoded again are fingerprinted as they are written.
        let records_print = if records.is_some() { self.records_print } else { NO_PRINT };
        Encoding {
            portfolio: p,
            clients: Kept::reuse(&self.clients, &p.clients),
            records,
            records_print,
            record_rows: export::RecordRows::default(),
            client_rows: export::ClientRows::default(),
            records_json: None,
            clients_json: None,
        }
    }

    /// The text of an [`Encoding`] (encoding what is left at once); its parts are kept for
    /// the next one.
    pub fn finish(&mut self, e: Encoding<'_>) -> String {
        self.finish_pieces(e).joined()
    }

    /// [`Encoder::finish`] as [`Pieces`]: the records are not copied into one text with the
    /// rest, and storage can hand the text over a piece at a time.
    pub fn finish_pieces(&mut self, mut e: Encoding<'_>) -> Pieces {
        while e.step(usize::MAX) {}
        let p = e.portfolio;
        let clients = e.clients.unwrap_or_else(|| {
            let (kept, json) = Kept::keep(&p.clients, e.clients_json.expect("the steps wrote the clients").0);
            self.clients = kept;
            json
        });
        // The print goes with the records it was taken of: records reused leave the kept ones
        // (and their print) as they are, which may since be others taken in (`adopt`).
        let records = e.records.unwrap_or_else(|| {
            let (kept, json) = Kept::keep(&p.records, e.records_json.expect("the steps wrote the records").0);
            self.records = kept;
            self.records_print = e.records_print;
            json
        });
        let plans = Value::from(p.plans.values().map(plan_value).collect::<Vec<_>>());
        let prospects = Value::from(p.prospects.iter().map(prospect_value).collect::<Vec<_>>());
        let settings = export::settings_value(&p.settings);
        let mut head = String::with_capacity(clients.len() + 256);
        // The keys in the order serde_json writes a `json!` object: sorted.
        head.push_str(r#"{"clients":"#);
        head.push_str(&clients);
        head.push_str(r#","format":"#);
        head.push_str(&Value::from(FORMAT).to_string());
        head.push_str(r#","name":"#);
        head.push_str(&Value::from(p.name.as_str()).to_string());
        head.push_str(r#","plans":"#);
        head.push_str(&plans.to_string());
        head.push_str(r#","prospects":"#);
        head.push_str(&prospects.to_string());
        head.push_str(r#","records":"#);
        let mut tail = String::from(r#","settings":"#);
        tail.push_str(&settings.to_string());
        tail.push_str(r#","version":"#);
        tail.push_str(&VERSION.to_string());
        tail.push('}');
        Pieces::new(head, records, e.records_print, tail, PIECE)
    }
}

/// The clients' and the records' JSON strings of a portfolio (quotes included) and the
/// records' [`fingerprint`], as [`Encoder::begin`] writes them: the large parts of its stored
/// text. Worked out where the same portfolio is held (the background worker), and taken in by
/// the encoder of the page that saves it ([`Encoder::adopt`]), which then writes only the rest.
#[derive(Clone, Debug, PartialEq)]
pub struct Parts {
    pub clients: String,
    pub records: String,
    pub records_print: u64,
}

impl Parts {
    /// The parts of `p`'s stored text, encoded in one go.
    pub fn of(p: &Portfolio) -> Parts {
        let mut e = Encoder::default().begin(p);
        while e.step(usize::MAX) {}
        let text = |json: Option<(String, bool)>| json.map(|(text, _)| text).expect("the steps wrote it");
        Parts { records_print: e.records_print, clients: text(e.clients_json), records: text(e.records_json) }
    }

    /// Whether they read as the parts of a stored text: each a whole JSON string of its
    /// header and rows (its text ends with a line, so the string with an escaped `\n` and its
    /// closing quote). The same engine wrote them from the same portfolio; this tells bytes cut
    /// or mixed up on the way, without reading 77 MB again.
    pub fn well_formed(&self) -> bool {
        let whole = |json: &str, header: &str| json.starts_with(&json_open(header)) && json.ends_with("\\n\"");
        whole(&self.clients, export::CLIENTS_HEADER) && whole(&self.records, export::RECORDS_HEADER)
    }
}

impl Encoder {
    /// Takes `parts` as the encoded clients and records of `p` (encoded elsewhere, from the
    /// same clients and records): the next [`Encoder::begin`] of a portfolio that shares them
    /// writes only the rest.
    pub fn adopt(&mut self, p: &Portfolio, parts: Parts) {
        self.clients = Kept::keep(&p.clients, parts.clients).0;
        self.records = Kept::keep(&p.records, parts.records).0;
        self.records_print = parts.records_print;
    }

    /// Whether the clients and records of `p` are those last encoded (or adopted).
    pub fn holds(&self, p: &Portfolio) -> bool {
        Kept::reuse(&self.clients, &p.clients).is_some() && Kept::reuse(&self.records, &p.records).is_some()
    }
}

/// About how many bytes of text one piece of a stored snapshot holds: few enough for the
/// browser to take one over in a few milliseconds.
pub const PIECE: usize = 1 << 21;

/// A snapshot's text as pieces whose concatenation is the text ([`Pieces::joined`]), so that
/// storage can hand 100 MB over (and read it back) a piece at a time. The layout:
///
/// - the first piece: everything before the records' text, with its opening quote;
/// - then the records' text as it stands in the JSON (escaped), cut after an escaped `\n`
///   into pieces of about [`PIECE`] bytes: a cut there never splits an escape or a
///   character, so each piece unescapes on its own;
/// - the last piece: the records' closing quote and everything after.
///
/// The first and last pieces together are the snapshot with empty records; that, and each
/// records piece unescaped, is how [`Reading`] reads it back without parsing 100 MB at once.
#[derive(Clone, Debug)]
pub struct Pieces {
    head: String,
    /// The records as a JSON string, quotes included (shared with the [`Encoder`]).
    records: Rc<String>,
    /// The [`fingerprint`] of `records`.
    print: u64,
    /// The byte ranges of `records` each piece holds, quotes left out.
    cuts: Vec<std::ops::Range<usize>>,
    tail: String,
}

impl Pieces {
    /// `records` is a JSON string (quotes included) that goes between `head` and `tail`.
    fn new(mut head: String, records: Rc<String>, print: u64, tail: String, size: usize) -> Pieces {
        let bytes = records.as_bytes();
        let end = bytes.len() - 1;
        let mut cuts = Vec::new();
        let mut start = 1;
        while end - start > size {
            let from = start + size;
            // The `\` of a match is an escape's own or the second of an escaped `\\`: either
            // way the `n` after it ends an escape or is a character of its own.
            let Some(at) = bytes[from..end].windows(2).position(|w| w == b"\\n") else { break };
            cuts.push(start..from + at + 2);
            start = from + at + 2;
        }
        cuts.push(start..end);
        head.push('"');
        Pieces { head, records, print, cuts, tail: format!("\"{tail}") }
    }

    /// How many pieces there are.
    pub fn len(&self) -> usize {
        self.cuts.len() + 2
    }

    pub fn is_empty(&self) -> bool {
        false
    }

    /// The `k`th piece.
    pub fn get(&self, k: usize) -> &str {
        match k {
            0 => &self.head,
            k if k <= self.cuts.len() => &self.records[self.cuts[k - 1].clone()],
            _ => &self.tail,
        }
    }

    /// The pieces holding the records' text.
    pub fn records(&self) -> std::ops::Range<usize> {
        1..self.cuts.len() + 1
    }

    /// A fingerprint of the records' text (with its length): pieces stored with the same
    /// fingerprint and range hold the same records.
    pub fn records_print(&self) -> String {
        format!("{:016x}-{}", self.print, self.records.len())
    }

    /// The whole text.
    pub fn joined(&self) -> String {
        let mut out = String::with_capacity(self.head.len() + self.records.len() + self.tail.len());
        for k in 0..self.len() {
            out.push_str(self.get(k));
        }
        out
    }
}

/// A stored snapshot's text, whole or in [`Pieces`], being read back (see [`Reading::new`]).
pub struct Reading<'a> {
    pieces: &'a [String],
    records: std::ops::Range<usize>,
    /// The snapshot without its records.
    frame: Value,
    /// The records unescaped so far, and the next piece to unescape.
    text: String,
    next: usize,
    /// The records' JSON string as stored so far, and its [`fingerprint`], where kept
    /// ([`Reading::keeping_parts`]).
    kept: Option<(String, u64)>,
}

impl<'a> Reading<'a> {
    /// Starts reading the pieces of a stored snapshot, `records` being those of its records'
    /// text (see [`Pieces`]). `None` when they are not laid out so: the caller then reads the
    /// joined text, which tells what is wrong with it.
    pub fn new(pieces: &'a [String], records: std::ops::Range<usize>) -> Option<Reading<'a>> {
        if records.start == 0 || records.end >= pieces.len() || records.start > records.end {
            return None;
        }
        let mut frame = String::new();
        for piece in pieces[..records.start].iter().chain(&pieces[records.end..]) {
            frame.push_str(piece);
        }
        let frame: Value = serde_json::from_str(&frame).ok()?;
        if frame.get("records").and_then(Value::as_str) != Some("") {
            return None;
        }
        let size = pieces[records.clone()].iter().map(String::len).sum();
        Some(Reading { pieces, next: records.start, records, frame, text: String::with_capacity(size), kept: None })
    }

    /// Also keeps the clients' and records' JSON strings as they are stored, for
    /// [`Reading::finish`] to give as [`Parts`]: an encoder that takes them in (the page that
    /// opened the portfolio) does not encode 77 MB again to save a setting.
    pub fn keeping_parts(mut self) -> Reading<'a> {
        let size: usize = self.pieces[self.records.clone()].iter().map(String::len).sum();
        let mut json = String::with_capacity(size + 2);
        json.push('"');
        self.kept = Some((json, fingerprint(NO_PRINT, b"\"")));
        self
    }

    /// Unescapes the next records piece. Returns whether any is left; `None` when a piece is
    /// not the text of a JSON string.
    pub fn step(&mut self) -> Option<bool> {
        if self.next < self.records.end {
            let piece = &self.pieces[self.next];
            let mut quoted = String::with_capacity(piece.len() + 2);
            quoted.push('"');
            quoted.push_str(piece);
            quoted.push('"');
            self.text.push_str(&serde_json::from_str::<String>(&quoted).ok()?);
            if let Some((json, print)) = &mut self.kept {
                json.push_str(piece);
                *print = fingerprint(*print, piece.as_bytes());
            }
            self.next += 1;
        }
        Some(self.next < self.records.end)
    }

    /// The snapshot without its records, the records' text (unescaping what is left), and the
    /// parts as stored where kept and whole ([`Parts::well_formed`]).
    pub fn finish(mut self) -> Option<(Value, String, Option<Parts>)> {
        while self.step()? {}
        let clients = self.frame.get("clients").filter(|c| c.is_string()).map(Value::to_string);
        let parts = self.kept.zip(clients).map(|((mut records, print), clients)| {
            records.push('"');
            Parts { clients, records, records_print: fingerprint(print, b"\"") }
        });
        Some((self.frame, self.text, parts.filter(Parts::well_formed)))
    }
}

/// A JSON string holding `text`, still open (no closing quote), to append to.
fn json_open(text: &str) -> String {
    let mut json = Value::from(text).to_string();
    json.pop();
    json
}

/// A portfolio being encoded a part at a time (see [`Encoder::begin`]).
pub struct Encoding<'a> {
    portfolio: &'a Portfolio,
    clients: Option<Rc<String>>,
    records: Option<Rc<String>>,
    /// The [`fingerprint`] of the records' JSON string, so far.
    records_print: u64,
    record_rows: export::RecordRows,
    client_rows: export::ClientRows,
    /// The records and the clients CSV written so far, each as an open JSON string, and
    /// whether it is complete.
    records_json: Option<(String, bool)>,
    clients_json: Option<(String, bool)>,
}

impl Encoding<'_> {
    /// Which part the next step encodes: the records (0) or the clients (1), whose rows cost
    /// differently.
    pub fn phase(&self) -> usize {
        usize::from(!to_encode(&self.records, &self.records_json))
    }

    /// Encodes about `rows` more rows, records first, then clients. Returns whether any are
    /// left. A JSON string escapes character by character, so the rows are escaped as they
    /// are written.
    pub fn step(&mut self, rows: usize) -> bool {
        let p = self.portfolio;
        let mut csv = String::new();
        if to_encode(&self.records, &self.records_json) {
            let more = self.record_rows.write(p, true, rows, &mut csv);
            let from = self.records_json.as_ref().map_or(0, |json| json.0.len());
            let first = self.records_json.is_none().then(|| csv.bytes().filter(|&b| b == b'\n').count());
            let json = self.records_json.get_or_insert_with(|| (json_open(export::RECORDS_HEADER), false));
            extend_json(json, csv, more);
            // Room for all the records' text, as the first step's rows tell (and a quarter more):
            // a text of 77 MB that doubled as it grew would copy tens of megabytes in one step.
            if let (Some(lines @ 1..), true) = (first, more) {
                let room = (json.0.len() / lines + 1).saturating_mul(p.record_count()) / 4 * 5;
                json.0.reserve(room.saturating_sub(json.0.len()));
            }
            self.records_print = fingerprint(self.records_print, &json.0.as_bytes()[from..]);
        } else if to_encode(&self.clients, &self.clients_json) {
            let more = self.client_rows.write(p, rows, &mut csv);
            extend_json(self.clients_json.get_or_insert_with(|| (json_open(export::CLIENTS_HEADER), false)), csv, more);
        }
        to_encode(&self.records, &self.records_json) || to_encode(&self.clients, &self.clients_json)
    }
}

/// Whether a part has rows left to encode: it was not taken as it was, and its JSON string is
/// not closed yet.
fn to_encode(kept: &Option<Rc<String>>, json: &Option<(String, bool)>) -> bool {
    kept.is_none() && !json.as_ref().is_some_and(|(_, closed)| *closed)
}

/// Appends `csv` to an open JSON string, closing it when no more is to come.
fn extend_json(json: &mut (String, bool), csv: String, more: bool) {
    let escaped = Value::from(csv).to_string();
    json.0.push_str(&escaped[1..escaped.len() - 1]);
    if !more {
        json.0.push('"');
        json.1 = true;
    }
}

/// Reads a portfolio back from [`to_value`]'s form, validating every part.
pub fn from_value(v: &Value) -> Result<Portfolio, SnapshotError> {
    Decoding::new(v)?.finish()
}

/// A stored portfolio being read back a part at a time: the records, by far the largest part
/// (millions of rows for 100,000 clients), are read a slice of rows per [`Decoding::step`],
/// so a caller can let the page breathe between slices. [`decode`] reads it in one go.
pub struct Decoding<'a> {
    value: &'a Value,
    /// The records' text, where it was read apart from the rest (see [`Reading`]).
    records: Option<String>,
    portfolio: Portfolio,
    /// How stored numbers are read: always with a `.` decimal point.
    reading: Settings,
    /// The parts still to read, and the one being read.
    parts: std::slice::Iter<'static, (&'static str, import::Format)>,
    reading_part: Option<(import::Format, Part)>,
}

/// A part of a snapshot being read: its rows checked, then added to the portfolio, a slice
/// at a time each.
enum Part {
    Reading(import::Job),
    Applying(Parsed, import::Applying),
    /// Added: its rows are let go of a slice at a time too.
    LettingGo(Parsed),
}

/// The CSV parts of a snapshot, in the order they are applied.
const PARTS: [(&str, import::Format); 2] = [("records", import::Format::Records), ("clients", import::Format::Clients)];

impl<'a> Decoding<'a> {
    /// Checks the format, the version and the settings.
    pub fn new(v: &'a Value) -> Result<Decoding<'a>, SnapshotError> {
        if v.get("format").and_then(Value::as_str) != Some(FORMAT) {
            return Err(SnapshotError::NotASnapshot);
        }
        let version = v.get("version").and_then(Value::as_u64).ok_or(SnapshotError::NotASnapshot)?;
        if version > VERSION {
            return Err(SnapshotError::NewerVersion { version });
        }
        let name = v.get("name").and_then(Value::as_str).unwrap_or_default().to_string();
        let settings_text = v.get("settings").map(Value::to_string).ok_or(SnapshotError::NotASnapshot)?;
        let settings = import::settings::parse(&settings_text)
            .map_err(|problems| SnapshotError::Invalid { part: import::Format::Settings, problems })?;
        let portfolio = Portfolio { name, settings: settings.clone(), ..Portfolio::default() };
        let reading = Settings { number_locale: NumberLocale::Dot, ..settings };
        Ok(Decoding { value: v, records: None, portfolio, reading, parts: PARTS.iter(), reading_part: None })
    }

    /// [`Decoding::new`] for a snapshot whose records' text was read apart from the rest
    /// ([`Reading::finish`]).
    pub fn with_records(v: &'a Value, records: String) -> Result<Decoding<'a>, SnapshotError> {
        Ok(Decoding { records: Some(records), ..Decoding::new(v)? })
    }

    /// Which part the next step reads, and whether it checks rows, adds them or lets them go:
    /// each costs differently a row.
    pub fn phase(&self) -> usize {
        let stage = match &self.reading_part {
            None => 0,
            Some((_, Part::Reading(_))) => 1,
            Some((_, Part::Applying(..))) => 2,
            Some((_, Part::LettingGo(_))) => 3,
        };
        (PARTS.len() - self.parts.len()) * 4 + stage
    }

    /// Reads about `rows` more rows. Returns whether any part is left to read.
    pub fn step(&mut self, rows: usize) -> Result<bool, SnapshotError> {
        loop {
            match &mut self.reading_part {
                Some((_, Part::Reading(job))) => {
                    if !job.step(rows).done {
                        return Ok(true);
                    }
                    let Some((part, Part::Reading(job))) = self.reading_part.take() else { unreachable!("a part is being read") };
                    let (parsed, _) = job.finish().map_err(|problems| SnapshotError::Invalid { part, problems })?;
                    if !matches!(parsed, Parsed::Records(_) | Parsed::Clients(_)) {
                        return Err(SnapshotError::NotASnapshot);
                    }
                    // Taken out, so that adding to it does not copy what it holds.
                    let applying = import::Applying::new(&std::mem::take(&mut self.portfolio), &parsed);
                    self.reading_part = Some((part, Part::Applying(parsed, applying)));
                    return Ok(true);
                }
                Some((_, Part::Applying(parsed, applying))) => {
                    if applying.step(parsed, rows) {
                        return Ok(true);
                    }
                    let Some((part, Part::Applying(parsed, applying))) = self.reading_part.take() else { unreachable!("a part is being added") };
                    self.portfolio = applying.finish(&parsed).map_err(|problems| SnapshotError::Invalid { part, problems })?.0;
                    self.reading_part = Some((part, Part::LettingGo(parsed)));
                    return Ok(true);
                }
                Some((_, Part::LettingGo(parsed))) => {
                    // Freeing a row costs far less than reading one.
                    if parsed.let_go(rows.saturating_mul(20)) {
                        return Ok(true);
                    }
                    self.reading_part = None;
                    return Ok(self.parts.len() > 0);
                }
                None => {}
            }
            let Some(&(key, part)) = self.parts.next() else { return Ok(false) };
            let apart = if key == "records" { self.records.take() } else { None };
            let text = match apart {
                Some(text) => text,
                None => self.value.get(key).and_then(Value::as_str).ok_or(SnapshotError::NotASnapshot)?.to_string(),
            };
            // A header alone: nothing of that part.
            if text.lines().nth(1).is_some() {
                // The records of a large portfolio are larger than any file it was imported from.
                self.reading_part = Some((part, Part::Reading(import::Job::start_stored(text, &self.reading))));
            }
        }
    }

    /// The portfolio, once every part is read (reading what is left at once).
    pub fn finish(mut self) -> Result<Portfolio, SnapshotError> {
        while self.step(usize::MAX)? {}
        let v = self.value;
        let mut portfolio = self.portfolio;
        // Plans and prospects came with a later release of the same format: absent means none.
        for plan in v.get("plans").and_then(Value::as_array).into_iter().flatten() {
            let plan = plan_of(plan).ok_or(SnapshotError::NotASnapshot)?;
            portfolio.plans.insert(plan.client.clone(), plan);
        }
        for prospect in v.get("prospects").and_then(Value::as_array).into_iter().flatten() {
            portfolio.prospects.push(prospect_of(prospect).ok_or(SnapshotError::NotASnapshot)?);
        }
        Ok(portfolio)
    }
}

/// The full-backup format: every portfolio of a browser in one file.
pub const BACKUP_FORMAT: &str = "cartera-backup";

/// One file with every portfolio (their settings, plans and prospects included).
pub fn backup<'a>(portfolios: impl IntoIterator<Item = &'a Portfolio>) -> String {
    let list: Vec<Value> = portfolios.into_iter().map(to_value).collect();
    serde_json::to_string_pretty(&json!({ "format": BACKUP_FORMAT, "version": VERSION, "portfolios": list })).unwrap_or_default()
}

/// Reads a full backup, validating every portfolio in it; refused whole on any problem. A
/// single-portfolio snapshot is accepted too, as a backup of one.
pub fn restore(text: &str) -> Result<Vec<Portfolio>, SnapshotError> {
    let v: Value = serde_json::from_str(text).map_err(|_| SnapshotError::NotASnapshot)?;
    match v.get("format").and_then(Value::as_str) {
        Some(BACKUP_FORMAT) => {
            let version = v.get("version").and_then(Value::as_u64).ok_or(SnapshotError::NotASnapshot)?;
            if version > VERSION {
                return Err(SnapshotError::NewerVersion { version });
            }
            let list = v.get("portfolios").and_then(Value::as_array).ok_or(SnapshotError::NotASnapshot)?;
            if list.is_empty() {
                return Err(SnapshotError::Empty);
            }
            list.iter().map(from_value).collect()
        }
        Some(FORMAT) => from_value(&v).map(|p| vec![p]),
        _ => Err(SnapshotError::NotASnapshot),
    }
}

/// Decodes a stored portfolio.
pub fn decode(text: &str) -> Result<Portfolio, SnapshotError> {
    let v: Value = serde_json::from_str(text).map_err(|_| SnapshotError::NotASnapshot)?;
    from_value(&v)
}

/// Decodes a stored portfolio from its [`Pieces`] (`records`: those of its records' text);
/// pieces not laid out so are read as their joined text.
pub fn decode_pieces(pieces: &[String], records: std::ops::Range<usize>) -> Result<Portfolio, SnapshotError> {
    match Reading::new(pieces, records).and_then(Reading::finish) {
        Some((frame, text, _)) => Decoding::with_records(&frame, text)?.finish(),
        None => decode(&pieces.concat()),
    }
}

/// A portfolio's [`Pieces`], encoded at once.
pub fn pieces(p: &Portfolio) -> Pieces {
    let mut encoder = Encoder::default();
    let encoding = encoder.begin(p);
    encoder.finish_pieces(encoding)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plans_and_prospects_round_trip() {
        let mut p = crate::core::demo::portfolio("demo").unwrap();
        let mut plan = ExitPlan::new("C137", Date::new(2026, 1, 15).unwrap(), 4);
        plan.steps[0].done = true;
        plan.steps[1].note = "Call, then a letter; «recommend» Acme, S.L.".into();
        p.plans.insert("C137".into(), plan);
        p.prospects.push(Prospect { name: "Acme".into(), yearly_revenue: Decimal::new(6_000_000, 2), ..Prospect::default() });
        assert_eq!(decode(&encode(&p)).unwrap(), p);
    }

    #[test]
    fn the_encoder_writes_what_to_value_does_and_reuses_only_unchanged_parts() {
        let mut p = crate::core::demo::portfolio("demo").unwrap();
        let mut encoder = Encoder::default();
        let first = encoder.encode(&p);
        assert_eq!(first, to_value(&p).to_string());
        // Settings changed, clients and records shared: the same text as a fresh encoding.
        p.settings.service_rate += Decimal::ONE;
        p.name = "Renamed «demo»".into();
        assert_eq!(encoder.encode(&p), to_value(&p).to_string());
        assert!(Kept::reuse(&encoder.records, &p.records).is_some() && Kept::reuse(&encoder.clients, &p.clients).is_some());
        // A record changed in place (its only holder): the records are encoded again.
        let id = p.records.keys().next().unwrap().clone();
        let period = *p.records[&id].keys().next().unwrap();
        p.records.get_mut(&id).unwrap().get_mut(&period).unwrap().revenue += Decimal::ONE;
        assert!(Kept::reuse(&encoder.records, &p.records).is_none());
        let again = encoder.encode(&p);
        assert_eq!(again, to_value(&p).to_string());
        assert_eq!(decode(&again).unwrap(), p);
        // A copy that changes its clients leaves the original's encoding as it was.
        let mut copy = p.clone();
        copy.clients.values_mut().next().unwrap().name = "Other".into();
        assert_eq!(encoder.encode(&copy), to_value(&copy).to_string());
        assert_eq!(encoder.encode(&p), to_value(&p).to_string());
    }

    #[test]
    fn encoding_in_steps_of_any_size_writes_the_same_text() {
        use crate::core::generate::{portfolio, Shape};
        use crate::core::model::{Client, PeriodRecord};
        let mut p = portfolio(3, Shape { clients: 40, periods: 6, every_field: true, density: 80 });
        // Ids that need quoting and escaping, in CSV and in JSON.
        let odd = "Acme, \"Ltd\" \\ 1";
        p.clients.insert(odd.into(), Client::new(odd));
        let period = p.last_period().unwrap();
        p.records.insert(odd.into(), [(period, PeriodRecord { revenue: Decimal::new(12_345, 2), ..PeriodRecord::default() })].into());
        let whole = to_value(&p).to_string();
        for rows in [1, 7, 100, usize::MAX] {
            let mut encoder = Encoder::default();
            let mut encoding = encoder.begin(&p);
            let mut steps = 1;
            while encoding.step(rows) {
                steps += 1;
            }
            assert_eq!(encoder.finish(encoding), whole, "steps of {rows} rows");
            assert!(rows > 1_000 || steps > 1, "{steps} steps of {rows}");
        }
        assert_eq!(decode(&whole).unwrap(), p);
    }

    /// The records' fingerprint is that of their text, whatever the steps it was written in
    /// and when their encoding is reused; another record gives another.
    #[test]
    fn the_records_fingerprint_is_that_of_their_text() {
        use crate::core::generate::{portfolio, Shape};
        let mut p = portfolio(5, Shape { clients: 300, periods: 12, every_field: true, density: 80 });
        let text_print = |pieces: &Pieces| {
            let records: String = pieces.records().map(|k| pieces.get(k)).collect();
            format!("{:016x}-{}", fingerprint(NO_PRINT, format!("\"{records}\"").as_bytes()), records.len() + 2)
        };
        let mut encoder = Encoder::default();
        let mut encoding = encoder.begin(&p);
        while encoding.step(7) {}
        let first = encoder.finish_pieces(encoding);
        assert_eq!(first.records_print(), text_print(&first));
        assert_eq!(first.records_print(), pieces(&p).records_print(), "in one step");
        p.settings.service_rate += Decimal::ONE;
        let reused = encoder.finish_pieces(encoder.begin(&p));
        assert!(Kept::reuse(&encoder.records, &p.records).is_some());
        assert_eq!(reused.records_print(), first.records_print());
        let id = p.records.keys().next().unwrap().clone();
        let period = *p.records[&id].keys().next().unwrap();
        p.records.get_mut(&id).unwrap().get_mut(&period).unwrap().revenue += Decimal::new(1, 2);
        let changed = encoder.finish_pieces(encoder.begin(&p));
        assert_ne!(changed.records_print(), first.records_print());
        assert_eq!(changed.records_print(), text_print(&changed));
    }

    #[test]
    fn pieces_of_any_size_join_to_the_text_and_read_back_the_portfolio() {
        use crate::core::generate::{portfolio, Shape};
        use crate::core::model::{Client, PeriodRecord};
        let mut p = portfolio(5, Shape { clients: 30, periods: 6, every_field: true, density: 80 });
        // Ids that escape in CSV and in JSON, a literal `\n` among them, and characters of
        // several bytes, so that cuts fall next to each.
        for odd in ["Acme, \"Ltd\" \\n 1", "Tab\there", "Ñandú «ё»\\", "back\\\\nslash"] {
            p.clients.insert(odd.into(), Client::new(odd));
            let period = p.last_period().unwrap();
            p.records.insert(odd.into(), [(period, PeriodRecord { revenue: Decimal::new(12_345, 2), ..PeriodRecord::default() })].into());
        }
        let text = encode(&p);
        let head = text.find(r#""records":""#).unwrap() + r#""records":""#.len();
        let records = Rc::new(text[head - 1..text.find(r#","settings":"#).unwrap()].to_string());
        for size in [1, 2, 3, 17, 100, PIECE] {
            let pieces = Pieces::new(text[..head - 1].to_string(), records.clone(), fingerprint(NO_PRINT, records.as_bytes()), text[head - 1 + records.len()..].to_string(), size);
            assert_eq!(pieces.joined(), text, "pieces of {size}");
            assert!(size > 1_000 || pieces.len() > 10, "{} pieces of {size}", pieces.len());
            let owned: Vec<String> = (0..pieces.len()).map(|k| pieces.get(k).to_string()).collect();
            // Each records piece is the text of a JSON string on its own.
            for k in pieces.records() {
                assert!(serde_json::from_str::<String>(&format!("\"{}\"", owned[k])).is_ok(), "piece {k} of {size}: {:?}", owned[k]);
            }
            assert_eq!(decode_pieces(&owned, pieces.records()).unwrap(), p, "pieces of {size}");
        }
        // The encoder's pieces are the same text.
        assert_eq!(self::pieces(&p).joined(), text);
        // Pieces not laid out as described are read as their joined text, which says what is wrong.
        let owned: Vec<String> = vec![text[..10].into(), text[10..].into()];
        assert_eq!(decode_pieces(&owned, 1..1).unwrap(), p);
        let damaged: Vec<String> = vec![text[..head].into(), "garbage\\".into(), text[text.len() - 40..].into()];
        assert_eq!(decode_pieces(&damaged, 1..2), Err(SnapshotError::NotASnapshot));
        let newer = json!({"format": FORMAT, "version": VERSION + 1, "records": ""}).to_string();
        let split = newer.find(r#""records":""#).unwrap() + r#""records":""#.len();
        let newer = vec![newer[..split].to_string(), String::new(), newer[split..].to_string()];
        assert_eq!(decode_pieces(&newer, 1..2), Err(SnapshotError::NewerVersion { version: VERSION + 1 }));
    }

    #[test]
    fn decoding_in_steps_of_any_size_reads_the_same_portfolio() {
        use crate::core::generate::{portfolio, Shape};
        let p = portfolio(4, Shape { clients: 60, periods: 8, every_field: true, density: 70 });
        let v: Value = serde_json::from_str(&encode(&p)).unwrap();
        for rows in [1, 13, 1_000] {
            let mut decoding = Decoding::new(&v).unwrap();
            let mut steps = 1;
            while decoding.step(rows).unwrap() {
                steps += 1;
            }
            assert_eq!(decoding.finish().unwrap(), p, "steps of {rows} rows");
            assert!(rows > 100 || steps > 2, "{steps} steps of {rows}");
        }
        // A damaged row is found by the step that reads it, naming the part.
        let mut damaged = v.clone();
        damaged["records"] = Value::from(format!("{}X,2025-13,1\n", export::RECORDS_HEADER));
        let mut decoding = Decoding::new(&damaged).unwrap();
        let found = loop {
            match decoding.step(1) {
                Ok(true) => continue,
                other => break other,
            }
        };
        assert!(matches!(found, Err(SnapshotError::Invalid { part: import::Format::Records, .. })), "{found:?}");
    }

    #[test]
    fn a_backup_restores_every_portfolio() {
        let a = crate::core::demo::portfolio("A").unwrap();
        let b = Portfolio::new("B");
        let text = backup([&a, &b]);
        assert_eq!(restore(&text).unwrap(), vec![a.clone(), b]);
        assert_eq!(restore(&encode(&a)).unwrap(), vec![a]);
        assert_eq!(restore(r#"{"service_rate": 4}"#), Err(SnapshotError::NotASnapshot));
        let newer = json!({"format": BACKUP_FORMAT, "version": VERSION + 1, "portfolios": []}).to_string();
        assert_eq!(restore(&newer), Err(SnapshotError::NewerVersion { version: VERSION + 1 }));
        assert_eq!(restore(&backup([])), Err(SnapshotError::Empty));
        // One damaged portfolio refuses the whole backup.
        let mut v: Value = serde_json::from_str(&text).unwrap();
        v["portfolios"][1]["records"] = Value::from("client,period,revenue\nX,2025-13,1\n");
        assert!(matches!(restore(&v.to_string()), Err(SnapshotError::Invalid { .. })));
    }

    #[test]
    fn foreign_or_newer_snapshots_are_refused() {
        assert_eq!(decode("{}"), Err(SnapshotError::NotASnapshot));
        assert_eq!(decode("not json"), Err(SnapshotError::NotASnapshot));
        let newer = json!({"format": FORMAT, "version": VERSION + 1}).to_string();
        assert_eq!(decode(&newer), Err(SnapshotError::NewerVersion { version: VERSION + 1 }));
    }

    /// The records' text is given its room at the first step, as its rows tell: it is not
    /// copied as it grows (tens of megabytes at a time for 100,000 clients), and the room is
    /// not far above what it takes.
    #[test]
    fn parts_encoded_elsewhere_make_the_same_text() {
        use crate::core::generate::{portfolio, Shape};
        let mut p = portfolio(5, Shape { clients: 300, periods: 12, every_field: true, density: 80 });
        p.name = "Café \"Óptimo\" \\ Москва".into();
        // A copy, as the worker holds it: the same clients and records, not the same allocation.
        let elsewhere = Portfolio { clients: Shared::new((*p.clients).clone()), records: Shared::new((*p.records).clone()), ..p.clone() };
        let parts = Parts::of(&elsewhere);
        assert!(parts.well_formed());
        let mut encoder = Encoder::default();
        encoder.adopt(&p, parts.clone());
        assert!(encoder.holds(&p));
        let e = encoder.begin(&p);
        assert!(!to_encode(&e.records, &e.records_json) && !to_encode(&e.clients, &e.clients_json), "nothing left to encode");
        let adopted = encoder.finish_pieces(e);
        let fresh = pieces(&p);
        assert_eq!(adopted.joined(), fresh.joined());
        assert_eq!(adopted.records_print(), fresh.records_print());
        assert_eq!(adopted.records(), fresh.records());
        assert_eq!(decode(&adopted.joined()).unwrap(), p);
        // Another portfolio's records are not taken for these.
        let other = portfolio(6, Shape { clients: 30, periods: 6, every_field: false, density: 80 });
        assert!(!encoder.holds(&other));
        assert_eq!(encoder.encode(&other), encode(&other));
    }

    #[test]
    fn parts_read_back_from_the_pieces_are_those_encoded() {
        use crate::core::generate::{portfolio, Shape};
        let p = portfolio(7, Shape { clients: 400, periods: 12, every_field: true, density: 80 });
        let written = pieces(&p);
        for size in [64, 1_000, PIECE] {
            let (head, tail) = (written.head.strip_suffix('"').unwrap(), written.tail.strip_prefix('"').unwrap());
            let stored = Pieces::new(head.to_string(), written.records.clone(), written.print, tail.to_string(), size);
            let texts: Vec<String> = (0..stored.len()).map(|k| stored.get(k).to_string()).collect();
            let (_, _, parts) = Reading::new(&texts, stored.records()).unwrap().keeping_parts().finish().unwrap();
            assert_eq!(parts, Some(Parts::of(&p)), "pieces of {size} bytes");
            // Not asked to keep them: none.
            assert_eq!(Reading::new(&texts, stored.records()).unwrap().finish().unwrap().2, None);
        }
    }

    /// Parts taken in while another encoding is under way stay with their own print: the
    /// encoding that finishes after them does not leave its print beside their records.
    #[test]
    fn parts_taken_in_during_an_encoding_keep_their_print() {
        use crate::core::generate::{portfolio, Shape};
        let p = portfolio(8, Shape { clients: 200, periods: 6, every_field: true, density: 80 });
        let q = portfolio(9, Shape { clients: 300, periods: 6, every_field: true, density: 80 });
        let mut encoder = Encoder::default();
        encoder.encode(&p);
        // A save of `p` (its records reused) under way; `q` opened meanwhile.
        let e = encoder.begin(&p);
        encoder.adopt(&q, Parts::of(&q));
        let written = encoder.finish_pieces(e);
        assert_eq!(written.records_print(), pieces(&p).records_print());
        assert_eq!(encoder.begin(&q).records_print, Parts::of(&q).records_print);
        assert_eq!(encoder.finish_pieces(encoder.begin(&q)).records_print(), pieces(&q).records_print());
    }

    #[test]
    fn parts_damaged_on_the_way_are_told() {
        let p = crate::core::demo::portfolio("demo").unwrap();
        let parts = Parts::of(&p);
        assert!(parts.well_formed());
        let cut = |f: &dyn Fn(&mut Parts)| {
            let mut q = parts.clone();
            f(&mut q);
            q.well_formed()
        };
        assert!(!cut(&|q| q.records.truncate(q.records.len() - 1)));
        assert!(!cut(&|q| q.clients.truncate(q.clients.len() / 2)));
        assert!(!cut(&|q| q.records.replace_range(3..4, "x")));
        assert!(!cut(&|q| std::mem::swap(&mut q.clients, &mut q.records)));
        assert!(!cut(&|q| q.records.clear()));
    }

    #[test]
    fn the_records_text_has_its_room_from_the_first_step() {
        use crate::core::generate::{portfolio, Shape};
        for (seed, every_field) in [(3, true), (4, false)] {
            let p = portfolio(seed, Shape { clients: 2_000, periods: 12, every_field, density: 90 });
            let encoder = Encoder::default();
            let mut e = encoder.begin(&p);
            e.step(40);
            let room = e.records_json.as_ref().unwrap().0.capacity();
            while e.step(40) {}
            let text = &e.records_json.as_ref().unwrap().0;
            assert!(text.len() <= room, "every field {every_field}: {} bytes in room for {room}", text.len());
            assert!(room <= text.len() / 2 * 3, "every field {every_field}: room for {room}, {} taken", text.len());
            assert_eq!(text.capacity(), room, "never grown");
        }
    }
}
