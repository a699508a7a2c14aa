//! Where a comparison of lines on a side changes: what the sweeps of a side share.

/// ⌊a / b⌋.
pub(super) fn floor_div(a: i128, b: i128) -> i128 {
    // Most lines fit in 64 bits, whose division is the machine's own.
    if let (Ok(a), Ok(b)) = (i64::try_from(a), i64::try_from(b)) {
        let q = a / b;
        return (if a % b != 0 && ((a < 0) != (b < 0)) { q - 1 } else { q }) as i128;
    }
    let q = a / b;
    if a % b != 0 && ((a < 0) != (b < 0)) { q - 1 } else { q }
}

/// Whether `α − β·t ≥ τ` holds at `t` = 1, and the first position in 2..=`len` where that
/// changes (a line's comparison changes once at most).
pub(super) fn switch(alpha: i128, beta: i128, tau: i128, len: i64) -> (bool, Option<i64>) {
    let at_one = alpha - beta >= tau;
    if beta == 0 || (alpha - beta * len as i128 >= tau) == at_one {
        return (at_one, None);
    }
    let t = match (beta.signum(), at_one) {
        // Falling: true up to ⌊(α − τ)/β⌋.
        (1, true) => floor_div(alpha - tau, beta) + 1,
        // Rising: true from ⌈(τ − α)/(−β)⌉.
        (-1, false) => -floor_div(alpha - tau, -beta),
        _ => return (at_one, None),
    };
    (at_one, (2..=len as i128).contains(&t).then_some(t as i64))
}

/// The run of positions in 1..=`len` where `c − e·t ≥ 1`, if any (a line is positive on one).
pub(super) fn positive_run((c, e): (i128, i128), len: i64) -> Option<(i64, i64)> {
    let (from, to) = match e.signum() {
        0 if c >= 1 => (1, len as i128),
        1 => (1, floor_div(c - 1, e).min(len as i128)),
        -1 => ((-floor_div(c - 1, -e)).max(1), len as i128),
        _ => return None,
    };
    (from <= to).then_some((from as i64, to as i64))
}

/// The first position in (`t`, `end`] where `f ≥ threshold` differs from `holds`, its truth at
/// `t`, `f` being concave there (its rises never grow).
pub(super) fn first_change(f: impl Fn(i64) -> i128, threshold: i128, holds_at_t: bool, t: i64, end: i64) -> Option<i64> {
    if end <= t {
        return None;
    }
    let holds = |x: i64| f(x) >= threshold;
    // Where it holds is one run of positions: the first out of it after t, or the first in it.
    let (mut lo, mut hi) = if holds_at_t {
        if holds(end) {
            return None;
        }
        (t, end)
    } else {
        // Below it at t, and a concave value rises at most as fast as it does at t.
        let (at_t, rise) = (f(t), f(t + 1) - f(t));
        if at_t.saturating_add(rise.max(0).saturating_mul((end - t) as i128)) < threshold {
            return None;
        }
        // Its top over [t, end]: the first position where it rises no more.
        let (mut lo, mut hi) = (t, end);
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if f(mid + 1) > f(mid) { lo = mid + 1 } else { hi = mid }
        }
        if !holds(lo) {
            return None;
        }
        (t, lo)
    };
    let at_hi = !holds_at_t;
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if holds(mid) == at_hi { hi = mid } else { lo = mid }
    }
    Some(hi)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `α − β·t ≥ τ` at t = 1, and where that changes, against every position.
    #[test]
    fn a_line_comparison_changes_where_every_position_says() {
        let len = 40;
        for alpha in -30i128..=30 {
            for beta in [-7i128, -3, -1, 0, 1, 2, 5] {
                for tau in [0, 1] {
                    let holds = |t: i64| alpha - beta * t as i128 >= tau;
                    let expected = (2..=len).find(|&t| holds(t) != holds(1));
                    assert_eq!(switch(alpha, beta, tau, len), (holds(1), expected), "α {alpha} β {beta} τ {tau}");
                }
            }
        }
    }

    /// A line's positive run, against every position.
    #[test]
    fn a_positive_run_is_where_every_position_says() {
        let len = 30;
        for c in -40i128..=40 {
            for e in [-5i128, -2, -1, 0, 1, 3, 4] {
                let positive: Vec<i64> = (1..=len).filter(|&t| c - e * t as i128 >= 1).collect();
                let expected = positive.first().map(|f| (*f, *positive.last().expect("one at least")));
                assert_eq!(positive_run((c, e), len), expected, "c {c} e {e}");
            }
        }
    }

    /// On concave sequences (a line minus a convex sum of `max(line, 0)`), the first change of
    /// `f ≥ threshold` after any position is the one a walk finds.
    #[test]
    fn the_first_change_of_a_concave_comparison_is_found_by_bisection() {
        let mut rng = crate::core::generate::Rng::new(3);
        for _ in 0..400 {
            let lines: Vec<(i128, i128)> = (0..1 + rng.below(5)).map(|_| (rng.below(200) as i128 - 60, rng.below(21) as i128 - 10)).collect();
            let (c, e) = (rng.below(400) as i128 - 200, rng.below(41) as i128 - 20);
            let f = |t: i64| c - e * t as i128 - 2 * lines.iter().map(|(lc, le)| (lc - le * t as i128).max(0)).sum::<i128>();
            let threshold = rng.below(3) as i128 - 1;
            for t in 1..30 {
                let end = 30;
                let holds = f(t) >= threshold;
                let expected = (t + 1..=end).find(|&x| (f(x) >= threshold) != holds);
                assert_eq!(first_change(f, threshold, holds, t, end), expected, "lines {lines:?} c {c} e {e} from {t}");
            }
        }
    }
}
