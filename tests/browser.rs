//! Tests that need a real browser: storage and components, run in headless Chromium by
//! `wasm-bindgen-test-runner` (`cargo test --target wasm32-unknown-unknown --test browser`).
#![cfg(target_arch = "wasm32")]

use cartera::core::analysis::analyze;
use cartera::core::demo;
use cartera::core::export::results_csv;
use cartera::core::generate::{portfolio, Shape};
use cartera::core::model::Portfolio;
use cartera::core::snapshot;
use cartera::ui::storage::{self, Store, WriteError};
use cartera::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

/// Every portfolio of both stores and every key of the app, gone.
async fn clear(store: &Store) {
    for l in store.list().await {
        store.remove(&l.id).await.unwrap();
    }
    for key in storage::own_keys() {
        local().remove_item(&key).unwrap();
    }
}

async fn idb() -> Store {
    let store = Store::open().await.expect("a store");
    assert!(!store.is_fallback(), "Chromium offers IndexedDB");
    clear(&store).await;
    store
}

#[wasm_bindgen_test]
async fn a_portfolio_survives_a_round_trip_in_both_backends() {
    let portfolio = demo::portfolio("Round trip").unwrap();
    for store in [idb().await, Store::open_local().unwrap()] {
        clear(&store).await;
        let meta = store.save("t1", None, &portfolio, 1, 0.0).await.expect("stored");
        assert_eq!((meta.rev, meta.name.as_str()), (1, "Round trip"));
        let (meta, back) = store.load("t1").await.unwrap().expect("present");
        assert_eq!(meta.rev, 1);
        assert_eq!(back, portfolio);
        assert_eq!(results_csv(&analyze(&back)), results_csv(&analyze(&portfolio)));
        assert_eq!(store.save("t1", Some(1), &portfolio, 1, 0.0).await.unwrap().rev, 2);
        assert_eq!(store.list().await.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["t1"]);
        store.remove("t1").await.unwrap();
        assert_eq!(store.load("t1").await, Ok(None));
        assert!(storage::own_keys().iter().all(|k| k.starts_with("cartera.")), "{:?}", storage::own_keys());
    }
}

/// Two tabs are two connections: a write over a revision the tab has not read is refused,
/// whole, and so is a write to a portfolio deleted meanwhile.
#[wasm_bindgen_test]
async fn a_tab_never_writes_over_a_revision_it_has_not_read() {
    let a = idb().await;
    let b = Store::open().await.unwrap();
    let mut mine = demo::portfolio("Shared").unwrap();
    a.save("s", None, &mine, 1, 0.0).await.unwrap();
    // Both read revision 1; A writes revision 2.
    mine.name = "A's".into();
    assert_eq!(a.save("s", Some(1), &mine, 1, 0.0).await.unwrap().rev, 2);
    // B, still on 1, is refused, and A's version is what is stored.
    let theirs = Portfolio::new("B's");
    assert_eq!(b.save("s", Some(1), &theirs, 1, 0.0).await, Err(WriteError::Conflict));
    assert_eq!(b.load("s").await.unwrap().unwrap().1.name, "A's");
    // A new portfolio never lands on an id that is taken.
    assert_eq!(b.save("s", None, &theirs, 1, 0.0).await, Err(WriteError::Conflict));
    // Deleted by A: B's write is refused as gone, and nothing is recreated.
    a.remove("s").await.unwrap();
    assert_eq!(b.save("s", Some(2), &theirs, 1, 0.0).await, Err(WriteError::Gone));
    assert_eq!(b.load("s").await, Ok(None));
}

