//! The overview report and the executive summary: written in versions, checked by the
//! anonymisation gate with each name highlighted and replaceable by its label,
//! confirmed by the contributing agencies, and exported.

use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use shared::policy::{Field, Operation};

use crate::api::{self, ApiError};
use crate::components::{ErrorSummary, Failure, Loading, Success, TextArea, form_field_id};
use crate::format::uk_date;
use crate::gql::*;
use crate::layout::{Piece, pieces, replace_at};
use crate::page::{Busy, Ctx, keep, kept_error, send};

/// Download buttons for one document: for use inside the board and, for those who may
/// send documents out, for outside use (anonymised, through the gate).
#[component]
pub fn ExportButtons(
    /// The document's name in the export's address, e.g. `executive-summary`.
    #[prop(into)]
    doc: String,
    #[prop(into)] base: String,
    outside: bool,
    #[prop(optional)] csv: bool,
) -> impl IntoView {
    let status = RwSignal::new(None::<Result<String, ApiError>>);
    let busy = RwSignal::new(false);
    let sep = if base.contains('?') { '&' } else { '?' };
    let fetch = move |url: String| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            status.set(Some(api::download(&url).await));
            busy.set(false);
        });
    };
    let mut buttons = vec![("pdf", "internal", "Download PDF"), ("docx", "internal", "Download Word")];
    if csv {
        buttons.push(("csv", "internal", "Download CSV"));
    }
    if outside {
        buttons.push(("pdf", "outside", "PDF for outside use"));
        buttons.push(("docx", "outside", "Word for outside use"));
    }
    view! {
        <div class="scr-exports" id=format!("export-{doc}")>
            <h2 class="govuk-heading-s">"Export"</h2>
            <div class="govuk-button-group">
                {buttons.into_iter().map(|(format, purpose, label)| {
                    let url = format!("{base}{sep}format={format}&purpose={purpose}");
                    view! { <button type="button" class="govuk-button govuk-button--secondary" disabled=move || busy.get() on:click=move |_| fetch(url.clone())>{label}</button> }
                }).collect_view()}
            </div>
            {move || status.get().map(|s| match s {
                Ok(name) => view! { <p class="govuk-body" role="status">{format!("Downloaded {name}")}</p> }.into_any(),
                Err(e) => view! { <div class="govuk-error-summary" role="alert"><div class="govuk-error-summary__body"><p class="govuk-body">{e.message()}</p></div></div> }.into_any(),
            })}
        </div>
    }
}

