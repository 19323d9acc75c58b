//! A locality's submission (`indicators.json`, `cchc-indicators/1`) read back: typed serde
//! structs of the file's format, the file checked against the shipped JSON Schema, its period,
//! its code and its own invariants. A file that fails any check is refused with its reason; the
//! others are handed to the consolidation as they were written.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::indicators::Counts;
use crate::kinds::pakn::figures::PaknCounts;
use crate::localities::OfficialList;

/// The schema every submission is checked against, built into the binary.
pub const SCHEMA: &str = include_str!("../../schema/indicators.schema.json");

/// The whole submission, every key of the format (unknown keys refused, as the schema does).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Submission {
    /// `cchc-indicators/1`.
    pub schema: String,
    /// The locality's name (first key of the format).
    pub district: String,
    /// The locality's name.
    pub locality: String,
    /// The official code; absent in files written before the key existed.
    #[serde(default)]
    pub locality_code: Option<String>,
    /// The period.
    pub period: PeriodEntry,
    /// The files the locality read.
    pub generated_from: Vec<serde_json::Value>,
    /// Form 06 rows.
    pub tthc: Vec<TthcRow>,
    /// Satisfaction rows.
    pub satisfaction: Vec<SatisfactionRow>,
    /// PAKN rows.
    pub pakn: Vec<PaknRow>,
    /// Self-report figures, as written.
    pub self_report: Vec<serde_json::Value>,
    /// The plan's tasks.
    pub tasks: Vec<TaskRow>,
    /// Units that returned their form.
    pub units_reported: Vec<serde_json::Value>,
    /// Units that did not.
    pub units_missing: Vec<serde_json::Value>,
    /// Which units wrote their own words for which report section (never the words); absent in
    /// files written before the key existed.
    #[serde(default)]
    pub unit_texts: Vec<serde_json::Value>,
    /// The cells where the system's own statistics differ from the locality's figures; absent
    /// when no statistics table of the period was among its inputs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconciliation: Option<Vec<serde_json::Value>>,
    /// The cells compared with the system's statistics; present with `reconciliation`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reconciliation_checked: Option<u64>,
    /// The locality's targets its data could not decide, with why; absent in files written
    /// before the key existed.
    #[serde(default)]
    pub targets_not_evaluated: Vec<serde_json::Value>,
    /// The locality's targets.
    pub targets: Vec<TargetRow>,
    /// The 766 figures: an array of entries whose locality entry's `total` is read, or, in
    /// earlier submissions, an object with a `total`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index766: Option<serde_json::Value>,
}

/// `period`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PeriodEntry {
    /// `2025-Q4`.
    pub id: String,
    /// `nd09` or `calendar`.
    pub rule: String,
    /// First day.
    pub start: String,
    /// Last day.
    pub end: String,
}

/// One row of `tthc` (form 06).
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TthcRow {
    pub level: String,
    pub unit: String,
    pub field: String,
    pub received_total: u64,
    pub carried_over: u64,
    pub new_online: u64,
    pub new_direct: u64,
    pub new_postal: u64,
    /// Present only when an export of the locality had no channel column.
    #[serde(default)]
    pub new_unknown_channel: u64,
    pub resolved_total: u64,
    pub resolved_early: u64,
    pub resolved_on_time: u64,
    pub resolved_late: u64,
    pub pending_total: u64,
    pub pending_within: u64,
    pub pending_overdue: u64,
    pub on_time_rate: Option<f64>,
    pub late_rate: Option<f64>,
}

impl TthcRow {
    /// The row's counts (its totals are recomputed from the parts).
    pub fn counts(&self) -> Counts {
        Counts {
            carried_over: self.carried_over,
            new_online: self.new_online,
            new_direct: self.new_direct,
            new_postal: self.new_postal,
            new_unknown_channel: self.new_unknown_channel,
            resolved_early: self.resolved_early,
            resolved_on_time: self.resolved_on_time,
            resolved_late: self.resolved_late,
            pending_within: self.pending_within,
            pending_overdue: self.pending_overdue,
        }
    }

    /// What is wrong with the row's own figures, if anything.
    fn broken(&self) -> Option<String> {
        let c = self.counts();
        let checks = [
            (
                self.received_total == self.resolved_total + self.pending_total,
                "tiếp nhận ≠ đã giải quyết + đang giải quyết",
            ),
            (
                self.received_total == c.received_total(),
                "tiếp nhận ≠ kỳ trước chuyển qua + mới tiếp nhận",
            ),
            (
                self.resolved_total == c.resolved_total(),
                "đã giải quyết ≠ trước hạn + đúng hạn + quá hạn",
            ),
            (
                self.pending_total == c.pending_total(),
                "đang giải quyết ≠ trong hạn + quá hạn",
            ),
            (
                same_rate(self.on_time_rate, c.on_time_rate()),
                "tỷ lệ đúng hạn không khớp số hồ sơ",
            ),
            (
                same_rate(self.late_rate, c.late_rate()),
                "tỷ lệ trễ hạn không khớp số hồ sơ",
            ),
        ];
        let wrong: Vec<&str> = checks
            .iter()
            .filter(|(ok, _)| !ok)
            .map(|(_, w)| *w)
            .collect();
        (!wrong.is_empty()).then(|| {
            format!(
                "tthc, dòng {} — {}: {}",
                self.unit,
                self.field,
                wrong.join("; ")
            )
        })
    }
}

