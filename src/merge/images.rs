//! The sender's logo and signature. A PNG or JPEG file is checked once, when it is chosen (a
//! real image of at most 2 MB and 4,000 pixels a side), and kept byte for byte in the `images`
//! table, never changed after: "My details" and every recorded run name images by id, so a
//! re-print shows the very images the run printed. Images that nothing names any more go when
//! "My details" is saved (`delete_unused_images`).
//!
//! Both backends draw the file as it is (the PDF embeds a JPEG unchanged; the SVG preview uses
//! a data: URL); only a PNG's samples are decoded, once per run, for the PDF (`Image::raster`).

use std::io::{Cursor, Read, Write};
use std::path::Path;
use std::sync::{Arc, OnceLock};

use base64::Engine;
use chrono::Utc;
use flate2::Compression;
use flate2::write::ZlibEncoder;
use rusqlite::{Connection, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::fields::Sender;
use crate::store::timestamp;
use crate::{Error, FieldError, Result};

pub type ImageId = Uuid;

/// The largest file accepted: a letterhead logo or a scanned signature needs far less.
pub const MAX_IMAGE_BYTES: u64 = 2 * 1024 * 1024;
/// The most pixels a side: 4,000 is 13 inches at 300 dpi, and keeps a decoded PNG under 64 MB.
pub const MAX_IMAGE_SIDE: u32 = 4000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageFormat {
    Png,
    Jpeg,
}

impl ImageFormat {
    pub fn mime(self) -> &'static str {
        match self {
            ImageFormat::Png => "image/png",
            ImageFormat::Jpeg => "image/jpeg",
        }
    }

    fn name(self) -> &'static str {
        match self {
            ImageFormat::Png => "png",
            ImageFormat::Jpeg => "jpeg",
        }
    }
}

/// A stored image, as both backends draw it.
pub struct Image {
    pub id: ImageId,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    /// Colour channels: 1 (grey) or 3 (RGB).
    pub channels: u8,
    /// The file as chosen.
    pub bytes: Vec<u8>,
    raster: OnceLock<Raster>,
}

/// A PNG's samples, 8 bits each, zlib-compressed as PDF's FlateDecode reads them: the colour,
/// and the alpha when some pixel is not opaque.
pub struct Raster {
    pub color: Vec<u8>,
    pub alpha: Option<Vec<u8>>,
}

/// Images compare by id: the bytes under an id never change.
impl PartialEq for Image {
    fn eq(&self, other: &Image) -> bool {
        self.id == other.id
    }
}

impl std::fmt::Debug for Image {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Image({} {} {}×{})", self.id, self.format.name(), self.width, self.height)
    }
}

impl Image {
    /// Reads the header of a stored image; the samples are decoded only if a PDF needs them.
    fn from_stored(id: ImageId, bytes: Vec<u8>) -> std::result::Result<Image, String> {
        let header = header(&bytes)?;
        Ok(Image {
            id,
            format: header.format,
            width: header.width,
            height: header.height,
            channels: header.channels,
            bytes,
            raster: OnceLock::new(),
        })
    }

    /// Width over height.
    pub fn aspect(&self) -> f32 {
        self.width as f32 / self.height as f32
    }

    /// The file as a data: URL, for the SVG preview and the window's thumbnails.
    pub fn data_url(&self) -> String {
        let data = base64::engine::general_purpose::STANDARD.encode(&self.bytes);
        format!("data:{};base64,{data}", self.format.mime())
    }

    /// A PNG's decoded samples, decoded on first use and kept (`None` for a JPEG, which a PDF
    /// takes as it is).
    pub fn raster(&self) -> std::result::Result<Option<&Raster>, String> {
        if self.format == ImageFormat::Jpeg {
            return Ok(None);
        }
        if self.raster.get().is_none() {
            let raster = decode_png(&self.bytes)?;
            let _ = self.raster.set(raster);
        }
        Ok(self.raster.get())
    }
}

/// An image as the window lists it: what it is, and a thumbnail-ready data: URL.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ImageInfo {
    pub id: ImageId,
    pub format: ImageFormat,
    pub width: u32,
    pub height: u32,
    pub bytes: usize,
    pub data_url: String,
}

impl From<&Image> for ImageInfo {
    fn from(image: &Image) -> ImageInfo {
        ImageInfo {
            id: image.id,
            format: image.format,
            width: image.width,
            height: image.height,
            bytes: image.bytes.len(),
            data_url: image.data_url(),
        }
    }
}

/// Checks the PNG or JPEG file at `path` and stores it; "My details" can then name it.
pub fn add_image_file(conn: &Connection, path: &Path) -> Result<ImageInfo> {
    let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
    let file = std::fs::File::open(path)
        .map_err(|e| Error::Io(std::io::Error::new(e.kind(), format!("cannot read {}: {e}", path.display()))))?;
    let mut bytes = Vec::new();
    // One byte past the limit is enough to know the file is too big, without reading it all.
    file.take(MAX_IMAGE_BYTES + 1).read_to_end(&mut bytes)?;
    add_image(conn, &name, bytes)
}

