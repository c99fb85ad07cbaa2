//! The Serious Case Review domain, shared by the server and the browser client.
//!
//! Everything here is pure: no I/O, no database, no HTTP. The rules of the
//! procedure (Stockport Safeguarding Children Board, chapter 11) live here as
//! functions so that the server enforces exactly what the client previews.

pub mod calendar;
pub mod chronology;
pub mod completion;
pub mod criteria;
pub mod deadline;
pub mod findings;
pub mod fold;
pub mod gate;
pub mod genogram;
pub mod identifiers;
pub mod imr;
pub mod independence;
pub mod lead_board;
pub mod policy;
pub mod profile;
pub mod pseudonymise;
pub mod report;
pub mod role;
pub mod stage;
pub mod tasks;
pub mod terms;
pub mod value;

pub use value::ValidationError;

/// Identifiers of the records that rules talk about. They are plain database keys;
/// the newtypes keep a board from being passed where an agency is meant.
macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize, serde::Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub i32);
    )*};
}

id_type!(
    /// A local safeguarding children board.
    BoardId,
    /// An agency: police force, health trust, school, social care, probation...
    AgencyId,
    /// A user account.
    UserId,
    /// A review, from its referral onwards.
    ReviewId,
);
