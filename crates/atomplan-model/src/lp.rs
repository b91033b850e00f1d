//! The solver-neutral linear program: columns, rows and one list of (row, column, value) triplets.
//!
//! It exists so that model building is plain array work, separate from any solver: each constraint
//! family appends a block of rows and a block of triplets built from data arrays, and a backend
//! (`crate::highs_backend`) converts the whole program once.
//! Columns and rows are grouped in named [`Family`] blocks (`Generator-p`, `Bus-balance`) whose
//! entries are labelled by component and, for time-indexed families, snapshot; names such as
//! `Generator-p[coal,17]` are generated from the blocks only when an LP file is written, so a
//! normal solve allocates no per-entry strings.

// Loops run over snapshot, row and column indices shared by several arrays.
#![allow(clippy::needless_range_loop)]

use std::fmt::Write as _;
use std::io::Write;
use std::sync::Arc;

/// Sorts one row's `(column, value)` entries by column and sums the entries of a column named
/// more than once (HiGHS refuses duplicate entries in a row).
pub fn merge_duplicate_columns(terms: &mut Vec<(usize, f64)>) {
    terms.sort_by_key(|&(col, _)| col);
    terms.dedup_by(|later, kept| {
        if later.0 == kept.0 {
            kept.1 += later.1;
            true
        } else {
            false
        }
    });
}

/// A named block of consecutive columns or rows.
///
/// Entry `k` of the block (0-based) stands for label `labels[k / n_snapshots]` and snapshot
/// `k % n_snapshots` when `n_snapshots > 0` (entity-major order), or for `labels[k]` otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// Structured name, e.g. `Generator-p`, `Bus-balance`, `GlobalConstraint`.
    pub name: String,
    /// Index of the first entry.
    pub start: usize,
    /// Number of entries.
    pub len: usize,
    /// One label per entity (component names, or cycle numbers for KVL). A family built entry
    /// by entry ([`LinearProgram::col`], [`LinearProgram::row`]) has one label per entry, which
    /// holds every index of the entry (`gen,2035,17`).
    pub labels: Labels,
    /// Snapshots per entity; 0 for families that are not time-indexed.
    pub n_snapshots: usize,
    /// For sparse time-indexed families: (label index, snapshot index) of each entry; overrides
    /// the dense layout.
    pub sparse: Option<Arc<[(u32, u32)]>>,
}

impl Family {
    /// `(entity label, snapshot index)` of absolute index `idx` inside this block.
    pub fn locate(&self, idx: usize) -> (&str, Option<usize>) {
        let k = idx - self.start;
        if let Some(sparse) = &self.sparse {
            let (label_idx, t) = sparse.get(k).copied().unwrap_or((u32::MAX, 0));
            let label = self
                .labels
                .get(label_idx as usize)
                .map_or("?", String::as_str);
            return (label, Some(t as usize));
        }
        match k.checked_div(self.n_snapshots) {
            Some(entity) => {
                let label = self.labels.get(entity).map_or("?", String::as_str);
                (label, Some(k % self.n_snapshots))
            }
            None => (self.labels.get(k).map_or("?", String::as_str), None),
        }
    }

    /// `Name[label,t]` or `Name[label]`; a bare `Name` for an unlabelled single entry.
    pub fn entry_name(&self, idx: usize) -> String {
        let (label, snapshot) = self.locate(idx);
        match snapshot {
            Some(t) => format!("{}[{label},{t}]", self.name),
            None if label.is_empty() => self.name.clone(),
            None => format!("{}[{label}]", self.name),
        }
    }

    /// Whether entries built one by one can be appended to this family at `index`: it ends
    /// there, is called `name`, and is neither time-indexed nor sparse.
    fn continues_at(&self, name: &str, index: usize) -> bool {
        self.start + self.len == index
            && self.n_snapshots == 0
            && self.sparse.is_none()
            && self.name == name
    }
}

