//! Tests of the access policy: its tables against each other and against the procedure.

use super::*;

#[test]
fn the_tables_have_one_row_per_capacity_in_order() {
    assert_eq!(FIELD_TABLE.iter().map(|(c, _)| *c).collect::<Vec<_>>(), Capacity::ALL);
    assert_eq!(OPERATION_TABLE.iter().map(|(c, _)| *c).collect::<Vec<_>>(), Capacity::ALL);
    assert_eq!(FIELD_TABLE[0].1.len(), Field::ALL.len());
    assert_eq!(OPERATION_TABLE[0].1.len(), Operation::ALL.len());
}

#[test]
fn the_system_administrator_reads_no_case_content_and_may_only_manage_users() {
    for f in Field::ALL {
        assert_eq!(field_access(Capacity::SystemAdministrator, *f), Access::Hidden, "{f:?}");
    }
    for op in Operation::ALL {
        assert_eq!(
            may(Capacity::SystemAdministrator, *op),
            matches!(op, Operation::ManageUsers | Operation::ManageOrganisations),
            "{op:?}"
        );
    }
}

#[test]
fn every_role_that_reads_names_in_full_needs_a_second_person_to_grant() {
    for role in Role::ALL {
        let reads = field_access(global_capacity(*role), Field::PersonName) == Access::Full;
        // A referrer reads the names of the referrals they made, and nothing else.
        if reads && *role != Role::Professional {
            assert!(grant_needs_second_person(*role), "{role:?}");
        }
    }
    assert_eq!(field_access(Capacity::SystemAdministrator, Field::PersonName), Access::Hidden);
    assert!(grant_needs_second_person(Role::SystemAdministrator), "the role that approves grants");
}

#[test]
fn external_capacities_never_read_a_real_identity() {
    for c in [
        Capacity::PartnerBoard,
        Capacity::Inspector,
        Capacity::ActionOwner,
        Capacity::PerformanceSubGroup,
        Capacity::ReportingAnalyst,
    ] {
        for f in [Field::PersonName, Field::PersonDateOfBirth, Field::PersonAddress, Field::ReferralCircumstances] {
            assert!(field_access(c, f) < Access::Full, "{c:?} {f:?}");
        }
        // Outside the board they act only on actions: an owner on their own, the
        // sub-group on closures.
        let allowed: &[Operation] = match c {
            Capacity::ActionOwner => &[Operation::UpdateAction],
            Capacity::PerformanceSubGroup => &[Operation::DecideClosure],
            _ => &[],
        };
        for op in Operation::ALL {
            assert_eq!(may(c, *op), allowed.contains(op), "{c:?} {op:?}");
        }
    }
}

/// Fields whose values include free text someone typed (which may hold names).
const FREE_TEXT: [Field; 17] = [
    Field::Findings,
    Field::ActionPlan,
    Field::Completion,
    Field::Imrs,
    Field::CombinedChronology,
    Field::OverviewReport,
    Field::ExecutiveSummary,
    Field::ParallelProcesses,
    Field::FamilyContributions,
    Field::ReferralCircumstances,
    Field::CriteriaAssessment,
    Field::Recommendation,
    Field::ChairDecision,
    Field::OfstedNotification,
    Field::SetupChecklist,
    Field::TermsOfReference,
    Field::Appointments,
];

#[test]
fn whoever_reads_names_pseudonymised_reads_no_free_text_in_full() {
    for c in Capacity::ALL {
        if field_access(*c, Field::PersonName) < Access::Full {
            for f in FREE_TEXT {
                assert!(
                    field_access(*c, f) < Access::Full,
                    "{c:?} would read {f:?} in full but names only pseudonymised"
                );
            }
        }
    }
}

#[test]
fn only_the_chair_decides_and_approves_and_only_the_panel_assesses() {
    let who = |op| Capacity::ALL.iter().copied().filter(|c| may(*c, op)).collect::<Vec<_>>();
    assert_eq!(who(Operation::DecideReview), [Capacity::BoardChair]);
    assert_eq!(who(Operation::ApproveTermsOfReference), [Capacity::BoardChair]);
    assert_eq!(who(Operation::RecordAssessment), [Capacity::InitialPanelMember]);
    assert_eq!(who(Operation::RecordOfstedNotification), [Capacity::BusinessManager]);
}

fn grants(v: &[(Role, Option<i32>, Option<i32>)]) -> Vec<Grant> {
    v.iter().map(|(r, b, a)| Grant { role: *r, board: b.map(BoardId), agency: a.map(AgencyId) }).collect()
}

fn scope<'a>(partners: &'a [BoardId], agencies: &'a [AgencyId], notified: bool) -> ReviewScope<'a> {
    ReviewScope {
        lead_board: BoardId(1),
        partner_boards: partners,
        involved_agencies: agencies,
        notified_to_ofsted: notified,
        referred_by: UserId(99),
    }
}

