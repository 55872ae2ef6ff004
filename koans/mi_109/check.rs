#[test]
fn sector_measures() {
    let half = Sector { radius: 2.0, degrees: 180.0 };
    assert_eq!(round3(half.area()), 6.283);
    assert_eq!(round3(half.perimeter()), 10.283);
    assert_eq!(Sector { radius: 1.0, degrees: 0.0 }.area(), 0.0);
}

#[test]
fn pie_chart_slices() {
    let slices = pie(1.0, &[1.0, 3.0]);
    assert_eq!(slices.len(), 2);
    assert_eq!(slices[0].degrees, 90.0);
    assert_eq!(round3(slices[1].area()), 2.356);
    let total: f64 = slices.iter().map(|s| s.area()).sum();
    assert_eq!(round3(total), 3.142);
}
