/// A rectangular grid of cells stored row by row.
pub struct Grid<T> {
    width: usize,
    height: usize,
    cells: Vec<T>,
}

impl<T: Clone> Grid<T> {
    pub fn filled(width: usize, height: usize, fill: T) -> Grid<T> {
        Grid { width, height, cells: vec![fill; width * height] }
    }
}

impl<T> Grid<T> {
    pub fn get(&self, x: usize, y: usize) -> Option<&T> {
        if x < self.width && y < self.height {
            self.cells.get(y * self.width + x)
        } else {
            None
        }
    }

    /// Replaces a cell; false when (x, y) is outside the grid.
    pub fn set(&mut self, x: usize, y: usize, value: T) -> bool {
        if x >= self.width || y >= self.height {
            return false;
        }
        self.cells[y * self.width + x] = value;
        true
    }

    pub fn count(&self, pred: impl Fn(&T) -> bool) -> usize {
        self.cells.iter().filter(|c| pred(c)).count()
    }
}
