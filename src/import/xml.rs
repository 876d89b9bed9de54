//! A pull reader over quick-xml for the XML exports: elements by local name
//! (namespaces `dsq:`, `wp:` are matched by what follows the prefix), text
//! with its references resolved, and errors that name a line and a column.

use super::ImportError;
use quick_xml::events::Event;
use quick_xml::Reader;
use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

pub enum Ev {
    /// An element opens: its local name and its attributes (local names).
    Start(String, Vec<(String, String)>),
    End,
    Text(String),
    Eof,
}

pub struct Xml {
    reader: Reader<BufReader<File>>,
    buf: Vec<u8>,
    path: PathBuf,
    total: u64,
    /// The end of an empty element (`<x/>`), given after its start.
    pending_end: Option<()>,
    pub depth: usize,
}

impl Xml {
    pub fn open(path: &Path) -> Result<Xml, ImportError> {
        let file = File::open(path)
            .map_err(|e| ImportError::Io(format!("cannot open {}: {e}", path.display())))?;
        let total = file.metadata().map(|m| m.len()).unwrap_or(0);
        let mut reader = Reader::from_reader(BufReader::with_capacity(1 << 16, file));
        let config = reader.config_mut();
        config.trim_text(false);
        config.check_end_names = true;
        config.expand_empty_elements = false;
        Ok(Xml {
            reader,
            buf: Vec::with_capacity(1 << 12),
            path: path.to_path_buf(),
            total,
            pending_end: None,
            depth: 0,
        })
    }

    /// (bytes read, file size).
    pub fn progress(&self) -> (u64, u64) {
        (self.reader.buffer_position(), self.total)
    }

    pub fn next(&mut self) -> Result<Ev, ImportError> {
        if self.pending_end.take().is_some() {
            self.depth -= 1;
            return Ok(Ev::End);
        }
        loop {
            self.buf.clear();
            let event = match self.reader.read_event_into(&mut self.buf) {
                Ok(e) => e,
                Err(e) => {
                    let at = self.reader.error_position();
                    return Err(ImportError::input(
                        self.position_text(at),
                        format!("malformed XML: {e}"),
                    ));
                }
            };
            let ev = match event {
                Event::Start(e) => {
                    self.depth += 1;
                    Ev::Start(local(e.local_name().as_ref()), attributes(&e))
                }
                Event::Empty(e) => {
                    self.depth += 1;
                    let name = local(e.local_name().as_ref());
                    self.pending_end = Some(());
                    Ev::Start(name, attributes(&e))
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Ev::End
                }
                Event::Text(t) => match t.xml10_content() {
                    Ok(s) => Ev::Text(s.into_owned()),
                    Err(e) => return Err(self.here(format!("text is not UTF-8: {e}"))),
                },
                Event::CData(c) => match std::str::from_utf8(&c) {
                    Ok(s) => Ev::Text(s.replace("\r\n", "\n")),
                    Err(e) => return Err(self.here(format!("CDATA is not UTF-8: {e}"))),
                },
                Event::GeneralRef(r) => {
                    let name = String::from_utf8_lossy(&r).into_owned();
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => Ev::Text(c.to_string()),
                        Ok(None) => match predefined(&name) {
                            Some(c) => Ev::Text(c.to_string()),
                            // Not XML, but exports carry HTML's names (&nbsp;): be kind.
                            None => {
                                let decoded = super::html::decode_entities(&format!("&{name};"));
                                if decoded.starts_with('&') {
                                    return Err(self.here(format!("unknown entity &{name};")));
                                }
                                Ev::Text(decoded)
                            }
                        },
                        Err(e) => return Err(self.here(format!("bad character reference: {e}"))),
                    }
                }
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(self.here("the file ends inside an element".to_string()));
                    }
                    Ev::Eof
                }
                _ => continue,
            };
            return Ok(ev);
        }
    }

    /// An input error at the current position.
    pub fn here(&self, message: String) -> ImportError {
        ImportError::input(self.position_text(self.reader.buffer_position()), message)
    }

    /// "FILE: line L, column C" for a byte offset (read again from the file:
    /// only errors pay for it).
    fn position_text(&self, offset: u64) -> String {
        let (line, column) = line_column(&self.path, offset).unwrap_or((0, 0));
        format!("{}: line {line}, column {column}", self.path.display())
    }

    /// Reads the rest of the element just opened (at `depth`) into its fields:
    /// the text of each descendant by its path (`author/name`), and the `id`
    /// attribute of each (`thread@id`).
    pub fn record(&mut self) -> Result<Fields, ImportError> {
        let mut fields = Fields::default();
        // The path below the element (`author/name`), and where each level starts.
        let mut path = String::new();
        let mut starts: Vec<usize> = Vec::new();
        let base = self.depth;
        loop {
            match self.next()? {
                Ev::Start(name, attrs) => {
                    starts.push(path.len());
                    if !path.is_empty() {
                        path.push('/');
                    }
                    path.push_str(&name);
                    for (k, v) in attrs {
                        if k == "id" {
                            fields.map.insert(format!("{path}@id"), v);
                        }
                    }
                }
                Ev::End => {
                    if self.depth < base {
                        return Ok(fields);
                    }
                    path.truncate(starts.pop().unwrap_or(0));
                }
                Ev::Text(t) => {
                    if !starts.is_empty() {
                        match fields.map.get_mut(path.as_str()) {
                            Some(text) => text.push_str(&t),
                            None => {
                                fields.map.insert(path.clone(), t);
                            }
                        }
                    }
                }
                Ev::Eof => return Err(self.here("the file ends inside an element".into())),
            }
        }
    }

    /// Skips the rest of the element just opened.
    pub fn skip(&mut self) -> Result<(), ImportError> {
        let base = self.depth;
        loop {
            match self.next()? {
                Ev::End if self.depth < base => return Ok(()),
                Ev::Eof => return Err(self.here("the file ends inside an element".into())),
                _ => {}
            }
        }
    }

    /// The first element of the document (its local name), skipping the prolog.
    pub fn root(&mut self) -> Result<(String, Vec<(String, String)>), ImportError> {
        loop {
            match self.next()? {
                Ev::Start(name, attrs) => return Ok((name, attrs)),
                Ev::Text(t) if t.trim().is_empty() => {}
                Ev::Text(_) => return Err(self.here("text before the root element".into())),
                Ev::End => return Err(self.here("an end tag before any element".into())),
                Ev::Eof => return Err(self.here("no element in the file".into())),
            }
        }
    }
}