/// The submission package to Ofsted and the DfE (the IMRs, combined chronology, overview
/// report, executive summary and action plan, each anonymised) as one ZIP download; the
/// server refuses it, naming what it found, while any document fails the gate.
#[component]
pub fn PackageButton(review: i64) -> impl IntoView {
    let status = RwSignal::new(None::<Result<String, ApiError>>);
    let busy = RwSignal::new(false);
    let fetch = move |_| {
        busy.set(true);
        leptos::task::spawn_local(async move {
            status.set(Some(api::download(&format!("/api/reviews/{review}/submission-package")).await));
            busy.set(false);
        });
    };
    view! {
        <div class="scr-exports" id="submission-package">
            <h2 class="govuk-heading-s">"Submission package"</h2>
            <p class="govuk-body">"Every IMR, the combined chronology, the overview report, the executive summary and the action plan, anonymised, as PDF files in one ZIP."</p>
            <button type="button" class="govuk-button govuk-button--secondary" disabled=move || busy.get() on:click=fetch>"Download the submission package"</button>
            {move || status.get().map(|s| match s {
                Ok(name) => view! { <p class="govuk-body" role="status">{format!("Downloaded {name}")}</p> }.into_any(),
                Err(e) => view! { <div class="govuk-error-summary" role="alert"><div class="govuk-error-summary__body"><p class="govuk-body">{e.message()}</p></div></div> }.into_any(),
            })}
        </div>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Doc {
    Report,
    Summary,
}

#[component]
pub fn DocumentsPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|s| s.parse::<i64>().ok()));
    let refresh = RwSignal::new(0u32);
    let done = RwSignal::new(None::<String>);
    let loading = RwSignal::new(0i32);
    let data = LocalResource::new(move || {
        let id = id.get();
        refresh.get();
        async move {
            let _busy = Busy::start(loading);
            let Some(id) = id else { return Err(ApiError::NotFound) };
            api::call::<ReviewDocuments>(review_documents::Variables { id }).await
        }
    });
    // Saving the report reloads what shows it, but keeps both editors as typed: the page
    // is rebuilt only when the stage or what the user may do changes.
    let (latest, key) = keep(data, |d: &review_documents::ResponseData| {
        (
            d.review.id,
            (d.review.stage, d.review.procedure),
            d.review.allowed_operations.clone(),
            d.review.my_capacities.clone(),
            d.review.overview_report.is_some(),
        )
    });
    let version_line = move || {
        latest.with(|r| match r {
            Some(Ok(d)) => match &d.review.overview_report {
                Some(r) => format!(
                    "Version {}{}",
                    r.version,
                    r.saved_at.as_deref().map(|s| format!(", saved {}", uk_date(s))).unwrap_or_default()
                ),
                None => "No version has been saved yet.".to_owned(),
            },
            _ => String::new(),
        })
    };
    let body = move || match key.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(_)) => {
            view! { <h1 class="govuk-heading-l">"Overview report"</h1><Failure error=kept_error(latest)/> }.into_any()
        }
        Some(Ok((id, (stage, profile), ops, caps, _))) => {
            let Some(Ok(d)) = latest.get_untracked() else { return view! { <Loading/> }.into_any() };
            let ctx = Ctx {
                id,
                loading,
                caps: StoredValue::new(caps),
                ops: StoredValue::new(ops),
                stage,
                profile,
                refresh,
                done,
            };
            crate::page::title(&format!("{}: overview report and executive summary", d.review.reference));
            view! {
                <a class="govuk-back-link" href=format!("/reviews/{}/tasks/report", ctx.id)>{format!("Back to {}", d.review.reference)}</a>
                <span class="govuk-caption-l">{d.review.reference.clone()}</span>
                <h1 class="govuk-heading-l" tabindex="-1">"Overview report and executive summary"</h1>
                <Success message=ctx.done/>
                <h2 class="govuk-heading-m">"Overview report"</h2>
                <p class="govuk-body-s" id="report-version">{version_line}</p>
                {if ctx.may(Operation::EditOverviewReport) {
                    let sections = d.review.overview_report.as_ref().map(|r| r.sections.iter().map(|s| (s.title.clone(), s.text.clone())).collect()).unwrap_or_else(|| ["Introduction", "The facts", "Analysis", "Conclusions and recommendations"].map(|t| (t.to_owned(), String::new())).to_vec());
                    let version = d.review.overview_report.as_ref().map_or(0, |r| r.version);
                    view! { <SectionsEditor ctx=ctx doc=Doc::Report sections=sections version=version/> }.into_any()
                } else {
                    view! { <SectionsView sections=d.review.overview_report.as_ref().map(|r| r.sections.iter().map(|s| (s.title.clone(), s.text.clone())).collect()).unwrap_or_default()/> }.into_any()
                }}
                {d.review.overview_report.is_some().then(|| view! {
                    <ExportButtons doc="overview-report" base=format!("/api/reviews/{}/export/overview-report", ctx.id) outside=ctx.may(Operation::ExportForOutside)/>
                    {ctx.may(Operation::ExportForOutside).then(|| view! { <OutsideGatePanel ctx=ctx document="overview-report"/> })}
                })}
                <Confirmations ctx=ctx/>
                {ctx.can_read(Field::ExecutiveSummary).then(|| view! { <Summary ctx=ctx/> })}
            }.into_any()
        }
    };
    view! {
        <div id="review" aria-busy=move || (loading.get() > 0).to_string()>
            {body}
        </div>
    }
}

