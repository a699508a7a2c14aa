//! Reading and checking a file for import without freezing the page: the engine's sliced
//! reader ([`Job`](crate::core::import::Job)) runs a slice at a time, reporting progress to the
//! reducer between slices, until the file is checked; then it is added to the portfolio a
//! slice at a time ([`Applying`]) and staged for the user to confirm. One import runs at a
//! time; a new one or a cancel stops the one under way.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use yew::UseReducerDispatcher;

use super::state::{Action, AppState};
use crate::core::import::table::MAX_BYTES;
use crate::core::import::{Applying, Job, Problem, ProblemKind};
use crate::core::model::Portfolio;

thread_local! {
    /// The import under way; a new import or a cancel moves it on, and a job that sees a
    /// different number stops without reporting.
    static CURRENT: Cell<u64> = const { Cell::new(0) };
    /// The file being read, kept alive until it reports.
    static READER: RefCell<Option<FileReader>> = const { RefCell::new(None) };
}

type Dispatcher = UseReducerDispatcher<AppState>;

/// Stops the import under way; nothing of it is applied.
pub fn cancel() {
    CURRENT.with(|g| g.set(g.get() + 1));
    READER.with(|r| r.borrow_mut().take());
}

/// Checks `bytes` in slices, reporting progress between them so the page stays responsive,
/// adds the result to `portfolio` in slices too, then stages it for the user to confirm.
pub fn run(dispatch: Dispatcher, portfolio: Rc<Portfolio>, name: String, bytes: Vec<u8>) {
    let id = CURRENT.with(|g| {
        g.set(g.get() + 1);
        g.get()
    });
    let current = move || CURRENT.with(|g| g.get()) == id;
    yew::platform::spawn_local(async move {
        let mut job = Job::start(&bytes, &portfolio.settings);
        if let Some(problems) = job.header_problems() {
            // A header it does not understand (or none): let the user say what the columns are.
            let text = String::from_utf8_lossy(&bytes).trim_start_matches('\u{feff}').to_string();
            dispatch.dispatch(Action::StageMapping { name, text, problems: problems.to_vec() });
            return;
        }
        // Kept for the background worker to import it again (`background::derived`).
        let source = super::background::keep_source(&bytes);
        drop(bytes);
        // Rows checked between two looks at the page: as many as fit in a short slice.
        let mut slicer = super::clock::Slicer::new();
        let lines = loop {
            let p = slicer.run(|rows| job.step(rows));
            if !current() {
                return;
            }
            if p.done {
                break p.rows;
            }
            dispatch.dispatch(Action::StageProgress { name: name.clone(), done: p.bytes_read, total: p.bytes_total, rows: p.rows });
            crate::ui::clock::pause().await;
        };
        let result = job.finish();
        let adding = match &result {
            Ok((parsed, _)) => {
                let mut applying = Applying::new(&portfolio, parsed);
                // Adding a row costs otherwise than reading one: measured again.
                while slicer.run_in(1, |rows| applying.step(parsed, rows)) {
                    crate::ui::clock::pause().await;
                    if !current() {
                        return;
                    }
                }
                let applied = applying.finish(parsed);
                // Made again and analysed in the worker while the user looks at the preview.
                if let (Some(source), Ok((made, _))) = (&source, &applied) {
                    super::background::derived(&portfolio, made, source, crate::core::import::Mode::Add, &portfolio.settings);
                    super::background::prepare(made);
                }
                Some((portfolio.clone(), applied))
            }
            Err(_) => None,
        };
        if current() {
            dispatch.dispatch(Action::StageChecked { name, lines, result, adding, source });
        }
    });
}

/// Reads a chosen or dropped file and checks it. Files too large to import are refused before
/// they are read.
pub fn read_file(dispatch: Dispatcher, portfolio: Rc<Portfolio>, file: web_sys::File) {
    let name = file.name();
    let size = file.size() as usize;
    if size > MAX_BYTES {
        let problems = vec![Problem::file(ProblemKind::TooLarge { bytes: size, limit: MAX_BYTES })];
        dispatch.dispatch(Action::StageRefused { name, problems });
        return;
    }
    dispatch.dispatch(Action::StageReading(name.clone()));
    let file = gloo::file::File::from(file);
    let reader = gloo::file::callbacks::read_as_bytes(&file, move |result| match result {
        Ok(bytes) => run(dispatch, portfolio, name, bytes),
        Err(_) => dispatch.dispatch(Action::StageRefused { name, problems: vec![Problem::file(ProblemKind::NotText)] }),
    });
    READER.with(|r| *r.borrow_mut() = Some(reader));
}