/// An element's fields, by path below it.
#[derive(Debug, Default)]
pub struct Fields {
    pub map: HashMap<String, String>,
}

impl Fields {
    pub fn text(&self, path: &str) -> Option<&str> {
        self.map.get(path).map(String::as_str)
    }

    /// The trimmed text, `None` when absent or empty.
    pub fn value(&self, path: &str) -> Option<String> {
        self.text(path)
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    }

    pub fn flag(&self, path: &str) -> bool {
        matches!(self.text(path).map(str::trim), Some("true" | "1"))
    }
}

fn local(name: &[u8]) -> String {
    String::from_utf8_lossy(name).into_owned()
}

fn attributes(e: &quick_xml::events::BytesStart<'_>) -> Vec<(String, String)> {
    e.attributes()
        .flatten()
        .map(|a| {
            let value = a
                .unescape_value()
                .map(|v| v.into_owned())
                .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
            (local(a.key.local_name().as_ref()), value)
        })
        .collect()
}

fn predefined(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "apos" => Some('\''),
        "quot" => Some('"'),
        _ => None,
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(path: &Path, offset: u64) -> std::io::Result<(u64, u64)> {
    let mut reader = BufReader::new(File::open(path)?).take(offset);
    let (mut line, mut column) = (1u64, 1u64);
    loop {
        let buf = reader.fill_buf()?;
        if buf.is_empty() {
            break;
        }
        for &b in buf {
            if b == b'\n' {
                line += 1;
                column = 1;
            } else if b & 0xC0 != 0x80 {
                column += 1;
            }
        }
        let n = buf.len();
        reader.consume(n);
    }
    Ok((line, column))
}
