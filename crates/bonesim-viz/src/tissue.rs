//! The tissue on screen: three layers per lane, each one texture kept for the lane's life
//! and rewritten in place when a new frame arrives (bevy re-uploads it; no new asset per
//! frame):
//!
//! - the tissue: bone grey by its mineral, woven bone sand, osteoid pink, marrow dark,
//!   eroded cavities purple, vessels red (the shared [`bonesim::palette`]);
//! - the lesion outlines: lytic regions (starting bone lost near the tumour) in yellow,
//!   blastic regions (new woven bone near the tumour) in black;
//! - the field overlay: viridis from 0 to the colour bar's top, pM.

use crate::state::{Current, Layout, Overlay};
use bevy::asset::RenderAssetUsages;
use bevy::image::ImageSampler;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bonesim::palette::{BLASTIC_OUTLINE, LYTIC_OUTLINE, tissue_colour, viridis};
use bonesim::readout::LesionSite;
use bonesim::view::Frame;

/// Depth of each layer (cells lie above, from [`crate::cells`]).
pub const TISSUE_Z: f32 = 0.0;
/// Depth of the field overlay.
pub const OVERLAY_Z: f32 = 1.0;
/// Depth of the lesion outlines.
pub const OUTLINE_Z: f32 = 2.0;

/// The layers of one lane.
#[derive(Clone, Debug)]
pub struct LaneLayers {
    /// Tissue texture.
    pub tissue: Handle<Image>,
    /// Lesion outline texture.
    pub outline: Handle<Image>,
    /// Field overlay texture.
    pub overlay: Handle<Image>,
    /// The sprites showing them.
    pub sprites: [Entity; 3],
}

/// Every lane's layers, and the frame version they show.
#[derive(Resource, Default)]
pub struct TissueLayers {
    /// The load they belong to.
    pub generation: u64,
    /// Per lane.
    pub lanes: Vec<LaneLayers>,
    /// The frame version drawn.
    pub drawn: u64,
}

/// Marks a sprite showing a tissue layer.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct LayerSprite {
    /// Its lane.
    pub lane: usize,
}

/// Draws the tissue, the outlines and the overlay of every lane.
pub fn tissue_plugin(app: &mut App) {
    app.init_resource::<TissueLayers>();
}

/// A transparent RGBA image of `width` × `height` texels with nearest sampling (a site
/// stays a crisp square however far one zooms in).
fn layer_image(width: usize, height: usize) -> Image {
    let mut image = Image::new_fill(
        Extent3d { width: width as u32, height: height as u32, depth_or_array_layers: 1 },
        TextureDimension::D2,
        &[0, 0, 0, 0],
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::MAIN_WORLD | RenderAssetUsages::RENDER_WORLD,
    );
    image.sampler = ImageSampler::nearest();
    image
}

/// Writes the tissue colours of `frame` into `rgba` (4 bytes a site).
pub fn paint_tissue(frame: &Frame, rgba: &mut [u8]) {
    for (site, px) in frame.sites.iter().zip(rgba.chunks_exact_mut(4)) {
        let c = tissue_colour(site.look);
        px.copy_from_slice(&[c[0], c[1], c[2], 255]);
    }
}

/// Writes the outlines of the lytic and blastic regions of `frame` into `rgba`: a region's
/// sites that touch a site outside it (or the edge), in the region's outline colour;
/// everything else transparent.
pub fn paint_outlines(frame: &Frame, rgba: &mut [u8]) {
    let (w, h) = (frame.width, frame.height);
    let lesion = |x: usize, y: usize| frame.sites[y * w + x].lesion;
    for y in 0..h {
        for x in 0..w {
            let here = lesion(x, y);
            let edge = here != LesionSite::None
                && (x == 0
                    || y == 0
                    || x + 1 == w
                    || y + 1 == h
                    || lesion(x - 1, y) != here
                    || lesion(x + 1, y) != here
                    || lesion(x, y - 1) != here
                    || lesion(x, y + 1) != here);
            let i = (y * w + x) * 4;
            let px = &mut rgba[i..i + 4];
            match (edge, here) {
                (true, LesionSite::Lytic) => {
                    px.copy_from_slice(&[LYTIC_OUTLINE[0], LYTIC_OUTLINE[1], LYTIC_OUTLINE[2], 255])
                }
                (true, LesionSite::Blastic) => {
                    px.copy_from_slice(&[BLASTIC_OUTLINE[0], BLASTIC_OUTLINE[1], BLASTIC_OUTLINE[2], 255])
                }
                _ => px.copy_from_slice(&[0, 0, 0, 0]),
            }
        }
    }
}

/// Writes the field of `frame` into `rgba` in viridis, 0 to `max_pm`, at `opacity`.
pub fn paint_overlay(frame: &Frame, max_pm: f32, opacity: f32, rgba: &mut [u8]) {
    let alpha = (opacity.clamp(0.0, 1.0) * 255.0).round() as u8;
    if frame.field_pm.len() != frame.sites.len() {
        rgba.fill(0);
        return;
    }
    for (&v, px) in frame.field_pm.iter().zip(rgba.chunks_exact_mut(4)) {
        let t = if max_pm > 0.0 { v as f64 / max_pm as f64 } else { 0.0 };
        let c = viridis(t);
        px.copy_from_slice(&[c[0], c[1], c[2], alpha]);
    }
}

