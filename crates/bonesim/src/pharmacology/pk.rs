//! Linear pharmacokinetics in closed form.
//!
//! A linear compartment model answers a dose with a sum of exponentials. After 1 mg enters
//! plasma at once, the central concentration is
//!
//! ```text
//! C(t) = Σ aᵢ e^(−λᵢ t)        (mg/L per mg; λᵢ per hour)
//! ```
//!
//! and everything else follows from that [`Disposition`]: a constant-rate infusion over `T`
//! hours, first-order absorption from a depot (subcutaneous, intramuscular, oral) and
//! zero-order release from a patch or pellet are that impulse response convolved with the
//! input, again in closed form, and a dose schedule is the sum of its doses (superposition).
//! The mean over a tick comes from the exact integral, so a drug whose distribution phase is
//! shorter than the tick (zoledronic acid's 0.24 h, docetaxel's minutes) is neither missed nor
//! overstated.
//!
//! For a mammillary model (central compartment `V1` cleared by `CL`, peripherals exchanging
//! with it through `Qₚ`, `Vₚ`), the λᵢ are the roots of the characteristic polynomial
//! (quadratic for two compartments, a cubic solved by its trigonometric form for three) and
//!
//! ```text
//! aᵢ = Πₚ (kₚ₁ − λᵢ) / (V1 · Π_{j≠i} (λⱼ − λᵢ)),   kₚ₁ = Qₚ / Vₚ
//! ```
//!
//! (Gibaldi & Perrier, *Pharmacokinetics*, 2nd ed. 1982, ch. 3 and appendix C). The tests
//! check every route against a Runge–Kutta integration of the compartment equations.

use serde::{Deserialize, Serialize};

/// One exponential of an impulse response: `coefficient_per_l · e^(−rate_per_h · t)` per mg.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Exponential {
    /// Concentration per mg dosed at time 0, mg/L per mg (1/L).
    pub coefficient_per_l: f64,
    /// Decay rate, per hour.
    pub rate_per_h: f64,
}

/// How a drug is distributed and eliminated once in plasma, as its impulse response.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Disposition {
    terms: Vec<Exponential>,
}

/// Why a disposition cannot be built.
#[derive(Clone, Debug, PartialEq)]
pub struct PkError(pub String);

impl std::fmt::Display for PkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for PkError {}

fn positive(name: &str, value: f64) -> Result<(), PkError> {
    if value.is_finite() && value > 0.0 {
        Ok(())
    } else {
        Err(PkError(format!("{name} must be a positive number, not {value}")))
    }
}

impl Disposition {
    /// A mammillary model: a central compartment of `v1_l` litres cleared at `cl_l_per_h`,
    /// exchanging with up to two peripheral compartments `(Q L/h, V L)`.
    pub fn mammillary(cl_l_per_h: f64, v1_l: f64, peripherals: &[(f64, f64)]) -> Result<Disposition, PkError> {
        positive("CL", cl_l_per_h)?;
        positive("V1", v1_l)?;
        for &(q, v) in peripherals {
            positive("Q", q)?;
            positive("V", v)?;
        }
        let k10 = cl_l_per_h / v1_l;
        let k1p: Vec<f64> = peripherals.iter().map(|&(q, _)| q / v1_l).collect();
        let kp1: Vec<f64> = peripherals.iter().map(|&(q, v)| q / v).collect();
        let rates = match peripherals.len() {
            0 => vec![k10],
            1 => {
                let s = k10 + k1p[0] + kp1[0];
                let root = (s * s - 4.0 * k10 * kp1[0]).max(0.0).sqrt();
                // The smaller root as a product over the larger one avoids cancellation.
                let fast = (s + root) / 2.0;
                vec![fast, k10 * kp1[0] / fast]
            }
            2 => {
                let (k12, k13, k21, k31) = (k1p[0], k1p[1], kp1[0], kp1[1]);
                let a2 = k10 + k12 + k13 + k21 + k31;
                let a1 = k10 * k21 + k10 * k31 + k12 * k31 + k13 * k21 + k21 * k31;
                let a0 = k10 * k21 * k31;
                cubic_roots(a2, a1, a0).to_vec()
            }
            n => return Err(PkError(format!("{} compartments: at most three are supported", n + 1))),
        };
        let terms = rates
            .iter()
            .enumerate()
            .map(|(i, &l)| {
                let numerator: f64 = kp1.iter().map(|&k| k - l).product();
                let denominator: f64 = rates.iter().enumerate().filter(|&(j, _)| j != i).map(|(_, &m)| m - l).product();
                Exponential { coefficient_per_l: numerator / (v1_l * denominator), rate_per_h: l }
            })
            .collect();
        Ok(Disposition { terms })
    }

