#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Dead,
    Alive,
}

pub struct Life {
    width: usize,
    cells: Vec<Cell>,
}

impl Life {
    pub fn parse(rows: &[&str]) -> Life {
        let width = rows.first().map_or(0, |r| r.len());
        let cells = rows
            .iter()
            .flat_map(|r| r.chars().map(|c| if c == '#' { Cell::Alive } else { Cell::Dead }))
            .collect();
        Life { width, cells }
    }

    /// The cells of column x, top to bottom.
    pub fn column(&self, x: usize) -> Vec<Cell> {
        self.cells.iter().skip(x).step_by(self.width).copied().collect()
    }

    fn alive_around(&self, x: usize, y: usize) -> usize {
        let height = self.cells.len() / self.width;
        let mut n = 0;
        for ny in y.saturating_sub(1)..=(y + 1).min(height - 1) {
            for nx in x.saturating_sub(1)..=(x + 1).min(self.width - 1) {
                if (nx, ny) != (x, y) && self.cells[ny * self.width + nx] == Cell::Alive {
                    n += 1;
                }
            }
        }
        n
    }

    /// One generation of Conway's rules on a bounded board.
    pub fn step(&mut self) {
        let next = (0..self.cells.len())
            .map(|i| match (self.cells[i].clone(), self.alive_around(i % self.width, i / self.width)) {
                (Cell::Alive, 2) | (_, 3) => Cell::Alive,
                _ => Cell::Dead,
            })
            .collect();
        self.cells = next;
    }
}
