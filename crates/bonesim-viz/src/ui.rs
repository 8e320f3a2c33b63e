//! The panels (egui): the bar of controls on top, the legend, plots and readouts on the
//! right, interventions and the cell inspector on the left, the caption at the bottom in
//! classroom mode, the colour bar of the field overlay, the help and the scenario chooser.
//!
//! Buttons write [`ViewerAction`]s, the same ones the keys write; this module decides
//! nothing itself.

use crate::camera::{InputFree, View2d, ViewArea};
use crate::classroom::Captions;
use crate::controls::{DRUGS, Panel, SHORTCUTS, UiState, ViewerAction, agent_name, drug_name, drug_unit};
use crate::setup::LaneSource;
use crate::state::{Current, History, Layout, Log, Overlay, SPEEDS, Selected};
use bevy::prelude::*;
use bevy::window::PrimaryWindow;
use bevy_egui::input::EguiWantsInput;
use bevy_egui::{EguiContexts, egui};
use bonesim::cells::CellKind;
use bonesim::field::FieldId;
use bonesim::intervention::changes_during_run;
use bonesim::lattice::TissueKind;
use bonesim::palette::{self, Rgb, SiteLook};
use bonesim::params::ModelParams;
use bonesim::scenario::{InflammatoryAgent, Scenario};
use egui::{Align2, Color32, RichText};
use egui_plot::{Legend, Line, LineStyle, Plot, PlotPoints};

/// Where the panels ended up this frame, logical pixels: for the layout record of
/// scripted screenshots.
#[derive(Resource, Clone, Debug, Default)]
pub struct UiRects {
    /// The legend's swatches.
    pub legend: Option<Rect>,
    /// The caption box.
    pub caption: Option<Rect>,
    /// The colour bar's strip of colours (not its labels).
    pub colour_bar: Option<Rect>,
}

/// Text typed into the forms.
#[derive(Resource, Clone, Debug, Default)]
pub struct Forms {
    /// Parameter search.
    pub parameter_search: String,
    /// Parameter chosen.
    pub parameter: Option<String>,
    /// Its new value, as typed.
    pub parameter_value: String,
    /// Scenario file to open.
    pub open_path: String,
    /// `key=value, …` for the scenario to open.
    pub open_sets: String,
    /// Open beside the current first lane.
    pub open_beside: bool,
}

/// The panels.
pub fn ui_plugin(app: &mut App) {
    app.init_resource::<UiRects>().init_resource::<Forms>();
}

/// Tells the view whether egui has the keyboard or the pointer.
pub fn update_input_free(wants: Res<EguiWantsInput>, mut free: ResMut<InputFree>) {
    let now = InputFree { keyboard: !wants.wants_any_keyboard_input(), pointer: !wants.wants_any_pointer_input() };
    free.set_if_neq(now);
}

fn colour(c: Rgb) -> Color32 {
    Color32::from_rgb(c[0], c[1], c[2])
}

/// A square swatch of `c`, `side` points.
fn swatch(ui: &mut egui::Ui, c: Color32, side: f32) -> egui::Rect {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(side, side), egui::Sense::hover());
    ui.painter().rect_filled(rect, 1.0, c);
    rect
}

/// Everything the panels read.
#[derive(bevy::ecs::system::SystemParam)]
pub struct Seen<'w> {
    current: Res<'w, Current>,
    history: Res<'w, History>,
    overlay: Res<'w, Overlay>,
    selected: Res<'w, Selected>,
    captions: Res<'w, Captions>,
    log: Res<'w, Log>,
    view: Res<'w, View2d>,
    layout: Res<'w, Layout>,
}

/// Draws every panel and records the area they leave for the tissue.
#[allow(clippy::too_many_arguments, reason = "a system takes what it reads")]
pub fn draw_ui(
    mut contexts: EguiContexts,
    seen: Seen,
    mut ui_state: ResMut<UiState>,
    mut forms: ResMut<Forms>,
    mut area: ResMut<ViewArea>,
    mut rects: ResMut<UiRects>,
    window: Single<&Window, With<PrimaryWindow>>,
    mut actions: MessageWriter<ViewerAction>,
) -> Result {
    let ctx = contexts.ctx_mut()?.clone();
    let zoom = if ui_state.classroom { 1.35 } else { 1.0 };
    if (ctx.zoom_factor() - zoom).abs() > 1e-3 {
        ctx.set_zoom_factor(zoom);
    }
    // egui points to window logical pixels.
    let k = ctx.pixels_per_point() / window.scale_factor();
    let mut out = Vec::new();
    let mut root = egui::Ui::new(
        ctx.clone(),
        "viewer".into(),
        egui::UiBuilder::new().layer_id(egui::LayerId::background()).max_rect(ctx.viewport_rect()),
    );
    top_bar(&mut root, &seen, &ui_state, &mut out);
    rects.caption = None;
    if ui_state.classroom {
        rects.caption = caption_panel(&mut root, &seen.captions).map(|r| scale_rect(r, k));
    }
    rects.legend = None;
    if ui_state.legend || ui_state.plots || ui_state.classroom {
        let legend = right_panel(&mut root, &seen, &ui_state);
        rects.legend = legend.map(|r| scale_rect(r, k));
    }
    if ui_state.interventions {
        left_panel(&mut root, &seen, &mut ui_state, &mut forms, &mut out);
    }
    let free = root.available_rect_before_wrap();
    let free = scale_rect(free, k);
    if area.0 != free && free.width() > 10.0 && free.height() > 10.0 {
        area.0 = free;
    }
    lane_labels(&ctx, &seen, area.0, k);
    rects.colour_bar = colour_bar(&ctx, &seen, area.0, k).map(|r| scale_rect(r, k));
    if ui_state.help {
        help_window(&ctx, &mut ui_state.help);
    }
    if ui_state.open {
        open_window(&ctx, &mut ui_state.open, &mut forms, &mut out);
    }
    for action in out {
        actions.write(action);
    }
    Ok(())
}

