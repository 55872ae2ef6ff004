/// Histogram buckets: bucket i holds samples below bounds[i] (the last one takes the rest).
pub struct Buckets {
    bounds: Vec<u32>,
    items: Vec<Vec<u32>>,
}

impl Buckets {
    pub fn new(bounds: &[u32]) -> Buckets {
        Buckets { bounds: bounds.to_vec(), items: vec![Vec::new(); bounds.len()] }
    }

    pub fn add(&mut self, x: u32) {
        let last = self.bounds.len() - 1;
        let i = self.bounds.iter().position(|&b| x < b).unwrap_or(last);
        self.items[i].push(x);
    }

    /// Folds bucket i into bucket i - 1, keeping the samples sorted and the upper bound of i.
    pub fn merge_left(&mut self, i: usize) {
        let left = &mut self.items[i - 1];
        let right = &mut self.items[i];
        left.append(right);
        left.sort();
        self.items.remove(i);
        self.bounds.remove(i - 1);
    }

    pub fn counts(&self) -> Vec<(u32, usize)> {
        self.bounds.iter().copied().zip(self.items.iter().map(|b| b.len())).collect()
    }

    pub fn bucket(&self, i: usize) -> &[u32] {
        &self.items[i]
    }
}
