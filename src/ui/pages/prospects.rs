//! The Prospects page: weigh a prospect before the first contact (DOMAIN.md §8), save it,
//! compare saved ones side by side, and turn one into a client when won.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::core::analysis::prospect::{check, Field, Prospect, ProspectCheck, ProspectVerdict, Unit};
use crate::core::edit::prospect_from_form;
use crate::core::model::Settings;
use crate::i18n::format::{money, number, percent};
use crate::i18n::{Lang, T};
use crate::ui::clock::today;
use crate::ui::{use_derived, use_portfolio};

/// A field's label.
fn label(field: Field) -> T {
    match field {
        Field::YearlyRevenue => T::ProspectRevenue,
        Field::Margin => T::ProspectMargin,
        Field::ServiceHours => T::ProspectService,
        Field::SalesHours => T::ProspectSales,
        Field::AcquisitionCost => T::ProspectAcquisition,
        Field::ExpectedYears => T::ProspectYears,
        Field::Retention => T::ProspectRetention,
        Field::DiscountRate => T::ProspectDiscount,
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
    let app = use_portfolio();
    let lang = app.lang;
    let settings: Settings = app.portfolio.settings.clone();
    let currency = settings.currency.clone();
    // The form's text per field, so half-typed numbers are kept as typed.
    let texts = use_state(|| Field::ALL.map(|f| number(lang, f.shown(&Prospect::default()).normalize(), 0)));
    let name = use_state(String::new);
    let checked = use_memo(((*name).clone(), (*texts).clone(), settings.clone(), lang), |(name, texts, settings, lang)| {
        prospect_from_form(name, texts, lang.number_locale()).map(|p| {
            let c = check(&p, settings);
            (p, c)
        })
    });
    let saved = use_derived((), |s, _| s.portfolio.prospects.iter().map(|p| check(p, &s.portfolio.settings)).collect::<Vec<_>>());
    let paging = super::use_paging(lang, saved.len(), super::LIST_PAGE, (), "prospects-pager");
    let invalid: &[Field] = match &*checked {
        Ok(_) => &[],
        Err(fields) => fields,
    };

    let on_field = |k: usize| {
        let texts = texts.clone();
        Callback::from(move |e: InputEvent| {
            let mut next = (*texts).clone();
            next[k] = e.target_unchecked_into::<HtmlInputElement>().value();
            texts.set(next);
        })
    };
    let on_name = {
        let name = name.clone();
        Callback::from(move |e: InputEvent| name.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let save = {
        let app = app.clone();
        let checked = checked.clone();
        Callback::from(move |_| {
            if let Ok((prospect, _)) = &*checked {
                app.save_prospect(prospect.clone());
            }
        })
    };
    // A won prospect starts right after the analysis window; with no data yet, this month.
    let start_period = app.analysis.window.map_or_else(
        || {
            let t = today();
            settings.period_kind.period_of(t.year, t.month)
        },
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
                        { for Field::ALL.iter().enumerate().map(|(i, field)| {
                            let k = field.key();
                            let id = format!("prospect-{k}");
                            let bad = invalid.contains(field);
                            html! {
                                <div class={classes!("field", bad.then_some("invalid"))}>
                                    <label for={id.clone()}>{ lang.t(label(*field)) }</label>
                                    <span class="with-suffix">
                                        <input id={id} data-prospect={k} inputmode="decimal" aria-invalid={bad.to_string()}
                                            value={texts[i].clone()} oninput={on_field(i)} />
                                        <span class="suffix">{ match field.unit() { Unit::Percent => "%".to_string(), Unit::Plain => String::new(), Unit::Money => currency.clone() } }</span>
                                    </span>
                                    if bad { <span class="error">{ lang.t(T::InvalidNumber) }</span> }
                                </div>
                            }
                        }) }
                    </fieldset>
                </form>
                <section>
                    if let Ok((_, c)) = &*checked {
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
                    <table class="data" data-testid="saved-prospects" aria-rowcount={(saved.len() + 1).to_string()}>
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
                        <tbody onkeydown={super::row_keys()}>
                            { for app.portfolio.prospects.iter().zip(saved.iter()).enumerate().skip(paging.rows.start).take(paging.rows.len()).map(|(i, (p, c))| {
                                let [profit, payback, clv] = figures(lang, c, &currency);
                                let win = { let app = app.clone(); Callback::from(move |_| app.win_prospect(i, start_period)) };
                                let remove = { let app = app.clone(); Callback::from(move |_| app.remove_prospect(i)) };
                                html! {
                                    <tr key={i} aria-rowindex={(i + 2).to_string()}>
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
                { paging.pager }
            }
        </section>
    }
}
