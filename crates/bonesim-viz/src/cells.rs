//! The cells on screen: one sprite entity per engine cell, kept by the cell's id for its
//! whole life (spawned when it appears, moved and restyled as it changes, despawned when it
//! dies), so a selection follows the cell.
//!
//! Each type has the Okabe–Ito colour of [`bonesim::palette`] and a shape that says what it
//! is: osteoclasts large, multinucleated (one dark dot per nucleus, growing with them);
//! osteoblasts cuboidal on the bone surface; lining cells flat along it; osteocytes small
//! and star-shaped in the bone; tumour cells round with a dark rim; the marrow's other
//! cells small discs. The shapes are drawn once at start-up, in white, and tinted.

use crate::state::{Current, Layout};
use bevy::asset::RenderAssetUsages;
use bevy::image::ImageSampler;
use bevy::platform::collections::HashMap;
use bevy::prelude::*;
use bevy::render::render_resource::{Extent3d, TextureDimension, TextureFormat};
use bonesim::cells::{CellId, CellKind};
use bonesim::lattice::TissueKind;
use bonesim::palette::cell_colour;
use bonesim::view::{CellView, Frame};

/// Depth of the cells (above the tissue layers).
pub const CELL_Z: f32 = 3.0;
/// Nuclei drawn at most; an osteoclast with more looks like one with this many.
pub const MAX_DRAWN_NUCLEI: u16 = 20;
/// Texels across a shape.
const ART_SIZE: usize = 48;

/// The shapes cells are drawn with.
#[derive(Resource, Clone, Debug)]
pub struct CellArt {
    /// A round cell.
    pub disc: Handle<Image>,
    /// A round cell with a dark rim (tumour).
    pub rimmed: Handle<Image>,
    /// A cuboidal cell (osteoblast).
    pub cuboid: Handle<Image>,
    /// A flat cell (lining cell), lying horizontally.
    pub flat: Handle<Image>,
    /// A star (osteocyte with its dendrites).
    pub star: Handle<Image>,
    /// A ring (the selection).
    pub ring: Handle<Image>,
    /// Osteoclasts by nuclei: `osteoclast[n - 1]` has `n`.
    pub osteoclast: Vec<Handle<Image>>,
}

/// Alpha of a shape at a texel: coverage of an edge at signed distance `d` (texels,
/// negative inside).
fn coverage(d: f32) -> f32 {
    (0.5 - d).clamp(0.0, 1.0)
}

/// A white shape on transparent, `grey(u, v)` giving the brightness and `alpha(u, v)` the
/// coverage at each texel centre, `u, v` in -1..1.
fn draw(alpha: impl Fn(f32, f32) -> f32, grey: impl Fn(f32, f32) -> f32) -> Image {
    let n = ART_SIZE;
    let mut data = Vec::with_capacity(n * n * 4);
    for y in 0..n {
        for x in 0..n {
            let (u, v) = ((x as f32 + 0.5) / n as f32 * 2.0 - 1.0, (y as f32 + 0.5) / n as f32 * 2.0 - 1.0);
            let g = (grey(u, v).clamp(0.0, 1.0) * 255.0).round() as u8;
            let a = (alpha(u, v).clamp(0.0, 1.0) * 255.0).round() as u8;
            data.extend_from_slice(&[g, g, g, a]);
        }
    }
    let mut image = Image::new(
        Extent3d { width: n as u32, height: n as u32, depth_or_array_layers: 1 },
        TextureDimension::D2,
        data,
        TextureFormat::Rgba8UnormSrgb,
        RenderAssetUsages::RENDER_WORLD | RenderAssetUsages::MAIN_WORLD,
    );
    image.sampler = ImageSampler::linear();
    image
}

/// Texels per unit of `u`.
const TEXELS: f32 = ART_SIZE as f32 / 2.0;

fn disc(radius: f32) -> impl Fn(f32, f32) -> f32 {
    move |u, v| coverage(((u * u + v * v).sqrt() - radius) * TEXELS)
}

