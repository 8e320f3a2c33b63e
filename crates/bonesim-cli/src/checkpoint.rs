//! Checkpoints: the whole state of a run in one file, written so that a crash at any moment
//! leaves either the old checkpoint or the new one, never a torn one.
//!
//! Layout (all integers little-endian):
//!
//! ```text
//! "bonesim checkpoint\n"   magic, 19 bytes
//! u32                      checkpoint format version (FORMAT_VERSION)
//! u32 + bytes              engine version (bonesim::VERSION), UTF-8
//! u64                      body length, bytes
//! u32                      CRC-32 of the body
//! body                     MessagePack: the run's progress, then the engine's `Sim`
//! ```
//!
//! The header is read by hand, so a checkpoint of any other version is recognised and
//! refused with a message that names both versions. MessagePack keeps every value's type and
//! every struct's length, so a body whose layout differs (a build with other engine state)
//! fails to decode instead of being misread; the CRC catches a damaged file.
//!
//! Writing goes to `NAME.tmp` in the same folder, is flushed to disk (fsync), renamed over
//! `NAME`, and the folder is flushed too, so the rename itself survives a power cut.

use crate::error::input;
use anyhow::{Context, Result};
use bonesim::Sim;
use serde::Serialize;
use serde::de::DeserializeOwned;
use std::fs::{self, File};
use std::io::{BufWriter, Read, Write};
use std::path::Path;

/// First bytes of every checkpoint.
const MAGIC: &[u8] = b"bonesim checkpoint\n";
/// Version of the layout above, of the run progress stored with the state and of the
/// engine's state itself. Raise it whenever any of them changes in a way the engine version
/// does not show. 2: the fields keep their gathered sources only at the sites that have one;
/// 3: the solver's number type is a parameter (`solver.float_bits`); 4: the fields are kept
/// in that type; 5: a tick's sources are not part of the state, and the bone matrix the
/// fields last saw (f32) stands for their permeability (f64).
pub const FORMAT_VERSION: u32 = 5;

/// What a checkpoint holds besides the engine's state: the command line's own progress.
#[derive(Serialize)]
struct BodyRef<'a, P> {
    progress: &'a P,
    sim: &'a Sim,
}

#[derive(serde::Deserialize)]
struct Body<P> {
    progress: P,
    sim: Sim,
}

/// What writing a checkpoint cost.
#[derive(Clone, Copy, Debug)]
pub struct Written {
    /// Size of the file, bytes.
    pub bytes: u64,
    /// Wall time to encode, write and flush it, seconds.
    pub seconds: f64,
}

/// Writes `progress` and `sim` to `path` atomically.
pub fn write<P: Serialize>(path: &Path, progress: &P, sim: &Sim) -> Result<Written> {
    let started = std::time::Instant::now();
    let body = rmp_serde::to_vec(&BodyRef { progress, sim }).context("cannot encode the simulation state")?;
    let mut header = Vec::with_capacity(64);
    header.extend_from_slice(MAGIC);
    header.extend_from_slice(&FORMAT_VERSION.to_le_bytes());
    let version = bonesim::VERSION.as_bytes();
    header.extend_from_slice(&(version.len() as u32).to_le_bytes());
    header.extend_from_slice(version);
    header.extend_from_slice(&(body.len() as u64).to_le_bytes());
    header.extend_from_slice(&crc32fast::hash(&body).to_le_bytes());

    let mut temporary = path.as_os_str().to_owned();
    temporary.push(".tmp");
    let temporary = std::path::PathBuf::from(temporary);
    let write_all = || -> std::io::Result<()> {
        let file = File::create(&temporary)?;
        let mut out = BufWriter::new(file);
        out.write_all(&header)?;
        out.write_all(&body)?;
        let file = out.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()
    };
    write_all().with_context(|| format!("cannot write the checkpoint {}", temporary.display()))?;
    fs::rename(&temporary, path)
        .with_context(|| format!("cannot rename {} to {}", temporary.display(), path.display()))?;
    sync_folder(path.parent().unwrap_or(Path::new(".")))?;
    Ok(Written { bytes: (header.len() + body.len()) as u64, seconds: started.elapsed().as_secs_f64() })
}

/// Flushes a folder's entries (a rename in it) to disk.
pub fn sync_folder(dir: &Path) -> Result<()> {
    let dir = if dir.as_os_str().is_empty() { Path::new(".") } else { dir };
    File::open(dir).and_then(|f| f.sync_all()).with_context(|| format!("cannot flush the folder {}", dir.display()))
}

