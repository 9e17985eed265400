//! HighLevel conversations against a real HTTP server on 127.0.0.1.

mod common;

use common::{body_json, header, only_request, server_answering};
use generated_client::highlevel::{
    Client, ConversationDtoLastMessageType, ErrorMessage, UpdateConversationDto, UpdateConversationError,
};
use generated_client::runtime::Error;
use serde_json::json;

/// The 200 example of the "Update Conversation" page, verbatim.
const UPDATED: &str = r#"{
  "success": true,
  "conversation": {
    "id": "tDtDnQdgm2LXpyiqYvZ6",
    "locationId": "tDtDnQdgm2LXpyiqYvZ6",
    "contactId": "tDtDnQdgm2LXpyiqYvZ6",
    "assignedTo": "tDtDnQdgm2LXpyiqYvZ6",
    "userId": "tDtDnQdgm2LXpyiqYvZ6",
    "lastMessageBody": "Hello, this is the message body",
    "lastMessageDate": "1628008053263",
    "lastMessageType": "TYPE_CALL",
    "unreadCount": 1,
    "inbox": true,
    "starred": true,
    "deleted": false
  }
}"#;

fn body() -> UpdateConversationDto {
    UpdateConversationDto {
        unread_count: Some(1.0),
        starred: Some(true),
        feedback: Some(serde_json::Map::new()),
        ..UpdateConversationDto::new("tDtDnQdgm2LXpyiqYvZ6")
    }
}

#[test]
fn the_constructor_takes_the_required_field_and_leaves_the_rest_out() {
    let body = UpdateConversationDto::new("loc-1");
    assert_eq!(serde_json::to_value(&body).expect("serializes"), json!({"locationId": "loc-1"}));
}

#[tokio::test]
async fn update_conversation_sends_version_header_bearer_and_the_page_body() {
    let server = server_answering(200, UPDATED).await;
    let client = Client::with_base_url(server.uri()).with_bearer("pit-token");

    let updated = client.update_conversation("tDtDnQdgm2LXpyiqYvZ6", &body()).await.expect("updated");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PUT");
    assert_eq!(request.url.path(), "/conversations/tDtDnQdgm2LXpyiqYvZ6");
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "version"), Some("2021-04-15"), "sent without the caller passing it");
    assert_eq!(header(&request, "authorization"), Some("Bearer pit-token"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    // The page's curl example body.
    assert_eq!(
        body_json(&request),
        json!({"locationId": "tDtDnQdgm2LXpyiqYvZ6", "unreadCount": 1.0, "starred": true, "feedback": {}})
    );

    assert!(updated.success);
    let conversation = updated.conversation.as_ref().expect("the page example has a conversation");
    assert_eq!(conversation.last_message_type, Some(ConversationDtoLastMessageType::TypeCall));
    assert_eq!(conversation.last_message_date.as_deref(), Some("1628008053263"));
    assert_eq!(conversation.unread_count, Some(1.0));
    assert!(!conversation.deleted);
}

#[tokio::test]
async fn bad_request_and_unauthorized_have_different_types() {
    let server = server_answering(400, r#"{"statusCode": 400, "message": "Bad Request"}"#).await;
    let error = Client::with_base_url(server.uri()).update_conversation("c", &body()).await.expect_err("400");
    let Error::Api(response) = error else { panic!("documented 400, got {error:?}") };
    let UpdateConversationError::BadRequest(bad) = response.body() else { panic!("BadRequest variant") };
    assert_eq!(bad.status_code, Some(400.0));
    assert_eq!(bad.message, Some(ErrorMessage::String("Bad Request".into())));

    let server = server_answering(
        401,
        r#"{"statusCode": 401, "message": "Invalid token: access token is invalid", "error": "Unauthorized"}"#,
    )
    .await;
    let error = Client::with_base_url(server.uri()).update_conversation("c", &body()).await.expect_err("401");
    let Error::Api(response) = error else { panic!("documented 401, got {error:?}") };
    let UpdateConversationError::Unauthorized(unauthorized) = response.body() else {
        panic!("Unauthorized variant")
    };
    assert_eq!(unauthorized.error.as_deref(), Some("Unauthorized"));
    assert_eq!(
        unauthorized.message,
        Some(ErrorMessage::String("Invalid token: access token is invalid".into()))
    );
}

#[tokio::test]
async fn validation_failures_carry_a_list_of_messages() {
    let sent = r#"{"statusCode": 400, "message": ["locationId must be a string"], "error": "Bad Request"}"#;
    let server = server_answering(400, sent).await;
    let error = Client::with_base_url(server.uri()).update_conversation("c", &body()).await.expect_err("400");
    let Error::Api(response) = error else { panic!("documented 400, got {error:?}") };
    let UpdateConversationError::BadRequest(bad) = response.body() else { panic!("BadRequest variant") };
    assert_eq!(bad.message, Some(ErrorMessage::Array(vec!["locationId must be a string".into()])));
}

#[tokio::test]
async fn errors_sent_but_not_documented_decode_by_their_class() {
    for status in [404u16, 422, 429] {
        let sent = format!(r#"{{"statusCode": {status}, "message": "m", "error": "E"}}"#);
        let server = server_answering(status, &sent).await;
        let error = Client::with_base_url(server.uri())
            .update_conversation("c", &body())
            .await
            .expect_err("an error");
        let Error::Api(response) = error else { panic!("a typed {status}, got {error:?}") };
        assert_eq!(response.status().as_u16(), status);
        let UpdateConversationError::ClientError(dto) = response.body() else {
            panic!("ClientError variant")
        };
        assert_eq!(dto.status_code, Some(f64::from(status)));
    }
    let server = server_answering(502, r#"{"statusCode": 502, "message": "upstream"}"#).await;
    let error = Client::with_base_url(server.uri()).update_conversation("c", &body()).await.expect_err("502");
    let Error::Api(response) = error else { panic!("a typed 502, got {error:?}") };
    assert!(matches!(response.body(), UpdateConversationError::ServerError(_)));
}

#[test]
fn the_default_server_is_the_documented_one() {
    assert_eq!(Client::new().base_url(), "https://services.leadconnectorhq.com");
}

#[tokio::test]
async fn a_missing_required_field_is_a_decode_error_naming_its_path() {
    let server =
        server_answering(200, r#"{"success": true, "conversation": {"locationId": "l", "contactId": "c"}}"#)
            .await;
    let error =
        Client::with_base_url(server.uri()).update_conversation("c", &body()).await.expect_err("incomplete");
    let Error::Decode { source, response } = error else { panic!("decode error, got {error:?}") };
    assert_eq!(source.to_string(), "conversation: missing field `deleted`");
    assert!(response.body().starts_with(b"{\"success\""), "the raw body is kept");
}
