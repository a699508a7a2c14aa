//! The Prospects page: weigh a prospect before the first contact (DOMAIN.md §8), save it,
//! compare saved ones side by side, and turn one into a client when won.

use rust_decimal::Decimal;
use web_sys::HtmlInputElement;
use yew::prelude::*;

use super::user_number;
use crate::core::analysis::prospect::{check, Prospect, ProspectCheck, ProspectVerdict};
use crate::core::model::Settings;
use crate::i18n::format::{money, number, percent};
use crate::i18n::{Lang, T};
use crate::ui::state::Action;
use crate::ui::use_app;

/// The form's fields: key, label, shown as a percentage.
const FIELDS: [(&str, T, bool); 8] = [
    ("yearly_revenue", T::ProspectRevenue, false),
    ("margin", T::ProspectMargin, true),
    ("service_hours", T::ProspectService, false),
    ("sales_hours", T::ProspectSales, false),
    ("acquisition_cost", T::ProspectAcquisition, false),
    ("expected_years", T::ProspectYears, false),
    ("retention", T::ProspectRetention, true),
    ("discount_rate", T::ProspectDiscount, true),
];

fn get(p: &Prospect, key: &str) -> Decimal {
    match key {
        "yearly_revenue" => p.yearly_revenue,
        "margin" => p.margin,
        "service_hours" => p.service_hours,
        "sales_hours" => p.sales_hours,
        "acquisition_cost" => p.acquisition_cost,
        "expected_years" => p.expected_years,
        "retention" => p.retention,
        _ => p.discount_rate,
    }
}

fn set(p: &mut Prospect, key: &str, v: Decimal) {
    match key {
        "yearly_revenue" => p.yearly_revenue = v,
        "margin" => p.margin = v,
        "service_hours" => p.service_hours = v,
        "sales_hours" => p.sales_hours = v,
        "acquisition_cost" => p.acquisition_cost = v,
        "expected_years" => p.expected_years = v,
        "retention" => p.retention = v,
        _ => p.discount_rate = v,
    }
}

fn verdict_text(lang: Lang, v: ProspectVerdict) -> (&'static str, &'static str, &'static str) {
    match v {
        ProspectVerdict::Pursue => (lang.t(T::ProspectPursue), lang.t(T::ProspectPursueWhy), "pursue"),
        ProspectVerdict::QualifyFurther => (lang.t(T::ProspectQualify), lang.t(T::ProspectQualifyWhy), "qualify"),
        ProspectVerdict::Avoid => (lang.t(T::ProspectAvoid), lang.t(T::ProspectAvoidWhy), "avoid"),
    }
}

fn figures(lang: Lang, c: &ProspectCheck, currency: &str) -> [String; 3] {
    [
        money(lang, c.yearly_profit, currency),
        c.payback_months.map_or_else(|| lang.t(T::Never).to_string(), |m| lang.fill(T::PaybackMonths, &[&number(lang, m, 1)])),
        money(lang, c.clv, currency),
    ]
}

