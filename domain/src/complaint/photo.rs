//! Photos attached to a complaint: which files are images (by their first bytes, never by
//! the name or the type the browser declared), and the copy the public may see, with the
//! metadata a phone writes into a photo removed (EXIF with its GPS position, XMP, IPTC,
//! comments, text chunks, time stamps).
//!
//! The stripping is a walk over the container's own structure (JPEG segments, PNG chunks,
//! RIFF chunks of WebP) that copies what draws the picture and drops the rest. Nothing is
//! decoded or re-encoded, so the picture is exactly the resident's and a 3 MB photo costs
//! a few milliseconds. A file whose structure does not hold together is refused
//! ([`Malformed`]), never guessed at: what cannot be walked cannot be known to be clean.

use serde::{Deserialize, Serialize};

/// Photos per complaint (issue 6).
pub const MAX_PHOTOS: usize = 5;
/// Largest photo accepted, in bytes (10 MiB).
pub const MAX_PHOTO_BYTES: usize = 10 * 1024 * 1024;

const JPEG_MAGIC: &[u8] = &[0xFF, 0xD8, 0xFF];
const PNG_MAGIC: &[u8] = &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A];

/// The image formats a complaint may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ImageKind {
    Jpeg,
    Png,
    Webp,
}

impl ImageKind {
    /// The format by the file's magic bytes: JPEG `FF D8 FF`, PNG's 8-byte signature,
    /// WebP `RIFF….WEBP`. None for anything else.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        if bytes.starts_with(JPEG_MAGIC) {
            Some(Self::Jpeg)
        } else if bytes.starts_with(PNG_MAGIC) {
            Some(Self::Png)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(Self::Webp)
        } else {
            None
        }
    }

    /// The `Content-Type` to serve it with.
    pub fn content_type(self) -> &'static str {
        match self {
            Self::Jpeg => "image/jpeg",
            Self::Png => "image/png",
            Self::Webp => "image/webp",
        }
    }

    /// The code kept in the database.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Jpeg => "jpeg",
            Self::Png => "png",
            Self::Webp => "webp",
        }
    }

    pub fn parse(code: &str) -> Option<Self> {
        match code {
            "jpeg" => Some(Self::Jpeg),
            "png" => Some(Self::Png),
            "webp" => Some(Self::Webp),
            _ => None,
        }
    }
}

/// A file that starts like an image but whose structure does not hold together.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("malformed image: {0}")]
pub struct Malformed(pub &'static str);

/// Why one file cannot be attached.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("the file is empty")]
    Empty,
    #[error("the file is larger than {max} bytes")]
    TooLarge { max: usize },
    #[error("the file is not a JPEG, PNG or WebP image")]
    NotAnImage,
    #[error(transparent)]
    Malformed(#[from] Malformed),
}

/// What was wrong with a report form's photos, worded for the resident by the interface.
/// `name` is the file's name as the browser sent it (only ever shown back, escaped).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum UploadProblem {
    /// More than [`MAX_PHOTOS`] files.
    TooMany {
        max: usize,
    },
    Empty {
        name: String,
    },
    /// One file over [`MAX_PHOTO_BYTES`].
    TooLarge {
        name: String,
        max_bytes: usize,
    },
    /// The whole submission is larger than any valid one can be.
    BodyTooLarge,
    NotAnImage {
        name: String,
    },
    Malformed {
        name: String,
    },
    /// The form's encoding itself is broken (not a browser's doing).
    Unreadable,
}

impl UploadProblem {
    /// The problem of the file `name` that [`Photo::check`] refused.
    pub fn of_file(name: &str, error: PhotoError) -> Self {
        let name = name.chars().take(100).collect();
        match error {
            PhotoError::Empty => Self::Empty { name },
            PhotoError::TooLarge { max } => Self::TooLarge {
                name,
                max_bytes: max,
            },
            PhotoError::NotAnImage => Self::NotAnImage { name },
            PhotoError::Malformed(_) => Self::Malformed { name },
        }
    }

