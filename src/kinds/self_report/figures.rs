//! The self-report figures of a period (self-reports.md §4): each unit's answer, the figure of
//! each level and of the district by the question's aggregation rule (`sum`, `ratio_sum` = Σn /
//! ΣN, `share_yes` = units answering yes / units asked), over the units that answered; the
//! units asked that returned no form. A year-to-date question's answer of a quarter is the sum
//! of the unit's answers of that year's quarters up to it (the total N is the latest quarter's).
//! Forms of another period count nowhere in this one (their files are named), except in the
//! year-to-date sums of a later quarter of their year.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::Result;
use polars::prelude::*;

use super::{Aggregate, Config};
use crate::config::{Level, Units};
use crate::model::RowRef;
use crate::period::{Period, PeriodKind};
use crate::quality::Warning;
use crate::rate::Rate;

/// One unit's answer to one question in the period.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitAnswer {
    /// The unit.
    pub unit: String,
    /// Its level.
    pub level: Level,
    /// The number (n of a ratio, 1 / 0 for yes / no); year to date when the question is.
    pub value: Option<f64>,
    /// N of a ratio.
    pub total: Option<f64>,
    /// A text answer.
    pub text: Option<String>,
}

/// A question's figure over some units (a level, the district).
#[derive(Debug, Clone, PartialEq)]
pub struct Aggregated {
    /// Σ answers (sum), Σn (ratio_sum), units answering yes (share_yes).
    pub value: f64,
    /// ΣN (ratio_sum), units answering yes or no (share_yes).
    pub total: Option<f64>,
    /// The rate, for ratio_sum and share_yes, when its denominator is not 0.
    pub rate: Option<Rate>,
    /// Units asked.
    pub asked: usize,
    /// Units whose answer counts.
    pub answered: usize,
    /// Units that answered the question does not apply to them («Không áp dụng»).
    pub not_applicable: usize,
    /// Units asked whose answer is not in the figure: no form, or the question left blank or
    /// quarantined; in registry order.
    pub unanswered: Vec<String>,
}

/// The figures of one question.
#[derive(Debug, Clone, PartialEq)]
pub struct QuestionFigures {
    /// The question id.
    pub id: String,
    /// Each answering unit's answer, in registry order.
    pub answers: Vec<UnitAnswer>,
    /// Per level with any unit asked, in report order.
    pub levels: Vec<(Level, Aggregated)>,
    /// The district's figure (None for a question without aggregation).
    pub district: Option<Aggregated>,
}

/// The self-report figures of a period.
#[derive(Debug, Default)]
pub struct SelfReportFigures {
    /// Every configured question, in form order.
    pub questions: Vec<QuestionFigures>,
    /// Units asked anything whose form of the period counts, in registry order.
    pub reported: Vec<(Level, String)>,
    /// Units asked anything with no form of the period that counts, in registry order.
    pub missing: Vec<(Level, String)>,
    /// Forms of another period among the inputs: one warning per file.
    pub other_period: Vec<Warning>,
    /// Year-to-date ratio answers whose sum over the quarters exceeds this quarter's total.
    pub year_to_date_over_total: Vec<Warning>,
    /// Answers of each file that count in the period.
    pub in_period_per_file: Vec<u64>,
    /// Answers of each file of another period.
    pub outside_period_per_file: Vec<u64>,
    /// The units' own words of the period, by report section (self-reports.md §5).
    pub texts: super::texts::UnitTexts,
    /// The plan's tasks: progress from the units' answers, late ones, counts.
    pub tasks: crate::tasks::TaskFigures,
}

impl SelfReportFigures {
    /// The figures of a question.
    pub fn question(&self, id: &str) -> Option<&QuestionFigures> {
        self.questions.iter().find(|q| q.id == id)
    }
}

/// A unit's answer as read: value, total, text.
type Answered<'a> = (Option<f64>, Option<f64>, Option<&'a str>, RowRef);

/// The quarter of a quarter period, and its year.
fn quarter_of(p: &str) -> Option<(i32, u32)> {
    let (y, q) = p.split_once("-Q")?;
    Some((y.parse().ok()?, q.parse().ok()?))
}

