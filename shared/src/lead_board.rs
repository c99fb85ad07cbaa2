//! Which board leads a review (11.3): the board of the local authority looking after
//! the child; otherwise the board where the child normally lives. Every other board
//! with an interest or involvement becomes a partner.

use serde::{Deserialize, Serialize};

use crate::BoardId;

/// Where the child lives and which boards have had contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidenceFacts {
    /// The board of the local authority looking after the child, when the child is looked after.
    pub looked_after_by: Option<BoardId>,
    /// The board for the area where the child is or was normally resident.
    pub normal_residence: BoardId,
    /// Other boards whose partner agencies knew or had contact with the child.
    pub other_involved: Vec<BoardId>,
}

/// The outcome of 11.3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadBoard {
    pub lead: BoardId,
    /// Every other board with an interest, each once, never the lead; sorted.
    pub partners: Vec<BoardId>,
    /// Why this board leads, in the procedure's words.
    pub reason: String,
}

pub fn lead_board(f: &ResidenceFacts) -> LeadBoard {
    let (lead, reason) = match f.looked_after_by {
        Some(b) => {
            (b, "The child is looked after: the board of the local authority looking after the child leads (11.3).")
        }
        None => (f.normal_residence, "The board for the area where the child is normally resident leads (11.3)."),
    };
    let mut partners: Vec<BoardId> =
        std::iter::once(f.normal_residence).chain(f.other_involved.iter().copied()).filter(|b| *b != lead).collect();
    partners.sort();
    partners.dedup();
    LeadBoard { lead, partners, reason: reason.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_looked_after_child_is_led_by_the_looking_after_authority_and_home_board_is_partner() {
        let r = lead_board(&ResidenceFacts {
            looked_after_by: Some(BoardId(2)),
            normal_residence: BoardId(1),
            other_involved: vec![],
        });
        assert_eq!(r.lead, BoardId(2));
        assert_eq!(r.partners, vec![BoardId(1)]);
        assert!(r.reason.contains("looked after"));
    }

    #[test]
    fn otherwise_the_board_of_normal_residence_leads() {
        let r = lead_board(&ResidenceFacts {
            looked_after_by: None,
            normal_residence: BoardId(1),
            other_involved: vec![BoardId(3), BoardId(1), BoardId(3)],
        });
        assert_eq!(r.lead, BoardId(1));
        assert_eq!(r.partners, vec![BoardId(3)]);
    }

    #[test]
    fn a_child_looked_after_by_the_home_authority_has_no_partner_from_that() {
        let r = lead_board(&ResidenceFacts {
            looked_after_by: Some(BoardId(1)),
            normal_residence: BoardId(1),
            other_involved: vec![],
        });
        assert_eq!(r.lead, BoardId(1));
        assert!(r.partners.is_empty());
    }

    proptest! {
        #[test]
        fn the_lead_is_never_a_partner_and_every_involved_board_takes_part(
            la in proptest::option::of(0..5i32), home in 0..5i32, others in proptest::collection::vec(0..5i32, 0..6)
        ) {
            let f = ResidenceFacts { looked_after_by: la.map(BoardId), normal_residence: BoardId(home), other_involved: others.iter().copied().map(BoardId).collect() };
            let r = lead_board(&f);
            prop_assert!(!r.partners.contains(&r.lead));
            for b in std::iter::once(home).chain(others) {
                prop_assert!(r.lead == BoardId(b) || r.partners.contains(&BoardId(b)));
            }
        }
    }
}
