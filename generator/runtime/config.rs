//! How a client sends: retries, timeouts and response size limits.

use std::time::Duration;

/// Settings of a client; [`Call`](super::Call) overrides some per request.
#[derive(Debug, Clone)]
pub struct Config {
    /// When and how often failed attempts are repeated.
    pub retry: RetryPolicy,
    /// Longest a whole call may take, retries and waits included; `None` waits forever.
    pub timeout: Option<Duration>,
    /// Longest connecting to the server may take; applies to clients made by this crate.
    pub connect_timeout: Option<Duration>,
    /// Longest wait for the next bytes of a response, streamed bodies included (a download or
    /// event stream that goes silent this long fails with a transport error instead of
    /// waiting forever on a dead connection); applies to clients made by this crate. It also
    /// bounds the wait for a response to begin, so raise it with `timeout` for slow
    /// operations, and above the interval of an event stream's keep-alive comments.
    pub read_timeout: Option<Duration>,
    /// Largest response body read into memory; larger ones fail with
    /// [`Error::ResponseTooLarge`](super::Error::ResponseTooLarge) without being read.
    pub max_response_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            retry: RetryPolicy::default(),
            timeout: Some(Duration::from_secs(60)),
            connect_timeout: Some(Duration::from_secs(10)),
            read_timeout: Some(Duration::from_secs(60)),
            max_response_bytes: 64 * 1024 * 1024,
        }
    }
}

/// Retries on connection errors and on `429`, `503` and `504`, with exponential backoff and
/// full jitter; a `Retry-After` header (seconds or HTTP date) replaces the backoff, up to
/// `max_retry_after`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included; `1` never retries.
    pub max_attempts: u32,
    /// Upper bound of the first wait; each later one doubles it.
    pub initial_backoff: Duration,
    /// Upper bound of any computed wait.
    pub max_backoff: Duration,
    /// Longest `Retry-After` obeyed; a longer one ends the retries.
    pub max_retry_after: Duration,
    /// Also retry methods that are not idempotent (`POST`, `PATCH`), which may then be
    /// applied twice by the server.
    pub retry_non_idempotent: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(10),
            max_retry_after: Duration::from_secs(60),
            retry_non_idempotent: false,
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        Self { max_attempts: 1, ..Self::default() }
    }

    /// Whether `method` may be retried under this policy.
    pub(super) fn allows(&self, method: &reqwest::Method) -> bool {
        use reqwest::Method;
        let idempotent =
            [Method::GET, Method::PUT, Method::DELETE, Method::HEAD, Method::OPTIONS, Method::TRACE]
                .contains(method);
        idempotent || self.retry_non_idempotent
    }

    /// The wait before attempt `attempt + 1` (attempts count from 1): a random duration up to
    /// the doubled backoff.
    pub(super) fn backoff(&self, attempt: u32) -> Duration {
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        ceiling.mul_f64(fastrand::f64())
    }
}

/// Statuses worth another attempt: rate limited, unavailable, gateway timeout.
pub(super) fn retryable_status(status: reqwest::StatusCode) -> bool {
    matches!(status.as_u16(), 429 | 503 | 504)
}

/// The wait a `Retry-After` header asks for, as seconds or an HTTP date.
pub(super) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers.get(reqwest::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let when = httpdate::parse_http_date(value).ok()?;
    Some(when.duration_since(std::time::SystemTime::now()).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_stays_under_its_doubling_ceiling() {
        let policy = RetryPolicy::default();
        for attempt in 1..10 {
            let ceiling = (policy.initial_backoff * 2u32.pow(attempt - 1)).min(policy.max_backoff);
            assert!(policy.backoff(attempt) <= ceiling);
        }
    }

    #[test]
    fn only_idempotent_methods_retry_by_default() {
        let policy = RetryPolicy::default();
        assert!(policy.allows(&reqwest::Method::PUT));
        assert!(!policy.allows(&reqwest::Method::PATCH));
        assert!(RetryPolicy { retry_non_idempotent: true, ..policy }.allows(&reqwest::Method::POST));
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "7".parse().expect("valid header"));
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(7)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().expect("valid header"),
        );
        assert_eq!(retry_after(&headers), Some(Duration::ZERO), "a date in the past means now");
    }
}
