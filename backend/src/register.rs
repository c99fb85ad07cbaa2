//! A person as entered, before they are one of a review's people: their name, aliases,
//! date of birth and address parsed, the label they get, and the gate a new label is
//! checked against. The referral (decision phase) and adding a person (people) both
//! enter people this way.

use chrono::NaiveDate;
use shared::ValidationError;
use shared::stage::Relationship;
use shared::value::{PersonName, Text};

use crate::entities::*;
use crate::errors::ApiResult;
use crate::step::{Problems, not_in_future};

/// A person named in a referral.
#[derive(Debug, Clone)]
pub struct NewPerson {
    pub relationship: Relationship,
    pub label: Option<String>,
    pub name: String,
    pub aliases: Vec<String>,
    pub date_of_birth: Option<NaiveDate>,
    pub address: Option<String>,
    /// For a professional, the agency they work for.
    pub agency_id: Option<i32>,
}

pub(crate) fn parse_person(
    p: &NewPerson,
    path: &str,
    problems: &mut Problems,
) -> Option<(String, Vec<String>, Option<String>)> {
    let name = problems.check(PersonName::parse(&p.name).map_err(|e| e.under(path)));
    let mut aliases = Vec::new();
    for (i, a) in p.aliases.iter().enumerate() {
        if a.trim().is_empty() {
            continue;
        }
        if let Some(n) = problems
            .check(PersonName::parse(a).map_err(|e| ValidationError::new(format!("{path}.aliases.{i}"), e.message)))
        {
            aliases.push(n.as_ref().to_owned());
        }
    }
    if let Some(d) = p.date_of_birth {
        problems.check(not_in_future(&format!("{path}.dateOfBirth"), d));
    }
    let address = match &p.address {
        Some(a) => problems.check(Text::parse_optional(&format!("{path}.address"), a)).flatten().map(Text::into_inner),
        None => None,
    };
    if let Some(l) = &p.label
        && (l.trim().is_empty() || l.chars().count() > 60)
    {
        problems.push(format!("{path}.label"), "A label must be 1 to 60 characters");
    }
    Some((name?.as_ref().to_owned(), aliases, address))
}

/// The label a new person gets: the one given, or the usual one for the relationship
/// ("Mother", "Sibling 2"), made unique, ignoring case, among `taken`.
pub(crate) fn unique_label(given: Option<&str>, relationship: Relationship, taken: &[String]) -> String {
    let same = taken.iter().filter(|l| l.starts_with(relationship.title())).count();
    let wanted = given.map(|l| l.trim().to_owned()).unwrap_or_else(|| relationship.default_label(same));
    let is_taken = |l: &str| taken.iter().any(|x| x.eq_ignore_ascii_case(l));
    let mut label = wanted.clone();
    let mut n = 2;
    while is_taken(&label) {
        label = format!("{wanted} ({n})");
        n += 1;
    }
    label
}

/// What a new label is checked against: the review's people and those being added,
/// with their names, aliases and addresses.
pub(crate) fn label_gate(people: &[person::Model], new: &[&NewPerson]) -> ApiResult<shared::gate::Gate> {
    let mut register = crate::anonymise::masking_register(people, Vec::new())?;
    register.people.extend(new.iter().map(|p| shared::gate::Identified {
        person: shared::pseudonymise::RegisteredPerson {
            label: String::new(),
            names: std::iter::once(p.name.clone()).chain(p.aliases.iter().cloned()).collect(),
        },
        date_of_birth: None,
        address: p.address.clone(),
    }));
    Ok(register.gate())
}
