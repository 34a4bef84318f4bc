//! Loading and checking manifests.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::error::ManifestError;
use crate::schema::{Limits, Manifest, PluginKind};

/// SDK versions whose WIT folders this host implements.
pub const SUPPORTED_SDK_VERSIONS: &[semver::Version] = &[semver::Version::new(0, 1, 0)];

/// Profile fields a manifest may request under `permissions.profile`.
pub const PROFILE_FIELDS: &[&str] = &[
    "age",
    "birth_date",
    "mutuelle",
    "ald",
    "c2s",
    "ame",
    "pregnancy",
    "medecin_traitant",
    "location",
    "preferences",
];

/// Largest values accepted in `[limits]`, so that no manifest can ask the
/// host for unbounded resources.
const MAX_LIMITS: Limits = Limits {
    memory_mib: 1024,
    cpu_ms: 600_000,
    wall_ms: 3_600_000,
    http_body_bytes: 512 * 1024 * 1024,
    http_requests: 10_000,
    http_timeout_ms: 600_000,
    result_bytes: 256 * 1024 * 1024,
    cache_bytes: 256 * 1024 * 1024,
};

/// Returns the SHA-256 of `bytes` as 64 lowercase hexadecimal digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

impl Manifest {
    /// Reads and checks the manifest at `path`, including its component file
    /// and that file's SHA-256.
    pub fn load(path: &Path) -> Result<Self, ManifestError> {
        let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Read {
            path: path.to_owned(),
            source,
        })?;
        let manifest = Self::parse(&text, path)?;
        manifest.verify_component()?;
        Ok(manifest)
    }

    /// Parses and checks manifest `text` read from `path`, without touching
    /// the component file.
    pub fn parse(text: &str, path: &Path) -> Result<Self, ManifestError> {
        let mut manifest: Manifest =
            toml::from_str(text).map_err(|error| ManifestError::Syntax {
                path: path.to_owned(),
                line: error.span().map(|span| line_of(text, span.start)),
                message: error.message().trim_end().to_owned(),
            })?;
        manifest.path = path.to_owned();
        manifest.base_dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));

        Checker { path }.check(&manifest)?;
        Ok(manifest)
    }

    /// Returns the absolute or manifest-relative path of the component.
    pub fn component_path(&self) -> PathBuf {
        self.base_dir.join(&self.component.file)
    }

    /// Checks that the component file exists and matches `component.sha256`,
    /// and returns its bytes.
    pub fn read_component(&self) -> Result<Vec<u8>, ManifestError> {
        let file = self.component_path();
        let manifest_path = self.path.clone();
        let bytes = std::fs::read(&file).map_err(|source| {
            if source.kind() == std::io::ErrorKind::NotFound {
                ManifestError::MissingComponent {
                    path: manifest_path.clone(),
                    file: file.clone(),
                }
            } else {
                ManifestError::Read {
                    path: file.clone(),
                    source,
                }
            }
        })?;
        self.verify_bytes(&bytes, &manifest_path)?;
        Ok(bytes)
    }

    /// Checks that `bytes` hash to `component.sha256`.
    pub fn verify_bytes(&self, bytes: &[u8], manifest_path: &Path) -> Result<(), ManifestError> {
        let actual = sha256_hex(bytes);
        if actual != self.component.sha256 {
            return Err(ManifestError::HashMismatch {
                path: manifest_path.to_owned(),
                file: self.component_path(),
                expected: self.component.sha256.clone(),
                actual,
            });
        }
        Ok(())
    }

    fn verify_component(&self) -> Result<(), ManifestError> {
        self.read_component().map(drop)
    }

    /// Returns the highest supported SDK version that `sdk` accepts.
    pub fn sdk_version(&self) -> Option<&'static semver::Version> {
        SUPPORTED_SDK_VERSIONS
            .iter()
            .rev()
            .find(|version| self.sdk.matches(version))
    }
}

/// Returns the 1-based line containing byte `offset` of `text`.
fn line_of(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

struct Checker<'a> {
    path: &'a Path,
}

