//! The board's reports across reviews (SPEC 6): timeliness, overdue IMRs and actions
//! by agency, actions by status and age, reviews by criteria category. Counts only:
//! no name, no free text, so the pseudonymised performance sub-group and reporting
//! tools read them like the board does. The same few statements whatever the number of
//! reviews (the reporting benchmark counts them).

pub mod graphql;

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::sea_query::Query;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use shared::completion::ActionStatus;
use shared::deadline::DeadlineKind;
use shared::findings::Theme;
use shared::imr::ImrStatus;
use shared::policy::reads_reports;

use crate::access;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeliness {
    pub decisions: i32,
    pub decided_within_28_days: i32,
    pub submissions: i32,
    /// Submitted by the original six-month date.
    pub submitted_on_time: i32,
    /// Submitted by the date as extended with the Chair's consent.
    pub submitted_on_time_with_extensions: i32,
    /// Decisions not made by the day judged, past their due date: late already.
    pub decisions_overdue: i32,
    /// Reviews not submitted by the day judged, past their (extended) due date.
    pub submissions_overdue: i32,
}

/// Which deadlines the timeliness counts: those whose original due date falls in the
/// period (every one when none is given), judged as they stood at the end of `as_of`.
#[derive(Debug, Clone, Copy)]
pub struct Period {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub as_of: NaiveDate,
}

impl Period {
    /// Every deadline, judged today.
    pub fn all(as_of: NaiveDate) -> Self {
        Period { from: None, to: None, as_of }
    }

    fn holds(&self, due: NaiveDate) -> bool {
        self.from.is_none_or(|f| due >= f) && self.to.is_none_or(|t| due <= t)
    }
}

/// How one clock of a procedure has gone: met, met by its original date, and past its
/// date unmet on the day judged.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    pub kind: DeadlineKind,
    pub met: i32,
    pub met_on_time: i32,
    pub overdue: i32,
}

/// The clocks of the 2023 route the report counts: notifications to the National Panel,
/// rapid reviews, local reviews' publication.
pub const PRACTICE_REVIEW_CLOCKS: [DeadlineKind; 3] =
    [DeadlineKind::IncidentNotification, DeadlineKind::RapidReview, DeadlineKind::LocalReviewPublication];

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub reviews: i32,
    /// The reviews counted under each procedure.
    pub reviews_by_procedure: Vec<(shared::profile::ProfileKind, i32)>,
    pub timeliness: Timeliness,
    /// The 2023 route's clocks, each counted as the 2010 ones are.
    pub clocks: Vec<Clock>,
    pub overdue_imrs_by_agency: Vec<(String, i32)>,
    pub overdue_actions_by_agency: Vec<(String, i32)>,
    pub actions_by_status: Vec<(ActionStatus, i32)>,
    /// Open actions by months since they were agreed: "under 3", "3 to 6", "6 to 12", "over 12".
    pub open_actions_by_age: Vec<(String, i32)>,
    pub reviews_by_category: Vec<(String, i32)>,
    /// Learning themes, the most widespread first; only themes found at least once.
    pub themes: Vec<ThemeCount>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ThemeCount {
    pub theme: Theme,
    /// Reviews with at least one finding on the theme.
    pub reviews: i32,
    pub findings: i32,
}

fn age_bucket(created: NaiveDate, today: NaiveDate) -> &'static str {
    match (today - created).num_days() {
        d if d < 91 => "under 3 months",
        d if d < 183 => "3 to 6 months",
        d if d < 366 => "6 to 12 months",
        _ => "over 12 months",
    }
}

