//! The Decisions page: clients grouped by verdict in rule order, each with its score, cell,
//! reason and the money at stake; counts per verdict, a filter and a search.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::core::analysis::view::{self, Moved, VerdictGroup};
use crate::core::analysis::Verdict;
use crate::i18n::format::{count, float};
use crate::i18n::T;
use crate::ui::state::{AppState, Page};
use crate::ui::{use_derived, use_portfolio};
use crate::ui::words::{at_stake, fact};

fn slug(v: Verdict) -> String {
    format!("{v:?}").to_lowercase()
}

/// The clients by verdict, as a derivation the Decisions and Report pages share
/// ([`super::WARM_UP`] builds it ahead).
pub fn groups(s: &AppState, _: &()) -> Vec<VerdictGroup> {
    view::by_verdict(&s.analysis)
}

/// The groups' members matching a search; `None` without one (every group is shown whole).
pub fn searched(s: &AppState, query: &String) -> Option<std::rc::Rc<Vec<VerdictGroup>>> {
    (!query.trim().is_empty()).then(|| {
        let groups = view::by_verdict(&s.analysis);
        std::rc::Rc::new(groups.into_iter().map(|g| VerdictGroup { verdict: g.verdict, members: view::search(&s.analysis, &g.members, query) }).collect())
    })
}

/// Who moved at the last settings change, by client index of the analysis shown: the rows of
/// Decisions and Portfolio mark them. (At 100,000 clients a weight change moves every score;
/// a map of their ids took longer than a frame to build and to free.)
pub struct Moves {
    list: std::rc::Rc<Vec<Moved>>,
    at: Vec<u32>,
}

impl Moves {
    /// The entry of client `i`, if it moved.
    pub fn get(&self, i: usize) -> Option<&Moved> {
        self.at.get(i).and_then(|&k| self.list.get(k as usize))
    }
}

impl PartialEq for Moves {
    fn eq(&self, other: &Moves) -> bool {
        std::rc::Rc::ptr_eq(&self.list, &other.list) && self.at == other.at
    }
}

/// An equality that holds of itself: an `Rc<Moves>` in a list's props is then compared by
/// pointer first, not a position a client at each render.
impl Eq for Moves {}

pub fn moves(s: &AppState, _: &()) -> Moves {
    Moves { at: view::moved_at(&s.moved, &s.analysis), list: s.moved.clone() }
}

