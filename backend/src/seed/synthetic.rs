//! `scr seed-synthetic --reviews N`: data at scale for load and benchmark runs. On top
//! of the demo board and its users, each review is referred through the decision phase's steps (so
//! its people, agencies and deadlines are as real ones are), then placed at a stage,
//! round the whole procedure, with what that stage holds written in batches: IMRs and
//! their chronologies from "IMRs requested" on, findings from the analysis, actions from
//! action planning, and deadlines met, overdue or running. Names are made up
//! ("Synthetic Child 12") and never those of the demo's families.

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use shared::stage::{Relationship, Stage};

use crate::decision::NewReferral;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::register::NewPerson;

/// What was written.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Written {
    pub reviews: usize,
    pub imrs: usize,
    pub entries: usize,
    pub actions: usize,
}

fn person(relationship: Relationship, name: String) -> NewPerson {
    NewPerson { relationship, label: None, name, aliases: vec![], date_of_birth: None, address: None, agency_id: None }
}

/// Writes `reviews` reviews with `entries_per_imr` chronology entries in each of
/// their IMRs; `tick` is called after each review (for a progress bar).
pub async fn seed(
    db: &DatabaseConnection,
    reviews: usize,
    entries_per_imr: usize,
    mut tick: impl FnMut(),
) -> ApiResult<Written> {
    crate::seed::seed_demo(db).await?;
    let referrer = crate::seed::caller(db, "professional@scr.example").await?;
    let owner = referrer.user.id;
    let board = board::Entity::find().all(db).await?.first().map(|b| b.id).ok_or(ApiError::NotFound)?;
    let agencies: Vec<i32> = agency::Entity::find()
        .filter(agency::Column::BoardId.eq(board))
        .all(db)
        .await?
        .iter()
        .take(3)
        .map(|a| a.id)
        .collect();
    let first = review::Entity::find().all(db).await?.len();
    // Every stage a review of the 2010 procedure can be at, in order, so that N reviews
    // cover them all (the board runs the 2010 procedure).
    let stages: Vec<Stage> = shared::profile::SERIOUS_CASE_REVIEW_2010
        .stages
        .iter()
        .copied()
        .filter(|s| *s != Stage::ClosedWithoutReview)
        .collect();
    let today = Utc::now().date_naive();
    let mut w = Written::default();
    for i in first..first + reviews {
        let id = crate::decision::submit_referral(
            db,
            &referrer,
            NewReferral {
                child: person(Relationship::Child, format!("Synthetic Child {i}")),
                family: vec![
                    person(Relationship::Mother, format!("Synthetic Mother {i}")),
                    person(Relationship::Father, format!("Synthetic Father {i}")),
                ],
                circumstances: format!("A synthetic case, number {i}, for runs at scale."),
                facts: Default::default(),
                normal_residence_board_id: board,
                looked_after_by_board_id: None,
                other_involved_board_ids: vec![],
                involved_agency_ids: agencies.clone(),
                left_out_boards: vec![],
                received_on: None,
            },
        )
        .await?;
        let stage = stages[i % stages.len()];
        review::Entity::update_many()
            .col_expr(review::Column::Stage, Expr::value(stage.as_str()))
            .col_expr(review::Column::DecidedOn, Expr::value((stage >= Stage::Decided).then_some(today)))
            .filter(review::Column::Id.eq(id))
            .exec(db)
            .await?;
        // Deadlines: a third met on time, a third overdue, a third running.
        let (due, met) = match i % 3 {
            0 => (today - Duration::days(5), Some(today - Duration::days(8))),
            1 => (today - Duration::days(10), None),
            _ => (today + Duration::days(20), None),
        };
        deadline::Entity::update_many()
            .col_expr(deadline::Column::DueOn, Expr::value(due))
            .col_expr(deadline::Column::OriginalDueOn, Expr::value(due))
            .col_expr(deadline::Column::MetOn, Expr::value(met))
            .filter(deadline::Column::ReviewId.eq(id))
            .exec(db)
            .await?;
        if stage >= Stage::ImrsRequested {
            let people: Vec<i32> = person::Entity::find()
                .filter(person::Column::ReviewId.eq(id))
                .all(db)
                .await?
                .iter()
                .map(|p| p.id)
                .collect();
            let status = if stage >= Stage::ImrsSubmitted { "accepted" } else { "in_progress" };
            for (k, agency) in agencies.iter().enumerate() {
                let imr = imr_row(db, id, *agency, status, owner, today).await?;
                w.imrs += 1;
                let event = |n: usize| format!("Contact {n} with the family.");
                w.entries += entries(db, id, imr, *agency, &people, entries_per_imr, i + k, &event).await?;
            }
        }
        if stage >= Stage::Analysis {
            let f = finding::Entity::insert(finding::ActiveModel {
                review_id: Set(id),
                text: Set(format!("Synthetic finding for case {i}.")),
                recorded_by: Set(owner),
                recorded_at: Set(Utc::now()),
                ..Default::default()
            })
            .exec(db)
            .await?
            .last_insert_id;
            let theme = shared::findings::Theme::ALL[i % shared::findings::Theme::ALL.len()];
            finding_theme::Entity::insert(finding_theme::ActiveModel {
                finding_id: Set(f),
                theme: Set(theme.as_str().to_owned()),
                ..Default::default()
            })
            .exec(db)
            .await?;
        }
        if stage >= Stage::ActionPlanning {
            w.actions += actions(db, id, &agencies, owner, today, i).await?;
        }
        w.reviews += 1;
        tick();
    }
    Ok(w)
}

