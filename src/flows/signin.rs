//! The browser's part of the user's sign-in (the rest is the driver's, `protocol::engine`):
//! the authorization page in a pop-up window (the page never unloads, so nothing is stored)
//! or in this tab (what the answer is checked against and the non-secret settings cross the
//! redirect in sessionStorage and are removed on return; secrets that were not remembered must
//! be entered again), and the completion of a same-tab sign-in when the page loads again.

use std::cell::RefCell;
use std::rc::Rc;

use leptos::prelude::*;
use protocol::engine::{self, PendingSignIn, Ran};
use protocol::flow::{FlowConfig, Step};
use protocol::flows::{signin, StepOutcome};
use serde::{Deserialize, Serialize};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::finish;
use crate::browser::{self, storage};
use crate::flows::host::BrowserHost;
use crate::store::{FlowSlot, SignInMode, Store};

const PENDING_KEY: &str = "atp.pending-signin.v3";
const POPUP_NAME: &str = "atp-signin";

/// What a same-tab redirect must carry across: no secret.
#[derive(Serialize, Deserialize)]
struct Pending {
    flow: String,
    step: String,
    state: String,
    nonce: String,
    verifier: String,
    config: FlowConfig,
    /// Labels of the secrets of the user's own that this redirect drops (Remember off).
    #[serde(default)]
    dropped: Vec<String>,
}

/// The browser's part of a sign-in (`Host::authorize`): opens the authorization request `url`
/// in a pop-up and returns the query of its answer, or leaves the page for it (sign-in in
/// this tab: what the answer must be checked against, and the non-secret settings, wait in
/// sessionStorage) and returns `None`.
pub async fn open(
    store: Store,
    slot: FlowSlot,
    step: &'static Step,
    url: &str,
    pending: &PendingSignIn,
    wait: Option<u32>,
) -> Result<Option<String>, SignInError> {
    if wait.is_some() {
        // A probe watching whether the server redirects at all: always in a pop-up.
        return popup(url, wait).await;
    }
    slot.run(step.id).update(|r| r.sent = vec![]);
    match store.signin_mode.get_untracked() {
        SignInMode::Popup => popup(url, None).await,
        SignInMode::Redirect => {
            let config = slot.config.get_untracked();
            let dropped = if store.remember.get_untracked() {
                Vec::new()
            } else {
                let demos = store.env.with_value(|e| e.demo_presets(slot.def));
                config.own_secrets(slot.def, &demos)
            };
            let kept = Pending {
                dropped,
                flow: slot.def.id.into(),
                step: step.id.into(),
                state: pending.state.clone(),
                nonce: pending.nonce.clone(),
                verifier: pending.verifier.clone(),
                config,
            };
            storage::keep_for_redirect(PENDING_KEY, &kept).map_err(SignInError::Browser)?;
            browser::navigate(url).map_err(SignInError::Browser)?;
            Ok(None)
        }
    }
}

/// Why a sign-in did not get its answer.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SignInError {
    /// The browser blocked the sign-in window.
    Blocked,
    /// The user closed the window before the sign-in finished.
    Closed,
    /// The wait ended without an answer or a reason.
    Unfinished,
    /// The browser refused something the sign-in needs (a window, sessionStorage, navigation).
    Browser(browser::BrowserError),
}

impl std::fmt::Display for SignInError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SignInError::Blocked => f.write_str("The browser blocked the sign-in window. Allow pop-ups for this page, or sign in in this tab (Configuration → Sign-in)."),
            SignInError::Closed => f.write_str("The sign-in window was closed before the sign-in finished."),
            SignInError::Unfinished => f.write_str("The sign-in did not finish."),
            SignInError::Browser(e) => write!(f, "Could not start the sign-in: {e}"),
        }
    }
}

/// The query a sign-in window posted back (`None`: none within the time given), or why not.
type PopupAnswer = Result<Option<String>, SignInError>;

/// Opens the sign-in window at `url` (or navigates the one already open).
fn open_window(url: &str) -> Result<web_sys::Window, SignInError> {
    browser::window()
        .open_with_url_and_target_and_features(url, POPUP_NAME, "popup,width=520,height=720")
        .map_err(|e| SignInError::Browser(browser::BrowserError::js(&e)))?
        .ok_or(SignInError::Blocked)
}

