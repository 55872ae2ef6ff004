#[test]
fn new_keeps_micrometres() {
    assert_eq!(Meters::new(0.1234567).value(), 0.123457);
    assert_eq!(Meters::new(-0.0000001).value(), 0.0);
    assert_eq!(Meters::new(0.3), Meters::new(0.1 + 0.2));
}

#[test]
fn feet_convert_exactly() {
    assert_eq!(Meters::from_feet(3.0), Meters::new(0.9144));
    assert_eq!(Meters::from_feet(3.0).value(), 0.9144);
    assert_eq!(Meters::from_feet(10.0).value(), 3.048);
}

#[test]
fn feet_parse_through_from_feet() {
    assert_eq!(parse_length("3 ft").unwrap().value(), 0.9144);
}

#[test]
fn adding_lengths_stays_on_the_grid() {
    let sum = Meters::new(0.1) + Meters::new(0.2);
    assert_eq!(sum.value(), 0.3);
    assert_eq!(sum, Meters::new(0.3));
    assert_eq!((Meters::new(1.1) + Meters::new(2.2)).value(), 3.3);
}

#[test]
fn subtracting_lengths() {
    assert_eq!((Meters::new(0.3) - Meters::new(0.1)).value(), 0.2);
}

#[test]
fn distance_is_rounded_to_micrometres() {
    let a = Point::new(0.0, 0.0);
    let b = Point::new(0.1, 0.2);
    assert_eq!(a.distance_to(&b).value(), 0.223607);
    assert_eq!(Point::new(0.0, 0.0).distance_to(&Point::new(3.0, 4.0)), Meters::new(5.0));
}

#[test]
fn straight_legs_use_distance() {
    let mut route = Route::new();
    route.push_straight("diagonal", Point::new(0.0, 0.0), Point::new(0.1, 0.2));
    assert_eq!(route.legs()[0].length.value(), 0.223607);
}

#[test]
fn km_legs_are_metres_on_the_grid() {
    let mut route = Route::new();
    route.push_km("ridge", 1.0000001);
    route.push_km("valley", 2.5);
    assert_eq!(route.legs()[0].length.value(), 1000.0001);
    assert_eq!(route.legs()[0].length, Meters::new(1000.0001));
    assert_eq!(route.legs()[1].length, Meters::new(2500.0));
}

#[test]
fn total_of_legs_compares_equal() {
    let mut route = Route::new();
    route.push("a", Meters::new(0.1));
    route.push("b", Meters::new(0.2));
    assert_eq!(route.total(), Meters::new(0.3));
    route.push("c", Meters::new(0.3));
    assert_eq!(route.total().value(), 0.6);
}

#[test]
fn longest_leg() {
    let mut route = Route::new();
    route.push("a", Meters::new(10.0));
    route.push("b", Meters::new(30.0));
    route.push("c", Meters::new(20.0));
    assert_eq!(route.longest().unwrap().name, "b");
}

#[test]
fn speed_times_time_is_a_rounded_length() {
    let speed = MetersPerSecond(1.1);
    assert_eq!(speed.distance_in(Seconds(3.0)).value(), 3.3);
    assert_eq!(MetersPerSecond(0.7).distance_in(Seconds(3.0)), Meters::new(2.1));
}

#[test]
fn riding_time() {
    let mut route = Route::new();
    route.push_km("flat", 36.0);
    let time = route.riding_time(MetersPerSecond::from_kmh(36.0));
    assert!((time.0 - 3600.0).abs() < 1e-9);
}

#[test]
fn parse_lengths() {
    assert_eq!(parse_length("12.5 km").unwrap(), Meters::new(12500.0));
    assert_eq!(parse_length("300m").unwrap(), Meters::new(300.0));
    assert_eq!(parse_length("1,5 km"), Err(UnitError::BadNumber("1,5".to_string())));
    assert_eq!(parse_length("3 furlongs"), Err(UnitError::UnknownUnit("furlongs".to_string())));
    assert_eq!(parse_length("-1 m"), Err(UnitError::Negative(-1.0)));
}

#[test]
fn display() {
    assert_eq!(Meters::new(0.1 + 0.2).to_string(), "0.3 m");
    assert_eq!(Meters::new(12500.0).to_string(), "12.50 km");
}
