//! The output folder of a run and the tabular files in it.
//!
//! A run writes into a folder next to its destination, `.NAME.partial`, and renames it to
//! the destination only when everything is written, so a folder under the destination's
//! name is always complete (or, for a run that failed, holds what was written up to the
//! failure and a `summary.json` that says so). The partial folder holds a lock file while
//! a process writes it, and, when the run checkpoints, `checkpoint.bin`: a run killed at any
//! moment leaves the partial folder with its last checkpoint, and the next run to the same
//! destination resumes from it (or, if there is none or it belongs to another scenario,
//! says so and removes it). Nothing is left behind that a later run does not explain.

use crate::error::input;
use anyhow::{Context, Result};
use bonesim::Readouts;
use serde::Serialize;
use std::fs::{self, File};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Name of the checkpoint in a partial folder.
pub const CHECKPOINT: &str = "checkpoint.bin";
/// Name of the lock file in a partial folder.
const LOCK: &str = ".lock";
/// Longest folder name accepted: the file system's 255 bytes, less `.` and `.partial`.
const MAX_NAME_BYTES: usize = 255 - ".".len() - ".partial".len();

/// Refuses a destination that is no folder name, too long a name, or one that exists
/// (unless it may be replaced).
pub fn check_destination(destination: &Path, replace: bool) -> Result<()> {
    let Some(name) = destination.file_name() else {
        return Err(input(format!("--out {}: not a folder name", destination.display())));
    };
    if name.len() > MAX_NAME_BYTES {
        return Err(input(format!(
            "--out {}: the folder name is {} bytes long; at most {MAX_NAME_BYTES} are allowed (file systems \
             take 255, and bonesim writes under .NAME.partial first)",
            destination.display(),
            name.len()
        )));
    }
    if destination.exists() && !replace {
        return Err(input(format!(
            "the output folder {} already exists (give --force to replace it, or choose another with --out)",
            destination.display()
        )));
    }
    if replace && destination.exists() && !destination.is_dir() {
        return Err(input(format!("{} exists and is not a folder", destination.display())));
    }
    Ok(())
}

/// The folder a run writes before it is renamed to `destination`.
pub fn partial_path(destination: &Path) -> PathBuf {
    let name = destination.file_name().unwrap_or_default().to_string_lossy();
    parent_of(destination).join(format!(".{name}.partial"))
}

