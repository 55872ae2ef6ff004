fn temp_file(name: &str, contents: &str) -> std::path::PathBuf {
    let path = std::env::temp_dir().join(format!("rh010_{}_{}.csv", std::process::id(), name));
    std::fs::write(&path, contents).unwrap();
    path
}

#[test]
fn loads_valid_lines() {
    let path = temp_file("ok", "ann, 30\n\nbo,45\nbad line\ncy,abc\ndee,45\n");
    let scores = load_scores(&path).unwrap();
    std::fs::remove_file(&path).ok();
    assert_eq!(
        scores,
        vec![("ann".to_string(), 30), ("bo".to_string(), 45), ("dee".to_string(), 45)]
    );
    assert_eq!(leader(&scores), Some("bo"));
}

#[test]
fn missing_file_is_an_io_error() {
    let path = std::env::temp_dir().join(format!("rh010_{}_absent.csv", std::process::id()));
    let err = load_scores(&path).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::NotFound);
}

#[test]
fn empty_scoreboard_has_no_leader() {
    let path = temp_file("empty", "");
    assert_eq!(load_scores(&path).unwrap(), vec![]);
    std::fs::remove_file(&path).ok();
    assert_eq!(leader(&[]), None);
}
