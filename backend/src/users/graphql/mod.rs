//! Accounts and sign-in in the schema: the signed-in user, the board's directory
//! (boards, agencies, users) and creating accounts.

use async_graphql::{Context, InputObject, Object, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use shared::policy::Grant;

use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::graphql::enums::*;
use crate::graphql::errors::GqlResult;
use crate::graphql::objects::*;
use crate::graphql::request::{caller, state};

mod sign_in;
pub use sign_in::*;

/// A role held by a user, for a board or an agency.
#[derive(SimpleObject)]
pub struct RoleGrant {
    pub role: RoleGql,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
}

/// A user account: who they are and what they hold, never case content.
pub struct UserAccount {
    pub user: user::Model,
    pub grants: Vec<shared::policy::Grant>,
}

#[Object]
impl UserAccount {
    async fn id(&self) -> i32 {
        self.user.id
    }
    async fn email(&self) -> &str {
        &self.user.email
    }
    async fn name(&self) -> &str {
        &self.user.name
    }
    async fn job_title(&self) -> Option<&str> {
        self.user.job_title.as_deref()
    }
    async fn active(&self) -> bool {
        self.user.active
    }
    async fn agency(&self, ctx: &Context<'_>) -> GqlResult<Option<Agency>> {
        match self.user.agency_id {
            Some(a) => Ok(by_id::<agency::Entity>(ctx, a).await?.map(Agency)),
            None => Ok(None),
        }
    }
    /// Roles proposed for the user and waiting for a second person's approval.
    async fn pending_roles(&self, ctx: &Context<'_>) -> GqlResult<Vec<GrantProposal>> {
        let rows = grant_proposal::Entity::find()
            .filter(grant_proposal::Column::UserId.eq(self.user.id))
            .filter(grant_proposal::Column::Outcome.is_null())
            .all(&state(ctx)?.db)
            .await?;
        Ok(rows.into_iter().map(GrantProposal::try_from).collect::<ApiResult<Vec<_>>>()?)
    }
    /// Whether the user signs in with a second factor.
    async fn second_factor_enrolled(&self) -> bool {
        self.user.totp_secret.is_some()
    }
    /// Whether resetting the user's second factor waits for a second person.
    async fn second_factor_reset_pending(&self) -> bool {
        self.user.factor_reset_proposed_by.is_some()
    }
    /// When the user last signed in with a password here.
    async fn last_sign_in_at(&self) -> Option<DateTime<Utc>> {
        self.user.last_sign_in_at
    }
    async fn roles(&self) -> Vec<RoleGrant> {
        self.grants
            .iter()
            .map(|g| RoleGrant {
                role: g.role.into(),
                board_id: g.board.map(|b| b.0),
                agency_id: g.agency.map(|a| a.0),
            })
            .collect()
    }
}

#[derive(InputObject)]
pub struct RoleGrantInput {
    pub role: RoleGql,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
}

#[derive(InputObject)]
pub struct NewUserInput {
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub agency_id: Option<i32>,
    pub password: String,
    pub roles: Vec<RoleGrantInput>,
}

#[derive(Default)]
pub struct SignedIn;

#[Object]
impl SignedIn {
    /// The organisations' identity providers people may sign in through: a browser
    /// opens `/api/oidc/{id}/start`. Asked before signing in.
    async fn sign_in_providers(&self, ctx: &Context<'_>) -> GqlResult<Vec<SignInProvider>> {
        Ok(state(ctx)?.oidc.offered().into_iter().map(|(id, name)| SignInProvider { id, name }).collect())
    }
    /// Who you are, with your roles.
    async fn me(&self, ctx: &Context<'_>) -> GqlResult<UserAccount> {
        let c = caller(ctx)?;
        Ok(UserAccount { user: c.user.clone(), grants: c.grants.clone() })
    }
}

#[derive(Default)]
pub struct Directory;

#[Object]
impl Directory {
    async fn boards(&self, ctx: &Context<'_>) -> GqlResult<Vec<Board>> {
        caller(ctx)?;
        Ok(board::Entity::find()
            .order_by_asc(board::Column::Name)
            .all(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Board)
            .collect())
    }

    /// The open agencies, for pickers (a closed one stays on the reviews that name it).
    async fn agencies(&self, ctx: &Context<'_>) -> GqlResult<Vec<Agency>> {
        caller(ctx)?;
        Ok(agency::Entity::find()
            .filter(agency::Column::Active.eq(true))
            .order_by_asc(agency::Column::Name)
            .all(&state(ctx)?.db)
            .await?
            .into_iter()
            .map(Agency)
            .collect())
    }

    /// People found among the accounts (administrators): by part of the name or e-mail,
    /// agency, role and whether active; sorted by name, a page at a time (at most 100).
    async fn people(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] filter: PeopleFilter,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 25)] limit: u64,
    ) -> GqlResult<PeoplePage> {
        let db = &state(ctx)?.db;
        let filter = crate::users::people::Filter {
            text: filter.text,
            agency_id: filter.agency_id,
            role: filter.role.map(Into::into),
            active: filter.active,
        };
        let (total, page) = crate::users::people::find(db, caller(ctx)?, &filter, offset, limit).await?;
        let mut people = Vec::with_capacity(page.len());
        for u in page {
            people.push(account(db, u).await?);
        }
        Ok(PeoplePage { total, offset, people })
    }

    /// One account (administrators): for its page.
    async fn person(&self, ctx: &Context<'_>, user_id: i32) -> GqlResult<UserAccount> {
        crate::users::require_admin(caller(ctx)?)?;
        let db = &state(ctx)?.db;
        let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
        Ok(account(db, u).await?)
    }

    /// Every user account with its roles: for administrators, and only accounts.
    async fn users(&self, ctx: &Context<'_>) -> GqlResult<Vec<UserAccount>> {
        let c = caller(ctx)?;
        crate::users::require_admin(c)?;
        let db = &state(ctx)?.db;
        let users = user::Entity::find().order_by_asc(user::Column::Name).all(db).await?;
        let grants = role_grant::Entity::find().all(db).await?;
        let mut out = Vec::new();
        for u in users {
            let g = grants
                .iter()
                .filter(|g| g.user_id == u.id)
                .map(crate::stored::grant)
                .collect::<ApiResult<Vec<shared::policy::Grant>>>()?;
            out.push(UserAccount { user: u, grants: g });
        }
        Ok(out)
    }
}

