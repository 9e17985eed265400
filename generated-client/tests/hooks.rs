//! Hooks around every attempt, against a real HTTP server on 127.0.0.1: a signing hook sees
//! and changes each request as it goes out (retries included), a metrics hook sees each
//! outcome, and a hook's refusal stops the call before anything is sent.

use generated_client::highlevel;
use generated_client::runtime::{
    AfterAttempt, Attempt, BeforeAttempt, Config, Error, Hook, HookError, HookFuture, RetryPolicy,
};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A server answering 503 once, then a success.
async fn flaky_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"success": true}"#, "application/json"))
        .mount(&server)
        .await;
    server
}

fn body() -> highlevel::UpdateConversationDto {
    highlevel::UpdateConversationDto::new("location")
}

fn quick_retries() -> Config {
    Config {
        retry: RetryPolicy { initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() },
        ..Config::default()
    }
}

/// Signs with a digest of the method, URL and body, the way request-signing APIs do; awaits
/// nothing, but goes through the async trait method to show its shape.
struct Signer;

impl Hook for Signer {
    fn before_attempt<'a>(
        &'a self,
        request: &'a mut reqwest::Request,
    ) -> HookFuture<'a, Result<(), HookError>> {
        Box::pin(async move {
            let body = request.body().and_then(reqwest::Body::as_bytes).unwrap_or_default();
            let signed = format!("{} {} {}", request.method(), request.url().path(), body.len());
            request.headers_mut().insert("x-signature", signed.parse()?);
            Ok(())
        })
    }
}

#[tokio::test]
async fn a_signing_hook_signs_every_attempt_as_sent() {
    let server = flaky_server().await;
    let client =
        highlevel::Client::with_base_url(server.uri()).with_config(quick_retries()).with_hook(Signer);
    client.update_conversation("c 1", &body()).await.expect("the retry succeeds");

    let requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 2, "the first attempt and the retry");
    let expected = format!("PUT /conversations/c%201 {}", requests[0].body.len());
    for request in &requests {
        assert_eq!(request.headers.get("x-signature").and_then(|v| v.to_str().ok()), Some(expected.as_str()));
    }
}

/// What the metrics hook records of an attempt: template, number, status.
type Seen = (String, u32, Option<u16>);

#[tokio::test]
async fn a_metrics_hook_sees_each_attempt_s_outcome_and_clones_share_it() {
    let server = flaky_server().await;
    let seen: Arc<Mutex<Vec<Seen>>> = Arc::default();
    let record = seen.clone();
    let metrics = AfterAttempt(move |attempt: &Attempt<'_>| {
        let status = attempt.outcome.as_ref().ok().map(|(status, _)| status.as_u16());
        record.lock().expect("not poisoned").push((attempt.template.to_owned(), attempt.number, status));
    });
    let client =
        highlevel::Client::with_base_url(server.uri()).with_config(quick_retries()).with_hook(metrics);
    let clone = client.clone();
    clone.update_conversation("c", &body()).await.expect("the retry succeeds");

    let seen = seen.lock().expect("not poisoned").clone();
    let template = "/conversations/{conversationId}".to_owned();
    assert_eq!(seen, [(template.clone(), 1, Some(503)), (template, 2, Some(200))]);
}

#[tokio::test]
async fn a_hook_that_refuses_stops_the_call_before_it_is_sent() {
    let server = flaky_server().await;
    let refuse = BeforeAttempt(|_: &mut reqwest::Request| Err::<(), HookError>("no signing key".into()));
    let error = highlevel::Client::with_base_url(server.uri())
        .with_hook(refuse)
        .update_conversation("c", &body())
        .await
        .expect_err("refused");
    assert!(matches!(&error, Error::Hook(reason) if reason.to_string() == "no signing key"), "{error}");
    assert!(server.received_requests().await.unwrap_or_default().is_empty(), "nothing was sent");
}
