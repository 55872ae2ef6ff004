pub struct Point {
    pub x: f64,
    pub y: f64,
}

pub fn distance(a: Point, b: Point) -> f64 {
    ((a.x - b.x).powi(2) + (a.y - b.y).powi(2)).sqrt()
}

pub fn midpoint(a: Point, b: Point) -> Point {
    Point { x: (a.x + b.x) / 2.0, y: (a.y + b.y) / 2.0 }
}

pub fn perimeter(a: Point, b: Point, c: Point) -> f64 {
    distance(a, b) + distance(b, c) + distance(c, a)
}

pub fn centroid(a: Point, b: Point, c: Point) -> Point {
    Point {
        x: (a.x + b.x + c.x) / 3.0,
        y: (a.y + b.y + c.y) / 3.0,
    }
}

/// Midpoint of the longest side of the triangle abc.
pub fn longest_side_midpoint(a: Point, b: Point, c: Point) -> Point {
    let ab = distance(a, b);
    let bc = distance(b, c);
    let ca = distance(c, a);
    if ab >= bc && ab >= ca {
        midpoint(a, b)
    } else if bc >= ca {
        midpoint(b, c)
    } else {
        midpoint(c, a)
    }
}
