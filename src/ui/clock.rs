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

/// How long one slice of long work may hold the page: well under the 100 ms after which a
/// user notices, with room for the frame around it.
const SLICE_MS: f64 = 50.0;

/// The size of the next slice of a long piece of work (rows read, records encoded), adjusted
/// after each slice so that one takes about [`SLICE_MS`] whatever the machine and the shape
/// of the data (a row of a wide sheet holds 36 values, one of a transactions file 4).
pub struct Slicer {
    size: usize,
}

impl Slicer {
    /// Starts small: the first slice measures the work.
    pub fn new() -> Slicer {
        Slicer { size: 1_000 }
    }

    /// Runs `work` on a slice of the current size and sizes the next from the time it took.
    pub fn run<T>(&mut self, work: impl FnOnce(usize) -> T) -> T {
        let start = js_sys::Date::now();
        let out = work(self.size);
        let spent = (js_sys::Date::now() - start).max(1.0);
        let next = self.size as f64 * SLICE_MS / spent;
        // At most twice as large at a time: one quick slice says little.
        self.size = next.clamp(100.0, self.size as f64 * 2.0) as usize;
        out
    }
}

impl Default for Slicer {
    fn default() -> Self {
        Slicer::new()
    }
}
