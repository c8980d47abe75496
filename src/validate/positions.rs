//! Where a key sits in a YAML document. serde_yaml forgets positions once a
//! value is deserialized, so checks that run on typed data record a key path and
//! this module finds its line and column (and, for a serde error, the key path
//! at a line and column). It parses again, but only the files that have
//! errors, so the happy path never pays for it. It knows nothing of the site
//! format: any YAML, any key.

use yaml_rust2::parser::{Event, Parser};
use yaml_rust2::scanner::Marker;

/// One step of a key path: a mapping key or a sequence index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seg {
    Key(String),
    Index(usize),
}

/// A key path such as `sources[2].url`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KeyPath(pub Vec<Seg>);

impl KeyPath {
    pub fn root() -> Self {
        KeyPath(Vec::new())
    }
    pub fn key(&self, key: &str) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Key(key.to_string()));
        KeyPath(segs)
    }
    pub fn index(&self, index: usize) -> Self {
        let mut segs = self.0.clone();
        segs.push(Seg::Index(index));
        KeyPath(segs)
    }
}

impl std::fmt::Display for KeyPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, seg) in self.0.iter().enumerate() {
            match seg {
                Seg::Key(k) if i == 0 => write!(f, "{k}")?,
                Seg::Key(k) => write!(f, ".{k}")?,
                Seg::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

#[derive(Debug)]
enum Node {
    /// Each key with its position and its value's.
    Map(Vec<(String, Marker, Marker, Node)>),
    Seq(Vec<(Marker, Node)>),
    Leaf,
}

struct Spanned {
    mark: Marker,
    node: Node,
}

/// A parsed document that can answer "where is this key?" (1-based line and
/// column, relative to the YAML text).
pub struct Positions {
    root: Option<(Marker, Node)>,
}

impl Positions {
    pub fn parse(yaml: &str) -> Positions {
        // Event by event rather than through `Parser::load`, which recurses
        // once per level of nesting and so overflows on a hostile document.
        let mut parser = Parser::new_from_str(yaml);
        let mut collected = Vec::new();
        loop {
            match parser.next_token() {
                Ok((Event::StreamEnd, _)) => break,
                Ok(event) => collected.push(event),
                Err(_) => return Positions { root: None },
            }
        }
        let mut events = collected.into_iter().peekable();
        // Past the stream's and the first document's start: the root node is next.
        while matches!(
            events.peek(),
            Some((Event::StreamStart | Event::DocumentStart, _))
        ) {
            events.next();
        }
        let root = build(&mut events, 0).map(|s| (s.mark, s.node));
        Positions { root }
    }

    /// Position of the deepest existing part of `path`: the key itself for a
    /// mapping key, the item for a sequence index.
    pub fn locate(&self, path: &KeyPath) -> (usize, usize) {
        let Some((_, root)) = &self.root else {
            return (1, 1);
        };
        // The document's first line, until a step of the path is found.
        let mut mark: Option<Marker> = None;
        let mut node = root;
        for seg in &path.0 {
            match (seg, node) {
                (Seg::Key(k), Node::Map(entries)) => {
                    match entries.iter().find(|(name, ..)| name == k) {
                        Some((_, key_mark, _, child)) => {
                            mark = Some(*key_mark);
                            node = child;
                        }
                        None => break,
                    }
                }
                (Seg::Index(i), Node::Seq(items)) => match items.get(*i) {
                    Some((item_mark, child)) => {
                        // A mapping item is best pointed at by its first key.
                        mark = Some(match child {
                            Node::Map(entries) if !entries.is_empty() => entries[0].1,
                            _ => *item_mark,
                        });
                        node = child;
                    }
                    None => break,
                },
                _ => break,
            }
        }
        mark.map_or((1, 1), |m| (m.line(), m.col() + 1))
    }

    /// Position of the value at `path` (where a wrong type was written); for
    /// a path that does not end at a key's value, as `locate`.
    pub fn locate_value(&self, path: &KeyPath) -> (usize, usize) {
        let Some((_, root)) = &self.root else {
            return (1, 1);
        };
        let Some((last, parents)) = path.0.split_last() else {
            return self.locate(path);
        };
        let mut node = root;
        for seg in parents {
            node = match (seg, node) {
                (Seg::Key(k), Node::Map(entries)) => {
                    match entries.iter().find(|(name, ..)| name == k) {
                        Some((.., child)) => child,
                        None => return self.locate(path),
                    }
                }
                (Seg::Index(i), Node::Seq(items)) => match items.get(*i) {
                    Some((_, child)) => child,
                    None => return self.locate(path),
                },
                _ => return self.locate(path),
            };
        }
        match (last, node) {
            (Seg::Key(k), Node::Map(entries)) => {
                entries.iter().find(|(name, ..)| name == k).map_or_else(
                    || self.locate(path),
                    |(_, _, value, _)| (value.line(), value.col() + 1),
                )
            }
            _ => self.locate(path),
        }
    }

    /// The key path of the innermost node that starts at or before `line:col`
    /// (1-based), to name the key a serde error points at.
    pub fn path_at(&self, line: usize, col: usize) -> KeyPath {
        let mut path = KeyPath::root();
        let Some((_, root)) = &self.root else {
            return path;
        };
        let target = (line, col);
        let mut node = root;
        loop {
            let next = match node {
                Node::Map(entries) => entries
                    .iter()
                    .rev()
                    .find(|(_, m, ..)| (m.line(), m.col() + 1) <= target)
                    .map(|(k, _, _, child)| (Seg::Key(k.clone()), child)),
                Node::Seq(items) => items
                    .iter()
                    .enumerate()
                    .rev()
                    .find(|(_, (m, _))| (m.line(), m.col() + 1) <= target)
                    .map(|(i, (_, child))| (Seg::Index(i), child)),
                Node::Leaf => None,
            };
            match next {
                Some((seg, child)) => {
                    path.0.push(seg);
                    node = child;
                }
                None => return path,
            }
        }
    }
}

type Events = std::iter::Peekable<std::vec::IntoIter<(Event, Marker)>>;

/// Deeper than this, a document's positions are not kept: a message about
/// something that deep points at the collection it sits in. (Recursing
/// without a bound would overflow the stack on a hostile document.)
const MAX_DEPTH: usize = 64;

fn build(events: &mut Events, depth: usize) -> Option<Spanned> {
    let (event, mark) = events.next()?;
    if depth >= MAX_DEPTH && matches!(event, Event::MappingStart(..) | Event::SequenceStart(..)) {
        skip_collection(events);
        return Some(Spanned {
            mark,
            node: Node::Leaf,
        });
    }
    let node = match event {
        Event::MappingStart(..) => Node::Map(children(events, &Event::MappingEnd, |events| {
            let key = build_key(events, depth);
            let value = build(events, depth + 1);
            key.map(|(name, key_mark)| match value {
                Some(value) => (name, key_mark, value.mark, value.node),
                None => (name, key_mark, key_mark, Node::Leaf),
            })
        })),
        Event::SequenceStart(..) => Node::Seq(children(events, &Event::SequenceEnd, |events| {
            build(events, depth + 1).map(|item| (item.mark, item.node))
        })),
        _ => Node::Leaf,
    };
    Some(Spanned { mark, node })
}

/// The children of a collection, each read by `child` (None: not one to
/// keep), up to its `end` event (or the end of the events), which is
/// consumed.
fn children<T>(
    events: &mut Events,
    end: &Event,
    mut child: impl FnMut(&mut Events) -> Option<T>,
) -> Vec<T> {
    let mut kept = Vec::new();
    loop {
        match events.peek() {
            Some((event, _)) if event != end => kept.extend(child(events)),
            _ => {
                events.next();
                return kept;
            }
        }
    }
}

/// Consumes the rest of a collection whose start was just read, however
/// deep, without recursing.
fn skip_collection(events: &mut Events) {
    let mut open = 1usize;
    while open > 0 {
        match events.next() {
            Some((Event::MappingStart(..) | Event::SequenceStart(..), _)) => open += 1,
            Some((Event::MappingEnd | Event::SequenceEnd, _)) => open -= 1,
            Some(_) => {}
            None => return,
        }
    }
}

fn build_key(events: &mut Events, depth: usize) -> Option<(String, Marker)> {
    let (event, mark) = events.peek()?.clone();
    match event {
        Event::Scalar(name, ..) => {
            events.next();
            Some((name, mark))
        }
        _ => {
            // A complex key: consume it, it cannot be one of ours anyway.
            build(events, depth + 1);
            None
        }
    }
}
