//! Mounts the app, or in the background worker serves it. Everything else lives in the library.

#[cfg(target_arch = "wasm32")]
fn main() {
    // The same wasm serves the background worker (see `ui::background`).
    if cartera::ui::background::in_worker() {
        cartera::ui::background::serve();
    } else {
        cartera::ui::start();
    }
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Cartera runs in the browser: build it with `trunk build` (see README.md).");
}
