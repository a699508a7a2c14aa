//! Chart geometry: scales, ticks, points, paths and label placement as plain numbers and
//! strings. The UI only draws what this module computes (and formats the tick values for the
//! user's language).

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use crate::core::analysis::profit::period_lines;
use crate::core::analysis::view::{top_by_profit, ClientPeriods};
use crate::core::analysis::{AbcBasis, Analysis, Cell, Verdict};
use crate::core::model::{Portfolio, Settings};

/// A linear map from a data domain onto a pixel range.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scale {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Scale {
    pub fn new(domain: (f64, f64), range: (f64, f64)) -> Scale {
        Scale { domain, range }
    }

    /// The pixel position of a data value (the range's middle for an empty domain).
    pub fn map(&self, x: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return (r0 + r1) / 2.0;
        }
        r0 + (x - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// "Nice" tick values covering `[min, max]` with about `count` ticks: steps of 1, 2 or 5 × 10ⁿ.
/// The first tick is ≤ min and the last ≥ max, so they also give a nice domain.
pub fn nice_ticks(min: f64, max: f64, count: usize) -> Vec<f64> {
    let (min, max) = if min <= max { (min, max) } else { (max, min) };
    if !min.is_finite() || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    if min == max {
        let pad = if min == 0.0 { 1.0 } else { min.abs() * 0.1 };
        return nice_ticks(min - pad, max + pad, count);
    }
    let raw = (max - min) / count.max(1) as f64;
    let magnitude = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * magnitude).find(|s| *s >= raw).unwrap_or(10.0 * magnitude);
    let first = (min / step).floor() as i64;
    let last = (max / step).ceil() as i64;
    (first..=last)
        .map(|i| {
            let v = i as f64 * step;
            // Tidy floating noise (0.30000000000000004 → 0.3).
            let digits = (-step.log10().floor()).max(0.0) as i32 + 1;
            let f = 10f64.powi(digits);
            (v * f).round() / f
        })
        .collect()
}

/// A point in pixels.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Point {
    pub x: f64,
    pub y: f64,
}

/// An SVG path through the points (`M x y L x y …`), one decimal.
pub fn line_path(points: &[Point]) -> String {
    let mut d = String::new();
    for (i, p) in points.iter().enumerate() {
        d.push_str(if i == 0 { "M" } else { " L" });
        d.push_str(&format!("{:.1} {:.1}", p.x, p.y));
    }
    d
}

/// Where to put a text label next to a point so that it stays inside `[0, width]`: on the
/// right of the point unless that would run past the edge.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Anchor {
    Start,
    End,
}

pub fn label_anchor(x: f64, label_width: f64, width: f64) -> Anchor {
    if x + label_width + 6.0 > width { Anchor::End } else { Anchor::Start }
}

/// The drawing area of a chart: the SVG's size and its margins.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Frame {
    pub width: f64,
    pub height: f64,
    pub left: f64,
    pub right: f64,
    pub top: f64,
    pub bottom: f64,
}

impl Frame {
    pub const fn standard() -> Frame {
        Frame { width: 640.0, height: 320.0, left: 84.0, right: 36.0, top: 16.0, bottom: 44.0 }
    }
    pub fn x_range(&self) -> (f64, f64) {
        (self.left, self.width - self.right)
    }
    pub fn y_range(&self) -> (f64, f64) {
        (self.height - self.bottom, self.top)
    }
}

fn f(d: Decimal) -> f64 {
    d.to_f64().unwrap_or(0.0)
}

/// The smallest and largest of `values`, widened to take in `start` (the same value on both
/// sides: 0 to keep a zero baseline in view, 100 for the whale curve's top).
pub fn bounds(values: impl IntoIterator<Item = f64>, start: (f64, f64)) -> (f64, f64) {
    values.into_iter().fold(start, |(lo, hi), v| (lo.min(v), hi.max(v)))
}