/// The first storage format moves over by itself: every portfolio, a damaged one byte for
/// byte, names from the snapshots when the index is damaged; the old keys go only after.
#[wasm_bindgen_test]
async fn the_first_format_migrates_and_damage_is_kept_as_it_is() {
    let store = idb().await;
    let one = demo::portfolio("Uno").unwrap();
    let two = Portfolio::new("Dos");
    local().set_item("cartera.v1.portfolio.p1", &snapshot::encode(&one)).unwrap();
    local().set_item("cartera.v1.portfolio.p2", &snapshot::encode(&two)).unwrap();
    local().set_item("cartera.v1.portfolio.p3", "{not json").unwrap();
    local().set_item("cartera.v1.index", "{\"current\": \"p1\", \"portf").unwrap();
    let migrated = store.migrate_v1().await;
    assert_eq!(migrated.portfolios, 3);
    assert_eq!(migrated.damaged, ["p3"]);
    assert!(!migrated.incomplete);
    assert!(storage::own_keys().iter().all(|k| !k.starts_with("cartera.v1.")), "old keys removed after the copy");
    let list = store.list().await;
    let names: Vec<(&str, &str, bool)> = list.iter().map(|l| (l.id.as_str(), l.name.as_str(), l.damaged)).collect();
    assert_eq!(names, [("p2", "Dos", false), ("p3", "p3", true), ("p1", "Uno", false)]);
    assert_eq!(store.load("p1").await.unwrap().unwrap().1, one);
    assert!(matches!(store.load("p3").await, Err(storage::StorageError::Unreadable(_))));
    assert_eq!(store.raw("p3").await.as_deref(), Some("{not json"), "kept byte for byte");
    // Running again finds nothing more to do.
    assert_eq!(store.migrate_v1().await, storage::Migrated::default());
}

/// An interrupted migration (the copy made, the old keys still there) loses nothing and
/// finishes on the next start.
#[wasm_bindgen_test]
async fn an_interrupted_migration_finishes_later() {
    let store = idb().await;
    let one = demo::portfolio("Uno").unwrap();
    let text = snapshot::encode(&one);
    store.save("p1", None, &one, 1, 0.0).await.unwrap();
    local().set_item("cartera.v1.portfolio.p1", &text).unwrap();
    let migrated = store.migrate_v1().await;
    assert_eq!(migrated.portfolios, 1);
    assert_eq!(local().get_item("cartera.v1.portfolio.p1").unwrap(), None);
    assert_eq!(store.load("p1").await.unwrap().unwrap().1, one);
}

/// In localStorage, a write that does not fit leaves the previous version whole; two
/// portfolios of 2,000 clients × 36 months do not fit there, one does.
#[wasm_bindgen_test]
async fn localstorage_overflow_keeps_the_previous_version() {
    let store = Store::open_local().unwrap();
    clear(&store).await;
    let small = demo::portfolio("Small").unwrap();
    let big = portfolio(7, Shape { clients: 2_000, periods: 36, every_field: true, density: 100 });
    store.save("big", None, &small, 1, 0.0).await.unwrap();
    store.save("big", Some(1), &big, 1, 0.0).await.expect("2,000 × 36 fits");
    assert_eq!(store.save("big2", None, &big, 1, 0.0).await, Err(WriteError::Full));
    assert_eq!(store.load("big2").await, Ok(None));
    let (meta, back) = store.load("big").await.unwrap().unwrap();
    assert_eq!((meta.rev, back.record_count()), (2, 72_000));
    clear(&store).await;
}

/// A restore replaces every portfolio in one commit, and a full one changes nothing.
#[wasm_bindgen_test]
async fn a_restore_is_all_or_nothing() {
    let store = Store::open_local().unwrap();
    clear(&store).await;
    let old = demo::portfolio("Old").unwrap();
    store.save("p1", None, &old, 1, 0.0).await.unwrap();
    let big = portfolio(7, Shape { clients: 2_000, periods: 36, every_field: true, density: 100 });
    let restore = vec![("p2".to_string(), big.clone()), ("p3".to_string(), big)];
    assert_eq!(store.replace(&["p1".to_string()], &restore).await, Err(WriteError::Full));
    assert_eq!(store.load("p1").await.unwrap().unwrap().1, old);
    assert_eq!(store.load("p2").await, Ok(None));
    let new = demo::portfolio("New").unwrap();
    store.replace(&["p1".to_string()], &[("p4".to_string(), new.clone())]).await.unwrap();
    assert_eq!(store.load("p1").await, Ok(None));
    assert_eq!(store.load("p4").await.unwrap().unwrap().1, new);
    clear(&store).await;
}

