//! GraphQL input objects, converted to the services' inputs at the edge.

use async_graphql::InputObject;
use chrono::NaiveDate;
use shared::criteria::ReferralFacts;

use super::enums::*;
use crate::decision_phase::NewReferral;
use crate::people::NewPerson;

/// The facts the criteria turn on (11.2, 11.2.1, 11.5). Unknown is `null`.
#[derive(InputObject, Default)]
pub struct ReferralFactsInput {
    #[graphql(default)]
    pub child_died: bool,
    #[graphql(default)]
    pub suspected_suicide: bool,
    pub abuse_or_neglect: Option<AbuseOrNeglectGql>,
    pub custody: Option<CustodySettingGql>,
    #[graphql(default)]
    pub detained_under_mental_health_law: bool,
    #[graphql(default)]
    pub harm: Vec<HarmCategoryGql>,
    pub inter_agency_concern: Option<bool>,
    #[graphql(default)]
    pub indicators: Vec<IndicatorGql>,
}

impl From<ReferralFactsInput> for ReferralFacts {
    fn from(f: ReferralFactsInput) -> Self {
        ReferralFacts {
            child_died: f.child_died,
            suspected_suicide: f.suspected_suicide,
            abuse_or_neglect: f.abuse_or_neglect.map(Into::into),
            custody: f.custody.map(Into::into),
            detained_under_mental_health_law: f.detained_under_mental_health_law,
            harm: f.harm.into_iter().map(Into::into).collect(),
            inter_agency_concern: f.inter_agency_concern,
            indicators: f.indicators.into_iter().map(Into::into).collect(),
        }
    }
}

/// A person named in a referral.
#[derive(InputObject)]
pub struct PersonInput {
    pub relationship: RelationshipGql,
    /// Leave out for the usual label ("Child A", "Mother", "Sibling 1").
    pub label: Option<String>,
    pub name: String,
    #[graphql(default)]
    pub aliases: Vec<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub address: Option<String>,
    /// For a professional, the agency they work for.
    pub agency_id: Option<i32>,
}

impl From<PersonInput> for NewPerson {
    fn from(p: PersonInput) -> Self {
        NewPerson {
            relationship: p.relationship.into(),
            label: p.label,
            name: p.name,
            aliases: p.aliases,
            date_of_birth: p.date_of_birth,
            address: p.address,
            agency_id: p.agency_id,
        }
    }
}

#[derive(InputObject)]
pub struct ReferralInput {
    /// The child (relationship `CHILD`).
    pub child: PersonInput,
    /// Siblings, parents, carers, the alleged perpetrator, household members.
    #[graphql(default)]
    pub family: Vec<PersonInput>,
    pub circumstances: String,
    pub facts: ReferralFactsInput,
    /// The board where the child is or was normally resident.
    pub normal_residence_board_id: i32,
    /// The board of the local authority looking after the child, if looked after.
    pub looked_after_by_board_id: Option<i32>,
    /// Other boards whose agencies knew the child.
    #[graphql(default)]
    pub other_involved_board_ids: Vec<i32>,
    /// Agencies known to be involved.
    pub involved_agency_ids: Vec<i32>,
}

impl From<ReferralInput> for NewReferral {
    fn from(r: ReferralInput) -> Self {
        NewReferral {
            child: r.child.into(),
            family: r.family.into_iter().map(Into::into).collect(),
            circumstances: r.circumstances,
            facts: r.facts.into(),
            normal_residence_board_id: r.normal_residence_board_id,
            looked_after_by_board_id: r.looked_after_by_board_id,
            other_involved_board_ids: r.other_involved_board_ids,
            involved_agency_ids: r.involved_agency_ids,
        }
    }
}

/// One answer of the terms of reference.
#[derive(InputObject)]
pub struct TermsAnswerInput {
    pub text: Option<String>,
    #[graphql(default)]
    pub not_applicable: bool,
}

#[derive(InputObject)]
pub struct RoleGrantInput {
    pub role: RoleGql,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
}

#[derive(InputObject)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub agency_id: Option<i32>,
    pub password: String,
    pub roles: Vec<RoleGrantInput>,
}

