//! Deterministic, seeded sample exports of the district's dossier systems, and the satisfaction
//! evaluations of those dossiers (`satisfaction.rs`), and feedback and petitions (`pakn.rs`).
//!
//! Why this exists: the reader must cope with what the district's units
//! actually send — city-system exports per office and hand-kept one-stop-shop
//! lists per commune, in xlsx, xls, ods and CSV, with title lines, merged
//! two-row headers, cover sheets, footers, blank rows, every header alias and
//! value spelling of `spec/export-columns.md`, every date form of
//! `spec/tthc-rules.md` §6, NFD and old tone placement, overlapping re-exports
//! and a few broken rows. Real exports hold personal data and cannot be
//! committed; these files can, and because the same seed gives byte-identical
//! xlsx/csv/ods, they also serve as golden inputs for tests and, at the larger
//! scales, as load tests.
//!
//! How: every dossier's life is drawn from a PRNG stream keyed by (seed, unit,
//! day) (`dossier.rs`), so each file regenerates only the days it lists, one
//! file at a time; each unit keeps one set of layout habits (`style.rs`); a
//! file is first built as a format-neutral workbook model (`render.rs`) and
//! then laid out by a writer (`write.rs`).

mod catalog;
pub mod commune;
mod dossier;
mod pakn;
mod portal;
mod province;
mod real;
mod render;
mod rng;
mod satisfaction;
mod self_report;
mod style;
mod system_stats;
mod write;

use std::fs;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use chrono::{Duration, NaiveDate};

use catalog::{Level, UNITS};
use style::{FileSpec, Fmt, Footer, Sheets, Style, Titles};

pub use rng::SplitMix64;

/// What to generate.
#[derive(Clone, Debug)]
pub struct SampleOptions {
    pub out_dir: PathBuf,
    pub seed: u64,
    pub scale: Scale,
    /// Convert the one xls file with LibreOffice (`soffice`); when false or
    /// when LibreOffice is missing, that file is written as xlsx.
    pub xls_via_soffice: bool,
}

/// How much to generate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scale {
    /// About 4,000 dossiers received 2023-10-01 … 2024-03-25 in 26 files
    /// (under 1 MB); small enough to commit.
    Sample,
    /// The same 26 files and period, about 60,000 dossiers.
    Quarter,
    /// About 500,000 dossiers received in 2023–2024, one file per unit and
    /// calendar quarter (193 files).
    TwoYears,
    /// About 5 million dossiers received in 2024, one file per unit and month
    /// (289 files).
    CityYear,
    /// A commune after the 2025 reform (xã Hóc Môn, one level of units), 2025-Q3 and Q4: its
    /// dossier list, evaluations and PAKN (`pipelines/xa-hoc-mon/`).
    Commune,
    /// A province's submissions for `cchc consolidate`: a dozen communes' indicators.json,
    /// each made by running the commune pipeline on its generated exports (`province`).
    Province,
}

/// One written file.
#[derive(Clone, Debug)]
pub struct FileDetail {
    pub path: PathBuf,
    /// Canonical name of the unit whose export this is.
    pub unit: String,
    /// `huyen` or `xa`.
    pub level: &'static str,
    /// False: the unit is only in the title lines and the file name.
    pub unit_column: bool,
    /// Data rows written (bad rows included).
    pub rows: usize,
    /// Bad rows: kind and 1-based position among the data rows.
    pub bad_rows: Vec<(String, usize)>,
    /// The layout habits this file shows.
    pub habits: Vec<String>,
}

/// What was written.
#[derive(Clone, Debug)]
pub struct SampleSummary {
    /// Every file written, sorted by path.
    pub files: Vec<PathBuf>,
    /// Distinct dossiers listed (a dossier repeated in several files counts once).
    pub dossiers: usize,
    /// Data rows over all files, repeats and bad rows included.
    pub rows: usize,
    /// Files without a unit column and the canonical unit the pipeline must
    /// give them (their names start with `xa-<slug>-`).
    pub file_units: Vec<(PathBuf, String)>,
    pub details: Vec<FileDetail>,
    /// Anything that differs from the request (e.g. the xls written as xlsx).
    pub notes: Vec<String>,
}

