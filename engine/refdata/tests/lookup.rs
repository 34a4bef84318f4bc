//! Lookups and search on the full 2026-01-28 BDPM set.

mod common;

use mediflux_refdata::{GenericRole, RefDataError, RefStore};

use common::shared_full_store_dir;

const DOLIPRANE_CIS: &str = "60234100";
const DOLIPRANE_BOX_OF_8: &str = "3400935955838";
/// MOPRAL 20 mg, gélule gastro-résistante: princeps of generic group 14
/// (omeprazole 20 mg).
const MOPRAL_20_CIS: &str = "64103828";

fn store() -> RefStore {
    RefStore::open(shared_full_store_dir()).expect("store opened")
}

fn top_names(store: &RefStore, query: &str, limit: usize) -> Vec<String> {
    store
        .search(query, limit)
        .expect("search succeeds")
        .into_iter()
        .map(|hit| hit.name)
        .collect()
}

#[test]
fn doliprane_box_by_cip13() {
    let store = store();

    let details = store
        .presentation_by_cip13(DOLIPRANE_BOX_OF_8)
        .expect("lookup succeeds")
        .expect("Doliprane box of 8 present");

    let presentation = &details.presentation;
    assert_eq!(presentation.cis, DOLIPRANE_CIS);
    assert_eq!(presentation.cip7, "3595583");
    assert!(
        presentation.label.contains("de 8"),
        "{}",
        presentation.label
    );
    assert!(presentation.marketed);
    assert_eq!(presentation.price_cents, Some(107));
    assert_eq!(presentation.public_price_cents, Some(209));
    assert_eq!(presentation.dispensing_fee_cents, Some(102));
    assert_eq!(presentation.rate_percent, Some(65));
    let medicine = details.medicine.expect("medicine present");
    assert_eq!(medicine.name, "DOLIPRANE 1000 mg, comprimé");
}

#[test]
fn doliprane_medicine_by_cis() {
    let store = store();

    let details = store
        .medicine(DOLIPRANE_CIS)
        .expect("lookup succeeds")
        .expect("Doliprane present");

    assert_eq!(details.medicine.form, "comprimé");
    assert_eq!(details.medicine.routes, ["orale"]);
    assert_eq!(details.medicine.holders, ["OPELLA HEALTHCARE FRANCE"]);
    assert!(details.medicine.marketed);
    assert!(!details.medicine.reinforced_monitoring);
    let cips: Vec<&str> = details
        .presentations
        .iter()
        .map(|p| p.cip13.as_str())
        .collect();
    assert_eq!(cips, [DOLIPRANE_BOX_OF_8, "3400956369553"]);
    assert_eq!(details.presentations[1].price_cents, None);
}

#[test]
fn unknown_codes_return_none() {
    let store = store();

    assert_eq!(store.medicine("99999999").expect("lookup succeeds"), None);
    assert_eq!(
        store
            .presentation_by_cip13("3400999999999")
            .expect("lookup succeeds"),
        None
    );
}

#[test]
fn malformed_codes_rejected() {
    let store = store();

    let error = store
        .presentation_by_cip13("340093595583")
        .expect_err("12 digits");
    assert!(
        matches!(error, RefDataError::InvalidCode { kind: "CIP13", .. }),
        "{error}"
    );
    let error = store.medicine("6023410A").expect_err("letter in CIS");
    assert!(
        matches!(error, RefDataError::InvalidCode { kind: "CIS", .. }),
        "{error}"
    );
}

#[test]
fn mopral_generics_cheapest_first() {
    let store = store();

    let groups = store.generics(MOPRAL_20_CIS).expect("generics read");

    assert_eq!(groups.len(), 1);
    let group = &groups[0];
    assert_eq!(group.id, "14");
    assert!(group.label.starts_with("OMEPRAZOLE 20 mg - MOPRAL 20 mg"));
    assert!(group.members.len() > 10, "{} members", group.members.len());
    let prices: Vec<i64> = group
        .members
        .iter()
        .map_while(|member| member.cheapest.as_ref().and_then(|p| p.price_cents))
        .collect();
    assert!(prices.len() > 5, "{prices:?}");
    assert!(
        prices.windows(2).all(|pair| pair[0] <= pair[1]),
        "{prices:?}"
    );
    let priced = prices.len();
    assert!(
        group.members[priced..]
            .iter()
            .all(|member| member.cheapest.is_none()),
        "unpriced members come last"
    );
    let princeps = group
        .members
        .iter()
        .find(|member| member.cis == MOPRAL_20_CIS)
        .expect("princeps listed");
    assert_eq!(princeps.role, GenericRole::Princeps);
    assert!(
        princeps
            .name
            .as_deref()
            .is_some_and(|name| name.starts_with("MOPRAL 20 mg"))
    );
    for member in &group.members {
        if let Some(cheapest) = &member.cheapest {
            assert!(cheapest.marketed, "{} {}", member.cis, cheapest.cip13);
        }
    }
}

