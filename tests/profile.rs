//! `mediflux profile` and `mediflux expense` through the real binary: set,
//! show and partial updates, several profiles, the GDPR export and erasure,
//! the yearly ledger, profile defaults in `simulate`, and French errors.

use std::path::Path;

use mediflux_memory::{MemoryDb, MemoryOptions, NewDocument, NewExchange};
use mediflux_tests::run_mediflux;
use serde_json::{Value, json};

/// Runs `mediflux` with `arguments`, panics with its output unless it
/// succeeds, and returns standard output.
fn ok(data: &Path, arguments: &[&str]) -> String {
    let (code, stdout, stderr) = run_mediflux(data, arguments);
    assert_eq!(
        code, 0,
        "mediflux {arguments:?} failed\nstdout: {stdout}\nstderr: {stderr}"
    );
    stdout
}

/// Runs `mediflux --json` with `arguments` and parses standard output.
fn ok_json(data: &Path, arguments: &[&str]) -> Value {
    let mut full = vec!["--json"];
    full.extend_from_slice(arguments);
    let stdout = ok(data, &full);
    serde_json::from_str(&stdout).unwrap_or_else(|error| panic!("not JSON ({error}): {stdout}"))
}

/// Runs `mediflux` with `arguments`, expects a failure and returns standard error.
fn fails(data: &Path, arguments: &[&str]) -> String {
    let (code, stdout, stderr) = run_mediflux(data, arguments);
    assert_ne!(
        code, 0,
        "mediflux {arguments:?} should fail\nstdout: {stdout}"
    );
    stderr
}

/// Returns billed, base, AMO, deductions, AMC and patient cents of a simulation total.
fn six(result: &Value) -> [i64; 6] {
    [
        "billed_cents",
        "base_cents",
        "amo_cents",
        "deductions_cents",
        "amc_cents",
        "patient_cents",
    ]
    .map(|key| {
        result["total"][key]
            .as_i64()
            .unwrap_or_else(|| panic!("missing {key} in {result}"))
    })
}

/// The cardiologist example of ameli.fr: secteur 2 OPTAM, 60 € billed, 2025.
const CARDIOLOGIST: [&str; 9] = [
    "simulate",
    "--specialty",
    "cardiologue",
    "--sector",
    "2-optam",
    "--billed",
    "60",
    "--date",
    "2025-06-01",
];

#[test]
fn set_show_and_partial_update() {
    let data = tempfile::tempdir().expect("data folder");

    let created = ok(
        data.path(),
        &[
            "profile",
            "set",
            "--age",
            "40",
            "--mutuelle",
            "200% BR",
            "--postcode",
            "69003",
            "--city",
            "Lyon",
            "--medecin-traitant",
            "--ald",
            "diabète de type 2",
        ],
    );
    assert!(created.contains("Profil « moi » créé."), "{created}");
    assert!(created.contains("200 % BR"), "{created}");
    assert!(created.contains("69003 Lyon (département 69)"), "{created}");

    let shown = ok_json(data.path(), &["profile", "show"]);
    assert_eq!(shown["label"], "moi");
    assert_eq!(shown["is_default"], true);
    assert_eq!(shown["age"]["stated"]["years"], 40);
    assert_eq!(
        shown["mutuelle"]["guarantees"]["consultation_optam"],
        20_000
    );
    assert_eq!(shown["mutuelle"]["responsable"], true);
    assert_eq!(shown["place"]["departement"], "69");
    assert_eq!(shown["ald"][0]["name"], "diabète de type 2");
    assert_eq!(shown["medecin_traitant"], true);

    let updated = ok_json(
        data.path(),
        &[
            "profile",
            "set",
            "--c2s",
            "--mutuelle-non-optam",
            "150% BR",
            "--ald",
            "asthme sévère",
        ],
    );
    assert_eq!(updated["public_cover"], "c2s");
    assert_eq!(
        updated["mutuelle"]["guarantees"]["consultation_non_optam"],
        15_000
    );
    assert_eq!(
        updated["mutuelle"]["guarantees"]["consultation_optam"], 20_000,
        "the other guarantees are kept"
    );
    assert_eq!(updated["age"], shown["age"], "age kept");
    assert_eq!(updated["place"], shown["place"], "place kept");
    assert_eq!(updated["ald"].as_array().map(Vec::len), Some(2));

    let cleared = ok_json(
        data.path(),
        &["profile", "set", "--clear", "mutuelle", "--clear", "ald"],
    );
    assert_eq!(cleared["mutuelle"], Value::Null);
    assert_eq!(cleared["ald"], json!([]));
    assert_eq!(cleared["public_cover"], "c2s", "cover kept");

    let text = ok(data.path(), &["profile", "show"]);
    assert!(text.contains("Mutuelle : aucune renseignée"), "{text}");
    assert!(
        text.contains("Couverture publique : complémentaire santé solidaire (C2S)"),
        "{text}"
    );

    let nothing = fails(data.path(), &["profile", "set"]);
    assert!(nothing.contains("rien à modifier"), "{nothing}");
}

