//! Which board leads a review (11.3): the board of the local authority looking after
//! the child; otherwise the board where the child normally lives. Every other board
//! with an interest or involvement becomes a partner: the board where the child lives,
//! the boards the referrer names, and the board of every involved agency. A board
//! proposed only because one of its agencies is involved may be left out, with the
//! reason recorded; no other proposed board may. A board with an interest found later
//! is added as a partner, with the reason recorded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::{BoardId, ValidationError};

/// Where the child lives and which boards have had contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResidenceFacts {
    /// The board of the local authority looking after the child, when the child is looked after.
    pub looked_after_by: Option<BoardId>,
    /// The board for the area where the child is or was normally resident.
    pub normal_residence: BoardId,
    /// Other boards whose partner agencies knew or had contact with the child, as named.
    pub other_involved: Vec<BoardId>,
    /// The board of each agency known to be involved.
    pub agency_boards: Vec<BoardId>,
}

/// Why a board is proposed as a partner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub enum PartnerGround {
    /// The child normally lives in its area and another board leads.
    Residence,
    /// The referrer named it.
    Named,
    /// One of its agencies is involved.
    AgencyInvolved,
    /// The business manager added it after the referral, with a reason.
    AddedLater,
}

impl PartnerGround {
    pub fn sentence(self) -> &'static str {
        match self {
            PartnerGround::Residence => "The child normally lives in this board's area (11.3).",
            PartnerGround::Named => "Named as a board with an interest (11.3).",
            PartnerGround::AgencyInvolved => "An agency of this board is involved with the child (11.3).",
            PartnerGround::AddedLater => "Added after the referral as a board with an interest (11.3).",
        }
    }
}

/// Why a partner of a review takes part, from what the review keeps: the board where the
/// child lives, the boards of the involved agencies and the boards added since; a
/// partner on none of those grounds was named by the referrer.
pub fn grounds_of(
    partner: BoardId,
    residence: BoardId,
    agency_boards: &[BoardId],
    added: &[BoardId],
) -> Vec<PartnerGround> {
    let mut grounds = Vec::new();
    if partner == residence {
        grounds.push(PartnerGround::Residence);
    }
    if agency_boards.contains(&partner) {
        grounds.push(PartnerGround::AgencyInvolved);
    }
    if added.contains(&partner) {
        grounds.push(PartnerGround::AddedLater);
    }
    if grounds.is_empty() {
        grounds.push(PartnerGround::Named);
    }
    grounds.sort();
    grounds
}

/// A board proposed as a partner, with every ground it was proposed on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposed {
    pub board: BoardId,
    pub grounds: Vec<PartnerGround>,
}

impl Proposed {
    /// Whether it may be left out: only a board proposed for its agencies alone.
    pub fn may_be_left_out(&self) -> bool {
        self.grounds == [PartnerGround::AgencyInvolved]
    }
}

/// A proposed board left out of the review, with the reason recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeftOut {
    pub board: BoardId,
    pub reason: String,
}

/// A board added as a partner after the referral: why, and on what day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Added {
    pub board: BoardId,
    pub reason: String,
    pub on: NaiveDate,
}

/// Whether `board` may be added as a partner to a review `lead` leads with `partners`:
/// never the lead or a partner already, and only with a reason. Each problem names its
/// field (`boardId`, `reason`).
pub fn may_add(lead: BoardId, partners: &[BoardId], board: BoardId, reason: &str) -> Vec<ValidationError> {
    let mut problems = Vec::new();
    if board == lead {
        problems.push(ValidationError::new("boardId", "This board leads the review"));
    } else if partners.contains(&board) {
        problems.push(ValidationError::new("boardId", "This board is already a partner"));
    }
    if reason.trim().is_empty() {
        problems.push(ValidationError::new("reason", "Say why this board has an interest in the review (11.3)"));
    }
    problems
}

/// The outcome of 11.3.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LeadBoard {
    pub lead: BoardId,
    /// Every other board with an interest, each once, never the lead; sorted.
    pub partners: Vec<BoardId>,
    /// Why this board leads, in the procedure's words.
    pub reason: String,
    /// Every partner proposed, with its grounds, sorted by board.
    pub proposed: Vec<Proposed>,
}

