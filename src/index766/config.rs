//! `index766.toml`: the groups, indicators, maxima, formulas, thresholds and bands of the 766
//! index. Every figure the portal's practice decides lives here, so that a change of decision is
//! a change of configuration; loading checks the file adds up (groups and indicators to 100,
//! each indicator to its group) before any score is computed.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

/// The shipped configuration, embedded (used when the pipeline's folder has none).
pub const DEFAULT: &str = include_str!("../../pipelines/index766.toml");
/// The file's name beside the pipeline file.
pub const FILE_NAME: &str = "index766.toml";

/// The whole file.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Index766Config {
    /// Records that cost points listed per unit in the workbook and page, most costly first
    /// (0: all of them).
    pub lost_rows: usize,
    /// A group's difference (points) from the portal's published score beyond which it is flagged.
    pub tolerance: f64,
    /// The groups, in the portal's order.
    pub groups: Vec<Group>,
    /// The indicators.
    pub indicators: Vec<Indicator>,
    /// The bands, highest first.
    pub bands: Vec<Band>,
    /// The likely causes the reconciliation names for a flagged group.
    pub causes: Causes,
}

/// The likely causes of a difference from the portal (index766.md §5).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Causes {
    /// The portal scored another window.
    pub window: String,
    /// Dossiers missing from the portal or synced with another status.
    pub sync: String,
    /// Withdrawn dossiers counted otherwise.
    pub withdrawn: String,
    /// Dossiers without a due date.
    pub no_due_date: String,
}

/// One group of indicators.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Group {
    /// Its id (`tien_do`).
    pub id: String,
    /// Its short name (terminal table headers).
    pub short: String,
    /// Its name.
    pub name: String,
    /// Its maximum points.
    pub max: f64,
    /// Headers of the portal table's column for this group (matched like every header).
    #[serde(default)]
    pub portal_columns: Vec<String>,
}

/// Where an indicator's points come from.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Estimated by cchc from the exports.
    Computed,
    /// Read from the portal's published table.
    Imported,
}

/// What cchc measures for a computed indicator.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    /// 2.1: dossiers resolved early or on time, or pending within time at the window's end.
    OnTime,
    /// 2.2: mean days from received to end (shown, not scored).
    MeanDays,
    /// 3.3: online dossiers among those received.
    OnlineShare,
    /// 3.6: paid online among fee-bearing dossiers.
    Epayment,
    /// 4.1: resolved with an electronic result.
    EResult,
    /// 4.2: received with digitized documents.
    Digitized,
    /// Certified electronic copies (self-report yes/no).
    CertifiedCopy,
    /// 4.3: reuse of digitized data (no export column yet).
    DataReuse,
    /// 4.4: personal data store link (no export column yet).
    PersonalStore,
    /// 4.5b: resident data used (no export column yet).
    ResidentData,
    /// 5.2: PAKN closed on time or pending within time.
    PaknOnTime,
    /// 5.3: PAKN neither dissatisfied nor overdue.
    PaknSatisfaction,
    /// 5.4: dossiers neither overdue nor rated dissatisfied.
    TthcSatisfaction,
}

/// How a ratio becomes points.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum Formula {
    /// max × ratio.
    Linear,
    /// max × min(1, ratio / threshold).
    Capped,
    /// max when yes, 0 when no.
    YesNo,
}

/// What an indicator scores with nothing to count.
#[derive(Debug, Clone, Copy, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "snake_case")]
pub enum WhenEmpty {
    /// Full marks.
    Full,
    /// Zero.
    Zero,
    /// No figure.
    None,
}

/// One indicator.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Indicator {
    /// The portal's number ("2.1").
    pub id: String,
    /// The id of its group.
    pub group: String,
    /// Its name.
    pub name: String,
    /// Its maximum points (0: shown, not scored).
    pub max: f64,
    /// Computed or imported.
    pub source: Source,
    /// What is measured (computed indicators only).
    #[serde(default)]
    pub measure: Option<Measure>,
    /// How the ratio becomes points (computed indicators only).
    #[serde(default)]
    pub formula: Option<Formula>,
    /// The ratio, in %, that earns full marks (capped formula only).
    #[serde(default)]
    pub threshold: Option<f64>,
    /// What it scores with nothing to count (computed indicators only).
    #[serde(default)]
    pub when_empty: Option<WhenEmpty>,
    /// The self-report question answering it (certified_copy only).
    #[serde(default)]
    pub question: Option<String>,
}

