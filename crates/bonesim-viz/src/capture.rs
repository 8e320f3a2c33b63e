//! Screenshots (through bevy's screenshot API), scripted screenshot runs
//! (`--screenshot-days`, for the documentation and the end-to-end test), and the frame-rate
//! benchmark (`--bench-frames`).
//!
//! A scripted screenshot is taken when the simulation has paused exactly on its day and a
//! few frames have been drawn since, and comes with a layout record (JSON, physical pixels)
//! of where the lanes, the legend and the caption lie on it.

use crate::camera::{View2d, ViewArea};
use crate::controls::{Outputs, export, file_stem, write_atomically};
use crate::state::{Current, History, Layout, Link, Log};
use crate::ui::UiRects;
use crate::worker::Command;
use bevy::app::AppExit;
use bevy::prelude::*;
use bevy::render::render_resource::TextureFormat;
use bevy::render::view::screenshot::{Screenshot, ScreenshotCaptured};
use bevy::window::PrimaryWindow;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Frames drawn on a scripted day before its screenshot: the textures and panels of that
/// frame have reached the screen by then.
const SETTLE_FRAMES: u32 = 6;

/// RGB bytes of a captured image, whatever its texture format (bevy captures the window
/// in its surface format, BGRA or RGBA).
pub fn rgb_bytes(image: &Image) -> Result<(u32, u32, Vec<u8>), String> {
    let data = image.data.as_ref().ok_or("the screenshot has no data")?;
    let (w, h) = (image.width(), image.height());
    let bgra = match image.texture_descriptor.format {
        TextureFormat::Bgra8Unorm | TextureFormat::Bgra8UnormSrgb => true,
        TextureFormat::Rgba8Unorm | TextureFormat::Rgba8UnormSrgb => false,
        other => return Err(format!("cannot save a screenshot in {other:?}")),
    };
    let mut rgb = Vec::with_capacity((w * h * 3) as usize);
    for px in data.chunks_exact(4).take((w * h) as usize) {
        if bgra {
            rgb.extend_from_slice(&[px[2], px[1], px[0]]);
        } else {
            rgb.extend_from_slice(&px[..3]);
        }
    }
    Ok((w, h, rgb))
}

/// Writes an RGB PNG (to a temporary name, then renamed).
pub fn save_png(path: &Path, w: u32, h: u32, rgb: &[u8]) -> Result<(), String> {
    let mut bytes = Vec::new();
    {
        let mut encoder = png::Encoder::new(&mut bytes, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        let mut writer = encoder.write_header().map_err(|e| e.to_string())?;
        writer.write_image_data(rgb).map_err(|e| e.to_string())?;
    }
    write_atomically(path, &bytes)
}

/// A screenshot in flight: where it goes, and whether it is done.
#[derive(Resource, Default)]
pub struct Capturing {
    /// Paths being captured.
    pub pending: Vec<PathBuf>,
    /// Screenshots saved (or failed) and not yet acknowledged.
    pub done: Vec<Result<PathBuf, String>>,
}

/// Screenshots and scripted runs.
pub fn capture_plugin(app: &mut App) {
    app.init_resource::<Capturing>();
}

/// Starts the screenshots asked for (F12, the button, the script).
pub fn take_screenshots(mut commands: Commands, mut outputs: ResMut<Outputs>, mut capturing: ResMut<Capturing>) {
    for path in std::mem::take(&mut outputs.screenshots) {
        let path = unique(path);
        capturing.pending.push(path.clone());
        commands.spawn(Screenshot::primary_window()).observe(
            move |captured: On<ScreenshotCaptured>, mut capturing: ResMut<Capturing>| {
                let result = rgb_bytes(&captured.image)
                    .and_then(|(w, h, rgb)| save_png(&path, w, h, &rgb))
                    .map(|()| path.clone());
                capturing.pending.retain(|p| *p != path);
                capturing.done.push(result);
            },
        );
    }
}

/// `path`, or `path` with `-2`, `-3`… before the extension if it exists.
fn unique(path: PathBuf) -> PathBuf {
    if !path.exists() {
        return path;
    }
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    (2..).map(|i| path.with_file_name(format!("{stem}-{i}.{ext}"))).find(|p| !p.exists()).unwrap_or(path)
}

/// Reports finished screenshots in the log.
pub fn report_screenshots(mut capturing: ResMut<Capturing>, mut log: ResMut<Log>, script: Option<Res<Script>>) {
    if script.is_some_and(|s| s.waiting_for.is_some()) {
        return; // the script takes its own
    }
    for done in capturing.done.drain(..) {
        match done {
            Ok(path) => log.say(format!("screenshot saved: {}", path.display())),
            Err(e) => log.say(format!("screenshot failed: {e}")),
        }
    }
}

/// A scripted run: screenshots on given days, then maybe exit.
#[derive(Resource, Debug)]
pub struct Script {
    /// Days left to screenshot, in order.
    pub days: Vec<f64>,
    /// Exit after the last.
    pub exit: bool,
    /// Frames drawn while paused on the current day.
    settled: u32,
    /// The screenshot being taken.
    pub waiting_for: Option<PathBuf>,
    /// A step of the script is under way.
    started: bool,
}

impl Script {
    /// Screenshots on `days` (sorted), exiting afterwards if `exit`.
    pub fn new(mut days: Vec<f64>, exit: bool) -> Script {
        days.sort_by(f64::total_cmp);
        days.dedup();
        Script { days, exit, settled: 0, waiting_for: None, started: false }
    }
}

/// Where things lie on a scripted screenshot, physical pixels `[x0, y0, x1, y1]`.
#[derive(serde::Serialize, Debug)]
struct LayoutRecord {
    day: f64,
    tick: u64,
    scale_factor: f32,
    view: [f32; 4],
    lanes: Vec<[f32; 4]>,
    legend: Option<[f32; 4]>,
    caption: Option<[f32; 4]>,
    caption_text: Option<String>,
    colour_bar: Option<[f32; 4]>,
}

/// Where things are on screen, for the layout record.
#[derive(bevy::ecs::system::SystemParam)]
pub struct OnScreen<'w> {
    layout: Res<'w, Layout>,
    view: Res<'w, View2d>,
    area: Res<'w, ViewArea>,
    rects: Res<'w, UiRects>,
    captions: Res<'w, crate::classroom::Captions>,
}

