//! Exporting a run (JSON that imports back read-only, and a Markdown report) and importing
//! one. What is removed, and how, is the protocol crate's [`protocol::export`]; the report and
//! the reading of a run file are parts of the app loaded at their first use.

use leptos::prelude::*;
use protocol::export::{self, Redactor, RunExport, StepRecord, TokenRecord};

use crate::browser;
use crate::error::ActionError;
use crate::store::{FlowSlot, Store};

/// The run of `slot` as an export; secrets and signatures removed unless `include` (every
/// secret the page has seen, wherever it appears).
pub fn build(store: Store, slot: FlowSlot, include: bool) -> RunExport {
    let known = store.secrets.get_untracked();
    let mut red = Redactor::new(include, &known);
    let config = slot.config.with_untracked(|c| red.config(c));
    let steps = slot
        .statuses
        .get_untracked()
        .into_iter()
        .enumerate()
        .map(|(i, (step, status))| {
            let run = slot.run(step.id).get_untracked();
            let outcome = run.outcome.as_ref();
            StepRecord {
                number: i + 1,
                title: step.title.into(),
                status: status.name().into(),
                summary: outcome.map(|o| red.text(&o.summary)),
                findings: outcome
                    .map(|o| {
                        o.findings
                            .iter()
                            .map(|f| {
                                let mut f = f.clone();
                                f.message = red.text(&f.message);
                                f
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                tokens: outcome
                    .map(|o| {
                        o.tokens
                            .iter()
                            .map(|t| TokenRecord {
                                label: t.label.clone(),
                                token: red.token(t.raw.expose()),
                                header: t.header.clone(),
                                claims: t.claims.clone(),
                            })
                            .collect()
                    })
                    .unwrap_or_default(),
                exchanges: run.log.iter().map(|x| red.exchange(x)).collect(),
            }
        })
        .collect();
    RunExport {
        format: export::FORMAT.into(),
        flow: slot.def.id.into(),
        title: slot.def.title.into(),
        exported_at: protocol::timefmt::utc(browser::now_secs()),
        includes_secrets: include,
        removed: red.removed(),
        config,
        steps,
    }
}

/// Downloads the run of `slot` as JSON (`markdown`: as a report, made by a part of the app loaded at its first use).
pub async fn download(
    store: Store,
    slot: FlowSlot,
    include: bool,
    markdown: bool,
) -> Result<(), ActionError> {
    let run = build(store, slot, include);
    let stamp = run.exported_at.replace([' ', ':'], "-");
    let (text, name, mime) = if markdown {
        (
            crate::flows::parts::markdown(run.clone()).await?,
            format!("{}-run-{stamp}.md", slot.def.id),
            "text/markdown",
        )
    } else {
        (
            // Written compactly, then laid out as a JSON value: one serializer per type in the
            // bundle instead of two.
            serde_json::to_string_pretty(
                &serde_json::from_str::<serde_json::Value>(
                    &serde_json::to_string(&run).map_err(json_error)?,
                )
                .map_err(json_error)?,
            )
            .map_err(json_error)?,
            format!("{}-run-{stamp}.json", slot.def.id),
            "application/json",
        )
    };
    Ok(browser::save_file(&name, mime, &text)?)
}

fn json_error(e: serde_json::Error) -> ActionError {
    ActionError::Browser(browser::BrowserError::Json(e.to_string()))
}

/// Reads an exported run chosen by the user and shows it read-only.
pub async fn open(store: Store, file: web_sys::File) -> Result<(), ActionError> {
    let text = wasm_bindgen_futures::JsFuture::from(file.text())
        .await
        .map_err(|e| browser::BrowserError::refused("the file could not be read", &e))?;
    store
        .imported
        .set(Some((text.as_string().unwrap_or_default(), None)));
    Ok(())
}
