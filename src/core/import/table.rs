//! Raw rows first: bytes → a header and rows of text cells, each with its line number.
//!
//! This stage knows nothing of what the columns mean; it only decodes the text, finds the
//! separator and splits cells (RFC 4180 quoting, through the `csv` crate).

use super::problem::{Problem, ProblemKind};

/// The largest file read (bytes). Larger files are refused before any parsing.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;

/// A decoded CSV table: a header and rows of cells, each row with its 1-based line number.
#[derive(Debug)]
pub struct Table {
    pub header: Vec<String>,
    pub rows: Vec<(usize, Cells)>,
    pub separator: u8,
}

/// One row's cells, trimmed, in one piece of text: a string for each cell would be an
/// allocation each, and a large file has tens of millions of cells.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cells {
    text: String,
    /// Where each cell ends in `text`.
    ends: Vec<u32>,
}

impl Cells {
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// Cell `i`, if the row has one there.
    pub fn get(&self, i: usize) -> Option<&str> {
        let end = *self.ends.get(i)? as usize;
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        Some(&self.text[start..end])
    }

    pub fn iter(&self) -> impl DoubleEndedIterator<Item = &str> + ExactSizeIterator {
        (0..self.len()).map(|i| &self[i])
    }

    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_string).collect()
    }

    /// The cells of `fields`, trimmed.
    pub fn of<'a>(fields: impl IntoIterator<Item = &'a str>, text_len: usize) -> Cells {
        let fields = fields.into_iter();
        let mut cells = Cells { text: String::with_capacity(text_len), ends: Vec::with_capacity(fields.size_hint().0) };
        for field in fields {
            cells.text.push_str(field.trim());
            cells.ends.push(cells.text.len() as u32);
        }
        cells
    }
}

impl std::ops::Index<usize> for Cells {
    type Output = str;

    fn index(&self, i: usize) -> &str {
        self.get(i).expect("a cell of the row")
    }
}

impl<S: AsRef<str>> From<Vec<S>> for Cells {
    fn from(fields: Vec<S>) -> Cells {
        let len = fields.iter().map(|f| f.as_ref().len()).sum();
        Cells::of(fields.iter().map(|f| f.as_ref()), len)
    }
}

/// Checks that bytes are a text file (of at most `limit` bytes, when there is one) and
/// returns them as text without a BOM.
pub fn decode(bytes: &[u8], limit: Option<usize>) -> Result<&str, Problem> {
    if let Some(limit) = limit.filter(|l| bytes.len() > *l) {
        return Err(Problem::file(ProblemKind::TooLarge { bytes: bytes.len(), limit }));
    }
    if bytes.contains(&0) {
        return Err(Problem::file(ProblemKind::NotText));
    }
    let text = std::str::from_utf8(bytes).map_err(|_| Problem::file(ProblemKind::NotText))?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    if text.trim().is_empty() {
        return Err(Problem::file(ProblemKind::EmptyFile));
    }
    Ok(text)
}