fn scale_rect(r: egui::Rect, k: f32) -> Rect {
    Rect::new(r.min.x * k, r.min.y * k, r.max.x * k, r.max.y * k)
}

fn fmt_speed(s: f64) -> String {
    if s.is_infinite() { "max".into() } else { format!("{s} d/s") }
}

fn top_bar(root: &mut egui::Ui, seen: &Seen, ui_state: &UiState, out: &mut Vec<ViewerAction>) {
    let status = &seen.current.shown.status;
    egui::Panel::top("controls").show(root, |ui| {
        ui.horizontal_wrapped(|ui| {
            let names = status.labels.join("  |  ");
            ui.label(RichText::new(if names.is_empty() { "starting…".into() } else { names }).strong());
            let total_days = status.scenarios.first().map_or(0.0, |s| s.time.days);
            ui.label(format!("day {:.1} of {total_days}", seen.current.day()));
            let play = if status.playing { "⏸ pause" } else { "▶ play" };
            if ui.button(play).on_hover_text("Space").clicked() {
                out.push(ViewerAction::TogglePlay);
            }
            if ui.button("+1 day").on_hover_text("N (Shift+N: one tick)").clicked() {
                out.push(ViewerAction::StepDay);
            }
            ui.separator();
            if ui.small_button("◀").on_hover_text("slower ([)").clicked() {
                out.push(ViewerAction::Slower);
            }
            let mut speed = status.speed_days_per_s;
            egui::ComboBox::from_id_salt("speed").selected_text(fmt_speed(speed)).width(70.0).show_ui(ui, |ui| {
                for s in SPEEDS {
                    ui.selectable_value(&mut speed, s, fmt_speed(s));
                }
            });
            if speed != status.speed_days_per_s {
                out.push(ViewerAction::SetSpeed(speed));
            }
            if ui.small_button("▶").on_hover_text("faster (])").clicked() {
                out.push(ViewerAction::Faster);
            }
            if status.playing {
                ui.label(format!("({:.1} d/s)", status.measured_days_per_s))
                    .on_hover_text("simulated days per second reached");
            }
            ui.separator();
            let mut field = seen.overlay.field;
            let name = |f: Option<FieldId>| f.map_or("no field".to_string(), |f| f.label().to_string());
            egui::ComboBox::from_id_salt("field")
                .selected_text(name(field))
                .width(170.0)
                .show_ui(ui, |ui| {
                    ui.selectable_value(&mut field, None, name(None));
                    for f in Overlay::cycle() {
                        ui.selectable_value(&mut field, Some(f), name(Some(f)));
                    }
                })
                .response
                .on_hover_text("field overlay (F, Shift+F)");
            if field != seen.overlay.field {
                out.push(ViewerAction::SetField(field));
            }
            let mut outlines = seen.overlay.outlines;
            if ui.checkbox(&mut outlines, "lesions").on_hover_text("lytic and blastic outlines (B)").changed() {
                out.push(ViewerAction::ToggleOutlines);
            }
            ui.separator();
            for (label, key, panel) in [
                ("open", "O", Panel::Open),
                ("interventions", "P", Panel::Interventions),
                ("plots", "G", Panel::Plots),
                ("legend", "L", Panel::Legend),
            ] {
                if panel == Panel::Legend && ui_state.classroom {
                    continue;
                }
                if ui.selectable_label(panel_on(ui_state, panel), label).on_hover_text(key).clicked() {
                    out.push(ViewerAction::Toggle(panel));
                }
            }
            if ui.button("📷").on_hover_text("screenshot (F12)").clicked() {
                out.push(ViewerAction::Screenshot);
            }
            if ui.button("export").on_hover_text("readouts CSV and the scenario as run (E)").clicked() {
                out.push(ViewerAction::Export);
            }
            if ui.button("?").on_hover_text("keyboard shortcuts (?)").clicked() {
                out.push(ViewerAction::Toggle(Panel::Help));
            }
        });
    });
}

