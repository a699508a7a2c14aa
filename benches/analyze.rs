//! How long a full re-analysis takes, natively: the sample portfolio and a generated
//! 10,000-client × 36-month one; also storing (snapshot) and reading them back, and importing
//! a file of 1,000,000 transactions in slices as the Import page does.
//! Run with `cargo bench`. Prints medians and ratios; asserts nothing about time.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cartera::core::analysis::analyze;
use cartera::core::generate::{portfolio, retail_transactions, wide_revenue, Shape};
use cartera::core::demo;
use cartera::core::model::Portfolio;
use cartera::core::import::{apply, Job};
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

/// Runs `step` until it says nothing is left: how many steps, and the longest.
fn stepped(mut step: impl FnMut() -> bool) -> (usize, Duration) {
    let (mut steps, mut longest) = (0, Duration::ZERO);
    loop {
        let t = Instant::now();
        let more = step();
        longest = longest.max(t.elapsed());
        steps += 1;
        if !more {
            return (steps, longest);
        }
    }
}

/// An analysis in slices of 1,000 clients: the longest step (a sort, or a slice) is what
/// holds the page longest in the browser.
fn longest_step(label: &str, p: &Portfolio) {
    let mut analysing = cartera::core::analysis::Analysing::new(p);
    let (steps, longest) = stepped(|| analysing.step(1_000));
    let t = Instant::now();
    black_box(analysing.finish());
    println!("  analysis of {label} in {steps} steps of 1,000 clients: longest step {longest:?}, finish {:?}", t.elapsed());
}

/// What each page derives from an analysis, timed: the work of a page's first render
/// (the browser runs it about twice as slowly).
fn views(label: &str, p: &Portfolio) {
    use cartera::core::analysis::{view, what_if, Flag};
    use cartera::core::chart;
    let a = analyze(p);
    let shown: Vec<usize> = a.profit_order.iter().copied().take(100).collect();
    let exits = what_if::default_selection(&a);
    let timed: Vec<(&str, Duration)> = vec![
        ("by verdict", time(5, || view::by_verdict(&a))),
        ("sorted by profit", time(5, || view::sorted(&a, view::ClientSort::Profit, false))),
        ("sorted by name", time(5, || view::sorted(&a, view::ClientSort::Name, true))),
        ("sparklines of 100", time(5, || chart::sparklines(p, &a, &shown))),
        ("cell totals", time(5, || a.cell_totals())),
        ("heat map", time(5, || chart::heat_map(&a))),
        ("flagged", time(5, || view::flagged(&a, Flag::Slid))),
        ("whale chart", time(5, || chart::whale(&a))),
        ("pareto chart", time(5, || chart::pareto(&a, &p.settings))),
        ("scatter", time(5, || chart::scatter(&a))),
        ("concentration bars", time(5, || chart::concentration(&a, &p.settings))),
        ("what-if order", time(5, || view::exits_first(&a))),
        ("what-if of the exits", time(5, || what_if::what_if(&a, &exits, false))),
        ("default selection", time(5, || what_if::default_selection(&a))),
    ];
    let list: Vec<String> = timed.iter().map(|(what, t)| format!("{what} {:.1} ms", t.as_secs_f64() * 1e3)).collect();
    println!("  views of {label}: {}", list.join(", "));
}

fn sample() -> Portfolio {
    demo::portfolio("sample").unwrap()
}

/// A transactions file of `n` rows over 2,000 clients and 12 months.
pub fn transactions(n: usize) -> String {
    let mut text = String::from("client,date,amount,cost\n");
    for i in 0..n {
        text.push_str(&format!("C{},2025-{:02}-{:02},{}.25,{}\n", i % 2000, i % 12 + 1, i % 28 + 1, i % 997, i % 50));
    }
    text
}

