//! Microsoft Graph (beta and v1.0) operations against a real HTTP server on 127.0.0.1.

mod common;

use common::{body_json, header, only_request, server_answering, server_answering_as};
use generated_client::runtime::Error;
use generated_client::{graph_beta, graph_v1};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

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

    let response = client
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

    assert_eq!(response.status().as_u16(), 200);
    let graph_v1::UpdateChatResponse::Success(chat) = response.body() else { panic!("a chat body") };
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
async fn update_chat_succeeds_on_204_without_a_body_and_on_any_other_2xx_with_one() {
    let server = server_answering_as(204, "", "text/plain").await;
    let client = graph_v1::Client::with_base_url(server.uri());
    let response = client.update_chat("c", &graph_v1::Chat::default()).await.expect("204 is a success");
    assert_eq!(response.status().as_u16(), 204);
    assert_eq!(*response.body(), graph_v1::UpdateChatResponse::NoContent);

    let server = server_answering(202, UPDATE_CHAT_RESPONSE).await;
    let client = graph_v1::Client::with_base_url(server.uri());
    let response = client.update_chat("c", &graph_v1::Chat::default()).await.expect("202 is a success");
    assert_eq!(response.status().as_u16(), 202);
    assert!(matches!(response.body(), graph_v1::UpdateChatResponse::Success(chat) if chat.topic.is_some()));
}

#[tokio::test]
async fn client_credentials_tokens_come_from_the_token_url_the_caller_gives() {
    let identity = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/contoso.onmicrosoft.com/oauth2/v2.0/token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(
                json!({"token_type": "Bearer", "expires_in": 3599, "access_token": "app-token"}),
            ),
        )
        .expect(1)
        .mount(&identity)
        .await;
    let graph = server_answering(200, UPDATE_CHAT_RESPONSE).await;
    let client = graph_v1::Client::with_base_url(graph.uri()).with_azure_ad_o_auth2_client_credentials_from(
        format!("{}/contoso.onmicrosoft.com/oauth2/v2.0/token", identity.uri()),
        "app-id",
        "app-secret",
        &["https://graph.microsoft.com/.default"],
    );

    client.update_chat("c", &graph_v1::Chat::default()).await.expect("the update succeeds");

    let token_request = only_request(&identity).await;
    let form: Vec<(String, String)> =
        serde_urlencoded::from_bytes(&token_request.body).expect("the token request is a form");
    assert!(form.contains(&("grant_type".into(), "client_credentials".into())), "{form:?}");
    assert!(form.contains(&("scope".into(), "https://graph.microsoft.com/.default".into())), "{form:?}");
    assert_eq!(header(&only_request(&graph).await, "authorization"), Some("Bearer app-token"));
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
    for status in [400, 401, 403, 404, 409, 429, 500, 503, 504] {
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

/// Microsoft's documented create request: a topic and one thread holding the first post.
const CREATE_REQUEST: &str = r#"{
  "topic": "New head count",
  "threads": [
    {
      "posts": [
        {
          "body": {"contentType": "html", "content": "The confirmation will come by the end of the week."},
          "newParticipants": [{"emailAddress": {"name": "Adele Vance", "address": "AdeleV@contoso.onmicrosoft.com"}}]
        }
      ]
    }
  ]
}"#;

/// Microsoft's documented create response.
const CREATE_RESPONSE: &str = r##"{
  "@odata.context": "https://graph.microsoft.com/beta/$metadata#groups('29981b6a-0e57-42dc-94c9-cd24f5306196')/conversations/$entity",
  "id": "AAQkAGRhZmRhMWM3LTYwZTctNDZmYS1hYzZhLTA3NTFmNTY0NTFhOQAQAC-7SENg8yzHdvxCpHTHmJs=",
  "threads": [{"id": "AAQkAGRhZmRhMWM3LTYwZTctNDZmYS1hYzZhLTA3NTFmNTY0NTFhOQMkABAAL7tIQ2DzLMd2_EKkdMeYmw=="}]
}"##;

/// The documented request, built with the generated types.
fn new_head_count() -> graph_beta::Conversation {
    let participant = graph_beta::Recipient {
        email_address: Some(Some(graph_beta::EmailAddress {
            name: Some(Some("Adele Vance".into())),
            address: Some(Some("AdeleV@contoso.onmicrosoft.com".into())),
        })),
    };
    let post = graph_beta::Post {
        body: Some(Some(graph_beta::ItemBody {
            content_type: Some(Some(graph_beta::BodyType::Html)),
            content: Some(Some("The confirmation will come by the end of the week.".into())),
        })),
        new_participants: Some(vec![participant]),
        ..Default::default()
    };
    let thread = graph_beta::ConversationThread { posts: Some(vec![post]), ..Default::default() };
    graph_beta::Conversation {
        topic: Some("New head count".into()),
        threads: Some(vec![thread]),
        ..Default::default()
    }
}

