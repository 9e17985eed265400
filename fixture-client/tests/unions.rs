//! Discriminated unions (`composition.yaml`'s `Pet`): open to kinds the spec does not list,
//! and each variant writes its own tag.

use fixture_client::composition::{Circle, Pet, Square};
use serde_json::json;

#[test]
fn a_mapped_kind_decodes_to_its_variant() {
    let pet: Pet = serde_json::from_value(json!({"kind": "square", "side": 2.0})).expect("decodes");
    assert_eq!(pet, Pet::Square(Square::new("square", 2.0)));
}

#[test]
fn an_unmapped_kind_is_kept_as_raw_json_and_sent_back_unchanged() {
    let sent = json!({"kind": "triangle", "sides": [3, 4, 5]});
    let pets: Vec<Pet> = serde_json::from_value(json!([{"kind": "circle", "radius": 1.0}, sent.clone()]))
        .expect("a list with a new kind still decodes");
    assert_eq!(pets[1], Pet::Other(sent.clone()));
    assert_eq!(serde_json::to_value(&pets[1]).expect("encodes"), sent);
}

#[test]
fn a_variant_writes_its_own_tag_whatever_its_field_holds() {
    let mislabelled = Pet::Circle(Circle::new("square", 1.5));
    assert_eq!(
        serde_json::to_value(&mislabelled).expect("encodes"),
        json!({"kind": "circle", "radius": 1.5})
    );
}

#[test]
fn a_known_kind_with_a_wrong_shape_is_still_an_error() {
    let error = serde_json::from_value::<Pet>(json!({"kind": "circle"})).expect_err("radius is required");
    assert!(error.to_string().contains("radius"), "{error}");
}

#[test]
fn a_property_each_alternative_fixes_selects_the_alternative() {
    use fixture_client::composition::Message;
    // By shape, the first alternative (`Text`) would take this: its `type` is an open enum.
    let image: Message =
        serde_json::from_str(r#"{"type": "image", "url": "u", "text": "t"}"#).expect("decodes");
    assert!(matches!(&image, Message::Image(image) if image.url == "u"), "{image:?}");
    let unknown: Message = serde_json::from_str(r#"{"type": "video", "src": "v"}"#).expect("decodes");
    assert!(
        matches!(&unknown, Message::Other(value) if value["src"] == "v"),
        "a new kind is kept: {unknown:?}"
    );
    assert_eq!(serde_json::to_value(&image).expect("encodes")["type"], "image");
}
