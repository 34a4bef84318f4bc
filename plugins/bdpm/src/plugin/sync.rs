//! Download of the BDPM files through the host's `http` service, with
//! retries, plausibility checks and conditional requests.

use std::time::Duration;

use mediflux_plugin_sdk::data_source::RefreshSummary;
use mediflux_plugin_sdk::http::{self, HttpError, Method, Request};
use mediflux_plugin_sdk::storage::RecordKind;
use mediflux_plugin_sdk::types::{DataRecord, PluginError};
use mediflux_plugin_sdk::{cache, config, error, log};

use crate::download::{
    DEFAULT_BASE_URL, DOWNLOADS, MAX_ATTEMPTS, StatusClass, Validators, backoff_ms, check_body,
    classify_status, file_url, sha256_hex,
};

use super::{SNAPSHOT_KEY, body_error, import_files, lookup};

/// Lifetime of the cached files and validators: long enough to span
/// months between syncs.
const CACHE_TTL_SECONDS: u32 = 180 * 24 * 3600;
/// Default first wait between attempts, doubled at each retry.
const DEFAULT_RETRY_DELAY_MS: u64 = 1_000;

/// Result of downloading one file.
enum Fetched {
    /// The file, fresh or reused from the cache after a 304.
    File(Vec<u8>),
    /// The server does not publish it (404).
    Missing,
}

/// Downloads every file, then imports them unless each one is identical to
/// the file of the snapshot in service.
pub(super) fn sync() -> Result<RefreshSummary, PluginError> {
    let base = config::get("base_url").unwrap_or_else(|| DEFAULT_BASE_URL.to_owned());
    let retry_delay_ms = config::get("retry_delay_ms")
        .and_then(|value| value.trim().parse().ok())
        .unwrap_or(DEFAULT_RETRY_DELAY_MS);

    let mut files = Vec::new();
    let mut notes = Vec::new();
    let total = DOWNLOADS.len() as u64;
    for (index, download) in DOWNLOADS.iter().enumerate() {
        let name = download.kind.file_name();
        mediflux_plugin_sdk::storage::progress(
            &format!("download {name}"),
            index as u64,
            Some(total),
        );
        match fetch_file(&file_url(&base, name), download.kind, name, retry_delay_ms)? {
            Fetched::File(bytes) => files.push((name.to_owned(), bytes)),
            Fetched::Missing if download.required => {
                return Err(error(
                    "download-failed",
                    &format!("{name}: the server answered 404 Not Found; check base_url"),
                ));
            }
            Fetched::Missing => {
                let note = format!("{name}: not published by the server (404), left out");
                log::warn(&note);
                notes.push(note);
            }
        }
    }
    mediflux_plugin_sdk::storage::progress("download", total, Some(total));

    if matches_current_snapshot(&files)? {
        log::info("every file is identical to the snapshot in service");
        return Ok(RefreshSummary {
            written: 0,
            rejected: 0,
            notes: vec!["unchanged: every file is identical to the snapshot in service".to_owned()],
        });
    }

    let mut summary = import_files(files)?;
    notes.append(&mut summary.notes);
    summary.notes = notes;
    Ok(summary)
}

/// Returns whether `files` are, by name and SHA-256, exactly the files of
/// the snapshot in service.
fn matches_current_snapshot(files: &[(String, Vec<u8>)]) -> Result<bool, PluginError> {
    let Some(DataRecord::Json(document)) =
        lookup(RecordKind::Json, SNAPSHOT_KEY)?.into_iter().next()
    else {
        return Ok(false);
    };
    let Ok(snapshot) = serde_json::from_str::<serde_json::Value>(&document.body) else {
        return Ok(false);
    };
    let mut current: Vec<(String, String)> = snapshot["files"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|file| {
            Some((
                file["name"].as_str()?.to_owned(),
                file["sha256"].as_str()?.to_owned(),
            ))
        })
        .collect();
    let mut downloaded: Vec<(String, String)> = files
        .iter()
        .map(|(name, bytes)| (name.clone(), sha256_hex(bytes)))
        .collect();
    current.sort();
    downloaded.sort();
    Ok(current == downloaded)
}

fn cache_keys(name: &str) -> (String, String) {
    (format!("validators:{name}"), format!("body:{name}"))
}

/// Returns the cached body of `name` with its validators, when both are
/// present and the body still has the recorded SHA-256.
fn cached(name: &str) -> Option<(Validators, Vec<u8>)> {
    let (validators_key, body_key) = cache_keys(name);
    let validators: Validators = serde_json::from_slice(&cache::get(&validators_key)?).ok()?;
    let body = cache::get(&body_key)?;
    (sha256_hex(&body) == validators.sha256).then_some((validators, body))
}

