use std::collections::BTreeMap;

pub struct FileEntry {
    pub path: String,
    pub size: u32,
}

fn parent_dir(path: &str) -> &str {
    match path.rfind('/') {
        Some(0) => "/",
        Some(i) => &path[..i],
        None => ".",
    }
}

/// Total bytes per directory. Sizes are summed as u64 because a
/// directory can hold more than 4 GiB in total.
pub fn usage_by_dir(files: &[FileEntry]) -> BTreeMap<String, u64> {
    let mut usage: BTreeMap<String, u64> = BTreeMap::new();
    for file in files {
        *usage.entry(parent_dir(&file.path).to_string()).or_insert(0) += file.size;
    }
    usage
}

pub fn largest_dir(files: &[FileEntry]) -> Option<(String, u64)> {
    usage_by_dir(files).into_iter().max_by_key(|(_, bytes)| *bytes)
}
