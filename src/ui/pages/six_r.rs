//! The 6R page: for each verdict and each matrix cell, the strategies that apply and the money
//! at stake in the user's own numbers.

use yew::prelude::*;

use crate::core::analysis::six_r::{by_verdict, for_cell, reviews_from, Stake, R};
use crate::core::analysis::Cell;
use crate::i18n::format::{date, money, percent};
use crate::i18n::{Lang, T};
use crate::ui::{use_derived, use_portfolio};

/// The strategy's name and what it means.
pub fn r_text(lang: Lang, r: R) -> &'static str {
    lang.t(match r {
        R::Relacion => T::RRelacion,
        R::Retencion => T::RRetencion,
        R::Rentabilizacion => T::RRentabilizacion,
        R::Referenciacion => T::RReferenciacion,
        R::Recuperacion => T::RRecuperacion,
        R::Reactivacion => T::RReactivacion,
    })
}

/// The short name (the Spanish word the model uses in every language).
fn r_name(r: R) -> &'static str {
    match r {
        R::Relacion => "Relación",
        R::Retencion => "Retención",
        R::Rentabilizacion => "Rentabilización",
        R::Referenciacion => "Referenciación",
        R::Recuperacion => "Recuperación",
        R::Reactivacion => "Reactivación",
    }
}

fn strategies(lang: Lang, rs: &[R]) -> Html {
    html! {
        <ul class="strategies">
            { for rs.iter().map(|r| html! { <li title={r_text(lang, *r)}><strong>{ r_name(*r) }</strong>{ " — " }{ r_text(lang, *r).split_once(" — ").map_or("", |(_, why)| why) }</li> }) }
        </ul>
    }
}

#[component]
pub fn SixRPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let currency = &app.portfolio.settings.currency;
    let window_end = reviews_from(&app.analysis, app.portfolio.settings.period_kind);
    let rows = use_derived((), |s, _| by_verdict(&s.analysis));
    let totals = use_derived((), |s, _| s.analysis.cell_totals());
    let stake_text = |s: &Stake| match s {
        Stake::Profit(p) => lang.fill(T::StakeProfit, &[&money(lang, *p, currency)]),
        Stake::Losses { loss, break_even_max } => lang.fill(
            T::StakeLosses,
            &[&money(lang, *loss, currency), &break_even_max.map_or_else(|| lang.t(T::Dash).to_string(), |r| percent(lang, r, 1))],
        ),
        Stake::ToReachB(d) => lang.fill(T::StakeToB, &[&money(lang, *d, currency)]),
        Stake::Referrals(d) => lang.fill(T::StakeReferrals, &[&money(lang, *d, currency)]),
        Stake::Share(d) => lang.fill(T::StakeShare, &[&percent(lang, *d, 1)]),
        Stake::Review { months } => {
            let when = window_end.map(|d| d.add_months(*months as i32));
            lang.fill(T::StakeReview, &[&when.map_or_else(|| lang.t(T::Dash).to_string(), |d| date(lang, d.year, d.month, d.day))])
        }
    };
    html! {
        <section class="six-r-page">
            <h1>{ lang.t(T::NavSixR) }</h1>
            <p class="intro">{ lang.t(T::SixRIntro) }</p>
            <table class="data" data-testid="six-r-verdicts">
                <thead><tr>
                    <th scope="col">{ lang.t(T::Verdict) }</th>
                    <th scope="col" class="num">{ lang.t(T::Clients) }</th>
                    <th scope="col">{ lang.t(T::Strategies) }</th>
                    <th scope="col">{ lang.t(T::AtStake) }</th>
                </tr></thead>
                <tbody>
                    { for rows.iter().map(|r| html! {
                        <tr>
                            <td><strong>{ lang.verdict(r.verdict) }</strong><br /><span class="muted">{ lang.verdict_advice(r.verdict) }</span></td>
                            <td class="num">{ r.clients }</td>
                            <td>{ strategies(lang, r.strategies) }</td>
                            <td>{ stake_text(&r.stake) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <h2>{ lang.t(T::NavMatrix) }</h2>
            <table class="data" data-testid="six-r-cells">
                <thead><tr>
                    <th scope="col">{ lang.t(T::CellHeader) }</th>
                    <th scope="col" class="num">{ lang.t(T::Clients) }</th>
                    <th scope="col">{ lang.t(T::Strategies) }</th>
                    <th scope="col" class="num">{ lang.t(T::Profit) }</th>
                </tr></thead>
                <tbody>
                    { for Cell::all().iter().map(|c| html! {
                        <tr>
                            <td><span class={classes!("badge", format!("cell-{}", c.label()))}>{ c.label() }</span></td>
                            <td class="num">{ totals[c.index()].0 }</td>
                            <td>{ strategies(lang, for_cell(*c)) }</td>
                            <td class="num">{ money(lang, totals[c.index()].1, currency) }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
        </section>
    }
}
