//! GraphQL input objects, converted to the services' inputs at the edge.

use async_graphql::InputObject;
use chrono::NaiveDate;
use shared::criteria::ReferralFacts;

use super::enums::*;
use crate::services::{NewPerson, NewReferral};

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