/// How sure the verdicts are, a judgement at a time: the ±20% flips of every client, one
/// client's ranges, or (`all`) every client's ranges.
fn robustness(label: &str, p: &Portfolio, all: bool) {
    use cartera::core::analysis::robustness::Scope;
    let analysis = analyze(p);
    sensing(&format!("±20% flips of {label}"), p, &analysis, Scope::Flips);
    for i in [0, p.clients.len() / 2] {
        sensing(&format!("the ranges of client {} of {label}", i + 1), p, &analysis, Scope::Clients(vec![i]));
    }
    if all {
        sensing(&format!("every range of {label}"), p, &analysis, Scope::All);
    }
}

fn sensing(label: &str, p: &Portfolio, analysis: &cartera::core::analysis::Analysis, scope: cartera::core::analysis::robustness::Scope) {
    use cartera::core::analysis::robustness::Sensing;
    let t = Instant::now();
    let mut sensing = Sensing::new(p, analysis, scope);
    // The time each rate took: a rate is done when the work done reaches its share of all.
    let rates = cartera::core::analysis::robustness::Rate::ALL.len();
    let (mut spent, mut since, mut done) = (Vec::with_capacity(rates), Instant::now(), 0);
    let (steps, longest) = stepped(|| {
        let more = sensing.step(1);
        let (work, all) = sensing.progress();
        while done < rates && (work * rates >= all * (done + 1) || !more) {
            spent.push(since.elapsed());
            (since, done) = (Instant::now(), done + 1);
        }
        more
    });
    let r = sensing.finish();
    let judgements: Vec<String> = r.levers.iter().zip(&spent).map(|(l, t)| format!("{} {} in {t:.1?}", l.rate.key(), l.judgements)).collect();
    let fragile = r.fragile_count();
    println!(
        "robustness, {label}: {:?} in {steps} judgements (longest {longest:?}; {}), {fragile} fragile verdicts",
        t.elapsed(),
        judgements.join(", ")
    );
}

/// The generated portfolio as the files a user would import, for the browser benchmark of
/// robustness (scripts/bench-robustness.mjs).
fn write_generated(p: &Portfolio) {
    use cartera::core::export::{clients_csv, records_csv, settings_json};
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    let size = format!("generated-{}k", p.clients.len() / 1_000);
    std::fs::write(dir.join(format!("{size}-records.csv")), records_csv(p, true)).unwrap();
    std::fs::write(dir.join(format!("{size}-clients.csv")), clients_csv(p)).unwrap();
    std::fs::write(dir.join(format!("{size}-settings.json")), settings_json(&p.settings)).unwrap();
}

/// What the background worker does for a request (src/ui/background.rs): read the portfolio
/// from its stored pieces, analyse it, then the ±20% flips, or one client's ranges.
fn worker_request(p: &Portfolio) {
    use cartera::core::analysis::robustness::{robustness, Scope};
    let pieces = snapshot::pieces(p);
    let texts: Vec<String> = (0..pieces.len()).map(|k| pieces.get(k).to_string()).collect();
    let t_decode = time(3, || snapshot::decode_pieces(&texts, pieces.records()).unwrap());
    let t_analyze = time(3, || analyze(p));
    let a = analyze(p);
    let t_flips = time(3, || robustness(p, &a, Scope::Flips));
    let t_client = time(3, || robustness(p, &a, Scope::Clients(vec![0])));
    println!("worker request, {} clients: read {t_decode:?}, analyse {t_analyze:?}; then flips {t_flips:?}, or a client's ranges {t_client:?}", p.clients.len());
}

