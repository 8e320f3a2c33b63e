//! The app: the viewer's plugins and the order of its systems.
//!
//! Each frame runs, in this order ([`ViewerSystems`]): take the newest frames from the
//! simulation thread; read the keys and the mouse; carry out the actions (and follow the
//! captions); redraw the tissue textures and the cell entities and move the camera. The
//! panels (egui) run in their own pass after that and their buttons act in the next frame.
//!
//! [`core_app`] has everything but the window, the GPU and the panels: tests drive it
//! headless.

use crate::camera::{self, StartZoom};
use crate::capture::{self, Bench, Script};
use crate::cells::{self, CellArt, CellEntities};
use crate::classroom::{self, Captions};
use crate::controls::{self, Outputs, Specs, UiState};
use crate::setup::Config;
use crate::state::{self, Current, History, Layout, Link, Log, Overlay, Selected};
use crate::tissue;
use crate::ui;
use crate::worker::SimLink;
use bevy::prelude::*;

/// The phases of a frame, in order.
#[derive(SystemSet, Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ViewerSystems {
    /// New frames from the simulation thread.
    Receive,
    /// Keys and mouse become actions and view changes.
    Input,
    /// Actions are carried out.
    Act,
    /// Textures, entities and the camera follow.
    Draw,
}

/// The selection ring.
#[derive(Component)]
pub struct SelectionRing;

/// Everything but the window, the GPU and the panels, for `config` linked to the
/// simulation thread by `link`.
pub fn core_app(app: &mut App, config: &Config, link: SimLink) {
    let (library, problems) = classroom::load_library(config.assets.as_deref());
    app.insert_resource(Link(link))
        .init_resource::<Current>()
        .init_resource::<History>()
        .init_resource::<Log>()
        .init_resource::<Layout>()
        .insert_resource(Overlay { field: config.worker.field, ..Overlay::default() })
        .init_resource::<Selected>()
        .insert_resource(Captions::new(library, config.classroom))
        .insert_resource(Specs(config.lanes.clone()))
        .insert_resource(Outputs { dir: config.out.clone(), ..Outputs::default() })
        .insert_resource(UiState {
            classroom: config.classroom,
            target_lanes: vec![true; config.lanes.len()],
            interventions: !config.classroom,
            ..UiState::default()
        })
        .add_plugins((controls::controls_plugin, tissue::tissue_plugin, cells::cells_plugin, camera::camera_plugin))
        .configure_sets(
            Update,
            (ViewerSystems::Receive, ViewerSystems::Input, ViewerSystems::Act, ViewerSystems::Draw).chain(),
        )
        .add_systems(Startup, (cells::make_cell_art, classroom::report_caption_problems(problems)))
        .add_systems(Update, (state::receive_frames, state::update_layout).chain().in_set(ViewerSystems::Receive))
        .add_systems(Update, controls::read_keys.in_set(ViewerSystems::Input))
        .add_systems(
            Update,
            (controls::apply_actions, classroom::follow_captions, camera::fit_view).chain().in_set(ViewerSystems::Act),
        )
        .add_systems(
            Update,
            (tissue::make_layers, tissue::draw_layers, cells::sync_cells, place_selection_ring)
                .chain()
                .in_set(ViewerSystems::Draw),
        );
}

/// The whole viewer: window, GPU, panels, screenshots.
pub fn viewer_app(config: &Config, link: SimLink) -> App {
    let mut app = App::new();
    let cores = std::thread::available_parallelism().map_or(2, |n| n.get());
    // The simulation's pool takes its threads; bevy's task pools share what is left.
    let bevy_threads = cores.saturating_sub(config.worker.threads).max(1);
    let present_mode = if config.bench_frames.is_some() {
        bevy::window::PresentMode::AutoNoVsync
    } else {
        bevy::window::PresentMode::AutoVsync
    };
    let title =
        format!("bonesim-viz: {}", config.lanes.iter().map(|l| l.label.as_str()).collect::<Vec<_>>().join(" | "));
    app.add_plugins(
        DefaultPlugins
            .set(WindowPlugin {
                primary_window: Some(Window { title, resolution: config.window.into(), present_mode, ..default() }),
                ..default()
            })
            .set(bevy::app::TaskPoolPlugin {
                task_pool_options: bevy::app::TaskPoolOptions::with_num_threads(bevy_threads),
            }),
    )
    .add_plugins(bevy_egui::EguiPlugin::default());
    core_app(&mut app, config, link);
    app.add_plugins((ui::ui_plugin, capture::capture_plugin))
        .add_systems(Startup, (camera::spawn_camera, spawn_selection_ring.after(cells::make_cell_art)))
        .add_systems(PreUpdate, ui::update_input_free.after(bevy_egui::EguiPreUpdateSet::ProcessInput))
        .add_systems(
            Update,
            (camera::pan_and_zoom_with_keys, camera::pan_zoom_and_pick_with_mouse).in_set(ViewerSystems::Input),
        )
        .add_systems(Update, camera::follow_view.in_set(ViewerSystems::Draw))
        .add_systems(Update, (capture::take_screenshots, capture::report_screenshots).after(ViewerSystems::Draw))
        .add_systems(bevy_egui::EguiPrimaryContextPass, ui::draw_ui);
    if !config.screenshot_days.is_empty() {
        app.insert_resource(Script::new(config.screenshot_days.clone(), config.exit_after_screenshots))
            .add_systems(Update, capture::run_script.after(ViewerSystems::Draw).before(capture::take_screenshots));
    }
    if let Some(frames) = config.bench_frames {
        app.insert_resource(Bench::new(frames)).add_systems(Update, capture::run_bench.after(ViewerSystems::Receive));
    }
    app.insert_resource(StartZoom(config.zoom));
    app
}

fn spawn_selection_ring(mut commands: Commands, art: Res<CellArt>) {
    let mut sprite = Sprite::from_image(art.ring.clone());
    sprite.color = Color::WHITE;
    commands.spawn((sprite, Transform::from_xyz(0.0, 0.0, 5.0), Visibility::Hidden, SelectionRing));
}

/// The cells' sprites, apart from the ring's.
type CellSprites<'w, 's> =
    Query<'w, 's, (&'static Transform, &'static Sprite), (With<cells::CellSprite>, Without<SelectionRing>)>;

/// Puts the ring around the selected cell, if it is alive and on screen.
fn place_selection_ring(
    selected: Res<Selected>,
    entities: Res<CellEntities>,
    cells: CellSprites,
    mut ring: Query<(&mut Transform, &mut Sprite, &mut Visibility), With<SelectionRing>>,
) {
    let Ok((mut transform, mut sprite, mut visibility)) = ring.single_mut() else { return };
    let target = selected.0.and_then(|(lane, id)| entities.entity(lane, id)).and_then(|e| cells.get(e).ok());
    match target {
        Some((t, s)) => {
            transform.translation = t.translation.truncate().extend(5.0);
            let side = s.custom_size.map_or(1.0, |v| v.max_element()) + 1.0;
            sprite.custom_size = Some(Vec2::splat(side));
            visibility.set_if_neq(Visibility::Inherited);
        }
        None => {
            visibility.set_if_neq(Visibility::Hidden);
        }
    }
}
