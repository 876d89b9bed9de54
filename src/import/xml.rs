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

/// What `Xml::step` read; the name, attributes or text are in the reader's
/// buffers (`name`, `attrs`, `text`), reused from event to event.
enum Step {
    Start,
    End,
    Text,
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
    /// The last element's local name and attributes, and the last text.
    name: String,
    attrs: Vec<(String, String)>,
    text: String,
    /// `record`'s path below the record (`author/name`), and where each
    /// level starts in it.
    field_path: String,
    field_starts: Vec<usize>,
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
            name: String::new(),
            attrs: Vec::new(),
            text: String::new(),
            field_path: String::new(),
            field_starts: Vec::new(),
        })
    }

    /// (bytes read, file size).
    pub fn progress(&self) -> (u64, u64) {
        (self.reader.buffer_position(), self.total)
    }

    pub fn next(&mut self) -> Result<Ev, ImportError> {
        Ok(match self.step()? {
            Step::Start => Ev::Start(self.name.clone(), std::mem::take(&mut self.attrs)),
            Step::End => Ev::End,
            Step::Text => Ev::Text(self.text.clone()),
            Step::Eof => Ev::Eof,
        })
    }

    /// The next event, its content left in the reader's buffers: a record's
    /// dozen elements and texts cost no allocation once the buffers have grown.
    fn step(&mut self) -> Result<Step, ImportError> {
        if self.pending_end.take().is_some() {
            self.depth -= 1;
            return Ok(Step::End);
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
            let step = match event {
                Event::Start(e) => {
                    self.depth += 1;
                    start(&e, &mut self.name, &mut self.attrs);
                    Step::Start
                }
                Event::Empty(e) => {
                    self.depth += 1;
                    start(&e, &mut self.name, &mut self.attrs);
                    self.pending_end = Some(());
                    Step::Start
                }
                Event::End(_) => {
                    self.depth = self.depth.saturating_sub(1);
                    Step::End
                }
                Event::Text(t) => match t.xml10_content() {
                    Ok(s) => {
                        self.text.clear();
                        self.text.push_str(&s);
                        Step::Text
                    }
                    Err(e) => return Err(self.here(format!("text is not UTF-8: {e}"))),
                },
                Event::CData(c) => match std::str::from_utf8(&c) {
                    Ok(s) => {
                        self.text.clear();
                        if s.contains('\r') {
                            self.text.push_str(&s.replace("\r\n", "\n"));
                        } else {
                            self.text.push_str(s);
                        }
                        Step::Text
                    }
                    Err(e) => return Err(self.here(format!("CDATA is not UTF-8: {e}"))),
                },
                Event::GeneralRef(r) => {
                    self.text.clear();
                    match r.resolve_char_ref() {
                        Ok(Some(c)) => self.text.push(c),
                        Ok(None) => {
                            let name = String::from_utf8_lossy(&r);
                            match predefined(&name) {
                                Some(c) => self.text.push(c),
                                // Not XML, but exports carry HTML's names (&nbsp;): be kind.
                                None => {
                                    let entity = format!("&{name};");
                                    let decoded = super::html::decode_entities(&entity);
                                    if decoded.starts_with('&') {
                                        let message = format!("unknown entity &{name};");
                                        return Err(self.here(message));
                                    }
                                    self.text.push_str(&decoded);
                                }
                            }
                        }
                        Err(e) => return Err(self.here(format!("bad character reference: {e}"))),
                    }
                    Step::Text
                }
                Event::Eof => {
                    if self.depth > 0 {
                        return Err(self.here("the file ends inside an element".to_string()));
                    }
                    Step::Eof
                }
                _ => continue,
            };
            return Ok(step);
        }
    }

    /// "FILE: line L, column C" of the current position.
    pub fn position(&self) -> String {
        self.position_text(self.reader.buffer_position())
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
        self.record_into(&mut fields)?;
        Ok(fields)
    }

    /// `record` into fields kept from the last record, whose paths and
    /// buffers are reused.
    pub fn record_into(&mut self, fields: &mut Fields) -> Result<(), ImportError> {
        fields.clear();
        self.field_path.clear();
        self.field_starts.clear();
        let base = self.depth;
        loop {
            match self.step()? {
                Step::Start => {
                    let path = &mut self.field_path;
                    self.field_starts.push(path.len());
                    if !path.is_empty() {
                        path.push('/');
                    }
                    path.push_str(&self.name);
                    if let Some((_, id)) = self.attrs.iter().find(|(k, _)| k == "id") {
                        let end = path.len();
                        path.push_str("@id");
                        fields.set(path, id);
                        path.truncate(end);
                    }
                }
                Step::End => {
                    if self.depth < base {
                        return Ok(());
                    }
                    let start = self.field_starts.pop().unwrap_or(0);
                    self.field_path.truncate(start);
                }
                Step::Text => {
                    if !self.field_starts.is_empty() {
                        fields.append(&self.field_path, &self.text);
                    }
                }
                Step::Eof => return Err(self.here("the file ends inside an element".into())),
            }
        }
    }

    /// Skips the rest of the element just opened.
    pub fn skip(&mut self) -> Result<(), ImportError> {
        let base = self.depth;
        loop {
            match self.step()? {
                Step::End if self.depth < base => return Ok(()),
                Step::Eof => return Err(self.here("the file ends inside an element".into())),
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

/// An element's fields, by path below it. A record has a dozen or two (a
/// Disqus thread's and post's together fit in 32): a list searched in
/// order beats hashing, and its strings are reused by the next
/// record read into it. Past the first `SCANNED` paths (a record with many
/// distinct elements, by mistake or on purpose) they are found through an
/// index, so a record of n elements costs O(n), not O(n²).
#[derive(Debug, Default)]
pub struct Fields {
    entries: Vec<Field>,
    /// Where each path past the first `SCANNED` is in `entries`.
    index: HashMap<String, usize>,
}

/// Paths searched in order before the index.
const SCANNED: usize = 32;

/// Paths kept from record to record: beyond, the next record starts over
/// (clearing the texts of thousands of paths per record would be O(n²) again).
const KEPT: usize = 128;

#[derive(Debug)]
struct Field {
    path: String,
    text: String,
    /// Found in the current record (the entry may be left from an earlier one).
    present: bool,
}

impl Fields {
    fn clear(&mut self) {
        if self.entries.len() > KEPT {
            self.entries.truncate(SCANNED);
            self.index.clear();
        }
        for f in &mut self.entries {
            f.text.clear();
            f.present = false;
        }
    }

    fn find(&self, path: &str) -> Option<usize> {
        let scanned = self.entries.len().min(SCANNED);
        self.entries[..scanned]
            .iter()
            .position(|f| f.path == path)
            .or_else(|| self.index.get(path).copied())
    }

    /// The text of `path`, marked present, made when missing.
    fn slot(&mut self, path: &str) -> &mut String {
        let i = match self.find(path) {
            Some(i) => i,
            None => {
                let i = self.entries.len();
                self.entries.push(Field {
                    path: path.to_string(),
                    text: String::new(),
                    present: false,
                });
                if i >= SCANNED {
                    self.index.insert(path.to_string(), i);
                }
                i
            }
        };
        let field = &mut self.entries[i];
        field.present = true;
        &mut field.text
    }

    /// Adds text to a field (an element's text may come in several events).
    pub fn append(&mut self, path: &str, text: &str) {
        self.slot(path).push_str(text);
    }

    fn set(&mut self, path: &str, text: &str) {
        let slot = self.slot(path);
        slot.clear();
        slot.push_str(text);
    }

    pub fn text(&self, path: &str) -> Option<&str> {
        let field = &self.entries[self.find(path)?];
        field.present.then_some(field.text.as_str())
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

/// An element's local name and attributes, into the reader's buffers.
fn start(
    e: &quick_xml::events::BytesStart<'_>,
    name: &mut String,
    attrs: &mut Vec<(String, String)>,
) {
    name.clear();
    name.push_str(&String::from_utf8_lossy(e.local_name().as_ref()));
    attrs.clear();
    for a in e.attributes().flatten() {
        let value = a
            .unescape_value()
            .map(|v| v.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(&a.value).into_owned());
        attrs.push((
            String::from_utf8_lossy(a.key.local_name().as_ref()).into_owned(),
            value,
        ));
    }
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
