#[path = "clamp.rs"]
mod clamp;

#[test]
fn above_the_range() {
    assert_eq!(clamp::clamp(15, 0, 10), 10);
    assert_eq!(clamp::clamp(11, -5, 10), 10);
}

#[test]
fn inside_and_below() {
    assert_eq!(clamp::clamp(5, 0, 10), 5);
    assert_eq!(clamp::clamp(-3, 0, 10), 0);
}
