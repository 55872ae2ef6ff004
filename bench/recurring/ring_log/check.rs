#[test]
fn stamps_keep_the_low_32_bits() {
    assert_eq!(stamp_of(7), 7);
    assert_eq!(stamp_of((1u64 << 32) + 7), 7);
    assert_eq!(stamp_of(u64::MAX), u32::MAX);
}

#[test]
fn ring_survives_the_32_bit_wrap() {
    let mut ring = RingIndex::starting_at(4, (1u64 << 32) - 2).unwrap();
    let seqs: Vec<u64> = (0..4).map(|i| ring.append(format!("k{i}").as_bytes(), 10)).collect();
    assert_eq!(seqs[3], (1u64 << 32) + 1);
    assert_eq!(ring.get(seqs[3]).unwrap().stamp, 1);
    assert_eq!(ring.get(seqs[0]).unwrap().stamp, u32::MAX - 1);
    assert_eq!(ring.get(seqs[3] + 1), Err(RingError::Future { seq: seqs[3] + 1, next: seqs[3] + 1 }));
}

#[test]
fn overwritten_slots_are_detected() {
    let mut ring = RingIndex::with_capacity(2).unwrap();
    for i in 0..5u8 {
        ring.append(&[i], 1);
    }
    assert_eq!(ring.get(1), Err(RingError::Overwritten { seq: 1, stamp: 1, found: 3 }));
    assert!(ring.get(4).is_ok());
}

#[test]
fn hashes_fold_both_halves() {
    assert_eq!(fold_hash(0x1234_5678_0000_0001), 0x1234_5679);
    assert_eq!(fold_hash(0xffff_ffff_0000_0000), 0xffff_ffff);
    assert_eq!(fold_hash(42), 42);
    let h = key_hash(b"orders");
    assert_eq!(fold_hash(h), ((h >> 32) ^ (h & 0xffff_ffff)) as u32);
}

#[test]
fn latest_for_key() {
    let mut ring = RingIndex::with_capacity(8).unwrap();
    ring.append(b"a", 1);
    ring.append(b"b", 1);
    ring.append(b"a", 1);
    assert_eq!(ring.latest_for(b"a"), Some(2));
    assert_eq!(ring.latest_for(b"b"), Some(1));
    assert_eq!(ring.latest_for(b"zzz"), None);
}

#[test]
fn header_splits_length_into_bytes() {
    let header = encode_header(3, 300, 0xbeef, 0x0001_0203);
    assert_eq!(header, [3, 0, 1, 44, 0xbe, 0xef, 0x02, 0x03]);
    assert_eq!(encode_header(1, 0xffff, 0, 0)[2..4], [0xff, 0xff]);
}

#[test]
fn header_round_trip() {
    let payload = vec![200u8; 300];
    let header = encode_header(7, 300, checksum16(&payload), 99);
    let back = decode_header(&header, &payload).unwrap();
    assert_eq!(back, Header { kind: 7, len: 300, payload_sum: checksum16(&payload), stamp_low: 99 });
    assert_eq!(decode_header(&header[..5], &payload), Err(RingError::Truncated { have: 5 }));
}

#[test]
fn sum16_wraps_modulo_2_16() {
    assert_eq!(checksum16(b"abc"), 294);
    assert_eq!(checksum16(&[255u8; 300]), (76_500 % 65_536) as u16);
    assert_eq!(checksum16(&[255u8; 300]), 10_964);
}

#[test]
fn bad_checksum_is_reported() {
    let payload = vec![255u8; 300];
    let header = encode_header(1, 300, checksum16(&payload), 0);
    let mut tampered = payload.clone();
    tampered[0] = 0;
    assert_eq!(decode_header(&header, &tampered), Err(RingError::BadChecksum { expected: 10_964, found: 10_709 }));
}

#[test]
fn generations_wrap_at_2_16() {
    assert_eq!(generation_of(9, 4), 2);
    assert_eq!(generation_of(4 * 70_000 + 1, 4), 4_464);
    let mut ring = RingIndex::starting_at(4, 4 * 65_536 + 4).unwrap();
    let seq = ring.append(b"x", 1);
    assert_eq!(ring.get(seq).unwrap().generation, 1);
}

#[test]
fn stamp_distance_is_signed_and_wraps() {
    assert_eq!(stamp_distance(3, 5), 2);
    assert_eq!(stamp_distance(5, 3), -2);
    assert_eq!(stamp_distance(u32::MAX, 1), 2);
    assert_eq!(stamp_distance(1, u32::MAX), -2);
}

#[test]
fn reader_lag_from_a_stamp() {
    let mut ring = RingIndex::starting_at(8, (1u64 << 32) - 1).unwrap();
    ring.append(b"a", 1);
    ring.append(b"b", 1);
    ring.append(b"c", 1);
    assert_eq!(ring.lag_from_stamp(u32::MAX), 2);
    assert_eq!(ring.lag_from_stamp(3), -2);
}

#[test]
fn capacity_must_be_a_power_of_two() {
    assert_eq!(RingIndex::with_capacity(6).unwrap_err(), RingError::BadCapacity(6));
    assert_eq!(RingIndex::with_capacity(0).unwrap_err().to_string(), "capacity 0 is not a power of two");
}
