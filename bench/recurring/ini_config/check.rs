fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("recurring-ini-{}-{name}", std::process::id()));
    let _ = fs::remove_dir_all(&dir);
    fs::create_dir_all(&dir).unwrap();
    dir
}

fn is_not_found(result: Result<impl std::fmt::Debug, ConfigError>) -> bool {
    matches!(result, Err(ConfigError::Io(ref e)) if e.kind() == io::ErrorKind::NotFound)
}

#[test]
fn load_file_reads_sections() {
    let dir = scratch("load");
    let path = dir.join("service.ini");
    fs::write(&path, "[server]\nport = 8080\n# comment\n[log]\nverbose = yes\n").unwrap();
    let config = load_file(&path).unwrap();
    assert_eq!(config.get_port("server.port").unwrap(), 8080);
    assert!(config.get_bool("log.verbose").unwrap());
    assert_eq!(config.sources(), &[path.clone()]);
}

#[test]
fn load_file_missing_is_io_error() {
    let dir = scratch("load-missing");
    assert!(is_not_found(load_file(&dir.join("nope.ini"))));
}

#[test]
fn load_file_syntax_error_is_not_io() {
    let dir = scratch("load-syntax");
    let path = dir.join("service.ini");
    fs::write(&path, "[server]\nport 8080\n").unwrap();
    assert!(matches!(load_file(&path), Err(ConfigError::Syntax { line: 2, .. })));
}

#[test]
fn list_dropins_sorted_ini_only() {
    let dir = scratch("dropins");
    for name in ["20-b.ini", "10-a.ini", "notes.txt"] {
        fs::write(dir.join(name), "").unwrap();
    }
    let found = list_dropins(&dir).unwrap();
    assert_eq!(found, vec![dir.join("10-a.ini"), dir.join("20-b.ini")]);
}

#[test]
fn list_dropins_missing_dir_is_io_error() {
    let dir = scratch("dropins-missing");
    assert!(is_not_found(list_dropins(&dir.join("conf.d"))));
}

#[test]
fn layered_later_files_win() {
    let dir = scratch("layered");
    fs::write(dir.join("service.ini"), "[server]\nport = 80\nhost = a\n").unwrap();
    fs::create_dir_all(dir.join("conf.d")).unwrap();
    fs::write(dir.join("conf.d/10-port.ini"), "[server]\nport = 8080\n").unwrap();
    let config = load_layered(&dir).unwrap();
    assert_eq!(config.get("server.port"), Some("8080"));
    assert_eq!(config.get("server.host"), Some("a"));
    assert_eq!(config.sources().len(), 2);
}

#[test]
fn save_round_trips() {
    let dir = scratch("save");
    let mut config = Config::new();
    config.set("server.port", "9000");
    config.set("log.level", "debug");
    let path = dir.join("out.ini");
    save(&config, &path).unwrap();
    let back = load_file(&path).unwrap();
    assert_eq!(back.get("server.port"), Some("9000"));
    assert_eq!(back.get("log.level"), Some("debug"));
}

#[test]
fn save_into_missing_dir_is_io_error() {
    let dir = scratch("save-missing");
    let config = Config::new();
    assert!(is_not_found(save(&config, &dir.join("no/such/dir/out.ini"))));
}

#[test]
fn backup_copies_file() {
    let dir = scratch("backup");
    let path = dir.join("service.ini");
    fs::write(&path, "[a]\nb = c\n").unwrap();
    let kept = backup(&path).unwrap();
    assert_eq!(kept, dir.join("service.ini.bak"));
    assert_eq!(fs::read_to_string(kept).unwrap(), "[a]\nb = c\n");
}

#[test]
fn backup_of_missing_file_is_io_error() {
    let dir = scratch("backup-missing");
    assert!(is_not_found(backup(&dir.join("service.ini"))));
}

#[test]
fn save_with_backup_keeps_old_version() {
    let dir = scratch("save-backup");
    let path = dir.join("service.ini");
    fs::write(&path, "[a]\nb = old\n").unwrap();
    let mut config = Config::new();
    config.set("a.b", "new");
    let kept = save_with_backup(&config, &path).unwrap().unwrap();
    assert_eq!(load_file(&kept).unwrap().get("a.b"), Some("old"));
    assert_eq!(load_file(&path).unwrap().get("a.b"), Some("new"));
}

#[test]
fn ensure_state_dir_creates_it() {
    let dir = scratch("state");
    let state = ensure_state_dir(&dir.join("deep/root")).unwrap();
    assert!(state.is_dir());
    assert_eq!(state, dir.join("deep/root/state"));
}

#[test]
fn ensure_state_dir_under_a_file_is_io_error() {
    let dir = scratch("state-file");
    let file = dir.join("plain");
    fs::write(&file, "x").unwrap();
    assert!(matches!(ensure_state_dir(&file), Err(ConfigError::Io(_))));
}

#[test]
fn file_size_reports_bytes() {
    let dir = scratch("size");
    let path = dir.join("service.ini");
    fs::write(&path, "[a]\nb = c\n").unwrap();
    assert_eq!(file_size(&path).unwrap(), 10);
}

#[test]
fn file_size_missing_is_io_error() {
    let dir = scratch("size-missing");
    assert!(is_not_found(file_size(&dir.join("service.ini"))));
}

#[test]
fn errors_display_and_source() {
    let err = load_file(Path::new("/definitely/not/here.ini")).unwrap_err();
    assert!(err.to_string().starts_with("config file: "));
    assert!(std::error::Error::source(&err).is_some());
    let missing = Config::new().require("a.b").unwrap_err();
    assert_eq!(missing.to_string(), "missing key `a.b`");
}
