//! The template plugin, built from `plugins/template`, loads through its
//! manifest and answers typed queries; the compiled cache serves a second
//! host without compiling again.

use mediflux_host::types::{Argument, ArgumentValue, DataQuery, DataRecord};
use mediflux_host::{FailureKind, HostError};
use mediflux_tests::{TEMPLATE_WASM, host, repository_root};

/// Installs the template as an author would: its own manifest from the
/// repository, the component beside it, and the real hash written in.
fn install_template(dir: &std::path::Path) -> std::path::PathBuf {
    let manifest =
        std::fs::read_to_string(repository_root().join("plugins/template/template.toml"))
            .expect("read manifest");
    let bytes = std::fs::read(TEMPLATE_WASM).expect("read component");
    std::fs::write(dir.join("mediflux_plugin_template.wasm"), &bytes).expect("copy component");
    let stamped = manifest.replace(
        "0000000000000000000000000000000000000000000000000000000000000000",
        &mediflux_manifest::sha256_hex(&bytes),
    );
    let path = dir.join("template.toml");
    std::fs::write(&path, stamped).expect("write manifest");
    path
}

fn text_query(operation: &str, name: &str, value: &str) -> DataQuery {
    DataQuery {
        operation: operation.to_owned(),
        arguments: vec![Argument {
            name: name.to_owned(),
            value: ArgumentValue::Text(value.to_owned()),
        }],
    }
}

#[tokio::test]
async fn template_answers_queries() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let host = host();
    let info = host
        .load_manifest_file(&install_template(dir.path()))
        .expect("template loads");
    assert_eq!(info.kind, "data-source");
    assert_eq!(info.sdk, "0.1.0");

    let records = host
        .query("template", text_query("get", "code", "53"))
        .await
        .expect("get");
    let [DataRecord::Json(document)] = records.as_slice() else {
        panic!("{records:?}")
    };
    assert_eq!(document.schema, "template.region/1");
    assert_eq!(document.body, "{\"code\":\"53\",\"name\":\"Bretagne\"}");

    let found = host
        .query("template", text_query("search", "text", "Corse"))
        .await
        .expect("search");
    assert_eq!(found.len(), 1);

    let error = host
        .query("template", text_query("get", "code", "99"))
        .await
        .expect_err("unknown code");
    assert!(
        matches!(error.failure(), Some(FailureKind::Plugin { code, .. }) if code == "not-found"),
        "{error}"
    );
}

#[tokio::test]
async fn template_query_arguments_are_typed() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let host = host();
    host.load_manifest_file(&install_template(dir.path()))
        .expect("template loads");

    let missing = DataQuery {
        operation: "get".to_owned(),
        arguments: Vec::new(),
    };
    let error = host
        .query("template", missing)
        .await
        .expect_err("missing argument");
    assert!(
        error.to_string().contains("needs parameter `code`"),
        "{error}"
    );

    let wrong_type = DataQuery {
        operation: "get".to_owned(),
        arguments: vec![Argument {
            name: "code".to_owned(),
            value: ArgumentValue::Integer(53),
        }],
    };
    let error = host
        .query("template", wrong_type)
        .await
        .expect_err("wrong type");
    assert!(matches!(error, HostError::InvalidQuery { .. }), "{error:?}");
    assert!(
        error.to_string().contains("must be of type text"),
        "{error}"
    );
}

#[test]
fn compiled_cache_serves_a_second_host() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let cache = tempfile::tempdir().expect("cache folder");
    let manifest = install_template(dir.path());
    let config = || mediflux_host::HostConfig {
        cache_dir: cache.path().to_owned(),
        ..Default::default()
    };

    let first = mediflux_host::Host::new(config())
        .expect("host")
        .load_manifest_file(&manifest)
        .expect("load");
    assert!(!first.from_cache, "a fresh cache folder compiles");
    let second = mediflux_host::Host::new(config())
        .expect("host")
        .load_manifest_file(&manifest)
        .expect("load");
    assert!(
        second.from_cache,
        "the second host loads the saved artifact"
    );

    // A damaged artifact is discarded and the component compiled again.
    let artifacts = cache.path().join("compiled");
    for entry in std::fs::read_dir(&artifacts).expect("artifacts") {
        std::fs::write(entry.expect("entry").path(), b"damaged").expect("damage");
    }
    let third = mediflux_host::Host::new(config())
        .expect("host")
        .load_manifest_file(&manifest)
        .expect("load");
    assert!(!third.from_cache, "a damaged artifact is compiled again");
}