/// Computes the figures of a period from the ruled answers table.
pub fn compute(
    frame: &DataFrame,
    period: &Period,
    n_files: usize,
    cfg: &Config,
    units: &Units,
) -> Result<SelfReportFigures> {
    let col = |n: &str| frame.column(n);
    let unit = col("unit")?.str()?;
    let form_period = col("period")?.str()?;
    let question = col("question")?.str()?;
    let value = col("value")?.f64()?;
    let total = col("total")?.f64()?;
    let text = col("text")?.str()?;
    let src = crate::normalize::Sources::of(frame)?;
    let mut out = SelfReportFigures {
        in_period_per_file: vec![0; n_files],
        outside_period_per_file: vec![0; n_files],
        texts: super::texts::unit_texts(frame, period, units)?,
        ..SelfReportFigures::default()
    };
    let this_quarter = match period.kind {
        PeriodKind::Quarter(q) => Some((period.year, q)),
        _ => None,
    };
    // (question, unit) → this period's answer; and the year-to-date sums of earlier quarters.
    let mut current: BTreeMap<(&str, &str), Answered> = BTreeMap::new();
    let mut earlier: BTreeMap<(&str, &str), f64> = BTreeMap::new();
    let mut reported: BTreeSet<&str> = BTreeSet::new();
    let mut other_files: BTreeMap<usize, (String, String, String)> = BTreeMap::new();
    for i in 0..frame.height() {
        let f = src.file(i);
        let p = form_period.get(i).unwrap_or("");
        let u = unit.get(i).unwrap_or("");
        // A task's row (no question) counts towards the form, not a question's figure.
        let q = question.get(i);
        if p == period.id {
            out.in_period_per_file[f] += 1;
            reported.insert(u);
            if let Some(q) = q {
                let at = src.at(i);
                current.insert((q, u), (value.get(i), total.get(i), text.get(i), at));
            }
            continue;
        }
        out.outside_period_per_file[f] += 1;
        other_files
            .entry(f)
            .or_insert_with(|| (p.to_string(), u.to_string(), src.sheet(i).to_string()));
        if let (Some((y, qn)), Some((fy, fq))) = (this_quarter, quarter_of(p)) {
            if fy == y && fq < qn {
                if let (Some(q), Some(v)) = (q, value.get(i)) {
                    *earlier.entry((q, u)).or_insert(0.0) += v;
                }
            }
        }
    }
    for (f, (p, u, sheet)) in other_files {
        out.other_period.push(Warning {
            source: RowRef {
                file: f,
                sheet,
                row: 0,
            },
            dossier_id: u,
            kind: super::OTHER_PERIOD_FORM,
            column: "Kỳ báo cáo".into(),
            value: format!("biểu mẫu kỳ {p}, không phải kỳ {}", period.id),
        });
    }
    let asked_any = cfg.units_asked(units);
    for name in &asked_any {
        let lv = units.find(name).map(|u| u.level).unwrap_or(Level::Huyen);
        if reported.contains(name.as_str()) {
            out.reported.push((lv, name.clone()));
        } else {
            out.missing.push((lv, name.clone()));
        }
    }
    for q in &cfg.questions {
        let e = &q.entry;
        let mut answers = Vec::new();
        for name in &q.asked {
            let Some((v, t, txt, at)) = current.get(&(q.id(), name.as_str())) else {
                continue;
            };
            let lv = units.find(name).map(|u| u.level).unwrap_or(Level::Huyen);
            let v = match (e.year_to_date, v) {
                (true, Some(v)) => Some(v + earlier.get(&(q.id(), name.as_str())).unwrap_or(&0.0)),
                (_, v) => *v,
            };
            if let (true, Some(n), Some(total)) = (e.year_to_date, v, *t) {
                if n > total {
                    out.year_to_date_over_total.push(Warning {
                        source: at.clone(),
                        dossier_id: q.id().to_string(),
                        kind: super::YEAR_TO_DATE_OVER_TOTAL,
                        column: name.clone(),
                        value: format!(
                            "cộng dồn từ đầu năm {} lớn hơn tổng số {} của kỳ này (đơn vị ghi số lũy kế thay vì số của kỳ?)",
                            crate::vn::number(n),
                            crate::vn::number(total)
                        ),
                    });
                }
            }
            if v.is_none() && txt.is_none() {
                continue;
            }
            answers.push(UnitAnswer {
                unit: name.clone(),
                level: lv,
                value: v,
                total: *t,
                text: txt.map(str::to_string),
            });
        }
        let aggregate = |level: Option<Level>| -> Option<Aggregated> {
            let agg = e.aggregate?;
            let in_scope =
                |n: &&String| level.is_none_or(|l| units.find(n).map(|u| u.level) == Some(l));
            let asked = q.asked.iter().filter(in_scope).count();
            let all: Vec<&UnitAnswer> = answers
                .iter()
                .filter(|a| level.is_none_or(|l| a.level == l))
                .collect();
            // «Không áp dụng» (a yes/no word kept as text) is an answer that leaves the unit out.
            let not_applicable = all
                .iter()
                .filter(|a| agg == Aggregate::ShareYes && a.value.is_none())
                .count();
            let rows: Vec<&UnitAnswer> = all
                .iter()
                .copied()
                .filter(|a| agg != Aggregate::ShareYes || a.value.is_some())
                .collect();
            let unanswered = q
                .asked
                .iter()
                .filter(in_scope)
                .filter(|n| !all.iter().any(|a| a.unit == **n))
                .cloned()
                .collect();
            // `+ 0.0`: an empty float sum is −0.0.
            let value: f64 = rows.iter().filter_map(|a| a.value).sum::<f64>() + 0.0;
            let (total, rate) = match agg {
                Aggregate::Sum => (None, None),
                Aggregate::RatioSum => {
                    let t: f64 = rows.iter().filter_map(|a| a.total).sum();
                    (Some(t), Rate::of(value.round() as u64, t.round() as u64))
                }
                // Over the units that answered yes or no: a unit that did not answer is not a no.
                Aggregate::ShareYes => (
                    Some(rows.len() as f64),
                    Rate::of(value.round() as u64, rows.len() as u64),
                ),
            };
            Some(Aggregated {
                value,
                total,
                rate,
                asked,
                answered: rows.len(),
                not_applicable,
                unanswered,
            })
        };
        let mut levels = Vec::new();
        for l in &units.levels {
            if q.asked
                .iter()
                .any(|n| units.find(n).map(|u| u.level) == Some(l.id))
            {
                if let Some(a) = aggregate(Some(l.id)) {
                    levels.push((l.id, a));
                }
            }
        }
        let district = aggregate(None);
        out.questions.push(QuestionFigures {
            id: q.id().to_string(),
            answers,
            levels,
            district,
        });
    }
    Ok(out)
}

