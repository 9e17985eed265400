//! Sinch Conversation API against a real HTTP server on 127.0.0.1.

mod common;

use common::{body_json, header, only_request, server_answering};
use generated_client::runtime::Error;
use generated_client::sinch_conversation::{
    Client, Conversation, ConversationChannel, ErrorResponse, MetadataUpdateStrategy, Region, SecurityScheme,
    Server, UpdateConversationParams,
};
use serde_json::json;

const CONVERSATION: &str = r#"{
    "id": "01EKA07N79THJ20WSN6AS30TMW",
    "app_id": "01EB37HMH1M6SV18ASNS3G135H",
    "contact_id": "01EKA07N79THJ20ZSN6AS30TMW",
    "active": true,
    "active_channel": "WHATSAPP",
    "last_received": "2024-05-02T10:20:30Z",
    "metadata_json": {"order": 42, "tags": ["vip"]},
    "correlation_id": "c-1"
}"#;

fn client(uri: String) -> Client {
    Client::with_base_url(uri).with_basic("key-id", "key-secret")
}

#[tokio::test]
async fn update_conversation_sends_mask_strategy_basic_auth_and_body() {
    let server = server_answering(200, CONVERSATION).await;
    let params = UpdateConversationParams {
        update_mask: Some(vec!["active".into(), "metadata_json".into()]),
        metadata_update_strategy: Some(MetadataUpdateStrategy::MergePatch),
    };
    // Under MERGE_PATCH a `null` member deletes that key (RFC 7386): it must reach the wire.
    let body = Conversation {
        active: Some(true),
        metadata_json: Some(json!({"order": 42, "obsolete": null}).as_object().cloned().unwrap_or_default()),
        ..Default::default()
    };

    let conversation = client(server.uri())
        .update_conversation("project 1", "01EKA07N79THJ20WSN6AS30TMW", Some(&params), &body)
        .await
        .expect("the update succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/v1/projects/project%201/conversations/01EKA07N79THJ20WSN6AS30TMW");
    assert_eq!(
        request.url.query(),
        Some("update_mask=active,metadata_json&metadata_update_strategy=MERGE_PATCH"),
        "a field mask is one comma-separated value, as gRPC-gateway's FieldMask parser reads it"
    );
    // base64("key-id:key-secret")
    assert_eq!(header(&request, "authorization"), Some("Basic a2V5LWlkOmtleS1zZWNyZXQ="));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        body_json(&request),
        json!({"active": true, "metadata_json": {"order": 42, "obsolete": null}})
    );

    assert_eq!(conversation.active_channel, Some(ConversationChannel::Whatsapp));
    assert_eq!(conversation.metadata_json.as_ref().and_then(|m| m.get("tags")), Some(&json!(["vip"])));
    assert_eq!(conversation.last_received.map(|t| t.timestamp()), Some(1_714_645_230));
}

#[tokio::test]
async fn unset_query_parameters_are_not_sent() {
    let server = server_answering(200, "{}").await;
    client(server.uri())
        .update_conversation("p", "c", None, &Conversation::default())
        .await
        .expect("an empty conversation decodes");
    let request = only_request(&server).await;
    assert_eq!(request.url.query(), None);
    assert_eq!(body_json(&request), json!({}));
}

#[tokio::test]
async fn oauth2_token_is_sent_as_bearer() {
    let server = server_answering(200, "{}").await;
    Client::with_base_url(server.uri())
        .with_o_auth2("access-token")
        .update_conversation("p", "c", None, &Conversation::default())
        .await
        .expect("success");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "authorization"), Some("Bearer access-token"));
}

#[tokio::test]
async fn a_mask_field_with_a_comma_cannot_split_the_mask() {
    let server = server_answering(200, "{}").await;
    let params = UpdateConversationParams {
        update_mask: Some(vec!["a,b".into(), "c d".into()]),
        metadata_update_strategy: None,
    };
    client(server.uri())
        .update_conversation("p", "c", Some(&params), &Conversation::default())
        .await
        .expect("success");
    assert_eq!(only_request(&server).await.url.query(), Some("update_mask=a%2Cb,c%20d"));
}

