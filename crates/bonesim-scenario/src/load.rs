//! Loading a scenario: the file (or a bundled scenario), the overrides from the command line
//! (`--set`, `--days`, `--seed`), every check the engine makes, and the geometry image.
//!
//! Every error is an [`InputError`] that names where the bad value
//! came from: `file:line:column` with the line underlined for a value in the file, or the
//! `--set` argument for a value from the command line, and always the key. Positions come
//! from the spans the TOML parser keeps for every key and value ([`toml::de::DeTable`]);
//! serde's errors carry a span, the engine's carry a dotted key path, and
//! [`KeyPath`] maps one to the other.

use crate::bundled;
use crate::error::{InputError, input};
use crate::image::load_grey_png;
use crate::keypath::{KeyPath, Position, Segment};
use bonesim::scenario::{GeometryKind, ScenarioError};
use bonesim::{EngineError, GreyImage, ModelParams, Scenario, Sim};
use std::path::{Path, PathBuf};
use toml::Value;
use toml::de::DeTable;

/// The text of a scenario and where it came from.
#[derive(Clone, Debug)]
pub struct Source {
    /// How messages name it: the path as given, or `NAME (bundled)`.
    pub label: String,
    /// The TOML text.
    pub text: String,
    /// Folder that relative image paths in the file are read from.
    pub dir: PathBuf,
    /// The bundled scenario's name, if it is one.
    pub bundled: Option<String>,
}

impl Source {
    /// Reads the scenario file `arg`, or, if no such file exists, the bundled scenario of
    /// that name.
    pub fn open(arg: &str) -> Result<Source, InputError> {
        let path = Path::new(arg);
        match std::fs::read(path) {
            Ok(bytes) => {
                let text = String::from_utf8(bytes).map_err(|_| input(format!("{arg}: not a UTF-8 text file")))?;
                let dir = match path.parent() {
                    Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
                    _ => PathBuf::from("."),
                };
                Ok(Source { label: arg.to_string(), text, dir, bundled: None })
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let plain_name = !arg.contains(['/', '\\']);
                match bundled::find(arg).filter(|_| plain_name) {
                    Some(text) => {
                        let name = arg.strip_suffix(".toml").unwrap_or(arg).to_string();
                        Ok(Source {
                            label: format!("{name} (bundled)"),
                            text: text.to_string(),
                            dir: PathBuf::from("."),
                            bundled: Some(name),
                        })
                    }
                    None => Err(input(format!(
                        "{arg}: no such scenario file, and no bundled scenario of that name (bundled: {})",
                        bundled::names().join(", ")
                    ))),
                }
            }
            Err(e) => Err(input(format!("{arg}: cannot read the scenario file: {e}"))),
        }
    }
}

/// A value from the command line that replaces one in the file.
#[derive(Clone, Debug)]
pub struct Override {
    /// The argument as the user wrote it: `--set time.days=3`, `--days 3`.
    pub origin: String,
    /// The key it sets.
    pub path: KeyPath,
    /// The value, read as TOML.
    pub value: Value,
    /// The text as given, when it was not a quoted string: tried as a string if the value
    /// read as TOML has the wrong type (`--set name=2024`).
    pub raw: Option<String>,
}

impl Override {
    /// `--set KEY=VALUE`. A key whose first part is a top-level key of the scenario file is a
    /// scenario key; otherwise it must be a model parameter, which goes into `[parameters]`.
    pub fn from_set(key: &str, value: &str) -> Result<Override, InputError> {
        let origin = format!("--set {key}={value}");
        let path = classify_key(key).map_err(|why| input(format!("{origin}: {why}")))?;
        let (value, raw) = parse_value(value);
        Ok(Override { origin, path, value, raw })
    }

    /// `--days N`.
    pub fn days(days: f64) -> Override {
        Override {
            origin: format!("--days {days}"),
            path: KeyPath(vec![Segment::Key("time".into()), Segment::Key("days".into())]),
            value: Value::Float(days),
            raw: None,
        }
    }
}