impl Checker<'_> {
    fn invalid(
        &self,
        key: &str,
        problem: impl Into<String>,
        fix: impl Into<String>,
    ) -> ManifestError {
        ManifestError::Invalid {
            path: self.path.to_owned(),
            key: key.to_owned(),
            problem: problem.into(),
            fix: fix.into(),
        }
    }

    fn check(&self, manifest: &Manifest) -> Result<(), ManifestError> {
        self.check_identity(manifest)?;
        self.check_component(manifest)?;
        self.check_kind_tables(manifest)?;
        self.check_permissions(manifest)?;
        self.check_limits(&manifest.limits)?;
        Ok(())
    }

    fn check_identity(&self, manifest: &Manifest) -> Result<(), ManifestError> {
        if !is_identifier(&manifest.id, 40) {
            return Err(self.invalid(
                "id",
                format!("`{}` is not a valid plugin id", manifest.id),
                "use 1 to 40 lowercase ASCII letters, digits and `-`, starting with a letter",
            ));
        }
        if manifest.name.trim().is_empty() {
            return Err(self.invalid(
                "name",
                "the name is empty",
                "give the plugin a display name",
            ));
        }
        if manifest.sdk_version().is_none() {
            return Err(ManifestError::IncompatibleSdk {
                path: self.path.to_owned(),
                required: manifest.sdk.to_string(),
                supported: SUPPORTED_SDK_VERSIONS
                    .iter()
                    .map(ToString::to_string)
                    .collect::<Vec<_>>()
                    .join(", "),
            });
        }
        Ok(())
    }

    fn check_component(&self, manifest: &Manifest) -> Result<(), ManifestError> {
        let file = &manifest.component.file;
        if file.extension().and_then(|ext| ext.to_str()) != Some("wasm") {
            return Err(self.invalid(
                "component.file",
                format!("`{}` is not a .wasm file", file.display()),
                "name the component built for wasm32-wasip2, such as `my-plugin.wasm`",
            ));
        }
        if file.is_absolute()
            || file
                .components()
                .any(|part| part == std::path::Component::ParentDir)
        {
            return Err(self.invalid(
                "component.file",
                format!("`{}` leaves the manifest's folder", file.display()),
                "put the component next to the manifest and give its file name only",
            ));
        }
        let hash = &manifest.component.sha256;
        if hash.len() != 64
            || !hash
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            return Err(self.invalid(
                "component.sha256",
                format!("`{hash}` is not 64 lowercase hexadecimal digits"),
                "set it to the output of `sha256sum` on the component, or run `mediflux plugins check` and copy the hash it prints",
            ));
        }
        Ok(())
    }

    fn check_kind_tables(&self, manifest: &Manifest) -> Result<(), ManifestError> {
        match manifest.kind {
            PluginKind::Intent => {
                if manifest.intents.is_empty() {
                    return Err(self.invalid(
                        "intents",
                        "an intent plugin declares no intent",
                        "add at least one [[intents]] table with an id, examples and rules",
                    ));
                }
                if !manifest.operations.is_empty() {
                    return Err(self.invalid(
                        "operations",
                        "an intent plugin cannot declare data operations",
                        "remove [[operations]] or set kind = \"data-source\"",
                    ));
                }
                if manifest.permissions.storage {
                    return Err(self.invalid(
                        "permissions.storage",
                        "only data sources write to the reference store",
                        "remove the key or set kind = \"data-source\"",
                    ));
                }
            }
            PluginKind::DataSource => {
                if !manifest.intents.is_empty() {
                    return Err(self.invalid(
                        "intents",
                        "a data-source plugin cannot answer intents",
                        "remove [[intents]] or set kind = \"intent\"",
                    ));
                }
                if !manifest.permissions.profile.is_empty() {
                    return Err(self.invalid(
                        "permissions.profile",
                        "data sources never receive profile fields",
                        "remove the key; only intent plugins receive profile fields",
                    ));
                }
            }
        }

        let mut intent_ids = HashSet::new();
        for (index, intent) in manifest.intents.iter().enumerate() {
            let key = format!("intents[{index}]");
            if !is_dotted_identifier(&intent.id) {
                return Err(self.invalid(
                    &format!("{key}.id"),
                    format!("`{}` is not a valid intent id", intent.id),
                    "use lowercase words joined by `.`, `-` or `_`, such as `cost.estimate`",
                ));
            }
            if !intent_ids.insert(intent.id.as_str()) {
                return Err(self.invalid(
                    &format!("{key}.id"),
                    format!("intent `{}` is declared twice", intent.id),
                    "give each intent a distinct id",
                ));
            }
            if intent
                .examples
                .iter()
                .all(|example| example.trim().is_empty())
            {
                return Err(self.invalid(
                    &format!("{key}.examples"),
                    format!("intent `{}` has no example question", intent.id),
                    "add at least one French example question",
                ));
            }
            if intent.rules.is_empty() {
                return Err(self.invalid(
                    &format!("{key}.rules"),
                    format!("intent `{}` has no routing rule", intent.id),
                    "add a rule such as { any = [\"mot-clé\"] } so that the router can reach it",
                ));
            }
            for (rule_index, rule) in intent.rules.iter().enumerate() {
                let rule_key = format!("{key}.rules[{rule_index}]");
                // A rule on slots alone is valid: the router matches it when
                // those slots were extracted, such as a CIS code.
                if rule.any.is_empty() && rule.all.is_empty() && rule.slots.is_empty() {
                    return Err(self.invalid(
                        &rule_key,
                        "the rule has no `any` or `all` phrase and no `slots`",
                        "list the words or phrases, or the slots, that trigger the intent",
                    ));
                }
                if !(rule.weight > 0.0 && rule.weight <= 10.0) {
                    return Err(self.invalid(
                        &format!("{rule_key}.weight"),
                        format!("weight {} is out of range", rule.weight),
                        "use a weight above 0 and at most 10",
                    ));
                }
            }
        }

        let mut operation_names = HashSet::new();
        for (index, operation) in manifest.operations.iter().enumerate() {
            let key = format!("operations[{index}]");
            if !is_dotted_identifier(&operation.name) {
                return Err(self.invalid(
                    &format!("{key}.name"),
                    format!("`{}` is not a valid operation name", operation.name),
                    "use lowercase words joined by `.`, `-` or `_`",
                ));
            }
            if !operation_names.insert(operation.name.as_str()) {
                return Err(self.invalid(
                    &format!("{key}.name"),
                    format!("operation `{}` is declared twice", operation.name),
                    "give each operation a distinct name",
                ));
            }
            let mut parameter_names = HashSet::new();
            for parameter in &operation.parameters {
                if !parameter_names.insert(parameter.name.as_str()) {
                    return Err(self.invalid(
                        &format!("{key}.parameters"),
                        format!("parameter `{}` is declared twice", parameter.name),
                        "give each parameter a distinct name",
                    ));
                }
            }
        }
        Ok(())
    }

    fn check_permissions(&self, manifest: &Manifest) -> Result<(), ManifestError> {
        for origin in &manifest.permissions.http {
            check_origin(origin).map_err(|problem| {
                self.invalid(
                    "permissions.http",
                    format!("`{origin}` {problem}"),
                    "write each allowed origin exactly as `https://host` or `https://host:port`, without path",
                )
            })?;
        }
        for (key, entry) in &manifest.config {
            if entry.origin {
                https_origin(&entry.default).map_err(|problem| {
                    self.invalid(
                        &format!("config.{key}.default"),
                        format!("`{}` {problem}", entry.default),
                        "a key marked `origin = true` holds an absolute https:// address",
                    )
                })?;
            }
        }
        for field in &manifest.permissions.profile {
            if !PROFILE_FIELDS.contains(&field.as_str()) {
                return Err(self.invalid(
                    "permissions.profile",
                    format!("unknown profile field `{field}`"),
                    format!("use only these fields: {}", PROFILE_FIELDS.join(", ")),
                ));
            }
        }
        for source in &manifest.permissions.sources {
            if !is_identifier(source, 40) {
                return Err(self.invalid(
                    "permissions.sources",
                    format!("`{source}` is not a plugin id"),
                    "list the ids of the data-source plugins to query",
                ));
            }
        }
        Ok(())
    }

    fn check_limits(&self, limits: &Limits) -> Result<(), ManifestError> {
        let checks: [(&str, u64, u64); 8] = [
            (
                "limits.memory_mib",
                limits.memory_mib.into(),
                MAX_LIMITS.memory_mib.into(),
            ),
            (
                "limits.cpu_ms",
                limits.cpu_ms.into(),
                MAX_LIMITS.cpu_ms.into(),
            ),
            (
                "limits.wall_ms",
                limits.wall_ms.into(),
                MAX_LIMITS.wall_ms.into(),
            ),
            (
                "limits.http_body_bytes",
                limits.http_body_bytes,
                MAX_LIMITS.http_body_bytes,
            ),
            (
                "limits.http_requests",
                limits.http_requests.into(),
                MAX_LIMITS.http_requests.into(),
            ),
            (
                "limits.http_timeout_ms",
                limits.http_timeout_ms.into(),
                MAX_LIMITS.http_timeout_ms.into(),
            ),
            (
                "limits.result_bytes",
                limits.result_bytes,
                MAX_LIMITS.result_bytes,
            ),
            (
                "limits.cache_bytes",
                limits.cache_bytes,
                MAX_LIMITS.cache_bytes,
            ),
        ];
        for (key, value, max) in checks {
            if value > max {
                return Err(self.invalid(
                    key,
                    format!("{value} exceeds the host maximum {max}"),
                    format!("set it to {max} or less"),
                ));
            }
        }
        for (key, value) in [
            ("limits.memory_mib", limits.memory_mib),
            ("limits.cpu_ms", limits.cpu_ms),
            ("limits.wall_ms", limits.wall_ms),
        ] {
            if value == 0 {
                return Err(self.invalid(
                    key,
                    "0 leaves the plugin no room to run",
                    "set a positive value",
                ));
            }
        }
        if limits.wall_ms < limits.cpu_ms {
            return Err(self.invalid(
                "limits.wall_ms",
                format!(
                    "{} ms is less than limits.cpu_ms ({} ms)",
                    limits.wall_ms, limits.cpu_ms
                ),
                "make the wall-clock limit at least the CPU limit",
            ));
        }
        Ok(())
    }
}

