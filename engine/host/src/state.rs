//! Per-call store state: WASI context, resource accounting and the plugin's
//! grants.
//!
//! A fresh [`CallState`] is built for every call, so nothing a plugin does
//! survives into the next call except through host services (its cache, the
//! reference store).

use std::sync::Arc;

use wasmtime::ResourceLimiter;
use wasmtime::component::ResourceTable;
use wasmtime_wasi::{WasiCtx, WasiCtxView, WasiView};

use crate::error::FailureKind;
use crate::host::{LoadedPlugin, Shared};
use crate::sink::RecordSink;

/// Maximum log lines a plugin may write in one call; later lines are
/// counted and dropped.
pub(crate) const MAX_LOG_LINES: u32 = 200;

/// Maximum length of one log line, in bytes; longer lines are cut.
pub(crate) const MAX_LOG_LINE_BYTES: usize = 2048;

/// Maximum nesting of data-source queries made through the host, which
/// stops cycles between plugins.
pub(crate) const MAX_QUERY_DEPTH: u32 = 4;

/// The store data of one plugin call.
pub(crate) struct CallState {
    pub(crate) wasi: WasiCtx,
    pub(crate) table: ResourceTable,
    pub(crate) memory: MemoryAccount,
    pub(crate) plugin: Arc<LoadedPlugin>,
    pub(crate) shared: Arc<Shared>,
    pub(crate) cpu_ticks: u64,
    pub(crate) cpu_tick_budget: u64,
    pub(crate) http_requests: u32,
    pub(crate) log_lines: u32,
    pub(crate) depth: u32,
    pub(crate) sink: Option<Arc<dyn RecordSink>>,
    /// Set when a limit stopped the plugin, so that the resulting error is
    /// reported as that limit rather than as a bare trap.
    pub(crate) failure: Option<FailureKind>,
}

impl CallState {
    pub(crate) fn new(
        plugin: Arc<LoadedPlugin>,
        shared: Arc<Shared>,
        depth: u32,
        sink: Option<Arc<dyn RecordSink>>,
    ) -> Self {
        let limits = &plugin.manifest.limits;
        let cpu_tick_budget = u64::from(limits.cpu_ms).div_ceil(shared.tick_ms()).max(1);
        let memory = MemoryAccount::new(
            u64::from(limits.memory_mib) * 1024 * 1024,
            limits.memory_mib,
        );

        // No environment, no arguments, no preopened folder, no inherited
        // standard stream and no socket: WASI is linked only because Rust's
        // standard library imports it.
        let wasi = WasiCtx::builder().build();

        Self {
            wasi,
            table: ResourceTable::new(),
            memory,
            plugin,
            shared,
            cpu_ticks: 0,
            cpu_tick_budget,
            http_requests: 0,
            log_lines: 0,
            depth,
            sink,
            failure: None,
        }
    }
}

impl WasiView for CallState {
    fn ctx(&mut self) -> WasiCtxView<'_> {
        WasiCtxView {
            ctx: &mut self.wasi,
            table: &mut self.table,
        }
    }
}

/// Memory accounting summed over every linear memory and table of the
/// instance, because a component may hold several memories and a cap per
/// memory would let it multiply its share.
pub(crate) struct MemoryAccount {
    used_bytes: u64,
    limit_bytes: u64,
    limit_mib: u32,
    pub(crate) exceeded: bool,
}

impl MemoryAccount {
    fn new(limit_bytes: u64, limit_mib: u32) -> Self {
        Self {
            used_bytes: 0,
            limit_bytes,
            limit_mib,
            exceeded: false,
        }
    }
}

/// Error raised inside the guest when it passes its memory cap.
#[derive(Debug)]
pub(crate) struct MemoryCapExceeded;

impl std::fmt::Display for MemoryCapExceeded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("memory cap exceeded")
    }
}

impl std::error::Error for MemoryCapExceeded {}

impl ResourceLimiter for MemoryAccount {
    fn memory_growing(
        &mut self,
        current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        let growth = desired.saturating_sub(current) as u64;
        if self.used_bytes + growth > self.limit_bytes {
            self.exceeded = true;
            tracing::debug!(
                limit_mib = self.limit_mib,
                requested = desired,
                "plugin memory growth refused"
            );
            return Err(wasmtime::Error::new(MemoryCapExceeded));
        }
        self.used_bytes += growth;
        Ok(true)
    }

    fn table_growing(
        &mut self,
        _current: usize,
        desired: usize,
        _maximum: Option<usize>,
    ) -> wasmtime::Result<bool> {
        // Tables hold function references; a million entries is far beyond
        // any plugin's needs.
        Ok(desired <= 1_000_000)
    }
}