/// 100,000 clients × 12 months are stored and read back whole in IndexedDB.
#[wasm_bindgen_test]
async fn a_hundred_thousand_clients_are_stored() {
    let store = idb().await;
    let big = portfolio(11, Shape { clients: 100_000, periods: 12, every_field: false, density: 90 });
    let chars = snapshot::encode(&big).len();
    store.save("huge", None, &big, 1, 0.0).await.expect("stored");
    let (_, back) = store.load("huge").await.unwrap().unwrap();
    console_log!("100,000 clients × 12 months: {} records, {chars} bytes stored", back.record_count());
    assert_eq!(back.clients.len(), 100_000);
    assert_eq!(back, big);
    // Stored in pieces (their keys under the portfolio's id), which join to the snapshot text.
    let pieces = snap_keys().await.iter().filter(|k| k.is_array()).count();
    assert!(pieces > 3 && pieces <= chars / snapshot::PIECE + 3, "{chars} bytes in {pieces} pieces");
    assert_eq!(store.raw("huge").await.map(|t| t.len()), Some(chars));
    clear(&store).await;
    assert!(snap_keys().await.is_empty(), "removed with its pieces");
}

/// A save that leaves the records as they were (a setting changed) leaves their stored pieces
/// as they are and writes the two others; changed records, or a records piece gone, are
/// written whole. Each time the portfolio reads back as saved.
#[wasm_bindgen_test]
async fn a_save_leaves_the_stored_records_when_they_did_not_change() {
    let store = idb().await;
    let mut p = portfolio(12, Shape { clients: 6_000, periods: 12, every_field: true, density: 90 });
    let mut rev = store.save("big", None, &p, 1, 0.0).await.unwrap().rev;
    let all = snap_keys().await.iter().filter(|k| k.is_array()).count();
    assert!(all >= 4, "records in {} pieces", all - 2);
    let mut save = async |p: &Portfolio, written: usize, why: &str| {
        let before = storage::pieces_written();
        rev = store.save("big", Some(rev), p, 1, 0.0).await.unwrap().rev;
        assert_eq!(storage::pieces_written() - before, written, "{why}");
        assert_eq!(&store.load("big").await.unwrap().unwrap().1, p, "{why}");
        assert_eq!(store.raw("big").await, Some(snapshot::encode(p)), "{why}");
    };
    p.settings.service_rate += rust_decimal::Decimal::ONE;
    save(&p, 2, "a setting changed: the head and the tail").await;
    p.name = "Renamed".into();
    save(&p, 2, "renamed").await;
    let id = p.records.keys().next().unwrap().clone();
    let period = *p.records[&id].keys().next().unwrap();
    p.records.get_mut(&id).unwrap().get_mut(&period).unwrap().revenue += rust_decimal::Decimal::ONE;
    save(&p, all, "a record changed: every piece").await;
    // A records piece gone (as if damaged): the next save writes every piece again.
    let db = open_db().await;
    let tx = db.transaction_with_str_and_mode("snap", web_sys::IdbTransactionMode::Readwrite).unwrap();
    tx.object_store("snap").unwrap().delete(&js_sys::Array::of2(&"big".into(), &2.into())).unwrap();
    done(&tx.object_store("snap").unwrap().count().unwrap()).await.unwrap();
    db.close();
    p.settings.service_rate += rust_decimal::Decimal::ONE;
    save(&p, all, "a piece was missing").await;
    clear(&store).await;
}

/// A portfolio opened from its pieces has its clients and records encoded already, as they are
/// stored: its first save (a setting changed) encodes only the rest, writes the head and the
/// tail, and reads back as saved.
#[wasm_bindgen_test]
async fn a_portfolio_opened_is_saved_without_encoding_its_records_again() {
    let store = idb().await;
    let p = portfolio(13, Shape { clients: 6_000, periods: 12, every_field: true, density: 90 });
    let rev = store.save("big", None, &p, 1, 0.0).await.unwrap().rev;
    let (_, mut back) = store.load("big").await.unwrap().unwrap();
    assert!(storage::encoded(&back), "taken as stored");
    assert!(!storage::encoded(&p), "only the portfolio last read");
    back.settings.service_rate += rust_decimal::Decimal::ONE;
    let before = storage::pieces_written();
    store.save("big", Some(rev), &back, 1, 0.0).await.unwrap();
    assert_eq!(storage::pieces_written() - before, 2, "the head and the tail");
    assert_eq!(store.raw("big").await, Some(snapshot::encode(&back)));
    assert_eq!(store.load("big").await.unwrap().unwrap().1, back);
    clear(&store).await;
}

