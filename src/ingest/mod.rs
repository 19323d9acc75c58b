//! Ingest: input files → raw tables of cells under canonical column names. No business rules.
//!
//! Each file is opened, hashed, split into sheets; in each sheet the header is found by the
//! vocabulary, the data rows are told apart from title lines, column numbers, blank rows and
//! footers. A file that cannot be used is a [`FileProblem`]; all of them are collected so that
//! one run names every bad file at once, before anything is written.

/// The reason given for a formula cell whose value the file does not hold.
pub const FORMULA_WITHOUT_VALUE: &str =
    "ô công thức chưa có giá trị — hãy mở tệp bằng Excel hoặc LibreOffice, lưu lại rồi chạy lại";

pub use crate::config::columns;
pub mod grid;
pub mod header;
pub mod html;
pub mod sheet_grid;
pub mod sniff;
pub mod texts;

use std::fmt;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

pub use columns::HeaderVocab;

use crate::config::{name_matches, Pipeline};
use crate::model::{Cell, SourceFile};
use crate::text::clean;

/// Why a file cannot be used. Displayed in Vietnamese, for the person who made the file.
#[derive(Debug, Clone, PartialEq)]
pub enum FileProblem {
    /// The file could not be opened.
    Io(String),
    /// The file has no bytes.
    Empty,
    /// Not a spreadsheet format cchc reads.
    UnsupportedFormat(String),
    /// Protected by a password.
    Encrypted,
    /// The bytes are not a readable workbook or CSV.
    Corrupt(String),
    /// A CSV file in another encoding than UTF-8.
    NotUtf8 {
        /// First line with a byte that is not UTF-8.
        line: usize,
    },
    /// Not a regular file: a folder, a device (`/dev/zero`), a pipe (FIFO) or a socket; what
    /// it is, in Vietnamese.
    NotAFile(&'static str),
    /// Beyond a limit of the pipeline's `[limits]`: what was found, the setting and its value.
    OverLimit {
        /// What the file holds, where (`trang tính «Sheet1» trải trên 17.179.869.184 ô`).
        what: String,
        /// The `[limits]` key.
        setting: &'static str,
        /// Its value.
        limit: u64,
    },
    /// A quoted CSV field that runs over the lines of other rows: a `"` opened and not closed
    /// where it should be, so the rows below would vanish into one cell.
    SwallowingQuote {
        /// The line the field starts on (1-based, physical).
        line: usize,
        /// Its 1-based field on that line.
        field: usize,
        /// The lines it takes in after its first, up to the last one.
        last_line: usize,
    },
    /// No sheet has a recognisable header.
    NoHeader {
        /// For each kind looked for: what its lists are called, and the column names that
        /// identify it.
        expected: Vec<(String, Vec<String>)>,
        /// How far the search went in each sheet with data.
        searched: Vec<SheetSearched>,
        /// The row that came closest, as a person reads it: where, the columns it has, the near
        /// misses of known names (`«Ma ho so» gần với «Mã hồ sơ»`); None when no row has any.
        nearest: Option<String>,
    },
    /// Sheets of the file fit more than one input kind, and the pipeline pins none.
    AmbiguousKind {
        /// What the kinds' lists are called.
        kinds: Vec<String>,
    },
    /// A sheet has a header but lacks required columns.
    MissingColumns {
        /// Sheet name.
        sheet: String,
        /// 1-based header row.
        row: u32,
        /// Missing columns: label and accepted names.
        missing: Vec<(String, Vec<String>)>,
    },
    /// A summary (counts per unit) whose period no title line states and no input entry gives.
    NoStatedPeriod {
        /// Sheet name.
        sheet: String,
    },
    /// No unit column, and no way to tell the unit of the whole file.
    NoUnit {
        /// Sheet name.
        sheet: String,
    },
    /// A sheet whose data are formulas without values (see `grid::read_grids`).
    FormulasWithoutValues {
        /// Sheet name.
        sheet: String,
    },
    /// The file has its kind's header, but the kind refuses it (a form without its identity):
    /// the kind's own reason, in Vietnamese, with what to do.
    Refused(String),
}

/// How far a header search went in one sheet.
#[derive(Debug, Clone, PartialEq)]
pub struct SheetSearched {
    /// Sheet name.
    pub sheet: String,
    /// The last row looked at (1-based, as a spreadsheet program shows it).
    pub last_row: u32,
    /// The sheet's last row.
    pub sheet_rows: u32,
    /// Whether the search stopped before the end (too many distinct texts without a header).
    pub stopped_early: bool,
}

impl fmt::Display for SheetSearched {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let n = crate::vn::int;
        if self.stopped_early {
            write!(
                f,
                "đã tìm đến dòng {} trong {} dòng của trang tính «{}» (dừng vì quá nhiều nội dung khác nhau mà chưa thấy tiêu đề)",
                n(self.last_row as u64),
                n(self.sheet_rows as u64),
                self.sheet
            )
        } else {
            write!(
                f,
                "đã tìm hết {} dòng của trang tính «{}»",
                n(self.sheet_rows as u64),
                self.sheet
            )
        }
    }
}