fn panel_on(ui_state: &UiState, panel: Panel) -> bool {
    match panel {
        Panel::Help => ui_state.help,
        Panel::Legend => ui_state.legend,
        Panel::Plots => ui_state.plots,
        Panel::Interventions => ui_state.interventions,
        Panel::Open => ui_state.open,
    }
}

/// The caption box; returns its rectangle.
fn caption_panel(root: &mut egui::Ui, captions: &Captions) -> Option<egui::Rect> {
    let frame = egui::Frame::new().fill(CAPTION_FILL).inner_margin(egui::Margin::symmetric(18, 12));
    let response = egui::Panel::bottom("caption").frame(frame).min_size(70.0).show(root, |ui| {
        ui.set_min_width(ui.available_width());
        match (captions.shown(), &captions.active) {
            (Some(c), Some(file)) => {
                if !c.title.is_empty() {
                    ui.label(RichText::new(&c.title).strong().size(19.0).color(Color32::from_rgb(240, 228, 66)));
                }
                ui.label(RichText::new(&c.text).size(17.0).color(Color32::WHITE));
                let i = captions.shown_index().unwrap_or(0) + 1;
                ui.label(
                    RichText::new(format!("caption {i} of {} · C next, Shift+C back", file.captions.len()))
                        .size(11.0)
                        .color(Color32::LIGHT_GRAY),
                );
            }
            (None, Some(file)) => {
                let first = file.captions.first().map_or(0.0, |c| c.day);
                ui.label(RichText::new(format!("The first caption comes on day {first}.")).color(Color32::WHITE));
            }
            (_, None) => {
                ui.label(
                    RichText::new("No captions for this scenario: add a file to assets/captions/ (see the README).")
                        .color(Color32::WHITE),
                );
            }
        }
    });
    Some(response.response.rect)
}

/// The caption box's background: scripted screenshots look for it.
pub const CAPTION_FILL: Color32 = Color32::from_rgb(16, 36, 72);

/// The right panel: legend, plots and readouts. Returns the legend's rectangle.
fn right_panel(root: &mut egui::Ui, seen: &Seen, ui_state: &UiState) -> Option<egui::Rect> {
    let mut legend_rect = None;
    egui::Panel::right("legend_and_plots").default_size(330.0).resizable(true).show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            if ui_state.legend || ui_state.classroom {
                legend_rect = Some(legend(ui));
                ui.separator();
            }
            if ui_state.plots {
                plots(ui, seen);
                ui.separator();
                readouts(ui, seen);
            }
        });
    });
    legend_rect
}

/// How a legend entry is drawn: squares of colour, or a line (an outline) on the tissue it
/// is drawn over.
enum Sample {
    Fill(Vec<Rgb>),
    Line(Rgb, Rgb),
}

/// The legend: tissue, outlines and cells with their colours, two entries a row (hover an
/// entry for more). Returns its rectangle.
fn legend(ui: &mut egui::Ui) -> egui::Rect {
    let top = ui.cursor().min;
    ui.label(RichText::new("Legend").strong());
    let bone = |mass: f32, woven: bool| {
        palette::tissue_colour(SiteLook { kind: TissueKind::Bone, bone_mass: mass, woven, eroded: false })
    };
    let mut entries: Vec<(Sample, &str, &str)> = vec![
        (
            Sample::Fill(vec![bone(0.5, false), bone(0.75, false), bone(1.0, false)]),
            "lamellar bone",
            "lamellar bone: brighter with more mineral",
        ),
        (Sample::Fill(vec![bone(1.0, true)]), "woven bone", "woven bone: laid down fast and disorganised"),
        (Sample::Fill(vec![palette::OSTEOID]), "osteoid", "osteoid: matrix not yet mineralised"),
        (Sample::Fill(vec![palette::MARROW]), "marrow", "marrow"),
        (Sample::Fill(vec![palette::ERODED]), "cavity", "resorption cavity: marrow where bone was, not yet refilled"),
        (Sample::Fill(vec![palette::VESSEL]), "vessel", "blood vessel: precursors and tumour cells enter here"),
        (
            Sample::Line(palette::LYTIC_OUTLINE, palette::MARROW),
            "lytic",
            "outline of an osteolytic region: starting bone lost near the tumour",
        ),
        (
            Sample::Line(palette::BLASTIC_OUTLINE, bone(1.0, true)),
            "blastic",
            "outline of an osteoblastic region: new woven bone near the tumour",
        ),
    ];
    for kind in CellKind::ALL {
        entries.push((Sample::Fill(vec![palette::cell_colour(kind)]), cell_short_name(kind), cell_description(kind)));
    }
    egui::Grid::new("legend").num_columns(4).spacing([5.0, 3.0]).show(ui, |ui| {
        for row in entries.chunks(2) {
            for (sample, short, long) in row {
                match sample {
                    Sample::Fill(colours) => {
                        ui.horizontal(|ui| {
                            ui.spacing_mut().item_spacing.x = 0.0;
                            for &c in colours {
                                swatch(ui, colour(c), 14.0);
                            }
                        });
                    }
                    Sample::Line(c, on) => {
                        let (rect, _) = ui.allocate_exact_size(egui::vec2(28.0, 14.0), egui::Sense::hover());
                        ui.painter().rect_filled(rect, 0.0, colour(*on));
                        ui.painter().rect_filled(rect.shrink2(egui::vec2(0.0, 4.0)), 0.0, colour(*c));
                    }
                }
                ui.label(*short).on_hover_text(*long);
            }
            ui.end_row();
        }
    });
    egui::Rect::from_min_max(top, ui.cursor().min + egui::vec2(ui.available_width(), 0.0))
}

