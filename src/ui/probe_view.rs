//! The Probe tab (in a chunk loaded on first use): what a probe tries, then one row per case
//! (id, title, sections linked, level, what the spec expects, what the server answered, the
//! verdict, why), each with its requests and answers in a log like a step's (masked), and the
//! report as JSON. The button that starts a probe is `super::probe_bar`.

use leptos::prelude::*;
use protocol::probe::{self, CaseResult, Report, StepKind, Verdict};

use super::log_view::LogView;
use crate::browser;
use crate::store::{FlowSlot, Store};

/// The Probe tab of a flow.
#[component]
pub fn ProbeView(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let store = expect_context::<Store>();
    let needs_extra = move || {
        slot.config.with(|c| {
            probe::plan(slot.def, c)
                .cases
                .iter()
                .any(|k| k.target == StepKind::JwtBearer)
        })
    };
    let download = move |_| {
        let Some(report) = slot.probe.report.get_untracked() else {
            return;
        };
        let json = report.json(&store.secrets.get_untracked());
        let text = serde_json::to_string_pretty(&json).unwrap_or_default();
        let stamp = report.started.replace([':', ' '], "-");
        let name = format!("{}-probe-{stamp}.json", slot.def.id);
        if let Err(e) = browser::save_file(&name, "application/json", &text) {
            store
                .announce
                .set(format!("The report could not be saved: {e}."));
        }
    };
    view! {
        <section class="probe" aria-labelledby=format!("{}-probe-title", slot.def.id)>
            <h2 id=format!("{}-probe-title", slot.def.id)>"Probe"</h2>
            <p>"The probe sends requests the specs say a server must refuse — a reused code, a wrong PKCE verifier, a tampered or replayed token, an assertion for another audience, a token without the scope — through the same driver as the steps, and judges each answer against the section that asks for it: "
                <strong>"pass"</strong>" (refused or answered as required), "<strong>"fail"</strong>" (accepted what a MUST forbids), "
                <strong>"warn"</strong>" (refused with another code or status than the spec names, or accepted what only a SHOULD covers), "
                <strong>"info"</strong>" (the specs allow both), "<strong>"not run"</strong>" (with why). A tampered token has one claim changed, its header and signature kept. The flow's own steps and values are left as they are."</p>
            {move || needs_extra().then(|| view! { <ExtraFields flow=slot/> })}
            {move || slot.probe.prompt.get().map(|which| view! {
                <div class="notice" role="alert">
                    <span>{format!("The browser blocked the sign-in window ({which}): it opens windows only on a click.")}</span>
                    <button type="button" on:click=move |_| crate::flows::signin::open_waiting()>"Open the sign-in window"</button>
                </div>
            })}
            {move || match slot.probe.report.get() {
                None => view! { <Planned flow=slot/> }.into_any(),
                Some(report) => view! {
                    <p class="probe-summary" role="status">{report_line(&report)}</p>
                    <div class="toolbar">
                        <button type="button" on:click=download disabled=!report.finished>"Download report (JSON)"</button>
                    </div>
                    <Baseline report=report.clone()/>
                    <Results report=report/>
                }.into_any(),
            }}
        </section>
    }
}

/// The report's state in one line.
fn report_line(report: &Report) -> String {
    if report.finished {
        report.summary()
    } else if report.cases.is_empty() {
        format!(
            "Probing… the normal run first ({} step(s) so far).",
            report.baseline.len()
        )
    } else {
        format!("Probing… {} case(s) judged so far.", report.cases.len())
    }
}

/// What a probe will try, before one ran.
#[component]
fn Planned(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let plan = slot.config.with_untracked(|c| probe::plan(slot.def, c));
    view! {
        <p>"No probe has run for this flow yet. "<strong>"Probe this server"</strong>" (above) tries these cases:"</p>
        <ul class="probe-planned">
            {plan.cases.iter().map(|c| view! {
                <li><code>{c.id}</code>" — "{c.title}<span class="muted">{format!(" ({}; {})", c.level.label(), c.spec_line())}</span></li>
            }).collect_view()}
        </ul>
        <NotApplicable cases=plan.not_applicable/>
    }
}

