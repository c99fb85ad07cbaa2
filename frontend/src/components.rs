//! Building blocks in the GOV.UK Design System's patterns: error summary, form
//! fields with their errors beside them, tags, loading and failure states.

use leptos::prelude::*;

use crate::api::ApiError;

/// The id a field's input carries, from its API path (`child.name` -> `f-child-name`).
pub fn field_id(path: &str) -> String {
    format!("f-{}", path.replace('.', "-"))
}

/// The id of a field in one of several forms on a page (`decision`, `reasons` ->
/// `f-decision-reasons`), so that ids stay unique.
pub fn form_field_id(form: &str, path: &str) -> String {
    if form.is_empty() { field_id(path) } else { field_id(&format!("{form}.{path}")) }
}

/// Errors shown at the top of a form, each linking to its field.
#[component]
pub fn ErrorSummary(
    #[prop(into)] errors: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] form: String,
) -> impl IntoView {
    // Each new list of problems takes focus, so that the person sees and hears it
    // wherever on the page they pressed the button.
    let summary = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if !errors.with(Vec::is_empty) {
            focus_after_render(summary);
        }
    });
    move || {
        let form = form.clone();
        let list = errors.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="govuk-error-summary" data-module="govuk-error-summary" role="alert" tabindex="-1" node_ref=summary>
                    <h2 class="govuk-error-summary__title">"There is a problem"</h2>
                    <div class="govuk-error-summary__body">
                        <ul class="govuk-list govuk-error-summary__list">
                            {list
                                .into_iter()
                                .map(|(f, m)| {
                                    let href = format!("#{}", form_field_id(&form, &f));
                                    view! { <li><a href=href>{m}</a></li> }
                                })
                                .collect_view()}
                        </ul>
                    </div>
                </div>
            }
        })
    }
}

/// Moves focus to `node` once the view holding it is drawn.
pub fn focus_after_render<E>(node: NodeRef<E>)
where
    E: leptos::html::ElementType,
    E::Output: wasm_bindgen::JsCast + Clone + 'static,
{
    request_animation_frame(move || {
        if let Some(el) = node.get_untracked() {
            use wasm_bindgen::JsCast;
            if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                let _ = el.focus();
            }
        }
    });
}

/// A field's `aria-describedby`: its hint, if it has one, and its error while it has one.
fn described_by(hint: Option<String>, error: String, err: Memo<Option<String>>) -> impl Fn() -> String + Clone {
    move || {
        let mut d: Vec<String> = hint.iter().cloned().collect();
        if err.with(Option::is_some) {
            d.push(error.clone());
        }
        d.join(" ")
    }
}

/// The message for `path` among `errors`.
pub fn error_for(errors: &[(String, String)], path: &str) -> Option<String> {
    errors.iter().find(|(f, _)| f == path).map(|(_, m)| m.clone())
}

