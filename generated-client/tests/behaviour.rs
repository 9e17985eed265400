//! Client behaviour beyond one exchange: null versus absent, retries, timeouts, limits, and
//! refusing values that would change the request.

mod common;

use common::{body_json, only_request, server_answering};
use generated_client::runtime::{Config, Error, RetryPolicy};
use generated_client::{graph_v1, highlevel, sinch_conversation};
use serde_json::json;
use std::time::Duration;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// Retries without waiting long, so the tests stay fast.
fn quick_retries() -> Config {
    Config {
        retry: RetryPolicy { initial_backoff: Duration::from_millis(1), ..RetryPolicy::default() },
        ..Config::default()
    }
}

#[tokio::test]
async fn nullable_fields_can_be_left_out_sent_as_null_or_set() {
    let server = server_answering(200, "{}").await;
    let client = graph_v1::Client::with_base_url(server.uri());
    let clear_topic = graph_v1::Chat { topic: Some(None), ..Default::default() };
    client.update_chat("c", &clear_topic).await.expect("success");
    assert_eq!(body_json(&only_request(&server).await), json!({"topic": null}));

    let server = server_answering(200, r#"{"topic": null, "webUrl": "u"}"#).await;
    let response = graph_v1::Client::with_base_url(server.uri())
        .update_chat("c", &graph_v1::Chat::default())
        .await
        .expect("success");
    let graph_v1::UpdateChatResponse::Success(chat) = response.into_inner() else { panic!("a chat body") };
    assert_eq!(body_json(&only_request(&server).await), json!({}), "nothing set, nothing sent");
    assert_eq!(chat.topic, Some(None), "null is told apart from absent");
    assert_eq!(chat.tenant_id, None);
    assert_eq!(chat.web_url, Some(Some("u".to_owned())));
}

async fn server_failing_first(status: u16, retry_after: Option<&str>) -> MockServer {
    let server = MockServer::start().await;
    let mut failure = ResponseTemplate::new(status);
    if let Some(value) = retry_after {
        failure = failure.insert_header("Retry-After", value);
    }
    Mock::given(any()).respond_with(failure).up_to_n_times(1).with_priority(1).mount(&server).await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"success": true}"#, "application/json"))
        .mount(&server)
        .await;
    server
}

fn highlevel_body() -> highlevel::UpdateConversationDto {
    highlevel::UpdateConversationDto {
        location_id: "l".into(),
        unread_count: None,
        starred: None,
        feedback: None,
    }
}

#[tokio::test]
async fn idempotent_methods_are_retried_on_503_429_and_504() {
    for status in [503, 429, 504] {
        let server = server_failing_first(status, None).await;
        let client = highlevel::Client::with_base_url(server.uri()).with_config(quick_retries());
        let updated =
            client.update_conversation("c", &highlevel_body()).await.expect("second attempt succeeds");
        assert!(updated.success);
        assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2), "PUT retried after {status}");
    }
}

#[tokio::test]
async fn retry_after_seconds_are_obeyed() {
    let server = server_failing_first(503, Some("1")).await;
    let client = highlevel::Client::with_base_url(server.uri()).with_config(quick_retries());
    let started = std::time::Instant::now();
    client.update_conversation("c", &highlevel_body()).await.expect("second attempt succeeds");
    assert!(started.elapsed() >= Duration::from_secs(1), "waited as asked");
}

