//! An [`Analysis`] as bytes ([`crate::core::wire`]), to hand it from the worker that worked it
//! out to the page, and read back there a part at a time ([`Reading`]): reading 100,000
//! clients' results is far less work than the analysis, but still more than a frame.
//!
//! The layout, in parts ([`Analysis::to_parts`]): the head, a version byte, the two windows
//! and the client count; each client's result (its fields in the order [`ClientAnalysis`]
//! declares them), so many a part; the tail, the scores, the profit order, the profits, the
//! cell totals, the concentration, the whale curve, the transitions and the two totals.

use rust_decimal::Decimal;

use super::health::{Concentration, HhiBand, SourTerms, WhalePoint};
use super::{abc, xyz, AbcClass, Analysis, Cell, CellTotals, ClientAnalysis, Decision, Fact, Figures, Flags, Span, Verdict, XyzClass};
use crate::core::model::Shared;
use crate::core::wire::{Reader, Writer};

const VERSION: u8 = 1;

const BANDS: [HhiBand; 3] = [HhiBand::Unconcentrated, HhiBand::Moderate, HhiBand::High];

impl Analysis {
    /// The analysis as bytes in parts: the head (the windows and the client count), the
    /// clients `per` a part, and the tail (the rest). A part is read whole by the page, so that
    /// none of them is large: copying 100 MB into the page's memory at once holds it up.
    pub fn to_parts(&self, per: usize) -> Vec<Vec<u8>> {
        let mut head = Writer::default();
        head.byte(VERSION);
        for span in [self.window, self.previous_window] {
            head.maybe(span, |w, s| {
                w.period(s.start);
                w.period(s.end);
            });
        }
        head.len(self.clients.len());
        let mut parts = vec![head.bytes];
        for clients in self.clients.chunks(per.max(1)) {
            let mut w = Writer::default();
            for c in clients {
                put_client(&mut w, c);
            }
            parts.push(w.bytes);
        }
        let mut w = Writer::default();
        for &score in &self.scores {
            w.f64(score);
        }
        for &i in &self.profit_order {
            w.len(i);
        }
        for &p in &self.profits {
            w.decimal(p);
        }
        for totals in [&self.cells.now, &self.cells.previous] {
            for &(count, profit) in totals {
                w.len(count);
                w.decimal(profit);
            }
        }
        w.flags(&[self.cells.previous_data]);
        let c = &self.concentration;
        for d in [c.positive_profit, c.positive_revenue, c.top1, c.top5] {
            w.decimal(d);
        }
        w.f64(c.hhi);
        w.maybe(c.effective_clients, Writer::f64);
        w.choice(&BANDS, &c.band);
        w.len(self.whale.len());
        for point in &self.whale {
            w.len(point.clients);
            w.decimal(point.cumulative);
        }
        for &n in self.transitions.iter().flatten() {
            w.len(n as usize);
        }
        w.decimal(self.total_revenue);
        w.decimal(self.total_profit);
        parts.push(w.bytes);
        parts
    }

    /// The analysis [`Analysis::to_parts`] wrote, in one go; `None` for parts it did not write.
    pub fn from_parts<B: AsRef<[u8]>>(parts: &[B]) -> Option<Analysis> {
        let (head, rest) = parts.split_first()?;
        let (tail, clients) = rest.split_last()?;
        let mut reading = Reading::new(head.as_ref())?;
        for part in clients {
            reading.read(part.as_ref())?;
        }
        reading.finish(tail.as_ref())
    }
}

/// An analysis read back from the parts [`Analysis::to_parts`] wrote, a part at a time: the
/// head, each part of the clients in turn, the tail. Every step is `None` where the bytes are
/// not what it wrote (cut short, another version, an index out of range, bytes left over).
pub struct Reading {
    windows: [Option<Span>; 2],
    count: usize,
    clients: Vec<ClientAnalysis>,
}

impl Reading {
    pub fn new(head: &[u8]) -> Option<Reading> {
        let mut r = Reader { bytes: head };
        if r.byte()? != VERSION {
            return None;
        }
        let mut windows = [None, None];
        for window in &mut windows {
            *window = r.maybe(|r| Some(Span { start: r.period()?, end: r.period()? }))?;
        }
        let count = r.len()?;
        // A count no bytes could hold is not reserved for.
        r.bytes.is_empty().then(|| Reading { windows, count, clients: Vec::with_capacity(count.min(1 << 20)) })
    }

    /// Reads a part of the clients, whole.
    pub fn read(&mut self, part: &[u8]) -> Option<()> {
        let mut r = Reader { bytes: part };
        while !r.bytes.is_empty() && self.clients.len() < self.count {
            self.clients.push(client(&mut r)?);
        }
        r.bytes.is_empty().then_some(())
    }