/// What to look for among the accounts; every part optional.
#[derive(InputObject, Default)]
pub struct PeopleFilter {
    /// Part of the name or the e-mail address, any case.
    pub text: Option<String>,
    pub agency_id: Option<i32>,
    pub role: Option<RoleGql>,
    /// Active accounts only, or deactivated only.
    pub active: Option<bool>,
}

/// A page of people found.
#[derive(SimpleObject)]
pub struct PeoplePage {
    /// How many were found in all.
    pub total: u64,
    pub offset: u64,
    pub people: Vec<UserAccount>,
}

#[derive(Default)]
pub struct Accounts;

#[Object]
impl Accounts {
    /// Create a user account (administrators).
    async fn create_user(&self, ctx: &Context<'_>, input: NewUserInput) -> GqlResult<UserAccount> {
        let c = caller(ctx)?;
        let grants: Vec<Grant> = input
            .roles
            .iter()
            .map(|g| Grant {
                role: g.role.into(),
                board: g.board_id.map(shared::BoardId),
                agency: g.agency_id.map(shared::AgencyId),
            })
            .collect();
        let u = crate::users::create_user(
            &state(ctx)?.db,
            Some(c),
            crate::users::NewUser {
                email: input.email,
                name: input.name,
                job_title: input.job_title,
                agency_id: input.agency_id,
                password: input.password,
                grants,
            },
        )
        .await?;
        let loaded = crate::context::Caller::load(&state(ctx)?.db, &crate::auth::Subject::User(u.id)).await?;
        Ok(UserAccount { user: loaded.user, grants: loaded.grants })
    }
}