/// Where the nuclei of an osteoclast with `n` sit: rings around the centre.
pub fn nucleus_positions(n: u16) -> Vec<Vec2> {
    let mut out = Vec::new();
    if n == 1 {
        return vec![Vec2::ZERO];
    }
    let inner = (n as usize).min(6);
    for i in 0..inner {
        let a = i as f32 / inner as f32 * std::f32::consts::TAU;
        out.push(Vec2::new(a.cos(), a.sin()) * 0.28);
    }
    let outer = n as usize - inner;
    for i in 0..outer {
        let a = (i as f32 + 0.5) / outer as f32 * std::f32::consts::TAU;
        out.push(Vec2::new(a.cos(), a.sin()) * 0.62);
    }
    out
}

impl CellArt {
    /// Draws the shapes into `images`.
    pub fn new(images: &mut Assets<Image>) -> CellArt {
        let mut add = |image: Image| images.add(image);
        let rimmed = add(draw(disc(0.9), |u, v| if (u * u + v * v).sqrt() > 0.72 { 0.2 } else { 1.0 }));
        let cuboid = add(draw(
            |u, v| {
                // A rounded square.
                let (qx, qy) = ((u.abs() - 0.62).max(0.0), (v.abs() - 0.62).max(0.0));
                coverage(((qx * qx + qy * qy).sqrt() - 0.25) * TEXELS)
            },
            |u, v| if u.abs().max(v.abs()) < 0.3 { 0.55 } else { 1.0 },
        ));
        let flat = add(draw(
            |u, v| {
                let (qx, qy) = ((u.abs() - 0.8).max(0.0), (v.abs() - 0.12).max(0.0));
                coverage(((qx * qx + qy * qy).sqrt() - 0.14) * TEXELS)
            },
            |_, _| 1.0,
        ));
        let star = add(draw(
            |u, v| {
                let body = ((u * u + v * v).sqrt() - 0.38) * TEXELS;
                // Four dendrites along the axes, and four along the diagonals.
                let spoke = |a: f32, b: f32| (a.abs().min(b.abs()) - 0.07) * TEXELS;
                let (d1, d2) = ((u + v) / std::f32::consts::SQRT_2, (u - v) / std::f32::consts::SQRT_2);
                let within = (u * u + v * v).sqrt() < 0.95;
                let dendrite = if within { spoke(u, v).min(spoke(d1, d2)) } else { f32::MAX };
                coverage(body.min(dendrite))
            },
            |_, _| 1.0,
        ));
        let ring = add(draw(|u, v| coverage(((u * u + v * v).sqrt() - 0.9).abs() * TEXELS - 2.0), |_, _| 1.0));
        let disc_img = add(draw(disc(0.85), |_, _| 1.0));
        let osteoclast = (1..=MAX_DRAWN_NUCLEI)
            .map(|n| {
                let nuclei = nucleus_positions(n);
                let r = 0.085_f32.max(0.13 - 0.003 * n as f32);
                add(draw(
                    |u, v| {
                        // A ruffled blob: a disc whose edge wobbles a little.
                        let wobble = 0.04 * (5.0 * v.atan2(u)).sin();
                        coverage(((u * u + v * v).sqrt() - 0.92 - wobble) * TEXELS)
                    },
                    |u, v| {
                        let p = Vec2::new(u, v);
                        if nuclei.iter().any(|c| c.distance(p) < r) { 0.15 } else { 1.0 }
                    },
                ))
            })
            .collect();
        CellArt { disc: disc_img, rimmed, cuboid, flat, star, ring, osteoclast }
    }
}

/// How a cell looks: shape, size in sites, turn, and depth among the cells.
#[derive(Clone, Debug, PartialEq)]
pub struct Look {
    /// The shape.
    pub image: Handle<Image>,
    /// Width and height, sites.
    pub size: Vec2,
    /// Rotation, radians (flat cells lie along the bone surface).
    pub angle: f32,
    /// Added to [`CELL_Z`]: bigger cells above smaller ones, lining cells below all.
    pub z: f32,
}

