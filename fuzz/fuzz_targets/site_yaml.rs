//! site.yaml, validated with the example site's outlets and one story (its
//! settings reach story validation: raw HTML, the default image).
use parallax::fuzzing::check_texts;

const OUTLETS: &str = include_str!("../../content/outlets.yaml");
const STORY: &str =
    include_str!("../../content/stories/2025-05-14-trump-visits-qatar-boeing-order.md");

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(site) = std::str::from_utf8(data) {
            check_texts(Some(site), Some(OUTLETS), &[STORY]);
        }
    });
}