/// Something a leaver was doing on a review that someone must take on.
#[derive(SimpleObject)]
pub struct OpenAssignment {
    pub review_id: i32,
    pub reference: String,
    /// What it is: an appointment's title, "IMR author" or "Action owner".
    pub what: String,
}

impl From<crate::users::accounts::OpenAssignment> for OpenAssignment {
    fn from(a: crate::users::accounts::OpenAssignment) -> Self {
        OpenAssignment { review_id: a.review_id, reference: a.reference, what: a.what }
    }
}

/// An account switched off, with what its user was doing that someone must take on.
#[derive(SimpleObject)]
pub struct Deactivation {
    pub user: UserAccount,
    pub open_assignments: Vec<OpenAssignment>,
}

/// An account with its grants as stored, whether or not it is active.
pub(super) async fn account(db: &sea_orm::DatabaseConnection, u: user::Model) -> ApiResult<UserAccount> {
    let grants = role_grant::Entity::find()
        .filter(role_grant::Column::UserId.eq(u.id))
        .all(db)
        .await?
        .iter()
        .map(crate::stored::grant)
        .collect::<ApiResult<Vec<Grant>>>()?;
    Ok(UserAccount { user: u, grants })
}

#[derive(Default)]
pub struct AccountLife;

/// An account through its life: your own (password, sessions, calendar address) and,
/// for administrators, leavers and roles.
#[Object]
impl AccountLife {
    /// Ends this session (the one the token belongs to) on the server.
    async fn sign_out(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        let st = state(ctx)?;
        if let Some(session) = caller(ctx)?.session {
            crate::users::sessions::end(&st.db, &st.sessions.clock, session, "signed out").await?;
        }
        ctx.append_http_header(axum::http::header::SET_COOKIE, crate::users::sessions::cleared_cookie());
        Ok(true)
    }

    /// Resets a person's second factor (a lost phone): administrators, and officers of
    /// a board the person holds a role on. For someone who reads names in full, one
    /// person proposes and another confirms. Their sessions end; they set up a new
    /// factor at their next sign-in.
    async fn reset_second_factor(&self, ctx: &Context<'_>, user_id: i32) -> GqlResult<SecondFactorReset> {
        use crate::users::second_factor::ResetOutcome;
        Ok(match crate::users::second_factor::reset(&state(ctx)?.db, caller(ctx)?, user_id).await? {
            ResetOutcome::Proposed => SecondFactorReset::Proposed,
            ResetOutcome::Reset => SecondFactorReset::Reset,
        })
    }

    /// Whether everyone on the board signs in with a second factor (not only those who
    /// read names in full): administrators and the board's Chair.
    async fn set_board_second_factor(&self, ctx: &Context<'_>, board_id: i32, for_everyone: bool) -> GqlResult<bool> {
        crate::users::second_factor::set_board_rule(&state(ctx)?.db, caller(ctx)?, board_id, for_everyone).await?;
        Ok(for_everyone)
    }

    /// Ends every session of yours, this one included: sign in again after.
    async fn sign_out_everywhere(&self, ctx: &Context<'_>) -> GqlResult<bool> {
        crate::users::accounts::sign_out_everywhere(&state(ctx)?.db, caller(ctx)?).await?;
        Ok(true)
    }

    /// Changes your password (the current one required). Your other sessions end; the
    /// answer carries this session's new token.
    async fn change_password(
        &self,
        ctx: &Context<'_>,
        current_password: String,
        new_password: String,
    ) -> GqlResult<LoginResult> {
        // The current password is checked like a sign-in: once a request, within the
        // address's limit.
        crate::graphql::request::sign_in_gate(ctx)?;
        let st = state(ctx)?;
        let c = caller(ctx)?;
        let u = crate::users::accounts::change_password(&st.db, c, &current_password, &new_password).await?;
        let method = if u.totp_secret.is_some() { "password+totp" } else { "password" };
        Ok(start_session(ctx, u, method).await?)
    }

