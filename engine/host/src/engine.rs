//! The wasmtime engine shared by every plugin, its epoch ticker, and the
//! on-disk cache of compiled components.
//!
//! Compiling a component with Cranelift takes tens to hundreds of
//! milliseconds; loading a saved artifact takes well under one. Artifacts are
//! keyed by the component's SHA-256 and by a hash of the engine settings and
//! wasmtime version, so that a change of either compiles afresh instead of
//! loading an artifact the engine would reject.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use wasmtime::component::Component;
use wasmtime::{Config, Engine, InstanceAllocationStrategy, PoolingAllocationConfig};

use crate::error::HostError;

/// Period of the epoch ticker. CPU budgets are counted in these ticks.
const TICK: Duration = Duration::from_millis(10);

/// Largest linear memory a plugin may have, matching the manifest maximum
/// of `limits.memory_mib`.
const MAX_MEMORY_BYTES: usize = 1024 * 1024 * 1024;

/// The engine with its ticker thread and artifact folder.
pub(crate) struct SandboxEngine {
    engine: Engine,
    artifacts: PathBuf,
    fingerprint: String,
    stop: Arc<AtomicBool>,
}

impl SandboxEngine {
    pub(crate) fn new(cache_dir: &Path) -> Result<Self, HostError> {
        if !cache_dir.is_absolute() {
            return Err(HostError::Engine(format!(
                "cache folder {} is not absolute; pass an absolute path",
                cache_dir.display()
            )));
        }

        let mut pooling = PoolingAllocationConfig::default();
        pooling
            .total_component_instances(64)
            .total_core_instances(512)
            .total_memories(128)
            .total_tables(512)
            .total_stacks(64)
            .max_memory_size(MAX_MEMORY_BYTES)
            .max_memories_per_component(8)
            .max_core_instances_per_component(32);

        let mut config = Config::new();
        config
            .epoch_interruption(true)
            .wasm_component_model(true)
            .allocation_strategy(InstanceAllocationStrategy::Pooling(pooling))
            .max_wasm_stack(1024 * 1024)
            .async_stack_size(2 * 1024 * 1024);
        let engine =
            Engine::new(&config).map_err(|error| HostError::Engine(format!("{error:#}")))?;

        let mut hasher = std::collections::hash_map::DefaultHasher::new();
        engine.precompile_compatibility_hash().hash(&mut hasher);
        let fingerprint = format!("{:016x}", hasher.finish());

        let stop = Arc::new(AtomicBool::new(false));
        spawn_ticker(engine.clone(), stop.clone());

        Ok(Self {
            engine,
            artifacts: cache_dir.join("compiled"),
            fingerprint,
            stop,
        })
    }

    pub(crate) fn wasmtime(&self) -> &Engine {
        &self.engine
    }

    pub(crate) fn tick_ms(&self) -> u64 {
        TICK.as_millis() as u64
    }

    /// Returns the compiled component for `bytes`, from the artifact cache
    /// when possible, and whether it came from there.
    pub(crate) fn component(
        &self,
        sha256: &str,
        bytes: &[u8],
    ) -> Result<(Component, bool), String> {
        let artifact = self
            .artifacts
            .join(format!("{sha256}-{}.cwasm", self.fingerprint));
        if artifact.exists() {
            // SAFETY: the artifact was written by `Component::serialize` of an
            // engine with the same settings (its name carries their hash),
            // into the host's own cache folder, through an atomic rename.
            // wasmtime still checks its header and compatibility.
            #[allow(unsafe_code)]
            let loaded = unsafe { Component::deserialize_file(&self.engine, &artifact) };
            match loaded {
                Ok(component) => return Ok((component, true)),
                Err(error) => {
                    tracing::warn!(artifact = %artifact.display(), error = %error, "compiled artifact rejected; compiling again");
                    let _ = std::fs::remove_file(&artifact);
                }
            }
        }

        let component = Component::new(&self.engine, bytes)
            .map_err(|error| format!("invalid component: {error:#}"))?;
        if let Err(error) = self.save(&component, &artifact) {
            tracing::warn!(artifact = %artifact.display(), %error, "failed to save compiled artifact");
        }
        Ok((component, false))
    }

    fn save(&self, component: &Component, artifact: &Path) -> Result<(), String> {
        let serialized = component
            .serialize()
            .map_err(|error| format!("{error:#}"))?;
        std::fs::create_dir_all(&self.artifacts).map_err(|error| error.to_string())?;
        crate::plugin_cache::write_atomically(artifact, &serialized)
            .map_err(|error| error.to_string())
    }
}

impl Drop for SandboxEngine {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
    }
}

/// Increments the engine's epoch every [`TICK`] until `stop` is set. A plain
/// thread rather than a runtime task, so that a guest spinning on a
/// single-threaded runtime cannot starve it.
fn spawn_ticker(engine: Engine, stop: Arc<AtomicBool>) {
    let spawned = std::thread::Builder::new()
        .name("mediflux-epoch".to_owned())
        .spawn(move || {
            while !stop.load(Ordering::Relaxed) {
                std::thread::sleep(TICK);
                engine.increment_epoch();
            }
        });
    if let Err(error) = spawned {
        tracing::warn!(%error, "failed to start the epoch ticker; CPU budgets will not be enforced");
    }
}
