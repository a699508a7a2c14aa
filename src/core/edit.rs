//! Editing a portfolio by hand: a client's attributes and its period records. Every edit goes
//! through the same importers as a file (a one-row clients or records file), so typed values
//! are checked exactly as imported ones, with the same messages.

use std::collections::BTreeMap;

use crate::core::export::csv_field;
use crate::core::import::{self, Problem, ProblemKind};
use crate::core::model::{NumberLocale, Period, Portfolio, Settings};

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
    /// The fields of a client as the clients file writes them.
    pub fn of(p: &Portfolio, id: &str) -> ClientFields {
        let text = crate::core::export::clients_csv(&Portfolio {
            clients: p.clients.get(id).map(|c| BTreeMap::from([(id.to_string(), c.clone())])).unwrap_or_default(),
            settings: p.settings.clone(),
            ..Portfolio::default()
        });
        let rows = import::preview(&text, 2);
        let cells = rows.get(1).cloned().unwrap_or_default();
        let get = |i: usize| cells.get(i).cloned().unwrap_or_default();
        ClientFields {
            name: if get(1).is_empty() { id.to_string() } else { get(1) },
            start: get(2),
            acquisition_cost: get(3),
            referred_by: get(4),
            icp_fit: get(5),
            potential: get(6),
            strategic: get(7),
            status: get(8),
            tags: get(9),
            notes: get(10),
        }
    }
}

fn reading(p: &Portfolio, locale: NumberLocale) -> Settings {
    Settings { number_locale: locale, ..p.settings.clone() }
}

fn apply_text(p: &Portfolio, text: &str, locale: NumberLocale) -> Result<Portfolio, Vec<Problem>> {
    let parsed = import::parse(text.as_bytes(), &reading(p, locale))?;
    import::apply(p, &parsed).map(|(next, _)| next)
}

/// Saves a client's attributes (adding the client when `id` is new). Numbers are read in
/// `locale`, the way the user types them.
pub fn save_client(p: &Portfolio, id: &str, f: &ClientFields, locale: NumberLocale) -> Result<Portfolio, Vec<Problem>> {
    let cells = [
        id, &f.name, &f.start, &f.acquisition_cost, &f.referred_by, &f.icp_fit, &f.potential, &f.strategic, &f.status, &f.tags, &f.notes,
    ];
    let row: Vec<String> = cells.iter().map(|c| csv_field(c.trim())).collect();
    let text = format!(
        "client,name,start,acquisition_cost,referred_by,icp_fit,potential,strategic,status,tags,notes\n{}\n",
        row.join(",")
    );
    apply_text(p, &text, locale)
}

/// Adds a new client; refused when the id is empty or already taken.
pub fn add_client(p: &Portfolio, id: &str, name: &str) -> Result<Portfolio, Vec<Problem>> {
    let id = id.trim();
    if let Some(_existing) = p.clients.get(id) {
        return Err(vec![Problem::at(2, "client", ProblemKind::DuplicateClient { first_row: 0 })]);
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
    let mut row = vec![csv_field(id), csv_field(period.trim())];
    row.extend(fields.iter().map(|f| csv_field(f.trim())));
    let text = format!(
        "client,period,revenue,direct_cost,discount,service_hours,sales_hours,tickets,days_late,written_off\n{}\n",
        row.join(",")
    );
    apply_text(p, &text, locale)
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

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal::Decimal;

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
}
