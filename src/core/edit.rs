//! Editing a portfolio by hand: a client's attributes, its period records, adding and
//! deleting clients, and turning a won prospect into a client. Typed values are checked by the
//! same row readers as an imported file (a one-row clients or records table, built in memory),
//! so they are refused with the same messages, by column.

use crate::core::analysis::prospect::{Field, Prospect};
use crate::core::export::client_cells;
use crate::core::import::columns::{Column, CLIENT_FIELDS, RECORD_FIELDS};
use crate::core::import::formats::{self, Reading};
use crate::core::import::row::Header;
use crate::core::import::{self, parse, Parsed, Problem, ProblemKind};
use crate::core::model::{Client, NumberLocale, Period, Portfolio};
use crate::core::wire::{Reader, Writer};

/// The line a one-row edit reports its problems at, as if it were the first row of a file.
const EDIT_LINE: usize = 2;

/// A client's attributes as typed in a form (empty = default), in clients-file column order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ClientFields {
    pub name: String,
    pub start: String,
    pub acquisition_cost: String,
    pub referred_by: String,
    pub icp_fit: String,
    pub potential: String,
    pub strategic: String,
    pub status: String,
    pub tags: String,
    pub notes: String,
}

impl ClientFields {
    /// The fields of a client as the clients file writes them (the name shown in full).
    pub fn of(p: &Portfolio, id: &str) -> ClientFields {
        let Some(client) = p.clients.get(id) else { return ClientFields { name: id.to_string(), ..ClientFields::default() } };
        let [_, name, start, acquisition_cost, referred_by, icp_fit, potential, strategic, status, tags, notes] =
            client_cells(client, p.settings.period_kind);
        ClientFields {
            name: if name.is_empty() { id.to_string() } else { name },
            start,
            acquisition_cost,
            referred_by,
            icp_fit,
            potential,
            strategic,
            status,
            tags,
            notes,
        }
    }

    /// The texts, in [`CLIENT_FIELDS`] order.
    fn texts(&self) -> [&String; 10] {
        [
            &self.name, &self.start, &self.acquisition_cost, &self.referred_by, &self.icp_fit, &self.potential,
            &self.strategic, &self.status, &self.tags, &self.notes,
        ]
    }

    /// The cells of the row, in [`CLIENT_FIELDS`] order after the id.
    fn row(&self, id: &str) -> Vec<String> {
        std::iter::once(id).chain(self.texts().map(String::as_str)).map(|c| c.trim().to_string()).collect()
    }
}

/// A header of the canonical column names: the client column, then `fields`.
fn header(lead: &[Column], fields: &[Column]) -> Header {
    let names: Vec<String> = lead.iter().chain(fields).map(|c| c.name().to_string()).collect();
    Header::map(&names, &mut Vec::new())
}

fn reading(p: &Portfolio, locale: NumberLocale) -> Reading {
    Reading { kind: p.settings.period_kind, locale }
}

/// Reads one row with a format's reader; every problem, or the row.
fn one_row<T>(read: impl FnOnce(&formats::Rows, &mut Vec<Problem>) -> Vec<T>, cells: Vec<String>) -> Result<Vec<T>, Vec<Problem>> {
    let mut problems = Vec::new();
    let rows = read(&[(EDIT_LINE, cells.into())], &mut problems);
    if problems.is_empty() { Ok(rows) } else { Err(problems) }
}

/// Saves a client's attributes (adding the client when `id` is new). Numbers are read in
/// `locale`, the way the user types them.
pub fn save_client(p: &Portfolio, id: &str, f: &ClientFields, locale: NumberLocale) -> Result<Portfolio, Vec<Problem>> {
    let header = header(&[Column::Client], &CLIENT_FIELDS);
    let rows = one_row(|rows, problems| formats::clients(rows, &header, reading(p, locale), problems), f.row(id))?;
    import::apply(p, &Parsed::Clients(rows)).map(|(next, _)| next)
}

/// Adds a new client; refused when the id is empty or already taken.
pub fn add_client(p: &Portfolio, id: &str, name: &str) -> Result<Portfolio, Vec<Problem>> {
    let id = id.trim();
    if p.clients.contains_key(id) {
        return Err(vec![Problem::at(EDIT_LINE, Column::Client.name(), ProblemKind::DuplicateClient { first_row: 0 })]);
    }
    let fields = ClientFields { name: name.trim().to_string(), ..ClientFields::default() };
    save_client(p, id, &fields, p.settings.number_locale)
}

