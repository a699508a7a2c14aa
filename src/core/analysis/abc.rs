//! ABC: contribution to profit (DOMAIN.md §4), decided exactly in Decimal.

use std::fmt;

use rust_decimal::Decimal;

/// A client's ABC class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AbcClass {
    A,
    B,
    C,
}

impl AbcClass {
    pub const ALL: [AbcClass; 3] = [AbcClass::A, AbcClass::B, AbcClass::C];
    pub fn as_str(self) -> &'static str {
        match self {
            AbcClass::A => "A",
            AbcClass::B => "B",
            AbcClass::C => "C",
        }
    }
}

impl fmt::Display for AbcClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One client's place in the ranking.
#[derive(Clone, Debug, PartialEq)]
pub struct AbcResult {
    pub class: AbcClass,
    /// `value / T`, negative for loss-makers; `None` when no client has a positive value.
    pub share: Option<Decimal>,
    /// Share of everything ranked above it plus itself (in the whale order: positives first).
    pub cumulative: Option<Decimal>,
    /// 1-based rank by value descending, ties by id.
    pub rank: usize,
}

/// The ranking order of DOMAIN.md §4: value descending, ties by id ascending.
pub fn order<'a>(values: &[(&'a str, Decimal)]) -> Vec<usize> {
    let mut idx: Vec<usize> = (0..values.len()).collect();
    idx.sort_by(|&i, &j| values[j].1.cmp(&values[i].1).then_with(|| values[i].0.cmp(values[j].0)));
    idx
}

/// Classifies every client by its basis value (results in input order).
///
/// Clients with value ≤ 0 are C. Of the others, the k-th is A while the sum of the values
/// above it is below `a × T`, B while it is below `(a + b) × T`, else C; so the top client is
/// always A.
pub fn classify(values: &[(&str, Decimal)], a: Decimal, b: Decimal) -> Vec<AbcResult> {
    let total: Decimal = values.iter().map(|v| v.1).filter(|v| *v > Decimal::ZERO).sum();
    let mut out = vec![AbcResult { class: AbcClass::C, share: None, cumulative: None, rank: 0 }; values.len()];
    let mut above = Decimal::ZERO;
    for (rank, i) in order(values).into_iter().enumerate() {
        let value = values[i].1;
        let class = if value <= Decimal::ZERO {
            AbcClass::C
        } else if above < a * total {
            AbcClass::A
        } else if above < (a + b) * total {
            AbcClass::B
        } else {
            AbcClass::C
        };
        above += value;
        let has_total = total > Decimal::ZERO;
        out[i] = AbcResult {
            class,
            share: has_total.then(|| value / total),
            cumulative: has_total.then(|| above / total),
            rank: rank + 1,
        };
    }
    out
}

