//! One story file's front matter and body, validated beside a fixed valid
//! story (so that `related:` and slug clashes have something to meet), with
//! the example site's settings and outlet registry.
use parallax::fuzzing::check_texts;

const SITE: &str = include_str!("../../site.yaml");
const OUTLETS: &str = include_str!("../../content/outlets.yaml");
const OTHER: &str =
    include_str!("../../content/stories/2025-05-14-trump-visits-qatar-boeing-order.md");

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(story) = std::str::from_utf8(data) {
            check_texts(Some(SITE), Some(OUTLETS), &[story, OTHER]);
        }
    });
}
