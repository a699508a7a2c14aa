//! The data model of DOMAIN.md §1–§2: portfolios, clients, period records and settings.
//!
//! Every value here is already validated: importers build these types only from checked input,
//! so the analysis never has to second-guess them. Money is [`Decimal`] throughout.

use std::collections::BTreeMap;
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::rc::Rc;

use rust_decimal::Decimal;

/// Whether a portfolio is kept by month or by quarter (DOMAIN.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum PeriodKind {
    #[default]
    Month,
    Quarter,
}

impl PeriodKind {
    /// Months in one period of this kind.
    pub fn months(self) -> i32 {
        match self {
            PeriodKind::Month => 1,
            PeriodKind::Quarter => 3,
        }
    }

    /// The period that contains a calendar month (`month` 1–12).
    pub fn period_of(self, year: i32, month: u32) -> Period {
        let month0 = month.clamp(1, 12) as i32 - 1;
        match self {
            PeriodKind::Month => Period(year * 12 + month0),
            PeriodKind::Quarter => Period(year * 4 + month0 / 3),
        }
    }

    /// The month ordinal (year × 12 + month − 1) on which a period starts.
    pub fn first_month(self, period: Period) -> i32 {
        match self {
            PeriodKind::Month => period.0,
            PeriodKind::Quarter => period.0 * 3,
        }
    }

    /// `(year, month)` of the first month of a period.
    pub fn year_month(self, period: Period) -> (i32, u32) {
        let m = self.first_month(period);
        (m.div_euclid(12), (m.rem_euclid(12) + 1) as u32)
    }

    /// The period's canonical label: `2025-01` for months, `2025-Q1` for quarters.
    pub fn label(self, period: Period) -> String {
        let mut out = String::with_capacity(7);
        self.write_label(period, &mut out);
        out
    }

    /// Writes [`PeriodKind::label`] into `out` (for files of millions of rows).
    pub fn write_label(self, period: Period, out: &mut impl fmt::Write) {
        let _ = match self {
            PeriodKind::Month => {
                let (y, m) = self.year_month(period);
                write!(out, "{y:04}-{m:02}")
            }
            PeriodKind::Quarter => write!(out, "{:04}-Q{}", period.0.div_euclid(4), period.0.rem_euclid(4) + 1),
        };
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PeriodKind::Month => "month",
            PeriodKind::Quarter => "quarter",
        }
    }
}

/// One period, as an ordinal in its portfolio's [`PeriodKind`] (months or quarters since year 0).
/// Consecutive periods differ by one.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Period(pub i32);

impl Period {
    pub fn next(self) -> Period {
        Period(self.0 + 1)
    }
    pub fn offset(self, n: i32) -> Period {
        Period(self.0 + n)
    }
}

/// What more could be sold to a client (DOMAIN.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub enum Potential {
    None,
    Low,
    #[default]
    Medium,
    High,
}

impl Potential {
    pub const ALL: [Potential; 4] = [Potential::None, Potential::Low, Potential::Medium, Potential::High];
    pub fn as_str(self) -> &'static str {
        match self {
            Potential::None => "none",
            Potential::Low => "low",
            Potential::Medium => "medium",
            Potential::High => "high",
        }
    }
}

/// Where a relationship stands (DOMAIN.md §1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub enum Status {
    #[default]
    Active,
    Exiting,
    Former,
}

impl Status {
    pub const ALL: [Status; 3] = [Status::Active, Status::Exiting, Status::Former];
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Active => "active",
            Status::Exiting => "exiting",
            Status::Former => "former",
        }
    }
}

/// A client's static attributes (DOMAIN.md §1). Its period records live in [`Portfolio::records`].
#[derive(Clone, Debug, PartialEq)]
pub struct Client {
    pub id: String,
    pub name: String,
    pub start: Option<Period>,
    pub acquisition_cost: Decimal,
    pub referred_by: Option<String>,
    pub icp_fit: u8,
    pub potential: Potential,
    pub strategic: bool,
    pub status: Status,
    pub tags: String,
    pub notes: String,
}

impl Client {
    /// A client known only by its id: every attribute at its default.
    pub fn new(id: impl Into<String>) -> Client {
        let id = id.into();
        Client {
            name: id.clone(),
            id,
            start: None,
            acquisition_cost: Decimal::ZERO,
            referred_by: None,
            icp_fit: 3,
            potential: Potential::Medium,
            strategic: false,
            status: Status::Active,
            tags: String::new(),
            notes: String::new(),
        }
    }
}

/// One client × one period (DOMAIN.md §1). An absent record means all zeros.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct PeriodRecord {
    pub revenue: Decimal,
    pub direct_cost: Decimal,
    pub discount: Decimal,
    pub service_hours: Decimal,
    pub sales_hours: Decimal,
    pub tickets: u32,
    pub days_late: Decimal,
    pub written_off: Decimal,
}