/// Checks `bytes` (a file called `name`, for the messages) and stores them as a new image.
pub fn add_image(conn: &Connection, name: &str, bytes: Vec<u8>) -> Result<ImageInfo> {
    let image = check_image(name, bytes)?;
    conn.execute(
        "INSERT INTO images (id, format, data, added_at) VALUES (?1, ?2, ?3, ?4)",
        params![image.id.to_string(), image.format.name(), image.bytes, timestamp(Utc::now())],
    )?;
    Ok(ImageInfo::from(&image))
}

/// The image `bytes` make, if they are a PNG or JPEG this can print, fully decoded once to be
/// sure; otherwise an error that names the file and says what to do.
pub fn check_image(name: &str, bytes: Vec<u8>) -> Result<Image> {
    let invalid = |why: String| Error::Invalid(vec![FieldError::new("image", format!("{name} {why}"))]);
    if bytes.len() as u64 > MAX_IMAGE_BYTES {
        return Err(invalid(format!(
            "is larger than {} MB; save a smaller copy (a logo or signature needs a few hundred KB at most)",
            MAX_IMAGE_BYTES / (1024 * 1024)
        )));
    }
    let image = Image::from_stored(Uuid::now_v7(), bytes).map_err(invalid)?;
    image.raster().map_err(invalid)?;
    Ok(image)
}

/// The stored image `id`.
pub fn get_image(conn: &Connection, id: ImageId) -> Result<Image> {
    let bytes: Vec<u8> = conn
        .query_row("SELECT data FROM images WHERE id = ?1", [id.to_string()], |r| r.get(0))
        .optional()?
        .ok_or_else(|| Error::NotFound { what: "image", id: id.to_string() })?;
    Image::from_stored(id, bytes)
        .map_err(|why| Error::Invalid(vec![FieldError::new("image", format!("stored image {id} {why}"))]))
}

pub(super) fn image_exists(conn: &Connection, id: ImageId) -> Result<bool> {
    Ok(conn.query_row("SELECT EXISTS (SELECT 1 FROM images WHERE id = ?1)", [id.to_string()], |r| r.get(0))?)
}

/// What the window shows for image `id`.
pub fn image_info(conn: &Connection, id: ImageId) -> Result<ImageInfo> {
    Ok(ImageInfo::from(&get_image(conn, id)?))
}

/// Deletes the images neither `sender` nor any recorded run names (chosen, then replaced or
/// removed before saving); returns how many went.
pub(super) fn delete_unused_images(conn: &Connection, sender: &Sender) -> Result<usize> {
    let named = |id: Option<ImageId>| id.map(|id| id.to_string());
    // NOT IN over a list holding NULL matches nothing, hence the filter.
    Ok(conn.execute(
        "DELETE FROM images WHERE id NOT IN (
            SELECT id FROM (
                SELECT json_extract(options, '$.sender.logo') AS id FROM merge_runs
                UNION SELECT json_extract(options, '$.sender.signature') FROM merge_runs
                UNION SELECT ?1 UNION SELECT ?2)
            WHERE id IS NOT NULL)",
        params![named(sender.logo), named(sender.signature)],
    )?)
}

/// The images a run prints with, loaded once and shared by every page that shows them.
#[derive(Debug, Clone, Default)]
pub struct SenderImages {
    pub logo: Option<Arc<Image>>,
    pub signature: Option<Arc<Image>>,
}

impl SenderImages {
    /// The images `sender` names. One that is missing stops the run: printing without it
    /// would not be what the user set up (or, for a re-print, what was printed).
    pub fn load(conn: &Connection, sender: &Sender) -> Result<SenderImages> {
        let load = |id: Option<ImageId>, what: &str| -> Result<Option<Arc<Image>>> {
            id.map(|id| {
                get_image(conn, id).map(Arc::new).map_err(|e| match e {
                    Error::NotFound { .. } => Error::Missing(format!(
                        "the {what} image is no longer in this file; choose it again in My details"
                    )),
                    e => e,
                })
            })
            .transpose()
        };
        Ok(SenderImages { logo: load(sender.logo, "logo")?, signature: load(sender.signature, "signature")? })
    }
}