/// What stops a document on its way to an outside body, for those who may send it:
/// the names (which only replacing them clears) and the warnings, each with the second
/// person's override once recorded; the Board Chair and the business manager may let a
/// warning through, with a reason, for this version.
#[component]
pub fn OutsideGatePanel(ctx: Ctx, #[prop(into)] document: String) -> impl IntoView {
    let doc = StoredValue::new(document);
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        let document = doc.get_value();
        async move { api::call::<OutsideGate>(outside_gate::Variables { id: ctx.id, document }).await }
    });
    let panel = format!("gate-{}", doc.get_value());
    view! {
        <div class="scr-step" id=panel.clone()>
            <h3 class="govuk-heading-s">"On the way out"</h3>
            <Transition fallback=|| view! { <Loading/> }>
                {move || data.get().map(|r| match r {
                    // Only those who read names in full see what the gate found.
                    Err(ApiError::Forbidden(_)) | Err(ApiError::NotFound) => ().into_any(),
                    Err(e) => view! { <Failure error=e/> }.into_any(),
                    Ok(d) => {
                        let g = d.outside_gate;
                        let version = g.version.clone();
                        view! {
                            {if g.clear {
                                view! { <p class="govuk-body">{format!("Nothing stops this version ({}) leaving.", g.version)}</p> }.into_any()
                            } else {
                                view! { <p class="govuk-body">{format!("This version ({}) cannot leave yet.", g.version)}</p> }.into_any()
                            }}
                            {(!g.hits.is_empty()).then(|| view! {
                                <ul class="govuk-list govuk-list--bullet">
                                    {g.hits.into_iter().map(|h| view! {
                                        <li>{format!("\"{}\" is a name: replace it with {}. No one can let a name through.", h.found, h.label.unwrap_or_default())}</li>
                                    }).collect_view()}
                                </ul>
                            })}
                            {(!g.warnings.is_empty()).then(|| view! {
                                <ul class="govuk-list">
                                    {g.warnings.into_iter().map(|w| {
                                        let version = version.clone();
                                        view! { <li><WarningRow ctx=ctx document=doc.get_value() version=version kind=w.kind title=w.title found=w.found overridden=w.overridden.map(|o| format!("Let through by {} on {}: {}", o.by, uk_date(&o.at), o.reason))/></li> }
                                    }).collect_view()}
                                </ul>
                            })}
                        }.into_any()
                    }
                })}
            </Transition>
        </div>
    }
}

/// One warning of the gate, with its override or the form to record one.
#[component]
fn WarningRow(
    ctx: Ctx,
    document: String,
    version: String,
    kind: String,
    title: String,
    found: String,
    overridden: Option<String>,
) -> impl IntoView {
    let reason = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let form = format!("override-{}", found.chars().filter(|c| c.is_alphanumeric()).collect::<String>());
    let question = format!("Let \"{found}\" leave in this version? This is recorded with your name and reason.");
    let vars = override_gate_warning::Variables {
        id: ctx.id,
        document,
        version,
        kind,
        found: found.clone(),
        reason: String::new(),
    };
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if reason.get_untracked().trim().is_empty() {
            errors.set(vec![("reason".into(), "Say why it may leave".into())]);
            return;
        }
        if !web_sys::window().and_then(|w| w.confirm_with_message(&question).ok()).unwrap_or(false) {
            return;
        }
        let vars = override_gate_warning::Variables { reason: reason.get_untracked(), ..vars.clone() };
        send::<OverrideGateWarning>(ctx, vars, errors, busy, "The warning was let through for this version");
    };
    view! {
        <p class="govuk-body"><strong>{title}</strong>{format!(": \"{found}\"")}</p>
        {match overridden {
            Some(o) => view! { <p class="govuk-body-s">{o}</p> }.into_any(),
            None if ctx.may(Operation::OverrideGateWarning) => view! {
                <form on:submit=submit>
                    <ErrorSummary errors=errors form=form.clone()/>
                    <TextArea form=form.clone() label="Why it may leave" path="reason" value=reason errors=errors rows=2/>
                    <button type="submit" class="govuk-button govuk-button--warning" disabled=move || busy.get()>{format!("Let \"{found}\" through")}</button>
                </form>
            }.into_any(),
            None => view! { <p class="govuk-body-s">"Change it, or ask the Board Chair or business manager (not its writer) to let it through."</p> }.into_any(),
        }}
    }
}

