//! A [`Robustness`] as bytes, to hand it from the thread that worked it out to the page: a
//! copy of a few bytes a bound, read back without parsing any text. Decimals travel as their
//! 16 bytes ([`Decimal::serialize`]), so what arrives is exactly what was found.
//!
//! The layout, little-endian: a version byte, the number of levers, and each lever as its
//! rate (index in [`Rate::ALL`]), value, span end, three flags (ceiling, moves, exact), the
//! judgements, the lows, the highs (each a count, then per client 0 for none or 1 and the
//! decimal), the flips up and down (each a count, then per flip the client, the verdict's
//! index in [`Verdict::ALL`] and the cell's in [`Cell::all`]).

use super::{Flipped, Lever, Rate, Robustness};
use crate::core::analysis::{Cell, Verdict};
use crate::core::wire::{Reader, Writer};

const VERSION: u8 = 1;

impl Robustness {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::default();
        w.byte(VERSION);
        w.len(self.levers.len());
        for lever in &self.levers {
            w.choice(&Rate::ALL, &lever.rate);
            w.decimal(lever.value);
            w.decimal(lever.span_end);
            w.flags(&[lever.ceiling, lever.moves, lever.exact]);
            w.u64(lever.judgements as u64);
            for bounds in [&lever.low, &lever.high] {
                w.len(bounds.len());
                for bound in bounds {
                    w.maybe(*bound, Writer::decimal);
                }
            }
            for flips in [&lever.up, &lever.down] {
                w.len(flips.len());
                for f in flips {
                    w.len(f.client);
                    w.choice(&Verdict::ALL, &f.to);
                    w.choice(&Cell::all(), &f.cell);
                }
            }
        }
        w.bytes
    }

    /// The robustness [`Robustness::to_bytes`] wrote; `None` for bytes it did not write (cut
    /// short, another version, an index out of range, bytes left over).
    pub fn from_bytes(bytes: &[u8]) -> Option<Robustness> {
        let mut r = Reader { bytes };
        if r.byte()? != VERSION {
            return None;
        }
        let mut levers = Vec::new();
        for _ in 0..r.len()? {
            let rate = r.choice(&Rate::ALL)?;
            let (value, span_end) = (r.decimal()?, r.decimal()?);
            let [ceiling, moves, exact] = r.flags()?;
            let judgements = usize::try_from(r.u64()?).ok()?;
            let mut bounds = [Vec::new(), Vec::new()];
            for list in &mut bounds {
                for _ in 0..r.len()? {
                    list.push(r.maybe(Reader::decimal)?);
                }
            }
            let mut flips = [Vec::new(), Vec::new()];
            for list in &mut flips {
                for _ in 0..r.len()? {
                    let client = r.len()?;
                    let to = r.choice(&Verdict::ALL)?;
                    let cell = r.choice(&Cell::all())?;
                    list.push(Flipped { client, to, cell });
                }
            }
            let [low, high] = bounds;
            let [up, down] = flips;
            levers.push(Lever { rate, value, span_end, ceiling, moves, low, high, up, down, exact, judgements });
        }
        r.bytes.is_empty().then_some(Robustness { levers })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::analyze;
    use crate::core::analysis::robustness::{robustness, Scope};

    #[test]
    fn bytes_read_back_as_the_robustness_they_were_written_from() {
        let portfolio = crate::core::demo::portfolio("sample").unwrap();
        let analysis = analyze(&portfolio);
        let found = robustness(&portfolio, &analysis, Scope::All);
        assert!(found.levers.iter().any(|l| l.low.iter().any(Option::is_some)), "the sample has finite bounds");
        assert!(found.levers.iter().any(|l| !l.up.is_empty()), "and flips");
        let bytes = found.to_bytes();
        assert_eq!(Robustness::from_bytes(&bytes), Some(found.clone()));
        // Cut anywhere, or with a byte more, it is not read.
        for cut in [0, 1, bytes.len() / 2, bytes.len() - 1] {
            assert_eq!(Robustness::from_bytes(&bytes[..cut]), None, "cut at {cut}");
        }
        let mut longer = bytes.clone();
        longer.push(0);
        assert_eq!(Robustness::from_bytes(&longer), None);
    }
}
