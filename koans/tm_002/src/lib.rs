pub struct Playlist {
    tracks: Vec<String>,
    current: usize,
}

impl Playlist {
    pub fn new(tracks: &[&str]) -> Self {
        Playlist {
            tracks: tracks.iter().map(|t| t.to_string()).collect(),
            current: 0,
        }
    }

    pub fn current(&self) -> Option<&str> {
        self.tracks.get(self.current).map(|t| t.as_str())
    }

    /// Moves forward (positive steps) or backward (negative steps),
    /// wrapping around at both ends of the playlist.
    pub fn skip(&mut self, steps: i32) -> Option<&str> {
        if self.tracks.is_empty() {
            return None;
        }
        let len = self.tracks.len();
        let next = (self.current as i32 + steps).rem_euclid(len);
        self.current = next as usize;
        self.current()
    }

    pub fn remaining_after_current(&self) -> usize {
        self.tracks.len().saturating_sub(self.current + 1)
    }
}
