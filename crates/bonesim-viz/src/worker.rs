//! The simulation thread: it owns the simulations (one per lane; two side by side), steps
//! them in lockstep at the chosen speed in its own rayon pool, and hands finished frames to
//! the render thread through a [`Mailbox`].
//!
//! The render thread never waits on a tick: the mailbox holds one finished set of frames
//! behind a lock that is only ever held to swap buffers. Three sets of buffers circulate
//! (the one being written, the one in the mailbox, the one on screen) and none is allocated
//! again once they have grown to the run's size.
//!
//! Everything the viewer does to a simulation goes through a [`Command`]: the engine's own
//! API ([`Sim::step`], [`Sim::view_into`], [`Sim::intervene`]), never a copy of its rules.

use bonesim::Sim;
use bonesim::field::FieldId;
use bonesim::intervention::Intervention;
use bonesim::pharmacology::Species;
use bonesim::readout::Readouts;
use bonesim::scenario::Scenario;
use bonesim::view::Frame;
use bonesim_scenario::{InputError, Loaded};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// A scenario to run in one lane, and what to call it on screen.
#[derive(Clone, Debug)]
pub struct LaneSpec {
    /// Shown above the lane.
    pub label: String,
    /// The scenario with its source, overrides and image: what a restart starts from.
    pub loaded: Loaded,
}

/// What the render thread asks of the simulation thread.
#[derive(Clone, Debug)]
pub enum Command {
    /// Play or pause.
    SetPlaying(bool),
    /// Pause and advance every lane by this many ticks.
    Step {
        /// Ticks.
        ticks: u64,
    },
    /// Simulated days per wall-clock second; infinite: as fast as the machine allows.
    SetSpeed(f64),
    /// The field each frame carries (the overlay), or none.
    SetField(Option<FieldId>),
    /// Pause when the lanes reach this tick (once); several may be pending.
    StopAt(u64),
    /// Make an intervention in these lanes, now.
    Intervene {
        /// Lane indices.
        lanes: Vec<usize>,
        /// What to do.
        intervention: Intervention,
    },
    /// Replace every lane: a new scenario, a restart, or a side-by-side comparison.
    Load(Vec<LaneSpec>),
    /// End the thread.
    Quit,
}

/// Something the simulation thread reports besides frames.
#[derive(Clone, Debug, PartialEq)]
pub enum Report {
    /// An intervention was made in `lane` on `day`.
    Intervened {
        /// Lane index.
        lane: usize,
        /// Simulated day.
        day: f64,
        /// What was done.
        what: Intervention,
        /// The lane's patient (a dose's unit depends on it).
        species: Species,
    },
    /// Something asked for could not be done.
    Refused(String),
    /// New lanes are running (after a load or restart).
    Loaded,
}

/// The state of the simulation thread, sent with every frame.
#[derive(Clone, Debug, Default)]
pub struct Status {
    /// Stepping on its own.
    pub playing: bool,
    /// Speed asked for, simulated days per second (infinite: as fast as possible).
    pub speed_days_per_s: f64,
    /// Speed reached over the last second of play.
    pub measured_days_per_s: f64,
    /// Counts the loads: frames of an older generation belong to lanes that are gone.
    pub generation: u64,
    /// Each lane's label.
    pub labels: Vec<String>,
    /// Each lane's scenario as run so far, interventions included: run from the start,
    /// it gives the same run.
    pub scenarios: Vec<Scenario>,
    /// Ticks of the longest lane's scenario: play pauses there once.
    pub total_ticks: u64,
    /// Where play will pause next, if anywhere.
    pub stop_at: Option<u64>,
    /// The ticks play will pause at.
    pub stops: Vec<u64>,
    /// Worker threads of the simulation's pool.
    pub threads: usize,
}