/// Whether a neighbour of site `(x, y)` in direction `(dx, dy)` is bone or osteoid.
fn solid_at(frame: &Frame, x: u32, y: u32, dx: i32, dy: i32) -> bool {
    let (nx, ny) = (x as i64 + dx as i64, y as i64 + dy as i64);
    if nx < 0 || ny < 0 || nx >= frame.width as i64 || ny >= frame.height as i64 {
        return false;
    }
    let kind = frame.sites[ny as usize * frame.width + nx as usize].look.kind;
    matches!(kind, TissueKind::Bone | TissueKind::Osteoid)
}

/// How `cell` of `frame` is drawn.
pub fn look_of(cell: &CellView, frame: &Frame, art: &CellArt) -> Look {
    let one = |image: &Handle<Image>, side: f32, z: f32| Look {
        image: image.clone(),
        size: Vec2::splat(side),
        angle: 0.0,
        z,
    };
    match cell.kind {
        CellKind::Osteoclast => {
            let n = cell.nuclei.clamp(1, MAX_DRAWN_NUCLEI);
            let side = 1.2 + 0.35 * (cell.nuclei.max(1) as f32).sqrt();
            one(&art.osteoclast[n as usize - 1], side, 0.5 + side * 0.01)
        }
        CellKind::Tumor => one(&art.rimmed, 1.05, 0.4),
        CellKind::Osteoblast => one(&art.cuboid, 1.0, 0.3),
        CellKind::Osteocyte => one(&art.star, 1.1, 0.2),
        CellKind::LiningCell => {
            // Flat along the surface: lying across the direction the bone is in.
            let bone_beside = solid_at(frame, cell.x, cell.y, -1, 0) || solid_at(frame, cell.x, cell.y, 1, 0);
            let bone_above_below = solid_at(frame, cell.x, cell.y, 0, -1) || solid_at(frame, cell.x, cell.y, 0, 1);
            let angle = if bone_beside && !bone_above_below { std::f32::consts::FRAC_PI_2 } else { 0.0 };
            Look { image: art.flat.clone(), size: Vec2::new(1.0, 1.0), angle, z: 0.0 }
        }
        CellKind::PreOsteoclast => one(&art.disc, 0.95, 0.25),
        CellKind::Precursor => one(&art.disc, 0.7, 0.1),
        CellKind::TCell => one(&art.disc, 0.6, 0.1),
        CellKind::Stroma | CellKind::PreOsteoblast | CellKind::Macrophage => one(&art.disc, 0.85, 0.1),
    }
}

/// Marks the sprite of an engine cell.
#[derive(Component, Clone, Copy, Debug, PartialEq, Eq)]
pub struct CellSprite {
    /// Its lane.
    pub lane: usize,
    /// The engine's id of the cell.
    pub id: CellId,
    /// Its type as last drawn.
    pub kind: CellKind,
}

/// The entity of every cell on screen, by lane and id, with the frame version that last
/// saw it.
#[derive(Resource, Default)]
pub struct CellEntities {
    /// The load they belong to.
    pub generation: u64,
    /// Per lane: id → (entity, version last seen).
    pub lanes: Vec<HashMap<CellId, (Entity, u64)>>,
    /// The frame version drawn.
    pub drawn: u64,
}

impl CellEntities {
    /// The entity of cell `id` in `lane`.
    pub fn entity(&self, lane: usize, id: CellId) -> Option<Entity> {
        self.lanes.get(lane)?.get(&id).map(|&(e, _)| e)
    }

    /// Cells on screen.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.lanes.iter().map(HashMap::len).sum()
    }
}

/// Draws the cells.
pub fn cells_plugin(app: &mut App) {
    app.init_resource::<CellEntities>();
}

/// Draws the shapes (at start-up).
pub fn make_cell_art(mut commands: Commands, mut images: ResMut<Assets<Image>>) {
    commands.insert_resource(CellArt::new(&mut images));
}

fn sprite_for(look: &Look, kind: CellKind) -> Sprite {
    let c = cell_colour(kind);
    let mut sprite = Sprite::from_image(look.image.clone());
    sprite.color = Color::srgb_u8(c[0], c[1], c[2]);
    sprite.custom_size = Some(look.size);
    sprite
}

fn transform_for(look: &Look, at: Vec2) -> Transform {
    Transform::from_xyz(at.x, at.y, CELL_Z + look.z).with_rotation(Quat::from_rotation_z(look.angle))
}

