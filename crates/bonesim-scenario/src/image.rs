//! Reading a µCT slice (`geometry = "image:slice.png"`) into the engine's [`GreyImage`].
//!
//! Any PNG is accepted: grey, grey + alpha, RGB, RGBA, palette, 1 to 16 bits. It is expanded
//! to 8 bits per channel and reduced to luminance (ITU-R BT.601 weights); alpha is ignored.
//!
//! Memory is bounded before anything is decoded: the header's size is checked against
//! [`MAX_IMAGE_PIXELS`], and rows are decoded one at a time into one byte per pixel, so an
//! image costs its pixel count in bytes and no more.

use bonesim::GreyImage;
use std::fs::File;
use std::io::{BufReader, Read, Seek};

/// The largest image accepted, pixels (8192 × 8192): twice the largest lattice side
/// ([`bonesim::scenario::MAX_SIDE`]) each way, 64 MiB once decoded to grey.
pub const MAX_IMAGE_PIXELS: u64 = 8192 * 8192;

/// The first eight bytes of every PNG file.
const PNG_SIGNATURE: [u8; 8] = [0x89, b'P', b'N', b'G', b'\r', b'\n', 0x1a, b'\n'];
use std::path::Path;

/// Decodes the PNG at `path` to 8-bit grey. The error says what is wrong in words.
pub fn load_grey_png(path: &Path) -> Result<GreyImage, String> {
    let mut file = File::open(path).map_err(|e| format!("cannot open the image {}: {e}", path.display()))?;
    let mut signature = [0; 8];
    if file.read_exact(&mut signature).is_err() || signature != PNG_SIGNATURE {
        return Err(format!("{} is not a PNG image (it lacks the PNG signature)", path.display()));
    }
    file.rewind().map_err(|e| format!("cannot read the image {}: {e}", path.display()))?;
    // Ancillary chunks (text, colour profiles) may take no more than 16 MiB either.
    let limits = png::Limits { bytes: 16 << 20 };
    let mut decoder = png::Decoder::new_with_limits(BufReader::new(file), limits);
    decoder.set_transformations(png::Transformations::normalize_to_color8());
    let mut reader = decoder.read_info().map_err(|e| format!("{} is not a readable PNG image: {e}", path.display()))?;
    let (width, height) = (reader.info().width as usize, reader.info().height as usize);
    if width as u64 * height as u64 > MAX_IMAGE_PIXELS {
        return Err(format!(
            "{} is {width} × {height} pixels, more than the {} pixels (8192 × 8192) an image may have: \
             a lattice has at most {} sites a side; scale the image down",
            path.display(),
            MAX_IMAGE_PIXELS,
            bonesim::scenario::MAX_SIDE
        ));
    }
    let (color_type, _) = reader.output_color_type();
    let channels = match color_type {
        png::ColorType::Grayscale => 1,
        png::ColorType::GrayscaleAlpha => 2,
        png::ColorType::Rgb => 3,
        png::ColorType::Rgba => 4,
        png::ColorType::Indexed => {
            return Err(format!("{}: palette image was not expanded", path.display()));
        }
    };
    let mut pixels = Vec::with_capacity(width * height);
    while let Some(row) =
        reader.next_row().map_err(|e| format!("{} is not a readable PNG image: {e}", path.display()))?
    {
        for px in row.data().chunks(channels).take(width) {
            pixels.push(match channels {
                1 | 2 => px[0],
                _ => luminance(px[0], px[1], px[2]),
            });
        }
    }
    if pixels.len() != width * height {
        return Err(format!("{} is not a readable PNG image: it ends early", path.display()));
    }
    Ok(GreyImage { width, height, pixels })
}

fn luminance(r: u8, g: u8, b: u8) -> u8 {
    ((299 * r as u32 + 587 * g as u32 + 114 * b as u32 + 500) / 1000) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write_png(path: &Path, color: png::ColorType, depth: png::BitDepth, data: &[u8]) {
        let mut encoder = png::Encoder::new(File::create(path).unwrap(), 2, 1);
        encoder.set_color(color);
        encoder.set_depth(depth);
        encoder.write_header().unwrap().write_image_data(data).unwrap();
    }

    #[test]
    fn colour_and_16_bit_images_become_8_bit_grey() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.png");
        write_png(&p, png::ColorType::Rgba, png::BitDepth::Eight, &[255, 255, 255, 0, 255, 0, 0, 255]);
        let img = load_grey_png(&p).unwrap();
        assert_eq!((img.width, img.height), (2, 1));
        assert_eq!(img.pixels, vec![255, 76]);
        write_png(&p, png::ColorType::Grayscale, png::BitDepth::Sixteen, &[0xff, 0xff, 0x80, 0x00]);
        assert_eq!(load_grey_png(&p).unwrap().pixels, vec![255, 128]);
        write_png(&p, png::ColorType::GrayscaleAlpha, png::BitDepth::Eight, &[10, 0, 20, 255]);
        assert_eq!(load_grey_png(&p).unwrap().pixels, vec![10, 20]);
    }

    #[test]
    fn a_huge_image_is_refused_from_its_header_before_any_decoding() {
        // A 30000 × 30000 header with no pixel data: decoding would need 900 MB.
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("huge.png");
        let mut bytes = PNG_SIGNATURE.to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&30000u32.to_be_bytes());
        ihdr.extend_from_slice(&30000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 0, 0, 0, 0]);
        bytes.extend_from_slice(&13u32.to_be_bytes());
        bytes.extend_from_slice(&ihdr);
        bytes.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        // The header is read up to the first image data chunk: a stub of one.
        let idat = b"IDAT\x78\x9c".to_vec();
        bytes.extend_from_slice(&2u32.to_be_bytes());
        bytes.extend_from_slice(&idat);
        bytes.extend_from_slice(&crc32(&idat).to_be_bytes());
        std::fs::write(&p, bytes).unwrap();
        let e = load_grey_png(&p).unwrap_err();
        assert!(e.contains("30000 × 30000 pixels, more than"), "{e}");
    }

    /// The CRC of a PNG chunk (ISO 3309), written out for the test's hand-made header.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = !0u32;
        for &b in bytes {
            crc ^= b as u32;
            for _ in 0..8 {
                crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
            }
        }
        !crc
    }

    #[test]
    fn a_text_file_is_not_an_image() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.png");
        std::fs::write(&p, "not a png").unwrap();
        assert!(load_grey_png(&p).unwrap_err().contains("is not a PNG image"));
        let mut truncated = PNG_SIGNATURE.to_vec();
        truncated.extend_from_slice(b"\0\0\0\rIHDR");
        std::fs::write(&p, truncated).unwrap();
        assert!(load_grey_png(&p).unwrap_err().contains("not a readable PNG"));
        assert!(load_grey_png(&dir.path().join("none.png")).unwrap_err().contains("cannot open"));
    }
}
