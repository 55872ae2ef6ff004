fn p(x: f64, y: f64) -> Point {
    Point { x, y }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-9
}

#[test]
fn perimeter_of_right_triangle() {
    assert!(close(perimeter(p(0.0, 0.0), p(4.0, 0.0), p(0.0, 3.0)), 12.0));
    assert!(close(distance(p(1.0, 1.0), p(4.0, 5.0)), 5.0));
}

#[test]
fn centroid_and_longest_side() {
    let c = centroid(p(0.0, 0.0), p(4.0, 0.0), p(0.0, 3.0));
    assert!(close(c.x, 4.0 / 3.0) && close(c.y, 1.0));
    let m = longest_side_midpoint(p(0.0, 0.0), p(4.0, 0.0), p(0.0, 3.0));
    assert!(close(m.x, 2.0) && close(m.y, 1.5));
    let m = longest_side_midpoint(p(0.0, 0.0), p(1.0, 0.0), p(0.0, 10.0));
    assert!(close(m.x, 0.5) && close(m.y, 5.0));
    let m = longest_side_midpoint(p(0.0, 0.0), p(0.0, 1.0), p(6.0, 0.0));
    assert!(close(m.x, 3.0) && close(m.y, 0.5));
}
