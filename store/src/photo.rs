//! Complaint photos as the store keeps them: two copies of each (see migration 0011), read
//! one at a time so a page listing photos never loads their bytes.

use daylight_domain::complaint::photo::ImageKind;

/// One stored photo, without its bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhotoInfo {
    pub complaint_id: i64,
    /// 1, 2, … in the order the resident attached them.
    pub number: u32,
    pub kind: ImageKind,
    /// Size of the file as sent.
    pub original_bytes: u64,
    /// Size of the copy without metadata.
    pub public_bytes: u64,
    /// An officer allowed the public to see it.
    pub publishable: bool,
}

/// Which copy of a photo to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PhotoCopy {
    /// As the resident sent it, metadata included: officers only.
    Original,
    /// Without metadata: the reporter and, when publishable, the public.
    Public,
}
