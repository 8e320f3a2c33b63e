//! Looking at the tissue: pan, zoom, fit, and clicking a cell to inspect it.
//!
//! The view is one [`View2d`] (a centre in the world and a scale in world units, that is
//! sites, per logical pixel) over the part of the window the panels leave free
//! ([`ViewArea`]). Screen and world positions convert with it alone, so the logic runs
//! headless in tests; the camera only follows it (covering the whole window, under the
//! panels).

use crate::state::{Current, Layout, Selected};
use bevy::input::mouse::{AccumulatedMouseScroll, MouseScrollUnit};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;

/// Where the camera looks.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct View2d {
    /// World point at the centre of the view area.
    pub centre: Vec2,
    /// World units (sites) per logical pixel.
    pub scale: f32,
}

impl Default for View2d {
    fn default() -> Self {
        View2d { centre: Vec2::ZERO, scale: 1.0 }
    }
}

/// The part of the window the tissue is drawn in (logical pixels, from the top-left), what
/// the panels leave free.
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct ViewArea(pub Rect);

impl Default for ViewArea {
    fn default() -> Self {
        ViewArea(Rect::new(0.0, 0.0, 1280.0, 800.0))
    }
}

/// Whether the keyboard and the pointer are free for the view (not taken by a text field
/// or a panel under the pointer).
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct InputFree {
    /// Keys go to the viewer's shortcuts.
    pub keyboard: bool,
    /// The pointer is over the tissue, not a panel.
    pub pointer: bool,
}

impl Default for InputFree {
    fn default() -> Self {
        InputFree { keyboard: true, pointer: true }
    }
}

/// Asks for the view to fit every lane (the Home key).
#[derive(Resource, Clone, Copy, Debug, Default, PartialEq)]
pub struct FitRequested(pub bool);

/// How far the view zooms in on the centre when it fits new lanes (`--zoom`; 1: the whole
/// tissue).
#[derive(Resource, Clone, Copy, Debug, PartialEq)]
pub struct StartZoom(pub f32);

impl Default for StartZoom {
    fn default() -> Self {
        StartZoom(1.0)
    }
}

impl View2d {
    /// The world point under the screen point `screen` of `area`.
    pub fn to_world(self, area: Rect, screen: Vec2) -> Vec2 {
        let d = screen - area.center();
        self.centre + Vec2::new(d.x, -d.y) * self.scale
    }

    /// The screen point of world point `world`.
    pub fn to_screen(self, area: Rect, world: Vec2) -> Vec2 {
        let d = (world - self.centre) / self.scale;
        area.center() + Vec2::new(d.x, -d.y)
    }

    /// The view showing the whole of `layout` in `area`, with a margin.
    pub fn fitting(layout: &Layout, area: Rect) -> View2d {
        let (min, max) = layout.bounds();
        let size = (max - min).max(Vec2::ONE);
        let room = area.size().max(Vec2::ONE);
        View2d { centre: (min + max) / 2.0, scale: (size.x / room.x).max(size.y / room.y) * 1.04 }
    }

    /// Zooms by `factor` (> 1 zooms in) keeping the world point under `screen` in place.
    pub fn zoom_at(&mut self, area: Rect, screen: Vec2, factor: f32) {
        let anchor = self.to_world(area, screen);
        self.scale = (self.scale / factor).clamp(0.005, 50.0);
        let moved = self.to_world(area, screen);
        self.centre += anchor - moved;
    }
}

/// Pan, zoom, fit and select.
pub fn camera_plugin(app: &mut App) {
    app.init_resource::<View2d>()
        .init_resource::<ViewArea>()
        .init_resource::<InputFree>()
        .init_resource::<FitRequested>()
        .init_resource::<StartZoom>()
        .init_resource::<Drag>();
}

