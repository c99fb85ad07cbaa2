//! Independence rules for appointments (SPEC 3; 11.10.1; Appendix 3): functions that
//! return every reason an appointment fails, so the refusal can name them all.

use serde::{Deserialize, Serialize};

use crate::role::str_enum;

str_enum! {
    /// A post on a review whose holder must be independent.
    pub enum Post {
        IndependentPanelChair => "independent_panel_chair", "Independent SCR Panel chair";
        OverviewAuthor => "overview_author", "Independent overview author";
        ImrAuthor => "imr_author", "IMR author";
    }
}

/// What is known of the candidate, as it bears on independence.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Candidate {
    pub is_board_chair: bool,
    pub on_initial_panel: bool,
    pub on_scr_panel: bool,
    /// Holds a post on the board (chair, business manager, panel, sub-group).
    pub on_board: bool,
    /// Employed by an agency involved in the review.
    pub employed_by_involved_agency: bool,
    /// Declared direct involvement with the child or family (IMR authors).
    pub direct_involvement: bool,
    /// Line-manages practitioners in the case (IMR authors).
    pub line_manages_practitioners: bool,
}

str_enum! {
    /// One reason an appointment is refused.
    pub enum IndependenceFailure {
        IsBoardChair => "is_board_chair", "The Board Chair cannot hold this post (11.10.1)";
        OnInitialPanel => "on_initial_panel", "A member of the Initial SCR Panel cannot hold this post (11.10.1)";
        OnScrPanel => "on_scr_panel", "A member of the SCR Panel cannot hold this post (11.10.1)";
        OnBoard => "on_board", "Someone on the board cannot hold this post (Appendix 3)";
        EmployedByInvolvedAgency => "employed_by_involved_agency",
            "Someone employed by an agency involved in the review cannot hold this post (Appendix 3)";
        DirectInvolvement => "direct_involvement",
            "An IMR author must have had no direct involvement with the child or family (11.10.1)";
        LineManagesPractitioners => "line_manages_practitioners",
            "An IMR author must not line-manage practitioners in the case (11.10.1)";
    }
}

/// Every reason `c` may not hold `post`; empty when the appointment stands.
pub fn independence_failures(post: Post, c: &Candidate) -> Vec<IndependenceFailure> {
    use IndependenceFailure as F;
    let checks: &[(bool, F)] = match post {
        Post::IndependentPanelChair => &[
            (c.is_board_chair, F::IsBoardChair),
            (c.on_initial_panel, F::OnInitialPanel),
            (c.on_board, F::OnBoard),
            (c.employed_by_involved_agency, F::EmployedByInvolvedAgency),
        ],
        Post::OverviewAuthor => &[
            (c.is_board_chair, F::IsBoardChair),
            (c.on_initial_panel, F::OnInitialPanel),
            (c.on_scr_panel, F::OnScrPanel),
            (c.on_board, F::OnBoard),
            (c.employed_by_involved_agency, F::EmployedByInvolvedAgency),
        ],
        Post::ImrAuthor => {
            &[(c.direct_involvement, F::DirectInvolvement), (c.line_manages_practitioners, F::LineManagesPractitioners)]
        }
    };
    checks.iter().filter(|(fails, _)| *fails).map(|(_, f)| *f).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use IndependenceFailure as F;

    #[test]
    fn an_independent_outsider_may_hold_every_post() {
        for p in Post::ALL {
            assert!(independence_failures(*p, &Candidate::default()).is_empty());
        }
    }

    #[test]
    fn each_conflict_refuses_the_overview_author_with_its_own_reason() {
        let cases = [
            (Candidate { is_board_chair: true, ..Default::default() }, F::IsBoardChair),
            (Candidate { on_initial_panel: true, ..Default::default() }, F::OnInitialPanel),
            (Candidate { on_scr_panel: true, ..Default::default() }, F::OnScrPanel),
            (Candidate { on_board: true, ..Default::default() }, F::OnBoard),
            (Candidate { employed_by_involved_agency: true, ..Default::default() }, F::EmployedByInvolvedAgency),
        ];
        for (c, want) in cases {
            assert_eq!(independence_failures(Post::OverviewAuthor, &c), vec![want]);
        }
    }

    #[test]
    fn the_panel_chair_chairs_the_scr_panel_so_membership_of_it_is_no_conflict() {
        let c = Candidate { on_scr_panel: true, ..Default::default() };
        assert!(independence_failures(Post::IndependentPanelChair, &c).is_empty());
        let c = Candidate { employed_by_involved_agency: true, on_board: true, ..Default::default() };
        assert_eq!(
            independence_failures(Post::IndependentPanelChair, &c),
            vec![F::OnBoard, F::EmployedByInvolvedAgency]
        );
    }

    #[test]
    fn an_imr_author_fails_on_involvement_or_line_management_but_may_work_for_the_agency() {
        let c = Candidate { employed_by_involved_agency: true, ..Default::default() };
        assert!(independence_failures(Post::ImrAuthor, &c).is_empty());
        let c = Candidate { direct_involvement: true, line_manages_practitioners: true, ..Default::default() };
        assert_eq!(independence_failures(Post::ImrAuthor, &c), vec![F::DirectInvolvement, F::LineManagesPractitioners]);
    }
}
