//! What the pages of a review share: the review and the caller's standing on it
//! (`Ctx`), the count of loads in flight (`Busy`), sending a step with its errors shown
//! beside the fields (`send`), and today's date.

use leptos::prelude::*;
use shared::policy::{Access, Field, Operation, best_access};
use shared::role::Capacity;
use shared::stage::Stage;

use crate::api::{self, ApiError};

/// Today as `YYYY-MM-DD`, in the browser's clock.
pub(crate) fn today() -> String {
    let iso: String = js_sys::Date::new_0().to_iso_string().into();
    iso.chars().take(10).collect()
}

/// Counts the page's loads in flight, for `aria-busy` (assistive technology and the
/// browser tests both wait for the page to settle). Dropping the guard ends the load,
/// also when the load is abandoned.
pub(crate) struct Busy(RwSignal<i32>);

impl Busy {
    pub(crate) fn start(counter: RwSignal<i32>) -> Self {
        counter.update(|n| *n += 1);
        Self(counter)
    }
}

impl Drop for Busy {
    fn drop(&mut self) {
        self.0.try_update(|n| *n -= 1);
    }
}

/// What every section of a review's pages shares: the review, the caller's standing
/// on it, and the signals that reload sections and report success.
#[derive(Clone, Copy)]
pub(crate) struct Ctx {
    pub(crate) id: i64,
    pub(crate) loading: RwSignal<i32>,
    pub(crate) caps: StoredValue<Vec<Capacity>>,
    pub(crate) ops: StoredValue<Vec<Operation>>,
    pub(crate) stage: Stage,
    /// The procedure the review runs under.
    pub(crate) profile: shared::profile::ProfileKind,
    pub(crate) refresh: RwSignal<u32>,
    pub(crate) done: RwSignal<Option<String>>,
}

impl Ctx {
    pub(crate) fn can_read(&self, f: Field) -> bool {
        self.caps.with_value(|c| best_access(c, f) != Access::Hidden)
    }
    /// The review's procedure as data: its stages, their order and names.
    pub(crate) fn procedure(&self) -> &'static shared::profile::Profile {
        shared::profile::Profile::of(self.profile)
    }
    pub(crate) fn may(&self, op: Operation) -> bool {
        self.ops.with_value(|o| o.contains(&op))
    }
    /// After a step succeeded: say so and reload what changed.
    pub(crate) fn changed(&self, message: &str) {
        self.done.set(Some(message.to_owned()));
        self.refresh.update(|n| *n += 1);
    }
}

/// The latest answer of a page's load, and its shape: what the page is built from. A
/// page draws itself from the shape, so reloading after a step redraws it only when the
/// shape changed (the stage moved on, the user may now do something else); otherwise
/// the sections reload in place and every form keeps what was typed in it.
#[allow(clippy::type_complexity)]
pub(crate) fn keep<T, K>(
    load: LocalResource<Result<T, ApiError>>,
    shape: impl Fn(&T) -> K + Send + Sync + 'static,
) -> (RwSignal<Option<Result<T, ApiError>>>, Memo<Option<Result<K, String>>>)
where
    T: Clone + Send + Sync + 'static,
    K: Clone + PartialEq + Send + Sync + 'static,
{
    let latest = RwSignal::new(None::<Result<T, ApiError>>);
    Effect::new(move |_| {
        if let Some(r) = load.get() {
            latest.set(Some(r));
        }
    });
    let key =
        Memo::new(move |_| latest.with(|r| r.as_ref().map(|r| r.as_ref().map(&shape).map_err(ApiError::message))));
    (latest, key)
}

/// The error of a kept load, once its shape says it failed.
pub(crate) fn kept_error<T: Clone + Send + Sync + 'static>(latest: RwSignal<Option<Result<T, ApiError>>>) -> ApiError {
    latest.with_untracked(|r| match r {
        Some(Err(e)) => e.clone(),
        _ => ApiError::NotFound,
    })
}

