//! A kind's counts, declared once. A kind's figures are rows of named counts per (level, unit,
//! field); their totals are sums of counts and their rates exact fractions of named counts. The
//! [`counts!`](crate::counts) macro writes the struct, its totals, its rates and the table of
//! names from one declaration, and [`NamedCounts`] hands them to the documents — the JSON file,
//! the annex's count sheets, the targets — which read counts and rates by name and so know no
//! kind. A rate is defined here once: its method, its annex formula and its target's fraction
//! all come from the same [`RateDef`].

use crate::model::Level;
use crate::rate::Rate;

/// A rate a kind offers: its name, the counts its numerator adds up, its denominator, and the
/// target measure (`targets.toml`'s `measure`) it decides.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RateDef {
    /// Its key in indicators.json and the annex templates (`on_time_rate`).
    pub name: &'static str,
    /// The counts whose sum is the numerator.
    pub part: &'static [&'static str],
    /// The count that is the denominator.
    pub whole: &'static str,
    /// The target measure it decides.
    pub measure: &'static str,
}

/// Counts declared with [`counts!`](crate::counts).
pub trait NamedCounts: Clone + Default + std::fmt::Debug {
    /// The stored counts, in declaration order.
    const FIELDS: &'static [&'static str];
    /// The counts of a row as indicators.json writes them (stored counts and totals), in order.
    const ROW: &'static [&'static str];
    /// The counts only some files can have, written only when they are not zero.
    const OMIT_WHEN_ZERO: &'static [&'static str];
    /// The totals (sums of stored counts).
    const TOTALS: &'static [&'static str];
    /// The rates, in the order indicators.json writes them after the counts.
    const RATES: &'static [RateDef];
    /// A stored count or a total, by name.
    fn value(&self, name: &str) -> Option<u64>;
    /// Adds another row's counts.
    fn add(&mut self, other: &Self);
    /// The rate of a declaration: its numerator's counts over its denominator.
    fn rate_of(&self, def: &RateDef) -> Option<Rate> {
        let part = def.part.iter().filter_map(|p| self.value(p)).sum();
        Rate::of(part, self.value(def.whole).unwrap_or(0))
    }
    /// The numerator and denominator of a declared rate, as counts.
    fn fraction_of(&self, def: &RateDef) -> (u64, u64) {
        let part = def.part.iter().filter_map(|p| self.value(p)).sum();
        (part, self.value(def.whole).unwrap_or(0))
    }
    /// Every count and total by name: the row's order, then the totals and stored counts it
    /// does not write.
    fn names() -> Vec<&'static str> {
        let mut v = Self::ROW.to_vec();
        for name in Self::TOTALS.iter().chain(Self::FIELDS) {
            if !v.contains(name) {
                v.push(name);
            }
        }
        v
    }
    /// The numerator of the rate declared under this name (the on-time dossiers of
    /// `on_time_rate`).
    fn numerator(&self, rate: &str) -> u64 {
        Self::rate_def(rate).map_or(0, |def| self.fraction_of(def).0)
    }
    /// The rate declared under this name.
    fn rate_def(name: &str) -> Option<&'static RateDef> {
        Self::RATES.iter().find(|r| r.name == name)
    }
    /// The rate that decides this target measure.
    fn rate_for_measure(measure: &str) -> Option<&'static RateDef> {
        Self::RATES.iter().find(|r| r.measure == measure)
    }
}