/// Drives a scripted run: play to each day, pause there, let the frame settle, take the
/// screenshot with its layout record, go on; at the end export and exit.
#[allow(clippy::too_many_arguments, reason = "a system takes what it reads")]
pub fn run_script(
    mut script: ResMut<Script>,
    link: Res<Link>,
    current: Res<Current>,
    history: Res<History>,
    mut outputs: ResMut<Outputs>,
    mut capturing: ResMut<Capturing>,
    on_screen: OnScreen,
    window: Single<&Window, With<PrimaryWindow>>,
    mut log: ResMut<Log>,
    mut exit: MessageWriter<AppExit>,
) {
    let OnScreen { layout, view, area, rects, captions } = on_screen;
    if current.shown.frames.is_empty() {
        return;
    }
    if let Some(path) = script.waiting_for.clone() {
        let Some(i) = capturing.done.iter().position(|d| d.as_ref().map_or(true, |p| *p == path)) else { return };
        match capturing.done.remove(i) {
            Ok(p) => log.say(format!("screenshot saved: {}", p.display())),
            Err(e) => {
                log.say(format!("screenshot failed: {e}"));
                exit.write(AppExit::error());
                return;
            }
        }
        script.waiting_for = None;
        script.days.remove(0);
        script.started = false;
        script.settled = 0;
    }
    let Some(&day) = script.days.first() else {
        if script.exit {
            match export(&outputs.dir, &current, &history) {
                Ok(files) => outputs.written.extend(files),
                Err(e) => log.say(format!("export failed: {e}")),
            }
            exit.write(AppExit::Success);
        }
        return;
    };
    let target = current.tick_of_day(day);
    let tick = current.frame(0).map_or(0, |f| f.tick);
    let status = &current.shown.status;
    if !script.started {
        script.started = true;
        if tick < target {
            link.send(Command::StopAt(target));
            link.send(Command::SetPlaying(true));
            return;
        }
    }
    if tick < target {
        // Paused short of the day (a classroom caption's pause): go on.
        if !status.playing {
            link.send(Command::SetPlaying(true));
        }
        return;
    }
    if status.playing {
        return;
    }
    script.settled += 1;
    if script.settled < SETTLE_FRAMES {
        return;
    }
    let path = unique(outputs.dir.join(format!("{}.png", file_stem(&current))));
    let k = window.scale_factor();
    let phys = |r: Rect| [r.min.x * k, r.min.y * k, r.max.x * k, r.max.y * k];
    let lanes = layout
        .lanes
        .iter()
        .map(|l| {
            let a = view.to_screen(area.0, l.origin);
            let b = view.to_screen(area.0, l.origin + Vec2::new(l.size.x, -l.size.y));
            phys(Rect::from_corners(a, b).intersect(area.0))
        })
        .collect();
    let record = LayoutRecord {
        day: current.day(),
        tick,
        scale_factor: k,
        view: phys(area.0),
        lanes,
        legend: rects.legend.map(phys),
        caption: rects.caption.map(phys),
        caption_text: captions.shown().map(|c| c.text.clone()),
        colour_bar: rects.colour_bar.map(phys),
    };
    let json = serde_json::to_string_pretty(&record).unwrap_or_default();
    if let Err(e) = write_atomically(&path.with_extension("json"), json.as_bytes()) {
        log.say(format!("cannot write the layout record: {e}"));
    }
    outputs.screenshots.push(path.clone());
    script.waiting_for = Some(path);
}