    /// Clients read, of all.
    pub fn progress(&self) -> (usize, usize) {
        (self.clients.len(), self.count)
    }

    /// The analysis, once every client is read, with the tail.
    pub fn finish(self, tail: &[u8]) -> Option<Analysis> {
        if self.clients.len() != self.count {
            return None;
        }
        let n = self.count;
        let mut r = Reader { bytes: tail };
        let scores = r.list(n, Reader::f64)?;
        let profit_order = r.list(n, |r| r.len().filter(|&i| i < n))?;
        let profits = r.list(n, Reader::decimal)?;
        let mut cells = CellTotals::default();
        for totals in [&mut cells.now, &mut cells.previous] {
            for t in totals.iter_mut() {
                *t = (r.len()?, r.decimal()?);
            }
        }
        [cells.previous_data] = r.flags()?;
        let concentration = Concentration {
            positive_profit: r.decimal()?,
            positive_revenue: r.decimal()?,
            top1: r.decimal()?,
            top5: r.decimal()?,
            hhi: r.f64()?,
            effective_clients: r.maybe(Reader::f64)?,
            band: r.choice(&BANDS)?,
        };
        let n = r.len()?;
        let whale = r.list(n, |r| Some(WhalePoint { clients: r.len()?, cumulative: r.decimal()? }))?;
        let mut transitions = [[0u32; 9]; 9];
        for n in transitions.iter_mut().flatten() {
            *n = u32::try_from(r.len()?).ok()?;
        }
        let (total_revenue, total_profit) = (r.decimal()?, r.decimal()?);
        let [window, previous_window] = self.windows;
        r.bytes.is_empty().then(|| Analysis {
            window,
            previous_window,
            clients: Shared::new(self.clients),
            scores,
            profit_order,
            profits,
            cells,
            concentration,
            whale,
            transitions,
            total_revenue,
            total_profit,
        })
    }
}

fn put_client(w: &mut Writer, c: &ClientAnalysis) {
    w.text(&c.id);
    w.text(&c.name);
    put_figures(w, &c.now);
    put_figures(w, &c.previous);
    w.choice(&AbcClass::ALL, &c.abc.class);
    w.maybe(c.abc.share, Writer::decimal);
    w.maybe(c.abc.cumulative, Writer::decimal);
    w.len(c.abc.rank);
    w.choice(&XyzClass::ALL, &c.xyz.class);
    w.maybe(c.xyz.cv, Writer::f64);
    w.f64(c.xyz.active_ratio);
    w.flags(&[c.xyz.inactive, c.xyz.new]);
    w.choice(&Cell::all(), &c.cell);
    w.choice(&Cell::all(), &c.previous_cell);
    let f = c.flags;
    w.flags(&[f.loss, f.no_revenue, f.new, f.inactive, f.concentration, f.slid, f.ageing]);
    for d in [c.profit_share, c.revenue_share, c.referral_value] {
        w.decimal(d);
    }
    put_texts(w, &c.referrals);
    w.maybe(c.sour_terms, put_terms);
    w.maybe(c.needed_for_b, Writer::decimal);
    for &f in &c.factors {
        w.f64(f);
    }
    w.choice(&Verdict::ALL, &c.decision.verdict);
    w.byte(c.decision.rule);
    w.len(c.decision.facts.len());
    for fact in &c.decision.facts {
        put_fact(w, fact);
    }
}

fn client(r: &mut Reader) -> Option<ClientAnalysis> {
    let (id, name) = (r.text()?, r.text()?);
    let (now, previous) = (figures(r)?, figures(r)?);
    let abc = abc::AbcResult { class: r.choice(&AbcClass::ALL)?, share: r.maybe(Reader::decimal)?, cumulative: r.maybe(Reader::decimal)?, rank: r.len()? };
    let (class, cv, active_ratio, [inactive, new]) = (r.choice(&XyzClass::ALL)?, r.maybe(Reader::f64)?, r.f64()?, r.flags()?);
    let xyz = xyz::XyzResult { class, cv, active_ratio, inactive, new };
    let (cell, previous_cell) = (r.choice(&Cell::all())?, r.choice(&Cell::all())?);
    let [loss, no_revenue, new, inactive, concentration, slid, ageing] = r.flags()?;
    let flags = Flags { loss, no_revenue, new, inactive, concentration, slid, ageing };
    let (profit_share, revenue_share, referral_value) = (r.decimal()?, r.decimal()?, r.decimal()?);
    let referrals = texts(r)?;
    let sour_terms = r.maybe(terms)?;
    let needed_for_b = r.maybe(Reader::decimal)?;
    let mut factors = [0.0; 8];
    for f in &mut factors {
        *f = r.f64()?;
    }
    let (verdict, rule) = (r.choice(&Verdict::ALL)?, r.byte()?);
    let n = r.len()?;
    let facts = r.list(n, fact)?;
    let decision = Decision { verdict, rule, facts };
    Some(ClientAnalysis { id, name, now, previous, abc, xyz, cell, previous_cell, flags, profit_share, revenue_share, referral_value, referrals, sour_terms, needed_for_b, factors, decision })
}