impl SampleSummary {
    /// A Markdown description of the files, for a fixtures README.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "{} files, {} dossiers, {} data rows.\n\n| file | unit | rows | habits |\n|---|---|---|---|\n",
            self.files.len(),
            self.dossiers,
            self.rows
        );
        for d in &self.details {
            let name = d
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default();
            let mut habits = d.habits.join("; ");
            if !d.bad_rows.is_empty() {
                let bad: Vec<String> = d
                    .bad_rows
                    .iter()
                    .map(|(k, r)| format!("{k} (data row {r})"))
                    .collect();
                habits.push_str(&format!("; bad rows: {}", bad.join(", ")));
            }
            s.push_str(&format!(
                "| {name} | {} | {} | {habits} |\n",
                d.unit, d.rows
            ));
        }
        for n in &self.notes {
            s.push_str(&format!("\nNote: {n}\n"));
        }
        s
    }
}

/// The shape of a scale.
#[derive(Clone, Debug)]
struct Params {
    periods: Vec<(NaiveDate, NaiveDate)>,
    /// Dossiers per working day over the whole district.
    per_workday: f64,
    /// Share of rows broken at random, beyond the bad rows each style forces.
    bad_rate: f64,
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("valid date")
}

fn month_end(y: i32, m: u32) -> NaiveDate {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    ymd(ny, nm, 1) - Duration::days(1)
}

impl Params {
    fn of(scale: Scale) -> Params {
        let sample = (ymd(2023, 10, 1), ymd(2024, 3, 25));
        match scale {
            Scale::Sample => Params {
                periods: vec![sample],
                per_workday: 32.0,
                bad_rate: 0.0,
            },
            Scale::Quarter => Params {
                periods: vec![sample],
                per_workday: 480.0,
                bad_rate: 0.0015,
            },
            Scale::TwoYears => Params {
                periods: [2023, 2024]
                    .into_iter()
                    .flat_map(|y| {
                        (0..4).map(move |q| (ymd(y, 3 * q + 1, 1), month_end(y, 3 * q + 3)))
                    })
                    .collect(),
                per_workday: 1_000.0,
                bad_rate: 0.0015,
            },
            // Generated by `commune::generate` / `province::generate`; never through the
            // district plan.
            Scale::Commune | Scale::Province => Params {
                periods: vec![sample],
                per_workday: 0.0,
                bad_rate: 0.0,
            },
            Scale::CityYear => Params {
                periods: (1..=12)
                    .map(|m| (ymd(2024, m, 1), month_end(2024, m)))
                    .collect(),
                per_workday: 20_000.0,
                bad_rate: 0.0015,
            },
        }
    }
}

/// Writes a realistic set of district exports into `out_dir`.
pub fn generate(opts: &SampleOptions) -> Result<SampleSummary> {
    if opts.scale == Scale::Province {
        let files = province::generate(&opts.out_dir, opts.seed)?;
        return Ok(SampleSummary {
            files,
            dossiers: 0,
            rows: 0,
            file_units: Vec::new(),
            details: Vec::new(),
            notes: Vec::new(),
        });
    }
    if opts.scale == Scale::Commune {
        let mut details = commune::generate(&opts.out_dir, opts.seed)?;
        // The dossier list is the first file the commune's generator writes, one row per
        // dossier (taken before the files are sorted by name, where the evaluations come first).
        let dossiers = details.first().map(|d| d.rows).unwrap_or(0);
        details.sort_by(|a, b| a.path.cmp(&b.path));
        return Ok(SampleSummary {
            files: details.iter().map(|d| d.path.clone()).collect(),
            dossiers,
            rows: details.iter().map(|d| d.rows).sum(),
            file_units: Vec::new(),
            details,
            notes: Vec::new(),
        });
    }
    generate_with(opts, &Params::of(opts.scale))
}

