//! The exit-plan calendar (RFC 5545), parsed back and checked rule by rule.

use cartera::core::plan::{ics, stamp, Date, Event, ExitPlan};

/// Unfolds content lines and checks the physical ones: CRLF ends, at most 75 octets.
fn unfold(text: &str) -> Vec<String> {
    assert!(text.ends_with("\r\n"), "ends with CRLF");
    let physical: Vec<&str> = text.strip_suffix("\r\n").unwrap().split("\r\n").collect();
    let mut lines: Vec<String> = Vec::new();
    for line in physical {
        assert!(!line.contains('\n') && !line.contains('\r'), "bare line break in {line:?}");
        assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        match line.strip_prefix(' ') {
            Some(rest) => lines.last_mut().expect("a continuation follows a line").push_str(rest),
            None => lines.push(line.to_string()),
        }
    }
    lines
}

fn unescape(text: &str) -> String {
    let mut out = String::new();
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(other) => out.push(other),
                None => panic!("dangling backslash in {text:?}"),
            }
        } else {
            assert!(c != ';' && c != ',', "unescaped {c:?} in {text:?}");
            out.push(c);
        }
    }
    out
}

#[test]
fn the_calendar_follows_rfc_5545() {
    let plan = ExitPlan::new("C137", Date::new(2026, 1, 15).unwrap(), 3);
    let long = "Seguimiento: ¿cómo os va? Recordad que seguimos aquí, con soporte; sin compromiso, de verdad. ".repeat(3);
    let events: Vec<Event> = plan
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| Event {
            uid: format!("C137-{i}@cartera"),
            date: s.date,
            summary: format!("Pennine Outdoor Gear, step {}", i + 1),
            description: format!("{long}\nline two; with, separators \\ and Cyrillic «Колесо»"),
        })
        .collect();
    let text = ics(&events, &stamp(Date::new(2026, 1, 10).unwrap().to_days(), 3_723));
    let lines = unfold(&text);
    assert_eq!(lines.first().map(String::as_str), Some("BEGIN:VCALENDAR"));
    assert_eq!(lines.last().map(String::as_str), Some("END:VCALENDAR"));
    assert!(lines.contains(&"VERSION:2.0".to_string()));
    assert!(lines.iter().any(|l| l.starts_with("PRODID:")));

    let mut events_seen = Vec::new();
    let mut current: Option<Vec<(String, String)>> = None;
    for line in &lines {
        match line.as_str() {
            "BEGIN:VEVENT" => current = Some(Vec::new()),
            "END:VEVENT" => events_seen.push(current.take().expect("END after BEGIN")),
            _ => {
                if let Some(props) = current.as_mut() {
                    let (name, value) = line.split_once(':').expect("NAME:value");
                    props.push((name.to_string(), value.to_string()));
                }
            }
        }
    }
    assert_eq!(events_seen.len(), plan.steps.len(), "one VEVENT per date");
    let mut uids = std::collections::HashSet::new();
    for (props, step) in events_seen.iter().zip(&plan.steps) {
        let get = |n: &str| props.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap_or_else(|| panic!("{n} present"));
        assert!(uids.insert(get("UID")), "UIDs are unique");
        assert_eq!(get("DTSTAMP"), "20260110T010203Z");
        assert_eq!(get("DTSTART;VALUE=DATE"), step.date.basic());
        assert!(unescape(&get("SUMMARY")).starts_with("Pennine Outdoor Gear, step"));
        let description = unescape(&get("DESCRIPTION"));
        assert!(description.ends_with("line two; with, separators \\ and Cyrillic «Колесо»"), "{description:?}");
        assert!(description.contains("¿cómo os va?"));
    }
}