fn put_figures(w: &mut Writer, f: &Figures) {
    for d in [f.revenue, f.direct_cost, f.discount, f.cost_to_serve, f.profit, f.service_hours, f.sales_hours] {
        w.decimal(d);
    }
    w.u64(f.tickets);
    for d in [f.written_off, f.late_cost, f.late_weighted, f.positive_revenue, f.revenue_days] {
        w.decimal(d);
    }
    w.len(f.series.len());
    for &d in &f.series {
        w.decimal(d);
    }
}

fn figures(r: &mut Reader) -> Option<Figures> {
    let mut d = [Decimal::ZERO; 7];
    for x in &mut d {
        *x = r.decimal()?;
    }
    let [revenue, direct_cost, discount, cost_to_serve, profit, service_hours, sales_hours] = d;
    let tickets = r.u64()?;
    let mut d = [Decimal::ZERO; 5];
    for x in &mut d {
        *x = r.decimal()?;
    }
    let [written_off, late_cost, late_weighted, positive_revenue, revenue_days] = d;
    let n = r.len()?;
    let series = r.list(n, Reader::decimal)?;
    Some(Figures { revenue, direct_cost, discount, cost_to_serve, profit, service_hours, sales_hours, tickets, written_off, late_cost, late_weighted, positive_revenue, revenue_days, series })
}

fn put_texts(w: &mut Writer, texts: &[String]) {
    w.len(texts.len());
    for t in texts {
        w.text(t);
    }
}

fn texts(r: &mut Reader) -> Option<Vec<String>> {
    let n = r.len()?;
    r.list(n, Reader::text)
}

fn put_terms(w: &mut Writer, t: SourTerms) {
    w.flags(&[t.discounts, t.delays, t.service_load]);
}

fn terms(r: &mut Reader) -> Option<SourTerms> {
    let [discounts, delays, service_load] = r.flags()?;
    Some(SourTerms { discounts, delays, service_load })
}

fn put_fact(w: &mut Writer, fact: &Fact) {
    match fact {
        Fact::Former => w.byte(0),
        Fact::NoRevenue => w.byte(1),
        Fact::ShareOverMax { share, max_share } => {
            w.byte(2);
            w.decimal(*share);
            w.decimal(*max_share);
        }
        Fact::FewPeriods { periods } => {
            w.byte(3);
            w.len(*periods);
        }
        Fact::Slid { from, to } => {
            w.byte(4);
            w.choice(&Cell::all(), from);
            w.choice(&Cell::all(), to);
        }
        Fact::Loss { profit, rise } => {
            w.byte(5);
            w.decimal(*profit);
            w.maybe(*rise, Writer::decimal);
        }
        Fact::ReferralsCoverLoss { referral_value, loss } => {
            w.byte(6);
            w.decimal(*referral_value);
            w.decimal(*loss);
        }
        Fact::Strategic => w.byte(7),
        Fact::NoPotential => w.byte(8),
        Fact::ProfitToReachB { needed, allowance } => {
            w.byte(9);
            w.decimal(*needed);
            w.decimal(*allowance);
        }
        Fact::BeyondPotential { needed, allowance } => {
            w.byte(10);
            w.maybe(*needed, Writer::decimal);
            w.decimal(*allowance);
        }
        Fact::Referrals { referral_value, profit, clients } => {
            w.byte(11);
            w.decimal(*referral_value);
            w.decimal(*profit);
            put_texts(w, clients);
        }
        Fact::SmallContribution { share } => {
            w.byte(12);
            w.maybe(*share, Writer::decimal);
        }
        Fact::Ageing { margin_now, margin_prev, terms } => {
            w.byte(13);
            w.decimal(*margin_now);
            w.decimal(*margin_prev);
            put_terms(w, *terms);
        }
        Fact::InCell { cell } => {
            w.byte(14);
            w.choice(&Cell::all(), cell);
        }
    }
}