/// Spawns the camera. Colours reach the screen as the palette has them: no tone mapping,
/// no dithering.
pub fn spawn_camera(mut commands: Commands) {
    use bevy::core_pipeline::tonemapping::{DebandDither, Tonemapping};
    commands.spawn((
        Camera2d,
        Camera { clear_color: ClearColorConfig::Custom(Color::srgb_u8(18, 18, 24)), ..default() },
        Tonemapping::None,
        DebandDither::Disabled,
    ));
}

/// Fits the view (zoomed by [`StartZoom`]) when new lanes arrive, and again when the
/// panels change the view area while the user has not moved the view since; the Home key
/// fits the whole tissue.
pub fn fit_view(
    layout: Res<Layout>,
    area: Res<ViewArea>,
    zoom: Res<StartZoom>,
    mut fit: ResMut<FitRequested>,
    mut view: ResMut<View2d>,
    mut fitted: Local<Option<(u64, Rect, View2d)>>,
) {
    if layout.lanes.is_empty() {
        return;
    }
    let refit = match *fitted {
        None => true,
        Some((generation, fitted_area, fitted_view)) => {
            fit.0 || generation != layout.generation || (fitted_area != area.0 && fitted_view == *view)
        }
    };
    if refit {
        *view = View2d::fitting(&layout, area.0);
        if !fit.0 {
            view.scale /= zoom.0.max(0.01);
        }
        *fitted = Some((layout.generation, area.0, *view));
        fit.0 = false;
    }
}

/// Held keys pan (arrows, WASD) and zoom (+ and -), at a pace that does not depend on the
/// frame rate.
pub fn pan_and_zoom_with_keys(
    keys: Res<ButtonInput<KeyCode>>,
    free: Res<InputFree>,
    time: Res<Time>,
    area: Res<ViewArea>,
    mut view: ResMut<View2d>,
) {
    if !free.keyboard || keys.pressed(KeyCode::ControlLeft) || keys.pressed(KeyCode::ControlRight) {
        return;
    }
    let dt = time.delta_secs().min(0.1);
    let mut d = Vec2::ZERO;
    for (keys_for, dir) in [
        ([KeyCode::ArrowLeft, KeyCode::KeyA], Vec2::NEG_X),
        ([KeyCode::ArrowRight, KeyCode::KeyD], Vec2::X),
        ([KeyCode::ArrowUp, KeyCode::KeyW], Vec2::Y),
        ([KeyCode::ArrowDown, KeyCode::KeyS], Vec2::NEG_Y),
    ] {
        if keys.any_pressed(keys_for) {
            d += dir;
        }
    }
    // Half the view's width a second.
    let step = d * area.0.width() * view.scale * 0.5 * dt;
    view.centre += step;
    let zoom_in = keys.any_pressed([KeyCode::Equal, KeyCode::NumpadAdd]);
    let zoom_out = keys.any_pressed([KeyCode::Minus, KeyCode::NumpadSubtract]);
    if zoom_in != zoom_out {
        let factor = if zoom_in { 2.0_f32.powf(dt) } else { 0.5_f32.powf(dt) };
        let centre = area.0.center();
        view.zoom_at(area.0, centre, factor);
    }
}

/// A press of the left button in progress: where it started, and whether it has moved
/// far enough to be a drag rather than a click.
#[derive(Resource, Default, Clone, Copy, Debug)]
pub struct Drag {
    start: Option<Vec2>,
    last: Vec2,
    dragging: bool,
}

/// Pixels the pointer may move between press and release for a click.
const CLICK_SLOP_PX: f32 = 4.0;

