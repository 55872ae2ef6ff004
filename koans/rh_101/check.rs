#[test]
fn orders_reduce_stock() {
    let mut shop = Shop::new(&[("tea", 5), ("jam", 1)]);
    assert_eq!(shop.order("tea", 2), Ok(3));
    assert_eq!(shop.order("tea", 3), Ok(0));
    assert_eq!(shop.order("jam", 0), Ok(1));
}

#[test]
fn errors_name_the_problem() {
    let mut shop = Shop::new(&[("tea", 5)]);
    assert_eq!(shop.order("coffee", 1), Err(OrderError::UnknownItem("coffee".to_string())));
    assert_eq!(
        shop.order("tea", 9),
        Err(OrderError::OutOfStock { item: "tea".to_string(), wanted: 9, left: 5 })
    );
    assert_eq!(shop.order("tea", 5), Ok(0));
}
