//! A [`Robustness`] as bytes, to hand it from the thread that worked it out to the page: a
//! copy of a few bytes a bound, read back without parsing any text. Decimals travel as their
//! 16 bytes ([`Decimal::serialize`]), so what arrives is exactly what was found.
//!
//! The layout, little-endian: a version byte, the number of levers, and each lever as its
//! rate (index in [`Rate::ALL`]), value, span end, three flags (ceiling, moves, exact), the
//! judgements, the lows, the highs (each a count, then per client 0 for none or 1 and the
//! decimal), the flips up and down (each a count, then per flip the client, the verdict's
//! index in [`Verdict::ALL`] and the cell's in [`Cell::all`]).

use rust_decimal::Decimal;

use super::{Flipped, Lever, Rate, Robustness};
use crate::core::analysis::{Cell, Verdict};

const VERSION: u8 = 1;

impl Robustness {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = vec![VERSION];
        put_len(&mut out, self.levers.len());
        for lever in &self.levers {
            out.push(index_of(&Rate::ALL, &lever.rate));
            out.extend(lever.value.serialize());
            out.extend(lever.span_end.serialize());
            out.push(u8::from(lever.ceiling) | u8::from(lever.moves) << 1 | u8::from(lever.exact) << 2);
            out.extend((lever.judgements as u64).to_le_bytes());
            for bounds in [&lever.low, &lever.high] {
                put_len(&mut out, bounds.len());
                for bound in bounds {
                    match bound {
                        None => out.push(0),
                        Some(d) => {
                            out.push(1);
                            out.extend(d.serialize());
                        }
                    }
                }
            }
            for flips in [&lever.up, &lever.down] {
                put_len(&mut out, flips.len());
                for f in flips {
                    put_len(&mut out, f.client);
                    out.push(index_of(&Verdict::ALL, &f.to));
                    out.push(f.cell.index() as u8);
                }
            }
        }
        out
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
            let rate = *Rate::ALL.get(usize::from(r.byte()?))?;
            let (value, span_end) = (r.decimal()?, r.decimal()?);
            let flags = r.byte()?;
            let judgements = usize::try_from(u64::from_le_bytes(r.take()?)).ok()?;
            let mut bounds = [Vec::new(), Vec::new()];
            for list in &mut bounds {
                for _ in 0..r.len()? {
                    list.push(match r.byte()? {
                        0 => None,
                        1 => Some(r.decimal()?),
                        _ => return None,
                    });
                }
            }
            let mut flips = [Vec::new(), Vec::new()];
            for list in &mut flips {
                for _ in 0..r.len()? {
                    let client = r.len()?;
                    let to = *Verdict::ALL.get(usize::from(r.byte()?))?;
                    let cell = *Cell::all().get(usize::from(r.byte()?))?;
                    list.push(Flipped { client, to, cell });
                }
            }
            let [low, high] = bounds;
            let [up, down] = flips;
            levers.push(Lever { rate, value, span_end, ceiling: flags & 1 != 0, moves: flags & 2 != 0, low, high, up, down, exact: flags & 4 != 0, judgements });
        }
        r.bytes.is_empty().then_some(Robustness { levers })
    }
}

fn index_of<T: PartialEq>(all: &[T], item: &T) -> u8 {
    all.iter().position(|x| x == item).expect("every value is in its list") as u8
}

fn put_len(out: &mut Vec<u8>, n: usize) {
    out.extend(u32::try_from(n).expect("fewer than 4 billion").to_le_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
}

impl Reader<'_> {
    fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.bytes.split_first_chunk::<N>()?;
        self.bytes = rest;
        Some(*head)
    }

    fn byte(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }

    fn len(&mut self) -> Option<usize> {
        usize::try_from(u32::from_le_bytes(self.take()?)).ok()
    }

    fn decimal(&mut self) -> Option<Decimal> {
        let bytes = self.take::<16>()?;
        // `deserialize` takes any flags; a scale beyond 28 is not one it wrote.
        (bytes[2] <= 28 && bytes[0] == 0 && bytes[1] == 0 && bytes[3] & 0x7f == 0).then(|| Decimal::deserialize(bytes))
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