/// How many periods the analysis looks at (DOMAIN.md §3).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WindowLength {
    Last(u32),
    All,
}

/// What ABC ranks by (DOMAIN.md §4).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum AbcBasis {
    #[default]
    Profit,
    Revenue,
}

/// How XYZ judges stability (DOMAIN.md §5).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum XyzMethod {
    #[default]
    Cv,
    Pattern,
}

/// How ambiguous numbers like `1.234` are read (DOMAIN.md §9).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum NumberLocale {
    /// `1,234.56`
    #[default]
    Dot,
    /// `1.234,56` and `1 234,56`
    Comma,
}

/// The eight score weights of DOMAIN.md §7, in the order of the factor table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Weights(pub [Decimal; 8]);

impl Default for Weights {
    fn default() -> Self {
        Weights([30, 15, 15, 10, 10, 10, 5, 5].map(Decimal::from))
    }
}

/// The names of the score factors as used in the settings file, in [`Weights`] order.
pub const FACTOR_KEYS: [&str; 8] =
    ["profitability", "stability", "trend", "cost_to_serve", "payment", "indirect_value", "fit", "potential"];

/// A portfolio's settings (DOMAIN.md §2, §4–§7, §9), validated.
#[derive(Clone, Debug, PartialEq)]
pub struct Settings {
    pub service_rate: Decimal,
    pub sales_rate: Decimal,
    pub ticket_cost: Decimal,
    pub commission: Decimal,
    /// A year, applied as `× days_late / 365`.
    pub capital_rate: Decimal,
    /// Months.
    pub amortisation_periods: u32,
    pub window: WindowLength,
    pub abc_basis: AbcBasis,
    pub a: Decimal,
    pub b: Decimal,
    pub x: Decimal,
    pub y: Decimal,
    pub xyz_method: XyzMethod,
    pub max_share: Decimal,
    pub referral_credit: Decimal,
    pub weights: Weights,
    pub period_kind: PeriodKind,
    pub currency: String,
    pub number_locale: NumberLocale,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            service_rate: Decimal::ZERO,
            sales_rate: Decimal::ZERO,
            ticket_cost: Decimal::ZERO,
            commission: Decimal::ZERO,
            capital_rate: Decimal::ZERO,
            amortisation_periods: 24,
            window: WindowLength::Last(12),
            abc_basis: AbcBasis::Profit,
            a: Decimal::new(75, 2),
            b: Decimal::new(20, 2),
            x: Decimal::new(25, 2),
            y: Decimal::new(50, 2),
            xyz_method: XyzMethod::Cv,
            max_share: Decimal::new(30, 2),
            referral_credit: Decimal::new(50, 2),
            weights: Weights::default(),
            period_kind: PeriodKind::Month,
            currency: "EUR".to_string(),
            number_locale: NumberLocale::Dot,
        }
    }
}

impl Settings {
    /// The classic inventory cut-offs, offered as the "strict" preset (DOMAIN.md §5).
    pub fn strict_xyz() -> (Decimal, Decimal) {
        (Decimal::new(10, 2), Decimal::new(25, 2))
    }

    /// The default analysis settings for this portfolio: everything back to its default
    /// except what describes the data itself (currency, period kind, number locale).
    pub fn reset(&self) -> Settings {
        Settings {
            currency: self.currency.clone(),
            period_kind: self.period_kind,
            number_locale: self.number_locale,
            ..Settings::default()
        }
    }
}

/// A part of a portfolio shared between its versions until one of them changes it
/// (copy-on-write). A change of settings or of one plan makes a new version of a portfolio of
/// 100,000 clients without copying them, and two versions that share a part are known to be
/// equal there without comparing it (what storage uses to skip encoding it again).
#[derive(Default)]
pub struct Shared<T>(Rc<T>);

impl<T> Shared<T> {
    pub fn new(value: T) -> Shared<T> {
        Shared(Rc::new(value))
    }

    /// Whether two versions still share this part (so it is the same, unchanged).
    pub fn same(a: &Shared<T>, b: &Shared<T>) -> bool {
        Rc::ptr_eq(&a.0, &b.0)
    }

    /// The value, to change in place, when this version is its only holder (an associated
    /// function, as `Rc::get_mut`: a method would hide the value's own `get_mut`).
    pub fn get_mut(this: &mut Shared<T>) -> Option<&mut T> {
        Rc::get_mut(&mut this.0)
    }

    /// The shared value itself, to keep (for a cache keyed on [`Shared::same`]).
    pub fn rc(&self) -> &Rc<T> {
        &self.0
    }