/// The most marks (dots, bars) a chart draws, and rows its data table lists; beyond that a
/// chart shows an even selection that keeps the extremes, and the full list is in the exports.
/// Each mark is a stop on the keyboard's way through the page and two elements in it: a few
/// dozen read better than hundreds, and keep a page of three charts light (every client of
/// the 78-client sample is still drawn).
pub const MAX_MARKS: usize = 80;

/// The most points a line is drawn through (a few per pixel of the chart's width).
const PATH_POINTS: usize = 2_000;

/// Up to `max` of the indices `0..n`, evenly spread, always with the first and the last.
pub fn spread(n: usize, max: usize) -> Vec<usize> {
    match max {
        _ if n <= max => (0..n).collect(),
        0 => Vec::new(),
        1 => vec![0],
        _ => {
            let step = (n - 1) as f64 / (max - 1) as f64;
            let mut out: Vec<usize> = (0..max).map(|k| (k as f64 * step).round() as usize).collect();
            out.dedup();
            out
        }
    }
}

/// A bar in pixels: left edge, width, top edge and height.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Bar {
    pub x: f64,
    pub width: f64,
    pub y: f64,
    pub height: f64,
}

/// A client's dot in a scatter plot.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Dot {
    /// Index into `Analysis::clients`.
    pub client: usize,
    pub x: f64,
    pub y: f64,
    pub verdict: Verdict,
}

/// The whale curve (Kaplan): clients ranked by profit, cumulative profit as % of the total.
#[derive(Clone, Debug, PartialEq)]
pub struct WhaleChart {
    pub frame: Frame,
    /// (share of clients %, cumulative profit %) per client, in rank order.
    pub values: Vec<(f64, f64)>,
    pub points: Vec<Point>,
    pub path: String,
    /// Index of the peak in `values`.
    pub peak: usize,
    /// The indices of `values` drawn as marks and listed in the data table: all of them up to
    /// [`MAX_MARKS`], else an even selection with the peak.
    pub marks: Vec<usize>,
    pub y_ticks: Vec<f64>,
    pub x_ticks: Vec<f64>,
    pub y: Scale,
    pub x: Scale,
    /// y pixel of the 100% line.
    pub hundred: f64,
    pub peak_anchor: Anchor,
}

/// The whale curve of an analysis; `None` when total profit is not positive.
pub fn whale(analysis: &Analysis) -> Option<WhaleChart> {
    let n = analysis.whale.len();
    if n == 0 {
        return None;
    }
    let frame = Frame::standard();
    let values: Vec<(f64, f64)> =
        analysis.whale.iter().map(|w| (w.clients as f64 / n as f64 * 100.0, f(w.cumulative) * 100.0)).collect();
    let (bottom, top) = bounds(values.iter().map(|v| v.1), (0.0, 100.0));
    let y_ticks = nice_ticks(bottom, top, 5);
    let y = Scale::new((y_ticks[0], *y_ticks.last().unwrap_or(&100.0)), frame.y_range());
    let x = Scale::new((0.0, 100.0), frame.x_range());
    let points: Vec<Point> = std::iter::once(Point { x: x.map(0.0), y: y.map(0.0) })
        .chain(values.iter().map(|(cx, cy)| Point { x: x.map(*cx), y: y.map(*cy) }))
        .collect();
    let peak = values.iter().enumerate().max_by(|a, b| a.1 .1.total_cmp(&b.1 .1).then(b.0.cmp(&a.0))).map_or(0, |(i, _)| i);
    let peak_anchor = label_anchor(points[peak + 1].x, 220.0, frame.width - frame.right);
    let with_peak = |mut v: Vec<usize>| {
        if let Err(at) = v.binary_search(&peak) {
            v.insert(at, peak);
        }
        v
    };
    // The line keeps its shape with a few points per pixel of width.
    let drawn: Vec<Point> = std::iter::once(points[0]).chain(with_peak(spread(n, PATH_POINTS)).into_iter().map(|i| points[i + 1])).collect();
    Some(WhaleChart {
        frame,
        path: line_path(&drawn),
        values,
        points: points[1..].to_vec(),
        peak,
        marks: with_peak(spread(n, MAX_MARKS)),
        x_ticks: nice_ticks(0.0, 100.0, 5),
        y_ticks,
        hundred: y.map(100.0),
        y,
        x,
        peak_anchor,
    })
}