/// A snapshot stored in pieces with one of them gone reads as damaged, never as absent, and
/// is kept as it is.
#[wasm_bindgen_test]
async fn a_snapshot_missing_a_piece_is_damaged_not_gone() {
    let store = idb().await;
    let one = demo::portfolio("Uno").unwrap();
    store.save("p1", None, &one, 1, 0.0).await.unwrap();
    let db = open_db().await;
    let tx = db.transaction_with_str_and_mode("snap", web_sys::IdbTransactionMode::Readwrite).unwrap();
    let key = js_sys::Array::of2(&"p1".into(), &1.into());
    tx.object_store("snap").unwrap().delete(&key).unwrap();
    done(&tx.object_store("snap").unwrap().count().unwrap()).await.unwrap();
    db.close();
    assert!(matches!(store.load("p1").await, Err(storage::StorageError::Unreadable(_))));
    let raw = store.raw("p1").await.expect("kept");
    assert!(raw.starts_with("{\"clients\":") && !raw.contains("client,period,revenue"), "the pieces left, joined");
    assert_eq!(store.list().await.iter().map(|l| l.id.as_str()).collect::<Vec<_>>(), ["p1"], "still listed");
    clear(&store).await;
}

/// A promise settled by a request's success.
fn done(r: &web_sys::IdbRequest) -> wasm_bindgen_futures::JsFuture {
    let r = r.clone();
    wasm_bindgen_futures::JsFuture::from(js_sys::Promise::new(&mut |ok, _| r.set_onsuccess(Some(&ok))))
}

/// The app's database, opened as another tab would.
async fn open_db() -> web_sys::IdbDatabase {
    let request = web_sys::window().unwrap().indexed_db().unwrap().unwrap().open("cartera").unwrap();
    done(&request).await.unwrap();
    request.result().unwrap().dyn_into().unwrap()
}

/// Every key of the snapshot store.
async fn snap_keys() -> Vec<wasm_bindgen::JsValue> {
    let db = open_db().await;
    let keys = db.transaction_with_str("snap").unwrap().object_store("snap").unwrap().get_all_keys().unwrap();
    done(&keys).await.unwrap();
    let out = js_sys::Array::from(&keys.result().unwrap()).to_vec();
    db.close();
    out
}

/// A snapshot stored whole (the first layout, or moved over from the first format) still
/// opens, and the next save stores it in pieces, leaving nothing of the whole text behind.
#[wasm_bindgen_test]
async fn a_snapshot_stored_whole_opens_and_is_saved_in_pieces() {
    let store = idb().await;
    let one = demo::portfolio("Uno").unwrap();
    local().set_item("cartera.v1.portfolio.p1", &snapshot::encode(&one)).unwrap();
    store.migrate_v1().await;
    assert_eq!(snap_keys().await.iter().filter_map(|k| k.as_string()).collect::<Vec<_>>(), ["p1"]);
    let (meta, back) = store.load("p1").await.unwrap().unwrap();
    assert_eq!(back, one);
    let mut changed = back.clone();
    changed.settings.service_rate += rust_decimal::Decimal::ONE;
    store.save("p1", Some(meta.rev), &changed, 1, 0.0).await.unwrap();
    assert_eq!(snap_keys().await.len(), 1 + 3, "its record and three pieces: head, records, tail");
    assert_eq!(store.load("p1").await.unwrap().unwrap().1, changed);
    assert_eq!(store.raw("p1").await, Some(snapshot::encode(&changed)));
    clear(&store).await;
}

fn text_of(root: &web_sys::Element, selector: &str) -> String {
    root.query_selector(selector).unwrap().unwrap_or_else(|| panic!("{selector} is rendered")).text_content().unwrap_or_default()
}

/// Waits (a few seconds at most) until `selector` is rendered under `root`.
async fn rendered(root: &web_sys::Element, selector: &str) {
    for _ in 0..200 {
        yew::scheduler::flush().await;
        if root.query_selector(selector).unwrap().is_some() {
            return;
        }
        gloo::timers::future::TimeoutFuture::new(20).await;
    }
    panic!("{selector} was not rendered");
}