#[component]
fn SectionsView(sections: Vec<(String, String)>) -> impl IntoView {
    view! {
        <dl class="govuk-summary-list">
            {sections.into_iter().map(|(t, x)| view! {
                <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{t}</dt><dd class="govuk-summary-list__value scr-prewrap">{if x.is_empty() { "Not written yet".to_owned() } else { x }}</dd></div>
            }).collect_view()}
        </dl>
    }
}

#[component]
fn Summary(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move {
            let _busy = Busy::start(ctx.loading);
            api::call::<ReviewSummary>(review_summary::Variables { id: ctx.id }).await
        }
    });
    // Saving the report reloads the summary's data but keeps its editor as typed; a
    // new version of the summary itself draws it again.
    let (latest, key) = keep(data, |d: &review_summary::ResponseData| {
        d.review.executive_summary.as_ref().map(|s| (s.prefilled, s.version))
    });
    let body = move || {
        match key.get() {
        None => view! { <Loading/> }.into_any(),
        Some(Err(_)) => view! { <Failure error=kept_error(latest)/> }.into_any(),
        Some(Ok(None)) => view! { <p class="govuk-body">"The executive summary starts from the overview report: save the report first."</p> }.into_any(),
        Some(Ok(Some(_))) => {
            let Some(Ok(d)) = latest.get_untracked() else { return view! { <Loading/> }.into_any() };
            let Some(s) = d.review.executive_summary else { return view! { <Loading/> }.into_any() };
            let sections: Vec<(String, String)> = s.sections.iter().map(|x| (x.title.clone(), x.text.clone())).collect();
            view! {
                {if s.prefilled {
                    view! { <p class="govuk-body-s">"A first draft, taken from the overview report. Edit it down and save it."</p> }.into_any()
                } else {
                    view! { <p class="govuk-body-s">{format!("Version {}", s.version)}</p> }.into_any()
                }}
                {if ctx.may(Operation::EditExecutiveSummary) {
                    view! { <SectionsEditor ctx=ctx doc=Doc::Summary sections=sections version=s.version/> }.into_any()
                } else {
                    view! { <SectionsView sections=sections/> }.into_any()
                }}
                {(!s.prefilled).then(|| view! {
                    <ExportButtons doc="executive-summary" base=format!("/api/reviews/{}/export/executive-summary", ctx.id) outside=ctx.may(Operation::ExportForOutside)/>
                    {ctx.may(Operation::ExportForOutside).then(|| view! { <OutsideGatePanel ctx=ctx document="executive-summary"/> })}
                })}
            }.into_any()
        }
    }
    };
    view! {
        <h2 class="govuk-heading-m" id="executive-summary">"Executive summary"</h2>
        {body}
    }
}

/// A hit of the gate in one section: byte range, what was found, its label.
#[derive(Clone, PartialEq)]
struct Hit {
    start: usize,
    end: usize,
    found: String,
    label: String,
}

