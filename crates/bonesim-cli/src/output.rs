//! The output folder of a run and the tabular files in it.
//!
//! A run writes into a temporary folder next to the destination (`.NAME.partial-PID`) and
//! renames it to the destination only when everything is written, so a folder under the
//! destination's name is always complete. If the run fails (or panics) the temporary folder
//! is removed. An interrupted process (SIGKILL, Ctrl-C) can leave the temporary folder, never
//! a half-written destination.

use crate::error::input;
use anyhow::{Context, Result};
use bonesim::Readouts;
use serde::Serialize;
use std::fs::{self, File};
use std::io::BufWriter;
use std::path::{Path, PathBuf};

/// A folder being written, renamed into place by [`OutputDir::commit`].
#[derive(Debug)]
pub struct OutputDir {
    destination: PathBuf,
    temporary: PathBuf,
    replace: bool,
    committed: bool,
}

/// Refuses an existing destination unless it may be replaced.
pub fn check_destination(destination: &Path, replace: bool) -> Result<()> {
    if destination.file_name().is_none() {
        return Err(input(format!("--out {}: not a folder name", destination.display())));
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

impl OutputDir {
    /// Creates the temporary folder for `destination`.
    pub fn create(destination: &Path, replace: bool) -> Result<OutputDir> {
        check_destination(destination, replace)?;
        let name = destination.file_name().unwrap_or_default().to_string_lossy().into_owned();
        let parent = match destination.parent() {
            Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
            _ => PathBuf::from("."),
        };
        fs::create_dir_all(&parent).with_context(|| format!("cannot create {}", parent.display()))?;
        let temporary = parent.join(format!(".{name}.partial-{}", std::process::id()));
        if temporary.exists() {
            fs::remove_dir_all(&temporary).with_context(|| format!("cannot remove {}", temporary.display()))?;
        }
        fs::create_dir(&temporary).with_context(|| format!("cannot create {}", temporary.display()))?;
        Ok(OutputDir { destination: destination.to_path_buf(), temporary, replace, committed: false })
    }

    /// Where files are written until the commit.
    pub fn path(&self) -> &Path {
        &self.temporary
    }

    /// A file in the folder.
    pub fn file(&self, name: &str) -> PathBuf {
        self.temporary.join(name)
    }

    /// Renames the folder into place, replacing an existing destination if allowed.
    pub fn commit(mut self) -> Result<PathBuf> {
        let old = self.destination.exists().then(|| {
            let mut old = self.temporary.clone().into_os_string();
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
        if let Err(e) = fs::rename(&self.temporary, &self.destination) {
            if let Some(old) = &old {
                // Put the old folder back: better the old results than none.
                let _ = fs::rename(old, &self.destination);
            }
            return Err(e).with_context(|| format!("cannot rename the results to {}", self.destination.display()));
        }
        self.committed = true;
        if let Some(old) = old {
            fs::remove_dir_all(&old).with_context(|| format!("cannot remove the old results in {}", old.display()))?;
        }
        Ok(self.destination.clone())
    }
}

impl Drop for OutputDir {
    fn drop(&mut self) {
        if !self.committed {
            let _ = fs::remove_dir_all(&self.temporary);
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
    writer: csv::Writer<BufWriter<File>>,
    header: Option<Vec<String>>,
    /// Rows written.
    pub rows: usize,
}

impl Timeseries {
    /// Creates the file.
    pub fn create(path: &Path) -> Result<Timeseries> {
        let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
        Ok(Timeseries { writer: csv::Writer::from_writer(BufWriter::new(file)), header: None, rows: 0 })
    }

    /// Writes one row (and the header before the first).
    pub fn write(&mut self, readouts: &Readouts) -> Result<()> {
        let columns = readouts.columns();
        let names: Vec<String> = columns.iter().map(|(n, _)| n.clone()).collect();
        match &self.header {
            None => {
                self.writer.write_record(&names)?;
                self.header = Some(names);
            }
            Some(header) if *header != names => {
                anyhow::bail!("the engine's readout columns changed during the run")
            }
            Some(_) => {}
        }
        self.writer.write_record(columns.iter().map(|(_, v)| number(*v)))?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes the file.
    pub fn finish(mut self) -> Result<()> {
        self.writer.flush()?;
        Ok(())
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
        fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
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
        let out = OutputDir::create(&dest, false).unwrap();
        fs::write(out.file("a.txt"), "a").unwrap();
        assert!(!dest.exists());
        let tmp = out.path().to_path_buf();
        drop(out);
        assert!(!tmp.exists() && !dest.exists());

        let out = OutputDir::create(&dest, false).unwrap();
        fs::write(out.file("a.txt"), "a").unwrap();
        out.commit().unwrap();
        assert!(dest.join("a.txt").exists());
        assert!(OutputDir::create(&dest, false).is_err());

        let out = OutputDir::create(&dest, true).unwrap();
        fs::write(out.file("b.txt"), "b").unwrap();
        out.commit().unwrap();
        assert!(dest.join("b.txt").exists() && !dest.join("a.txt").exists());
        assert_eq!(fs::read_dir(root.path().join("sub")).unwrap().count(), 1, "no leftovers");
    }
}
