//! Releases: the service worker that keeps the app usable offline, and the moment a new
//! release is deployed. A new release's worker waits (see `scripts/post-build.mjs`); the app
//! says a new version is ready, and the user reloads into it when it suits them — never in the
//! middle of their work, and never silently running the old one.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

fn container() -> Option<ServiceWorkerContainer> {
    let window = web_sys::window()?;
    let navigator = window.navigator();
    let served = window.location().protocol().is_ok_and(|p| p == "http:" || p == "https:");
    let available = js_sys::Reflect::has(&navigator, &"serviceWorker".into()).unwrap_or(false);
    (served && available).then(|| navigator.service_worker())
}

/// Registers the service worker (served from `file://` — the single-file build — or where
/// workers are unavailable, nothing is registered) and calls `on_ready` when a new release is
/// installed and waiting while this one runs.
pub fn register(on_ready: impl Fn() + 'static) {
    let Some(sw) = container() else { return };
    let on_ready = std::rc::Rc::new(on_ready);
    let registered = sw.register("./sw.js");
    wasm_bindgen_futures::spawn_local(async move {
        // A failed registration only means no offline copy; the app works the same.
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(registered).await else { return };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else { return };
        let running = |sw: &ServiceWorkerContainer| sw.controller().is_some();
        if reg.waiting().is_some() && running(&sw) {
            on_ready();
        }
        let found = {
            let reg = reg.clone();
            Closure::<dyn Fn()>::new(move || {
                let Some(installing) = reg.installing() else { return };
                let watched = installing.clone();
                let on_ready = on_ready.clone();
                let changed = Closure::<dyn Fn()>::new(move || {
                    let sw = container();
                    if watched.state() == ServiceWorkerState::Installed && sw.as_ref().is_some_and(running) {
                        on_ready();
                    }
                });
                installing.set_onstatechange(Some(changed.as_ref().unchecked_ref()));
                changed.forget();
            })
        };
        reg.set_onupdatefound(Some(found.as_ref().unchecked_ref()));
        found.forget();
    });
}

/// Switches to the waiting release: it takes over, and the page reloads into it.
pub fn reload_into_new() {
    let Some(sw) = container() else { return };
    let reload = Closure::once_into_js(|| {
        let _ = web_sys::window().map(|w| w.location().reload());
    });
    sw.set_oncontrollerchange(Some(reload.unchecked_ref()));
    wasm_bindgen_futures::spawn_local(async move {
        let Ok(reg) = wasm_bindgen_futures::JsFuture::from(sw.get_registration()).await else { return };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else { return };
        match reg.waiting() {
            Some(waiting) => {
                let _ = waiting.post_message(&JsValue::from_str("skip-waiting"));
            }
            None => {
                let _ = web_sys::window().map(|w| w.location().reload());
            }
        }
    });
}