/// Declares a kind's counts once: the struct of stored counts, its totals (sums of stored
/// counts), its rates (fractions of counts and totals, with the target measure each decides)
/// and the order indicators.json writes a row in.
///
/// ```ignore
/// counts! {
///     /// The counts of one row.
///     pub struct PaknCounts {
///         /// Received in the period.
///         new,
///         closed_on_time,
///         closed_late,
///     }
///     totals {
///         /// on time + late.
///         closed_total = sum(closed_on_time, closed_late);
///     }
///     rates {
///         /// closed on time / closed.
///         on_time_rate = sum(closed_on_time) / closed_total => "pakn_on_time_rate";
///     }
///     row [new, closed_total, closed_on_time, closed_late];
/// }
/// ```
#[macro_export]
macro_rules! counts {
    (
        $(#[$meta:meta])*
        pub struct $name:ident {
            $( $(#[$fmeta:meta])* $field:ident, )+
        }
        totals {
            $( $(#[$tmeta:meta])* $total:ident = sum( $($term:ident),+ ) ; )*
        }
        rates {
            $( $(#[$rmeta:meta])* $rate:ident = sum( $($part:ident),+ ) / $whole:ident => $measure:literal ; )*
        }
        row [ $($row:ident),+ $(,)? ];
        $( omit_when_zero [ $($omit:ident),* ]; )?
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
        pub struct $name {
            $( $(#[$fmeta])* pub $field: u64, )+
        }

        impl $name {
            $(
                $(#[$tmeta])*
                pub fn $total(&self) -> u64 {
                    0 $(+ self.$term)+
                }
            )*
            $(
                $(#[$rmeta])*
                pub fn $rate(&self) -> Option<$crate::rate::Rate> {
                    $crate::figures::NamedCounts::rate_of(
                        self,
                        <Self as $crate::figures::NamedCounts>::rate_def(stringify!($rate))
                            .expect("declared"),
                    )
                }
            )*
            /// Adds another row's counts.
            pub fn add(&mut self, o: &Self) {
                $( self.$field += o.$field; )+
            }
            /// The counts from their values in declaration order.
            pub fn from_values(mut value: impl FnMut(usize) -> u64) -> Self {
                let mut i = 0usize;
                let mut next = || {
                    i += 1;
                    value(i - 1)
                };
                Self { $( $field: next(), )+ }
            }
        }

        impl $crate::figures::NamedCounts for $name {
            const FIELDS: &'static [&'static str] = &[$(stringify!($field)),+];
            const ROW: &'static [&'static str] = &[$(stringify!($row)),+];
            const OMIT_WHEN_ZERO: &'static [&'static str] = &[$($(stringify!($omit)),*)?];
            const TOTALS: &'static [&'static str] = &[$(stringify!($total)),*];
            const RATES: &'static [$crate::figures::RateDef] = &[$(
                $crate::figures::RateDef {
                    name: stringify!($rate),
                    part: &[$(stringify!($part)),+],
                    whole: stringify!($whole),
                    measure: $measure,
                }
            ),*];
            fn value(&self, name: &str) -> Option<u64> {
                match name {
                    $( stringify!($field) => Some(self.$field), )+
                    $( stringify!($total) => Some(self.$total()), )*
                    _ => None,
                }
            }
            fn add(&mut self, other: &Self) {
                $name::add(self, other)
            }
        }
    };
}

/// One row of named counts as indicators.json writes it: level, unit, field, the counts of
/// [`NamedCounts::ROW`] (those of [`NamedCounts::OMIT_WHEN_ZERO`] only when not 0), then each rate rounded to two decimals (null when its denominator is 0).
#[derive(Debug)]
pub struct CountRow<'a, C: NamedCounts + Copy> {
    /// The level's code.
    pub level: &'static str,
    /// Canonical unit.
    pub unit: &'a str,
    /// Canonical field.
    pub field: &'a str,
    /// The counts.
    pub counts: C,
}

impl<C: NamedCounts + Copy> serde::Serialize for CountRow<'_, C> {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = s.serialize_map(None)?;
        map.serialize_entry("level", self.level)?;
        map.serialize_entry("unit", self.unit)?;
        map.serialize_entry("field", self.field)?;
        for name in C::ROW {
            let value = self.counts.value(name);
            if value == Some(0) && C::OMIT_WHEN_ZERO.contains(name) {
                continue;
            }
            map.serialize_entry(name, &value)?;
        }
        for def in C::RATES {
            map.serialize_entry(def.name, &self.counts.rate_of(def).map(Rate::rounded))?;
        }
        map.end()
    }
}

/// One key of indicators.json and its value.
pub type JsonSection<'a> = (&'static str, Box<dyn erased_serde::Serialize + 'a>);

/// A kind's table of counts as its key of indicators.json: one [`CountRow`] per (level, unit,
/// field), in the figures' order.
pub fn count_table<'a, C: NamedCounts + Copy + 'a>(
    key: &'static str,
    rows: impl Iterator<Item = (crate::model::Level, &'a str, &'a str, C)>,
) -> JsonSection<'a> {
    let rows: Vec<CountRow<'a, C>> = rows
        .map(|(level, unit, field, counts)| CountRow {
            level: level.code(),
            unit,
            field,
            counts,
        })
        .collect();
    (key, Box::new(rows))
}

/// One row's share of a rate: its level, unit and field, and its numerator and denominator.
#[derive(Debug, Clone, Copy)]
pub struct Fraction<'a> {
    /// Level of the unit.
    pub level: Level,
    /// Canonical unit.
    pub unit: &'a str,
    /// Canonical field.
    pub field: &'a str,
    /// Numerator.
    pub part: u64,
    /// Denominator.
    pub whole: u64,
}

