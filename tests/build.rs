//! Builds the test guests (the template plugin, the hostile guest and the
//! future-SDK guest) for wasm32-wasip2 and passes their paths to the tests
//! as `MEDIFLUX_GUEST_*` environment variables.

use std::path::PathBuf;

use mediflux_guest_build::Guest;

fn main() {
    let manifest_dir =
        PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let workspace = manifest_dir.join("..");
    let out_dir = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets OUT_DIR"));
    for watched in [
        "plugins/template",
        "plugin-sdk",
        "tests/guests",
        "Cargo.lock",
    ] {
        println!(
            "cargo:rerun-if-changed={}",
            workspace.join(watched).display()
        );
    }

    let guests = [
        (
            "TEMPLATE",
            Guest {
                package: "mediflux-plugin-template",
                features: &["mediflux-plugin-sdk/data-source"],
            },
        ),
        (
            "HOSTILE",
            Guest {
                package: "mediflux-guest-hostile",
                features: &["mediflux-plugin-sdk/data-source"],
            },
        ),
        (
            "FUTURE_SDK",
            Guest {
                package: "mediflux-guest-future-sdk",
                features: &[],
            },
        ),
        (
            "SERVICES",
            Guest {
                package: "mediflux-guest-services",
                features: &["mediflux-plugin-sdk/intent"],
            },
        ),
        (
            "BENCH",
            Guest {
                package: "mediflux-guest-bench",
                features: &["mediflux-plugin-sdk/data-source"],
            },
        ),
    ];
    let (names, guests): (Vec<&str>, Vec<Guest<'_>>) = guests.into_iter().unzip();
    let components = mediflux_guest_build::build(&workspace, &out_dir, &guests);
    for (name, component) in names.iter().zip(components) {
        println!(
            "cargo:rustc-env=MEDIFLUX_GUEST_{name}={}",
            component.display()
        );
    }
}
