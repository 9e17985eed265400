//! Serde helpers used by generated types.

use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize, Serializer};
use serde_json::Value;

/// Bytes carried as base64 text (`format: byte`).
///
/// Decoding accepts the standard and URL-safe alphabets, with or without padding; encoding
/// writes standard base64 with padding.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Base64(pub Vec<u8>);

impl Serialize for Base64 {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use base64::Engine as _;
        serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
    }
}

impl<'de> Deserialize<'de> for Base64 {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        use base64::Engine as _;
        use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD};
        let text = String::deserialize(deserializer)?;
        [STANDARD, STANDARD_NO_PAD, URL_SAFE, URL_SAFE_NO_PAD]
            .iter()
            .find_map(|engine| engine.decode(&text).ok())
            .map(Base64)
            .ok_or_else(|| D::Error::custom("invalid base64"))
    }
}

/// The string value of `property` in a JSON object, if it has one.
pub fn discriminator<'v>(value: &'v Value, property: &str) -> Option<&'v str> {
    value.get(property)?.as_str()
}

/// Decodes `value` as `T`, reporting failure as the caller's deserializer error.
pub fn from_json_value<T: DeserializeOwned, E: serde::de::Error>(value: Value) -> Result<T, E> {
    serde_json::from_value(value).map_err(E::custom)
}

/// Serializes `value` with its `property` set to `tag`: a union variant writes the
/// discriminator value it is mapped to, whatever the variant's own field holds.
pub fn tagged<S: Serializer, T: Serialize>(
    output: S,
    property: &str,
    tag: &str,
    value: &T,
) -> Result<S::Ok, S::Error> {
    let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
    if let Value::Object(members) = &mut json {
        members.insert(property.to_owned(), Value::String(tag.to_owned()));
    }
    json.serialize(output)
}

/// A JSON object being decoded into a generated struct, one field at a time.
///
/// Generated structs decode through this instead of serde's derive, which expands every field
/// into many match arms; see the generator's `emit/types.rs`. Members no field takes go to
/// the struct's additional properties ([`Object::rest`]), or are ignored when the schema
/// says `additionalProperties: false`.
pub struct Object {
    members: serde_json::Map<String, Value>,
    /// The first optional member that did not decode. Optional members give their value
    /// without a `Result`, which saves the compiler a `?` per field; the error is reported
    /// when the struct is built. Required members are read first, and fail at once.
    problem: Option<FieldError>,
}

/// A member that did not decode; the message names it, so nested failures read as a path.
pub struct FieldError(String);

impl Object {
    /// Reads a JSON object from `input` and hands it to `build`, which takes its members.
    ///
    /// `build` reports errors in the runtime's own type rather than the generic
    /// deserializer's, so the compiler checks each field's call once, not per deserializer.
    pub fn decode<'de, D: Deserializer<'de>, T>(
        input: D,
        build: impl FnOnce(&mut Object) -> Result<T, FieldError>,
    ) -> Result<T, D::Error> {
        let members = serde_json::Map::deserialize(input)?;
        let mut object = Object { members, problem: None };
        let built = build(&mut object);
        match (object.problem, built) {
            (Some(FieldError(problem)), _) | (None, Err(FieldError(problem))) => {
                Err(D::Error::custom(problem))
            }
            (None, Ok(built)) => Ok(built),
        }
    }

    /// The members `names`, which must all be present, as a tuple of their values in order
    /// (at most 16, serde's largest tuple).
    ///
    /// One call and one `?` for all required fields, rather than one each: on GitHub's
    /// description, where most fields are required, that is a tenth of `cargo check` and of
    /// its memory.
    pub fn required<T: DeserializeOwned>(&mut self, names: &'static [&'static str]) -> Result<T, FieldError> {
        let mut values = Vec::with_capacity(names.len());
        for name in names {
            match self.members.remove(*name) {
                Some(value) => values.push(value),
                None => return Err(FieldError(format!("missing field `{name}`"))),
            }
        }
        T::deserialize(Members { names: names.iter(), values: values.into_iter() })
    }

    /// The member `name`, if present and not null. A value that does not decode is kept as
    /// the object's problem, which [`Object::decode`] reports.
    pub fn optional<T: DeserializeOwned>(&mut self, name: &str) -> Option<T> {
        match self.members.remove(name) {
            None | Some(Value::Null) => None,
            Some(value) => self.kept(field(name, value)),
        }
    }

    /// The member `name`: `None` when absent, `Some(None)` when null. A value that does not
    /// decode is kept as the object's problem, which [`Object::decode`] reports.
    pub fn nullable<T: DeserializeOwned>(&mut self, name: &str) -> Option<Option<T>> {
        match self.members.remove(name) {
            None => None,
            Some(Value::Null) => Some(None),
            Some(value) => self.kept(field(name, value)).map(Some),
        }
    }

    /// The value, or `None` with the first error kept.
    fn kept<T>(&mut self, decoded: Result<T, FieldError>) -> Option<T> {
        decoded.map_err(|error| self.problem.get_or_insert(error)).ok()
    }

    /// The members no field took.
    pub fn rest<T: DeserializeOwned>(&mut self) -> Result<std::collections::BTreeMap<String, T>, FieldError> {
        std::mem::take(&mut self.members)
            .into_iter()
            .map(|(name, value)| Ok((name.clone(), field(&name, value)?)))
            .collect()
    }
}

