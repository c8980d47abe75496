//! outlets.yaml, validated with one story of the example site that cites
//! its outlets (so that ids are looked up, as a build does).
use parallax::fuzzing::check_texts;

const SITE: &str = include_str!("../../site.yaml");
const STORY: &str =
    include_str!("../../content/stories/2025-05-14-trump-visits-qatar-boeing-order.md");

fn main() {
    afl::fuzz!(|data: &[u8]| {
        if let Ok(outlets) = std::str::from_utf8(data) {
            check_texts(Some(SITE), Some(outlets), &[STORY]);
        }
    });
}
