//! The app icons as PNG, drawn here (no image files to download or commit): a full-bleed
//! square in Culprit's red with a white exclamation mark inside the maskable safe zone, the
//! same geometry as `crates/site/static/icon.svg` (which adds rounded corners).

use flate2::Compression;
use flate2::write::ZlibEncoder;
use std::io::Write;
use std::path::Path;

/// Culprit's red, `#b3261e`.
const RED: [u8; 3] = [0xb3, 0x26, 0x1e];
const WHITE: [u8; 3] = [0xff, 0xff, 0xff];

/// The exclamation mark's bar: a capsule, in units of the icon's side.
const BAR_X0: f64 = 0.435;
const BAR_X1: f64 = 0.565;
const BAR_Y0: f64 = 0.24;
const BAR_Y1: f64 = 0.62;
/// Its dot.
const DOT_Y: f64 = 0.74;
const DOT_R: f64 = 0.075;

/// Samples per pixel along each axis (anti-aliasing).
const SUPERSAMPLE: u32 = 4;

/// Writes `icon-<size>.png` for each size into `dir`; returns the file names.
pub fn write_pngs(dir: &Path, sizes: &[u32]) -> Result<Vec<String>, String> {
    let mut names = Vec::new();
    for &size in sizes {
        let name = format!("icon-{size}.png");
        let path = dir.join(&name);
        let png = png_rgb(size, size, &draw(size))?;
        std::fs::write(&path, png)
            .map_err(|e| format!("could not write {}: {e}", path.display()))?;
        names.push(name);
    }
    Ok(names)
}

/// Whether the point (in units of the side) is on the white glyph.
fn on_glyph(x: f64, y: f64) -> bool {
    let radius = (BAR_X1 - BAR_X0) / 2.0;
    let cx = (BAR_X0 + BAR_X1) / 2.0;
    // The capsule: the segment between the two cap centres, thickened by `radius`.
    let cy = y.clamp(BAR_Y0 + radius, BAR_Y1 - radius);
    let bar = (x - cx).powi(2) + (y - cy).powi(2) <= radius * radius;
    let dot = (x - 0.5).powi(2) + (y - DOT_Y).powi(2) <= DOT_R * DOT_R;
    bar || dot
}

/// RGB rows of a `size` x `size` icon.
fn draw(size: u32) -> Vec<u8> {
    let mut pixels = Vec::with_capacity((size * size * 3) as usize);
    let side = f64::from(size);
    let samples = f64::from(SUPERSAMPLE * SUPERSAMPLE);
    for py in 0..size {
        for px in 0..size {
            let mut covered = 0u32;
            for sy in 0..SUPERSAMPLE {
                for sx in 0..SUPERSAMPLE {
                    let x = (f64::from(px) + (f64::from(sx) + 0.5) / f64::from(SUPERSAMPLE)) / side;
                    let y = (f64::from(py) + (f64::from(sy) + 0.5) / f64::from(SUPERSAMPLE)) / side;
                    if on_glyph(x, y) {
                        covered += 1;
                    }
                }
            }
            let t = f64::from(covered) / samples;
            for channel in 0..3 {
                let value = f64::from(RED[channel]) * (1.0 - t) + f64::from(WHITE[channel]) * t;
                pixels.push(value.round().clamp(0.0, 255.0) as u8);
            }
        }
    }
    pixels
}

/// A PNG file of 8-bit RGB `pixels` (rows top to bottom, no padding).
fn png_rgb(width: u32, height: u32, pixels: &[u8]) -> Result<Vec<u8>, String> {
    let row = width as usize * 3;
    if pixels.len() != row * height as usize {
        return Err(format!(
            "icon: {} bytes of pixels do not make a {width}x{height} RGB image",
            pixels.len()
        ));
    }
    // Every row starts with its filter type; 0 (none) compresses well enough for flat art.
    let mut raw = Vec::with_capacity((row + 1) * height as usize);
    for line in pixels.chunks(row) {
        raw.push(0);
        raw.extend_from_slice(line);
    }
    let mut zlib = ZlibEncoder::new(Vec::new(), Compression::best());
    zlib.write_all(&raw)
        .and_then(|()| zlib.flush())
        .map_err(|e| format!("icon: compressing the pixels failed: {e}"))?;
    let idat = zlib
        .finish()
        .map_err(|e| format!("icon: compressing the pixels failed: {e}"))?;

    let mut ihdr = Vec::with_capacity(13);
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    // Bit depth 8, colour type 2 (RGB), deflate, adaptive filtering, no interlace.
    ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    chunk(&mut png, b"IHDR", &ihdr);
    // sRGB, perceptual: the colours are meant as the CSS colours they come from.
    chunk(&mut png, b"sRGB", &[0]);
    chunk(&mut png, b"IDAT", &idat);
    chunk(&mut png, b"IEND", &[]);
    Ok(png)
}

fn chunk(png: &mut Vec<u8>, kind: &[u8; 4], data: &[u8]) {
    png.extend_from_slice(&(data.len() as u32).to_be_bytes());
    png.extend_from_slice(kind);
    png.extend_from_slice(data);
    let mut crc = flate2::Crc::new();
    crc.update(kind);
    crc.update(data);
    png.extend_from_slice(&crc.sum().to_be_bytes());
}

#[cfg(test)]
mod tests {
    use super::*;
    use flate2::read::ZlibDecoder;
    use std::io::Read;

    #[test]
    fn writes_a_valid_png() {
        let png = png_rgb(8, 8, &draw(8)).unwrap_or_default();
        assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"));
        // IHDR right after the signature, with the size.
        assert_eq!(&png[12..16], b"IHDR");
        assert_eq!(&png[16..20], &8u32.to_be_bytes());
        assert!(
            png.ends_with(&[0xae, 0x42, 0x60, 0x82]),
            "IEND's CRC closes the file"
        );
        // The image data inflates back to 8 filtered rows.
        let idat_at = png.windows(4).position(|w| w == b"IDAT").unwrap_or(0);
        assert!(idat_at > 0);
        let len = u32::from_be_bytes([
            png[idat_at - 4],
            png[idat_at - 3],
            png[idat_at - 2],
            png[idat_at - 1],
        ]) as usize;
        let mut raw = Vec::new();
        let read = ZlibDecoder::new(&png[idat_at + 4..idat_at + 4 + len]).read_to_end(&mut raw);
        assert!(read.is_ok());
        assert_eq!(raw.len(), 8 * (1 + 8 * 3));
    }

    #[test]
    fn the_glyph_is_white_on_red_inside_the_safe_zone() {
        let size = 64;
        let pixels = draw(size);
        let at = |x: u32, y: u32| {
            let i = ((y * size + x) * 3) as usize;
            [pixels[i], pixels[i + 1], pixels[i + 2]]
        };
        assert_eq!(at(2, 2), RED);
        assert_eq!(at(32, 26), WHITE, "on the bar");
        assert_eq!(at(32, 47), WHITE, "on the dot");
        // Maskable icons keep content within the central circle of 40% radius.
        for y in 0..size {
            for x in 0..size {
                if at(x, y) != RED {
                    let dx = (f64::from(x) + 0.5) / f64::from(size) - 0.5;
                    let dy = (f64::from(y) + 0.5) / f64::from(size) - 0.5;
                    assert!((dx * dx + dy * dy).sqrt() < 0.4, "({x},{y}) is outside");
                }
            }
        }
    }
}
