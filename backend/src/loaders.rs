//! Batched loading of related rows (async-graphql `DataLoader`), so that a list of N
//! reviews costs the same number of statements as one.
//!
//! One `Loaders` value per request implements `Loader` for each key type:
//! `ByReview<E>` loads every row of table `E` for a batch of reviews, `ById<E>` rows
//! by primary key, and `AccessOf` the caller's capacities on a batch of reviews.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::access::{self, ReviewAccess};
use crate::context::Caller;
use crate::entities::*;

/// Everything a loader needs: the pool, and who is asking.
#[derive(Debug, Clone)]
pub struct Loaders {
    pub db: DatabaseConnection,
    pub caller: Option<Arc<Caller>>,
}

/// A table whose rows belong to a review.
pub trait ReviewChild: EntityTrait {
    fn review_column() -> Self::Column;
    fn review_id(m: &Self::Model) -> i32;
    /// The order rows come back in for one review.
    fn order_column() -> Self::Column;
}

macro_rules! review_child {
    ($($m:ident),* $(,)?) => {$(
        impl ReviewChild for $m::Entity {
            fn review_column() -> Self::Column { $m::Column::ReviewId }
            fn review_id(m: &Self::Model) -> i32 { m.review_id }
            fn order_column() -> Self::Column { $m::Column::Id }
        }
    )*};
}
review_child!(
    referral,
    review_board,
    review_agency,
    review_assignment,
    person,
    criteria_assessment,
    recommendation,
    decision,
    notification,
    setup_checklist_item,
    terms_of_reference,
    deadline,
);

/// Key: all rows of `E` for one review, in id order.
pub struct ByReview<E>(pub i32, PhantomData<fn() -> E>);

impl<E> ByReview<E> {
    pub fn of(review_id: i32) -> Self {
        Self(review_id, PhantomData)
    }
}

impl<E> Clone for ByReview<E> {
    fn clone(&self) -> Self {
        Self::of(self.0)
    }
}
impl<E> PartialEq for ByReview<E> {
    fn eq(&self, o: &Self) -> bool {
        self.0 == o.0
    }
}
impl<E> Eq for ByReview<E> {}
impl<E> Hash for ByReview<E> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.hash(h)
    }
}

/// Key: one row of `E` by primary key.
pub struct ById<E>(pub i32, PhantomData<fn() -> E>);

impl<E> ById<E> {
    pub fn of(id: i32) -> Self {
        Self(id, PhantomData)
    }
}
impl<E> Clone for ById<E> {
    fn clone(&self) -> Self {
        Self::of(self.0)
    }
}
impl<E> PartialEq for ById<E> {
    fn eq(&self, o: &Self) -> bool {
        self.0 == o.0
    }
}
impl<E> Eq for ById<E> {}
impl<E> Hash for ById<E> {
    fn hash<H: Hasher>(&self, h: &mut H) {
        self.0.hash(h)
    }
}

impl<E> Loader<ByReview<E>> for Loaders
where
    E: ReviewChild + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    type Value = Arc<Vec<E::Model>>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ByReview<E>],
    ) -> Result<HashMap<ByReview<E>, Self::Value>, Self::Error> {
        let ids: Vec<i32> = keys.iter().map(|k| k.0).collect();
        let rows = E::find()
            .filter(E::review_column().is_in(ids.iter().copied()))
            .order_by_asc(E::order_column())
            .all(&self.db)
            .await?;
        let mut grouped: HashMap<i32, Vec<E::Model>> =
            ids.iter().map(|i| (*i, Vec::new())).collect();
        for r in rows {
            grouped.entry(E::review_id(&r)).or_default().push(r);
        }
        Ok(grouped
            .into_iter()
            .map(|(k, v)| (ByReview::of(k), Arc::new(v)))
            .collect())
    }
}

/// A table looked up by its integer primary key.
pub trait ById32: EntityTrait {
    fn id_column() -> Self::Column;
    fn id(m: &Self::Model) -> i32;
}

macro_rules! by_id {
    ($($m:ident),* $(,)?) => {$(
        impl ById32 for $m::Entity {
            fn id_column() -> Self::Column { $m::Column::Id }
            fn id(m: &Self::Model) -> i32 { m.id }
        }
    )*};
}
by_id!(board, agency, user, review);

impl<E> Loader<ById<E>> for Loaders
where
    E: ById32 + Send + Sync + 'static,
    E::Model: Send + Sync + Clone + 'static,
{
    type Value = E::Model;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[ById<E>]) -> Result<HashMap<ById<E>, Self::Value>, Self::Error> {
        let rows = E::find()
            .filter(E::id_column().is_in(keys.iter().map(|k| k.0)))
            .all(&self.db)
            .await?;
        Ok(rows.into_iter().map(|r| (ById::of(E::id(&r)), r)).collect())
    }
}

/// Key: the caller's access to one review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AccessOf(pub i32);

impl Loader<AccessOf> for Loaders {
    type Value = Arc<ReviewAccess>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[AccessOf]) -> Result<HashMap<AccessOf, Self::Value>, Self::Error> {
        let Some(caller) = &self.caller else {
            return Ok(HashMap::new());
        };
        let ids: Vec<i32> = keys.iter().map(|k| k.0).collect();
        let reviews = review::Entity::find()
            .filter(review::Column::Id.is_in(ids.iter().copied()))
            .all(&self.db)
            .await?;
        let found = access::for_reviews(&self.db, caller, &reviews).await?;
        Ok(found
            .into_iter()
            .map(|a| (AccessOf(a.review.id), Arc::new(a)))
            .collect())
    }
}

/// Key: the extensions granted on one deadline, oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct ExtensionsOf(pub i32);

impl Loader<ExtensionsOf> for Loaders {
    type Value = Arc<Vec<deadline_extension::Model>>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[ExtensionsOf],
    ) -> Result<HashMap<ExtensionsOf, Self::Value>, Self::Error> {
        let rows = deadline_extension::Entity::find()
            .filter(deadline_extension::Column::DeadlineId.is_in(keys.iter().map(|k| k.0)))
            .order_by_asc(deadline_extension::Column::Id)
            .all(&self.db)
            .await?;
        let mut grouped: HashMap<ExtensionsOf, Vec<deadline_extension::Model>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            grouped
                .entry(ExtensionsOf(r.deadline_id))
                .or_default()
                .push(r);
        }
        Ok(grouped.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}
