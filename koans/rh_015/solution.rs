#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub u8, pub u8, pub u8);

impl Rgb {
    pub fn to_hex(&self) -> String {
        format!("#{:02x}{:02x}{:02x}", self.0, self.1, self.2)
    }

    /// Perceived brightness in 0..=255.
    pub fn luma(&self) -> f64 {
        0.299 * self.0 as f64 + 0.587 * self.1 as f64 + 0.114 * self.2 as f64
    }
}

/// Extracts every valid "#rrggbb" colour from free text; anything else is skipped.
pub fn parse_palette(text: &str) -> Vec<Rgb> {
    text.split_whitespace()
        .filter_map(|tok| tok.strip_prefix('#'))
        .filter(|hex| hex.len() == 6)
        .filter_map(|hex| u32::from_str_radix(hex, 16).ok())
        .map(|v| Rgb((v >> 16) as u8, (v >> 8) as u8, v as u8))
        .collect()
}

pub fn brightest(palette: &[Rgb]) -> Option<Rgb> {
    let mut best: Option<Rgb> = None;
    for colour in palette {
        if best.map_or(true, |b| colour.luma() > b.luma()) {
            best = Some(*colour);
        }
    }
    best
}
