//! Checks shared by the download and the import of BDPM files: which files
//! a sync fetches, how small a file may plausibly be, how a body is
//! validated, when a failed request is retried, and the HTTP validators
//! kept between syncs.
//!
//! This module does no I/O, so its rules are unit-tested on the host; the
//! `wasm32` plugin glue performs the requests.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::kind::FileKind;

/// Download address used when the configuration sets no `base_url`. Each
/// file is fetched at this address followed by its published name.
///
/// NOTE: this form is the one public mirrors scripts used through July
/// 2026; the ANSM documents no stable download API, and
/// `CIS_InfoImportantes.txt` may only exist under `/download/`.
pub const DEFAULT_BASE_URL: &str =
    "https://base-donnees-publique.medicaments.gouv.fr/index.php/download/file/";

/// A file fetched by a sync.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DownloadFile {
    /// Kind of file, whose published name is the download name.
    pub kind: FileKind,
    /// Whether the sync fails when the server does not have the file
    /// (HTTP 404). An optional file that is missing is left out of the new
    /// snapshot, with a note.
    pub required: bool,
}

/// The files a sync fetches, in download order. The medicines, boxes,
/// compositions, generic groups and prescription conditions are required;
/// the HAS opinions and links, the MITM list, the shortages and the
/// important information are taken when published.
pub const DOWNLOADS: [DownloadFile; 11] = [
    DownloadFile {
        kind: FileKind::Specialties,
        required: true,
    },
    DownloadFile {
        kind: FileKind::Presentations,
        required: true,
    },
    DownloadFile {
        kind: FileKind::Compositions,
        required: true,
    },
    DownloadFile {
        kind: FileKind::GenericGroups,
        required: true,
    },
    DownloadFile {
        kind: FileKind::PrescriptionConditions,
        required: true,
    },
    DownloadFile {
        kind: FileKind::HasSmr,
        required: false,
    },
    DownloadFile {
        kind: FileKind::HasAsmr,
        required: false,
    },
    DownloadFile {
        kind: FileKind::HasPageLinks,
        required: false,
    },
    DownloadFile {
        kind: FileKind::MajorTherapeuticInterest,
        required: false,
    },
    DownloadFile {
        kind: FileKind::Availability,
        required: false,
    },
    DownloadFile {
        kind: FileKind::ImportantInformation,
        required: false,
    },
];

/// Returns the smallest plausible size of a file of `kind`, in bytes.
///
/// Each minimum is about a third of the size measured on the official set
/// of 28 January 2026 (SMR, ASMR and HAS links: November 2023; important
/// information: May 2026), so that normal variation passes and a body cut
/// short by a proxy or an aborted transfer does not.
pub fn minimum_bytes(kind: FileKind) -> u64 {
    match kind {
        FileKind::Specialties => 1_000_000,          // 3,149,903 measured
        FileKind::Presentations => 1_300_000,        // 4,140,860
        FileKind::Compositions => 900_000,           // 2,741,312
        FileKind::GenericGroups => 400_000,          // 1,205,307
        FileKind::PrescriptionConditions => 400_000, // 1,291,950
        FileKind::HasSmr => 1_300_000,               // 4,006,625
        FileKind::HasAsmr => 1_200_000,              // 3,629,727
        FileKind::HasPageLinks => 150_000,           // 446,791 (2022-06)
        FileKind::MajorTherapeuticInterest => 400_000, // 1,203,379
        // About 1,000 notices; their number follows the shortages.
        FileKind::Availability => 20_000,            // 216,814
        FileKind::ImportantInformation => 1_300_000, // over 4 MiB
    }
}

/// Reason the bytes of a file are rejected before parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BodyProblem {
    /// The file is smaller than [`minimum_bytes`].
    #[error(
        "{name} is {bytes} bytes, less than the {minimum} bytes a complete file has; it is probably truncated"
    )]
    TooSmall {
        /// File name.
        name: String,
        /// Size received.
        bytes: u64,
        /// Minimum plausible size.
        minimum: u64,
    },
    /// The body is shorter or longer than its `Content-Length` header.
    #[error(
        "{name}: received {bytes} bytes but the server announced {announced}; the transfer was cut"
    )]
    LengthMismatch {
        /// File name.
        name: String,
        /// Size received.
        bytes: u64,
        /// Size in the `Content-Length` header.
        announced: u64,
    },
    /// The file is in UTF-16 or another encoding with NUL bytes, while the
    /// BDPM publishes UTF-8 and Windows-1252 text only.
    #[error(
        "{name} is not UTF-8 or Windows-1252 text ({detail}); the BDPM publishes only these encodings"
    )]
    WrongEncoding {
        /// File name.
        name: String,
        /// Finding, such as a UTF-16 byte-order mark.
        detail: String,
    },
}

