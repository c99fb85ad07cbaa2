//! The people of a review in the schema: people, ties, households, parallel processes
//! and the family's contributions.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;
use shared::policy::Field;

use crate::access::ReviewAccess;
use crate::entities::*;
use crate::errors::ApiResult;
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::inputs::*;
use crate::graphql::objects::*;
use crate::graphql::request::{caller, loaders, state};
use crate::graphql::reviews::{Review, reload};

/// One line of the genogram, read "from ... to".
#[derive(SimpleObject)]
pub struct FamilyTie {
    pub from_person_id: i32,
    pub to_person_id: i32,
    pub tie: TieGql,
}

/// A household: its label and who lives in it.
#[derive(SimpleObject)]
pub struct Household {
    pub label: String,
    pub person_ids: Vec<i32>,
}

#[derive(SimpleObject)]
pub struct ParallelProcess {
    pub id: i32,
    pub kind: ParallelProcessKindGql,
    pub status: ProcessStatusGql,
    pub description: String,
    pub expected_end: Option<NaiveDate>,
}

#[derive(SimpleObject)]
pub struct FamilyContribution {
    pub id: i32,
    /// The family member, when the contribution is one person's.
    pub person_id: Option<i32>,
    pub contributed_on: NaiveDate,
    pub method: ContributionMethodGql,
    pub summary: String,
}

// The review's people and what is recorded of their family.
#[derive(Clone)]
pub struct PeopleOfReview(pub Arc<ReviewAccess>);

#[Object]
impl PeopleOfReview {
    async fn people(&self, ctx: &Context<'_>) -> GqlResult<Vec<Person>> {
        self.0.read(Field::PersonLabel)?;
        Ok(rows::<person::Entity>(ctx, self.0.review.id)
            .await?
            .iter()
            .map(|p| Person { row: p.clone(), access: self.0.clone() })
            .collect())
    }

    /// How the people of the review are related: the genogram's lines. Person ids
    /// only, so a caller who sees labels sees the family with labels.
    async fn relationships(&self, ctx: &Context<'_>) -> GqlResult<Vec<FamilyTie>> {
        self.0.read(Field::PersonLabel)?;
        Ok(rows::<relationship::Entity>(ctx, self.0.review.id)
            .await?
            .iter()
            .map(|r| -> ApiResult<FamilyTie> {
                Ok(FamilyTie {
                    from_person_id: r.from_person_id,
                    to_person_id: r.to_person_id,
                    tie: crate::stored::value("relationship tie", &r.tie, shared::genogram::Tie::parse)?.into(),
                })
            })
            .collect::<ApiResult<Vec<FamilyTie>>>()?)
    }

    /// Who lives with whom: the genogram's household boundaries.
    async fn households(&self, ctx: &Context<'_>) -> GqlResult<Vec<Household>> {
        self.0.read(Field::PersonLabel)?;
        let list = rows::<household::Entity>(ctx, self.0.review.id).await?;
        let ids: Vec<i32> = list.iter().map(|h| h.id).collect();
        let members = loaders(ctx)?.loader().members_of(&ids).await?;
        Ok(list
            .iter()
            .map(|h| Household {
                label: h.label.clone(),
                person_ids: members.iter().filter(|m| m.household_id == h.id).map(|m| m.person_id).collect(),
            })
            .collect())
    }

    /// Processes running beside the review, which bear on its timing and publication.
    async fn parallel_processes(&self, ctx: &Context<'_>) -> GqlResult<Vec<ParallelProcess>> {
        self.0.read(Field::ParallelProcesses)?;
        let mut out = Vec::new();
        for p in rows::<parallel_process::Entity>(ctx, self.0.review.id).await?.iter() {
            out.push(ParallelProcess {
                id: p.id,
                kind: crate::stored::value(
                    "parallel process kind",
                    &p.kind,
                    shared::stage::ParallelProcessKind::parse,
                )?
                .into(),
                status: crate::stored::value(
                    "parallel process status",
                    &p.status,
                    shared::stage::ProcessStatus::parse,
                )?
                .into(),
                description: text(ctx, &self.0, Field::ParallelProcesses, &p.description).await?,
                expected_end: p.expected_end,
            });
        }
        Ok(out)
    }

    /// What the family contributed, and how.
    async fn family_contributions(&self, ctx: &Context<'_>) -> GqlResult<Vec<FamilyContribution>> {
        self.0.read(Field::FamilyContributions)?;
        let mut out = Vec::new();
        for c in rows::<family_contribution::Entity>(ctx, self.0.review.id).await?.iter() {
            out.push(FamilyContribution {
                id: c.id,
                person_id: c.person_id,
                contributed_on: c.contributed_on,
                method: crate::stored::value(
                    "family contribution method",
                    &c.method,
                    shared::stage::ContributionMethod::parse,
                )?
                .into(),
                summary: text(ctx, &self.0, Field::FamilyContributions, &c.summary).await?,
            });
        }
        Ok(out)
    }
}

#[derive(Default)]
pub struct PeopleMutation;

#[Object]
impl PeopleMutation {
    /// Add a person to the review: a sibling, a carer, a professional...
    async fn add_person(&self, ctx: &Context<'_>, review_id: i32, input: PersonInput) -> GqlResult<Review> {
        crate::people::add_person(&state(ctx)?.db, caller(ctx)?, review_id, input.into()).await?;
        reload(ctx, review_id).await
    }

    /// Record how two people of the review are related, read "from ... to".
    async fn add_relationship(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        from_person_id: i32,
        to_person_id: i32,
        tie: TieGql,
    ) -> GqlResult<Review> {
        crate::people::add_relationship(
            &state(ctx)?.db,
            caller(ctx)?,
            review_id,
            from_person_id,
            to_person_id,
            tie.into(),
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Name a household and who lives in it (replacing its members if it exists).
    async fn set_household(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        label: String,
        person_ids: Vec<i32>,
    ) -> GqlResult<Review> {
        crate::people::set_household(&state(ctx)?.db, caller(ctx)?, review_id, &label, &person_ids).await?;
        reload(ctx, review_id).await
    }

    /// Record a process running beside the review.
    async fn record_parallel_process(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        kind: ParallelProcessKindGql,
        status: ProcessStatusGql,
        description: String,
        expected_end: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::people::record_parallel_process(
            db,
            caller(ctx)?,
            review_id,
            kind.into(),
            status.into(),
            &description,
            expected_end,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Move a parallel process on.
    async fn update_parallel_process(
        &self,
        ctx: &Context<'_>,
        process_id: i32,
        status: ProcessStatusGql,
        expected_end: Option<NaiveDate>,
    ) -> GqlResult<Review> {
        let review_id = crate::people::update_parallel_process(
            &state(ctx)?.db,
            caller(ctx)?,
            process_id,
            status.into(),
            expected_end,
        )
        .await?;
        reload(ctx, review_id).await
    }

    /// Record a family member's contribution to the review.
    async fn record_family_contribution(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        person_id: Option<i32>,
        contributed_on: NaiveDate,
        method: ContributionMethodGql,
        summary: String,
    ) -> GqlResult<Review> {
        let db = &state(ctx)?.db;
        crate::people::record_family_contribution(
            db,
            caller(ctx)?,
            review_id,
            person_id,
            contributed_on,
            method.into(),
            &summary,
        )
        .await?;
        reload(ctx, review_id).await
    }
}