impl fmt::Display for FileProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileProblem::Io(e) => write!(f, "không mở được tệp ({e})"),
            FileProblem::Empty => write!(f, "tệp rỗng, không có dữ liệu"),
            FileProblem::UnsupportedFormat(ext) => write!(
                f,
                "định dạng «.{ext}» không được hỗ trợ; cần tệp .xlsx, .xls, .ods hoặc .csv"
            ),
            FileProblem::Encrypted => write!(
                f,
                "tệp được bảo vệ bằng mật khẩu; hãy mở tệp, bỏ mật khẩu và lưu lại rồi chạy lại"
            ),
            FileProblem::Corrupt(e) => write!(
                f,
                "tệp bị hỏng hoặc không đúng định dạng bảng tính ({e}); hãy xuất lại tệp từ hệ thống"
            ),
            FileProblem::NotUtf8 { line } => write!(
                f,
                "tệp CSV không dùng mã UTF-8 (dòng {line}); hãy lưu lại với mã hóa UTF-8"
            ),
            FileProblem::NotAFile(what) => write!(
                f,
                "không phải tệp dữ liệu mà là {what}; hãy chỉ đưa vào các tệp bảng tính, CSV hoặc HTML đã lưu trên đĩa"
            ),
            FileProblem::OverLimit { what, setting, limit } => write!(
                f,
                "{what}, vượt giới hạn {} ({setting} trong mục [limits] của tệp quy trình); hãy mở tệp kiểm tra và xuất lại (xóa các dòng, cột thừa), tách thành các tệp nhỏ hơn, hoặc nâng {setting} nếu tệp đúng là lớn như vậy",
                crate::vn::int(*limit)
            ),
            FileProblem::SwallowingQuote { line, field, last_line } => write!(
                f,
                "dòng {line}, ô thứ {field}: dấu ngoặc kép (\") mở ô mà không đóng đúng chỗ, nên các dòng {}–{last_line} bị gộp vào ô đó thay vì đọc thành {} dòng dữ liệu; hãy xóa dấu \" thừa hoặc đóng nó ở cuối ô (một dấu \" nằm trong ô phải viết thành \"\"), lưu lại rồi chạy lại",
                line + 1,
                crate::vn::int((last_line - line) as u64),
            ),
            FileProblem::NoHeader {
                expected,
                searched,
                nearest,
            } => {
                let parts: Vec<String> = expected
                    .iter()
                    .map(|(list, names)| format!("{list} (có cột {})", names.join(", ")))
                    .collect();
                write!(
                    f,
                    "không tìm thấy dòng tiêu đề ở trang tính nào: cần một dòng tiêu đề của {}",
                    parts.join(" hoặc của ")
                )?;
                if !searched.is_empty() {
                    let s: Vec<String> = searched.iter().map(|s| s.to_string()).collect();
                    write!(f, "; {}", s.join(", "))?;
                }
                match nearest {
                    Some(n) => write!(f, "; gần nhất là {n}"),
                    None if !searched.is_empty() => {
                        write!(f, "; không dòng nào có tên cột đã biết")
                    }
                    None => Ok(()),
                }
            }
            FileProblem::AmbiguousKind { kinds } => write!(
                f,
                "tệp vừa giống {} — không biết đọc theo loại nào; hãy tách riêng từng loại hoặc ghi rõ loại tệp (kind) trong mục [[inputs]] của tệp quy trình",
                kinds.join(", vừa giống ")
            ),
            FileProblem::MissingColumns { sheet, row, missing } => {
                write!(f, "trang tính «{sheet}», dòng tiêu đề {row}: thiếu cột bắt buộc ")?;
                let parts: Vec<String> = missing
                    .iter()
                    .map(|(label, names)| format!("«{label}» (tên cột được chấp nhận: {})", names.join(", ")))
                    .collect();
                write!(f, "{}", parts.join("; "))
            }
            FileProblem::NoStatedPeriod { sheet } => write!(
                f,
                "trang tính «{sheet}» là bảng tổng hợp nhưng không ghi kỳ số liệu: cần một dòng tiêu đề như «Từ ngày 15/12/2023 đến ngày 14/03/2024» hoặc «Quý I năm 2024», hoặc khai báo period trong mục [[inputs]] của tệp quy trình"
            ),
            FileProblem::NoUnit { sheet } => write!(
                f,
                "trang tính «{sheet}» không có cột Đơn vị và không xác định được đơn vị của tệp từ dòng tiêu đề hay tên tệp; hãy thêm cột Đơn vị hoặc khai báo [[file_units]] trong tệp quy trình"
            ),
            FileProblem::FormulasWithoutValues { sheet } => write!(
                f,
                "trang tính «{sheet}»: {}",
                FORMULA_WITHOUT_VALUE
            ),
            FileProblem::Refused(why) => write!(f, "{why}"),
        }
    }
}