    /// A new address for your calendar feed; the old one stops working.
    async fn rotate_calendar_link(&self, ctx: &Context<'_>) -> GqlResult<String> {
        let st = state(ctx)?;
        let c = caller(ctx)?;
        let generation = crate::users::accounts::rotate_calendar(&st.db, c).await?;
        let token = st.tokens.issue_calendar(c.user.id, generation)?;
        Ok(format!("/api/calendar.ics?token={token}"))
    }

    /// Ends every session of another account (administrators): a lost device, a shared
    /// screen. Its calendar address stays.
    async fn end_sessions(&self, ctx: &Context<'_>, user_id: i32) -> GqlResult<UserAccount> {
        let db = &state(ctx)?.db;
        let u = crate::users::accounts::end_sessions(db, caller(ctx)?, user_id).await?;
        Ok(account(db, u).await?)
    }

    /// Switches a leaver's account off (administrators): every session and calendar
    /// address ends at once. Answers what they were doing that someone must take on.
    async fn deactivate_user(&self, ctx: &Context<'_>, user_id: i32) -> GqlResult<Deactivation> {
        let db = &state(ctx)?.db;
        let (u, open) = crate::users::accounts::set_active(db, caller(ctx)?, user_id, false).await?;
        Ok(Deactivation { user: account(db, u).await?, open_assignments: open.into_iter().map(Into::into).collect() })
    }

    /// Switches an account on again (administrators). Tokens issued before it was
    /// switched off stay refused.
    async fn reactivate_user(&self, ctx: &Context<'_>, user_id: i32) -> GqlResult<UserAccount> {
        let db = &state(ctx)?.db;
        let (u, _) = crate::users::accounts::set_active(db, caller(ctx)?, user_id, true).await?;
        Ok(account(db, u).await?)
    }

    /// Takes a role away (administrators); the user's sessions end so it goes at once.
    async fn remove_role(&self, ctx: &Context<'_>, user_id: i32, grant: RoleGrantInput) -> GqlResult<UserAccount> {
        let db = &state(ctx)?.db;
        let g = Grant {
            role: grant.role.into(),
            board: grant.board_id.map(shared::BoardId),
            agency: grant.agency_id.map(shared::AgencyId),
        };
        crate::users::accounts::remove_role(db, caller(ctx)?, user_id, &g).await?;
        let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
        Ok(account(db, u).await?)
    }
}

#[derive(Default)]
pub struct AccountQuery;

#[Object]
impl AccountQuery {
    /// What a user is doing on open reviews that someone must take on if they leave
    /// (administrators).
    async fn open_assignments(&self, ctx: &Context<'_>, user_id: i32) -> GqlResult<Vec<OpenAssignment>> {
        let c = caller(ctx)?;
        crate::users::require_admin(c)?;
        let open = crate::users::accounts::open_assignments(&state(ctx)?.db, user_id).await?;
        Ok(open.into_iter().map(Into::into).collect())
    }
}

/// A role proposed for a user, waiting for (or given) a second person's decision.
#[derive(SimpleObject)]
#[graphql(complex)]
pub struct GrantProposal {
    pub id: i32,
    pub user_id: i32,
    pub role: RoleGql,
    pub board_id: Option<i32>,
    pub agency_id: Option<i32>,
    /// Who proposed it; none when it came from the command line.
    pub proposed_by: Option<i32>,
    pub proposed_at: DateTime<Utc>,
    /// APPROVED or REFUSED; none while it waits.
    pub outcome: Option<String>,
    pub decided_by: Option<i32>,
    pub decided_at: Option<DateTime<Utc>>,
    pub reason: Option<String>,
}

fn who(u: Option<user::Model>) -> Option<String> {
    u.map(|u| format!("{} <{}>", u.name, u.email))
}

#[async_graphql::ComplexObject]
impl GrantProposal {
    /// Whom it is for: "Name <e-mail>".
    async fn person(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        Ok(who(by_id::<user::Entity>(ctx, self.user_id).await?))
    }
    /// Who proposed it; none from the command line.
    async fn proposer(&self, ctx: &Context<'_>) -> GqlResult<Option<String>> {
        match self.proposed_by {
            Some(id) => Ok(who(by_id::<user::Entity>(ctx, id).await?)),
            None => Ok(None),
        }
    }
}