/// An IMR of `agency_id` on the review, at `status` ("accepted" ones submitted and
/// decided); returns its id.
pub async fn imr_row(
    db: &DatabaseConnection,
    review_id: i32,
    agency_id: i32,
    status: &str,
    requested_by: i32,
    today: NaiveDate,
) -> ApiResult<i32> {
    let now = Utc::now();
    let submitted = status == "accepted";
    Ok(imr::Entity::insert(imr::ActiveModel {
        review_id: Set(review_id),
        agency_id: Set(agency_id),
        status: Set(status.to_owned()),
        due_on: Set(today + Duration::days(42)),
        requested_by: Set(requested_by),
        requested_at: Set(now),
        author_id: Set(None),
        designated_by: Set(None),
        declared_at: Set(Some(now)),
        version: Set(1),
        content: Set(serde_json::to_string(&shared::imr::Content::default()).map_err(ApiError::internal)?),
        submitted_at: Set(submitted.then_some(now)),
        panel_comments: Set(None),
        decided_by: Set(None),
        decided_at: Set(submitted.then_some(now)),
        updated_at: Set(now),
        ..Default::default()
    })
    .exec(db)
    .await?
    .last_insert_id)
}

/// Adds `count` entries to an IMR in batches, spread over three years from 2022 (where
/// in them is shifted by `seed`), about `people`, the `n`th saying `event(n)`.
#[allow(clippy::too_many_arguments)]
pub async fn entries(
    db: &DatabaseConnection,
    review_id: i32,
    imr_id: i32,
    agency_id: i32,
    people: &[i32],
    count: usize,
    seed: usize,
    event: &dyn Fn(usize) -> String,
) -> ApiResult<usize> {
    let start = NaiveDate::from_ymd_opt(2022, 1, 1).ok_or(ApiError::NotFound)?;
    let people_json = serde_json::to_string(people).map_err(ApiError::internal)?;
    let mut batch = Vec::with_capacity(500);
    for n in 0..count {
        batch.push(chronology_entry::ActiveModel {
            review_id: Set(review_id),
            imr_id: Set(imr_id),
            agency_id: Set(agency_id),
            on_date: Set(start + Duration::days(((n * 7 + seed * 3) % 1100) as i64)),
            at_time: Set(None),
            precision: Set("exact".into()),
            sequence: Set(0),
            practitioner_role: Set(["Health visitor", "Social worker", "Police officer"][n % 3].into()),
            event: Set(event(n)),
            decision_or_action: Set("Recorded and shared.".into()),
            child_seen: Set(n % 2 == 0),
            seen_alone: Set(n % 5 == 0),
            wishes_sought: Set(n % 7 == 0),
            perpetrator_contact: Set(n % 11 == 0),
            source: Set(format!("Record {n}")),
            people: Set(people_json.clone()),
            version: Set(1),
            updated_at: Set(Utc::now()),
            ..Default::default()
        });
        if batch.len() == 500 {
            chronology_entry::Entity::insert_many(std::mem::take(&mut batch)).exec(db).await?;
        }
    }
    if !batch.is_empty() {
        chronology_entry::Entity::insert_many(batch).exec(db).await?;
    }
    Ok(count)
}

async fn actions(
    db: &DatabaseConnection,
    review_id: i32,
    agencies: &[i32],
    owner: i32,
    today: NaiveDate,
    seed: usize,
) -> ApiResult<usize> {
    let now = Utc::now();
    let rows: Vec<action::ActiveModel> = (0..3)
        .map(|k| action::ActiveModel {
            review_id: Set(review_id),
            recommendation: Set(format!("Synthetic action {k} of case {seed}")),
            agency_id: Set(agencies[k % agencies.len()]),
            owner_id: Set(owner),
            due_on: Set(today + Duration::days(k as i64 * 40 - 30)),
            intended_outcome: Set("The practice changes".into()),
            success_measure: Set("An audit of ten cases".into()),
            status: Set(["open", "closure_requested", "implemented"][(seed + k) % 3].into()),
            signed_up_by: Set(None),
            signed_up_at: Set(None),
            closure_comment: Set(None),
            closed_by: Set(None),
            closed_at: Set(None),
            reaudit_on: Set(None),
            reaudit_result: Set(None),
            version: Set(1),
            created_at: Set(now - Duration::days((seed % 400) as i64)),
            ..Default::default()
        })
        .collect();
    let n = rows.len();
    action::Entity::insert_many(rows).exec(db).await?;
    Ok(n)
}