#[test]
fn row_scope_reasons_give_their_capacities() {
    let partners = [BoardId(2)];
    let agencies = [AgencyId(7)];
    let s = scope(&partners, &agencies, false);
    type Case = (Vec<Grant>, Vec<Assignment>, Vec<(Capacity, ScopeReason)>);
    let cases: Vec<Case> = vec![
        (grants(&[(Role::BoardChair, Some(1), None)]), vec![], vec![(Capacity::BoardChair, ScopeReason::BoardRole)]),
        (
            grants(&[(Role::BoardChair, Some(2), None)]),
            vec![],
            vec![(Capacity::PartnerBoard, ScopeReason::PartnerBoard)],
        ),
        (grants(&[(Role::BoardChair, Some(3), None)]), vec![], vec![]),
        (
            grants(&[(Role::PartnerBoard, Some(2), None)]),
            vec![],
            vec![(Capacity::PartnerBoard, ScopeReason::PartnerBoard)],
        ),
        (grants(&[(Role::PartnerBoard, Some(5), None)]), vec![], vec![]),
        (
            grants(&[(Role::AgencyManager, None, Some(7))]),
            vec![],
            vec![(Capacity::AgencyManager, ScopeReason::InvolvedAgencyManager)],
        ),
        (grants(&[(Role::AgencyManager, None, Some(8))]), vec![], vec![]),
        (grants(&[(Role::Inspector, None, None)]), vec![], vec![]),
        (grants(&[(Role::SystemAdministrator, None, None)]), vec![], vec![]),
        (
            grants(&[(Role::ReportingAnalyst, Some(1), None)]),
            vec![],
            vec![(Capacity::ReportingAnalyst, ScopeReason::BoardRole)],
        ),
        // A reporting analyst reports on their own board's reviews, not a partner's.
        (grants(&[(Role::ReportingAnalyst, Some(2), None)]), vec![], vec![]),
        (
            grants(&[(Role::Professional, None, Some(7))]),
            vec![Assignment::ImrAuthor],
            vec![(Capacity::ImrAuthor, ScopeReason::Assignment)],
        ),
    ];
    for (g, a, want) in cases {
        let v = Viewer { user: UserId(1), grants: &g, assignments: &a };
        assert_eq!(capacities(&v, &s), want, "{g:?} {a:?}");
    }
}

#[test]
fn an_inspector_sees_a_review_once_it_is_notified_to_ofsted() {
    let g = grants(&[(Role::Inspector, None, None)]);
    let v = Viewer { user: UserId(1), grants: &g, assignments: &[] };
    assert_eq!(capacities(&v, &scope(&[], &[], true)), vec![(Capacity::Inspector, ScopeReason::NotifiedToOfsted)]);
}

#[test]
fn the_referrer_sees_their_own_referral() {
    let v = Viewer { user: UserId(99), grants: &[], assignments: &[] };
    assert_eq!(capacities(&v, &scope(&[], &[], false)), vec![(Capacity::Referrer, ScopeReason::Referrer)]);
}

#[test]
fn the_best_access_across_capacities_wins() {
    assert_eq!(best_access(&[Capacity::PartnerBoard, Capacity::PanelMember], Field::PersonName), Access::Full);
    assert_eq!(best_access(&[Capacity::PartnerBoard], Field::PersonName), Access::Pseudonymised);
    assert_eq!(best_access(&[], Field::ReviewSummary), Access::Hidden);
}

#[test]
fn an_imr_author_sees_only_their_own_agencys_imr_and_the_panel_only_submitted_content() {
    let own = [AgencyId(3)];
    let author = [Capacity::ImrAuthor];
    assert_eq!(imr_view(&author, &own, AgencyId(3), false), ImrView::Content);
    assert_eq!(imr_view(&author, &own, AgencyId(4), true), ImrView::Hidden);
    assert_eq!(imr_view(&[Capacity::AgencyManager], &own, AgencyId(4), false), ImrView::Hidden);
    let panel = [Capacity::PanelMember];
    assert_eq!(imr_view(&panel, &[], AgencyId(4), false), ImrView::Status);
    assert_eq!(imr_view(&panel, &[], AgencyId(4), true), ImrView::Content);
    assert_eq!(imr_view(&[Capacity::Referrer], &[], AgencyId(4), true), ImrView::Hidden);
    // An author who also sits on the panel sees what the panel sees of other agencies.
    assert_eq!(imr_view(&[Capacity::PanelMember, Capacity::ImrAuthor], &own, AgencyId(4), false), ImrView::Status);
}