/// A cell type in a word or two.
fn cell_short_name(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Stroma => "stroma / MSC",
        CellKind::PreOsteoblast => "pre-osteoblast",
        CellKind::Osteoblast => "osteoblast",
        CellKind::LiningCell => "lining cell",
        CellKind::Osteocyte => "osteocyte",
        CellKind::Precursor => "precursor",
        CellKind::PreOsteoclast => "pre-osteoclast",
        CellKind::Osteoclast => "osteoclast",
        CellKind::Macrophage => "macrophage",
        CellKind::TCell => "T cell",
        CellKind::Tumor => "tumour cell",
    }
}

/// A cell type, as the legend and the inspector name it.
pub fn cell_description(kind: CellKind) -> &'static str {
    match kind {
        CellKind::Stroma => "stromal cell / MSC",
        CellKind::PreOsteoblast => "pre-osteoblast",
        CellKind::Osteoblast => "osteoblast (cuboidal, lays down osteoid)",
        CellKind::LiningCell => "lining cell (flat, on quiet bone)",
        CellKind::Osteocyte => "osteocyte (star, inside bone)",
        CellKind::Precursor => "osteoclast precursor (monocyte, from the blood)",
        CellKind::PreOsteoclast => "pre-osteoclast (mononuclear)",
        CellKind::Osteoclast => "osteoclast (large; a dark dot per nucleus)",
        CellKind::Macrophage => "macrophage",
        CellKind::TCell => "T cell",
        CellKind::Tumor => "tumour cell (dark rim)",
    }
}

/// Line colour of the series that are not cell counts (Okabe–Ito orange).
const LINE: Color32 = Color32::from_rgb(230, 159, 0);

/// The colour of a cell type, as the tissue and the legend show it.
fn cell_line(kind: CellKind) -> Color32 {
    colour(palette::cell_colour(kind))
}

/// The smallest "nice" step (1, 2 or 5 × 10ⁿ) at least `min` long.
pub fn nice_step(min: f64) -> f64 {
    let min = min.abs().max(1e-12);
    let power = 10f64.powf(min.log10().floor());
    [1.0, 2.0, 5.0, 10.0].into_iter().map(|m| m * power).find(|&s| s >= min * (1.0 - 1e-9)).unwrap_or(10.0 * power)
}

/// Grid lines closer than this are not drawn, points (egui_plot's default).
const GRID_MIN_PX: f32 = 8.0;

/// Grid steps for an axis whose labels need `label_px` points between them: the labelled
/// step a nice number at least that far apart on screen, and finer ones for the grid.
fn spacer(label_px: f64) -> impl Fn(egui_plot::GridInput) -> [f64; 3] {
    move |input| {
        // `base_step_size` is the data span of GRID_MIN_PX points.
        let per_px = input.base_step_size / GRID_MIN_PX as f64;
        let big = nice_step(per_px * label_px);
        [big, big / 2.0, big / 10.0]
    }
}

/// A plot with labelled axes that stay readable at the panel's size: about one label per
/// 50 points across and per 20 points up.
fn small_plot(id: &str) -> Plot<'static> {
    Plot::new(id)
        .height(105.0)
        .legend(Legend::default())
        .allow_scroll(false)
        .allow_zoom(false)
        .allow_drag(false)
        .include_y(0.0)
        .grid_spacing(GRID_MIN_PX..=300.0)
        .x_grid_spacer(egui_plot::uniform_grid_spacer(spacer(50.0)))
        .y_grid_spacer(egui_plot::uniform_grid_spacer(spacer(20.0)))
        .custom_x_axes(vec![egui_plot::AxisHints::new_x().label("day").label_spacing(36.0..=48.0)])
        .custom_y_axes(vec![egui_plot::AxisHints::new_y().label_spacing(14.0..=18.0).min_thickness(34.0)])
}

