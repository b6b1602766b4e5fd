//! Keyset pagination cursors: where the next or previous page of history starts.
//!
//! A cursor names a row id and a direction. It travels in links as an opaque, URL-safe
//! string (base64url of a tag byte, the id and a checksum), so a hand-edited or truncated
//! cursor is refused with a clear message instead of silently showing another page. It
//! carries no filter: the filters travel beside it and are applied again on every page.

use base64::{engine::general_purpose::URL_SAFE_NO_PAD, Engine as _};

/// Which rows a page shows relative to a row id (history is listed newest first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cursor {
    /// The page after: rows older than the id (`id < n`), newest first.
    Older(i64),
    /// The page before: rows newer than the id (`id > n`), shown newest first.
    Newer(i64),
}

/// What a refused cursor says.
pub const INVALID_CURSOR: &str =
    "This page link is damaged or out of date. Start again from the first page.";

const TAG_OLDER: u8 = b'o';
const TAG_NEWER: u8 = b'n';
/// The longest text worth decoding (a cursor is 18 characters).
const MAX_LEN: usize = 64;

impl Cursor {
    pub fn id(self) -> i64 {
        match self {
            Cursor::Older(id) | Cursor::Newer(id) => id,
        }
    }

    /// The opaque form for links and `nextCursor`.
    pub fn encode(self) -> String {
        let (tag, id) = match self {
            Cursor::Older(id) => (TAG_OLDER, id),
            Cursor::Newer(id) => (TAG_NEWER, id),
        };
        let mut bytes = Vec::with_capacity(13);
        bytes.push(tag);
        bytes.extend_from_slice(&id.to_be_bytes());
        let sum = checksum(&bytes);
        bytes.extend_from_slice(&sum.to_be_bytes());
        base64url(&bytes)
    }

    /// Reads a cursor back; anything this build did not write is refused.
    pub fn decode(text: &str) -> Result<Cursor, String> {
        let invalid = || INVALID_CURSOR.to_string();
        let bytes = unbase64url(text).ok_or_else(invalid)?;
        if bytes.len() != 13 {
            return Err(invalid());
        }
        let (body, sum) = bytes.split_at(9);
        if checksum(body).to_be_bytes() != sum {
            return Err(invalid());
        }
        let id = i64::from_be_bytes(body[1..9].try_into().map_err(|_| invalid())?);
        if id < 1 {
            return Err(invalid());
        }
        match body[0] {
            TAG_OLDER => Ok(Cursor::Older(id)),
            TAG_NEWER => Ok(Cursor::Newer(id)),
            _ => Err(invalid()),
        }
    }
}

/// FNV-1a (32 bit) over a fixed prefix and the bytes: catches edits and truncation. It is
/// not a signature: a cursor grants nothing, it only says where a page starts.
fn checksum(bytes: &[u8]) -> u32 {
    b"ecs-portal history cursor v1"
        .iter()
        .chain(bytes)
        .fold(0x811c_9dc5_u32, |hash, b| {
            (hash ^ u32::from(*b)).wrapping_mul(0x0100_0193)
        })
}

/// base64url without padding (RFC 4648 section 5).
fn base64url(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unbase64url(text: &str) -> Option<Vec<u8>> {
    if text.len() > MAX_LEN {
        return None;
    }
    URL_SAFE_NO_PAD.decode(text).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_are_url_safe() {
        for cursor in [
            Cursor::Older(1),
            Cursor::Older(50),
            Cursor::Newer(999_999),
            Cursor::Older(i64::MAX),
        ] {
            let text = cursor.encode();
            assert!(
                text.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                "{text}"
            );
            assert_eq!(Cursor::decode(&text), Ok(cursor));
        }
        assert_ne!(Cursor::Older(7).encode(), Cursor::Newer(7).encode());
    }

    #[test]
    fn damaged_or_foreign_cursors_are_refused() {
        let good = Cursor::Older(12345).encode();
        // Every single-character edit is caught.
        for i in 0..good.len() {
            for replacement in ['A', 'z', '0', '-'] {
                let mut edited: Vec<char> = good.chars().collect();
                if edited[i] == replacement {
                    continue;
                }
                edited[i] = replacement;
                let edited: String = edited.into_iter().collect();
                assert!(Cursor::decode(&edited).is_err(), "{edited}");
            }
        }
        for bad in [
            "",
            "12345",
            &good[..good.len() - 1],
            &format!("{good}A"),
            "not a cursor!",
            "bzEyMzQ1",
        ] {
            assert_eq!(
                Cursor::decode(bad),
                Err(INVALID_CURSOR.to_string()),
                "{bad}"
            );
        }
        // Ids below 1 are never written.
        assert!(Cursor::decode(&Cursor::Older(0).encode()).is_err());
        assert!(Cursor::decode(&Cursor::Newer(-3).encode()).is_err());
    }

    #[test]
    fn base64url_matches_the_standard_alphabet() {
        assert_eq!(base64url(b"Man"), "TWFu");
        assert_eq!(base64url(b"Ma"), "TWE");
        assert_eq!(base64url(b"M"), "TQ");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        assert_eq!(unbase64url("TWFu").unwrap(), b"Man");
        assert_eq!(unbase64url("TQ").unwrap(), b"M");
    }
}
