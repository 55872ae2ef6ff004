/// A line buffer for a tiny text editor.
pub struct Buffer {
    lines: Vec<String>,
}

impl Buffer {
    pub fn from_text(text: &str) -> Buffer {
        Buffer { lines: text.lines().map(String::from).collect() }
    }

    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// Breaks line `row` at byte `col`; the first part loses its trailing spaces.
    pub fn split_line(&mut self, row: usize, col: usize) {
        let line = &mut self.lines[row];
        let tail = line.split_off(col);
        self.lines.insert(row + 1, tail);
        let kept = line.trim_end().len();
        line.truncate(kept);
    }

    /// Appends line `row + 1` to line `row`, separated by one space.
    pub fn join_next(&mut self, row: usize) {
        if row + 1 >= self.lines.len() {
            return;
        }
        let next = self.lines.remove(row + 1);
        let line = &mut self.lines[row];
        line.push(' ');
        line.push_str(next.trim_start());
    }
}