fn plots(ui: &mut egui::Ui, seen: &Seen) {
    type Series = (&'static str, Color32, fn(&bonesim::Readouts) -> f64);
    let groups: [(&str, &str, Vec<Series>); 4] = [
        ("bone", "bone mass, % of start", vec![("bone mass %", LINE, |r| r.bone_rel * 100.0)]),
        (
            "cells",
            "bone cells",
            vec![
                ("osteoclasts", cell_line(CellKind::Osteoclast), |r| r.osteoclasts as f64),
                ("osteoblasts", cell_line(CellKind::Osteoblast), |r| r.osteoblasts as f64),
                ("pre-osteoclasts", cell_line(CellKind::PreOsteoclast), |r| r.preosteoclasts as f64),
            ],
        ),
        (
            "tumour",
            "tumour burden, cells",
            vec![("tumour cells", cell_line(CellKind::Tumor), |r| r.tumor_cells as f64)],
        ),
        ("serum", "serum IL-6, pg/mL", vec![("serum IL-6", LINE, |r| r.serum_il6_pg_ml)]),
    ];
    let lanes = &seen.history.lanes;
    let styles = [LineStyle::Solid, LineStyle::dashed_loose()];
    for (id, title, series) in groups {
        ui.label(RichText::new(title).small().strong());
        small_plot(id).show(ui, |plot| {
            for (lane, rows) in lanes.iter().enumerate() {
                for (name, colour, value) in &series {
                    let points: Vec<[f64; 2]> = rows.iter().map(|r| [r.day, value(r)]).collect();
                    let name = if lanes.len() > 1 { format!("{name} ({})", lane + 1) } else { name.to_string() };
                    plot.line(Line::new(name, PlotPoints::from(points)).color(*colour).style(styles[lane.min(1)]));
                }
            }
        });
    }
    if lanes.len() > 1 {
        ui.label(RichText::new("solid: left lane · dashed: right lane").small());
    }
}

fn readouts(ui: &mut egui::Ui, seen: &Seen) {
    let frames = &seen.current.shown.readouts;
    if frames.is_empty() {
        return;
    }
    ui.label(RichText::new("Readouts (as timeseries.csv)").strong());
    egui::Grid::new("readouts").striped(true).show(ui, |ui| {
        ui.label("");
        for i in 0..frames.len() {
            ui.label(if frames.len() > 1 { format!("lane {}", i + 1) } else { "now".into() });
        }
        ui.end_row();
        type Row = (&'static str, fn(&bonesim::Readouts) -> String);
        let rows: [Row; 12] = [
            ("day", |r| format!("{:.2}", r.day)),
            ("bv_tv", |r| format!("{:.4}", r.bv_tv)),
            ("bone_rel", |r| format!("{:.4}", r.bone_rel)),
            ("osteoclasts", |r| r.osteoclasts.to_string()),
            ("osteoblasts", |r| r.osteoblasts.to_string()),
            ("osteocytes", |r| r.osteocytes.to_string()),
            ("tumor_cells", |r| r.tumor_cells.to_string()),
            ("serum_il6_pg_ml", |r| format!("{:.3}", r.serum_il6_pg_ml)),
            ("lytic_area_mm2", |r| format!("{:.4}", r.lytic_area_mm2)),
            ("blastic_area_mm2", |r| format!("{:.4}", r.blastic_area_mm2)),
            ("woven_fraction", |r| format!("{:.4}", r.woven_fraction)),
            ("lesion", |r| r.lesion().to_string()),
        ];
        for (name, value) in rows {
            ui.label(RichText::new(name).monospace());
            for r in frames {
                ui.label(RichText::new(value(r)).monospace());
            }
            ui.end_row();
        }
    });
}

/// The value of parameter `name` in force in `scenario` by `day`: its default, the
/// scenario's `[parameters]`, then the changes made so far.
fn parameter_in_force(scenario: &Scenario, name: &str, day: f64) -> Option<f64> {
    let mut value = ModelParams::default().get(name)?;
    if let Some(v) = scenario.parameters.get(name) {
        value = *v;
    }
    for c in scenario.parameter_change.iter().filter(|c| c.name == name && c.day <= day) {
        value = c.value;
    }
    Some(value)
}

fn left_panel(
    root: &mut egui::Ui,
    seen: &Seen,
    ui_state: &mut UiState,
    forms: &mut Forms,
    out: &mut Vec<ViewerAction>,
) {
    let status = &seen.current.shown.status;
    egui::Panel::left("interventions").default_size(310.0).resizable(true).show(root, |ui| {
        egui::ScrollArea::vertical().show(ui, |ui| {
            inspector(ui, seen);
            ui.separator();
            ui.label(RichText::new("Interventions").strong());
            ui.label(RichText::new("Each is recorded in the run's scenario as an event of today (export: E).").small());
            let n = status.labels.len();
            if n > 1 {
                ui_state.target_lanes.resize(n, true);
                ui.horizontal(|ui| {
                    ui.label("apply to:");
                    for (i, label) in status.labels.iter().enumerate() {
                        ui.checkbox(&mut ui_state.target_lanes[i], format!("{} {label}", i + 1));
                    }
                });
            }
            ui.add_space(4.0);
            ui.label(RichText::new("Inflammation").strong());
            ui.horizontal(|ui| {
                let e = &mut ui_state.inflammation;
                egui::ComboBox::from_id_salt("agent").selected_text(agent_name(e.agent)).show_ui(ui, |ui| {
                    for a in [InflammatoryAgent::Lps, InflammatoryAgent::Il1b, InflammatoryAgent::Pge2] {
                        ui.selectable_value(&mut e.agent, a, agent_name(a));
                    }
                });
                ui.label("dose");
                ui.add(egui::DragValue::new(&mut e.dose).range(0.0..=100.0).speed(0.1));
            });
            ui.horizontal(|ui| {
                let e = &mut ui_state.inflammation;
                ui.add(egui::DragValue::new(&mut e.doses).range(1..=365).prefix("× "));
                ui.label("every");
                ui.add(egui::DragValue::new(&mut e.every_days).range(0.01..=365.0).speed(0.1).suffix(" d"));
            });
            if ui.button("challenge now (I)").clicked() {
                out.push(ViewerAction::Inflame);
            }
            ui.add_space(4.0);
            ui.label(RichText::new("Therapy").strong());
            ui.horizontal(|ui| {
                let t = &mut ui_state.therapy;
                egui::ComboBox::from_id_salt("drug").selected_text(drug_name(t.drug)).show_ui(ui, |ui| {
                    for d in DRUGS {
                        ui.selectable_value(&mut t.drug, d, drug_name(d));
                    }
                });
                ui.add(egui::DragValue::new(&mut t.dose).range(0.0..=10_000.0).speed(0.5));
                ui.label(drug_unit(t.drug));
            });
            ui.horizontal(|ui| {
                let t = &mut ui_state.therapy;
                ui.add(egui::DragValue::new(&mut t.doses).range(1..=1000).prefix("× "));
                ui.label("every");
                ui.add(egui::DragValue::new(&mut t.every_days).range(0.1..=3650.0).speed(0.5).suffix(" d"));
            });
            if ui.button("start now (T)").clicked() {
                out.push(ViewerAction::Treat);
            }
            ui.add_space(4.0);
            parameter_form(ui, seen, forms, out);
            ui.add_space(4.0);
            ui.horizontal(|ui| {
                if ui.button("restart (R)").on_hover_text("from day 0, without interventions").clicked() {
                    out.push(ViewerAction::Restart);
                }
                if ui.button("replay (Shift+R)").on_hover_text("from day 0 with the interventions made").clicked() {
                    out.push(ViewerAction::Replay);
                }
            });
            ui.separator();
            ui.label(RichText::new("Log").strong());
            for line in seen.log.lines.iter().rev().take(10) {
                ui.label(RichText::new(line).small());
            }
        });
    });
}

fn parameter_form(ui: &mut egui::Ui, seen: &Seen, forms: &mut Forms, out: &mut Vec<ViewerAction>) {
    ui.label(RichText::new("Parameter").strong());
    ui.add(egui::TextEdit::singleline(&mut forms.parameter_search).hint_text("search, e.g. lifespan"));
    let catalogue = ModelParams::catalogue();
    let query = forms.parameter_search.to_lowercase();
    if !query.is_empty() {
        for info in catalogue.iter().filter(|p| p.dotted().contains(&query)).take(8) {
            let name = info.dotted();
            if ui.selectable_label(forms.parameter.as_deref() == Some(&name), &name).clicked() {
                forms.parameter_value = first_scenario(seen)
                    .and_then(|s| parameter_in_force(s, &name, seen.current.day()))
                    .unwrap_or(info.default)
                    .to_string();
                forms.parameter = Some(name);
            }
        }
    }
    let Some(name) = forms.parameter.clone() else { return };
    let Some(info) = catalogue.iter().find(|p| p.dotted() == name) else { return };
    let now =
        first_scenario(seen).and_then(|s| parameter_in_force(s, &name, seen.current.day())).unwrap_or(info.default);
    ui.label(RichText::new(format!("{name} = {now} (allowed {} to {})", info.min, info.max)).monospace());
    ui.label(RichText::new(info.doc.split_whitespace().collect::<Vec<_>>().join(" ")).small());
    ui.horizontal(|ui| {
        ui.label("new value");
        ui.add(egui::TextEdit::singleline(&mut forms.parameter_value).desired_width(80.0));
    });
    ui.horizontal(|ui| {
        let value = forms.parameter_value.trim().parse::<f64>();
        let live = changes_during_run(&name);
        let hint =
            if live { "from the next tick on, recorded as [[parameter_change]]" } else { "sets up the start only" };
        if ui.add_enabled(live && value.is_ok(), egui::Button::new("change now")).on_hover_text(hint).clicked()
            && let Ok(value) = value
        {
            out.push(ViewerAction::ChangeParameter { name: name.clone(), value });
        }
        if ui.button("restart with it").on_hover_text("from day 0, as --set would").clicked() {
            out.push(ViewerAction::RestartWith { name: name.clone(), value: forms.parameter_value.trim().to_string() });
        }
    });
}

fn first_scenario<'a>(seen: &'a Seen) -> Option<&'a Scenario> {
    seen.current.shown.status.scenarios.first()
}