/// Makes the layers of new lanes (once per load), and drops the old ones.
pub fn make_layers(
    mut commands: Commands,
    current: Res<Current>,
    layout: Res<Layout>,
    mut layers: ResMut<TissueLayers>,
    mut images: ResMut<Assets<Image>>,
) {
    if layout.generation == layers.generation || layout.lanes.len() != current.shown.frames.len() {
        return;
    }
    for old in layers.lanes.drain(..) {
        for e in old.sprites {
            commands.entity(e).despawn();
        }
        for h in [old.tissue, old.outline, old.overlay] {
            images.remove(&h);
        }
    }
    for (lane, (rect, frame)) in layout.lanes.iter().zip(&current.shown.frames).enumerate() {
        let handles = [(); 3].map(|_| images.add(layer_image(frame.width, frame.height)));
        let centre = rect.centre();
        let sprites = [(0, TISSUE_Z), (1, OUTLINE_Z), (2, OVERLAY_Z)].map(|(k, z)| {
            let mut sprite = Sprite::from_image(handles[k].clone());
            sprite.custom_size = Some(rect.size);
            commands.spawn((sprite, Transform::from_xyz(centre.x, centre.y, z), LayerSprite { lane })).id()
        });
        let [tissue, outline, overlay] = handles;
        layers.lanes.push(LaneLayers { tissue, outline, overlay, sprites });
    }
    layers.generation = layout.generation;
    layers.drawn = 0;
}

/// Rewrites every lane's textures in place when a new frame has arrived or the overlay
/// changed.
pub fn draw_layers(
    current: Res<Current>,
    overlay: Res<Overlay>,
    mut layers: ResMut<TissueLayers>,
    mut images: ResMut<Assets<Image>>,
    mut visibility: Query<(&LayerSprite, &mut Visibility, &Sprite)>,
) {
    if layers.lanes.len() != current.shown.frames.len() || layers.generation != current.shown.status.generation {
        return;
    }
    if layers.drawn == current.version && !overlay.is_changed() {
        return;
    }
    let max_pm = overlay.scale_max_pm(&current.shown.frames);
    for (lane, frame) in layers.lanes.iter().zip(&current.shown.frames) {
        // Each layer's bytes, rewritten in place (an image of the frame's size).
        let mut repaint = |handle: &Handle<Image>, paint: &dyn Fn(&mut [u8])| {
            if let Some(mut image) = images.get_mut(handle)
                && let Some(data) = image.data.as_mut()
                && data.len() == frame.sites.len() * 4
            {
                paint(data);
            }
        };
        repaint(&lane.tissue, &|px| paint_tissue(frame, px));
        repaint(&lane.outline, &|px| paint_outlines(frame, px));
        repaint(&lane.overlay, &|px| paint_overlay(frame, max_pm, overlay.opacity, px));
    }
    for (sprite, mut shown, s) in &mut visibility {
        let Some(lane) = layers.lanes.get(sprite.lane) else { continue };
        let on = if s.image == lane.overlay {
            overlay.field.is_some()
        } else if s.image == lane.outline {
            overlay.outlines
        } else {
            true
        };
        shown.set_if_neq(if on { Visibility::Inherited } else { Visibility::Hidden });
    }
    layers.drawn = current.version;
}

#[cfg(test)]
mod tests {
    use super::*;
    use bonesim::field::FieldId;
    use bonesim::lattice::TissueKind;
    use bonesim::palette::{MARROW, SiteLook};
    use bonesim::view::SiteView;

    fn frame(w: usize, h: usize) -> Frame {
        let mut f = Frame::default();
        (f.width, f.height, f.sites) = (w, h, vec![SiteView::default(); w * h]);
        f
    }

    #[test]
    fn outlines_trace_the_edge_of_a_region_only() {
        let mut f = frame(7, 7);
        for y in 1..6 {
            for x in 1..6 {
                f.sites[y * 7 + x].lesion = LesionSite::Lytic;
            }
        }
        let mut px = vec![9; 7 * 7 * 4];
        paint_outlines(&f, &mut px);
        let at = |x: usize, y: usize| &px[(y * 7 + x) * 4..(y * 7 + x) * 4 + 4];
        assert_eq!(at(1, 1), &[LYTIC_OUTLINE[0], LYTIC_OUTLINE[1], LYTIC_OUTLINE[2], 255]);
        assert_eq!(at(3, 1)[3], 255, "the top edge");
        assert_eq!(at(3, 3), &[0, 0, 0, 0], "the inside stays clear");
        assert_eq!(at(0, 0), &[0, 0, 0, 0], "outside the region");
    }

    #[test]
    fn tissue_and_overlay_take_the_palette() {
        let mut f = frame(2, 1);
        f.sites[1].look = SiteLook { kind: TissueKind::Bone, bone_mass: 1.0, woven: false, eroded: false };
        let mut px = vec![0; 8];
        paint_tissue(&f, &mut px);
        assert_eq!(&px[..4], &[MARROW[0], MARROW[1], MARROW[2], 255]);
        assert_eq!(&px[4..], &[235, 235, 235, 255]);
        f.field = Some(FieldId::Il6);
        f.field_pm = vec![0.0, 4.0];
        paint_overlay(&f, 4.0, 0.5, &mut px);
        let (low, high) = (viridis(0.0), viridis(1.0));
        assert_eq!(&px[..4], &[low[0], low[1], low[2], 128]);
        assert_eq!(&px[4..], &[high[0], high[1], high[2], 128]);
    }
}
