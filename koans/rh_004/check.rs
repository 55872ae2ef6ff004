fn sample() -> Library {
    Library::new(vec![
        Book { isbn: "978-0".to_string(), title: "Dune".to_string(), on_loan: false },
        Book { isbn: "978-1".to_string(), title: "Emma".to_string(), on_loan: true },
    ])
}

#[test]
fn checkout_and_return() {
    let mut lib = sample();
    assert_eq!(lib.available(), 1);
    assert_eq!(lib.checkout("978-0"), Ok("Dune".to_string()));
    assert_eq!(lib.available(), 0);
    assert_eq!(lib.checkout("978-0"), Err(LibraryError::AlreadyOnLoan("Dune".to_string())));
    assert_eq!(lib.give_back("978-1"), Ok(()));
    assert_eq!(lib.give_back("978-1"), Err(LibraryError::NotOnLoan("Emma".to_string())));
    assert_eq!(lib.available(), 1);
}

#[test]
fn unknown_isbn_is_an_error() {
    let mut lib = sample();
    assert_eq!(lib.checkout("123"), Err(LibraryError::UnknownIsbn("123".to_string())));
    assert_eq!(lib.give_back("456"), Err(LibraryError::UnknownIsbn("456".to_string())));
    assert_eq!(lib.available(), 1);
}