/// Splits a `--set` argument, `KEY=VALUE`, at the first `=` (for command-line parsers).
pub fn split_set_arg(arg: &str) -> Result<(String, String), String> {
    match arg.split_once('=') {
        Some((key, value)) if !key.trim().is_empty() => Ok((key.trim().to_string(), value.trim().to_string())),
        _ => Err(format!("expected KEY=VALUE, e.g. patient.estrogen=0 or osteoclast.lifespan_days=10; got \"{arg}\"")),
    }
}

/// The scenario key or parameter that `--set KEY=…` addresses.
fn classify_key(key: &str) -> Result<KeyPath, String> {
    if let Some(name) = key.strip_prefix("parameters.") {
        return Ok(KeyPath::parameter(name.trim_matches('"')));
    }
    let specimen = specimen();
    let top: Vec<&String> = specimen.keys().collect();
    let parsed = KeyPath::parse(key);
    let is_top = parsed.as_ref().is_ok_and(|p| p.first_key().is_some_and(|k| top.iter().any(|t| *t == k)));
    let found = parsed.as_ref().ok().map(|p| lookup(&specimen, p));
    match (&parsed, &found) {
        (Ok(p), Some(Lookup::Known)) if is_top => return Ok(p.clone()),
        _ if ModelParams::has(key) => return Ok(KeyPath::parameter(key)),
        _ => {}
    }
    let parsed = parsed?;
    if let (true, Some(Lookup::Mismatch)) = (is_top, &found) {
        // Past a value or into a list: a misspelt parameter of a group named like that
        // section (`inflammation.half_life`), or a scenario key applying will explain.
        let parameters = ModelParams::catalogue().into_iter().map(|p| p.dotted());
        return match nearest(key, parameters) {
            Some(s) => Err(format!("{key} is not a model parameter; did you mean {s}?")),
            None => Ok(parsed),
        };
    }
    if let (true, Some(Lookup::Unknown { level, allowed })) = (is_top, found) {
        let hint = nearest(key, allowed.iter().map(|k| join(&level, k))).map(|s| format!(" (did you mean {s}?)"));
        return Err(format!(
            "{key} is not a scenario key: [{level}] has {}{}",
            allowed.join(", "),
            hint.unwrap_or_default()
        ));
    }
    let candidates = ModelParams::catalogue().into_iter().map(|p| p.dotted()).chain(leaf_paths(&specimen));
    let hint = match nearest(key, candidates) {
        Some(s) => format!("; did you mean {s}?"),
        None => String::new(),
    };
    Err(format!(
        "{key} is neither a scenario key (top level: {}) nor a model parameter (`bonesim params` lists them){hint}",
        top.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    ))
}

fn join(level: &KeyPath, key: &str) -> String {
    if level.0.is_empty() { key.to_string() } else { format!("{level}.{key}") }
}

/// A value from the command line, read as TOML; text that is not TOML is a string.
fn parse_value(text: &str) -> (Value, Option<String>) {
    match toml::from_str::<toml::Table>(&format!("v = {text}")) {
        Ok(mut t) if t.len() == 1 => {
            let value = t.remove("v").unwrap_or(Value::String(text.into()));
            let raw = (!value.is_str()).then(|| text.to_string());
            (value, raw)
        }
        _ => (Value::String(text.to_string()), None),
    }
}

/// The scenario's keys as a TOML tree: the defaults, with one default entry in each list of
/// tables so their keys are known too (found by trying `[{}]` in each empty list, so lists
/// the engine adds later are covered).
fn specimen() -> toml::Table {
    let mut table = toml::Table::try_from(Scenario::default()).unwrap_or_default();
    let empty_lists: Vec<String> =
        table.iter().filter(|(_, v)| v.as_array().is_some_and(|a| a.is_empty())).map(|(k, _)| k.clone()).collect();
    for key in empty_lists {
        let mut trial = table.clone();
        trial.insert(key, Value::Array(vec![Value::Table(toml::Table::new())]));
        if let Some(filled) = trial.try_into::<Scenario>().ok().and_then(|s| toml::Table::try_from(s).ok()) {
            table = filled;
        }
    }
    table
}

