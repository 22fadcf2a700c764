//! WebM as browsers record it. MediaRecorder streams its output, so it never goes back to
//! write the sizes of the Segment and of each Cluster: it marks them "unknown". Symphonia then
//! reads on past the last cluster and reports the end of the file as truncation. The whole
//! upload is in memory, so the sizes are known after all: this writes them in.

use std::borrow::Cow;

const EBML_HEADER: u32 = 0x1a45_dfa3;
const SEGMENT: u32 = 0x1853_8067;
const CLUSTER: u32 = 0x1f43_b675;
/// The Segment's other children: one of them starting ends an unknown-size cluster.
const TOP_LEVEL: [u32; 8] =
    [CLUSTER, 0x114d_9b74, 0x1549_a966, 0x1654_ae6b, 0x1c53_bb6b, 0x1043_a770, 0x1941_a469, 0x1254_c367];

/// An element's header: its ID, where its size field sits and how wide it is, and its size
/// (None when unknown).
struct Header {
    id: u32,
    size_at: usize,
    width: usize,
    data_start: usize,
    size: Option<u64>,
}

/// The file with the unknown sizes of its Segment and Clusters replaced by the real ones;
/// borrowed unchanged when there is nothing to fix or the layout is not as expected.
pub(crate) fn with_known_sizes(bytes: &[u8]) -> Cow<'_, [u8]> {
    let Some(segment) = header(bytes, 0).filter(|ebml| ebml.id == EBML_HEADER).and_then(|ebml| {
        let segment_at = ebml.data_start.checked_add(usize::try_from(ebml.size?).ok()?)?;
        header(bytes, segment_at).filter(|segment| segment.id == SEGMENT)
    }) else {
        return Cow::Borrowed(bytes);
    };
    let segment_end = segment.end().map_or(bytes.len(), |end| end.min(bytes.len()));
    let mut fixes = Vec::new();
    if segment.size.is_none() {
        fixes.push((segment.size_at, segment.width, segment_end - segment.data_start));
    }
    let mut at = segment.data_start;
    while let Some(child) = header(bytes, at).filter(|_| at < segment_end) {
        at = match child.end() {
            Some(end) => end,
            None if child.id == CLUSTER => {
                let end = cluster_end(bytes, child.data_start, segment_end);
                fixes.push((child.size_at, child.width, end - child.data_start));
                end
            }
            None => break,
        };
    }
    let mut patched = None;
    for (size_at, width, size) in fixes {
        // The all-ones value is reserved for "unknown": anything below it fits the field.
        if (size as u64) < (1u64 << (7 * width)) - 1 {
            let patched = patched.get_or_insert_with(|| bytes.to_vec());
            for (index, byte) in patched[size_at..size_at + width].iter_mut().enumerate() {
                *byte = (size as u64 >> (8 * (width - 1 - index))) as u8;
            }
            patched[size_at] |= 0x80 >> (width - 1);
        }
    }
    patched.map_or(Cow::Borrowed(bytes), Cow::Owned)
}

/// Where an unknown-size cluster ends: at the next top-level element, or the segment's end.
fn cluster_end(bytes: &[u8], data_start: usize, segment_end: usize) -> usize {
    let mut at = data_start;
    while let Some(child) = header(bytes, at).filter(|_| at < segment_end) {
        match child.end() {
            Some(end) if !TOP_LEVEL.contains(&child.id) => at = end,
            _ => break,
        }
    }
    at.min(segment_end)
}

impl Header {
    fn end(&self) -> Option<usize> {
        self.data_start.checked_add(usize::try_from(self.size?).ok()?)
    }
}

/// Reads the header at `at`: an ID (which keeps its length marker, as the Matroska
/// specification writes IDs) and a size, both EBML variable-length integers.
fn header(bytes: &[u8], at: usize) -> Option<Header> {
    let id_width = vint_width(*bytes.get(at)?).filter(|width| *width <= 4)?;
    let id = bytes.get(at..at + id_width)?.iter().fold(0u32, |id, byte| id << 8 | u32::from(*byte));
    let size_at = at + id_width;
    let width = vint_width(*bytes.get(size_at)?)?;
    let field = bytes.get(size_at..size_at + width)?;
    let value =
        field[1..].iter().fold(u64::from(field[0]) & (0xff >> width), |value, byte| value << 8 | u64::from(*byte));
    let size = (value != (1u64 << (7 * width)) - 1).then_some(value);
    Some(Header { id, size_at, width, data_start: size_at + width, size })
}

/// A variable-length integer is one byte longer than the leading zero bits of its first byte.
fn vint_width(first: u8) -> Option<usize> {
    (first != 0).then(|| first.leading_zeros() as usize + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNKNOWN: [u8; 8] = [0x01, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff];

    /// An EBML header holding one byte, then a streamed Segment: unknown size, two clusters of
    /// unknown size each holding a 3-byte block, as MediaRecorder writes them.
    fn streamed() -> Vec<u8> {
        let mut bytes = vec![0x1a, 0x45, 0xdf, 0xa3, 0x81, 0x42, 0x18, 0x53, 0x80, 0x67];
        bytes.extend(UNKNOWN);
        for _ in 0..2 {
            bytes.extend([0x1f, 0x43, 0xb6, 0x75]);
            bytes.extend(UNKNOWN);
            bytes.extend([0xa3, 0x83, 1, 2, 3]);
        }
        bytes
    }

    #[test]
    fn unknown_segment_and_cluster_sizes_become_the_lengths_they_span() {
        let streamed = streamed();
        let patched = with_known_sizes(&streamed);
        assert_eq!(&patched[10..18], &[0x01, 0, 0, 0, 0, 0, 0, 34]);
        assert_eq!(&patched[22..30], &[0x01, 0, 0, 0, 0, 0, 0, 5]);
        assert_eq!(&patched[39..47], &[0x01, 0, 0, 0, 0, 0, 0, 5]);
        assert_eq!(patched.len(), streamed.len());
    }

    #[test]
    fn known_sizes_and_other_files_are_left_alone() {
        let mut known = streamed();
        known[10..18].copy_from_slice(&[0x01, 0, 0, 0, 0, 0, 0, 34]);
        known[22..30].copy_from_slice(&[0x01, 0, 0, 0, 0, 0, 0, 5]);
        known[39..47].copy_from_slice(&[0x01, 0, 0, 0, 0, 0, 0, 5]);
        assert!(matches!(with_known_sizes(&known), Cow::Borrowed(_)));
        for other in [&b"OggS"[..], &[0x1a, 0x45, 0xdf, 0xa3, 0x81], &[0x1a, 0x45, 0xdf, 0xa3, 0x00, 0x00], &[]] {
            assert!(matches!(with_known_sizes(other), Cow::Borrowed(_)), "{other:?}");
        }
    }
}