/// Opens the authorize URL in a popup and waits for the page it redirects to (this app,
/// loaded in the popup) to post back its query string; with `wait`, at most that many
/// seconds (then the pop-up is closed and there is no answer: `None`).
pub async fn popup(url: &str, wait: Option<u32>) -> PopupAnswer {
    watch(open_window(url)?, wait).await
}

thread_local! {
    /// A sign-in waiting for the user's click (the browser blocked its window): its URL and
    /// what wakes it; then the window the click opened.
    static WAITING: RefCell<Option<(String, js_sys::Function)>> = const { RefCell::new(None) };
    static OPENED: RefCell<Option<Result<web_sys::Window, SignInError>>> = const { RefCell::new(None) };
}

/// [`popup`] for a sign-in that was not started by a click (the probe's later ones): when the
/// browser blocks the window, `ask` shows a prompt whose click ([`open_waiting`]) opens it.
pub async fn popup_or_ask(url: &str, wait: Option<u32>, ask: impl Fn(bool)) -> PopupAnswer {
    let window = match open_window(url) {
        Ok(w) => w,
        Err(_) => {
            ask(true);
            let promise = js_sys::Promise::new(&mut |resolve, _| {
                WAITING.with(|w| *w.borrow_mut() = Some((url.to_string(), resolve)));
            });
            let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
            ask(false);
            OPENED
                .with(|o| o.borrow_mut().take())
                .unwrap_or(Err(SignInError::Blocked))?
        }
    };
    watch(window, wait).await
}

/// The user's click on a waiting sign-in's prompt: opens its window (the browser allows a
/// window a click opens) and lets the sign-in go on.
pub fn open_waiting() {
    if let Some((url, resolve)) = WAITING.with(|w| w.borrow_mut().take()) {
        let opened = open_window(&url);
        OPENED.with(|o| *o.borrow_mut() = Some(opened));
        let _ = resolve.call0(&JsValue::NULL);
    }
}