enum Lookup {
    /// The path exists in the specimen, or leads where the specimen cannot tell.
    Known,
    /// The path goes on past a value or a list (`inflammation.half_life_h`, where
    /// `inflammation` is a list of tables): not a scenario key, unless applying it says
    /// otherwise.
    Mismatch,
    /// The key after `level` does not exist; `allowed` are the keys there.
    Unknown { level: KeyPath, allowed: Vec<String> },
}

fn lookup(specimen: &toml::Table, path: &KeyPath) -> Lookup {
    let root = Value::Table(specimen.clone());
    let mut value = &root;
    let mut level = KeyPath::default();
    for segment in &path.0 {
        value = match (segment, value) {
            (Segment::Key(k), Value::Table(t)) => match t.get(k) {
                Some(next) => next,
                None => {
                    return Lookup::Unknown { level, allowed: t.keys().cloned().collect() };
                }
            },
            (Segment::Index(_), Value::Array(items)) => match items.first() {
                Some(first) => first,
                None => return Lookup::Known,
            },
            // A key into a value or a list, or an index into a table: applying it says what
            // is wrong, if it is not a model parameter.
            _ => return Lookup::Mismatch,
        };
        level.0.push(segment.clone());
    }
    Lookup::Known
}

/// Every leaf key of the specimen as a dotted path (`therapy[0].dose`).
fn leaf_paths(specimen: &toml::Table) -> Vec<String> {
    fn walk(prefix: &str, value: &Value, out: &mut Vec<String>) {
        match value {
            Value::Table(t) => {
                for (k, v) in t {
                    walk(&if prefix.is_empty() { k.clone() } else { format!("{prefix}.{k}") }, v, out);
                }
            }
            Value::Array(items) if items.first().is_some_and(Value::is_table) => {
                walk(&format!("{prefix}[0]"), &items[0], out)
            }
            _ => out.push(prefix.to_string()),
        }
    }
    let mut out = Vec::new();
    walk("", &Value::Table(specimen.clone()), &mut out);
    out
}

/// The candidate closest to `name`, if it is close enough to be a typo.
fn nearest(name: &str, candidates: impl IntoIterator<Item = String>) -> Option<String> {
    bonesim::params::closest(name, candidates, 2.max(name.chars().count() / 3))
}

/// Puts `value` at `path` in `root`, creating tables (and one new entry at the end of a
/// list) on the way.
fn set_path(root: &mut toml::Table, path: &KeyPath, value: Value) -> Result<(), String> {
    let mut wrapped = Value::Table(std::mem::take(root));
    let result = set_in(&mut wrapped, &path.0, value, &mut KeyPath::default());
    if let Value::Table(t) = wrapped {
        *root = t;
    }
    result
}

fn set_in(node: &mut Value, path: &[Segment], value: Value, done: &mut KeyPath) -> Result<(), String> {
    let Some((segment, rest)) = path.split_first() else {
        *node = value;
        return Ok(());
    };
    let child = match (segment, node) {
        (Segment::Key(k), Value::Table(t)) => t.entry(k.clone()).or_insert_with(|| match rest.first() {
            Some(Segment::Index(_)) => Value::Array(Vec::new()),
            _ => Value::Table(toml::Table::new()),
        }),
        (Segment::Index(i), Value::Array(items)) => {
            if *i == items.len() {
                items.push(Value::Table(toml::Table::new()));
            }
            let len = items.len();
            items.get_mut(*i).ok_or_else(|| match len {
                0 => format!("{done} has no entries, so [{i}] is out of range: [0] adds one"),
                _ => format!(
                    "{done} has {len} entries, so [{i}] is out of range: [0] to [{}] change one, [{len}] adds one",
                    len - 1
                ),
            })?
        }
        (Segment::Key(_), other) => {
            return Err(format!("{done} is the value {other}, not a table"));
        }
        (Segment::Index(_), other) => {
            return Err(format!("{done} is the value {other}, not a list"));
        }
    };
    done.0.push(segment.clone());
    set_in(child, rest, value, done)
}