#[wasm_bindgen_test]
async fn the_app_opens_on_the_demo_and_its_matrix() {
    let store = idb().await;
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    yew::Renderer::<App>::with_root(root.clone()).render();
    rendered(&root, "[data-testid=matrix-cell-AX]").await;

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

    // The demo was stored.
    for _ in 0..100 {
        if !store.list().await.is_empty() {
            break;
        }
        gloo::timers::future::TimeoutFuture::new(20).await;
    }
    let list = store.list().await;
    assert_eq!(list.len(), 1);
    assert_eq!(store.load(&list[0].id).await.unwrap().unwrap().1.clients.len(), 78);
    root.remove();
}

/// After an analysis the pages' costliest derivations are built ahead: What-if, Health and
/// Decisions, opened then, find every one of them kept and build nothing.
#[wasm_bindgen_test]
async fn pages_opened_after_the_warm_up_build_nothing() {
    use cartera::ui::hook::derivations;
    let _store = idb().await;
    let document = gloo::utils::document();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let warmed = derivations().1;
    yew::Renderer::<App>::with_root(root.clone()).render();
    rendered(&root, "[data-testid=client-count]").await;
    for _ in 0..250 {
        if derivations().1 > warmed {
            break;
        }
        gloo::timers::future::TimeoutFuture::new(20).await;
    }
    assert!(derivations().1 > warmed, "the warm-up ran to its end");
    let open = |page: &str| {
        root.query_selector(&format!("[data-page={page}]")).unwrap().unwrap().dyn_into::<web_sys::HtmlElement>().unwrap().click();
    };
    for (page, shown) in [("whatif", "[data-testid=what-if-table]"), ("health", "[data-testid=migration]"), ("decisions", "[data-testid^=verdict-group-]")] {
        let built = derivations().0;
        open(page);
        rendered(&root, shown).await;
        assert_eq!(derivations().0, built, "{page} built a derivation the warm-up had not");
    }
    // A page whose derivations are not warmed does build them: the count is the page's.
    let built = derivations().0;
    open("sixr");
    rendered(&root, "[data-testid=six-r-verdicts]").await;
    assert!(derivations().0 > built, "the Six R page built its own");
    root.remove();
}

/// The backup reminder: after 20 changes, or 7 days after the first change since the last
/// backup download; never with no change.
#[wasm_bindgen_test]
fn the_backup_reminder_counts_changes_and_days() {
    let day = 86_400_000.0;
    let meta = |changes, changed_at| storage::Meta { name: String::new(), rev: 1, changes, backup_at: None, changed_at, damaged: false };
    // (changes, first change, now, due)
    let cases = [
        (0, None, 100.0 * day, false),
        (19, Some(0.0), 1.0 * day, false),
        (20, Some(0.0), 1.0 * day, true),
        (1, Some(0.0), 6.9 * day, false),
        (1, Some(0.0), 7.0 * day, true),
        (0, Some(0.0), 30.0 * day, false),
    ];
    for (changes, at, now, due) in cases {
        assert_eq!(storage::backup_due(&meta(changes, at), now), due, "{changes} changes, {now} ms");
    }
}

/// Changes that waited in the queue are all counted for the reminder.
#[wasm_bindgen_test]
async fn a_backup_resets_the_count_of_changes() {
    let store = idb().await;
    let p = demo::portfolio("Counted").unwrap();
    store.save("c", None, &p, 3, 10.0).await.unwrap();
    let meta = store.save("c", Some(1), &p, 4, 20.0).await.unwrap();
    assert_eq!((meta.changes, meta.changed_at), (7, Some(10.0)));
    store.mark_backup("c", 30.0).await;
    let (meta, _) = store.load("c").await.unwrap().unwrap();
    assert_eq!((meta.rev, meta.changes, meta.backup_at, meta.changed_at), (2, 0, Some(30.0), None));
    assert_eq!(store.save("c", Some(2), &p, 1, 40.0).await.unwrap().changes, 1);
}