/// Waits for the sign-in window `popup` to post back its answer (see [`popup`]).
async fn watch(popup: web_sys::Window, wait: Option<u32>) -> PopupAnswer {
    let window = browser::window();
    let result: Rc<RefCell<Option<PopupAnswer>>> = Rc::default();
    let wake: Rc<RefCell<Option<js_sys::Function>>> = Rc::default();
    let finish = {
        let result = result.clone();
        let wake = wake.clone();
        move |outcome: PopupAnswer| {
            if result.borrow().is_none() {
                *result.borrow_mut() = Some(outcome);
                if let Some(w) = wake.borrow_mut().take() {
                    let _ = w.call0(&JsValue::NULL);
                }
            }
        }
    };
    let origin = browser::origin();
    let on_message = {
        let popup = popup.clone();
        let finish = finish.clone();
        Closure::<dyn FnMut(web_sys::MessageEvent)>::new(move |ev: web_sys::MessageEvent| {
            let from_popup = ev.source().is_some_and(|s| {
                let s: &JsValue = s.as_ref();
                let p: &JsValue = popup.as_ref();
                s == p
            });
            if ev.origin() != origin || !from_popup {
                return;
            }
            let data = ev.data();
            let field = |k: &str| {
                js_sys::Reflect::get(&data, &k.into())
                    .ok()
                    .and_then(|v| v.as_string())
            };
            if let (Some("atp-signin"), Some(search)) = (field("type").as_deref(), field("search"))
            {
                finish(Ok(Some(search)));
            }
        })
    };
    // The pop-up posts its answer and closes itself; the message may be handled just after
    // the window reads as closed, so closing counts only once it has lasted a whole tick.
    let closed_ticks = Rc::new(std::cell::Cell::new(0u8));
    let watch = {
        let popup = popup.clone();
        let finish = finish.clone();
        Closure::<dyn FnMut()>::new(move || {
            if popup.closed().unwrap_or(true) {
                closed_ticks.set(closed_ticks.get() + 1);
                if closed_ticks.get() >= 2 {
                    finish(Err(SignInError::Closed));
                }
            }
        })
    };
    // A probe's wait: no answer within it is an answer too (the server did not redirect).
    let give_up = {
        let finish = finish.clone();
        Closure::<dyn FnMut()>::new(move || finish(Ok(None)))
    };
    let _ = window.add_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    let interval = window
        .set_interval_with_callback_and_timeout_and_arguments_0(watch.as_ref().unchecked_ref(), 400)
        .unwrap_or_default();
    let timeout = wait.and_then(|secs| {
        window
            .set_timeout_with_callback_and_timeout_and_arguments_0(
                give_up.as_ref().unchecked_ref(),
                secs as i32 * 1000,
            )
            .ok()
    });
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        if result.borrow().is_some() {
            let _ = resolve.call0(&JsValue::NULL);
        } else {
            *wake.borrow_mut() = Some(resolve);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
    window.clear_interval_with_handle(interval);
    if let Some(t) = timeout {
        window.clear_timeout_with_handle(t);
    }
    let _ =
        window.remove_event_listener_with_callback("message", on_message.as_ref().unchecked_ref());
    drop((on_message, watch, give_up));
    if wait.is_some() {
        let _ = popup.close();
    }
    let out = result
        .borrow_mut()
        .take()
        .unwrap_or(Err(SignInError::Unfinished));
    out
}

/// What to tell the user about secrets a same-tab redirect did not carry: those now missing,
/// and those of their own replaced by the demo's until entered again.
fn redirect_notice(missing: &[String], dropped: &[String]) -> Option<String> {
    let mut again: Vec<&str> = missing.iter().map(String::as_str).collect();
    let replaced: Vec<&str> = dropped
        .iter()
        .map(String::as_str)
        .filter(|d| !again.contains(d))
        .collect();
    again.extend(&replaced);
    if again.is_empty() {
        return None;
    }
    let mut text = format!(
        "Secrets are not kept across the sign-in redirect (Remember is off): enter again the {} in Configuration before the steps that need them.",
        again.join(", ")
    );
    if !replaced.is_empty() {
        text.push_str(&format!(
            " Until then the demo's own is used for the {}.",
            replaced.join(", ")
        ));
    }
    Some(text)
}

/// In the popup: hands the authorization response to the page that opened it. Returns true
/// if this page is such a popup (boot.js normally does this before the app even loads).
pub fn is_callback_popup() -> bool {
    browser::window().name().ok().as_deref() == Some(POPUP_NAME)
}

/// Whether this load is a same-tab sign-in coming back, or one was left pending (then
/// [`complete_redirect`] completes or forgets it).
pub fn returning() -> bool {
    signin::is_authorization_response(&browser::query()) || storage::in_session(PENDING_KEY)
}

/// On load: a same-tab sign-in coming back (code or error in the query) is completed; a
/// pending sign-in without an answer was abandoned and is forgotten.
pub async fn complete_redirect(store: Store) {
    let search = browser::query();
    let pending: Option<Pending> = storage::take_from_session(PENDING_KEY);
    if !signin::is_authorization_response(&search) {
        return;
    }
    browser::clear_query();
    let Some(p) = pending else {
        let slot = store.active_slot();
        if let Some(step) = engine::sign_in_step(slot.def, &slot.config.get_untracked()) {
            finish(slot, step, Ran {
                outcome: StepOutcome::failed("Refused: this page got an authorization response it did not ask for (no sign-in was pending in this tab). Start the sign-in again."),
                ..Default::default()
            });
        }
        return;
    };
    let found = protocol::flows::by_id(&p.flow).and_then(|def| def.step(&p.step).map(|s| (def, s)));
    let Some((def, step)) = found else {
        // Started by another version of this page (it was updated during the sign-in).
        store.active_slot().notice.set(Some(format!(
            "This page came back from a sign-in started for step \u{201c}{}\u{201d} of flow \u{201c}{}\u{201d}, which this version of the page does not have (it was updated in between), so the answer was not used. Start the sign-in again.",
            p.step, p.flow
        )));
        return;
    };
    store.active.set(def);
    browser::set_hash(&def.hash());
    let slot = store.slot(def);
    // The non-secret settings come back; secrets that were remembered (or the demo's) are
    // filled in again, the others must be entered again.
    let mut config = p.config;
    let current = slot.config.get_untracked();
    config.fill_empty_secrets_from(&current);
    let missing = config.missing_secrets(def);
    slot.config.set(config);
    if let Some(n) = redirect_notice(&missing, &p.dropped) {
        slot.notice.set(Some(n));
    }
    slot.run(step.id).update(|r| r.busy = true);
    let pending = PendingSignIn {
        state: p.state,
        nonce: p.nonce,
        verifier: p.verifier,
    };
    let config = slot.config.get_untracked();
    let state = slot.state.get_untracked();
    let host = BrowserHost::for_step(store, slot, step);
    let at = protocol::flows::step_at(def, step, &config, &state);
    let ran = engine::resume_sign_in(&host, &store.site(), at, &pending, &search).await;
    finish(slot, step, ran);
}
