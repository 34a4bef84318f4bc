//! Manifest and component checks at load: each bad manifest or component is
//! rejected with the file, the key and the fix, and the host keeps working.

use std::path::Path;

use mediflux_host::HostError;
use mediflux_manifest::{Manifest, ManifestError};
use mediflux_tests::{FUTURE_SDK_WASM, TEMPLATE_WASM, host, install};

const TEMPLATE_BODY: &str = "id = \"template\"\nname = \"Régions\"\nversion = \"0.1.0\"\nkind = \"data-source\"\nsdk = \"^0.1\"\n\n[[operations]]\nname = \"get\"\nparameters = [{ name = \"code\", type = \"text\", required = true }]\n";

fn load_error(path: &Path) -> ManifestError {
    Manifest::load(path).expect_err("the manifest is rejected")
}

#[test]
fn unknown_key_names_file_line_and_key() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let body = format!("{TEMPLATE_BODY}\n[limits]\nmemory_mb = 16\n");
    let path = install(dir.path(), "template", TEMPLATE_WASM, &body);
    let error = load_error(&path);
    let text = error.to_string();
    assert!(
        matches!(error, ManifestError::Syntax { line: Some(12), .. }),
        "{error:?}"
    );
    assert!(text.contains("template.toml:12"), "{text}");
    assert!(text.contains("unknown field `memory_mb`"), "{text}");
    assert!(
        text.contains("memory_mib"),
        "the message lists the expected keys: {text}"
    );
}

#[test]
fn bad_version_is_rejected() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let body = TEMPLATE_BODY.replace("version = \"0.1.0\"", "version = \"one\"");
    let path = install(dir.path(), "template", TEMPLATE_WASM, &body);
    let error = load_error(&path);
    assert!(
        matches!(error, ManifestError::Syntax { line: Some(3), .. }),
        "{error:?}"
    );
    let text = error.to_string();
    assert!(text.contains("invalid version `one`"), "{text}");
    assert!(text.contains("MAJOR.MINOR.PATCH"), "{text}");
}

#[test]
fn errors_name_the_file_read() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let installed = install(dir.path(), "template", TEMPLATE_WASM, TEMPLATE_BODY);
    let renamed = dir.path().join("my-copy.toml");
    std::fs::rename(&installed, &renamed).expect("rename the manifest");
    std::fs::remove_file(dir.path().join("template.wasm")).expect("remove the component");

    let text = load_error(&renamed).to_string();
    assert!(text.contains("my-copy.toml"), "{text}");
    assert!(!text.contains("template.toml"), "{text}");
}

#[test]
fn incompatible_sdk_requirement_is_rejected() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let body = TEMPLATE_BODY.replace("sdk = \"^0.1\"", "sdk = \"^0.2\"");
    let path = install(dir.path(), "template", TEMPLATE_WASM, &body);
    let text = load_error(&path).to_string();
    assert!(text.contains("requires SDK ^0.2"), "{text}");
    assert!(text.contains("supports 0.1.0"), "{text}");
}

#[test]
fn missing_component_is_reported() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = install(dir.path(), "template", TEMPLATE_WASM, TEMPLATE_BODY);
    std::fs::remove_file(dir.path().join("template.wasm")).expect("remove the component");
    let error = load_error(&path);
    assert!(
        matches!(error, ManifestError::MissingComponent { .. }),
        "{error:?}"
    );
    assert!(error.to_string().contains("component.file"), "{error}");
}

#[test]
fn hash_mismatch_gives_the_actual_hash() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = install(dir.path(), "template", TEMPLATE_WASM, TEMPLATE_BODY);
    let mut bytes = std::fs::read(dir.path().join("template.wasm")).expect("read");
    bytes.push(0);
    std::fs::write(dir.path().join("template.wasm"), &bytes).expect("tamper");
    let error = load_error(&path);
    let ManifestError::HashMismatch { actual, .. } = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*actual, mediflux_manifest::sha256_hex(&bytes));
    assert!(
        error
            .to_string()
            .contains(&format!("set sha256 = \"{actual}\"")),
        "{error}"
    );
}