/// The folder `path` is in (`.` for a bare name).
fn parent_of(path: &Path) -> PathBuf {
    match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

/// Whether an I/O error is the user's to fix (a path that cannot be written), not a fault.
fn is_bad_path(e: &std::io::Error) -> bool {
    use std::io::ErrorKind::*;
    matches!(
        e.kind(),
        PermissionDenied | ReadOnlyFilesystem | NotADirectory | InvalidFilename | InvalidInput | AlreadyExists
    )
}

/// A partial folder, locked by this process, renamed into place by [`RunFolder::commit`].
#[derive(Debug)]
pub struct RunFolder {
    destination: PathBuf,
    partial: PathBuf,
    replace: bool,
    committed: bool,
    /// Held for the folder's life: another process cannot take the same folder.
    _lock: File,
}

impl RunFolder {
    /// Creates (or takes over) the partial folder of `destination` and locks it. A folder
    /// another live process holds is refused; one left by a process that is gone is taken
    /// over as it is (see [`RunFolder::checkpoint`]); `.NAME.partial-PID` folders of older
    /// versions whose process is gone are removed. `notify` hears what was found.
    pub fn open(destination: &Path, replace: bool, notify: &dyn Fn(String)) -> Result<RunFolder> {
        check_destination(destination, replace)?;
        let parent = parent_of(destination);
        let made = fs::create_dir_all(&parent);
        if let Err(e) = made {
            let err = anyhow::Error::new(e).context(format!("cannot create the folder {}", parent.display()));
            return Err(if err.downcast_ref::<std::io::Error>().is_some_and(is_bad_path) {
                input(format!("--out {}: {err:#}", destination.display()))
            } else {
                err
            });
        }
        remove_legacy_partials(destination, notify);
        let partial = partial_path(destination);
        match fs::create_dir(&partial) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && partial.is_dir() => {}
            Err(e) => {
                let message = format!("--out {}: cannot create {}: {e}", destination.display(), partial.display());
                // The parent exists (it was just made): a path that cannot hold a folder.
                return Err(
                    if is_bad_path(&e) || e.kind() == std::io::ErrorKind::NotFound || e.raw_os_error() == Some(36) {
                        input(message)
                    } else {
                        anyhow::anyhow!(message)
                    },
                );
            }
        }
        let lock_path = partial.join(LOCK);
        let lock = File::options()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&lock_path)
            .with_context(|| format!("cannot create {}", lock_path.display()))?;
        if let Err(e) = lock.try_lock() {
            return Err(match e {
                fs::TryLockError::WouldBlock => input(format!(
                    "another bonesim process is writing {} (the run to {}): wait for it, or stop it first",
                    partial.display(),
                    destination.display()
                )),
                fs::TryLockError::Error(e) => {
                    anyhow::Error::new(e).context(format!("cannot lock {}", lock_path.display()))
                }
            });
        }
        Ok(RunFolder { destination: destination.to_path_buf(), partial, replace, committed: false, _lock: lock })
    }

    /// Where files are written until the commit.
    pub fn path(&self) -> &Path {
        &self.partial
    }

    /// The destination.
    pub fn destination(&self) -> &Path {
        &self.destination
    }

    /// A file in the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.partial.join(name)
    }

    /// The checkpoint an interrupted run left here, if any.
    pub fn checkpoint(&self) -> Option<PathBuf> {
        Some(self.file(CHECKPOINT)).filter(|p| p.is_file())
    }

    /// Whether the folder holds anything but its lock.
    pub fn has_leftovers(&self) -> bool {
        fs::read_dir(&self.partial).map(|d| d.flatten().any(|e| e.file_name() != LOCK)).unwrap_or(false)
    }

    /// Removes everything but the lock: a fresh start.
    pub fn clear(&self) -> Result<()> {
        for entry in fs::read_dir(&self.partial).with_context(|| format!("cannot list {}", self.partial.display()))? {
            let entry = entry?;
            if entry.file_name() == LOCK {
                continue;
            }
            let path = entry.path();
            let removed = if path.is_dir() { fs::remove_dir_all(&path) } else { fs::remove_file(&path) };
            removed.with_context(|| format!("cannot remove {}", path.display()))?;
        }
        Ok(())
    }

    /// Renames the folder into place (without its checkpoint and lock), replacing an
    /// existing destination if allowed.
    pub fn commit(mut self) -> Result<PathBuf> {
        for name in [CHECKPOINT, &format!("{CHECKPOINT}.tmp"), LOCK] {
            let path = self.file(name);
            if path.exists() {
                fs::remove_file(&path).with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        let old = self.destination.exists().then(|| {
            let mut old = self.partial.clone().into_os_string();
            old.push(".old");
            PathBuf::from(old)
        });
        if let Some(old) = &old {
            if !self.replace {
                return Err(input(format!("the output folder {} appeared during the run", self.destination.display())));
            }
            fs::rename(&self.destination, old)
                .with_context(|| format!("cannot move the old {} aside", self.destination.display()))?;
        }
        if let Err(e) = fs::rename(&self.partial, &self.destination) {
            if let Some(old) = &old {
                // Put the old folder back: better the old results than none.
                let _ = fs::rename(old, &self.destination);
            }
            return Err(e).with_context(|| format!("cannot rename the results to {}", self.destination.display()));
        }
        self.committed = true;
        crate::checkpoint::sync_folder(&parent_of(&self.destination))?;
        if let Some(old) = old {
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove the old results in {}", old.display()))?;
        }
        Ok(self.destination.clone())
    }
}

impl Drop for RunFolder {
    /// A run that stops without committing removes its folder, unless it has a checkpoint
    /// to resume from (then the next run to the same destination resumes it).
    fn drop(&mut self) {
        if !self.committed && self.checkpoint().is_none() {
            let _ = fs::remove_dir_all(&self.partial);
        }
    }
}

/// Removes `.NAME.partial-PID` folders (written by bonesim before checkpoints) whose process
/// is gone.
fn remove_legacy_partials(destination: &Path, notify: &dyn Fn(String)) {
    let name = destination.file_name().unwrap_or_default().to_string_lossy();
    let prefix = format!(".{name}.partial-");
    let Ok(entries) = fs::read_dir(parent_of(destination)) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name().to_string_lossy().into_owned();
        let Some(pid) = file_name.strip_prefix(&prefix).and_then(|p| p.parse::<u32>().ok()) else { continue };
        let alive = Path::new("/proc").join(pid.to_string()).exists() || !Path::new("/proc/self").exists();
        if !alive && fs::remove_dir_all(entry.path()).is_ok() {
            notify(format!(
                "removed {}: the remains of a run to the same folder whose process ({pid}) is gone",
                entry.path().display()
            ));
        }
    }
}

/// A number as written in outputs: Rust's shortest representation that reads back to the
/// same `f64`, so files are byte-identical whenever the values are bit-identical.
pub fn number(value: f64) -> String {
    format!("{value}")
}

