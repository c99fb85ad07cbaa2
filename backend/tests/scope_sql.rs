//! Row scope decided in the database agrees with the policy function, on both
//! databases: random boards, agencies, partner boards, involved agencies, assignments,
//! referrers, notifications and role grants (sensible or not), and for every (caller,
//! review, capacity) the condition `access::holding` finds the review exactly when
//! `policy::capacities` gives the caller that capacity on it; `access::in_scope`
//! finds exactly the reviews with any capacity. The two cannot drift apart.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, BTreeSet};

use backend::access;
use backend::context::Caller;
use backend::entities::*;
use common::{Backend, TestApp};
use proptest::prelude::*;
use proptest::strategy::ValueTree;
use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use shared::policy::Grant;
use shared::role::{Assignment, Capacity, Role};
use shared::{AgencyId, BoardId};

/// How many random worlds each database is tried with.
const CASES: usize = 24;
const REVIEWS: usize = 10;

/// A role granted for a board and an agency (indexes into the pools), either optional.
type GrantPlan = (Role, Option<usize>, Option<usize>);

#[derive(Debug, Clone)]
struct World {
    reviews: Vec<ReviewPlan>,
    callers: Vec<Vec<GrantPlan>>,
}

#[derive(Debug, Clone)]
struct ReviewPlan {
    lead: usize,
    partners: Vec<usize>,
    agencies: Vec<usize>,
    notified: bool,
    referrer: usize,
    /// (person, assignment, agency)
    assignments: Vec<(usize, usize, Option<usize>)>,
}

/// Indexes into the pools of boards, agencies and people of the database.
fn world(boards: usize, agencies: usize, people: usize, callers: usize) -> impl Strategy<Value = World> {
    let review = (
        0..boards,
        proptest::collection::vec(0..boards, 0..3),
        proptest::collection::vec(0..agencies, 0..4),
        any::<bool>(),
        0..people,
        proptest::collection::vec((0..callers, 0..Assignment::ALL.len(), proptest::option::of(0..agencies)), 0..4),
    )
        .prop_map(|(lead, partners, agencies, notified, referrer, assignments)| ReviewPlan {
            lead,
            partners,
            agencies,
            notified,
            referrer,
            assignments,
        });
    let grant = (0..Role::ALL.len(), proptest::option::of(0..boards), proptest::option::of(0..agencies))
        .prop_map(|(r, b, a)| (Role::ALL[r], b, a));
    (
        proptest::collection::vec(review, REVIEWS),
        proptest::collection::vec(proptest::collection::vec(grant, 0..4), callers),
    )
        .prop_map(|(reviews, callers)| World { reviews, callers })
}

