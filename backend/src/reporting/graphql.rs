//! The board's report in the schema: counts across reviews and learning themes.

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;

use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::request::{caller, state};

/// How often a learning theme was found across the reviews counted.
#[derive(SimpleObject)]
pub struct ThemeCount {
    pub theme: ThemeGql,
    /// Reviews with at least one finding on the theme.
    pub reviews: i32,
    pub findings: i32,
}

/// A labelled count, for a table or a bar of a chart.
#[derive(SimpleObject)]
pub struct Count {
    pub label: String,
    pub count: i32,
}

/// Deadlines met: decisions within 28 days of referral, submissions within 6 months of
/// the decision (by the original date, and by the date as extended).
#[derive(SimpleObject)]
pub struct TimelinessView {
    pub decisions: i32,
    pub decided_within_28_days: i32,
    pub submissions: i32,
    pub submitted_on_time: i32,
    pub submitted_on_time_with_extensions: i32,
    /// Decisions not made by the day judged and past their due date: already late,
    /// and counted against "within 28 days".
    pub decisions_overdue: i32,
    /// Reviews not submitted by the day judged and past their (extended) due date.
    pub submissions_overdue: i32,
}

/// One clock of the 2023 route across the reviews counted.
#[derive(SimpleObject)]
pub struct ClockView {
    pub kind: DeadlineKindGql,
    /// Met by the day judged.
    pub met: i32,
    /// Met by the original due date.
    pub met_on_time: i32,
    /// Unmet and past the due date on the day judged.
    pub overdue: i32,
}

#[derive(SimpleObject)]
pub struct ReportView {
    /// The reviews counted.
    pub reviews: i32,
    /// The reviews counted under each procedure (label: the procedure's name).
    pub reviews_by_procedure: Vec<Count>,
    pub timeliness: TimelinessView,
    /// The 2023 route's clocks: notifications to the National Panel within 5 working
    /// days, rapid reviews within 15, local reviews published within six months.
    pub clocks: Vec<ClockView>,
    pub overdue_imrs_by_agency: Vec<Count>,
    pub overdue_actions_by_agency: Vec<Count>,
    pub actions_by_status: Vec<Count>,
    pub open_actions_by_age: Vec<Count>,
    pub reviews_by_category: Vec<Count>,
    /// Learning themes across the reviews, the most widespread first.
    pub themes: Vec<ThemeCount>,
}

#[derive(Default)]
pub struct ReportQuery;

#[Object]
impl ReportQuery {
    /// The board's report across the reviews the caller reads as a board officer:
    /// counts only, for the board, the performance sub-group and reporting tools.
    async fn report(
        &self,
        ctx: &Context<'_>,
        #[graphql(desc = "The day the counts are judged at; today when left out.")] as_of: Option<NaiveDate>,
        #[graphql(desc = "Count the timeliness of deadlines originally due on or after this day.")] from: Option<
            NaiveDate,
        >,
        #[graphql(desc = "Count the timeliness of deadlines originally due on or before this day.")] to: Option<
            NaiveDate,
        >,
    ) -> GqlResult<ReportView> {
        let as_of = as_of.unwrap_or_else(crate::step::today);
        if let (Some(f), Some(t)) = (from, to)
            && f > t
        {
            return Err(crate::errors::ApiError::invalid(
                "from",
                "The start of the period must be on or before its end",
            )
            .into());
        }
        let period = crate::reporting::Period { from, to, as_of };
        let r = crate::reporting::report(&state(ctx)?.db, caller(ctx)?, period).await?;
        let counts = |v: Vec<(String, i32)>| v.into_iter().map(|(label, count)| Count { label, count }).collect();
        Ok(ReportView {
            reviews: r.reviews,
            reviews_by_procedure: r
                .reviews_by_procedure
                .into_iter()
                .map(|(k, count)| Count { label: k.title().to_owned(), count })
                .collect(),
            clocks: r
                .clocks
                .into_iter()
                .map(|c| ClockView { kind: c.kind.into(), met: c.met, met_on_time: c.met_on_time, overdue: c.overdue })
                .collect(),
            timeliness: TimelinessView {
                decisions: r.timeliness.decisions,
                decided_within_28_days: r.timeliness.decided_within_28_days,
                submissions: r.timeliness.submissions,
                submitted_on_time: r.timeliness.submitted_on_time,
                submitted_on_time_with_extensions: r.timeliness.submitted_on_time_with_extensions,
                decisions_overdue: r.timeliness.decisions_overdue,
                submissions_overdue: r.timeliness.submissions_overdue,
            },
            overdue_imrs_by_agency: counts(r.overdue_imrs_by_agency),
            overdue_actions_by_agency: counts(r.overdue_actions_by_agency),
            actions_by_status: r
                .actions_by_status
                .into_iter()
                .map(|(s, count)| Count { label: s.title().to_owned(), count })
                .collect(),
            open_actions_by_age: counts(r.open_actions_by_age),
            reviews_by_category: counts(r.reviews_by_category),
            themes: r
                .themes
                .into_iter()
                .map(|t| ThemeCount { theme: t.theme.into(), reviews: t.reviews, findings: t.findings })
                .collect(),
        })
    }
}