/// A recommendation of an IMR, as drafted: parts may be missing until submission.
#[derive(InputObject)]
pub struct RecommendationInput {
    #[graphql(default)]
    pub action: String,
    pub owner_agency_id: Option<i32>,
    pub due: Option<NaiveDate>,
    #[graphql(default)]
    pub intended_outcome: String,
    #[graphql(default)]
    pub success_measure: String,
}

/// The written sections of an IMR; any may be empty in a draft.
#[derive(InputObject)]
pub struct ImrContentInput {
    #[graphql(default)]
    pub summary: String,
    /// One answer per analysis question, in order.
    #[graphql(default)]
    pub analysis: Vec<String>,
    #[graphql(default)]
    pub lessons: String,
    #[graphql(default)]
    pub good_practice: String,
    #[graphql(default)]
    pub recommendations: Vec<RecommendationInput>,
    #[graphql(default)]
    pub staff_support: String,
}

impl From<ImrContentInput> for shared::imr::Content {
    fn from(c: ImrContentInput) -> Self {
        shared::imr::Content {
            summary: c.summary,
            analysis: c.analysis,
            lessons: c.lessons,
            good_practice: c.good_practice,
            recommendations: c
                .recommendations
                .into_iter()
                .map(|r| {
                    crate::review_phase::recommendation(
                        r.action,
                        r.owner_agency_id,
                        r.due,
                        r.intended_outcome,
                        r.success_measure,
                    )
                })
                .collect(),
            staff_support: c.staff_support,
        }
    }
}

/// A chronology entry as typed.
#[derive(InputObject)]
pub struct ChronologyEntryInput {
    /// For an approximate date, any day of the month or year.
    pub date: NaiveDate,
    /// "HH:MM", only with an exact date.
    pub time: Option<String>,
    #[graphql(default_with = "PrecisionGql::Exact")]
    pub precision: PrecisionGql,
    #[graphql(default)]
    pub sequence: i32,
    pub practitioner_role: String,
    pub event: String,
    #[graphql(default)]
    pub decision_or_action: String,
    #[graphql(default)]
    pub child_seen: bool,
    #[graphql(default)]
    pub seen_alone: bool,
    #[graphql(default)]
    pub wishes_sought: bool,
    #[graphql(default)]
    pub perpetrator_contact: bool,
    #[graphql(default)]
    pub source: String,
    #[graphql(default)]
    pub person_ids: Vec<i32>,
}

impl TryFrom<ChronologyEntryInput> for crate::review_phase::NewEntry {
    type Error = crate::errors::ApiError;
    fn try_from(e: ChronologyEntryInput) -> Result<Self, Self::Error> {
        let time =
            match e.time.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
                Some(t) => Some(chrono::NaiveTime::parse_from_str(t, "%H:%M").map_err(|_| {
                    crate::errors::ApiError::invalid("time", "Give the time as HH:MM, for example 14:30")
                })?),
                None => None,
            };
        Ok(crate::review_phase::NewEntry {
            id: 0,
            agency: shared::AgencyId(0),
            when: shared::chronology::When { date: e.date, time, precision: e.precision.into() },
            sequence: e.sequence,
            practitioner_role: e.practitioner_role,
            event: e.event,
            decision_or_action: e.decision_or_action,
            child_seen: e.child_seen,
            seen_alone: e.seen_alone,
            wishes_sought: e.wishes_sought,
            perpetrator_contact: e.perpetrator_contact,
            source: e.source,
            people: e.person_ids,
        })
    }
}

/// An action of the plan: a SMART recommendation with its owner.
#[derive(InputObject)]
pub struct ActionInput {
    pub recommendation: String,
    pub agency_id: i32,
    pub owner_id: i32,
    pub due_on: Option<NaiveDate>,
    pub intended_outcome: String,
    pub success_measure: String,
}

impl From<ActionInput> for crate::completion::NewAction {
    fn from(a: ActionInput) -> Self {
        crate::completion::NewAction {
            recommendation: a.recommendation,
            agency_id: a.agency_id,
            owner_id: a.owner_id,
            due_on: a.due_on,
            intended_outcome: a.intended_outcome,
            success_measure: a.success_measure,
        }
    }
}
