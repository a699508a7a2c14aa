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

/// Lets the page breathe between two slices of long work: resolves in a task of its own, a
/// message the page posts to itself. Unlike a zero timeout, which browsers hold back 4 ms
/// once a few come in a row (and up to a second in a hidden tab), a message comes as soon as
/// the page has painted and handled its input.
pub async fn pause() {
    use wasm_bindgen::JsCast;
    let Ok(channel) = web_sys::MessageChannel::new() else {
        return gloo::timers::future::TimeoutFuture::new(0).await;
    };
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let port = channel.port1();
        let on_message = wasm_bindgen::closure::Closure::once_into_js(move || {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        });
        port.set_onmessage(Some(on_message.unchecked_ref()));
        let _ = channel.port2().post_message(&wasm_bindgen::JsValue::NULL);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    channel.port1().close();
}

/// Resolves once the next frame is painted (an animation frame, then a task), or after 0.1 s
/// in a tab that paints no frames (hidden).
pub async fn after_paint() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(&resolve);
            let _ = window.set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, 100);
        } else {
            let _ = resolve.call0(&wasm_bindgen::JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    crate::ui::clock::pause().await;
}

/// How long one slice of long work may hold the page: well under the 100 ms after which a
/// user notices, with room for the frame around it.
pub const SLICE_MS: f64 = 30.0;

/// The size of the next slice of a long piece of work (rows read, records encoded), adjusted
/// after each slice so that one takes about [`SLICE_MS`] whatever the machine and the shape
/// of the data (a row of a wide sheet holds 36 values, one of a transactions file 4).
pub struct Slicer {
    size: usize,
    /// The phase of the work the size was measured on (see [`Slicer::run_in`]).
    phase: usize,
}

/// The first slice of a phase: small, since it measures the work.
const FIRST_SLICE: usize = 1_000;

impl Slicer {
    /// Starts small: the first slice measures the work.
    pub fn new() -> Slicer {
        Slicer { size: FIRST_SLICE, phase: 0 }
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

    /// [`Slicer::run`] for work that goes through phases whose units cost differently (the
    /// records, then the clients; reading figures, then judging): a new phase starts again
    /// from a small slice, instead of taking over a size measured on cheaper units.
    pub fn run_in<T>(&mut self, phase: usize, work: impl FnOnce(usize) -> T) -> T {
        if phase != self.phase {
            self.phase = phase;
            self.size = FIRST_SLICE;
        }
        self.run(work)
    }
}

/// Whether less than `ms` have passed since it was made, each time it is asked.
pub fn within(ms: f64) -> impl Fn() -> bool {
    let start = js_sys::Date::now();
    move || js_sys::Date::now() - start < ms
}

impl Default for Slicer {
    fn default() -> Self {
        Slicer::new()
    }
}

/// Lets go of something large a slice at a time once nothing else holds it (the page that
/// showed it lets go at its next render), so that freeing millions of rows, or the analysis
/// of 100,000 clients, does not hold up the page: `shorten` frees a slice and says whether
/// any is left. Held elsewhere for long, it is freed whole where that lets go.
pub fn let_go<T: 'static>(held: std::rc::Rc<T>, mut shorten: impl FnMut(&mut T) -> bool + 'static) {
    yew::platform::spawn_local(async move {
        let mut held = held;
        for _ in 0..20 {
            match std::rc::Rc::try_unwrap(held) {
                Ok(mut value) => {
                    while shorten(&mut value) {
                        pause().await;
                    }
                    return;
                }
                Err(shared) => held = shared,
            }
            gloo::timers::future::TimeoutFuture::new(50).await;
        }
    });
}

/// Lets go of a checked file's rows ([`let_go`]).
pub fn let_go_rows(parsed: std::rc::Rc<crate::core::import::Parsed>) {
    let_go(parsed, |rows| rows.let_go(200_000));
}

/// Lets go of an analysis left behind ([`let_go`]).
pub fn let_go_analysis(analysis: std::rc::Rc<crate::core::analysis::Analysis>) {
    let_go(analysis, |a| a.let_go(10_000));
}
