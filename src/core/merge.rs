//! Merging two versions of a portfolio changed apart from one version both started from (a
//! three-way merge), as when the app is open in two tabs: what only one side changed is taken
//! from that side; what both changed differently is a conflict for the user to settle, never
//! silently dropped.
//!
//! A portfolio is merged in parts: its name, its settings, its prospects (one list), and each
//! client — its attributes, its period records and its exit plan together, so two edits of the
//! same client always meet as a conflict, while edits of different clients both stay.

use std::collections::{BTreeMap, BTreeSet};

use crate::core::model::{Client, Portfolio};

/// A part of a portfolio that both sides changed, differently.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Part {
    Name,
    Settings,
    Prospects,
    /// A client (its attributes, records or exit plan), by id.
    Client(String),
}

/// Takes the side that changed; `None` when both changed it differently.
fn pick<'a, T: PartialEq>(base: &'a T, mine: &'a T, theirs: &'a T) -> Option<&'a T> {
    if mine == theirs || theirs == base {
        Some(mine)
    } else if mine == base {
        Some(theirs)
    } else {
        None
    }
}

/// One client of a portfolio, everything that belongs to it.
#[derive(PartialEq)]
struct ClientPart<'a> {
    client: Option<Client>,
    records: Option<&'a BTreeMap<crate::core::model::Period, crate::core::model::PeriodRecord>>,
    plan: Option<&'a crate::core::plan::ExitPlan>,
}

/// A client's part, its referral link left out when it names a client either side removed:
/// deleting a referrer clears that link as a side effect, which is no edit of the client.
fn client_part<'a>(p: &'a Portfolio, id: &str, removed: &BTreeSet<&String>) -> ClientPart<'a> {
    let client = p.clients.get(id).map(|c| {
        let mut c = c.clone();
        if c.referred_by.as_ref().is_some_and(|r| removed.contains(r)) {
            c.referred_by = None;
        }
        c
    });
    ClientPart { client, records: p.records.get(id), plan: p.plans.get(id) }
}

