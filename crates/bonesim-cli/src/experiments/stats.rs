//! The statistics of the virtual experiments: medians and quartiles per arm, a bootstrap
//! interval for the difference between arms, and the Mann–Whitney rank test.
//!
//! Runs of one arm differ only in their seed, so their values are a sample of what the model
//! does; nothing is assumed about their distribution.

use rand::{Rng, SeedableRng};
use rand_xoshiro::Xoshiro256PlusPlus;

/// Median and quartiles of a sample.
#[derive(Clone, Copy, Debug, PartialEq, serde::Serialize)]
pub struct Spread {
    /// First quartile.
    pub q1: f64,
    /// Median.
    pub median: f64,
    /// Third quartile.
    pub q3: f64,
}

/// The `p` quantile (0–1) of sorted values, interpolating linearly between order statistics
/// (Hyndman & Fan type 7, the default of R and NumPy).
pub fn quantile_sorted(sorted: &[f64], p: f64) -> f64 {
    match sorted.len() {
        0 => f64::NAN,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * p.clamp(0.0, 1.0);
            let (lo, hi) = (h.floor() as usize, h.ceil() as usize);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

fn sorted(values: &[f64]) -> Vec<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v
}

/// Median of `values`.
pub fn median(values: &[f64]) -> f64 {
    quantile_sorted(&sorted(values), 0.5)
}

/// Median and quartiles of `values`.
pub fn spread(values: &[f64]) -> Spread {
    let s = sorted(values);
    Spread { q1: quantile_sorted(&s, 0.25), median: quantile_sorted(&s, 0.5), q3: quantile_sorted(&s, 0.75) }
}

/// The change from `control` to `treated` as a share of the control: `(b − a) / |a|` of the
/// medians, or the plain difference when the control's median is zero.
pub fn relative_change(control: f64, treated: f64) -> f64 {
    if control != 0.0 { (treated - control) / control.abs() } else { treated - control }
}

/// A 95 % percentile bootstrap interval of `statistic(control, treated)`, resampling each
/// arm with replacement `resamples` times from a fixed `seed` (so the report is reproducible).
pub fn bootstrap_interval(
    control: &[f64],
    treated: &[f64],
    resamples: usize,
    seed: u64,
    statistic: impl Fn(&[f64], &[f64]) -> f64,
) -> (f64, f64) {
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let mut draw = |values: &[f64], into: &mut Vec<f64>| {
        into.clear();
        into.extend((0..values.len()).map(|_| values[rng.random_range(0..values.len())]));
    };
    let (mut a, mut b) = (Vec::new(), Vec::new());
    let mut stats: Vec<f64> = (0..resamples)
        .map(|_| {
            draw(control, &mut a);
            draw(treated, &mut b);
            statistic(&a, &b)
        })
        .collect();
    stats.sort_by(f64::total_cmp);
    (quantile_sorted(&stats, 0.025), quantile_sorted(&stats, 0.975))
}

/// Like [`bootstrap_interval`], but resampling pairs: run `i` of `control` and run `i` of
/// `treated` share a seed (the same bone and vessels), so they are drawn together. Identical
/// arms then give an interval of exactly zero width.
pub fn bootstrap_paired_interval(
    control: &[f64],
    treated: &[f64],
    resamples: usize,
    seed: u64,
    statistic: impl Fn(&[f64], &[f64]) -> f64,
) -> (f64, f64) {
    assert_eq!(control.len(), treated.len(), "paired samples");
    let mut rng = Xoshiro256PlusPlus::seed_from_u64(seed);
    let n = control.len();
    let (mut a, mut b) = (Vec::with_capacity(n), Vec::with_capacity(n));
    let mut stats: Vec<f64> = (0..resamples)
        .map(|_| {
            a.clear();
            b.clear();
            for _ in 0..n {
                let i = rng.random_range(0..n);
                a.push(control[i]);
                b.push(treated[i]);
            }
            statistic(&a, &b)
        })
        .collect();
    stats.sort_by(f64::total_cmp);
    (quantile_sorted(&stats, 0.025), quantile_sorted(&stats, 0.975))
}

/// Mann–Whitney U of `y` against `x`: the number of pairs in which `y` is larger, ties
/// counting a half. `U / (n·m)` is the probability that a run of `y` beats one of `x`.
pub fn mann_whitney_u(x: &[f64], y: &[f64]) -> f64 {
    let mut u = 0.0;
    for &b in y {
        for &a in x {
            u += if b > a {
                1.0
            } else if b == a {
                0.5
            } else {
                0.0
            };
        }
    }
    u
}

/// Most splits enumerated for an exact test; above it the normal approximation is used.
const EXACT_LIMIT: u64 = 2_000_000;

/// Two-sided p-value of the Mann–Whitney test of `y` against `x`.
///
/// Exact when the number of ways to split the pooled runs into the two arms is at most two
/// million (every split of the pooled values is enumerated, so ties are handled exactly: a
/// permutation test of U). Otherwise the normal approximation with tie and continuity
/// corrections. Identical samples give p = 1.
pub fn mann_whitney_p(x: &[f64], y: &[f64]) -> f64 {
    let (n, m) = (x.len(), y.len());
    if n == 0 || m == 0 {
        return f64::NAN;
    }
    let pooled: Vec<f64> = x.iter().chain(y).copied().collect();
    let mean = (n * m) as f64 / 2.0;
    let observed = (mann_whitney_u(x, y) - mean).abs();
    if binomial(n + m, m) <= EXACT_LIMIT {
        // Every choice of which m pooled values form `y`.
        let mut chosen: Vec<usize> = (0..m).collect();
        let (mut extreme, mut total) = (0u64, 0u64);
        loop {
            let mut in_y = vec![false; n + m];
            for &c in &chosen {
                in_y[c] = true;
            }
            let (ys, xs): (Vec<f64>, Vec<f64>) = {
                let mut ys = Vec::with_capacity(m);
                let mut xs = Vec::with_capacity(n);
                for (i, &v) in pooled.iter().enumerate() {
                    if in_y[i] { ys.push(v) } else { xs.push(v) }
                }
                (ys, xs)
            };
            if (mann_whitney_u(&xs, &ys) - mean).abs() >= observed - 1e-9 {
                extreme += 1;
            }
            total += 1;
            if !next_combination(&mut chosen, n + m) {
                break;
            }
        }
        extreme as f64 / total as f64
    } else {
        // Normal approximation, variance corrected for ties.
        let mut s = sorted(&pooled);
        s.dedup();
        let ties: f64 =
            s.iter().map(|v| pooled.iter().filter(|&&p| p == *v).count() as f64).map(|t| t * t * t - t).sum();
        let nm = (n + m) as f64;
        let variance = (n * m) as f64 / 12.0 * ((nm + 1.0) - ties / (nm * (nm - 1.0)));
        if variance <= 0.0 {
            return 1.0;
        }
        let z = ((observed - 0.5).max(0.0)) / variance.sqrt();
        (2.0 * normal_upper_tail(z)).min(1.0)
    }
}

/// The next k-subset of 0..n in lexicographic order; false after the last.
fn next_combination(c: &mut [usize], n: usize) -> bool {
    let k = c.len();
    let mut i = k;
    while i > 0 {
        i -= 1;
        if c[i] < n - k + i {
            c[i] += 1;
            for j in i + 1..k {
                c[j] = c[j - 1] + 1;
            }
            return true;
        }
    }
    false
}

fn binomial(n: usize, k: usize) -> u64 {
    let k = k.min(n - k);
    let mut r: u128 = 1;
    for i in 0..k {
        r = r * (n - i) as u128 / (i + 1) as u128;
        if r > u64::MAX as u128 {
            return u64::MAX;
        }
    }
    r as u64
}

/// P(Z > z) for a standard normal Z (Abramowitz & Stegun 26.2.17, error below 7.5e-8).
fn normal_upper_tail(z: f64) -> f64 {
    if z < 0.0 {
        return 1.0 - normal_upper_tail(-z);
    }
    let t = 1.0 / (1.0 + 0.231_641_9 * z);
    let poly =
        t * (0.319_381_530 + t * (-0.356_563_782 + t * (1.781_477_937 + t * (-1.821_255_978 + t * 1.330_274_429))));
    (-z * z / 2.0).exp() / (2.0 * std::f64::consts::PI).sqrt() * poly
}

/// The smallest two-sided p-value an exact Mann–Whitney test of `n` against `m` runs can
/// give (complete separation).
pub fn smallest_p(n: usize, m: usize) -> f64 {
    2.0 / binomial(n + m, n) as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate_like_r_and_numpy() {
        let v = [1.0, 2.0, 3.0, 4.0];
        assert_eq!(spread(&v), Spread { q1: 1.75, median: 2.5, q3: 3.25 });
        assert_eq!(median(&[5.0, 1.0, 3.0]), 3.0);
        assert_eq!(spread(&[7.0]).q1, 7.0);
    }

    #[test]
    fn mann_whitney_exact_p_values_match_the_tables() {
        // Complete separation: 2 / C(n+m, n). SciPy's mannwhitneyu(method="exact") gives
        // 0.1 for 3 against 3, 0.0079365 for 5 against 5, 0.0286 for 4 against 4.
        let p = mann_whitney_p(&[1.0, 2.0, 3.0], &[4.0, 5.0, 6.0]);
        assert!((p - 0.1).abs() < 1e-12, "{p}");
        let p = mann_whitney_p(&[1.0, 2.0, 3.0, 4.0, 5.0], &[6.0, 7.0, 8.0, 9.0, 10.0]);
        assert!((p - 2.0 / 252.0).abs() < 1e-12, "{p}");
        assert!((smallest_p(4, 4) - 0.028_571_4).abs() < 1e-6);
        // U = 2 of 25 for 5 against 5: P(U ≤ 2) = 4/252, two-sided 0.031746.
        let (x, y) = ([1.0, 2.0, 3.0, 5.0, 6.0], [4.0, 7.0, 8.0, 9.0, 10.0]);
        assert_eq!(mann_whitney_u(&x, &y), 23.0);
        let p = mann_whitney_p(&x, &y);
        assert!((p - 8.0 / 252.0).abs() < 1e-12, "{p}");
        // No difference at all.
        assert_eq!(mann_whitney_p(&[1.0, 2.0, 3.0], &[1.0, 2.0, 3.0]), 1.0);
        assert_eq!(mann_whitney_p(&[4.0; 5], &[4.0; 5]), 1.0);
        // Direction does not matter for a two-sided test.
        assert_eq!(mann_whitney_p(&[4.0, 5.0, 6.0], &[1.0, 2.0, 3.0]), 0.1);
    }

    #[test]
    fn exact_and_normal_approximation_agree_for_larger_samples() {
        // 12 against 12 (2.7 million splits) goes to the approximation; check it against the
        // exact distribution's value computed here for a sample of 9 against 9 pushed through
        // both paths.
        let x: Vec<f64> = (0..9).map(|i| i as f64 * 1.3).collect();
        let y: Vec<f64> = (0..9).map(|i| i as f64 * 1.3 + 3.1).collect();
        let exact = mann_whitney_p(&x, &y);
        let nm: f64 = 18.0;
        let u = mann_whitney_u(&x, &y);
        let z = ((u - 40.5).abs() - 0.5) / (81.0 / 12.0 * (nm + 1.0)).sqrt();
        let approx = 2.0 * normal_upper_tail(z);
        assert!((exact - approx).abs() < 0.01, "{exact} vs {approx}");
        let big_x: Vec<f64> = (0..12).map(|i| i as f64).collect();
        let big_y: Vec<f64> = (0..12).map(|i| i as f64 + 20.0).collect();
        assert!(mann_whitney_p(&big_x, &big_y) < 1e-4);
    }

    #[test]
    fn the_normal_tail_is_right() {
        assert!((normal_upper_tail(1.959_964) - 0.025).abs() < 1e-6);
        assert!((normal_upper_tail(0.0) - 0.5).abs() < 1e-7);
    }

    #[test]
    fn the_bootstrap_interval_brackets_a_clear_difference_and_is_reproducible() {
        let control = [10.0, 11.0, 9.0, 10.5, 9.5];
        let treated = [5.0, 5.5, 4.5, 6.0, 5.2];
        let change = |a: &[f64], b: &[f64]| relative_change(median(a), median(b));
        let (lo, hi) = bootstrap_interval(&control, &treated, 4000, 7, change);
        assert!(lo < -0.4 && hi < -0.35 && lo <= change(&control, &treated), "{lo} {hi}");
        assert_eq!((lo, hi), bootstrap_interval(&control, &treated, 4000, 7, change));
        let same = bootstrap_interval(&control, &control, 4000, 7, |a: &[f64], b: &[f64]| median(b) - median(a));
        assert!(same.0 < 0.0 && same.1 > 0.0, "independent resampling of one sample spreads");
        let paired =
            bootstrap_paired_interval(&control, &control, 4000, 7, |a: &[f64], b: &[f64]| median(b) - median(a));
        assert_eq!(paired, (0.0, 0.0), "pairs of identical runs differ by nothing");
        let (lo, hi) = bootstrap_paired_interval(&control, &treated, 4000, 7, change);
        assert!(lo <= change(&control, &treated) && hi < -0.35, "{lo} {hi}");
    }
}