#[test]
fn only_the_overview_author_writes_the_report_and_only_authors_write_imrs() {
    let who = |op| Capacity::ALL.iter().copied().filter(|c| may(*c, op)).collect::<Vec<_>>();
    assert_eq!(who(Operation::EditOverviewReport), [Capacity::OverviewAuthor]);
    assert_eq!(who(Operation::WriteImr), [Capacity::ImrAuthor]);
    assert_eq!(who(Operation::DesignateImrAuthor), [Capacity::AgencyManager]);
    assert_eq!(who(Operation::RequestImr), [Capacity::BusinessManager]);
}

#[test]
fn an_action_owner_sees_only_their_own_actions() {
    assert!(action_visible(&[Capacity::ActionOwner], UserId(1), UserId(1)));
    assert!(!action_visible(&[Capacity::ActionOwner], UserId(1), UserId(2)));
    assert!(action_visible(&[Capacity::ActionOwner, Capacity::BusinessManager], UserId(1), UserId(2)));
    assert!(!action_visible(&[Capacity::Referrer], UserId(1), UserId(1)));
}

#[test]
fn closure_is_decided_by_the_board_not_by_owners() {
    let who = |op| Capacity::ALL.iter().copied().filter(|c| may(*c, op)).collect::<Vec<_>>();
    assert_eq!(who(Operation::DecideClosure), [Capacity::BusinessManager, Capacity::PerformanceSubGroup]);
    assert_eq!(who(Operation::UpdateAction), [Capacity::ActionOwner]);
    assert_eq!(who(Operation::Conclude), [Capacity::BoardChair]);
}

#[test]
fn the_reporting_analyst_reads_reports_and_takes_no_operation() {
    assert!(reads_reports(Capacity::ReportingAnalyst));
    assert!(!reads_reports(Capacity::PartnerBoard));
    for op in Operation::ALL {
        assert!(!may(Capacity::ReportingAnalyst, *op), "{op:?}");
    }
}

#[test]
fn global_operations_need_a_global_role() {
    assert!(may_globally(&[Role::Professional], Operation::SubmitReferral));
    assert!(!may_globally(&[Role::Inspector], Operation::SubmitReferral));
    assert!(may_globally(&[Role::SystemAdministrator], Operation::ManageUsers));
    assert!(!may_globally(&[Role::BoardChair], Operation::ManageUsers));
    assert!(!may_globally(&[Role::BoardChair], Operation::DecideReview));
}

#[test]
fn every_stage_move_goes_forward_from_where_the_operation_starts() {
    for p in crate::profile::PROFILES {
        for op in p.operations() {
            let earliest = p.allowed_in(op).and_then(|s| s.iter().filter_map(|x| p.position(*x)).min());
            for to in p.moves_to(op) {
                let to_at = p.position(*to).unwrap();
                assert!(earliest.is_none_or(|from| from <= to_at), "{:?}: {op:?} moves back to {to:?}", p.kind);
            }
        }
        // Each stage but the first is reached by an operation that names it.
        for stage in &p.stages[1..] {
            assert!(
                p.operations().any(|op| p.moves_to(op).contains(stage)),
                "{:?}: nothing moves to {stage:?}",
                p.kind
            );
        }
    }
}

#[test]
fn every_operation_belongs_to_a_procedure_and_the_new_route_to_no_2010_stage() {
    use crate::profile::{PRACTICE_REVIEW_2023, SERIOUS_CASE_REVIEW_2010};
    for op in Operation::ALL {
        assert!(crate::profile::PROFILES.iter().any(|p| p.has(*op)), "{op:?} belongs to no procedure");
    }
    for op in [Operation::NotifyNationalPanel, Operation::DecideRapidReview, Operation::CommissionReview] {
        assert!(PRACTICE_REVIEW_2023.has(op) && !SERIOUS_CASE_REVIEW_2010.has(op));
    }
    // Only the business manager notifies the National Panel; only the Chair decides for the partners.
    assert!(may(Capacity::BusinessManager, Operation::NotifyNationalPanel));
    assert!(!may(Capacity::BoardChair, Operation::NotifyNationalPanel));
    assert!(may(Capacity::BoardChair, Operation::DecideRapidReview));
    assert!(may(Capacity::AgencyManager, Operation::ReturnRapidReviewInformation));
    assert_eq!(field_access(Capacity::PartnerBoard, Field::RapidReview), Access::Pseudonymised);
    assert_eq!(field_access(Capacity::Referrer, Field::RapidReview), Access::Hidden);
}

#[test]
fn the_access_document_is_current() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../docs/ACCESS.md");
    let want = render_markdown();
    if std::env::var_os("SCR_UPDATE_DOCS").is_some() {
        std::fs::write(path, &want).unwrap();
    }
    let have = std::fs::read_to_string(path).unwrap_or_default();
    assert!(have == want, "docs/ACCESS.md is stale: run `SCR_UPDATE_DOCS=1 cargo test -p shared` and commit it");
}