/// A large portfolio is analysed in the background: a change shows the new portfolio with the
/// last analysis until the new one arrives (an analysis of a version left behind is dropped);
/// taking the change back while it runs brings back the analysis before at once; a rename
/// keeps the analysis; a small portfolio is analysed at once.
#[wasm_bindgen_test]
fn a_large_portfolio_is_analysed_in_the_background() {
    use cartera::core::analysis::{view, Analysing};
    use cartera::ui::state::{Action, AppState, SYNC_ANALYSIS};
    use std::rc::Rc;
    use yew::Reducible;

    let p = portfolio(3, Shape { clients: 2_000, periods: 12, every_field: true, density: 90 });
    assert!(p.clients.len() + p.record_count() > SYNC_ANALYSIS);
    let first = Rc::new(AppState::new(cartera::i18n::Lang::En, Vec::new(), "p".into(), p.clone()));
    assert!(first.analysing.is_none());
    let before = first.analysis.clone();

    let mut settings = p.settings.clone();
    settings.service_rate += rust_decimal::Decimal::from(20);
    let changed = first.clone().reduce(Action::SetSettings(settings.clone()));
    assert_eq!(changed.analysing.map(|(done, all)| (done, all)), Some((0, 2 * p.clients.len())));
    assert!(Rc::ptr_eq(&changed.analysis, &before), "the last analysis is shown meanwhile");
    assert_eq!(changed.portfolio.settings, settings);
    assert!(changed.analysis_wanted > first.analysis_wanted, "the hook is asked to start one");

    // An analysis of another version is dropped; that of this one is taken, with who moved.
    let stale = changed.clone().reduce(Action::Analysed { portfolio: Rc::new(p.clone()), analysis: analyze(&p), by_worker: false });
    assert!(stale.analysing.is_some() && Rc::ptr_eq(&stale.analysis, &before));
    let mut analysing = Analysing::new(&changed.portfolio);
    while analysing.step(300) {}
    let analysed = changed.clone().reduce(Action::Analysed { portfolio: changed.portfolio.clone(), analysis: analysing.finish(), by_worker: false });
    assert!(analysed.analysing.is_none());
    assert_eq!(*analysed.analysis, analyze(&changed.portfolio));
    assert_eq!(*analysed.moved, view::moved(&before, &analysed.analysis));
    assert!(!analysed.moved.is_empty(), "a 20-unit rate change moves somebody");

    // Taken back while it runs: the portfolio and the analysis before, at once.
    let undone = changed.clone().reduce(Action::Undo);
    assert!(undone.analysing.is_none());
    assert!(Rc::ptr_eq(&undone.analysis, &before));
    assert_eq!(undone.portfolio.settings, p.settings);

    // A rename reads nothing the analysis reads: it is kept as it is.
    let renamed = analysed.clone().reduce(Action::Rename("Other".into()));
    assert!(renamed.analysing.is_none() && Rc::ptr_eq(&renamed.analysis, &analysed.analysis));

    // A small portfolio is analysed in the reducer.
    let small = demo::portfolio("demo").unwrap();
    let s = Rc::new(AppState::new(cartera::i18n::Lang::En, Vec::new(), "d".into(), small.clone()));
    let mut settings = small.settings.clone();
    settings.service_rate += rust_decimal::Decimal::ONE;
    let s = s.reduce(Action::SetSettings(settings));
    assert!(s.analysing.is_none());
    assert_eq!(*s.analysis, analyze(&s.portfolio));
}

/// The ±20% flips worked out in the background belong to one analysis: those of an analysis
/// since replaced are dropped, and a new analysis hides the old ones until its own arrive.
#[wasm_bindgen_test]
fn the_flips_shown_are_of_the_analysis_shown() {
    use cartera::core::analysis::robustness::{robustness, Scope};
    use cartera::ui::state::{Action, AppState};
    use std::rc::Rc;
    use yew::Reducible;

    let p = demo::portfolio("demo").unwrap();
    let s = Rc::new(AppState::new(cartera::i18n::Lang::En, Vec::new(), "d".into(), p.clone()));
    assert!(s.flips().is_none(), "worked out in the background, after the analysis");
    let flips = robustness(&s.analysed, &s.analysis, Scope::Flips);
    let sensed = s.clone().reduce(Action::Sensed { rev: s.analysis_rev, robustness: flips.clone() });
    assert_eq!(sensed.flips().map(|r| (**r).clone()), Some(flips.clone()));
    // A rate change analyses again: the flips of the analysis before are not shown with it.
    let mut settings = p.settings.clone();
    settings.service_rate += rust_decimal::Decimal::from(5);
    let changed = sensed.clone().reduce(Action::SetSettings(settings));
    assert!(changed.analysis_rev > sensed.analysis_rev && changed.flips().is_none());
    // Flips of the analysis before, arriving late, are dropped.
    let late = changed.clone().reduce(Action::Sensed { rev: sensed.analysis_rev, robustness: flips });
    assert!(late.flips().is_none());
}

