//! PNG snapshots: the tissue with its cells, and heat maps of chosen fields.
//!
//! Small domains are scaled up (each site a square of pixels) so they stay readable. Heat
//! maps use a viridis colour map on a **linear** scale from 0 to the image's own maximum,
//! with a colour bar on the right (top = maximum); the maximum of each image is listed in
//! `legend.txt`, which also explains the tissue and cell colours.

use anyhow::{Context, Result};
use bonesim::Sim;
use bonesim::cells::CellKind;
use bonesim::field::{FieldId, FieldValues};
use bonesim::lattice::Lattice;
use bonesim::palette::{
    BONE_GREY_MAX, BONE_GREY_MIN, ERODED, MARROW, OSTEOID, Rgb, SiteLook, VESSEL, WOVEN, cell_colour, hex,
    tissue_colour, viridis,
};
use std::fs::File;
use std::io::BufWriter;
use std::path::Path;

/// Pixels per site: small domains are scaled up to about 400 pixels, at most 8×.
pub fn scale_for(width: usize, height: usize) -> usize {
    let side = width.max(height).max(1);
    400_usize.div_ceil(side).clamp(1, 8)
}

/// A label for a day in file names: `0012`, or `0012.50` for a day that is not whole.
pub fn day_label(day: f64) -> String {
    if (day - day.round()).abs() < 1e-6 { format!("{:04}", day.round() as u64) } else { format!("{day:07.2}") }
}

/// An RGB image being drawn.
struct Canvas {
    width: usize,
    height: usize,
    pixels: Vec<u8>,
}

impl Canvas {
    fn new(width: usize, height: usize) -> Canvas {
        Canvas { width, height, pixels: vec![0; width * height * 3] }
    }

    fn fill(&mut self, x0: usize, y0: usize, w: usize, h: usize, colour: Rgb) {
        for y in y0..(y0 + h).min(self.height) {
            for x in x0..(x0 + w).min(self.width) {
                let i = (y * self.width + x) * 3;
                self.pixels[i..i + 3].copy_from_slice(&colour);
            }
        }
    }

    fn save(&self, path: &Path) -> Result<()> {
        let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        let mut encoder = png::Encoder::new(BufWriter::new(file), self.width as u32, self.height as u32);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().with_context(|| format!("cannot write {}", path.display()))?;
        writer.write_image_data(&self.pixels).with_context(|| format!("cannot write {}", path.display()))?;
        writer.finish().with_context(|| format!("cannot write {}", path.display()))?;
        Ok(())
    }
}

/// Writes the snapshots of a run and remembers what it wrote (kept in checkpoints).
#[derive(Clone, serde::Serialize, serde::Deserialize)]
pub struct Snapshots {
    scale: usize,
    fields: Vec<FieldId>,
    /// Files written, in order.
    pub files: Vec<String>,
    /// Each heat map's file and maximum, pM.
    maxima: Vec<(String, f64)>,
}

impl Snapshots {
    /// Snapshots of the fields named `field_names` (unknown names are skipped; the engine's
    /// validation has rejected them already).
    pub fn new(sim: &Sim, field_names: &[String]) -> Snapshots {
        let mut fields: Vec<FieldId> = Vec::new();
        for f in field_names.iter().filter_map(|n| FieldId::from_name(n)) {
            if !fields.contains(&f) {
                fields.push(f);
            }
        }
        let l = sim.lattice();
        Snapshots { scale: scale_for(l.width, l.height), fields, files: Vec::new(), maxima: Vec::new() }
    }

    /// Draws the tissue and every chosen field into `dir`.
    pub fn take(&mut self, sim: &Sim, dir: &Path) -> Result<()> {
        let label = day_label(sim.day());
        let name = format!("tissue_day{label}.png");
        self.tissue(sim).save(&dir.join(&name))?;
        self.files.push(name);
        for &field in &self.fields.clone() {
            let name = format!("{}_day{label}.png", field.name());
            let values = sim.fields().values(field);
            let max = values.iter().filter(|v| v.is_finite()).fold(0.0_f64, f64::max);
            self.heat_map(sim.lattice(), values, max).save(&dir.join(&name))?;
            self.maxima.push((name.clone(), max));
            self.files.push(name);
        }
        Ok(())
    }

