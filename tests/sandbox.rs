//! The hostile-plugin suite: a real guest component misbehaves in each way
//! a plugin can, and the host contains it with a clear error, then serves
//! the next request normally.

use mediflux_host::types::{DataQuery, DataRecord};
use mediflux_host::{FailureKind, Host, HostError};
use mediflux_tests::{HOSTILE_WASM, host, install};

const OPERATIONS: &[&str] = &[
    "ping",
    "loop",
    "grow",
    "recurse",
    "panic",
    "oversized",
    "many-records",
    "http-denied",
    "http-plain",
    "read-file",
    "read-env",
    "wall-sleep",
];

fn hostile_manifest() -> String {
    let mut text = String::from(
        "id = \"hostile\"\nname = \"Hostile\"\nversion = \"0.3.1\"\nkind = \"data-source\"\nsdk = \"^0.1\"\n",
    );
    for operation in OPERATIONS {
        text.push_str(&format!("\n[[operations]]\nname = \"{operation}\"\n"));
    }
    text.push_str("\n[[operations]]\nname = \"tcp-connect\"\nparameters = [{ name = \"address\", type = \"text\", required = true }]\n");
    text.push_str(
        "\n[permissions]\nhttp = [\"https://allowed.test\"]\n\n[limits]\nmemory_mib = 64\ncpu_ms = 300\nwall_ms = 1500\nresult_bytes = 1048576\n",
    );
    text
}

/// Loads the hostile guest into a fresh host; the folder must outlive it.
fn hostile_host() -> (Host, tempfile::TempDir) {
    let dir = tempfile::tempdir().expect("temporary folder");
    let manifest = install(dir.path(), "hostile", HOSTILE_WASM, &hostile_manifest());
    let host = host();
    host.load_manifest_file(&manifest)
        .expect("hostile guest loads");
    (host, dir)
}

fn query(operation: &str) -> DataQuery {
    DataQuery {
        operation: operation.to_owned(),
        arguments: Vec::new(),
    }
}

async fn call(host: &Host, operation: &str) -> Result<Vec<DataRecord>, HostError> {
    host.query("hostile", query(operation)).await
}

/// Runs `operation`, expects it to fail, and checks the host still answers
/// `ping` afterwards. Returns the failure.
async fn contained(operation: &str) -> FailureKind {
    let (host, _dir) = hostile_host();
    let error = call(&host, operation)
        .await
        .expect_err("the hostile call fails");
    let text = error.to_string();
    assert!(
        text.contains("hostile 0.3.1"),
        "error names the plugin and version: {text}"
    );

    let pong = call(&host, "ping")
        .await
        .expect("the host serves the next request");
    assert_eq!(pong.len(), 1);
    error.failure().cloned().expect("a sandbox failure")
}

fn json_body(records: &[DataRecord]) -> &str {
    match records.first() {
        Some(DataRecord::Json(document)) => &document.body,
        other => panic!("expected one JSON record, got {other:?}"),
    }
}

#[tokio::test]
async fn ping_answers() {
    let (host, _dir) = hostile_host();
    let records = call(&host, "ping").await.expect("ping");
    assert_eq!(json_body(&records), "{\"pong\":true}");
}

#[tokio::test]
async fn infinite_loop_hits_cpu_budget() {
    assert_eq!(
        contained("loop").await,
        FailureKind::CpuBudget { limit_ms: 300 }
    );
}

#[tokio::test]
async fn memory_growth_stops_at_cap() {
    assert_eq!(
        contained("grow").await,
        FailureKind::MemoryCap { limit_mib: 64 }
    );
}

#[tokio::test]
async fn deep_recursion_overflows_stack() {
    assert_eq!(contained("recurse").await, FailureKind::StackOverflow);
}

#[tokio::test]
async fn panic_is_a_trap() {
    let failure = contained("panic").await;
    assert!(
        matches!(failure, FailureKind::Trap(ref detail) if detail.contains("unreachable")),
        "{failure:?}"
    );
}

