//! A tiny deterministic PRNG (SplitMix64, Steele/Lea/Flood 2014, as published by
//! Vigna), so that the generator needs no `rand` crate and its output depends
//! on nothing but the seed. Only integer and IEEE add/mul/div/sqrt arithmetic is
//! used (no `exp`/`ln`), so the same seed gives the same numbers on every
//! platform.

/// SplitMix64: 64 bits of state, passes BigCrush, trivially seedable.
#[derive(Clone, Debug)]
pub struct SplitMix64 {
    state: u64,
}

const GOLDEN: u64 = 0x9E37_79B9_7F4A_7C15;

fn finalize(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// Mixes a seed and a list of labels (unit index, day number, …) into an
/// independent seed, so that every (unit, day) gets its own stream and a file
/// can regenerate exactly the dossiers another file holds.
pub fn derive(seed: u64, parts: &[u64]) -> u64 {
    let mut h = finalize(seed ^ 0x5EED_CC4C_0000_0001);
    for &p in parts {
        h = finalize(h.wrapping_add(GOLDEN) ^ finalize(p.wrapping_add(GOLDEN)));
    }
    h
}

impl SplitMix64 {
    pub fn new(seed: u64) -> Self {
        Self { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(GOLDEN);
        finalize(self.state)
    }

    /// Uniform in [0, 1).
    pub fn f64(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in 0..n (n > 0), by Lemire's multiply-shift (bias < 2^-40 for our n).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "below(0)");
        ((u128::from(self.next_u64()) * u128::from(n)) >> 64) as u64
    }

    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        assert!(lo <= hi, "empty range {lo}..={hi}");
        lo + self.below((hi - lo) as u64 + 1) as i64
    }

    pub fn chance(&mut self, p: f64) -> bool {
        self.f64() < p
    }

    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }

    /// Index drawn with the given non-negative weights.
    pub fn weighted_index(&mut self, weights: impl Iterator<Item = f64> + Clone) -> usize {
        let total: f64 = weights.clone().sum();
        let mut x = self.f64() * total;
        let mut last = 0;
        for (i, w) in weights.enumerate() {
            if x < w {
                return i;
            }
            x -= w;
            last = i;
        }
        last
    }

    /// A count with the given mean: binomial for small means, a normal
    /// approximation (Irwin–Hall) for large ones.
    pub fn count(&mut self, mean: f64) -> u64 {
        if mean <= 0.0 {
            return 0;
        }
        if mean <= 50.0 {
            let n = 4 * (mean.ceil() as u64) + 8;
            let p = mean / n as f64;
            (0..n).filter(|_| self.chance(p)).count() as u64
        } else {
            let z: f64 = (0..12).map(|_| self.f64()).sum::<f64>() - 6.0;
            (mean + mean.sqrt() * z).round().max(0.0) as u64
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reference_vector() {
        // Reference outputs of SplitMix64 seeded with 1234567.
        let mut r = SplitMix64::new(1_234_567);
        assert_eq!(r.next_u64(), 6_457_827_717_110_365_317);
        assert_eq!(r.next_u64(), 3_203_168_211_198_807_973);
        assert_eq!(r.next_u64(), 9_817_491_932_198_370_423);
    }

    #[test]
    fn ranges_and_determinism() {
        let mut a = SplitMix64::new(42);
        let mut b = SplitMix64::new(42);
        for _ in 0..10_000 {
            let x = a.range(-3, 7);
            assert_eq!(x, b.range(-3, 7));
            assert!((-3..=7).contains(&x));
            let f = a.f64();
            assert_eq!(f.to_bits(), b.f64().to_bits());
            assert!((0.0..1.0).contains(&f));
        }
        let mut r = SplitMix64::new(7);
        let hits = (0..20_000).filter(|_| r.chance(0.25)).count();
        assert!((4_500..5_500).contains(&hits), "{hits}");
        let mean = (0..2_000).map(|_| r.count(10.0)).sum::<u64>() as f64 / 2_000.0;
        assert!((9.0..11.0).contains(&mean), "{mean}");
        let big = (0..2_000).map(|_| r.count(1_000.0)).sum::<u64>() as f64 / 2_000.0;
        assert!((980.0..1_020.0).contains(&big), "{big}");
        assert_ne!(derive(1, &[2, 3]), derive(1, &[3, 2]));
        assert_ne!(derive(1, &[2]), derive(2, &[2]));
        assert_eq!(derive(9, &[1, 2]), derive(9, &[1, 2]));
    }
}
