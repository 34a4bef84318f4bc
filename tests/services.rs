//! Host services seen from inside a real component: profile filtering,
//! configuration, the per-plugin cache, queries between plugins, rule
//! values, HTTPS with its allow-list, size caps, timeouts and request
//! budget, and log flooding. Each capability is also checked to be denied
//! when the manifest does not grant it.
//!
//! HTTPS runs against a server on 127.0.0.1 that these tests start, with a
//! self-signed certificate the host is told to trust.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use mediflux_host::bindings::v0_1::rules::{RuleEntry, RuleValue};
use mediflux_host::types::Date;
use mediflux_host::{FailureKind, Host, HostConfig, IntentRequest, RuleProvider};
use mediflux_tests::{SERVICES_WASM, TEMPLATE_WASM, install};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const INTENTS: &[&str] = &[
    "echo",
    "config",
    "cache-set",
    "cache-get",
    "source",
    "rule",
    "fetch",
    "log",
];

/// Writes the services manifest with the given `[permissions]` body and
/// extra tables.
fn services_manifest(permissions: &str, extra: &str) -> String {
    let mut text = String::from(
        "id = \"services\"\nname = \"Services\"\nversion = \"0.2.0\"\nkind = \"intent\"\nsdk = \"^0.1\"\n",
    );
    for intent in INTENTS {
        text.push_str(&format!(
            "\n[[intents]]\nid = \"svc.{intent}\"\nexamples = [\"test {intent}\"]\nrules = [{{ any = [\"{intent}\"] }}]\n"
        ));
    }
    text.push_str(&format!("\n[permissions]\n{permissions}\n{extra}\n"));
    text
}

/// A rule provider with one fixed value, standing in for the rule sets.
struct FixedRules;

impl RuleProvider for FixedRules {
    fn value_at(&self, name: &str, date: Date) -> Result<RuleEntry, String> {
        if name != "consultation.generaliste.tarif" {
            return Err(format!("unknown rule {name}"));
        }
        Ok(RuleEntry {
            name: name.to_owned(),
            value: RuleValue::Cents(if date.year >= 2025 { 3000 } else { 2650 }),
            effective: Date {
                year: 2024,
                month: 12,
                day: 22,
            },
            source_id: "test-source".to_owned(),
            source_title: "Test".to_owned(),
            to_confirm: false,
        })
    }
}

struct Setup {
    host: Host,
    _dir: tempfile::TempDir,
}

fn services_host(permissions: &str, extra: &str, config: HostConfig) -> Setup {
    let dir = tempfile::tempdir().expect("temporary folder");
    let host = Host::new(HostConfig {
        cache_dir: if config.cache_dir.as_os_str().is_empty() {
            dir.path().join("cache")
        } else {
            config.cache_dir.clone()
        },
        rules: Some(Arc::new(FixedRules)),
        ..config
    })
    .expect("host starts");
    let services = install(
        dir.path(),
        "services",
        SERVICES_WASM,
        &services_manifest(permissions, extra),
    );
    host.load_manifest_file(&services)
        .expect("services guest loads");
    let template_body = "id = \"template\"\nname = \"Régions\"\nversion = \"0.1.0\"\nkind = \"data-source\"\nsdk = \"^0.1\"\n\n[[operations]]\nname = \"get\"\nparameters = [{ name = \"code\", type = \"text\", required = true }]\n";
    let template = install(dir.path(), "template", TEMPLATE_WASM, template_body);
    host.load_manifest_file(&template).expect("template loads");
    Setup { host, _dir: dir }
}

fn request(intent: &str, slots: &[(&str, &str)]) -> IntentRequest {
    IntentRequest {
        intent: intent.to_owned(),
        slots: slots
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect(),
        date_of_care: Date {
            year: 2025,
            month: 3,
            day: 14,
        },
        profile: vec![
            ("age".to_owned(), "42".to_owned()),
            ("mutuelle".to_owned(), "{\"consultation\":20000}".to_owned()),
            ("ald".to_owned(), "[\"diabete_type_2\"]".to_owned()),
        ],
        question: "question de test".to_owned(),
    }
}

