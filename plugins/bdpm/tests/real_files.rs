//! Tests on real BDPM files, read in place from the shared data folder
//! beside the repository, one folder per downloaded snapshot.

use std::path::PathBuf;
use std::sync::OnceLock;
use std::time::Instant;

use mediflux_plugin_bdpm::{
    Date, Encoding, FileKind, HasOpinion, Parsed, ParsedFile, Presentation, Specialty, parse,
};

/// Snapshots at hand, with the files each contains.
const SETS: &[(&str, &[&str])] = &[
    (
        "2022-06-02",
        &[
            "CIS_bdpm.txt",
            "CIS_CIP_bdpm.txt",
            "CIS_COMPO_bdpm.txt",
            "CIS_GENER_bdpm.txt",
            "CIS_CPD_bdpm.txt",
            "CIS_HAS_SMR_bdpm.txt",
            "CIS_HAS_ASMR_bdpm.txt",
            "HAS_LiensPageCT_bdpm.txt",
        ],
    ),
    (
        "2023-11-18-has",
        &["CIS_HAS_SMR_bdpm.txt", "CIS_HAS_ASMR_bdpm.txt"],
    ),
    (
        "2026-01-28",
        &[
            "CIS_bdpm.txt",
            "CIS_CIP_bdpm.txt",
            "CIS_COMPO_bdpm.txt",
            "CIS_GENER_bdpm.txt",
            "CIS_CPD_bdpm.txt",
            "CIS_MITM.txt",
            "CIS_CIP_Dispo_Spec.txt",
        ],
    ),
    (
        "2026-07-24",
        &["CIS_bdpm.txt", "CIS_CIP_bdpm.txt", "CIS_GENER_bdpm.txt"],
    ),
];

/// Returns `<repository root>/../shared/data/bdpm`.
fn data_dir() -> PathBuf {
    let repository_root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    repository_root.join("../shared/data/bdpm")
}

fn read(set: &str, file: &str) -> Vec<u8> {
    let path = data_dir().join(set).join(file);
    std::fs::read(&path).unwrap_or_else(|error| {
        panic!(
            "cannot read the BDPM test file {}: {error}; these tests expect the shared \
             data folder beside the repository root",
            path.display()
        )
    })
}

/// One real file with its parse, shared by the tests so that each file is
/// parsed once per test run.
struct Loaded {
    set: &'static str,
    file: &'static str,
    bytes: Vec<u8>,
    parsed: ParsedFile,
}

fn all_files() -> &'static [Loaded] {
    static LOADED: OnceLock<Vec<Loaded>> = OnceLock::new();
    LOADED.get_or_init(|| {
        let mut loaded = Vec::new();
        for (set, files) in SETS {
            for file in *files {
                let bytes = read(set, file);
                let kind = FileKind::from_file_name(file).unwrap_or_else(|error| panic!("{error}"));
                let parsed = parse(kind, &bytes);
                loaded.push(Loaded {
                    set,
                    file,
                    bytes,
                    parsed,
                });
            }
        }
        loaded
    })
}

fn loaded(set: &str, file: &str) -> &'static ParsedFile {
    let found = all_files()
        .iter()
        .find(|loaded| loaded.set == set && loaded.file == file);
    &found
        .unwrap_or_else(|| panic!("{set}/{file} is not listed in SETS"))
        .parsed
}

fn presentations(set: &str) -> &'static Parsed<Presentation> {
    match loaded(set, "CIS_CIP_bdpm.txt") {
        ParsedFile::Presentations(parsed) => parsed,
        other => panic!("{set}: CIS_CIP_bdpm.txt parsed as {}", other.kind()),
    }
}

fn specialties(set: &str) -> &'static Parsed<Specialty> {
    match loaded(set, "CIS_bdpm.txt") {
        ParsedFile::Specialties(parsed) => parsed,
        other => panic!("{set}: CIS_bdpm.txt parsed as {}", other.kind()),
    }
}

fn has_opinions(set: &str, file: &str) -> &'static Parsed<HasOpinion> {
    match loaded(set, file) {
        ParsedFile::HasSmr(parsed) | ParsedFile::HasAsmr(parsed) => parsed,
        other => panic!("{set}: {file} parsed as {}", other.kind()),
    }
}

