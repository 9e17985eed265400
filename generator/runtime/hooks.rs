//! Code the caller runs around every HTTP attempt: before it is sent (add a header, sign the
//! request as it will go out) and after its response arrives (count, time, log). Hooks are
//! shared by clones of a client and run in the order they were added, on every attempt,
//! retries included.

use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

/// The future a hook returns.
pub type HookFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a hook stopped a call; the call fails with [`Error::Hook`](super::Error::Hook).
pub type HookError = Box<dyn std::error::Error + Send + Sync>;

/// One finished attempt, as hooks see it.
#[derive(Debug)]
pub struct Attempt<'a> {
    /// The request's method.
    pub method: &'a reqwest::Method,
    /// The URL it was sent to.
    pub url: &'a reqwest::Url,
    /// The operation's path template as the spec writes it (`/chats/{chat-id}`): a label
    /// without values, for metrics.
    pub template: &'static str,
    /// 1 for the first attempt, 2 for the first retry, and so on.
    pub number: u32,
    /// From sending the request to receiving the response's headers (or the failure).
    pub elapsed: Duration,
    /// The response's status and headers, or why there is none.
    pub outcome: Result<(StatusCode, &'a HeaderMap), &'a reqwest::Error>,
}

/// Code run around every HTTP attempt. Both methods do nothing unless implemented.
///
/// ```ignore
/// struct Sign { key: Vec<u8> }
///
/// impl Hook for Sign {
///     fn before_attempt<'a>(&'a self, request: &'a mut reqwest::Request) -> HookFuture<'a, Result<(), HookError>> {
///         Box::pin(async move {
///             let signature = sign(&self.key, request.url().as_str());
///             request.headers_mut().insert("x-signature", signature.parse()?);
///             Ok(())
///         })
///     }
/// }
///
/// let client = Client::with_base_url(url).with_hook(Sign { key });
/// ```
pub trait Hook: Send + Sync {
    /// Runs before each attempt with the request as it will be sent; an error stops the call.
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a, Result<(), HookError>> {
        let _ = request;
        Box::pin(async { Ok(()) })
    }

    /// Runs after each attempt with its outcome.
    fn after_attempt<'a>(&'a self, attempt: &'a Attempt<'a>) -> HookFuture<'a, ()> {
        let _ = attempt;
        Box::pin(async {})
    }
}

/// A [`Hook`] from a function run before each attempt (one that needs not wait).
pub struct BeforeAttempt<F>(pub F);

impl<F> Hook for BeforeAttempt<F>
where
    F: Fn(&mut reqwest::Request) -> Result<(), HookError> + Send + Sync,
{
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a, Result<(), HookError>> {
        let result = (self.0)(request);
        Box::pin(async move { result })
    }
}

/// A [`Hook`] from a function run after each attempt (one that needs not wait).
pub struct AfterAttempt<F>(pub F);

impl<F> Hook for AfterAttempt<F>
where
    F: Fn(&Attempt<'_>) + Send + Sync,
{
    fn after_attempt<'a>(&'a self, attempt: &'a Attempt<'a>) -> HookFuture<'a, ()> {
        (self.0)(attempt);
        Box::pin(async {})
    }
}

/// The hooks of a client, shared by its clones.
#[derive(Clone, Default)]
pub(super) struct Hooks(Vec<Arc<dyn Hook>>);

impl Hooks {
    pub(super) fn push(&mut self, hook: Arc<dyn Hook>) {
        self.0.push(hook);
    }

    pub(super) fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub(super) async fn before_attempt(&self, request: &mut reqwest::Request) -> Result<(), HookError> {
        for hook in &self.0 {
            hook.before_attempt(request).await?;
        }
        Ok(())
    }

    pub(super) async fn after_attempt(&self, attempt: &Attempt<'_>) {
        for hook in &self.0 {
            hook.after_attempt(attempt).await;
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} hook(s)", self.0.len())
    }
}
