//! Reading the typed `openapiv3` document from the raw tree, path items on every core.
//!
//! Deserializing is most of loading a large document, and `paths` most of that (about 80 % of
//! Microsoft Graph), because `openapiv3` buffers every untagged enum it meets. Path items are
//! independent, so a large `paths` is read in contiguous chunks on several threads while this
//! thread reads the rest; the result is the same document, in the same order.

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem, Paths, ReferenceOr};
use serde::Deserialize;
use serde_json::{Map, Value};

/// Fewer path items than this per thread are read on this thread: starting a worker would cost
/// more than it saves.
const ITEMS_PER_WORKER: usize = 256;

/// The typed document, or `None` when `raw` does not read as one (the caller then explains
/// why). `raw` is left as it was.
pub fn read(raw: &mut Value) -> Option<OpenAPI> {
    let items = raw.get("paths").and_then(Value::as_object).map_or(0, Map::len);
    let workers = crate::threads::workers(items, ITEMS_PER_WORKER);
    if workers < 2 {
        return OpenAPI::deserialize(&*raw).ok();
    }
    let slot = raw.get_mut("paths")?;
    let paths = std::mem::replace(slot, Value::Object(Map::new()));
    let api = read_split(raw, &paths, workers);
    if let Some(slot) = raw.get_mut("paths") {
        *slot = paths;
    }
    api
}

/// Reads `rest` (the document with an empty `paths`) here and the members of `paths` on
/// `workers` threads.
fn read_split(rest: &Value, paths: &Value, workers: usize) -> Option<OpenAPI> {
    let members: Vec<(&String, &Value)> = paths.as_object()?.iter().collect();
    let chunk = members.len().div_ceil(workers);
    std::thread::scope(|scope| {
        let handles = members
            .chunks(chunk)
            .map(|members| crate::threads::spawn(scope, move || read_members(members)))
            .collect::<Result<Vec<_>, _>>()
            .ok()?;
        let mut api = OpenAPI::deserialize(rest).ok();
        let mut read = Paths { paths: IndexMap::with_capacity(members.len()), extensions: IndexMap::new() };
        for handle in handles {
            let (items, extensions) = crate::threads::join(handle)?;
            read.paths.extend(items);
            read.extensions.extend(extensions);
        }
        if let Some(api) = &mut api {
            api.paths = read;
        }
        api
    })
}

type Members = (Vec<(String, ReferenceOr<PathItem>)>, Vec<(String, Value)>);

/// Path items and extensions among `members`, as `openapiv3` sorts them: keys starting with `/`
/// are paths, with `x-` extensions, and anything else is ignored.
fn read_members(members: &[(&String, &Value)]) -> Option<Members> {
    let mut items = Vec::with_capacity(members.len());
    let mut extensions = Vec::new();
    for (key, value) in members {
        if key.starts_with('/') {
            items.push(((*key).clone(), ReferenceOr::<PathItem>::deserialize(*value).ok()?));
        } else if key.starts_with("x-") {
            extensions.push(((*key).clone(), (*value).clone()));
        }
    }
    Some((items, extensions))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reading_in_chunks_gives_the_document_read_at_once() {
        let mut paths = Map::new();
        for index in 0..ITEMS_PER_WORKER * 3 + 7 {
            let operation =
                json!({"operationId": format!("op{index}"), "responses": {"200": {"description": "ok"}}});
            paths.insert(format!("/items/{index}"), json!({"get": operation}));
        }
        paths.insert("x-note".to_owned(), json!({"kept": true}));
        paths.insert("ignored".to_owned(), json!(1));
        let mut raw = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths});
        let before = raw.clone();
        let at_once = OpenAPI::deserialize(&raw).expect("a valid document");
        let in_chunks = read(&mut raw).expect("a valid document");
        assert_eq!(in_chunks, at_once);
        assert_eq!(raw, before, "the raw tree is restored");
        assert_eq!(in_chunks.paths.extensions.len(), 1);
    }

    #[test]
    fn a_bad_path_item_in_any_chunk_fails_the_read() {
        let mut paths = Map::new();
        for index in 0..ITEMS_PER_WORKER * 2 {
            paths.insert(format!("/items/{index}"), json!({"get": {"responses": {}}}));
        }
        paths.insert("/bad".to_owned(), json!({"get": {"responses": {"200": {"description": 5}}}}));
        let mut raw = json!({"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": paths});
        assert!(read(&mut raw).is_none());
        assert!(raw["paths"]["/bad"].is_object(), "the raw tree is restored");
    }
}
