//! What the viewer knows: the link to the simulation thread, the frames on screen, the
//! plotted history, the layout of the lanes in the world, and the viewer's own settings.

use crate::worker::{Command, Report, Shown, SimLink};
use bevy::prelude::*;
use bonesim::cells::CellId;
use bonesim::field::FieldId;
use bonesim::readout::Readouts;
use bonesim::view::Frame;

/// Sites between two lanes shown side by side.
pub const LANE_GAP_SITES: f32 = 12.0;

/// The render thread's end of the link to the simulation thread.
#[derive(Resource)]
pub struct Link(pub SimLink);

impl Link {
    /// Sends `command` to the simulation thread.
    pub fn send(&self, command: Command) {
        self.0.send(command);
    }
}

/// The frames on screen, with the state of the simulation when they were made.
#[derive(Resource, Default)]
pub struct Current {
    /// Frames, status, and what arrived with them.
    pub shown: Shown,
    /// Counts hand-overs: systems redraw when it moves.
    pub version: u64,
}

impl Current {
    /// The frame of lane `lane`, if there is one.
    pub fn frame(&self, lane: usize) -> Option<&Frame> {
        self.shown.frames.get(lane)
    }

    /// The simulated day on screen.
    pub fn day(&self) -> f64 {
        self.frame(0).map_or(0.0, |f| f.day)
    }

    /// The tick of simulated day `day`, in the first lane's scenario.
    pub fn tick_of_day(&self, day: f64) -> u64 {
        let tick_hours = self.shown.status.scenarios.first().map_or(1.0, |s| s.time.tick_hours);
        (day * 24.0 / tick_hours).round().max(0.0) as u64
    }
}

/// Readout rows of every lane since its start, as `timeseries.csv` has them: what the
/// plots draw and what an export writes.
#[derive(Resource, Default)]
pub struct History {
    /// The load these rows belong to.
    pub generation: u64,
    /// Rows per lane.
    pub lanes: Vec<Vec<Readouts>>,
}

/// What the viewer tells the user: reports of the simulation thread and its own messages.
#[derive(Resource, Default)]
pub struct Log {
    /// Newest last.
    pub lines: Vec<String>,
}

impl Log {
    /// Adds a line (and to the terminal's log).
    pub fn say(&mut self, line: impl Into<String>) {
        let line = line.into();
        info!("{line}");
        self.lines.push(line);
        if self.lines.len() > 200 {
            self.lines.drain(..100);
        }
    }
}

/// Where each lane lies in the world: one world unit is one lattice site, x to the right,
/// y up; lane `i`'s site `(x, y)` (row `y` from the top) has its centre at
/// `origin + (x + 0.5, -(y + 0.5))`.
#[derive(Resource, Default, Clone, Debug, PartialEq)]
pub struct Layout {
    /// The load it was made for.
    pub generation: u64,
    /// Each lane's top-left corner and size in sites.
    pub lanes: Vec<LaneRect>,
}

/// One lane's place in the world.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LaneRect {
    /// Top-left corner.
    pub origin: Vec2,
    /// Sites across and down.
    pub size: Vec2,
}

impl LaneRect {
    /// World position of the centre of site `(x, y)`.
    pub fn site_centre(self, x: f32, y: f32) -> Vec2 {
        self.origin + Vec2::new(x + 0.5, -(y + 0.5))
    }

    /// The centre of the lane.
    pub fn centre(self) -> Vec2 {
        self.origin + Vec2::new(self.size.x / 2.0, -self.size.y / 2.0)
    }

    /// Fractional site coordinates (column, row) of a world point.
    pub fn to_sites(self, world: Vec2) -> Vec2 {
        Vec2::new(world.x - self.origin.x, self.origin.y - world.y)
    }

    /// Whether a world point lies on the lane.
    pub fn contains(self, world: Vec2) -> bool {
        let s = self.to_sites(world);
        s.x >= 0.0 && s.y >= 0.0 && s.x < self.size.x && s.y < self.size.y
    }
}