#[test]
fn http_allow_list_must_be_bare_https_origins() {
    let dir = tempfile::tempdir().expect("temporary folder");
    for origin in [
        "http://example.org",
        "https://example.org/path",
        "example.org",
    ] {
        let body = format!("{TEMPLATE_BODY}\n[permissions]\nhttp = [\"{origin}\"]\n");
        let path = install(dir.path(), "template", TEMPLATE_WASM, &body);
        let error = load_error(&path);
        let ManifestError::Invalid { key, .. } = &error else {
            panic!("{origin}: {error:?}")
        };
        assert_eq!(key, "permissions.http");
    }
}

#[test]
fn unknown_profile_field_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let body = "id = \"asker\"\nname = \"A\"\nversion = \"0.1.0\"\nkind = \"intent\"\nsdk = \"^0.1\"\n\n[[intents]]\nid = \"ask\"\nexamples = [\"Bonjour\"]\nrules = [{ any = [\"bonjour\"] }]\n\n[permissions]\nprofile = [\"age\", \"social_security_number\"]\n";
    let path = install(dir.path(), "asker", TEMPLATE_WASM, body);
    let text = load_error(&path).to_string();
    assert!(
        text.contains("unknown profile field `social_security_number`"),
        "{text}"
    );
    assert!(text.contains("use only these fields"), "{text}");
}

#[test]
fn limits_above_host_maximum_are_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let body = format!("{TEMPLATE_BODY}\n[limits]\nmemory_mib = 4096\n");
    let path = install(dir.path(), "template", TEMPLATE_WASM, &body);
    let text = load_error(&path).to_string();
    assert!(text.contains("limits.memory_mib"), "{text}");
    assert!(text.contains("exceeds the host maximum 1024"), "{text}");
}

#[test]
fn corrupt_wasm_fails_to_load_and_host_keeps_working() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let garbage = dir.path().join("garbage.bin");
    std::fs::write(&garbage, b"\0asm\x0d\0\x01\0this is not a component").expect("write garbage");
    let body = TEMPLATE_BODY.replace("\"template\"", "\"corrupt\"");
    let path = install(
        dir.path(),
        "corrupt",
        garbage.to_str().expect("utf-8 path"),
        &body,
    );

    let host = host();
    let error = host
        .load_manifest_file(&path)
        .expect_err("corrupt component");
    assert!(matches!(error, HostError::Load { .. }), "{error:?}");
    assert!(
        error.to_string().contains("plugin corrupt 0.1.0"),
        "{error}"
    );

    let good = install(dir.path(), "template", TEMPLATE_WASM, TEMPLATE_BODY);
    host.load_manifest_file(&good)
        .expect("the host still loads a good plugin");
}

#[test]
fn component_for_future_sdk_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let body = TEMPLATE_BODY.replace("\"template\"", "\"future\"");
    let path = install(dir.path(), "future", FUTURE_SDK_WASM, &body);
    let error = host()
        .load_manifest_file(&path)
        .expect_err("unsupported SDK");
    let text = error.to_string();
    assert!(matches!(error, HostError::Incompatible { .. }), "{error:?}");
    assert!(text.contains("mediflux:plugin/data-source@0.2.0"), "{text}");
    assert!(text.contains("supports SDK 0.1.0"), "{text}");
}

#[test]
fn kind_mismatch_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let body = "id = \"liar\"\nname = \"L\"\nversion = \"0.1.0\"\nkind = \"intent\"\nsdk = \"^0.1\"\n\n[[intents]]\nid = \"lie\"\nexamples = [\"Bonjour\"]\nrules = [{ any = [\"bonjour\"] }]\n";
    let path = install(dir.path(), "liar", TEMPLATE_WASM, body);
    let text = host()
        .load_manifest_file(&path)
        .expect_err("data source declared as intent")
        .to_string();
    assert!(
        text.contains("does not export `mediflux:plugin/intent-handler`"),
        "{text}"
    );
}

#[test]
fn duplicate_plugin_id_is_refused() {
    let dir = tempfile::tempdir().expect("temporary folder");
    let path = install(dir.path(), "template", TEMPLATE_WASM, TEMPLATE_BODY);
    let host = host();
    host.load_manifest_file(&path).expect("first load");
    let error = host.load_manifest_file(&path).expect_err("second load");
    assert!(matches!(error, HostError::Conflict { .. }), "{error:?}");
}
