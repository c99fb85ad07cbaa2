//! Input objects more than one feature takes: a person, as referred or added.

use async_graphql::InputObject;
use chrono::NaiveDate;

use super::enums::*;
use crate::register::NewPerson;

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