/// A labelled text input bound to `value`, with its error beside it.
#[component]
pub fn TextField(
    #[prop(into)] label: String,
    #[prop(into)] path: String,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] input_type: Option<String>,
    #[prop(optional, into)] autocomplete: Option<String>,
    #[prop(optional, into)] form: String,
) -> impl IntoView {
    let id = form_field_id(&form, &path);
    let p = path.clone();
    let err = Memo::new(move |_| error_for(&errors.get(), &p));
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described = described_by(hint.is_some().then(|| hint_id.clone()), err_id.clone(), err);
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || err.get().is_some()>
            <label class="govuk-label" for=id.clone()>{label}</label>
            {hint.map(|h| view! { <div id=hint_id.clone() class="govuk-hint">{h}</div> })}
            {move || err.get().map(|m| view! { <p id=err_id.clone() class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
            <input
                class="govuk-input"
                class:govuk-input--error=move || err.get().is_some()
                id=id.clone()
                name=id.clone()
                type=input_type.unwrap_or_else(|| "text".into())
                autocomplete=autocomplete.unwrap_or_else(|| "off".into())
                aria-describedby=described
                bind:value=value
            />
        </div>
    }
}

/// A labelled textarea bound to `value`, with its error beside it.
#[component]
pub fn TextArea(
    #[prop(into)] label: String,
    #[prop(into)] path: String,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional)] rows: Option<u32>,
    #[prop(optional, into)] form: String,
    /// Keeps the unsaved text in the tab as it is typed (a long text), under this
    /// prefix and the field's path; `drafts::saved(prefix)` forgets it after a save.
    #[prop(optional, into)]
    draft: Option<String>,
) -> impl IntoView {
    let draft = draft.map(|prefix| format!("{prefix}{path}"));
    let id = form_field_id(&form, &path);
    let p = path.clone();
    let err = Memo::new(move |_| error_for(&errors.get(), &p));
    let err_id = format!("{id}-error");
    let kept = draft.as_deref().and_then(crate::drafts::read).filter(|k| *k != value.get_untracked());
    let offer = RwSignal::new(kept);
    if let Some(key) = draft.clone() {
        crate::drafts::mounted(&key);
        on_cleanup(move || crate::drafts::forget(&key));
    }
    let key = StoredValue::new(draft);
    let on_input = move |ev: leptos::ev::Event| {
        let text = event_target_value(&ev);
        key.with_value(|k| {
            if let Some(k) = k {
                crate::drafts::write(k, &text);
            }
        });
    };
    let restore = move |_| {
        if let Some(text) = offer.get_untracked() {
            value.set(text);
        }
        offer.set(None);
    };
    let discard = move |_| {
        key.with_value(|k| {
            if let Some(k) = k {
                crate::drafts::clear(k);
            }
        });
        offer.set(None);
    };
    let offer_id = format!("{id}-draft");
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || err.get().is_some()>
            <label class="govuk-label" for=id.clone()>{label}</label>
            {hint.map(|h| view! { <div class="govuk-hint">{h}</div> })}
            {move || err.get().map(|m| view! { <p id=err_id.clone() class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
            {move || offer.get().map(|_| view! {
                <div class="govuk-inset-text scr-draft" id=offer_id.clone()>
                    <p class="govuk-body">"Text you typed here was not saved. It was kept in this browser tab."</p>
                    <div class="govuk-button-group">
                        <button type="button" class="govuk-button govuk-button--secondary scr-restore" on:click=restore>"Restore my text"</button>
                        <button type="button" class="govuk-button govuk-button--warning" on:click=discard>"Discard it"</button>
                    </div>
                </div>
            })}
            <textarea
                class="govuk-textarea"
                class:govuk-textarea--error=move || err.get().is_some()
                id=id.clone()
                name=id.clone()
                rows=rows.unwrap_or(5)
                bind:value=value
                on:input=on_input
            ></textarea>
        </div>
    }
}

/// Why an action was refused, at the top of the page, announced at once.
#[component]
pub fn Refusal(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <div class="govuk-error-summary" role="alert">
                    <h2 class="govuk-error-summary__title">"That did not work"</h2>
                    <div class="govuk-error-summary__body"><p class="govuk-body">{m}</p></div>
                </div>
            }
        })
    }
}

/// A loading line, announced politely to screen readers.
#[component]
pub fn Loading() -> impl IntoView {
    view! { <p class="govuk-body" role="status">"Loading…"</p> }
}

/// A failed load, with its reason and, when the person may not see it, the way back.
#[component]
pub fn Failure(error: ApiError) -> impl IntoView {
    let refused = matches!(error, ApiError::Forbidden(_) | ApiError::NotFound);
    view! {
        <div class="govuk-inset-text" role="alert">
            <p class="govuk-body">{error.message()}</p>
            {refused.then(|| view! { <p class="govuk-body"><a class="govuk-link" href="/">"Go to your work and reviews"</a></p> })}
        </div>
    }
}

/// A notification banner after a step succeeded.
#[component]
pub fn Success(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    let banner = NodeRef::<leptos::html::Div>::new();
    Effect::new(move |_| {
        if message.with(Option::is_some) {
            focus_after_render(banner);
        }
    });
    move || {
        message.get().map(|m| {
            view! {
                <div class="govuk-notification-banner govuk-notification-banner--success" role="alert" tabindex="-1" id="success" node_ref=banner>
                    <div class="govuk-notification-banner__header">
                        <h2 class="govuk-notification-banner__title">"Success"</h2>
                    </div>
                    <div class="govuk-notification-banner__content">
                        <p class="govuk-notification-banner__heading">{m}</p>
                    </div>
                </div>
            }
        })
    }
}