/// serde's Rust type names in words.
fn plain_words(message: &str) -> String {
    message
        .replace("expected f64", "expected a number")
        .replace("expected f32", "expected a number")
        .replace("expected u64", "expected a whole number ≥ 0")
        .replace("expected u32", "expected a whole number ≥ 0")
        .replace("expected usize", "expected a whole number ≥ 0")
        .replace("expected i64", "expected a whole number")
}

/// A scenario ready to simulate, with what it came from.
#[derive(Clone, Debug)]
pub struct Loaded {
    /// Where the text came from.
    pub source: Source,
    /// The overrides applied, in order.
    pub overrides: Vec<Override>,
    /// The scenario with every override applied, checked.
    pub scenario: Scenario,
    /// The decoded geometry image, for `image:` geometries.
    pub image: Option<GreyImage>,
}

/// Parses `source`, applies `overrides` (then `seed`), and makes every check of the engine
/// short of building the simulation: types, unknown keys, ranges, parameters, the image.
pub fn load(source: Source, overrides: Vec<Override>, seed: Option<u64>) -> Result<Loaded, InputError> {
    if let Some(seed) = seed.filter(|&s| s > bonesim::scenario::MAX_SEED) {
        return Err(input(format!(
            "--seed {seed}: out of range: allowed 0 to {} (2^63 − 1, the largest integer a scenario file can hold)",
            bonesim::scenario::MAX_SEED
        )));
    }
    // As an untyped table only syntax can be wrong; as a scenario, keys, types and enums.
    let mut table: toml::Table = toml::from_str(&source.text).map_err(|e| syntax_error(&source, &e))?;
    let mut scenario: Scenario = toml::from_str(&source.text).map_err(|e| file_error(&source, &e))?;
    for o in &overrides {
        scenario = apply_override(&mut table, o)?;
    }
    if let Some(seed) = seed {
        scenario.seed = seed;
    }
    let mut loaded = Loaded { source, overrides, scenario, image: None };
    if let Err(e) = loaded.scenario.validate() {
        return Err(loaded.scenario_error(&e));
    }
    if let Err(e) = ModelParams::with_overrides(loaded.scenario.patient.species, &loaded.scenario.parameters) {
        return Err(loaded.engine_error(EngineError::Param(e)));
    }
    if let Some(GeometryKind::Image(file)) = loaded.scenario.domain.geometry_kind() {
        let path = loaded.image_path(&file);
        let image =
            load_grey_png(&path).map_err(|why| loaded.error_at(&geometry_key(), &why, Show::Key, Point::Value))?;
        let d = &loaded.scenario.domain;
        if !same_shape(image.width, image.height, d.width, d.height) {
            let why = format!(
                "the image is {} × {} pixels but the domain is {} × {} sites, another shape: it would be \
                 stretched. Give the domain the image's size (domain.width = {}, domain.height = {}: one \
                 pixel per site) or its shape, or crop the image",
                image.width, image.height, d.width, d.height, image.width, image.height
            );
            return Err(loaded.error_at(&geometry_key(), &why, Show::Key, Point::Value));
        }
        loaded.image = Some(image);
    }
    Ok(loaded)
}

/// Whether an image of `w × h` pixels scales onto a `width × height` lattice with both sides
/// by the same factor, give or take a pixel.
fn same_shape(w: usize, h: usize, width: usize, height: usize) -> bool {
    let scaled_h = w as f64 * height as f64 / width as f64;
    (scaled_h - h as f64).abs() <= 1.0 + 1e-9 * h as f64
}