/// Edits a sectioned document in versions, with the anonymisation gate beside it:
/// "Check for names" marks every registered name in each section and offers to
/// replace it with the person's label.
#[component]
fn SectionsEditor(ctx: Ctx, doc: Doc, sections: Vec<(String, String)>, version: i64) -> impl IntoView {
    let form = if doc == Doc::Report { "report" } else { "summary" };
    let texts: Vec<(String, RwSignal<String>)> = sections.into_iter().map(|(t, x)| (t, RwSignal::new(x))).collect();
    let texts = StoredValue::new(texts);
    let hits = RwSignal::new(Vec::<Vec<Hit>>::new());
    let warnings = RwSignal::new(Vec::<String>::new());
    let checked = RwSignal::new(false);
    let expected = RwSignal::new(version);
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let check = move || {
        let all: Vec<String> = texts.with_value(|t| t.iter().map(|(_, s)| s.get_untracked()).collect());
        busy.set(true);
        leptos::task::spawn_local(async move {
            let _busy = Busy::start(ctx.loading);
            let mut found = Vec::new();
            let mut warned = Vec::new();
            for text in all {
                match api::call::<AnonymisationCheck>(anonymisation_check::Variables { id: ctx.id, text }).await {
                    Ok(r) => {
                        let c = r.anonymisation_check;
                        warned.extend(c.warnings.into_iter().map(|w| format!("{}: \"{}\"", w.kind, w.hit.found)));
                        found.push(
                            c.hits
                                .into_iter()
                                .map(|h| Hit {
                                    start: h.start as usize,
                                    end: h.end as usize,
                                    found: h.found,
                                    label: h.label.unwrap_or_default(),
                                })
                                .collect(),
                        );
                    }
                    Err(e) => {
                        errors.set(vec![(String::new(), e.message())]);
                        busy.set(false);
                        return;
                    }
                }
            }
            hits.set(found);
            warnings.set(warned);
            checked.set(true);
            busy.set(false);
        });
    };
    // Replacing one hit shifts the others: the section is checked again afterwards.
    let replace = move |section: usize, h: Hit| {
        texts.with_value(|t| {
            let sig = t[section].1;
            if let Some(new) = replace_at(&sig.get_untracked(), h.start, h.end, &h.found, &h.label) {
                sig.set(new);
            }
        });
        check();
    };
    let replace_all = move || {
        let all = hits.get_untracked();
        texts.with_value(|t| {
            for (i, list) in all.iter().enumerate() {
                let mut sorted = list.clone();
                sorted.sort_by_key(|h| std::cmp::Reverse(h.start));
                let sig = t[i].1;
                let mut text = sig.get_untracked();
                for h in sorted {
                    if let Some(new) = replace_at(&text, h.start, h.end, &h.found, &h.label) {
                        text = new;
                    }
                }
                sig.set(text);
            }
        });
        check();
    };
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let sections: Vec<String> = texts.with_value(|t| t.iter().map(|(_, s)| s.get_untracked()).collect());
        busy.set(true);
        ctx.done.set(None);
        leptos::task::spawn_local(async move {
            let _busy = Busy::start(ctx.loading);
            let v = expected.get_untracked();
            let res = match doc {
                Doc::Report => api::call::<SaveOverviewReport>(save_overview_report::Variables {
                    id: ctx.id,
                    expected_version: v,
                    sections,
                })
                .await
                .map(|d| d.save_overview_report.overview_report.map(|r| r.version)),
                Doc::Summary => api::call::<SaveExecutiveSummary>(save_executive_summary::Variables {
                    id: ctx.id,
                    expected_version: v,
                    sections,
                })
                .await
                .map(|d| d.save_executive_summary.executive_summary.map(|r| r.version)),
            };
            match res {
                Ok(saved) => {
                    // The editor stays as typed, so it goes on from the version just saved.
                    expected.set(saved.unwrap_or(v + 1));
                    crate::drafts::saved(&format!("{form}:{}:", ctx.id));
                    errors.set(Vec::new());
                    ctx.changed(if doc == Doc::Report {
                        "The overview report was saved"
                    } else {
                        "The executive summary was saved"
                    });
                }
                Err(ApiError::Conflict { message, current }) => {
                    if let Some(c) = current {
                        expected.set(c);
                    }
                    errors.set(vec![(
                        String::new(),
                        format!("{message}. Your text is still here; save again to make yours the next version."),
                    )]);
                }
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![(String::new(), e.message())]),
            }
            busy.set(false);
        });
    };
    view! {
        <form class="scr-step" id=format!("{form}-editor") on:submit=save>
            <ErrorSummary errors=errors form=form/>
            {texts.get_value().into_iter().enumerate().map(|(i, (title, sig))| {
                let path = format!("sections.{i}");
                view! {
                    <TextArea form=form draft=format!("{form}:{}:", ctx.id) label=title path=path value=sig errors=errors rows=6/>
                    {move || {
                        let list = hits.get().get(i).cloned().unwrap_or_default();
                        (!list.is_empty()).then(|| {
                            let text = sig.get();
                            let ranges: Vec<(usize, usize)> = list.iter().map(|h| (h.start, h.end)).collect();
                            view! {
                                <div class="scr-gate" id=format!("{}-gate", form_field_id(form, &format!("sections.{i}")))>
                                    <p class="govuk-body-s govuk-!-font-weight-bold">{format!("{} name(s) found in this section:", list.len())}</p>
                                    <p class="govuk-body scr-prewrap">
                                        {pieces(&text, &ranges).into_iter().map(|Piece { text, hit }| match hit {
                                            Some(_) => view! { <mark class="scr-hit">{text}</mark> }.into_any(),
                                            None => view! { <span>{text}</span> }.into_any(),
                                        }).collect_view()}
                                    </p>
                                    <div class="govuk-button-group">
                                        {list.into_iter().map(|h| {
                                            let label = format!("Replace \"{}\" with {}", h.found, h.label);
                                            view! { <button type="button" class="govuk-button govuk-button--secondary govuk-!-margin-bottom-1" on:click=move |_| replace(i, h.clone())>{label}</button> }
                                        }).collect_view()}
                                    </div>
                                </div>
                            }
                        })
                    }}
                }
            }).collect_view()}
            {move || checked.get().then(|| {
                let total: usize = hits.get().iter().map(Vec::len).sum();
                let warned = warnings.get();
                view! {
                    <div class="govuk-inset-text" role="status" id=format!("{form}-gate-result")>
                        {if total == 0 {
                            view! { <p class="govuk-body">"No registered names found: it passes the anonymisation gate."</p> }.into_any()
                        } else {
                            view! {
                                <p class="govuk-body">{format!("{total} registered name(s) found. It cannot leave the board until each is replaced.")}</p>
                                <button type="button" class="govuk-button govuk-button--secondary" on:click=move |_| replace_all()>"Replace every name with its label"</button>
                            }.into_any()
                        }}
                        {(!warned.is_empty()).then(|| view! {
                            <p class="govuk-body-s">"Check these too (they could identify the family):"</p>
                            <ul class="govuk-list govuk-list--bullet govuk-body-s">{warned.into_iter().map(|w| view! { <li>{w}</li> }).collect_view()}</ul>
                        })}
                    </div>
                }
            })}
            <div class="govuk-button-group">
                <button type="submit" class="govuk-button" disabled=move || busy.get()>{if doc == Doc::Report { "Save the report" } else { "Save the summary" }}</button>
                <button type="button" class="govuk-button govuk-button--secondary" disabled=move || busy.get() on:click=move |_| check()>"Check for names"</button>
            </div>
        </form>
    }
}