async fn answer(host: &Host, intent: &str, slots: &[(&str, &str)]) -> Result<String, FailureKind> {
    host.handle("services", request(intent, slots))
        .await
        .map(|response| response.answer)
        .map_err(|error| {
            error
                .failure()
                .cloned()
                .unwrap_or_else(|| panic!("not a plugin failure: {error}"))
        })
}

fn plugin_error(failure: FailureKind) -> (String, String) {
    match failure {
        FailureKind::Plugin { code, message } => (code, message),
        other => panic!("expected a plugin error, got {other:?}"),
    }
}

#[tokio::test]
async fn intent_receives_only_granted_profile_fields() {
    let setup = services_host(
        "profile = [\"age\", \"mutuelle\"]",
        "",
        HostConfig::default(),
    );
    let text = answer(&setup.host, "svc.echo", &[("medication", "Doliprane")])
        .await
        .expect("echo");
    assert_eq!(
        text,
        "profile=age=42,mutuelle={\"consultation\":20000} slots=medication=Doliprane date=2025-03-14"
    );
}

#[tokio::test]
async fn config_defaults_and_user_overrides() {
    let extra =
        "[config.greeting]\ndefault = \"bonjour\"\n\n[config.farewell]\ndefault = \"au revoir\"\n";
    let setup = services_host("", extra, HostConfig::default());
    assert_eq!(
        answer(&setup.host, "svc.config", &[("key", "greeting")])
            .await
            .expect("config"),
        "value=bonjour"
    );
    assert_eq!(
        answer(&setup.host, "svc.config", &[("key", "undeclared")])
            .await
            .expect("config"),
        "value=<none>"
    );

    let overrides = HashMap::from([(
        "services".to_owned(),
        BTreeMap::from([("greeting".to_owned(), "salut".to_owned())]),
    )]);
    let setup = services_host(
        "",
        extra,
        HostConfig {
            plugin_config: overrides,
            ..HostConfig::default()
        },
    );
    assert_eq!(
        answer(&setup.host, "svc.config", &[("key", "greeting")])
            .await
            .expect("config"),
        "value=salut"
    );
    assert_eq!(
        answer(&setup.host, "svc.config", &[("key", "farewell")])
            .await
            .expect("config"),
        "value=au revoir"
    );
}

#[tokio::test]
async fn cache_survives_calls_and_hosts() {
    let cache = tempfile::tempdir().expect("cache folder");
    let config = || HostConfig {
        cache_dir: cache.path().to_owned(),
        ..HostConfig::default()
    };
    let first = services_host("", "", config());
    assert_eq!(
        answer(&first.host, "svc.cache-get", &[])
            .await
            .expect("get"),
        "value=<none>"
    );
    answer(&first.host, "svc.cache-set", &[("value", "etag-1")])
        .await
        .expect("set");
    assert_eq!(
        answer(&first.host, "svc.cache-get", &[])
            .await
            .expect("get"),
        "value=etag-1"
    );

    let second = services_host("", "", config());
    assert_eq!(
        answer(&second.host, "svc.cache-get", &[])
            .await
            .expect("get"),
        "value=etag-1"
    );
}

#[tokio::test]
async fn cache_value_over_limit_is_refused() {
    let setup = services_host("", "[limits]\ncache_bytes = 16\n", HostConfig::default());
    let (code, message) = plugin_error(
        answer(
            &setup.host,
            "svc.cache-set",
            &[("value", "a value longer than sixteen bytes")],
        )
        .await
        .expect_err("too big"),
    );
    assert_eq!(code, "cache");
    assert!(message.contains("limits.cache_bytes"), "{message}");
}

