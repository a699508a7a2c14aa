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

#[wasm_bindgen_test]
fn import_timing() {
    use cartera::core::import::{apply, Job};
    use cartera::core::model::Portfolio;
    let mut text = String::from("client,date,amount,cost\n");
    for i in 0..1_000_000usize {
        text.push_str(&format!("C{},2025-{:02}-{:02},{}.25,{}\n", i % 2000, i % 12 + 1, i % 28 + 1, i % 997, i % 50));
    }
    let settings = demo::portfolio("sample").unwrap().settings;
    let mut slices = 0;
    let t = median_ms(1, || {
        let mut job = Job::start(text.as_bytes(), &settings);
        while !job.step(20_000).done {
            slices += 1;
        }
        let (parsed, _) = job.finish().unwrap();
        std::hint::black_box(apply(&Portfolio::default(), &parsed).unwrap());
    });
    console_log!("browser: import of 1,000,000 transactions ({} bytes) {t:.0} ms in {slices} slices of 20,000 rows, {:.1} ms a slice",
        text.len(), t / slices as f64);
}