#[tokio::test]
async fn create_group_conversation_sends_the_documented_topic_thread_and_post() {
    for status in [201, 200] {
        let server = server_answering(status, CREATE_RESPONSE).await;
        let client = graph_beta::Client::with_base_url(server.uri()).with_azure_ad_o_auth2(TOKEN);

        let created = client
            .create_group_conversation("29981b6a-0e57-42dc-94c9-cd24f5306196", &new_head_count())
            .await
            .unwrap_or_else(|error| panic!("{status} is a success: {error}"));

        let request = only_request(&server).await;
        assert_eq!(request.method.as_str(), "POST");
        assert_eq!(request.url.path(), "/groups/29981b6a-0e57-42dc-94c9-cd24f5306196/conversations");
        assert_eq!(request.url.query(), None);
        assert_eq!(header(&request, "authorization"), Some("Bearer eyJ0eXAi.test-token"));
        assert_eq!(header(&request, "content-type"), Some("application/json"));
        let expected: Value = serde_json::from_str(CREATE_REQUEST).expect("valid JSON");
        assert_eq!(body_json(&request), expected);

        assert_eq!(created.status().as_u16(), status);
        assert_eq!(created.threads.as_ref().map(Vec::len), Some(1));
        assert!(created.id.as_deref().is_some_and(|id| id.ends_with("HmJs=")));
    }
}

#[tokio::test]
async fn the_documented_create_request_decodes_into_the_generated_types() {
    let decoded: graph_beta::Conversation = serde_json::from_str(CREATE_REQUEST).expect("decodes");
    assert_eq!(decoded, new_head_count());
}

#[tokio::test]
#[allow(deprecated)] // The operation is only on the doc stub; the test proves it still works.
async fn create_invited_user_joined_group_conversation_encodes_both_ids() {
    let server = server_answering(201, CREATE_RESPONSE).await;
    let client = graph_beta::Client::with_base_url(server.uri()).with_azure_ad_o_auth2(TOKEN);

    let created = client
        .create_invited_user_joined_group_conversation("inv/1", "group 2", &new_head_count())
        .await
        .expect("created");

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(request.url.path(), "/invitations/inv%2F1/invitedUser/joinedGroups/group%202/conversations");
    assert_eq!(header(&request, "authorization"), Some("Bearer eyJ0eXAi.test-token"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(body_json(&request), serde_json::from_str::<Value>(CREATE_REQUEST).expect("valid JSON"));
    assert_eq!(created.status().as_u16(), 201);
}

#[tokio::test]
#[allow(deprecated)]
async fn graph_beta_errors_decode_as_odata_errors_for_every_operation() {
    for status in [400, 403, 404, 429, 500, 503] {
        let server = server_answering(status, ODATA_ERROR).await;
        let client = graph_beta::Client::with_base_url(server.uri());
        let body = graph_beta::Conversation::default();
        let errors = [
            client.create_group_conversation("g", &body).await.map(|_| ()),
            client.create_invited_user_joined_group_conversation("i", "g", &body).await.map(|_| ()),
            client.update_group_conversations("g", &body).await.map(|_| ()),
        ];
        for error in errors {
            let Err(Error::Api(response)) = error else { panic!("a documented {status}, got {error:?}") };
            assert_eq!(response.status().as_u16(), status);
            assert_eq!(response.body().error.code, "Forbidden");
        }
    }
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
#[allow(deprecated)] // The operation is only on the doc stub; the test proves it still works.
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
    assert_eq!(request.url.query(), None);
    assert_eq!(header(&request, "authorization"), Some("Bearer eyJ0eXAi.test-token"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(body_json(&request), json!({"topic": "String", "hasAttachments": true}));
    let Error::Decode { response, source } = error else { panic!("a decode error, got {error:?}") };
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.body().as_ref(), UPDATE_PAGE_RESPONSE.as_bytes(), "the raw body is kept");
    assert!(source.to_string().contains("expected a boolean"), "{source}");
}

#[tokio::test]
#[allow(deprecated)]
async fn update_group_conversations_succeeds_on_204_and_on_200_with_a_conversation() {
    let server = server_answering_as(204, "", "text/plain").await;
    let client = graph_beta::Client::with_base_url(server.uri());
    let body = graph_beta::Conversation::default();
    let response = client.update_group_conversations("g1", &body).await.expect("204 is a success");
    assert_eq!(*response.body(), graph_beta::UpdateGroupConversationsResponse::NoContent);

    let server = server_answering(200, CREATE_RESPONSE).await;
    let client = graph_beta::Client::with_base_url(server.uri());
    let response = client.update_group_conversations("g1", &body).await.expect("200 is a success");
    let graph_beta::UpdateGroupConversationsResponse::Success(conversation) = response.body() else {
        panic!("a conversation body")
    };
    assert_eq!(conversation.threads.as_ref().map(Vec::len), Some(1));
}