/// The task answers of a period's forms, as [`crate::tasks::task_figures`] takes them.
#[derive(Debug, Default)]
pub struct TaskAnswers {
    /// One per (unit, task) with a status: from the unit's current form, or else — for a task
    /// with a deadline day (`date`, `by_period`, `year_end`) whose row the current form leaves
    /// blank, or a unit with no current form — the unit's latest earlier answer of the year
    /// when that answer is Hoàn thành: a finished task stays finished.
    pub answers: Vec<crate::tasks::TaskAnswer>,
    /// Units whose current form has its "Nhiệm vụ" rows, in registry order.
    pub units: Vec<String>,
}

/// The period's task answers from the ruled answers table (one form per unit and period).
///
/// A unit's current form is its form of the period, or — for a half year, nine months or a
/// year, which no form is made for — its latest quarter's form within the period. Its earlier
/// forms are those of the same year that end before the current one (or before the period, for
/// a unit with no current form).
pub fn task_answers(
    frame: &DataFrame,
    period: &Period,
    units: &Units,
    plan: &crate::tasks::Plan,
) -> Result<TaskAnswers> {
    use crate::tasks::{Rule, TaskAnswer, TaskStatus};
    let col = |n: &str| frame.column(n);
    let unit = col("unit")?.str()?;
    let form_period = col("period")?.str()?;
    let period_end = col("period_end")?.i32()?;
    let task = col("task")?.str()?;
    let status = col("status")?.str()?;
    let completed = col("completed")?.i32()?;
    let evidence = col("evidence")?.str()?;
    let src = crate::normalize::Sources::of(frame)?;
    let year_of = |p: &str| p.split('-').next().and_then(|y| y.parse::<i32>().ok());
    let (start, end) = (
        crate::normalize::day_number(period.start),
        crate::normalize::day_number(period.end),
    );
    let task_rows = || (0..frame.height()).filter(|i| task.get(*i).is_some());
    // Each unit's current form: the last day of its latest form ending within the period.
    let mut current_end: BTreeMap<&str, i32> = BTreeMap::new();
    for i in task_rows() {
        let e = period_end.get(i).unwrap_or(i32::MIN);
        if (start..=end).contains(&e) {
            let c = current_end.entry(unit.get(i).unwrap_or("")).or_insert(e);
            *c = (*c).max(e);
        }
    }
    // The tasks whose row the current form holds, answered or blank: a row that is not there
    // was quarantined (or deleted), and an earlier answer does not stand in for it.
    let on_current: std::collections::HashSet<(&str, &str)> = task_rows()
        .filter(|i| {
            current_end.get(unit.get(*i).unwrap_or("")) == Some(&period_end.get(*i).unwrap_or(0))
        })
        .filter_map(|i| Some((unit.get(i)?, task.get(i)?)))
        .collect();
    let carries = |u: &str, n: &str| {
        plan.task(n)
            .is_some_and(|t| matches!(t.rule, Rule::Date | Rule::ByPeriod | Rule::YearEnd))
            && (!current_end.contains_key(u) || on_current.contains(&(u, n)))
    };
    let mut current: BTreeMap<(&str, &str), TaskAnswer> = BTreeMap::new();
    // (unit, task) → the latest earlier answer with a status: its form's last day and answer.
    let mut earlier: BTreeMap<(&str, &str), (i32, TaskAnswer)> = BTreeMap::new();
    for i in task_rows() {
        let u = unit.get(i).unwrap_or("");
        let p = form_period.get(i).unwrap_or("");
        let e = period_end.get(i).unwrap_or(i32::MIN);
        let (Some(n), Some(st)) = (task.get(i), status.get(i).and_then(TaskStatus::from_code))
        else {
            continue;
        };
        let now = current_end.get(u) == Some(&e);
        let before = current_end.get(u).copied().unwrap_or(start);
        let earlier_of_year = e < before && year_of(p) == Some(period.year);
        if !now && !earlier_of_year {
            continue;
        }
        let answer = TaskAnswer {
            unit: u.to_string(),
            number: n.to_string(),
            status: st,
            completed: completed.get(i).map(crate::normalize::from_day_number),
            evidence: evidence.get(i).map(str::to_string),
            source: src.at(i),
            carried_from: (!now).then(|| p.to_string()),
        };
        if now {
            current.insert((u, n), answer);
        } else if earlier.get(&(u, n)).is_none_or(|(d, _)| *d < e) {
            earlier.insert((u, n), (e, answer));
        }
    }
    for (key, (_, a)) in earlier {
        if a.status == TaskStatus::Done && carries(key.0, key.1) {
            current.entry(key).or_insert(a);
        }
    }
    let order: BTreeMap<&str, usize> = units
        .all()
        .iter()
        .enumerate()
        .map(|(i, u)| (u.name.as_str(), i))
        .collect();
    let mut answers: Vec<TaskAnswer> = current.into_values().collect();
    answers.sort_by_key(|a| {
        (
            order.get(a.unit.as_str()).copied().unwrap_or(usize::MAX),
            a.source.file,
            a.source.row,
        )
    });
    let mut names: Vec<&str> = current_end.into_keys().collect();
    names.sort_by_key(|u| order.get(u).copied().unwrap_or(usize::MAX));
    Ok(TaskAnswers {
        answers,
        units: names.into_iter().map(str::to_string).collect(),
    })
}

