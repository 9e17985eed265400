//! The client the build script generated works like a checked-in one: a call over real HTTP
//! on 127.0.0.1, with its constant `Version` header and decoded body.

use build_script_example::{Client, UpdateConversationDto};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

#[tokio::test]
async fn the_included_client_calls_the_api() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/conversations/c1"))
        .and(header("Version", "2021-04-15"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(r#"{"success": true}"#, "application/json"))
        .mount(&server)
        .await;
    let client = Client::with_base_url(server.uri()).with_bearer("token");
    let updated =
        client.update_conversation("c1", &UpdateConversationDto::new("location")).await.expect("updated");
    assert!(updated.success);
}