    /// A disposition given directly as exponentials (a published multi-phase fit).
    pub fn exponentials(terms: &[Exponential]) -> Result<Disposition, PkError> {
        if terms.is_empty() {
            return Err(PkError("a disposition needs at least one exponential".into()));
        }
        for t in terms {
            positive("an exponential's rate", t.rate_per_h)?;
            positive("an exponential's coefficient", t.coefficient_per_l)?;
        }
        Ok(Disposition { terms: terms.to_vec() })
    }

    /// The exponentials, fastest first.
    pub fn terms(&self) -> &[Exponential] {
        &self.terms
    }

    /// Half-lives of the phases, hours, fastest first.
    pub fn half_lives_h(&self) -> Vec<f64> {
        let mut h: Vec<f64> = self.terms.iter().map(|t| std::f64::consts::LN_2 / t.rate_per_h).collect();
        h.sort_by(f64::total_cmp);
        h
    }

    /// Area under the curve of 1 mg given at once, mg·h/L: 1/CL.
    pub fn auc_per_mg(&self) -> f64 {
        self.terms.iter().map(|t| t.coefficient_per_l / t.rate_per_h).sum()
    }
}

/// The three roots of `λ³ − a2 λ² + a1 λ − a0 = 0`, all real and positive for a mammillary
/// model, largest first (the trigonometric solution of a cubic with three real roots).
fn cubic_roots(a2: f64, a1: f64, a0: f64) -> [f64; 3] {
    // λ = x + a2/3 gives x³ + p x + q = 0.
    let p = a1 - a2 * a2 / 3.0;
    let q = -2.0 * a2.powi(3) / 27.0 + a2 * a1 / 3.0 - a0;
    let m = 2.0 * (-p / 3.0).max(0.0).sqrt();
    let argument = if m > 0.0 { (3.0 * q / (p * m)).clamp(-1.0, 1.0) } else { 0.0 };
    let theta = argument.acos() / 3.0;
    let two_thirds_pi = 2.0 * std::f64::consts::PI / 3.0;
    let mut roots = [0.0, 1.0, 2.0].map(|k| m * (theta - k * two_thirds_pi).cos() + a2 / 3.0);
    roots.sort_by(|a, b| b.total_cmp(a));
    // Polish with Newton steps: the trigonometric form loses digits on the smallest root.
    for r in &mut roots {
        for _ in 0..3 {
            let f = ((*r - a2) * *r + a1) * *r - a0;
            let df = (3.0 * *r - 2.0 * a2) * *r + a1;
            if df != 0.0 {
                *r -= f / df;
            }
        }
    }
    roots
}

/// How a dose enters plasma.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Route {
    /// All at once (an intravenous push; also used where absorption takes minutes and the
    /// drug stays for days).
    Bolus,
    /// At a constant rate over `hours` (an intravenous infusion).
    Infusion {
        /// Length of the infusion, hours.
        hours: f64,
    },
    /// First-order absorption from a depot: subcutaneous, intramuscular, intraperitoneal or
    /// oral.
    FirstOrder {
        /// Absorption rate constant, per hour.
        ka_per_h: f64,
        /// Share of the dose that reaches plasma.
        bioavailability: f64,
    },
    /// Zero-order release at the dose rate until the next dose is due (a transdermal patch or
    /// a slow-release pellet, changed every `every_days`): the dose is then a rate (mg/day),
    /// and each administration releases `dose × every_days`.
    Release,
}