/// The Pareto (ABC) curve of the ABC basis: positive values ranked, bars for each client's
/// share and the cumulative share, with the a and a + b cut-offs.
#[derive(Clone, Debug, PartialEq)]
pub struct ParetoChart {
    pub frame: Frame,
    /// Client index (into `Analysis::clients`) per bar, in rank order: the first
    /// [`MAX_MARKS`] clients of the ranking (the rest are in the line and the bands).
    pub clients: Vec<usize>,
    /// How many clients the curve ranks.
    pub total: usize,
    /// One bar per client, for the first [`MAX_MARKS`] clients.
    pub bars: Vec<Bar>,
    /// The cumulative share line, through at most `PATH_POINTS` clients evenly spread.
    pub cumulative: Vec<Point>,
    pub path: String,
    /// y pixels of the a and a + b lines.
    pub cut_a: f64,
    pub cut_ab: f64,
    /// The a and a + b cut-offs themselves, as fractions (for their labels).
    pub a: Decimal,
    pub ab: Decimal,
    /// Pixel spans along x of the A, B and C bands.
    pub bands: [(f64, f64); 3],
    pub y_ticks: Vec<f64>,
    pub y: Scale,
}

pub fn pareto(analysis: &Analysis, settings: &Settings) -> Option<ParetoChart> {
    let basis = |i: usize| {
        let c = &analysis.clients[i];
        match settings.abc_basis {
            AbcBasis::Profit => c.now.profit,
            AbcBasis::Revenue => c.now.revenue,
        }
    };
    // By ABC rank, which is each client's own (1 to the number of clients): placed, not sorted.
    let n = analysis.clients.len();
    let mut at_rank: Vec<Option<usize>> = vec![None; n + 1];
    for i in (0..n).filter(|&i| basis(i) > Decimal::ZERO) {
        at_rank[analysis.clients[i].abc.rank.min(n)] = Some(i);
    }
    let mut ranked: Vec<usize> = at_rank.into_iter().flatten().collect();
    if ranked.is_empty() {
        return None;
    }
    let frame = Frame::standard();
    let y = Scale::new((0.0, 100.0), frame.y_range());
    let (x0, x1) = frame.x_range();
    let w = (x1 - x0) / ranked.len() as f64;
    let mut bars = Vec::with_capacity(ranked.len().min(MAX_MARKS));
    let mut bands = [(x0, x0); 3];
    for (k, &i) in ranked.iter().enumerate() {
        let c = &analysis.clients[i];
        let left = x0 + k as f64 * w;
        if k < MAX_MARKS {
            let share = f(c.abc.share.unwrap_or_default()) * 100.0;
            bars.push(Bar { x: left, width: (w * 0.8).max(0.5), y: y.map(share), height: y.map(0.0) - y.map(share) });
        }
        let band = &mut bands[c.cell.abc as usize];
        if band.0 == band.1 {
            band.0 = left;
        }
        band.1 = left + w;
    }
    // The cumulative line through at most PATH_POINTS of the clients (converting only those).
    let cumulative: Vec<Point> = spread(ranked.len(), PATH_POINTS)
        .into_iter()
        .map(|k| {
            let cum = f(analysis.clients[ranked[k]].abc.cumulative.unwrap_or_default()) * 100.0;
            Point { x: x0 + k as f64 * w + w / 2.0, y: y.map(cum) }
        })
        .collect();

    let total = ranked.len();
    ranked.truncate(MAX_MARKS);
    Some(ParetoChart {
        frame,
        path: line_path(&cumulative),
        clients: ranked,
        total,
        bars,
        cumulative,
        cut_a: y.map(f(settings.a) * 100.0),
        cut_ab: y.map(f(settings.a + settings.b) * 100.0),
        a: settings.a,
        ab: settings.a + settings.b,
        bands,
        y_ticks: nice_ticks(0.0, 100.0, 5),
        y,
    })
}

