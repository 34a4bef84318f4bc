//! The plugin host: loads components, keeps them ready, and runs each call
//! in a fresh sandboxed instance.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock, RwLock};
use std::time::{Duration, Instant};

use mediflux_manifest::{Manifest, ParameterType, PluginKind};
use wasmtime::component::{Component, HasSelf, Linker};
use wasmtime::{Store, Trap, UpdateDeadline};

use crate::bindings::v0_1;
use crate::bindings::v0_1::types::{ArgumentValue, DataQuery, DataRecord};
use crate::engine::SandboxEngine;
use crate::error::{FailureKind, HostError};
use crate::plugin_cache::PluginCache;
use crate::sink::{RecordSink, ReferenceReader, RuleProvider};
use crate::state::{CallState, MemoryCapExceeded};

/// Settings of a [`Host`].
#[derive(Clone, Default)]
pub struct HostConfig {
    /// Folder for compiled components and plugin caches. It is created when
    /// missing and must be absolute.
    pub cache_dir: PathBuf,
    /// User overrides of plugin configuration, by plugin id then key.
    pub plugin_config: HashMap<String, BTreeMap<String, String>>,
    /// Source of reimbursement rule values for the `rules` service.
    pub rules: Option<Arc<dyn RuleProvider>>,
    /// Extra trusted root certificates, in PEM, for the `http` service.
    pub extra_root_certificates: Vec<Vec<u8>>,
    /// Reader of the reference store for `storage.lookup` and
    /// `storage.search`.
    pub reference: Option<Arc<dyn ReferenceReader>>,
}

/// A plugin the host has loaded.
pub(crate) struct LoadedPlugin {
    pub(crate) manifest: Manifest,
    pub(crate) info: PluginInfo,
    pub(crate) config: BTreeMap<String, String>,
    /// `permissions.http` plus the origins of configuration values marked
    /// `origin = true`.
    pub(crate) allowed_origins: Vec<String>,
    pub(crate) cache: PluginCache,
    pub(crate) instance: Instantiable,
}

/// A pre-linked component of either kind, ready to instantiate.
pub(crate) enum Instantiable {
    DataSource(v0_1::data_source::DataSourcePluginPre<CallState>),
    Intent(v0_1::intent::IntentPluginPre<CallState>),
}

/// A summary of a loaded plugin.
#[derive(Debug, Clone, serde::Serialize)]
pub struct PluginInfo {
    /// Plugin id.
    pub id: String,
    /// Display name.
    pub name: String,
    /// Plugin version.
    pub version: String,
    /// Plugin kind.
    pub kind: &'static str,
    /// SDK version the component was built against.
    pub sdk: String,
    /// Intent ids it answers.
    pub intents: Vec<String>,
    /// Operations it offers.
    pub operations: Vec<String>,
    /// Whether the compiled component came from the on-disk cache.
    pub from_cache: bool,
}

/// State shared by the host and every call in flight.
pub(crate) struct Shared {
    engine: SandboxEngine,
    config: HostConfig,
    plugins: RwLock<HashMap<String, Arc<LoadedPlugin>>>,
    http_client: OnceLock<Result<reqwest::Client, String>>,
    linkers: Linkers,
}

struct Linkers {
    data_source: Linker<CallState>,
    intent: Linker<CallState>,
}

impl Shared {
    pub(crate) fn tick_ms(&self) -> u64 {
        self.engine.tick_ms()
    }

    pub(crate) fn rules(&self) -> Option<&Arc<dyn RuleProvider>> {
        self.config.rules.as_ref()
    }

    pub(crate) fn reference(&self) -> Option<&Arc<dyn ReferenceReader>> {
        self.config.reference.as_ref()
    }

    pub(crate) fn http_client(&self) -> Result<reqwest::Client, String> {
        self.http_client
            .get_or_init(|| crate::http::build_client(&self.config.extra_root_certificates))
            .clone()
    }
}

/// The plugin host. Cloning it is cheap and shares the loaded plugins.
#[derive(Clone)]
pub struct Host {
    shared: Arc<Shared>,
}

