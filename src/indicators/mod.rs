//! Indicators: every kind's figures of one period, and the plan's targets they decide. The
//! kinds compute their own figures (`kinds/<kind>/figures`); this is where a period's figures
//! meet, the one value every document renders from.

pub mod targets;

use anyhow::Result;

use crate::config::Pipeline;
use crate::kinds::dossier::figures::DossierFigures;
use crate::kinds::pakn::figures::PaknFigures;
use crate::kinds::satisfaction::figures::SatisfactionFigures;
use crate::kinds::self_report::figures::SelfReportFigures;
use crate::kinds::{KindsFigures, Ruled};
use crate::period::Period;

pub use crate::kinds::dossier::figures::{form06, late, shares, Counts, Form06, Form06Row};
pub use crate::rate::Rate;
pub use targets::{TargetGap, TargetResult};

/// Every figure of a period.
#[derive(Debug)]
pub struct Indicators {
    /// Each kind's figures, in registry order.
    pub kinds: KindsFigures,
    /// Targets decided by the data.
    pub targets: Vec<TargetResult>,
    /// Targets the data cannot decide, with the reason («chưa đánh giá được»).
    pub targets_unevaluated: Vec<TargetGap>,
}

impl Indicators {
    /// Records of a file that count in the period, and those with nothing in it.
    pub fn period_account(&self, file: usize) -> (u64, u64) {
        self.kinds.period_account(file)
    }
    /// Dossier figures: form 06, late dossiers, the shares of tthc-rules §5.
    pub fn dossier(&self) -> &DossierFigures {
        self.kinds.get("dossier").expect("loại hồ sơ luôn có")
    }
    /// Satisfaction figures.
    pub fn satisfaction(&self) -> &SatisfactionFigures {
        self.kinds
            .get("satisfaction")
            .expect("loại đánh giá luôn có")
    }
    /// PAKN figures.
    pub fn pakn(&self) -> &PaknFigures {
        self.kinds.get("pakn").expect("loại PAKN luôn có")
    }
    /// The plan's tasks: progress from the units' answers, late ones, counts.
    pub fn tasks(&self) -> &crate::tasks::TaskFigures {
        &self.self_report().tasks
    }
    /// The plan's tasks, to change them (tests set answers by hand).
    pub fn tasks_mut(&mut self) -> &mut crate::tasks::TaskFigures {
        &mut self
            .kinds
            .get_mut::<SelfReportFigures>("self_report")
            .expect("loại biểu mẫu luôn có")
            .tasks
    }
    /// Units' self-report figures.
    pub fn self_report(&self) -> &SelfReportFigures {
        self.kinds
            .get("self_report")
            .expect("loại biểu mẫu luôn có")
    }
}

/// Computes the figures of a period from the ruled tables of every kind.
pub fn compute(
    pipeline: &Pipeline,
    ruled: &Ruled,
    period: &Period,
    n_files: usize,
) -> Result<Indicators> {
    let kinds = crate::kinds::figures(pipeline, ruled, period, n_files)?;
    let mut out = Indicators {
        kinds,
        targets: Vec::new(),
        targets_unevaluated: Vec::new(),
    };
    let (targets, targets_unevaluated) = targets::evaluate(pipeline, &out.kinds);
    out.targets = targets;
    out.targets_unevaluated = targets_unevaluated;
    Ok(out)
}