/// One cell of the matrix heat map: its count, profit and colour level from −1 (largest loss)
/// to 1 (largest profit).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct HeatCell {
    pub cell: Cell,
    pub count: usize,
    pub profit: Decimal,
    pub level: f64,
}

/// The heat map of the current window and, when the data reaches back, the previous one.
pub fn heat_map(analysis: &Analysis) -> (Vec<HeatCell>, Option<Vec<HeatCell>>) {
    let (now, prev, prev_data) = (analysis.cells.now, analysis.cells.previous, analysis.cells.previous_data);
    let cells = |totals: &[(usize, Decimal); 9]| {
        let (_, max) = bounds(totals.iter().map(|t| f(t.1).abs()), (0.0, 0.0));
        Cell::all()
            .iter()
            .map(|c| {
                let (count, profit) = totals[c.index()];
                HeatCell { cell: *c, count, profit, level: if max > 0.0 { f(profit) / max } else { 0.0 } }
            })
            .collect::<Vec<_>>()
    };
    (cells(&now), prev_data.then(|| cells(&prev)))
}

/// Horizontal bars for shares, scaled so the largest share and the limit line both fit.
#[derive(Clone, Debug, PartialEq)]
pub struct ShareBars {
    /// Each bar's length as a fraction of the track.
    pub lengths: Vec<f64>,
    /// The limit line's position as a fraction of the track.
    pub limit: f64,
}

/// The concentration chart: the ten most profitable clients' profit shares against the
/// max-share line.
#[derive(Clone, Debug, PartialEq)]
pub struct Concentration {
    /// Client indices, most profitable first.
    pub clients: Vec<usize>,
    pub bars: ShareBars,
}

/// How many clients the concentration chart shows.
pub const CONCENTRATION_TOP: usize = 10;

pub fn concentration(analysis: &Analysis, settings: &Settings) -> Concentration {
    let clients = top_by_profit(analysis, CONCENTRATION_TOP);
    let shares: Vec<Decimal> = clients.iter().map(|&i| analysis.clients[i].profit_share).collect();
    Concentration { bars: share_bars(&shares, settings.max_share), clients }
}

pub fn share_bars(shares: &[Decimal], limit: Decimal) -> ShareBars {
    let top = shares.iter().copied().fold(limit, Decimal::max);
    let scale = f(top).max(0.0001) * 1.1;
    ShareBars { lengths: shares.iter().map(|s| (f(*s) / scale).clamp(0.0, 1.0)).collect(), limit: f(limit) / scale }
}

/// A sparkline: points of one or two series in a small box, sharing one y scale.
#[derive(Clone, Debug, PartialEq)]
pub struct Sparkline {
    pub paths: Vec<String>,
    /// y pixel of zero (for a baseline when values go negative).
    pub zero: f64,
}

pub fn sparkline(series: &[&[Decimal]], width: f64, height: f64) -> Sparkline {
    let (lo, hi) = bounds(series.iter().flat_map(|s| s.iter()).map(|d| f(*d)), (0.0, 0.0));
    let y = Scale::new((lo, if hi == lo { lo + 1.0 } else { hi }), (height - 1.0, 1.0));
    let paths = series
        .iter()
        .map(|s| {
            let x = Scale::new((0.0, (s.len().max(2) - 1) as f64), (1.0, width - 1.0));
            line_path(&s.iter().enumerate().map(|(i, v)| Point { x: x.map(i as f64), y: y.map(f(*v)) }).collect::<Vec<_>>())
        })
        .collect();
    Sparkline { paths, zero: y.map(0.0) }
}

/// The size of a table sparkline, in pixels.
pub const SPARK_WIDTH: f64 = 80.0;
pub const SPARK_HEIGHT: f64 = 20.0;

