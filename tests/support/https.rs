//! A local HTTPS file server for the sync tests, with a self-signed
//! certificate for `localhost`, `ETag` and `Last-Modified` validators, and
//! faults injected per file name.

use std::collections::{HashMap, VecDeque};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// A fault applied to one request for a file, in place of the normal reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Waits this long before replying normally.
    Stall(Duration),
    /// Replies with this status and an empty body.
    Status(u16),
    /// Announces the full `Content-Length`, sends half the body and closes
    /// the connection.
    CutTransfer,
    /// Sends a tenth of the body without `Content-Length`, so the body ends
    /// when the connection closes and looks complete to the client.
    ShortBody,
    /// Closes the connection, with a TCP reset, without replying.
    Reset,
    /// Serves the file re-encoded in UTF-16 little-endian with a BOM.
    Utf16,
}

/// Validator the server sends as `Last-Modified` for every file.
const LAST_MODIFIED: &str = "Wed, 28 Jan 2026 06:00:00 GMT";

#[derive(Default)]
struct State {
    files: HashMap<String, Vec<u8>>,
    faults: HashMap<String, VecDeque<Fault>>,
    /// Path of every request, in order of arrival.
    requests: Vec<String>,
    /// Path and status of every reply, in order; 0 for a connection reset.
    replies: Vec<(String, u16)>,
}

/// A running server. It stops when dropped.
pub struct FileServer {
    /// `https://localhost:PORT`.
    pub origin: String,
    /// The server's certificate in PEM, to trust as an extra root.
    pub certificate_pem: Vec<u8>,
    state: Arc<Mutex<State>>,
    _runtime: tokio::runtime::Runtime,
}

impl FileServer {
    /// Starts a server on 127.0.0.1 that serves `files` by name at
    /// `/<name>` and answers 404 for any other path.
    pub fn start(files: HashMap<String, Vec<u8>>) -> FileServer {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
            .expect("server runtime");
        let certified =
            rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
        let certificate_pem = certified.cert.pem().into_bytes();
        let key =
            rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
        // ring is the provider reqwest already links; post-quantum key
        // exchange, the reason for the deprecation, does not matter on
        // loopback.
        #[allow(deprecated)]
        let provider = rustls::crypto::ring::default_provider();
        let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
            .with_safe_default_protocol_versions()
            .expect("protocol versions")
            .with_no_client_auth()
            .with_single_cert(vec![certified.cert.der().clone()], key.into())
            .expect("server configuration");
        let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

        let listener = runtime.block_on(async {
            tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind loopback")
        });
        let port = listener.local_addr().expect("address").port();
        let state = Arc::new(Mutex::new(State {
            files,
            ..State::default()
        }));

        let shared = Arc::clone(&state);
        runtime.spawn(async move {
            loop {
                let Ok((stream, _)) = listener.accept().await else {
                    return;
                };
                let acceptor = acceptor.clone();
                let state = Arc::clone(&shared);
                tokio::spawn(async move {
                    let Ok(tls) = acceptor.accept(stream).await else {
                        return;
                    };
                    serve(tls, state).await;
                });
            }
        });

        FileServer {
            origin: format!("https://localhost:{port}"),
            certificate_pem,
            state,
            _runtime: runtime,
        }
    }

    /// Applies `fault` to the next `times` requests for `name`.
    pub fn inject(&self, name: &str, fault: Fault, times: usize) {
        let mut state = self.state.lock().expect("server state");
        let queue = state.faults.entry(name.to_owned()).or_default();
        queue.extend(std::iter::repeat_n(fault, times));
    }

    /// Removes every fault not yet applied.
    pub fn clear_faults(&self) {
        self.state.lock().expect("server state").faults.clear();
    }

    /// Returns the number of requests received so far for `path`, such as
    /// `/CIS_bdpm.txt`, including those still stalled.
    pub fn requests(&self, path: &str) -> usize {
        let state = self.state.lock().expect("server state");
        state.requests.iter().filter(|seen| *seen == path).count()
    }