/// Removes a client with its records and exit plan. Clients it referred keep their data and
/// lose the link (a referral from nobody means nothing).
pub fn delete_client(p: &Portfolio, id: &str) -> Portfolio {
    let mut next = p.clone();
    next.clients.remove(id);
    next.records.remove(id);
    next.forget_removed_clients();
    next
}

/// A period record as typed: the period and the eight fields in records-file order.
pub fn save_record(p: &Portfolio, id: &str, period: &str, fields: &[String; 8], locale: NumberLocale) -> Result<Portfolio, Vec<Problem>> {
    let header = header(&[Column::Client, Column::Period], &RECORD_FIELDS);
    let cells: Vec<String> = [id, period].into_iter().chain(fields.iter().map(String::as_str)).map(|c| c.trim().to_string()).collect();
    let rows = one_row(|rows, problems| formats::records(rows, &header, reading(p, locale), problems), cells)?;
    import::apply(p, &Parsed::Records(rows)).map(|(next, _)| next)
}

/// Removes one period record.
pub fn delete_record(p: &Portfolio, id: &str, period: Period) -> Portfolio {
    let mut next = p.clone();
    if let Some(records) = next.records.get_mut(id) {
        records.remove(&period);
        if records.is_empty() {
            next.records.remove(id);
        }
    }
    next
}

/// An edit of the clients or records, as the user made it: made again on the same portfolio,
/// it makes the same one. The page makes it, and the background worker makes it again on the
/// portfolio it holds instead of being sent the result (see `ui::background`).
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// [`save_client`]
    SaveClient { id: String, fields: ClientFields, locale: NumberLocale },
    /// [`add_client`]
    AddClient { id: String, name: String },
    /// [`delete_client`]
    DeleteClient { id: String },
    /// [`save_record`]
    SaveRecord { id: String, period: String, fields: [String; 8], locale: NumberLocale },
    /// [`delete_record`]
    DeleteRecord { id: String, period: Period },
}

const LOCALES: [NumberLocale; 2] = [NumberLocale::Dot, NumberLocale::Comma];

impl Edit {
    /// The edit made on `p`, or the problems that refuse it.
    pub fn apply(&self, p: &Portfolio) -> Result<Portfolio, Vec<Problem>> {
        match self {
            Edit::SaveClient { id, fields, locale } => save_client(p, id, fields, *locale),
            Edit::AddClient { id, name } => add_client(p, id, name),
            Edit::DeleteClient { id } => Ok(delete_client(p, id)),
            Edit::SaveRecord { id, period, fields, locale } => save_record(p, id, period, fields, *locale),
            Edit::DeleteRecord { id, period } => Ok(delete_record(p, id, *period)),
        }
    }

    /// The edit as bytes ([`crate::core::wire`]).
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        match self {
            Edit::SaveClient { id, fields, locale } => {
                w.byte(0);
                w.text(id);
                for f in fields.texts() {
                    w.text(f);
                }
                w.choice(&LOCALES, locale);
            }
            Edit::AddClient { id, name } => {
                w.byte(1);
                w.text(id);
                w.text(name);
            }
            Edit::DeleteClient { id } => {
                w.byte(2);
                w.text(id);
            }
            Edit::SaveRecord { id, period, fields, locale } => {
                w.byte(3);
                w.text(id);
                w.text(period);
                for f in fields {
                    w.text(f);
                }
                w.choice(&LOCALES, locale);
            }
            Edit::DeleteRecord { id, period } => {
                w.byte(4);
                w.text(id);
                w.period(*period);
            }
        }
        w.bytes
    }

    /// An edit [`Edit::to_bytes`] wrote; `None` for bytes it did not write.
    pub fn from_bytes(bytes: &[u8]) -> Option<Edit> {
        let mut r = Reader { bytes };
        let edit = match r.byte()? {
            0 => {
                let id = r.text()?;
                let [name, start, acquisition_cost, referred_by, icp_fit, potential, strategic, status, tags, notes] = texts(&mut r)?;
                let fields = ClientFields { name, start, acquisition_cost, referred_by, icp_fit, potential, strategic, status, tags, notes };
                Edit::SaveClient { id, fields, locale: r.choice(&LOCALES)? }
            }
            1 => Edit::AddClient { id: r.text()?, name: r.text()? },
            2 => Edit::DeleteClient { id: r.text()? },
            3 => Edit::SaveRecord { id: r.text()?, period: r.text()?, fields: texts(&mut r)?, locale: r.choice(&LOCALES)? },
            4 => Edit::DeleteRecord { id: r.text()?, period: r.period()? },
            _ => return None,
        };
        r.bytes.is_empty().then_some(edit)
    }
}