/// `timeseries.csv`: a header from [`Readouts::columns`], then one row per call.
pub struct Timeseries {
    path: PathBuf,
    writer: csv::Writer<BufWriter<File>>,
    header: Option<Vec<String>>,
    /// Rows written.
    pub rows: usize,
}

impl Timeseries {
    /// Creates the file.
    pub fn create(path: &Path) -> Result<Timeseries> {
        let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Timeseries {
            path: path.to_path_buf(),
            writer: csv::Writer::from_writer(BufWriter::new(file)),
            header: None,
            rows: 0,
        })
    }

    /// Reopens a file a checkpoint recorded at `bytes` long with `rows` rows: anything
    /// written after the checkpoint is cut off, and rows go on from there.
    pub fn resume(path: &Path, bytes: u64, rows: usize, header: Vec<String>) -> Result<Timeseries> {
        let file = File::options().write(true).open(path).with_context(|| format!("cannot open {}", path.display()))?;
        let length = file.metadata().with_context(|| format!("cannot read {}", path.display()))?.len();
        if length < bytes {
            anyhow::bail!("{} is {length} bytes, shorter than the {bytes} its checkpoint recorded", path.display());
        }
        file.set_len(bytes).with_context(|| format!("cannot cut {} back to its checkpoint", path.display()))?;
        let file =
            File::options().append(true).open(path).with_context(|| format!("cannot open {}", path.display()))?;
        Ok(Timeseries {
            path: path.to_path_buf(),
            writer: csv::Writer::from_writer(BufWriter::new(file)),
            header: (rows > 0).then_some(header),
            rows,
        })
    }

    /// Writes one row (and the header before the first).
    pub fn write(&mut self, readouts: &Readouts) -> Result<()> {
        let columns = readouts.columns();
        let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
        let context = || format!("cannot write {}", self.path.display());
        match &self.header {
            None => {
                self.writer.write_record(&names).with_context(context)?;
                self.header = Some(names);
            }
            Some(header) if *header != names => {
                anyhow::bail!("the engine's readout columns changed during the run")
            }
            Some(_) => {}
        }
        self.writer.write_record(columns.iter().map(|(_, v)| number(*v))).with_context(context)?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes what is written to disk; returns the file's length.
    pub fn sync(&mut self) -> Result<u64> {
        let context = || format!("cannot write {}", self.path.display());
        self.writer.flush().with_context(context)?;
        let file = self.writer.get_ref().get_ref();
        file.sync_data().with_context(context)?;
        Ok(file.metadata().with_context(context)?.len())
    }

    /// Flushes the file.
    pub fn finish(mut self) -> Result<()> {
        self.sync().map(|_| ())
    }
}

/// Name/value pairs serialized as a JSON object in their order.
pub struct Ordered(pub Vec<(String, f64)>);

impl Serialize for Ordered {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
    }
}

/// `summary.json`.
#[derive(Serialize)]
pub struct Summary {
    /// `complete`, or `failed` (then `error` says why, and the readouts are the last ones
    /// written before the failure).
    pub status: &'static str,
    /// Why the run failed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<String>,
    /// The scenario's name.
    pub scenario: String,
    /// The scenario's description.
    pub description: String,
    /// Where the scenario came from: a file path or `bundled:NAME`.
    pub source: String,
    /// The command-line overrides, as given.
    pub overrides: Vec<String>,
    /// Seed of the run.
    pub seed: u64,
    /// Engine version.
    pub version: &'static str,
    /// Simulated days.
    pub days: f64,
    /// Ticks run.
    pub ticks: u64,
    /// Hours per tick.
    pub tick_hours: f64,
    /// Lattice size, sites.
    pub width: usize,
    /// Lattice size, sites.
    pub height: usize,
    /// Worker threads.
    pub threads: usize,
    /// none, osteolytic, osteoblastic or mixed.
    pub lesion: &'static str,
    /// Days at which the run was resumed from a checkpoint.
    pub resumed_on_days: Vec<f64>,
    /// The readouts at the end, by column name.
    #[serde(rename = "final")]
    pub final_readouts: Ordered,
    /// Wall time of the run (setup, ticks and outputs), seconds.
    pub wall_seconds: f64,
    /// Simulated days per wall second over the ticks.
    pub sim_days_per_second: f64,
    /// Wall time per phase of the tick, seconds.
    pub phase_seconds: Ordered,
    /// The `[parameters]` table in force.
    pub parameters_overridden: std::collections::BTreeMap<String, f64>,
    /// Files of the output folder.
    pub files: Vec<String>,
}

