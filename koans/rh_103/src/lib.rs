#[derive(Debug, PartialEq)]
pub enum FrameError {
    Empty,
    TooLong(usize),
    Truncated { want: usize, got: usize },
}

/// Frames a payload as one length byte followed by the payload.
pub fn frame(payload: &[u8]) -> Result<Vec<u8>, FrameError> {
    if payload.is_empty() {
        return Err(FrameError::Empty);
    }
    let len = u8::try_from(payload.len())?;
    let mut out = Vec::with_capacity(payload.len() + 1);
    out.push(len);
    out.extend_from_slice(payload);
    Ok(out)
}

/// Reads one frame back, returning the payload and the bytes after it.
pub fn unframe(bytes: &[u8]) -> Result<(&[u8], &[u8]), FrameError> {
    let (&len, rest) = bytes.split_first().ok_or(FrameError::Empty)?;
    let want = usize::from(len);
    if rest.len() < want {
        return Err(FrameError::Truncated { want, got: rest.len() });
    }
    Ok(rest.split_at(want))
}