/// A band of the total.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Band {
    /// Its name ("Xuất sắc").
    pub name: String,
    /// The least total it takes.
    pub min: f64,
}

impl Indicator {
    /// Points for a ratio in % (or 100/0 for yes/no); None when the ratio is None.
    pub fn points(&self, ratio: Option<f64>) -> Option<f64> {
        let r = ratio?;
        let p = match self.formula.unwrap_or(Formula::Linear) {
            Formula::Linear | Formula::YesNo => self.max * r / 100.0,
            Formula::Capped => {
                let t = self.threshold.unwrap_or(100.0);
                self.max * (r / t).min(1.0)
            }
        };
        Some(p.clamp(0.0, self.max))
    }
}

impl Index766Config {
    /// The file beside the pipeline file, else the shipped one.
    pub fn load_for(pipeline_path: &Path) -> Result<(Index766Config, Option<PathBuf>)> {
        let own = pipeline_path
            .parent()
            .unwrap_or(Path::new("."))
            .join(FILE_NAME);
        if own.exists() {
            let text = std::fs::read_to_string(&own)
                .with_context(|| format!("không đọc được {}", own.display()))?;
            let c = Self::parse(&text, &own.display().to_string())?;
            Ok((c, Some(own)))
        } else {
            Ok((Self::parse(DEFAULT, "(mặc định) index766.toml")?, None))
        }
    }

    /// Parses and checks a file's text; `origin` names it in messages.
    pub fn parse(text: &str, origin: &str) -> Result<Index766Config> {
        let c: Index766Config = toml::from_str(text).with_context(|| {
            format!("tệp chỉ số 766 {origin} không đúng cấu trúc; sửa theo pipelines/index766.toml")
        })?;
        c.check()
            .with_context(|| format!("tệp chỉ số 766 {origin} không dùng được"))?;
        Ok(c)
    }

    fn check(&self) -> Result<()> {
        let mut problems: Vec<String> = Vec::new();
        let mut ids = HashSet::new();
        for g in &self.groups {
            if !ids.insert(g.id.as_str()) {
                problems.push(format!("nhóm «{}» khai báo hai lần", g.id));
            }
        }
        let mut ind_ids = HashSet::new();
        let mut measures = HashSet::new();
        for i in &self.indicators {
            if !ind_ids.insert(i.id.as_str()) {
                problems.push(format!("chỉ tiêu «{}» khai báo hai lần", i.id));
            }
            if !ids.contains(i.group.as_str()) {
                problems.push(format!(
                    "chỉ tiêu «{}» thuộc nhóm «{}» không có trong [[groups]]",
                    i.id, i.group
                ));
            }
            if i.max < 0.0 {
                problems.push(format!("chỉ tiêu «{}»: điểm tối đa âm", i.id));
            }
            match i.source {
                Source::Computed => {
                    match i.measure {
                        None => problems.push(format!("chỉ tiêu «{}» là computed nhưng thiếu measure", i.id)),
                        Some(m) if !measures.insert(m) => problems.push(format!(
                            "measure của chỉ tiêu «{}» đã dùng cho chỉ tiêu khác",
                            i.id
                        )),
                        Some(Measure::CertifiedCopy) if i.question.is_none() => problems.push(format!(
                            "chỉ tiêu «{}» (certified_copy) cần question: mã câu hỏi trong self-report.toml",
                            i.id
                        )),
                        _ => {}
                    }
                    if i.formula.is_none() || i.when_empty.is_none() {
                        problems.push(format!(
                            "chỉ tiêu «{}» là computed nhưng thiếu formula hoặc when_empty",
                            i.id
                        ));
                    }
                    match (i.formula, i.threshold) {
                        (Some(Formula::Capped), Some(t)) if t > 0.0 && t <= 100.0 => {}
                        (Some(Formula::Capped), _) => problems.push(format!(
                            "chỉ tiêu «{}» có formula = \"capped\" cần threshold từ trên 0 đến 100",
                            i.id
                        )),
                        (_, Some(_)) => problems.push(format!(
                            "chỉ tiêu «{}»: threshold chỉ dùng với formula = \"capped\"",
                            i.id
                        )),
                        _ => {}
                    }
                }
                Source::Imported => {
                    if i.measure.is_some()
                        || i.formula.is_some()
                        || i.threshold.is_some()
                        || i.when_empty.is_some()
                        || i.question.is_some()
                    {
                        problems.push(format!(
                            "chỉ tiêu «{}» là imported (lấy từ Cổng DVCQG): bỏ measure, formula, threshold, when_empty, question",
                            i.id
                        ));
                    }
                }
            }
        }
        for g in &self.groups {
            let sum: f64 = self
                .indicators
                .iter()
                .filter(|i| i.group == g.id)
                .map(|i| i.max)
                .sum();
            if (sum - g.max).abs() > 1e-9 {
                problems.push(format!(
                    "nhóm «{}»: tổng điểm các chỉ tiêu là {} nhưng điểm tối đa của nhóm là {}",
                    g.id,
                    crate::vn::number(sum),
                    crate::vn::number(g.max)
                ));
            }
        }
        let total: f64 = self.groups.iter().map(|g| g.max).sum();
        if (total - 100.0).abs() > 1e-9 {
            problems.push(format!(
                "tổng điểm tối đa các nhóm là {}, phải là 100",
                crate::vn::number(total)
            ));
        }
        if self.bands.is_empty() {
            problems.push("chưa có xếp loại nào ([[bands]])".into());
        }
        if self.bands.windows(2).any(|w| w[0].min <= w[1].min) {
            problems.push("các xếp loại phải theo thứ tự min giảm dần".into());
        }
        if self.bands.last().is_some_and(|b| b.min > 0.0) {
            problems.push("xếp loại cuối cần min = 0 để mọi tổng điểm đều có xếp loại".into());
        }
        if self.tolerance.is_nan() || self.tolerance < 0.0 {
            problems.push("tolerance phải là số không âm".into());
        }
        if !problems.is_empty() {
            bail!("{}", problems.join("; "));
        }
        Ok(())
    }

