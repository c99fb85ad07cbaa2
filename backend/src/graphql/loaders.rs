//! Batched loading of related rows (async-graphql `DataLoader`), so that a list of N
//! reviews costs the same number of statements as one.
//!
//! One `Loaders` value per request implements `Loader` for each key type:
//! `ByReview<E>` loads every row of table `E` for a batch of reviews, `ById<E>` rows
//! by primary key, and `ExtensionsOf` the extensions of a batch of deadlines.
//!
//! A DataLoader batches the keys that arrive within a short window, so how a list
//! splits into batches depends on timing. Lists therefore `prefetch` what their
//! selection asks for, one statement per table for the whole page, into the
//! request's cache; the per-item resolvers then find everything there. A mutation
//! `forget`s the cache once it has changed something, before it reads its answer.

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::marker::PhantomData;
use std::sync::Arc;

use async_graphql::dataloader::{DataLoader, HashMapCache, Loader};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};

use crate::entities::*;

/// Everything a loader needs: the pool. Access is decided before anything is loaded.
#[derive(Debug, Clone)]
pub struct Loaders {
    pub db: DatabaseConnection,
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
    relationship,
    household,
    parallel_process,
    family_contribution,
    imr,
    chronology_entry,
    chronology_link,
    overview_report,
    executive_summary,
    report_confirmation,
    milestone,
    amendment,
    action,
    finding,
    rapid_review,
    rapid_review_information,
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

    async fn load(&self, keys: &[ByReview<E>]) -> Result<HashMap<ByReview<E>, Self::Value>, Self::Error> {
        let ids: Vec<i32> = keys.iter().map(|k| k.0).collect();
        let rows = E::find()
            .filter(E::review_column().is_in(ids.iter().copied()))
            .order_by_asc(E::order_column())
            .all(&self.db)
            .await?;
        let mut grouped: HashMap<i32, Vec<E::Model>> = ids.iter().map(|i| (*i, Vec::new())).collect();
        for r in rows {
            grouped.entry(E::review_id(&r)).or_default().push(r);
        }
        Ok(grouped.into_iter().map(|(k, v)| (ByReview::of(k), Arc::new(v))).collect())
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
        let rows = E::find().filter(E::id_column().is_in(keys.iter().map(|k| k.0))).all(&self.db).await?;
        Ok(rows.into_iter().map(|r| (ById::of(E::id(&r)), r)).collect())
    }
}

