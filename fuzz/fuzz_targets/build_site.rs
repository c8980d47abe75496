//! A whole build: the fuzzed bytes become one story file of a small fixed
//! site (the example's settings, outlets, one story and the about page),
//! built from scratch into a temporary output folder each time, as
//! `parallax build` does. A content error is fine; a panic or a hang is not.
use parallax::build::{build, Failure, Options};
use std::fs;

const FILES: [(&str, &str); 4] = [
    ("site.yaml", include_str!("../../site.yaml")),
    (
        "content/outlets.yaml",
        include_str!("../../content/outlets.yaml"),
    ),
    (
        "content/stories/2025-05-14-trump-visits-qatar-boeing-order.md",
        include_str!("../../content/stories/2025-05-14-trump-visits-qatar-boeing-order.md"),
    ),
    (
        "content/pages/about.md",
        include_str!("../../content/pages/about.md"),
    ),
];

fn main() {
    let work = tempfile::tempdir().expect("a temporary folder");
    let root = work.path().join("site");
    for (rel, text) in FILES {
        let path = root.join(rel);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
    }
    // The search index is Pagefind's work and nine tenths of a build's time
    // (half a second here): without it the fuzzer runs twenty times faster
    // through the code that is Parallax's own.
    let site_yaml = root.join("site.yaml");
    let settings = fs::read_to_string(&site_yaml).unwrap();
    fs::write(&site_yaml, format!("{settings}search: false\n")).unwrap();
    let story = root.join("content/stories/fuzz.md");
    let options = Options {
        root: root.clone(),
        output: work.path().join("out"),
        base_url: None,
        drafts: true,
    };
    afl::fuzz!(|data: &[u8]| {
        for leftover in [&options.output, &root.join(".parallax-cache")] {
            let _ = fs::remove_dir_all(leftover);
        }
        fs::write(&story, data).unwrap();
        match build(&options) {
            // Run by hand (`build_site < FILE`), this tells where time goes.
            Ok(report) if std::env::var_os("FUZZ_STAGES").is_some() => {
                eprintln!("{:?}", report.stages)
            }
            Ok(_) => {}
            Err(Failure::Content(diagnostics)) => parallax::fuzzing::show(&diagnostics),
            Err(Failure::Refused(why)) => panic!("refused: {why}"),
            // The fixed site and a fresh output folder leave the disk no
            // reason to fail: what `check` passes, `build` must write.
            Err(Failure::Io(why)) => panic!("I/O failure: {why}"),
            Err(Failure::Commit(why)) => panic!("commit cut short: {why}"),
        }
    });
}
