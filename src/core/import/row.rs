//! Validated values second: reading typed cells out of a raw row, collecting every problem.

use rust_decimal::prelude::ToPrimitive;
use rust_decimal::Decimal;

use super::columns::Column;
use super::parse;
use super::problem::{Expected, Problem, ProblemKind};
use super::table::Cells;
use crate::core::model::{NumberLocale, Period, PeriodKind};

/// Where each known column sits: one slot per [`Column`]. It is asked for every cell of a
/// file (millions, for a large one), so it is an array, not a hash map.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ColumnIndex([Option<usize>; Column::ALL.len()]);

impl ColumnIndex {
    pub fn get(&self, col: &Column) -> Option<&usize> {
        self.0[*col as usize].as_ref()
    }

    pub fn contains_key(&self, col: &Column) -> bool {
        self.0[*col as usize].is_some()
    }

    pub fn insert(&mut self, col: Column, i: usize) {
        self.0[col as usize] = Some(i);
    }

    /// The known columns and where they sit, in [`Column::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = (Column, usize)> + '_ {
        Column::ALL.into_iter().zip(self.0).filter_map(|(c, i)| Some((c, i?)))
    }
}

/// Which column sits where, keeping the header text for messages.
pub struct Header {
    pub index: ColumnIndex,
    pub names: Vec<String>,
}

impl Header {
    /// Maps the known columns; unknown and repeated ones are reported.
    pub fn map(cells: &[String], problems: &mut Vec<Problem>) -> Header {
        let mut index = ColumnIndex::default();
        for (i, cell) in cells.iter().enumerate() {
            match Column::from_header(cell) {
                Some(col) if index.contains_key(&col) => {
                    problems.push(Problem::at(1, cell.clone(), ProblemKind::DuplicateColumn))
                }
                Some(col) => {
                    index.insert(col, i);
                }
                None => problems.push(Problem::at(1, cell.clone(), ProblemKind::UnknownColumn)),
            }
        }
        Header { index, names: cells.to_vec() }
    }

    pub fn has(&self, col: Column) -> bool {
        self.index.contains_key(&col)
    }

    /// Reports each of `required` that the header lacks.
    pub fn require(&self, required: &[Column], problems: &mut Vec<Problem>) {
        for col in required {
            if !self.has(*col) {
                problems.push(Problem::file(ProblemKind::MissingColumn { column: col.name() }));
            }
        }
    }
}

/// One data row being read; problems go to the shared list, each with row and column.
pub struct Row<'a> {
    pub line: usize,
    pub cells: &'a Cells,
    pub header: &'a Header,
    pub problems: &'a mut Vec<Problem>,
    pub locale: NumberLocale,
}

impl<'a> Row<'a> {
    /// Reports a row whose cell count differs from the header's; true when it is usable.
    pub fn check_width(&mut self) -> bool {
        let expected = self.header.names.len();
        // Trailing empty cells beyond the header are tolerated (spreadsheets add them).
        let found = self.cells.iter().rposition(|c| !c.is_empty()).map_or(0, |i| i + 1);
        if found > expected {
            self.problems.push(Problem::row(self.line, ProblemKind::FieldCount { expected, found }));
            return false;
        }
        true
    }

    /// The trimmed text of a column, `None` when the column is absent or the cell empty.
    pub fn text(&self, col: Column) -> Option<&'a str> {
        let i = *self.header.index.get(&col)?;
        self.cells.get(i).filter(|s| !s.is_empty())
    }

    fn column_name(&self, col: Column) -> String {
        self.header.index.get(&col).map_or_else(|| col.name().to_string(), |&i| self.header.names[i].clone())
    }

    /// Records a problem at this row and column.
    pub fn refuse(&mut self, col: Column, kind: ProblemKind) {
        let name = self.column_name(col);
        self.problems.push(Problem::at(self.line, name, kind));
    }

    fn invalid(&mut self, col: Column, value: &str, expected: Expected) {
        self.refuse(col, ProblemKind::Invalid { value: value.to_string(), expected });
    }

    /// A required non-empty text cell.
    pub fn required(&mut self, col: Column) -> Option<&'a str> {
        let value = self.text(col);
        if value.is_none() {
            self.invalid(col, "", Expected::NonEmpty);
        }
        value
    }

    /// A number; empty is zero. With `non_negative`, values below zero are refused.
    pub fn decimal(&mut self, col: Column, non_negative: bool) -> Decimal {
        let Some(text) = self.text(col) else { return Decimal::ZERO };
        match parse::number(text, self.locale) {
            Some(v) if non_negative && v.is_sign_negative() && !v.is_zero() => {
                self.invalid(col, text, Expected::NonNegative);
                Decimal::ZERO
            }
            Some(v) => v,
            None => {
                self.invalid(col, text, Expected::Number);
                Decimal::ZERO
            }
        }
    }

    /// A whole number ≥ 0; empty is zero.
    pub fn count(&mut self, col: Column) -> u32 {
        let Some(text) = self.text(col) else { return 0 };
        match parse::number(text, self.locale) {
            Some(v) if v.fract().is_zero() && (!v.is_sign_negative() || v.is_zero()) && v.to_u32().is_some() => {
                v.to_u32().unwrap_or(0)
            }
            _ => {
                self.invalid(col, text, Expected::WholeNumber);
                0
            }
        }
    }

    /// A period cell (required when `required`).
    pub fn period(&mut self, col: Column, kind: PeriodKind, required: bool) -> Option<Period> {
        let Some(text) = self.text(col) else {
            if required {
                self.invalid(col, "", Expected::Period);
            }
            return None;
        };
        match parse::period(text, kind) {
            Some(p) => Some(p),
            None if parse::year_month(text).is_some() => {
                self.refuse(col, ProblemKind::PeriodOutOfRange { value: text.to_string() });
                None
            }
            None => {
                self.invalid(col, text, Expected::Period);
                None
            }
        }
    }

    /// A required date cell, as the period that contains it.
    pub fn date_period(&mut self, col: Column, kind: PeriodKind) -> Option<Period> {
        let text = self.required(col)?;
        match parse::date(text) {
            Some(d) if (1900..=2200).contains(&d.year) => Some(kind.period_of(d.year, d.month)),
            Some(_) => {
                self.refuse(col, ProblemKind::PeriodOutOfRange { value: text.to_string() });
                None
            }
            None => {
                self.invalid(col, text, Expected::Date);
                None
            }
        }
    }

    /// A cell read by `parse`, refused as `expected` when it does not parse; `None` when empty.
    pub fn choice<T>(&mut self, col: Column, expected: Expected, parse: impl Fn(&str) -> Option<T>) -> Option<T> {
        let text = self.text(col)?;
        let value = parse(text);
        if value.is_none() {
            self.invalid(col, text, expected);
        }
        value
    }
}
