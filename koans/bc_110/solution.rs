#[derive(Debug, Clone, PartialEq)]
pub struct Matrix {
    rows: Vec<Vec<f64>>,
}

impl Matrix {
    pub fn from_rows(rows: Vec<Vec<f64>>) -> Matrix {
        Matrix { rows }
    }

    pub fn row(&self, r: usize) -> &[f64] {
        &self.rows[r]
    }

    /// Row operation: row `to` += factor * row `from`.
    pub fn add_scaled(&mut self, from: usize, to: usize, factor: f64) {
        let src = self.rows[from].clone();
        let dst = &mut self.rows[to];
        for (d, s) in dst.iter_mut().zip(src.iter()) {
            *d += factor * s;
        }
    }

    /// Zeroes column `c` below the pivot row `c`.
    pub fn eliminate_below(&mut self, c: usize) {
        for r in c + 1..self.rows.len() {
            let factor = -self.rows[r][c] / self.rows[c][c];
            self.add_scaled(c, r, factor);
        }
    }
}