/// Sends a step and shows its errors next to the fields, or says it succeeded.
pub(crate) fn send<Q>(
    ctx: Ctx,
    vars: Q::Variables,
    errors: RwSignal<Vec<(String, String)>>,
    busy: RwSignal<bool>,
    ok: &'static str,
) where
    Q: graphql_client::GraphQLQuery + 'static,
    Q::Variables: 'static,
{
    busy.set(true);
    // The banner of an earlier step is stale once another is taken.
    ctx.done.set(None);
    leptos::task::spawn_local(async move {
        let _busy = Busy::start(ctx.loading);
        match api::call::<Q>(vars).await {
            Ok(_) => {
                errors.set(Vec::new());
                ctx.changed(ok);
            }
            Err(ApiError::Validation(list)) => errors.set(list),
            Err(e) => errors.set(vec![(String::new(), e.message())]),
        }
        busy.set(false);
    });
}

/// A section of a review's page: its heading, then what `$show` makes of the answer
/// to `$op`, fetched again whenever the page is refreshed.
/// Loads a section with `fetch` whenever the review changes, and renders it with `show`.
macro_rules! section {
    ($ctx:expr, $title:expr, $op:ty, $fetch:expr, $show:expr) => {{
        let ctx: Ctx = $ctx;
        let data = LocalResource::new(move || {
            ctx.refresh.get();
            let vars = $fetch(ctx.id);
            async move {
                let _busy = Busy::start(ctx.loading);
                api::call::<$op>(vars).await
            }
        });
        view! {
            <h2 class="govuk-heading-m">{$title}</h2>
            <Transition fallback=|| view! { <Loading/> }>
                {move || data.get().map(|r| match r {
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                    Ok(d) => ($show)(d).into_any(),
                })}
            </Transition>
        }
    }};
}
pub(crate) use section;

/// Bumped when the user marks notifications read, so the count in the navigation
/// follows without waiting for the next page.
#[derive(Clone, Copy)]
pub struct UnreadChanged(pub RwSignal<u32>);

/// The fields a search's answer refused, kept in step with `data`: a form of search
/// filters shows them beside its fields and in its error summary.
pub fn refused_fields<T: 'static>(data: LocalResource<Result<T, ApiError>>) -> RwSignal<Vec<(String, String)>> {
    let errors = RwSignal::new(Vec::new());
    Effect::new(move |_| {
        data.with(|r| {
            if let Some(r) = r {
                errors.set(match r {
                    Err(ApiError::Validation(list)) => list.clone(),
                    _ => Vec::new(),
                });
            }
        })
    });
    errors
}

/// Asks the browser's confirmation before an irreversible step.
pub fn confirmed(question: &str) -> bool {
    web_sys::window().and_then(|w| w.confirm_with_message(question).ok()).unwrap_or(false)
}

/// Moves focus to the element `id` (after an action, to its outcome).
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Names the page in the browser's title bar and tab (and for screen readers).
pub fn title(name: &str) {
    if let Some(d) = web_sys::window().and_then(|w| w.document()) {
        d.set_title(&format!("{name} - Serious Case Reviews"));
    }
}

/// Moves focus to the main heading once the new page has drawn it (its data may take
/// a moment): looked for on each frame for up to two seconds, and given up as soon as
/// the person has put focus somewhere themselves.
pub fn focus_heading_when_drawn() {
    use wasm_bindgen::JsCast;
    fn document() -> Option<web_sys::Document> {
        web_sys::window().and_then(|w| w.document())
    }
    fn attempt(left: u32, start: Option<web_sys::Element>) {
        let Some(doc) = document() else { return };
        let active = doc.active_element();
        let body: Option<web_sys::Element> = doc.body().map(Into::into);
        let moved =
            active.as_ref().is_some_and(|a| a.is_connected() && Some(a) != body.as_ref() && Some(a) != start.as_ref());
        if moved {
            return;
        }
        let heading =
            doc.query_selector("main h1").ok().flatten().and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        match heading {
            Some(h) => {
                if h.get_attribute("tabindex").is_none() {
                    let _ = h.set_attribute("tabindex", "-1");
                }
                let _ = h.focus();
            }
            None if left > 0 => leptos::prelude::request_animation_frame(move || attempt(left - 1, start)),
            None => {}
        }
    }
    let start = document().and_then(|d| d.active_element());
    // The next frame: the old page has gone by then.
    leptos::prelude::request_animation_frame(move || attempt(120, start));
}
