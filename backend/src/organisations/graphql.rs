//! Organisations in the schema: boards with their areas, agencies opened and closed.

use async_graphql::{Context, Object, SimpleObject};
use sea_orm::{EntityTrait, QueryOrder};

use crate::entities::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::objects::{Agency, Board};
use crate::graphql::request::{caller, state};

/// A local authority area and the board that covers it (11.3).
#[derive(SimpleObject)]
pub struct Area {
    pub id: i32,
    pub name: String,
    pub board_id: i32,
}

impl From<local_authority_area::Model> for Area {
    fn from(a: local_authority_area::Model) -> Self {
        Area { id: a.id, name: a.name, board_id: a.board_id }
    }
}

#[derive(Default)]
pub struct OrganisationsQuery;

#[Object]
impl OrganisationsQuery {
    /// The local authority areas and the board covering each, by name.
    async fn areas(&self, ctx: &Context<'_>) -> GqlResult<Vec<Area>> {
        caller(ctx)?;
        let rows = local_authority_area::Entity::find()
            .order_by_asc(local_authority_area::Column::Name)
            .all(&state(ctx)?.db)
            .await?;
        Ok(rows.into_iter().map(Area::from).collect())
    }

    /// Closed agencies as well as open ones (for administration; pickers ask `agencies`).
    async fn all_agencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        caller(ctx)?;
        let rows = agency::Entity::find().order_by_asc(agency::Column::Name).all(&state(ctx)?.db).await?;
        Ok(rows.into_iter().map(Agency).collect())
    }
}

#[derive(Default)]
pub struct OrganisationsMutation;

/// Setting up organisations (administrators).
#[Object]
impl OrganisationsMutation {
    /// A new board, on the procedure's usual timetable.
    async fn create_board(&self, ctx: &Context<'_>, name: String) -> GqlResult<Board> {
        Ok(Board(crate::organisations::create_board(&state(ctx)?.db, caller(ctx)?, &name).await?))
    }

    async fn rename_board(&self, ctx: &Context<'_>, board_id: i32, name: String) -> GqlResult<Board> {
        Ok(Board(crate::organisations::rename_board(&state(ctx)?.db, caller(ctx)?, board_id, &name).await?))
    }

    /// The board's own closure days, replacing those set before: skipped, with weekends
    /// and the bank holidays of England and Wales, when working days are counted for
    /// deadlines set from now on.
    async fn set_board_closure_days(
        &self,
        ctx: &Context<'_>,
        board_id: i32,
        days: Vec<chrono::NaiveDate>,
    ) -> GqlResult<Board> {
        Ok(Board(crate::organisations::set_closure_days(&state(ctx)?.db, caller(ctx)?, board_id, days).await?))
    }

    /// The procedure the board runs new reviews by; reviews under way keep theirs.
    async fn set_board_procedure(
        &self,
        ctx: &Context<'_>,
        board_id: i32,
        procedure: crate::graphql::enums::ProfileKindGql,
    ) -> GqlResult<Board> {
        Ok(Board(crate::organisations::set_procedure(&state(ctx)?.db, caller(ctx)?, board_id, procedure.into()).await?))
    }

    /// A local authority area, covered by `boardId`.
    async fn add_area(&self, ctx: &Context<'_>, board_id: i32, name: String) -> GqlResult<Area> {
        Ok(crate::organisations::add_area(&state(ctx)?.db, caller(ctx)?, board_id, &name).await?.into())
    }

    /// A new agency of a board. `kind`: police, health, social_care, education,
    /// probation or other.
    async fn create_agency(&self, ctx: &Context<'_>, board_id: i32, name: String, kind: String) -> GqlResult<Agency> {
        let a = crate::organisations::create_agency(&state(ctx)?.db, caller(ctx)?, board_id, &name, &kind).await?;
        Ok(Agency(a))
    }

    async fn rename_agency(&self, ctx: &Context<'_>, agency_id: i32, name: String) -> GqlResult<Agency> {
        Ok(Agency(crate::organisations::rename_agency(&state(ctx)?.db, caller(ctx)?, agency_id, &name).await?))
    }

    /// Closes an agency: it stays on the reviews that name it and leaves every picker.
    async fn close_agency(&self, ctx: &Context<'_>, agency_id: i32) -> GqlResult<Agency> {
        Ok(Agency(crate::organisations::set_agency_open(&state(ctx)?.db, caller(ctx)?, agency_id, false).await?))
    }

    async fn reopen_agency(&self, ctx: &Context<'_>, agency_id: i32) -> GqlResult<Agency> {
        Ok(Agency(crate::organisations::set_agency_open(&state(ctx)?.db, caller(ctx)?, agency_id, true).await?))
    }
}
