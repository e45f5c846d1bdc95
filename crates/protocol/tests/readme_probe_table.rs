//! The README's probe table lists every case with its level and sections, as the cases
//! declare them.

use protocol::probe::CASES;

#[test]
fn the_readme_lists_every_probe_case_with_its_level_and_sections() {
    let readme = include_str!("../../../README.md");
    for case in CASES {
        let row = readme
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", case.id)))
            .unwrap_or_else(|| panic!("{} is not in the README's probe table", case.id));
        assert!(
            row.contains(&format!("| {}: ", case.level.label())),
            "{}: level {} not in {row}",
            case.id,
            case.level.label()
        );
        for s in case.spec {
            assert!(
                row.contains(&format!("[{}]({})", s.label, s.url)),
                "{}: {} not in {row}",
                case.id,
                s.label
            );
        }
    }
}