    /// The HTTP status of a submission refused for it: 413 for size, 415 for what is not
    /// a usable image, 400 for the rest.
    pub fn http_status(&self) -> u16 {
        match self {
            Self::TooLarge { .. } | Self::BodyTooLarge => 413,
            Self::NotAnImage { .. } | Self::Malformed { .. } => 415,
            Self::TooMany { .. } | Self::Empty { .. } | Self::Unreadable => 400,
        }
    }
}

/// A photo that passed the checks: the original as sent (for officers) and the copy for
/// the public, without metadata.
#[derive(Clone, PartialEq, Eq)]
pub struct Photo {
    kind: ImageKind,
    original: Vec<u8>,
    public: Vec<u8>,
}

impl std::fmt::Debug for Photo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Photo")
            .field("kind", &self.kind)
            .field("original_bytes", &self.original.len())
            .field("public_bytes", &self.public.len())
            .finish()
    }
}

impl Photo {
    /// Checks a file (not empty, at most [`MAX_PHOTO_BYTES`], an image by its magic bytes,
    /// a structure that can be walked) and makes its public copy.
    pub fn check(bytes: Vec<u8>) -> Result<Self, PhotoError> {
        if bytes.is_empty() {
            return Err(PhotoError::Empty);
        }
        if bytes.len() > MAX_PHOTO_BYTES {
            return Err(PhotoError::TooLarge {
                max: MAX_PHOTO_BYTES,
            });
        }
        let kind = ImageKind::sniff(&bytes).ok_or(PhotoError::NotAnImage)?;
        let public = strip_metadata(kind, &bytes)?;
        Ok(Self {
            kind,
            original: bytes,
            public,
        })
    }

    pub fn kind(&self) -> ImageKind {
        self.kind
    }

    /// The file as the resident sent it, metadata and all: for officers only.
    pub fn original(&self) -> &[u8] {
        &self.original
    }

    /// The copy without metadata: what the public and the reporter's page get.
    pub fn public(&self) -> &[u8] {
        &self.public
    }

    /// Both copies, by value.
    pub fn into_parts(self) -> (ImageKind, Vec<u8>, Vec<u8>) {
        (self.kind, self.original, self.public)
    }
}

/// The image without its metadata, by format (see the module's documentation for what is
/// kept and dropped).
pub fn strip_metadata(kind: ImageKind, bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    match kind {
        ImageKind::Jpeg => strip_jpeg(bytes),
        ImageKind::Png => strip_png(bytes),
        ImageKind::Webp => strip_webp(bytes),
    }
}

fn slice(bytes: &[u8], from: usize, len: usize) -> Result<&[u8], Malformed> {
    from.checked_add(len)
        .and_then(|end| bytes.get(from..end))
        .ok_or(Malformed("truncated"))
}

fn u16_be(bytes: &[u8], at: usize) -> Result<usize, Malformed> {
    let b = slice(bytes, at, 2)?;
    Ok(usize::from(u16::from_be_bytes([b[0], b[1]])))
}