#[component]
fn Confirmations(ctx: Ctx) -> impl IntoView {
    let data = LocalResource::new(move || {
        ctx.refresh.get();
        async move { api::call::<ReviewConfirmations>(review_confirmations::Variables { id: ctx.id }).await }
    });
    let agency = RwSignal::new(String::new());
    let comment = RwSignal::new(String::new());
    let errors = RwSignal::new(Vec::new());
    let busy = RwSignal::new(false);
    // The newest version of the report, as last loaded: what a confirmation is for.
    let newest =
        move || data.get_untracked().and_then(|r| r.ok()).and_then(|d| d.review.overview_report.map(|r| r.version));
    let confirm = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(v), Ok(a)) = (newest(), agency.get_untracked().parse::<i64>()) else {
            errors.set(vec![("agencyId".into(), "Choose the agency you confirm for".into())]);
            return;
        };
        let c = comment.get_untracked();
        let vars = confirm_representation::Variables {
            id: ctx.id,
            agency_id: a,
            report_version: v,
            comment: Some(c).filter(|c| !c.trim().is_empty()),
        };
        send::<ConfirmRepresentation>(ctx, vars, errors, busy, "Your agency's confirmation was recorded");
    };
    view! {
        <h2 class="govuk-heading-m">"Agencies' confirmations"</h2>
        <Transition fallback=|| view! { <Loading/> }>
            {move || data.get().map(|r| match r {
                Err(e) => view! { <Failure error=e/> }.into_any(),
                Ok(d) => {
                    let latest = d.review.overview_report.as_ref().map(|r| r.version);
                    let confirmations = d.review.report_confirmations;
                    // Every involved agency, with where its confirmation of the newest version stands.
                    let rows: Vec<(String, String)> = d.review.involved_agencies.iter().map(|a| {
                        let theirs = confirmations.iter().filter(|c| c.agency.as_ref().is_some_and(|x| x.id == a.id)).max_by_key(|c| c.report_version);
                        let state = match theirs {
                            Some(c) if Some(c.report_version) == latest => format!("Confirmed version {} on {}{}", c.report_version, uk_date(&c.confirmed_at), c.comment.clone().map(|x| format!(": {x}")).unwrap_or_default()),
                            Some(c) => format!("Confirmed version {} only: the newest is not confirmed yet", c.report_version),
                            None => "Not confirmed yet".to_owned(),
                        };
                        (a.name.clone(), state)
                    }).collect();
                    let waiting = rows.iter().filter(|(_, s)| !s.starts_with("Confirmed version") || s.contains("only")).count();
                    let mine: Vec<(i64, String)> = d.review.agencies_for.iter()
                        .filter(|a| !confirmations.iter().any(|c| c.agency.as_ref().is_some_and(|x| x.id == a.id) && Some(c.report_version) == latest))
                        .map(|a| (a.id, a.name.clone()))
                        .collect();
                    if let [(only, _)] = mine.as_slice() {
                        agency.set(only.to_string());
                    }
                    view! {
                        <p class="govuk-body">{match waiting { 0 => "Every involved agency has confirmed the newest version.".to_owned(), n => format!("{n} of {} agencies have yet to confirm the newest version.", rows.len()) }}</p>
                        <dl class="govuk-summary-list" id="confirmations">
                            {rows.into_iter().map(|(name, state)| view! {
                                <div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">{name}</dt><dd class="govuk-summary-list__value">{state}</dd></div>
                            }).collect_view()}
                        </dl>
                        {(ctx.may(Operation::ConfirmRepresentation) && latest.is_some() && !mine.is_empty()).then(|| view! {
                            <form class="scr-step" on:submit=confirm>
                                <h3 class="govuk-heading-s">{format!("Confirm version {} represents your agency fairly", latest.unwrap_or(0))}</h3>
                                <ErrorSummary errors=errors form="confirm"/>
                                <div class="govuk-form-group">
                                    <label class="govuk-label" for=form_field_id("confirm", "agencyId")>"Your agency"</label>
                                    <select class="govuk-select" id=form_field_id("confirm", "agencyId") bind:value=agency>
                                        <option value="">"Choose the agency"</option>
                                        {mine.into_iter().map(|(id, name)| view! { <option value=id.to_string()>{name}</option> }).collect_view()}
                                    </select>
                                </div>
                                <TextArea form="confirm" label="Comment (optional)" path="comment" value=comment errors=errors rows=2/>
                                <button type="submit" class="govuk-button" disabled=move || busy.get()>"Confirm"</button>
                            </form>
                        })}
                    }.into_any()
                }
            })}
        </Transition>
    }
}
