//! The harness: a temporary case folder, files written into it, the pipeline run on it.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use cchc::indicators::Counts;
use cchc::pipeline::{self, Outputs, RunReport, RunRequest};

/// The repository root.
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The shipped pipeline file.
pub fn shipped_pipeline() -> PathBuf {
    root().join("pipelines/quarterly.toml")
}

/// The header every inline CSV case uses unless it says otherwise.
pub const HEADER: &str =
    "Mã hồ sơ;Đơn vị;Lĩnh vực;Ngày tiếp nhận;Ngày hẹn trả;Ngày có kết quả;Trạng thái;Hình thức nộp";

/// A case: a temporary folder of input files and a pipeline to run on them.
pub struct Case {
    pub dir: tempfile::TempDir,
    pub pipeline: PathBuf,
    pub period: String,
}

impl Case {
    /// A case with the shipped configuration, for 2024-Q1 (15/12/2023 – 14/03/2024).
    pub fn new() -> Case {
        let dir = tempfile::tempdir().expect("temp dir");
        std::fs::create_dir_all(dir.path().join("inputs")).unwrap();
        Case {
            dir,
            pipeline: shipped_pipeline(),
            period: "2024-Q1".into(),
        }
    }

    /// A case whose pipeline is the shipped one with some lines changed (`from` → `to`).
    pub fn with_pipeline_edit(from: &str, to: &str) -> Case {
        Case::with_config_edit("quarterly.toml", from, to)
    }

    /// A case whose pipeline is a copy of the shipped one with `from` replaced by `to` in the
    /// configuration file `name`.
    pub fn with_config_edit(name: &str, from: &str, to: &str) -> Case {
        let mut case = Case::new();
        let cfg = case.dir.path().join("cfg");
        std::fs::create_dir_all(&cfg).unwrap();
        for entry in std::fs::read_dir(root().join("pipelines")).unwrap() {
            let p = entry.unwrap().path();
            if p.is_file() {
                std::fs::copy(&p, cfg.join(p.file_name().unwrap())).unwrap();
            }
        }
        let file = cfg.join(name);
        let text = std::fs::read_to_string(&file).unwrap();
        assert!(text.contains(from), "{name} has no «{from}»");
        std::fs::write(&file, text.replace(from, to)).unwrap();
        case.pipeline = cfg.join("quarterly.toml");
        case
    }

    pub fn period(mut self, p: &str) -> Case {
        self.period = p.into();
        self
    }

    pub fn inputs(&self) -> PathBuf {
        self.dir.path().join("inputs")
    }

    /// A case whose inputs are copies of the named cases of `fixtures/external/`.
    pub fn with_external(names: &[&str]) -> Case {
        let case = Case::new();
        for name in names {
            let from = root().join("fixtures/external").join(name).join("inputs");
            for entry in std::fs::read_dir(&from).unwrap() {
                let p = entry.unwrap().path();
                std::fs::copy(&p, case.inputs().join(p.file_name().unwrap())).unwrap();
            }
        }
        case
    }

    /// Writes a text file into the inputs.
    pub fn file(&self, name: &str, text: &str) -> &Case {
        let p = self.inputs().join(name);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
        self
    }

    /// Writes a CSV of the standard header and the given `;`-separated rows.
    pub fn csv(&self, name: &str, rows: &[&str]) -> &Case {
        let mut text = String::from(HEADER);
        for r in rows {
            text.push('\n');
            text.push_str(r);
        }
        text.push('\n');
        self.file(name, &text)
    }

    pub fn request(&self, outputs: Outputs) -> RunRequest {
        RunRequest {
            pipeline: self.pipeline.clone(),
            period: Some(self.period.clone()),
            inputs: vec![self.inputs()],
            out: Some(self.out()),
            outputs,
            progress: false,
            store: None,
            all_stored: false,
        }
    }

    /// A request for one period, reading the inputs without a store.
    pub fn clone_request_for(&self, period: &str) -> RunRequest {
        let mut r = self.request(Outputs::Nothing);
        r.period = Some(period.to_string());
        r
    }

    pub fn out(&self) -> PathBuf {
        self.dir.path().join("out")
    }

    /// Runs the pipeline, writing nothing.
    pub fn run(&self) -> RunReport {
        pipeline::run(&self.request(Outputs::Nothing))
            .unwrap_or_else(|e| panic!("run failed: {e:#}"))
    }

    /// Runs the pipeline expecting it to fail; returns the whole message.
    pub fn run_err(&self) -> String {
        match pipeline::run(&self.request(Outputs::All)) {
            Ok(_) => panic!("the run should have failed"),
            Err(e) => format!("{e:#}"),
        }
    }

