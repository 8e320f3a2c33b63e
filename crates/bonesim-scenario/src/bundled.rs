//! The scenarios of the repository's `scenarios/` folder, embedded at build time (see
//! `build.rs`), so they can be listed and run from any directory.

include!(concat!(env!("OUT_DIR"), "/bundled_scenarios.rs"));

/// The TOML text of the bundled scenario `name` (with or without `.toml`).
pub fn find(name: &str) -> Option<&'static str> {
    let name = name.strip_suffix(".toml").unwrap_or(name);
    BUNDLED.iter().find(|(n, _)| *n == name).map(|(_, text)| *text)
}

/// Every bundled scenario's name.
pub fn names() -> Vec<&'static str> {
    BUNDLED.iter().map(|(n, _)| *n).collect()
}

/// The `description` of a scenario text, or an empty string if it has none (or does not
/// parse).
pub fn description(text: &str) -> String {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| t.get("description").and_then(|d| d.as_str()).map(str::to_string))
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_scenarios_folder_is_bundled() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
        let mut on_disk: Vec<String> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.extension().is_some_and(|x| x == "toml"))
            .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
            .collect();
        on_disk.sort();
        assert_eq!(names(), on_disk);
        for name in names() {
            assert!(find(name).is_some());
            assert!(find(&format!("{name}.toml")).is_some());
        }
    }
}
