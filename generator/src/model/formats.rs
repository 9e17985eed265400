//! Which Rust type a scalar schema becomes: the one place where `type` + `format` is read.
//!
//! `openapiv3` parses the formats it knows into enums and keeps the rest as text; both reach
//! [`scalar_type`] as the format's name, so a format is mapped once whichever way it arrived.

use super::{FloatType, IntType, Type};
use openapiv3::{IntegerFormat, NumberFormat, StringFormat, VariantOrUnknownOrEmpty};

/// The Rust type of a scalar JSON type (`string`, `integer`, `number`, `boolean`) with an
/// optional `format`; `None` for anything else. Unknown formats are the type's plain form.
pub fn scalar_type(json_type: &str, format: Option<&str>) -> Option<Type> {
    Some(match (json_type, format) {
        ("string", Some("date-time")) => Type::DateTime,
        ("string", Some("date")) => Type::Date,
        ("string", Some("uuid")) => Type::Uuid,
        ("string", Some("byte")) => Type::Base64,
        // `binary` inside JSON has no standard encoding; it stays text (bodies are bytes).
        ("string", _) => Type::String,
        ("integer", format) => Type::Int(match format {
            Some("int8") => IntType::I8,
            Some("int16") => IntType::I16,
            Some("int32") => IntType::I32,
            Some("uint8") => IntType::U8,
            Some("uint16") => IntType::U16,
            Some("uint32") => IntType::U32,
            Some("uint64") => IntType::U64,
            _ => IntType::I64,
        }),
        ("number", Some("float")) => Type::Float(FloatType::F32),
        ("number", _) => Type::Float(FloatType::F64),
        ("boolean", _) => Type::Bool,
        _ => return None,
    })
}

/// The name of a format `openapiv3` parsed, or the text of one it did not.
fn format_name<F>(format: &VariantOrUnknownOrEmpty<F>, name: impl Fn(&F) -> &'static str) -> Option<&str> {
    match format {
        VariantOrUnknownOrEmpty::Item(known) => Some(name(known)),
        VariantOrUnknownOrEmpty::Unknown(text) => Some(text),
        VariantOrUnknownOrEmpty::Empty => None,
    }
}

pub fn string_format(format: &VariantOrUnknownOrEmpty<StringFormat>) -> Option<&str> {
    format_name(format, |known| match known {
        StringFormat::Date => "date",
        StringFormat::DateTime => "date-time",
        StringFormat::Password => "password",
        StringFormat::Byte => "byte",
        StringFormat::Binary => "binary",
    })
}

pub fn integer_format(format: &VariantOrUnknownOrEmpty<IntegerFormat>) -> Option<&str> {
    format_name(format, |known| match known {
        IntegerFormat::Int32 => "int32",
        IntegerFormat::Int64 => "int64",
    })
}

pub fn number_format(format: &VariantOrUnknownOrEmpty<NumberFormat>) -> Option<&str> {
    format_name(format, |known| match known {
        NumberFormat::Float => "float",
        NumberFormat::Double => "double",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_map_to_rust_types() {
        assert_eq!(scalar_type("string", Some("date-time")), Some(Type::DateTime));
        assert_eq!(scalar_type("string", Some("binary")), Some(Type::String));
        assert_eq!(scalar_type("string", Some("email")), Some(Type::String));
        assert_eq!(scalar_type("integer", None), Some(Type::Int(IntType::I64)));
        assert_eq!(scalar_type("integer", Some("uint8")), Some(Type::Int(IntType::U8)));
        assert_eq!(scalar_type("number", Some("float")), Some(Type::Float(FloatType::F32)));
        assert_eq!(scalar_type("number", Some("decimal")), Some(Type::Float(FloatType::F64)));
        assert_eq!(scalar_type("object", None), None);
    }

    #[test]
    fn parsed_and_unparsed_formats_are_read_alike() {
        let parsed = VariantOrUnknownOrEmpty::Item(StringFormat::DateTime);
        let unparsed = VariantOrUnknownOrEmpty::Unknown("date-time".to_owned());
        assert_eq!(string_format(&parsed), string_format(&unparsed));
        assert_eq!(integer_format(&VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32)), Some("int32"));
        assert_eq!(number_format(&VariantOrUnknownOrEmpty::Empty), None);
    }
}