impl<'a> Fraction<'a> {
    /// A row's numerator and denominator of a declared rate.
    pub fn of<C: NamedCounts>(
        level: Level,
        unit: &'a str,
        field: &'a str,
        counts: &C,
        def: &RateDef,
    ) -> Fraction<'a> {
        let (part, whole) = counts.fraction_of(def);
        Fraction {
            level,
            unit,
            field,
            part,
            whole,
        }
    }
}

/// What a kind measures for a target: rows whose numerators and denominators a scope adds up
/// (a count is rows of the count over 1), or a figure of a level or of the whole locality only.
pub enum Measured<'a> {
    /// One fraction per (level, unit, field) row.
    Rows(Vec<Fraction<'a>>),
    /// The figure of a level (None: the whole locality); None when the data cannot decide it.
    Whole(Box<dyn Fn(Option<Level>) -> Option<MeasuredValue> + 'a>),
}

/// A measured figure: a rate, and for a count its number (the rate is then the count over 1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MeasuredValue {
    /// The rate (a count over 1 for a count).
    pub rate: Rate,
    /// The count, for a measure that is one.
    pub count: Option<u64>,
}

impl MeasuredValue {
    /// A count, as a rate over 1.
    pub fn count(n: u64) -> MeasuredValue {
        MeasuredValue {
            rate: Rate { part: n, whole: 1 },
            count: Some(n),
        }
    }
}

/// The rows of a declared rate measure of a counts table, if `measure` is one of its rates.
pub fn rate_rows<'a, C: NamedCounts + 'a>(
    measure: &str,
    rows: impl Iterator<Item = (Level, &'a str, &'a str, C)>,
) -> Option<Measured<'a>> {
    let def = C::rate_for_measure(measure)?;
    Some(Measured::Rows(
        rows.map(|(level, unit, field, c)| Fraction::of(level, unit, field, &c, def))
            .collect(),
    ))
}

/// A count a kind offers as a target measure: a stored count or total of its rows, summed over
/// a target's scope.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CountMeasure {
    /// The measure's name in `targets.toml` (`pakn_pending_overdue`).
    pub measure: &'static str,
    /// The count it sums (`pending_overdue`).
    pub count: &'static str,
}

/// The rows of a count measure of a counts table (each its count over 1), if `measure` is one
/// of `declared`.
pub fn count_rows<'a, C: NamedCounts + 'a>(
    measure: &str,
    declared: &[CountMeasure],
    rows: impl Iterator<Item = (Level, &'a str, &'a str, C)>,
) -> Option<Measured<'a>> {
    let def = declared.iter().find(|d| d.measure == measure)?;
    Some(Measured::Rows(
        rows.map(|(level, unit, field, c)| Fraction {
            level,
            unit,
            field,
            part: c.value(def.count).unwrap_or(0),
            whole: 1,
        })
        .collect(),
    ))
}