#[test]
fn two_profiles_and_profile_option() {
    let data = tempfile::tempdir().expect("data folder");
    ok(data.path(), &["profile", "set", "--age", "40"]);
    ok(
        data.path(),
        &[
            "profile",
            "set",
            "--profile",
            "Léa",
            "--birth-date",
            "2017-03-15",
        ],
    );

    let listed = ok(data.path(), &["profile", "list"]);
    assert_eq!(listed, "moi (par défaut)\nLéa\n");

    let lea = ok_json(data.path(), &["profile", "show", "--profile", "léa"]);
    assert_eq!(lea["label"], "Léa");
    assert_eq!(lea["age"]["birth_date"], "2017-03-15");
    let me = ok_json(data.path(), &["profile", "show"]);
    assert_eq!(me["label"], "moi");
    assert_eq!(me["age"]["stated"]["years"], 40);

    ok(
        data.path(),
        &["profile", "set", "--profile", "Léa", "--ame"],
    );
    let me = ok_json(data.path(), &["profile", "show", "--profile", "moi"]);
    assert_eq!(me["public_cover"], Value::Null, "update only touches Léa");

    let switched = ok(data.path(), &["profile", "default", "Léa"]);
    assert!(switched.contains("« Léa »"), "{switched}");
    let default = ok_json(data.path(), &["profile", "show"]);
    assert_eq!(default["label"], "Léa");
    assert_eq!(default["public_cover"], "ame");

    let unknown = fails(data.path(), &["profile", "show", "--profile", "Tom"]);
    assert!(unknown.contains("profil « Tom » introuvable"), "{unknown}");
    assert!(unknown.contains("moi, Léa"), "{unknown}");
}

/// Adds an exchange and a document to profile `label` through the memory
/// library, since no command writes them yet.
fn seed_history_and_document(data: &Path, label: &str, marker: &str) {
    let mut db = MemoryDb::open(data, MemoryOptions::default()).expect("open memory");
    let profile = db.resolve_profile(Some(label)).expect("profile exists");
    db.record_exchange(
        profile.id,
        NewExchange {
            question: format!("Combien coûte le {marker} ?"),
            intent: "cost.medication".to_owned(),
            slots: json!({ "medication": marker }),
            answer_summary: "reste à charge 1,00 €".to_owned(),
        },
    )
    .expect("record exchange");
    db.add_document(
        profile.id,
        NewDocument {
            kind: "ordonnance".to_owned(),
            title: format!("Ordonnance {marker}"),
            file_name: Some("ordonnance.pdf".to_owned()),
            content_sha256: None,
            issued_on: None,
            metadata: json!({}),
        },
    )
    .expect("add document");
}

