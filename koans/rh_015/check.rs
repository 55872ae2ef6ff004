#[test]
fn extracts_valid_colours() {
    let palette = parse_palette("bg #1e1e2e fg #CDD6F4 bad #12345g short #abc #ff0000");
    assert_eq!(
        palette,
        vec![Rgb(0x1e, 0x1e, 0x2e), Rgb(0xcd, 0xd6, 0xf4), Rgb(255, 0, 0)]
    );
    assert_eq!(palette[1].to_hex(), "#cdd6f4");
}

#[test]
fn finds_brightest() {
    let palette = parse_palette("#000000 #808080 #ffffff #00ff00");
    assert_eq!(palette.len(), 4);
    assert_eq!(brightest(&palette), Some(Rgb(255, 255, 255)));
    assert_eq!(brightest(&palette[..2]), Some(Rgb(128, 128, 128)));
    assert_eq!(brightest(&parse_palette("no colours here")), None);
}