/// The selected cell: type, age, nuclei, signalling.
fn inspector(ui: &mut egui::Ui, seen: &Seen) {
    ui.label(RichText::new("Cell").strong());
    let Some((lane, id)) = seen.selected.0 else {
        ui.label(RichText::new("Click a cell to inspect it.").small());
        return;
    };
    let Some(frame) = seen.current.frame(lane) else { return };
    let Some(cell) = frame.cell(id) else {
        ui.label(format!("Cell {} is gone: it died, fused or became part of another.", id.0));
        return;
    };
    ui.horizontal(|ui| {
        swatch(ui, colour(palette::cell_colour(cell.kind)), 14.0);
        ui.label(RichText::new(cell_description(cell.kind)).strong());
    });
    let um = frame.site_um;
    ui.label(format!(
        "id {} · at ({:.0}, {:.0}) µm{}",
        id.0,
        (cell.x as f64 + 0.5) * um,
        (cell.y as f64 + 0.5) * um,
        if seen.current.shown.frames.len() > 1 { format!(" · lane {}", lane + 1) } else { String::new() }
    ));
    ui.label(format!("age: {:.1} days as a {}", cell.age_days, cell_short_name(cell.kind)))
        .on_hover_text("days since it was born, arrived, or became what it is now");
    if cell.kind == CellKind::Osteoclast {
        ui.label(format!("{} nuclei", cell.nuclei));
    }
    if let (Some(field), Some(v)) = (frame.field, frame.field_pm.get((cell.y as usize) * frame.width + cell.x as usize))
    {
        let name = field.label().strip_suffix(" (pM)").unwrap_or(field.label());
        ui.label(format!("{name} here: {}", format_pm(*v)));
    }
    let s = cell.signalling;
    for (name, v) in [("STAT3", s.stat3), ("AKT", s.akt), ("MAPK", s.mapk), ("NF-κB", s.nfkb)] {
        ui.horizontal(|ui| {
            ui.label(RichText::new(format!("{name:6}")).monospace());
            ui.add(egui::ProgressBar::new(v.clamp(0.0, 1.0)).desired_width(150.0).text(format!("{v:.2}")));
        });
    }
}