#[test]
fn export_contains_every_section() {
    let data = tempfile::tempdir().expect("data folder");
    ok(
        data.path(),
        &["profile", "set", "--age", "52", "--mutuelle", "150% BR"],
    );
    ok(
        data.path(),
        &[
            "expense",
            "add",
            "--kind",
            "franchise",
            "--amount",
            "1",
            "--date",
            "2025-03-04",
            "--label",
            "Pharmacie du Marché",
        ],
    );
    seed_history_and_document(data.path(), "moi", "Doliprane");

    let file = data.path().join("export.json");
    ok(
        data.path(),
        &[
            "profile",
            "export",
            "--output",
            file.to_str().expect("utf-8"),
        ],
    );
    let text = std::fs::read_to_string(&file).expect("export written");
    let export: Value = serde_json::from_str(&text).expect("export is JSON");

    assert_eq!(export["format_version"], 1);
    assert_eq!(export["profile"]["label"], "moi");
    assert_eq!(export["profile"]["age"]["stated"]["years"], 52);
    assert_eq!(export["ledger"][0]["kind"], "franchise_medicine");
    assert_eq!(export["ledger"][0]["amount_cents"], 100);
    assert_eq!(export["ledger"][0]["label"], "Pharmacie du Marché");
    assert_eq!(
        export["exchanges"][0]["question"],
        "Combien coûte le Doliprane ?"
    );
    assert!(export["exchange_summaries"].is_array(), "{export}");
    assert_eq!(export["documents"][0]["title"], "Ordonnance Doliprane");

    let stdout_export: Value =
        serde_json::from_str(&ok(data.path(), &["profile", "export"])).expect("JSON");
    assert_eq!(stdout_export["ledger"], export["ledger"]);

    let again = fails(
        data.path(),
        &[
            "profile",
            "export",
            "--output",
            file.to_str().expect("utf-8"),
        ],
    );
    assert!(again.contains("n'existe pas encore"), "{again}");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&file)
            .expect("metadata")
            .permissions()
            .mode();
        assert_eq!(mode & 0o077, 0, "export readable by others: {mode:o}");
    }
}

/// Returns whether any memory database file of `data` contains `marker`.
fn memory_files_contain(data: &Path, marker: &str) -> bool {
    let needle = marker.as_bytes();
    std::fs::read_dir(data)
        .expect("list data folder")
        .map(|entry| entry.expect("entry").path())
        .filter(|path| {
            path.file_name()
                .and_then(|name| name.to_str())
                .is_some_and(|name| name.starts_with("memory.sqlite3"))
        })
        .any(|path| {
            let bytes = std::fs::read(&path).expect("read database file");
            bytes.windows(needle.len()).any(|window| window == needle)
        })
}

#[test]
fn delete_erases_every_trace() {
    let data = tempfile::tempdir().expect("data folder");
    let marker = "Xylophagia-Quenouille";
    ok(data.path(), &["profile", "set", "--age", "30"]);
    ok(
        data.path(),
        &[
            "profile",
            "set",
            "--profile",
            "Tom",
            "--city",
            marker,
            "--ald",
            marker,
        ],
    );
    ok(
        data.path(),
        &[
            "expense",
            "add",
            "--profile",
            "Tom",
            "--kind",
            "participation",
            "--amount",
            "2",
            "--date",
            "2025-05-02",
            "--label",
            marker,
        ],
    );
    seed_history_and_document(data.path(), "Tom", marker);
    assert!(
        memory_files_contain(data.path(), marker),
        "the marker must be stored before the erase"
    );

    let refused = fails(data.path(), &["profile", "delete", "--profile", "Tom"]);
    assert!(refused.contains("--yes"), "{refused}");
    assert!(refused.contains("« Tom »"), "{refused}");
    ok_json(data.path(), &["profile", "show", "--profile", "Tom"]);

    let deleted = ok_json(
        data.path(),
        &["profile", "delete", "--profile", "Tom", "--yes"],
    );
    assert_eq!(deleted["deleted_rows"]["profiles"], 1);
    assert_eq!(deleted["deleted_rows"]["ledger_entries"], 1);
    assert_eq!(deleted["deleted_rows"]["exchanges"], 1);
    assert_eq!(deleted["deleted_rows"]["documents"], 1);
    assert_eq!(deleted["total"], 4);

    let export = fails(data.path(), &["profile", "export", "--profile", "Tom"]);
    assert!(export.contains("profil « Tom » introuvable"), "{export}");
    assert!(
        !memory_files_contain(data.path(), marker),
        "the erased marker is still in the database files"
    );

    let me = ok_json(data.path(), &["profile", "show"]);
    assert_eq!(me["label"], "moi", "the other profile is kept");
}