    fn tissue(&self, sim: &Sim) -> Canvas {
        let lattice = sim.lattice();
        let s = self.scale;
        let mut canvas = Canvas::new(lattice.width * s, lattice.height * s);
        for site in 0..lattice.len() {
            let (x, y) = lattice.xy(site);
            canvas.fill(x * s, y * s, s, s, tissue_colour(SiteLook::of(lattice, site)));
        }
        // Cells over their site; at 3× and more a border of tissue stays visible around them.
        let inset = usize::from(s >= 3);
        let cells = sim.cells();
        for slot in 0..cells.len() {
            let (x, y) = lattice.xy(cells.site[slot] as usize);
            canvas.fill(x * s + inset, y * s + inset, s - 2 * inset, s - 2 * inset, cell_colour(cells.kind[slot]));
        }
        canvas
    }

    fn heat_map(&self, lattice: &Lattice, values: FieldValues, max: f64) -> Canvas {
        let s = self.scale;
        let (w, h) = (lattice.width * s, lattice.height * s);
        let (gap, bar) = (4.max(s), 12.max(2 * s));
        let mut canvas = Canvas::new(w + gap + bar, h);
        for (site, v) in values.iter().enumerate().take(lattice.len()) {
            let (x, y) = lattice.xy(site);
            let t = if max > 0.0 { v / max } else { 0.0 };
            canvas.fill(x * s, y * s, s, s, viridis(t));
        }
        for y in 0..h {
            let t = 1.0 - y as f64 / (h.max(2) - 1) as f64;
            canvas.fill(w + gap, y, bar, 1, viridis(t));
        }
        canvas
    }

    /// The text of `legend.txt`.
    pub fn legend(&self) -> String {
        let rgb = hex;
        let mut text = format!(
            "bonesim snapshots\n\n\
             tissue_dayNNNN.png: one square of {s}x{s} pixels per lattice site.\n\
             \x20 {} marrow\n\
             \x20 {} eroded cavity (marrow left by resorption, not yet refilled)\n\
             \x20 {} osteoid (unmineralised matrix)\n\
             \x20 {} to {} lamellar bone, grey brighter with more mineral\n\
             \x20 {} woven bone (darker with less mineral)\n\
             \x20 {} vessel\n\
             \x20 cells, drawn over their site:\n",
            rgb(MARROW),
            rgb(ERODED),
            rgb(OSTEOID),
            rgb([BONE_GREY_MIN; 3]),
            rgb([BONE_GREY_MAX; 3]),
            rgb(WOVEN),
            rgb(VESSEL),
            s = self.scale,
        );
        for kind in CellKind::ALL {
            text.push_str(&format!("    {} {}\n", rgb(cell_colour(kind)), kind.name()));
        }
        text.push_str(
            "\n<field>_dayNNNN.png: heat maps of a field's concentration, viridis colour map on a \
             linear scale from 0 (dark purple) to the image's own maximum (yellow); the bar on the \
             right runs from 0 (bottom) to that maximum (top).\n",
        );
        for f in FieldId::ALL {
            text.push_str(&format!("  {}: {}\n", f.name(), f.label()));
        }
        if !self.maxima.is_empty() {
            text.push_str("\nmaximum of each heat map, pM:\n");
            for (file, max) in &self.maxima {
                text.push_str(&format!("  {file}: {}\n", crate::output::number(*max)));
            }
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_and_scales() {
        assert_eq!(day_label(0.0), "0000");
        assert_eq!(day_label(90.0), "0090");
        assert_eq!(day_label(1.5), "0001.50");
        assert_eq!(scale_for(400, 400), 1);
        assert_eq!(scale_for(150, 150), 3);
        assert_eq!(scale_for(16, 16), 8);
    }
}
