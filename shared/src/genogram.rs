//! The family as a genogram (SPEC 4; 11.14 "an anonymised genogram"): who is whose
//! parent, partner or sibling, and who lives in which household. The rules keep the
//! drawing possible: nobody is related to themselves, and nobody is their own
//! ancestor.

use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::role::str_enum;

str_enum! {
    /// How one person stands to another, read "from ... to".
    pub enum Tie {
        ParentOf => "parent_of", "Parent of";
        PartnerOf => "partner_of", "Partner of";
        SiblingOf => "sibling_of", "Sibling of";
    }
}

impl Tie {
    /// Partner and sibling ties read the same both ways.
    pub fn is_symmetric(self) -> bool {
        !matches!(self, Tie::ParentOf)
    }
}

/// One recorded tie between two people of a review (person ids).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    pub from: i32,
    pub to: i32,
    pub tie: Tie,
}

/// Why `new` cannot join `existing`, if it cannot.
pub fn check_link(new: Link, existing: &[Link]) -> Result<(), ValidationError> {
    if new.from == new.to {
        return Err(ValidationError::new("toPersonId", "A person cannot be related to themselves"));
    }
    let same = |l: &Link| {
        l.tie == new.tie
            && ((l.from == new.from && l.to == new.to)
                || (new.tie.is_symmetric() && l.from == new.to && l.to == new.from))
    };
    if existing.iter().any(same) {
        return Err(ValidationError::new("toPersonId", "This relationship is already recorded"));
    }
    if new.tie == Tie::ParentOf && is_ancestor(new.to, new.from, existing) {
        return Err(ValidationError::new("toPersonId", "This would make someone their own ancestor"));
    }
    Ok(())
}

/// Whether `a` is a parent, grandparent... of `b` through `links`.
fn is_ancestor(a: i32, b: i32, links: &[Link]) -> bool {
    let mut frontier = vec![a];
    let mut seen = vec![a];
    while let Some(p) = frontier.pop() {
        for l in links.iter().filter(|l| l.tie == Tie::ParentOf && l.from == p) {
            if l.to == b {
                return true;
            }
            if !seen.contains(&l.to) {
                seen.push(l.to);
                frontier.push(l.to);
            }
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parent(from: i32, to: i32) -> Link {
        Link { from, to, tie: Tie::ParentOf }
    }

    #[test]
    fn nobody_is_related_to_themselves() {
        assert!(check_link(Link { from: 1, to: 1, tie: Tie::SiblingOf }, &[]).is_err());
    }

    #[test]
    fn a_tie_is_recorded_once_and_symmetric_ties_either_way_round() {
        let existing = [Link { from: 1, to: 2, tie: Tie::PartnerOf }, parent(1, 3)];
        assert!(check_link(Link { from: 2, to: 1, tie: Tie::PartnerOf }, &existing).is_err());
        assert!(check_link(parent(1, 3), &existing).is_err());
        assert!(check_link(parent(3, 1), &existing).is_err(), "a child cannot be its parent's parent");
        assert!(check_link(parent(2, 3), &existing).is_ok());
    }

    #[test]
    fn nobody_becomes_their_own_grandparent() {
        let existing = [parent(1, 2), parent(2, 3)];
        assert_eq!(
            check_link(parent(3, 1), &existing).unwrap_err().message,
            "This would make someone their own ancestor"
        );
        assert!(check_link(parent(4, 1), &existing).is_ok());
    }

    proptest! {
        #[test]
        fn accepted_parent_ties_never_form_a_cycle(pairs in proptest::collection::vec((0i32..8, 0i32..8), 0..40)) {
            let mut links: Vec<Link> = Vec::new();
            for (a, b) in pairs {
                if check_link(parent(a, b), &links).is_ok() {
                    links.push(parent(a, b));
                }
            }
            for l in &links {
                prop_assert!(!is_ancestor(l.to, l.from, &links));
            }
        }
    }
}
