//! Calendar dates: one type for the dates read from files (transactions) and the dates of
//! exit plans, with the arithmetic plans need (days since the epoch, adding months).

/// A calendar date `(year, month, day)`; made through [`Date::new`] it exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    pub year: i32,
    pub month: u32,
    pub day: u32,
}

/// Days in a month of the proleptic Gregorian calendar; 0 for a month that does not exist,
/// so no day of it is valid.
pub fn days_in_month(year: i32, month: u32) -> u32 {
    match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 => 29,
        2 => 28,
        _ => 0,
    }
}

impl Date {
    /// A date, if it exists.
    pub fn new(year: i32, month: u32, day: u32) -> Option<Date> {
        ((1..=12).contains(&month) && day >= 1 && day <= days_in_month(year, month)).then_some(Date { year, month, day })
    }

    /// `YYYY-MM-DD`.
    pub fn parse(text: &str) -> Option<Date> {
        let mut parts = text.trim().splitn(3, '-');
        let year = parts.next()?.parse().ok()?;
        let month = parts.next()?.parse().ok()?;
        let day = parts.next()?.parse().ok()?;
        Date::new(year, month, day)
    }

    /// The same day `n` months later (the month's last day when it is shorter).
    pub fn add_months(self, n: i32) -> Date {
        let m0 = self.year * 12 + self.month as i32 - 1 + n;
        let (year, month) = (m0.div_euclid(12), (m0.rem_euclid(12) + 1) as u32);
        Date { year, month, day: self.day.min(days_in_month(year, month)) }
    }

    /// `n` days later.
    pub fn add_days(self, n: i64) -> Date {
        Date::from_days(self.to_days() + n)
    }

    /// Days since 1970-01-01 (proleptic Gregorian).
    pub fn to_days(self) -> i64 {
        let y = self.year as i64 - if self.month <= 2 { 1 } else { 0 };
        let era = y.div_euclid(400);
        let yoe = y - era * 400;
        let m = self.month as i64;
        let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + self.day as i64 - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        era * 146_097 + doe - 719_468
    }

    pub fn from_days(z: i64) -> Date {
        let z = z + 719_468;
        let era = z.div_euclid(146_097);
        let doe = z - era * 146_097;
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
        let mp = (5 * doy + 2) / 153;
        let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
        let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
        let year = (yoe + era * 400 + if month <= 2 { 1 } else { 0 }) as i32;
        Date { year, month, day }
    }

    /// `YYYY-MM-DD`.
    pub fn iso(self) -> String {
        format!("{:04}-{:02}-{:02}", self.year, self.month, self.day)
    }

    /// `YYYYMMDD`, as iCalendar writes a date.
    pub fn basic(self) -> String {
        format!("{:04}{:02}{:02}", self.year, self.month, self.day)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_in_month_by_table() {
        let cases = [
            (2025, 1, 31), (2025, 2, 28), (2024, 2, 29), (1900, 2, 28), (2000, 2, 29),
            (2025, 4, 30), (2025, 12, 31), (2025, 0, 0), (2025, 13, 0),
        ];
        for (y, m, want) in cases {
            assert_eq!(days_in_month(y, m), want, "{y}-{m}");
        }
    }

    #[test]
    fn only_real_dates_are_made() {
        assert!(Date::new(2025, 2, 29).is_none());
        assert!(Date::new(2024, 2, 29).is_some());
        assert!(Date::new(2025, 13, 1).is_none());
        assert!(Date::new(2025, 4, 31).is_none());
        assert!(Date::new(2025, 1, 0).is_none());
        assert_eq!(Date::parse("2026-11-23"), Date::new(2026, 11, 23));
        assert_eq!(Date::parse("2026-02-30"), None);
    }

    #[test]
    fn day_numbers_round_trip_and_months_clamp() {
        for days in [-719_468, -1, 0, 1, 19_000, 20_415, 60_000] {
            assert_eq!(Date::from_days(days).to_days(), days);
        }
        assert_eq!(Date::new(1970, 1, 1).unwrap().to_days(), 0);
        assert_eq!(Date::new(2025, 1, 31).unwrap().add_months(1), Date::new(2025, 2, 28).unwrap());
        assert_eq!(Date::new(2024, 1, 31).unwrap().add_months(1), Date::new(2024, 2, 29).unwrap());
        assert_eq!(Date::new(2025, 11, 15).unwrap().add_months(3), Date::new(2026, 2, 15).unwrap());
        assert_eq!(Date::new(2025, 12, 31).unwrap().add_days(1), Date::new(2026, 1, 1).unwrap());
    }
}