/// Merges `mine` and `theirs`, both changed from `base`. Every part both changed differently
/// is listed (in order); otherwise the merged portfolio, with referral links to clients that
/// are gone cleared.
pub fn three_way(base: &Portfolio, mine: &Portfolio, theirs: &Portfolio) -> Result<Portfolio, Vec<Part>> {
    let mut conflicts = Vec::new();
    let mut out = Portfolio {
        name: pick(&base.name, &mine.name, &theirs.name).cloned().unwrap_or_else(|| {
            conflicts.push(Part::Name);
            mine.name.clone()
        }),
        settings: pick(&base.settings, &mine.settings, &theirs.settings).cloned().unwrap_or_else(|| {
            conflicts.push(Part::Settings);
            mine.settings.clone()
        }),
        prospects: pick(&base.prospects, &mine.prospects, &theirs.prospects).cloned().unwrap_or_else(|| {
            conflicts.push(Part::Prospects);
            mine.prospects.clone()
        }),
        ..Portfolio::default()
    };
    // Inserted one by one: `collect` sorts first, with a sort compiled for this type alone.
    let mut ids = BTreeSet::<&String>::new();
    ids.extend([base, mine, theirs].iter().flat_map(|p| p.clients.keys().chain(p.records.keys()).chain(p.plans.keys())));
    let mut removed = BTreeSet::<&String>::new();
    removed.extend(base.clients.keys().filter(|id| !mine.clients.contains_key(*id) || !theirs.clients.contains_key(*id)));
    for id in ids {
        let part = |p| client_part(p, id, &removed);
        let (b, m, t) = (part(base), part(mine), part(theirs));
        match pick(&b, &m, &t) {
            Some(part) => {
                if let Some(c) = &part.client {
                    out.clients.insert(id.clone(), c.clone());
                }
                if let Some(r) = part.records {
                    out.records.insert(id.clone(), r.clone());
                }
                if let Some(plan) = part.plan {
                    out.plans.insert(id.clone(), plan.clone());
                }
            }
            None => conflicts.push(Part::Client(id.clone())),
        }
    }
    if !conflicts.is_empty() {
        crate::core::order::sort_by(&mut conflicts, Part::cmp);
        return Err(conflicts);
    }
    // A side that removed a client removed its records too; a record left without its client
    // can only come from a side that kept it, so the client is there.
    out.records.retain(|id, _| out.clients.contains_key(id));
    out.forget_removed_clients();
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::edit;
    use rust_decimal::Decimal;

    fn base() -> Portfolio {
        crate::core::demo::portfolio("demo").unwrap()
    }

    fn with_client_name(p: &Portfolio, id: &str, name: &str) -> Portfolio {
        let mut next = p.clone();
        next.clients.get_mut(id).unwrap().name = name.into();
        next
    }

    #[test]
    fn what_one_side_changed_is_kept() {
        let b = base();
        let ids: Vec<String> = b.clients.keys().take(3).cloned().collect();
        let mut settings = b.clone();
        settings.settings.service_rate = Decimal::from(99);
        let renamed = with_client_name(&b, &ids[0], "Renamed here");
        let mut added = b.clone();
        added.clients.insert("NEW".into(), Client::new("NEW"));
        let deleted = edit::delete_client(&b, &ids[1]);
        // (case, mine, theirs, check on the merge)
        type Check = fn(&Portfolio, &[String]) -> bool;
        let cases: Vec<(&str, Portfolio, Portfolio, Check)> = vec![
            ("settings here, a client there", settings.clone(), renamed.clone(), |m, ids| {
                m.settings.service_rate == Decimal::from(99) && m.clients[&ids[0]].name == "Renamed here"
            }),
            ("a client added there, one deleted here", deleted.clone(), added.clone(), |m, ids| {
                m.clients.contains_key("NEW") && !m.clients.contains_key(&ids[1]) && !m.records.contains_key(&ids[1])
            }),
            ("two different clients", renamed.clone(), with_client_name(&b, &ids[2], "Other"), |m, ids| {
                m.clients[&ids[0]].name == "Renamed here" && m.clients[&ids[2]].name == "Other"
            }),
            ("the same change on both sides", renamed.clone(), renamed.clone(), |m, ids| m.clients[&ids[0]].name == "Renamed here"),
        ];
        for (case, mine, theirs, check) in cases {
            let merged = three_way(&b, &mine, &theirs).unwrap_or_else(|c| panic!("{case}: {c:?}"));
            assert!(check(&merged, &ids), "{case}");
            assert_eq!(three_way(&b, &theirs, &mine).as_ref(), Ok(&merged), "{case}: the order of the sides does not matter");
        }
        assert_eq!(three_way(&b, &settings, &b), Ok(settings.clone()), "theirs unchanged: mine");
        assert_eq!(three_way(&b, &b, &settings), Ok(settings), "mine unchanged: theirs");
    }

    #[test]
    fn what_both_changed_is_a_conflict() {
        let b = base();
        let id = b.clients.keys().next().unwrap().clone();
        let mut rate_a = b.clone();
        rate_a.settings.service_rate = Decimal::from(50);
        let mut rate_b = b.clone();
        rate_b.settings.service_rate = Decimal::from(60);
        let mut name_a = b.clone();
        name_a.name = "A".into();
        let mut name_b = b.clone();
        name_b.name = "B".into();
        // A record edited here, the client deleted there: the edit would be lost.
        let mut record = b.clone();
        let period = *record.records[&id].keys().next().unwrap();
        record.records.get_mut(&id).unwrap().get_mut(&period).unwrap().revenue += Decimal::ONE;
        let cases: Vec<(&str, Portfolio, Portfolio, Vec<Part>)> = vec![
            ("one client, two names", with_client_name(&b, &id, "x"), with_client_name(&b, &id, "y"), vec![Part::Client(id.clone())]),
            ("a record edited, its client deleted", record, edit::delete_client(&b, &id), vec![Part::Client(id.clone())]),
            ("two service rates", rate_a, rate_b, vec![Part::Settings]),
            ("two portfolio names", name_a, name_b, vec![Part::Name]),
        ];
        for (case, mine, theirs, want) in cases {
            assert_eq!(three_way(&b, &mine, &theirs), Err(want), "{case}");
        }
    }
}