#[test]
fn delete_reports_rows_in_french() {
    let data = tempfile::tempdir().expect("data folder");
    ok(data.path(), &["profile", "set", "--profile", "Zoé"]);
    let text = ok(
        data.path(),
        &["profile", "delete", "--profile", "Zoé", "--yes"],
    );
    assert!(
        text.contains("Profil « Zoé » effacé : 1 ligne supprimée en tout (1 profil, 0 dépense"),
        "{text}"
    );
}

#[test]
fn expense_in_export_simulate_read_only() {
    let data = tempfile::tempdir().expect("data folder");
    ok(
        data.path(),
        &[
            "profile",
            "set",
            "--age",
            "40",
            "--mutuelle",
            "200% BR",
            "--medecin-traitant",
        ],
    );
    let recorded = ok(
        data.path(),
        &[
            "expense",
            "add",
            "--kind",
            "participation",
            "--amount",
            "50",
            "--date",
            "2025-02-03",
        ],
    );
    assert!(
        recorded.contains("participation forfaitaire de 50,00 € le 03/02/2025"),
        "{recorded}"
    );
    let before: Value =
        serde_json::from_str(&ok(data.path(), &["profile", "export"])).expect("JSON");
    assert_eq!(before["ledger"][0]["amount_cents"], 5_000);

    let mut arguments = vec!["--json"];
    arguments.extend_from_slice(&CARDIOLOGIST);
    let stdout = ok(data.path(), &arguments);
    let result: Value = serde_json::from_str(&stdout).expect("JSON");

    // The 50 € of participations already charged reach the annual cap.
    assert_eq!(six(&result), [6000, 3150, 2205, 0, 3795, 0], "{result}");
    let filled = &result["profile"]["filled"];
    for code in ["age", "mutuelle", "participations_this_year"] {
        assert!(
            filled
                .as_array()
                .is_some_and(|codes| codes.contains(&json!(code))),
            "{code} not filled from the profile: {filled}"
        );
    }

    let after: Value =
        serde_json::from_str(&ok(data.path(), &["profile", "export"])).expect("JSON");
    assert_eq!(
        after["ledger"], before["ledger"],
        "simulate changed the ledger"
    );
}

#[test]
fn simulate_takes_profile_defaults() {
    let data = tempfile::tempdir().expect("data folder");
    ok(
        data.path(),
        &["profile", "set", "--age", "40", "--mutuelle", "200% BR"],
    );

    // Same figures as `--age 40 --mutuelle "200% BR"` written out.
    let mut arguments = vec!["--json"];
    arguments.extend_from_slice(&CARDIOLOGIST);
    let from_profile: Value = serde_json::from_str(&ok(data.path(), &arguments)).expect("JSON");
    assert_eq!(six(&from_profile), [6000, 3150, 2205, 200, 3795, 200]);

    let text = ok(data.path(), &CARDIOLOGIST);
    assert!(
        text.starts_with("Repris du profil « moi » : âge, mutuelle."),
        "{text}"
    );

    // An explicit option wins over the profile.
    let mut explicit = arguments.clone();
    explicit.extend_from_slice(&["--mutuelle", "100% BR"]);
    let with_option: Value = serde_json::from_str(&ok(data.path(), &explicit)).expect("JSON");
    let mut ignored = explicit.clone();
    ignored.extend_from_slice(&["--age", "40", "--no-profile"]);
    let without_profile: Value = serde_json::from_str(&ok(data.path(), &ignored)).expect("JSON");
    assert_eq!(six(&with_option), six(&without_profile));
    assert_ne!(
        six(&with_option)[4],
        3795,
        "the profile's mutuelle was used"
    );
    assert!(
        without_profile.get("profile").is_none(),
        "{without_profile}"
    );
}

