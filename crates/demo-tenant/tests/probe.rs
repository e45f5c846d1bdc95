//! The probe's whole battery through the driver against the demo tenant (in process and over
//! HTTP): every MUST case passes, no SHOULD case warns, and nothing is "not run" for a case
//! the flow has a step for (the tenant has a second client and a second authorization server
//! for the `jb.idjag_other_*` cases).

mod common;

use common::host::TenantHost;
use common::*;
use protocol::engine::Site;
use protocol::flow::FlowDef;
use protocol::flows;
use protocol::probe::{self, Extra, Level, Report, Verdict};

/// Probes `def` at the tenant `r` as the page would.
async fn probe(r: &Running, def: &'static FlowDef) -> Report {
    let host = TenantHost::new(r);
    let site = Site {
        origin: APP_ORIGIN.into(),
        local_demo: r.base.clone(),
        ..Default::default()
    };
    let config = preset(r, def);
    let extra = Extra::for_config(def, &config, &site);
    probe::run(&host, &site, def, &config, &extra, &mut |_| {}).await
}

/// Every row, one per line, for failure messages.
fn rows(report: &Report) -> String {
    report
        .cases
        .iter()
        .map(|c| {
            format!(
                "{} [{}] {} -> {}: {}",
                c.case.id,
                c.case.level.label(),
                c.got.shown(),
                c.verdict.label(),
                c.note
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

conformance!(the_demo_tenant_refuses_what_the_specs_require, |via| {
    let r = start(via).await;
    let mut ran = std::collections::BTreeSet::new();
    for def in flows::ALL {
        let report = probe(&r, def).await;
        assert!(report.finished);
        for b in &report.baseline {
            assert!(b.ok, "{} {}: {}", def.id, b.step.id, b.summary);
        }
        for c in &report.cases {
            let ok = match c.case.level {
                Level::Must | Level::Should => c.verdict == Verdict::Pass,
                Level::May | Level::None => matches!(c.verdict, Verdict::Pass | Verdict::Info),
            };
            assert!(ok, "{}:\n{}", def.id, rows(&report));
            ran.insert(c.case.id);
        }
        assert!(
            report.summary().contains("Every MUST case passed"),
            "{}",
            report.summary()
        );
    }
    let never: Vec<_> = probe::CASES
        .iter()
        .filter(|c| !ran.contains(c.id))
        .map(|c| c.id)
        .collect();
    assert!(never.is_empty(), "no demo flow ran {never:?}");
});
