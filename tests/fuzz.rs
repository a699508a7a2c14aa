//! Importers never panic, whatever the bytes: random input, and the sample files mutated
//! byte by byte, cell by cell and line by line. Each input is either refused with problems
//! or imported; an import that succeeds leaves a portfolio the analysis accepts.

use cartera::core::analysis::analyze;
use cartera::core::generate::Rng;
use cartera::core::import::{apply, guess_columns, parse, preview, remap, Column, Job};
use cartera::core::snapshot;
use cartera::core::model::{NumberLocale, Portfolio, Settings};

const SEEDS: &[&str] = &[
    include_str!("fixtures/sample-records.csv"),
    include_str!("fixtures/sample-clients.csv"),
    include_str!("fixtures/sample-settings.json"),
    "client,date,amount,cost\nC1,2025-01-05,100,10\nC2,31/01/2025,\"1.234,5\",\n",
    "client;ene-25;feb-25;mar-25\nC1;1.000,50;;3\nC2;;2;\n",
];

const PIECES: &[&str] = &[
    ",", ";", "\t", "\"", "\n", "\r\n", "\u{feff}", "-", "1.234,56", "1,234.56", "9999999999999999999999999999",
    "2025-13", "31/02/2025", "0000-00", "NaN", "1e400", "{", "}", "[", "\"weights\":{}", "\u{a0}", "ñ", "é",
    "«", "", "client", "period", "referred_by", "C1", "-0", "+", ".", "0.000000000000000000000000000001",
];

fn check(bytes: &[u8], settings: &Settings) {
    let portfolio = Portfolio { settings: settings.clone(), ..Portfolio::default() };
    if let Ok(parsed) = parse(bytes, settings) {
        if let Ok((next, _)) = apply(&portfolio, &parsed) {
            let a = analyze(&next);
            assert_eq!(a.clients.len(), next.clients.len());
        }
    } else {
        let problems = parse(bytes, settings).unwrap_err();
        assert!(!problems.is_empty(), "a refusal always says why");
    }
}

fn mutate(rng: &mut Rng, text: &str) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    for _ in 0..1 + rng.below(8) {
        let at = rng.below(bytes.len() as u64 + 1) as usize;
        match rng.below(6) {
            0 if !bytes.is_empty() => {
                let at = at.min(bytes.len() - 1);
                bytes[at] = rng.below(256) as u8;
            }
            1 => {
                let piece = PIECES[rng.below(PIECES.len() as u64) as usize];
                bytes.splice(at..at, piece.bytes());
            }
            2 if !bytes.is_empty() => {
                let end = (at + rng.below(40) as usize).min(bytes.len());
                bytes.drain(at.min(end)..end);
            }
            3 => {
                // Duplicate a line.
                let lines: Vec<&[u8]> = bytes.split(|b| *b == b'\n').collect();
                let line = lines[rng.below(lines.len() as u64) as usize].to_vec();
                bytes.splice(at..at, line.into_iter().chain([b'\n']));
            }
            4 => bytes.truncate(at),
            _ => {
                let piece = PIECES[rng.below(PIECES.len() as u64) as usize];
                bytes.extend_from_slice(piece.as_bytes());
            }
        }
    }
    bytes
}

#[test]
fn random_bytes_never_panic() {
    let mut rng = Rng::new(11);
    let settings = Settings::default();
    for _ in 0..3_000 {
        let len = rng.below(300) as usize;
        // Mostly printable text with separators, sometimes anything.
        let bytes: Vec<u8> = (0..len)
            .map(|_| if rng.below(4) == 0 { rng.below(256) as u8 } else { b" ,;\t\n\"0123456789.-abcC{}:"[rng.below(23) as usize] })
            .collect();
        check(&bytes, &settings);
    }
}

#[test]
fn mutated_sample_files_never_panic() {
    let mut rng = Rng::new(5);
    let locales = [Settings::default(), Settings { number_locale: NumberLocale::Comma, ..Settings::default() }];
    for i in 0..1_500 {
        let seed = SEEDS[i % SEEDS.len()];
        // Long files are cut to a window around the mutation to keep the test fast.
        let text = if seed.len() > 4_000 { &seed[..seed.char_indices().nth(4_000).map_or(seed.len(), |(b, _)| b)] } else { seed };
        check(&mutate(&mut rng, text), &locales[i % 2]);
    }
}

/// The other ways bytes come in: the sliced reader (any slice size gives what one pass gives),
/// the column-mapping step (any roles over any pasted text), and backup restore.
#[test]
fn sliced_reading_mapping_and_restore_never_panic() {
    let mut rng = Rng::new(17);
    let settings = Settings::default();
    let backup = snapshot::backup([&cartera::core::demo::portfolio("demo").unwrap()]);
    let roles = [None, Some(Column::Client), Some(Column::Period), Some(Column::Revenue), Some(Column::Date), Some(Column::Amount), Some(Column::IcpFit)];
    for i in 0..600 {
        let seed = SEEDS[i % SEEDS.len()];
        let text = if seed.len() > 2_000 { &seed[..seed.char_indices().nth(2_000).map_or(seed.len(), |(b, _)| b)] } else { seed };
        let bytes = mutate(&mut rng, text);

        let mut job = Job::start(&bytes, &settings);
        let slice = 1 + rng.below(7) as usize;
        let mut steps = 0;
        while !job.step(slice).done {
            steps += 1;
            assert!(steps <= bytes.len() + 2, "the reader always moves on");
        }
        assert_eq!(job.finish().map(|(p, _)| p), parse(&bytes, &settings), "slices of {slice} read as one pass");

        let pasted = String::from_utf8_lossy(&bytes);
        let width = preview(&pasted, 5).first().map_or(0, |row| guess_columns(row).len());
        let chosen: Vec<Option<Column>> = (0..width).map(|_| roles[rng.below(roles.len() as u64) as usize]).collect();
        check(remap(&pasted, &chosen, rng.below(2) == 0).as_bytes(), &settings);

        // A backup damaged in its JSON, or valid JSON with a damaged part inside.
        let damaged = mutate(&mut rng, &backup[..backup.len().min(3_000)]);
        assert!(snapshot::restore(&String::from_utf8_lossy(&damaged)).is_err());
        let mut value: serde_json::Value = serde_json::from_str(&backup).unwrap();
        let part = ["records", "clients", "settings"][i % 3];
        let inner = value["portfolios"][0][part].to_string();
        let inner = String::from_utf8_lossy(&mutate(&mut rng, &inner[..inner.len().min(3_000)])).into_owned();
        value["portfolios"][0][part] = serde_json::from_str(&inner).unwrap_or(serde_json::Value::String(inner));
        let _ = snapshot::restore(&value.to_string());
    }
}
