//! Contract tests: every operation through the generated client against Prism, which mocks
//! each spec on 127.0.0.1 and validates requests against it. Run by `cargo xtask contract`,
//! which starts Prism and passes its URLs in `CONTRACT_<MODULE>_URL`; ignored otherwise.

use generated_client::{graph_beta, graph_v1, highlevel, sinch_conversation};

fn prism(module: &str) -> String {
    let variable = format!("CONTRACT_{}_URL", module.to_uppercase());
    std::env::var(&variable).unwrap_or_else(|_| panic!("{variable} is not set: run `cargo xtask contract`"))
}

#[tokio::test]
#[ignore = "needs Prism: cargo xtask contract"]
#[allow(deprecated)] // The doc-stub operations are deprecated, and still in the contract.
async fn graph_beta_operations_satisfy_the_spec() {
    let client = graph_beta::Client::with_base_url(prism("graph_beta")).with_azure_ad_o_auth2("token");
    let body = graph_beta::Conversation {
        topic: Some("Topic value".into()),
        has_attachments: Some(true),
        unique_senders: Some(vec!["Unique Senders value".into()]),
        ..Default::default()
    };
    // Prism answers the lowest status the spec allows: 204 for the update, 200 for `2XX`.
    let updated = client.update_group_conversations("group-1", &body).await.expect("update decodes");
    assert!(updated.status().is_success());
    let created = client.create_group_conversation("group-1", &body).await.expect("create decodes");
    assert!(created.status().is_success());
    let joined = client
        .create_invited_user_joined_group_conversation("invitation-1", "group-1", &body)
        .await
        .expect("create through invitation decodes");
    assert!(joined.status().is_success());
}

#[tokio::test]
#[ignore = "needs Prism: cargo xtask contract"]
async fn graph_v1_update_chat_satisfies_the_spec() {
    let client = graph_v1::Client::with_base_url(prism("graph_v1")).with_azure_ad_o_auth2("token");
    let body = graph_v1::Chat { topic: Some(Some("Group chat title update".into())), ..Default::default() };
    let response =
        client.update_chat("19:1c5b01696d2e4a179c292bc9cf04e63b@thread.v2", &body).await.expect("decodes");
    match response.into_inner() {
        graph_v1::UpdateChatResponse::NoContent => {}
        graph_v1::UpdateChatResponse::Success(chat) => {
            assert_eq!(chat.chat_type, Some(graph_v1::ChatType::Group))
        }
    }
}

#[tokio::test]
#[ignore = "needs Prism: cargo xtask contract"]
async fn sinch_update_conversation_satisfies_the_spec() {
    let client =
        sinch_conversation::Client::with_base_url(prism("sinch_conversation")).with_basic("id", "secret");
    let params = sinch_conversation::UpdateConversationParams {
        update_mask: Some(vec!["active".into(), "metadata_json".into()]),
        metadata_update_strategy: Some(sinch_conversation::MetadataUpdateStrategy::MergePatch),
    };
    let body = sinch_conversation::Conversation {
        active: Some(true),
        active_channel: Some(sinch_conversation::ConversationChannel::Whatsapp),
        metadata_json: Some(serde_json::Map::new()),
        ..Default::default()
    };
    client.update_conversation("project-1", "conversation-1", Some(&params), &body).await.expect("decodes");
}

#[tokio::test]
#[ignore = "needs Prism: cargo xtask contract"]
async fn highlevel_update_conversation_satisfies_the_spec() {
    let client = highlevel::Client::with_base_url(prism("highlevel")).with_bearer("token");
    let body = highlevel::UpdateConversationDto {
        unread_count: Some(1.0),
        starred: Some(true),
        feedback: Some(serde_json::Map::new()),
        ..highlevel::UpdateConversationDto::new("tDtDnQdgm2LXpyiqYvZ6")
    };
    let updated = client.update_conversation("tDtDnQdgm2LXpyiqYvZ6", &body).await.expect("decodes");
    assert!(updated.success);
}