/// The smallest increase `D` of client `index`'s value after which, the others unchanged and
/// the total grown by `D`, the values ranked above it sum to less than `(a + b)` of the total
/// (DOMAIN.md §7 "profit needed to reach B"). The infimum: at exactly `D` the client is on the
/// boundary. `None` for a client with value ≤ 0.
pub fn needed_for_b(values: &[(&str, Decimal)], index: usize, a: Decimal, b: Decimal) -> Option<Decimal> {
    let (id, v) = values[index];
    if v <= Decimal::ZERO {
        return None;
    }
    let ab = a + b;
    if ab <= Decimal::ZERO {
        return None;
    }
    let total: Decimal = values.iter().map(|v| v.1).filter(|v| *v > Decimal::ZERO).sum();
    // The others that rank above the client now, highest first.
    let mut above: Vec<Decimal> = values
        .iter()
        .enumerate()
        .filter(|&(i, (oid, ov))| i != index && (*ov > v || (*ov == v && *oid < id)))
        .map(|(_, (_, ov))| *ov)
        .collect();
    above.sort_by(|x, y| y.cmp(x));
    // With j others still above (j = above.len() down to 0), the sum above is their prefix sum;
    // the condition `S < ab × (T + D)` holds for D > S / ab − T. Climbing past the j-th other
    // needs D ≥ above[j] − v. The answer is the least candidate that is reachable.
    let mut prefix: Vec<Decimal> = Vec::with_capacity(above.len() + 1);
    prefix.push(Decimal::ZERO);
    for o in &above {
        let last = *prefix.last().unwrap_or(&Decimal::ZERO);
        prefix.push(last + *o);
    }
    let mut best: Option<Decimal> = None;
    for j in (0..=above.len()).rev() {
        let climb = if j == above.len() { Decimal::ZERO } else { (above[j] - v).max(Decimal::ZERO) };
        let threshold = (prefix[j] / ab - total).max(Decimal::ZERO);
        let candidate = climb.max(threshold);
        // Reachable within this position: still below the (j−1)-th other.
        let ceiling = if j == 0 { None } else { Some(above[j - 1] - v) };
        if ceiling.is_none_or(|c| candidate <= c) {
            best = Some(best.map_or(candidate, |b: Decimal| b.min(candidate)));
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(n: i64) -> Decimal {
        Decimal::from(n)
    }

    #[test]
    fn boundaries_are_exact_and_ties_go_by_id() {
        // T = 100: before = 0, 50, 75 (= a·T exactly: not A), 95 (= (a+b)·T: not B).
        let values = [("c", d(25)), ("a", d(50)), ("b", d(20)), ("d", d(5)), ("e", d(0)), ("f", d(-3))];
        let classes: Vec<AbcClass> = classify(&values, Decimal::new(75, 2), Decimal::new(20, 2)).iter().map(|r| r.class).collect();
        use AbcClass::*;
        assert_eq!(classes, [A, A, B, C, C, C]);
        // A tie: the smaller id ranks first.
        let tie = [("y", d(50)), ("x", d(50))];
        let r = classify(&tie, Decimal::new(50, 2), Decimal::new(20, 2));
        assert_eq!((r[1].rank, r[1].class, r[0].rank, r[0].class), (1, A, 2, B));
    }

    #[test]
    fn the_top_client_is_always_a() {
        let r = classify(&[("only", d(1))], Decimal::new(1, 2), Decimal::ZERO);
        assert_eq!(r[0].class, AbcClass::A);
        assert_eq!(r[0].share, Some(Decimal::ONE));
    }

    #[test]
    fn needed_for_b_is_the_boundary() {
        let a = Decimal::new(75, 2);
        let b = Decimal::new(20, 2);
        // Others above sum to 96 of T = 100: need 96 < 0.95 × (100 + D) → D > 1.0526…
        let values = [("big", d(96)), ("small", d(4))];
        let need = needed_for_b(&values, 1, a, b).unwrap();
        assert_eq!(need.round_dp(6), Decimal::new(1052632, 6));
        // Just above the infimum the client is B, just below it is C.
        for (delta, class) in [(need + Decimal::new(1, 6), AbcClass::B), (need - Decimal::new(1, 6), AbcClass::C)] {
            let grown = [("big", d(96)), ("small", d(4) + delta)];
            assert_eq!(classify(&grown, a, b)[1].class, class, "delta {delta}");
        }
        // Already B or better: nothing needed.
        assert_eq!(needed_for_b(&values, 0, a, b), Some(Decimal::ZERO));
        // Climbing past others can be the cheaper way.
        let many = [("a", d(40)), ("b", d(30)), ("c", d(29)), ("d", d(1))];
        let need = needed_for_b(&many, 3, a, b).unwrap();
        let grown = [("a", d(40)), ("b", d(30)), ("c", d(29)), ("d", d(1) + need + Decimal::new(1, 9))];
        assert_eq!(classify(&grown, a, b)[3].class, AbcClass::B);
        let short = [("a", d(40)), ("b", d(30)), ("c", d(29)), ("d", d(1) + need - Decimal::new(1, 6))];
        assert_eq!(classify(&short, a, b)[3].class, AbcClass::C);
    }
}
