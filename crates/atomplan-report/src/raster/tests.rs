use resvg::tiny_skia::Pixmap;

use super::*;

/// Dark pixels (all channels below 128) in the rectangle x0..x1, y0..y1 of the PNG.
fn dark_pixels(png: &[u8], x0: u32, x1: u32, y0: u32, y1: u32) -> usize {
    let pixmap = Pixmap::decode_png(png).unwrap();
    let mut count = 0;
    for y in y0..y1.min(pixmap.height()) {
        for x in x0..x1.min(pixmap.width()) {
            let p = pixmap.pixel(x, y).unwrap();
            if p.red() < 128 && p.green() < 128 && p.blue() < 128 && p.alpha() > 0 {
                count += 1;
            }
        }
    }
    count
}

fn svg(body: &str) -> String {
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 50" width="200" height="50" font-family="sans-serif" font-size="14"><rect x="0" y="0" width="200" height="50" fill="white"/>{body}</svg>"#
    )
}

#[test]
fn text_is_drawn_with_the_bundled_font() {
    let with_text = svg_to_png(&svg(r#"<text x="10" y="30">Capacity GW</text>"#)).unwrap();
    let without = svg_to_png(&svg("")).unwrap();
    // 2x scale: the text sits in x 20..240, y 30..64 of the PNG.
    assert_eq!(dark_pixels(&without, 0, 400, 0, 100), 0);
    assert!(
        dark_pixels(&with_text, 20, 260, 20, 70) > 200,
        "no glyphs were rasterised"
    );
    let bold = svg_to_png(&svg(
        r#"<text x="10" y="30" font-weight="bold">Capacity GW</text>"#,
    ))
    .unwrap();
    assert!(dark_pixels(&bold, 20, 260, 20, 70) > dark_pixels(&with_text, 20, 260, 20, 70));
}

#[test]
fn png_is_the_svg_at_twice_its_size() {
    let png = svg_to_png(&svg(r##"<rect x="100" y="0" width="100" height="50" fill="#000"/>"##))
        .unwrap();
    let pixmap = Pixmap::decode_png(&png).unwrap();
    assert_eq!((pixmap.width(), pixmap.height()), (400, 100));
    // The black right half is black, the left half white.
    assert_eq!(dark_pixels(&png, 200, 400, 0, 100), 200 * 100);
    assert_eq!(dark_pixels(&png, 0, 200, 0, 100), 0);
}

#[test]
fn malformed_svg_is_an_error_not_a_panic() {
    assert!(svg_to_png("<svg").is_err());
    assert!(svg_to_png("not svg at all").is_err());
}
