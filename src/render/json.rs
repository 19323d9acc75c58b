//! `indicators.json`, the submission file of interface.md: dedicated view structs whose field
//! order is the key order of the file, rates rounded only here.

use serde::Serialize;

use crate::indicators::Indicators;
use crate::kind::{JsonContext, JsonSection};
use crate::model::SourceFile;
use crate::period::Period;
use crate::quality::RowAccount;

/// The whole file: the period and its sources, each kind's keys in registry order, then the
/// targets.
pub struct IndicatorsFile<'a> {
    schema: &'static str,
    district: &'a str,
    locality_code: Option<&'a str>,
    period: PeriodView<'a>,
    generated_from: Vec<SourceView<'a>>,
    kinds: Vec<JsonSection<'a>>,
    targets_not_evaluated: Vec<TargetGapView<'a>>,
    targets: Vec<TargetView<'a>>,
    index766: Vec<crate::index766::json::Index766Json>,
}

impl Serialize for IndicatorsFile<'_> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut m = s.serialize_map(None)?;
        m.serialize_entry("schema", self.schema)?;
        m.serialize_entry("district", self.district)?;
        m.serialize_entry("locality", self.district)?;
        m.serialize_entry("locality_code", &self.locality_code)?;
        m.serialize_entry("period", &self.period)?;
        m.serialize_entry("generated_from", &self.generated_from)?;
        for (key, value) in &self.kinds {
            m.serialize_entry(key, value)?;
        }
        m.serialize_entry("targets_not_evaluated", &self.targets_not_evaluated)?;
        m.serialize_entry("targets", &self.targets)?;
        m.serialize_entry("index766", &self.index766)?;
        m.end()
    }
}

#[derive(Debug, Serialize)]
struct PeriodView<'a> {
    id: &'a str,
    rule: &'static str,
    start: String,
    end: String,
}

#[derive(Debug, Serialize)]
struct SourceView<'a> {
    file: &'a str,
    kind: &'static str,
    sha256: &'a str,
    rows: u64,
    quarantined: u64,
}

#[derive(Debug, Serialize)]
struct TargetView<'a> {
    id: &'a str,
    scope: &'a str,
    measure: &'a str,
    value: serde_json::Value,
    target: String,
    met: bool,
}

/// A target the data cannot decide, and why.
#[derive(Debug, Serialize)]
struct TargetGapView<'a> {
    id: &'a str,
    scope: &'a str,
    measure: &'a str,
    target: String,
    reason: &'a str,
}

/// Renders the submission file of a period, pretty-printed, ending with a newline.
pub fn render(ctx: &super::context::DocumentContext) -> anyhow::Result<Vec<u8>> {
    submission(
        &ctx.pipeline.district,
        ctx.pipeline.locality_code.as_deref(),
        ctx.period,
        ctx.quality.files,
        ctx.quality.accounts,
        ctx.indicators,
        &ctx.pipeline.report_sections,
        ctx.index766
            .map(|i| crate::index766::json::index766_json(std::slice::from_ref(i.scores), i.checks))
            .unwrap_or_default(),
    )
}

/// The submission file of figures, pretty-printed, ending with a newline.
#[allow(clippy::too_many_arguments)]
pub fn submission(
    district: &str,
    locality_code: Option<&str>,
    period: &Period,
    files: &[SourceFile],
    accounts: &[RowAccount],
    ind: &Indicators,
    report_sections: &crate::config::report_sections::ReportSections,
    index766: Vec<crate::index766::json::Index766Json>,
) -> anyhow::Result<Vec<u8>> {
    let view = IndicatorsFile {
        schema: "cchc-indicators/1",
        district,
        locality_code,
        period: PeriodView {
            id: &period.id,
            rule: period.rule.as_str(),
            start: period.start.to_string(),
            end: period.end.to_string(),
        },
        generated_from: files
            .iter()
            .zip(accounts)
            .map(|(f, a)| SourceView {
                file: &f.display,
                kind: f.kind,
                sha256: &f.sha256,
                rows: a.read,
                quarantined: a.quarantined,
            })
            .collect(),
        kinds: ind.kinds.json(&JsonContext { report_sections }),
        targets_not_evaluated: ind
            .targets_unevaluated
            .iter()
            .map(|g| TargetGapView {
                id: &g.id,
                scope: &g.scope,
                measure: &g.measure,
                target: g.target_text(),
                reason: &g.reason,
            })
            .collect(),
        targets: ind
            .targets
            .iter()
            .map(|t| TargetView {
                id: &t.id,
                scope: &t.scope,
                measure: &t.measure,
                value: match t.count {
                    Some(c) => c.into(),
                    None => t.rate.rounded().into(),
                },
                target: t.target_text(),
                met: t.met,
            })
            .collect(),
        index766,
    };
    let mut out = serde_json::to_vec_pretty(&view)?;
    out.push(b'\n');
    Ok(out)
}
