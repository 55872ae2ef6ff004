fn ev(name: &str, at: u32, room: &str) -> Event {
    Event { name: name.to_string(), at_minute: at, room: room.to_string() }
}

#[test]
fn books_and_finds_events() {
    let mut cal = Calendar::default();
    assert_eq!(cal.add(ev("standup", 540, "blue")), Ok(0));
    assert_eq!(cal.add(ev("retro", 900, "red")), Ok(1));
    assert_eq!(cal.add(ev("lunch", 720, "blue")), Ok(2));
    assert_eq!(cal.find("retro"), Some(&ev("retro", 900, "red")));
    assert_eq!(cal.find("party"), None);
    assert_eq!(cal.in_room("blue"), vec!["lunch", "standup"]);
}

#[test]
fn refuses_double_booking() {
    let mut cal = Calendar::default();
    cal.add(ev("retro", 900, "red")).unwrap();
    assert_eq!(cal.add(ev("retro", 60, "blue")), Err("retro is already booked".to_string()));
    assert_eq!(cal.find("retro").unwrap().at_minute, 900);
    assert!(cal.in_room("blue").is_empty());
}
