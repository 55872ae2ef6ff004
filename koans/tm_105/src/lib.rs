/// Bytes needed for an uncompressed image of `depth` bytes per pixel.
pub fn buffer_size(width: u32, height: u32, depth: u8) -> u64 {
    let pixels: u64 = width * height;
    pixels * u64::from(depth)
}

/// Whether a batch of frames fits a memory budget in bytes.
pub fn fits(frames: &[(u32, u32)], depth: u8, budget: u64) -> bool {
    let mut used: u64 = 0;
    for &(w, h) in frames {
        used += buffer_size(w, h, depth);
        if used > budget {
            return false;
        }
    }
    true
}

pub fn megabytes(bytes: u64) -> f64 {
    bytes as f64 / (1024.0 * 1024.0)
}
