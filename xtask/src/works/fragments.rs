//! Operations told apart by a URL fragment, routed for Prism.
//!
//! Some specs give several operations one path and tell them apart by a fragment that names
//! the header or query parameter that selects each (`/#X-Amz-Target=Svc.Op`,
//! `/#Action=Publish`, `/tags/{arn}#tagKeys`). A fragment is never sent over HTTP, so the
//! client sends the path and the parameter, as the real service expects, and Prism, which
//! routes by path alone, answers with another operation. For such a spec the measure gives
//! Prism a copy in which each fragment path is a real path of its own, and puts a proxy in
//! front of Prism that sends each request to the path its header or query parameter selects.
//! Operations whose fragment names no parameter (`#overload=stream`) cannot be routed and
//! stay the mock's limit.

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use hyper::body::Incoming;
use hyper::{Request, Response, StatusCode};
use serde_json::Value;
use std::convert::Infallible;
use std::sync::Arc;

/// Where a routed operation's requests go: requests whose method is `method`, whose path
/// matches `base`, and that carry every `conditions` parameter (with its value, if given)
/// get `suffix` appended to their path.
#[derive(Debug, Clone)]
pub struct Route {
    method: String,
    base: regex::Regex,
    conditions: Vec<(String, Option<String>)>,
    suffix: String,
}

/// A copy of `raw` whose routable fragment paths are real paths, with the routes to them;
/// `None` when the spec has no fragment path a parameter selects.
pub fn defragment(raw: &Value) -> Option<(Value, Vec<Route>)> {
    let mut copy = raw.clone();
    let paths = copy.get_mut("paths")?.as_object_mut()?;
    let mut routes = Vec::new();
    let keys: Vec<String> = paths.keys().filter(|key| key.contains('#')).cloned().collect();
    for key in keys {
        let Some((base, fragment)) = key.split_once('#') else { continue };
        let conditions = conditions(fragment);
        let Some(item) = paths.get(&key) else { continue };
        let methods: Vec<String> = item
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(method, operation)| operation.is_object() && method.as_str() != "parameters")
            .filter(|(_, operation)| selects(raw, item, operation, &conditions))
            .map(|(method, _)| method.clone())
            .collect();
        let suffix = format!("/fragment-{}", sanitized(fragment));
        let real = format!("{}{suffix}", base.trim_end_matches('/'));
        if methods.is_empty() || paths.contains_key(&real) {
            continue;
        }
        let Some(base_pattern) = template_pattern(base) else { continue };
        for method in methods {
            routes.push(Route {
                method: method.to_uppercase(),
                base: base_pattern.clone(),
                conditions: conditions.clone(),
                suffix: suffix.clone(),
            });
        }
        if let Some(item) = paths.remove(&key) {
            paths.insert(real, item);
        }
    }
    (!routes.is_empty()).then_some((copy, routes))
}

/// Whether the operation's (or its path item's) header and query parameters include every
/// name the fragment's conditions give.
fn selects(raw: &Value, item: &Value, operation: &Value, conditions: &[(String, Option<String>)]) -> bool {
    let parameters = [item, operation].into_iter().filter_map(|owner| owner.get("parameters")?.as_array());
    let names: Vec<String> = parameters
        .flatten()
        .filter_map(|parameter| match parameter.get("$ref").and_then(Value::as_str) {
            Some(reference) => generator::model::refs::target(raw, reference, "#").ok(),
            None => Some(parameter),
        })
        .filter(|parameter| matches!(parameter.get("in").and_then(Value::as_str), Some("header" | "query")))
        .filter_map(|parameter| parameter.get("name").and_then(Value::as_str))
        .map(str::to_ascii_lowercase)
        .collect();
    !conditions.is_empty() && conditions.iter().all(|(name, _)| names.contains(&name.to_ascii_lowercase()))
}

/// `a=1&b` as `[(a, Some(1)), (b, None)]`.
fn conditions(fragment: &str) -> Vec<(String, Option<String>)> {
    fragment
        .split('&')
        .filter(|part| !part.is_empty())
        .map(|part| match part.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (part.to_owned(), None),
        })
        .collect()
}

fn sanitized(fragment: &str) -> String {
    fragment.chars().map(|c| if c.is_ascii_alphanumeric() || "._-".contains(c) { c } else { '-' }).collect()
}

/// A path template (`/tags/{arn}`) as a regex over request paths.
fn template_pattern(template: &str) -> Option<regex::Regex> {
    let mut pattern = String::from("^");
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        pattern.push_str(&regex::escape(&rest[..open]));
        pattern.push_str("[^/]+");
        rest = &rest[open..];
        rest = &rest[rest.find('}')? + 1..];
    }
    pattern.push_str(&regex::escape(rest));
    pattern.push_str("/?$");
    regex::Regex::new(&pattern).ok()
}

