//! Dotted key paths (`time.days`, `therapy[1].dose`, `parameters."osteoclast.lifespan_days"`)
//! and where they sit in a TOML text.
//!
//! The engine names a bad value by its dotted path ([`bonesim::scenario::ScenarioError`]);
//! serde names nothing but gives a byte span. [`KeyPath::locate`] finds a path's key and value
//! spans in the parsed document ([`toml::de::DeTable`] keeps the span of every key and
//! value), [`KeyPath::at_offset`] goes the other way, and [`Position`] turns a byte offset into
//! a line and column.

use std::fmt;
use std::ops::Range;
use toml::Spanned;
use toml::de::{DeTable, DeValue};

/// One step of a path: a table key or an array index.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Segment {
    /// A key of a table.
    Key(String),
    /// An element of an array (of tables).
    Index(usize),
}

/// A path from the document root to one value.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Segment>);

impl KeyPath {
    /// Parses `a.b[2].c`: keys split at dots, `[n]` indexes an array. Keys are not quoted
    /// here; a key holding a dot (a parameter name) is built with [`KeyPath::parameter`].
    pub fn parse(text: &str) -> Result<KeyPath, String> {
        let mut segments = Vec::new();
        for part in text.split('.') {
            let (key, mut rest) = match part.find('[') {
                Some(i) => (&part[..i], &part[i..]),
                None => (part, ""),
            };
            if key.is_empty() || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                return Err(format!("\"{text}\" is not a dotted key path (like time.days or therapy[0].dose)"));
            }
            segments.push(Segment::Key(key.to_string()));
            while !rest.is_empty() {
                let index = rest
                    .strip_prefix('[')
                    .and_then(|r| r.split_once(']'))
                    .and_then(|(n, tail)| n.parse::<usize>().ok().map(|n| (n, tail)));
                match index {
                    Some((n, tail)) => {
                        segments.push(Segment::Index(n));
                        rest = tail;
                    }
                    None => return Err(format!("\"{text}\": an index is written [0], [1], …")),
                }
            }
        }
        Ok(KeyPath(segments))
    }

    /// `parameters."<name>"`: a model parameter in the `[parameters]` table.
    pub fn parameter(name: &str) -> KeyPath {
        KeyPath(vec![Segment::Key("parameters".into()), Segment::Key(name.into())])
    }

    /// The first key, if the path starts with one.
    pub fn first_key(&self) -> Option<&str> {
        match self.0.first() {
            Some(Segment::Key(k)) => Some(k),
            _ => None,
        }
    }

    /// Whether one of the two paths leads into (or is) the other.
    pub fn overlaps(&self, other: &KeyPath) -> bool {
        let n = self.0.len().min(other.0.len());
        self.0[..n] == other.0[..n]
    }

    /// The span of the path's key (the index's element for a path ending in an index) and
    /// of its value, if the document holds the whole path.
    pub fn locate(&self, root: &DeTable<'_>) -> Option<(Range<usize>, Range<usize>)> {
        let mut table = root;
        let mut array: Option<&[Spanned<DeValue<'_>>]> = None;
        let mut found = None;
        for segment in &self.0 {
            let (key_span, value) = match (segment, array) {
                (Segment::Key(k), None) => {
                    let (key, value) = table.iter().find(|(key, _)| key.get_ref() == k)?;
                    (key.span(), value)
                }
                (Segment::Index(i), Some(items)) => {
                    let item = items.get(*i)?;
                    (item.span(), item)
                }
                _ => return None,
            };
            found = Some((key_span, value.span()));
            array = None;
            match value.get_ref() {
                DeValue::Table(t) => table = t,
                DeValue::Array(a) => array = Some(a),
                _ => {}
            }
        }
        found
    }

    /// The innermost key or value holding byte `offset`, and whether the offset is on the key.
    pub fn at_offset(root: &DeTable<'_>, offset: usize) -> Option<(KeyPath, bool)> {
        let mut path = KeyPath::default();
        let on_key = find_in_table(root, offset, &mut path)?;
        Some((path, on_key))
    }
}

fn find_in_table(table: &DeTable<'_>, offset: usize, path: &mut KeyPath) -> Option<bool> {
    for (key, value) in table {
        let on_key = key.span().contains(&offset);
        if on_key || value.span().contains(&offset) {
            path.0.push(Segment::Key(key.get_ref().to_string()));
            return Some(on_key || find_in_value(value.get_ref(), offset, path).unwrap_or(false));
        }
    }
    // Tables and arrays of tables collect keys from several places (headers), so a key may
    // lie outside its table's span: look deeper before giving up.
    for (key, value) in table {
        let depth = path.0.len();
        path.0.push(Segment::Key(key.get_ref().to_string()));
        if let Some(on_key) = find_in_value(value.get_ref(), offset, path) {
            return Some(on_key);
        }
        path.0.truncate(depth);
    }
    None
}

