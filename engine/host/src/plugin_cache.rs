//! The per-plugin key-value cache behind the `cache` host service.
//!
//! Each plugin gets its own folder under the host's cache folder, so one
//! plugin never reads another's entries. Entries survive across processes,
//! which lets a data source keep validators such as `ETag` between syncs.
//! The folder's total size is capped by `limits.cache_bytes`.

use std::path::{Path, PathBuf};
use std::time::{SystemTime, UNIX_EPOCH};

use sha2::{Digest, Sha256};

/// Maximum key length, in bytes.
const MAX_KEY_BYTES: usize = 256;

/// A plugin's cache folder.
pub(crate) struct PluginCache {
    dir: PathBuf,
    max_bytes: u64,
}

impl PluginCache {
    pub(crate) fn new(dir: PathBuf, max_bytes: u64) -> Self {
        Self { dir, max_bytes }
    }

    fn entry_path(&self, key: &str) -> PathBuf {
        self.dir.join(hex::encode(Sha256::digest(key.as_bytes())))
    }

    /// Returns the live value under `key`.
    pub(crate) fn get(&self, key: &str) -> Option<Vec<u8>> {
        let bytes = std::fs::read(self.entry_path(key)).ok()?;
        let (expiry, value) = bytes.split_first_chunk::<8>()?;
        (u64::from_le_bytes(*expiry) > now_seconds()).then(|| value.to_vec())
    }

    /// Stores `value` under `key` for `ttl_seconds`, evicting expired
    /// entries first and then the oldest ones when the folder is full.
    pub(crate) fn set(&self, key: &str, value: &[u8], ttl_seconds: u32) -> Result<(), String> {
        if key.len() > MAX_KEY_BYTES {
            return Err(format!(
                "cache key is {} bytes; the maximum is {MAX_KEY_BYTES}",
                key.len()
            ));
        }
        let entry_bytes = value.len() as u64 + 8;
        if entry_bytes > self.max_bytes {
            return Err(format!(
                "cache value is {} bytes; the plugin's cache holds at most {} bytes (limits.cache_bytes)",
                value.len(),
                self.max_bytes
            ));
        }

        std::fs::create_dir_all(&self.dir)
            .map_err(|error| format!("failed to create the cache folder: {error}"))?;
        self.make_room(entry_bytes, &self.entry_path(key))?;

        let expiry = now_seconds().saturating_add(u64::from(ttl_seconds));
        let mut content = Vec::with_capacity(value.len() + 8);
        content.extend_from_slice(&expiry.to_le_bytes());
        content.extend_from_slice(value);
        write_atomically(&self.entry_path(key), &content)
            .map_err(|error| format!("failed to write the cache entry: {error}"))
    }

    fn make_room(&self, needed: u64, replaced: &Path) -> Result<(), String> {
        let mut entries: Vec<(PathBuf, u64, SystemTime, bool)> = Vec::new();
        let read_dir = std::fs::read_dir(&self.dir)
            .map_err(|error| format!("failed to list the cache folder: {error}"))?;
        for entry in read_dir.flatten() {
            let path = entry.path();
            if path == replaced {
                continue;
            }
            let Ok(metadata) = entry.metadata() else {
                continue;
            };
            let expired = std::fs::read(&path)
                .ok()
                .and_then(|bytes| {
                    bytes
                        .first_chunk::<8>()
                        .map(|expiry| u64::from_le_bytes(*expiry))
                })
                .is_none_or(|expiry| expiry <= now_seconds());
            entries.push((
                path,
                metadata.len(),
                metadata.modified().unwrap_or(UNIX_EPOCH),
                expired,
            ));
        }

        // Expired entries first, then the least recently written.
        entries.sort_by_key(|(_, _, modified, expired)| (!*expired, *modified));
        let mut total: u64 = entries.iter().map(|(_, size, _, _)| size).sum();
        for (path, size, _, expired) in entries {
            if total + needed <= self.max_bytes && !expired {
                break;
            }
            if std::fs::remove_file(&path).is_ok() {
                total -= size;
            }
        }
        Ok(())
    }
}

fn now_seconds() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|elapsed| elapsed.as_secs())
        .unwrap_or(0)
}

/// Writes `bytes` to `path` through a temporary file and a rename, so that a
/// reader never sees a half-written file.
pub(crate) fn write_atomically(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    static COUNTER: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);
    let unique = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let temporary = path.with_extension(format!("tmp-{}-{unique}", std::process::id()));
    std::fs::write(&temporary, bytes)?;
    std::fs::rename(&temporary, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cache_round_trip_and_expiry() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let cache = PluginCache::new(dir.path().join("p"), 1024);
        cache.set("etag", b"W/\"1\"", 60).expect("set");
        assert_eq!(cache.get("etag").as_deref(), Some(&b"W/\"1\""[..]));
        cache.set("gone", b"x", 0).expect("set");
        assert_eq!(cache.get("gone"), None);
    }

    #[test]
    fn cache_rejects_oversized_value() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let cache = PluginCache::new(dir.path().join("p"), 100);
        let error = cache
            .set("big", &[0; 200], 60)
            .expect_err("value over the cap");
        assert!(error.contains("limits.cache_bytes"), "{error}");
    }

    #[test]
    fn cache_evicts_oldest_when_full() {
        let dir = tempfile::tempdir().expect("temporary folder");
        let cache = PluginCache::new(dir.path().join("p"), 100);
        cache.set("a", &[1; 40], 60).expect("set a");
        std::thread::sleep(std::time::Duration::from_millis(20));
        cache.set("b", &[2; 40], 60).expect("set b");
        cache.set("c", &[3; 40], 60).expect("set c");
        assert_eq!(cache.get("a"), None, "oldest entry evicted");
        assert!(cache.get("b").is_some());
        assert!(cache.get("c").is_some());
    }
}