/// Labels of a family's entities, shared between families over the same components.
pub type Labels = Arc<Vec<String>>;

/// Column index.
pub type Col = usize;
/// Row index.
pub type Row = usize;

/// Splits `Family[label]` into the family and the label (`Fixed-costs` has an empty label).
fn split_name(name: &str) -> (&str, &str) {
    match name.split_once('[') {
        Some((family, rest)) => (family, rest.strip_suffix(']').unwrap_or(rest)),
        None => (name, ""),
    }
}

/// Appends entry `index`, named `name`, to `families`: to the last family when it continues
/// there, else as a new one-entry family.
fn push_entry(families: &mut Vec<Family>, index: usize, name: &str) {
    let (family, label) = split_name(name);
    if let Some(last) = families.last_mut() {
        if last.continues_at(family, index) {
            Arc::make_mut(&mut last.labels).push(label.to_owned());
            last.len += 1;
            return;
        }
    }
    families.push(Family {
        name: family.to_owned(),
        start: index,
        len: 1,
        labels: Arc::new(vec![label.to_owned()]),
        n_snapshots: 0,
        sparse: None,
    });
}

/// Column-oriented and row-oriented data of a sparse LP or MILP, minimised.
///
/// Invariant: every vector indexed by column has `n_cols()` entries, every vector indexed by row has
/// `n_rows()` entries, triplet vectors have equal length and refer to existing rows and columns.
/// Duplicate (row, column) triplets are allowed; backends sum them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LinearProgram {
    pub col_cost: Vec<f64>,
    pub col_lower: Vec<f64>,
    pub col_upper: Vec<f64>,
    /// True for integer columns; all false for an LP.
    pub col_integer: Vec<bool>,
    pub row_lower: Vec<f64>,
    pub row_upper: Vec<f64>,
    pub triplet_rows: Vec<u32>,
    pub triplet_cols: Vec<u32>,
    pub triplet_values: Vec<f64>,
    pub col_families: Vec<Family>,
    pub row_families: Vec<Family>,
}

fn labels_of<S: AsRef<str>>(labels: &[S]) -> Labels {
    Arc::new(
        labels
            .iter()
            .map(|label| label.as_ref().to_owned())
            .collect(),
    )
}

impl LinearProgram {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn n_cols(&self) -> usize {
        self.col_cost.len()
    }

    pub fn n_rows(&self) -> usize {
        self.row_lower.len()
    }

    pub fn n_nonzeros(&self) -> usize {
        self.triplet_values.len()
    }

    pub fn n_integer(&self) -> usize {
        self.col_integer.iter().filter(|integer| **integer).count()
    }

    /// Appends one column named `name` (`Family[label]`, e.g. `Generator-units[vver,2035]`)
    /// and returns its index. Consecutive columns of one family share one [`Family`] block;
    /// this is how a model written entry by entry (the planning families) names its columns.
    pub fn col(
        &mut self,
        name: impl AsRef<str>,
        cost: f64,
        lower: f64,
        upper: f64,
        integer: bool,
    ) -> Col {
        let col = self.n_cols();
        self.col_cost.push(cost);
        self.col_lower.push(lower);
        self.col_upper.push(upper);
        self.col_integer.push(integer);
        push_entry(&mut self.col_families, col, name.as_ref());
        col
    }

    /// Appends one row `lower ≤ a·x ≤ upper` named `name` (`Family[label]`), without
    /// coefficients (add them with [`Self::push`]); returns its index.
    pub fn row(&mut self, name: impl AsRef<str>, lower: f64, upper: f64) -> Row {
        let row = self.n_rows();
        self.row_lower.push(lower);
        self.row_upper.push(upper);
        push_entry(&mut self.row_families, row, name.as_ref());
        row
    }

