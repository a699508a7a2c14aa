//! XYZ: stability of revenue (DOMAIN.md §5). Statistics are f64, computed from exact sums.

use std::fmt;

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::core::model::{Settings, XyzMethod};

/// A client's XYZ class.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum XyzClass {
    X,
    Y,
    Z,
}

impl XyzClass {
    pub const ALL: [XyzClass; 3] = [XyzClass::X, XyzClass::Y, XyzClass::Z];
    pub fn as_str(self) -> &'static str {
        match self {
            XyzClass::X => "X",
            XyzClass::Y => "Y",
            XyzClass::Z => "Z",
        }
    }
}

impl fmt::Display for XyzClass {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What XYZ found for one series.
#[derive(Clone, Debug, PartialEq)]
pub struct XyzResult {
    pub class: XyzClass,
    /// Population standard deviation / mean; `None` for an inactive client.
    pub cv: Option<f64>,
    /// Share of periods with revenue > 0.
    pub active_ratio: f64,
    /// Mean ≤ 0 or an empty series.
    pub inactive: bool,
    /// Fewer than 3 periods in the series (and not inactive).
    pub new: bool,
}

/// Population coefficient of variation, from exact sums: `√(nΣx² − (Σx)²) / Σx`.
/// `None` when the mean is not positive.
pub fn cv(values: &[Decimal]) -> Option<f64> {
    let n = Decimal::from(values.len() as u64);
    let sum: Decimal = values.iter().sum();
    if values.is_empty() || sum <= Decimal::ZERO {
        return None;
    }
    let exact = values
        .iter()
        .try_fold(Decimal::ZERO, |acc, x| acc.checked_add(x.checked_mul(*x)?))
        .and_then(|sq| n.checked_mul(sq)?.checked_sub(sum.checked_mul(sum)?));
    let spread = match exact {
        Some(d) => d.max(Decimal::ZERO).to_f64()?.sqrt(),
        None => {
            // Beyond Decimal's range: fall back to floats for the spread only.
            let xs: Vec<f64> = values.iter().filter_map(|x| x.to_f64()).collect();
            let mean = xs.iter().sum::<f64>() / xs.len() as f64;
            (xs.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / xs.len() as f64).sqrt() * xs.len() as f64
        }
    };
    Some(spread / sum.to_f64()?)
}

/// Classifies a client's revenue series (DOMAIN.md §5).
pub fn classify(series: &[Decimal], settings: &Settings) -> XyzResult {
    let positive: Vec<Decimal> = series.iter().copied().filter(|v| *v > Decimal::ZERO).collect();
    let active_ratio = if series.is_empty() { 0.0 } else { positive.len() as f64 / series.len() as f64 };
    let sum: Decimal = series.iter().sum();
    if series.is_empty() || sum <= Decimal::ZERO {
        return XyzResult { class: XyzClass::Z, cv: None, active_ratio, inactive: true, new: false };
    }
    let cv = cv(series);
    if series.len() < 3 {
        return XyzResult { class: XyzClass::Z, cv, active_ratio, inactive: false, new: true };
    }
    let class = match settings.xyz_method {
        XyzMethod::Cv => {
            let c = cv.unwrap_or(f64::INFINITY);
            if c <= settings.x.to_f64().unwrap_or(0.25) {
                XyzClass::X
            } else if c <= settings.y.to_f64().unwrap_or(0.5) {
                XyzClass::Y
            } else {
                XyzClass::Z
            }
        }
        XyzMethod::Pattern => {
            // Syntetos–Boylan–Croston: average demand interval and squared cv of the non-zero demands.
            let adi = series.len() as f64 / positive.len().max(1) as f64;
            let cv2 = self::cv(&positive).map_or(f64::INFINITY, |c| c * c);
            if cv2 >= 0.49 {
                XyzClass::Z
            } else if adi < 1.32 {
                XyzClass::X
            } else {
                XyzClass::Y
            }
        }
    };
    XyzResult { class, cv, active_ratio, inactive: false, new: false }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn series(xs: &[i64]) -> Vec<Decimal> {
        xs.iter().map(|x| Decimal::from(*x)).collect()
    }

    #[test]
    fn classes_by_cv_and_by_pattern() {
        let cv = Settings::default();
        let pattern = Settings { xyz_method: XyzMethod::Pattern, ..Settings::default() };
        let cases: &[(&[i64], &Settings, XyzClass, bool, bool)] = &[
            (&[100, 100, 100, 100], &cv, XyzClass::X, false, false),
            (&[100, 140, 60, 100], &cv, XyzClass::Y, false, false), // cv ≈ 0.283
            (&[0, 0, 300, 0], &cv, XyzClass::Z, false, false),
            (&[100, 100], &cv, XyzClass::Z, false, true),
            (&[0, 0, 0], &cv, XyzClass::Z, true, false),
            (&[50, -50, 0], &cv, XyzClass::Z, true, false),
            (&[], &cv, XyzClass::Z, true, false),
            (&[100, 100, 100, 100], &pattern, XyzClass::X, false, false),
            (&[100, 0, 100, 0, 100, 0], &pattern, XyzClass::Y, false, false),
            (&[10, 0, 500, 0, 30, 0], &pattern, XyzClass::Z, false, false),
        ];
        for (xs, settings, class, inactive, new) in cases {
            let r = classify(&series(xs), settings);
            assert_eq!((r.class, r.inactive, r.new), (*class, *inactive, *new), "{xs:?} {:?}", settings.xyz_method);
            assert_eq!(r.cv.is_none(), *inactive, "cv of {xs:?}");
        }
    }

    #[test]
    fn cv_matches_the_textbook_formula() {
        let c = cv(&series(&[100, 140, 60, 100])).unwrap();
        let expected = (3200.0f64 / 4.0).sqrt() / 100.0;
        assert!((c - expected).abs() < 1e-12, "{c} vs {expected}");
        assert_eq!(cv(&series(&[5, 5, 5])), Some(0.0));
    }
}