struct Header {
    format: ImageFormat,
    width: u32,
    height: u32,
    channels: u8,
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

/// The format and size from the file's first bytes; the reasons are written to follow the
/// file's name.
fn header(bytes: &[u8]) -> std::result::Result<Header, String> {
    let header = if bytes.starts_with(PNG_SIGNATURE) {
        png_header(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8]) {
        jpeg_header(bytes)?
    } else {
        return Err("is not a PNG or JPEG image; save it as one of those".into());
    };
    if header.width == 0 || header.height == 0 {
        return Err("is damaged (it says it has no pixels)".into());
    }
    if header.width.max(header.height) > MAX_IMAGE_SIDE {
        return Err(format!(
            "is {} × {} pixels; scale it to at most {MAX_IMAGE_SIDE} pixels a side",
            header.width, header.height
        ));
    }
    Ok(header)
}

fn png_header(bytes: &[u8]) -> std::result::Result<Header, String> {
    if bytes.len() < 26 || &bytes[12..16] != b"IHDR" {
        return Err("is damaged (its PNG header is missing)".into());
    }
    let be32 = |at: usize| u32::from_be_bytes(bytes[at..at + 4].try_into().expect("4 bytes"));
    // Colour type bit 2 is "has colour"; grey and grey-with-alpha print as one channel.
    let channels = if bytes[25] & 2 == 0 { 1 } else { 3 };
    Ok(Header { format: ImageFormat::Png, width: be32(16), height: be32(20), channels })
}

/// Walks the JPEG's segments to its frame header (size, channels) and checks the file reaches
/// its scan and its end, so a truncated download is refused here rather than printed broken.
fn jpeg_header(bytes: &[u8]) -> std::result::Result<Header, String> {
    let damaged = || "is damaged (its JPEG data ends early or is broken)".to_string();
    let be16 = |at: usize| bytes.get(at..at + 2).map(|b| u16::from_be_bytes([b[0], b[1]]));
    let mut frame = None;
    let mut at = 2;
    loop {
        match (bytes.get(at), bytes.get(at + 1)) {
            (Some(0xFF), Some(0xFF)) => at += 1, // fill byte
            (Some(0xFF), Some(&marker)) => {
                let length = be16(at + 2).ok_or_else(damaged)? as usize;
                match marker {
                    0xC0..=0xC2 => {
                        let (precision, channels) = (bytes.get(at + 4), bytes.get(at + 9));
                        let (height, width) = (be16(at + 5).ok_or_else(damaged)?, be16(at + 7).ok_or_else(damaged)?);
                        match (precision, channels) {
                            (Some(8), Some(&c @ (1 | 3))) => frame = Some((width, height, c)),
                            (Some(8), Some(4)) => return Err("is a CMYK JPEG; save it as RGB, or as a PNG".into()),
                            (Some(_), Some(_)) => {
                                return Err("is a 12-bit or unusual JPEG; save it as a standard JPEG or a PNG".into());
                            }
                            _ => return Err(damaged()),
                        }
                    }
                    0xC3 | 0xC5..=0xC7 | 0xC9..=0xCB | 0xCD..=0xCF => {
                        return Err("is a lossless or arithmetic-coded JPEG, which PDF readers cannot show; \
                                    save it as a standard JPEG or a PNG"
                            .into());
                    }
                    0xDA => break,
                    0xD9 => return Err(damaged()),
                    _ => {}
                }
                at += 2 + length;
            }
            _ => return Err(damaged()),
        }
    }
    let (width, height, channels) = frame.ok_or_else(damaged)?;
    // The scan runs to the end-of-image marker; a file cut short has none.
    if !bytes[at..].windows(2).any(|w| w == [0xFF, 0xD9]) {
        return Err(damaged());
    }
    Ok(Header { format: ImageFormat::Jpeg, width: width.into(), height: height.into(), channels })
}

/// Decodes a whole PNG to 8-bit grey or RGB samples and alpha, each zlib-compressed.
fn decode_png(bytes: &[u8]) -> std::result::Result<Raster, String> {
    let damaged = |e: png::DecodingError| format!("is damaged or not a PNG the decoder can read ({e})");
    let mut decoder = png::Decoder::new(Cursor::new(bytes));
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(damaged)?;
    let mut samples = vec![0; reader.output_buffer_size().ok_or("is too large to decode")?];
    let frame = reader.next_frame(&mut samples).map_err(damaged)?;
    samples.truncate(frame.buffer_size());
    let (colors, has_alpha) = match frame.color_type {
        png::ColorType::Grayscale => (1, false),
        png::ColorType::GrayscaleAlpha => (1, true),
        png::ColorType::Rgb => (3, false),
        png::ColorType::Rgba => (3, true),
        png::ColorType::Indexed => unreachable!("normalize_to_color8 expands palettes"),
    };
    if !has_alpha {
        return Ok(Raster { color: zlib(&samples), alpha: None });
    }
    let (mut color, mut alpha) = (Vec::with_capacity(samples.len()), Vec::with_capacity(samples.len() / 2));
    for pixel in samples.chunks_exact(colors + 1) {
        color.extend_from_slice(&pixel[..colors]);
        alpha.push(pixel[colors]);
    }
    let opaque = alpha.iter().all(|&a| a == 255);
    Ok(Raster { color: zlib(&color), alpha: (!opaque).then(|| zlib(&alpha)) })
}

fn zlib(data: &[u8]) -> Vec<u8> {
    let mut encoder = ZlibEncoder::new(Vec::new(), Compression::default());
    encoder.write_all(data).expect("writes to memory");
    encoder.finish().expect("writes to memory")
}
