//! Microsoft Graph (beta and v1.0) operations against a real HTTP server on 127.0.0.1.

mod common;

use common::{body_json, header, only_request, server_answering};
use generated_client::runtime::Error;
use generated_client::{graph_beta, graph_v1};
use serde_json::{Value, json};

const TOKEN: &str = "eyJ0eXAi.test-token";

/// The response example of the v1.0 "Update chat" page, verbatim.
const UPDATE_CHAT_RESPONSE: &str = r#"{
    "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#chats/$entity",
    "id": "19:1c5b01696d2e4a179c292bc9cf04e63b@thread.v2",
    "topic": "Group chat title update",
    "createdDateTime": "2020-12-04T23:11:16.175Z",
    "lastUpdatedDateTime": "2020-12-04T23:12:19.943Z",
    "chatType": "group"
}"#;

#[tokio::test]
async fn update_chat_sends_the_documented_request_and_decodes_the_page_example() {
    let server = server_answering(200, UPDATE_CHAT_RESPONSE).await;
    let client = graph_v1::Client::with_base_url(server.uri()).with_azure_ad_o_auth2(TOKEN);
    let body = graph_v1::Chat { topic: Some(Some("Group chat title update".into())), ..Default::default() };

    let chat = client
        .update_chat("19:1c5b01696d2e4a179c292bc9cf04e63b@thread.v2", &body)
        .await
        .expect("the update succeeds");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/chats/19%3A1c5b01696d2e4a179c292bc9cf04e63b%40thread.v2");
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "authorization"), Some("Bearer eyJ0eXAi.test-token"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(body_json(&request), json!({"topic": "Group chat title update"}), "unset fields are not sent");

    assert_eq!(chat.status().as_u16(), 200);
    assert_eq!(chat.id.as_deref(), Some("19:1c5b01696d2e4a179c292bc9cf04e63b@thread.v2"));
    assert_eq!(chat.chat_type, Some(graph_v1::ChatType::Group));
    assert_eq!(chat.topic, Some(Some("Group chat title update".to_owned())));
    assert_eq!(
        chat.created_date_time.flatten().map(|t| t.to_rfc3339()).as_deref(),
        Some("2020-12-04T23:11:16.175+00:00")
    );
    assert_eq!(
        chat.additional_properties.get("@odata.context"),
        Some(&json!("https://graph.microsoft.com/v1.0/$metadata#chats/$entity")),
        "OData annotations are kept"
    );
}

#[tokio::test]
async fn graph_servers_cover_the_national_clouds() {
    assert_eq!(graph_v1::Client::new().base_url(), "https://graph.microsoft.com/v1.0");
    let urls: Vec<String> = [
        graph_v1::Server::GlobalService,
        graph_v1::Server::UsGovernmentL4,
        graph_v1::Server::UsGovernmentL5Dod,
        graph_v1::Server::ChinaOperatedBy21vianet,
    ]
    .iter()
    .map(graph_v1::Server::url)
    .collect();
    assert_eq!(
        urls,
        [
            "https://graph.microsoft.com/v1.0",
            "https://graph.microsoft.us/v1.0",
            "https://dod-graph.microsoft.us/v1.0",
            "https://microsoftgraph.chinacloudapi.cn/v1.0",
        ]
    );
    assert_eq!(graph_beta::Server::default().url(), "https://graph.microsoft.com/beta");
}

/// An OData error as Graph sends it for 4xx and 5xx.
const ODATA_ERROR: &str = r#"{"error": {"code": "Forbidden", "message": "Missing scope", "innerError": {"request-id": "abc", "date": "2024-01-01T00:00:00"}}}"#;

#[tokio::test]
async fn graph_client_and_server_errors_decode_as_odata_errors_with_their_status() {
    for status in [403, 503] {
        let server = server_answering(status, ODATA_ERROR).await;
        let client = graph_v1::Client::with_base_url(server.uri());
        let error = client.update_chat("x", &graph_v1::Chat::default()).await.expect_err("an error status");
        let Error::Api(response) = error else { panic!("a documented error, got {error:?}") };
        assert_eq!(response.status().as_u16(), status);
        let odata: &graph_v1::ODataError = response.body();
        assert_eq!(odata.error.code, "Forbidden");
        assert_eq!(
            odata.error.inner_error.as_ref().and_then(|inner| inner.request_id.clone().flatten()).as_deref(),
            Some("abc")
        );
    }
}

