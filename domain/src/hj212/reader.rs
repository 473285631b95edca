//! Cutting a TCP byte stream into frames.
//!
//! A data logger's connection carries frames back to back, sometimes with noise between them
//! (modem chatter, a half-sent packet after a reconnect, stray line ends). [`FrameReader`] holds
//! the bytes received so far, hands out every complete frame or the reason it was rejected, and
//! resynchronises on the next `##`. Its buffer is bounded by the longest frame the [`Mode`]
//! accepts, so a peer can never make it grow, and no input makes it panic.

use super::frame::{parse_length, Frame, FrameError, Mode, FRAME_OVERHEAD, MAX_SEGMENT_LEN};

/// An incremental frame splitter with a fixed maximum buffer.
///
/// ```
/// use daylight_domain::hj212::{frame, FrameReader, Mode};
///
/// let mut reader = FrameReader::new(Mode::Strict);
/// let packet = frame("ST=32;CN=2011;PW=123456;MN=LD130133000015;CP=&&&&");
/// let items = reader.feed(format!("noise{packet}").as_bytes());
/// assert_eq!(items.len(), 2); // the skipped noise, then the frame
/// assert!(items[1].is_ok());
/// ```
#[derive(Debug, Clone)]
pub struct FrameReader {
    mode: Mode,
    buf: Vec<u8>,
    /// Bytes of `buf` already searched for `<CR><LF>` without success.
    scanned: usize,
    /// Discarding the remainder of a rejected frame: not reported again as garbage.
    skipping: bool,
    /// Garbage bytes discarded since the last report.
    garbage: usize,
    /// Whether those bytes held anything but blanks and line ends (which are not reported).
    garbage_visible: bool,
}

impl FrameReader {
    pub fn new(mode: Mode) -> Self {
        Self {
            mode,
            buf: Vec::with_capacity(mode.max_frame_len()),
            scanned: 0,
            skipping: false,
            garbage: 0,
            garbage_visible: false,
        }
    }

    pub fn mode(&self) -> Mode {
        self.mode
    }

    /// The most bytes the reader ever holds: the longest frame its mode accepts.
    pub fn capacity(&self) -> usize {
        self.mode.max_frame_len()
    }

    /// Bytes currently held (an incomplete frame, or a partial header).
    pub fn buffered(&self) -> usize {
        self.buf.len()
    }

    /// Appends as many of `bytes` as fit and returns how many were taken. When it returns less
    /// than `bytes.len()`, call [`FrameReader::next_frame`] until it returns `None` and push the
    /// rest; a full buffer always yields an item. [`FrameReader::feed`] does both.
    pub fn push(&mut self, bytes: &[u8]) -> usize {
        let take = bytes.len().min(self.capacity() - self.buf.len());
        self.buf.extend_from_slice(&bytes[..take]);
        take
    }

    /// Pushes all of `bytes` and returns every item that became available, in stream order.
    pub fn feed(&mut self, bytes: &[u8]) -> Vec<Result<Frame, FrameError>> {
        let mut items = Vec::new();
        let mut rest = bytes;
        loop {
            let taken = self.push(rest);
            rest = &rest[taken..];
            while let Some(item) = self.next_frame() {
                items.push(item);
            }
            if rest.is_empty() {
                return items;
            }
        }
    }

