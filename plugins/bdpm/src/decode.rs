//! Per-file encoding detection and decoding.
//!
//! The BDPM files carry no encoding declaration and no BOM. `CIS_CIP_bdpm.txt`
//! is UTF-8 since 2025 while every other file is still Windows-1252, so each
//! file is tried as strict UTF-8 first and decoded as Windows-1252 otherwise.
//! ISO-8859-1 is never used: it would turn the cp1252 punctuation bytes
//! (`0x92` ’, `0x96` –, `0x85` …) into invisible C1 control characters.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

/// Character encoding detected for one file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Encoding {
    /// Valid UTF-8 (pure ASCII files are reported as UTF-8 too).
    Utf8,
    /// Windows-1252, used because the bytes are not valid UTF-8.
    Windows1252,
}

impl Encoding {
    /// Returns the WHATWG label of the encoding (`utf-8` or `windows-1252`).
    pub fn label(self) -> &'static str {
        match self {
            Encoding::Utf8 => "utf-8",
            Encoding::Windows1252 => "windows-1252",
        }
    }
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Decodes a whole file, borrowing the bytes when they are already UTF-8.
///
/// A leading UTF-8 BOM is dropped. The Windows-1252 decoder of `encoding_rs`
/// maps every byte to a character (the five undefined bytes become the C1
/// controls of the same value), so decoding never fails and never produces
/// U+FFFD.
pub fn decode(bytes: &[u8]) -> (Cow<'_, str>, Encoding) {
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);

    if let Ok(text) = std::str::from_utf8(bytes) {
        return (Cow::Borrowed(text), Encoding::Utf8);
    }

    let text = encoding_rs::WINDOWS_1252
        .decode_without_bom_handling(bytes)
        .0;
    (text, Encoding::Windows1252)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ascii_is_utf8() {
        let (text, encoding) = decode(b"CT-1\thttps://x\r\n");
        assert_eq!(encoding, Encoding::Utf8);
        assert!(matches!(text, Cow::Borrowed(_)));
    }

    #[test]
    fn windows_1252_apostrophe_and_dash() {
        let (text, encoding) = decode(b"l\x92indication \x96 \xe9t\xe9");
        assert_eq!(encoding, Encoding::Windows1252);
        assert_eq!(text, "l’indication – été");
    }

    #[test]
    fn utf8_accents_kept() {
        let (text, encoding) = decode("Présentation active".as_bytes());
        assert_eq!(encoding, Encoding::Utf8);
        assert_eq!(text, "Présentation active");
    }

    #[test]
    fn windows_1252_every_byte_decoded() {
        let bytes: Vec<u8> = (0..=255).collect();
        let (text, encoding) = decode(&bytes);
        assert_eq!(encoding, Encoding::Windows1252);
        assert_eq!(text.chars().count(), 256);
        assert!(!text.contains('\u{FFFD}'));
        assert_eq!(text.chars().nth(0x81), Some('\u{81}'));
    }

    #[test]
    fn utf8_bom_dropped() {
        let (text, encoding) = decode(b"\xEF\xBB\xBF60234100");
        assert_eq!(encoding, Encoding::Utf8);
        assert_eq!(text, "60234100");
    }
}