/// Counts non-blank lines, where CRLF, LF and a lone CR each end a line,
/// without using the parser's code.
fn count_physical_records(bytes: &[u8]) -> usize {
    let text = String::from_utf8_lossy(bytes)
        .replace("\r\n", "\n")
        .replace('\r', "\n");
    text.split('\n')
        .filter(|line| line.chars().any(|c| c != ' ' && c != '\t'))
        .count()
}

/// Lines expected among the rejects of each file: only the 2022 rows with
/// stray TABs.
fn expected_reject_lines(set: &str, file: &str) -> Vec<usize> {
    match (set, file) {
        ("2022-06-02", "CIS_COMPO_bdpm.txt") => vec![26838, 26839, 26840],
        ("2022-06-02", "CIS_GENER_bdpm.txt") => vec![10004, 10005],
        _ => vec![],
    }
}

#[test]
fn rows_plus_rejects_equal_records() {
    for Loaded {
        set,
        file,
        bytes,
        parsed,
    } in all_files()
    {
        let physical = count_physical_records(bytes);

        println!(
            "{set}/{file}: {} records, {} rows, {} rejects, {}",
            parsed.records(),
            parsed.row_count(),
            parsed.rejects().len(),
            parsed.encoding().label()
        );
        assert_eq!(parsed.records(), physical, "{set}/{file}: physical records");
        assert_eq!(
            parsed.row_count(),
            physical - parsed.rejects().len(),
            "{set}/{file}: rows = records - rejects"
        );
    }
}

#[test]
fn rejects_only_stray_tab_rows() {
    for Loaded {
        set, file, parsed, ..
    } in all_files()
    {
        let lines: Vec<usize> = parsed.rejects().iter().map(|reject| reject.line).collect();
        assert_eq!(
            lines,
            expected_reject_lines(set, file),
            "{set}/{file}: {:#?}",
            parsed.rejects()
        );

        for reject in parsed.rejects() {
            assert_eq!(reject.file, *file);
            assert!(
                reject.to_string().contains("tab-separated fields"),
                "{set}/{file}: unexpected reason {reject}"
            );
        }
    }
}

#[test]
fn known_row_counts_2026_01_28() {
    let expected = [
        ("CIS_bdpm.txt", 15_799),
        ("CIS_CIP_bdpm.txt", 20_875),
        ("CIS_COMPO_bdpm.txt", 32_449),
        ("CIS_GENER_bdpm.txt", 10_614),
        ("CIS_CPD_bdpm.txt", 27_856),
        ("CIS_MITM.txt", 8_107),
        ("CIS_CIP_Dispo_Spec.txt", 993),
    ];
    for (file, rows) in expected {
        assert_eq!(loaded("2026-01-28", file).row_count(), rows, "{file}");
    }
}

#[test]
fn doliprane_specialty_each_set() {
    for set in ["2022-06-02", "2026-01-28", "2026-07-24"] {
        let parsed = specialties(set);
        let doliprane = parsed
            .rows
            .iter()
            .find(|row| row.cis == "60234100")
            .unwrap_or_else(|| panic!("{set}: CIS 60234100 not found"));

        assert_eq!(doliprane.name, "DOLIPRANE 1000 mg, comprimé", "{set}");
        assert_eq!(doliprane.form, "comprimé", "{set}");
        assert_eq!(doliprane.holders, vec!["OPELLA HEALTHCARE FRANCE"], "{set}");
        assert_eq!(
            doliprane.authorization_date,
            Date::new(2002, 7, 9).expect("valid date")
        );
    }
}

#[test]
fn doliprane_box_price_each_set() {
    let expected_prices = [
        ("2022-06-02", 107, 209),
        ("2026-01-28", 107, 209),
        ("2026-07-24", 116, 218),
    ];
    for (set, price, price_with_fee) in expected_prices {
        let parsed = presentations(set);
        let doliprane = parsed
            .rows
            .iter()
            .find(|row| row.cip13 == "3400935955838")
            .unwrap_or_else(|| panic!("{set}: CIP13 3400935955838 not found"));

        assert_eq!(doliprane.cis, "60234100", "{set}");
        assert_eq!(doliprane.cip7, "3595583", "{set}");
        assert!(
            doliprane.label.contains("de 8  comprimé(s)"),
            "{set}: {}",
            doliprane.label
        );
        assert_eq!(doliprane.reimbursement_rates_bp, vec![6500], "{set}");
        assert_eq!(doliprane.price_cents, Some(price), "{set}");
        assert_eq!(
            doliprane.price_with_fee_cents,
            Some(price_with_fee),
            "{set}"
        );
        assert_eq!(doliprane.dispensing_fee_cents, Some(102), "{set}");
    }
}