impl Host {
    /// Creates a host with no plugin loaded.
    pub fn new(config: HostConfig) -> Result<Self, HostError> {
        let engine = SandboxEngine::new(&config.cache_dir)?;
        let linkers = Linkers {
            data_source: data_source_linker(engine.wasmtime())?,
            intent: intent_linker(engine.wasmtime())?,
        };
        Ok(Self {
            shared: Arc::new(Shared {
                engine,
                config,
                plugins: RwLock::new(HashMap::new()),
                http_client: OnceLock::new(),
                linkers,
            }),
        })
    }

    pub(crate) fn from_shared(shared: Arc<Shared>) -> Self {
        Self { shared }
    }

    /// Loads a plugin from its manifest file, checking the component's hash.
    pub fn load_manifest_file(&self, path: &std::path::Path) -> Result<PluginInfo, HostError> {
        let manifest = Manifest::load(path)?;
        let bytes = manifest.read_component()?;
        self.load(manifest, &bytes)
    }

    /// Loads a plugin whose manifest was already checked and whose component
    /// bytes hash to `manifest.component.sha256`.
    pub fn load(
        &self,
        manifest: Manifest,
        component_bytes: &[u8],
    ) -> Result<PluginInfo, HostError> {
        let started = Instant::now();
        let load_error = |detail: String| HostError::Load {
            id: manifest.id.clone(),
            version: manifest.version.to_string(),
            detail,
        };

        if mediflux_manifest::sha256_hex(component_bytes) != manifest.component.sha256 {
            manifest.verify_bytes(component_bytes, &manifest.path)?;
        }
        self.check_conflicts(&manifest)?;

        let (component, from_cache) = self
            .shared
            .engine
            .component(&manifest.component.sha256, component_bytes)
            .map_err(load_error)?;
        let sdk = check_exports(&manifest, &component, self.shared.engine.wasmtime())?;
        let instance = self
            .instantiable(&manifest, &component)
            .map_err(load_error)?;

        let mut config: BTreeMap<String, String> = manifest
            .config
            .iter()
            .map(|(key, entry)| (key.clone(), entry.default.clone()))
            .collect();
        if let Some(overrides) = self.shared.config.plugin_config.get(&manifest.id) {
            config.extend(
                overrides
                    .iter()
                    .map(|(key, value)| (key.clone(), value.clone())),
            );
        }
        let mut allowed_origins = manifest.permissions.http.clone();
        for (key, entry) in manifest.config.iter().filter(|(_, entry)| entry.origin) {
            let value = config
                .get(key)
                .map_or(entry.default.as_str(), String::as_str);
            let origin = mediflux_manifest::https_origin(value).map_err(|problem| {
                load_error(format!(
                    "configuration `{key}` = `{value}` {problem}; set it to an absolute https:// address"
                ))
            })?;
            allowed_origins.push(origin);
        }
        let cache = PluginCache::new(
            self.shared
                .config
                .cache_dir
                .join("plugin-cache")
                .join(&manifest.id),
            manifest.limits.cache_bytes,
        );

        let info = PluginInfo {
            id: manifest.id.clone(),
            name: manifest.name.clone(),
            version: manifest.version.to_string(),
            kind: manifest.kind.as_str(),
            sdk: sdk.to_string(),
            intents: manifest
                .intents
                .iter()
                .map(|intent| intent.id.clone())
                .collect(),
            operations: manifest
                .operations
                .iter()
                .map(|operation| operation.name.clone())
                .collect(),
            from_cache,
        };
        let loaded = Arc::new(LoadedPlugin {
            manifest,
            allowed_origins,
            info: info.clone(),
            config,
            cache,
            instance,
        });
        self.shared
            .plugins
            .write()
            .map_err(|_| HostError::Engine("plugin table is poisoned".to_owned()))?
            .insert(info.id.clone(), loaded);

        tracing::info!(
            plugin = %info.id,
            version = %info.version,
            from_cache,
            elapsed_ms = started.elapsed().as_secs_f64() * 1000.0,
            "plugin loaded"
        );
        Ok(info)
    }

    fn check_conflicts(&self, manifest: &Manifest) -> Result<(), HostError> {
        let plugins = self.plugins_snapshot();
        if plugins
            .iter()
            .any(|plugin| plugin.manifest.id == manifest.id)
        {
            return Err(HostError::Conflict {
                id: manifest.id.clone(),
                detail: "a plugin with this id is already loaded; remove one of the two manifests"
                    .to_owned(),
            });
        }
        for intent in &manifest.intents {
            if let Some(other) = plugins.iter().find(|plugin| {
                plugin
                    .manifest
                    .intents
                    .iter()
                    .any(|existing| existing.id == intent.id)
            }) {
                return Err(HostError::Conflict {
                    id: manifest.id.clone(),
                    detail: format!(
                        "intent `{}` is already answered by plugin {}; rename the intent",
                        intent.id, other.manifest.id
                    ),
                });
            }
        }
        Ok(())
    }

