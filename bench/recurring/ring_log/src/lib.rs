//! The index of a ring-buffer write-ahead log.
//!
//! The log appends records with a 64-bit sequence number; the index keeps a
//! fixed ring of compact slots (a 32-bit stamp, a 32-bit key hash, the
//! record's offset and length) and a small header per record on disk.
//!
//! House rule: narrowing conversions that keep the low bits on purpose are
//! written with `as` (stamps are the low 32 bits of the sequence, hashes are
//! folded, bytes are split, distances wrap). `try_into().unwrap()` would panic
//! on exactly the values these functions exist for, so it is not used here.

use std::fmt;

/// Bytes in an on-disk record header.
pub const HEADER_LEN: usize = 8;

/// What the index can refuse.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RingError {
    /// The slot for this sequence number has been reused by a newer record.
    Overwritten { seq: u64, stamp: u32, found: u32 },
    /// A sequence number that was never appended.
    Future { seq: u64, next: u64 },
    /// A header shorter than `HEADER_LEN`.
    Truncated { have: usize },
    /// A header whose checksum does not match its bytes.
    BadChecksum { expected: u16, found: u16 },
    /// A ring capacity that is zero or not a power of two.
    BadCapacity(u32),
}

impl fmt::Display for RingError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            RingError::Overwritten { seq, stamp, found } => {
                write!(f, "record {seq} was overwritten (stamp {stamp:#x}, slot holds {found:#x})")
            }
            RingError::Future { seq, next } => write!(f, "record {seq} does not exist yet (next is {next})"),
            RingError::Truncated { have } => write!(f, "header has {have} bytes, needs {HEADER_LEN}"),
            RingError::BadChecksum { expected, found } => {
                write!(f, "checksum {found:#06x} does not match {expected:#06x}")
            }
            RingError::BadCapacity(n) => write!(f, "capacity {n} is not a power of two"),
        }
    }
}

impl std::error::Error for RingError {}

/// The stamp stored in a slot: the low 32 bits of the sequence number.
pub fn stamp_of(seq: u64) -> u32 {
    seq as u32
}

/// FNV-1a, 64-bit.
pub fn key_hash(key: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in key {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Folds a 64-bit hash into the 32 bits a slot keeps (xor of both halves).
pub fn fold_hash(hash: u64) -> u32 {
    (hash ^ (hash >> 32)) as u32
}

/// How far `later` is ahead of `earlier`, in serial-number arithmetic:
/// negative when `later` is in fact behind, correct across the 2^32 wrap.
pub fn stamp_distance(earlier: u32, later: u32) -> i32 {
    later.wrapping_sub(earlier) as i32
}

/// Sum16: the byte sum modulo 2^16, as the log's on-disk format defines it.
pub fn checksum16(data: &[u8]) -> u16 {
    let sum: u32 = data.iter().map(|&b| u32::from(b)).sum();
    sum as u16
}

/// How many times the ring has wrapped when `seq` is written, modulo 2^16.
pub fn generation_of(seq: u64, capacity: u32) -> u16 {
    (seq / u64::from(capacity)) as u16
}

/// The on-disk header: kind, flags, length (big-endian), sum16 of the
/// payload (big-endian), then the low 16 bits of the stamp.
pub fn encode_header(kind: u8, len: u16, payload_sum: u16, stamp: u32) -> [u8; HEADER_LEN] {
    let mut out = [0u8; HEADER_LEN];
    out[0] = kind;
    out[1] = 0;
    out[2] = (len >> 8) as u8;
    out[3] = len as u8;
    out[4..6].copy_from_slice(&payload_sum.to_be_bytes());
    out[6..8].copy_from_slice(&(stamp as u16).to_be_bytes());
    out
}

/// A decoded header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Header {
    pub kind: u8,
    pub len: u16,
    pub payload_sum: u16,
    pub stamp_low: u16,
}

/// Reads a header and checks the payload against its sum16.
pub fn decode_header(bytes: &[u8], payload: &[u8]) -> Result<Header, RingError> {
    if bytes.len() < HEADER_LEN {
        return Err(RingError::Truncated { have: bytes.len() });
    }
    let len = u16::from_be_bytes([bytes[2], bytes[3]]);
    let payload_sum = u16::from_be_bytes([bytes[4], bytes[5]]);
    let found = checksum16(payload);
    if found != payload_sum {
        return Err(RingError::BadChecksum { expected: payload_sum, found });
    }
    let stamp_low = u16::from_be_bytes([bytes[6], bytes[7]]);
    Ok(Header { kind: bytes[0], len, payload_sum, stamp_low })
}

/// One slot of the ring.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Slot {
    pub stamp: u32,
    pub hash: u32,
    pub offset: u64,
    pub len: u16,
    pub generation: u16,
}

/// The ring of slots; capacity is a power of two so a slot is `seq & mask`.
#[derive(Debug, Clone)]
pub struct RingIndex {
    slots: Vec<Slot>,
    mask: u64,
    next_seq: u64,
    next_offset: u64,
}

impl RingIndex {
    pub fn with_capacity(capacity: u32) -> Result<RingIndex, RingError> {
        if capacity == 0 || !capacity.is_power_of_two() {
            return Err(RingError::BadCapacity(capacity));
        }
        let slots = vec![Slot::default(); capacity as usize];
        Ok(RingIndex { slots, mask: u64::from(capacity) - 1, next_seq: 0, next_offset: 0 })
    }

    /// Starts numbering at `seq` (a log reopened after earlier runs).
    pub fn starting_at(capacity: u32, seq: u64) -> Result<RingIndex, RingError> {
        let mut ring = RingIndex::with_capacity(capacity)?;
        ring.next_seq = seq;
        Ok(ring)
    }

    pub fn capacity(&self) -> u32 {
        self.slots.len() as u32
    }

    fn slot_mut(&mut self, seq: u64) -> &mut Slot {
        let at = (seq & self.mask) as usize;
        &mut self.slots[at]
    }

    /// Records an append of `len` bytes under `key`; returns its sequence number.
    pub fn append(&mut self, key: &[u8], len: u16) -> u64 {
        let seq = self.next_seq;
        let offset = self.next_offset;
        let generation = generation_of(seq, self.capacity());
        *self.slot_mut(seq) = Slot { stamp: stamp_of(seq), hash: fold_hash(key_hash(key)), offset, len, generation };
        self.next_seq += 1;
        self.next_offset += u64::from(len) + HEADER_LEN as u64;
        seq
    }

    /// The slot of `seq`, if it has not been overwritten.
    pub fn get(&self, seq: u64) -> Result<Slot, RingError> {
        if seq >= self.next_seq {
            return Err(RingError::Future { seq, next: self.next_seq });
        }
        let slot = self.slots[(seq & self.mask) as usize];
        let stamp = stamp_of(seq);
        if slot.stamp != stamp {
            return Err(RingError::Overwritten { seq, stamp, found: slot.stamp });
        }
        Ok(slot)
    }

    /// The newest live record whose key hashes like `key`.
    pub fn latest_for(&self, key: &[u8]) -> Option<u64> {
        let hash = fold_hash(key_hash(key));
        let oldest = self.next_seq.saturating_sub(self.mask + 1);
        (oldest..self.next_seq).rev().find(|&seq| self.slots[(seq & self.mask) as usize].hash == hash)
    }

    /// Records between `seq` and the newest, by stamps alone (as a reader that only kept a stamp would).
    pub fn lag_from_stamp(&self, stamp: u32) -> i32 {
        let newest = stamp_of(self.next_seq.wrapping_sub(1));
        stamp_distance(stamp, newest)
    }
}