fn find_in_value(value: &DeValue<'_>, offset: usize, path: &mut KeyPath) -> Option<bool> {
    match value {
        DeValue::Table(t) => find_in_table(t, offset, path),
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let depth = path.0.len();
                path.0.push(Segment::Index(i));
                if let Some(on_key) = find_in_value(item.get_ref(), offset, path) {
                    return Some(on_key);
                }
                if item.span().contains(&offset) {
                    return Some(false);
                }
                path.0.truncate(depth);
            }
            None
        }
        _ => None,
    }
}

impl fmt::Display for KeyPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, segment) in self.0.iter().enumerate() {
            match segment {
                Segment::Key(k) if k.contains('.') => write!(f, "{}\"{k}\"", if i > 0 { "." } else { "" })?,
                Segment::Key(k) => write!(f, "{}{k}", if i > 0 { "." } else { "" })?,
                Segment::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A place in a text: 1-based line and column (in characters), and the line itself.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Position {
    /// Line, from 1.
    pub line: usize,
    /// Column, from 1, in characters.
    pub column: usize,
    /// The text of the line.
    pub text: String,
    /// Characters of the span on this line (at least 1).
    pub width: usize,
}

impl Position {
    /// The position of `span` in `source`.
    pub fn of(source: &str, span: &Range<usize>) -> Position {
        let start = floor_char_boundary(source, span.start.min(source.len()));
        let line_start = source[..start].rfind('\n').map_or(0, |i| i + 1);
        let line_end = source[start..].find('\n').map_or(source.len(), |i| start + i);
        let end = floor_char_boundary(source, span.end.clamp(start, line_end));
        Position {
            line: source[..start].matches('\n').count() + 1,
            column: source[line_start..start].chars().count() + 1,
            text: source[line_start..line_end].trim_end_matches('\r').to_string(),
            width: source[start..end].chars().count().max(1),
        }
    }

    /// The line with the span underlined, rustc style.
    pub fn snippet(&self) -> String {
        let gutter = self.line.to_string().len();
        format!(
            "{:gutter$} |\n{} | {}\n{:gutter$} | {}{}",
            "",
            self.line,
            self.text,
            "",
            " ".repeat(self.column - 1),
            "^".repeat(self.width)
        )
    }
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "name = \"x\"\n[time]\ndays = \"ten\"\n\n[[therapy]]\ndrug = \"denosumab\"\n\n[[therapy]]\ndose = -1\n\n[parameters]\n\"osteoclast.lifespan_days\" = 99\n";

    #[test]
    fn paths_parse_and_print() {
        let p = KeyPath::parse("therapy[1].dose").unwrap();
        assert_eq!(p.0, vec![Segment::Key("therapy".into()), Segment::Index(1), Segment::Key("dose".into())]);
        assert_eq!(p.to_string(), "therapy[1].dose");
        assert_eq!(KeyPath::parameter("a.b").to_string(), "parameters.\"a.b\"");
        assert!(KeyPath::parse("a..b").is_err());
        assert!(KeyPath::parse("a[x]").is_err());
        assert!(KeyPath::parse("a b").is_err());
    }

    #[test]
    fn overlap_is_a_prefix_either_way() {
        let days = KeyPath::parse("time.days").unwrap();
        assert!(days.overlaps(&KeyPath::parse("time").unwrap()));
        assert!(!days.overlaps(&KeyPath::parse("time.tick_hours").unwrap()));
    }

    #[test]
    fn paths_are_found_in_the_text_and_back() {
        let doc = DeTable::parse(DOC).unwrap();
        let root = doc.get_ref();
        for (path, line, column) in [
            (KeyPath::parse("time.days").unwrap(), 3, 8),
            (KeyPath::parse("therapy[1].dose").unwrap(), 9, 8),
            (KeyPath::parameter("osteoclast.lifespan_days"), 12, 30),
        ] {
            let (_, value) = path.locate(root).unwrap_or_else(|| panic!("{path} not found"));
            let pos = Position::of(DOC, &value);
            assert_eq!((pos.line, pos.column), (line, column), "{path}");
            assert_eq!(KeyPath::at_offset(root, value.start), Some((path.clone(), false)));
        }
        assert_eq!(KeyPath::parse("time.tick_hours").unwrap().locate(root), None);
        assert_eq!(KeyPath::parse("therapy[2].dose").unwrap().locate(root), None);
    }

    #[test]
    fn positions_count_characters_and_underline() {
        let pos = Position::of("a = 1\nµ = \"ten\"\n", &(11..16));
        assert_eq!((pos.line, pos.column, pos.width), (2, 5, 5));
        assert_eq!(pos.snippet(), "  |\n2 | µ = \"ten\"\n  |     ^^^^^");
    }
}
