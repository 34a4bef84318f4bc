//! Tests of `CIS_InfoImportantes` on a fixture built from the documented
//! layout, because no real copy is at hand. Each line has a CIS, a start
//! date, an end date and an HTML link with entities. The dates are ISO,
//! although the format document specifies DD/MM/YYYY, and the fixture uses
//! Windows-1252 bytes and CRLF endings.

use mediflux_plugin_bdpm::{
    Date, Encoding, FileKind, ParsedFile, RejectReason, parse, parse_important_information,
    parse_named,
};

fn fixture() -> Vec<u8> {
    let mut bytes = Vec::new();
    bytes.extend_from_slice(
        b"61266250\t2024-03-13\t2026-12-31\t<a target='_blank' \
          href='https://ansm.sante.fr/informations-de-securite/valproate?a=1&amp;b=2'>\
          Valproate : m&ecirc;me  pendant la grossesse, l\x92exposition est \xe0 \xe9viter</a>\r\n",
    );
    bytes.extend_from_slice(b"\r\n");
    bytes.extend_from_slice(
        b"60234100\t09/05/2026\t\t<a href=\"https://ansm.sante.fr/actualites/paracetamol\">\
          Parac&eacute;tamol &amp; fi&egrave;vre</a>\r\n",
    );
    bytes.extend_from_slice(b"6023410\t2026-05-09\t2026-06-09\t<a href='https://x.fr'>x</a>\r\n");
    bytes.extend_from_slice(b"60234100\t2026-02-30\t\t<a href='https://x.fr'>x</a>\r\n");
    bytes
}

#[test]
fn timestamped_name_detected() {
    let kind = FileKind::from_file_name("CIS_InfoImportantes_20260509143012_bdpm.txt");
    assert_eq!(kind, Ok(FileKind::ImportantInformation));
}

#[test]
fn fixture_rows_and_rejects() {
    let parsed = parse_important_information(&fixture());

    assert_eq!(parsed.encoding, Encoding::Windows1252);
    assert_eq!(parsed.records, 4);
    assert_eq!(parsed.rows.len(), 2);
    assert_eq!(parsed.rejects.len(), 2);
    assert_eq!(parsed.rejects[0].line, 4);
    assert!(matches!(
        parsed.rejects[0].reason,
        RejectReason::Invalid { column: 1, .. }
    ));
    assert_eq!(parsed.rejects[1].line, 5);
    assert_eq!(
        parsed.rejects[1].to_string(),
        "CIS_InfoImportantes.txt line 5: invalid start date in column 2: \"2026-02-30\", \
         expected an existing date written YYYY-MM-DD or DD/MM/YYYY"
    );
}

#[test]
fn link_text_url_and_iso_dates() {
    let parsed = parse_important_information(&fixture());
    let row = &parsed.rows[0];

    assert_eq!(row.cis, "61266250");
    assert_eq!(row.start_date, Date::new(2024, 3, 13));
    assert_eq!(row.end_date, Date::new(2026, 12, 31));
    assert_eq!(
        row.text,
        "Valproate : même  pendant la grossesse, l’exposition est à éviter"
    );
    assert_eq!(
        row.url.as_deref(),
        Some("https://ansm.sante.fr/informations-de-securite/valproate?a=1&b=2")
    );
    assert!(row.html.starts_with("<a target='_blank'"));
    assert!(row.html.contains("m&ecirc;me"));
}

#[test]
fn documented_date_form_and_empty_end() {
    let parsed = parse_important_information(&fixture());
    let row = &parsed.rows[1];

    assert_eq!(row.start_date, Date::new(2026, 5, 9));
    assert_eq!(row.end_date, None);
    assert_eq!(row.text, "Paracétamol & fièvre");
    assert_eq!(
        row.url.as_deref(),
        Some("https://ansm.sante.fr/actualites/paracetamol")
    );
}

#[test]
fn generic_parse_selects_variant() {
    let parsed = parse(FileKind::ImportantInformation, &fixture());
    assert!(matches!(parsed, ParsedFile::ImportantInformation(_)));
    assert_eq!(parsed.row_count(), 2);
}

#[test]
fn rejects_keep_timestamped_name() {
    let name = "downloads/CIS_InfoImportantes_20260509143012_bdpm.txt";
    let parsed = parse_named(name, &fixture()).expect("timestamped name is recognised");

    assert_eq!(parsed.kind(), FileKind::ImportantInformation);
    assert_eq!(parsed.rejects().len(), 2);
    for reject in parsed.rejects() {
        assert_eq!(reject.file, "CIS_InfoImportantes_20260509143012_bdpm.txt");
    }
}