impl std::error::Error for FileProblem {}

/// Every file that could not be used, with its problem. The run stops on it.
#[derive(Debug)]
pub struct UnreadableFiles(pub Vec<(String, FileProblem)>);

impl fmt::Display for UnreadableFiles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "không đọc được {} tệp đầu vào; chưa ghi kết quả nào:",
            self.0.len()
        )?;
        for (file, problem) in &self.0 {
            writeln!(f, "  - {file}: {problem}")?;
        }
        Ok(())
    }
}

impl std::error::Error for UnreadableFiles {}

/// How the unit of a file without a unit column was decided.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum UnitSource {
    /// The pipeline's `[[file_units]]`.
    Configured,
    /// A title line above the header names it.
    TitleLine,
    /// The file name spells it.
    FileName,
}

/// One data table found in one sheet.
#[derive(Debug)]
pub struct RawTable {
    /// Index of the source file.
    pub file: usize,
    /// Sheet name.
    pub sheet: String,
    /// 1-based row of the (first) header row.
    pub header_row: u32,
    /// The kind's columns present (positions in its [`HeaderVocab`]), with their header text.
    pub columns: Vec<(usize, String)>,
    /// The non-empty lines above the header (agency, title, period), cleaned.
    pub title_lines: Vec<String>,
    /// The unit of every row, when the table has no unit column (or for rows whose cell is empty
    /// when the pipeline names the file's unit).
    pub file_unit: Option<(String, UnitSource)>,
    /// Data rows, in sheet order.
    pub rows: Vec<RawRow>,
    /// Rows inside the data with nothing in any known column.
    pub blank_rows: u32,
    /// Rows below the data that are totals or signatures: 1-based row and their text.
    pub footer_rows: Vec<(u32, String)>,
    /// Header columns that mean a column already read, each with the one read instead, as a
    /// person finds them: `«Mã HS» (cột E)`, `«Mã hồ sơ» (cột B)`.
    pub duplicate_columns: Vec<(String, String)>,
}

impl RawTable {
    /// Position of a kind's column among `columns`.
    pub fn position(&self, c: usize) -> Option<usize> {
        self.columns.iter().position(|(n, _)| *n == c)
    }
}

/// One data row: its 1-based sheet row and its cells, aligned with [`RawTable::columns`].
#[derive(Debug)]
pub struct RawRow {
    /// 1-based sheet row.
    pub row: u32,
    /// Cells in the order of the table's columns.
    pub cells: Vec<Cell>,
}

/// The text of a sheet without a header that its kind reads as a companion of its tables
/// ([`HeaderVocab::companion_sheets`]): a form's cover sheet with its identity cell.
#[derive(Debug, Clone, Default)]
pub struct SheetText {
    /// Sheet name.
    pub name: String,
    /// Every non-empty cell: 1-based row, 1-based column, cleaned text.
    pub cells: Vec<(u32, u32, String)>,
}

/// A header name in a file that no vocabulary word matches.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct UnknownColumn {
    /// Source file index.
    pub file: usize,
    /// Sheet.
    pub sheet: String,
    /// Header text as written.
    pub header: String,
}

/// A sheet that looked like a dossier list but was not read, because another sheet of its file is.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub struct SkippedSheet {
    /// Source file index.
    pub file: usize,
    /// Sheet.
    pub sheet: String,
    /// Why, in Vietnamese.
    pub reason: String,
}

/// Lists the spreadsheet files under the given paths: a file as is, a folder recursively,
/// sorted by path; each real file once (two paths to one file, through a symbolic link or
/// not, are one input, at its first-seen place). A link to a folder is followed only into a
/// folder not visited yet, so a link loop is read once.
pub fn list_inputs(paths: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out: Vec<PathBuf> = Vec::new();
    let mut seen_files: std::collections::HashSet<PathBuf> = Default::default();
    let mut seen_dirs: std::collections::HashSet<PathBuf> = Default::default();
    for p in paths {
        let mut found = Vec::new();
        if p.is_dir() {
            collect_dir(p, &mut found, &mut seen_dirs)?;
            found.sort();
        } else if p.exists() {
            found.push(p.clone());
        } else {
            anyhow::bail!("không tìm thấy tệp hoặc thư mục đầu vào {}", p.display());
        }
        for f in found {
            let real = std::fs::canonicalize(&f).unwrap_or_else(|_| f.clone());
            if seen_files.insert(real) {
                out.push(f);
            }
        }
    }
    Ok(out)
}