#[test]
fn medicine_without_group() {
    let store = store();

    assert!(
        store
            .generics(DOLIPRANE_CIS)
            .expect("generics read")
            .is_empty()
    );
}

#[test]
fn search_hit_carries_prices() {
    let store = store();

    let hits = store
        .search("doliprane 1000 comprimé", 5)
        .expect("search succeeds");

    let hit = hits
        .iter()
        .find(|hit| hit.cis == DOLIPRANE_CIS)
        .expect("Doliprane 1000 mg tablets in the top 5");
    assert!(hit.marketed);
    let first = &hit.presentations[0];
    assert_eq!(first.cip13, DOLIPRANE_BOX_OF_8);
    assert_eq!(first.price_cents, Some(107));
    assert_eq!(first.rate_percent, Some(65));
}

#[test]
fn search_dosage_ranks_first() {
    let store = store();

    for (query, prefix) in [
        ("doliprane 500", "DOLIPRANE 500 mg"),
        ("kardegic 75", "KARDEGIC 75 mg"),
        ("levothyrox 50", "LEVOTHYROX 50 microgrammes"),
    ] {
        let names = top_names(&store, query, 3);
        assert!(
            names.first().is_some_and(|name| name.starts_with(prefix)),
            "{query}: {names:?}"
        );
    }
}

#[test]
fn search_own_typo_cases() {
    let store = store();

    // Misspellings chosen for these tests, not taken from the evaluation set.
    for (query, prefix) in [
        ("paracetamole", "PARACETAMOL"),
        ("PARACÉTAMOL", "PARACETAMOL"),
        ("zirtec", "ZYRTEC"),
        ("cortancil", "CORTANCYL"),
        ("C0RTANCYL", "CORTANCYL"),
        ("rnethotrexate", "METHOTREXATE"),
        ("fosfalugel", "PHOSPHALUGEL"),
        ("bisoprolole", "BISOPROLOL"),
        ("seresta 10", "SERESTA 10"),
        ("tiorfan", "TIORFAN"),
        ("diffu k", "DIFFU-K"),
        ("spedifène", "SPEDIFEN"),
    ] {
        let names = top_names(&store, query, 3);
        assert!(
            names.iter().any(|name| name.starts_with(prefix)),
            "{query}: expected {prefix} in the top 3, got {names:?}"
        );
    }
}

#[test]
fn search_marketed_first() {
    let store = store();

    let hits = store.search("doliprane", 10).expect("search succeeds");

    assert_eq!(hits.len(), 10);
    let first_unmarketed = hits.iter().position(|hit| !hit.marketed);
    if let Some(position) = first_unmarketed {
        assert!(
            hits[position..].iter().all(|hit| !hit.marketed),
            "marketed hits come before unmarketed ones"
        );
    }
    for hit in &hits {
        let first_unmarketed = hit.presentations.iter().position(|p| !p.marketed);
        if let Some(position) = first_unmarketed {
            assert!(hit.presentations[position..].iter().all(|p| !p.marketed));
        }
    }
}

#[test]
fn search_by_codes() {
    let store = store();

    assert_eq!(
        top_names(&store, DOLIPRANE_BOX_OF_8, 3),
        ["DOLIPRANE 1000 mg, comprimé"]
    );
    assert_eq!(
        top_names(&store, DOLIPRANE_CIS, 3),
        ["DOLIPRANE 1000 mg, comprimé"]
    );
}

#[test]
fn search_nonsense_is_empty() {
    let store = store();

    assert!(top_names(&store, "xqzvw", 3).is_empty());
    assert!(top_names(&store, "", 3).is_empty());
    assert!(top_names(&store, "doliprane", 0).is_empty());
}