#[test]
fn presentation_encoding_per_set() {
    let expected = [
        ("2022-06-02", Encoding::Windows1252),
        ("2026-01-28", Encoding::Utf8),
        ("2026-07-24", Encoding::Utf8),
    ];
    for (set, encoding) in expected {
        let parsed = presentations(set);
        assert_eq!(parsed.encoding, encoding, "{set}");
    }
}

#[test]
fn no_replacement_or_c1_characters() {
    for Loaded {
        set, file, parsed, ..
    } in all_files()
    {
        let json = serde_json::to_string(parsed).expect("rows serialize to JSON");

        assert!(!json.contains('\u{FFFD}'), "{set}/{file}: U+FFFD found");
        let c1 = json.chars().find(|c| ('\u{80}'..='\u{9f}').contains(c));
        assert_eq!(c1, None, "{set}/{file}: C1 control character found");
    }
}

#[test]
fn windows_1252_apostrophe_in_has_opinions() {
    for set in ["2022-06-02", "2023-11-18-has"] {
        let smr = has_opinions(set, "CIS_HAS_SMR_bdpm.txt");
        assert_eq!(smr.encoding, Encoding::Windows1252, "{set}");
        assert!(
            smr.rows.iter().any(|row| row.label.contains('’')),
            "{set}: no ’ in SMR labels"
        );

        let asmr = has_opinions(set, "CIS_HAS_ASMR_bdpm.txt");
        assert!(
            asmr.rows.iter().any(|row| row.label.contains('’')),
            "{set}: no ’ in ASMR labels"
        );
    }
}

#[test]
fn html_removed_from_real_text() {
    let presentations = presentations("2026-01-28");
    for row in &presentations.rows {
        assert!(
            !row.reimbursement_indications.contains("<br>"),
            "{}",
            row.cip13
        );
    }
    let bare_less_than = presentations
        .rows
        .iter()
        .filter(|row| {
            row.reimbursement_indications
                .contains("< ou = 100 000 copies")
        })
        .count();
    assert!(bare_less_than > 0, "bare < removed from indications");

    let specialties = specialties("2026-01-28");
    let imukin = specialties
        .rows
        .iter()
        .find(|row| row.cis == "67401121")
        .expect("CIS 67401121 present");
    assert!(imukin.name.contains("10^6 UI"), "{}", imukin.name);
}

#[test]
fn thousands_comma_prices_2026_01_28() {
    let parsed = presentations("2026-01-28");
    let at_least_1000_euros = parsed
        .rows
        .iter()
        .filter(|row| row.price_cents.is_some_and(|cents| cents >= 100_000))
        .count();
    assert!(at_least_1000_euros > 0, "no price of 1000 € or more parsed");

    // Published as `12,760,70` and `12,761,80`: the fee column contains 1,02 but
    // the two prices differ by 1,10, so the test checks each column alone.
    let expensive = parsed
        .rows
        .iter()
        .find(|row| row.cip13 == "3400930162767")
        .expect("CIP13 3400930162767 present");
    assert_eq!(expensive.price_cents, Some(1_276_070));
    assert_eq!(expensive.price_with_fee_cents, Some(1_276_180));
    assert_eq!(expensive.reimbursement_rates_bp, vec![10_000]);
}

#[test]
fn full_2026_01_28_set_parse_time() {
    let (set, files) = SETS
        .iter()
        .find(|(set, _)| *set == "2026-01-28")
        .expect("2026-01-28 set listed");
    let inputs: Vec<(&str, Vec<u8>)> = files.iter().map(|file| (*file, read(set, file))).collect();

    let start = Instant::now();
    let mut rows = 0;
    for (file, bytes) in &inputs {
        rows += parse(FileKind::from_file_name(file).expect("known name"), bytes).row_count();
    }
    let elapsed = start.elapsed();

    println!("parsed {rows} rows of the 2026-01-28 set in {elapsed:?} (excluding file reads)");
    assert!(rows > 100_000);
}