/// Members given to a tuple's `Deserialize` as a sequence, each error naming its member.
struct Members {
    names: std::slice::Iter<'static, &'static str>,
    values: std::vec::IntoIter<Value>,
}

impl<'de> Deserializer<'de> for Members {
    type Error = FieldError;

    fn deserialize_any<V: serde::de::Visitor<'de>>(self, visitor: V) -> Result<V::Value, FieldError> {
        visitor.visit_seq(self)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string bytes byte_buf option
        unit unit_struct newtype_struct seq tuple tuple_struct map struct enum identifier
        ignored_any
    }
}

impl<'de> serde::de::SeqAccess<'de> for Members {
    type Error = FieldError;

    fn next_element_seed<S: serde::de::DeserializeSeed<'de>>(
        &mut self,
        seed: S,
    ) -> Result<Option<S::Value>, FieldError> {
        let (Some(name), Some(value)) = (self.names.next(), self.values.next()) else {
            return Ok(None);
        };
        seed.deserialize(value).map(Some).map_err(|error| FieldError(format!("{name}: {error}")))
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.values.len())
    }
}

impl std::fmt::Display for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::fmt::Debug for FieldError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for FieldError {}

impl serde::de::Error for FieldError {
    fn custom<M: std::fmt::Display>(message: M) -> Self {
        FieldError(message.to_string())
    }
}

/// Decodes one member, naming it in the error.
fn field<T: DeserializeOwned>(name: &str, value: Value) -> Result<T, FieldError> {
    serde_json::from_value(value).map_err(|error| FieldError(format!("{name}: {error}")))
}

/// A generated struct being encoded as a JSON object, one field at a time, in order.
///
/// Generated structs encode through this instead of serde's derive, whose per-field calls on
/// the generic serializer cost a quarter of a large client's `cargo check`. Fields are kept
/// type-erased until [`ObjectWriter::write`] writes them all.
#[derive(Default)]
pub struct ObjectWriter<'a>(Vec<(&'a str, &'a dyn erased_serde::Serialize)>);

impl<'a> ObjectWriter<'a> {
    /// An object without members yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Writes the member `name`.
    pub fn required<T: Serialize>(&mut self, name: &'a str, value: &'a T) {
        self.0.push((name, value));
    }

    /// Writes the member `name` unless it is `None`.
    pub fn optional<T: Serialize>(&mut self, name: &'a str, value: &'a Option<T>) {
        if let Some(value) = value {
            self.0.push((name, value));
        }
    }

    /// Writes the member `name` unless it is `None`; `Some(None)` writes `null`.
    pub fn nullable<T: Serialize>(&mut self, name: &'a str, value: &'a Option<Option<T>>) {
        self.optional(name, value);
    }

    /// Writes every entry of `members` after the fields.
    pub fn rest<T: Serialize>(&mut self, members: &'a std::collections::BTreeMap<String, T>) {
        self.0.extend(
            members.iter().map(|(name, value)| (name.as_str(), value as &dyn erased_serde::Serialize)),
        );
    }

    /// Writes the object.
    pub fn write<S: Serializer>(self, output: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap as _;
        let mut map = output.serialize_map(Some(self.0.len()))?;
        for (name, value) in self.0 {
            map.serialize_entry(name, value)?;
        }
        map.end()
    }
}

#[cfg(test)]
mod tests {
    use super::tagged;
    use serde_json::json;

    #[derive(serde::Serialize)]
    struct Circle {
        kind: String,
        radius: f64,
    }

    #[test]
    fn a_tagged_variant_writes_its_own_discriminator_value() {
        let wrong_tag = Circle { kind: "square".into(), radius: 1.5 };
        let written =
            tagged(serde_json::value::Serializer, "kind", "circle", &wrong_tag).expect("serializes");
        assert_eq!(written, json!({"kind": "circle", "radius": 1.5}));
    }

    #[test]
    fn a_tag_is_added_when_the_variant_has_no_such_field() {
        let written =
            tagged(serde_json::value::Serializer, "type", "point", &json!({"x": 1})).expect("serializes");
        assert_eq!(written, json!({"type": "point", "x": 1}));
    }
}