    fn instantiable(
        &self,
        manifest: &Manifest,
        component: &Component,
    ) -> Result<Instantiable, String> {
        match manifest.kind {
            PluginKind::DataSource => {
                let pre = self
                    .shared
                    .linkers
                    .data_source
                    .instantiate_pre(component)
                    .map_err(|error| format!("{error:#}"))?;
                v0_1::data_source::DataSourcePluginPre::new(pre)
                    .map(Instantiable::DataSource)
                    .map_err(|error| format!("{error:#}"))
            }
            PluginKind::Intent => {
                let pre = self
                    .shared
                    .linkers
                    .intent
                    .instantiate_pre(component)
                    .map_err(|error| format!("{error:#}"))?;
                v0_1::intent::IntentPluginPre::new(pre)
                    .map(Instantiable::Intent)
                    .map_err(|error| format!("{error:#}"))
            }
        }
    }

    fn plugins_snapshot(&self) -> Vec<Arc<LoadedPlugin>> {
        self.shared
            .plugins
            .read()
            .map(|plugins| plugins.values().cloned().collect())
            .unwrap_or_default()
    }

    fn plugin(&self, id: &str) -> Result<Arc<LoadedPlugin>, HostError> {
        self.shared
            .plugins
            .read()
            .ok()
            .and_then(|plugins| plugins.get(id).cloned())
            .ok_or_else(|| HostError::UnknownPlugin { id: id.to_owned() })
    }

    /// Unloads plugin `id`, returning whether it was loaded. Calls already
    /// running finish on the instance they started with.
    pub fn unload(&self, id: &str) -> bool {
        self.shared
            .plugins
            .write()
            .map(|mut plugins| plugins.remove(id).is_some())
            .unwrap_or(false)
    }

    /// Returns the loaded plugins, sorted by id.
    pub fn plugins(&self) -> Vec<PluginInfo> {
        let mut plugins: Vec<PluginInfo> = self
            .plugins_snapshot()
            .iter()
            .map(|plugin| plugin.info.clone())
            .collect();
        plugins.sort_by(|a, b| a.id.cmp(&b.id));
        plugins
    }

    /// Returns the manifests of the loaded plugins, sorted by id.
    pub fn manifests(&self) -> Vec<Manifest> {
        let mut manifests: Vec<Manifest> = self
            .plugins_snapshot()
            .iter()
            .map(|plugin| plugin.manifest.clone())
            .collect();
        manifests.sort_by(|a, b| a.id.cmp(&b.id));
        manifests
    }

    /// Sends a typed query to data source `source`.
    pub async fn query(
        &self,
        source: &str,
        query: DataQuery,
    ) -> Result<Vec<DataRecord>, HostError> {
        self.query_at_depth(source, query, 0).await
    }

    pub(crate) async fn query_at_depth(
        &self,
        source: &str,
        query: DataQuery,
        depth: u32,
    ) -> Result<Vec<DataRecord>, HostError> {
        let plugin = self.plugin(source)?;
        let Instantiable::DataSource(pre) = &plugin.instance else {
            return Err(HostError::WrongKind {
                id: source.to_owned(),
                expected: "data-source",
            });
        };
        check_query(&plugin.manifest, &query)?;

        let pre = pre.clone();
        let records = self
            .run(
                &plugin,
                depth,
                None,
                "query",
                async move |store: &mut Store<CallState>| {
                    let instance = pre.instantiate_async(&mut *store).await?;
                    instance
                        .mediflux_plugin_data_source()
                        .call_query(&mut *store, &query)
                        .await
                },
            )
            .await?;
        let records = plugin_result(&plugin, records)?;
        check_result_size(&plugin, records.iter().map(record_size).sum())?;
        Ok(records)
    }