/// Frames drawn before the benchmark's clock starts: start-up (shader compilation, the
/// first uploads) is not what it measures.
const BENCH_WARM_UP_FRAMES: u32 = 20;

/// `--bench-frames N`: frames drawn, and simulated days reached, while playing flat out.
#[derive(Resource, Debug)]
pub struct Bench {
    /// Frames to draw.
    pub frames: u32,
    warm_up: u32,
    drawn: u32,
    handed_over: u32,
    last_version: u64,
    start: Option<(Instant, f64)>,
}

impl Bench {
    /// A benchmark of `frames` frames.
    pub fn new(frames: u32) -> Bench {
        Bench { frames, warm_up: 0, drawn: 0, handed_over: 0, last_version: 0, start: None }
    }
}

/// Counts frames from the first one that shows the simulation; prints the rates and exits.
pub fn run_bench(mut bench: ResMut<Bench>, current: Res<Current>, mut exit: MessageWriter<AppExit>) {
    if current.shown.frames.is_empty() {
        return;
    }
    if bench.warm_up < BENCH_WARM_UP_FRAMES {
        bench.warm_up += 1;
        return;
    }
    let Some((start, day0)) = bench.start else {
        bench.start = Some((Instant::now(), current.day()));
        bench.last_version = current.version;
        return;
    };
    bench.drawn += 1;
    if current.version != bench.last_version {
        bench.handed_over += 1;
        bench.last_version = current.version;
    }
    if bench.drawn < bench.frames {
        return;
    }
    let seconds = start.elapsed().as_secs_f64();
    let days = current.day() - day0;
    let status = &current.shown.status;
    let sites: usize = current.shown.frames.iter().map(|f| f.width * f.height).sum();
    let cells: usize = current.shown.frames.iter().map(|f| f.cells.len()).sum();
    report_bench(&format!(
        "bonesim-viz bench: {} ({} sites, {} cells on screen), simulation on {} thread(s), after {BENCH_WARM_UP_FRAMES} warm-up frames\n\
         frames: {} in {seconds:.2} s = {:.1} frames per second\n\
         simulation: {days:.2} days in {seconds:.2} s = {:.2} simulated days per second\n\
         frames handed over by the simulation thread: {} ({:.1} per second)",
        status.labels.join(" | "),
        sites,
        cells,
        status.threads,
        bench.drawn,
        bench.drawn as f64 / seconds,
        days / seconds,
        bench.handed_over,
        bench.handed_over as f64 / seconds,
    ));
    exit.write(AppExit::Success);
}

#[allow(clippy::print_stdout, reason = "the benchmark's result is its output")]
fn report_bench(text: &str) {
    println!("{text}");
}

#[cfg(test)]
mod tests {
    use super::*;
    use bevy::asset::RenderAssetUsages;
    use bevy::render::render_resource::{Extent3d, TextureDimension};

    #[test]
    fn captured_pixels_come_out_as_rgb_whatever_the_surface_format() {
        let size = Extent3d { width: 2, height: 1, depth_or_array_layers: 1 };
        let data = vec![10, 20, 30, 255, 40, 50, 60, 255];
        let bgra = Image::new(
            size,
            TextureDimension::D2,
            data.clone(),
            TextureFormat::Bgra8UnormSrgb,
            RenderAssetUsages::all(),
        );
        assert_eq!(rgb_bytes(&bgra).unwrap(), (2, 1, vec![30, 20, 10, 60, 50, 40]));
        let rgba =
            Image::new(size, TextureDimension::D2, data, TextureFormat::Rgba8UnormSrgb, RenderAssetUsages::all());
        assert_eq!(rgb_bytes(&rgba).unwrap().2, vec![10, 20, 30, 40, 50, 60]);
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.png");
        save_png(&path, 2, 1, &[1, 2, 3, 4, 5, 6]).unwrap();
        assert!(path.exists());
        std::fs::write(dir.path().join("b.png"), b"x").unwrap();
        assert_eq!(unique(dir.path().join("b.png")), dir.path().join("b-2.png"));
    }
}
