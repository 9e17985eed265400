//! What the client does when the server misbehaves or is not there.

mod common;

use common::{server_answering, server_answering_as};
use generated_client::graph_v1::{Chat, Client};
use generated_client::runtime::Error;

#[tokio::test]
async fn an_undocumented_status_keeps_status_headers_and_raw_body() {
    let server = server_answering_as(302, "moved along", "text/plain").await;
    let error =
        Client::with_base_url(server.uri()).update_chat("c", &Chat::default()).await.expect_err("302");
    let Error::UnexpectedStatus(response) = error else { panic!("unexpected status, got {error:?}") };
    assert_eq!(response.status().as_u16(), 302);
    assert_eq!(response.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("text/plain"));
    assert_eq!(response.body().as_ref(), b"moved along");
}

#[tokio::test]
async fn a_non_json_success_body_is_a_decode_error_with_the_raw_body() {
    let server = server_answering_as(200, "<html>gateway</html>", "text/html").await;
    let error =
        Client::with_base_url(server.uri()).update_chat("c", &Chat::default()).await.expect_err("not JSON");
    assert_eq!(error.status().map(|status| status.as_u16()), Some(200));
    let Error::Decode { response, .. } = error else { panic!("decode error, got {error:?}") };
    assert_eq!(response.body().as_ref(), b"<html>gateway</html>");
}

#[tokio::test]
async fn a_non_json_error_body_is_a_decode_error_too() {
    let server = server_answering_as(500, "upstream exploded", "text/plain").await;
    let error =
        Client::with_base_url(server.uri()).update_chat("c", &Chat::default()).await.expect_err("500");
    let Error::Decode { response, .. } = error else { panic!("decode error, got {error:?}") };
    assert_eq!(response.status().as_u16(), 500);
    assert_eq!(response.body().as_ref(), b"upstream exploded");
}

#[tokio::test]
async fn a_refused_connection_is_a_transport_error() {
    // Bind then drop a listener, so the port is known to be closed.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .unwrap_or(9);
    let error = Client::with_base_url(format!("http://127.0.0.1:{port}"))
        .update_chat("c", &Chat::default())
        .await
        .expect_err("nothing listens");
    assert!(matches!(error, Error::Transport(_)), "{error:?}");
}

#[tokio::test]
async fn a_bad_base_url_is_an_invalid_request_not_a_panic() {
    let error =
        Client::with_base_url("not a url").update_chat("c", &Chat::default()).await.expect_err("bad URL");
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
}

#[tokio::test]
async fn debug_output_hides_credentials() {
    let server = server_answering(200, "{}").await;
    let client = Client::with_base_url(server.uri()).with_azure_ad_o_auth2("secret-token-value");
    let debug = format!("{client:?}");
    assert!(!debug.contains("secret-token-value"), "{debug}");
    assert!(debug.contains("redacted"), "{debug}");
}