/// The sparklines of revenue and profit per period of the window of the clients at `rows`
/// (indices into `Analysis::clients`), in that order; empty lines when there is no window.
pub fn sparklines(portfolio: &Portfolio, analysis: &Analysis, rows: &[usize]) -> Vec<Sparkline> {
    rows.iter()
        .map(|&i| {
            let c = &analysis.clients[i];
            let lines = match (portfolio.clients.get(&c.id), analysis.window) {
                (Some(client), Some(w)) => period_lines(client, portfolio.records.get(&c.id), &portfolio.settings, w),
                _ => Vec::new(),
            };
            let revenue: Vec<Decimal> = lines.iter().map(|l| l.revenue).collect();
            let profit: Vec<Decimal> = lines.iter().map(|l| l.profit).collect();
            sparkline(&[&revenue, &profit], SPARK_WIDTH, SPARK_HEIGHT)
        })
        .collect()
}

/// A per-period chart of revenue and profit over the previous window and the window.
#[derive(Clone, Debug, PartialEq)]
pub struct PeriodChart {
    pub frame: Frame,
    pub revenue: Vec<Point>,
    pub profit: Vec<Point>,
    pub revenue_path: String,
    pub profit_path: String,
    /// x pixels where the window starts (the previous window is to its left).
    pub window_start: f64,
    pub y_ticks: Vec<f64>,
    pub y: Scale,
    pub x: Scale,
}

/// The per-period chart of a client over both windows, the previous one shaded.
pub fn client_periods(periods: &ClientPeriods) -> PeriodChart {
    let revenue: Vec<_> = periods.all().map(|l| l.revenue).collect();
    let profit: Vec<_> = periods.all().map(|l| l.profit).collect();
    period_chart(&revenue, &profit, periods.previous.len())
}

pub fn period_chart(revenue: &[Decimal], profit: &[Decimal], previous_len: usize) -> PeriodChart {
    let frame = Frame::standard();
    let (lo, hi) = bounds(revenue.iter().chain(profit).map(|d| f(*d)), (0.0, 0.0));
    let y_ticks = nice_ticks(lo, hi, 5);
    let y = Scale::new((y_ticks[0], *y_ticks.last().unwrap_or(&1.0)), frame.y_range());
    let n = revenue.len().max(1);
    let x = Scale::new((-0.5, n as f64 - 0.5), frame.x_range());
    let pts = |s: &[Decimal]| s.iter().enumerate().map(|(i, v)| Point { x: x.map(i as f64), y: y.map(f(*v)) }).collect::<Vec<_>>();
    let (revenue, profit) = (pts(revenue), pts(profit));
    PeriodChart {
        frame,
        revenue_path: line_path(&revenue),
        profit_path: line_path(&profit),
        revenue,
        profit,
        window_start: x.map(previous_len as f64 - 0.5),
        y_ticks,
        y,
        x,
    }
}

/// Profit against cost to serve, one dot per client.
#[derive(Clone, Debug, PartialEq)]
pub struct Scatter {
    pub frame: Frame,
    /// Every client up to [`MAX_MARKS`]; beyond that an even selection along the profit
    /// ranking, with the most and the least profitable (the axes still span everyone).
    pub dots: Vec<Dot>,
    /// How many clients there are.
    pub total: usize,
    pub x_ticks: Vec<f64>,
    pub y_ticks: Vec<f64>,
    pub x: Scale,
    pub y: Scale,
    /// y pixel of zero profit.
    pub zero: f64,
}