    /// The next complete frame, or why the bytes at the head of the stream were rejected;
    /// `None` when more bytes are needed.
    pub fn next_frame(&mut self) -> Option<Result<Frame, FrameError>> {
        match find(&self.buf, b"##") {
            Some(mut start) => {
                // In a run of '#', the header is the last two.
                while self.buf.get(start + 2) == Some(&b'#') {
                    start += 1;
                }
                self.discard(start);
                // A header at the very end of what has arrived may be the start of a longer
                // run of '#': wait for the next byte, so that the items do not depend on
                // where the stream was cut.
                if self.buf.len() == 2 {
                    return None;
                }
            }
            None => {
                let keep = usize::from(self.buf.last() == Some(&b'#'));
                self.discard(self.buf.len() - keep);
                return None;
            }
        }
        self.skipping = false;
        if let Some(report) = self.take_garbage_report() {
            return Some(Err(report));
        }
        let len_field = self.buf.get(2..6)?;
        let declared = match parse_length(len_field) {
            Ok(n) => n,
            Err(e) => return Some(Err(self.reject(e))),
        };
        if self.mode == Mode::Strict && declared > MAX_SEGMENT_LEN {
            let e = FrameError::TooLong {
                len: declared,
                max: MAX_SEGMENT_LEN,
            };
            return Some(Err(self.reject(e)));
        }
        let limit = self.buf.len().min(self.capacity());
        let from = self.scanned.saturating_sub(1).max(6);
        match self.buf.get(from..limit).and_then(|s| find(s, b"\r\n")) {
            Some(at) => {
                let end = from + at + 2;
                let result = Frame::parse(&self.buf[..end], self.mode);
                match &result {
                    Ok(_) => self.drop_front(end),
                    Err(_) => self.resync_within(end),
                }
                Some(result)
            }
            None if self.buf.len() >= self.capacity() => {
                let e = FrameError::Unterminated {
                    len: self.buf.len(),
                    max: self.capacity(),
                };
                Some(Err(self.reject(e)))
            }
            None => {
                self.scanned = limit;
                None
            }
        }
    }

    /// Ends the stream: returns the items still buffered, then reports a frame left incomplete
    /// and garbage not yet reported. The reader is empty afterwards.
    pub fn finish(&mut self) -> Vec<Result<Frame, FrameError>> {
        let mut items = Vec::new();
        while let Some(item) = self.next_frame() {
            items.push(item);
        }
        if self.buf.starts_with(b"##") {
            items.extend(self.take_garbage_report().map(Err));
            let need = self
                .buf
                .get(2..6)
                .and_then(|f| parse_length(f).ok())
                .map_or(FRAME_OVERHEAD, |n| n + FRAME_OVERHEAD);
            items.push(Err(FrameError::Truncated {
                got: self.buf.len(),
                need,
            }));
            self.drop_front(self.buf.len());
        } else {
            self.discard(self.buf.len());
            items.extend(self.take_garbage_report().map(Err));
        }
        self.skipping = false;
        items
    }

    /// Drops the rejected frame at the head of the buffer up to the next `##` (which may begin
    /// a good frame: a half-sent packet is often followed directly by a whole one). Without one,
    /// what follows is still part of the bad frame and is dropped silently as it arrives.
    fn reject(&mut self, error: FrameError) -> FrameError {
        match self.buf.get(1..).and_then(|s| find(s, b"##")) {
            Some(at) => self.drop_front(at + 1),
            None => {
                let keep = usize::from(self.buf.len() > 1 && self.buf.last() == Some(&b'#'));
                self.drop_front(self.buf.len() - keep);
                self.skipping = true;
            }
        }
        error
    }

    /// Drops a rejected frame that ended at `end` (its `<CR><LF>`), unless another header
    /// inside it shows where the next frame starts.
    fn resync_within(&mut self, end: usize) {
        match self.buf.get(1..end).and_then(|s| find(s, b"##")) {
            Some(at) => self.drop_front(at + 1),
            None => self.drop_front(end),
        }
    }

    /// Drops bytes that are not part of a frame, counting them as garbage.
    fn discard(&mut self, n: usize) {
        if n == 0 {
            return;
        }
        if !self.skipping {
            self.garbage += n;
            self.garbage_visible |= self.buf[..n]
                .iter()
                .any(|b| !matches!(b, b' ' | b'\t' | b'\r' | b'\n' | 0));
        }
        self.drop_front(n);
    }

    fn drop_front(&mut self, n: usize) {
        self.buf.drain(..n);
        self.scanned = 0;
    }

    fn take_garbage_report(&mut self) -> Option<FrameError> {
        let report = (self.garbage > 0 && self.garbage_visible)
            .then_some(FrameError::Garbage { len: self.garbage });
        self.garbage = 0;
        self.garbage_visible = false;
        report
    }
}

/// Where the two-byte `needle` first occurs in `haystack`.
fn find(haystack: &[u8], needle: &[u8; 2]) -> Option<usize> {
    haystack
        .windows(2)
        .position(|w| w[0] == needle[0] && w[1] == needle[1])
}