impl Layout {
    /// Lanes of the given sizes (sites), side by side with a gap.
    pub fn side_by_side(generation: u64, sizes: &[(usize, usize)]) -> Layout {
        let mut x = 0.0;
        let lanes = sizes
            .iter()
            .map(|&(w, h)| {
                let rect = LaneRect { origin: Vec2::new(x, 0.0), size: Vec2::new(w as f32, h as f32) };
                x += w as f32 + LANE_GAP_SITES;
                rect
            })
            .collect();
        Layout { generation, lanes }
    }

    /// The smallest rectangle holding every lane: (min, max) corners.
    pub fn bounds(&self) -> (Vec2, Vec2) {
        let mut min = Vec2::splat(f32::MAX);
        let mut max = Vec2::splat(f32::MIN);
        for l in &self.lanes {
            min = min.min(Vec2::new(l.origin.x, l.origin.y - l.size.y));
            max = max.max(Vec2::new(l.origin.x + l.size.x, l.origin.y));
        }
        if self.lanes.is_empty() { (Vec2::ZERO, Vec2::ONE) } else { (min, max) }
    }
}

/// The field drawn over the tissue.
#[derive(Resource, Clone, Debug, PartialEq)]
pub struct Overlay {
    /// The field, or none.
    pub field: Option<FieldId>,
    /// Opacity of the overlay, 0–1.
    pub opacity: f32,
    /// The colour bar's top, pM; `None`: the largest value on screen (over every lane).
    pub fixed_max_pm: Option<f32>,
    /// Lytic and blastic regions outlined.
    pub outlines: bool,
}

impl Default for Overlay {
    fn default() -> Self {
        Overlay { field: None, opacity: 0.85, fixed_max_pm: None, outlines: true }
    }
}

impl Overlay {
    /// The fields in the order `F` cycles through them and the overlay menu lists them:
    /// every field of the engine's fields table ([`FieldId::ALL`]), IL-6 first (the model
    /// is built around it), then the table's order.
    pub fn cycle() -> Vec<FieldId> {
        std::iter::once(FieldId::Il6).chain(FieldId::ALL.into_iter().filter(|&f| f != FieldId::Il6)).collect()
    }

    /// The next field after the current one (`step` +1) or before it (-1), with "none"
    /// between the last and the first.
    pub fn cycled(&self, step: i32) -> Option<FieldId> {
        let cycle = Self::cycle();
        let n = cycle.len() as i32 + 1;
        let now = self.field.and_then(|f| cycle.iter().position(|&c| c == f)).map_or(0, |i| i as i32 + 1);
        let next = (now + step).rem_euclid(n);
        (next > 0).then(|| cycle[next as usize - 1])
    }

    /// The colour bar's top over `frames`, pM.
    pub fn scale_max_pm(&self, frames: &[Frame]) -> f32 {
        self.fixed_max_pm.unwrap_or_else(|| frames.iter().map(|f| f.field_max_pm).fold(0.0, f32::max))
    }
}

/// The cell being inspected.
#[derive(Resource, Default, Clone, Copy, Debug, PartialEq)]
pub struct Selected(pub Option<(usize, CellId)>);

/// Speeds the `[` and `]` keys step through, simulated days per second (the last: as fast
/// as possible).
pub const SPEEDS: [f64; 11] = [0.1, 0.25, 0.5, 1.0, 2.0, 5.0, 10.0, 20.0, 50.0, 100.0, f64::INFINITY];

/// The next speed up (`step` > 0) or down from `speed`.
pub fn next_speed(speed: f64, step: i32) -> f64 {
    let last = SPEEDS.len() as i32 - 1;
    let i = SPEEDS.iter().position(|&s| s >= speed).map_or(last, |i| i as i32);
    // Up from a speed between two steps is the higher one; down, the lower one.
    let next = match (step > 0, SPEEDS[i as usize] == speed) {
        (true, true) => i + 1,
        (true, false) => i,
        (false, _) => i - 1,
    };
    SPEEDS[next.clamp(0, last) as usize]
}

