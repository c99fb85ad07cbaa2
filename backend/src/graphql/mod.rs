//! The GraphQL root: the schema composed from the features' queries, mutations and
//! review parts (each feature's `graphql.rs`), in the order the schema has always
//! listed them, with what they share (`objects`, `inputs`, `enums`, `loaders`,
//! `errors`) and the review itself (`review`). The HTTP adapter (`app.rs`) is thin;
//! everything a request may see is decided through `access` and `shared::policy`.

pub mod enums;
pub mod errors;
pub mod inputs;
pub mod loaders;
pub mod objects;
pub mod request;
pub mod reviews;

pub use request::VisibleReviews;
pub(crate) use request::{caller, visible_reviews};

use async_graphql::{EmptySubscription, MergedObject, Schema};

// Every query, feature by feature.
#[derive(MergedObject, Default)]
pub struct Query(
    crate::users::graphql::SignedIn,
    reviews::ReviewsQuery,
    crate::attention::graphql::DeadlinesQuery,
    crate::decision::graphql::DecisionQuery,
    crate::users::graphql::Directory,
    crate::attention::graphql::NotificationsQuery,
    crate::reporting::graphql::ReportQuery,
    crate::completion::graphql::ActionsQuery,
    crate::exports::graphql::GateQuery,
    crate::decision::graphql::AppointmentQuery,
    crate::users::graphql::AccountQuery,
    crate::organisations::graphql::OrganisationsQuery,
    crate::users::graphql::GrantsQuery,
);

// Every mutation, each a step of the procedure, feature by feature.
#[derive(MergedObject, Default)]
pub struct Mutation(
    crate::users::graphql::SignIn,
    crate::decision::graphql::DecisionMutation,
    crate::rapid_review::graphql::RapidReviewMutation,
    crate::people::graphql::PeopleMutation,
    crate::findings::graphql::FindingsMutation,
    crate::attention::graphql::NotificationsMutation,
    crate::decision::graphql::DeadlineMutation,
    crate::review::graphql::mutation::ReviewMutation,
    crate::exports::graphql::GateMutation,
    crate::completion::graphql::CompletionMutation,
    crate::users::graphql::Accounts,
    crate::users::graphql::AccountLife,
    crate::organisations::graphql::OrganisationsMutation,
    crate::users::graphql::GrantsMutation,
    crate::users::graphql::LinksMutation,
);

pub type ScrSchema = Schema<Query, Mutation, EmptySubscription>;

/// Deepest query accepted: deep enough for a review page, far from a recursion bomb.
pub const MAX_DEPTH: usize = 12;
/// Costliest query accepted (async-graphql's default cost of 1 per field).
pub const MAX_COMPLEXITY: usize = 2_000;

/// Builds the schema with its limits. Request data (caller, loaders) is added per request.
pub fn schema(state: crate::context::AppState) -> ScrSchema {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription)
        .data(state)
        .limit_depth(MAX_DEPTH)
        .limit_complexity(MAX_COMPLEXITY)
        .limit_recursive_depth(32)
        .limit_directives(20)
        .finish()
}

/// The schema in SDL, as checked in at `schema.graphql`.
pub fn sdl() -> String {
    Schema::build(Query::default(), Mutation::default(), EmptySubscription).finish().sdl()
}