impl TryFrom<grant_proposal::Model> for GrantProposal {
    type Error = ApiError;
    fn try_from(p: grant_proposal::Model) -> ApiResult<Self> {
        Ok(GrantProposal {
            id: p.id,
            user_id: p.user_id,
            role: crate::stored::value("role", &p.role, shared::role::Role::parse)?.into(),
            board_id: p.board_id,
            agency_id: p.agency_id,
            proposed_by: p.proposed_by,
            proposed_at: p.proposed_at,
            outcome: p.outcome.map(|o| o.to_uppercase()),
            decided_by: p.decided_by,
            decided_at: p.decided_at,
            reason: p.reason,
        })
    }
}

/// A grant approved, and what became of the account's password.
#[derive(SimpleObject)]
pub struct GrantDecision {
    pub proposal: GrantProposal,
    /// Someone else may have known the account's password (an administrator typed it
    /// or was shown the link that set it): it ended, with every session.
    pub password_ended: bool,
    /// The link for the person's own password was e-mailed to them; when the password
    /// ended and this is false, whoever runs the server prints it with
    /// `scr password-link`.
    pub link_emailed: bool,
}

#[derive(Default)]
pub struct GrantsMutation;

/// Roles given with two pairs of eyes.
#[Object]
impl GrantsMutation {
    /// Asks for a role for a user (administrators; a business manager for their board).
    /// A role that reads names in full, or the administrator's, waits for a second
    /// person's approval; any other is in effect at once.
    async fn propose_grant(&self, ctx: &Context<'_>, user_id: i32, grant: RoleGrantInput) -> GqlResult<UserAccount> {
        let db = &state(ctx)?.db;
        let g = Grant {
            role: grant.role.into(),
            board: grant.board_id.map(shared::BoardId),
            agency: grant.agency_id.map(shared::AgencyId),
        };
        crate::users::grants::propose_grant(db, caller(ctx)?, user_id, &g).await?;
        let u = user::Entity::find_by_id(user_id).one(db).await?.ok_or(ApiError::NotFound)?;
        Ok(account(db, u).await?)
    }

    /// Approves a proposed role: the Board Chair or business manager of its board, or
    /// another administrator; never the person it is for, nor its proposer.
    /// The person is told by e-mail when mail is set up. If someone else may know the
    /// account's password (an administrator typed it, or was shown the link that set
    /// it), that password ends with every session, and the person sets their own
    /// through a link e-mailed to them or printed on the server.
    async fn approve_grant(&self, ctx: &Context<'_>, proposal_id: i32) -> GqlResult<GrantDecision> {
        let st = state(ctx)?;
        let d =
            crate::users::grants::decide_grant(&st.db, Some(caller(ctx)?), proposal_id, true, None, st.mail.is_some())
                .await?;
        let mut link_emailed = false;
        if let Some(m) = &st.mail
            && let Some(u) = user::Entity::find_by_id(d.proposal.user_id).one(&st.db).await?
        {
            let role = crate::stored::value("role", &d.proposal.role, shared::role::Role::parse)?;
            let (subject, body) = crate::users::links::approval_message(&u.name, role.title());
            m.send(&u.name, &u.email, &subject, body).await?;
            if let Some(issued) = &d.renewal {
                let (subject, body) =
                    crate::users::links::message(issued, &format!("{}{}", m.link_base, issued.path()));
                m.send(&u.name, &u.email, &subject, body).await?;
                link_emailed = true;
            }
        }
        Ok(GrantDecision {
            proposal: GrantProposal::try_from(d.proposal)?,
            password_ended: d.password_ended,
            link_emailed,
        })
    }

