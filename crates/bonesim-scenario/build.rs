//! Embeds the repository's `scenarios/*.toml` into the binary, so `bonesim scenarios` and
//! `bonesim run NAME` work from any directory. Writes `$OUT_DIR/bundled_scenarios.rs`: a
//! sorted list of `(name, text)` with each text an `include_str!` of the file, so cargo
//! also rebuilds when a file's contents change.
#![allow(clippy::print_stdout, reason = "build scripts talk to cargo through stdout")]

use std::path::{Path, PathBuf};
use std::{env, fs};

fn main() {
    let manifest = PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let dir = manifest.join("../../scenarios");
    // Cargo rescans a directory named here for any change: a file added, removed or edited.
    println!("cargo::rerun-if-changed={}", dir.display());
    let mut entries: Vec<(String, PathBuf)> = match fs::read_dir(&dir) {
        Ok(read) => read
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
            .filter_map(|p| Some((p.file_stem()?.to_str()?.to_string(), absolute(&p))))
            .collect(),
        Err(_) => {
            println!("cargo::warning=no scenarios folder at {}: no bundled scenarios", dir.display());
            Vec::new()
        }
    };
    entries.sort();
    let mut code = String::from("/// Bundled scenarios: `(name, TOML text)`, sorted by name.\n");
    code.push_str("pub const BUNDLED: &[(&str, &str)] = &[\n");
    for (name, path) in &entries {
        code.push_str(&format!("    ({name:?}, include_str!({:?})),\n", path.display().to_string()));
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("bundled_scenarios.rs");
    fs::write(&out, code).expect("write bundled_scenarios.rs");
}

fn absolute(p: &Path) -> PathBuf {
    fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())
}