/// The separator of the first line: whichever of `,` `;` tab occurs most outside quotes
/// (comma when none does).
pub fn detect_separator(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for c in first.chars() {
        match c {
            '"' => quoted = !quoted,
            ',' if !quoted => counts[0] += 1,
            ';' if !quoted => counts[1] += 1,
            '\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let seps = [b',', b';', b'\t'];
    let best = (0..3).max_by_key(|&i| (counts[i], std::cmp::Reverse(i))).unwrap_or(0);
    if counts[best] == 0 { b',' } else { seps[best] }
}

/// Reads rows one at a time from owned text, keeping line numbers: the streaming half of
/// [`read`], so a large file can be read in slices between which the page stays responsive.
pub struct RowReader {
    reader: csv::Reader<std::io::Cursor<Vec<u8>>>,
    record: csv::StringRecord,
    counted_to: usize,
    line: usize,
    total: usize,
}

impl RowReader {
    pub fn new(text: String) -> RowReader {
        let separator = detect_separator(&text);
        let total = text.len();
        let reader = csv::ReaderBuilder::new()
            .delimiter(separator)
            .has_headers(false)
            .flexible(true)
            .from_reader(std::io::Cursor::new(text.into_bytes()));
        RowReader { reader, record: csv::StringRecord::new(), counted_to: 0, line: 1, total }
    }

    /// Bytes read so far, and in all.
    pub fn progress(&self) -> (usize, usize) {
        (self.counted_to.min(self.total), self.total)
    }

    /// The next row that is not blank, with its 1-based line number; `None` at the end.
    pub fn next_row(&mut self) -> Result<Option<(usize, Cells)>, Problem> {
        loop {
            match self.reader.read_record(&mut self.record) {
                Ok(false) => {
                    self.counted_to = self.total;
                    return Ok(None);
                }
                Ok(true) => {
                    // Line numbers are counted from byte offsets: exact with blank lines and
                    // quoted line breaks. The reader's position can sit before the blank lines
                    // it skipped.
                    let bytes = self.reader.get_ref().get_ref();
                    let mut start = self.record.position().map_or(self.counted_to, |p| p.byte() as usize).min(bytes.len());
                    while start < bytes.len() && matches!(bytes[start], b'\n' | b'\r') {
                        start += 1;
                    }
                    let from = self.counted_to.min(start);
                    self.line += bytes[from..start].iter().filter(|b| **b == b'\n').count();
                    self.counted_to = start;
                    let cells = Cells::of(self.record.iter(), self.record.as_slice().len());
                    // Every cell blank once trimmed: a blank line.
                    if cells.text.is_empty() {
                        continue;
                    }
                    return Ok(Some((self.line, cells)));
                }
                Err(_) => {
                    let line = self.reader.position().line() as usize;
                    return Err(Problem::row(line, ProblemKind::NotText));
                }
            }
        }
    }
}

/// Splits text into a [`Table`]. Blank lines are skipped; cells are trimmed.
pub fn read(text: &str) -> Result<Table, Problem> {
    let separator = detect_separator(text);
    let mut rows = RowReader::new(text.to_string());
    let header = rows.next_row()?.ok_or_else(|| Problem::file(ProblemKind::EmptyFile))?.1.to_vec();
    let mut out = Vec::new();
    while let Some(row) = rows.next_row()? {
        out.push(row);
    }
    Ok(Table { header, rows: out, separator })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separator_is_the_most_frequent_outside_quotes() {
        assert_eq!(detect_separator("a,b,c\n1,2,3"), b',');
        assert_eq!(detect_separator("a;b;c\n1,5;2;3"), b';');
        assert_eq!(detect_separator("a\tb\tc"), b'\t');
        assert_eq!(detect_separator("\"x;y\",b,c"), b',');
        assert_eq!(detect_separator("client"), b',');
    }

    #[test]
    fn rows_keep_their_line_numbers_and_bom_is_dropped() {
        let text = decode("\u{feff}client;period\n\nC1;2025-01\n\"C;2\";2025-02\n".as_bytes(), Some(MAX_BYTES)).unwrap();
        let t = read(text).unwrap();
        assert_eq!(t.header, ["client", "period"]);
        let rows: Vec<(usize, Vec<String>)> = t.rows.iter().map(|(line, cells)| (*line, cells.to_vec())).collect();
        assert_eq!(rows, vec![(3, vec!["C1".into(), "2025-01".into()]), (4, vec!["C;2".into(), "2025-02".into()])]);
    }

    /// A row's cells are trimmed and read back one by one, the empty ones too.
    #[test]
    fn cells_are_trimmed_and_read_back_in_order() {
        let text = decode(" a , b ,,c\n x ,,\" y z \",\n , ,  ,\n".as_bytes(), Some(MAX_BYTES)).unwrap();
        let mut rows = RowReader::new(text.to_string());
        let (_, header) = rows.next_row().unwrap().unwrap();
        assert_eq!(header.to_vec(), ["a", "b", "", "c"]);
        let (line, cells) = rows.next_row().unwrap().unwrap();
        assert_eq!((line, cells.len()), (2, 4));
        assert_eq!((cells.get(0), cells.get(1), cells.get(2), cells.get(3), cells.get(4)), (Some("x"), Some(""), Some("y z"), Some(""), None));
        assert_eq!(cells.iter().rev().collect::<Vec<_>>(), ["", "y z", "", "x"]);
        assert_eq!(Cells::from(vec![" x", "", "y z ", ""]), cells);
        // A line of blank cells is a blank line.
        assert!(rows.next_row().unwrap().is_none());
    }

    #[test]
    fn non_text_is_refused() {
        assert_eq!(decode(b"", Some(MAX_BYTES)).unwrap_err().kind, ProblemKind::EmptyFile);
        assert_eq!(decode(b"  \n ", Some(MAX_BYTES)).unwrap_err().kind, ProblemKind::EmptyFile);
        assert_eq!(decode(b"a\0b", Some(MAX_BYTES)).unwrap_err().kind, ProblemKind::NotText);
        assert_eq!(decode(&[0xff, 0xfe, 0x41], Some(MAX_BYTES)).unwrap_err().kind, ProblemKind::NotText);
    }
}