#[tokio::test]
async fn each_documented_or_undocumented_error_status_decodes_the_error_envelope() {
    // 400, 401, 403, 500 and 501 are documented; `default` covers what Sinch also sends.
    for status in [400u16, 401, 403, 404, 429, 500, 501, 503] {
        let body = format!(
            r#"{{"error": {{"code": {status}, "message": "m", "status": "S", "details": [{{"type_url": "t", "value": "v"}}]}}}}"#
        );
        let server = server_answering(status, &body).await;
        let error = client(server.uri())
            .update_conversation("p", "c", None, &Conversation::default())
            .await
            .expect_err("an error status");
        let Error::Api(response) = error else { panic!("a documented error for {status}, got {error:?}") };
        assert_eq!(response.status().as_u16(), status);
        let detail: &ErrorResponse = response.body();
        let error = detail.error.as_ref().expect("the envelope holds the error");
        assert_eq!(error.code, Some(i32::from(status)));
        assert_eq!(error.details.as_ref().map(|details| details[0].type_url.as_deref()), Some(Some("t")));
    }
}

#[tokio::test]
async fn unknown_channels_are_kept_and_sent_back_unchanged() {
    let server = server_answering(200, r#"{"active_channel": "CHANNEL_FROM_THE_FUTURE"}"#).await;
    let body =
        Conversation { active_channel: Some(ConversationChannel::Other("NEW".into())), ..Default::default() };
    let conversation = client(server.uri())
        .update_conversation("p", "c", None, &body)
        .await
        .expect("unknown enum values decode");
    assert_eq!(
        conversation.active_channel,
        Some(ConversationChannel::Other("CHANNEL_FROM_THE_FUTURE".into()))
    );
    assert_eq!(body_json(&only_request(&server).await), json!({"active_channel": "NEW"}));
}

#[test]
fn regions_are_a_server_variable() {
    assert_eq!(Server::default().url(), "https://us.conversation.api.sinch.com");
    let eu = Server::RegionalConversationApiEndpoint { region: Region::Eu };
    assert_eq!(eu.url(), "https://eu.conversation.api.sinch.com");
    assert_eq!(Client::with_server(eu).base_url(), "https://eu.conversation.api.sinch.com");
}

#[tokio::test]
async fn client_credentials_tokens_are_fetched_once_and_reused() {
    use generated_client::runtime::{ClientCredentials, Credential};
    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/token"))
        .respond_with(ResponseTemplate::new(200).set_body_raw(
            r#"{"access_token": "fresh-token", "token_type": "bearer", "expires_in": 3600}"#,
            "application/json",
        ))
        .mount(&server)
        .await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_raw("{}", "application/json"))
        .mount(&server)
        .await;
    let source =
        ClientCredentials::new(format!("{}/oauth2/token", server.uri()), "key-id", "key-secret", &["a", "b"]);
    let client = Client::with_base_url(server.uri())
        .with_credential(SecurityScheme::OAuth2, Credential::token_source("Bearer", source));

    for _ in 0..2 {
        client.update_conversation("p", "c", None, &Conversation::default()).await.expect("authorized");
    }

    let requests = server.received_requests().await.unwrap_or_default();
    let token_requests: Vec<_> = requests.iter().filter(|r| r.url.path() == "/oauth2/token").collect();
    assert_eq!(token_requests.len(), 1, "the token is cached");
    assert_eq!(header(token_requests[0], "authorization"), Some("Basic a2V5LWlkOmtleS1zZWNyZXQ="));
    assert_eq!(String::from_utf8_lossy(&token_requests[0].body), "grant_type=client_credentials&scope=a+b");
    let api_calls: Vec<_> = requests.iter().filter(|r| r.method.as_str() == "PATCH").collect();
    assert_eq!(api_calls.len(), 2);
    assert!(api_calls.iter().all(|r| header(r, "authorization") == Some("Bearer fresh-token")));
}

#[test]
fn security_schemes_are_named_by_a_type_whose_keys_are_the_spec_s() {
    assert_eq!(SecurityScheme::Basic.key(), "Basic");
    assert_eq!(SecurityScheme::OAuth2.key(), "oAuth2");
}

#[tokio::test]
async fn a_failing_token_endpoint_is_a_credential_error() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(401)).mount(&server).await;
    let client = Client::with_base_url(server.uri()).with_credential(
        SecurityScheme::OAuth2,
        generated_client::runtime::Credential::token_source(
            "Bearer",
            generated_client::runtime::ClientCredentials::new(
                format!("{}/token", server.uri()),
                "id",
                "bad",
                &[],
            ),
        ),
    );
    let error =
        client.update_conversation("p", "c", None, &Conversation::default()).await.expect_err("no token");
    assert!(matches!(error, Error::Credential(_)), "{error:?}");
    assert!(!format!("{client:?}").contains("bad"), "the secret is not in Debug output");
}