fn generate_with(opts: &SampleOptions, params: &Params) -> Result<SampleSummary> {
    fs::create_dir_all(&opts.out_dir)
        .with_context(|| format!("creating {}", opts.out_dir.display()))?;
    let styles = style::styles_for(opts.scale == Scale::Sample);
    let specs = style::plan(&styles, &params.periods);
    let want_xls = opts.xls_via_soffice && write::soffice_available();
    let mut notes = Vec::new();
    if specs.iter().any(|f| styles[f.style].fmt == Fmt::Xls) && !want_xls {
        notes.push(if opts.xls_via_soffice {
            "soffice not found on PATH: the .xls list was written as .xlsx".to_string()
        } else {
            "xls_via_soffice is off: the .xls list was written as .xlsx".to_string()
        });
    }
    let scratch = std::env::temp_dir().join(format!(
        "cchc-sample-{}-{:x}",
        std::process::id(),
        opts.seed
    ));

    let mut details = Vec::new();
    let (mut dossiers, mut rows) = (0, 0);
    for spec in &specs {
        let st = &styles[spec.style];
        let ctx = render::Ctx {
            seed: opts.seed,
            per_workday: params.per_workday,
            style: st,
            spec,
            bad_rate: params.bad_rate,
        };
        let mut path = opts.out_dir.join(&spec.name);
        if let Some(layout) = st.real {
            let counts = real::write_file(&ctx, layout, &path)?;
            dossiers += counts.new_dossiers;
            rows += counts.rows;
            details.push(FileDetail {
                path: path.clone(),
                unit: UNITS[st.unit].name.to_string(),
                level: "xa",
                unit_column: true,
                rows: counts.rows,
                bad_rows: Vec::new(),
                habits: vec![
                    layout.describe().to_string(),
                    format!(
                        "received {} … {}, exported {}",
                        spec.from,
                        spec.to,
                        spec.as_of.format("%Y-%m-%d %H:%M")
                    ),
                ],
            });
            continue;
        }
        let (book, counts) = render::build(&ctx);
        let mut written_as = st.fmt;
        match st.fmt {
            Fmt::Xlsx => write::write_xlsx(&book, &path)?,
            Fmt::Csv(o) => write::write_csv(&book, &path, o)?,
            Fmt::Ods => write::write_ods(&book, &path)?,
            Fmt::Xls => {
                let converted = if want_xls {
                    fs::create_dir_all(&scratch)?;
                    let tmp = scratch.join(Path::new(&spec.name).with_extension("xlsx"));
                    write::write_xlsx(&book, &tmp)?;
                    let r = write::convert_to_xls(&tmp, &scratch).and_then(|xls| {
                        fs::copy(&xls, &path)?;
                        Ok(())
                    });
                    if let Err(e) = &r {
                        notes.push(format!("{}: {e:#}; written as .xlsx instead", spec.name));
                    }
                    r.is_ok()
                } else {
                    false
                };
                if !converted {
                    path = path.with_extension("xlsx");
                    written_as = Fmt::Xlsx;
                    write::write_xlsx(&book, &path)?;
                }
            }
        }
        dossiers += counts.new_dossiers;
        rows += counts.rows;
        details.push(FileDetail {
            path: path.clone(),
            unit: UNITS[st.unit].name.to_string(),
            level: if UNITS[st.unit].level == Level::Huyen {
                "huyen"
            } else {
                "xa"
            },
            unit_column: st.unit_col,
            rows: counts.rows,
            bad_rows: counts
                .bad
                .iter()
                .map(|(k, r)| (k.describe().to_string(), *r))
                .collect(),
            habits: habits(st, spec, written_as, &counts),
        });
    }
    if scratch.exists() {
        let _ = fs::remove_dir_all(&scratch);
    }
    // Satisfaction evaluations of the dossiers of the last window, the survey tallies and the
    // PAKN lists: in the committed sample only, so that the larger scales stay the dossier
    // load tests the benchmark compares across sessions.
    if let Some((from, to)) = params
        .periods
        .last()
        .filter(|_| opts.scale == Scale::Sample)
    {
        let written = satisfaction::write_window(
            &opts.out_dir,
            opts.seed,
            params.per_workday,
            *from.max(&(*to - Duration::days(120))),
            *to,
        )?;
        rows += written.iter().map(|d| d.rows).sum::<usize>();
        details.extend(written);
        let written = pakn::write_window(&opts.out_dir, opts.seed, *from, *to)?;
        rows += written.iter().map(|d| d.rows).sum::<usize>();
        details.extend(written);
    }
    // The units' self-report forms of the sample quarter, filled in.
    if matches!(opts.scale, Scale::Sample) {
        let written = self_report::write_forms(&opts.out_dir, opts.seed)?;
        rows += written.iter().map(|d| d.rows).sum::<usize>();
        details.extend(written);
    }
    // The dossier system's own statistics of the quarter, and the portal's 766 scores (last:
    // they are scored from every other file).
    if matches!(opts.scale, Scale::Sample) {
        let lists: Vec<(&Style, &FileSpec)> = specs
            .iter()
            .filter(|f| f.primary_from.is_some())
            .map(|f| (&styles[f.style], f))
            .collect();
        let written =
            system_stats::write_table(&opts.out_dir, opts.seed, params.per_workday, &lists)?;
        rows += written.rows;
        details.push(written);
        match portal::write_table(&opts.out_dir, opts.seed)? {
            Ok(written) => {
                rows += written.rows;
                details.push(written);
            }
            Err(note) => notes.push(note),
        }
    }
    details.sort_by(|a, b| a.path.cmp(&b.path));
    let files: Vec<PathBuf> = details.iter().map(|d| d.path.clone()).collect();
    let file_units = details
        .iter()
        .filter(|d| !d.unit_column)
        .map(|d| (d.path.clone(), d.unit.clone()))
        .collect();
    Ok(SampleSummary {
        files,
        dossiers,
        rows,
        file_units,
        details,
        notes,
    })
}