    /// The band of a total.
    pub fn band(&self, total: f64) -> &str {
        self.bands
            .iter()
            .find(|b| total >= b.min)
            .or(self.bands.last())
            .map(|b| b.name.as_str())
            .unwrap_or("")
    }

    /// The group of an id.
    pub fn group(&self, id: &str) -> Option<&Group> {
        self.groups.iter().find(|g| g.id == id)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shipped_file_adds_up() {
        let c = Index766Config::parse(DEFAULT, "mặc định").unwrap();
        assert_eq!(c.groups.len(), 6);
        assert_eq!(c.band(90.0), "Xuất sắc");
        assert_eq!(c.band(89.99), "Tốt");
        assert_eq!(c.band(12.0), "Yếu");
        let i33 = c.indicators.iter().find(|i| i.id == "3.3").unwrap();
        assert_eq!(i33.points(Some(25.0)), Some(3.0));
        assert_eq!(i33.points(Some(70.0)), Some(6.0));
    }

    #[test]
    fn refuses_maxima_that_do_not_add_up_in_vietnamese() {
        let text = DEFAULT.replacen("max = 18\n", "max = 19\n", 1);
        let e = format!("{:#}", Index766Config::parse(&text, "x.toml").unwrap_err());
        assert!(
            e.contains(
                "nhóm «cong_khai»: tổng điểm các chỉ tiêu là 18 nhưng điểm tối đa của nhóm là 19"
            ),
            "{e}"
        );
        assert!(
            e.contains("tổng điểm tối đa các nhóm là 101, phải là 100"),
            "{e}"
        );
    }

    #[test]
    fn refuses_a_duplicate_id_and_an_unknown_key() {
        let text = DEFAULT.replacen("id = \"1.2\"", "id = \"1.1\"", 1);
        let e = format!("{:#}", Index766Config::parse(&text, "x.toml").unwrap_err());
        assert!(e.contains("chỉ tiêu «1.1» khai báo hai lần"), "{e}");
        let text = DEFAULT.replacen("tolerance = 0.5", "tolerance = 0.5\nnguong = 1", 1);
        let e = format!("{:#}", Index766Config::parse(&text, "x.toml").unwrap_err());
        assert!(e.contains("không đúng cấu trúc"), "{e}");
    }
}
