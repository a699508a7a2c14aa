//! The browser's clock, as the engine's dates.

use crate::core::date::Date;

/// Today's date in the user's time zone (the UTC date should the browser's calendar fields
/// ever not form a date).
pub fn today() -> Date {
    let now = js_sys::Date::new_0();
    Date::new(now.get_full_year() as i32, now.get_month() + 1, now.get_date())
        .unwrap_or_else(|| Date::from_days(now_utc().0))
}

/// Now as (days since 1970-01-01, seconds into the day), UTC: the iCalendar time stamp.
pub fn now_utc() -> (i64, u32) {
    let ms = js_sys::Date::now();
    let days = (ms / 86_400_000.0).floor() as i64;
    let seconds = ((ms / 1000.0) as i64 - days * 86_400) as u32;
    (days, seconds)
}