/// `N` texts in a row.
fn texts<const N: usize>(r: &mut Reader) -> Option<[String; N]> {
    let texts = r.list(N, Reader::text)?;
    texts.try_into().ok()
}

/// A prospect from the prospect form's texts (in [`Field::ALL`] order), numbers read in
/// `locale`; the fields that are not numbers when any is not.
pub fn prospect_from_form(name: &str, texts: &[String; 8], locale: NumberLocale) -> Result<Prospect, Vec<Field>> {
    let mut prospect = Prospect { name: name.to_string(), ..Prospect::default() };
    let mut invalid = Vec::new();
    for (field, text) in Field::ALL.into_iter().zip(texts) {
        match parse::number(text, locale) {
            Some(v) => field.set_shown(&mut prospect, v),
            None => invalid.push(field),
        }
    }
    if invalid.is_empty() { Ok(prospect) } else { Err(invalid) }
}

/// A won prospect becomes a client starting in `start`, with its acquisition cost; its id is
/// its name (or `P`), made unique with a number. Returns the portfolio and the new id, or
/// `None` when there is no prospect at `index`.
pub fn win_prospect(p: &Portfolio, index: usize, start: Period) -> Option<(Portfolio, String)> {
    let mut next = p.clone();
    if index >= next.prospects.len() {
        return None;
    }
    let prospect: Prospect = next.prospects.remove(index);
    let base = if prospect.name.trim().is_empty() { "P".to_string() } else { prospect.name.trim().to_string() };
    let mut id = base.clone();
    let mut n = 1;
    while next.clients.contains_key(&id) {
        n += 1;
        id = format!("{base} {n}");
    }
    let mut client = Client::new(id.clone());
    client.name = base;
    client.acquisition_cost = prospect.acquisition_cost;
    client.start = Some(start);
    next.clients.insert(id.clone(), client);
    Some((next, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::prospect::Unit;
    use rust_decimal::Decimal;
    use std::str::FromStr;

    fn d(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    #[test]
    fn edits_go_through_the_importers() {
        let p = crate::core::demo::portfolio("demo").unwrap();
        let mut f = ClientFields::of(&p, "C137");
        assert_eq!(f.name, "Pennine Outdoor Gear");
        assert_eq!(f.potential, "none");
        f.potential = "high".into();
        f.acquisition_cost = "1.500,50".into();
        let next = save_client(&p, "C137", &f, NumberLocale::Comma).unwrap();
        assert_eq!(next.clients["C137"].acquisition_cost, Decimal::new(150_050, 2));
        assert_eq!(next.clients["C137"].potential, crate::core::model::Potential::High);
        // A bad value is refused with its column, and nothing changes.
        f.icp_fit = "7".into();
        let problems = save_client(&p, "C137", &f, NumberLocale::Dot).unwrap_err();
        assert_eq!(problems[0].column.as_deref(), Some("icp_fit"));
        f.icp_fit = String::new();
        f.referred_by = "nobody".into();
        assert!(save_client(&p, "C137", &f, NumberLocale::Dot).is_err());

        let fields = ["100".into(), "10".into(), String::new(), "2".into(), String::new(), "1".into(), String::new(), String::new()];
        let next = save_record(&p, "C137", "2026-01", &fields, NumberLocale::Dot).unwrap();
        let period = p.settings.period_kind.period_of(2026, 1);
        assert_eq!(next.records["C137"][&period].revenue, Decimal::from(100));
        assert_eq!(delete_record(&next, "C137", period), p);
        // A credit note (negative revenue) is allowed; negative hours and text are not.
        let credit = ["-5".into(), String::new(), String::new(), String::new(), String::new(), String::new(), String::new(), String::new()];
        assert!(save_record(&p, "C137", "2026-01", &credit, NumberLocale::Dot).is_ok());
        let bad = ["abc".into(), String::new(), String::new(), "-1".into(), String::new(), String::new(), String::new(), String::new()];
        let columns: Vec<Option<String>> = save_record(&p, "C137", "2026-01", &bad, NumberLocale::Dot).unwrap_err().into_iter().map(|p| p.column).collect();
        assert_eq!(columns, vec![Some("revenue".to_string()), Some("service_hours".to_string())]);
    }

    #[test]
    fn adding_and_deleting_clients() {
        let p = crate::core::demo::portfolio("demo").unwrap();
        assert!(add_client(&p, "C137", "again").is_err());
        let next = add_client(&p, "N1", "Nuevo Cliente S.L.").unwrap();
        assert_eq!(next.clients["N1"].name, "Nuevo Cliente S.L.");
        // Deleting the referrer keeps the referred clients, without the link.
        let next = delete_client(&p, "C274");
        assert!(!next.clients.contains_key("C274") && !next.records.contains_key("C274"));
        assert_eq!(next.clients["C133"].referred_by, None);
        assert!(import::referral_problems(&next, &Default::default()).is_empty());
    }

    #[test]
    fn the_form_reads_every_field_in_its_unit() {
        // (field, text typed, locale, value kept)
        let cases = [
            (Field::YearlyRevenue, "120.000,50", NumberLocale::Comma, "120000.50"),
            (Field::Margin, "35", NumberLocale::Dot, "0.35"),
            (Field::Retention, "87,5", NumberLocale::Comma, "0.875"),
            (Field::DiscountRate, "12", NumberLocale::Dot, "0.12"),
            (Field::ServiceHours, "40", NumberLocale::Dot, "40"),
            (Field::ExpectedYears, "4", NumberLocale::Dot, "4"),
        ];
        for (field, text, locale, want) in cases {
            let mut texts: [String; 8] = Field::ALL.map(|f| f.shown(&Prospect::default()).normalize().to_string());
            texts[Field::ALL.iter().position(|f| *f == field).unwrap()] = text.to_string();
            let p = prospect_from_form("X", &texts, locale).unwrap_or_else(|e| panic!("{field:?}: {e:?}"));
            assert_eq!(field.shown(&p) / if field.unit() == Unit::Percent { Decimal::ONE_HUNDRED } else { Decimal::ONE }, d(want), "{field:?}");
            assert_eq!(p.name, "X");
        }
        let mut texts: [String; 8] = Field::ALL.map(|f| f.shown(&Prospect::default()).to_string());
        texts[0] = "abc".into();
        texts[6] = String::new();
        assert_eq!(prospect_from_form("", &texts, NumberLocale::Dot), Err(vec![Field::YearlyRevenue, Field::Retention]));
        let keys: std::collections::HashSet<&str> = Field::ALL.iter().map(|f| f.key()).collect();
        assert_eq!(keys.len(), 8, "keys are distinct");
    }

    #[test]
    fn a_won_prospect_becomes_a_client_with_a_unique_id() {
        let mut p = crate::core::demo::portfolio("demo").unwrap();
        let start = p.settings.period_kind.period_of(2026, 3);
        let taken = p.clients.values().next().unwrap().id.clone();
        p.prospects = vec![
            Prospect { name: taken.clone(), acquisition_cost: Decimal::from(900), ..Prospect::default() },
            Prospect { name: "  ".into(), ..Prospect::default() },
        ];
        // (prospect index, expected id, expected name)
        let cases = [(0, format!("{taken} 2"), taken.clone()), (1, "P".to_string(), "P".to_string())];
        for (index, id, name) in cases {
            let (next, got) = win_prospect(&p, index, start).unwrap();
            assert_eq!(got, id, "prospect {index}");
            assert_eq!(next.clients[&got].name, name);
            assert_eq!(next.clients[&got].start, Some(start));
            assert_eq!(next.prospects.len(), 1, "the prospect is taken off the list");
        }
        assert_eq!(win_prospect(&p, 0, start).unwrap().0.clients[&format!("{taken} 2")].acquisition_cost, Decimal::from(900));
        assert!(win_prospect(&p, 2, start).is_none());
    }

    #[test]
    fn fields_of_a_client_read_back_unchanged() {
        let p = crate::core::demo::portfolio("demo").unwrap();
        for id in p.clients.keys().take(20) {
            let f = ClientFields::of(&p, id);
            let next = save_client(&p, id, &f, p.settings.number_locale).unwrap();
            assert_eq!(next.clients[id], p.clients[id], "{id}");
        }
    }

    /// Every kind of edit, with texts that need care (quotes, separators, characters of
    /// several bytes, empty ones).
    fn edits(p: &Portfolio) -> Vec<Edit> {
        let period = p.last_period().unwrap();
        let mut fields = ClientFields::of(p, "C137");
        fields.notes = "«Ñandú», \"quoted\"\nnew line".into();
        fields.acquisition_cost = "1.500,50".into();
        let record = ["100".into(), "10,5".into(), String::new(), "2".into(), String::new(), "1".into(), String::new(), String::new()];
        vec![
            Edit::SaveClient { id: "C137".into(), fields, locale: NumberLocale::Comma },
            Edit::AddClient { id: " New «client» ".into(), name: "Новый".into() },
            Edit::DeleteClient { id: "C137".into() },
            Edit::SaveRecord { id: "C137".into(), period: "2026-01".into(), fields: record, locale: NumberLocale::Comma },
            Edit::DeleteRecord { id: "C137".into(), period },
            Edit::SaveClient { id: String::new(), fields: ClientFields::default(), locale: NumberLocale::Dot },
        ]
    }

    /// An edit reads back from its bytes as it was, and made again it makes the same
    /// portfolio as the function it stands for.
    #[test]
    fn an_edit_reads_back_from_its_bytes_and_makes_the_same_portfolio() {
        let p = crate::core::demo::portfolio("demo").unwrap();
        let edits = edits(&p);
        for edit in &edits {
            assert_eq!(Edit::from_bytes(&edit.to_bytes()).as_ref(), Some(edit));
            assert_eq!(edit.apply(&p), edit.apply(&p.clone()), "{edit:?}");
        }
        let period = p.last_period().unwrap();
        let record = match &edits[3] {
            Edit::SaveRecord { fields, .. } => fields.clone(),
            _ => unreachable!(),
        };
        assert_eq!(edits[0].apply(&p).unwrap(), save_client(&p, "C137", &ClientFields { notes: "«Ñandú», \"quoted\"\nnew line".into(), acquisition_cost: "1.500,50".into(), ..ClientFields::of(&p, "C137") }, NumberLocale::Comma).unwrap());
        assert_eq!(edits[2].apply(&p).unwrap(), delete_client(&p, "C137"));
        assert_eq!(edits[3].apply(&p).unwrap(), save_record(&p, "C137", "2026-01", &record, NumberLocale::Comma).unwrap());
        assert_eq!(edits[4].apply(&p).unwrap(), delete_record(&p, "C137", period));
        assert!(edits[5].apply(&p).is_err(), "no id");
    }

    /// Bytes cut short, lengthened or changed anywhere are refused, or read as the edit that
    /// writes exactly those bytes: never a panic.
    #[test]
    fn edit_bytes_changed_are_refused_or_read_exactly() {
        let p = crate::core::demo::portfolio("demo").unwrap();
        for edit in edits(&p) {
            let bytes = edit.to_bytes();
            for n in 0..bytes.len() {
                assert_eq!(Edit::from_bytes(&bytes[..n]), None, "{edit:?} cut at {n}");
            }
            assert_eq!(Edit::from_bytes(&[&bytes[..], &[0]].concat()), None, "{edit:?} lengthened");
            for i in 0..bytes.len() {
                for b in [0u8, 1, 5, 0x7f, 0xff] {
                    let mut changed = bytes.clone();
                    changed[i] = b;
                    if let Some(read) = Edit::from_bytes(&changed) {
                        assert_eq!(read.to_bytes(), changed, "{edit:?}: byte {i} = {b}");
                    }
                }
            }
        }
    }
}