    /// Appends one row with its coefficients; a column named twice is one entry with the summed
    /// coefficient (HiGHS refuses duplicate entries).
    pub fn row_with(
        &mut self,
        name: impl AsRef<str>,
        lower: f64,
        upper: f64,
        terms: &[(Col, f64)],
    ) -> Row {
        let row = self.row(name, lower, upper);
        let mut merged = terms.to_vec();
        merge_duplicate_columns(&mut merged);
        for (col, value) in merged {
            self.push(row, col, value);
        }
        row
    }

    /// Adds one coefficient.
    #[inline]
    pub fn push(&mut self, row: Row, col: Col, value: f64) {
        self.triplet_rows.push(row as u32);
        self.triplet_cols.push(col as u32);
        self.triplet_values.push(value);
    }

    /// The same problem with every integer column fixed at `values` (rounded) and made
    /// continuous: the LP whose duals price a MILP's solution.
    pub fn with_integers_fixed(&self, values: &[f64]) -> LinearProgram {
        let mut fixed = self.clone();
        for col in 0..fixed.n_cols() {
            if fixed.col_integer[col] {
                let value = values.get(col).copied().unwrap_or(0.0).round();
                fixed.col_lower[col] = value;
                fixed.col_upper[col] = value;
                fixed.col_integer[col] = false;
            }
        }
        fixed
    }

    /// The elastic version used to explain infeasibility: every row of a family named in
    /// `families` gets slack columns (cost 1) on the sides it bounds, every other cost is zero
    /// and every column continuous. Returns the problem and, per slack column, the row it relaxes.
    pub fn elastic(&self, families: &[&str]) -> (LinearProgram, Vec<(Col, Row)>) {
        let mut lp = self.clone();
        lp.col_cost.iter_mut().for_each(|cost| *cost = 0.0);
        lp.col_integer
            .iter_mut()
            .for_each(|integer| *integer = false);
        let mut slacks = Vec::new();
        for family in &self.row_families {
            if !families.contains(&family.name.as_str()) {
                continue;
            }
            for row in family.start..family.start + family.len {
                let name = self.row_name(row);
                if self.row_lower[row].is_finite() {
                    let slack = lp.col(format!("slack-up[{name}]"), 1.0, 0.0, f64::INFINITY, false);
                    lp.push(row, slack, 1.0);
                    slacks.push((slack, row));
                }
                if self.row_upper[row].is_finite() {
                    let slack = lp.col(
                        format!("slack-down[{name}]"),
                        1.0,
                        0.0,
                        f64::INFINITY,
                        false,
                    );
                    lp.push(row, slack, -1.0);
                    slacks.push((slack, row));
                }
            }
        }
        (lp, slacks)
    }

    /// Appends a block of `labels.len() · max(n_snapshots, 1)` continuous columns with cost 0 and
    /// bounds `[lower, upper]`; returns the index of the first.
    /// Bounds can be tightened afterwards through `col_lower` / `col_upper`.
    pub fn add_col_family<S: AsRef<str>>(
        &mut self,
        name: &str,
        labels: &[S],
        n_snapshots: usize,
        lower: f64,
        upper: f64,
    ) -> usize {
        self.add_col_family_shared(name, labels_of(labels), n_snapshots, lower, upper)
    }

    /// Like [`Self::add_col_family`] with labels already shared with another family.
    pub fn add_col_family_shared(
        &mut self,
        name: &str,
        labels: Labels,
        n_snapshots: usize,
        lower: f64,
        upper: f64,
    ) -> usize {
        let start = self.n_cols();
        let len = labels.len() * n_snapshots.max(1);
        self.col_cost.resize(start + len, 0.0);
        self.col_lower.resize(start + len, lower);
        self.col_upper.resize(start + len, upper);
        self.col_integer.resize(start + len, false);
        self.col_families.push(Family {
            name: name.to_owned(),
            start,
            len,
            labels,
            n_snapshots,
            sparse: None,
        });
        start
    }