fn main() {
    let big = portfolio(1, Shape { clients: 10_000, periods: 36, every_field: true, density: 95 });
    if std::env::args().any(|a| a == "robustness") {
        robustness("the generated 10,000 clients", &big, true);
        return;
    }
    // Writing the results export of 100,000 clients and the robustness export of 25,000
    // (`cargo bench --bench analyze -- exports`).
    if std::env::args().any(|a| a == "exports") {
        let wide = wide_revenue(36, 100_000, 36);
        let parsed = cartera::core::import::parse(wide.as_bytes(), &sample().settings).unwrap();
        let p = apply(&Portfolio::default(), &parsed).unwrap().0;
        let a = analyze(&p);
        let t = Instant::now();
        let csv = cartera::core::export::results_csv(&a);
        println!("results.csv of 100,000: {:?} ({} bytes)", t.elapsed(), csv.len());
        let p25 = portfolio(2, Shape { clients: 25_000, periods: 36, every_field: true, density: 95 });
        let a25 = analyze(&p25);
        let r = cartera::core::analysis::robustness::robustness(&p25, &a25, cartera::core::analysis::robustness::Scope::Flips);
        let t = Instant::now();
        let csv = cartera::core::export::robustness_csv(&a25, &r);
        println!("robustness.csv of 25,000: {:?} ({} bytes)", t.elapsed(), csv.len());
        return;
    }
    if std::env::args().any(|a| a == "robustness-25k") {
        let p = portfolio(2, Shape { clients: 25_000, periods: 36, every_field: true, density: 95 });
        robustness("the generated 25,000 clients", &p, true);
        // For the browser's run: node scripts/bench-robustness.mjs 25k
        write_generated(&p);
        return;
    }
    if std::env::args().any(|a| a == "decode") {
        let text = snapshot::encode(&big);
        let t = time(3, || snapshot::decode(&text).unwrap());
        println!("decode of the generated 10,000 clients' snapshot ({} chars): {t:?}", text.len());
        return;
    }
    if std::env::args().any(|a| a == "worker") {
        worker_request(&big);
        return;
    }
    // The analysis handed from the worker to the page (`cargo bench --bench analyze -- wire`).
    if std::env::args().any(|a| a == "wire") {
        let wide = wide_revenue(36, 100_000, 36);
        let parsed = cartera::core::import::parse(wide.as_bytes(), &sample().settings).unwrap();
        let p = apply(&Portfolio::default(), &parsed).unwrap().0;
        let t_analyse = time(3, || analyze(&p));
        let a = analyze(&p);
        let t_encode = time(3, || a.to_parts(1_000));
        let parts = a.to_parts(1_000);
        let t0 = Instant::now();
        let mut reading = cartera::core::analysis::wire::Reading::new(&parts[0]).unwrap();
        let mut longest = Duration::ZERO;
        for part in &parts[1..parts.len() - 1] {
            let t = Instant::now();
            reading.read(part).unwrap();
            longest = longest.max(t.elapsed());
        }
        let read = reading.finish(parts.last().unwrap()).unwrap();
        let t_read = t0.elapsed();
        assert!(read == a);
        let size: usize = parts.iter().map(Vec::len).sum();
        println!("analysis of 100,000 × 36 as bytes: {size} bytes in {} parts; analyse {t_analyse:?}, write {t_encode:?}, read back {t_read:?} (longest part {longest:?}; {:.1}× less than the analysis)", parts.len(), t_analyse.as_secs_f64() / t_read.as_secs_f64());
        return;
    }
    if std::env::args().any(|a| a == "views") {
        let wide = wide_revenue(36, 100_000, 36);
        let parsed = cartera::core::import::parse(wide.as_bytes(), &sample().settings).unwrap();
        views("100,000 × 36", &apply(&Portfolio::default(), &parsed).unwrap().0);
        return;
    }
    if std::env::args().any(|a| a == "files") {
        write_generated(&big);
        return;
    }
    robustness("the generated 10,000 clients", &big, false);
    worker_request(&big);
    write_generated(&big);
    let small = sample();
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
    let a_big = analyze(&big);
    let mut weights = big.settings.weights;
    weights.0[2] += rust_decimal::Decimal::ONE;
    let t_rescore = time(21, || a_big.reweighted(&weights));
    println!("a weight change on {} clients, re-scored: {:?} ({:.0}× faster than a full analysis)", big.clients.len(), t_rescore, t_big.as_secs_f64() / t_rescore.as_secs_f64());
    println!("snapshot of the generated portfolio: {} chars; encode {:?}, decode {:?}", text.len(), t_encode, t_decode);
    // Saving after a settings change: clients and records are shared with the last version
    // saved, so their encoding is reused.
    let mut encoder = snapshot::Encoder::default();
    encoder.encode(&big);
    let mut changed = big.clone();
    changed.settings.service_rate += rust_decimal::Decimal::ONE;
    let t_clone = time(21, || big.clone());
    let t_reencode = time(5, || encoder.encode(&changed));
    println!("after a settings change: new version {:?}, saved encoding {:?} ({:.0}× faster than a full encode)", t_clone, t_reencode, t_encode.as_secs_f64() / t_reencode.as_secs_f64());

    let file = transactions(1_000_000);
    let settings = small.settings.clone();
    let t_import = time(3, || {
        let mut job = Job::start(file.as_bytes(), &settings);
        while !job.step(50_000).done {}
        let (parsed, _) = job.finish().unwrap();
        apply(&Portfolio::default(), &parsed).unwrap()
    });
    println!("import of 1,000,000 transactions ({} bytes) in slices of 50,000 rows, applied: {:?}", file.len(), t_import);

    // A retail log of 25,000 customers over 18 months: imported and analysed, and written out
    // for the browser benchmark (scripts/bench-pages.mjs).
    let retail = retail_transactions(25, 25_000, 18);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/bench");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("retail-25k.csv"), &retail).unwrap();
    // And one of 10,000, the size the weight-change target is set for.
    std::fs::write(dir.join("retail-10k.csv"), retail_transactions(10, 10_000, 18)).unwrap();
    let parsed = cartera::core::import::parse(retail.as_bytes(), &settings).unwrap();
    let retail_p = apply(&Portfolio::default(), &parsed).unwrap().0;
    let t_parse = time(3, || cartera::core::import::parse(retail.as_bytes(), &settings).unwrap());
    let t_retail = time(5, || analyze(&retail_p));
    longest_step("retail 25,000", &retail_p);
    views("retail 25,000", &retail_p);
    robustness("retail 25,000", &retail_p, false);
    println!("retail log, 25,000 customers × 18 months ({} transactions, {} bytes): parse {:?}, analysis {:?} ({} records)",
        retail.lines().count() - 1, retail.len(), t_parse, t_retail, retail_p.record_count());

    // 100,000 clients × 36 months of revenue, pasted wide: written out for the browser
    // benchmark too (scripts/bench-pages.mjs target/bench/wide-100k.csv).
    let wide = wide_revenue(36, 100_000, 36);
    std::fs::write(dir.join("wide-100k.csv"), &wide).unwrap();
    let t0 = Instant::now();
    let parsed = cartera::core::import::parse(wide.as_bytes(), &settings).unwrap();
    let t_parse = t0.elapsed();
    let t0 = Instant::now();
    let wide_p = apply(&Portfolio::default(), &parsed).unwrap().0;
    let t_apply = t0.elapsed();
    drop(parsed);
    let t0 = Instant::now();
    let _ = analyze(&wide_p);
    let t_analyse = t0.elapsed();
    longest_step("100,000 × 36", &wide_p);
    views("100,000 × 36", &wide_p);
    let t0 = Instant::now();
    let snap = snapshot::encode(&wide_p);
    let t_encode = t0.elapsed();
    // Opening it again: the stored text parsed, then read back a slice of rows at a time.
    let t0 = Instant::now();
    let v: serde_json::Value = serde_json::from_str(&snap).unwrap();
    let t_json = t0.elapsed();
    let t0 = Instant::now();
    let mut decoding = snapshot::Decoding::new(&v).unwrap();
    let (_, longest) = stepped(|| decoding.step(20_000).unwrap());
    println!("  opening it again: JSON {:?}, read back in steps of 20,000 rows {:?} (longest step {:?})", t_json, t0.elapsed(), longest);
    println!("wide revenue, 100,000 clients × 36 months ({} bytes, {} records): parse {:?}, apply {:?}, analysis {:?}, encode {:?} ({} chars)",
        wide.len(), wide_p.record_count(), t_parse, t_apply, t_analyse, t_encode, snap.len());
}