/// Returns the origin (`https://host[:port]`) of an absolute https address.
pub fn https_origin(address: &str) -> Result<String, &'static str> {
    let url = url::Url::parse(address).map_err(|_| "is not a URL")?;
    if url.scheme() != "https" {
        return Err("is not https");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("contains credentials");
    }
    Ok(url.origin().ascii_serialization())
}

/// Checks an HTTP allow-list entry: exactly `https://host[:port]`.
fn check_origin(origin: &str) -> Result<(), &'static str> {
    let url = url::Url::parse(origin).map_err(|_| "is not a URL")?;
    if url.scheme() != "https" {
        return Err("is not https");
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err("has no host");
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err("contains credentials");
    }
    if url.query().is_some() || url.fragment().is_some() {
        return Err("has a query or fragment");
    }
    let without_slash = origin.strip_suffix('/').unwrap_or(origin);
    if url.path() != "/" || without_slash != url.origin().ascii_serialization() {
        return Err("is not a bare origin");
    }
    Ok(())
}

fn is_identifier(text: &str, max_len: usize) -> bool {
    let mut bytes = text.bytes();
    matches!(bytes.next(), Some(b'a'..=b'z'))
        && text.len() <= max_len
        && bytes.all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

fn is_dotted_identifier(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text.split('.').all(|part| {
            let mut bytes = part.bytes();
            matches!(bytes.next(), Some(b'a'..=b'z'))
                && bytes
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn origin_accepts_bare_https() {
        assert!(check_origin("https://example.org").is_ok());
        assert!(check_origin("https://example.org:8443").is_ok());
    }

    #[test]
    fn origin_rejects_others() {
        assert_eq!(check_origin("http://example.org"), Err("is not https"));
        assert_eq!(
            check_origin("https://example.org/path"),
            Err("is not a bare origin")
        );
        assert_eq!(
            check_origin("https://user@example.org"),
            Err("contains credentials")
        );
        assert_eq!(check_origin("example.org"), Err("is not a URL"));
    }

    #[test]
    fn line_of_counts_from_one() {
        assert_eq!(line_of("a\nb\nc", 0), 1);
        assert_eq!(line_of("a\nb\nc", 2), 2);
        assert_eq!(line_of("a\nb\nc", 4), 3);
    }

    fn intent_manifest(rules: &str) -> String {
        format!(
            "id = \"asker\"\nname = \"A\"\nversion = \"0.1.0\"\nkind = \"intent\"\nsdk = \"^0.1\"\n\n\
             [component]\nfile = \"asker.wasm\"\nsha256 = \"{}\"\n\n\
             [[intents]]\nid = \"ask\"\nexamples = [\"Bonjour\"]\nslots = [\"cis\"]\nrules = [{rules}]\n",
            "0".repeat(64)
        )
    }

    #[test]
    fn rule_on_slots_alone_is_valid() {
        let path = Path::new("asker.toml");
        let manifest = Manifest::parse(&intent_manifest("{ slots = [\"cis\"], weight = 3 }"), path)
            .expect("a rule on slots alone");
        assert_eq!(manifest.intents[0].rules[0].slots, ["cis"]);

        let error = Manifest::parse(&intent_manifest("{ weight = 3 }"), path)
            .expect_err("a rule without any condition")
            .to_string();
        assert!(error.contains("intents[0].rules[0]"), "{error}");
        assert!(
            error.contains("no `any` or `all` phrase and no `slots`"),
            "{error}"
        );
    }

    #[test]
    fn identifiers() {
        assert!(is_identifier("bdpm", 40));
        assert!(!is_identifier("Bdpm", 40));
        assert!(!is_identifier("1bdpm", 40));
        assert!(is_dotted_identifier("cost.estimate"));
        assert!(!is_dotted_identifier("cost..estimate"));
    }
}