    /// Appends a block of rows `lower[k] ≤ a_k·x ≤ upper[k]`, one per entry of the block
    /// (`labels.len() · max(n_snapshots, 1)`); `lower` and `upper` must have that many entries.
    /// Returns the index of the first row.
    pub fn add_row_family<S: AsRef<str>>(
        &mut self,
        name: &str,
        labels: &[S],
        n_snapshots: usize,
        lower: Vec<f64>,
        upper: Vec<f64>,
    ) -> usize {
        self.add_row_family_shared(name, labels_of(labels), n_snapshots, lower, upper)
    }

    /// Like [`Self::add_row_family`] with shared labels.
    pub fn add_row_family_shared(
        &mut self,
        name: &str,
        labels: Labels,
        n_snapshots: usize,
        mut lower: Vec<f64>,
        mut upper: Vec<f64>,
    ) -> usize {
        let start = self.n_rows();
        let len = labels.len() * n_snapshots.max(1);
        lower.resize(len, f64::NEG_INFINITY);
        upper.resize(len, f64::INFINITY);
        self.row_lower.extend_from_slice(&lower);
        self.row_upper.extend_from_slice(&upper);
        self.row_families.push(Family {
            name: name.to_owned(),
            start,
            len,
            labels,
            n_snapshots,
            sparse: None,
        });
        start
    }

    /// Appends a sparse block of rows, one per `(label index, snapshot index)` entry.
    pub fn add_sparse_row_family(
        &mut self,
        name: &str,
        labels: Labels,
        entries: Vec<(u32, u32)>,
        lower: Vec<f64>,
        upper: Vec<f64>,
    ) -> usize {
        let start = self.n_rows();
        let len = entries.len();
        debug_assert_eq!(lower.len(), len);
        debug_assert_eq!(upper.len(), len);
        self.row_lower.extend_from_slice(&lower);
        self.row_upper.extend_from_slice(&upper);
        self.row_lower.resize(start + len, f64::NEG_INFINITY);
        self.row_upper.resize(start + len, f64::INFINITY);
        self.row_families.push(Family {
            name: name.to_owned(),
            start,
            len,
            labels,
            n_snapshots: 1,
            sparse: Some(entries.into()),
        });
        start
    }

    /// Appends a block of triplets built elsewhere from arrays.
    pub fn add_triplets(&mut self, block: Triplets) {
        self.triplet_rows.extend_from_slice(&block.rows);
        self.triplet_cols.extend_from_slice(&block.cols);
        self.triplet_values.extend_from_slice(&block.values);
    }

    /// The column family containing column `col`.
    pub fn col_family(&self, col: usize) -> Option<&Family> {
        find_family(&self.col_families, col)
    }

    /// The row family containing row `row`.
    pub fn row_family(&self, row: usize) -> Option<&Family> {
        find_family(&self.row_families, row)
    }

    /// Structured name of a column, e.g. `Generator-p[coal,17]`.
    pub fn col_name(&self, col: usize) -> String {
        self.col_family(col)
            .map_or_else(|| format!("x{col}"), |family| family.entry_name(col))
    }

    /// Structured name of a row, e.g. `Bus-balance[north,17]`.
    pub fn row_name(&self, row: usize) -> String {
        self.row_family(row)
            .map_or_else(|| format!("c{row}"), |family| family.entry_name(row))
    }