#[tokio::test]
async fn patch_is_not_retried_unless_asked() {
    let body = sinch_conversation::Conversation::default();

    let server = server_failing_first(503, None).await;
    let client = sinch_conversation::Client::with_base_url(server.uri()).with_config(quick_retries());
    let error = client.update_conversation("p", "c", None, &body).await.expect_err("503 is not retried");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(503), "{error:?}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));

    let server = server_failing_first(503, None).await;
    let client = sinch_conversation::Client::with_base_url(server.uri());
    let opt_in = RetryPolicy {
        retry_non_idempotent: true,
        initial_backoff: Duration::from_millis(1),
        ..RetryPolicy::default()
    };
    client.update_conversation("p", "c", None, &body).retry(opt_in).await.expect("retried once opted in");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn attempts_stop_at_the_configured_maximum() {
    let server = server_answering(503, "{}").await;
    let client = highlevel::Client::with_base_url(server.uri()).with_config(quick_retries());
    let error =
        client.update_conversation("c", &highlevel_body()).max_attempts(2).await.expect_err("always 503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(2));
}

#[tokio::test]
async fn a_slow_server_hits_the_per_request_timeout() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_raw("{}", "application/json")
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let started = std::time::Instant::now();
    let error = graph_v1::Client::with_base_url(server.uri())
        .update_chat("c", &graph_v1::Chat::default())
        .timeout(Duration::from_millis(200))
        .await
        .expect_err("too slow");
    assert!(matches!(error, Error::Timeout(limit) if limit == Duration::from_millis(200)), "{error:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn bodies_over_the_limit_are_refused() {
    let server = server_answering(200, &format!(r#"{{"topic": "{}"}}"#, "x".repeat(10_000))).await;
    let config = Config { max_response_bytes: 1_000, ..Config::default() };
    let error = graph_v1::Client::with_base_url(server.uri())
        .with_config(config)
        .update_chat("c", &graph_v1::Chat::default())
        .await
        .expect_err("too large");
    assert!(matches!(error, Error::ResponseTooLarge { limit: 1_000, .. }), "{error:?}");
}

#[tokio::test]
async fn path_parameters_cannot_change_the_path() {
    let server = server_answering(200, "{}").await;
    let client = graph_v1::Client::with_base_url(server.uri());
    client.update_chat("a/b?c#d", &graph_v1::Chat::default()).await.expect("encoded, not interpreted");
    assert_eq!(only_request(&server).await.url.path(), "/chats/a%2Fb%3Fc%23d");
    for dots in ["..", "."] {
        let error = client.update_chat(dots, &graph_v1::Chat::default()).await.expect_err("dot segment");
        assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    }
}

#[tokio::test]
async fn header_values_with_line_breaks_are_refused_before_sending() {
    let server = server_answering(200, "{}").await;
    let client = graph_v1::Client::with_base_url(server.uri()).with_azure_ad_o_auth2("token\r\nX-Evil: 1");
    let error = client.update_chat("c", &graph_v1::Chat::default()).await.expect_err("CR/LF");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(0));
}

#[tokio::test]
async fn the_user_agent_names_the_crate_and_version() {
    let server = server_answering(200, "{}").await;
    graph_v1::Client::with_base_url(server.uri())
        .update_chat("c", &graph_v1::Chat::default())
        .await
        .expect("ok");
    let request = only_request(&server).await;
    let agent = request.headers.get("user-agent").and_then(|v| v.to_str().ok()).unwrap_or_default();
    assert_eq!(agent, concat!("generated-client/", env!("CARGO_PKG_VERSION")));
}

#[tokio::test]
async fn a_request_can_set_its_own_connect_timeout() {
    let server = server_answering(200, "{}").await;
    graph_v1::Client::with_base_url(server.uri())
        .update_chat("c", &graph_v1::Chat::default())
        .connect_timeout(Duration::from_secs(2))
        .await
        .expect("sent through a client with that connect timeout");
    assert_eq!(server.received_requests().await.map(|r| r.len()), Some(1));
}

#[test]
fn additional_properties_round_trip_and_unknown_fields_are_tolerated() {
    let text = r#"{"id": "c1", "@odata.context": "ctx", "@odata.etag": "W/\"1\""}"#;
    let chat: graph_v1::Chat = serde_json::from_str(text).expect("annotations decode");
    assert_eq!(
        serde_json::to_value(&chat).expect("encodes"),
        serde_json::from_str::<serde_json::Value>(text).expect("json")
    );
    // HighLevel's schemas do not allow additional properties: unknown members are ignored.
    let dto: highlevel::UpdateConversationDto =
        serde_json::from_str(r#"{"locationId": "l", "brandNew": 1}"#).expect("unknown member tolerated");
    assert_eq!(dto.location_id, "l");
}

#[test]
fn a_member_that_fails_is_named_required_ones_first() {
    let decode =
        |text| serde_json::from_str::<highlevel::ConversationDto>(text).expect_err("invalid").to_string();
    // Required members are read before the others, so a missing one is reported first.
    assert_eq!(decode(r#"{"id": 5, "contactId": "k", "deleted": false}"#), "missing field `locationId`");
    let required_bad = decode(r#"{"id": "c", "locationId": 1, "contactId": "k", "deleted": false}"#);
    assert!(required_bad.starts_with("locationId: invalid type"), "{required_bad}");
    // Then the first optional member that failed, in field order (`id` before `unreadCount`).
    let optional_bad =
        decode(r#"{"id": 5, "locationId": "l", "contactId": "k", "deleted": false, "unreadCount": "x"}"#);
    assert!(optional_bad.starts_with("id: invalid type"), "{optional_bad}");
}

#[test]
fn unknown_enum_values_round_trip_unchanged() {
    let kind: graph_v1::ChatType = serde_json::from_str(r#""futureKind""#).expect("decodes");
    assert_eq!(kind, graph_v1::ChatType::Other("futureKind".into()));
    assert_eq!(serde_json::to_string(&kind).expect("encodes"), r#""futureKind""#);
    assert_eq!(serde_json::to_string(&graph_v1::ChatType::OneOnOne).expect("encodes"), r#""oneOnOne""#);
}
