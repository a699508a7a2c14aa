//! The Settings page: every setting of DOMAIN.md §2, §4, §5 and §7, validated by the same
//! code that reads a settings file. A valid change applies at once (one undo step) and lists
//! the clients whose class or verdict it moved.

use std::collections::BTreeMap;
use std::rc::Rc;

use rust_decimal::Decimal;
use web_sys::{HtmlInputElement, HtmlSelectElement};
use yew::prelude::*;

use crate::core::analysis::view::Moved;
use crate::core::analysis::Factor;
use crate::core::import::settings::{form_fields, from_form, typed};
use crate::core::import::Problem;
use crate::core::model::{Settings, FACTOR_KEYS};
use crate::i18n::format::{bytes, float};
use crate::i18n::{Lang, T};
use crate::ui::use_portfolio;

#[derive(Properties, PartialEq)]
struct FormProps {
    settings: Settings,
    lang: Lang,
}

#[component]
fn SettingsForm(props: &FormProps) -> Html {
    let app = use_portfolio();
    let lang = props.lang;
    let fields = use_state(|| form_fields(&props.settings, lang.number_locale()));
    let problems = use_state(Vec::<Problem>::new);
    // What the form last showed or applied: settings changed elsewhere (undo, an imported
    // settings file) or a new language refill the form; the form's own changes do not.
    let shown = use_mut_ref(|| (props.settings.clone(), lang));
    {
        let fields = fields.clone();
        let problems = problems.clone();
        let shown = shown.clone();
        use_effect_with((props.settings.clone(), lang), move |(settings, lang)| {
            if *shown.borrow() != (settings.clone(), *lang) {
                *shown.borrow_mut() = (settings.clone(), *lang);
                fields.set(form_fields(settings, lang.number_locale()));
                problems.set(Vec::new());
            }
        });
    }

    let apply = {
        let fields = fields.clone();
        let problems = problems.clone();
        let app = app.clone();
        Callback::from(move |next: BTreeMap<String, String>| {
            match from_form(&next, lang.number_locale()) {
                Ok(settings) => {
                    problems.set(Vec::new());
                    *shown.borrow_mut() = (settings.clone(), lang);
                    app.set_settings(settings);
                }
                Err(p) => problems.set(p),
            }
            fields.set(next);
        })
    };
    let update = {
        let fields = fields.clone();
        let apply = apply.clone();
        Callback::from(move |(key, value): (String, String)| {
            let mut next = (*fields).clone();
            next.insert(key, value);
            apply.emit(next);
        })
    };
    let error_of = |key: &str| problems.iter().find(|p| p.column.as_deref() == Some(key)).map(|p| lang.problem(p));
    let input = |key: &str, label: &str, suffix: &str| {
        let update = update.clone();
        let k = key.to_string();
        // What is typed is kept at once, so a render of an earlier change never puts an old
        // value back into the field before this one is applied.
        let oninput = {
            let fields = fields.clone();
            let k = k.clone();
            Callback::from(move |e: InputEvent| {
                let mut next = (*fields).clone();
                next.insert(k.clone(), e.target_unchecked_into::<HtmlInputElement>().value());
                fields.set(next);
            })
        };
        let error = error_of(key);
        let id = format!("set-{}", key.replace('.', "-"));
        html! {
            <div class={classes!("field", error.is_some().then_some("invalid"))}>
                <label for={id.clone()}>{ label }</label>
                <span class="with-suffix">
                    <input id={id.clone()} data-setting={key.to_string()} inputmode="decimal"
                        aria-invalid={error.is_some().to_string()}
                        aria-describedby={error.as_ref().map(|_| format!("{id}-err"))}
                        value={fields.get(key).cloned().unwrap_or_default()} {oninput}
                        onchange={Callback::from(move |e: Event| update.emit((k.clone(), e.target_unchecked_into::<HtmlInputElement>().value())))} />
                    if !suffix.is_empty() { <span class="suffix">{ suffix.to_string() }</span> }
                </span>
                if let Some(msg) = error { <span class="error" id={format!("{id}-err")}>{ msg }</span> }
            </div>
        }
    };
    let select = |key: &str, label: &str, options: &[(&str, &str)]| {
        let update = update.clone();
        let k = key.to_string();
        let current = fields.get(key).cloned().unwrap_or_default();
        let id = format!("set-{key}");
        html! {
            <div class="field">
                <label for={id.clone()}>{ label }</label>
                <select id={id} data-setting={key.to_string()}
                    onchange={Callback::from(move |e: Event| update.emit((k.clone(), e.target_unchecked_into::<HtmlSelectElement>().value())))}>
                    { for options.iter().map(|(v, text)| html! { <option value={v.to_string()} selected={current == *v}>{ text.to_string() }</option> }) }
                </select>
            </div>
        }
    };
    let preset = |(x, y): (Decimal, Decimal)| {
        let fields = fields.clone();
        let apply = apply.clone();
        Callback::from(move |_| {
            let mut next = (*fields).clone();
            next.insert("x".into(), typed(x, lang.number_locale()));
            next.insert("y".into(), typed(y, lang.number_locale()));
            apply.emit(next);
        })
    };
    let reset = {
        let app = app.clone();
        Callback::from(move |_| app.set_settings(app.portfolio.settings.reset()))
    };
    let currency = props.settings.currency.clone();

    html! {
        <form class="settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
            if !problems.is_empty() {
                <p class="notice error" role="alert">{ lang.t(T::SettingsInvalid) }</p>
            }
            <fieldset>
                <legend>{ lang.t(T::CostModel) }</legend>
                <p class="hint">{ lang.t(T::CostModelIntro) }</p>
                { input("service_rate", lang.t(T::ServiceRate), &currency) }
                { input("sales_rate", lang.t(T::SalesRate), &currency) }
                { input("ticket_cost", lang.t(T::TicketCost), &currency) }
                { input("commission", lang.t(T::Commission), "%") }
                { input("capital_rate", lang.t(T::CapitalRate), "%") }
                { input("amortisation_periods", lang.t(T::Amortisation), "") }
            </fieldset>
            <fieldset>
                <legend>{ lang.t(T::Analysis) }</legend>
                { input("window", lang.t(T::WindowLength), "") }
                { select("abc_basis", lang.t(T::AbcBasis), &[("profit", lang.t(T::BasisProfit)), ("revenue", lang.t(T::BasisRevenue))]) }
                { input("a", lang.t(T::ClassA), "%") }
                { input("b", lang.t(T::ClassB), "%") }
                { select("xyz_method", lang.t(T::XyzMethodLabel), &[("cv", lang.t(T::MethodCv)), ("pattern", lang.t(T::MethodPattern))]) }
                { input("x", lang.t(T::XLimit), "") }
                { input("y", lang.t(T::YLimit), "") }
                <div class="actions">
                    <button type="button" onclick={preset((Settings::default().x, Settings::default().y))}>{ lang.t(T::ServicesPreset) }</button>
                    <button type="button" onclick={preset(Settings::strict_xyz())}>{ lang.t(T::StrictPreset) }</button>
                </div>
                { input("max_share", lang.t(T::MaxShare), "%") }
                { input("referral_credit", lang.t(T::ReferralCredit), "%") }
            </fieldset>
            <fieldset>
                <legend>{ lang.t(T::Weights) }</legend>
                { for Factor::ALL.iter().zip(FACTOR_KEYS).map(|(f, key)| input(&format!("weights.{key}"), lang.factor(*f), "")) }
            </fieldset>
            <fieldset>
                <legend>{ lang.t(T::PortfolioLabel) }</legend>
                { select("period_kind", lang.t(T::PeriodKindLabel), &[("month", lang.t(T::Months)), ("quarter", lang.t(T::Quarters))]) }
                { input("currency", lang.t(T::Currency), "") }
                { select("number_locale", lang.t(T::NumberLocaleLabel), &[("dot", lang.t(T::LocaleDot)), ("comma", lang.t(T::LocaleComma))]) }
            </fieldset>
            <div class="actions">
                <button type="button" onclick={reset}>{ lang.t(T::ResetSettings) }</button>
            </div>
        </form>
    }
}