#[tokio::test]
async fn sources_query_needs_the_grant() {
    let granted = services_host("sources = [\"template\"]", "", HostConfig::default());
    assert_eq!(
        answer(&granted.host, "svc.source", &[])
            .await
            .expect("source"),
        "{\"code\":\"53\",\"name\":\"Bretagne\"}"
    );

    let denied = services_host("", "", HostConfig::default());
    let (code, message) = plugin_error(
        answer(&denied.host, "svc.source", &[])
            .await
            .expect_err("denied"),
    );
    assert_eq!(code, "denied");
    assert!(
        message.contains("capability `sources` does not include `template`"),
        "{message}"
    );
}

#[tokio::test]
async fn rules_need_the_grant_and_follow_the_date() {
    let granted = services_host("rules = true", "", HostConfig::default());
    let text = answer(
        &granted.host,
        "svc.rule",
        &[("name", "consultation.generaliste.tarif")],
    )
    .await
    .expect("rule");
    assert_eq!(text, "value=3000 cents source=test-source to-confirm=false");

    let denied = services_host("", "", HostConfig::default());
    let (code, message) = plugin_error(
        answer(
            &denied.host,
            "svc.rule",
            &[("name", "consultation.generaliste.tarif")],
        )
        .await
        .expect_err("denied"),
    );
    assert_eq!(code, "rules");
    assert!(
        message.contains("capability `rules` is not granted"),
        "{message}"
    );
}

#[tokio::test]
async fn log_flood_is_capped_and_call_succeeds() {
    let setup = services_host("", "", HostConfig::default());
    assert_eq!(
        answer(&setup.host, "svc.log", &[]).await.expect("log"),
        "logged"
    );
}

/// A local HTTPS server with canned answers by path.
struct TestServer {
    origin: String,
    certificate_pem: Vec<u8>,
}

