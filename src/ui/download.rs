//! Saving a file to the user's machine: a Blob, an object URL and a click. Nothing leaves the
//! browser.

use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

use crate::core::analysis::Analysis;
use crate::core::export::InProfitOrder;

/// Offers a CSV of one row per client in the results' order, written a slice of rows at a time
/// with the page free between: `text` holds its header, `row` writes client `i`'s row. (The
/// results of 100,000 clients take about a second to write in the browser.) Each slice's
/// bytes become a part of the file as they are written: the file made of the whole text at
/// once (30 MB) held the page for 60–200 ms.
pub async fn save_rows(filename: &str, mut text: String, analysis: &Analysis, row: &dyn Fn(usize, &mut String)) {
    let mut rows = InProfitOrder::default();
    let parts = js_sys::Array::new();
    loop {
        let within = super::clock::within(super::clock::SLICE_MS);
        let mut more = true;
        while more && within() {
            more = rows.write(analysis, 500, &mut text, row);
        }
        parts.push(&js_sys::Uint8Array::from(text.as_bytes()));
        text.clear();
        if !more {
            break;
        }
        super::clock::pause().await;
    }
    offer(filename, "text/csv;charset=utf-8", &parts);
}

/// Offers `text` as a download named `filename`.
pub fn save(filename: &str, mime: &str, text: &str) {
    offer(filename, mime, &js_sys::Array::of1(&js_sys::Uint8Array::from(text.as_bytes())));
}

/// Offers the bytes of `parts` (UTF-8 text, in order) as a download named `filename`.
fn offer(filename: &str, mime: &str, parts: &js_sys::Array) {
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let Ok(blob) = Blob::new_with_u8_array_sequence_and_options(parts, &options) else { return };
    let Ok(url) = Url::create_object_url_with_blob(&blob) else { return };
    let anchor = gloo::utils::document()
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<HtmlAnchorElement>().ok());
    if let Some(a) = anchor {
        a.set_href(&url);
        a.set_download(filename);
        let _ = gloo::utils::body().append_child(&a);
        a.click();
        a.remove();
    }
    // Revoke once the click has been handled.
    let url_later = url.clone();
    gloo::timers::callback::Timeout::new(10_000, move || {
        let _ = Url::revoke_object_url(&url_later);
    })
    .forget();
}
