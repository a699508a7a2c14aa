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
}