#[component]
pub fn DecisionsPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let filter = use_state(|| None::<Verdict>);
    let query = use_state(String::new);
    let a = app.analysis.clone();
    let groups = use_derived((), groups);
    // Without a query every group is shown whole: the groups above, not sorted again.
    let searched = use_derived((*query).clone(), searched);
    let found = (*searched).clone().unwrap_or_else(|| groups.clone());
    let moved = use_derived((), moves);
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
                { label }{ " " }<span class="count">{ count(lang, n) }</span>
            </button>
        }
    };

    html! {
        <section class="decisions-page">
            <h1>{ lang.t(T::NavDecisions) }</h1>
            <p class="intro">{ lang.t(T::DecisionsIntro) }</p>
            if let Some(r) = app.flips() {
                <p><button class="link" data-testid="fragile-count" onclick={Callback::from(|_| super::robustness::show_summary())}>
                    { lang.fill(T::FragileCount, &[&count(lang, r.fragile_count())]) }
                </button></p>
            }
            <div class="chips" role="group" aria-label={lang.t(T::Verdict)}>
                { chip(None, lang.t(T::AllVerdicts).to_string(), a.clients.len()) }
                { for groups.iter().map(|g| chip(Some(g.verdict), lang.verdict(g.verdict).to_string(), g.members.len())) }
            </div>
            <div class="table-tools">
                <input type="search" placeholder={lang.t(T::Search)} aria-label={lang.t(T::Search)} value={(*query).clone()} oninput={on_query} />
            </div>
            { for found.iter().enumerate().filter(|(_, g)| filter.is_none_or(|f| f == g.verdict)).map(|(k, g)| html! {
                <Group key={format!("{:?}", g.verdict)} groups={found.clone()} index={k} moved={moved.clone()} query={AttrValue::from((*query).clone())} />
            }) }
            <super::robustness::RobustnessSummary />
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct GroupProps {
    groups: std::rc::Rc<Vec<VerdictGroup>>,
    index: usize,
    moved: std::rc::Rc<Moves>,
    query: AttrValue,
}

/// One verdict's clients, a page at a time.
#[component]
fn Group(props: &GroupProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let a = app.analysis.clone();
    let currency = app.portfolio.settings.currency.clone();
    let g = &props.groups[props.index];
    let (v, members) = (&g.verdict, &g.members);
    let paging = super::use_paging(lang, members.len(), super::GROUP_PAGE, (props.query.clone(), app.revision), "group-pager");
    if members.is_empty() {
        return html! {};
    }
    let moved = &props.moved;
    let flips = app.flips().cloned();
    html! {
        <section class={classes!("verdict-group", format!("v-{}", slug(*v)))} data-testid={format!("verdict-group-{}", slug(*v))} data-count={members.len().to_string()}>
            <h2>{ lang.verdict(*v) }<span class="count">{ count(lang, members.len()) }</span></h2>
            <p class="advice">{ lang.verdict_advice(*v) }</p>
            <table class="data" aria-rowcount={(members.len() + 1).to_string()}>
                <thead><tr>
                    <th scope="col">{ lang.t(T::Name) }</th>
                    <th scope="col" class="num">{ lang.t(T::Score) }</th>
                    <th scope="col" class="center">{ lang.t(T::CellHeader) }</th>
                    <th scope="col">{ lang.t(T::Reason) }</th>
                    <th scope="col" class="num">{ lang.t(T::AtStake) }</th>
                </tr></thead>
                <tbody onkeydown={super::row_keys()}>
                    { for members[paging.rows.clone()].iter().enumerate().map(|(k, &i)| {
                        let c = &a.clients[i];
                        let go = app.go_to(Page::Client(c.id.clone()));
                        let reason = c.decision.facts.first().map(|f| fact(lang, f, &currency)).unwrap_or_default();
                        let change = moved.get(i);
                        html! {
                            <tr key={c.id.clone()} data-client={c.id.clone()} aria-rowindex={(paging.rows.start + k + 2).to_string()} class={classes!(change.map(|m| if m.decisive() { "moved" } else { "rescored" }))}>
                                <td>
                                    <button class="link" onclick={go}>{ &c.name }</button>
                                    if let Some(m) = change.filter(|m| m.decisive()) {
                                        <span class="moved-tag">{ lang.fill(T::FromTo, &[lang.verdict(m.verdict.0), lang.verdict(m.verdict.1)]) }{ " · " }{ lang.fill(T::FromTo, &[m.cell.0.label(), m.cell.1.label()]) }</span>
                                    }
                                    if let Some(f) = flips.as_ref().and_then(|r| r.fragile(i)) {
                                        <span class="fragile-tag" data-testid="fragile" data-rate={f.rate.key()}
                                            title={lang.fill(if f.up { T::FragileUp } else { T::FragileDown }, &[super::robustness::rate_name(lang, f.rate), lang.verdict(f.to)])}>
                                            { lang.t(T::Fragile) }
                                        </span>
                                    }
                                </td>
                                <td class="num">
                                    if let Some(m) = change.filter(|m| !m.decisive()) {
                                        <span class="muted">{ float(lang, m.score.0, 1) }{ " → " }</span>
                                    }
                                    { float(lang, a.scores[i], 1) }
                                </td>
                                <td class="center"><span class={classes!("badge", format!("cell-{}", c.cell.label()))}>{ c.cell.label() }</span></td>
                                <td>{ reason }</td>
                                <td class="num">{ at_stake(lang, c, &currency) }</td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            { paging.pager }
        </section>
    }
}