impl crate::kind::KindFigures for SelfReportFigures {
    fn annex_sheet(
        &self,
        t: &crate::annex_sheet::SheetTemplate,
        m: crate::sheet::SheetModel,
        body: u32,
        ctx: &crate::annex_sheet::SheetContext,
    ) -> Result<crate::sheet::SheetModel> {
        super::annex::sheet(self, t, m, body, ctx)
    }
    fn report_view(
        &self,
        ctx: &crate::kind::ReportContext,
    ) -> Result<Vec<crate::kind::ReportPart>> {
        super::report::parts(self, ctx)
    }

    /// The district figure of the target's question; decided once a unit answered it.
    fn measure(&self, target: &crate::config::TargetEntry) -> Option<crate::figures::Measured<'_>> {
        if target.measure != super::MEASURE {
            return None;
        }
        let target = target.clone();
        Some(crate::figures::Measured::Whole(Box::new(move |_| {
            self_report_measure(&target, self)
                .map(|(rate, count)| crate::figures::MeasuredValue { rate, count })
        })))
    }
    fn no_data_reason(
        &self,
        pipeline: &crate::config::Pipeline,
        target: &crate::config::TargetEntry,
        _level: Option<crate::config::Level>,
    ) -> String {
        unanswered_reason(pipeline, target, self)
    }
    fn summary(&self, ctx: &crate::kind::SummaryContext) -> Vec<String> {
        super::summary::lines(self, ctx)
    }
    /// Units asked anything in the forms; missing: those with no form of the period that
    /// counts.
    fn units_asked(&self) -> Option<crate::kind::UnitsAsked<'_>> {
        Some(crate::kind::UnitsAsked {
            asked: self.missing.len() + self.reported.len(),
            missing: &self.missing,
        })
    }
    fn json<'a>(&'a self, ctx: &crate::kind::JsonContext<'a>) -> Vec<crate::kind::JsonSection<'a>> {
        super::json::sections(self, ctx.report_sections)
    }
    fn period_account(&self, file: usize) -> (u64, u64) {
        crate::kind::account_at(
            &self.in_period_per_file,
            &self.outside_period_per_file,
            file,
        )
    }
    /// Forms of another period; year-to-date figures over the year's total.
    fn warnings(&self) -> Vec<Warning> {
        let mut w = self.other_period.clone();
        w.extend(self.year_to_date_over_total.iter().cloned());
        w
    }
}