/// Each lane's name above it.
fn lane_labels(ctx: &egui::Context, seen: &Seen, area: Rect, k: f32) {
    let labels = &seen.current.shown.status.labels;
    if labels.len() < 2 {
        return;
    }
    for (i, (rect, label)) in seen.layout.lanes.iter().zip(labels).enumerate() {
        let top_left = seen.view.to_screen(area, rect.origin);
        let pos = egui::pos2(top_left.x / k, (top_left.y / k - 22.0).max(area.min.y / k));
        egui::Area::new(egui::Id::new(("lane_label", i))).fixed_pos(pos).interactable(false).show(ctx, |ui| {
            ui.label(
                RichText::new(format!("{} {label}", i + 1))
                    .strong()
                    .color(Color32::WHITE)
                    .background_color(Color32::from_black_alpha(160)),
            );
        });
    }
}

/// The overlay's colour bar in pM, at the bottom left of the view. Returns the rectangle of
/// its strip of colours.
fn colour_bar(ctx: &egui::Context, seen: &Seen, area: Rect, k: f32) -> Option<egui::Rect> {
    let field = seen.overlay.field?;
    let mut strip = None;
    let max = seen.overlay.scale_max_pm(&seen.current.shown.frames);
    let pos = egui::pos2(area.min.x / k + 12.0, area.max.y / k - 12.0);
    egui::Area::new(egui::Id::new("colour_bar")).fixed_pos(pos).pivot(Align2::LEFT_BOTTOM).interactable(false).show(
        ctx,
        |ui| {
            egui::Frame::new().fill(Color32::from_black_alpha(190)).inner_margin(8).show(ui, |ui| {
                ui.label(RichText::new(field.label()).color(Color32::WHITE));
                let (rect, _) = ui.allocate_exact_size(egui::vec2(220.0, 14.0), egui::Sense::hover());
                strip = Some(rect);
                let steps = 64;
                for i in 0..steps {
                    let t0 = i as f32 / steps as f32;
                    let x0 = rect.min.x + rect.width() * t0;
                    let x1 = rect.min.x + rect.width() * (i + 1) as f32 / steps as f32;
                    let c = palette::viridis((i as f64 + 0.5) / steps as f64);
                    ui.painter().rect_filled(
                        egui::Rect::from_x_y_ranges(x0..=x1 + 0.5, rect.y_range()),
                        0.0,
                        colour(c),
                    );
                }
                // The values under the strip, at its ends and its middle.
                let (labels, _) = ui.allocate_exact_size(egui::vec2(220.0, 14.0), egui::Sense::hover());
                let font = egui::TextStyle::Small.resolve(ui.style());
                for (t, align) in [(0.0, Align2::LEFT_TOP), (0.5, Align2::CENTER_TOP), (1.0, Align2::RIGHT_TOP)] {
                    let x = labels.min.x + labels.width() * t;
                    let text = if t == 0.0 { "0".to_string() } else { format_pm(max * t) };
                    ui.painter().text(egui::pos2(x, labels.min.y), align, text, font.clone(), Color32::WHITE);
                }
                let scale = if seen.overlay.fixed_max_pm.is_some() {
                    "top held (M)"
                } else {
                    "top: largest value now (M holds it)"
                };
                ui.label(RichText::new(format!("linear, pM; {scale}")).small().color(Color32::LIGHT_GRAY));
            });
        },
    );
    strip
}

