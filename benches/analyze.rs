//! How long a full re-analysis takes, natively: the sample portfolio and a generated
//! 10,000-client × 36-month one; also storing (snapshot) and reading them back.
//! Run with `cargo bench`. Prints medians and ratios; asserts nothing about time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cartera::core::analysis::analyze;
use cartera::core::generate::{portfolio, Shape};
use cartera::core::demo;
use cartera::core::model::Portfolio;
use cartera::core::snapshot;

fn median(mut runs: Vec<Duration>) -> Duration {
    runs.sort();
    runs[runs.len() / 2]
}

fn time<T>(runs: usize, mut f: impl FnMut() -> T) -> Duration {
    median((0..runs).map(|_| {
        let t = Instant::now();
        black_box(f());
        t.elapsed()
    }).collect())
}

fn sample() -> Portfolio {
    demo::portfolio("sample").unwrap()
}

fn main() {
    let small = sample();
    let big = portfolio(1, Shape { clients: 10_000, periods: 36, every_field: true, density: 95 });
    let t_small = time(21, || analyze(&small));
    let t_big = time(5, || analyze(&big));
    let text = snapshot::encode(&big);
    let t_encode = time(5, || snapshot::encode(&big));
    let t_decode = time(3, || snapshot::decode(&text).unwrap());
    println!("analysis, sample ({} clients, {} records): {:?}", small.clients.len(), small.record_count(), t_small);
    println!("analysis, generated ({} clients, {} records): {:?}", big.clients.len(), big.record_count(), t_big);
    println!("  ratio generated / sample: {:.0}×", t_big.as_secs_f64() / t_small.as_secs_f64());
    println!("  per record: sample {:.2} µs, generated {:.2} µs",
        t_small.as_secs_f64() * 1e6 / small.record_count() as f64,
        t_big.as_secs_f64() * 1e6 / big.record_count() as f64);
    println!("snapshot of the generated portfolio: {} chars; encode {:?}, decode {:?}", text.len(), t_encode, t_decode);
}