/// The lead and partner boards, every board with an interest proposed as a partner.
pub fn lead_board(f: &ResidenceFacts) -> LeadBoard {
    let (lead, reason) = match f.looked_after_by {
        Some(b) => {
            (b, "The child is looked after: the board of the local authority looking after the child leads (11.3).")
        }
        None => (f.normal_residence, "The board for the area where the child is normally resident leads (11.3)."),
    };
    let mut proposed: Vec<Proposed> = Vec::new();
    let grounds = std::iter::once((f.normal_residence, PartnerGround::Residence))
        .chain(f.other_involved.iter().map(|b| (*b, PartnerGround::Named)))
        .chain(f.agency_boards.iter().map(|b| (*b, PartnerGround::AgencyInvolved)));
    for (board, ground) in grounds.filter(|(b, _)| *b != lead) {
        match proposed.iter_mut().find(|p| p.board == board) {
            Some(p) if !p.grounds.contains(&ground) => p.grounds.push(ground),
            Some(_) => {}
            None => proposed.push(Proposed { board, grounds: vec![ground] }),
        }
    }
    proposed.sort_by_key(|p| p.board);
    for p in &mut proposed {
        p.grounds.sort();
    }
    let partners = proposed.iter().map(|p| p.board).collect();
    LeadBoard { lead, partners, reason: reason.to_owned(), proposed }
}

