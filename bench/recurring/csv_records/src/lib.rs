//! Record types read from the comma-separated exports of a small warehouse
//! system: staff, stock items, shipments, sensor readings and invoices.
//!
//! Rows come in as `&[&str]` (see `split_row`). Every typed column is read
//! with `parse_field(&cols, index, "name")?`, never `cols[i].parse()`: the
//! helper trims the padding the exports put around values, and turns both a
//! short row and an unreadable value into a `RecordError` that names the
//! column, so an import report can say what went wrong where.

use std::fmt;
use std::str::FromStr;

/// Why a row could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum RecordError {
    /// The row has fewer columns than the record needs.
    MissingColumn { index: usize, name: &'static str },
    /// A column is present but does not hold the expected type.
    BadField { index: usize, name: &'static str, value: String },
    /// A column is present but empty where a value is required.
    EmptyField { index: usize, name: &'static str },
    /// A whole line that is not a row (e.g. no separator at all).
    Malformed(String),
}

impl fmt::Display for RecordError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RecordError::MissingColumn { index, name } => write!(f, "column {index} ({name}) is missing"),
            RecordError::BadField { index, name, value } => {
                write!(f, "column {index} ({name}): cannot read `{value}`")
            }
            RecordError::EmptyField { index, name } => write!(f, "column {index} ({name}) is empty"),
            RecordError::Malformed(line) => write!(f, "not a row: `{line}`"),
        }
    }
}

impl std::error::Error for RecordError {}

/// Splits one exported line into its columns (no quoting in these exports).
pub fn split_row(line: &str) -> Result<Vec<&str>, RecordError> {
    if !line.contains(',') {
        return Err(RecordError::Malformed(line.to_string()));
    }
    Ok(line.split(',').collect())
}

/// Column `index` of `cols`, trimmed and parsed as `T`; errors name the column.
pub fn parse_field<T: FromStr>(cols: &[&str], index: usize, name: &'static str) -> Result<T, RecordError> {
    let raw = cols.get(index).ok_or(RecordError::MissingColumn { index, name })?.trim();
    if raw.is_empty() {
        return Err(RecordError::EmptyField { index, name });
    }
    raw.parse().map_err(|_| RecordError::BadField { index, name, value: raw.to_string() })
}

/// Column `index` as text, trimmed; an empty column is an error.
pub fn text_field(cols: &[&str], index: usize, name: &'static str) -> Result<String, RecordError> {
    let raw = cols.get(index).ok_or(RecordError::MissingColumn { index, name })?.trim();
    if raw.is_empty() {
        return Err(RecordError::EmptyField { index, name });
    }
    Ok(raw.to_string())
}

/// `id,name,age,hourly_rate,full_time`
#[derive(Debug, Clone, PartialEq)]
pub struct Employee {
    pub id: u32,
    pub name: String,
    pub age: u8,
    pub hourly_rate: f64,
    pub full_time: bool,
}

/// Reads a staff line.
pub fn read_employee(line: &str) -> Result<Employee, RecordError> {
    let cols = split_row(line)?;
    let id: u32 = parse_field(&cols, 0, "id")?;
    let name = text_field(&cols, 1, "name")?;
    let age: u8 = parse_field(&cols, 2, "age")?;
    let hourly_rate: f64 = parse_field(&cols, 3, "hourly_rate")?;
    let full_time: bool = parse_field(&cols, 4, "full_time")?;
    Ok(Employee { id, name, age, hourly_rate, full_time })
}

impl Employee {
    /// Weekly pay at 40 hours (full time) or 20 hours.
    pub fn weekly_pay(&self) -> f64 {
        let hours = if self.full_time { 40.0 } else { 20.0 };
        self.hourly_rate * hours
    }
}

/// `sku,description,quantity,reorder_level`
#[derive(Debug, Clone, PartialEq)]
pub struct StockItem {
    pub sku: String,
    pub description: String,
    pub quantity: i32,
    pub reorder_level: i32,
}