impl BodyProblem {
    /// Returns whether downloading the file again may help: a cut transfer
    /// may succeed on the next attempt, while a wrong encoding is what the
    /// server publishes.
    pub fn is_transient(&self) -> bool {
        !matches!(self, BodyProblem::WrongEncoding { .. })
    }
}

/// Checks that `bytes` can be a complete BDPM file of `kind` named `name`:
/// no UTF-16 or NUL bytes, and at least [`minimum_bytes`].
pub fn check_file(kind: FileKind, name: &str, bytes: &[u8]) -> Result<(), BodyProblem> {
    check_encoding(name, bytes)?;
    let minimum = minimum_bytes(kind);
    let size = bytes.len() as u64;
    if size < minimum {
        return Err(BodyProblem::TooSmall {
            name: name.to_owned(),
            bytes: size,
            minimum,
        });
    }
    Ok(())
}

/// Checks a downloaded body against its `Content-Length` header, then as a
/// file with [`check_file`].
pub fn check_body(
    kind: FileKind,
    name: &str,
    content_length: Option<&str>,
    body: &[u8],
) -> Result<(), BodyProblem> {
    if let Some(announced) = content_length.and_then(|value| value.trim().parse::<u64>().ok())
        && announced != body.len() as u64
    {
        return Err(BodyProblem::LengthMismatch {
            name: name.to_owned(),
            bytes: body.len() as u64,
            announced,
        });
    }
    check_file(kind, name, body)
}

/// Bytes examined for NUL bytes: a UTF-16 file has one in every other byte
/// of ASCII text, so a few kilobytes are conclusive.
const ENCODING_SAMPLE_BYTES: usize = 4096;

fn check_encoding(name: &str, bytes: &[u8]) -> Result<(), BodyProblem> {
    let wrong = |detail: &str| BodyProblem::WrongEncoding {
        name: name.to_owned(),
        detail: detail.to_owned(),
    };
    if bytes.starts_with(&[0xFF, 0xFE]) {
        return Err(wrong("UTF-16 little-endian byte-order mark"));
    }
    if bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(wrong("UTF-16 big-endian byte-order mark"));
    }
    let sample = &bytes[..bytes.len().min(ENCODING_SAMPLE_BYTES)];
    if let Some(offset) = sample.iter().position(|&byte| byte == 0) {
        return Err(wrong(&format!("NUL byte at offset {offset}")));
    }
    Ok(())
}

/// Treatment of an HTTP status by the plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StatusClass {
    /// 200: the body is the file.
    Body,
    /// 304: the cached copy is still current.
    NotModified,
    /// 404: the server does not publish the file.
    NotFound,
    /// 408, 429 and 5xx: worth another attempt.
    Retry,
    /// Any other status: a permanent failure.
    Fail,
}

/// Classifies an HTTP status code.
pub fn classify_status(status: u16) -> StatusClass {
    match status {
        200 => StatusClass::Body,
        304 => StatusClass::NotModified,
        404 => StatusClass::NotFound,
        408 | 429 | 500..=599 => StatusClass::Retry,
        _ => StatusClass::Fail,
    }
}

/// Attempts per file, the first included.
pub const MAX_ATTEMPTS: u32 = 4;

/// Returns the wait before attempt `attempt` (0-based), in milliseconds:
/// none before the first, then `base_ms`, doubling each time.
pub fn backoff_ms(attempt: u32, base_ms: u64) -> u64 {
    match attempt {
        0 => 0,
        n => base_ms.saturating_mul(1 << (n - 1).min(16)),
    }
}

/// HTTP validators of a cached file, kept in the plugin cache so that the
/// next sync can send a conditional request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Validators {
    /// `ETag` response header.
    pub etag: Option<String>,
    /// `Last-Modified` response header.
    pub last_modified: Option<String>,
    /// SHA-256 of the cached body, lowercase hex, checked before the cached
    /// body is reused.
    pub sha256: String,
}

impl Validators {
    /// Reads the validators from response headers, or `None` when the
    /// server sent neither `ETag` nor `Last-Modified`.
    pub fn from_headers(headers: &[(String, String)], body: &[u8]) -> Option<Validators> {
        let header = |name: &str| {
            headers
                .iter()
                .find(|(key, _)| key.eq_ignore_ascii_case(name))
                .map(|(_, value)| value.clone())
        };
        let etag = header("etag");
        let last_modified = header("last-modified");
        if etag.is_none() && last_modified.is_none() {
            return None;
        }
        Some(Validators {
            etag,
            last_modified,
            sha256: sha256_hex(body),
        })
    }

