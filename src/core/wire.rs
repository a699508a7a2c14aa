//! Results as bytes, to hand them from the thread that worked them out to the page: a copy,
//! read back without parsing any text. Little-endian; a length is a `u32`; a decimal travels
//! as its 16 bytes ([`Decimal::serialize`]) and a float as its bits, so that what arrives is
//! exactly what was found; an option is a 0 or 1 byte before its value; a choice among a
//! fixed list (a class, a verdict) is its index in that list.

use rust_decimal::Decimal;

use crate::core::model::Period;

/// Bytes being written.
#[derive(Default)]
pub struct Writer {
    pub bytes: Vec<u8>,
}

impl Writer {
    pub fn byte(&mut self, b: u8) {
        self.bytes.push(b);
    }

    /// Up to eight flags in a byte, the first in the lowest bit.
    pub fn flags(&mut self, flags: &[bool]) {
        self.byte(flags.iter().rev().fold(0, |b, &f| b << 1 | u8::from(f)));
    }

    pub fn len(&mut self, n: usize) {
        self.bytes.extend(u32::try_from(n).expect("fewer than 4 billion").to_le_bytes());
    }

    pub fn u64(&mut self, n: u64) {
        self.bytes.extend(n.to_le_bytes());
    }

    pub fn f64(&mut self, x: f64) {
        self.u64(x.to_bits());
    }

    pub fn period(&mut self, p: Period) {
        self.u64(i64::from(p.0) as u64);
    }

    pub fn decimal(&mut self, d: Decimal) {
        self.bytes.extend(d.serialize());
    }

    pub fn maybe<T>(&mut self, value: Option<T>, put: impl FnOnce(&mut Writer, T)) {
        self.byte(u8::from(value.is_some()));
        if let Some(v) = value {
            put(self, v);
        }
    }

    pub fn text(&mut self, s: &str) {
        self.len(s.len());
        self.bytes.extend(s.as_bytes());
    }

    /// The index of `item` in `all`.
    pub fn choice<T: PartialEq>(&mut self, all: &[T], item: &T) {
        self.byte(all.iter().position(|x| x == item).expect("every value is in its list") as u8);
    }
}

/// Bytes being read; each read is `None` where the bytes are not what a [`Writer`] wrote
/// (cut short, an index out of range).
pub struct Reader<'a> {
    pub bytes: &'a [u8],
}

impl Reader<'_> {
    pub fn take<const N: usize>(&mut self) -> Option<[u8; N]> {
        let (head, rest) = self.bytes.split_first_chunk::<N>()?;
        self.bytes = rest;
        Some(*head)
    }

    pub fn byte(&mut self) -> Option<u8> {
        self.take::<1>().map(|[b]| b)
    }

    /// `N` flags written by [`Writer::flags`].
    pub fn flags<const N: usize>(&mut self) -> Option<[bool; N]> {
        let b = self.byte()?;
        (u16::from(b) >> N == 0).then(|| std::array::from_fn(|i| b >> i & 1 != 0))
    }

    pub fn len(&mut self) -> Option<usize> {
        usize::try_from(u32::from_le_bytes(self.take()?)).ok()
    }

    pub fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take()?))
    }

    pub fn f64(&mut self) -> Option<f64> {
        Some(f64::from_bits(self.u64()?))
    }

    pub fn period(&mut self) -> Option<Period> {
        i32::try_from(self.u64()? as i64).ok().map(Period)
    }

    pub fn decimal(&mut self) -> Option<Decimal> {
        let bytes = self.take::<16>()?;
        // `deserialize` takes any flags; a scale beyond 28 is not one it wrote.
        (bytes[2] <= 28 && bytes[0] == 0 && bytes[1] == 0 && bytes[3] & 0x7f == 0).then(|| Decimal::deserialize(bytes))
    }

    /// An option written by [`Writer::maybe`]: `Some(None)` for none.
    pub fn maybe<T>(&mut self, read: impl FnOnce(&mut Self) -> Option<T>) -> Option<Option<T>> {
        match self.byte()? {
            0 => Some(None),
            1 => read(self).map(Some),
            _ => None,
        }
    }

    pub fn text(&mut self) -> Option<String> {
        let n = self.len()?;
        let (head, rest) = self.bytes.split_at_checked(n)?;
        self.bytes = rest;
        String::from_utf8(head.to_vec()).ok()
    }

    /// `n` items, each read by `read`. (A count no bytes could hold is not reserved for.)
    pub fn list<T>(&mut self, n: usize, mut read: impl FnMut(&mut Self) -> Option<T>) -> Option<Vec<T>> {
        let mut out = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            out.push(read(self)?);
        }
        Some(out)
    }

    /// An item of `all` by the index [`Writer::choice`] wrote.
    pub fn choice<T: Copy>(&mut self, all: &[T]) -> Option<T> {
        all.get(usize::from(self.byte()?)).copied()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_is_written_reads_back_and_a_cut_does_not() {
        let mut w = Writer::default();
        w.flags(&[true, false, true]);
        w.len(70_000);
        w.f64(-0.1);
        w.decimal(Decimal::new(-12_345, 3));
        w.maybe(None::<Decimal>, Writer::decimal);
        w.maybe(Some(Decimal::MAX), Writer::decimal);
        w.text("Ñandú · Пётр");
        w.choice(&['a', 'b', 'c'], &'c');
        let all = w.bytes;
        let mut r = Reader { bytes: &all };
        assert_eq!(r.flags::<3>(), Some([true, false, true]));
        assert_eq!(r.len(), Some(70_000));
        assert_eq!(r.f64().map(f64::to_bits), Some((-0.1f64).to_bits()));
        assert_eq!(r.decimal(), Some(Decimal::new(-12_345, 3)));
        assert_eq!(r.maybe(Reader::decimal), Some(None));
        assert_eq!(r.maybe(Reader::decimal), Some(Some(Decimal::MAX)));
        assert_eq!(r.text().as_deref(), Some("Ñandú · Пётр"));
        assert_eq!(r.choice(&['a', 'b', 'c']), Some('c'));
        assert!(r.bytes.is_empty());
        // Flags beyond the count asked, an index beyond the list, a text cut short: not read.
        assert_eq!(Reader { bytes: &all }.flags::<2>(), None);
        assert_eq!(Reader { bytes: &[3] }.choice(&['a', 'b', 'c']), None);
        assert_eq!(Reader { bytes: &[5, 0, 0, 0, b'a'] }.text(), None);
        assert_eq!(Reader { bytes: &[2] }.maybe(Reader::byte), None);
    }
}
