//! Share cards as PNG: the card's SVG (`daylight_app::share::draw_card`) rasterised with
//! resvg. The fonts are loaded once, at start-up ([`CardRaster::load`]); a render parses the
//! SVG, shapes its texts, fills a 1200×630 pixmap and encodes it (a few milliseconds; the
//! budget is 20 ms, docs/performance.md).
//!
//! The cards' texts are Chinese, so the renderer needs a CJK font. Without one it still
//! exists but refuses to draw ([`RasterError::NoCjkFont`]): a card with empty boxes for
//! the station's name would be worse than no picture (docs/embedding.md).

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use resvg::tiny_skia::{Pixmap, Transform};
use resvg::usvg::{self, fontdb};

/// Characters a CJK font must have to draw the cards ("空气质量", "阳光环境", "数据来源").
const CJK_PROBE: &[char] = &['空', '气', '质', '量', '阳', '数', '据'];

/// Font files and folders searched when the configuration names none: where Debian (and
/// most Linux systems) install fonts, `fonts-noto-cjk` among them.
pub const SYSTEM_FONT_DIRS: &[&str] = &["/usr/share/fonts", "/usr/local/share/fonts"];

#[derive(Debug, thiserror::Error)]
pub enum RasterError {
    #[error(
        "no font with Chinese characters was found (install fonts-noto-cjk or set card_fonts)"
    )]
    NoCjkFont,
    #[error("the card's SVG could not be read: {0}")]
    Svg(#[from] usvg::Error),
    #[error("the card has no size")]
    Size,
    #[error("the PNG could not be written: {0}")]
    Png(#[from] png::EncodingError),
    #[error("the render was interrupted")]
    Interrupted,
}

/// The fonts and options of the card renderer, shared by every render.
pub struct CardRaster {
    options: usvg::Options<'static>,
    /// The family used for generic and unknown families, when a CJK font was found.
    cjk_family: Option<String>,
    faces: usize,
}

impl std::fmt::Debug for CardRaster {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CardRaster")
            .field("cjk_family", &self.cjk_family)
            .field("faces", &self.faces)
            .finish()
    }
}

impl CardRaster {
    /// Loads the fonts of `paths` (font files, or folders searched recursively; missing
    /// ones are skipped) and picks the CJK family the cards fall back to. Slow (tens of
    /// milliseconds to a second with many fonts): call once.
    pub fn load(paths: &[PathBuf]) -> Self {
        let started = Instant::now();
        let mut db = fontdb::Database::new();
        for path in paths {
            load_path(&mut db, path);
        }
        let cjk_family = cjk_family(&db);
        if let Some(family) = &cjk_family {
            // The cards name their family ('Noto Sans CJK SC', then common others); whatever
            // is installed, generic and unmatched families land on a font that has the texts.
            db.set_sans_serif_family(family.clone());
            db.set_serif_family(family.clone());
        }
        let faces = db.len();
        match &cjk_family {
            Some(family) => tracing::info!(
                faces,
                family,
                ms = started.elapsed().as_millis() as u64,
                "share-card fonts loaded"
            ),
            None => tracing::warn!(
                faces,
                searched = ?paths,
                "no CJK font found: /card/…png answers 503 until one is installed \
                 (apt-get install fonts-noto-cjk, or set card_fonts / DAYLIGHT_CARD_FONTS)"
            ),
        }
        let options = usvg::Options {
            font_family: cjk_family
                .clone()
                .unwrap_or_else(|| "sans-serif".to_string()),
            fontdb: Arc::new(db),
            ..usvg::Options::default()
        };
        Self {
            options,
            cjk_family,
            faces,
        }
    }

    /// The CJK family the cards are drawn with, if one was found.
    pub fn cjk_family(&self) -> Option<&str> {
        self.cjk_family.as_deref()
    }

    /// Renders an SVG card as an opaque RGB PNG of the SVG's size.
    pub fn render_png(&self, svg: &str) -> Result<Vec<u8>, RasterError> {
        if self.cjk_family.is_none() {
            return Err(RasterError::NoCjkFont);
        }
        let tree = usvg::Tree::from_str(svg, &self.options)?;
        let size = tree.size().to_int_size();
        let mut pixmap = Pixmap::new(size.width(), size.height()).ok_or(RasterError::Size)?;
        // The cards paint their own white background; white under it keeps the PNG opaque
        // even if a future card leaves a corner transparent.
        pixmap.fill(resvg::tiny_skia::Color::WHITE);
        resvg::render(&tree, Transform::identity(), &mut pixmap.as_mut());
        encode_rgb(&pixmap)
    }
}

/// Loads one font file or every font under a folder.
fn load_path(db: &mut fontdb::Database, path: &Path) {
    if path.is_dir() {
        db.load_fonts_dir(path);
    } else if path.is_file() {
        if let Err(error) = db.load_font_file(path) {
            tracing::warn!(path = %path.display(), %error, "cannot load a card font");
        }
    } else {
        tracing::debug!(path = %path.display(), "card font path not found");
    }
}

/// The family of a face that has the cards' Chinese characters. Sans-serif faces are
/// preferred to serif ones (the cards' own choice), and Simplified Chinese faces (`… SC`,
/// `… CN`) to the Japanese, Korean and Traditional ones of the same collection.
fn cjk_family(db: &fontdb::Database) -> Option<String> {
    let mut found: Vec<String> = Vec::new();
    for face in db.faces() {
        let Some((family, _)) = face.families.first() else {
            continue;
        };
        if found.contains(family) {
            continue;
        }
        let covers = db
            .with_face_data(face.id, |data, index| {
                let font = skrifa::FontRef::from_index(data, index).ok()?;
                let charmap = skrifa::MetadataProvider::charmap(&font);
                Some(CJK_PROBE.iter().all(|c| charmap.map(*c).is_some()))
            })
            .flatten()
            .unwrap_or(false);
        if covers {
            found.push(family.clone());
        }
    }
    found
        .into_iter()
        .rev()
        .max_by_key(|family| preference(family))
}

