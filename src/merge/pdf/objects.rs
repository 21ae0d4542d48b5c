//! The file layer: numbered objects written in whatever order they are ready, their byte
//! offsets remembered for the cross-reference table, and Flate-compressed streams. Object
//! numbers are handed out before the object is written, so a page can point at the page tree
//! that is only written at the end.

use std::io::{self, Write};

use flate2::{Compress, Compression, FlushCompress, Status};

use super::syntax::push_uint;

/// A PDF object number (generation 0 throughout: nothing is ever updated in place).
pub type ObjectId = u64;

pub struct Objects<W: Write> {
    out: W,
    position: u64,
    /// Byte offset of each object, by number − 1; 0 until it is written.
    offsets: Vec<u64>,
    scratch: Vec<u8>,
}

impl<W: Write> Objects<W> {
    /// Starts the file with the header; the comment of high bytes tells transfer tools that
    /// the file is binary.
    pub fn new(out: W) -> io::Result<Objects<W>> {
        let mut objects = Objects { out, position: 0, offsets: Vec::new(), scratch: Vec::new() };
        objects.write_all(b"%PDF-1.4\n%\xE2\xE3\xCF\xD3\n")?;
        Ok(objects)
    }

    /// The next object number, to be written later with `object` or `stream`.
    pub fn reserve(&mut self) -> ObjectId {
        self.offsets.push(0);
        self.offsets.len() as ObjectId
    }

    /// Writes object `id` whose value is `body` (a dictionary, an array …).
    pub fn object(&mut self, id: ObjectId, body: &[u8]) -> io::Result<()> {
        self.begin(id);
        self.scratch.extend_from_slice(body);
        self.scratch.extend_from_slice(b"\nendobj\n");
        self.flush_scratch()
    }

    /// Writes object `id` as a stream of already-compressed `data`; `entries` are dictionary
    /// entries beyond /Length and /Filter.
    pub fn stream(&mut self, id: ObjectId, entries: &[u8], data: &[u8]) -> io::Result<()> {
        self.stream_with_filter(id, b"/FlateDecode", entries, data)
    }

    /// `stream` for data encoded with `filter` (`/DCTDecode` for a JPEG as it is).
    pub fn stream_with_filter(&mut self, id: ObjectId, filter: &[u8], entries: &[u8], data: &[u8]) -> io::Result<()> {
        self.begin(id);
        self.scratch.extend_from_slice(b"<</Length ");
        push_uint(&mut self.scratch, data.len() as u64);
        self.scratch.extend_from_slice(b"/Filter");
        self.scratch.extend_from_slice(filter);
        self.scratch.extend_from_slice(entries);
        self.scratch.extend_from_slice(b">>stream\n");
        self.flush_scratch()?;
        self.write_all(data)?;
        self.write_all(b"\nendstream\nendobj\n")
    }

    /// Writes the cross-reference table and trailer, and hands back the output.
    pub fn finish(mut self, root: ObjectId, info: ObjectId) -> io::Result<W> {
        debug_assert!(self.offsets.iter().all(|&o| o > 0), "every reserved object was written");
        let xref_at = self.position;
        let count = self.offsets.len() as u64 + 1;
        let mut table = Vec::with_capacity(32 + 20 * count as usize);
        table.extend_from_slice(b"xref\n0 ");
        push_uint(&mut table, count);
        // Each entry is exactly 20 bytes, its end of line included.
        table.extend_from_slice(b"\n0000000000 65535 f \n");
        for &offset in &self.offsets {
            table.extend_from_slice(format!("{offset:010} 00000 n \n").as_bytes());
        }
        table.extend_from_slice(
            format!("trailer\n<</Size {count}/Root {root} 0 R/Info {info} 0 R>>\nstartxref\n{xref_at}\n%%EOF\n")
                .as_bytes(),
        );
        self.write_all(&table)?;
        Ok(self.out)
    }

    fn begin(&mut self, id: ObjectId) {
        self.offsets[id as usize - 1] = self.position;
        self.scratch.clear();
        push_uint(&mut self.scratch, id);
        self.scratch.extend_from_slice(b" 0 obj\n");
    }

    fn flush_scratch(&mut self) -> io::Result<()> {
        let scratch = std::mem::take(&mut self.scratch);
        let written = self.write_all(&scratch);
        self.scratch = scratch;
        written
    }

    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        self.out.write_all(bytes)?;
        self.position += bytes.len() as u64;
        Ok(())
    }
}

/// A zlib compressor and its output buffer, both reused from stream to stream: a fresh
/// compressor allocates and clears some 300 KB of tables, more than a page costs to compress.
pub struct Deflater {
    compress: Compress,
    out: Vec<u8>,
}

impl Deflater {
    pub fn new(level: Compression) -> Deflater {
        Deflater { compress: Compress::new(level, true), out: Vec::new() }
    }

    /// `data` compressed as one zlib stream (what /FlateDecode reads).
    pub fn deflate(&mut self, data: &[u8]) -> &[u8] {
        self.compress.reset();
        self.out.clear();
        loop {
            self.out.reserve(data.len() / 2 + 64);
            let read = self.compress.total_in() as usize;
            let status = self.compress.compress_vec(&data[read..], &mut self.out, FlushCompress::Finish);
            if status.expect("deflate accepts any input") == Status::StreamEnd {
                return &self.out;
            }
        }
    }
}