/// Applies one override to the table, and deserializes the result so a bad value is blamed
/// on the override that brought it.
fn apply_override(table: &mut toml::Table, o: &Override) -> Result<Scenario, InputError> {
    let attempt = |value: Value| -> Result<(toml::Table, Result<Scenario, toml::de::Error>), InputError> {
        let mut trial = table.clone();
        set_path(&mut trial, &o.path, value).map_err(|why| input(format!("{}: {why}", o.origin)))?;
        let parsed = trial.clone().try_into::<Scenario>();
        Ok((trial, parsed))
    };
    let (mut trial, mut parsed) = attempt(o.value.clone())?;
    if let (Err(_), Some(raw)) = (&parsed, &o.raw)
        && let (as_text, Ok(s)) = attempt(Value::String(raw.clone()))?
    {
        (trial, parsed) = (as_text, Ok(s));
    }
    match parsed {
        Ok(s) => {
            *table = trial;
            Ok(s)
        }
        Err(e) => Err(input(format!("{}: {}: {}", o.origin, o.path, plain_words(e.message())))),
    }
}

fn geometry_key() -> KeyPath {
    KeyPath(vec![Segment::Key("domain".into()), Segment::Key("geometry".into())])
}

fn syntax_error(source: &Source, e: &toml::de::Error) -> InputError {
    match e.span() {
        Some(span) => {
            let pos = Position::of(&source.text, &span);
            input(format!(
                "{}:{}:{}: TOML syntax error: {}\n{}",
                source.label,
                pos.line,
                pos.column,
                e.message().trim_end(),
                pos.snippet()
            ))
        }
        None => input(format!("{}: TOML syntax error: {}", source.label, e.message().trim_end())),
    }
}

/// A serde error of the file alone: its span says where, the document says which key.
fn file_error(source: &Source, e: &toml::de::Error) -> InputError {
    let message = plain_words(e.message().trim_end());
    let Some(span) = e.span() else {
        return input(format!("{}: {message}", source.label));
    };
    let pos = Position::of(&source.text, &span);
    let key = DeTable::parse(&source.text).ok().and_then(|doc| KeyPath::at_offset(doc.get_ref(), span.start));
    let (key, hint) = match key {
        Some((path, _)) => {
            let hint = if message.starts_with("unknown field") { unknown_key_hint(&path) } else { None };
            (format!("{path}: "), hint.map(|h| format!(" (did you mean {h}?)")).unwrap_or_default())
        }
        None => (String::new(), String::new()),
    };
    input(format!("{}:{}:{}: {key}{message}{hint}\n{}", source.label, pos.line, pos.column, pos.snippet()))
}

/// For an unknown key, the known key next to it with the closest name.
fn unknown_key_hint(path: &KeyPath) -> Option<String> {
    let (Segment::Key(last), parent) = path.0.split_last()? else {
        return None;
    };
    let parent = KeyPath(parent.to_vec());
    match lookup(&specimen(), &KeyPath([parent.0.clone(), vec![Segment::Key(last.clone())]].concat())) {
        Lookup::Unknown { allowed, .. } => nearest(last, allowed),
        Lookup::Known | Lookup::Mismatch => None,
    }
}

/// Whether a message shows the key before the text (the engine's parameter messages name it
/// themselves).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Show {
    Key,
    MessageOnly,
}

/// Which span of a key/value pair to point at.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Point {
    Key,
    Value,
}

impl Loaded {
    /// Where a relative image path is read from: the scenario file's folder, or the current
    /// folder when the geometry came from the command line (or a bundled scenario).
    pub fn image_path(&self, file: &str) -> PathBuf {
        let from_command_line = self.overrides.iter().any(|o| o.path.overlaps(&geometry_key()));
        if from_command_line || self.source.dir == Path::new(".") {
            PathBuf::from(file)
        } else {
            self.source.dir.join(file)
        }
    }

    /// What the loading decided that a user should know: how an image of another size than
    /// the domain is mapped onto it.
    pub fn notes(&self) -> Vec<String> {
        let mut notes = Vec::new();
        if let Some(image) = &self.image {
            let d = &self.scenario.domain;
            if (image.width, image.height) != (d.width, d.height) {
                notes.push(format!(
                    "the {} × {} pixel image is scaled to the {} × {} site domain by nearest pixel ({:.3} pixels per site)",
                    image.width,
                    image.height,
                    d.width,
                    d.height,
                    image.width as f64 / d.width as f64
                ));
            }
        }
        notes
    }