    /// Writes the program in CPLEX LP format with structured names.
    ///
    /// Names are made readable by HiGHS's LP reader (see `lp_safe`): `Generator_p(coal,17)`.
    /// Triplets are summed per (row, column).
    pub fn write_lp<W: Write>(&self, out: W) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(out);
        let col_names: Vec<String> = (0..self.n_cols())
            .map(|col| lp_safe(&self.col_name(col)))
            .collect();
        let by_row = self.row_major();
        writeln!(
            out,
            "\\ atomplan LP: {} rows, {} columns",
            self.n_rows(),
            self.n_cols()
        )?;
        writeln!(out, "minimize")?;
        let mut line = String::from(" obj:");
        let mut any = false;
        for (col, cost) in self.col_cost.iter().enumerate() {
            if *cost != 0.0 {
                push_term(&mut line, *cost, &col_names[col], &mut out)?;
                any = true;
            }
        }
        if !any {
            line.push_str(" 0 ");
            line.push_str(col_names.first().map_or("x0", String::as_str));
        }
        writeln!(out, "{line}")?;
        writeln!(out, "subject to")?;
        for row in 0..self.n_rows() {
            let (lower, upper) = (self.row_lower[row], self.row_upper[row]);
            let terms = &by_row[row];
            let name = lp_safe(&self.row_name(row));
            let mut write_side = |suffix: &str, sense: &str, rhs: f64| -> std::io::Result<()> {
                let mut line = format!(" {name}{suffix}:");
                if terms.is_empty() {
                    line.push_str(&format!(
                        " 0 {}",
                        col_names.first().map_or("x0", String::as_str)
                    ));
                }
                for (col, value) in terms {
                    push_term(&mut line, *value, &col_names[*col], &mut out)?;
                }
                writeln!(out, "{line} {sense} {}", fmt_num(rhs))
            };
            if lower == upper {
                write_side("", "=", lower)?;
            } else {
                if lower.is_finite() && upper.is_finite() {
                    write_side("_lower", ">=", lower)?;
                    write_side("_upper", "<=", upper)?;
                } else if lower.is_finite() {
                    write_side("", ">=", lower)?;
                } else if upper.is_finite() {
                    write_side("", "<=", upper)?;
                }
            }
        }
        writeln!(out, "bounds")?;
        for col in 0..self.n_cols() {
            let (lower, upper) = (self.col_lower[col], self.col_upper[col]);
            let name = &col_names[col];
            if lower == upper {
                writeln!(out, " {name} = {}", fmt_num(lower))?;
            } else if lower == f64::NEG_INFINITY && upper == f64::INFINITY {
                writeln!(out, " {name} free")?;
            } else {
                let low = if lower == f64::NEG_INFINITY {
                    "-inf".to_owned()
                } else {
                    fmt_num(lower)
                };
                let up = if upper == f64::INFINITY {
                    "+inf".to_owned()
                } else {
                    fmt_num(upper)
                };
                writeln!(out, " {low} <= {name} <= {up}")?;
            }
        }
        if self.col_integer.iter().any(|integer| *integer) {
            writeln!(out, "general")?;
            for col in 0..self.n_cols() {
                if self.col_integer[col] {
                    writeln!(out, " {}", col_names[col])?;
                }
            }
        }
        writeln!(out, "end")?;
        out.flush()
    }

    /// Triplets grouped by row, duplicates summed, in column order.
    pub fn row_major(&self) -> Vec<Vec<(usize, f64)>> {
        let mut by_row: Vec<Vec<(usize, f64)>> = vec![Vec::new(); self.n_rows()];
        for ((row, col), value) in self
            .triplet_rows
            .iter()
            .zip(&self.triplet_cols)
            .zip(&self.triplet_values)
        {
            by_row[*row as usize].push((*col as usize, *value));
        }
        for terms in &mut by_row {
            merge_duplicate_columns(terms);
        }
        by_row
    }

    /// Compressed sparse columns: (`start` of length n_cols+1, row `index`, `value`), duplicates
    /// summed, explicit zeros dropped. O(nnz + n_rows + n_cols).
    pub fn to_csc(&self) -> (Vec<usize>, Vec<u32>, Vec<f64>) {
        let n_cols = self.n_cols();
        let mut start = vec![0usize; n_cols + 1];
        for col in &self.triplet_cols {
            start[*col as usize + 1] += 1;
        }
        for col in 0..n_cols {
            start[col + 1] += start[col];
        }
        let nnz = self.n_nonzeros();
        let mut index = vec![0u32; nnz];
        let mut value = vec![0.0f64; nnz];
        let mut next = start.clone();
        for ((row, col), coefficient) in self
            .triplet_rows
            .iter()
            .zip(&self.triplet_cols)
            .zip(&self.triplet_values)
        {
            let slot = &mut next[*col as usize];
            index[*slot] = *row;
            value[*slot] = *coefficient;
            *slot += 1;
        }
        // Merge duplicates within each column and drop zeros, compacting in place.
        // `seen_in[row]` is the column (plus one) whose entry sits at `seen_at[row]`: a position
        // left from an earlier column must never match, even after zeros were dropped there.
        let mut seen_at = vec![usize::MAX; self.n_rows()];
        let mut seen_in = vec![0usize; self.n_rows()];
        let mut write = 0usize;
        let mut compact_start = vec![0usize; n_cols + 1];
        for col in 0..n_cols {
            let col_begin = write;
            for read in start[col]..start[col + 1] {
                let row = index[read] as usize;
                let coefficient = value[read];
                if seen_in[row] == col + 1 {
                    value[seen_at[row]] += coefficient;
                } else {
                    seen_in[row] = col + 1;
                    seen_at[row] = write;
                    index[write] = index[read];
                    value[write] = coefficient;
                    write += 1;
                }
            }
            // Drop entries that summed (or were) zero.
            let mut keep = col_begin;
            for read in col_begin..write {
                if value[read] != 0.0 {
                    index[keep] = index[read];
                    value[keep] = value[read];
                    keep += 1;
                }
            }
            write = keep;
            compact_start[col + 1] = write;
        }
        index.truncate(write);
        value.truncate(write);
        (compact_start, index, value)
    }
}