#[test]
fn simulate_unknown_profile_fails() {
    let data = tempfile::tempdir().expect("data folder");
    let mut arguments = CARDIOLOGIST.to_vec();
    arguments.extend_from_slice(&["--profile", "Léa"]);
    let error = fails(data.path(), &arguments);
    assert!(error.contains("profil « Léa » introuvable"), "{error}");
    assert!(
        !data.path().join("memory.sqlite3").exists(),
        "simulate created the memory database"
    );
}

#[test]
fn errors_are_french_and_name_value() {
    let data = tempfile::tempdir().expect("data folder");
    let cases: &[(&[&str], &[&str])] = &[
        (
            &["profile", "set", "--birth-date", "1985-13-01"],
            &["--birth-date", "« 1985-13-01 » invalide", "AAAA-MM-JJ"],
        ),
        (
            &["profile", "set", "--mutuelle", "deux cents"],
            &["--mutuelle", "« deux cents » invalide", "200 % BR"],
        ),
        (
            &[
                "profile",
                "set",
                "--mutuelle",
                "200% BR",
                "--mutuelle-non-optam",
                "190% BR",
            ],
            &["« 190 % BR » refusée", "hors OPTAM", "--non-responsable"],
        ),
        (
            &["profile", "set", "--postcode", "99999"],
            &["code postal « 99999 » invalide"],
        ),
        (
            &["profile", "set", "--age", "200"],
            &["âge « 200 » invalide"],
        ),
        (
            &["profile", "set", "--pregnancy-start", "2025-02-30"],
            &["--pregnancy-start", "« 2025-02-30 » invalide"],
        ),
        (
            &["profile", "set", "--sector", "4"],
            &["secteur « 4 » invalide"],
        ),
        (
            &["profile", "set", "--clear", "salaire"],
            &["champ « salaire » inconnu"],
        ),
        (
            &["profile", "set", "--mutuelle-optam", "150% BR"],
            &["--mutuelle-optam", "--mutuelle \"100% BR\""],
        ),
    ];
    for (arguments, expected) in cases {
        let error = fails(data.path(), arguments);
        for part in *expected {
            assert!(
                error.contains(part),
                "mediflux {arguments:?}: {part:?} missing from {error}"
            );
        }
    }

    let show = fails(data.path(), &["profile", "show"]);
    assert!(show.contains("aucun profil n'existe encore"), "{show}");

    ok(data.path(), &["profile", "set", "--age", "40"]);
    let expense_cases: &[(&[&str], &str)] = &[
        (
            &[
                "--kind",
                "franchise",
                "--amount",
                "1",
                "--date",
                "2025-02-30",
            ],
            "--date : date « 2025-02-30 » invalide",
        ),
        (
            &["--kind", "forfait", "--amount", "1", "--date", "2025-02-03"],
            "--kind : type « forfait » invalide",
        ),
        (
            &[
                "--kind",
                "franchise",
                "--amount",
                "60",
                "--date",
                "2025-02-03",
            ],
            "montant « 60,00 € » invalide",
        ),
        (
            &[
                "--kind",
                "franchise",
                "--amount",
                "un euro",
                "--date",
                "2025-02-03",
            ],
            "--amount : montant « un euro » invalide",
        ),
    ];
    for (options, expected) in expense_cases {
        let mut arguments = vec!["expense", "add"];
        arguments.extend_from_slice(options);
        let error = fails(data.path(), &arguments);
        assert!(
            error.contains(expected),
            "mediflux {arguments:?}: {expected:?} missing from {error}"
        );
    }
}
