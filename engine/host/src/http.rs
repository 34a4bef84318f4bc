//! The `http` host service: outbound HTTPS checked against the manifest.
//!
//! Every hop is checked, redirects included: the scheme must be `https` and
//! the origin must be on the plugin's `permissions.http` list. The response
//! body is read in chunks and abandoned as soon as it passes the manifest's
//! `limits.http_body_bytes`, so the host never buffers more than that on the
//! plugin's behalf.

use std::time::Duration;

use crate::bindings::v0_1::http::{HttpError, Method, Request, Response};

/// Redirects followed before giving up.
const MAX_REDIRECTS: u32 = 5;

/// Request headers a plugin may not set, because the host owns them.
const RESERVED_HEADERS: &[&str] = &["host", "content-length", "transfer-encoding", "connection"];

/// Per-call HTTP limits taken from the manifest.
pub(crate) struct HttpLimits<'a> {
    pub(crate) plugin_id: &'a str,
    pub(crate) allowed_origins: &'a [String],
    pub(crate) max_body_bytes: u64,
    pub(crate) timeout: Duration,
}

/// Builds the shared HTTP client: no automatic redirects (the host checks
/// each hop), rustls with the bundled web roots plus `extra_roots_pem`.
pub(crate) fn build_client(extra_roots_pem: &[Vec<u8>]) -> Result<reqwest::Client, String> {
    let mut builder = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .user_agent(concat!("mediflux/", env!("CARGO_PKG_VERSION")))
        .https_only(true);
    for pem in extra_roots_pem {
        let certificate = reqwest::Certificate::from_pem(pem)
            .map_err(|error| format!("invalid root certificate: {error}"))?;
        builder = builder.add_root_certificate(certificate);
    }
    builder
        .build()
        .map_err(|error| format!("failed to build the HTTP client: {error}"))
}

/// Checks that `address` is an https URL whose origin is allowed.
fn check_address(address: &str, limits: &HttpLimits<'_>) -> Result<url::Url, HttpError> {
    let url = url::Url::parse(address)
        .map_err(|error| HttpError::InvalidUrl(format!("{address}: {error}")))?;
    if url.scheme() == "http" {
        return Err(HttpError::Denied(format!(
            "plain http is refused for {}; use https",
            url.origin().ascii_serialization()
        )));
    }
    if url.scheme() != "https" {
        return Err(HttpError::InvalidUrl(format!(
            "{address}: only https URLs are supported"
        )));
    }
    let origin = url.origin().ascii_serialization();
    let allowed = limits
        .allowed_origins
        .iter()
        .any(|entry| entry.trim_end_matches('/') == origin);
    if !allowed {
        let capability = if limits.allowed_origins.is_empty() {
            "the capability `http` is not granted".to_owned()
        } else {
            format!("{origin} is not in permissions.http")
        };
        return Err(HttpError::Denied(format!(
            "{capability} for plugin {}",
            limits.plugin_id
        )));
    }
    Ok(url)
}

/// Performs `request` under `limits`, following allowed redirects.
pub(crate) async fn fetch(
    client: &reqwest::Client,
    request: Request,
    limits: &HttpLimits<'_>,
) -> Result<Response, HttpError> {
    let mut url = check_address(&request.url, limits)?;
    for (name, _) in &request.headers {
        if RESERVED_HEADERS.contains(&name.to_ascii_lowercase().as_str()) {
            return Err(HttpError::Denied(format!(
                "header `{name}` is set by the host"
            )));
        }
    }

    let deadline = tokio::time::Instant::now() + limits.timeout;
    for _ in 0..=MAX_REDIRECTS {
        let method = match request.method {
            Method::Get => reqwest::Method::GET,
            Method::Head => reqwest::Method::HEAD,
            Method::Post => reqwest::Method::POST,
        };
        let mut builder = client.request(method, url.clone());
        for (name, value) in &request.headers {
            builder = builder.header(name, value);
        }
        if let Some(body) = &request.body {
            builder = builder.body(body.clone());
        }

        let response = tokio::time::timeout_at(deadline, builder.send())
            .await
            .map_err(|_| HttpError::Timeout)?
            .map_err(|error| HttpError::Transport(describe(&error)))?;

        if response.status().is_redirection()
            && let Some(location) = response.headers().get(reqwest::header::LOCATION)
        {
            let location = location
                .to_str()
                .map_err(|_| HttpError::Transport("redirect location is not text".to_owned()))?;
            let next = url
                .join(location)
                .map_err(|error| HttpError::InvalidUrl(format!("{location}: {error}")))?;
            url = check_address(next.as_str(), limits)?;
            continue;
        }

        return read_response(response, deadline, limits.max_body_bytes).await;
    }
    Err(HttpError::Transport(format!(
        "more than {MAX_REDIRECTS} redirects"
    )))
}

async fn read_response(
    mut response: reqwest::Response,
    deadline: tokio::time::Instant,
    max_body_bytes: u64,
) -> Result<Response, HttpError> {
    if let Some(length) = response.content_length()
        && length > max_body_bytes
    {
        return Err(HttpError::TooLarge(length));
    }

    let status = response.status().as_u16();
    let headers = response
        .headers()
        .iter()
        .filter_map(|(name, value)| {
            Some((name.as_str().to_owned(), value.to_str().ok()?.to_owned()))
        })
        .collect();

    let mut body = Vec::new();
    loop {
        let chunk = tokio::time::timeout_at(deadline, response.chunk())
            .await
            .map_err(|_| HttpError::Timeout)?
            .map_err(|error| HttpError::Transport(describe(&error)))?;
        let Some(chunk) = chunk else { break };
        if body.len() as u64 + chunk.len() as u64 > max_body_bytes {
            return Err(HttpError::TooLarge(body.len() as u64 + chunk.len() as u64));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// Describes a reqwest error with its causes, which reqwest's own display
/// leaves out.
fn describe(error: &reqwest::Error) -> String {
    let mut text = error.to_string();
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn limits(origins: &[String]) -> HttpLimits<'_> {
        HttpLimits {
            plugin_id: "demo",
            allowed_origins: origins,
            max_body_bytes: 10,
            timeout: Duration::from_secs(1),
        }
    }

    #[test]
    fn address_check_allows_listed_origin() {
        let origins = vec!["https://example.org".to_owned()];
        assert!(check_address("https://example.org/a?b=c", &limits(&origins)).is_ok());
    }

    #[test]
    fn address_check_denies_other_origin() {
        let origins = vec!["https://example.org".to_owned()];
        let error = check_address("https://example.net/", &limits(&origins)).expect_err("denied");
        assert!(
            matches!(error, HttpError::Denied(ref text) if text.contains("https://example.net")),
            "{error:?}"
        );
        let error = check_address("https://example.org:8443/", &limits(&origins))
            .expect_err("port differs");
        assert!(matches!(error, HttpError::Denied(_)), "{error:?}");
    }

    #[test]
    fn address_check_denies_plain_http() {
        let origins = vec!["https://example.org".to_owned()];
        let error = check_address("http://example.org/", &limits(&origins)).expect_err("denied");
        assert!(
            matches!(error, HttpError::Denied(ref text) if text.contains("plain http")),
            "{error:?}"
        );
    }

    #[test]
    fn address_check_names_missing_capability() {
        let error = check_address("https://example.org/", &limits(&[])).expect_err("denied");
        assert!(
            matches!(error, HttpError::Denied(ref text) if text.contains("capability `http`")),
            "{error:?}"
        );
    }
}
