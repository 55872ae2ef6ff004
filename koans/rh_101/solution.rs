use std::collections::HashMap;

#[derive(Debug, PartialEq)]
pub enum OrderError {
    UnknownItem(String),
    OutOfStock { item: String, wanted: u32, left: u32 },
}

pub struct Shop {
    stock: HashMap<String, u32>,
}

impl Shop {
    pub fn new(items: &[(&str, u32)]) -> Shop {
        Shop { stock: items.iter().map(|&(i, n)| (i.to_string(), n)).collect() }
    }

    /// Takes `wanted` units of an item off the shelf and returns how many are left.
    pub fn order(&mut self, item: &str, wanted: u32) -> Result<u32, OrderError> {
        let left = self
            .stock
            .get_mut(item)
            .ok_or_else(|| OrderError::UnknownItem(item.to_string()))?;
        if *left < wanted {
            return Err(OrderError::OutOfStock { item: item.to_string(), wanted, left: *left });
        }
        *left -= wanted;
        Ok(*left)
    }
}