pub fn scatter(analysis: &Analysis) -> Scatter {
    let frame = Frame::standard();
    // The extremes found exactly, then converted: two conversions, not one per client.
    let extremes = |value: fn(&crate::core::analysis::ClientAnalysis) -> Decimal| {
        let (lo, hi) = analysis.clients.iter().map(value).fold((Decimal::ZERO, Decimal::ZERO), |(lo, hi), v| (lo.min(v), hi.max(v)));
        (f(lo), f(hi))
    };
    let (x_lo, x_hi) = extremes(|c| c.now.cost_to_serve);
    let (y_lo, y_hi) = extremes(|c| c.now.profit);
    let x_ticks = nice_ticks(x_lo, x_hi, 5);
    let y_ticks = nice_ticks(y_lo, y_hi, 5);
    let x = Scale::new((x_ticks[0], *x_ticks.last().unwrap_or(&1.0)), frame.x_range());
    let y = Scale::new((y_ticks[0], *y_ticks.last().unwrap_or(&1.0)), frame.y_range());
    let n = analysis.clients.len();
    let chosen: Vec<usize> = if n <= MAX_MARKS {
        (0..n).collect()
    } else {
        let mut picked: Vec<usize> = spread(n, MAX_MARKS).into_iter().map(|k| analysis.profit_order[k]).collect();
        crate::core::order::sort_short(&mut picked);
        picked
    };
    let dots = chosen
        .into_iter()
        .map(|i| {
            let c = &analysis.clients[i];
            Dot { client: i, x: x.map(f(c.now.cost_to_serve)), y: y.map(f(c.now.profit)), verdict: c.decision.verdict }
        })
        .collect();
    Scatter { frame, dots, total: n, zero: y.map(0.0), x_ticks, y_ticks, x, y }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_spread_keeps_both_ends_and_an_even_step() {
        // (n, max, expected)
        let cases: &[(usize, usize, &[usize])] = &[
            (0, 5, &[]),
            (3, 5, &[0, 1, 2]),
            (10, 1, &[0]),
            (10, 0, &[]),
            (9, 5, &[0, 2, 4, 6, 8]),
            (10, 4, &[0, 3, 6, 9]),
        ];
        for (n, max, want) in cases {
            assert_eq!(spread(*n, *max), want.to_vec(), "spread({n}, {max})");
        }
        let big = spread(100_000, MAX_MARKS);
        assert_eq!((big.len(), big[0], *big.last().unwrap()), (MAX_MARKS, 0, 99_999));
    }

    #[test]
    fn charts_of_a_large_portfolio_draw_a_bounded_number_of_marks() {
        let p = crate::core::generate::portfolio(3, crate::core::generate::Shape { clients: 5_000, periods: 12, every_field: false, density: 90 });
        let a = crate::core::analysis::analyze(&p);
        let w = whale(&a).unwrap();
        assert!(w.marks.len() <= MAX_MARKS + 1 && w.marks.contains(&w.peak));
        assert!(w.path.matches('L').count() <= PATH_POINTS + 1);
        let pr = pareto(&a, &p.settings).unwrap();
        assert_eq!((pr.bars.len(), pr.clients.len()), (MAX_MARKS, MAX_MARKS));
        assert!(pr.total > MAX_MARKS);
        let ranks: Vec<usize> = pr.clients.iter().map(|&i| a.clients[i].abc.rank).collect();
        assert_eq!(ranks, (1..=MAX_MARKS).collect::<Vec<_>>(), "the bars in ABC rank order, from the first");
        let s = scatter(&a);
        assert_eq!((s.dots.len(), s.total), (MAX_MARKS, 5_000));
        let profits: Vec<_> = s.dots.iter().map(|d| a.clients[d.client].now.profit).collect();
        let all_max = a.clients.iter().map(|c| c.now.profit).max().unwrap();
        let all_min = a.clients.iter().map(|c| c.now.profit).min().unwrap();
        assert!(profits.contains(&all_max) && profits.contains(&all_min), "the extremes are drawn");
    }

    #[test]
    fn nice_ticks_cover_the_range_in_round_steps() {
        let cases: &[(f64, f64, usize, &[f64])] = &[
            (0.0, 100.0, 5, &[0.0, 20.0, 40.0, 60.0, 80.0, 100.0]),
            (0.0, 128.4, 5, &[0.0, 50.0, 100.0, 150.0]),
            (-64_030.0, 711_093.0, 5, &[-200_000.0, 0.0, 200_000.0, 400_000.0, 600_000.0, 800_000.0]),
            (0.0, 0.3, 3, &[0.0, 0.1, 0.2, 0.3]),
            (5.0, 5.0, 4, &[4.5, 5.0, 5.5]),
            (0.0, 0.0, 4, &[-1.0, -0.5, 0.0, 0.5, 1.0]),
        ];
        for (lo, hi, n, want) in cases {
            assert_eq!(nice_ticks(*lo, *hi, *n), want.to_vec(), "ticks({lo}, {hi}, {n})");
        }
    }

    #[test]
    fn scales_map_and_paths_draw() {
        let s = Scale::new((0.0, 100.0), (300.0, 20.0));
        assert_eq!(s.map(0.0), 300.0);
        assert_eq!(s.map(100.0), 20.0);
        assert_eq!(s.map(50.0), 160.0);
        assert_eq!(Scale::new((3.0, 3.0), (0.0, 10.0)).map(3.0), 5.0);
        assert_eq!(line_path(&[Point { x: 1.0, y: 2.0 }, Point { x: 3.25, y: 4.0 }]), "M1.0 2.0 L3.2 4.0");
        assert_eq!(label_anchor(100.0, 50.0, 640.0), Anchor::Start);
        assert_eq!(label_anchor(600.0, 50.0, 640.0), Anchor::End);
    }

    #[test]
    fn charts_of_the_sample() {
        let p = crate::core::demo::portfolio("demo").unwrap();
        let a = crate::core::analysis::analyze(&p);
        let w = whale(&a).unwrap();
        assert_eq!(w.values.len(), 78);
        // The curve ends at 100% and peaks above it before the loss-makers.
        assert!((w.values.last().unwrap().1 - 100.0).abs() < 1e-9);
        let (share, peak) = w.values[w.peak];
        assert!(peak > 100.0, "peak {peak}");
        assert_eq!(w.peak + 1, a.clients.iter().filter(|c| c.now.profit > Decimal::ZERO).count());
        assert!((share - (w.peak + 1) as f64 / 78.0 * 100.0).abs() < 1e-9);
        assert!(w.hundred > w.points[w.peak].y, "the peak is drawn above the 100% line");

        assert_eq!(w.marks, (0..78).collect::<Vec<_>>(), "the sample is small enough for a mark per client");
        let pr = pareto(&a, &p.settings).unwrap();
        assert_eq!(pr.bars.len(), a.clients.iter().filter(|c| c.now.profit > Decimal::ZERO).count());
        assert!(pr.cut_ab < pr.cut_a, "a + b is higher up than a");
        assert!(pr.bands[0].1 <= pr.bands[1].0 + 1e-9 && pr.bands[1].1 <= pr.bands[2].0 + 1e-9, "bands in A, B, C order");

        let (now, prev) = heat_map(&a);
        assert_eq!(now.iter().map(|c| c.count).sum::<usize>(), 78);
        assert_eq!(now.iter().map(|c| c.level.abs()).fold(0.0, f64::max), 1.0);
        assert_eq!(prev.unwrap().iter().map(|c| c.count).sum::<usize>(), 78);

        let bars = share_bars(&[Decimal::new(3685, 4), Decimal::new(45, 3)], Decimal::new(30, 2));
        assert!((bars.lengths[0] - 1.0 / 1.1).abs() < 1e-9);
        assert!(bars.limit < bars.lengths[0]);

        let s = scatter(&a);
        assert_eq!(s.dots.len(), 78);
        assert!(s.dots.iter().all(|d| d.x >= s.frame.left - 1e-9 && d.x <= s.frame.width - s.frame.right + 1e-9));

        let c = period_chart(&[Decimal::from(10), Decimal::from(20), Decimal::from(30)], &[Decimal::from(-5), Decimal::from(5), Decimal::from(10)], 1);
        assert_eq!(c.revenue.len(), 3);
        assert!(c.window_start > c.revenue[0].x && c.window_start < c.revenue[1].x);
        let sp = sparkline(&[&[Decimal::from(1), Decimal::from(3)], &[Decimal::from(-1), Decimal::from(2)]], 60.0, 16.0);
        assert_eq!(sp.paths.len(), 2);
        // One scale for both: −1…3 onto 15…1, so 1 sits at 8.
        assert_eq!(sp.paths[0], "M1.0 8.0 L59.0 1.0");
    }
}