/// The path Prism's copy of the spec serves a request at.
pub fn routed_path(
    routes: &[Route],
    method: &str,
    path: &str,
    query: &str,
    header: &dyn Fn(&str) -> Option<String>,
) -> String {
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
    let carries = |(name, value): &(String, Option<String>)| {
        let mut sent = header(name)
            .into_iter()
            .chain(pairs.iter().filter(|(key, _)| key == name).map(|(_, v)| v.clone()));
        match value {
            Some(value) => sent.any(|sent| &sent == value),
            None => sent.next().is_some(),
        }
    };
    routes
        .iter()
        .filter(|route| route.method == method && route.base.is_match(path))
        .filter(|route| route.conditions.iter().all(carries))
        .max_by_key(|route| route.conditions.len())
        .map_or_else(|| path.to_owned(), |route| format!("{}{}", path.trim_end_matches('/'), route.suffix))
}

/// A proxy on 127.0.0.1:`port` that forwards every request to `target` (Prism) at its routed
/// path. It runs on its own runtime until that is dropped.
pub fn start_proxy(
    port: usize,
    target: String,
    routes: Vec<Route>,
) -> Result<tokio::runtime::Runtime, String> {
    let runtime =
        tokio::runtime::Runtime::new().map_err(|error| format!("cannot start a runtime: {error}"))?;
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind(format!("127.0.0.1:{port}")))
        .map_err(|error| format!("cannot listen on port {port}: {error}"))?;
    let shared = Arc::new((reqwest::Client::new(), target, routes));
    runtime.spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let shared = shared.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(move |request| forward(shared.clone(), request));
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new().serve_connection(io, service).await;
            });
        }
    });
    Ok(runtime)
}

async fn forward(
    shared: Arc<(reqwest::Client, String, Vec<Route>)>,
    request: Request<Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let (client, target, routes) = &*shared;
    let (parts, body) = request.into_parts();
    let body = body.collect().await.map(|collected| collected.to_bytes()).unwrap_or_default();
    let query = parts.uri.query().unwrap_or_default();
    let header =
        |name: &str| parts.headers.get(name).and_then(|value| value.to_str().ok()).map(str::to_owned);
    let path = routed_path(routes, parts.method.as_str(), parts.uri.path(), query, &header);
    let url = if query.is_empty() { format!("{target}{path}") } else { format!("{target}{path}?{query}") };
    let mut outgoing = client.request(parts.method.clone(), url).body(body);
    for (name, value) in &parts.headers {
        if name != hyper::header::HOST && name != hyper::header::CONTENT_LENGTH {
            outgoing = outgoing.header(name, value);
        }
    }
    let answer = match outgoing.send().await {
        Ok(answer) => answer,
        Err(error) => {
            let mut response =
                Response::new(Full::new(Bytes::from(format!("the proxy could not reach Prism: {error}"))));
            *response.status_mut() = StatusCode::BAD_GATEWAY;
            return Ok(response);
        }
    };
    let status = answer.status();
    let headers = answer.headers().clone();
    let bytes = answer.bytes().await.unwrap_or_default();
    let mut response = Response::new(Full::new(bytes));
    *response.status_mut() = status;
    for (name, value) in &headers {
        if name != hyper::header::TRANSFER_ENCODING && name != hyper::header::CONTENT_LENGTH {
            response.headers_mut().append(name, value.clone());
        }
    }
    Ok(response)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fragments_that_name_a_parameter_become_real_paths_and_requests_follow_them() {
        let target = |value: &str| {
            json!({"post": {"parameters": [
            {"name": "X-Amz-Target", "in": "header", "required": true, "schema": {"type": "string", "enum": [value]}}
        ], "responses": {}}})
        };
        let raw = json!({"paths": {
            "/#X-Amz-Target=Svc.Create": target("Svc.Create"),
            "/#X-Amz-Target=Svc.Delete": target("Svc.Delete"),
            "/tags/{arn}#tagKeys": {"delete": {"parameters": [{"name": "tagKeys", "in": "query", "schema": {}}]}},
            "/Evaluate#overload=stream": {"post": {"responses": {}}},
        }});
        let Some((copy, routes)) = defragment(&raw) else { panic!("nothing routed") };
        let paths = copy["paths"].as_object().map(|paths| paths.keys().cloned().collect::<Vec<_>>());
        assert_eq!(
            paths,
            Some(vec![
                "/Evaluate#overload=stream".to_owned(),
                "/fragment-X-Amz-Target-Svc.Create".to_owned(),
                "/fragment-X-Amz-Target-Svc.Delete".to_owned(),
                "/tags/{arn}/fragment-tagKeys".to_owned(),
            ]),
            "a fragment naming no parameter stays"
        );
        let delete = |name: &str| (name == "X-Amz-Target").then(|| "Svc.Delete".to_owned());
        assert_eq!(routed_path(&routes, "POST", "/", "", &delete), "/fragment-X-Amz-Target-Svc.Delete");
        let none = |_: &str| None;
        assert_eq!(routed_path(&routes, "POST", "/", "", &none), "/", "no header: left alone");
        assert_eq!(
            routed_path(&routes, "DELETE", "/tags/arn%3Aa", "tagKeys=a&tagKeys=b", &none),
            "/tags/arn%3Aa/fragment-tagKeys"
        );
    }
}