impl Route {
    /// Cumulative area under the concentration curve from 0 to `t_h` of 1 mg given at 0 by
    /// this route, with zero-order input lasting `input_h` (infusions and releases), for one
    /// exponential of the disposition. Zero before the dose.
    fn auc_term(self, e: Exponential, input_h: f64, t_h: f64) -> f64 {
        if t_h <= 0.0 {
            return 0.0;
        }
        let (a, l) = (e.coefficient_per_l, e.rate_per_h);
        // 1 − e^(−x), accurate for small x.
        let one_minus = |x: f64| -(-x).exp_m1();
        match self {
            Route::Bolus => a / l * one_minus(l * t_h),
            Route::FirstOrder { ka_per_h: ka, bioavailability: f } => {
                if ((ka - l) / ka).abs() < 1e-9 {
                    // Limit ka → λ: C = F ka a t e^(−λt).
                    f * ka * a * (1.0 - (-l * t_h).exp() * (1.0 + l * t_h)) / (l * l)
                } else {
                    f * ka * a / (ka - l) * (one_minus(l * t_h) / l - one_minus(ka * t_h) / ka)
                }
            }
            Route::Infusion { .. } | Route::Release => {
                let rate = a / input_h; // per mg dosed, spread over the input
                if t_h <= input_h {
                    rate / l * (t_h - one_minus(l * t_h) / l)
                } else {
                    let during = rate / l * (input_h - one_minus(l * input_h) / l);
                    let at_end = rate / l * one_minus(l * input_h);
                    during + at_end * one_minus(l * (t_h - input_h)) / l
                }
            }
        }
    }

    /// Concentration at `t_h` after 1 mg given at 0, for one exponential (zero before).
    fn concentration_term(self, e: Exponential, input_h: f64, t_h: f64) -> f64 {
        if t_h < 0.0 {
            return 0.0;
        }
        let (a, l) = (e.coefficient_per_l, e.rate_per_h);
        let one_minus = |x: f64| -(-x).exp_m1();
        match self {
            Route::Bolus => a * (-l * t_h).exp(),
            Route::FirstOrder { ka_per_h: ka, bioavailability: f } => {
                if ((ka - l) / ka).abs() < 1e-9 {
                    f * ka * a * t_h * (-l * t_h).exp()
                } else {
                    f * ka * a / (ka - l) * ((-l * t_h).exp() - (-ka * t_h).exp())
                }
            }
            Route::Infusion { .. } | Route::Release => {
                let rate = a / input_h;
                if t_h <= input_h {
                    rate / l * one_minus(l * t_h)
                } else {
                    rate / l * one_minus(l * input_h) * (-l * (t_h - input_h)).exp()
                }
            }
        }
    }
}

/// One administration: when, how much, and (for infusions and releases) over how long.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Administration {
    /// Time of the dose, hours from the start of the run.
    pub at_h: f64,
    /// Amount, mg.
    pub amount_mg: f64,
    /// Length of a zero-order input, hours (unused for boluses and first-order absorption).
    pub input_h: f64,
}

/// A drug's plasma concentration over a schedule: the superposition of every administration's
/// response through one route and disposition.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PlasmaCurve {
    /// How it is given.
    pub route: Route,
    /// How it is distributed and eliminated.
    pub disposition: Disposition,
    /// The administrations, in time order.
    pub doses: Vec<Administration>,
}

impl PlasmaCurve {
    /// Plasma concentration at `t_h`, mg/L (= µg/mL).
    pub fn concentration_mg_l(&self, t_h: f64) -> f64 {
        let mut c = 0.0;
        for d in self.doses.iter().take_while(|d| d.at_h <= t_h) {
            for &e in self.disposition.terms() {
                c += d.amount_mg * self.route.concentration_term(e, d.input_h, t_h - d.at_h);
            }
        }
        c
    }

    /// Area under the curve from `t0_h` to `t1_h`, mg·h/L.
    pub fn auc_mg_h_l(&self, t0_h: f64, t1_h: f64) -> f64 {
        let mut area = 0.0;
        for d in self.doses.iter().take_while(|d| d.at_h < t1_h) {
            for &e in self.disposition.terms() {
                let upto = |t: f64| self.route.auc_term(e, d.input_h, t - d.at_h);
                area += d.amount_mg * (upto(t1_h) - upto(t0_h));
            }
        }
        area
    }