async fn policy_and_sql_agree_on_every_caller_review_and_capacity(b: Backend) {
    let app = TestApp::spawn(b).await;
    let db = &app.db;
    let boards: Vec<i32> =
        board::Entity::find().order_by_asc(board::Column::Id).all(db).await.unwrap().iter().map(|x| x.id).collect();
    let agencies: Vec<i32> =
        agency::Entity::find().order_by_asc(agency::Column::Id).all(db).await.unwrap().iter().map(|x| x.id).collect();
    let people: Vec<user::Model> = user::Entity::find().order_by_asc(user::Column::Id).all(db).await.unwrap();
    let callers = 4.min(people.len());
    assert!(boards.len() >= 2 && agencies.len() >= 3 && callers >= 2, "the demo has boards, agencies and people");

    let mut runner = TestRunner::new_with_rng(
        Config { failure_persistence: None, ..Config::default() },
        TestRng::deterministic_rng(RngAlgorithm::ChaCha),
    );
    let strategy = world(boards.len(), agencies.len(), people.len(), callers);
    let mut pairs = 0usize;
    let mut in_scope_pairs = 0usize;
    for case in 0..CASES {
        let w = strategy.new_tree(&mut runner).expect("a world").current();
        // The world's reviews.
        let mut ids = Vec::new();
        for (i, r) in w.reviews.iter().enumerate() {
            let now = chrono::Utc::now();
            let row = review::ActiveModel {
                reference: Set(format!("PROP-{case}-{i}")),
                stage: Set("referral".into()),
                lead_board_id: Set(boards[r.lead]),
                referred_by: Set(people[r.referrer].id),
                referred_on: Set(now.date_naive()),
                decided_on: Set(None),
                notified_to_ofsted: Set(r.notified),
                version: Set(1),
                created_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            }
            .insert(db)
            .await
            .unwrap();
            ids.push(row.id);
            // The lead board's row, and a row for each partner board.
            let mut linked: BTreeMap<i32, bool> = r.partners.iter().map(|p| (boards[*p], false)).collect();
            linked.insert(boards[r.lead], true);
            for (board_id, is_lead) in linked {
                review_board::ActiveModel {
                    review_id: Set(row.id),
                    board_id: Set(board_id),
                    is_lead: Set(is_lead),
                    ..Default::default()
                }
                .insert(db)
                .await
                .unwrap();
            }
            for a in r.agencies.iter().collect::<BTreeSet<_>>() {
                review_agency::ActiveModel {
                    review_id: Set(row.id),
                    agency_id: Set(agencies[*a]),
                    ..Default::default()
                }
                .insert(db)
                .await
                .unwrap();
            }
            // One of each kind per person and review, as the schema holds them.
            let once: BTreeMap<(usize, usize), Option<usize>> =
                r.assignments.iter().map(|(p, k, a)| ((*p, *k), *a)).collect();
            for ((person, kind), agency) in &once {
                review_assignment::ActiveModel {
                    review_id: Set(row.id),
                    user_id: Set(people[*person].id),
                    assignment: Set(Assignment::ALL[*kind].as_str().to_owned()),
                    agency_id: Set(agency.map(|a| agencies[a])),
                    appointed_by: Set(people[0].id),
                    appointed_at: Set(now),
                    ..Default::default()
                }
                .insert(db)
                .await
                .unwrap();
            }
        }
        let rows = review::Entity::find().filter(review::Column::Id.is_in(ids.clone())).all(db).await.unwrap();

        for (n, grants) in w.callers.iter().enumerate() {
            let caller = Caller {
                user: people[n].clone(),
                grants: grants
                    .iter()
                    .map(|(role, b, a)| Grant {
                        role: *role,
                        board: b.map(|b| BoardId(boards[b])),
                        agency: a.map(|a| AgencyId(agencies[a])),
                    })
                    .collect(),
                session: None,
            };
            // The policy function, the decider.
            let decided: BTreeMap<i32, BTreeSet<Capacity>> = access::for_reviews(db, &caller, &rows)
                .await
                .unwrap()
                .into_iter()
                .map(|a| (a.review.id, a.capacities.into_iter().collect()))
                .collect();
            // The same in SQL, capacity by capacity.
            let found = |cond: sea_orm::Condition| {
                let ids = ids.clone();
                async move {
                    review::Entity::find()
                        .filter(review::Column::Id.is_in(ids))
                        .filter(cond)
                        .all(db)
                        .await
                        .unwrap()
                        .into_iter()
                        .map(|r| r.id)
                        .collect::<BTreeSet<i32>>()
                }
            };
            let scope = found(access::in_scope(&caller)).await;
            let expected: BTreeSet<i32> = decided.keys().copied().collect();
            assert_eq!(scope, expected, "scope of caller {n} with {grants:?} in world {case}: {w:?}");
            for c in Capacity::ALL.iter().copied() {
                let holding = found(access::holding(&caller, |x| x == c)).await;
                let expected: BTreeSet<i32> =
                    decided.iter().filter(|(_, caps)| caps.contains(&c)).map(|(id, _)| *id).collect();
                assert_eq!(holding, expected, "{c:?} for caller {n} with {grants:?} in world {case}: {w:?}");
            }
            pairs += ids.len();
            in_scope_pairs += scope.len();
        }
    }
    // The worlds were varied enough to mean something: some pairs in scope, some out.
    assert!(in_scope_pairs > pairs / 10 && in_scope_pairs < pairs * 9 / 10, "{in_scope_pairs} of {pairs} in scope");
}

on_both_databases!(policy_and_sql_agree_on_every_caller_review_and_capacity);

/// On PostgreSQL, a page of the Chair's reviews, newest referral first, is read through
/// the index of that order (and stops at the page's end) rather than by scanning and
/// sorting every review; sequential scans are priced out so that the plan shows what
/// the indexes allow, whatever the size of this test's tables.
#[tokio::test]
async fn a_page_of_reviews_is_read_in_index_order_on_postgres() {
    use sea_orm::{ConnectionTrait, QuerySelect, QueryTrait, Statement, TransactionTrait};
    let app = TestApp::spawn(Backend::Postgres).await;
    let db = &app.db;
    backend::seed::synthetic::seed(db, 60, 1, || {}).await.unwrap();
    let chair =
        user::Entity::find().filter(user::Column::Email.eq("chair@scr.example")).one(db).await.unwrap().unwrap();
    let grants = role_grant::Entity::find().filter(role_grant::Column::UserId.eq(chair.id)).all(db).await.unwrap();
    let caller = Caller {
        user: chair,
        grants: grants
            .iter()
            .map(|g| Grant {
                role: Role::parse(&g.role).unwrap(),
                board: g.board_id.map(BoardId),
                agency: g.agency_id.map(AgencyId),
            })
            .collect(),
        session: None,
    };
    let page = review::Entity::find()
        .filter(access::in_scope(&caller))
        .order_by_desc(review::Column::ReferredOn)
        .order_by_desc(review::Column::Id)
        .limit(50)
        .build(sea_orm::DbBackend::Postgres);
    let txn = db.begin().await.unwrap();
    txn.execute_unprepared("SET LOCAL enable_seqscan = off").await.unwrap();
    let plan: Vec<String> = txn
        .query_all_raw(Statement::from_sql_and_values(
            sea_orm::DbBackend::Postgres,
            format!("EXPLAIN {}", page.sql),
            page.values.map(|v| v.0).unwrap_or_default(),
        ))
        .await
        .unwrap()
        .iter()
        .map(|r| r.try_get_by_index::<String>(0).unwrap())
        .collect();
    txn.rollback().await.unwrap();
    let plan = plan.join("\n");
    assert!(plan.contains("ix_reviews_referred_on"), "{plan}");
    assert!(!plan.contains("Seq Scan on reviews") && !plan.contains("Sort"), "{plan}");
}
