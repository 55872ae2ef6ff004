#[test]
fn imports_valid_lines() {
    let mut book = AddressBook::new();
    assert_eq!(book.import_line("Ada Lovelace; ada@example.org; 36"), Ok(()));
    assert_eq!(book.import_line("Alan Turing;alan@cam.ac.uk;41"), Ok(()));
    assert_eq!(book.len(), 2);
    assert_eq!(book.find_by_domain("example.org"), vec!["Ada Lovelace"]);
    assert_eq!(book.find_by_domain("cam.ac.uk"), vec!["Alan Turing"]);
}

#[test]
fn rejects_bad_lines() {
    let mut book = AddressBook::new();
    assert_eq!(book.import_line("only; two"), Err("expected 3 fields, got 2".to_string()));
    assert!(book.import_line("Bob; bob@x.io; old").is_err());
    assert_eq!(book.len(), 0);
}

#[test]
fn add_then_search() {
    let mut book = AddressBook::new();
    book.add("Grace".to_string(), "grace@navy.mil".to_string(), 85);
    book.import_line("Linus; linus@navy.mil; 30").unwrap();
    assert_eq!(book.find_by_domain("navy.mil"), vec!["Grace", "Linus"]);
    assert!(book.find_by_domain("example.org").is_empty());
}