    /// Returns the status of every reply so far, with its path.
    pub fn replies(&self) -> Vec<(String, u16)> {
        self.state.lock().expect("server state").replies.clone()
    }
}

fn etag(body: &[u8]) -> String {
    let mut hasher = DefaultHasher::new();
    body.hash(&mut hasher);
    format!("\"{:016x}\"", hasher.finish())
}

async fn serve(
    mut tls: tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
    state: Arc<Mutex<State>>,
) {
    let mut head = Vec::new();
    let mut buffer = [0; 1024];
    while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 16_384 {
        match tls.read(&mut buffer).await {
            Ok(0) | Err(_) => return,
            Ok(read) => head.extend_from_slice(&buffer[..read]),
        }
    }
    let head = String::from_utf8_lossy(&head).into_owned();
    let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let if_none_match = head.lines().find_map(|line| {
        let (name, value) = line.split_once(':')?;
        name.trim()
            .eq_ignore_ascii_case("if-none-match")
            .then(|| value.trim().to_owned())
    });

    let name = path.trim_start_matches('/').to_owned();
    let (body, fault) = {
        let mut state = state.lock().expect("server state");
        state.requests.push(path.clone());
        let fault = state
            .faults
            .get_mut(&name)
            .and_then(|queue| queue.pop_front());
        (state.files.get(&name).cloned(), fault)
    };
    let record = |status: u16| {
        state
            .lock()
            .expect("server state")
            .replies
            .push((path.clone(), status));
    };

    let Some(body) = body else {
        record(404);
        let _ = tls
            .write_all(b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n")
            .await;
        let _ = tls.shutdown().await;
        return;
    };

    let mut body = body;
    match fault {
        Some(Fault::Stall(duration)) => tokio::time::sleep(duration).await,
        Some(Fault::Status(status)) => {
            record(status);
            let reply = format!(
                "HTTP/1.1 {status} Injected\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            );
            let _ = tls.write_all(reply.as_bytes()).await;
            let _ = tls.shutdown().await;
            return;
        }
        Some(Fault::Reset) => {
            record(0);
            let (tcp, _) = tls.get_ref();
            let _ = tcp.set_zero_linger();
            return;
        }
        Some(Fault::CutTransfer) => {
            record(200);
            let reply = format!(
                "HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n",
                body.len()
            );
            let _ = tls.write_all(reply.as_bytes()).await;
            let _ = tls.write_all(&body[..body.len() / 2]).await;
            let _ = tls.flush().await;
            let (tcp, _) = tls.get_ref();
            let _ = tcp.set_zero_linger();
            return;
        }
        Some(Fault::ShortBody) => {
            record(200);
            let _ = tls
                .write_all(b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n")
                .await;
            let _ = tls.write_all(&body[..body.len() / 10]).await;
            let _ = tls.shutdown().await;
            return;
        }
        Some(Fault::Utf16) => {
            let text = String::from_utf8_lossy(&body);
            body = [0xFF, 0xFE]
                .into_iter()
                .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
                .collect();
        }
        None => {}
    }

    let tag = etag(&body);
    if if_none_match.as_deref() == Some(tag.as_str()) {
        record(304);
        let reply =
            format!("HTTP/1.1 304 Not Modified\r\netag: {tag}\r\nconnection: close\r\n\r\n");
        let _ = tls.write_all(reply.as_bytes()).await;
        let _ = tls.shutdown().await;
        return;
    }
    record(200);
    let reply = format!(
        "HTTP/1.1 200 OK\r\ncontent-length: {}\r\netag: {tag}\r\nlast-modified: {LAST_MODIFIED}\r\nconnection: close\r\n\r\n",
        body.len()
    );
    let _ = tls.write_all(reply.as_bytes()).await;
    let _ = tls.write_all(&body).await;
    let _ = tls.shutdown().await;
}
