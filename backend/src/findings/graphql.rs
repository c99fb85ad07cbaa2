//! The panel's findings in the schema.

use std::sync::Arc;

use async_graphql::{Context, Object, SimpleObject};
use chrono::NaiveDate;

use shared::policy::Field;

use crate::access::ReviewAccess;
use crate::entities::*;
use crate::errors::ApiResult;
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::loaders::ThemesOf;
use crate::graphql::objects::*;
use crate::graphql::request::{caller, loaders, state};
use crate::graphql::reviews::{Review, reload};

/// One of the panel's findings, tagged with its learning themes.
#[derive(SimpleObject)]
pub struct Finding {
    pub id: i32,
    pub text: String,
    pub themes: Vec<ThemeGql>,
    pub recorded_on: NaiveDate,
}

// The review's findings.
#[derive(Clone)]
pub struct FindingsOfReview(pub Arc<ReviewAccess>);

#[Object]
impl FindingsOfReview {
    /// The panel's findings, each with its learning themes.
    async fn findings(&self, ctx: &Context<'_>) -> GqlResult<Vec<Finding>> {
        self.0.read(Field::Findings)?;
        let rows = rows::<finding::Entity>(ctx, self.0.review.id).await?;
        let themes = loaders(ctx)?.load_many(rows.iter().map(|f| ThemesOf(f.id))).await?;
        let mut out = Vec::new();
        for f in rows.iter() {
            let tags = themes.get(&ThemesOf(f.id)).map(|t| t.as_slice()).unwrap_or_default();
            out.push(Finding {
                id: f.id,
                text: text(ctx, &self.0, Field::Findings, &f.text).await?,
                themes: tags
                    .iter()
                    .map(|t| crate::stored::value("finding theme", &t.theme, shared::findings::Theme::parse))
                    .map(|t| t.map(ThemeGql::from))
                    .collect::<ApiResult<Vec<ThemeGql>>>()?,
                recorded_on: f.recorded_at.date_naive(),
            });
        }
        Ok(out)
    }
}

#[derive(Default)]
pub struct FindingsMutation;

#[Object]
impl FindingsMutation {
    /// Record one of the panel's findings, tagged with its learning themes.
    async fn record_finding(
        &self,
        ctx: &Context<'_>,
        review_id: i32,
        text: String,
        themes: Vec<ThemeGql>,
    ) -> GqlResult<Review> {
        let themes: Vec<shared::findings::Theme> = themes.into_iter().map(Into::into).collect();
        crate::findings::record_finding(&state(ctx)?.db, caller(ctx)?, review_id, &text, &themes).await?;
        reload(ctx, review_id).await
    }

    /// Remove a finding and its themes.
    async fn remove_finding(&self, ctx: &Context<'_>, finding_id: i32) -> GqlResult<Review> {
        let review_id = crate::findings::remove_finding(&state(ctx)?.db, caller(ctx)?, finding_id).await?;
        reload(ctx, review_id).await
    }
}
