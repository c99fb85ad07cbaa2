//! Refer a case: the referral form, with the criteria engine's proposal shown live
//! as the facts are filled in (the same `shared` code the server runs).

use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use shared::criteria::{self, AbuseOrNeglect, CustodySetting, HarmCategory, Indicator, ReferralFacts};
use shared::stage::Relationship;
use shared::value::{PersonName, Text};

use crate::api::{self, ApiError};
use crate::components::{DateInput, ErrorSummary, Failure, Loading, TextArea, TextField, field_id};
use crate::gql::{Directory, SubmitReferral, directory, submit_referral};
use shared::BoardId;
use shared::lead_board::{ResidenceFacts, lead_board};

fn split_aliases(s: &str) -> Vec<String> {
    s.split(',').map(str::trim).filter(|a| !a.is_empty()).map(str::to_owned).collect()
}

/// Checks the form with the server's rules before sending it.
fn check(child: &str, aliases: &str, dob: &str, circumstances: &str, agencies: &[i64]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Err(e) = PersonName::parse(child) {
        out.push(("child.name".to_owned(), e.message));
    }
    for a in split_aliases(aliases) {
        if let Err(e) = PersonName::parse(&a) {
            out.push(("child.aliases.0".to_owned(), e.message));
        }
    }
    if !dob.is_empty() && chrono_like_date(dob).is_none() {
        out.push(("child.dateOfBirth".to_owned(), "Enter a real date of birth".to_owned()));
    }
    if let Err(e) = Text::parse("circumstances", circumstances) {
        out.push(("circumstances".to_owned(), format!("Describe the circumstances: {}", e.message.to_lowercase())));
    }
    if agencies.is_empty() {
        out.push(("involvedAgencyIds".to_owned(), "Choose at least one agency known to be involved".to_owned()));
    }
    out
}

fn chrono_like_date(s: &str) -> Option<(i32, u32, u32)> {
    let mut p = s.split('-');
    let y = p.next()?.parse().ok()?;
    let m: u32 = p.next()?.parse().ok()?;
    let d: u32 = p.next()?.parse().ok()?;
    ((1..=12).contains(&m) && (1..=31).contains(&d)).then_some((y, m, d))
}