    /// Mean concentration from `t0_h` to `t1_h`, mg/L: what a tick of that length sees.
    pub fn mean_mg_l(&self, t0_h: f64, t1_h: f64) -> f64 {
        if t1_h > t0_h { self.auc_mg_h_l(t0_h, t1_h) / (t1_h - t0_h) } else { self.concentration_mg_l(t0_h) }
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Integrates a mammillary model with a depot by classical Runge–Kutta, steps of `dt_h`:
    /// independent of the closed forms above. Returns the central concentration at each of
    /// `times` (sorted). Doses enter the depot (first order), the central compartment at once,
    /// or at a constant rate, as `route` says.
    pub(crate) fn integrate(
        cl: f64,
        v1: f64,
        peripherals: &[(f64, f64)],
        route: Route,
        doses: &[Administration],
        times: &[f64],
        dt_h: f64,
    ) -> Vec<f64> {
        let n = peripherals.len();
        // State: depot, central amount, peripheral amounts.
        let mut y = vec![0.0; 2 + n];
        let input_rate = |t: f64| -> f64 {
            match route {
                Route::Infusion { .. } | Route::Release => doses
                    .iter()
                    .filter(|d| t >= d.at_h && t < d.at_h + d.input_h)
                    .map(|d| d.amount_mg / d.input_h)
                    .sum(),
                _ => 0.0,
            }
        };
        // The zero-order input is constant within a step (steps end where it jumps), so it is
        // read at the step's middle and passed in.
        let derivative = |input: f64, y: &[f64]| -> Vec<f64> {
            let mut dy = vec![0.0; y.len()];
            let central = y[1];
            if let Route::FirstOrder { ka_per_h, .. } = route {
                dy[0] = -ka_per_h * y[0];
                dy[1] += ka_per_h * y[0];
            }
            dy[1] += input - cl / v1 * central;
            for (p, &(q, v)) in peripherals.iter().enumerate() {
                let flow = q * (central / v1 - y[2 + p] / v);
                dy[1] -= flow;
                dy[2 + p] += flow;
            }
            dy
        };
        let mut out = Vec::new();
        let mut t = 0.0;
        let mut next_dose = 0;
        for &target in times {
            while t < target - 1e-12 {
                while next_dose < doses.len() && doses[next_dose].at_h <= t + 1e-12 {
                    let d = doses[next_dose];
                    match route {
                        Route::Bolus => y[1] += d.amount_mg,
                        Route::FirstOrder { bioavailability, .. } => y[0] += bioavailability * d.amount_mg,
                        _ => {}
                    }
                    next_dose += 1;
                }
                // Steps end on every dose and every end of an input, where the input jumps.
                let next_break = doses
                    .iter()
                    .flat_map(|d| [d.at_h, d.at_h + d.input_h])
                    .filter(|&b| b > t + 1e-12)
                    .fold(f64::INFINITY, f64::min);
                let h = dt_h.min(target - t).min(next_break - t);
                let input = input_rate(t + h / 2.0);
                let k1 = derivative(input, &y);
                let y2: Vec<f64> = y.iter().zip(&k1).map(|(a, b)| a + h / 2.0 * b).collect();
                let k2 = derivative(input, &y2);
                let y3: Vec<f64> = y.iter().zip(&k2).map(|(a, b)| a + h / 2.0 * b).collect();
                let k3 = derivative(input, &y3);
                let y4: Vec<f64> = y.iter().zip(&k3).map(|(a, b)| a + h * b).collect();
                let k4 = derivative(input, &y4);
                for i in 0..y.len() {
                    y[i] += h / 6.0 * (k1[i] + 2.0 * k2[i] + 2.0 * k3[i] + k4[i]);
                }
                t += h;
            }
            out.push(y[1] / v1);
        }
        out
    }

    fn relative_error(a: f64, b: f64) -> f64 {
        (a - b).abs() / b.abs().max(1e-300)
    }

    #[test]
    fn one_compartment_bolus_is_dose_over_volume_decaying_at_cl_over_v() {
        let d = Disposition::mammillary(2.0, 10.0, &[]).unwrap();
        assert_eq!(d.terms().len(), 1);
        assert!(relative_error(d.terms()[0].coefficient_per_l, 0.1) < 1e-12);
        assert!(relative_error(d.half_lives_h()[0], 10.0 * std::f64::consts::LN_2 / 2.0) < 1e-12);
        assert!(relative_error(d.auc_per_mg(), 0.5) < 1e-12, "AUC of a bolus is dose / CL");
    }

    #[test]
    fn two_and_three_compartment_responses_start_at_one_over_v1_and_integrate_to_one_over_cl() {
        // At t = 0 the dose is all in the central compartment; its total area is 1/CL
        // whatever the distribution.
        for peripherals in [&[(5.0, 20.0)][..], &[(5.58, 7.39), (12.5, 225.0)][..]] {
            let d = Disposition::mammillary(35.7, 6.94, peripherals).unwrap();
            let c0: f64 = d.terms().iter().map(|t| t.coefficient_per_l).sum();
            assert!(relative_error(c0, 1.0 / 6.94) < 1e-9, "{c0}");
            assert!(relative_error(d.auc_per_mg(), 1.0 / 35.7) < 1e-9, "{}", d.auc_per_mg());
        }
    }

    #[test]
    fn every_route_matches_a_runge_kutta_integration() {
        let cases: [(&[(f64, f64)], Route); 5] = [
            (&[(0.2 / 24.0, 2.9)], Route::Infusion { hours: 1.0 }),
            (&[(5.58, 7.39), (12.5, 225.0)], Route::Infusion { hours: 1.0 }),
            (&[], Route::FirstOrder { ka_per_h: 0.0107, bioavailability: 0.61 }),
            (&[(0.5, 20.0)], Route::Bolus),
            (&[(1.0, 5.0)], Route::Release),
        ];
        let (cl, v1) = (0.5, 3.5);
        for (peripherals, route) in cases {
            let doses = [
                Administration { at_h: 0.0, amount_mg: 500.0, input_h: 84.0 },
                Administration { at_h: 300.0, amount_mg: 250.0, input_h: 84.0 },
            ];
            let doses: Vec<Administration> = doses
                .iter()
                .map(|d| Administration { input_h: if route == Route::Release { 84.0 } else { 1.0 }, ..*d })
                .collect();
            let curve = PlasmaCurve {
                route,
                disposition: Disposition::mammillary(cl, v1, peripherals).unwrap(),
                doses: doses.clone(),
            };
            let times: Vec<f64> = [0.5, 1.0, 3.0, 24.0, 100.0, 299.0, 301.0, 700.0, 2000.0].to_vec();
            let reference = integrate(cl, v1, peripherals, route, &doses, &times, 0.002);
            for (t, r) in times.iter().zip(&reference) {
                let c = curve.concentration_mg_l(*t);
                assert!(relative_error(c, *r) < 1e-6 || (c - r).abs() < 1e-9, "{route:?} t {t}: {c} vs RK4 {r}");
            }
        }
    }

    #[test]
    fn the_mean_over_an_interval_is_the_integral_of_the_curve() {
        let curve = PlasmaCurve {
            route: Route::Infusion { hours: 0.25 },
            disposition: Disposition::exponentials(&[
                Exponential { coefficient_per_l: 0.05, rate_per_h: 2.9 },
                Exponential { coefficient_per_l: 0.01, rate_per_h: 0.37 },
                Exponential { coefficient_per_l: 0.0004, rate_per_h: 0.0047 },
            ])
            .unwrap(),
            doses: vec![Administration { at_h: 10.0, amount_mg: 4.0, input_h: 0.25 }],
        };
        // Trapezoid rule with fine steps over ticks that straddle the dose and its infusion.
        for (t0, t1) in [(9.0, 10.0), (9.5, 10.5), (10.0, 11.0), (10.1, 10.2), (30.0, 31.0), (0.0, 500.0)] {
            let n = 200_000;
            let h = (t1 - t0) / n as f64;
            let trapezoid: f64 = (0..n)
                .map(|i| {
                    let a = t0 + i as f64 * h;
                    (curve.concentration_mg_l(a) + curve.concentration_mg_l(a + h)) * h / 2.0
                })
                .sum();
            let exact = curve.auc_mg_h_l(t0, t1);
            assert!((exact - trapezoid).abs() <= 1e-6 * trapezoid.abs().max(1e-9), "{t0}–{t1}: {exact} vs {trapezoid}");
        }
        assert_eq!(curve.mean_mg_l(0.0, 9.0), 0.0, "nothing before the dose");
    }

    #[test]
    fn absorption_as_fast_as_elimination_takes_the_limit() {
        let d = Disposition::mammillary(1.0, 10.0, &[]).unwrap();
        let same = Route::FirstOrder { ka_per_h: 0.1, bioavailability: 1.0 };
        let near = Route::FirstOrder { ka_per_h: 0.1 * (1.0 + 1e-6), bioavailability: 1.0 };
        let e = d.terms()[0];
        for t in [1.0, 10.0, 50.0] {
            assert!(relative_error(same.concentration_term(e, 0.0, t), near.concentration_term(e, 0.0, t)) < 1e-4);
            assert!(relative_error(same.auc_term(e, 0.0, t), near.auc_term(e, 0.0, t)) < 1e-4);
        }
    }

    #[test]
    fn bad_constants_are_refused() {
        assert!(Disposition::mammillary(0.0, 1.0, &[]).is_err());
        assert!(Disposition::mammillary(1.0, f64::NAN, &[]).is_err());
        assert!(Disposition::mammillary(1.0, 1.0, &[(1.0, 1.0); 3]).is_err());
        assert!(Disposition::exponentials(&[]).is_err());
    }
}