    /// Refuses a proposed role, with the reason.
    async fn refuse_grant(&self, ctx: &Context<'_>, proposal_id: i32, reason: String) -> GqlResult<GrantProposal> {
        let d = crate::users::grants::decide_grant(
            &state(ctx)?.db,
            Some(caller(ctx)?),
            proposal_id,
            false,
            Some(&reason),
            false,
        )
        .await?;
        Ok(GrantProposal::try_from(d.proposal)?)
    }
}

#[derive(Default)]
pub struct GrantsQuery;

#[Object]
impl GrantsQuery {
    /// Proposed roles the caller may decide or oversee (administrators: all; a Board
    /// Chair or business manager: their boards').
    async fn grant_proposals(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = true)] pending_only: bool,
    ) -> GqlResult<Vec<GrantProposal>> {
        let rows = crate::users::grants::proposals_for(&state(ctx)?.db, caller(ctx)?, pending_only).await?;
        Ok(rows.into_iter().map(GrantProposal::try_from).collect::<ApiResult<Vec<_>>>()?)
    }

    /// Changes to accounts and organisations (no review's), newest first, with who made
    /// them and what they were about: for the Board Chair and business manager, and
    /// administrators. Found by part of a name, e-mail address or operation, by what they
    /// were about and by day, a page at a time (at most 100). As CSV, with the same
    /// filter: `GET /api/administration-audit.csv?q=&about=&from=&to=`.
    async fn administration_audit(
        &self,
        ctx: &Context<'_>,
        #[graphql(default)] filter: AdministrationFilter,
        #[graphql(default = 0)] offset: u64,
        #[graphql(default = 50)] limit: u64,
    ) -> GqlResult<AdministrationPage> {
        let filter = filter.into_filter()?;
        let (total, rows) =
            crate::users::administration::find(&state(ctx)?.db, caller(ctx)?, &filter, offset, limit).await?;
        Ok(AdministrationPage { total, offset, entries: rows.into_iter().map(AdministrationEntry::from).collect() })
    }
}

/// What to look for in the administration audit; every part optional.
#[derive(InputObject, Default)]
pub struct AdministrationFilter {
    /// Part of who made the change or what it was about (a name, an e-mail address, a
    /// board, agency or area), or of the operation ("approve grant"), any case.
    pub text: Option<String>,
    /// What the changes were about: `accounts`, `proposals` (roles proposed and
    /// decided) or `organisations` (boards, agencies and areas).
    pub about: Option<String>,
    /// The first day (UTC) of the changes, included.
    pub from: Option<NaiveDate>,
    /// The last day (UTC) of the changes, included.
    pub to: Option<NaiveDate>,
}

impl AdministrationFilter {
    fn into_filter(self) -> ApiResult<crate::users::administration::Filter> {
        let about = match self.about.as_deref().map(str::trim).filter(|a| !a.is_empty()) {
            None => None,
            Some(a) => Some(
                crate::users::administration::About::parse(a)
                    .ok_or_else(|| ApiError::invalid("about", "Choose accounts, proposals or organisations"))?,
            ),
        };
        Ok(crate::users::administration::Filter { text: self.text, about, from: self.from, to: self.to })
    }
}

/// A page of the administration audit.
#[derive(SimpleObject)]
pub struct AdministrationPage {
    /// How many changes were found in all.
    pub total: u64,
    pub offset: u64,
    pub entries: Vec<AdministrationEntry>,
}

/// A change to an account or an organisation.
#[derive(SimpleObject)]
pub struct AdministrationEntry {
    pub at: DateTime<Utc>,
    pub actor_id: Option<i32>,
    /// Who made it ("Name <e-mail>"), or "the server" for the command line.
    pub actor: String,
    pub operation: String,
    pub record_type: String,
    pub record_id: i32,
    /// What it was about: the account, the role proposed and for whom, the board,
    /// area or agency.
    pub subject: String,
}

impl From<crate::users::administration::Change> for AdministrationEntry {
    fn from(c: crate::users::administration::Change) -> Self {
        AdministrationEntry {
            at: c.at,
            actor_id: c.actor_id,
            actor: c.actor,
            operation: c.operation,
            record_type: c.record_type,
            record_id: c.record_id,
            subject: c.subject,
        }
    }
}

