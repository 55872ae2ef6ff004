#[test]
fn employee_with_padded_columns() {
    let e = read_employee("7, Ada Lovelace , 36 , 41.5, true").unwrap();
    assert_eq!(e, Employee { id: 7, name: "Ada Lovelace".into(), age: 36, hourly_rate: 41.5, full_time: true });
    assert_eq!(e.weekly_pay(), 1660.0);
}

#[test]
fn employee_bad_age_names_the_column() {
    assert_eq!(
        read_employee("7,Ada,thirty,41.5,true"),
        Err(RecordError::BadField { index: 2, name: "age", value: "thirty".into() })
    );
    assert_eq!(
        read_employee("7,Ada,300,41.5,true"),
        Err(RecordError::BadField { index: 2, name: "age", value: "300".into() })
    );
}

#[test]
fn employee_short_row() {
    assert_eq!(read_employee("7,Ada"), Err(RecordError::MissingColumn { index: 2, name: "age" }));
}

#[test]
fn stock_item_negative_quantity() {
    let item = read_stock_item("AB-1,Hex bolts, -4 ,10").unwrap();
    assert_eq!(item.quantity, -4);
    assert!(item.needs_reorder());
}

#[test]
fn stock_item_errors() {
    assert_eq!(
        read_stock_item("AB-1,Hex bolts,lots,10"),
        Err(RecordError::BadField { index: 2, name: "quantity", value: "lots".into() })
    );
    assert_eq!(read_stock_item("AB-1,Hex bolts"), Err(RecordError::MissingColumn { index: 2, name: "quantity" }));
    assert_eq!(read_stock_item("AB-1,Hex bolts,  ,10"), Err(RecordError::EmptyField { index: 2, name: "quantity" }));
}

#[test]
fn shipment_padded_weight() {
    let s = read_shipment("90001,Rotterdam, 12.5 ,3").unwrap();
    assert_eq!(s, Shipment { id: 90001, destination: "Rotterdam".into(), weight_kg: 12.5, parcels: 3 });
}

#[test]
fn shipment_weight_errors() {
    assert_eq!(
        read_shipment("90001,Rotterdam,heavy,3"),
        Err(RecordError::BadField { index: 2, name: "weight_kg", value: "heavy".into() })
    );
    assert_eq!(
        read_shipment("90001,Rotterdam,12.5kg,3"),
        Err(RecordError::BadField { index: 2, name: "weight_kg", value: "12.5kg".into() })
    );
    assert_eq!(read_shipment("90001,Rotterdam"), Err(RecordError::MissingColumn { index: 2, name: "weight_kg" }));
}

#[test]
fn reading_negative_timestamp() {
    let r = read_reading("t-03, -86400 ,21.5").unwrap();
    assert_eq!(r, Reading { sensor: "t-03".into(), timestamp: -86400, celsius: 21.5 });
}

#[test]
fn reading_timestamp_errors() {
    assert_eq!(
        read_reading("t-03,2024-01-01,21.5"),
        Err(RecordError::BadField { index: 1, name: "timestamp", value: "2024-01-01".into() })
    );
    assert_eq!(read_reading("t-03,"), Err(RecordError::EmptyField { index: 1, name: "timestamp" }));
}

#[test]
fn invoice_paid_flag() {
    let inv = read_invoice("1001,Acme,125000, false").unwrap();
    assert_eq!(inv, Invoice { number: 1001, customer: "Acme".into(), amount_cents: 125000, paid: false });
    let paid = read_invoice("1002,Initech,5000,true").unwrap();
    assert_eq!(outstanding_cents(&[inv, paid]), 125000);
}

#[test]
fn invoice_paid_errors() {
    assert_eq!(
        read_invoice("1001,Acme,125000,yes"),
        Err(RecordError::BadField { index: 3, name: "paid", value: "yes".into() })
    );
    assert_eq!(read_invoice("1001,Acme,125000"), Err(RecordError::MissingColumn { index: 3, name: "paid" }));
}

#[test]
fn header_count() {
    assert_eq!(header_row_count("#rows= 42"), Ok(42));
    assert_eq!(
        header_row_count("#rows=many"),
        Err(RecordError::BadField { index: 1, name: "rows", value: "many".into() })
    );
    assert_eq!(header_row_count("#rows="), Err(RecordError::EmptyField { index: 1, name: "rows" }));
    assert_eq!(header_row_count("#cols=3"), Err(RecordError::Malformed("#cols=3".into())));
}

#[test]
fn import_keeps_going() {
    let text = "7,Ada,36,41.5,true\n\n8,Bob,x,20,false\n9,Cy, 51 ,30,false\n";
    let import = import_lines(text, read_employee);
    assert_eq!(import.records.len(), 2);
    assert_eq!(import.failures, vec![(3, RecordError::BadField { index: 2, name: "age", value: "x".into() })]);
}

#[test]
fn error_messages() {
    let err = read_employee("7,Ada,x,1,true").unwrap_err();
    assert_eq!(err.to_string(), "column 2 (age): cannot read `x`");
    assert_eq!(split_row("nothing"), Err(RecordError::Malformed("nothing".into())));
}
