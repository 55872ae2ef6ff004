use std::num::ParseFloatError;

#[derive(Debug, PartialEq)]
pub struct Polygon {
    pub points: Vec<(f64, f64)>,
}

/// Parses "x1,y1, x2,y2, ..." into a polygon; a trailing odd value is dropped.
pub fn parse_polygon(spec: &str) -> Result<Polygon, ParseFloatError> {
    let coords: Vec<f64> = spec
        .split(',')
        .map(|s| s.trim().parse::<f64>())
        .collect();
    let points = coords
        .chunks(2)
        .filter(|pair| pair.len() == 2)
        .map(|pair| (pair[0], pair[1]))
        .collect();
    Ok(Polygon { points })
}

impl Polygon {
    /// Edges as (start, end) pairs, closing back to the first point.
    fn edges(&self) -> impl Iterator<Item = ((f64, f64), (f64, f64))> + '_ {
        let n = self.points.len();
        (0..n).map(move |i| (self.points[i], self.points[(i + 1) % n]))
    }

    pub fn perimeter(&self) -> f64 {
        self.edges()
            .map(|((x1, y1), (x2, y2))| ((x2 - x1).powi(2) + (y2 - y1).powi(2)).sqrt())
            .sum()
    }

    /// Shoelace formula.
    pub fn area(&self) -> f64 {
        let twice: f64 = self.edges().map(|((x1, y1), (x2, y2))| x1 * y2 - x2 * y1).sum();
        twice.abs() / 2.0
    }
}