#[tokio::test]
async fn oversized_answer_is_rejected() {
    let failure = contained("oversized").await;
    assert!(
        matches!(failure, FailureKind::OversizedResult { bytes, limit: 1_048_576 } if bytes > 8_000_000),
        "{failure:?}"
    );
}

#[tokio::test]
async fn many_records_count_toward_result_size() {
    let failure = contained("many-records").await;
    assert!(
        matches!(failure, FailureKind::OversizedResult { .. }),
        "{failure:?}"
    );
}

#[tokio::test]
async fn http_to_unlisted_host_is_denied() {
    let failure = contained("http-denied").await;
    let FailureKind::Plugin { code, message } = failure else {
        panic!("expected a plugin error")
    };
    assert_eq!(code, "denied");
    assert!(
        message.contains("https://example.org is not in permissions.http"),
        "{message}"
    );
}

#[tokio::test]
async fn plain_http_is_denied() {
    let failure = contained("http-plain").await;
    let FailureKind::Plugin { code, message } = failure else {
        panic!("expected a plugin error")
    };
    assert_eq!(code, "denied");
    assert!(message.contains("plain http is refused"), "{message}");
}

#[tokio::test]
async fn file_access_fails() {
    let failure = contained("read-file").await;
    let FailureKind::Plugin { code, .. } = failure else {
        panic!("expected a plugin error, got {failure:?}")
    };
    assert_eq!(code, "file", "the guest could not open /etc/passwd");
}

#[tokio::test]
async fn environment_is_empty() {
    let (host, _dir) = hostile_host();
    let records = call(&host, "read-env").await.expect("read-env answers");
    assert_eq!(json_body(&records), "{\"variables\":0,\"arguments\":0}");
}

#[tokio::test]
async fn sleeping_guest_hits_wall_timeout() {
    assert_eq!(
        contained("wall-sleep").await,
        FailureKind::WallTimeout { limit_ms: 1500 }
    );
}

#[tokio::test]
async fn unknown_operation_is_rejected_before_the_call() {
    let (host, _dir) = hostile_host();
    let error = call(&host, "format-disk")
        .await
        .expect_err("undeclared operation");
    assert!(matches!(error, HostError::InvalidQuery { .. }), "{error:?}");
    assert!(
        error
            .to_string()
            .contains("unknown operation `format-disk`"),
        "{error}"
    );
}

#[tokio::test]
async fn failures_in_parallel_leave_host_serving() {
    let (host, _dir) = hostile_host();
    let (looping, growing, ping) = tokio::join!(
        call(&host, "loop"),
        call(&host, "grow"),
        call(&host, "ping")
    );
    assert!(matches!(
        looping.expect_err("loop fails").failure(),
        Some(FailureKind::CpuBudget { .. })
    ));
    assert!(matches!(
        growing.expect_err("grow fails").failure(),
        Some(FailureKind::MemoryCap { .. })
    ));
    assert_eq!(ping.expect("ping succeeds").len(), 1);
}

#[tokio::test]
async fn sockets_are_unavailable() {
    // A listener of the test's own on loopback: if the sandbox leaked
    // sockets, the guest's connection would show up here.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    listener
        .set_nonblocking(true)
        .expect("non-blocking listener");
    let address = listener.local_addr().expect("address").to_string();

    let (host, _dir) = hostile_host();
    let query = DataQuery {
        operation: "tcp-connect".to_owned(),
        arguments: vec![mediflux_host::types::Argument {
            name: "address".to_owned(),
            value: mediflux_host::types::ArgumentValue::Text(address),
        }],
    };
    let error = host
        .query("hostile", query)
        .await
        .expect_err("connect fails");
    let Some(FailureKind::Plugin { code, .. }) = error.failure() else {
        panic!("expected a plugin error, got {error}")
    };
    assert_eq!(code, "socket");
    assert!(
        listener.accept().is_err(),
        "no connection reached the listener"
    );
}
