//! How long sign-in sessions last and the clock they are judged by, shared by the
//! server's state and the sessions themselves; and reading a request's cookies.

use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, Utc};

/// The time sessions are judged by: the system's, moved on by tests.
#[derive(Debug, Clone, Default)]
pub struct Clock(Arc<AtomicI64>);

impl Clock {
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::seconds(self.0.load(Ordering::Relaxed))
    }

    /// Moves this clock (and every copy of it) on by `by`.
    pub fn advance(&self, by: Duration) {
        self.0.fetch_add(by.num_seconds(), Ordering::Relaxed);
    }
}

/// How long sessions last, and whether a second factor is asked for.
#[derive(Debug, Clone)]
pub struct SessionRules {
    /// A session not renewed for this long has ended.
    pub idle: Duration,
    /// No session lasts longer than this.
    pub absolute: Duration,
    pub clock: Clock,
    /// Accounts that read names in full (and everyone on a board that asks) sign in
    /// with a second factor. Off only for the demonstration (`serve --dev`) and tests.
    pub second_factor_required: bool,
}

impl Default for SessionRules {
    fn default() -> Self {
        Self {
            idle: Duration::minutes(30),
            absolute: Duration::hours(12),
            clock: Clock::default(),
            second_factor_required: true,
        }
    }
}

/// The value of the cookie `name` in a request's `Cookie` header, if set.
pub fn cookie(headers: &axum::http::HeaderMap, name: &str) -> Option<String> {
    headers
        .get_all(axum::http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, value)| value.to_owned())
        .filter(|v| !v.is_empty())
}