/// Reads a stock line; quantities can be negative after an oversold day.
pub fn read_stock_item(line: &str) -> Result<StockItem, RecordError> {
    let cols = split_row(line)?;
    let sku = text_field(&cols, 0, "sku")?;
    let description = text_field(&cols, 1, "description")?;
    let quantity: i32 = parse_field(&cols, 2, "quantity")?;
    let reorder_level: i32 = parse_field(&cols, 3, "reorder_level")?;
    Ok(StockItem { sku, description, quantity, reorder_level })
}

impl StockItem {
    pub fn needs_reorder(&self) -> bool {
        self.quantity <= self.reorder_level
    }
}

/// `shipment_id,destination,weight_kg,parcels`
#[derive(Debug, Clone, PartialEq)]
pub struct Shipment {
    pub id: u64,
    pub destination: String,
    pub weight_kg: f32,
    pub parcels: u16,
}

/// Reads a shipment line; the weight column is the one most often typed by hand.
pub fn read_shipment(line: &str) -> Result<Shipment, RecordError> {
    let cols = split_row(line)?;
    let id: u64 = parse_field(&cols, 0, "shipment_id")?;
    let destination = text_field(&cols, 1, "destination")?;
    let weight_kg: f32 = parse_field(&cols, 2, "weight_kg")?;
    let parcels: u16 = parse_field(&cols, 3, "parcels")?;
    Ok(Shipment { id, destination, weight_kg, parcels })
}

/// `sensor,timestamp,celsius`
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub sensor: String,
    pub timestamp: i64,
    pub celsius: f64,
}

/// Reads a sensor line; the timestamp is in Unix seconds and may be negative for old archives.
pub fn read_reading(line: &str) -> Result<Reading, RecordError> {
    let cols = split_row(line)?;
    let sensor = text_field(&cols, 0, "sensor")?;
    let timestamp: i64 = parse_field(&cols, 1, "timestamp")?;
    let celsius: f64 = parse_field(&cols, 2, "celsius")?;
    Ok(Reading { sensor, timestamp, celsius })
}

/// `invoice_no,customer,amount_cents,paid`
#[derive(Debug, Clone, PartialEq)]
pub struct Invoice {
    pub number: u32,
    pub customer: String,
    pub amount_cents: u64,
    pub paid: bool,
}

/// Reads an invoice line.
pub fn read_invoice(line: &str) -> Result<Invoice, RecordError> {
    let cols = split_row(line)?;
    let number: u32 = parse_field(&cols, 0, "invoice_no")?;
    let customer = text_field(&cols, 1, "customer")?;
    let amount_cents: u64 = parse_field(&cols, 2, "amount_cents")?;
    let paid: bool = parse_field(&cols, 3, "paid")?;
    Ok(Invoice { number, customer, amount_cents, paid })
}

/// The first line of every export: `#rows=N`.
pub fn header_row_count(header: &str) -> Result<usize, RecordError> {
    let cols: Vec<&str> = header.trim_start_matches('#').split('=').collect();
    if cols.len() != 2 || cols[0].trim() != "rows" {
        return Err(RecordError::Malformed(header.to_string()));
    }
    let count: usize = parse_field(&cols, 1, "rows")?;
    Ok(count)
}

/// The outcome of importing many lines: good records and numbered failures.
#[derive(Debug, Default)]
pub struct Import<T> {
    pub records: Vec<T>,
    pub failures: Vec<(usize, RecordError)>,
}

/// Reads every non-empty line with `read`, keeping going after a bad one.
pub fn import_lines<T>(text: &str, read: impl Fn(&str) -> Result<T, RecordError>) -> Import<T> {
    let mut import = Import { records: Vec::new(), failures: Vec::new() };
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match read(line) {
            Ok(record) => import.records.push(record),
            Err(err) => import.failures.push((number + 1, err)),
        }
    }
    import
}

/// Total of the unpaid invoices, in cents.
pub fn outstanding_cents(invoices: &[Invoice]) -> u64 {
    invoices.iter().filter(|inv| !inv.paid).map(|inv| inv.amount_cents).sum()
}
