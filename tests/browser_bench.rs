//! In-browser timing of a full re-analysis (a benchmark, not a test: it asserts nothing about
//! time). Run with `bash scripts/bench.sh`; figures are printed, compare them as ratios.
#![cfg(target_arch = "wasm32")]

use cartera::core::analysis::analyze;
use cartera::core::generate::{portfolio, Shape};
use cartera::core::demo;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map_or(0.0, |p| p.now())
}

fn median_ms(runs: usize, mut f: impl FnMut()) -> f64 {
    let mut times: Vec<f64> = (0..runs).map(|_| { let t = now(); f(); now() - t }).collect();
    times.sort_by(f64::total_cmp);
    times[times.len() / 2]
}

#[wasm_bindgen_test]
fn analysis_timing() {
    let sample = demo::portfolio("sample").unwrap();
    let big = portfolio(1, Shape { clients: 10_000, periods: 36, every_field: true, density: 95 });
    let t_sample = median_ms(11, || { std::hint::black_box(analyze(&sample)); });
    let t_big = median_ms(3, || { std::hint::black_box(analyze(&big)); });
    console_log!("browser: sample ({} records) {t_sample:.2} ms; generated ({} records) {t_big:.1} ms; ratio {:.0}×",
        sample.record_count(), big.record_count(), t_big / t_sample);
}