/// A concentration in pM with sensible digits.
pub fn format_pm(v: f32) -> String {
    match v.abs() {
        0.0 => "0".into(),
        a if a >= 100.0 => format!("{v:.0} pM"),
        a if a >= 1.0 => format!("{v:.1} pM"),
        a if a >= 0.01 => format!("{v:.3} pM"),
        _ => format!("{v:.1e} pM"),
    }
}

fn help_window(ctx: &egui::Context, open: &mut bool) {
    egui::Window::new("Keyboard shortcuts")
        .open(open)
        .collapsible(false)
        .anchor(Align2::CENTER_CENTER, [0.0, 0.0])
        .show(ctx, |ui| {
            egui::Grid::new("shortcuts").striped(true).show(ui, |ui| {
                for s in &SHORTCUTS {
                    ui.label(RichText::new(s.keys).monospace().strong());
                    ui.label(s.does);
                    ui.end_row();
                }
            });
        });
}

fn open_window(ctx: &egui::Context, open: &mut bool, forms: &mut Forms, out: &mut Vec<ViewerAction>) {
    let mut chosen: Option<String> = None;
    egui::Window::new("Open a scenario").open(open).default_width(520.0).show(ctx, |ui| {
        ui.label("Bundled scenarios (hover for a description):");
        egui::Grid::new("bundled").striped(true).show(ui, |ui| {
            for name in bonesim_scenario::bundled::names() {
                let description = bonesim_scenario::bundled::find(name).map(bonesim_scenario::bundled::description);
                ui.label(RichText::new(name).monospace()).on_hover_text(description.unwrap_or_default());
                if ui.button("open").clicked() {
                    chosen = Some(name.to_string());
                }
                ui.end_row();
            }
        });
        ui.separator();
        ui.horizontal(|ui| {
            ui.label("file:");
            ui.add(
                egui::TextEdit::singleline(&mut forms.open_path)
                    .hint_text("path/to/scenario.toml")
                    .desired_width(300.0),
            );
            if ui.button("open").clicked() && !forms.open_path.trim().is_empty() {
                chosen = Some(forms.open_path.trim().to_string());
            }
        });
        ui.horizontal(|ui| {
            ui.label("--set:");
            ui.add(
                egui::TextEdit::singleline(&mut forms.open_sets)
                    .hint_text("patient.estrogen=0, tumor.seed_cells=20")
                    .desired_width(300.0),
            );
        });
        ui.checkbox(&mut forms.open_beside, "side by side with the scenario on screen (its first lane, as loaded)");
    });
    let Some(scenario) = chosen else { return };
    let sets: Result<Vec<(String, String)>, String> = forms
        .open_sets
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(bonesim_scenario::split_set_arg)
        .collect();
    let sets = match sets {
        Ok(s) => s,
        Err(e) => {
            out.push(ViewerAction::Say(format!("cannot open: --set {e}")));
            return;
        }
    };
    let new = LaneSource { scenario, sets, seed: None, days: None };
    out.push(if forms.open_beside { ViewerAction::OpenBeside(new) } else { ViewerAction::Open(vec![new]) });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plot_steps_are_nice_numbers_no_shorter_than_asked() {
        assert_eq!(nice_step(1.0), 1.0);
        assert_eq!(nice_step(1.2), 2.0);
        assert_eq!(nice_step(2422.0), 5000.0);
        assert_eq!(nice_step(0.03), 0.05);
        assert_eq!(nice_step(7.0), 10.0);
        // 44 days across 250 points, a label every 50 points or more: every 10 days.
        let steps = spacer(50.0)(egui_plot::GridInput { bounds: (0.0, 44.0), base_step_size: 44.0 / 250.0 * 8.0 });
        assert_eq!(steps, [10.0, 5.0, 1.0]);
    }

    #[test]
    fn concentrations_read_with_sensible_digits() {
        assert_eq!(format_pm(0.0), "0");
        assert_eq!(format_pm(2576.576), "2577 pM");
        assert_eq!(format_pm(3.46), "3.5 pM");
        assert_eq!(format_pm(0.0123), "0.012 pM");
        assert_eq!(format_pm(0.000_42), "4.2e-4 pM");
    }
}
