//! The referral in the schema: its circumstances and facts as each reader may see them,
//! the criteria engine's proposal, why the lead board leads, each partner board and why
//! it takes part, and the boards left out or added since, each with its reason.

use std::sync::Arc;

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::NaiveDate;
use shared::BoardId;
use shared::criteria::{self, ReferralFacts};
use shared::policy::Field;

use super::{Proposal, ReferralFactsView};
use crate::access::ReviewAccess;
use crate::entities::*;
use crate::errors::ApiResult;
use crate::graphql::errors::GqlResult;
use crate::graphql::objects::*;

/// The referral that opened the case.
pub struct Referral {
    pub row: referral::Model,
    pub access: Arc<ReviewAccess>,
}

impl Referral {
    fn facts_value(&self) -> ApiResult<ReferralFacts> {
        crate::stored::json("referral facts", &self.row.facts)
    }
}

#[Object]
impl Referral {
    async fn circumstances(&self, ctx: &Context<'_>) -> GqlResult<String> {
        Ok(text(ctx, &self.access, Field::ReferralCircumstances, &self.row.circumstances).await?)
    }
    async fn facts(&self) -> GqlResult<ReferralFactsView> {
        self.access.read(Field::ReferralFacts)?;
        Ok(ReferralFactsView::from(&self.facts_value()?))
    }
    /// The criteria engine's proposal for these facts.
    async fn proposal(&self) -> GqlResult<Proposal> {
        self.access.read(Field::ReferralFacts)?;
        Ok(criteria::assess(&self.facts_value()?).into())
    }
    /// Why the lead board leads (11.3).
    async fn lead_board_reason(&self) -> GqlResult<&str> {
        self.access.read(Field::ReviewSummary)?;
        Ok(&self.row.lead_board_reason)
    }
    async fn looked_after_by_board_id(&self) -> GqlResult<Option<i32>> {
        self.access.read(Field::ReferralFacts)?;
        Ok(self.row.looked_after_by_board_id)
    }
    /// Boards an involved agency would have made partners that were left out, each
    /// with the reason recorded (11.3).
    async fn boards_left_out(&self, ctx: &Context<'_>) -> GqlResult<Vec<LeftOutBoard>> {
        self.access.read(Field::ReviewSummary)?;
        let list: Vec<shared::lead_board::LeftOut> = crate::stored::json("boards left out", &self.row.boards_left_out)?;
        let mut out = Vec::new();
        for l in list {
            // Free text the referrer typed: names in it are masked for label-only readers.
            let reason = text(ctx, &self.access, Field::ReviewSummary, &l.reason).await?;
            let board_name = board_name(ctx, l.board.0).await?;
            out.push(LeftOutBoard { board_id: l.board.0, board_name, reason });
        }
        Ok(out)
    }
    /// Every partner board with why it takes part (11.3).
    async fn partners(&self, ctx: &Context<'_>) -> GqlResult<Vec<PartnerGrounds>> {
        self.access.read(Field::ReviewSummary)?;
        let review = self.access.review.id;
        let links = rows::<review_board::Entity>(ctx, review).await?;
        let mut agency_boards = Vec::new();
        for l in rows::<review_agency::Entity>(ctx, review).await?.iter() {
            agency_boards.extend(by_id::<agency::Entity>(ctx, l.agency_id).await?.map(|a| BoardId(a.board_id)));
        }
        let added: Vec<shared::lead_board::Added> = crate::stored::json("boards added", &self.row.boards_added)?;
        let added: Vec<BoardId> = added.into_iter().map(|a| a.board).collect();
        let residence = BoardId(self.row.normal_residence_board_id);
        let mut out = Vec::new();
        for l in links.iter().filter(|l| !l.is_lead) {
            let grounds = shared::lead_board::grounds_of(BoardId(l.board_id), residence, &agency_boards, &added);
            out.push(PartnerGrounds {
                board_id: l.board_id,
                board_name: board_name(ctx, l.board_id).await?,
                grounds: grounds.iter().map(|g| g.sentence().to_owned()).collect(),
            });
        }
        Ok(out)
    }
    /// Boards added as partners after the referral, each with its reason and day (11.3).
    async fn boards_added(&self, ctx: &Context<'_>) -> GqlResult<Vec<AddedBoard>> {
        self.access.read(Field::ReviewSummary)?;
        let list: Vec<shared::lead_board::Added> = crate::stored::json("boards added", &self.row.boards_added)?;
        let mut out = Vec::new();
        for l in list {
            // Free text like the reasons for leaving a board out: masked the same way.
            let reason = text(ctx, &self.access, Field::ReviewSummary, &l.reason).await?;
            let board_name = board_name(ctx, l.board.0).await?;
            out.push(AddedBoard { board_id: l.board.0, board_name, reason, added_on: l.on });
        }
        Ok(out)
    }
}

/// A board's name as the boards left out and added name it.
async fn board_name(ctx: &Context<'_>, id: i32) -> GqlResult<String> {
    Ok(by_id::<board::Entity>(ctx, id).await?.map(|b| b.name).unwrap_or_default())
}

/// A partner board and why it takes part.
#[derive(SimpleObject)]
pub struct PartnerGrounds {
    pub board_id: i32,
    pub board_name: String,
    /// Each ground, as a sentence citing the procedure.
    pub grounds: Vec<String>,
}

/// A board added as a partner after the referral.
#[derive(SimpleObject)]
pub struct AddedBoard {
    pub board_id: i32,
    pub board_name: String,
    pub reason: String,
    pub added_on: NaiveDate,
}

/// A board left out of a review although one of its agencies is involved.
#[derive(SimpleObject)]
pub struct LeftOutBoard {
    pub board_id: i32,
    pub board_name: String,
    pub reason: String,
}

/// A board to leave out of the review's partners, with the reason.
#[derive(InputObject)]
pub struct LeftOutBoardInput {
    pub board_id: i32,
    pub reason: String,
}