/// A person to invite, with their roles.
#[derive(InputObject)]
pub struct InviteInput {
    pub email: String,
    pub name: String,
    pub job_title: Option<String>,
    pub agency_id: Option<i32>,
    pub roles: Vec<RoleGrantInput>,
}

/// A one-time link issued: e-mailed to its person, or (without mail set up) answered
/// here, once, for the administrator to pass on.
#[derive(SimpleObject)]
pub struct IssuedLink {
    pub user: UserAccount,
    pub emailed: bool,
    /// The link's path (`/set-password#token=...`), only when it was not e-mailed.
    pub link: Option<String>,
    /// No link was issued here: mail is not set up and the account awaits a role that
    /// reads names, so whoever runs the server prints its link (`scr password-link`).
    pub on_server: bool,
}

fn delivery(ctx: &Context<'_>) -> GqlResult<crate::users::links::Delivery> {
    Ok(if state(ctx)?.mail.is_some() {
        crate::users::links::Delivery::Mail
    } else {
        crate::users::links::Delivery::Shown
    })
}

async fn deliver(
    ctx: &Context<'_>,
    u: user::Model,
    issued: Option<crate::users::links::Issued>,
) -> GqlResult<IssuedLink> {
    let st = state(ctx)?;
    let Some(issued) = issued else {
        return Ok(IssuedLink { user: account(&st.db, u).await?, emailed: false, link: None, on_server: true });
    };
    let path = issued.path();
    let (emailed, link) = match &st.mail {
        Some(m) => {
            let (subject, body) = crate::users::links::message(&issued, &format!("{}{path}", m.link_base));
            m.send(&issued.user.name, &issued.user.email, &subject, body).await?;
            (true, None)
        }
        // A private link is never answered (nor issued without mail).
        None if issued.private => (false, None),
        None => (false, Some(path)),
    };
    Ok(IssuedLink { user: account(&st.db, issued.user).await?, emailed, link, on_server: false })
}

#[derive(Default)]
pub struct LinksMutation;

/// Invitations and password resets by one-time link.
#[Object]
impl LinksMutation {
    /// Invites a person (administrators; a business manager for their own board: its
    /// roles and the professionals of its agencies): their account, their roles (one that reads
    /// names in full waits for a second person) and a link, valid 7 days and once, to
    /// set their own password.
    async fn invite_user(&self, ctx: &Context<'_>, input: InviteInput) -> GqlResult<IssuedLink> {
        let grants = input
            .roles
            .iter()
            .map(|g| Grant {
                role: g.role.into(),
                board: g.board_id.map(shared::BoardId),
                agency: g.agency_id.map(shared::AgencyId),
            })
            .collect();
        let inv = crate::users::links::Invitation {
            email: input.email,
            name: input.name,
            job_title: input.job_title,
            agency_id: input.agency_id,
            grants,
        };
        let (u, issued) = crate::users::links::invite(&state(ctx)?.db, caller(ctx)?, inv, delivery(ctx)?).await?;
        deliver(ctx, u, issued).await
    }

    /// Starts a password reset (administrators): a link, valid 24 hours and once.
    async fn start_password_reset(&self, ctx: &Context<'_>, user_id: i32) -> GqlResult<IssuedLink> {
        let issued = crate::users::links::start_reset(&state(ctx)?.db, caller(ctx)?, user_id, delivery(ctx)?).await?;
        let u = issued.user.clone();
        deliver(ctx, u, Some(issued)).await
    }

    /// Sets a password through a one-time link (no sign-in needed): every session of
    /// the account ends and this one begins.
    async fn set_password_with_link(
        &self,
        ctx: &Context<'_>,
        token: String,
        password: String,
    ) -> GqlResult<LoginResult> {
        crate::graphql::request::sign_in_gate(ctx)?;
        let st = state(ctx)?;
        let u = crate::users::links::set_password(&st.db, &token, &password).await?;
        Ok(after_password(ctx, u).await?)
    }
}