/// One request at a time: a request asking while another has the turn is refused it, however
/// often it asks, until the turn is given back.
#[wasm_bindgen_test]
fn one_request_has_the_turn_at_a_time() {
    use cartera::ui::background::Turn;
    let first = Turn::take().expect("nobody has the turn");
    for _ in 0..3 {
        assert!(Turn::take().is_none(), "the turn is taken");
    }
    drop(first);
    let second = Turn::take();
    assert!(second.is_some(), "given back");
    assert!(Turn::take().is_none());
}

/// Who moved in a portfolio of more than `MOVED_AT_ONCE` clients is listed in a task of its
/// own after the re-scoring, from the analysis before it, and only while the analysis it moved
/// to is the one shown.
#[wasm_bindgen_test]
fn who_moved_in_a_large_portfolio_is_listed_after_the_change() {
    use cartera::core::analysis::view;
    use cartera::ui::state::{Action, AppState, MOVED_AT_ONCE};
    use std::rc::Rc;
    use yew::Reducible;

    let p = portfolio(4, Shape { clients: MOVED_AT_ONCE + 500, periods: 2, every_field: false, density: 60 });
    let first = Rc::new(AppState::new(cartera::i18n::Lang::En, Vec::new(), "p".into(), p.clone()));
    let before = first.analysis.clone();
    let mut settings = p.settings.clone();
    settings.weights.0[0] += rust_decimal::Decimal::from(10);
    let changed = first.reduce(Action::SetSettings(settings));
    assert!(changed.analysing.is_none(), "re-scored at once");
    assert!(changed.moved.is_empty() && changed.moving.is_some(), "listed later");
    let stale = changed.clone().reduce(Action::ListMoved { rev: changed.analysis_rev - 1 });
    assert!(stale.moved.is_empty() && stale.moving.is_some(), "not for another analysis");
    let listed = changed.clone().reduce(Action::ListMoved { rev: changed.analysis_rev });
    assert!(listed.moving.is_none());
    assert_eq!(*listed.moved, view::moved(&before, &listed.analysis));
    assert!(!listed.moved.is_empty(), "a weight moves scores");
}

/// A save's encoding takes its turn after the requests waiting for theirs.
#[wasm_bindgen_test]
fn an_encoding_waits_for_the_requests_waiting_before_it() {
    use cartera::ui::background::{Turn, Waiting};
    let analysis = Waiting::begin();
    assert!(Turn::take_after_others().is_none(), "an analysis waits");
    let turn = Turn::take().expect("the analysis takes the turn");
    drop(analysis);
    assert!(Turn::take_after_others().is_none(), "the turn is taken");
    drop(turn);
    assert!(Turn::take_after_others().is_some(), "nobody else waits");
}

/// Every range of a large portfolio goes to the workers that hold it already, each a run of the
/// clients, while the others only read it; where none holds it, to all of them.
#[wasm_bindgen_test]
fn every_range_goes_to_the_workers_that_hold_the_portfolio() {
    use cartera::ui::background::split;
    let whole = |parts: &[Option<Vec<usize>>]| parts.iter().flatten().flatten().copied().collect::<Vec<usize>>();
    for (holding, asked) in [
        (vec![true, false], vec![true, false]),
        (vec![false, true, false], vec![false, true, false]),
        (vec![true, false, true, false], vec![true, false, true, false]),
        (vec![true, true], vec![true, true]),
        (vec![false, false, false], vec![true, true, true]),
    ] {
        let parts = split(&holding, 1_200);
        assert_eq!(parts.iter().map(Option::is_some).collect::<Vec<_>>(), asked, "{holding:?}");
        assert_eq!(whole(&parts), (0..1_200).collect::<Vec<_>>(), "{holding:?}: every client once, in order");
        let sizes: Vec<usize> = parts.iter().flatten().map(Vec::len).collect();
        assert!(sizes.iter().max().unwrap() - sizes.iter().min().unwrap() <= 1, "{holding:?}: even runs {sizes:?}");
    }
}