/// The request example of the beta "Create conversations" page, verbatim.
const CREATE_REQUEST: &str = r##"{
  "@odata.type": "#microsoft.graph.conversation",
  "topic": "Topic value",
  "hasAttachments": true,
  "lastDeliveredDateTime": "2016-12-31T23:58:58.3907463+03:00",
  "uniqueSenders": [
    "Unique Senders value"
  ],
  "preview": "Preview value"
}"##;

/// The response example of the beta "Create conversations" page, verbatim.
const CREATE_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.conversation",
  "id": "a1bc3422-3422-a1bc-2234-bca12234bca1",
  "topic": "Topic value",
  "hasAttachments": true,
  "lastDeliveredDateTime": "2016-12-31T23:58:58.3907463+03:00",
  "uniqueSenders": [
    "Unique Senders value"
  ],
  "preview": "Preview value"
}"##;

#[tokio::test]
async fn create_group_conversation_round_trips_the_page_examples() {
    let server = server_answering(201, CREATE_RESPONSE).await;
    let client = graph_beta::Client::with_base_url(server.uri()).with_azure_ad_o_auth2(TOKEN);
    let body: graph_beta::Conversation =
        serde_json::from_str(CREATE_REQUEST).expect("the page's request decodes");

    let created = client
        .create_group_conversation("02bd9fd6-8f93-4758-87c3-1fb73740a315", &body)
        .await
        .expect("created");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/groups/02bd9fd6-8f93-4758-87c3-1fb73740a315/conversations");
    assert_eq!(header(&request, "authorization"), Some("Bearer eyJ0eXAi.test-token"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    let sent = body_json(&request);
    let mut expected: Value = serde_json::from_str(CREATE_REQUEST).expect("valid JSON");
    // The offset is kept; chrono writes the same instant with its own fraction digits.
    expected["lastDeliveredDateTime"] = json!("2016-12-31T23:58:58.390746300+03:00");
    assert_eq!(sent, expected);

    assert_eq!(created.status().as_u16(), 201);
    assert_eq!(created.id.as_deref(), Some("a1bc3422-3422-a1bc-2234-bca12234bca1"));
    assert_eq!(created.unique_senders.as_deref(), Some(&["Unique Senders value".to_owned()][..]));
    assert_eq!(created.odata_type.as_deref(), Some("#microsoft.graph.conversation"));
}

#[tokio::test]
async fn create_invited_user_joined_group_conversation_encodes_both_ids() {
    let server = server_answering(201, CREATE_RESPONSE).await;
    let client = graph_beta::Client::with_base_url(server.uri()).with_azure_ad_o_auth2(TOKEN);
    let body = graph_beta::Conversation { topic: Some("Topic value".into()), ..Default::default() };

    let created = client
        .create_invited_user_joined_group_conversation("inv/1", "group 2", &body)
        .await
        .expect("created");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/invitations/inv%2F1/invitedUser/joinedGroups/group%202/conversations");
    assert_eq!(body_json(&request), json!({"topic": "Topic value"}));
    assert_eq!(created.preview.as_deref(), Some("Preview value"));
}

/// The response example of the beta "Update conversations" page, verbatim: it puts type names
/// where values belong, so it cannot decode.
const UPDATE_PAGE_RESPONSE: &str = r##"{
  "@odata.type": "#microsoft.graph.conversation",
  "id": "a7e23b16-3b16-a7e2-163b-e2a7163be2a7",
  "topic": "String",
  "hasAttachments": "Boolean",
  "lastDeliveredDateTime": "String (timestamp)",
  "uniqueSenders": [
    "String"
  ],
  "preview": "String"
}"##;

#[tokio::test]
async fn update_group_conversations_sends_patch_and_reports_the_invalid_page_example() {
    let server = server_answering(200, UPDATE_PAGE_RESPONSE).await;
    let client = graph_beta::Client::with_base_url(server.uri()).with_azure_ad_o_auth2(TOKEN);
    let body = graph_beta::Conversation {
        topic: Some("String".into()),
        has_attachments: Some(true),
        ..Default::default()
    };

    let error =
        client.update_group_conversations("g1", &body).await.expect_err("the page example is not valid");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), "/groups/g1/conversations");
    assert_eq!(body_json(&request), json!({"topic": "String", "hasAttachments": true}));
    let Error::Decode { response, source } = error else { panic!("a decode error, got {error:?}") };
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.body().as_ref(), UPDATE_PAGE_RESPONSE.as_bytes(), "the raw body is kept");
    assert!(source.to_string().contains("expected a boolean"), "{source}");
}
