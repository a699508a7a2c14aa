//! Exit plans (DOMAIN.md §8): letting a client go gradually and by plan — decide and prepare,
//! talk honestly, a transition over N months, close, then keep in touch every 6 months for
//! 2 years — with dates, and the follow-ups as an iCalendar file.

use std::fmt::Write as _;

pub use crate::core::date::Date;

/// The stages of a gradual exit (DOMAIN.md §8).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Stage {
    /// Decide and prepare: the break-even price, what could still be sold.
    Prepare,
    /// Talk honestly: why needs no longer align; recommend alternatives.
    Talk,
    /// Transition: hand over documentation, reduce scope step by step, collect what is overdue.
    Transition,
    /// Close the relationship.
    Close,
    /// Keep in touch: a follow-up (the n-th, from 1).
    FollowUp(u8),
}

/// One dated step of a plan.
#[derive(Clone, Debug, PartialEq)]
pub struct Step {
    pub stage: Stage,
    pub date: Date,
    pub done: bool,
    pub note: String,
}

/// An exit plan for one client.
#[derive(Clone, Debug, PartialEq)]
pub struct ExitPlan {
    pub client: String,
    pub start: Date,
    pub transition_months: u32,
    pub steps: Vec<Step>,
}

/// Follow-ups after closing: every 6 months for 2 years.
pub const FOLLOW_UPS: u8 = 4;
pub const FOLLOW_UP_MONTHS: i32 = 6;

impl ExitPlan {
    /// A plan starting on `start` with a transition of `months` (default 3): prepare on the
    /// start date, talk two weeks later, transition from then, close at its end, follow up
    /// every 6 months for 2 years.
    pub fn new(client: &str, start: Date, months: u32) -> ExitPlan {
        let talk = start.add_days(14);
        let close = talk.add_months(months as i32);
        let mut steps = vec![
            Step { stage: Stage::Prepare, date: start, done: false, note: String::new() },
            Step { stage: Stage::Talk, date: talk, done: false, note: String::new() },
            Step { stage: Stage::Transition, date: talk.add_days(1), done: false, note: String::new() },
            Step { stage: Stage::Close, date: close, done: false, note: String::new() },
        ];
        for n in 1..=FOLLOW_UPS {
            steps.push(Step {
                stage: Stage::FollowUp(n),
                date: close.add_months(FOLLOW_UP_MONTHS * n as i32),
                done: false,
                note: String::new(),
            });
        }
        ExitPlan { client: client.to_string(), start, transition_months: months, steps }
    }

    /// Closed once the Close step is ticked.
    pub fn is_closed(&self) -> bool {
        self.steps.iter().any(|s| s.stage == Stage::Close && s.done)
    }
}

/// One event of a calendar file.
#[derive(Clone, Debug, PartialEq)]
pub struct Event {
    pub uid: String,
    pub date: Date,
    pub summary: String,
    pub description: String,
}

/// Escapes iCalendar TEXT (RFC 5545 §3.3.11).
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\n' => out.push_str("\\n"),
            '\r' => {}
            c => out.push(c),
        }
    }
    out
}

/// Folds a content line at 75 octets, never inside a UTF-8 character (RFC 5545 §3.1).
fn fold(line: &str, out: &mut String) {
    let mut width = 0;
    for c in line.chars() {
        let len = c.len_utf8();
        if width + len > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += len;
    }
    out.push_str("\r\n");
}

/// An iCalendar file with one all-day VEVENT per event. `stamp` is the DTSTAMP (UTC,
/// `YYYYMMDDTHHMMSSZ`).
pub fn ics(events: &[Event], stamp: &str) -> String {
    let mut out = String::new();
    for line in ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Cartera//Exit plans//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH"] {
        fold(line, &mut out);
    }
    for e in events {
        fold("BEGIN:VEVENT", &mut out);
        fold(&format!("UID:{}", escape(&e.uid)), &mut out);
        fold(&format!("DTSTAMP:{stamp}"), &mut out);
        fold(&format!("DTSTART;VALUE=DATE:{}", e.date.basic()), &mut out);
        fold(&format!("DTEND;VALUE=DATE:{}", e.date.add_days(1).basic()), &mut out);
        fold(&format!("SUMMARY:{}", escape(&e.summary)), &mut out);
        fold(&format!("DESCRIPTION:{}", escape(&e.description)), &mut out);
        fold("TRANSP:TRANSPARENT", &mut out);
        fold("END:VEVENT", &mut out);
    }
    fold("END:VCALENDAR", &mut out);
    out
}