    /// Runs a refresh of data source `source`, handing it `files` (empty to
    /// let it download) and sending its records to `sink`.
    pub async fn refresh(
        &self,
        source: &str,
        files: Vec<v0_1::InputFile>,
        sink: Arc<dyn RecordSink>,
    ) -> Result<v0_1::RefreshSummary, HostError> {
        let plugin = self.plugin(source)?;
        let Instantiable::DataSource(pre) = &plugin.instance else {
            return Err(HostError::WrongKind {
                id: source.to_owned(),
                expected: "data-source",
            });
        };

        let pre = pre.clone();
        let request = v0_1::RefreshRequest { files };
        let summary = self
            .run(
                &plugin,
                0,
                Some(sink),
                "refresh",
                async move |store: &mut Store<CallState>| {
                    let instance = pre.instantiate_async(&mut *store).await?;
                    instance
                        .mediflux_plugin_data_source()
                        .call_refresh(&mut *store, &request)
                        .await
                },
            )
            .await?;
        plugin_result(&plugin, summary)
    }

    /// Sends a routed question to the intent plugin `plugin_id`. Profile
    /// fields not granted by its manifest are removed before the call.
    pub async fn handle(
        &self,
        plugin_id: &str,
        mut request: v0_1::IntentRequest,
    ) -> Result<v0_1::IntentResponse, HostError> {
        let plugin = self.plugin(plugin_id)?;
        let Instantiable::Intent(pre) = &plugin.instance else {
            return Err(HostError::WrongKind {
                id: plugin_id.to_owned(),
                expected: "intent",
            });
        };
        let granted = &plugin.manifest.permissions.profile;
        request.profile.retain(|(field, _)| granted.contains(field));

        let pre = pre.clone();
        let response = self
            .run(
                &plugin,
                0,
                None,
                "handle",
                async move |store: &mut Store<CallState>| {
                    let instance = pre.instantiate_async(&mut *store).await?;
                    instance
                        .mediflux_plugin_intent_handler()
                        .call_handle(&mut *store, &request)
                        .await
                },
            )
            .await?;
        let response = plugin_result(&plugin, response)?;
        let size = response.answer.len()
            + response.result.body.len()
            + response
                .citations
                .iter()
                .map(|c| c.title.len() + c.url.as_ref().map_or(0, String::len))
                .sum::<usize>();
        check_result_size(&plugin, size as u64)?;
        Ok(response)
    }

    /// Runs `call` in a fresh store under the plugin's limits and turns any
    /// failure into a [`HostError::PluginFailed`].
    async fn run<R>(
        &self,
        plugin: &Arc<LoadedPlugin>,
        depth: u32,
        sink: Option<Arc<dyn RecordSink>>,
        operation: &'static str,
        call: impl AsyncFnOnce(&mut Store<CallState>) -> wasmtime::Result<R>,
    ) -> Result<R, HostError> {
        let started = Instant::now();
        let manifest = &plugin.manifest;
        let failed = |failure: FailureKind| HostError::PluginFailed {
            id: manifest.id.clone(),
            version: manifest.version.to_string(),
            failure,
        };

        let state = CallState::new(plugin.clone(), self.shared.clone(), depth, sink);
        let mut store = Store::new(self.shared.engine.wasmtime(), state);
        store.limiter(|state| &mut state.memory);
        store.set_epoch_deadline(1);
        store.epoch_deadline_callback(|mut context| {
            let state = context.data_mut();
            state.cpu_ticks += 1;
            if state.cpu_ticks > state.cpu_tick_budget {
                state.failure = Some(FailureKind::CpuBudget {
                    limit_ms: state.plugin.manifest.limits.cpu_ms,
                });
                return Ok(UpdateDeadline::Interrupt);
            }
            // Yielding at every tick lets the wall-clock timeout fire even
            // while the guest spins.
            Ok(UpdateDeadline::Yield(1))
        });

        let wall = Duration::from_millis(manifest.limits.wall_ms.into());
        let outcome = tokio::time::timeout(wall, call(&mut store)).await;
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;

        let result = match outcome {
            Err(_) => Err(failed(FailureKind::WallTimeout {
                limit_ms: manifest.limits.wall_ms,
            })),
            Ok(Ok(value)) => Ok(value),
            Ok(Err(error)) => Err(failed(classify(&error, store.data()))),
        };
        match &result {
            Ok(_) => {
                tracing::debug!(plugin = %manifest.id, operation, elapsed_ms, "plugin call finished")
            }
            Err(error) => {
                tracing::warn!(plugin = %manifest.id, operation, elapsed_ms, %error, "plugin call failed")
            }
        }
        result
    }
}