/// Brings the cell entities in line with the frames on screen: new cells appear, moved or
/// changed ones follow, dead ones go.
pub fn sync_cells(
    mut commands: Commands,
    current: Res<Current>,
    layout: Res<Layout>,
    art: Option<Res<CellArt>>,
    mut entities: ResMut<CellEntities>,
    mut sprites: Query<(&mut CellSprite, &mut Sprite, &mut Transform)>,
) {
    let Some(art) = art else { return };
    let version = current.version;
    if entities.drawn == version || layout.generation != current.shown.status.generation {
        return;
    }
    if entities.generation != layout.generation {
        for lane in entities.lanes.drain(..) {
            for (_, (e, _)) in lane {
                commands.entity(e).despawn();
            }
        }
        entities.generation = layout.generation;
    }
    entities.lanes.resize_with(current.shown.frames.len(), HashMap::default);
    for (lane, (frame, rect)) in current.shown.frames.iter().zip(&layout.lanes).enumerate() {
        let map = &mut entities.lanes[lane];
        for cell in &frame.cells {
            let look = look_of(cell, frame, &art);
            let at = rect.site_centre(cell.x as f32, cell.y as f32);
            match map.get_mut(&cell.id) {
                Some((entity, seen)) => {
                    *seen = version;
                    if let Ok((mut tag, mut sprite, mut transform)) = sprites.get_mut(*entity) {
                        let new_transform = transform_for(&look, at);
                        transform.set_if_neq(new_transform);
                        let restyle = tag.kind != cell.kind
                            || sprite.image != look.image
                            || sprite.custom_size != Some(look.size);
                        if restyle {
                            *sprite = sprite_for(&look, cell.kind);
                            tag.kind = cell.kind;
                        }
                    }
                }
                None => {
                    let entity = commands
                        .spawn((
                            sprite_for(&look, cell.kind),
                            transform_for(&look, at),
                            CellSprite { lane, id: cell.id, kind: cell.kind },
                        ))
                        .id();
                    map.insert(cell.id, (entity, version));
                }
            }
        }
        map.retain(|_, (entity, seen)| {
            let alive = *seen == version;
            if !alive {
                commands.entity(*entity).despawn();
            }
            alive
        });
    }
    entities.drawn = version;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nuclei_sit_apart_inside_the_cell() {
        for n in 1..=MAX_DRAWN_NUCLEI {
            let p = nucleus_positions(n);
            assert_eq!(p.len(), n as usize);
            for (i, a) in p.iter().enumerate() {
                assert!(a.length() < 0.8, "inside the blob");
                for b in &p[i + 1..] {
                    assert!(a.distance(*b) > 0.15, "{n} nuclei: two overlap");
                }
            }
        }
    }

    #[test]
    fn shapes_are_white_on_transparent_with_dark_nuclei() {
        let mut images = Assets::<Image>::default();
        let art = CellArt::new(&mut images);
        let texel = |h: &Handle<Image>, u: f32, v: f32| {
            let image = images.get(h).unwrap();
            let data = image.data.as_ref().unwrap();
            let (x, y) = (((u + 1.0) / 2.0 * ART_SIZE as f32) as usize, ((v + 1.0) / 2.0 * ART_SIZE as f32) as usize);
            let i = (y * ART_SIZE + x) * 4;
            [data[i], data[i + 1], data[i + 2], data[i + 3]]
        };
        assert_eq!(texel(&art.disc, 0.0, 0.0), [255, 255, 255, 255]);
        assert_eq!(texel(&art.disc, 0.99, 0.99)[3], 0, "corners are clear");
        // A three-nucleus osteoclast: dark at a nucleus, white between.
        let three = &art.osteoclast[2];
        let nucleus = nucleus_positions(3)[0];
        assert!(texel(three, nucleus.x, nucleus.y)[0] < 60);
        assert_eq!(texel(three, 0.0, 0.0)[0], 255);
        assert!(texel(&art.rimmed, 0.8, 0.0)[0] < 60, "the tumour cell's rim is dark");
    }
}