impl Summary {
    /// Writes the summary as pretty JSON.
    pub fn write(&self, path: &Path) -> Result<()> {
        let mut text = serde_json::to_string_pretty(self)?;
        text.push('\n');
        let write = || -> std::io::Result<()> {
            let mut file = File::create(path)?;
            file.write_all(text.as_bytes())?;
            file.sync_all()
        };
        write().with_context(|| format!("cannot write {}", path.display()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_round_trip() {
        assert_eq!(number(3.0), "3");
        assert_eq!(number(0.1 + 0.2), "0.30000000000000004");
        for v in [0.2_f64, 1e-300, 123456.789, -0.0] {
            assert_eq!(number(v).parse::<f64>().unwrap().to_bits(), v.to_bits());
        }
    }

    #[test]
    fn a_folder_appears_only_on_commit_and_a_dropped_one_vanishes() {
        let root = tempfile::tempdir().unwrap();
        let dest = root.path().join("sub/run");
        let quiet = |_: String| {};
        let out = RunFolder::open(&dest, false, &quiet).unwrap();
        fs::write(out.file("a.txt"), "a").unwrap();
        assert!(!dest.exists());
        let tmp = out.path().to_path_buf();
        drop(out);
        assert!(!tmp.exists() && !dest.exists());

        let out = RunFolder::open(&dest, false, &quiet).unwrap();
        fs::write(out.file("a.txt"), "a").unwrap();
        out.commit().unwrap();
        assert!(dest.join("a.txt").exists());
        assert_eq!(names(&dest), vec!["a.txt"], "no lock or checkpoint in the results");
        assert!(RunFolder::open(&dest, false, &quiet).is_err());

        let out = RunFolder::open(&dest, true, &quiet).unwrap();
        fs::write(out.file("b.txt"), "b").unwrap();
        out.commit().unwrap();
        assert!(dest.join("b.txt").exists() && !dest.join("a.txt").exists());
        assert_eq!(fs::read_dir(root.path().join("sub")).unwrap().count(), 1, "no leftovers");
    }

    fn names(dir: &Path) -> Vec<String> {
        let mut v: Vec<String> =
            fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name().into_string().unwrap()).collect();
        v.sort();
        v
    }

    #[test]
    fn a_folder_with_a_checkpoint_survives_and_a_held_one_is_refused() {
        let root = tempfile::tempdir().unwrap();
        let dest = root.path().join("run");
        let quiet = |_: String| {};
        let out = RunFolder::open(&dest, false, &quiet).unwrap();
        let err = RunFolder::open(&dest, false, &quiet).unwrap_err();
        assert!(format!("{err}").contains("another bonesim process is writing"), "{err}");
        assert_eq!(crate::error::exit_code(&err), 2);
        fs::write(out.file(CHECKPOINT), "x").unwrap();
        drop(out);
        let again = RunFolder::open(&dest, false, &quiet).unwrap();
        assert!(again.checkpoint().is_some() && again.has_leftovers());
        again.clear().unwrap();
        assert!(!again.has_leftovers());
    }

    #[test]
    fn legacy_partial_folders_of_dead_processes_are_removed_with_a_note() {
        let root = tempfile::tempdir().unwrap();
        let dest = root.path().join("run");
        // No process has pid u32::MAX - 1; this process is alive.
        let dead = root.path().join(format!(".run.partial-{}", u32::MAX - 1));
        let alive = root.path().join(format!(".run.partial-{}", std::process::id()));
        fs::create_dir(&dead).unwrap();
        fs::create_dir(&alive).unwrap();
        let heard = std::cell::RefCell::new(Vec::new());
        let out = RunFolder::open(&dest, false, &|m| heard.borrow_mut().push(m)).unwrap();
        assert!(!dead.exists() && alive.exists());
        assert!(heard.borrow()[0].contains("whose process (4294967294) is gone"), "{:?}", heard.borrow());
        drop(out);
    }

    #[test]
    fn over_long_and_unwritable_destinations_are_bad_input() {
        let root = tempfile::tempdir().unwrap();
        let quiet = |_: String| {};
        let long = root.path().join("x".repeat(300));
        let err = RunFolder::open(&long, false, &quiet).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 2, "{err:#}");
        assert!(format!("{err}").contains("300 bytes long"), "{err}");
        let file = root.path().join("file");
        fs::write(&file, "").unwrap();
        let err = RunFolder::open(&file.join("run"), false, &quiet).unwrap_err();
        assert_eq!(crate::error::exit_code(&err), 2, "{err:#}");
    }

    #[test]
    fn a_write_error_names_the_file() {
        // /dev/full fails every write with "no space left on device".
        let path = Path::new("/dev/full");
        if !path.exists() {
            return;
        }
        let mut ts = Timeseries::create(path).unwrap();
        let readouts = Readouts::default();
        let err = ts.write(&readouts).and_then(|_| ts.sync()).unwrap_err();
        let text = format!("{err:#}");
        assert!(text.contains("cannot write /dev/full") && text.contains("No space left"), "{text}");
    }
}