async fn start_server() -> TestServer {
    let certified =
        rcgen::generate_simple_self_signed(vec!["localhost".to_owned()]).expect("certificate");
    let certificate_pem = certified.cert.pem().into_bytes();
    let key = rustls::pki_types::PrivatePkcs8KeyDer::from(certified.signing_key.serialize_der());
    // ring is the provider reqwest already links; post-quantum key exchange,
    // the reason for the deprecation, does not matter on loopback.
    #[allow(deprecated)]
    let provider = rustls::crypto::ring::default_provider();
    let config = rustls::ServerConfig::builder_with_provider(Arc::new(provider))
        .with_safe_default_protocol_versions()
        .expect("protocol versions")
        .with_no_client_auth()
        .with_single_cert(vec![certified.cert.der().clone()], key.into())
        .expect("server configuration");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let port = listener.local_addr().expect("address").port();

    tokio::spawn(async move {
        // Bounded: the tests make a few dozen requests at most.
        for _ in 0..200 {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let acceptor = acceptor.clone();
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                let mut head = Vec::new();
                let mut buffer = [0; 1024];
                while !head.windows(4).any(|window| window == b"\r\n\r\n") && head.len() < 8192 {
                    match tls.read(&mut buffer).await {
                        Ok(0) | Err(_) => return,
                        Ok(read) => head.extend_from_slice(&buffer[..read]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let path = head.split_whitespace().nth(1).unwrap_or("/").to_owned();
                respond(&mut tls, &path, port).await;
            });
        }
    });

    TestServer {
        origin: format!("https://localhost:{port}"),
        certificate_pem,
    }
}

async fn respond(
    tls: &mut tokio_rustls::server::TlsStream<tokio::net::TcpStream>,
    path: &str,
    port: u16,
) {
    let big = vec![b'a'; 2 * 1024 * 1024];
    let reply: Vec<u8> = match path {
        "/ok" => b"HTTP/1.1 200 OK\r\ncontent-length: 7\r\nconnection: close\r\n\r\nbonjour".to_vec(),
        "/big" => [format!("HTTP/1.1 200 OK\r\ncontent-length: {}\r\nconnection: close\r\n\r\n", big.len()).into_bytes(), big].concat(),
        "/stream" => [b"HTTP/1.1 200 OK\r\nconnection: close\r\n\r\n".to_vec(), big].concat(),
        "/slow" => {
            tokio::time::sleep(Duration::from_secs(5)).await;
            b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec()
        }
        "/redirect-in" => format!("HTTP/1.1 302 Found\r\nlocation: https://localhost:{port}/ok\r\ncontent-length: 0\r\nconnection: close\r\n\r\n").into_bytes(),
        "/redirect-out" => b"HTTP/1.1 302 Found\r\nlocation: https://example.org/\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
        _ => b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_vec(),
    };
    let _ = tls.write_all(&reply).await;
    let _ = tls.shutdown().await;
}

fn http_setup(server: &TestServer, limits: &str) -> Setup {
    let permissions = format!("http = [\"{}\"]", server.origin);
    services_host(
        &permissions,
        &format!(
            "[limits]\nwall_ms = 20000\nhttp_body_bytes = 1048576\nhttp_timeout_ms = 500\n{limits}"
        ),
        HostConfig {
            extra_root_certificates: vec![server.certificate_pem.clone()],
            ..HostConfig::default()
        },
    )
}

async fn fetch(setup: &Setup, server: &TestServer, path: &str) -> Result<String, FailureKind> {
    let url = format!("{}{path}", server.origin);
    answer(&setup.host, "svc.fetch", &[("url", &url)]).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_allowed_origin_answers() {
    let server = start_server().await;
    let setup = http_setup(&server, "");
    assert_eq!(
        fetch(&setup, &server, "/ok").await.expect("ok"),
        "status=200 bytes=7"
    );
    assert_eq!(
        fetch(&setup, &server, "/redirect-in")
            .await
            .expect("redirect"),
        "status=200 bytes=7"
    );
    assert_eq!(
        fetch(&setup, &server, "/missing")
            .await
            .expect("404 is a response"),
        "status=404 bytes=0"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_body_over_cap_is_refused() {
    let server = start_server().await;
    let setup = http_setup(&server, "");
    let (code, _) = plugin_error(
        fetch(&setup, &server, "/big")
            .await
            .expect_err("declared length over cap"),
    );
    assert_eq!(code, "too-large");
    let (code, _) = plugin_error(
        fetch(&setup, &server, "/stream")
            .await
            .expect_err("streamed body over cap"),
    );
    assert_eq!(code, "too-large");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_slow_server_times_out() {
    let server = start_server().await;
    let setup = http_setup(&server, "");
    let (code, _) = plugin_error(fetch(&setup, &server, "/slow").await.expect_err("timeout"));
    assert_eq!(code, "timeout");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_redirect_to_other_origin_is_denied() {
    let server = start_server().await;
    let setup = http_setup(&server, "");
    let (code, message) = plugin_error(
        fetch(&setup, &server, "/redirect-out")
            .await
            .expect_err("denied"),
    );
    assert_eq!(code, "denied");
    assert!(
        message.contains("https://example.org is not in permissions.http"),
        "{message}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn http_request_budget_is_enforced() {
    let server = start_server().await;
    let setup = http_setup(&server, "http_requests = 3\n");
    let url = format!("{}/ok", server.origin);
    let (code, detail) = plugin_error(
        answer(&setup.host, "svc.fetch", &[("url", &url), ("repeat", "4")])
            .await
            .expect_err("budget"),
    );
    assert_eq!((code.as_str(), detail.as_str()), ("budget", "3"));
    assert_eq!(
        answer(&setup.host, "svc.fetch", &[("url", &url), ("repeat", "3")])
            .await
            .expect("within budget"),
        "status=200 bytes=7"
    );
}

#[tokio::test]
async fn http_without_grant_names_the_capability() {
    let setup = services_host("", "", HostConfig::default());
    let (code, message) = plugin_error(
        answer(&setup.host, "svc.fetch", &[("url", "https://localhost:9/")])
            .await
            .expect_err("denied"),
    );
    assert_eq!(code, "denied");
    assert!(
        message.contains("the capability `http` is not granted"),
        "{message}"
    );
}
