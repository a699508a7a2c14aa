//! The Decisions page: clients grouped by verdict in rule order, each with its score, cell,
//! reason and the money at stake; counts per verdict, a filter and a search.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::core::analysis::Verdict;
use crate::i18n::format::float;
use crate::i18n::T;
use crate::ui::state::{Action, Page};
use crate::ui::use_app;
use crate::ui::words::{at_stake, fact};

fn slug(v: Verdict) -> String {
    format!("{v:?}").to_lowercase()
}

#[component]
pub fn DecisionsPage() -> Html {
    let app = use_app();
    let lang = app.lang;
    let filter = use_state(|| None::<Verdict>);
    let query = use_state(String::new);
    let a = app.analysis.clone();
    let currency = app.portfolio.settings.currency.clone();
    let q = query.to_lowercase();
    let moved: std::collections::HashMap<&str, &crate::ui::state::Moved> = app.moved.iter().map(|m| (m.id.as_str(), m)).collect();

    let counts: Vec<(Verdict, usize)> = Verdict::ALL
        .iter()
        .map(|v| (*v, a.clients.iter().filter(|c| c.decision.verdict == *v).count()))
        .filter(|(_, n)| *n > 0)
        .collect();
    let on_query = {
        let query = query.clone();
        Callback::from(move |e: InputEvent| query.set(e.target_unchecked_into::<HtmlInputElement>().value()))
    };
    let chip = |v: Option<Verdict>, label: String, n: usize| {
        let filter = filter.clone();
        let pressed = *filter == v;
        html! {
            <button class={classes!("chip", pressed.then_some("on"))} aria-pressed={pressed.to_string()}
                data-testid={format!("verdict-count-{}", v.map_or("all".to_string(), slug))}
                onclick={Callback::from(move |_| filter.set(v))}>
                { label }{ " " }<span class="count">{ n }</span>
            </button>
        }
    };

    html! {
        <section class="decisions-page">
            <h1>{ lang.t(T::NavDecisions) }</h1>
            <p class="intro">{ lang.t(T::DecisionsIntro) }</p>
            <div class="chips" role="group" aria-label={lang.t(T::Verdict)}>
                { chip(None, lang.t(T::AllVerdicts).to_string(), a.clients.len()) }
                { for counts.iter().map(|(v, n)| chip(Some(*v), lang.verdict(*v).to_string(), *n)) }
            </div>
            <div class="table-tools">
                <input type="search" placeholder={lang.t(T::Search)} aria-label={lang.t(T::Search)} value={(*query).clone()} oninput={on_query} />
            </div>
            { for counts.iter().filter(|(v, _)| filter.is_none_or(|f| f == *v)).map(|(v, _)| {
                let mut members: Vec<usize> = (0..a.clients.len())
                    .filter(|&i| a.clients[i].decision.verdict == *v)
                    .filter(|&i| q.is_empty() || a.clients[i].name.to_lowercase().contains(&q) || a.clients[i].id.to_lowercase().contains(&q))
                    .collect();
                members.sort_by(|&i, &j| a.clients[j].score.total.total_cmp(&a.clients[i].score.total).then_with(|| a.clients[i].id.cmp(&a.clients[j].id)));
                if members.is_empty() {
                    return html! {};
                }
                html! {
                    <section class={classes!("verdict-group", format!("v-{}", slug(*v)))} data-testid={format!("verdict-group-{}", slug(*v))} data-count={members.len().to_string()}>
                        <h2>{ lang.verdict(*v) }<span class="count">{ members.len() }</span></h2>
                        <p class="advice">{ lang.verdict_advice(*v) }</p>
                        <table class="data">
                            <thead><tr>
                                <th scope="col">{ lang.t(T::Name) }</th>
                                <th scope="col" class="num">{ lang.t(T::Score) }</th>
                                <th scope="col" class="center">{ lang.t(T::CellHeader) }</th>
                                <th scope="col">{ lang.t(T::Reason) }</th>
                                <th scope="col" class="num">{ lang.t(T::AtStake) }</th>
                            </tr></thead>
                            <tbody>
                                { for members.iter().map(|&i| {
                                    let c = &a.clients[i];
                                    let go = { let app = app.clone(); let id = c.id.clone(); Callback::from(move |_| app.dispatch(Action::Go(Page::Client(id.clone())))) };
                                    let reason = c.decision.facts.first().map(|f| fact(lang, f, &currency)).unwrap_or_default();
                                    let change = moved.get(c.id.as_str());
                                    html! {
                                        <tr key={c.id.clone()} data-client={c.id.clone()} class={classes!(change.map(|m| if m.decisive() { "moved" } else { "rescored" }))}>
                                            <td>
                                                <button class="link" onclick={go}>{ &c.name }</button>
                                                if let Some(m) = change.filter(|m| m.decisive()) {
                                                    <span class="moved-tag">{ lang.fill(T::FromTo, &[lang.verdict(m.verdict.0), lang.verdict(m.verdict.1)]) }{ " · " }{ lang.fill(T::FromTo, &[m.cell.0.label(), m.cell.1.label()]) }</span>
                                                }
                                            </td>
                                            <td class="num">
                                                if let Some(m) = change.filter(|m| !m.decisive()) {
                                                    <span class="muted">{ float(lang, m.score.0, 1) }{ " → " }</span>
                                                }
                                                { float(lang, c.score.total, 1) }
                                            </td>
                                            <td class="center"><span class={classes!("badge", format!("cell-{}", c.cell.label()))}>{ c.cell.label() }</span></td>
                                            <td>{ reason }</td>
                                            <td class="num">{ at_stake(lang, c, &currency) }</td>
                                        </tr>
                                    }
                                }) }
                            </tbody>
                        </table>
                    </section>
                }
            }) }
        </section>
    }
}