/// The mouse: the wheel zooms at the pointer, a drag pans, a click selects the cell under
/// the pointer (or clears the selection).
#[allow(clippy::too_many_arguments, reason = "a system takes what it reads")]
pub fn pan_zoom_and_pick_with_mouse(
    buttons: Res<ButtonInput<MouseButton>>,
    scroll: Res<AccumulatedMouseScroll>,
    window: Single<&Window, With<PrimaryWindow>>,
    free: Res<InputFree>,
    area: Res<ViewArea>,
    layout: Res<Layout>,
    current: Res<Current>,
    mut view: ResMut<View2d>,
    mut drag: ResMut<Drag>,
    mut selected: ResMut<Selected>,
) {
    let Some(cursor) = window.cursor_position() else { return };
    let over_view = free.pointer && area.0.contains(cursor);
    if over_view && scroll.delta.y != 0.0 {
        let lines = match scroll.unit {
            MouseScrollUnit::Line => scroll.delta.y,
            MouseScrollUnit::Pixel => scroll.delta.y / 40.0,
        };
        view.zoom_at(area.0, cursor, 1.15_f32.powf(lines));
    }
    if buttons.just_pressed(MouseButton::Left) && over_view {
        *drag = Drag { start: Some(cursor), last: cursor, dragging: false };
    }
    let Some(start) = drag.start else { return };
    if buttons.pressed(MouseButton::Left) {
        if cursor.distance(start) > CLICK_SLOP_PX {
            drag.dragging = true;
        }
        if drag.dragging {
            let d = cursor - drag.last;
            let step = Vec2::new(d.x, -d.y) * view.scale;
            view.centre -= step;
        }
        drag.last = cursor;
    }
    if buttons.just_released(MouseButton::Left) {
        if !drag.dragging {
            let world = view.to_world(area.0, cursor);
            // Within a site, or a few pixels when zoomed out.
            selected.0 = pick(&layout, &current, world, (1.5_f32).max(6.0 * view.scale));
        }
        *drag = Drag::default();
    }
}

/// The cell nearest world point `world` within `radius` sites, in whichever lane it lies.
pub fn pick(layout: &Layout, current: &Current, world: Vec2, radius: f32) -> Option<(usize, bonesim::cells::CellId)> {
    let (lane, rect) = layout.lanes.iter().enumerate().find(|(_, r)| r.contains(world))?;
    let sites = rect.to_sites(world);
    let frame = current.frame(lane)?;
    frame.cell_near(sites.x as f64, sites.y as f64, radius as f64).map(|c| (lane, c.id))
}

/// The camera follows the view. It covers the whole window (the panels are drawn over
/// it), placed so that the view's centre lies at the centre of the view area.
pub fn follow_view(
    view: Res<View2d>,
    area: Res<ViewArea>,
    window: Single<&Window, With<PrimaryWindow>>,
    camera: Single<(&mut Transform, &mut Projection), With<Camera2d>>,
) {
    let (mut transform, mut projection) = camera.into_inner();
    let window_centre = Vec2::new(window.width(), window.height()) / 2.0;
    let at = view.to_world(area.0, window_centre);
    transform.translation = at.extend(transform.translation.z);
    if let Projection::Orthographic(ortho) = &mut *projection {
        ortho.scale = view.scale;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn screen_and_world_convert_both_ways_and_zoom_keeps_the_point_under_the_pointer() {
        let area = Rect::new(100.0, 50.0, 900.0, 650.0);
        let mut view = View2d { centre: Vec2::new(20.0, -30.0), scale: 0.5 };
        assert_eq!(view.to_world(area, area.center()), view.centre);
        let p = Vec2::new(300.0, 120.0);
        assert!((view.to_screen(area, view.to_world(area, p)) - p).length() < 1e-4);
        let before = view.to_world(area, p);
        view.zoom_at(area, p, 2.0);
        assert_eq!(view.scale, 0.25);
        assert!((view.to_world(area, p) - before).length() < 1e-4);
        // Up on screen is up in the world.
        assert!(view.to_world(area, Vec2::new(500.0, 60.0)).y > view.centre.y);
    }

    #[test]
    fn fitting_shows_every_lane() {
        let layout = Layout::side_by_side(1, &[(200, 200), (200, 200)]);
        let area = Rect::new(0.0, 0.0, 800.0, 600.0);
        let view = View2d::fitting(&layout, area);
        let (min, max) = layout.bounds();
        for corner in [min, max] {
            let s = view.to_screen(area, corner);
            assert!(area.contains(s), "{corner} lands at {s}");
        }
    }
}
