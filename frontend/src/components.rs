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
    move || {
        let form = form.clone();
        let list = errors.get();
        (!list.is_empty()).then(|| {
            view! {
                <div class="govuk-error-summary" data-module="govuk-error-summary" role="alert" tabindex="-1">
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
    let described = {
        let (h, e) = (hint_id.clone(), err_id.clone());
        let has_hint = hint.is_some();
        move || {
            let mut d = Vec::new();
            if has_hint {
                d.push(h.clone());
            }
            if err.get().is_some() {
                d.push(e.clone());
            }
            d.join(" ")
        }
    };
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
) -> impl IntoView {
    let id = form_field_id(&form, &path);
    let p = path.clone();
    let err = Memo::new(move |_| error_for(&errors.get(), &p));
    let err_id = format!("{id}-error");
    view! {
        <div class="govuk-form-group" class:govuk-form-group--error=move || err.get().is_some()>
            <label class="govuk-label" for=id.clone()>{label}</label>
            {hint.map(|h| view! { <div class="govuk-hint">{h}</div> })}
            {move || err.get().map(|m| view! { <p id=err_id.clone() class="govuk-error-message"><span class="govuk-visually-hidden">"Error: "</span>{m}</p> })}
            <textarea
                class="govuk-textarea"
                class:govuk-textarea--error=move || err.get().is_some()
                id=id.clone()
                name=id.clone()
                rows=rows.unwrap_or(5)
                bind:value=value
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

/// A failed load, with its reason.
#[component]
pub fn Failure(error: ApiError) -> impl IntoView {
    view! {
        <div class="govuk-inset-text" role="alert">
            <p class="govuk-body">{error.message()}</p>
        </div>
    }
}

/// A notification banner after a step succeeded.
#[component]
pub fn Success(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    move || {
        message.get().map(|m| {
            view! {
                <div class="govuk-notification-banner govuk-notification-banner--success" role="alert">
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

/// A stage as a tag.
pub fn stage_tag(s: shared::stage::Stage) -> impl IntoView {
    use shared::stage::Stage;
    let class = match s {
        Stage::ClosedWithoutReview | Stage::Concluded => "govuk-tag govuk-tag--grey",
        Stage::TermsAgreed => "govuk-tag govuk-tag--green",
        _ => "govuk-tag govuk-tag--blue",
    };
    view! { <strong class=class>{s.title()}</strong> }
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