    /// Runs the pipeline writing every output.
    pub fn run_all(&self) -> RunReport {
        pipeline::run(&self.request(Outputs::All)).unwrap_or_else(|e| panic!("run failed: {e:#}"))
    }
}

/// The counts of one (unit, field) row; panics if there is no such row.
pub fn counts(r: &RunReport, unit: &str, field: &str) -> Counts {
    r.indicators
        .dossier()
        .form06
        .rows
        .iter()
        .find(|row| row.unit == unit && row.field == field)
        .unwrap_or_else(|| {
            let have: Vec<_> = r
                .indicators
                .dossier()
                .form06
                .rows
                .iter()
                .map(|x| format!("{} / {}", x.unit, x.field))
                .collect();
            panic!("no row {unit} / {field}; rows: {have:?}")
        })
        .counts
}

/// Counts built from named values, the rest zero: `c(&[("new_direct", 1), ...])`.
pub fn c(values: &[(&str, u64)]) -> Counts {
    let mut k = Counts::default();
    for (name, v) in values {
        let slot = match *name {
            "carried_over" => &mut k.carried_over,
            "new_online" => &mut k.new_online,
            "new_direct" => &mut k.new_direct,
            "new_postal" => &mut k.new_postal,
            "new_unknown_channel" => &mut k.new_unknown_channel,
            "resolved_early" => &mut k.resolved_early,
            "resolved_on_time" => &mut k.resolved_on_time,
            "resolved_late" => &mut k.resolved_late,
            "pending_within" => &mut k.pending_within,
            "pending_overdue" => &mut k.pending_overdue,
            other => panic!("unknown count {other}"),
        };
        *slot = *v;
    }
    k
}

/// Total row account of a run.
pub fn account(r: &RunReport) -> cchc::quality::RowAccount {
    let mut t = cchc::quality::RowAccount::default();
    for a in &r.accounts {
        t.read += a.read;
        t.counted += a.counted;
        t.quarantined += a.quarantined;
        t.duplicate += a.duplicate;
        t.excluded_withdrawn += a.excluded_withdrawn;
        t.excluded_outside_period += a.excluded_outside_period;
        t.blank_rows += a.blank_rows;
    }
    t
}

/// Reads every sheet of a workbook as text rows (for checking written workbooks).
pub fn read_sheet(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut wb = calamine::open_workbook_auto(path).expect("open workbook");
    let range = wb.worksheet_range(sheet).expect("sheet");
    range
        .rows()
        .map(|r| r.iter().map(|c| c.to_string()).collect())
        .collect()
}

/// The text of every file in an output folder: workbooks and Word documents unzipped.
pub fn output_texts(dir: &Path) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        let name = path.file_name().unwrap().to_string_lossy().into_owned();
        if bytes.starts_with(b"PK") {
            let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
            for i in 0..zip.len() {
                let mut part = zip.by_index(i).unwrap();
                let mut text = String::new();
                use std::io::Read;
                let _ = part.read_to_string(&mut text);
                out.push((format!("{name}/{}", part.name().unwrap_or_default()), text));
            }
        } else {
            out.push((name, String::from_utf8_lossy(&bytes).into_owned()));
        }
    }
    out
}

/// Validates a submission file against the JSON Schema shipped in `schema/`; panics with every
/// error found.
pub fn assert_valid_indicators(bytes: &[u8]) {
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("schema/indicators.schema.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let instance: serde_json::Value = serde_json::from_slice(bytes).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "indicators.json breaks the schema: {errors:#?}"
    );
}

/// Three dossiers of Phòng Tư pháp, Chứng thực, one of each channel, that the format and layout
/// tests write in every shape a file can take.
pub const ROWS: [[&str; 8]; 3] = [
    [
        "HS-1",
        "Phòng Tư pháp",
        "Chứng thực",
        "05/01/2024 09:15",
        "08/01/2024",
        "08/01/2024 16:00",
        "Đã trả kết quả",
        "Trực tuyến",
    ],
    [
        "HS-2",
        "Phòng Tư pháp",
        "Chứng thực",
        "10/01/2024",
        "12/01/2024",
        "11/01/2024",
        "Đã có kết quả",
        "Trực tiếp",
    ],
    [
        "HS-3",
        "Phòng Tư pháp",
        "Chứng thực",
        "01/03/2024",
        "05/03/2024",
        "",
        "Đang xử lý",
        "Bưu chính",
    ],
];

/// The counts of [`ROWS`].
pub fn three() -> Counts {
    c(&[
        ("new_online", 1),
        ("new_direct", 1),
        ("new_postal", 1),
        ("resolved_early", 1),
        ("resolved_on_time", 1),
        ("pending_overdue", 1),
    ])
}
