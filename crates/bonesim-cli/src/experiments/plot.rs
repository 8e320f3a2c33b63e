//! One figure per experiment: the time course of each drawn readout, one colour per arm, the
//! median over seeds as a line and the interquartile range as a band.
//!
//! Drawn with `plotters` on its bitmap backend. Text uses DejaVu Sans, embedded in the
//! binary (`assets/fonts/`, free licence beside it) and registered once at start-up, so no
//! system font library is needed.

use super::ExperimentResult;
use super::suite::Experiment;
use anyhow::{Result, anyhow};
use plotters::prelude::*;
use std::path::Path;

const FONT: &[u8] = include_bytes!("../../../../assets/fonts/DejaVuSans.ttf");

/// Arm colours (Okabe–Ito, readable by colour-blind readers).
const COLOURS: [RGBColor; 6] = [
    RGBColor(0, 0, 0),
    RGBColor(230, 159, 0),
    RGBColor(0, 114, 178),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(213, 94, 0),
];

/// Registers the embedded font as plotters' `sans-serif` (once per process; later calls do
/// nothing).
pub fn register_font() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        // The font is compiled in and known to parse (a test draws with it).
        let _ = plotters::style::register_font("sans-serif", FontStyle::Normal, FONT);
    });
}

/// A readout's label with its unit, for an axis.
fn label(readout: &str) -> String {
    match readout {
        "bone_rel" => "bone mass, relative to day 0".into(),
        "tumor_cells" => "tumour cells".into(),
        "osteoclasts" => "osteoclasts".into(),
        "lytic_area_mm2" => "lytic area, mm²".into(),
        "resorbed_mm2" => "bone resorbed since day 0, mm²".into(),
        "serum_il6_pg_ml" => "serum IL-6, pg/mL".into(),
        "ctx" => "CTX (resorption), % of bone per year".into(),
        r if r.starts_with("plasma_") => {
            let name = &r["plasma_".len()..];
            let unit = bonesim::pharmacology::Drug::from_name(name).map_or("", |d| d.info().plasma_unit.label());
            format!("plasma {name}, {unit}")
        }
        r if r.ends_with("_pm") => format!("mean {}, pM", &r[..r.len() - 3]),
        r => r.into(),
    }
}

/// Draws `result`'s time courses into a PNG at `path`.
pub fn figure(experiment: &Experiment, result: &ExperimentResult, path: &Path) -> Result<()> {
    let e = |err: DrawingAreaErrorKind<_>| anyhow!("drawing failed: {err}");
    let panels = experiment.plots.len().max(1);
    let cols = if panels > 1 { 2 } else { 1 };
    let rows = panels.div_ceil(cols);
    let (w, h) = (560 * cols as u32, 380 * rows as u32 + 40);
    let root = BitMapBackend::new(path, (w, h)).into_drawing_area();
    root.fill(&WHITE).map_err(e)?;
    let title = format!("{} ({} seeds per arm: median and interquartile range)", result.name, result.seeds.len());
    let root = root.titled(&title, ("sans-serif", 20)).map_err(e)?;
    let areas = root.split_evenly((rows, cols));
    for (area, &readout) in areas.iter().zip(&experiment.plots) {
        let courses: Vec<_> = result.time_courses.iter().filter(|c| c.readout == readout).collect();
        let days = courses.iter().flat_map(|c| c.day.last().copied()).fold(1.0_f64, f64::max);
        let (mut lo, mut hi) = (f64::MAX, f64::MIN);
        for c in &courses {
            for v in c.q1.iter().chain(&c.q3) {
                lo = lo.min(*v);
                hi = hi.max(*v);
            }
        }
        if lo > hi {
            (lo, hi) = (0.0, 1.0);
        }
        let pad = ((hi - lo) * 0.08).max(hi.abs() * 0.02).max(1e-9);
        let (lo, hi) = (if lo >= 0.0 { (lo - pad).max(0.0) } else { lo - pad }, hi + pad);
        let mut chart = ChartBuilder::on(area)
            .margin(12)
            .x_label_area_size(36)
            .y_label_area_size(64)
            .build_cartesian_2d(0.0..days, lo..hi)
            .map_err(e)?;
        chart
            .configure_mesh()
            .light_line_style(WHITE)
            .x_desc("day")
            .y_desc(label(readout))
            .label_style(("sans-serif", 13))
            .axis_desc_style(("sans-serif", 14))
            .draw()
            .map_err(e)?;
        for (i, c) in courses.iter().enumerate() {
            let colour = COLOURS[i % COLOURS.len()];
            let band: Vec<(f64, f64)> = c
                .day
                .iter()
                .zip(&c.q3)
                .map(|(d, v)| (*d, *v))
                .chain(c.day.iter().zip(&c.q1).rev().map(|(d, v)| (*d, *v)))
                .collect();
            chart.draw_series(std::iter::once(Polygon::new(band, colour.mix(0.18).filled()))).map_err(e)?;
            chart
                .draw_series(LineSeries::new(
                    c.day.iter().zip(&c.median).map(|(d, v)| (*d, *v)),
                    colour.stroke_width(2),
                ))
                .map_err(e)?
                .label(c.arm.clone())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 18, y)], colour.stroke_width(2)));
        }
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(BLACK.mix(0.3))
            .label_font(("sans-serif", 12))
            .draw()
            .map_err(e)?;
    }
    root.present().map_err(e)?;
    Ok(())
}