/// The boards as settled: the proposal less the boards left out. Each board left out
/// must have been proposed for its agencies alone and needs a reason; every problem
/// names its entry (`leftOutBoards.N.boardId` or `.reason`).
pub fn settle(f: &ResidenceFacts, left_out: &[LeftOut]) -> Result<LeadBoard, Vec<ValidationError>> {
    let mut r = lead_board(f);
    let mut problems = Vec::new();
    for (i, l) in left_out.iter().enumerate() {
        let field = |f: &str| format!("leftOutBoards.{i}.{f}");
        match r.proposed.iter().find(|p| p.board == l.board) {
            _ if l.board == r.lead => {
                problems.push(ValidationError::new(field("boardId"), "The lead board cannot be left out"))
            }
            None => problems.push(ValidationError::new(field("boardId"), "This board was not proposed as a partner")),
            Some(p) if !p.may_be_left_out() => problems.push(ValidationError::new(
                field("boardId"),
                "Only a board proposed because one of its agencies is involved may be left out",
            )),
            Some(_) if left_out[..i].iter().any(|x| x.board == l.board) => {
                problems.push(ValidationError::new(field("boardId"), "This board is already left out"))
            }
            Some(_) if l.reason.trim().is_empty() => problems.push(ValidationError::new(
                field("reason"),
                "Give the reason this board, whose agency is involved, is not a partner",
            )),
            Some(_) => {}
        }
    }
    if !problems.is_empty() {
        return Err(problems);
    }
    r.partners.retain(|b| !left_out.iter().any(|l| l.board == *b));
    Ok(r)
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
            agency_boards: vec![],
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
            agency_boards: vec![],
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
            agency_boards: vec![],
        });
        assert_eq!(r.lead, BoardId(1));
        assert!(r.partners.is_empty());
    }

    #[test]
    fn an_involved_agencys_board_becomes_a_partner_and_says_why() {
        let f = ResidenceFacts {
            looked_after_by: None,
            normal_residence: BoardId(1),
            other_involved: vec![],
            agency_boards: vec![BoardId(1), BoardId(4), BoardId(4)],
        };
        let r = lead_board(&f);
        assert_eq!(r.lead, BoardId(1));
        assert_eq!(r.partners, vec![BoardId(4)]);
        assert_eq!(r.proposed, vec![Proposed { board: BoardId(4), grounds: vec![PartnerGround::AgencyInvolved] }]);
        assert!(r.proposed[0].may_be_left_out());
    }

    #[test]
    fn a_partners_grounds_are_told_from_what_the_review_keeps() {
        use PartnerGround::*;
        let (home, agencies, added) = (BoardId(1), [BoardId(2), BoardId(3)], [BoardId(3), BoardId(4)]);
        assert_eq!(grounds_of(BoardId(1), home, &agencies, &added), [Residence]);
        assert_eq!(grounds_of(BoardId(2), home, &agencies, &added), [AgencyInvolved]);
        assert_eq!(grounds_of(BoardId(3), home, &agencies, &added), [AgencyInvolved, AddedLater]);
        assert_eq!(grounds_of(BoardId(4), home, &agencies, &added), [AddedLater]);
        assert_eq!(grounds_of(BoardId(5), home, &agencies, &added), [Named]);
    }

    #[test]
    fn a_board_is_added_once_never_the_lead_and_only_with_a_reason() {
        let (lead, partners) = (BoardId(1), [BoardId(2)]);
        let fields = |b: i32, reason: &str| -> Vec<String> {
            may_add(lead, &partners, BoardId(b), reason).into_iter().map(|e| e.field).collect()
        };
        assert!(fields(3, "Its health visitors saw the child.").is_empty());
        assert_eq!(fields(1, "Leads."), ["boardId"]);
        assert_eq!(fields(2, "Again."), ["boardId"]);
        assert_eq!(fields(3, "  "), ["reason"]);
        assert_eq!(fields(2, ""), ["boardId", "reason"]);
    }

    #[test]
    fn leaving_out_an_agencys_board_needs_a_reason_and_only_such_a_board_may_be_left_out() {
        let f = ResidenceFacts {
            looked_after_by: Some(BoardId(2)),
            normal_residence: BoardId(1),
            other_involved: vec![BoardId(3)],
            agency_boards: vec![BoardId(4), BoardId(3)],
        };
        let no_reason = settle(&f, &[LeftOut { board: BoardId(4), reason: "  ".into() }]).unwrap_err();
        assert_eq!(no_reason[0].field, "leftOutBoards.0.reason");
        let ok =
            settle(&f, &[LeftOut { board: BoardId(4), reason: "One health visit, records shared".into() }]).unwrap();
        assert_eq!(ok.partners, vec![BoardId(1), BoardId(3)]);
        // The home board, a named board and the lead are never left out.
        for (b, why) in [(1, "not proposed for its agencies alone"), (3, "named"), (2, "lead"), (9, "not proposed")] {
            let e = settle(&f, &[LeftOut { board: BoardId(b), reason: "because".into() }]).unwrap_err();
            assert_eq!(e[0].field, "leftOutBoards.0.boardId", "{why}");
        }
    }

    proptest! {
        #[test]
        fn the_lead_is_never_a_partner_and_every_involved_board_takes_part(
            la in proptest::option::of(0..5i32), home in 0..5i32, others in proptest::collection::vec(0..5i32, 0..6)
        ) {
            let f = ResidenceFacts { looked_after_by: la.map(BoardId), normal_residence: BoardId(home), other_involved: others.iter().copied().map(BoardId).collect(), agency_boards: vec![] };
            let r = lead_board(&f);
            prop_assert!(!r.partners.contains(&r.lead));
            for b in std::iter::once(home).chain(others) {
                prop_assert!(r.lead == BoardId(b) || r.partners.contains(&BoardId(b)));
            }
        }

        #[test]
        fn every_involved_agencys_board_is_a_partner_unless_left_out_with_a_reason(
            home in 0..5i32, agencies in proptest::collection::vec(0..5i32, 0..6), leave in proptest::collection::vec(0..5i32, 0..3)
        ) {
            let f = ResidenceFacts { looked_after_by: None, normal_residence: BoardId(home), other_involved: vec![], agency_boards: agencies.iter().copied().map(BoardId).collect() };
            let left: Vec<LeftOut> = leave.iter().map(|b| LeftOut { board: BoardId(*b), reason: "their agency saw the child once".into() }).collect();
            match settle(&f, &left) {
                Ok(r) => {
                    for b in &agencies {
                        let out = left.iter().any(|l| l.board.0 == *b);
                        prop_assert!(r.lead.0 == *b || out || r.partners.contains(&BoardId(*b)));
                        prop_assert!(!(out && r.partners.contains(&BoardId(*b))));
                    }
                }
                Err(e) => prop_assert!(!e.is_empty() && e.iter().all(|x| x.field.starts_with("leftOutBoards."))),
            }
            // Without reasons, nothing can be left out.
            let bare: Vec<LeftOut> = left.iter().map(|l| LeftOut { board: l.board, reason: " ".into() }).collect();
            if !bare.is_empty() {
                prop_assert!(settle(&f, &bare).is_err());
            }
        }
    }
}