fn habits(s: &Style, spec: &FileSpec, written: Fmt, counts: &render::Counts) -> Vec<String> {
    let mut h = Vec::new();
    h.push(match written {
        Fmt::Csv(o) => format!(
            "CSV UTF-8 {} BOM, '{}' separated, {} line ends{}",
            if o.bom { "with" } else { "without" },
            o.sep as char,
            if o.crlf { "CRLF" } else { "LF" },
            if o.pad {
                ", title lines padded with separators"
            } else {
                ""
            }
        ),
        Fmt::Xls => "xls (converted by LibreOffice)".into(),
        Fmt::Ods => "ods".into(),
        Fmt::Xlsx if s.fmt == Fmt::Xls => "xlsx standing in for the xls list".into(),
        Fmt::Xlsx => "xlsx".into(),
    });
    let merged = !matches!(written, Fmt::Csv(_));
    match s.titles {
        Titles::None => h.push("header on the first row".into()),
        Titles::Short => h.push("short title lines before the header".into()),
        Titles::Full => h.push(
            "title lines (agency, report title, period, export date) before the header".into(),
        ),
    }
    if s.titles != Titles::None && s.merge_titles && merged {
        h.push("title lines merged across the table".into());
    }
    if s.two_row {
        h.push(
            "two-row header with merged cells (group over sub-columns, others merged vertically)"
                .into(),
        );
    }
    if s.col_numbers {
        h.push("column-number row (1) (2) … under the header".into());
    }
    match s.sheets {
        Sheets::DataOnly => {}
        Sheets::CoverFirst => h.push("data on the second sheet, a cover sheet first".into()),
        Sheets::CoverGuideFirst => h.push("data on the third sheet (cover, guide, data)".into()),
        Sheets::SummaryAfter => h.push("a per-field summary sheet after the data sheet".into()),
    }
    match s.footer {
        Footer::None => {}
        Footer::Total => h.push("footer: Tổng cộng".into()),
        Footer::TotalSigned => h.push("footer: Tổng cộng, Người lập biểu, signatures".into()),
    }
    if s.blank_every > 0 {
        h.push(format!(
            "blank rows inside the data (about every {} rows)",
            s.blank_every
        ));
    }
    if s.stt {
        h.push("STT column".into());
    }
    if !s.extras.is_empty() {
        let names: Vec<&str> = s.extras.iter().map(|e| e.header()).collect();
        h.push(format!("unknown extra columns: {}", names.join(", ")));
    }
    if s.unit_col {
        h.push(format!(
            "unit spelled `{}`",
            render::Tx {
                nfd: false,
                old_tone: s.old_tone
            }
            .apply(&style::spell_unit(s.unit, s.spelling))
        ));
    } else {
        h.push("NO unit column: unit only in the title lines and the file name".into());
    }
    let headers: Vec<String> = catalog::ALL_CANON
        .iter()
        .filter(|&&c| style::has_col(s, c))
        .map(|&c| style::header_of(s, c).to_string())
        .collect();
    h.push(format!("headers: {}", headers.join(" | ")));
    if s.upper_headers {
        h.push("headers in capitals".into());
    }
    if s.nfd {
        h.push("all text NFD-decomposed".into());
    }
    if s.old_tone {
        h.push("old tone placement (Hoà, Thuỷ, Uỷ, hoá)".into());
    }
    if s.recv_mode == s.date_mode {
        h.push(format!("dates: {}", s.recv_mode.describe()));
    } else {
        h.push(format!(
            "received: {}; other dates: {}",
            s.recv_mode.describe(),
            s.date_mode.describe()
        ));
    }
    let yes_no_used = s.cols.apology || s.cols.dig_dossier || s.cols.dig_result || s.cols.epayment;
    if yes_no_used {
        h.push(format!("yes/no as {:?}", s.yesno));
    }
    if s.hand_typed {
        h.push("status and channel spellings vary row by row".into());
    } else {
        h.push("one status/channel spelling per value".into());
    }
    if !s.cols.completed {
        h.push("no completed column: only the returned date".into());
    }
    if s.descending {
        h.push("rows newest first".into());
    }
    if s.long_proc_code {
        h.push("long procedure codes (….000.00.00.H29)".into());
    }
    if counts.guests > 0 {
        let names: Vec<&str> = s.guests.iter().map(|&g| UNITS[g].name).collect();
        h.push(format!(
            "repeats {} online civil-status dossiers of {} (same codes as their commune lists)",
            counts.guests,
            names.join(", ")
        ));
    }
    if let Some(orig) = &spec.reexport_of {
        h.push(format!("re-export of part of {orig} taken 7 days later"));
    }
    if spec.primary_from.is_some_and(|p| p > spec.from) {
        h.push("date range overlaps the unit's previous file".into());
    }
    if !s.bad.is_empty() {
        let kinds: Vec<&str> = s.bad.iter().map(|k| k.describe()).collect();
        h.push(format!("forced bad rows: {}", kinds.join(", ")));
    }
    h.push(format!(
        "received {} … {}, exported {}",
        spec.from,
        spec.to,
        spec.as_of.format("%Y-%m-%d %H:%M")
    ));
    h.push(format!(
        "level {}",
        if UNITS[s.unit].level == Level::Huyen {
            "huyện"
        } else {
            "xã"
        }
    ));
    h
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Read;

    fn tiny() -> Params {
        Params {
            periods: vec![(ymd(2023, 12, 1), ymd(2024, 1, 20))],
            per_workday: 8.0,
            bad_rate: 0.01,
        }
    }

    struct TempDir(PathBuf);
    impl TempDir {
        fn new(tag: &str) -> TempDir {
            let p =
                std::env::temp_dir().join(format!("cchc-sample-test-{}-{tag}", std::process::id()));
            let _ = fs::remove_dir_all(&p);
            TempDir(p)
        }
    }
    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = fs::remove_dir_all(&self.0);
        }
    }

    fn opts(dir: &Path, seed: u64) -> SampleOptions {
        SampleOptions {
            out_dir: dir.to_path_buf(),
            seed,
            scale: Scale::Sample,
            xls_via_soffice: false,
        }
    }

    #[test]
    fn same_seed_same_bytes() {
        let (a, b, c) = (TempDir::new("a"), TempDir::new("b"), TempDir::new("c"));
        let sa = generate_with(&opts(&a.0, 11), &tiny()).unwrap();
        let sb = generate_with(&opts(&b.0, 11), &tiny()).unwrap();
        generate_with(&opts(&c.0, 12), &tiny()).unwrap();
        // 26 dossier, 4 satisfaction, 3 PAKN exports; 29 self-report forms and one of 2023-Q4;
        // the system's statistics table and the portal's 766 table.
        assert_eq!(sa.files.len(), 65);
        assert_eq!((sa.dossiers, sa.rows), (sb.dossiers, sb.rows));
        let mut differs = false;
        for (fa, fb) in sa.files.iter().zip(&sb.files) {
            assert_eq!(fa.file_name(), fb.file_name());
            let ext = fa.extension().unwrap().to_str().unwrap();
            // .xls: the HTML tables of Tân Dân and the older software (real.rs).
            assert!(["xlsx", "csv", "ods", "xls"].contains(&ext), "{fa:?}");
            assert_eq!(fs::read(fa).unwrap(), fs::read(fb).unwrap(), "{fa:?}");
            let fc = c.0.join(fa.file_name().unwrap());
            differs |= fs::read(fa).unwrap() != fs::read(fc).unwrap();
        }
        assert!(differs, "another seed gives other data");
        assert_eq!(sa.file_units.len(), 3);
        for (p, unit) in &sa.file_units {
            let name = p.file_name().unwrap().to_str().unwrap();
            assert!(name.starts_with("xa-"), "{name}");
            assert!(unit.starts_with("Xã "), "{unit}");
        }
        assert!(sa.notes.iter().any(|n| n.contains("xlsx")));
    }

    #[test]
    fn ods_is_a_valid_package() {
        let dir = TempDir::new("ods");
        let s = generate_with(&opts(&dir.0, 3), &tiny()).unwrap();
        let odss: Vec<&PathBuf> = s
            .files
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "ods"))
            .collect();
        // Xã Tân Thới Nhì's list and the survey tallies (Xã Đông Thạnh writes OpenCPS's xlsx).
        assert_eq!(odss.len(), 2);
        for p in odss {
            let bytes = fs::read(p).unwrap();
            // The mimetype entry is first, stored, with no extra field, so
            // its content sits at byte 38 (ODF 1.2 §3.3).
            assert_eq!(&bytes[0..4], b"PK\x03\x04");
            assert_eq!(u16::from_le_bytes([bytes[8], bytes[9]]), 0, "stored");
            assert_eq!(&bytes[30..38], b"mimetype");
            assert_eq!(
                u16::from_le_bytes([bytes[28], bytes[29]]),
                0,
                "no extra field"
            );
            assert_eq!(&bytes[38..38 + 46], write_mime().as_bytes());
            let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            assert_eq!(z.by_index(0).unwrap().name().unwrap(), "mimetype");
            let mut manifest = String::new();
            z.by_name("META-INF/manifest.xml")
                .unwrap()
                .read_to_string(&mut manifest)
                .unwrap();
            assert!(manifest.contains("content.xml"));
            let mut content = String::new();
            z.by_name("content.xml")
                .unwrap()
                .read_to_string(&mut content)
                .unwrap();
            // Dossier lists hold date cells; the survey tallies only counts.
            let tally = p
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("khao-sat");
            assert!(tally || content.contains(r#"office:value-type="date""#));
            assert_eq!(
                content.matches("<table:table-row>").count(),
                content.matches("</table:table-row>").count()
            );
            // The calamine reader the pipeline uses can open it.
            use calamine::Reader;
            let mut wb: calamine::Ods<_> = calamine::open_workbook(p).unwrap();
            let names = wb.sheet_names();
            let range = wb.worksheet_range(&names[0]).unwrap();
            assert!(range.height() > 5);
        }
    }

    /// Every status, channel and yes/no spelling of export-columns.md and
    /// every kind of bad row appears in the Sample set, whatever the seed.
    #[test]
    fn sample_uses_the_whole_vocabulary() {
        use unicode_normalization::UnicodeNormalization;
        for seed in [0, 1, 42, 2024] {
            let params = Params::of(Scale::Sample);
            let styles = style::styles();
            let mut texts = std::collections::HashSet::new();
            let mut bools = false;
            let mut bad = std::collections::HashSet::new();
            for spec in style::plan(&styles, &params.periods) {
                // Real systems' layouts write the portal's words (real.rs).
                if styles[spec.style].real.is_some() {
                    continue;
                }
                let ctx = render::Ctx {
                    seed,
                    per_workday: params.per_workday,
                    style: &styles[spec.style],
                    spec: &spec,
                    bad_rate: params.bad_rate,
                };
                let (book, counts) = render::build(&ctx);
                bad.extend(counts.bad.iter().map(|(k, _)| *k));
                for sheet in &book.sheets {
                    for row in &sheet.rows {
                        for c in &row.cells {
                            match c {
                                render::Cell::Text(t) => {
                                    texts.insert(t.nfc().collect::<String>());
                                }
                                render::Cell::Bool(_) => bools = true,
                                _ => {}
                            }
                        }
                    }
                }
            }
            let has = |w: &str| texts.contains(w) || texts.contains(&render::old_tone(w));
            let statuses = [
                catalog::Status::Received,
                catalog::Status::Processing,
                catalog::Status::Supplement,
                catalog::Status::ResultReady,
                catalog::Status::Returned,
                catalog::Status::Refused,
                catalog::Status::Withdrawn,
            ];
            for st in statuses {
                for w in st.spellings() {
                    assert!(has(w), "seed {seed}: status {w}");
                }
            }
            for ch in [
                catalog::Channel::Online,
                catalog::Channel::Direct,
                catalog::Channel::Postal,
            ] {
                for w in ch.spellings() {
                    assert!(has(w), "seed {seed}: channel {w}");
                }
            }
            for w in [
                "Có",
                "x",
                "Đã số hóa",
                "Đã xin lỗi",
                "Rồi",
                "Không",
                "Chưa",
                "Tiền mặt",
            ] {
                assert!(has(w), "seed {seed}: yes/no {w}");
            }
            assert!(bools, "real booleans");
            for k in style::BadKind::ALL {
                assert!(bad.contains(&k), "seed {seed}: bad row {k:?}");
            }
        }
    }

    fn write_mime() -> &'static str {
        "application/vnd.oasis.opendocument.spreadsheet"
    }

    #[test]
    fn scales_have_the_promised_shape() {
        let sample = Params::of(Scale::Sample);
        let styles = style::styles();
        assert_eq!(style::plan(&styles, &sample.periods).len(), 26);
        assert_eq!(
            style::plan(&styles, &Params::of(Scale::Quarter).periods).len(),
            26
        );
        assert_eq!(
            style::plan(&styles, &Params::of(Scale::TwoYears).periods).len(),
            193
        );
        assert_eq!(
            style::plan(&styles, &Params::of(Scale::CityYear).periods).len(),
            289
        );
        let names: Vec<String> = style::plan(&styles, &Params::of(Scale::CityYear).periods)
            .into_iter()
            .map(|f| f.name)
            .collect();
        let mut dedup = names.clone();
        dedup.sort();
        dedup.dedup();
        assert_eq!(dedup.len(), names.len(), "file names are unique");
    }
}