/// The clients a settings change moved, "from → to".
#[component]
pub fn MovedList() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    html! {
        <section class="moved" data-testid="moved-clients" aria-live="polite">
            <h2>{ lang.t(T::Moved) }</h2>
            if app.moved.is_empty() {
                <p class="muted">{ lang.t(T::MovedNone) }</p>
            } else {
                <MovedTable moved={app.moved.clone()} scores={true} />
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct MovedProps {
    pub moved: Rc<Vec<Moved>>,
    /// Whether the score column is shown (a change that is only judged has none).
    pub scores: bool,
}

/// Clients "from → to" in cell, verdict and score, a page at a time.
#[component]
pub fn MovedTable(props: &MovedProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let moved = &props.moved;
    let paging = super::use_paging(lang, moved.len(), super::LIST_PAGE, Rc::as_ptr(moved) as usize, "moved-pager");
    // Its name in the analysis shown (where it was listed, unless clients came or went since).
    let a = &app.analysis;
    let name = |m: &Moved| m.index_in(a).map_or_else(|| m.id.clone(), |i| a.clients[i].name.clone());
    html! {
        <>
            <table class="data" aria-rowcount={(moved.len() + 1).to_string()}>
                <thead><tr>
                    <th scope="col">{ lang.t(T::Name) }</th>
                    <th scope="col">{ lang.t(T::CellHeader) }</th>
                    <th scope="col">{ lang.t(T::Verdict) }</th>
                    if props.scores { <th scope="col" class="num">{ lang.t(T::Score) }</th> }
                </tr></thead>
                <tbody>
                    { for moved[paging.rows.clone()].iter().enumerate().map(|(k, m)| {
                        let same = |changed: bool, text: String| if changed { html! { <strong>{ text }</strong> } } else { html! { <span class="muted">{ text }</span> } };
                        html! {
                            <tr key={m.id.clone()} class={if m.decisive() { "moved" } else { "rescored" }} data-client={m.id.clone()} aria-rowindex={(paging.rows.start + k + 2).to_string()}>
                                <td>{ name(m) }</td>
                                <td>{ same(m.cell.0 != m.cell.1, lang.fill(T::FromTo, &[m.cell.0.label(), m.cell.1.label()])) }</td>
                                <td data-verdict-from={m.verdict.0.english()} data-verdict={m.verdict.1.english()}>{ same(m.verdict.0 != m.verdict.1, lang.fill(T::FromTo, &[lang.verdict(m.verdict.0), lang.verdict(m.verdict.1)])) }</td>
                                if props.scores { <td class="num">{ lang.fill(T::FromTo, &[&float(lang, m.score.0, 1), &float(lang, m.score.1, 1)]) }</td> }
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            { paging.pager }
        </>
    }
}

/// Where the data lives, how much space it takes and may take, and whether the browser keeps
/// it under storage pressure.
#[component]
fn StorageSpace() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    {
        let app = app.clone();
        use_effect_with((), move |_| app.refresh_space());
    }
    let space = &app.space;
    html! {
        <section class="storage-space" data-testid="storage-space">
            <h2>{ lang.t(T::StorageHeading) }</h2>
            if app.storage_fallback() {
                <p>{ lang.t(T::StorageLocalOnly) }</p>
            }
            if let (Some(usage), Some(quota)) = (space.usage, space.quota) {
                <p data-testid="storage-used">{ lang.fill(T::StorageUsed, &[&bytes(lang, usage), &bytes(lang, quota)]) }</p>
            }
            if let Some(persisted) = space.persisted {
                <p data-testid="storage-persistent" data-persistent={persisted.to_string()}>{ lang.t(if persisted { T::StoragePersistent } else { T::StorageNotPersistent }) }</p>
            }
        </section>
    }
}

#[component]
pub fn SettingsPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let settings = app.portfolio.settings.clone();
    html! {
        <section class="settings-page">
            <h1>{ lang.t(T::SettingsHeading) }</h1>
            <div class="two-col">
                <SettingsForm {settings} {lang} />
                <div>
                    <MovedList />
                    <StorageSpace />
                </div>
            </div>
        </section>
    }
}