fn u32_be(bytes: &[u8], at: usize) -> Result<usize, Malformed> {
    let b = slice(bytes, at, 4)?;
    usize::try_from(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        .map_err(|_| Malformed("length out of range"))
}

fn u32_le(bytes: &[u8], at: usize) -> Result<usize, Malformed> {
    let b = slice(bytes, at, 4)?;
    usize::try_from(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
        .map_err(|_| Malformed("length out of range"))
}

// JPEG markers.
const SOI: u8 = 0xD8;
const EOI: u8 = 0xD9;
const SOS: u8 = 0xDA;
const APP0: u8 = 0xE0;
const APP2: u8 = 0xE2;
const APP14: u8 = 0xEE;
const APP15: u8 = 0xEF;
const COM: u8 = 0xFE;

/// Whether a JPEG segment with this marker and payload stays in the public copy.
///
/// Dropped: APP1 (EXIF with GPS and the camera, XMP), APP2–APP15 (IPTC in APP13 and
/// makers' blocks), COM. Kept: APP0 (JFIF: pixel density), the ICC colour profile in APP2
/// (without it colours shift; it describes the camera's colours, not the resident), the
/// "Adobe" APP14 (12 bytes telling a decoder how the colour channels are coded: without it
/// a CMYK file shows in wrong colours), and every segment that draws the image.
fn keep_jpeg_segment(marker: u8, payload: &[u8]) -> bool {
    match marker {
        APP0 => true,
        APP2 => payload.starts_with(b"ICC_PROFILE\0"),
        APP14 => payload.starts_with(b"Adobe") && payload.len() <= 12,
        0xE1..=APP15 | COM => false,
        _ => true,
    }
}

/// Walks the segments up to each scan, copies the entropy-coded data of the scans as is,
/// and stops at EOI: anything after it (some phones append a video or their own records
/// there) is dropped too.
fn strip_jpeg(bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    if !bytes.starts_with(&[0xFF, SOI]) {
        return Err(Malformed("no JPEG start marker"));
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&[0xFF, SOI]);
    let mut at = 2;
    let mut scanned = false;
    loop {
        if bytes.get(at) != Some(&0xFF) {
            return Err(Malformed("expected a JPEG marker"));
        }
        // Any number of 0xFF fill bytes may precede a marker.
        while bytes.get(at) == Some(&0xFF) {
            at += 1;
        }
        let marker = *bytes.get(at).ok_or(Malformed("truncated"))?;
        at += 1;
        match marker {
            EOI if scanned => {
                out.extend_from_slice(&[0xFF, EOI]);
                return Ok(out);
            }
            EOI => return Err(Malformed("JPEG ends before its image data")),
            SOI | 0x00 => return Err(Malformed("unexpected JPEG marker")),
            // Markers without a length: TEM and the restart markers.
            0x01 | 0xD0..=0xD7 => out.extend_from_slice(&[0xFF, marker]),
            _ => {
                let len = u16_be(bytes, at)?;
                if len < 2 {
                    return Err(Malformed("JPEG segment length below 2"));
                }
                let segment = slice(bytes, at, len)?;
                if keep_jpeg_segment(marker, &segment[2..]) {
                    out.extend_from_slice(&[0xFF, marker]);
                    out.extend_from_slice(segment);
                }
                at += len;
                if marker == SOS {
                    scanned = true;
                    let end = entropy_end(bytes, at)?;
                    out.extend_from_slice(&bytes[at..end]);
                    at = end;
                }
            }
        }
    }
}

/// Where a scan's entropy-coded data starting at `from` ends: at the first 0xFF that
/// starts a marker (not a stuffed `FF 00`, a restart marker or a fill byte).
fn entropy_end(bytes: &[u8], from: usize) -> Result<usize, Malformed> {
    let mut at = from;
    loop {
        let ff = bytes
            .get(at..)
            .and_then(|rest| rest.iter().position(|&b| b == 0xFF))
            .ok_or(Malformed("JPEG has no end marker"))?;
        let pos = at + ff;
        match bytes.get(pos + 1) {
            None => return Err(Malformed("JPEG has no end marker")),
            Some(0x00) | Some(0xD0..=0xD7) => at = pos + 2,
            Some(0xFF) => at = pos + 1,
            Some(_) => return Ok(pos),
        }
    }
}

/// PNG chunks that carry no picture but text, EXIF or a time: dropped.
const PNG_DROPPED: [&[u8; 4]; 5] = [b"eXIf", b"tEXt", b"zTXt", b"iTXt", b"tIME"];

/// Walks the chunks from IHDR to IEND and copies all but [`PNG_DROPPED`] (each chunk is
/// copied whole, with its CRC). Bytes after IEND are dropped.
fn strip_png(bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    if !bytes.starts_with(PNG_MAGIC) {
        return Err(Malformed("no PNG signature"));
    }
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(PNG_MAGIC);
    let mut at = PNG_MAGIC.len();
    let mut first = true;
    loop {
        let len = u32_be(bytes, at)?;
        if len > 0x7FFF_FFFF {
            return Err(Malformed("PNG chunk length out of range"));
        }
        let kind = slice(bytes, at + 4, 4)?;
        if !kind.iter().all(u8::is_ascii_alphabetic) {
            return Err(Malformed("PNG chunk type is not a name"));
        }
        if first && kind != b"IHDR" {
            return Err(Malformed("PNG does not start with IHDR"));
        }
        first = false;
        // length, type, data, CRC
        let total = len.checked_add(12).ok_or(Malformed("truncated"))?;
        let chunk = slice(bytes, at, total)?;
        if !PNG_DROPPED.iter().any(|d| d.as_slice() == kind) {
            out.extend_from_slice(chunk);
        }
        at += total;
        if kind == b"IEND" {
            return Ok(out);
        }
    }
}

/// The VP8X flags that announce EXIF and XMP chunks.
const VP8X_EXIF: u8 = 0x08;
const VP8X_XMP: u8 = 0x04;

/// Walks the RIFF chunks, drops `EXIF` and `XMP `, clears their flags in `VP8X` and writes
/// the RIFF size of what is left. Bytes beyond the RIFF size are dropped.
fn strip_webp(bytes: &[u8]) -> Result<Vec<u8>, Malformed> {
    if bytes.len() < 12 || &bytes[..4] != b"RIFF" || &bytes[8..12] != b"WEBP" {
        return Err(Malformed("no RIFF WEBP header"));
    }
    let riff_size = u32_le(bytes, 4)?;
    let end = riff_size.checked_add(8).ok_or(Malformed("truncated"))?;
    if end > bytes.len() {
        return Err(Malformed("truncated"));
    }
    if riff_size % 2 == 1 {
        return Err(Malformed("odd RIFF size"));
    }
    let mut body = Vec::with_capacity(end);
    body.extend_from_slice(b"WEBP");
    let mut at = 12;
    let mut first = true;
    while at < end {
        let fourcc = slice(bytes, at, 4)?;
        let len = u32_le(bytes, at + 4)?;
        let padded = len.checked_add(len % 2).ok_or(Malformed("truncated"))?;
        let total = padded.checked_add(8).ok_or(Malformed("truncated"))?;
        if at
            .checked_add(total)
            .is_none_or(|chunk_end| chunk_end > end)
        {
            return Err(Malformed("WebP chunk runs past the end"));
        }
        let chunk = &bytes[at..at + total];
        if first && !matches!(fourcc, b"VP8 " | b"VP8L" | b"VP8X") {
            return Err(Malformed("WebP does not start with an image chunk"));
        }
        first = false;
        match fourcc {
            b"EXIF" | b"XMP " => {}
            b"VP8X" => {
                if len < 10 {
                    return Err(Malformed("VP8X chunk too short"));
                }
                let flags_at = body.len() + 8;
                body.extend_from_slice(chunk);
                body[flags_at] &= !(VP8X_EXIF | VP8X_XMP);
            }
            _ => body.extend_from_slice(chunk),
        }
        at += total;
    }
    if first {
        return Err(Malformed("WebP has no image chunk"));
    }
    let size = u32::try_from(body.len()).map_err(|_| Malformed("too large"))?;
    let mut out = Vec::with_capacity(body.len() + 8);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&size.to_le_bytes());
    out.extend_from_slice(&body);
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A JPEG segment: marker and payload with its length.
    fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
        let len = u16::try_from(payload.len() + 2).unwrap();
        let mut s = vec![0xFF, marker];
        s.extend_from_slice(&len.to_be_bytes());
        s.extend_from_slice(payload);
        s
    }

    /// An EXIF APP1 payload with a GPS IFD (latitude 34°15'N as rationals), big-endian TIFF.
    fn exif_payload() -> Vec<u8> {
        let mut p = b"Exif\0\0MM\0\x2a\0\0\0\x08".to_vec();
        // IFD0: one entry, GPSInfo (0x8825) pointing at offset 26.
        p.extend_from_slice(&[0, 1, 0x88, 0x25, 0, 4, 0, 0, 0, 1, 0, 0, 0, 26, 0, 0, 0, 0]);
        // GPS IFD: GPSLatitudeRef 'N', GPSLatitude 3 rationals at offset 56.
        p.extend_from_slice(&[0, 2]);
        p.extend_from_slice(&[0, 1, 0, 2, 0, 0, 0, 2, b'N', 0, 0, 0]);
        p.extend_from_slice(&[0, 2, 0, 5, 0, 0, 0, 3, 0, 0, 0, 56, 0, 0, 0, 0]);
        for (n, d) in [(34u32, 1u32), (15, 1), (0, 1)] {
            p.extend_from_slice(&n.to_be_bytes());
            p.extend_from_slice(&d.to_be_bytes());
        }
        p
    }

    /// A small JPEG's structure: SOI, APP0, APP1 EXIF, APP2 ICC, APP13, COM, DQT, SOF0,
    /// SOS with stuffed and restart bytes, EOI, and a trailer.
    fn sample_jpeg() -> Vec<u8> {
        let mut j = vec![0xFF, SOI];
        j.extend(segment(APP0, b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"));
        j.extend(segment(0xE1, &exif_payload()));
        j.extend(segment(0xE1, b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta/>"));
        j.extend(segment(APP2, b"ICC_PROFILE\0\x01\x01profile"));
        j.extend(segment(APP2, b"MPF\0other"));
        j.extend(segment(0xED, b"Photoshop 3.0\08BIM iptc"));
        j.extend(segment(COM, b"taken at home"));
        j.extend(segment(0xDB, &[0; 65]));
        j.extend(segment(0xC0, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        j.extend(segment(SOS, &[1, 1, 0, 0, 0x3F, 0]));
        j.extend_from_slice(&[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD9]);
        j.extend_from_slice(b"trailing motion photo video");
        j
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn formats_are_known_by_their_magic_bytes_only() {
        let cases: [(&[u8], Option<ImageKind>); 8] = [
            (&[0xFF, 0xD8, 0xFF, 0xE0], Some(ImageKind::Jpeg)),
            (PNG_MAGIC, Some(ImageKind::Png)),
            (b"RIFF\x10\0\0\0WEBPVP8 ", Some(ImageKind::Webp)),
            (b"RIFF\x10\0\0\0WAVEfmt ", None),
            (&[0xFF, 0xD8], None),
            (b"GIF89a", None),
            (b"hello, this is text.jpg", None),
            (b"", None),
        ];
        for (bytes, kind) in cases {
            assert_eq!(ImageKind::sniff(bytes), kind, "{bytes:?}");
        }
        for kind in [ImageKind::Jpeg, ImageKind::Png, ImageKind::Webp] {
            assert_eq!(ImageKind::parse(kind.as_str()), Some(kind));
            assert!(kind.content_type().starts_with("image/"));
        }
    }

    #[test]
    fn jpeg_loses_exif_xmp_iptc_comments_and_trailer_and_keeps_the_picture() {
        let original = sample_jpeg();
        let public = strip_jpeg(&original).unwrap();
        for gone in [
            &b"Exif"[..],
            b"xmpmeta",
            b"8BIM",
            b"taken at home",
            b"MPF",
            b"trailing",
        ] {
            assert!(contains(&original, gone));
            assert!(
                !contains(&public, gone),
                "{:?}",
                String::from_utf8_lossy(gone)
            );
        }
        assert!(!public.windows(2).any(|w| w == [0xFF, 0xE1]));
        assert!(contains(&public, b"JFIF"));
        assert!(contains(&public, b"ICC_PROFILE"));
        // The scan is copied byte for byte, stuffing and restart marker included.
        assert!(contains(
            &public,
            &[0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xFF, 0xD9]
        ));
        assert!(public.ends_with(&[0xFF, EOI]));
        // Stripping twice changes nothing more.
        assert_eq!(strip_jpeg(&public).unwrap(), public);
    }

    #[test]
    fn a_progressive_jpeg_keeps_every_scan_and_loses_metadata_between_them() {
        let mut j = vec![0xFF, SOI];
        j.extend(segment(0xC2, &[8, 0, 1, 0, 1, 1, 1, 0x11, 0]));
        j.extend(segment(SOS, &[1, 1, 0, 0, 0, 0]));
        j.extend_from_slice(&[1, 2, 3]);
        j.extend(segment(COM, b"between scans"));
        j.extend(segment(0xC4, &[0; 17]));
        j.extend(segment(SOS, &[1, 1, 0, 1, 1, 0]));
        j.extend_from_slice(&[4, 5, 6, 0xFF, EOI]);
        let public = strip_jpeg(&j).unwrap();
        assert!(!contains(&public, b"between scans"));
        assert!(contains(&public, &[1, 2, 3, 0xFF, 0xC4]));
        assert!(public.ends_with(&[4, 5, 6, 0xFF, EOI]));
    }

    #[test]
    fn broken_jpegs_are_refused() {
        let cases: [&[u8]; 6] = [
            &[0xFF, SOI, 0xFF, EOI],                   // no scan
            &[0xFF, SOI, 0xFF, 0xE1, 0x00],            // length cut off
            &[0xFF, SOI, 0xFF, 0xE1, 0x00, 0x01],      // length below 2
            &[0xFF, SOI, 0xFF, 0xE1, 0x00, 0x10, 1],   // segment cut off
            &[0xFF, SOI, 0x00, 0x00],                  // no marker
            &[0xFF, SOI, 0xFF, SOS, 0, 2, 1, 2, 3, 4], // no end marker
        ];
        for bytes in cases {
            assert!(strip_jpeg(bytes).is_err(), "{bytes:?}");
        }
    }

    fn png_chunk(kind: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = u32::try_from(data.len()).unwrap().to_be_bytes().to_vec();
        c.extend_from_slice(kind);
        c.extend_from_slice(data);
        c.extend_from_slice(&[0xAA, 0xBB, 0xCC, 0xDD]); // the CRC is copied, not checked
        c
    }

    fn sample_png() -> Vec<u8> {
        let mut p = PNG_MAGIC.to_vec();
        p.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        p.extend(png_chunk(b"eXIf", b"MM\0\x2aGPS"));
        p.extend(png_chunk(b"tEXt", b"Author\0resident"));
        p.extend(png_chunk(b"zTXt", b"Comment\0\0zz"));
        p.extend(png_chunk(
            b"iTXt",
            b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta/>",
        ));
        p.extend(png_chunk(b"tIME", &[7, 234, 5, 1, 12, 0, 0]));
        p.extend(png_chunk(b"iCCP", b"icc\0\0data"));
        p.extend(png_chunk(b"IDAT", b"pixels"));
        p.extend(png_chunk(b"IEND", b""));
        p.extend_from_slice(b"after the end");
        p
    }

    #[test]
    fn png_loses_text_exif_and_time_chunks() {
        let original = sample_png();
        let public = strip_png(&original).unwrap();
        for gone in [
            &b"eXIf"[..],
            b"tEXt",
            b"zTXt",
            b"iTXt",
            b"tIME",
            b"resident",
            b"after the end",
        ] {
            assert!(
                !contains(&public, gone),
                "{:?}",
                String::from_utf8_lossy(gone)
            );
        }
        let mut expected = PNG_MAGIC.to_vec();
        expected.extend(png_chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]));
        expected.extend(png_chunk(b"iCCP", b"icc\0\0data"));
        expected.extend(png_chunk(b"IDAT", b"pixels"));
        expected.extend(png_chunk(b"IEND", b""));
        assert_eq!(public, expected);
    }

    #[test]
    fn broken_pngs_are_refused() {
        let mut no_ihdr = PNG_MAGIC.to_vec();
        no_ihdr.extend(png_chunk(b"IDAT", b"x"));
        no_ihdr.extend(png_chunk(b"IEND", b""));
        let mut no_iend = PNG_MAGIC.to_vec();
        no_iend.extend(png_chunk(b"IHDR", &[0; 13]));
        let mut bad_name = PNG_MAGIC.to_vec();
        bad_name.extend(png_chunk(b"IHDR", &[0; 13]));
        bad_name.extend(png_chunk(b"ID\0T", b"x"));
        let mut huge = PNG_MAGIC.to_vec();
        huge.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xF0]);
        huge.extend_from_slice(b"IHDR");
        for bytes in [no_ihdr, no_iend, bad_name, huge] {
            assert!(strip_png(&bytes).is_err());
        }
    }

    fn riff_chunk(fourcc: &[u8; 4], data: &[u8]) -> Vec<u8> {
        let mut c = fourcc.to_vec();
        c.extend_from_slice(&u32::try_from(data.len()).unwrap().to_le_bytes());
        c.extend_from_slice(data);
        if data.len() % 2 == 1 {
            c.push(0);
        }
        c
    }

    fn webp(chunks: &[Vec<u8>]) -> Vec<u8> {
        let body: Vec<u8> = chunks.concat();
        let mut w = b"RIFF".to_vec();
        w.extend_from_slice(&u32::try_from(body.len() + 4).unwrap().to_le_bytes());
        w.extend_from_slice(b"WEBP");
        w.extend(body);
        w
    }

    #[test]
    fn webp_loses_exif_and_xmp_with_their_flags_and_gets_its_size_fixed() {
        let flags = 0x20 | 0x10 | VP8X_EXIF | VP8X_XMP; // ICC, alpha, EXIF, XMP
        let vp8x = [flags, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        let original = webp(&[
            riff_chunk(b"VP8X", &vp8x),
            riff_chunk(b"ICCP", b"icc"),
            riff_chunk(b"VP8 ", b"frame data"),
            riff_chunk(b"EXIF", b"MM\0\x2aGPS position"),
            riff_chunk(b"XMP ", b"<x:xmpmeta/>"),
        ]);
        let mut with_trailer = original.clone();
        with_trailer.extend_from_slice(b"junk");
        let public = strip_webp(&with_trailer).unwrap();
        let expected = webp(&[
            riff_chunk(b"VP8X", &[0x20 | 0x10, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            riff_chunk(b"ICCP", b"icc"),
            riff_chunk(b"VP8 ", b"frame data"),
        ]);
        assert_eq!(public, expected);
        assert_eq!(u32_le(&public, 4).unwrap(), public.len() - 8);
        assert!(!contains(&public, b"GPS"));
        // A simple WebP has nothing to drop.
        let simple = webp(&[riff_chunk(b"VP8L", b"lossless")]);
        assert_eq!(strip_webp(&simple).unwrap(), simple);
    }

    #[test]
    fn broken_webps_are_refused() {
        let mut too_long = webp(&[riff_chunk(b"VP8 ", b"data")]);
        too_long[16] = 0xF0; // the chunk claims more bytes than the file has
        let cases = [
            webp(&[]),
            webp(&[riff_chunk(b"EXIF", b"x!")]),
            webp(&[riff_chunk(b"VP8X", &[0; 4])]),
            too_long,
            b"RIFF\xff\xff\xff\x7fWEBP".to_vec(),
        ];
        for bytes in cases {
            assert!(strip_webp(&bytes).is_err(), "{bytes:?}");
        }
    }

    #[test]
    fn check_refuses_empty_large_and_non_image_files() {
        assert_eq!(Photo::check(Vec::new()), Err(PhotoError::Empty));
        assert_eq!(
            Photo::check(b"just some text".to_vec()),
            Err(PhotoError::NotAnImage)
        );
        let mut big = sample_jpeg();
        big.resize(MAX_PHOTO_BYTES + 1, 0);
        assert_eq!(
            Photo::check(big),
            Err(PhotoError::TooLarge {
                max: MAX_PHOTO_BYTES
            })
        );
        assert!(matches!(
            Photo::check(vec![0xFF, 0xD8, 0xFF, 0xE1, 0, 9]),
            Err(PhotoError::Malformed(_))
        ));
        let photo = Photo::check(sample_jpeg()).unwrap();
        assert_eq!(photo.kind(), ImageKind::Jpeg);
        assert_eq!(photo.original(), sample_jpeg().as_slice());
        assert!(photo.public().len() < photo.original().len());
    }

    /// Every prefix of a valid file, and every file with one byte changed, is either
    /// stripped or refused: never a panic.
    #[test]
    fn truncated_and_corrupted_files_never_panic() {
        let webp_sample = webp(&[
            riff_chunk(b"VP8X", &[0x0C, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
            riff_chunk(b"VP8 ", b"frame"),
            riff_chunk(b"EXIF", b"exif"),
        ]);
        for (kind, sample) in [
            (ImageKind::Jpeg, sample_jpeg()),
            (ImageKind::Png, sample_png()),
            (ImageKind::Webp, webp_sample),
        ] {
            for len in 0..sample.len() {
                let _ = strip_metadata(kind, &sample[..len]);
                let _ = Photo::check(sample[..len].to_vec());
            }
            for at in 0..sample.len() {
                for value in [0x00, 0x01, 0x7F, 0xD9, 0xDA, 0xFF] {
                    let mut changed = sample.clone();
                    changed[at] = value;
                    let _ = strip_metadata(kind, &changed);
                }
            }
        }
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn arbitrary_bytes_never_panic(
                bytes in proptest::collection::vec(any::<u8>(), 0..512),
                kind in prop_oneof![Just(ImageKind::Jpeg), Just(ImageKind::Png), Just(ImageKind::Webp)],
            ) {
                let _ = strip_metadata(kind, &bytes);
            }

            #[test]
            fn arbitrary_bodies_after_a_valid_header_never_panic(
                tail in proptest::collection::vec(any::<u8>(), 0..512),
            ) {
                let mut jpeg = vec![0xFF, SOI];
                jpeg.extend_from_slice(&tail);
                let _ = strip_jpeg(&jpeg);
                let mut png = PNG_MAGIC.to_vec();
                png.extend_from_slice(&tail);
                let _ = strip_png(&png);
                let mut webp = b"RIFF".to_vec();
                webp.extend_from_slice(&u32::try_from(tail.len() + 4).unwrap_or(0).to_le_bytes());
                webp.extend_from_slice(b"WEBP");
                webp.extend_from_slice(&tail);
                let _ = strip_webp(&webp);
            }

            /// Whatever is stripped is stripped again to itself.
            #[test]
            fn stripping_is_idempotent(
                bytes in proptest::collection::vec(any::<u8>(), 0..512),
                kind in prop_oneof![Just(ImageKind::Jpeg), Just(ImageKind::Png), Just(ImageKind::Webp)],
            ) {
                if let Ok(once) = strip_metadata(kind, &bytes) {
                    prop_assert_eq!(strip_metadata(kind, &once), Ok(once.clone()));
                }
            }
        }
    }
}