    /// Returns the request headers of a conditional request.
    pub fn request_headers(&self) -> Vec<(String, String)> {
        let mut headers = Vec::new();
        if let Some(etag) = &self.etag {
            headers.push(("If-None-Match".to_owned(), etag.clone()));
        }
        if let Some(date) = &self.last_modified {
            headers.push(("If-Modified-Since".to_owned(), date.clone()));
        }
        headers
    }
}

/// Returns the SHA-256 of `bytes` in lowercase hexadecimal.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut text = String::with_capacity(64);
    for byte in digest {
        text.push(char::from_digit(u32::from(byte >> 4), 16).unwrap_or('0'));
        text.push(char::from_digit(u32::from(byte & 0x0F), 16).unwrap_or('0'));
    }
    text
}

/// Returns `base` followed by `name`, adding the `/` between them when
/// `base` lacks it.
pub fn file_url(base: &str, name: &str) -> String {
    if base.ends_with('/') {
        format!("{base}{name}")
    } else {
        format!("{base}/{name}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf16_file_rejected() {
        let text: Vec<u8> = "60234100\tDOLIPRANE\n"
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        let with_bom = [&[0xFF, 0xFE][..], &text].concat();

        let error =
            check_file(FileKind::Specialties, "CIS_bdpm.txt", &with_bom).expect_err("BOM rejected");
        assert!(
            matches!(error, BodyProblem::WrongEncoding { .. }),
            "{error}"
        );
        assert!(!error.is_transient());

        let error =
            check_file(FileKind::Specialties, "CIS_bdpm.txt", &text).expect_err("NUL rejected");
        assert!(
            error.to_string().contains("NUL byte at offset 1"),
            "{error}"
        );
    }

    #[test]
    fn small_file_rejected_as_truncated() {
        let error = check_file(FileKind::Presentations, "CIS_CIP_bdpm.txt", b"60234100\t")
            .expect_err("too small");
        assert_eq!(
            error,
            BodyProblem::TooSmall {
                name: "CIS_CIP_bdpm.txt".to_owned(),
                bytes: 9,
                minimum: 1_300_000,
            }
        );
        assert!(error.is_transient());
    }

    #[test]
    fn length_mismatch_rejected() {
        let body = vec![b'a'; 30_000];
        let error = check_body(
            FileKind::Availability,
            "CIS_CIP_Dispo_Spec.txt",
            Some("40000"),
            &body,
        )
        .expect_err("mismatch");
        assert!(matches!(
            error,
            BodyProblem::LengthMismatch {
                announced: 40_000,
                ..
            }
        ));
        assert_eq!(
            check_body(
                FileKind::Availability,
                "CIS_CIP_Dispo_Spec.txt",
                Some("30000"),
                &body
            ),
            Ok(())
        );
        assert_eq!(
            check_body(
                FileKind::Availability,
                "CIS_CIP_Dispo_Spec.txt",
                None,
                &body
            ),
            Ok(())
        );
    }

    #[test]
    fn status_classes() {
        assert_eq!(classify_status(200), StatusClass::Body);
        assert_eq!(classify_status(304), StatusClass::NotModified);
        assert_eq!(classify_status(404), StatusClass::NotFound);
        assert_eq!(classify_status(500), StatusClass::Retry);
        assert_eq!(classify_status(503), StatusClass::Retry);
        assert_eq!(classify_status(429), StatusClass::Retry);
        assert_eq!(classify_status(403), StatusClass::Fail);
    }

    #[test]
    fn backoff_doubles() {
        let waits: Vec<u64> = (0..MAX_ATTEMPTS).map(|n| backoff_ms(n, 1000)).collect();
        assert_eq!(waits, vec![0, 1000, 2000, 4000]);
    }

    #[test]
    fn validators_round_trip() {
        let headers = vec![
            ("ETag".to_owned(), "\"abc\"".to_owned()),
            ("content-type".to_owned(), "text/plain".to_owned()),
        ];
        let validators = Validators::from_headers(&headers, b"x").expect("etag present");
        assert_eq!(validators.etag.as_deref(), Some("\"abc\""));
        assert_eq!(validators.last_modified, None);
        assert_eq!(
            validators.request_headers(),
            vec![("If-None-Match".to_owned(), "\"abc\"".to_owned())]
        );
        assert_eq!(Validators::from_headers(&headers[1..], b"x"), None);
    }

    #[test]
    fn sha256_of_empty_input() {
        assert_eq!(
            sha256_hex(b""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn url_joins_with_one_slash() {
        assert_eq!(
            file_url("https://h/d/", "CIS_bdpm.txt"),
            "https://h/d/CIS_bdpm.txt"
        );
        assert_eq!(
            file_url("https://h/d", "CIS_bdpm.txt"),
            "https://h/d/CIS_bdpm.txt"
        );
    }
}