#[component]
pub fn ProspectsPage() -> Html {
    let app = use_app();
    let lang = app.lang;
    let settings: Settings = app.portfolio.settings.clone();
    let currency = settings.currency.clone();
    // The form's text per field, so half-typed numbers are kept as typed.
    let texts = use_state(|| {
        let d = Prospect::default();
        FIELDS
            .iter()
            .map(|(k, _, pct)| {
                let v = if *pct { get(&d, k) * Decimal::ONE_HUNDRED } else { get(&d, k) };
                (k.to_string(), number(lang, v.normalize(), 0))
            })
            .collect::<std::collections::BTreeMap<String, String>>()
    });
    let name = use_state(String::new);
    let mut prospect = Prospect { name: (*name).clone(), ..Prospect::default() };
    let mut invalid = Vec::new();
    for (k, _, pct) in FIELDS {
        match texts.get(k).and_then(|t| user_number(lang, t)) {
            Some(v) => set(&mut prospect, k, if pct { v / Decimal::ONE_HUNDRED } else { v }),
            None => invalid.push(k),
        }
    }
    let result = invalid.is_empty().then(|| check(&prospect, &settings));

    let on_field = |key: &'static str| {
        let texts = texts.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*texts).clone();
            next.insert(key.to_string(), e.target_unchecked_into::<HtmlInputElement>().value());
            texts.set(next);
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let save = {
        let app = app.clone();
        let prospect = prospect.clone();
        Callback::from(move |_| app.dispatch(Action::SaveProspect(prospect.clone())))
    };
    let start_period = app.analysis.window.map_or_else(
        || settings.period_kind.period_of(2026, 1),
        |w| w.end.next(),
    );

    html! {
        <section class="prospects-page">
            <h1>{ lang.t(T::NavProspects) }</h1>
            <p class="intro">{ lang.t(T::ProspectsIntro) }</p>
            <div class="two-col">
                <form class="settings" onsubmit={Callback::from(|e: SubmitEvent| e.prevent_default())}>
                    <fieldset>
                        <div class="field"><label for="prospect-name">{ lang.t(T::ProspectName) }</label>
                            <input id="prospect-name" data-prospect="name" value={(*name).clone()} oninput={on_name} /></div>
                        { for FIELDS.iter().map(|(k, label, pct)| {
                            let id = format!("prospect-{k}");
                            let bad = invalid.contains(k);
                            html! {
                                <div class={classes!("field", bad.then_some("invalid"))}>
                                    <label for={id.clone()}>{ lang.t(*label) }</label>
                                    <span class="with-suffix">
                                        <input id={id} data-prospect={k.to_string()} inputmode="decimal" aria-invalid={bad.to_string()}
                                            value={texts.get(*k).cloned().unwrap_or_default()} oninput={on_field(k)} />
                                        <span class="suffix">{ if *pct { "%".to_string() } else if k.contains("hours") || *k == "expected_years" { String::new() } else { currency.clone() } }</span>
                                    </span>
                                    if bad { <span class="error">{ lang.t(T::InvalidNumber) }</span> }
                                </div>
                            }
                        }) }
                    </fieldset>
                </form>
                <section>
                    if let Some(c) = &result {
                        { {
                            let (verdict, why, class) = verdict_text(lang, c.verdict);
                            let [profit, payback, clv] = figures(lang, c, &currency);
                            html! {
                                <div class={classes!("verdict-card", format!("p-{class}"))} data-testid="prospect-result">
                                    <p class="verdict-name" data-testid="prospect-verdict">{ verdict }</p>
                                    <p>{ why }</p>
                                    <dl class="cards">
                                        <div class="card"><dt>{ lang.t(T::YearlyProfit) }</dt><dd data-testid="prospect-profit">{ profit }</dd></div>
                                        <div class="card"><dt>{ lang.t(T::Payback) }</dt><dd data-testid="prospect-payback">{ payback }</dd></div>
                                        <div class="card"><dt>{ lang.t(T::Clv) }</dt><dd data-testid="prospect-clv">{ clv }</dd></div>
                                    </dl>
                                    <button class="primary" data-testid="save-prospect" onclick={save}>{ lang.t(T::SaveProspect) }</button>
                                </div>
                            }
                        } }
                    }
                </section>
            </div>
            if !app.portfolio.prospects.is_empty() {
                <h2>{ lang.t(T::SavedProspects) }</h2>
                <div class="table-wrap">
                    <table class="data" data-testid="saved-prospects">
                        <thead><tr>
                            <th scope="col">{ lang.t(T::ProspectName) }</th>
                            <th scope="col" class="num">{ lang.t(T::ProspectRevenue) }</th>
                            <th scope="col" class="num">{ lang.t(T::ProspectMargin) }</th>
                            <th scope="col" class="num">{ lang.t(T::YearlyProfit) }</th>
                            <th scope="col" class="num">{ lang.t(T::Payback) }</th>
                            <th scope="col" class="num">{ lang.t(T::Clv) }</th>
                            <th scope="col">{ lang.t(T::Verdict) }</th>
                            <th />
                        </tr></thead>
                        <tbody>
                            { for app.portfolio.prospects.iter().enumerate().map(|(i, p)| {
                                let c = check(p, &settings);
                                let [profit, payback, clv] = figures(lang, &c, &currency);
                                let win = { let app = app.clone(); Callback::from(move |_| app.dispatch(Action::WinProspect { index: i, start: start_period })) };
                                let remove = { let app = app.clone(); Callback::from(move |_| app.dispatch(Action::RemoveProspect(i))) };
                                html! {
                                    <tr>
                                        <td>{ &p.name }</td>
                                        <td class="num">{ money(lang, p.yearly_revenue, &currency) }</td>
                                        <td class="num">{ percent(lang, p.margin, 0) }</td>
                                        <td class="num">{ profit }</td>
                                        <td class="num">{ payback }</td>
                                        <td class="num">{ clv }</td>
                                        <td>{ verdict_text(lang, c.verdict).0 }</td>
                                        <td class="actions">
                                            <button onclick={win}>{ lang.t(T::WonProspect) }</button>
                                            <button class="link" onclick={remove}>{ lang.t(T::Remove) }</button>
                                        </td>
                                    </tr>
                                }
                            }) }
                        </tbody>
                    </table>
                </div>
            }
        </section>
    }
}