/// Keeps `body` and its validators for the next conditional request. A
/// failure only costs a full download next time, so it is logged.
fn remember(name: &str, headers: &[(String, String)], body: &[u8]) {
    let Some(validators) = Validators::from_headers(headers, body) else {
        return;
    };
    let (validators_key, body_key) = cache_keys(name);
    let stored = cache::set(&body_key, body, CACHE_TTL_SECONDS).and_then(|()| {
        let text = serde_json::to_vec(&validators).map_err(|failure| failure.to_string())?;
        cache::set(&validators_key, &text, CACHE_TTL_SECONDS)
    });
    if let Err(message) = stored {
        log::warn(&format!(
            "{name}: not cached for conditional requests: {message}"
        ));
    }
}

/// Downloads one file, retrying timeouts, transport errors, 408, 429, 5xx
/// and cut transfers up to [`MAX_ATTEMPTS`] times with exponential backoff.
fn fetch_file(
    url: &str,
    kind: crate::FileKind,
    name: &str,
    retry_delay_ms: u64,
) -> Result<Fetched, PluginError> {
    let cached = cached(name);
    let headers = cached
        .as_ref()
        .map(|(validators, _)| validators.request_headers())
        .unwrap_or_default();

    let mut last_failure = String::new();
    for attempt in 0..MAX_ATTEMPTS {
        let wait = backoff_ms(attempt, retry_delay_ms);
        if wait > 0 {
            log::warn(&format!(
                "{name}: attempt {} of {MAX_ATTEMPTS} in {wait} ms after: {last_failure}",
                attempt + 1
            ));
            std::thread::sleep(Duration::from_millis(wait));
        }

        let request = Request {
            method: Method::Get,
            url: url.to_owned(),
            headers: headers.clone(),
            body: None,
        };
        let response = match http::fetch(&request) {
            Ok(response) => response,
            Err(HttpError::Timeout) => {
                last_failure = "the request timed out".to_owned();
                continue;
            }
            Err(HttpError::Transport(detail)) => {
                last_failure = format!("connection failed: {detail}");
                continue;
            }
            Err(other) => {
                return Err(error(
                    "download-failed",
                    &format!("{name}: {}", describe_http_error(&other)),
                ));
            }
        };

        match classify_status(response.status) {
            StatusClass::Body => {
                let content_length = response
                    .headers
                    .iter()
                    .find(|(key, _)| key.eq_ignore_ascii_case("content-length"))
                    .map(|(_, value)| value.as_str());
                match check_body(kind, name, content_length, &response.body) {
                    Ok(()) => {
                        remember(name, &response.headers, &response.body);
                        return Ok(Fetched::File(response.body));
                    }
                    Err(problem) if problem.is_transient() => {
                        last_failure = problem.to_string();
                        if attempt + 1 == MAX_ATTEMPTS {
                            return Err(body_error(&problem));
                        }
                    }
                    Err(problem) => return Err(body_error(&problem)),
                }
            }
            StatusClass::NotModified => {
                return match cached {
                    Some((_, body)) => {
                        log::info(&format!("{name}: not modified, cached copy reused"));
                        Ok(Fetched::File(body))
                    }
                    None => Err(error(
                        "download-failed",
                        &format!(
                            "{name}: the server answered 304 Not Modified to a request without validators"
                        ),
                    )),
                };
            }
            StatusClass::NotFound => return Ok(Fetched::Missing),
            StatusClass::Retry => {
                last_failure = format!("the server answered HTTP {}", response.status);
            }
            StatusClass::Fail => {
                return Err(error(
                    "download-failed",
                    &format!("{name}: the server answered HTTP {}", response.status),
                ));
            }
        }
    }
    Err(error(
        "download-failed",
        &format!("{name}: failed after {MAX_ATTEMPTS} attempts: {last_failure}"),
    ))
}

fn describe_http_error(failure: &HttpError) -> String {
    match failure {
        HttpError::Denied(detail) => format!("request denied: {detail}"),
        HttpError::InvalidUrl(detail) => format!("invalid address: {detail}"),
        HttpError::Timeout => "the request timed out".to_owned(),
        HttpError::TooLarge(bytes) => {
            format!("the file is larger than limits.http_body_bytes ({bytes} bytes received)")
        }
        HttpError::RequestBudgetExhausted(count) => {
            format!("more than {count} requests in one refresh (limits.http_requests)")
        }
        HttpError::Transport(detail) => format!("connection failed: {detail}"),
    }
}