/// Takes new frames from the mailbox, never waiting for the simulation.
pub fn receive_frames(
    link: Res<Link>,
    mut current: ResMut<Current>,
    mut history: ResMut<History>,
    mut log: ResMut<Log>,
) {
    let current = &mut *current;
    if !link.0.mailbox.take(&mut current.shown) {
        return;
    }
    current.version += 1;
    let status = &current.shown.status;
    if history.generation != status.generation {
        history.generation = status.generation;
        history.lanes.clear();
    }
    history.lanes.resize_with(current.shown.new_rows.len(), Vec::new);
    for (rows, new) in history.lanes.iter_mut().zip(&current.shown.new_rows) {
        rows.extend(new.iter().cloned());
    }
    for report in &current.shown.reports {
        let line = match report {
            Report::Intervened { lane, day, what, species } => {
                let label = status.labels.get(*lane).map_or("", String::as_str);
                format!("day {day:.2}, {label}: {}", crate::controls::describe(what, *species))
            }
            Report::Refused(why) => format!("refused: {why}"),
            Report::Loaded => format!("running {}", status.labels.join(" | ")),
        };
        log.say(line);
    }
}

/// Keeps the lanes' layout in step with what is loaded.
pub fn update_layout(current: Res<Current>, mut layout: ResMut<Layout>) {
    let generation = current.shown.status.generation;
    if current.shown.frames.is_empty() || layout.generation == generation {
        return;
    }
    let sizes: Vec<(usize, usize)> = current.shown.frames.iter().map(|f| (f.width, f.height)).collect();
    *layout = Layout::side_by_side(generation, &sizes);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn speeds_step_up_and_down_and_stop_at_the_ends() {
        assert_eq!(next_speed(2.0, 1), 5.0);
        assert_eq!(next_speed(2.0, -1), 1.0);
        assert_eq!(next_speed(3.0, -1), 2.0);
        assert_eq!(next_speed(3.0, 1), 5.0);
        assert_eq!(next_speed(0.1, -1), 0.1);
        assert!(next_speed(100.0, 1).is_infinite());
        assert!(next_speed(f64::INFINITY, 1).is_infinite());
        assert_eq!(next_speed(f64::INFINITY, -1), 100.0);
    }

    #[test]
    fn the_overlay_cycles_through_every_field_and_none() {
        let mut o = Overlay::default();
        let mut seen = Vec::new();
        for _ in 0..FieldId::ALL.len() + 1 {
            o.field = o.cycled(1);
            seen.push(o.field);
        }
        assert_eq!(seen[0], Some(FieldId::Il6));
        assert_eq!(*seen.last().unwrap(), None);
        assert_eq!(o.cycled(-1), Overlay::cycle().last().copied());
        let mut all: Vec<FieldId> = seen.into_iter().flatten().collect();
        all.sort();
        assert_eq!(all, FieldId::ALL.to_vec());
    }

    #[test]
    fn lanes_lie_side_by_side_and_map_sites_both_ways() {
        let layout = Layout::side_by_side(1, &[(40, 30), (20, 50)]);
        assert_eq!(layout.lanes[1].origin, Vec2::new(40.0 + LANE_GAP_SITES, 0.0));
        let lane = layout.lanes[1];
        let centre = lane.site_centre(3.0, 7.0);
        assert_eq!(lane.to_sites(centre), Vec2::new(3.5, 7.5));
        assert!(lane.contains(centre));
        assert!(!layout.lanes[0].contains(centre));
        assert_eq!(layout.bounds(), (Vec2::new(0.0, -50.0), Vec2::new(72.0, 0.0)));
    }
}