    /// An error about the value at `path`, blamed on the last override that set it, else on
    /// its place in the file, else on the file.
    fn error_at(&self, path: &KeyPath, message: &str, show: Show, point: Point) -> InputError {
        let key = match show {
            Show::Key => format!("{path}: "),
            Show::MessageOnly => String::new(),
        };
        if let Some(o) = self.overrides.iter().rev().find(|o| o.path.overlaps(path)) {
            return input(format!("{}: {key}{message}", o.origin));
        }
        let text = &self.source.text;
        let spans = DeTable::parse(text).ok().and_then(|doc| path.locate(doc.get_ref()));
        match spans {
            Some((key_span, value_span)) => {
                let pos = Position::of(text, if point == Point::Key { &key_span } else { &value_span });
                input(format!("{}:{}:{}: {key}{message}\n{}", self.source.label, pos.line, pos.column, pos.snippet()))
            }
            None => input(format!("{}: {key}{message}", self.source.label)),
        }
    }

    fn scenario_error(&self, e: &ScenarioError) -> InputError {
        match KeyPath::parse(&e.key) {
            Ok(path) => self.error_at(&path, &e.message, Show::Key, Point::Value),
            Err(_) => input(format!("{}: {e}", self.source.label)),
        }
    }

    /// An engine error, located like the checks of [`load`].
    pub fn engine_error(&self, e: EngineError) -> InputError {
        match e {
            EngineError::Scenario(e) => self.scenario_error(&e),
            EngineError::Param(e) => {
                let (name, point) = match &e {
                    bonesim::params::ParamError::Unknown { name, .. } => (name, Point::Key),
                    bonesim::params::ParamError::OutOfRange { name, .. } => (name, Point::Value),
                };
                self.error_at(&KeyPath::parameter(name), &e.to_string(), Show::MessageOnly, point)
            }
            EngineError::MissingImage(file) => {
                self.error_at(&geometry_key(), &format!("the image \"{file}\" was not loaded"), Show::Key, Point::Value)
            }
            other => input(format!("{}: {other}", self.source.label)),
        }
    }