/// Whether a file found in a folder is an input: a spreadsheet, CSV, text or HTML export by its
/// name (never a lock file `~$…` or a hidden file). Text and HTML files are inputs only when
/// they hold a table ([`sniff::looks_tabular`]): a note or a read-me beside the exports is
/// passed over.
fn is_spreadsheet(p: &Path) -> bool {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.starts_with("~$") || name.starts_with('.') {
        return false;
    }
    match p
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("xlsx" | "xlsm" | "xls" | "ods" | "csv") => true,
        // Anything but a regular file is listed, to be refused by name (reading a pipe would
        // never end).
        Some("txt" | "htm" | "html") if !p.metadata().is_ok_and(|m| m.is_file()) => true,
        Some("txt" | "htm" | "html") => std::fs::read(p).is_ok_and(|b| sniff::looks_tabular(&b)),
        _ => false,
    }
}

fn collect_dir(
    dir: &Path,
    out: &mut Vec<PathBuf>,
    visited: &mut std::collections::HashSet<PathBuf>,
) -> anyhow::Result<()> {
    let real = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    if !visited.insert(real) {
        return Ok(());
    }
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("không đọc được thư mục {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        if path.is_dir() {
            collect_dir(&path, out, visited)?;
        } else if is_spreadsheet(&path) {
            out.push(path);
        }
    }
    Ok(())
}

