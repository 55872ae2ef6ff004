#[test]
fn parses_good_samples() {
    assert_eq!(
        "roof; 18.5 ;62".parse::<Sample>(),
        Ok(Sample { station: "roof".to_string(), celsius: 18.5, humidity: 62.0 })
    );
    assert_eq!(mean_humidity(&["a;1;40", "b;2;50", "c;3;90"]), Ok(60.0));
}

#[test]
fn bad_numbers_keep_the_parse_error() {
    let expected = "warm".parse::<f64>().unwrap_err();
    assert_eq!(
        "cellar;warm;70".parse::<Sample>(),
        Err(SensorError::BadNumber(expected.clone()))
    );
    assert_eq!(mean_humidity(&["a;1;40", "b;2;warm"]), Err(SensorError::BadNumber(expected)));
}

#[test]
fn structural_errors() {
    assert_eq!("roof;18.5".parse::<Sample>(), Err(SensorError::MissingField("humidity")));
    assert_eq!(";1;2".parse::<Sample>(), Err(SensorError::MissingField("station")));
    assert_eq!(mean_humidity(&[]), Err(SensorError::NoSamples));
}