/// How well a CJK family suits the cards (higher is better; ties keep the first found).
fn preference(family: &str) -> (bool, bool, bool) {
    let sans = family.contains("Sans") || family.contains("Hei") || family.contains("黑");
    let mono = family.contains("Mono");
    let simplified = family.ends_with(" SC") || family.ends_with(" CN") || family.contains(" SC ");
    (sans && !mono, simplified, !mono)
}

/// The pixmap as an 8-bit RGB PNG (the card is opaque: no alpha channel to store), with
/// the fast DEFLATE preset: a card of flat colours compresses well either way, and encoding
/// is most of a render's time at the higher presets.
fn encode_rgb(pixmap: &Pixmap) -> Result<Vec<u8>, RasterError> {
    let mut rgb = Vec::with_capacity(pixmap.data().len() / 4 * 3);
    for pixel in pixmap.pixels() {
        // Opaque pixels: premultiplied and straight colour are the same.
        let c = pixel.demultiply();
        rgb.extend_from_slice(&[c.red(), c.green(), c.blue()]);
    }
    let mut out = Vec::with_capacity(64 * 1024);
    let mut encoder = png::Encoder::new(&mut out, pixmap.width(), pixmap.height());
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(&rgb)?;
    writer.finish()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use daylight_app::share::{draw_card, CardText, VALUE_BLOCK};

    fn raster() -> CardRaster {
        let fonts: Vec<PathBuf> = SYSTEM_FONT_DIRS.iter().map(PathBuf::from).collect();
        let raster = CardRaster::load(&fonts);
        assert!(
            raster.cjk_family().is_some(),
            "no CJK font under {SYSTEM_FONT_DIRS:?}: run scripts/setup.sh (fonts-noto-cjk)"
        );
        raster
    }

    fn card(name: &str, value: &str, color: &str) -> String {
        draw_card(&CardText {
            name,
            sub: "雁塔区 · 空气质量",
            measure: "AQI",
            value,
            label: "轻度污染",
            color,
            time: "数据时间: 2026-11-30 10:00 (UTC+08:00)",
            note: None,
            badge: Some("模拟"),
        })
    }

    /// Width, height and RGB pixels of a PNG.
    fn decode(png: &[u8]) -> (u32, u32, Vec<u8>) {
        let decoder = png::Decoder::new(std::io::Cursor::new(png));
        let mut reader = decoder.read_info().expect("a PNG header");
        let mut pixels = vec![0; reader.output_buffer_size().expect("a buffer size")];
        let info = reader.next_frame(&mut pixels).expect("a PNG frame");
        assert_eq!(info.color_type, png::ColorType::Rgb);
        pixels.truncate(info.buffer_size());
        (info.width, info.height, pixels)
    }

    fn pixel(pixels: &[u8], width: u32, x: u32, y: u32) -> [u8; 3] {
        let i = ((y * width + x) * 3) as usize;
        [pixels[i], pixels[i + 1], pixels[i + 2]]
    }

    /// Pixels of a rectangle that are not white.
    fn inked(pixels: &[u8], width: u32, (x0, y0, x1, y1): (u32, u32, u32, u32)) -> usize {
        (y0..y1)
            .flat_map(|y| (x0..x1).map(move |x| (x, y)))
            .filter(|&(x, y)| pixel(pixels, width, x, y) != [255, 255, 255])
            .count()
    }

    #[test]
    fn a_card_is_a_1200_by_630_png_with_its_class_colour_and_chinese_text() {
        let raster = raster();
        let png = raster
            .render_png(&card("高压开关厂", "134", "#FF7E00"))
            .expect("a render");
        assert_eq!(&png[..8], b"\x89PNG\r\n\x1a\n");
        let (width, height, pixels) = decode(&png);
        assert_eq!((width, height), (1200, 630));
        // Inside the value block, clear of its rounded corners and its text.
        let (bx, by, _, _) = VALUE_BLOCK;
        assert_eq!(pixel(&pixels, width, bx + 20, by + 110), [0xFF, 0x7E, 0x00]);
        // The name is drawn: a Chinese name leaves ink where an empty one leaves none.
        let name_area = (80, 60, 600, 135);
        assert!(
            inked(&pixels, width, name_area) > 2_000,
            "the name is not drawn"
        );
        let (_, _, empty) = decode(&raster.render_png(&card("", "134", "#FF7E00")).unwrap());
        assert_eq!(inked(&empty, width, name_area), 0);
    }

    #[test]
    fn sans_serif_simplified_chinese_is_preferred() {
        let mut families = [
            "Noto Serif CJK SC",
            "Noto Sans CJK JP",
            "Noto Sans Mono CJK SC",
            "Noto Sans CJK SC",
            "Noto Sans CJK TC",
        ];
        families.sort_by_key(|f| std::cmp::Reverse(preference(f)));
        assert_eq!(families[0], "Noto Sans CJK SC");
        assert_eq!(raster().cjk_family(), Some("Noto Sans CJK SC"));
    }

    #[test]
    fn without_a_chinese_font_it_refuses_to_draw() {
        let raster = CardRaster::load(&[PathBuf::from("/nonexistent/fonts")]);
        assert!(raster.cjk_family().is_none());
        assert!(matches!(
            raster.render_png(&card("站", "1", "#00E400")),
            Err(RasterError::NoCjkFont)
        ));
    }
}