/// What changes hands: a frame per lane, the status, and what happened since the last hand-over.
#[derive(Debug, Default)]
pub struct Shown {
    /// One frame per lane, all at the same tick.
    pub frames: Vec<Frame>,
    /// Each lane's readouts, as the command line writes them, refreshed a few times a
    /// second while playing (their `day` says when) and at every pause.
    pub readouts: Vec<Readouts>,
    /// The state of the simulation thread when they were made.
    pub status: Status,
    /// Readout rows per lane since the last hand-over (one per output interval of the
    /// scenario, as the command line writes them to timeseries.csv).
    pub new_rows: Vec<Vec<Readouts>>,
    /// Reports since the last hand-over.
    pub reports: Vec<Report>,
}

/// The hand-over point between the simulation thread and the render thread.
#[derive(Debug, Default)]
pub struct Mailbox {
    slot: Mutex<Slot>,
}

#[derive(Debug, Default)]
struct Slot {
    /// Holds frames the render thread has not taken yet.
    fresh: bool,
    content: Shown,
}

impl Mailbox {
    /// Leaves `made` in the mailbox, taking back the buffers that were there (frames not
    /// yet shown, or ones the render thread returned). Rows and reports accumulate until
    /// taken; those of an older generation are dropped.
    fn publish(&self, made: &mut Shown) {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.content.status.generation != made.status.generation {
            slot.content.new_rows.clear();
        }
        std::mem::swap(&mut slot.content.frames, &mut made.frames);
        slot.content.readouts.clone_from(&made.readouts);
        slot.content.status.clone_from(&made.status);
        slot.content.new_rows.resize_with(made.new_rows.len(), Vec::new);
        for (pending, rows) in slot.content.new_rows.iter_mut().zip(&mut made.new_rows) {
            pending.append(rows);
        }
        slot.content.reports.append(&mut made.reports);
        slot.fresh = true;
    }

    /// If new frames have arrived, swaps them into `shown` (giving its old buffers back for
    /// reuse) and moves the new rows and reports into it. Returns whether anything arrived.
    /// Never waits for the simulation.
    pub fn take(&self, shown: &mut Shown) -> bool {
        let mut slot = self.slot.lock().unwrap_or_else(PoisonError::into_inner);
        if !slot.fresh {
            return false;
        }
        std::mem::swap(&mut slot.content.frames, &mut shown.frames);
        shown.readouts.clone_from(&slot.content.readouts);
        shown.status.clone_from(&slot.content.status);
        shown.new_rows.resize_with(slot.content.new_rows.len(), Vec::new);
        for (rows, pending) in shown.new_rows.iter_mut().zip(&mut slot.content.new_rows) {
            rows.clear();
            rows.append(pending);
        }
        shown.reports.clear();
        shown.reports.append(&mut slot.content.reports);
        slot.fresh = false;
        true
    }
}

/// The render thread's end of the link: send commands, take frames.
#[derive(Debug)]
pub struct SimLink {
    commands: Sender<Command>,
    /// Where finished frames wait.
    pub mailbox: Arc<Mailbox>,
    thread: Option<JoinHandle<()>>,
}

impl SimLink {
    /// Sends `command`; a simulation thread that has ended is ignored (the app is closing).
    pub fn send(&self, command: Command) {
        let _ = self.commands.send(command);
    }
}