/// One row of `satisfaction`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct SatisfactionRow {
    pub level: String,
    pub unit: String,
    pub field: String,
    pub rated: u64,
    pub very_satisfied: u64,
    pub satisfied: u64,
    pub neutral: u64,
    pub dissatisfied: u64,
    pub very_dissatisfied: u64,
    pub satisfaction_rate: Option<f64>,
}

/// One row of `pakn`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct PaknRow {
    pub level: String,
    pub unit: String,
    pub field: String,
    pub received_total: u64,
    pub carried_over: u64,
    pub new: u64,
    pub closed_total: u64,
    pub closed_on_time: u64,
    pub closed_late: u64,
    pub answered: u64,
    pub refused: u64,
    pub transferred: u64,
    pub pending_total: u64,
    pub pending_within: u64,
    pub pending_overdue: u64,
    pub published: u64,
    pub on_time_rate: Option<f64>,
    pub published_share: Option<f64>,
}

impl PaknRow {
    /// The row's counts.
    pub fn counts(&self) -> PaknCounts {
        PaknCounts {
            carried_over: self.carried_over,
            new: self.new,
            closed_on_time: self.closed_on_time,
            closed_late: self.closed_late,
            answered: self.answered,
            refused: self.refused,
            transferred: self.transferred,
            pending_within: self.pending_within,
            pending_overdue: self.pending_overdue,
            published: self.published,
        }
    }
}

/// One task of `tasks`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TaskRow {
    pub number: String,
    pub section: String,
    pub status: String,
    pub due: Option<String>,
    pub late: bool,
    pub leads: Vec<String>,
}

/// One entry of `targets`.
#[derive(Debug, Clone, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct TargetRow {
    pub id: String,
    pub scope: String,
    pub measure: String,
    pub value: f64,
    pub target: String,
    pub met: bool,
}

fn same_rate(written: Option<f64>, exact: Option<crate::rate::Rate>) -> bool {
    match (written, exact) {
        (None, None) => true,
        (Some(w), Some(r)) => (w - r.rounded()).abs() < 0.006,
        _ => false,
    }
}

impl Submission {
    /// The locality's 766 total, when the submission carries one: the `total` of the array's
    /// locality entry (`level` null), or of the object earlier submissions wrote.
    pub fn index766_total(&self) -> Option<f64> {
        match self.index766.as_ref()? {
            serde_json::Value::Array(entries) => entries
                .iter()
                .find(|e| e.get("level").is_some_and(serde_json::Value::is_null))?
                .get("total")?
                .as_f64(),
            object => object.get("total")?.as_f64(),
        }
    }

    /// The first broken invariants (form 06 per row, satisfaction and PAKN totals), if any.
    fn broken(&self) -> Vec<String> {
        let mut out: Vec<String> = self.tthc.iter().filter_map(TthcRow::broken).collect();
        for r in &self.satisfaction {
            let sum =
                r.very_satisfied + r.satisfied + r.neutral + r.dissatisfied + r.very_dissatisfied;
            if sum != r.rated {
                out.push(format!(
                    "satisfaction, dòng {} — {}: số lượt đánh giá ≠ tổng năm mức",
                    r.unit, r.field
                ));
            }
        }
        for r in &self.pakn {
            let c = r.counts();
            if r.received_total != c.received_total()
                || r.closed_total != c.closed_total()
                || r.pending_total != c.pending_total()
                || r.received_total != r.closed_total + r.pending_total
                || r.closed_total != r.answered + r.refused + r.transferred
            {
                out.push(format!(
                    "pakn, dòng {} — {}: tổng không bằng các phần",
                    r.unit, r.field
                ));
            }
        }
        out
    }
}

/// One file read under the inputs.
#[derive(Debug, Clone)]
pub struct ReadFile {
    /// Its path, as found.
    pub path: PathBuf,
    /// Its sha256.
    pub sha256: String,
    /// The submission, or why it is refused.
    pub outcome: Result<Submission, String>,
}