/// A stage's tag under the name the review's procedure gives it.
pub fn stage_tag_titled(s: shared::stage::Stage, title: &str) -> impl IntoView {
    use shared::stage::Stage;
    let class = match s {
        Stage::ClosedWithoutReview | Stage::ClosedWithLearning | Stage::Concluded => "govuk-tag govuk-tag--grey",
        Stage::TermsAgreed => "govuk-tag govuk-tag--green",
        _ => "govuk-tag govuk-tag--blue",
    };
    view! { <strong class=class>{title.to_owned()}</strong> }
}

#[component]
pub(crate) fn Radios(
    #[prop(into)] legend: String,
    #[prop(into)] name: String,
    value: RwSignal<String>,
    options: Vec<(&'static str, &'static str)>,
    #[prop(optional, into)] form: String,
) -> impl IntoView {
    let base = form_field_id(&form, &name);
    let group = base.clone();
    view! {
        <div class="govuk-form-group">
            <fieldset class="govuk-fieldset" id=base.clone()>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{legend}</legend>
                <div class="govuk-radios govuk-radios--small">
                    {options.into_iter().map(|(v, label)| {
                        let id = format!("{base}-{v}");
                        let n = group.clone();
                        view! {
                            <div class="govuk-radios__item">
                                <input class="govuk-radios__input" id=id.clone() name=n type="radio" value=v
                                    prop:checked=move || value.get() == v
                                    on:change=move |_| value.set(v.to_owned())/>
                                <label class="govuk-label govuk-radios__label" for=id>{label}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// The GOV.UK "check your answers" step before a step that cannot be undone: the
/// form's button first shows what will be recorded, each answer with a way back to
/// change it, and only the button there takes the step. The form stays on the page,
/// hidden, so nothing typed is lost by going back; a refusal brings the form back with
/// its errors.
#[component]
pub fn CheckStep(
    checking: RwSignal<bool>,
    #[prop(into)] heading: String,
    #[prop(into)] rows: Signal<Vec<(String, String)>>,
    #[prop(into)] warning: String,
    #[prop(into)] confirm: String,
    #[prop(into)] errors: Signal<Vec<(String, String)>>,
    busy: RwSignal<bool>,
    on_confirm: Callback<()>,
    children: Children,
) -> impl IntoView {
    let title = NodeRef::<leptos::html::H2>::new();
    Effect::new(move |_| {
        if !errors.with(Vec::is_empty) {
            checking.set(false);
        }
    });
    Effect::new(move |_| {
        if checking.get() {
            focus_after_render(title);
        }
    });
    view! {
        <div hidden=move || checking.get()>{children()}</div>
        <div class="scr-step scr-check" hidden=move || !checking.get()>
            <h2 class="govuk-heading-m" tabindex="-1" node_ref=title>{heading}</h2>
            <dl class="govuk-summary-list">
                {move || rows.get().into_iter().map(|(k, v)| view! {
                    <div class="govuk-summary-list__row">
                        <dt class="govuk-summary-list__key">{k.clone()}</dt>
                        <dd class="govuk-summary-list__value scr-prewrap">{v}</dd>
                        <dd class="govuk-summary-list__actions">
                            <button type="button" class="scr-link-button govuk-link" on:click=move |_| checking.set(false)>
                                "Change"<span class="govuk-visually-hidden">{format!(" {}", k.to_lowercase())}</span>
                            </button>
                        </dd>
                    </div>
                }).collect_view()}
            </dl>
            <div class="govuk-warning-text">
                <span class="govuk-warning-text__icon" aria-hidden="true">"!"</span>
                <strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">"Warning"</span>{warning}</strong>
            </div>
            <div class="govuk-button-group">
                <button type="button" class="govuk-button" data-module="govuk-button" disabled=move || busy.get()
                    on:click=move |_| on_confirm.run(())>{confirm}</button>
                <button type="button" class="govuk-button govuk-button--secondary" on:click=move |_| checking.set(false)>"Change your answers"</button>
            </div>
        </div>
    }
}

/// A date as the GOV.UK date input pattern asks for it: day, month and year in three
/// boxes, bound to `value` as `YYYY-MM-DD` once the three make a real date (and to what
/// was typed otherwise, which the server refuses with a message beside the field).
#[component]
pub fn DateInput(
    #[prop(into)] label: String,
    #[prop(into)] path: String,
    value: RwSignal<String>,
    #[prop(into)] errors: Signal<Vec<(String, String)>>,
    #[prop(optional, into)] hint: Option<String>,
    #[prop(optional, into)] form: String,
) -> impl IntoView {
    let id = form_field_id(&form, &path);
    let p = path.clone();
    let err = Memo::new(move |_| error_for(&errors.get(), &p));
    let (d0, m0, y0) = crate::format::date_parts(&value.get_untracked());
    let (day, month, year) = (RwSignal::new(d0), RwSignal::new(m0), RwSignal::new(y0));
    let shown =
        move || crate::format::date_of_parts(&day.get_untracked(), &month.get_untracked(), &year.get_untracked());
    let compose = move || value.set(shown());
    // A value set from elsewhere (an entry loaded to be changed) shows in the boxes.
    Effect::new(move |_| {
        let v = value.get();
        if v != shown() {
            let (d, m, y) = crate::format::date_parts(&v);
            day.set(d);
            month.set(m);
            year.set(y);
        }
    });
    let hint_id = format!("{id}-hint");
    let err_id = format!("{id}-error");
    let described = described_by(hint.is_some().then(|| hint_id.clone()), err_id.clone(), err);
    let part = move |suffix: &'static str, name: &'static str, sig: RwSignal<String>, width: &'static str| {
        let input_id = if suffix == "day" { id.clone() } else { format!("{id}-{suffix}") };
        view! {
            <div class="govuk-date-input__item">
                <div class="govuk-form-group">
                    <label class="govuk-label govuk-date-input__label" for=input_id.clone()>{name}</label>
                    <input class=format!("govuk-input govuk-date-input__input govuk-input--width-{width}")
                        class:govuk-input--error=move || err.get().is_some()
                        id=input_id.clone() name=input_id type="text" inputmode="numeric"
                        prop:value=move || sig.get()
                        on:input=move |ev| { sig.set(event_target_value(&ev)); compose(); }/>
                </div>
            </div>
        }
    };
    let day_part = part("day", "Day", day, "2");
    let month_part = part("month", "Month", month, "2");
    let year_part = part("year", "Year", year, "4");
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || err.get().is_some()>
            <fieldset class="govuk-fieldset" role="group" aria-describedby=described>
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">{label}</legend>
                {hint.map(|h| view! { <div id=hint_id.clone() class="govuk-hint">{h}</div> })}
                {move || err.get().map(|m| view! { <p id=err_id.clone() class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
                <div class="govuk-date-input">{day_part}{month_part}{year_part}</div>
            </fieldset>
        </div>
    }
}

/// GOV.UK pagination for a list paged on the server whose page lives in the address:
/// "Previous", the page numbers ([`crate::format::page_numbers`]) and "Next", each a
/// link to `href(n)`; nothing when everything fits on one page.
#[component]
pub fn Pages(
    /// What the pages are of ("Pages of reviews"), for screen readers.
    #[prop(into)]
    label: String,
    current: i64,
    pages: i64,
    #[prop(into)] href: Callback<i64, String>,
) -> impl IntoView {
    use leptos_router::components::A;
    (pages > 1).then(|| {
        view! {
            <nav class="govuk-pagination" aria-label=label>
                {(current > 1).then(|| view! {
                    <div class="govuk-pagination__prev"><A href=href.run(current - 1) attr:class="govuk-link govuk-pagination__link" attr:rel="prev">
                        <span class="govuk-pagination__link-title">"Previous"<span class="govuk-visually-hidden">" page"</span></span></A></div>
                })}
                <ul class="govuk-pagination__list">
                    {crate::format::page_numbers(current, pages).into_iter().map(|n| match n {
                        None => view! { <li class="govuk-pagination__item govuk-pagination__item--ellipses">"⋯"</li> }.into_any(),
                        Some(n) => view! {
                            <li class="govuk-pagination__item" class:govuk-pagination__item--current=n == current>
                                <A href=href.run(n) attr:class="govuk-link govuk-pagination__link" attr:aria-label=format!("Page {n}") attr:aria-current=(n == current).then_some("page")>{n.to_string()}</A>
                            </li>
                        }.into_any(),
                    }).collect_view()}
                </ul>
                {(current < pages).then(|| view! {
                    <div class="govuk-pagination__next"><A href=href.run(current + 1) attr:class="govuk-link govuk-pagination__link" attr:rel="next">
                        <span class="govuk-pagination__link-title">"Next"<span class="govuk-visually-hidden">" page"</span></span></A></div>
                })}
            </nav>
        }
    })
}