/// Turns a call error into the limit or trap that caused it.
fn classify(error: &wasmtime::Error, state: &CallState) -> FailureKind {
    if let Some(failure) = &state.failure {
        return failure.clone();
    }
    if state.memory.exceeded || error.downcast_ref::<MemoryCapExceeded>().is_some() {
        return FailureKind::MemoryCap {
            limit_mib: state.plugin.manifest.limits.memory_mib,
        };
    }
    match error.downcast_ref::<Trap>() {
        Some(Trap::StackOverflow) => FailureKind::StackOverflow,
        Some(Trap::Interrupt) => FailureKind::CpuBudget {
            limit_ms: state.plugin.manifest.limits.cpu_ms,
        },
        Some(Trap::UnreachableCodeReached) => FailureKind::Trap(
            "unreachable code reached (a panic or an abort in the plugin)".to_owned(),
        ),
        Some(trap) => FailureKind::Trap(trap.to_string()),
        None => FailureKind::Host(format!("{error:#}")),
    }
}

fn plugin_result<T>(
    plugin: &LoadedPlugin,
    result: Result<T, v0_1::types::PluginError>,
) -> Result<T, HostError> {
    result.map_err(|error| HostError::PluginFailed {
        id: plugin.manifest.id.clone(),
        version: plugin.manifest.version.to_string(),
        failure: FailureKind::Plugin {
            code: error.code,
            message: error.message,
        },
    })
}

fn check_result_size(plugin: &LoadedPlugin, bytes: u64) -> Result<(), HostError> {
    let limit = plugin.manifest.limits.result_bytes;
    if bytes > limit {
        return Err(HostError::PluginFailed {
            id: plugin.manifest.id.clone(),
            version: plugin.manifest.version.to_string(),
            failure: FailureKind::OversizedResult { bytes, limit },
        });
    }
    Ok(())
}

/// Approximate size of a record's payload, in bytes.
fn record_size(record: &DataRecord) -> u64 {
    let bytes = match record {
        DataRecord::Medicine(medicine) => {
            medicine.cis.len()
                + medicine.name.len()
                + medicine.form.len()
                + medicine.routes.iter().map(String::len).sum::<usize>()
                + medicine.holders.iter().map(String::len).sum::<usize>()
                + medicine.authorisation_status.len()
        }
        DataRecord::Presentation(presentation) => {
            presentation.cis.len()
                + presentation.cip7.len()
                + presentation.cip13.len()
                + presentation.label.len()
                + 32
        }
        DataRecord::GenericGroup(group) => {
            group.id.len()
                + group.label.len()
                + group
                    .members
                    .iter()
                    .map(|member| member.cis.len() + 8)
                    .sum::<usize>()
        }
        DataRecord::Practitioner(practitioner) => {
            practitioner.id.len()
                + practitioner.family_name.len()
                + practitioner.given_name.len()
                + practitioner.profession.len()
                + practitioner
                    .addresses
                    .iter()
                    .map(|address| address.line.len() + address.postcode.len() + address.city.len())
                    .sum::<usize>()
        }
        DataRecord::RegionalIndicator(indicator) => {
            indicator.code.len()
                + indicator.label.len()
                + indicator.area_code.len()
                + indicator.area_label.len()
                + indicator.period.len()
                + 8
        }
        DataRecord::Json(document) => document.schema.len() + document.body.len(),
    };
    bytes as u64
}