fn find_family(families: &[Family], idx: usize) -> Option<&Family> {
    let position = families.partition_point(|family| family.start + family.len <= idx);
    families
        .get(position)
        .filter(|family| family.start <= idx && idx < family.start + family.len)
}

/// A block of triplets for one constraint family, built from arrays.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Triplets {
    pub rows: Vec<u32>,
    pub cols: Vec<u32>,
    pub values: Vec<f64>,
}

impl Triplets {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn with_capacity(capacity: usize) -> Self {
        Triplets {
            rows: Vec::with_capacity(capacity),
            cols: Vec::with_capacity(capacity),
            values: Vec::with_capacity(capacity),
        }
    }

    /// Adds one coefficient. Indices above `u32::MAX` cannot occur: HiGHS itself indexes with
    /// 32-bit integers, and the builder checks sizes first.
    #[inline]
    pub fn push(&mut self, row: usize, col: usize, value: f64) {
        self.rows.push(row as u32);
        self.cols.push(col as u32);
        self.values.push(value);
    }

    pub fn len(&self) -> usize {
        self.values.len()
    }

    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }
}

/// HiGHS's LP reader rejects `[`, `]` and `-` in names: brackets become parentheses and every
/// other character outside letters, digits and `_.(),` becomes `_`
/// (`Generator-p[coal,17]` is written `Generator_p(coal,17)`).
fn lp_safe(name: &str) -> String {
    name.chars()
        .map(|character| match character {
            '[' => '(',
            ']' => ')',
            c if c.is_ascii_alphanumeric() || "_.(),".contains(c) => c,
            _ => '_',
        })
        .collect()
}

fn fmt_num(value: f64) -> String {
    if value == f64::INFINITY {
        "inf".to_owned()
    } else if value == f64::NEG_INFINITY {
        "-inf".to_owned()
    } else {
        format!("{value:?}")
    }
}

/// Appends ` + 2.5 name` and flushes long lines.
fn push_term<W: Write>(
    line: &mut String,
    value: f64,
    name: &str,
    out: &mut W,
) -> std::io::Result<()> {
    let sign = if value < 0.0 { '-' } else { '+' };
    let _ = write!(line, " {sign} {} {name}", fmt_num(value.abs()));
    if line.len() > 200 {
        writeln!(out, "{line}")?;
        line.clear();
    }
    Ok(())
}
