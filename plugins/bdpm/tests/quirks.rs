//! End-to-end tests of each documented BDPM quirk through the public parsers,
//! on small inline files.

use mediflux_plugin_bdpm::{
    Date, Encoding, FileKind, ParsedFile, RejectReason, clean_text, parse, parse_availability,
    parse_compositions, parse_generic_groups, parse_has_smr, parse_prescription_conditions,
    parse_presentations, parse_specialties,
};

/// Builds a CIS_CIP line with the given rate and prices, LF-terminated as in the
/// real file, with the trailing TAB of an empty indication column.
fn presentation_line(rate: &str, price: &str, price_with_fee: &str) -> String {
    format!(
        "60234100\t3595583\tboîte de 8\tPrésentation active\tDéclaration de commercialisation\t\
         02/01/2003\t3400935955838\toui\t{rate}\t{price}\t{price_with_fee}\t1,02\t\n"
    )
}

#[test]
fn cr_only_line_endings() {
    let bytes = b"60234100\tliste I\r60234100\tliste II\r\r61266250\tstup\xe9fiants\r";
    let parsed = parse_prescription_conditions(bytes);

    assert_eq!(parsed.records, 3);
    assert_eq!(parsed.rejects, vec![]);
    assert_eq!(parsed.rows[2].condition, "stupéfiants");
}

#[test]
fn mixed_line_endings_and_blank_lines() {
    let bytes = b"\r\n60234100\tliste I\r\n\n60234100\tliste II\n \t\r61266250\tliste I\r";
    let parsed = parse_prescription_conditions(bytes);

    assert_eq!(parsed.records, 3);
    assert_eq!(parsed.rows.len(), 3);
}

#[test]
fn stray_tab_rejected_with_line() {
    let bytes = b"1\tlabel A\t68053454\t0\t1\r\n1809\tlabel B\t\t67215259\t0\t1\t\r\n2\tlabel C\t68053455\t1\t2\r\n";
    let parsed = parse_generic_groups(bytes);

    assert_eq!(parsed.records, 3);
    assert_eq!(parsed.rows.len(), 2);
    assert_eq!(parsed.rows[1].cis, "68053455");
    assert_eq!(parsed.rejects.len(), 1);
    assert_eq!(parsed.rejects[0].file, "CIS_GENER_bdpm.txt");
    assert_eq!(parsed.rejects[0].line, 2);
    assert!(matches!(
        parsed.rejects[0].reason,
        RejectReason::FieldCount { found: 6, .. }
    ));
}

#[test]
fn trailing_tab_accepted() {
    let bytes =
        b"60234100\tcomprim\xe9\t02202\tPARAC\xc9TAMOL\t1000 mg\tun comprim\xe9\tSA\t1\t\r\n";
    let parsed = parse_compositions(bytes);

    assert_eq!(parsed.rejects, vec![]);
    assert_eq!(parsed.rows[0].substance_code, "02202");
}

#[test]
fn thousands_comma_price() {
    let line = presentation_line("100%", "1,195,27", "1,196,29");
    let parsed = parse_presentations(line.as_bytes());

    assert_eq!(parsed.rows[0].price_cents, Some(119_527));
    assert_eq!(parsed.rows[0].price_with_fee_cents, Some(119_629));
}

#[test]
fn both_rate_spellings() {
    for rate in ["65%", "65 %"] {
        let line = presentation_line(rate, "1,07", "2,09");
        let parsed = parse_presentations(line.as_bytes());
        assert_eq!(
            parsed.rows[0].reimbursement_rates_bp,
            vec![6500],
            "{rate:?}"
        );
    }
}

#[test]
fn date_dd_mm_yyyy() {
    let line = "61200510\t\t2\tTension d'approvisionnement\t22/10/2025\t26/01/2026\t\thttps://ansm.sante.fr/x\r\n";
    let parsed = parse_availability(line.as_bytes());

    assert_eq!(
        parsed.rows[0].start_date,
        Date::new(2025, 10, 22).expect("valid date")
    );
    assert_eq!(parsed.rows[0].update_date.to_string(), "2026-01-26");
}

#[test]
fn date_yyyymmdd() {
    let line = "60082233\tCT-20449\tInscription (CT)\t20230830\tImportant\tLe SMR est important.\n";
    let parsed = parse_has_smr(line.as_bytes());

    assert_eq!(
        parsed.rows[0].opinion_date,
        Date::new(2023, 8, 30).expect("valid date")
    );
}

#[test]
fn date_serialized_as_iso_in_json() {
    let line = "60082233\tCT-20449\tInscription (CT)\t20230830\tImportant\tx\n";
    let parsed = parse_has_smr(line.as_bytes());
    let json = serde_json::to_value(&parsed.rows[0]).expect("row serializes");

    assert_eq!(json["opinion_date"], "2023-08-30");
    assert_eq!(json["cis"], "60082233");
}

#[test]
fn html_removed_for_display() {
    assert_eq!(clean_text(" <p>5,45 mg</p> "), "5,45 mg");
    assert_eq!(
        clean_text("cas suivants :<br><br>- Asthme"),
        "cas suivants :\n- Asthme"
    );
    assert_eq!(clean_text("L&RSQUO;ARYLSULFATASE"), "L’ARYLSULFATASE");
    assert_eq!(
        clean_text("charge virale < ou = 100 000"),
        "charge virale < ou = 100 000"
    );
}

#[test]
fn windows_1252_apostrophe() {
    let bytes = b"60082233\tCT-1\tInscription (CT)\t20230830\tImportant\tdans l\x92indication \x96 \x85\r\n";
    let parsed = parse_has_smr(bytes);

    assert_eq!(parsed.encoding, Encoding::Windows1252);
    assert_eq!(parsed.rows[0].label, "dans l’indication – …");
}

#[test]
fn leading_space_trimmed() {
    let line = "60234100\tDOLIPRANE\t comprimé et solution\torale\tAutorisation active\tProcédure nationale\tCommercialisée\t09/07/2002\t\t\t OPELLA HEALTHCARE FRANCE\tNon\r\n";
    let parsed = parse_specialties(line.as_bytes());

    assert_eq!(parsed.rows[0].form, "comprimé et solution");
    assert_eq!(parsed.rows[0].holders, vec!["OPELLA HEALTHCARE FRANCE"]);
}

#[test]
fn parsed_file_round_trips_json() {
    let line = presentation_line("65 %", "1,07", "2,09");
    let parsed = parse(FileKind::Presentations, line.as_bytes());
    let json = serde_json::to_string(&parsed).expect("parsed file serializes");
    let back: ParsedFile = serde_json::from_str(&json).expect("parsed file deserializes");

    assert_eq!(back, parsed);
    assert!(
        json.starts_with(r#"{"kind":"presentations","parsed":{"file":"CIS_CIP_bdpm.txt""#),
        "{json}"
    );
}