/// Reads a checkpoint written by [`write`]. A checkpoint of another format or engine version
/// is refused (bad input: exit 2), naming both versions.
pub fn read<P: DeserializeOwned>(path: &Path) -> Result<(P, Sim)> {
    let mut bytes = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut bytes))
        .with_context(|| format!("cannot read the checkpoint {}", path.display()))?;
    let bad = |why: &str| input(format!("{} is not a usable checkpoint: {why}", path.display()));
    let rest = bytes.strip_prefix(MAGIC).ok_or_else(|| bad("it does not start like a bonesim checkpoint"))?;
    let mut cursor = Cursor(rest);
    let truncated = || bad("it ends inside its header");
    let format = cursor.u32().ok_or_else(truncated)?;
    let version_len = cursor.u32().ok_or_else(truncated)? as usize;
    let version = cursor.take(version_len).ok_or_else(truncated)?;
    let version = String::from_utf8_lossy(version).into_owned();
    if format != FORMAT_VERSION || version != bonesim::VERSION {
        return Err(input(format!(
            "{} was written by bonesim {version} (checkpoint format {format}); this is bonesim {} (format \
             {FORMAT_VERSION}), which cannot continue it. Resume it with the bonesim that wrote it, or \
             start the run again",
            path.display(),
            bonesim::VERSION
        )));
    }
    let length = cursor.u64().ok_or_else(truncated)? as usize;
    let crc = cursor.u32().ok_or_else(truncated)?;
    let body = cursor.0;
    if body.len() != length {
        return Err(bad(&format!("its body is {} bytes, its header says {length}", body.len())));
    }
    if crc32fast::hash(body) != crc {
        return Err(bad("its checksum does not match: the file is damaged"));
    }
    let decoded: Body<P> = rmp_serde::from_slice(body).map_err(|e| {
        bad(&format!(
            "its state does not fit this build of bonesim {} ({e}); it was written by a build with other \
             engine state. Resume it with the build that wrote it, or start the run again",
            bonesim::VERSION
        ))
    })?;
    Ok((decoded.progress, decoded.sim))
}

/// Reads little-endian integers off the front of a byte slice.
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if self.0.len() < n {
            return None;
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Some(head)
    }

    fn u32(&mut self) -> Option<u32> {
        self.take(4).map(|b| u32::from_le_bytes(b.try_into().unwrap_or_default()))
    }

    fn u64(&mut self) -> Option<u64> {
        self.take(8).map(|b| u64::from_le_bytes(b.try_into().unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bonesim::Scenario;

    fn small_sim() -> Sim {
        let mut s = Scenario::default();
        s.domain.width = 24;
        s.domain.height = 24;
        s.time.days = 2.0;
        // Drugs carry state too: plasma curves, the testosterone axis under degarelix, drug
        // fields in the tissue, zoledronic acid bound to bone.
        use bonesim::pharmacology::Drug;
        for (drug, dose) in
            [(Drug::Degarelix, 240.0), (Drug::Estradiol, 0.05), (Drug::ZoledronicAcid, 4.0), (Drug::Tocilizumab, 8.0)]
        {
            s.therapy.push(bonesim::scenario::TherapySchedule {
                drug,
                start_day: 0.0,
                every_days: 3.5,
                doses: 1,
                dose,
            });
        }
        Sim::new(&s, None).unwrap()
    }

    fn run_to(sim: &mut Sim, tick: u64) {
        while sim.tick() < tick {
            sim.step();
        }
    }

    #[test]
    fn a_restored_simulation_continues_to_the_bit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("checkpoint.bin");
        let mut straight = small_sim();
        run_to(&mut straight, 17);
        write(&path, &42u32, &straight).unwrap();
        let (progress, mut restored): (u32, Sim) = read(&path).unwrap();
        assert_eq!(progress, 42);
        assert!(!dir.path().join("checkpoint.bin.tmp").exists());
        run_to(&mut straight, 48);
        run_to(&mut restored, 48);
        assert_eq!(rmp_serde::to_vec(&straight).unwrap(), rmp_serde::to_vec(&restored).unwrap());
        assert_eq!(format!("{:?}", straight.readouts()), format!("{:?}", restored.readouts()));
    }

    #[test]
    fn other_versions_damage_and_other_files_are_refused_with_reasons() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("c.bin");
        write(&path, &1u8, &small_sim()).unwrap();
        let good = fs::read(&path).unwrap();
        let message = |bytes: &[u8]| {
            fs::write(&path, bytes).unwrap();
            let err = read::<u8>(&path).unwrap_err();
            assert_eq!(crate::error::exit_code(&err), 2, "{err:#}");
            format!("{err:#}")
        };
        // Another engine version: same length, one letter changed.
        let mut other = good.clone();
        let at = MAGIC.len() + 8;
        other[at] = b'9';
        let m = message(&other);
        assert!(m.contains("written by bonesim 9") && m.contains("cannot continue it"), "{m}");
        let mut other = good.clone();
        other[MAGIC.len()] = 99;
        assert!(message(&other).contains("checkpoint format 99"));
        let mut damaged = good.clone();
        let last = damaged.len() - 1;
        damaged[last] ^= 0xff;
        assert!(message(&damaged).contains("checksum does not match"));
        assert!(message(&good[..good.len() - 10]).contains("its header says"));
        assert!(message(b"hello").contains("does not start like a bonesim checkpoint"));
        // A body of another layout: the progress is a string where a number was written.
        fs::write(&path, &good).unwrap();
        let m = format!("{:#}", read::<String>(&path).unwrap_err());
        assert!(m.contains("does not fit this build"), "{m}");
    }
}