/// The report over every review the caller reads as a board officer; `FORBIDDEN` for
/// anyone who is one on none.
pub async fn report(db: &DatabaseConnection, caller: &Caller, period: Period) -> ApiResult<Report> {
    let today = period.as_of;
    let reviews = review::Entity::find().filter(access::in_scope(caller)).all(db).await?;
    let ids: Vec<i32> = access::for_reviews(db, caller, &reviews)
        .await?
        .into_iter()
        .filter(|a| a.capacities.iter().any(|c| reads_reports(*c)))
        .map(|a| a.review.id)
        .collect();
    if ids.is_empty() && !caller.grants.iter().any(|g| reads_reports(shared::policy::global_capacity(g.role))) {
        return Err(ApiError::Forbidden("the board's reports".into()));
    }
    let deadlines = deadline::Entity::find().filter(deadline::Column::ReviewId.is_in(ids.clone())).all(db).await?;
    let imrs = imr::Entity::find().filter(imr::Column::ReviewId.is_in(ids.clone())).all(db).await?;
    let actions = action::Entity::find().filter(action::Column::ReviewId.is_in(ids.clone())).all(db).await?;
    let assessments = criteria_assessment::Entity::find()
        .filter(criteria_assessment::Column::ReviewId.is_in(ids.clone()))
        .all(db)
        .await?;
    let findings: Vec<(i32, i32)> = finding::Entity::find()
        .select_only()
        .columns([finding::Column::Id, finding::Column::ReviewId])
        .filter(finding::Column::ReviewId.is_in(ids.clone()))
        .into_tuple()
        .all(db)
        .await?;
    let tags = finding_theme::Entity::find()
        .filter(
            finding_theme::Column::FindingId.in_subquery(
                Query::select()
                    .column(finding::Column::Id)
                    .from(finding::Entity)
                    .and_where(finding::Column::ReviewId.is_in(ids.clone()))
                    .to_owned(),
            ),
        )
        .all(db)
        .await?;
    let agencies: BTreeMap<i32, String> =
        agency::Entity::find().all(db).await?.into_iter().map(|a| (a.id, a.name)).collect();
    let name = |id: i32| agencies.get(&id).cloned().unwrap_or_else(|| format!("Agency {id}"));

    let mut by_procedure: BTreeMap<shared::profile::ProfileKind, i32> = BTreeMap::new();
    for r in reviews.iter().filter(|r| ids.contains(&r.id)) {
        *by_procedure.entry(access::profile_of(r)?.kind).or_default() += 1;
    }
    let mut clocks: Vec<Clock> =
        PRACTICE_REVIEW_CLOCKS.iter().map(|k| Clock { kind: *k, met: 0, met_on_time: 0, overdue: 0 }).collect();
    let mut t = Timeliness::default();
    for d in deadlines.iter().filter(|d| period.holds(d.original_due_on)) {
        // A deadline met after the day judged was still open on it.
        let met = d.met_on.filter(|m| *m <= today);
        if let Some(c) = clocks.iter_mut().find(|c| c.kind.as_str() == d.kind) {
            c.met += i32::from(met.is_some());
            c.met_on_time += i32::from(met.is_some_and(|m| m <= d.original_due_on));
            c.overdue += i32::from(met.is_none() && d.due_on < today);
        }
        let late_already = met.is_none() && d.due_on < today;
        if d.kind == DeadlineKind::ChairDecision.as_str() {
            if let Some(met) = met {
                t.decisions += 1;
                t.decided_within_28_days += i32::from(met <= d.original_due_on);
            }
            t.decisions_overdue += i32::from(late_already);
        } else if d.kind == DeadlineKind::Completion.as_str() {
            if let Some(met) = met {
                t.submissions += 1;
                t.submitted_on_time += i32::from(met <= d.original_due_on);
                t.submitted_on_time_with_extensions += i32::from(met <= d.due_on);
            }
            t.submissions_overdue += i32::from(late_already);
        }
    }
    let mut overdue_imrs: BTreeMap<String, i32> = BTreeMap::new();
    for i in &imrs {
        let done = crate::stored::value("IMR status", &i.status, ImrStatus::parse)?.is_submitted();
        if !done && i.due_on < today {
            *overdue_imrs.entry(name(i.agency_id)).or_default() += 1;
        }
    }
    let mut overdue_actions: BTreeMap<String, i32> = BTreeMap::new();
    let mut by_status: BTreeMap<ActionStatus, i32> = ActionStatus::ALL.iter().map(|s| (*s, 0)).collect();
    let mut by_age: Vec<(String, i32)> =
        ["under 3 months", "3 to 6 months", "6 to 12 months", "over 12 months"].map(|b| (b.to_owned(), 0)).to_vec();
    for a in &actions {
        let status = crate::stored::value("action status", &a.status, ActionStatus::parse)?;
        *by_status.entry(status).or_default() += 1;
        if status != ActionStatus::Implemented {
            if a.due_on < today {
                *overdue_actions.entry(name(a.agency_id)).or_default() += 1;
            }
            let bucket = age_bucket(a.created_at.date_naive(), today);
            if let Some(slot) = by_age.iter_mut().find(|(b, _)| b == bucket) {
                slot.1 += 1;
            }
        }
    }
    // The panel's latest view of the criteria, one per review.
    let mut latest: BTreeMap<i32, &criteria_assessment::Model> = BTreeMap::new();
    for c in &assessments {
        let keep = latest.get(&c.review_id).is_none_or(|x| c.id > x.id);
        if keep {
            latest.insert(c.review_id, c);
        }
    }
    let mut by_category: BTreeMap<String, i32> = BTreeMap::new();
    for c in latest.values() {
        let title = crate::stored::value("criteria category", &c.category, shared::criteria::Category::parse)?
            .title()
            .to_owned();
        *by_category.entry(title).or_default() += 1;
    }
    let not_assessed = ids.len() as i32 - latest.len() as i32;
    if not_assessed > 0 {
        by_category.insert("Not yet assessed".to_owned(), not_assessed);
    }
    let review_of: BTreeMap<i32, i32> = findings.into_iter().collect();
    let mut by_theme: BTreeMap<Theme, (std::collections::BTreeSet<i32>, i32)> = BTreeMap::new();
    for t in &tags {
        let Some(review) = review_of.get(&t.finding_id) else { continue };
        let theme = crate::stored::value("finding theme", &t.theme, Theme::parse)?;
        let slot = by_theme.entry(theme).or_default();
        slot.0.insert(*review);
        slot.1 += 1;
    }
    let mut themes: Vec<ThemeCount> = by_theme
        .into_iter()
        .map(|(theme, (reviews, findings))| ThemeCount { theme, reviews: reviews.len() as i32, findings })
        .collect();
    themes.sort_by_key(|t| (-t.reviews, -t.findings, t.theme));
    Ok(Report {
        reviews: ids.len() as i32,
        reviews_by_procedure: by_procedure.into_iter().collect(),
        timeliness: t,
        clocks,
        overdue_imrs_by_agency: overdue_imrs.into_iter().collect(),
        overdue_actions_by_agency: overdue_actions.into_iter().collect(),
        actions_by_status: by_status.into_iter().collect(),
        open_actions_by_age: by_age,
        reviews_by_category: by_category.into_iter().collect(),
        themes,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_actions_fall_into_age_buckets_by_months_since_agreed() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(age_bucket(d(2026, 1, 1), d(2026, 2, 1)), "under 3 months");
        assert_eq!(age_bucket(d(2026, 1, 1), d(2026, 5, 1)), "3 to 6 months");
        assert_eq!(age_bucket(d(2025, 6, 1), d(2026, 3, 1)), "6 to 12 months");
        assert_eq!(age_bucket(d(2024, 1, 1), d(2026, 1, 1)), "over 12 months");
    }
}