/// The cases the flow has no step for.
#[component]
fn NotApplicable(cases: Vec<(&'static probe::Case, String)>) -> impl IntoView {
    (!cases.is_empty()).then(|| {
        view! {
            <details class="probe-na">
                <summary>{format!("{} case(s) do not apply to this flow", cases.len())}</summary>
                <ul>
                    {cases.into_iter().map(|(c, why)| view! { <li><code>{c.id}</code>" — "{why}</li> }).collect_view()}
                </ul>
            </details>
        }
    })
}

/// The normal run the probe started from.
#[component]
fn Baseline(report: Report) -> impl IntoView {
    let failed = report.baseline.iter().filter(|b| !b.ok).count();
    view! {
        <details class="probe-baseline" open=failed > 0>
            <summary>{format!("The normal run it started from: {} step(s){}", report.baseline.len(), if failed > 0 { format!(", {failed} failed") } else { String::new() })}</summary>
            <ol>
                {report.baseline.into_iter().map(|b| view! {
                    <li class=if b.ok { "ok" } else { "bad" }>
                        <p><strong>{b.step.title}</strong>": "{b.summary}</p>
                        {(!b.exchanges.is_empty()).then(|| view! {
                            <details><summary>"Requests and responses"</summary><LogView entries=b.exchanges dropped=0/></details>
                        })}
                    </li>
                }).collect_view()}
            </ol>
        </details>
    }
}

/// One row per case.
#[component]
fn Results(report: Report) -> impl IntoView {
    let not_applicable = report.not_applicable.clone();
    view! {
        <table class="probe-table" role="table">
            <caption class="sr-only">"Probe results, one row per case"</caption>
            <thead role="rowgroup">
                <tr role="row">
                    <th role="columnheader" scope="col">"Verdict"</th>
                    <th role="columnheader" scope="col">"Case"</th>
                    <th role="columnheader" scope="col">"Spec"</th>
                    <th role="columnheader" scope="col">"Level"</th>
                    <th role="columnheader" scope="col">"Expected"</th>
                    <th role="columnheader" scope="col">"Got"</th>
                </tr>
            </thead>
            <tbody role="rowgroup">
                {report.cases.into_iter().map(|r| view! { <Row result=r/> }).collect_view()}
            </tbody>
        </table>
        <NotApplicable cases=not_applicable/>
    }
}

/// A case's row.
#[component]
fn Row(result: CaseResult) -> impl IntoView {
    let r = result;
    let verdict = r.verdict.label();
    let class = match r.verdict {
        Verdict::Pass => "pass",
        Verdict::Fail => "fail",
        Verdict::Warn => "warn",
        Verdict::Info => "info",
        Verdict::NotRun => "not-run",
    };
    let step = r.step.map(|s| s.title);
    view! {
        <tr role="row" class=format!("probe-row {class}") data-case-id=r.case.id data-verdict=verdict>
            <td role="cell" data-label="Verdict"><span class=format!("verdict {class}")>{verdict}</span></td>
            <td role="cell" data-label="Case" class="case">
                <code>{r.case.id}</code>
                <p class="title">{r.case.title}</p>
                <p class="note">{r.note}</p>
                {step.map(|s| view! { <p class="muted">{format!("Step varied: {s}")}</p> })}
                {(!r.exchanges.is_empty()).then(|| view! {
                    <details class="probe-log">
                        <summary>{format!("Requests and responses ({})", r.exchanges.len())}</summary>
                        <LogView entries=r.exchanges dropped=0/>
                    </details>
                })}
            </td>
            <td role="cell" data-label="Spec">
                <ul class="spec-links">
                    {r.case.spec.iter().map(|s| view! { <li><a href=s.url target="_blank" rel="noopener">{s.label}</a></li> }).collect_view()}
                </ul>
            </td>
            <td role="cell" data-label="Level">{r.case.level.label()}</td>
            <td role="cell" data-label="Expected">{r.case.expected}</td>
            <td role="cell" data-label="Got" class="got">{r.got.shown()}</td>
        </tr>
    }
}

/// The second client and server, for the cases that redeem an ID-JAG elsewhere.
#[component]
fn ExtraFields(flow: FlowSlot) -> impl IntoView {
    let slot = flow;
    let extra = slot.probe.extra;
    let id = slot.def.id;
    view! {
        <details class="probe-extra">
            <summary>"A second client and authorization server (for jb.idjag_other_client and jb.idjag_other_audience)"</summary>
            <p class="muted">"Against the demo tenant, its second agent and its other authorization server are used. For your own servers, give a client registered at the JWT bearer step's server (it authenticates as that step's client does) and another server that trusts the same identity provider; empty, those two cases are not run. Kept in this page only."</p>
            <label for=format!("{id}-probe-client")>"Another client's ID"</label>
            <input id=format!("{id}-probe-client") name="probe-client" prop:value=move || extra.with(|x| x.client_id.clone())
                on:change=move |ev| extra.update(|x| x.client_id = event_target_value(&ev))/>
            <label for=format!("{id}-probe-credential")>"Its client secret or private key (JWK or PEM)"</label>
            <textarea id=format!("{id}-probe-credential") name="probe-credential" rows="3" spellcheck="false" autocomplete="off"
                prop:value=move || extra.with(|x| x.credential.expose().to_string())
                on:change=move |ev| extra.update(|x| x.credential = protocol::secret::Secret::new(event_target_value(&ev)))></textarea>
            <label for=format!("{id}-probe-issuer")>"Another authorization server's issuer"</label>
            <input id=format!("{id}-probe-issuer") name="probe-issuer" type="url" prop:value=move || extra.with(|x| x.issuer.clone())
                on:change=move |ev| extra.update(|x| x.issuer = event_target_value(&ev))/>
        </details>
    }
}
