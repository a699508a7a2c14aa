//! What can be wrong with an imported file, and where.
//!
//! A [`Problem`] carries its position (row as a spreadsheet numbers it — the header is row 1 —
//! and the column's header name) and a [`ProblemKind`] that the UI turns into words in the
//! user's language. The engine never formats messages itself.

/// Where in the file a problem sits, and what it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Problem {
    /// 1-based line of the file (the header is row 1); `None` for the file as a whole.
    pub row: Option<usize>,
    /// The column's header as written in the file (or the settings key).
    pub column: Option<String>,
    pub kind: ProblemKind,
}

/// What was expected where a value was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Expected {
    /// A number such as `1234.56`, `1.234,56` or `1 234,56`.
    Number,
    /// A number ≥ 0.
    NonNegative,
    /// A whole number ≥ 0.
    WholeNumber,
    /// A whole number from 1 to 5.
    IcpFit,
    /// `none`, `low`, `medium` or `high`.
    Potential,
    /// `active`, `exiting` or `former`.
    Status,
    /// `true` or `false` (also yes/no, 1/0).
    Boolean,
    /// A date: `YYYY-MM-DD`, `YYYYMMDD`, `DD/MM/YYYY`, `DD.MM.YYYY`.
    Date,
    /// A period: `YYYY-MM` or one of the date forms.
    Period,
    /// A non-empty value.
    NonEmpty,
    /// A fraction from 0 to 1.
    Fraction,
    /// A fraction above 0 and at most 1.
    PositiveFraction,
    /// A whole number ≥ 1.
    PositiveWholeNumber,
    /// 3 to 60, or `"all"`.
    Window,
    /// `profit` or `revenue`.
    AbcBasis,
    /// `cv` or `pattern`.
    XyzMethod,
    /// `month` or `quarter`.
    PeriodKind,
    /// Three capital letters (ISO 4217).
    Currency,
    /// `dot`, `comma` or a language tag.
    NumberLocale,
    /// A JSON object.
    Object,
    /// A text value.
    Text,
}

/// The kinds of problem an import can refuse, each with what the UI needs to explain it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ProblemKind {
    /// The file has no bytes, or only white space.
    EmptyFile,
    /// The file is not text (NUL bytes or not UTF-8).
    NotText,
    /// The file is larger than the importer accepts.
    TooLarge { bytes: usize, limit: usize },
    /// A header but no data rows.
    NoRows,
    /// The header matches none of the §9 formats.
    UnknownFormat,
    /// A required column is missing.
    MissingColumn { column: &'static str },
    /// A column the format does not have.
    UnknownColumn,
    /// The same column twice in the header.
    DuplicateColumn,
    /// A row with a different number of cells than the header.
    FieldCount { expected: usize, found: usize },
    /// The value could not be read as what the column holds.
    Invalid { value: String, expected: Expected },
    /// The same client and period twice in one file.
    DuplicateRow { first_row: usize },
    /// The same client twice in one clients file.
    DuplicateClient { first_row: usize },
    /// A `referred_by` that names no known client.
    UnknownReferrer { client: String, referrer: String },
    /// A chain of `referred_by` that comes back to where it started.
    ReferralCycle { cycle: Vec<String> },
    /// A period too far from today to be real data (before 1900 or after 2200).
    PeriodOutOfRange { value: String },
    /// The settings file is not a JSON object.
    NotJson { detail: String },
    /// A Cartera backup given to the importer: it is restored from the Import page instead.
    IsBackup,
    /// A settings key that does not exist.
    UnknownKey,
    /// `a + b` above 1, or `x` above `y`, or all weights zero.
    Inconsistent { rule: &'static str },
}

impl Problem {
    pub fn file(kind: ProblemKind) -> Problem {
        Problem { row: None, column: None, kind }
    }
    pub fn at(row: usize, column: impl Into<String>, kind: ProblemKind) -> Problem {
        Problem { row: Some(row), column: Some(column.into()), kind }
    }
    pub fn row(row: usize, kind: ProblemKind) -> Problem {
        Problem { row: Some(row), column: None, kind }
    }
    pub fn column(column: impl Into<String>, kind: ProblemKind) -> Problem {
        Problem { row: None, column: Some(column.into()), kind }
    }
}