/// Checks a query against the operations declared in the manifest.
fn check_query(manifest: &Manifest, query: &DataQuery) -> Result<(), HostError> {
    let invalid = |detail: String| HostError::InvalidQuery {
        id: manifest.id.clone(),
        version: manifest.version.to_string(),
        detail,
    };
    let Some(operation) = manifest
        .operations
        .iter()
        .find(|operation| operation.name == query.operation)
    else {
        let known: Vec<&str> = manifest
            .operations
            .iter()
            .map(|operation| operation.name.as_str())
            .collect();
        return Err(invalid(format!(
            "unknown operation `{}`; the manifest declares: {}",
            query.operation,
            if known.is_empty() {
                "none".to_owned()
            } else {
                known.join(", ")
            }
        )));
    };

    for argument in &query.arguments {
        let Some(parameter) = operation
            .parameters
            .iter()
            .find(|parameter| parameter.name == argument.name)
        else {
            return Err(invalid(format!(
                "operation `{}` has no parameter `{}`",
                operation.name, argument.name
            )));
        };
        let matches = matches!(
            (parameter.kind, &argument.value),
            (ParameterType::Text, ArgumentValue::Text(_))
                | (ParameterType::Integer, ArgumentValue::Integer(_))
                | (ParameterType::Flag, ArgumentValue::Flag(_))
                | (ParameterType::Date, ArgumentValue::Date(_))
        );
        if !matches {
            return Err(invalid(format!(
                "parameter `{}` of operation `{}` must be of type {}",
                parameter.name,
                operation.name,
                parameter.kind.as_str()
            )));
        }
    }
    for parameter in operation
        .parameters
        .iter()
        .filter(|parameter| parameter.required)
    {
        if !query
            .arguments
            .iter()
            .any(|argument| argument.name == parameter.name)
        {
            return Err(invalid(format!(
                "operation `{}` needs parameter `{}`",
                operation.name, parameter.name
            )));
        }
    }
    Ok(())
}

/// Checks that the component exports the manifest's kind for a supported
/// SDK version, and returns that version.
fn check_exports(
    manifest: &Manifest,
    component: &Component,
    engine: &wasmtime::Engine,
) -> Result<semver::Version, HostError> {
    let incompatible = |detail: String| HostError::Incompatible {
        id: manifest.id.clone(),
        version: manifest.version.to_string(),
        detail,
    };
    let expected_interface = match manifest.kind {
        PluginKind::DataSource => "data-source",
        PluginKind::Intent => "intent-handler",
    };

    let component_type = component.component_type();
    let mut found = Vec::new();
    for (name, _) in component_type.exports(engine) {
        let Some(rest) = name.strip_prefix("mediflux:plugin/") else {
            continue;
        };
        found.push(name.to_owned());
        let Some((interface, version)) = rest.split_once('@') else {
            continue;
        };
        if interface != expected_interface {
            continue;
        }
        let version = semver::Version::parse(version)
            .map_err(|_| incompatible(format!("export `{name}` has an invalid version")))?;
        let supported = mediflux_manifest::SUPPORTED_SDK_VERSIONS
            .iter()
            .any(|host| {
                host.major == version.major && (host.major > 0 || host.minor == version.minor)
            });
        if !supported {
            return Err(incompatible(format!(
                "the component exports `{name}`, built for SDK {version}, but this host supports SDK {}; \
                 rebuild the plugin with a supported mediflux-plugin-sdk",
                supported_versions()
            )));
        }
        if !manifest.sdk.matches(&version) {
            return Err(incompatible(format!(
                "the component was built for SDK {version}, but its manifest declares sdk = \"{}\"; fix the manifest",
                manifest.sdk
            )));
        }
        return Ok(version);
    }
    Err(incompatible(format!(
        "the component does not export `mediflux:plugin/{expected_interface}` as its manifest's kind `{}` requires (exports found: {})",
        manifest.kind.as_str(),
        if found.is_empty() {
            "none".to_owned()
        } else {
            found.join(", ")
        }
    )))
}

fn supported_versions() -> String {
    mediflux_manifest::SUPPORTED_SDK_VERSIONS
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(", ")
}

fn data_source_linker(engine: &wasmtime::Engine) -> Result<Linker<CallState>, HostError> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)
        .map_err(|error| HostError::Engine(format!("{error:#}")))?;
    v0_1::data_source::DataSourcePlugin::add_to_linker::<_, HasSelf<CallState>>(
        &mut linker,
        |state| state,
    )
    .map_err(|error| HostError::Engine(format!("{error:#}")))?;
    Ok(linker)
}

fn intent_linker(engine: &wasmtime::Engine) -> Result<Linker<CallState>, HostError> {
    let mut linker = Linker::new(engine);
    wasmtime_wasi::p2::add_to_linker_async(&mut linker)
        .map_err(|error| HostError::Engine(format!("{error:#}")))?;
    v0_1::intent::IntentPlugin::add_to_linker::<_, HasSelf<CallState>>(&mut linker, |state| state)
        .map_err(|error| HostError::Engine(format!("{error:#}")))?;
    Ok(linker)
}
