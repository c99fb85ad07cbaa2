//! E-mail: the weekly digest of each user's due and overdue work, and for agency
//! managers a roll-up of their agency's open IMRs and actions, sent through SMTP
//! (`lettre`). `scr send-digest` sends it; run it weekly (cron, a systemd timer).
//! Only references, agencies and deadline names go into a message: nothing of the
//! family ever leaves by e-mail.

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use shared::completion::ActionStatus;
use shared::imr::ImrStatus;

use crate::auth::Subject;
use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
pub use crate::mailer::Mailer;

/// The agency manager's roll-up: per review, their agency's IMR and open actions.
async fn roll_up(db: &DatabaseConnection, caller: &Caller, today: NaiveDate) -> ApiResult<Vec<String>> {
    let managed = caller.managed_agencies();
    if managed.is_empty() {
        return Ok(Vec::new());
    }
    let reviews = review::Entity::find().filter(crate::access::in_scope(caller)).all(db).await?;
    let scope = crate::access::for_reviews(db, caller, &reviews).await?;
    let ids: Vec<i32> = scope.iter().map(|a| a.review.id).collect();
    let imrs = imr::Entity::find()
        .filter(imr::Column::ReviewId.is_in(ids.clone()))
        .filter(imr::Column::AgencyId.is_in(managed.clone()))
        .all(db)
        .await?;
    let actions = action::Entity::find()
        .filter(action::Column::ReviewId.is_in(ids))
        .filter(action::Column::AgencyId.is_in(managed))
        .all(db)
        .await?;
    let mut lines = Vec::new();
    for a in &scope {
        let id = a.review.id;
        let mut parts = Vec::new();
        for i in imrs.iter().filter(|i| i.review_id == id) {
            let s = crate::stored::value("IMR status", &i.status, ImrStatus::parse)?;
            if !s.is_submitted() {
                let late = if i.due_on < today { ", overdue" } else { "" };
                parts.push(format!("IMR {}{late}", s.title().to_lowercase()));
            }
        }
        let open: Vec<&action::Model> =
            actions.iter().filter(|x| x.review_id == id && x.status != ActionStatus::Implemented.as_str()).collect();
        if !open.is_empty() {
            let overdue = open.iter().filter(|x| x.due_on < today).count();
            parts.push(format!("{} open action(s), {overdue} overdue", open.len()));
        }
        if !parts.is_empty() {
            lines.push(format!("- {}: {}", a.review.reference, parts.join("; ")));
        }
    }
    Ok(lines)
}

/// The digest for one user, or `None` when nothing needs them.
pub async fn digest(db: &DatabaseConnection, caller: &Caller, today: NaiveDate) -> ApiResult<Option<String>> {
    let items = crate::attention::items(db, caller, today).await?;
    let roll = roll_up(db, caller, today).await?;
    if items.is_empty() && roll.is_empty() {
        return Ok(None);
    }
    let mut body = format!("Dear {},\n\nYour Serious Case Review work this week:\n\n", caller.user.name);
    for i in &items {
        let flag = if i.overdue { "OVERDUE " } else { "" };
        body.push_str(&format!("- {flag}{}: {}\n", i.reference, i.message));
    }
    if !roll.is_empty() {
        body.push_str("\nYour agency across reviews:\n\n");
        for l in &roll {
            body.push_str(l);
            body.push('\n');
        }
    }
    body.push_str("\nSign in to act on these. This message holds no personal details of the families concerned.\n");
    Ok(Some(body))
}

/// Sends each active user their digest; returns how many were sent. A failure to send
/// to one user, or an internal error writing their digest (a stored value that does
/// not parse), is logged and does not stop the others.
pub async fn send_digests(db: &DatabaseConnection, mailer: &Mailer, today: NaiveDate) -> ApiResult<usize> {
    let mut sent = 0;
    for u in user::Entity::find().filter(user::Column::Active.eq(true)).all(db).await? {
        let written = match Caller::load(db, &Subject::User(u.id)).await {
            Ok(caller) => digest(db, &caller, today).await,
            Err(e) => Err(e),
        };
        let body = match written {
            Ok(Some(body)) => body,
            Ok(None) => continue,
            Err(ApiError::Internal(cause)) => {
                tracing::error!(user = u.id, error = %cause, "the digest was not written");
                continue;
            }
            Err(e) => return Err(e),
        };
        match mailer.send(&u.name, &u.email, "Your Serious Case Review work this week", body).await {
            Ok(()) => sent += 1,
            Err(e) => tracing::error!(user = u.id, error = %e, "the digest was not sent"),
        }
    }
    Ok(sent)
}
