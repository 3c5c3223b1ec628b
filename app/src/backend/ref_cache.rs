//! Reference data every page reads and administrators seldom change (the institution and its
//! departments, the filing form's categories and services, the workflow's states), kept in the
//! process for a few seconds (`PETITIO_REFERENCE_CACHE_SECS`, default 5; 0 turns it off). A page
//! then asks the database only for what is its own: the session and the cases. A change made
//! by an administrator shows on every instance within that time.
//!
//! One cache per application (it lives in [`super::AppState`]), so two applications in one
//! process (the tests) never see each other's data.

use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use crate::i18n::Lang;
use crate::model::AppError;

type Entry = (Instant, Arc<dyn Any + Send + Sync>);

#[derive(Clone, Default)]
pub struct RefCache {
    ttl: Duration,
    entries: Arc<Mutex<HashMap<(&'static str, Lang), Entry>>>,
}

impl std::fmt::Debug for RefCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RefCache").field("ttl", &self.ttl).finish()
    }
}

impl RefCache {
    pub fn new(ttl: Duration) -> Self {
        RefCache {
            ttl,
            entries: Arc::default(),
        }
    }

    /// The value `what` in `lang`: the kept one while younger than the time to live, else
    /// loaded by `load` (and kept). A failed load is not kept. Two requests that miss at once
    /// both load; the later one is kept.
    pub async fn get<T, F, Fut>(
        &self,
        what: &'static str,
        lang: Lang,
        load: F,
    ) -> Result<T, AppError>
    where
        T: Clone + Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T, AppError>>,
    {
        if self.ttl.is_zero() {
            return load().await;
        }
        let key = (what, lang);
        let kept = self
            .entries
            .lock()
            .ok()
            .and_then(|e| e.get(&key).cloned())
            .filter(|(at, _)| at.elapsed() < self.ttl)
            .and_then(|(_, v)| v.downcast_ref::<T>().cloned());
        if let Some(v) = kept {
            return Ok(v);
        }
        let v = load().await?;
        if let Ok(mut e) = self.entries.lock() {
            e.insert(key, (Instant::now(), Arc::new(v.clone())));
        }
        Ok(v)
    }

    /// Forgets everything (after a change made here, so that this instance shows it at once).
    pub fn clear(&self) {
        if let Ok(mut e) = self.entries.lock() {
            e.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicU32, Ordering};

    async fn count(cache: &RefCache, loads: &AtomicU32, lang: Lang) -> u32 {
        cache
            .get("thing", lang, || async {
                Ok(loads.fetch_add(1, Ordering::SeqCst) + 1)
            })
            .await
            .unwrap()
    }

    #[tokio::test]
    async fn keeps_a_value_per_language_until_it_is_too_old() {
        let cache = RefCache::new(Duration::from_millis(200));
        let loads = AtomicU32::new(0);
        assert_eq!(count(&cache, &loads, Lang::Ro).await, 1);
        assert_eq!(count(&cache, &loads, Lang::Ro).await, 1, "kept");
        assert_eq!(
            count(&cache, &loads, Lang::En).await,
            2,
            "its own per language"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
        assert_eq!(
            count(&cache, &loads, Lang::Ro).await,
            3,
            "reloaded when old"
        );
        cache.clear();
        assert_eq!(
            count(&cache, &loads, Lang::Ro).await,
            4,
            "reloaded when cleared"
        );
    }

    #[tokio::test]
    async fn a_zero_time_to_live_always_loads_and_errors_are_not_kept() {
        let off = RefCache::new(Duration::ZERO);
        let loads = AtomicU32::new(0);
        assert_eq!(count(&off, &loads, Lang::Ro).await, 1);
        assert_eq!(count(&off, &loads, Lang::Ro).await, 2);
        let cache = RefCache::new(Duration::from_secs(60));
        let failed: Result<u32, AppError> = cache
            .get("thing", Lang::Ro, || async { Err(AppError::Unavailable) })
            .await;
        assert!(failed.is_err());
        assert_eq!(count(&cache, &AtomicU32::new(41), Lang::Ro).await, 42);
    }
}
