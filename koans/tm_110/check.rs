#[test]
fn decodes_tenths() {
    assert_eq!(decode("attic", 215), Reading { sensor: "attic".to_string(), celsius: 21.5 });
    assert_eq!(decode("freezer", -183).celsius, -18.3);
    assert_eq!(fahrenheit(&decode("x", 1000)), 212.0);
}

#[test]
fn picks_the_warmest() {
    let w = warmest(&["hall=199", "garage=-5", "bad", "oven=x", "loft=207"]).unwrap();
    assert_eq!(w, Reading { sensor: "loft".to_string(), celsius: 20.7 });
    assert_eq!(warmest(&["bad"]), None);
}
