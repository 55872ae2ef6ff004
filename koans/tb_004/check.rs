#[test]
fn format_list_numbers_items() {
    assert_eq!(format_list("words", &["a", "b"]), "words (2 items)\n  1. \"a\"\n  2. \"b\"\n");
    let empty: [i32; 0] = [];
    assert_eq!(format_list("none", &empty), "none (0 items)\n");
}

#[test]
fn triage_report() {
    let tickets = vec![
        Ticket { id: 7, severity: Severity::Low },
        Ticket { id: 9, severity: Severity::High },
    ];
    assert_eq!(
        triage(&tickets),
        "open tickets (2 items)\n  1. Ticket { id: 7, severity: Low }\n  2. Ticket { id: 9, severity: High }\nurgent ids (1 items)\n  1. 9\n"
    );
}
