//! A real HTTP server on 127.0.0.1 (wiremock) and helpers to read what the client sent.

// Every test file compiles this module on its own and uses only part of it.
#![allow(dead_code)]

use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A server that answers every request with `status` and `body` as `content_type`.
pub async fn server_answering_as(status: u16, body: &str, content_type: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(status).set_body_raw(body.to_owned(), content_type))
        .mount(&server)
        .await;
    server
}

/// A server that answers every request with `status` and a JSON `body`.
pub async fn server_answering(status: u16, body: &str) -> MockServer {
    server_answering_as(status, body, "application/json").await
}

/// The one request the server received.
pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.unwrap_or_default();
    assert_eq!(requests.len(), 1, "exactly one request is sent");
    requests.remove(0)
}

/// A request header as text.
pub fn header<'r>(request: &'r Request, name: &str) -> Option<&'r str> {
    request.headers.get(name).and_then(|value| value.to_str().ok())
}

/// The request body as JSON.
pub fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("the request body is JSON")
}
