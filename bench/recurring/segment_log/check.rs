fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("recurring-seglog-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    dir
}

fn io_path(result: Result<impl std::fmt::Debug, LogError>) -> PathBuf {
    match result {
        Err(LogError::Io { path, .. }) => path,
        other => panic!("expected an I/O error, got {other:?}"),
    }
}

#[test]
fn open_creates_the_directory() {
    let dir = scratch("open");
    let log = SegmentLog::open(&dir.join("a/b")).unwrap();
    assert!(dir.join("a/b").is_dir());
    assert_eq!(log.head().unwrap(), 1);
}

#[test]
fn open_under_a_file_names_the_directory() {
    let dir = scratch("open-file");
    fs::create_dir_all(&dir).unwrap();
    fs::write(dir.join("plain"), "x").unwrap();
    let target = dir.join("plain/log");
    assert_eq!(io_path(SegmentLog::open(&target)), target);
}

#[test]
fn append_and_read_back() {
    let log = SegmentLog::open(&scratch("append")).unwrap();
    log.append(&Event::new(10, Level::Info, "started")).unwrap();
    log.append(&Event::new(11, Level::Error, "disk\nfull")).unwrap();
    let events = log.read_segment(1).unwrap();
    assert_eq!(events, vec![Event::new(10, Level::Info, "started"), Event::new(11, Level::Error, "disk full")]);
}

#[test]
fn append_into_a_vanished_directory_names_the_segment() {
    let dir = scratch("append-gone");
    let log = SegmentLog::open(&dir).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    let err = log.append(&Event::new(1, Level::Info, "x"));
    assert_eq!(io_path(err), dir.join("00000001.seg"));
}

#[test]
fn reading_a_missing_segment_names_it() {
    let dir = scratch("read-missing");
    let log = SegmentLog::open(&dir).unwrap();
    let err = log.read_segment(4);
    assert_eq!(io_path(err), dir.join("00000004.seg"));
}

#[test]
fn a_bad_line_is_not_an_io_error() {
    let dir = scratch("bad-line");
    let log = SegmentLog::open(&dir).unwrap();
    fs::write(dir.join("00000001.seg"), "10 INFO ok\nnonsense\n").unwrap();
    assert!(matches!(log.read_segment(1), Err(LogError::BadLine { segment: 1, line: 2 })));
}

#[test]
fn head_that_cannot_be_read_names_head() {
    let dir = scratch("head");
    let log = SegmentLog::open(&dir).unwrap();
    fs::create_dir_all(dir.join("HEAD")).unwrap();
    assert_eq!(io_path(log.head()), dir.join("HEAD"));
}

#[test]
fn rotate_moves_head() {
    let dir = scratch("rotate");
    let log = SegmentLog::open(&dir).unwrap();
    log.append(&Event::new(1, Level::Info, "one")).unwrap();
    assert_eq!(log.rotate().unwrap(), 2);
    log.append(&Event::new(2, Level::Warn, "two")).unwrap();
    assert_eq!(log.head().unwrap(), 2);
    assert_eq!(log.segments().unwrap(), vec![1, 2]);
    assert_eq!(log.events_at_least(Level::Warn).unwrap(), vec![Event::new(2, Level::Warn, "two")]);
}

#[test]
fn rotate_onto_a_directory_names_the_segment() {
    let dir = scratch("rotate-blocked");
    let log = SegmentLog::open(&dir).unwrap();
    fs::create_dir_all(dir.join("00000002.seg")).unwrap();
    assert_eq!(io_path(log.rotate()), dir.join("00000002.seg"));
}

#[test]
fn segments_of_a_vanished_directory_names_it() {
    let dir = scratch("segments-gone");
    let log = SegmentLog::open(&dir).unwrap();
    fs::remove_dir_all(&dir).unwrap();
    assert_eq!(io_path(log.segments()), dir);
}

#[test]
fn drop_old_segments() {
    let dir = scratch("drop");
    let log = SegmentLog::open(&dir).unwrap();
    log.append(&Event::new(1, Level::Info, "one")).unwrap();
    log.rotate().unwrap();
    log.rotate().unwrap();
    fs::write(dir.join("notes.txt"), "").unwrap();
    assert_eq!(log.drop_before(3).unwrap(), 2);
    assert_eq!(log.segments().unwrap(), vec![3]);
}

#[test]
fn segment_sizes() {
    let dir = scratch("size");
    let log = SegmentLog::open(&dir).unwrap();
    log.append(&Event::new(10, Level::Info, "abc")).unwrap();
    assert_eq!(log.segment_size(1).unwrap(), 12);
    assert_eq!(io_path(log.segment_size(9)), dir.join("00000009.seg"));
}

#[test]
fn errors_print_their_path() {
    let dir = scratch("display");
    let log = SegmentLog::open(&dir).unwrap();
    let err = log.read_segment(3).unwrap_err();
    assert!(err.to_string().starts_with(&format!("{}: ", dir.join("00000003.seg").display())));
    assert!(std::error::Error::source(&err).is_some());
    assert_eq!(Level::parse("TRACE").unwrap_err().to_string(), "unknown level `TRACE`");
}
