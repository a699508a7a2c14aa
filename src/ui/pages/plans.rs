//! Exit plans: the list, and one plan with its dated, checkable steps, the suggested honest
//! message, and the calendar export.

use web_sys::HtmlInputElement;
use yew::prelude::*;

use crate::core::analysis::Fact;
use crate::core::plan::{self, Date, Event as CalendarEvent, ExitPlan, Stage};
use crate::i18n::format::{date, money, percent};
use crate::i18n::{Lang, T};
use crate::ui::clock::now_utc;
use crate::ui::state::{AppState, Page};
use crate::ui::{download, use_portfolio};

/// A stage's name in the user's language.
pub fn stage_name(lang: Lang, stage: Stage) -> String {
    match stage {
        Stage::Prepare => lang.t(T::StagePrepare).into(),
        Stage::Talk => lang.t(T::StageTalk).into(),
        Stage::Transition => lang.t(T::StageTransition).into(),
        Stage::Close => lang.t(T::StageClose).into(),
        Stage::FollowUp(n) => lang.fill(T::StageFollowUp, &[&n.to_string()]),
    }
}

/// What a stage asks for; the first stage names the break-even price rise when there is one.
fn stage_how(lang: Lang, stage: Stage, app: &AppState, client: &str) -> String {
    match stage {
        Stage::Prepare => {
            let rise = app.analysis.client(client).and_then(|c| {
                c.decision.facts.iter().find_map(|f| if let Fact::Loss { rise: Some(r), .. } = f { Some(*r) } else { None })
            });
            let price = rise.map_or_else(|| lang.t(T::Dash).to_string(), |r| format!("+{}", percent(lang, r, 1)));
            lang.fill(T::StagePrepareHow, &[&price])
        }
        Stage::Talk => lang.t(T::StageTalkHow).into(),
        Stage::Transition => lang.t(T::StageTransitionHow).into(),
        Stage::Close => lang.t(T::StageCloseHow).into(),
        Stage::FollowUp(_) => lang.t(T::StageFollowUpHow).into(),
    }
}

fn client_name(app: &AppState, id: &str) -> String {
    app.portfolio.clients.get(id).map_or_else(|| id.to_string(), |c| c.name.clone())
}

fn show_date(lang: Lang, d: Date) -> String {
    date(lang, d.year, d.month, d.day)
}

/// The plans as calendar events, one per step.
fn events(lang: Lang, app: &AppState, plans: &[&ExitPlan]) -> Vec<CalendarEvent> {
    plans
        .iter()
        .flat_map(|p| {
            p.steps.iter().enumerate().map(move |(i, s)| {
                let mut description = stage_how(lang, s.stage, app, &p.client);
                if !s.note.is_empty() {
                    description.push_str("\n\n");
                    description.push_str(&s.note);
                }
                CalendarEvent {
                    uid: format!("{}-{}-{}@cartera", p.client, p.start.basic(), i),
                    date: s.date,
                    summary: format!("{}: {}", client_name(app, &p.client), stage_name(lang, s.stage)),
                    description,
                }
            })
        })
        .collect()
}

fn save_calendar(lang: Lang, app: &AppState, plans: &[&ExitPlan], filename: &str) {
    let (days, seconds) = now_utc();
    let text = plan::ics(&events(lang, app, plans), &plan::stamp(days, seconds));
    download::save(filename, "text/calendar;charset=utf-8", &text);
}

