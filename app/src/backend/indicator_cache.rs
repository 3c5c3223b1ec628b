//! The managers' indicators, kept per asker's scope and query for a short time
//! (`PETITIO_INDICATORS_CACHE_SECS`, default 60; 0 turns it off).
//!
//! A dashboard at a national scale aggregates every case of its period (at 1,000,000 cases, a
//! 12-week period holds about 80,000): about a tenth of a second of the database's time per
//! view. Sixteen managers opening it at once would queue for seconds. Kept for a minute, each
//! view is computed once per minute per scope, whatever the number of readers; the page says
//! when its figures were computed.
//!
//! - One computation per key at a time: readers that miss together wait for the first one's
//!   result instead of each running the queries again.
//! - The key is the asker's grants, the query's fields and the language: two managers of the
//!   same department share a view, a manager of another department never sees it.
//! - At most [`MAX_ENTRIES`] views are kept; past that, the expired ones are dropped, then all.
//! - A failed computation is not kept.
//! - One cache per application, in [`super::AppState`].

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::model::AppError;
use crate::model::metrics::Indicators;

/// How many views one process keeps at most.
pub const MAX_ENTRIES: usize = 512;

type Slot = Arc<tokio::sync::Mutex<Option<(Instant, Indicators)>>>;

#[derive(Clone, Default)]
pub struct IndicatorCache {
    ttl: Duration,
    slots: Arc<Mutex<HashMap<String, Slot>>>,
}

impl std::fmt::Debug for IndicatorCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("IndicatorCache")
            .field("ttl", &self.ttl)
            .finish()
    }
}

impl IndicatorCache {
    pub fn new(ttl: Duration) -> Self {
        IndicatorCache {
            ttl,
            slots: Arc::default(),
        }
    }

    /// The indicators kept under `key` while younger than the time to live, else computed by
    /// `load` (once, however many ask at the same moment) and kept.
    pub async fn get<F, Fut>(&self, key: String, load: F) -> Result<Indicators, AppError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Indicators, AppError>>,
    {
        if self.ttl.is_zero() {
            return load().await;
        }
        let slot = {
            let Ok(mut slots) = self.slots.lock() else {
                return load().await;
            };
            if !slots.contains_key(&key) && slots.len() >= MAX_ENTRIES {
                let ttl = self.ttl;
                slots.retain(|_, s| {
                    s.try_lock()
                        .map(|v| v.as_ref().is_some_and(|(at, _)| at.elapsed() < ttl))
                        .unwrap_or(true)
                });
                if slots.len() >= MAX_ENTRIES {
                    slots.clear();
                }
            }
            slots.entry(key).or_default().clone()
        };
        let mut kept = slot.lock().await;
        if let Some((at, v)) = kept.as_ref()
            && at.elapsed() < self.ttl
        {
            return Ok(v.clone());
        }
        let v = load().await?;
        *kept = Some((Instant::now(), v.clone()));
        Ok(v)
    }

    /// How many views are kept (expired ones included until they are dropped).
    #[cfg(test)]
    fn len(&self) -> usize {
        self.slots.lock().map(|s| s.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU64, Ordering};

    fn computed(n: u64) -> Indicators {
        Indicators {
            received: n,
            ..Default::default()
        }
    }

    async fn get(cache: &IndicatorCache, key: &str, loads: &AtomicU64) -> u64 {
        cache
            .get(key.to_string(), || async {
                tokio::time::sleep(Duration::from_millis(20)).await;
                Ok(computed(loads.fetch_add(1, Ordering::SeqCst) + 1))
            })
            .await
            .unwrap()
            .received
    }

    #[tokio::test]
    async fn keeps_a_view_per_key_until_it_is_too_old() {
        let cache = IndicatorCache::new(Duration::from_millis(300));
        let loads = AtomicU64::new(0);
        assert_eq!(get(&cache, "a", &loads).await, 1);
        assert_eq!(get(&cache, "a", &loads).await, 1, "kept");
        assert_eq!(get(&cache, "b", &loads).await, 2, "its own per key");
        tokio::time::sleep(Duration::from_millis(350)).await;
        assert_eq!(get(&cache, "a", &loads).await, 3, "computed again when old");
    }

    #[tokio::test]
    async fn readers_that_miss_together_share_one_computation() {
        let cache = IndicatorCache::new(Duration::from_secs(60));
        let loads = std::sync::Arc::new(AtomicU64::new(0));
        let mut readers = tokio::task::JoinSet::new();
        for _ in 0..16 {
            let (cache, loads) = (cache.clone(), loads.clone());
            readers.spawn(async move { get(&cache, "a", &loads).await });
        }
        let answers = readers.join_all().await;
        assert_eq!(answers, vec![1; 16]);
        assert_eq!(loads.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn off_failures_and_the_size_bound() {
        let off = IndicatorCache::new(Duration::ZERO);
        let loads = AtomicU64::new(0);
        assert_eq!(get(&off, "a", &loads).await, 1);
        assert_eq!(get(&off, "a", &loads).await, 2, "0 computes every time");

        let cache = IndicatorCache::new(Duration::from_secs(60));
        let failed = cache
            .get("a".into(), || async { Err(AppError::Unavailable) })
            .await;
        assert!(failed.is_err());
        assert_eq!(get(&cache, "a", &AtomicU64::new(41)).await, 42, "not kept");

        for i in 0..MAX_ENTRIES + 10 {
            cache
                .get(format!("k{i}"), || async { Ok(computed(1)) })
                .await
                .unwrap();
            assert!(cache.len() <= MAX_ENTRIES);
        }
    }
}