#[component]
pub fn Refer() -> impl IntoView {
    let directory = LocalResource::new(|| api::call::<Directory>(directory::Variables));
    let child = RwSignal::new(String::new());
    let aliases = RwSignal::new(String::new());
    let dob = RwSignal::new(String::new());
    let address = RwSignal::new(String::new());
    let mother = RwSignal::new(String::new());
    let circumstances = RwSignal::new(String::new());
    let child_died = RwSignal::new(false);
    let suspected_suicide = RwSignal::new(false);
    let abuse = RwSignal::new(None::<AbuseOrNeglect>);
    let custody = RwSignal::new(None::<CustodySetting>);
    let detained = RwSignal::new(false);
    let harm = RwSignal::new(Vec::<HarmCategory>::new());
    let concern = RwSignal::new(None::<bool>);
    let indicators = RwSignal::new(Vec::<Indicator>::new());
    let board = RwSignal::new(String::new());
    let looked_after = RwSignal::new(String::new());
    let agencies = RwSignal::new(Vec::<i64>::new());
    let received = RwSignal::new(crate::page::today());
    // Other boards the referrer names as having an interest (11.3).
    let others = RwSignal::new(Vec::<i64>::new());
    // Boards proposed for their agencies alone that the referrer leaves out, and the
    // reason typed for each board, kept even while the box is unticked.
    let leaving = RwSignal::new(Vec::<i64>::new());
    let why_out = StoredValue::new(std::collections::BTreeMap::<i64, RwSignal<String>>::new());
    let reason_for = move |b: i64| {
        why_out.with_value(|m| m.get(&b).copied()).unwrap_or_else(|| {
            let s = RwSignal::new(String::new());
            why_out.update_value(|m| {
                m.insert(b, s);
            });
            s
        })
    };
    let errors = RwSignal::new(Vec::<(String, String)>::new());
    let busy = RwSignal::new(false);
    let navigate = use_navigate();

    let facts = Memo::new(move |_| ReferralFacts {
        child_died: child_died.get(),
        suspected_suicide: suspected_suicide.get(),
        abuse_or_neglect: abuse.get(),
        custody: custody.get(),
        detained_under_mental_health_law: detained.get(),
        harm: harm.get(),
        inter_agency_concern: concern.get(),
        indicators: indicators.get(),
    });
    let proposal = Memo::new(move |_| criteria::assess(&facts.get()));

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let found = check(
            &child.get_untracked(),
            &aliases.get_untracked(),
            &dob.get_untracked(),
            &circumstances.get_untracked(),
            &agencies.get_untracked(),
        );
        let mut found = found;
        if board.get_untracked().is_empty() {
            found.push((
                "normalResidenceBoardId".to_owned(),
                "Choose the board where the child normally lives".to_owned(),
            ));
        }
        errors.set(found.clone());
        if !found.is_empty() {
            return;
        }
        let f = facts.get_untracked();
        let mut family = Vec::new();
        if !mother.get_untracked().trim().is_empty() {
            family.push(submit_referral::PersonInput {
                relationship: Relationship::Mother,
                label: None,
                name: mother.get_untracked(),
                aliases: vec![],
                date_of_birth: None,
                address: None,
                agency_id: None,
            });
        }
        let vars = submit_referral::Variables {
            input: submit_referral::ReferralInput {
                child: submit_referral::PersonInput {
                    relationship: Relationship::Child,
                    label: None,
                    name: child.get_untracked(),
                    aliases: split_aliases(&aliases.get_untracked()),
                    date_of_birth: Some(dob.get_untracked()).filter(|d| !d.is_empty()),
                    address: Some(address.get_untracked()).filter(|a| !a.trim().is_empty()),
                    agency_id: None,
                },
                family,
                circumstances: circumstances.get_untracked(),
                facts: submit_referral::ReferralFactsInput {
                    child_died: f.child_died,
                    suspected_suicide: f.suspected_suicide,
                    abuse_or_neglect: f.abuse_or_neglect,
                    custody: f.custody,
                    detained_under_mental_health_law: f.detained_under_mental_health_law,
                    harm: f.harm,
                    inter_agency_concern: f.inter_agency_concern,
                    indicators: f.indicators,
                },
                normal_residence_board_id: board.get_untracked().parse().unwrap_or_default(),
                looked_after_by_board_id: looked_after.get_untracked().parse().ok(),
                other_involved_board_ids: others.get_untracked(),
                involved_agency_ids: agencies.get_untracked(),
                left_out_boards: leaving
                    .get_untracked()
                    .into_iter()
                    .map(|b| submit_referral::LeftOutBoardInput { board_id: b, reason: reason_for(b).get_untracked() })
                    .collect(),
                received_on: Some(received.get_untracked()),
            },
        };
        busy.set(true);
        let navigate = navigate.clone();
        leptos::task::spawn_local(async move {
            match api::call::<SubmitReferral>(vars).await {
                Ok(d) => navigate(&format!("/reviews/{}", d.submit_referral.id), Default::default()),
                Err(ApiError::Validation(list)) => errors.set(list),
                Err(e) => errors.set(vec![(String::new(), e.message())]),
            }
            busy.set(false);
        });
    };

    let yes_no = move |sig: RwSignal<bool>, id: &'static str, label: &'static str| {
        view! {
            <div class="govuk-checkboxes__item">
                <input class="govuk-checkboxes__input" id=id type="checkbox" bind:checked=sig/>
                <label class="govuk-label govuk-checkboxes__label" for=id>{label}</label>
            </div>
        }
    };
    let toggle_list = move |sig: RwSignal<Vec<HarmCategory>>, h: HarmCategory| {
        let id = format!("harm-{}", h.as_str());
        view! {
            <div class="govuk-checkboxes__item">
                <input class="govuk-checkboxes__input" id=id.clone() type="checkbox"
                    prop:checked=move || sig.with(|v| v.contains(&h))
                    on:change=move |_| sig.update(|v| if let Some(i) = v.iter().position(|x| *x == h) { v.remove(i); } else { v.push(h); })/>
                <label class="govuk-label govuk-checkboxes__label" for=id>{h.title()}</label>
            </div>
        }
    };

    view! {
        <div class="govuk-grid-row">
            <div class="govuk-grid-column-two-thirds">
                <h1 class="govuk-heading-l">"Refer a case for a Serious Case Review"</h1>
                <form on:submit=submit novalidate>
                    <ErrorSummary errors=errors/>
                    <h2 class="govuk-heading-m">"The child"</h2>
                    <TextField label="Child's full name" path="child.name" value=child errors=errors/>
                    <TextField label="Other names or spellings (optional)" path="child.aliases.0" value=aliases errors=errors hint="Separate them with commas"/>
                    <DateInput label="Date of birth (optional)" path="child.dateOfBirth" value=dob errors=errors/>
                    <TextField label="Address (optional)" path="child.address" value=address errors=errors/>
                    <TextField label="Mother's full name (optional)" path="family.0.name" value=mother errors=errors/>
                    <TextArea label="What happened" path="circumstances" value=circumstances errors=errors hint="The circumstances that led to this referral, and what agencies knew"/>
                    <DateInput label="Date the referral was received" path="receivedOn" value=received errors=errors hint="The deadlines run from this day: give the real day if it came in earlier"/>

                    <h2 class="govuk-heading-m">"The facts the criteria turn on"</h2>
                    <div class="govuk-form-group">
                        <fieldset class="govuk-fieldset">
                            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Death (11.2)"</legend>
                            <div class="govuk-checkboxes govuk-checkboxes--small">
                                {yes_no(child_died, "fact-died", "The child has died")}
                                {yes_no(suspected_suicide, "fact-suicide", "The death is a suspected suicide")}
                                {yes_no(detained, "fact-detained", "The child was detained under mental health law")}
                            </div>
                        </fieldset>
                    </div>
                    <div class="govuk-form-group">
                        <label class="govuk-label" for="fact-abuse">"Abuse or neglect as a factor"</label>
                        <select class="govuk-select" id="fact-abuse" on:change:target=move |ev| abuse.set(AbuseOrNeglect::parse(&ev.target().value()))>
                            <option value="">"Not yet known"</option>
                            {AbuseOrNeglect::ALL.iter().map(|a| view! { <option value=a.as_str()>{a.title()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="govuk-form-group">
                        <label class="govuk-label" for="fact-custody">"Custodial setting"</label>
                        <select class="govuk-select" id="fact-custody" on:change:target=move |ev| custody.set(CustodySetting::parse(&ev.target().value()))>
                            <option value="">"None"</option>
                            {CustodySetting::ALL.iter().map(|c| view! { <option value=c.as_str()>{c.title()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="govuk-form-group">
                        <fieldset class="govuk-fieldset">
                            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Serious harm (11.2.1)"</legend>
                            <div class="govuk-checkboxes govuk-checkboxes--small">
                                {HarmCategory::ALL.iter().map(|h| toggle_list(harm, *h)).collect_view()}
                            </div>
                        </fieldset>
                    </div>
                    <div class="govuk-form-group">
                        <label class="govuk-label" for="fact-concern">"Concern about how professionals and services worked together"</label>
                        <select class="govuk-select" id="fact-concern" on:change:target=move |ev| concern.set(match ev.target().value().as_str() { "yes" => Some(true), "no" => Some(false), _ => None })>
                            <option value="">"Not yet known"</option>
                            <option value="yes">"Yes"</option>
                            <option value="no">"No"</option>
                        </select>
                    </div>
                    <div class="govuk-form-group">
                        <fieldset class="govuk-fieldset">
                            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Other circumstances (11.5): tick each that applies"</legend>
                            <div class="govuk-checkboxes govuk-checkboxes--small">
                                {Indicator::ALL.iter().map(|i| {
                                    let i = *i;
                                    let id = format!("ind-{}", i.as_str());
                                    view! {
                                        <div class="govuk-checkboxes__item">
                                            <input class="govuk-checkboxes__input" id=id.clone() type="checkbox"
                                                prop:checked=move || indicators.with(|v| v.contains(&i))
                                                on:change=move |_| indicators.update(|v| if let Some(p) = v.iter().position(|x| *x == i) { v.remove(p); } else { v.push(i); })/>
                                            <label class="govuk-label govuk-checkboxes__label" for=id>{i.title()}</label>
                                        </div>
                                    }
                                }).collect_view()}
                            </div>
                        </fieldset>
                    </div>

                    <h2 class="govuk-heading-m">"Boards and agencies"</h2>
                    <Suspense fallback=|| view! { <Loading/> }>
                        {move || directory.get().map(|r| match r {
                            Err(e) => view! { <Failure error=e/> }.into_any(),
                            Ok(d) => {
                                let boards = d.boards.clone();
                                let boards2 = d.boards.clone();
                                let agency_boards: Vec<(i64, Option<i64>)> =
                                    d.agencies.iter().map(|a| (a.id, a.board.as_ref().map(|b| b.id))).collect();
                                let board_err = move || errors.with(|e| crate::components::error_for(e, "normalResidenceBoardId"));
                                let agency_err = move || errors.with(|e| crate::components::error_for(e, "involvedAgencyIds"));
                                view! {
                                    <div class="govuk-form-group" class:govuk-form-group--error=move || board_err().is_some()>
                                        <label class="govuk-label" for=field_id("normalResidenceBoardId")>"Board where the child normally lives"</label>
                                        {move || board_err().map(|m| view! { <p class="govuk-error-message">{m}</p> })}
                                        <select class="govuk-select" id=field_id("normalResidenceBoardId") on:change:target=move |ev| board.set(ev.target().value())>
                                            <option value="">"Choose a board"</option>
                                            {boards.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.name}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="govuk-form-group">
                                        <label class="govuk-label" for="f-lookedAfter">"If the child is looked after: the board of the authority looking after them"</label>
                                        <select class="govuk-select" id="f-lookedAfter" on:change:target=move |ev| looked_after.set(ev.target().value())>
                                            <option value="">"Not looked after"</option>
                                            {boards2.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.name}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="govuk-form-group" class:govuk-form-group--error=move || agency_err().is_some()>
                                        <fieldset class="govuk-fieldset" id=field_id("involvedAgencyIds")>
                                            <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Agencies known to be involved"</legend>
                                            {move || agency_err().map(|m| view! { <p class="govuk-error-message">{m}</p> })}
                                            <div class="govuk-checkboxes govuk-checkboxes--small">
                                                {d.agencies.into_iter().map(|a| {
                                                    let id = format!("agency-{}", a.id);
                                                    let aid = a.id;
                                                    view! {
                                                        <div class="govuk-checkboxes__item">
                                                            <input class="govuk-checkboxes__input" id=id.clone() type="checkbox"
                                                                prop:checked=move || agencies.with(|v| v.contains(&aid))
                                                                on:change=move |_| agencies.update(|v| if let Some(p) = v.iter().position(|x| *x == aid) { v.remove(p); } else { v.push(aid); })/>
                                                            <label class="govuk-label govuk-checkboxes__label" for=id>{a.name}</label>
                                                        </div>
                                                    }
                                                }).collect_view()}
                                            </div>
                                        </fieldset>
                                    </div>
                                    {partner_boards(d.boards.clone(), agency_boards, board, looked_after, agencies, others, leaving, reason_for, errors)}
                                }.into_any()
                            }
                        })}
                    </Suspense>
                    <button type="submit" class="govuk-button" disabled=move || busy.get()>
                        {move || if busy.get() { "Sending…" } else { "Send the referral" }}
                    </button>
                </form>
            </div>
            <div class="govuk-grid-column-one-third">
                <aside class="scr-proposal" aria-live="polite" aria-labelledby="proposal-title">
                    <h2 class="govuk-heading-m" id="proposal-title">"What the criteria suggest"</h2>
                    <p class="govuk-body"><strong class="govuk-tag" id="proposal-category">{move || proposal.get().category.title()}</strong></p>
                    <ul class="govuk-list govuk-list--bullet">
                        {move || proposal.get().reasons.into_iter().map(|r| view! { <li>{r}</li> }).collect_view()}
                    </ul>
                    {move || {
                        let missing = proposal.get().missing;
                        (!missing.is_empty()).then(|| view! {
                            <h3 class="govuk-heading-s">"Not yet shown"</h3>
                            <ul class="govuk-list govuk-list--bullet">{missing.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul>
                        })
                    }}
                    <p class="govuk-body-s">"The Initial Panel decides; this only proposes."</p>
                </aside>
            </div>
        </div>
    }
}

/// The lead and partner boards as 11.3 proposes them from what the form holds: the
/// board where the child lives, the looking-after authority's and every involved
/// agency's. A board proposed for its agencies alone may be left out, with a reason.
#[allow(clippy::too_many_arguments)]
fn partner_boards(
    boards: Vec<directory::DirectoryBoards>,
    agency_boards: Vec<(i64, Option<i64>)>,
    board: RwSignal<String>,
    looked_after: RwSignal<String>,
    agencies: RwSignal<Vec<i64>>,
    others: RwSignal<Vec<i64>>,
    leaving: RwSignal<Vec<i64>>,
    reason_for: impl Fn(i64) -> RwSignal<String> + Copy + Send + Sync + 'static,
    errors: RwSignal<Vec<(String, String)>>,
) -> impl IntoView {
    let all: Vec<(i64, String)> = boards.iter().map(|b| (b.id, b.name.clone())).collect();
    let name = move |id: i64| boards.iter().find(|b| b.id == id).map(|b| b.name.clone()).unwrap_or_default();
    let proposal = move || {
        let home = board.get().parse::<i32>().ok()?;
        let picked = agencies.get();
        Some(lead_board(&ResidenceFacts {
            looked_after_by: looked_after.get().parse::<i32>().ok().map(BoardId),
            normal_residence: BoardId(home),
            other_involved: others.get().into_iter().map(|b| BoardId(b as i32)).collect(),
            agency_boards: agency_boards
                .iter()
                .filter(|(a, _)| picked.contains(a))
                .filter_map(|(_, b)| *b)
                .map(|b| BoardId(b as i32))
                .collect(),
        }))
    };
    // A board no longer proposed (its agency unticked) is no longer left out; the reason
    // typed for it stays, should it come back.
    let current = proposal.clone();
    Effect::new(move |_| {
        if let Some(p) = current() {
            let may: Vec<i64> =
                p.proposed.iter().filter(|x| x.may_be_left_out()).map(|x| i64::from(x.board.0)).collect();
            if leaving.with_untracked(|v| v.iter().any(|b| !may.contains(b))) {
                leaving.update(|v| v.retain(|b| may.contains(b)));
            }
        }
    });
    view! {
        <div class="govuk-inset-text" id="partner-boards" aria-live="polite">
            {move || match proposal() {
                None => view! { <p class="govuk-body">"Choose where the child lives to see which boards take part."</p> }.into_any(),
                Some(p) => {
                    let name = name.clone();
                    let lead = name(i64::from(p.lead.0));
                    view! {
                        <h3 class="govuk-heading-s">"Boards taking part (11.3)"</h3>
                        <p class="govuk-body"><strong>{lead}</strong>" leads. "{p.reason.clone()}</p>
                        {if p.proposed.is_empty() {
                            view! { <p class="govuk-body">"No other board has an interest."</p> }.into_any()
                        } else {
                            view! { <ul class="govuk-list">{p.proposed.into_iter().map(|x| {
                                let id = i64::from(x.board.0);
                                let grounds = x.grounds.iter().map(|g| g.sentence()).collect::<Vec<_>>().join(" ");
                                let may = x.may_be_left_out();
                                let out = move || leaving.with(|v| v.contains(&id));
                                let check_id = format!("leave-out-{id}");
                                view! {
                                    <li class="scr-partner">
                                        <p class="govuk-body"><strong>{name(id)}</strong>" is a partner. "{grounds}</p>
                                        {may.then(|| view! {
                                            <div class="govuk-checkboxes govuk-checkboxes--small"><div class="govuk-checkboxes__item">
                                                <input class="govuk-checkboxes__input" id=check_id.clone() type="checkbox" prop:checked=out
                                                    on:change=move |_| leaving.update(|v| if let Some(i) = v.iter().position(|b| *b == id) { v.remove(i); } else { v.push(id); })/>
                                                <label class="govuk-label govuk-checkboxes__label" for=check_id>"Leave this board out"</label>
                                            </div></div>
                                            <Show when=out>
                                                {move || {
                                                    let i = leaving.with(|v| v.iter().position(|b| *b == id)).unwrap_or_default();
                                                    view! { <TextArea label="Why this board is not a partner" path=format!("leftOutBoards.{i}.reason") value=reason_for(id) errors=errors rows=2/> }
                                                }}
                                            </Show>
                                        })}
                                    </li>
                                }
                            }).collect_view()}</ul> }.into_any()
                        }}
                    }.into_any()
                }
            }}
        </div>
        <div class="govuk-form-group">
            <fieldset class="govuk-fieldset" id="f-otherInvolvedBoardIds">
                <legend class="govuk-fieldset__legend govuk-fieldset__legend--s">"Other boards with an interest (optional)"</legend>
                <div class="govuk-hint">"Boards whose agencies knew the child, besides those above"</div>
                <div class="govuk-checkboxes govuk-checkboxes--small">
                    {all.into_iter().map(|(id, n)| {
                        let check = format!("other-board-{id}");
                        view! {
                            <div class="govuk-checkboxes__item">
                                <input class="govuk-checkboxes__input" id=check.clone() type="checkbox"
                                    prop:checked=move || others.with(|v| v.contains(&id))
                                    on:change=move |_| others.update(|v| if let Some(i) = v.iter().position(|b| *b == id) { v.remove(i); } else { v.push(id); })/>
                                <label class="govuk-label govuk-checkboxes__label" for=check>{n}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}