/// Why a self-report target is not decided: no unit answered its question.
fn unanswered_reason(
    pipeline: &crate::config::Pipeline,
    t: &crate::config::TargetEntry,
    f: &SelfReportFigures,
) -> String {
    if f.reported.is_empty() {
        return "chưa đơn vị nào gửi lại biểu mẫu báo cáo của kỳ".into();
    }
    let ids = t.question.iter().chain(&t.over);
    let mut parts = Vec::new();
    for id in ids {
        let text = super::config(pipeline)
            .question(id)
            .map(|q| q.entry.text.clone())
            .unwrap_or_else(|| id.clone());
        let asked = super::config(pipeline)
            .question(id)
            .map(|q| q.asked.len())
            .unwrap_or(0);
        let answered = f
            .question(id)
            .and_then(|q| q.district.as_ref())
            .map(|d| d.answered)
            .unwrap_or(0);
        if answered == 0 {
            parts.push(format!(
                "chưa đơn vị nào trả lời câu hỏi «{text}» (0/{asked} đơn vị được hỏi)"
            ));
        }
    }
    if parts.is_empty() {
        "số liệu của đơn vị không đủ để tính".into()
    } else {
        parts.join("; ")
    }
}

/// A self-report target's measure: the question's district rate (ratio_sum, share_yes), or
/// for a sum its value (a count), or with `over` the rate of the two sums (amounts kept to
/// thousandths). None while no unit answered.
fn self_report_measure(
    t: &crate::config::TargetEntry,
    f: &SelfReportFigures,
) -> Option<(Rate, Option<u64>)> {
    let q = f.question(t.question.as_deref()?)?.district.as_ref()?;
    if q.answered == 0 {
        return None;
    }
    if let Some(over) = t.over.as_deref() {
        let d = f.question(over)?.district.as_ref()?;
        if d.answered == 0 {
            return None;
        }
        let milli = |v: f64| (v * 1000.0).round().max(0.0) as u64;
        return Rate::of(milli(q.value), milli(d.value)).map(|r| (r, None));
    }
    match q.rate {
        Some(r) => Some((r, None)),
        None if q.total.is_none() => {
            let n = q.value.round().max(0.0) as u64;
            Some((Rate { part: n, whole: 1 }, Some(n)))
        }
        None => None,
    }
}