/// Every `.json` file under the inputs (a folder read recursively, sorted by path; hidden files
/// such as the re-run stamp and consolidated files passed over).
pub fn files_under(inputs: &[PathBuf]) -> anyhow::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    let mut missing = Vec::new();
    for input in inputs {
        if input.is_file() {
            out.push(input.clone());
        } else if input.is_dir() {
            walk(input, &mut out)?;
        } else {
            missing.push(input.display().to_string());
        }
    }
    if !missing.is_empty() {
        anyhow::bail!(
            "không tìm thấy đầu vào: {}. Hãy kiểm tra đường dẫn --input.",
            missing.join(", ")
        );
    }
    out.sort();
    out.dedup();
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> anyhow::Result<()> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| anyhow::anyhow!("không đọc được thư mục {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry?.path();
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
        let name = name.unwrap_or_default();
        if name.starts_with('.') || name.starts_with(super::CONSOLIDATED_PREFIX) {
            continue;
        }
        if path.is_dir() {
            walk(&path, out)?;
        } else if name.to_lowercase().ends_with(".json") {
            out.push(path);
        }
    }
    Ok(())
}

fn validator() -> &'static jsonschema::Validator {
    static V: OnceLock<jsonschema::Validator> = OnceLock::new();
    V.get_or_init(|| {
        let schema: serde_json::Value = serde_json::from_str(SCHEMA).expect("the schema is JSON");
        jsonschema::validator_for(&schema).expect("the schema compiles")
    })
}

/// What the schema says is wrong, in Vietnamese, the place first.
fn schema_error(e: &jsonschema::ValidationError) -> String {
    use jsonschema::error::ValidationErrorKind as K;
    let at = e.instance_path().to_string();
    let at = if at.is_empty() { "/".to_string() } else { at };
    let what = match e.kind() {
        K::Required { property } => format!("thiếu khóa {property}"),
        K::AdditionalProperties { unexpected } => {
            format!("khóa không có trong cấu trúc: {}", unexpected.join(", "))
        }
        K::Type { .. } => format!("sai kiểu giá trị ({})", e.instance()),
        K::Constant { expected_value } => format!("phải là {expected_value}"),
        K::Enum { options } => format!("chỉ nhận một trong {options}"),
        K::Pattern { pattern } => format!("«{}» không đúng dạng {pattern}", e.instance()),
        K::Minimum { limit } => format!("nhỏ hơn {limit}"),
        K::Maximum { limit } => format!("lớn hơn {limit}"),
        K::MinLength { .. } => "chuỗi rỗng".to_string(),
        _ => format!("giá trị {} không hợp lệ", e.instance()),
    };
    format!("không đúng cấu trúc cchc-indicators/1 ở {at}: {what}")
}

/// Reads and checks one file against the consolidation's period and province.
pub fn read(path: &Path, period: &str, province: &str, list: &OfficialList) -> ReadFile {
    let bytes = std::fs::read(path);
    let sha256 = match &bytes {
        Ok(b) => {
            use sha2::Digest;
            format!("{:x}", sha2::Sha256::digest(b))
        }
        Err(_) => String::new(),
    };
    let outcome = bytes
        .map_err(|e| {
            format!(
                "không đọc được tệp: {}",
                crate::config::errors::io_error(&e)
            )
        })
        .and_then(|b| check(&b, period, province, list));
    ReadFile {
        path: path.to_path_buf(),
        sha256,
        outcome,
    }
}

/// The checks of consolidation.md, in order; the first that fails is the reason.
pub fn check(
    bytes: &[u8],
    period: &str,
    province: &str,
    list: &OfficialList,
) -> Result<Submission, String> {
    let value: serde_json::Value = serde_json::from_slice(bytes).map_err(|e| {
        format!(
            "không phải JSON hợp lệ (dòng {}, cột {}); hãy gửi lại đúng tệp indicators.json do cchc ghi ra",
            e.line(),
            e.column()
        )
    })?;
    if let Some(e) = validator().iter_errors(&value).next() {
        return Err(schema_error(&e));
    }
    let s: Submission = serde_json::from_value(value)
        .map_err(|e| format!("không đúng cấu trúc cchc-indicators/1: {e}"))?;
    if s.period.id != period {
        return Err(format!(
            "số liệu kỳ {}, không phải kỳ {period} đang tổng hợp",
            s.period.id
        ));
    }
    let Some(code) = s.locality_code.as_deref() else {
        return Err(
            "tệp không có mã địa phương (locality_code): địa phương cần điền mã vào tệp quy trình rồi chạy lại cchc run"
                .to_string(),
        );
    };
    let Some(unit) = list.find(code) else {
        return Err(format!(
            "mã {code} không có trong danh mục đơn vị hành chính cấp xã 2025"
        ));
    };
    if unit.province_code != province {
        return Err(format!(
            "mã {code} là {} thuộc {}, không thuộc tỉnh, thành phố đang tổng hợp",
            unit.full_name, unit.province_name
        ));
    }
    let broken = s.broken();
    if !broken.is_empty() {
        let more = if broken.len() > 3 {
            format!(" (và {} dòng khác)", broken.len() - 3)
        } else {
            String::new()
        };
        return Err(format!(
            "số liệu không khớp: {}{more}; địa phương cần chạy lại cchc run và gửi lại tệp",
            broken[..broken.len().min(3)].join("; ")
        ));
    }
    Ok(s)
}
