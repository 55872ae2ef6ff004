#[test]
fn interpolates() {
    assert_eq!(lerp(10.0, 20.0, 0.25), 12.5);
    assert_eq!(lerp(-1.0, 1.0, 0.5), 0.0);
    assert_eq!(lerp(3.0, 7.0, 1.0), 7.0);
}

#[test]
fn builds_gradients() {
    let g: Vec<String> = gradient((0, 0, 0), (255, 100, 10), 4).into_iter().map(hex).collect();
    assert_eq!(g, vec!["#000000", "#401903", "#803205", "#bf4b08", "#ff640a"]);
    assert_eq!(gradient((1, 2, 3), (9, 9, 9), 0), vec![(1, 2, 3)]);
}
