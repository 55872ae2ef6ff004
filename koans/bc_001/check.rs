#[test]
fn add_counts_books() {
    let mut c = Catalog::new();
    assert_eq!(c.add("Dune".to_string(), "Herbert".to_string()), 1);
    assert_eq!(c.add("Emma".to_string(), "Austen".to_string()), 2);
    assert_eq!(c.add("Persuasion".to_string(), "Austen".to_string()), 3);
}

#[test]
fn titles_are_indexed_and_sorted() {
    let mut c = Catalog::new();
    c.add("Persuasion".to_string(), "Austen".to_string());
    c.add("Dune".to_string(), "Herbert".to_string());
    c.add("Emma".to_string(), "Austen".to_string());
    assert_eq!(c.titles_sorted(), vec!["Dune", "Emma", "Persuasion"]);
}

#[test]
fn lookup_by_author() {
    let mut c = Catalog::new();
    c.add("Persuasion".to_string(), "Austen".to_string());
    c.add("Dune".to_string(), "Herbert".to_string());
    c.add("Emma".to_string(), "Austen".to_string());
    assert_eq!(c.by_author("Austen"), vec!["Persuasion", "Emma"]);
    assert_eq!(c.by_author("Herbert"), vec!["Dune"]);
    assert!(c.by_author("Tolkien").is_empty());
}