impl Drop for SimLink {
    fn drop(&mut self) {
        self.send(Command::Quit);
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// How the simulation thread starts.
#[derive(Clone, Debug)]
pub struct WorkerSettings {
    /// Threads of its rayon pool.
    pub threads: usize,
    /// Simulated days per second.
    pub speed_days_per_s: f64,
    /// Start playing.
    pub playing: bool,
    /// The field frames carry.
    pub field: Option<FieldId>,
}

/// One simulation and what it was started from.
struct Lane {
    spec: LaneSpec,
    sim: Sim,
    /// Ticks between readout rows.
    row_every: u64,
}

impl Lane {
    fn new(spec: LaneSpec) -> Result<Lane, InputError> {
        let sim = spec.loaded.build()?;
        let t = &spec.loaded.scenario.time;
        let row_every = (t.output_every_hours / t.tick_hours).round().max(1.0) as u64;
        Ok(Lane { spec, sim, row_every })
    }
}

/// Side-by-side lanes step one tick each at a time, so they must share the tick's length.
fn check_lockstep(specs: &[LaneSpec]) -> Result<(), InputError> {
    let ticks: Vec<f64> = specs.iter().map(|s| s.loaded.scenario.time.tick_hours).collect();
    match ticks.iter().any(|&t| t != ticks[0]) {
        true => Err(bonesim_scenario::input(format!(
            "side by side, the scenarios step in lockstep, one tick each at a time, so they need the same \
             time.tick_hours; these have {}",
            ticks.iter().map(|t| t.to_string()).collect::<Vec<_>>().join(" and ")
        ))),
        false => Ok(()),
    }
}

/// The simulation thread's state.
pub struct Worker {
    pool: rayon::ThreadPool,
    lanes: Vec<Lane>,
    status: Status,
    field: Option<FieldId>,
    /// Being filled, then swapped into the mailbox.
    made: Shown,
    mailbox: Arc<Mailbox>,
    /// Play started (or the speed changed) at this instant and tick.
    anchor: (Instant, u64),
    /// For the measured speed: a recent instant and tick.
    speed_probe: (Instant, u64),
    last_publish: Instant,
    /// What the last publication cost: when the simulation cannot keep up, publishing is
    /// spaced so it stays a small share of the thread's time.
    publish_cost: Duration,
    /// The tick each lane's readouts were measured at, and when.
    readouts_measured: (u64, Instant),
}

/// How often the readouts are measured while playing (they cost more than a frame).
const READOUTS_EVERY: Duration = Duration::from_millis(250);

impl Worker {
    /// Sets up the lanes (in a pool of `settings.threads`): bad scenarios are reported
    /// here, before any window opens.
    pub fn new(specs: Vec<LaneSpec>, settings: &WorkerSettings) -> Result<Worker, InputError> {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(settings.threads.max(1))
            .thread_name(|i| format!("bonesim-sim-{i}"))
            .build()
            .map_err(|e| bonesim_scenario::input(format!("cannot start the simulation threads: {e}")))?;
        check_lockstep(&specs)?;
        let lanes = pool.install(|| specs.into_iter().map(Lane::new).collect::<Result<Vec<_>, _>>())?;
        let now = Instant::now();
        let mut worker = Worker {
            pool,
            lanes,
            status: Status {
                playing: settings.playing,
                speed_days_per_s: settings.speed_days_per_s,
                threads: settings.threads.max(1),
                ..Status::default()
            },
            field: settings.field,
            made: Shown::default(),
            mailbox: Arc::new(Mailbox::default()),
            anchor: (now, 0),
            speed_probe: (now, 0),
            last_publish: now,
            publish_cost: Duration::ZERO,
            readouts_measured: (0, now),
        };
        worker.lanes_changed();
        Ok(worker)
    }

    /// The mailbox its frames go to.
    pub fn mailbox(&self) -> Arc<Mailbox> {
        self.mailbox.clone()
    }

    /// Starts the thread. Dropping the returned link ends it.
    pub fn spawn(self) -> SimLink {
        let (commands, receiver) = channel();
        let mailbox = self.mailbox();
        let thread = std::thread::Builder::new()
            .name("bonesim-sim".into())
            .spawn(move || self.run(receiver))
            .expect("the simulation thread starts");
        SimLink { commands, mailbox, thread: Some(thread) }
    }

    /// A link to a worker driven by hand (tests): commands queue up until
    /// [`ManualWorker::pump`].
    #[cfg(test)]
    pub fn manual(self) -> (SimLink, ManualWorker) {
        let (commands, receiver) = channel();
        let mailbox = self.mailbox();
        (SimLink { commands, mailbox, thread: None }, ManualWorker { worker: self, receiver })
    }

    fn tick(&self) -> u64 {
        self.lanes.first().map_or(0, |l| l.sim.tick())
    }

    fn run(mut self, receiver: Receiver<Command>) {
        self.publish();
        loop {
            // Commands first; while nothing is due, wait for one (or for the next tick).
            let wait = self.time_to_next_tick();
            let command = match wait {
                Some(d) if d.is_zero() => receiver.try_recv().ok(),
                Some(d) => match receiver.recv_timeout(d) {
                    Ok(c) => Some(c),
                    Err(RecvTimeoutError::Timeout) => None,
                    Err(RecvTimeoutError::Disconnected) => return,
                },
                None => match receiver.recv() {
                    Ok(c) => Some(c),
                    Err(_) => return,
                },
            };
            if let Some(command) = command {
                if !self.obey(command) {
                    return;
                }
                continue;
            }
            if self.time_to_next_tick().is_some_and(|d| d.is_zero()) {
                self.advance(1);
                // Behind the asked speed (or flat out): frames may take a fifth of the time.
                let behind = self.time_to_next_tick().is_some_and(|d| d.is_zero());
                let frame_rate = Duration::from_secs_f64(1.0 / 60.0);
                let interval = if behind { frame_rate.max(self.publish_cost * 4) } else { frame_rate };
                if self.last_publish.elapsed() >= interval || !self.status.playing {
                    self.publish();
                }
            }
        }
    }

    /// How long until the next tick is due; `None` when paused.
    fn time_to_next_tick(&mut self) -> Option<Duration> {
        if !self.status.playing || self.lanes.is_empty() {
            return None;
        }
        let speed = self.status.speed_days_per_s;
        if speed.is_infinite() {
            return Some(Duration::ZERO);
        }
        let tick_hours = self.lanes[0].sim.scenario().time.tick_hours;
        let ticks_per_s = speed * 24.0 / tick_hours;
        let (start, start_tick) = self.anchor;
        let done = self.tick() - start_tick;
        let due_at = start + Duration::from_secs_f64((done + 1) as f64 / ticks_per_s);
        let now = Instant::now();
        if due_at > now {
            return Some(due_at - now);
        }
        // Fallen more than half a second behind (the machine cannot keep this speed):
        // forget the debt rather than race to repay it.
        if (now - due_at).as_secs_f64() * ticks_per_s > (ticks_per_s * 0.5).max(1.0) {
            self.anchor = (now, self.tick());
        }
        Some(Duration::ZERO)
    }

    /// Carries out `command`; returns false to stop the thread.
    fn obey(&mut self, command: Command) -> bool {
        match command {
            Command::SetPlaying(on) => self.set_playing(on),
            Command::Step { ticks } => {
                self.set_playing(false);
                self.advance(ticks);
            }
            Command::SetSpeed(speed) => {
                self.status.speed_days_per_s = speed;
                self.anchor = (Instant::now(), self.tick());
            }
            Command::SetField(field) => self.field = field,
            Command::StopAt(tick) => {
                if tick > self.tick() && !self.status.stops.contains(&tick) {
                    self.status.stops.push(tick);
                    self.status.stops.sort_unstable();
                }
                self.status.stop_at = self.status.stops.first().copied();
            }
            Command::Intervene { lanes, intervention } => self.intervene(&lanes, &intervention),
            Command::Load(specs) => self.load(specs),
            Command::Quit => return false,
        }
        self.publish();
        true
    }

    fn set_playing(&mut self, on: bool) {
        if on && !self.status.playing {
            self.anchor = (Instant::now(), self.tick());
            self.speed_probe = self.anchor;
        }
        self.status.playing = on;
    }

    fn intervene(&mut self, lanes: &[usize], intervention: &Intervention) {
        for &i in lanes {
            let Some(lane) = self.lanes.get_mut(i) else { continue };
            let report = match lane.sim.intervene(intervention) {
                Ok(()) => Report::Intervened {
                    lane: i,
                    day: lane.sim.day(),
                    what: intervention.clone(),
                    species: lane.sim.scenario().patient.species,
                },
                Err(e) => Report::Refused(format!("{}: {e}", lane.spec.label)),
            };
            self.made.reports.push(report);
        }
        self.status.scenarios = self.lanes.iter().map(|l| l.sim.scenario().clone()).collect();
    }

    fn load(&mut self, specs: Vec<LaneSpec>) {
        let built = check_lockstep(&specs)
            .and_then(|()| self.pool.install(|| specs.into_iter().map(Lane::new).collect::<Result<Vec<_>, _>>()));
        match built {
            Ok(lanes) => {
                self.lanes = lanes;
                self.status.stops.clear();
                self.status.stop_at = None;
                self.lanes_changed();
                self.made.reports.push(Report::Loaded);
            }
            Err(e) => self.made.reports.push(Report::Refused(e.to_string())),
        }
    }

    /// New lanes: a new generation, and the first readout row of each.
    fn lanes_changed(&mut self) {
        self.status.generation += 1;
        self.status.labels = self.lanes.iter().map(|l| l.spec.label.clone()).collect();
        self.status.scenarios = self.lanes.iter().map(|l| l.sim.scenario().clone()).collect();
        self.status.total_ticks = self.lanes.iter().map(|l| l.sim.total_ticks()).max().unwrap_or(0);
        self.made.readouts = self.lanes.iter().map(|l| l.sim.readouts()).collect();
        self.made.new_rows = self.made.readouts.iter().map(|r| vec![r.clone()]).collect();
        self.readouts_measured = (0, Instant::now());
        self.anchor = (Instant::now(), 0);
        self.speed_probe = self.anchor;
    }

    /// Steps every lane `ticks` ticks (one tick of each at a time), recording readout rows
    /// on the scenario's output schedule; pauses at the stop tick and at the scenario's end.
    fn advance(&mut self, ticks: u64) {
        for _ in 0..ticks {
            let lanes = &mut self.lanes;
            self.pool.install(|| lanes.iter_mut().for_each(|l| l.sim.step()));
            self.made.new_rows.resize_with(self.lanes.len(), Vec::new);
            self.made.readouts.resize_with(self.lanes.len(), Readouts::default);
            let made = &mut self.made;
            for ((lane, rows), now) in self.lanes.iter().zip(&mut made.new_rows).zip(&mut made.readouts) {
                if lane.sim.tick().is_multiple_of(lane.row_every) {
                    *now = lane.sim.readouts();
                    rows.push(now.clone());
                    self.readouts_measured = (lane.sim.tick(), Instant::now());
                }
            }
            let tick = self.tick();
            let stop = self.status.stops.contains(&tick);
            self.status.stops.retain(|&t| t > tick);
            self.status.stop_at = self.status.stops.first().copied();
            if stop || tick == self.status.total_ticks {
                self.set_playing(false);
                break;
            }
        }
        let (since, tick0) = self.speed_probe;
        let elapsed = since.elapsed().as_secs_f64();
        if elapsed >= 1.0 && self.status.playing {
            let tick_hours = self.lanes.first().map_or(1.0, |l| l.sim.scenario().time.tick_hours);
            self.status.measured_days_per_s = (self.tick() - tick0) as f64 * tick_hours / 24.0 / elapsed;
            self.speed_probe = (Instant::now(), self.tick());
        }
    }

    /// Draws every lane's frame (and, when due, measures its readouts) and leaves them in
    /// the mailbox.
    fn publish(&mut self) {
        let start = Instant::now();
        let field = self.field;
        let tick = self.tick();
        let (measured_tick, measured_at) = self.readouts_measured;
        let measure = measured_tick != tick && (!self.status.playing || measured_at.elapsed() >= READOUTS_EVERY);
        self.made.frames.resize_with(self.lanes.len(), Frame::default);
        self.made.readouts.resize_with(self.lanes.len(), Readouts::default);
        let lanes = &self.lanes;
        let (frames, readouts) = (&mut self.made.frames, &mut self.made.readouts);
        self.pool.install(|| {
            use rayon::prelude::*;
            lanes.par_iter().zip(frames.par_iter_mut()).zip(readouts.par_iter_mut()).for_each(|((l, f), r)| {
                l.sim.view_into(field, f);
                if measure {
                    *r = l.sim.readouts();
                }
            });
        });
        if measure {
            self.readouts_measured = (tick, Instant::now());
        }
        self.made.status.clone_from(&self.status);
        self.mailbox.publish(&mut self.made);
        self.last_publish = Instant::now();
        self.publish_cost = self.last_publish - start;
    }
}

/// A worker stepped by hand, for tests: no thread, no clock.
#[cfg(test)]
pub struct ManualWorker {
    worker: Worker,
    receiver: Receiver<Command>,
}

#[cfg(test)]
impl ManualWorker {
    /// Carries out every queued command, then (if playing) steps `ticks` ticks, and
    /// publishes.
    pub fn pump(&mut self, ticks: u64) {
        while let Ok(command) = self.receiver.try_recv() {
            self.worker.obey(command);
        }
        if self.worker.status.playing && ticks > 0 {
            self.worker.advance(ticks);
        }
        self.worker.publish();
    }

    /// The lanes' simulations.
    pub fn sims(&self) -> Vec<&Sim> {
        self.worker.lanes.iter().map(|l| &l.sim).collect()
    }

    /// The state it would send.
    pub fn status(&self) -> &Status {
        &self.worker.status
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bonesim_scenario::{Override, Source, load};

    pub(crate) fn spec(name: &str, sets: &[(&str, &str)]) -> LaneSpec {
        let mut overrides: Vec<Override> = sets.iter().map(|(k, v)| Override::from_set(k, v).unwrap()).collect();
        overrides.push(Override::from_set("domain.width", "40").unwrap());
        overrides.push(Override::from_set("domain.height", "32").unwrap());
        let loaded = load(Source::open(name).unwrap(), overrides, None).unwrap();
        LaneSpec { label: name.into(), loaded }
    }

    fn settings(playing: bool) -> WorkerSettings {
        WorkerSettings { threads: 1, speed_days_per_s: f64::INFINITY, playing, field: Some(FieldId::Il6) }
    }

    #[test]
    fn frames_change_hands_without_new_buffers() {
        let worker = Worker::new(vec![spec("homeostasis", &[])], &settings(true)).unwrap();
        let (link, mut manual) = worker.manual();
        let mut shown = Shown::default();
        assert!(!link.mailbox.take(&mut shown), "nothing published yet");
        manual.pump(0);
        assert!(link.mailbox.take(&mut shown));
        assert!(!link.mailbox.take(&mut shown), "taken once only");
        assert_eq!(shown.frames[0].tick, 0);
        assert_eq!(shown.new_rows[0].len(), 1, "day 0's row");
        let first = shown.frames[0].sites.as_ptr();
        // Three buffers circulate: after two more hand-overs the first comes back.
        let mut seen = vec![first];
        for _ in 0..4 {
            manual.pump(12);
            assert!(link.mailbox.take(&mut shown));
            seen.push(shown.frames[0].sites.as_ptr());
        }
        seen.sort();
        seen.dedup();
        assert!(seen.len() <= 3, "{} distinct buffers", seen.len());
        assert_eq!(shown.frames[0].tick, 48);
        assert_eq!(shown.frames[0].field_pm.len(), 40 * 32);
    }

    #[test]
    fn rows_accumulate_until_taken_and_match_the_engine() {
        let worker = Worker::new(vec![spec("homeostasis", &[])], &settings(true)).unwrap();
        let (link, mut manual) = worker.manual();
        for _ in 0..5 {
            manual.pump(24);
        }
        let mut shown = Shown::default();
        assert!(link.mailbox.take(&mut shown));
        let rows = &shown.new_rows[0];
        assert_eq!(rows.iter().map(|r| r.day).collect::<Vec<_>>(), vec![0.0, 1.0, 2.0, 3.0, 4.0, 5.0]);
        // The same numbers as the engine run on its own (what `bonesim run` writes).
        let mut sim = spec("homeostasis", &[]).loaded.build().unwrap();
        for _ in 0..5 * 24 {
            sim.step();
        }
        assert_eq!(rows[5], sim.readouts());
        assert_eq!(shown.readouts[0], sim.readouts());
    }

    #[test]
    fn lanes_step_in_lockstep_and_interventions_reach_the_chosen_lane() {
        let specs = vec![spec("homeostasis", &[]), spec("homeostasis", &[("patient.estrogen", "0")])];
        let worker = Worker::new(specs, &settings(false)).unwrap();
        let (link, mut manual) = worker.manual();
        link.send(Command::Step { ticks: 30 });
        let lps = bonesim::scenario::InflammationEvent::default();
        link.send(Command::Intervene { lanes: vec![1], intervention: Intervention::Inflammation(lps) });
        link.send(Command::Step { ticks: 7 });
        manual.pump(0);
        let mut shown = Shown::default();
        assert!(link.mailbox.take(&mut shown));
        assert_eq!(shown.frames.iter().map(|f| f.tick).collect::<Vec<_>>(), vec![37, 37]);
        assert_eq!(shown.status.scenarios[0].inflammation.len(), 0);
        assert_eq!(shown.status.scenarios[1].inflammation[0].day, 30.0 / 24.0);
        assert!(matches!(&shown.reports[..], [Report::Intervened { lane: 1, .. }]), "{:?}", shown.reports);
        assert!(!shown.status.playing, "stepping pauses");
    }

    #[test]
    fn play_stops_at_the_stop_tick_and_at_the_end() {
        let worker = Worker::new(vec![spec("homeostasis", &[("time.days", "2")])], &settings(true)).unwrap();
        let (link, mut manual) = worker.manual();
        link.send(Command::StopAt(10));
        link.send(Command::StopAt(20));
        manual.pump(100);
        assert_eq!(manual.sims()[0].tick(), 10);
        assert!(!manual.status().playing);
        assert_eq!(manual.status().stop_at, Some(20));
        link.send(Command::SetPlaying(true));
        manual.pump(100);
        assert_eq!(manual.sims()[0].tick(), 20);
        link.send(Command::SetPlaying(true));
        manual.pump(100);
        assert_eq!(manual.sims()[0].tick(), 48, "the scenario's end");
        assert!(!manual.status().playing);
    }

    #[test]
    fn a_bad_load_keeps_the_running_lanes() {
        let worker = Worker::new(vec![spec("homeostasis", &[])], &settings(false)).unwrap();
        let (link, mut manual) = worker.manual();
        let other = spec("homeostasis", &[("time.tick_hours", "2")]);
        link.send(Command::Load(vec![spec("homeostasis", &[]), other]));
        manual.pump(0);
        let mut shown = Shown::default();
        link.mailbox.take(&mut shown);
        assert_eq!(shown.frames.len(), 1);
        match &shown.reports[..] {
            [Report::Refused(why)] => assert!(why.contains("time.tick_hours"), "{why}"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn the_thread_plays_at_the_asked_speed() {
        let settings = WorkerSettings { speed_days_per_s: 2.0, ..settings(true) };
        let link = Worker::new(vec![spec("homeostasis", &[("time.days", "30")])], &settings).unwrap().spawn();
        std::thread::sleep(Duration::from_millis(1500));
        let mut shown = Shown::default();
        assert!(link.mailbox.take(&mut shown));
        // 1.5 s at 2 days/s is 72 ticks; allow for start-up and a slow, shared machine.
        let tick = shown.frames[0].tick;
        assert!((30..=74).contains(&tick), "tick {tick} after 1.5 s at 2 days/s");
        link.send(Command::SetPlaying(false));
        std::thread::sleep(Duration::from_millis(200));
        link.mailbox.take(&mut shown);
        let paused = shown.frames[0].tick;
        std::thread::sleep(Duration::from_millis(300));
        link.mailbox.take(&mut shown);
        assert_eq!(shown.frames[0].tick, paused, "paused means paused");
    }
}