/// A path with `.` and `dir/..` folded away, without touching the disk.
fn lexically_clean(p: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in p.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Whether an input may be read at all: a regular file (a folder, device, pipe or socket given
/// as input never is: reading `/dev/zero` or a FIFO would never end) no larger than
/// `[limits] file_mib`, and its size. Checked on every input before anything reads or hashes it.
pub fn check_input(path: &Path, limits: &crate::config::Limits) -> Result<u64, FileProblem> {
    let meta = std::fs::metadata(path).map_err(|e| FileProblem::Io(e.to_string()))?;
    let kind = meta.file_type();
    if kind.is_dir() {
        return Err(FileProblem::NotAFile("một thư mục"));
    }
    if !kind.is_file() {
        #[cfg(unix)]
        {
            use std::os::unix::fs::FileTypeExt;
            if kind.is_fifo() {
                return Err(FileProblem::NotAFile("một ống dẫn (FIFO)"));
            }
            if kind.is_socket() {
                return Err(FileProblem::NotAFile("một socket"));
            }
        }
        return Err(FileProblem::NotAFile("một thiết bị"));
    }
    over_file_size(meta.len(), limits)?;
    Ok(meta.len())
}

fn over_file_size(bytes: u64, limits: &crate::config::Limits) -> Result<(), FileProblem> {
    if bytes > limits.file_mib.saturating_mul(1 << 20) {
        return Err(FileProblem::OverLimit {
            what: format!("tệp nặng {} MiB", crate::vn::int(bytes.div_ceil(1 << 20))),
            setting: "file_mib",
            limit: limits.file_mib,
        });
    }
    Ok(())
}

/// How reports show a path: cleaned, and relative to the working folder when it is below it.
pub fn display_path(p: &Path) -> String {
    let p = lexically_clean(p);
    let cwd = std::env::current_dir().ok();
    cwd.as_ref()
        .and_then(|c| p.strip_prefix(c).ok())
        .unwrap_or(&p)
        .to_string_lossy()
        .replace('\\', "/")
}

/// A file's bytes checked against the limits and read into sheets.
struct Loaded {
    display: String,
    sha256: String,
    file_name: String,
    configured_unit: Option<String>,
    grids: Vec<grid::Grid>,
}

fn load(pipeline: &Pipeline, path: &Path) -> Result<Loaded, (String, FileProblem)> {
    let display = display_path(path);
    let fail = |p: FileProblem| (display.clone(), p);
    let limits = &pipeline.limits;
    let size = check_input(path, limits).map_err(fail)?;
    // Read no further than the limit: a file growing while it is read stays bounded. Room for
    // the whole file is taken at once, rather than grown (and copied) as it is read.
    let most = limits.file_mib.saturating_mul(1 << 20) + 1;
    let mut bytes = Vec::with_capacity(usize::try_from(size.min(most)).unwrap_or(0));
    std::io::Read::read_to_end(
        &mut std::io::Read::take(
            std::fs::File::open(path).map_err(|e| fail(FileProblem::Io(e.to_string())))?,
            most,
        ),
        &mut bytes,
    )
    .map_err(|e| fail(FileProblem::Io(e.to_string())))?;
    over_file_size(bytes.len() as u64, limits).map_err(fail)?;
    let sha256 = format!("{:x}", Sha256::digest(&bytes));
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let configured_unit = pipeline
        .file_units
        .iter()
        .find(|(pattern, _)| name_matches(pattern, &file_name))
        .map(|(_, u)| u.clone());
    let grids = grid::read_grids(path, &bytes, limits).map_err(fail)?;
    Ok(Loaded {
        display,
        sha256,
        file_name,
        configured_unit,
        grids,
    })
}

/// A file's sheets whole, for a kind that reads its tables itself (statistics tables with
/// merged header rows, [`crate::kind::Kind::read_sheets`]): the file as a source of `kind`,
/// and its sheets.
pub fn read_sheets(
    pipeline: &Pipeline,
    index: usize,
    path: &Path,
    kind: &'static str,
) -> Result<(SourceFile, Vec<grid::Grid>), (String, FileProblem)> {
    let l = load(pipeline, path)?;
    let source = SourceFile {
        index,
        path: path.to_path_buf(),
        display: l.display,
        sha256: l.sha256,
        kind,
        configured_unit: l.configured_unit,
        encoding: l.grids.iter().find_map(|g| g.encoding.clone()),
    };
    Ok((source, l.grids))
}

/// What reading one usable file gives.
#[derive(Debug)]
pub struct FileRead {
    /// The file.
    pub source: SourceFile,
    /// The input kind its headers fit.
    pub kind: &'static str,
    /// Its data tables.
    pub tables: Vec<RawTable>,
    /// Header names nobody knows.
    pub unknown: Vec<UnknownColumn>,
    /// Sheets passed over.
    pub skipped: Vec<SkippedSheet>,
    /// The companion sheets of its kind, as text.
    pub companions: Vec<SheetText>,
}

/// Reads one input file into raw tables of the one kind its headers fit: the file's position
/// in the input order, its path, and the kinds it may be (one when the pipeline pins it).
pub fn read_file(
    pipeline: &Pipeline,
    index: usize,
    path: &Path,
    kinds: &[&HeaderVocab],
) -> Result<FileRead, (String, FileProblem)> {
    let Loaded {
        display,
        sha256,
        file_name,
        configured_unit,
        mut grids,
    } = load(pipeline, path)?;
    let fail = |p: FileProblem| (display.clone(), p);
    // Each sheet's header, for every kind it fits completely.
    let mut fits: Vec<Vec<(usize, header::HeaderMatch)>> = Vec::new();
    let mut incomplete: Vec<FileProblem> = Vec::new();
    let mut no_header: Vec<String> = Vec::new();
    let mut searched: Vec<SheetSearched> = Vec::new();
    // Each sheet's closest row for each kind, in the order searched: told only when no kind's
    // header fits anywhere ([`nearest_of`]).
    let mut near_rows: Vec<(usize, usize, header::HeaderMatch)> = Vec::new();
    let mut keys = header::Keys::default();
    for (gi, g) in grids.iter().enumerate() {
        let mut found = Vec::new();
        let mut any_header = false;
        let mut until: Option<usize> = None;
        let mut reached = 0usize;
        let mut stopped_early = false;
        let mut texts = header::RowTexts::new(g);
        for (k, vocab) in kinds.iter().enumerate() {
            let search = header::search_header(&mut texts, vocab, until, &mut keys);
            reached = reached.max(search.rows_searched);
            stopped_early |= search.stopped_early;
            if let Some(near) = search.nearest {
                near_rows.push((gi, k, near));
            }
            let Some(h) = search.found else {
                continue;
            };
            until = Some(
                until
                    .unwrap_or(usize::MAX)
                    .min(header::search_limit_after(&h)),
            );
            any_header = true;
            let missing: Vec<(String, Vec<String>)> = vocab
                .columns
                .iter()
                .enumerate()
                .filter(|(i, c)| c.required && !h.has(*i) && Some(*i) != vocab.unit_column)
                .map(|(_, c)| (c.label.clone(), c.aliases.clone()))
                .collect();
            if missing.is_empty() {
                found.push((k, h));
            } else {
                // A summary sheet may look like a list; it only matters if no sheet is a full list.
                incomplete.push(FileProblem::MissingColumns {
                    sheet: g.name.clone(),
                    row: g.row_number(h.row),
                    missing,
                });
            }
        }
        if !any_header && g.rows.iter().any(|r| r.iter().any(|c| !c.is_empty())) {
            no_header.push(g.name.clone());
            searched.push(SheetSearched {
                sheet: g.name.clone(),
                last_row: g.row_number(reached.max(1) - 1),
                sheet_rows: g.row_number(g.rows.len().max(1) - 1),
                stopped_early,
            });
        }
        fits.push(found);
    }
    let mut fitting: Vec<usize> = fits.iter().flatten().map(|(k, _)| *k).collect();
    fitting.sort();
    fitting.dedup();
    let kind = match fitting.as_slice() {
        [] => {
            if let Some(first) = incomplete.into_iter().next() {
                return Err(fail(first));
            }
            let expected = kinds
                .iter()
                .map(|v| (v.list_name.clone(), v.identifying_names()))
                .collect();
            return Err(fail(FileProblem::NoHeader {
                expected,
                searched,
                nearest: nearest_of(&grids, kinds, &near_rows),
            }));
        }
        [one] => *one,
        several => {
            return Err(fail(FileProblem::AmbiguousKind {
                kinds: several
                    .iter()
                    .map(|k| kinds[*k].list_name.clone())
                    .collect(),
            }))
        }
    };
    let vocab = kinds[kind];
    let mut tables = Vec::new();
    let mut unknown = Vec::new();
    let mut companions = Vec::new();
    let companion_keys: Vec<String> = vocab
        .companion_sheets
        .iter()
        .map(|s| crate::text::match_key(s))
        .collect();
    for (g, found) in grids.iter_mut().zip(fits) {
        let Some((_, h)) = found.into_iter().find(|(k, _)| *k == kind) else {
            if companion_keys.contains(&crate::text::match_key(&g.name)) {
                no_header.retain(|n| n != &g.name);
                let mut cells = Vec::new();
                for (r, row) in g.rows.iter().enumerate() {
                    for (c, cell) in row.iter().enumerate() {
                        let t = clean(&cell.as_text());
                        if !t.is_empty() {
                            cells.push((g.row_number(r), g.first_col + c as u32 + 1, t));
                        }
                    }
                }
                companions.push(SheetText {
                    name: g.name.clone(),
                    cells,
                });
            }
            continue;
        };
        let title_lines: Vec<String> = (0..h.row)
            .map(|r| {
                g.rows[r]
                    .iter()
                    .map(|c| clean(&c.as_text()))
                    .filter(|t| !t.is_empty())
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|l| !l.is_empty())
            .collect();
        let file_unit = match vocab.unit_column {
            None => None,
            Some(u) if h.has(u) => configured_unit.clone().map(|u| (u, UnitSource::Configured)),
            Some(_) => {
                let found = configured_unit
                    .clone()
                    .map(|u| (u, UnitSource::Configured))
                    .or_else(|| {
                        unit_from_titles(pipeline, &title_lines).map(|u| (u, UnitSource::TitleLine))
                    })
                    .or_else(|| {
                        unit_from_file_name(pipeline, &file_name).map(|u| (u, UnitSource::FileName))
                    });
                match found {
                    Some(u) => Some(u),
                    None if vocab.unit_required => {
                        return Err(fail(FileProblem::NoUnit {
                            sheet: g.name.clone(),
                        }))
                    }
                    None => None,
                }
            }
        };
        for name in &h.unknown {
            unknown.push(UnknownColumn {
                file: index,
                sheet: g.name.clone(),
                header: name.clone(),
            });
        }
        tables.push(table_rows(g, &h, index, file_unit, title_lines, vocab));
    }
    let mut skipped: Vec<SkippedSheet> = no_header
        .into_iter()
        .map(|sheet| SkippedSheet {
            file: index,
            sheet,
            reason: format!(
                "không đọc vì không có dòng tiêu đề của {} (trang bìa, hướng dẫn, tổng hợp…)",
                vocab.list_name
            ),
        })
        .collect();
    let incomplete_sheets: Vec<SkippedSheet> = incomplete
        .into_iter()
        .filter(|p| match p {
            FileProblem::MissingColumns { sheet, .. } => !tables.iter().any(|t| &t.sheet == sheet),
            _ => true,
        })
        .map(|p| SkippedSheet {
            file: index,
            sheet: match &p {
                FileProblem::MissingColumns { sheet, .. } => sheet.clone(),
                _ => String::new(),
            },
            reason: format!("không đọc vì {p}"),
        })
        .collect();
    skipped.extend(incomplete_sheets);
    Ok(FileRead {
        source: SourceFile {
            index,
            path: path.to_path_buf(),
            display,
            sha256,
            kind: vocab.kind,
            configured_unit,
            encoding: grids.iter().find_map(|g| g.encoding.clone()),
        },
        kind: vocab.kind,
        tables,
        unknown,
        skipped,
        companions,
    })
}

/// The phrase telling the row that came closest to a header when none fits: of the sheets' closest
/// rows for each kind (sheet, kind, row, in the order searched), the first with the most columns
/// recognised, then the most near misses; none when no row has either.
fn nearest_of(
    grids: &[grid::Grid],
    kinds: &[&HeaderVocab],
    near_rows: &[(usize, usize, header::HeaderMatch)],
) -> Option<String> {
    let mut nearest: Option<((usize, usize), String)> = None;
    for (g, k, near) in near_rows {
        let (g, vocab) = (&grids[*g], kinds[*k]);
        let misses = header::near_misses(vocab, &near.unknown);
        let score = (near.columns.len(), misses.len());
        if score > (0, 0) && nearest.as_ref().is_none_or(|(best, _)| score > *best) {
            nearest = Some((score, nearest_phrase(g, vocab, near, &misses)));
        }
    }
    nearest.map(|(_, phrase)| phrase)
}

/// The closest row to a header, as a person reads it: `dòng 5 của trang tính «Sheet1»: có cột
/// «Đơn vị», «Lĩnh vực»; «Ma ho so» gần với tên cột «Mã hồ sơ»`.
fn nearest_phrase(
    g: &grid::Grid,
    vocab: &HeaderVocab,
    near: &header::HeaderMatch,
    misses: &[(String, String)],
) -> String {
    let rows = if near.height == 2 {
        format!(
            "dòng {}–{}",
            g.row_number(near.row),
            g.row_number(near.row + 1)
        )
    } else {
        format!("dòng {}", g.row_number(near.row))
    };
    let mut parts = Vec::new();
    if !near.columns.is_empty() {
        let names: Vec<String> = near
            .columns
            .iter()
            .map(|(_, _, t)| format!("«{t}»"))
            .collect();
        parts.push(format!(
            "có cột {} của {}",
            names.join(", "),
            vocab.list_name
        ));
    }
    let misses: Vec<String> = misses
        .iter()
        .map(|(t, name)| format!("«{t}» gần với tên cột «{name}»"))
        .collect();
    parts.extend(misses);
    format!("{rows} của trang tính «{}»: {}", g.name, parts.join("; "))
}

/// The one unit the title lines above a header name, if exactly one.
fn unit_from_titles(pipeline: &Pipeline, lines: &[String]) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    for l in lines {
        if let Some(u) = pipeline.units.find(l) {
            found.push(u.name.clone());
            continue;
        }
        for u in pipeline.units.mentioned_in(l) {
            found.push(u.name.clone());
        }
    }
    found.sort();
    found.dedup();
    (found.len() == 1).then(|| found.remove(0))
}

/// ASCII slug of a name: `Xã Đông Thạnh` → `xa-dong-thanh`.
pub fn slug(s: &str) -> String {
    use unicode_normalization::UnicodeNormalization;
    let mut out = String::new();
    for c in s.nfd() {
        let c = match c {
            'đ' => 'd',
            'Đ' => 'd',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !unicode_normalization::char::is_combining_mark(c) && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_matches('-').to_string()
}

/// The one unit whose slug the file name contains, if exactly one (the longest wins a nesting).
fn unit_from_file_name(pipeline: &Pipeline, file_name: &str) -> Option<String> {
    let name = format!("-{}-", slug(file_name));
    let mut hits: Vec<&str> = pipeline
        .units
        .all()
        .iter()
        .filter(|u| name.contains(&format!("-{}-", slug(&u.name))))
        .map(|u| u.name.as_str())
        .collect();
    hits.sort_by_key(|h| std::cmp::Reverse(slug(h).len()));
    match hits.as_slice() {
        [one] => Some(one.to_string()),
        [first, second, ..] if slug(first).contains(&slug(second)) => Some(first.to_string()),
        _ => None,
    }
}

fn table_rows(
    g: &mut grid::Grid,
    h: &header::HeaderMatch,
    file: usize,
    file_unit: Option<(String, UnitSource)>,
    title_lines: Vec<String>,
    vocab: &HeaderVocab,
) -> RawTable {
    let mut r = h.row + h.height;
    while r < g.rows.len() && header::is_numbering_row(&g.rows[r]) {
        r += 1;
    }
    let record_pos: Vec<usize> = vocab
        .record
        .iter()
        .filter_map(|c| h.columns.iter().position(|(n, _, _)| n == c))
        .collect();
    let mut rows = Vec::new();
    let mut blank_rows = 0;
    let mut pending_blank = 0;
    let mut footer_rows = Vec::new();
    let mut in_footer = false;
    let mut in_order: Vec<Cell> = Vec::with_capacity(h.columns.len());
    const EMPTY: Cell = Cell::Empty;
    for i in r..g.rows.len() {
        let row = &g.rows[i];
        // The cell under the header's `n`th mapped column.
        let mapped = |n: usize| row.get(h.columns[n].1).unwrap_or(&EMPTY);
        // A row that fills the kind's record columns (a dossier's code and received date), or
        // three known columns, is a record whatever its first cell says ("Xác nhận tình trạng
        // hôn nhân" is a procedure, not a signature).
        let filled = (0..h.columns.len())
            .filter(|n| !mapped(*n).is_empty())
            .count();
        let has_record_columns = !record_pos.is_empty()
            && record_pos.len() == vocab.record.len()
            && record_pos.iter().all(|p| !mapped(*p).is_empty());
        let first = row.iter().find(|c| !c.is_empty());
        // A row whose first cell is nothing but a footer word ("Tổng cộng") is a total however
        // many cells follow it (a summary's totals row, "Tổng cộng | 13 phản ánh").
        let total_row =
            first.is_some_and(|c| matches!(c, Cell::Text(t) if header::is_total_text(vocab, t)));
        let looks_like_record = !total_row && (has_record_columns || filled >= 3);
        // A record is never a footer: its first cell need not be read as one.
        let marker = total_row
            || (!looks_like_record
                && first.is_some_and(
                    |c| matches!(c, Cell::Text(t) if header::is_footer_text(vocab, t)),
                ));
        let text = || {
            row.iter()
                .filter(|c| !c.is_empty())
                .map(|c| clean(&c.as_text()))
                .collect::<Vec<_>>()
                .join(" | ")
        };
        if filled == 0 && !marker {
            if in_footer {
                if first.is_some() {
                    footer_rows.push((g.row_number(i), text()));
                }
            } else {
                pending_blank += 1;
            }
            continue;
        }
        if (marker || in_footer) && !looks_like_record {
            in_footer = true;
            footer_rows.push((g.row_number(i), text()));
            continue;
        }
        in_footer = false;
        // Blank rows count only when data follows them: trailing ones are the sheet's end.
        blank_rows += pending_blank;
        pending_blank = 0;
        // The grid is read once: its row is moved out and its cells put in the table's order
        // in place, rather than copied into a row of their own.
        let mut cells = std::mem::take(&mut g.rows[i]);
        in_order.extend(
            h.columns
                .iter()
                .map(|(_, c, _)| cells.get_mut(*c).map(std::mem::take).unwrap_or_default()),
        );
        cells.clear();
        cells.append(&mut in_order);
        rows.push(RawRow {
            row: g.row_number(i),
            cells,
        });
    }
    let at =
        |c: usize, t: &str| format!("«{t}» (cột {})", column_letters(g.first_col as usize + c));
    let duplicate_columns = h
        .duplicates
        .iter()
        .filter_map(|(n, c, t)| {
            let (_, kept, kept_text) = h.columns.iter().find(|(m, _, _)| m == n)?;
            Some((at(*c, t), at(*kept, kept_text)))
        })
        .collect();
    RawTable {
        file,
        sheet: g.name.clone(),
        header_row: g.row_number(h.row),
        duplicate_columns,
        columns: h.columns.iter().map(|(n, _, t)| (*n, t.clone())).collect(),
        title_lines,
        file_unit,
        rows,
        blank_rows,
        footer_rows,
    }
}

/// A 0-based column's letters as a spreadsheet program shows them: 0 → A, 27 → AB.
pub fn column_letters(mut c: usize) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (c % 26) as u8);
        if c < 26 {
            break;
        }
        c = c / 26 - 1;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_columns() {
        assert_eq!(column_letters(0), "A");
        assert_eq!(column_letters(25), "Z");
        assert_eq!(column_letters(26), "AA");
        assert_eq!(column_letters(27), "AB");
        assert_eq!(column_letters(701), "ZZ");
        assert_eq!(column_letters(702), "AAA");
    }

    #[test]
    fn shows_paths_without_dot_dot() {
        assert_eq!(
            lexically_clean(Path::new("pipelines/../fixtures/./a.csv")),
            PathBuf::from("fixtures/a.csv")
        );
        assert_eq!(
            lexically_clean(Path::new("../x/a.csv")),
            PathBuf::from("../x/a.csv")
        );
    }

    #[test]
    fn slugs_vietnamese_names() {
        assert_eq!(slug("Xã Đông Thạnh"), "xa-dong-thanh");
        assert_eq!(slug("xa-dong-thanh-q1.csv"), "xa-dong-thanh-q1-csv");
    }
}