    /// A mark of this part that does not keep it alive, for [`Shared::is`]: while the mark
    /// lives, the part's allocation is not reused, so the same address means the same part.
    pub fn mark(&self) -> std::rc::Weak<T> {
        Rc::downgrade(&self.0)
    }

    /// Whether this is the part `mark` was made of ([`Shared::mark`]), unchanged.
    pub fn is(&self, mark: &std::rc::Weak<T>) -> bool {
        std::ptr::eq(mark.as_ptr(), Rc::as_ptr(&self.0))
    }
}

/// Lets go of up to `n` items from the end of a list; says whether any are left. A caller
/// freeing a list of a large portfolio's size does it a slice at a time between looks at the
/// page (a checked file's rows, an analysis left behind).
pub fn shorten<T>(list: &mut Vec<T>, n: usize) -> bool {
    list.truncate(list.len().saturating_sub(n));
    !list.is_empty()
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

impl<T> Deref for Shared<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.0
    }
}

/// Changing a shared part copies it first, unless this version is its only holder.
impl<T: Clone> DerefMut for Shared<T> {
    fn deref_mut(&mut self) -> &mut T {
        Rc::make_mut(&mut self.0)
    }
}

impl<T: PartialEq> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0) || *self.0 == *other.0
    }
}

impl<T: fmt::Debug> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'a, T> IntoIterator for &'a Shared<T>
where
    &'a T: IntoIterator,
{
    type Item = <&'a T as IntoIterator>::Item;
    type IntoIter = <&'a T as IntoIterator>::IntoIter;
    fn into_iter(self) -> Self::IntoIter {
        (&*self.0).into_iter()
    }
}

impl<T> From<T> for Shared<T> {
    fn from(value: T) -> Self {
        Shared::new(value)
    }
}

/// A portfolio: its clients (by id) and their period records (DOMAIN.md §1), the exit plans
/// under way and the prospects being weighed (§8).
///
/// Invariant kept by every importer: each client named in `records` is in `clients`.
#[derive(Clone, Debug, PartialEq, Default)]
pub struct Portfolio {
    pub name: String,
    pub settings: Settings,
    pub clients: Shared<BTreeMap<String, Client>>,
    pub records: Shared<BTreeMap<String, BTreeMap<Period, PeriodRecord>>>,
    /// Exit plans by client id.
    pub plans: Shared<BTreeMap<String, crate::core::plan::ExitPlan>>,
    pub prospects: Vec<crate::core::analysis::prospect::Prospect>,
}

/// The first and last periods of some clients' records, widened a client at a time (so that
/// a large portfolio's can be gathered in slices).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Spread {
    pub first: Option<Period>,
    pub last: Option<Period>,
}

impl Spread {
    /// Widens the spread to one client's records.
    pub fn take(&mut self, records: &BTreeMap<Period, PeriodRecord>) {
        if let (Some(&first), Some(&last)) = (records.keys().next(), records.keys().next_back()) {
            self.first = Some(self.first.map_or(first, |f| f.min(first)));
            self.last = Some(self.last.map_or(last, |l| l.max(last)));
        }
    }
}

impl Portfolio {
    pub fn new(name: impl Into<String>) -> Portfolio {
        Portfolio { name: name.into(), ..Portfolio::default() }
    }

    /// The last period with any input row (DOMAIN.md §9, open points), if any.
    pub fn last_period(&self) -> Option<Period> {
        self.spread().last
    }

    /// The first period with any input row, if any.
    pub fn first_period(&self) -> Option<Period> {
        self.spread().first
    }

    /// The first and last periods with any input row.
    pub fn spread(&self) -> Spread {
        let mut spread = Spread::default();
        for records in self.records.values() {
            spread.take(records);
        }
        spread
    }

    /// Number of period records held.
    pub fn record_count(&self) -> usize {
        self.records.values().map(BTreeMap::len).sum()
    }

    /// Every (client, period) that has a record.
    pub fn record_keys(&self) -> impl Iterator<Item = (&String, &Period)> {
        self.records.iter().flat_map(|(id, r)| r.keys().map(move |p| (id, p)))
    }

    /// Whether a client has a record for a period.
    pub fn has_record(&self, id: &str, period: &Period) -> bool {
        self.records.get(id).is_some_and(|r| r.contains_key(period))
    }

    /// Drops what removed clients leave behind: exit plans of clients no longer here, and
    /// `referred_by` links that name nobody (a referral from nobody means nothing).
    pub fn forget_removed_clients(&mut self) {
        let Portfolio { clients, plans, .. } = self;
        plans.retain(|id, _| clients.contains_key(id));
        let ids: Vec<String> = clients.keys().cloned().collect();
        for client in clients.values_mut() {
            if client.referred_by.as_ref().is_some_and(|r| ids.binary_search(r).is_err()) {
                client.referred_by = None;
            }
        }
    }
}

impl fmt::Display for PeriodKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}