fn fact(r: &mut Reader) -> Option<Fact> {
    Some(match r.byte()? {
        0 => Fact::Former,
        1 => Fact::NoRevenue,
        2 => Fact::ShareOverMax { share: r.decimal()?, max_share: r.decimal()? },
        3 => Fact::FewPeriods { periods: r.len()? },
        4 => Fact::Slid { from: r.choice(&Cell::all())?, to: r.choice(&Cell::all())? },
        5 => Fact::Loss { profit: r.decimal()?, rise: r.maybe(Reader::decimal)? },
        6 => Fact::ReferralsCoverLoss { referral_value: r.decimal()?, loss: r.decimal()? },
        7 => Fact::Strategic,
        8 => Fact::NoPotential,
        9 => Fact::ProfitToReachB { needed: r.decimal()?, allowance: r.decimal()? },
        10 => Fact::BeyondPotential { needed: r.maybe(Reader::decimal)?, allowance: r.decimal()? },
        11 => Fact::Referrals { referral_value: r.decimal()?, profit: r.decimal()?, clients: texts(r)? },
        12 => Fact::SmallContribution { share: r.maybe(Reader::decimal)? },
        13 => Fact::Ageing { margin_now: r.decimal()?, margin_prev: r.decimal()?, terms: terms(r)? },
        14 => Fact::InCell { cell: r.choice(&Cell::all())? },
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::analysis::analyze;
    use crate::core::generate::{portfolio, Shape};

    /// The analyses of the demo portfolios and of generated ones (every field, sparse records).
    fn analyses() -> Vec<Analysis> {
        let mut out: Vec<Analysis> = ["sample"].iter().map(|name| analyze(&crate::core::demo::portfolio(name).unwrap())).collect();
        for (seed, every_field, density) in [(3, true, 95), (4, false, 40), (5, true, 10)] {
            out.push(analyze(&portfolio(seed, Shape { clients: 400, periods: 30, every_field, density })));
        }
        out
    }

    #[test]
    fn parts_read_back_as_the_analysis_at_any_part_size() {
        for analysis in analyses() {
            for per in [1, 7, 1000] {
                let parts = analysis.to_parts(per);
                assert_eq!(parts.len(), 2 + analysis.clients.len().div_ceil(per));
                let mut reading = Reading::new(&parts[0]).unwrap();
                for (k, part) in parts[1..parts.len() - 1].iter().enumerate() {
                    reading.read(part).unwrap();
                    assert_eq!(reading.progress().0, analysis.clients.len().min((k + 1) * per));
                }
                assert_eq!(reading.finish(parts.last().unwrap()).as_ref(), Some(&analysis), "{per} a part");
            }
        }
    }

    #[test]
    fn every_kind_of_fact_and_field_is_carried() {
        let all = analyses();
        let facts: std::collections::BTreeSet<u8> = all.iter().flat_map(|a| a.clients.iter().flat_map(|c| c.decision.facts.iter().map(|f| {
            let mut w = Writer::default();
            put_fact(&mut w, f);
            w.bytes[0]
        })).collect::<Vec<_>>()).collect();
        // The round trip above is only as good as the kinds of fact it met.
        assert!(facts.len() >= 10, "facts met: {facts:?}");
        assert!(all.iter().any(|a| a.clients.iter().any(|c| c.sour_terms.is_some() && c.needed_for_b.is_some() || !c.referrals.is_empty())));
        assert!(all.iter().any(|a| a.previous_window.is_some() && a.cells.previous_data));
    }

    #[test]
    fn parts_cut_changed_or_missing_are_not_read() {
        let analysis = analyze(&crate::core::demo::portfolio("sample").unwrap());
        let parts = analysis.to_parts(30);
        let read = |parts: &[Vec<u8>]| Analysis::from_parts(parts);
        assert_eq!(read(&parts).as_ref(), Some(&analysis));
        for k in 0..parts.len() {
            let mut cut = parts.clone();
            let n = cut[k].len();
            cut[k].truncate(n - 1);
            assert_eq!(read(&cut), None, "part {k} cut");
            let mut longer = parts.clone();
            longer[k].push(0);
            assert_eq!(read(&longer), None, "part {k} longer");
            let mut missing = parts.clone();
            missing.remove(k);
            assert_eq!(read(&missing), None, "part {k} missing");
        }
        let mut other = parts.clone();
        other[0][0] = VERSION + 1;
        assert_eq!(read(&other), None);
        // Any one byte changed is refused, or read as what writes those very bytes; never a
        // panic (a fuzz over every position of the head, the first client and a sample of
        // the rest).
        let mut refused = 0;
        for (k, part) in parts.iter().enumerate() {
            for at in (0..part.len()).step_by(part.len() / 100 + 1).chain(0..part.len().min(200)) {
                let mut changed = parts.clone();
                changed[k][at] ^= 0xA5;
                match read(&changed) {
                    Some(read) => assert!(read.to_parts(30) == changed, "part {k}, byte {at}"),
                    None => refused += 1,
                }
            }
        }
        assert!(refused > 100, "{refused} refused");
    }
}
