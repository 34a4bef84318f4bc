//! The document file of `mediflux ask --file`: its text is read here and
//! sent to the `document.analyze` intent in the slot `document_text`.
//!
//! A text file may be UTF-8 (with or without a byte-order mark), UTF-16
//! with a byte-order mark, or Windows-1252, the encoding of text saved by
//! older Windows tools. Images and PDF files are rejected with a French
//! message naming the file, because this version has no OCR. Neither the
//! path's content nor the text is logged: both are health data.

use std::path::{Path, PathBuf};

use mediflux_host::IntentRequest;

/// Intent that reads a document's text.
const DOCUMENT_INTENT: &str = "document.analyze";

/// Slot of that intent holding the text.
const TEXT_SLOT: &str = "document_text";

/// Largest file read, and largest text once decoded, in bytes: the limit
/// of the `documents` plugin. The text of a health document is a few
/// kilobytes.
const MAX_FILE_BYTES: u64 = 512 * 1024;

/// A document file read for `ask`.
pub struct DocumentFile {
    /// Path as the user gave it.
    path: PathBuf,
    /// Decoded text.
    text: String,
}

/// Reads the document file at `path`, or returns a French error naming it.
pub fn read(path: &Path) -> anyhow::Result<DocumentFile> {
    let display_path = path.display();
    let metadata = std::fs::metadata(path).map_err(|error| {
        if error.kind() == std::io::ErrorKind::NotFound {
            anyhow::anyhow!(
                "le fichier «\u{a0}{display_path}\u{a0}» est introuvable\u{a0}: vérifiez son chemin"
            )
        } else {
            anyhow::anyhow!("impossible de lire le fichier «\u{a0}{display_path}\u{a0}» ({error})")
        }
    })?;
    if metadata.is_dir() {
        anyhow::bail!(
            "«\u{a0}{display_path}\u{a0}» est un dossier\u{a0}: donnez le chemin du fichier texte du document"
        );
    }
    if metadata.len() > MAX_FILE_BYTES {
        return Err(too_large(path, metadata.len()));
    }
    let bytes = std::fs::read(path).map_err(|error| {
        anyhow::anyhow!("impossible de lire le fichier «\u{a0}{display_path}\u{a0}» ({error})")
    })?;

    if let Some(kind) = image_kind(&bytes) {
        // TODO: read images with OCR. The `ocrs` crate and its detection and
        // recognition models are not bundled yet; a later change adds them.
        anyhow::bail!(
            "le fichier «\u{a0}{display_path}\u{a0}» est une image {kind}\u{a0}: la lecture des images n'est pas encore \
             disponible dans cette version de Mediflux. Recopiez le texte du document dans un fichier .txt \
             et passez ce fichier avec --file"
        );
    }
    if bytes.starts_with(b"%PDF") {
        anyhow::bail!(
            "le fichier «\u{a0}{display_path}\u{a0}» est un PDF, que Mediflux ne lit pas encore\u{a0}: copiez le texte \
             du document dans un fichier .txt et passez ce fichier avec --file"
        );
    }

    let text = decode(&bytes).ok_or_else(|| {
        anyhow::anyhow!(
            "le fichier «\u{a0}{display_path}\u{a0}» n'est pas un fichier texte\u{a0}: passez avec --file le texte \
             du document, enregistré en .txt"
        )
    })?;
    // Windows-1252 letters such as « é » take two bytes once decoded.
    if text.len() as u64 > MAX_FILE_BYTES {
        return Err(too_large(path, text.len() as u64));
    }
    if text.trim().is_empty() {
        anyhow::bail!(
            "le fichier «\u{a0}{display_path}\u{a0}» est vide\u{a0}: il doit contenir le texte du document"
        );
    }
    Ok(DocumentFile {
        path: path.to_owned(),
        text,
    })
}

/// Returns the error of a file over [`MAX_FILE_BYTES`].
fn too_large(path: &Path, bytes: u64) -> anyhow::Error {
    anyhow::anyhow!(
        "le fichier «\u{a0}{}\u{a0}» fait {}\u{a0}Kio, plus que les {}\u{a0}Kio lus pour un document\u{a0}: \
         vérifiez que c'est bien le texte d'un seul document",
        path.display(),
        bytes.div_ceil(1024),
        MAX_FILE_BYTES / 1024
    )
}

/// Returns the image format whose signature starts `bytes`.
fn image_kind(bytes: &[u8]) -> Option<&'static str> {
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some("PNG")
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some("JPEG")
    } else {
        None
    }
}

/// Decodes text: by its byte-order mark when it has one, else as UTF-8,
/// else as Windows-1252. Returns `None` for binary content, recognised by
/// NUL bytes, which text in these encodings contains only as UTF-16.
fn decode(bytes: &[u8]) -> Option<String> {
    if let Some((encoding, bom_length)) = encoding_rs::Encoding::for_bom(bytes) {
        let (text, had_errors) = encoding.decode_without_bom_handling(&bytes[bom_length..]);
        return (!had_errors).then(|| text.into_owned());
    }
    if bytes.contains(&0) {
        return None;
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text.to_owned()),
        Err(_) => {
            let (text, _) = encoding_rs::WINDOWS_1252.decode_without_bom_handling(bytes);
            Some(text.into_owned())
        }
    }
}

/// Prints a note on standard error that the file is not read when the
/// question was not routed to `document.analyze`.
pub fn warn_if_unused(document: Option<&DocumentFile>, intent: Option<&str>) {
    let Some(document) = document else {
        return;
    };
    if intent == Some(DOCUMENT_INTENT) {
        return;
    }
    eprintln!(
        "Le fichier «\u{a0}{}\u{a0}» n'a pas été lu\u{a0}: la question ne demande pas d'analyser un document. \
         Demandez par exemple «\u{a0}Analyser ma carte tiers payant\u{a0}» ou «\u{a0}Lis mon ordonnance\u{a0}».",
        document.path.display()
    );
}

/// Adds the document's text to a `document.analyze` request.
pub fn attach(document: Option<DocumentFile>, request: &mut IntentRequest) {
    if let Some(document) = document
        && request.intent == DOCUMENT_INTENT
    {
        request.slots.retain(|(name, _)| name.as_str() != TEXT_SLOT);
        request.slots.push((TEXT_SLOT.to_owned(), document.text));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decode_utf8_and_windows_1252() {
        assert_eq!(decode("Médecin".as_bytes()).as_deref(), Some("Médecin"));
        assert_eq!(
            decode(b"M\xe9decin 30 \x80").as_deref(),
            Some("Médecin 30 €")
        );
        assert_eq!(
            decode(b"\xef\xbb\xbfN\xc2\xb0 AMC").as_deref(),
            Some("N° AMC")
        );
    }

    #[test]
    fn decode_utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for unit in "Rang é".encode_utf16() {
            bytes.extend_from_slice(&unit.to_le_bytes());
        }
        assert_eq!(decode(&bytes).as_deref(), Some("Rang é"));
    }

    #[test]
    fn decode_rejects_binary() {
        assert_eq!(decode(b"\x00\x01\x02text"), None);
    }

    #[test]
    fn image_signatures() {
        assert_eq!(image_kind(b"\x89PNG\r\n\x1a\nrest"), Some("PNG"));
        assert_eq!(image_kind(&[0xFF, 0xD8, 0xFF, 0xE0]), Some("JPEG"));
        assert_eq!(image_kind(b"ATTESTATION"), None);
    }
}