    /// Builds the simulation (in the current rayon pool), turning engine errors into located
    /// input errors.
    pub fn build(&self) -> Result<Sim, InputError> {
        Sim::new(&self.scenario, self.image.as_ref()).map_err(|e| self.engine_error(e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source {
        Source { label: "t.toml".into(), text: text.into(), dir: PathBuf::from("."), bundled: None }
    }

    fn error(text: &str, sets: &[(&str, &str)]) -> String {
        let overrides = sets.iter().map(|(k, v)| Override::from_set(k, v)).collect::<Result<Vec<_>, _>>();
        let err = overrides.and_then(|o| load(source(text), o, None)).unwrap_err();
        err.to_string()
    }

    #[test]
    fn values_read_as_toml_or_as_text() {
        assert_eq!(parse_value("0.5").0, Value::Float(0.5));
        assert_eq!(parse_value("[1, 2]").0, Value::Array(vec![Value::Integer(1), Value::Integer(2)]));
        assert_eq!(parse_value("\"a b\"").0, Value::String("a b".into()));
        assert_eq!(parse_value("cortical"), (Value::String("cortical".into()), None));
        assert_eq!(parse_value("image:a.png").0, Value::String("image:a.png".into()));
        assert_eq!(parse_value("1\nx = 2").0, Value::String("1\nx = 2".into()));
    }

    #[test]
    fn keys_are_scenario_keys_or_parameters() {
        assert_eq!(classify_key("patient.estrogen").unwrap().to_string(), "patient.estrogen");
        assert_eq!(classify_key("therapy[0].dose").unwrap().to_string(), "therapy[0].dose");
        assert_eq!(
            classify_key("osteoclast.lifespan_days").unwrap().to_string(),
            "parameters.\"osteoclast.lifespan_days\""
        );
        let why = classify_key("patient.estrogn").unwrap_err();
        assert!(why.contains("[patient] has") && why.contains("did you mean patient.estrogen"), "{why}");
        let why = classify_key("osteoclast.lifespan_dayz").unwrap_err();
        assert!(why.contains("did you mean osteoclast.lifespan_days"), "{why}");
        let why = classify_key("therapy[2].doze").unwrap_err();
        assert!(why.contains("[therapy[2]] has") && why.contains("did you mean therapy[2].dose"), "{why}");
    }

    #[test]
    fn a_parameter_whose_group_shares_a_name_with_a_list_of_tables_is_a_parameter() {
        // `[[inflammation]]` is a list of challenges; `inflammation.half_life_h` a parameter.
        let p = classify_key("inflammation.half_life_h").unwrap();
        assert_eq!(p.to_string(), "parameters.\"inflammation.half_life_h\"");
        let s = load(source(""), vec![Override::from_set("inflammation.half_life_h", "6").unwrap()], None).unwrap();
        assert_eq!(s.scenario.parameters["inflammation.half_life_h"], 6.0);
        assert!(s.scenario.inflammation.is_empty());
        // The list's own keys are still scenario keys.
        assert_eq!(classify_key("inflammation[0].dose").unwrap().to_string(), "inflammation[0].dose");
        let e = error("", &[("inflammation.half_life", "6")]);
        assert!(e.contains("did you mean inflammation.half_life_h"), "{e}");
    }

    #[test]
    fn an_image_of_another_shape_is_refused_and_one_of_another_size_noted() {
        let dir = tempfile::tempdir().unwrap();
        let write = |name: &str, w: u32, h: u32| {
            let path = dir.path().join(name);
            let mut encoder = png::Encoder::new(std::fs::File::create(&path).unwrap(), w, h);
            encoder.set_color(png::ColorType::Grayscale);
            encoder.write_header().unwrap().write_image_data(&vec![200; (w * h) as usize]).unwrap();
            path.display().to_string()
        };
        let wide = write("wide.png", 64, 32);
        let e = error("[domain]\nwidth = 32\nheight = 32\n", &[("domain.geometry", &format!("image:{wide}"))]);
        assert!(e.contains("64 × 32 pixels but the domain is 32 × 32 sites"), "{e}");
        assert!(e.contains("domain.width = 64, domain.height = 32"), "{e}");
        let fine = write("fine.png", 64, 64);
        let o = vec![Override::from_set("domain.geometry", &format!("image:{fine}")).unwrap()];
        let loaded = load(source("[domain]\nwidth = 32\nheight = 32\n"), o, None).unwrap();
        assert_eq!(loaded.notes().len(), 1);
        assert!(loaded.notes()[0].contains("2.000 pixels per site"), "{:?}", loaded.notes());
        let exact = write("exact.png", 32, 32);
        let o = vec![Override::from_set("domain.geometry", &format!("image:{exact}")).unwrap()];
        assert!(load(source("[domain]\nwidth = 32\nheight = 32\n"), o, None).unwrap().notes().is_empty());
    }

    #[test]
    fn seeds_beyond_what_toml_holds_are_refused() {
        let e = error("seed = 3\n", &[("seed", "9223372036854775808")]);
        assert!(e.contains("seed"), "{e}");
        let e = load(source(""), vec![], Some(1 << 63)).unwrap_err().to_string();
        assert!(e.starts_with("--seed 9223372036854775808: out of range"), "{e}");
        assert!(load(source(""), vec![], Some(i64::MAX as u64)).is_ok());
    }

    #[test]
    fn nan_event_coordinates_are_refused_where_they_are_written() {
        let e = error("[[microdamage]]\nx_um = nan\n", &[]);
        assert!(e.starts_with("t.toml:2:8: microdamage[0].x_um: NaN is out of range"), "{e}");
        let e = error("", &[("precursor_burst[0].y_um", "inf")]);
        assert!(
            e.starts_with("--set precursor_burst[0].y_um=inf: precursor_burst[0].y_um: inf is out of range"),
            "{e}"
        );
    }

    #[test]
    fn the_specimen_knows_the_keys_of_lists_of_tables() {
        let keys = leaf_paths(&specimen());
        for key in ["time.days", "therapy[0].dose", "inflammation[0].agent", "precursor_burst[0].count"] {
            assert!(keys.iter().any(|k| k == key), "{key} not in {keys:?}");
        }
    }

    #[test]
    fn overrides_apply_in_order() {
        let o = vec![
            Override::from_set("time.days", "3").unwrap(),
            Override::from_set("name", "2024").unwrap(),
            Override::from_set("therapy[0].drug", "denosumab").unwrap(),
            Override::from_set("osteoclast.lifespan_days", "10").unwrap(),
            Override::days(2.0),
        ];
        let s = load(source("name = \"x\"\n"), o, Some(9)).unwrap().scenario;
        assert_eq!(s.time.days, 2.0);
        assert_eq!(s.name, "2024");
        assert_eq!(s.seed, 9);
        assert_eq!(s.therapy.len(), 1);
        assert_eq!(s.parameters["osteoclast.lifespan_days"], 10.0);
    }

    #[test]
    fn file_errors_name_line_column_and_key() {
        let e = error("name = \"x\"\n[time]\ndays = \"ten\"\n", &[]);
        assert!(e.starts_with("t.toml:3:8: time.days: invalid type: string \"ten\", expected a number"), "{e}");
        let e = error("[time]\ndayz = 3\n", &[]);
        assert!(e.starts_with("t.toml:2:1: time.dayz: unknown field `dayz`"), "{e}");
        assert!(e.contains("did you mean days"), "{e}");
        let e = error("[time]\ndays = -3\n", &[]);
        assert!(e.starts_with("t.toml:2:8: time.days: -3 is out of range"), "{e}");
        let e = error("[[therapy]]\ndrug = \"denosumab\"\n[[therapy]]\ndose = -1\n", &[]);
        assert!(e.starts_with("t.toml:4:8: therapy[1].dose:"), "{e}");
        let e = error("[parameters]\n\"osteoclast.lifespan_dayz\" = 3\n", &[]);
        assert!(e.starts_with("t.toml:2:1: unknown parameter \"osteoclast.lifespan_dayz\""), "{e}");
        let e = error("[parameters]\n\"osteoclast.lifespan_days\" = 1e9\n", &[]);
        assert!(e.starts_with("t.toml:2:30: osteoclast.lifespan_days = 1000000000 is out of range"), "{e}");
        let e = error("[time\ndays = 3\n", &[]);
        assert!(e.starts_with("t.toml:1:6: TOML syntax error"), "{e}");
        let e = error("[domain]\ngeometry = \"image:no/such.png\"\n", &[]);
        assert!(e.starts_with("t.toml:2:12: domain.geometry: cannot open the image"), "{e}");
    }

    #[test]
    fn override_errors_name_the_argument() {
        let e = error("", &[("patient.estrogen", "abc")]);
        assert!(e.starts_with("--set patient.estrogen=abc: patient.estrogen: invalid type: string \"abc\""), "{e}");
        let e = error("[time]\ndays = 3\n", &[("time.days", "-1")]);
        assert!(e.starts_with("--set time.days=-1: time.days: -1 is out of range"), "{e}");
        let e = error("", &[("osteoclast.lifespan_days", "1e9")]);
        assert!(e.starts_with("--set osteoclast.lifespan_days=1e9: osteoclast.lifespan_days = 1000000000"), "{e}");
        let e = error("", &[("patient.no_such_key", "1")]);
        assert!(e.starts_with("--set patient.no_such_key=1: patient.no_such_key is not a scenario key"), "{e}");
        let e = error("", &[("therapy[3].dose", "1")]);
        assert!(e.contains("out of range"), "{e}");
        let e = error("[time]\ndays = 3\n", &[("time.days.x", "1")]);
        assert!(e.starts_with("--set time.days.x=1: time.days is the value 3, not a table"), "{e}");
    }
}