/// The DTSTAMP form of a moment given as days since 1970 and seconds in the day.
pub fn stamp(days: i64, seconds: u32) -> String {
    let d = Date::from_days(days);
    let mut s = d.basic();
    let _ = write!(s, "T{:02}{:02}{:02}Z", seconds / 3600, seconds / 60 % 60, seconds % 60);
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_move_by_days_and_months() {
        let d = Date::new(2025, 1, 31).unwrap();
        assert_eq!(d.add_months(1), Date::new(2025, 2, 28).unwrap());
        assert_eq!(d.add_months(13), Date::new(2026, 2, 28).unwrap());
        assert_eq!(Date::new(2024, 1, 31).unwrap().add_months(1), Date::new(2024, 2, 29).unwrap());
        assert_eq!(d.add_days(1), Date::new(2025, 2, 1).unwrap());
        assert_eq!(Date::new(2024, 12, 31).unwrap().add_days(1), Date::new(2025, 1, 1).unwrap());
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        for n in [-800_000i64, -1, 0, 59, 60, 19_000, 20_454, 400_000] {
            assert_eq!(Date::from_days(n).to_days(), n);
        }
        assert_eq!(Date::parse("2025-02-29"), None);
        assert_eq!(Date::parse("2025-03-01").map(Date::iso).as_deref(), Some("2025-03-01"));
    }

    #[test]
    fn a_plan_has_five_stages_and_four_follow_ups() {
        let plan = ExitPlan::new("C137", Date::new(2026, 1, 15).unwrap(), 3);
        let dates: Vec<String> = plan.steps.iter().map(|s| s.date.iso()).collect();
        assert_eq!(
            dates,
            ["2026-01-15", "2026-01-29", "2026-01-30", "2026-04-29", "2026-10-29", "2027-04-29", "2027-10-29", "2028-04-29"]
        );
        assert!(!plan.is_closed());
    }
}

/// Starts an exit plan for a client: the client's status becomes `exiting` (DOMAIN.md §1).
/// Returns false when the client is unknown.
pub fn start(p: &mut crate::core::model::Portfolio, client: &str, on: Date, months: u32) -> bool {
    let Some(c) = p.clients.get_mut(client) else { return false };
    c.status = crate::core::model::Status::Exiting;
    p.plans.insert(client.to_string(), ExitPlan::new(client, on, months));
    true
}

/// Ticks or unticks a step; ticking the Close step makes the client `former`, unticking it
/// makes it `exiting` again.
pub fn set_done(p: &mut crate::core::model::Portfolio, client: &str, step: usize, done: bool) {
    let Some(plan) = p.plans.get_mut(client) else { return };
    let Some(s) = plan.steps.get_mut(step) else { return };
    s.done = done;
    let closed = plan.is_closed();
    if let Some(c) = p.clients.get_mut(client) {
        c.status = if closed { crate::core::model::Status::Former } else { crate::core::model::Status::Exiting };
    }
}

/// Changes a step's date or note.
pub fn edit_step(p: &mut crate::core::model::Portfolio, client: &str, step: usize, date: Option<Date>, note: Option<String>) {
    if let Some(s) = p.plans.get_mut(client).and_then(|plan| plan.steps.get_mut(step)) {
        if let Some(d) = date {
            s.date = d;
        }
        if let Some(n) = note {
            s.note = n;
        }
    }
}

/// Drops a plan; a client still `exiting` becomes `active` again.
pub fn cancel(p: &mut crate::core::model::Portfolio, client: &str) {
    if p.plans.remove(client).is_some() {
        if let Some(c) = p.clients.get_mut(client).filter(|c| c.status == crate::core::model::Status::Exiting) {
            c.status = crate::core::model::Status::Active;
        }
    }
}

#[cfg(test)]
mod status_tests {
    use super::*;
    use crate::core::model::Status;

    #[test]
    fn starting_and_closing_a_plan_moves_the_status() {
        let mut p = crate::core::demo::portfolio("demo").unwrap();
        assert!(start(&mut p, "C137", Date::new(2026, 1, 15).unwrap(), 3));
        assert_eq!(p.clients["C137"].status, Status::Exiting);
        let close = p.plans["C137"].steps.iter().position(|s| s.stage == Stage::Close).unwrap();
        set_done(&mut p, "C137", close, true);
        assert_eq!(p.clients["C137"].status, Status::Former);
        set_done(&mut p, "C137", close, false);
        assert_eq!(p.clients["C137"].status, Status::Exiting);
        cancel(&mut p, "C137");
        assert_eq!(p.clients["C137"].status, Status::Active);
        assert!(!start(&mut p, "nobody", Date::new(2026, 1, 15).unwrap(), 3));
    }
}
