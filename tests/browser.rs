//! Tests that need a real browser: storage and components, run in headless Chromium by
//! `wasm-bindgen-test-runner` (`cargo test --target wasm32-unknown-unknown --test browser`).
#![cfg(target_arch = "wasm32")]

use cartera::core::export::results_csv;
use cartera::core::analysis::analyze;
use cartera::core::demo;
use cartera::ui::{storage, App};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn clear_own_keys() {
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    for key in storage::own_keys() {
        local.remove_item(&key).unwrap();
    }
}

#[wasm_bindgen_test]
fn a_portfolio_survives_a_storage_round_trip() {
    clear_own_keys();
    let portfolio = demo::portfolio("Round trip").unwrap();
    let chars = storage::save_portfolio("t1", &portfolio).expect("fits in storage");
    assert!(chars > 10_000, "the snapshot holds the data ({chars} characters)");
    let back = storage::load_portfolio("t1").expect("readable").expect("present");
    assert_eq!(back, portfolio);
    assert_eq!(results_csv(&analyze(&back)), results_csv(&analyze(&portfolio)));
    assert!(storage::own_keys().iter().all(|k| k.starts_with("cartera.v1.")));
    storage::remove_portfolio("t1").unwrap();
    assert_eq!(storage::load_portfolio("t1"), Ok(None));
}

#[wasm_bindgen_test]
fn damaged_storage_is_reported_not_fatal() {
    clear_own_keys();
    let local = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    local.set_item("cartera.v1.portfolio.bad", "{not json").unwrap();
    assert!(matches!(storage::load_portfolio("bad"), Err(storage::StorageError::Unreadable(_))));
    // Left in place, untouched.
    assert_eq!(local.get_item("cartera.v1.portfolio.bad").unwrap().as_deref(), Some("{not json"));
    local.remove_item("cartera.v1.portfolio.bad").unwrap();
}

fn text_of(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("{selector} is rendered")).text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_app_opens_on_the_demo_and_its_matrix() {
    clear_own_keys();
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    yew::scheduler::flush().await;

    // The demo portfolio's reference cells (AX 12, CX 23, CZ 7).
    assert!(text_of(&root, "[data-testid=matrix-cell-AX]").contains("12"));
    assert!(text_of(&root, "[data-testid=matrix-cell-CX]").contains("23"));
    assert!(text_of(&root, "[data-testid=matrix-cell-CZ]").contains('7'));
    assert_eq!(text_of(&root, "[data-testid=client-count]"), "78");

    // Clicking a cell lists exactly its clients.
    root.query_selector("[data-testid=matrix-cell-AY] button, [data-testid=matrix-cell-AY]")
        .unwrap()
        .unwrap()
        .dyn_into::<web_sys::HtmlElement>()
        .unwrap()
        .click();
    yew::scheduler::flush().await;
    let rows = root.query_selector_all("[data-testid=cell-list] tbody tr").unwrap().length();
    assert_eq!(rows, 3);

    // The demo was stored under the app's own prefix.
    assert!(storage::own_keys().iter().any(|k| k == "cartera.v1.index"));
    root.remove();
}

/// A portfolio of 2,000 clients × 36 months with every field fits in Chromium's localStorage
/// (measured by storing it for real), and one that cannot fit is refused with an error —
/// the previous value stays — rather than a panic.
#[wasm_bindgen_test]
fn large_portfolios_fit_and_overflow_is_an_error() {
    use cartera::core::generate::{portfolio, Shape};
    clear_own_keys();
    let big = portfolio(7, Shape { clients: 2_000, periods: 36, every_field: true, density: 100 });
    let chars = storage::save_portfolio("big", &big).expect("2,000 × 36 fits");
    console_log!("stored 2,000 clients × 36 months with every field: {chars} characters");
    assert_eq!(storage::load_portfolio("big").unwrap().unwrap().record_count(), 72_000);
    // Two of them do not fit: the second write fails and the first is still intact.
    assert_eq!(storage::save_portfolio("big2", &big), Err(storage::StorageError::Full));
    assert_eq!(storage::load_portfolio("big2"), Ok(None));
    assert_eq!(storage::load_portfolio("big").unwrap().unwrap().record_count(), 72_000);
    clear_own_keys();
}

/// A restore that does not fit is undone whole: the portfolios it was to replace are back as
/// they were and none of the new ones is left behind.
#[wasm_bindgen_test]
fn a_restore_that_does_not_fit_changes_nothing() {
    use cartera::core::generate::{portfolio, Shape};
    clear_own_keys();
    let old = demo::portfolio("Old").unwrap();
    storage::save_portfolio("p1", &old).unwrap();
    let big = portfolio(7, Shape { clients: 2_000, periods: 36, every_field: true, density: 100 });
    let restore = vec![("p2".to_string(), big.clone()), ("p3".to_string(), big)];
    assert_eq!(storage::replace_portfolios(&["p1".to_string()], &restore), Err(storage::StorageError::Full));
    assert_eq!(storage::load_portfolio("p1").unwrap(), Some(old.clone()));
    assert_eq!(storage::load_portfolio("p2"), Ok(None));
    assert_eq!(storage::load_portfolio("p3"), Ok(None));
    // One that fits replaces.
    let new = demo::portfolio("New").unwrap();
    storage::replace_portfolios(&["p1".to_string()], &[("p4".to_string(), new.clone())]).unwrap();
    assert_eq!(storage::load_portfolio("p1"), Ok(None));
    assert_eq!(storage::load_portfolio("p4").unwrap(), Some(new));
    clear_own_keys();
}