#[component]
pub fn PlansPage() -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let plans: Vec<&ExitPlan> = app.portfolio.plans.values().collect();
    let paging = super::use_paging(lang, plans.len(), super::LIST_PAGE, (), "plans-pager");
    let export_all = {
        let app = app.clone();
        Callback::from(move |_| {
            let plans: Vec<&ExitPlan> = app.portfolio.plans.values().collect();
            save_calendar(app.lang, &app, &plans, "exit-plans.ics");
        })
    };
    html! {
        <section class="plans-page">
            <h1>{ lang.t(T::NavPlans) }</h1>
            <p class="intro">{ lang.t(T::PlansIntro) }</p>
            if plans.is_empty() {
                <p class="empty-state">{ lang.t(T::NoPlans) }</p>
            } else {
                <div class="actions"><button data-testid="export-all-ics" onclick={export_all}>{ lang.t(T::ExportAllCalendar) }</button></div>
                <table class="data" data-testid="plan-list" aria-rowcount={(plans.len() + 1).to_string()}>
                    <thead><tr>
                        <th scope="col">{ lang.t(T::Name) }</th>
                        <th scope="col">{ lang.t(T::PlanStart) }</th>
                        <th scope="col" class="num">{ lang.t(T::StepDone) }</th>
                        <th scope="col">{ lang.t(T::StepDate) }</th>
                    </tr></thead>
                    <tbody onkeydown={super::row_keys()}>
                        { for plans[paging.rows.clone()].iter().enumerate().map(|(k, p)| {
                            let done = p.steps.iter().filter(|s| s.done).count();
                            let next = p.steps.iter().find(|s| !s.done);
                            let open = app.go_to(Page::Plan(p.client.clone()));
                            html! {
                                <tr key={p.client.clone()} data-client={p.client.clone()} aria-rowindex={(paging.rows.start + k + 2).to_string()}>
                                    <td><button class="link" onclick={open}>{ client_name(&app, &p.client) }</button></td>
                                    <td>{ show_date(lang, p.start) }</td>
                                    <td class="num">{ format!("{done}/{}", p.steps.len()) }</td>
                                    <td>{ next.map_or_else(String::new, |s| format!("{} — {}", stage_name(lang, s.stage), show_date(lang, s.date))) }</td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
                { paging.pager }
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
pub struct PlanProps {
    pub id: AttrValue,
}

#[component]
pub fn PlanPage(props: &PlanProps) -> Html {
    let app = use_portfolio();
    let lang = app.lang;
    let back = app.go_to(Page::Plans);
    let Some(plan) = app.portfolio.plans.get(props.id.as_str()) else {
        return html! { <section><button class="link" onclick={back}>{ "← " }{ lang.t(T::BackToList) }</button><p>{ lang.t(T::NoPlans) }</p></section> };
    };
    let id = plan.client.clone();
    let name = client_name(&app, &id);
    let currency = &app.portfolio.settings.currency;
    let export = {
        let app = app.clone();
        let id = id.clone();
        Callback::from(move |_| {
            if let Some(p) = app.portfolio.plans.get(&id) {
                save_calendar(app.lang, &app, &[p], &format!("exit-plan-{id}.ics"));
            }
        })
    };
    let print = Callback::from(|_| {
        let _ = gloo::utils::window().print();
    });
    let cancel = { let app = app.clone(); let id = id.clone(); Callback::from(move |_| app.cancel_plan(id.clone())) };
    let profit = app.analysis.client(&id).map(|c| money(lang, c.now.profit, currency));

    html! {
        <section class="plan-page" data-testid="plan-page" data-client={id.clone()}>
            <button class="link no-print" onclick={back}>{ "← " }{ lang.t(T::NavPlans) }</button>
            <h1>{ lang.fill(T::PlanFor, &[&name]) }</h1>
            if let Some(p) = profit { <p class="muted">{ lang.t(T::Profit) }{ ": " }{ p }</p> }
            <div class="actions no-print">
                <button data-testid="export-ics" onclick={export}>{ lang.t(T::ExportCalendar) }</button>
                <button onclick={print}>{ lang.t(T::PrintPlan) }</button>
                <button class="danger" onclick={cancel}>{ lang.t(T::CancelPlan) }</button>
            </div>
            <table class="data steps" data-testid="plan-steps">
                <thead><tr>
                    <th scope="col">{ lang.t(T::StepDone) }</th>
                    <th scope="col">{ lang.t(T::StageHeader) }</th>
                    <th scope="col">{ lang.t(T::StepDate) }</th>
                    <th scope="col">{ lang.t(T::StepNote) }</th>
                </tr></thead>
                <tbody>
                    { for plan.steps.iter().enumerate().map(|(i, s)| {
                        let on_done = { let app = app.clone(); let id = id.clone(); Callback::from(move |e: Event| {
                            let done = e.target_unchecked_into::<HtmlInputElement>().checked();
                            app.plan_step_done(id.clone(), i, done);
                        }) };
                        let on_date = { let app = app.clone(); let id = id.clone(); Callback::from(move |e: Event| {
                            if let Some(d) = Date::parse(&e.target_unchecked_into::<HtmlInputElement>().value()) {
                                app.plan_step_edit(id.clone(), i, Some(d), None);
                            }
                        }) };
                        let on_note = { let app = app.clone(); let id = id.clone(); Callback::from(move |e: Event| {
                            let note = e.target_unchecked_into::<HtmlInputElement>().value();
                            app.plan_step_edit(id.clone(), i, None, Some(note));
                        }) };
                        let stage = stage_name(lang, s.stage);
                        html! {
                            <tr class={classes!(s.done.then_some("done"))} data-step={i.to_string()}>
                                <td class="center"><input type="checkbox" checked={s.done} onchange={on_done} aria-label={format!("{}: {}", lang.t(T::StepDone), stage)} /></td>
                                <td><strong>{ stage.clone() }</strong><br /><span class="muted">{ stage_how(lang, s.stage, &app, &id) }</span></td>
                                <td><input type="date" value={s.date.iso()} onchange={on_date} aria-label={format!("{}: {}", lang.t(T::StepDate), stage)} /></td>
                                <td><input type="text" value={s.note.clone()} onchange={on_note} aria-label={format!("{}: {}", lang.t(T::StepNote), stage)} /></td>
                            </tr>
                        }
                    }) }
                </tbody>
            </table>
            <h2>{ lang.t(T::MessageOutline) }</h2>
            <pre class="message" data-testid="plan-message">{ lang.fill(T::MessageBody, &[&name, &plan.transition_months.to_string()]) }</pre>
        </section>
    }
}