/// A key type for the rows of table `$m` belonging to one parent row (by `$column`),
/// oldest first, and its loader.
macro_rules! rows_of {
    ($(#[$doc:meta])* $key:ident, $m:ident, $column:ident, $field:ident) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub struct $key(pub i32);

        impl Loader<$key> for Loaders {
            type Value = Arc<Vec<$m::Model>>;
            type Error = Arc<DbErr>;

            async fn load(&self, keys: &[$key]) -> Result<HashMap<$key, Self::Value>, Self::Error> {
                let rows = $m::Entity::find()
                    .filter($m::Column::$column.is_in(keys.iter().map(|k| k.0)))
                    .order_by_asc($m::Column::Id)
                    .all(&self.db)
                    .await?;
                let mut grouped: HashMap<$key, Vec<$m::Model>> = keys.iter().map(|k| (*k, Vec::new())).collect();
                for r in rows {
                    grouped.entry($key(r.$field)).or_default().push(r);
                }
                Ok(grouped.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
            }
        }
    };
}

rows_of!(
    /// Key: the extensions granted on one deadline, oldest first.
    ExtensionsOf,
    deadline_extension,
    DeadlineId,
    deadline_id
);
rows_of!(
    /// Key: the learning themes of one finding.
    ThemesOf,
    finding_theme,
    FindingId,
    finding_id
);
rows_of!(
    /// Key: the progress updates of one action, oldest first.
    UpdatesOf,
    action_update,
    ActionId,
    action_id
);

/// Key: what is known of the evidence files of one action (not their bytes), oldest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct EvidenceOf(pub i32);

impl Loader<EvidenceOf> for Loaders {
    type Value = Arc<Vec<crate::records::EvidenceInfo>>;
    type Error = Arc<DbErr>;

    async fn load(&self, keys: &[EvidenceOf]) -> Result<HashMap<EvidenceOf, Self::Value>, Self::Error> {
        let ids: Vec<i32> = keys.iter().map(|k| k.0).collect();
        let rows = crate::records::evidence_of(&self.db, &ids).await?;
        let mut grouped: HashMap<EvidenceOf, Vec<crate::records::EvidenceInfo>> =
            keys.iter().map(|k| (*k, Vec::new())).collect();
        for r in rows {
            grouped.entry(EvidenceOf(r.action_id)).or_default().push(r);
        }
        Ok(grouped.into_iter().map(|(k, v)| (k, Arc::new(v))).collect())
    }
}

pub type RequestLoader = DataLoader<Loaders, HashMapCache>;

/// The loader of one request, with its own cache. It waits on no timer: what a
/// selection asks for is prefetched, and the keys its resolvers ask for together in
/// one turn of the runtime still go in one batch.
pub fn request_loaders(db: DatabaseConnection) -> RequestLoader {
    DataLoader::with_cache(Loaders { db }, tokio::spawn, HashMapCache::default()).delay(std::time::Duration::ZERO)
}

/// Empties the request's cache: a mutation's answer must show what it changed.
pub fn forget(l: &RequestLoader) {
    macro_rules! clear {
        ($($m:ident),*) => {$( l.clear::<ByReview<$m::Entity>>(); )*};
    }
    clear!(
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
        relationship,
        household,
        parallel_process,
        family_contribution,
        imr,
        chronology_entry,
        chronology_link,
        overview_report,
        executive_summary,
        report_confirmation,
        milestone,
        amendment,
        action,
        finding
    );
    l.clear::<ById<board::Entity>>();
    l.clear::<ById<agency::Entity>>();
    l.clear::<ById<user::Entity>>();
    l.clear::<ById<review::Entity>>();
    l.clear::<ExtensionsOf>();
    l.clear::<UpdatesOf>();
    l.clear::<ThemesOf>();
    l.clear::<EvidenceOf>();
}

/// Puts what working out access read (the reviews, their boards and agencies) into
/// the request's cache, so that their fields do not read them again.
pub async fn remember(l: &RequestLoader, reviews: &[&review::Model], links: crate::access::Links) {
    // Only for `reviews`: links of reviews the caller may not see stay out of the cache.
    let mut boards: HashMap<i32, Vec<review_board::Model>> = reviews.iter().map(|r| (r.id, Vec::new())).collect();
    for b in links.boards {
        if let Some(v) = boards.get_mut(&b.review_id) {
            v.push(b);
        }
    }
    let mut agencies: HashMap<i32, Vec<review_agency::Model>> = reviews.iter().map(|r| (r.id, Vec::new())).collect();
    for a in links.agencies {
        if let Some(v) = agencies.get_mut(&a.review_id) {
            v.push(a);
        }
    }
    // In id order, as the loader reads them.
    l.feed_many(boards.into_iter().map(|(k, mut v)| {
        v.sort_by_key(|x| x.id);
        (ByReview::<review_board::Entity>::of(k), Arc::new(v))
    }))
    .await;
    l.feed_many(agencies.into_iter().map(|(k, mut v)| {
        v.sort_by_key(|x| x.id);
        (ByReview::<review_agency::Entity>::of(k), Arc::new(v))
    }))
    .await;
    l.feed_many(reviews.iter().map(|r| (ById::<review::Entity>::of(r.id), (*r).clone()))).await;
}

/// What a list of actions selects.
#[derive(Debug, Default, Clone, Copy)]
pub struct ActionsWanted {
    pub updates: bool,
    pub evidence: bool,
    pub agency: bool,
    pub owner: bool,
}

/// Loads, in one statement per table, what `w` names for the actions `list`, and the
/// people of `pseudonymised` reviews (their text is answered with names replaced).
pub async fn prefetch_actions(
    l: &RequestLoader,
    list: &[&action::Model],
    pseudonymised: &[i32],
    w: ActionsWanted,
) -> Result<(), Arc<DbErr>> {
    fn distinct(ids: impl Iterator<Item = i32>) -> Vec<i32> {
        let mut v: Vec<i32> = ids.collect();
        v.sort_unstable();
        v.dedup();
        v
    }
    if w.updates {
        fill(l, list.iter().map(|a| UpdatesOf(a.id)).collect()).await?;
    }
    if w.evidence {
        fill(l, list.iter().map(|a| EvidenceOf(a.id)).collect()).await?;
    }
    if w.agency {
        fill(l, distinct(list.iter().map(|a| a.agency_id)).into_iter().map(ById::<agency::Entity>::of).collect())
            .await?;
    }
    if w.owner {
        fill(l, distinct(list.iter().map(|a| a.owner_id)).into_iter().map(ById::<user::Entity>::of).collect()).await?;
    }
    fill(l, distinct(pseudonymised.iter().copied()).into_iter().map(ByReview::<person::Entity>::of).collect()).await?;
    Ok(())
}

/// Which relations of a list of reviews a query selects.
#[derive(Debug, Default, Clone, Copy)]
pub struct Wanted {
    pub people: bool,
    pub deadlines: bool,
    pub extensions: bool,
    pub referral: bool,
    pub assessments: bool,
    pub recommendation: bool,
    pub decision: bool,
    pub notification: bool,
    pub checklist: bool,
    pub appointments: bool,
    pub terms: bool,
    pub boards: bool,
    pub agencies: bool,
    pub findings: bool,
}

/// Runs one batch through the loader directly (no batching window to wait for) and
/// puts the answers into the request's cache.
async fn fill<K>(l: &RequestLoader, keys: Vec<K>) -> Result<HashMap<K, <Loaders as Loader<K>>::Value>, Arc<DbErr>>
where
    K: Send + Sync + Hash + Eq + Clone + 'static,
    Loaders: Loader<K, Error = Arc<DbErr>>,
{
    if keys.is_empty() {
        return Ok(HashMap::new());
    }
    let found = Loader::<K>::load(l.loader(), &keys).await?;
    l.feed_many(found.clone()).await;
    Ok(found)
}

/// Loads, in one statement per table, every relation `w` names for `ids`, so the
/// cost of a list does not depend on its length or on batching windows. The tables
/// that depend on nothing else are read at once, each on a connection of its own, so a
/// request waits for the slowest of them rather than for their sum.
pub async fn prefetch(l: &RequestLoader, ids: &[i32], w: Wanted) -> Result<(), Arc<DbErr>> {
    macro_rules! all {
        ($m:ident) => {{
            let keys: Vec<ByReview<$m::Entity>> = ids.iter().map(|i| ByReview::of(*i)).collect();
            fill(l, keys).await?
        }};
    }
    // Each on the heap: eleven reads side by side would make one very large future.
    macro_rules! when {
        ($wanted:expr, $m:ident) => {
            Box::pin(async {
                if $wanted {
                    all!($m);
                }
                Ok::<(), Arc<DbErr>>(())
            })
        };
    }
    let findings = Box::pin(async {
        if w.findings {
            let found = all!(finding);
            fill(l, found.values().flat_map(|f| f.iter().map(|x| ThemesOf(x.id))).collect()).await?;
        }
        Ok::<(), Arc<DbErr>>(())
    });
    let deadlines = Box::pin(async {
        if w.deadlines {
            let found = all!(deadline);
            if w.extensions {
                let keys: Vec<ExtensionsOf> =
                    found.values().flat_map(|d| d.iter().map(|x| ExtensionsOf(x.id))).collect();
                fill(l, keys).await?;
            }
        }
        Ok::<(), Arc<DbErr>>(())
    });
    let appointed = Box::pin(async {
        let mut users: Vec<i32> = Vec::new();
        if w.appointments {
            for links in all!(review_assignment).values() {
                users.extend(links.iter().map(|x| x.user_id));
            }
        }
        Ok::<Vec<i32>, Arc<DbErr>>(users)
    });
    let (.., mut user_ids) = tokio::try_join!(
        when!(w.people, person),
        when!(w.referral, referral),
        when!(w.assessments, criteria_assessment),
        when!(w.recommendation, recommendation),
        when!(w.decision, decision),
        when!(w.notification, notification),
        when!(w.checklist, setup_checklist_item),
        when!(w.terms, terms_of_reference),
        findings,
        deadlines,
        appointed,
    )?;
    let mut board_ids: Vec<i32> = Vec::new();
    let mut agency_ids: Vec<i32> = Vec::new();
    // Working out access has usually put the boards, agencies and reviews in the
    // cache already (`remember`): those are taken from it.
    macro_rules! cached {
        ($key:ty) => {{
            let keys: Vec<$key> = ids.iter().map(|i| <$key>::of(*i)).collect();
            l.load_many(keys).await?
        }};
    }
    if w.boards {
        for links in cached!(ByReview<review_board::Entity>).values() {
            board_ids.extend(links.iter().map(|x| x.board_id));
        }
    }
    if w.agencies {
        for links in cached!(ByReview<review_agency::Entity>).values() {
            agency_ids.extend(links.iter().map(|x| x.agency_id));
        }
    }
    if w.deadlines || w.boards {
        board_ids.extend(cached!(ById<review::Entity>).values().map(|r| r.lead_board_id));
    }
    if !user_ids.is_empty() {
        user_ids.sort();
        user_ids.dedup();
        let keys: Vec<ById<user::Entity>> = user_ids.iter().map(|i| ById::of(*i)).collect();
        agency_ids.extend(fill(l, keys).await?.values().filter_map(|u| u.agency_id));
    }
    board_ids.sort();
    board_ids.dedup();
    agency_ids.sort();
    agency_ids.dedup();
    tokio::try_join!(
        Box::pin(fill(l, board_ids.iter().map(|i| ById::<board::Entity>::of(*i)).collect())),
        Box::pin(fill(l, agency_ids.iter().map(|i| ById::<agency::Entity>::of(*i)).collect())),
    )?;
    Ok(())
}

impl Loaders {
    /// The members of the given households, in one statement.
    pub async fn members_of(&self, households: &[i32]) -> Result<Vec<household_member::Model>, DbErr> {
        if households.is_empty() {
            return Ok(Vec::new());
        }
        household_member::Entity::find()
            .filter(household_member::Column::HouseholdId.is_in(households.iter().copied()))
            .order_by_asc(household_member::Column::PersonId)
            .all(&self.db)
            .await
    }
}
