//! Rates kept as the exact fractions they come from, compared exactly and rounded half away
//! from zero only when written (tthc-rules §4), whatever kind of figure they are.

/// A percentage kept as the exact fraction it comes from, rounded only when written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rate {
    /// Numerator.
    pub part: u64,
    /// Denominator, never 0.
    pub whole: u64,
}

/// A rate reaches JSON and the templates as its percentage rounded to 2 decimals.
impl serde::Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_f64(self.rounded())
    }
}

impl Rate {
    /// part / whole, or None when whole is 0.
    pub fn of(part: u64, whole: u64) -> Option<Rate> {
        (whole > 0).then_some(Rate { part, whole })
    }
    /// The exact percentage as a float (for comparisons).
    pub fn percent(self) -> f64 {
        self.part as f64 * 100.0 / self.whole as f64
    }
    /// Hundredths of a percent, rounded half away from zero, computed in integers.
    pub fn hundredths(self) -> u64 {
        (self.part as u128 * 20_000 + self.whole as u128).div_euclid(2 * self.whole as u128) as u64
    }
    /// The percentage rounded to 2 decimals, for writing.
    pub fn rounded(self) -> f64 {
        self.hundredths() as f64 / 100.0
    }
    /// Whether the rate satisfies `op threshold` (exactly, before rounding).
    pub fn satisfies(self, op: Op, threshold: f64) -> bool {
        let lhs = self.part as f64 * 100.0;
        let rhs = threshold * self.whole as f64;
        match op {
            Op::Ge => lhs >= rhs,
            Op::Gt => lhs > rhs,
            Op::Le => lhs <= rhs,
            Op::Lt => lhs < rhs,
            Op::Eq => lhs == rhs,
        }
    }
}

/// How a figure is compared with its target.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub enum Op {
    /// At least.
    #[serde(rename = ">=")]
    Ge,
    /// More than.
    #[serde(rename = ">")]
    Gt,
    /// At most.
    #[serde(rename = "<=")]
    Le,
    /// Less than.
    #[serde(rename = "<")]
    Lt,
    /// Exactly.
    #[serde(rename = "=")]
    Eq,
}

impl Op {
    /// Whether `value op threshold` holds.
    pub fn holds(self, value: f64, threshold: f64) -> bool {
        match self {
            Op::Ge => value >= threshold,
            Op::Gt => value > threshold,
            Op::Le => value <= threshold,
            Op::Lt => value < threshold,
            Op::Eq => value == threshold,
        }
    }
    /// As the submission file writes it: ">=".
    pub fn code(self) -> &'static str {
        match self {
            Op::Ge => ">=",
            Op::Gt => ">",
            Op::Le => "<=",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }
    /// As a person reads it: "≥".
    pub fn symbol(self) -> &'static str {
        match self {
            Op::Ge => "≥",
            Op::Gt => ">",
            Op::Le => "≤",
            Op::Lt => "<",
            Op::Eq => "=",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_rates_half_away_from_zero_in_integers() {
        assert_eq!(Rate::of(1, 8).unwrap().hundredths(), 1250);
        assert_eq!(Rate::of(1, 3).unwrap().hundredths(), 3333);
        assert_eq!(Rate::of(2, 3).unwrap().hundredths(), 6667);
        // 1/16 = 6.25 % exactly; 1/1600 = 0.0625 % → 0.06; 1/800 = 0.125 % → 0.13
        assert_eq!(Rate::of(1, 800).unwrap().hundredths(), 13);
        assert_eq!(Rate::of(0, 5).unwrap().hundredths(), 0);
        assert!(Rate::of(0, 0).is_none());
    }

    #[test]
    fn compares_rates_exactly_against_targets() {
        let r = Rate::of(99, 100).unwrap();
        assert!(r.satisfies(Op::Ge, 99.0));
        assert!(!r.satisfies(Op::Gt, 99.0));
        assert!(Rate::of(1, 51).unwrap().satisfies(Op::Lt, 2.0));
    }
}
