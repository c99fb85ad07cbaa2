//! `scr init`: an empty database set up with the first board, the local authority
//! areas it covers and the first system administrator. Like the command line and the
//! HTTP adapter, it composes features (organisations and users) rather than being one.

use sea_orm::{DatabaseConnection, EntityTrait, TransactionTrait};

use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::organisations;

/// What `scr init` sets up: the first board, its areas and the first administrator.
#[derive(Debug, Clone)]
pub struct FirstBoard {
    pub board_name: String,
    pub areas: Vec<String>,
    pub admin_email: String,
    pub admin_name: String,
    pub admin_password: String,
}

/// What `first_board` found or did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Init {
    /// The board and the administrator were created.
    Created { board_id: i32, admin_id: i32 },
    /// This very board and administrator exist already: nothing was changed.
    AlreadyDone { board_id: i32 },
}

/// Sets up an empty database: the first board with its areas, and the first system
/// administrator (who reads no case content). Run again with the same board and
/// administrator, it changes nothing and says so; on a database that already has
/// another board or users, it refuses.
pub async fn first_board(db: &DatabaseConnection, f: FirstBoard) -> ApiResult<Init> {
    let n = organisations::name("boardName", &f.board_name)?;
    let boards = board::Entity::find().all(db).await?;
    let users = user::Entity::find().all(db).await?;
    if !boards.is_empty() || !users.is_empty() {
        let email = shared::value::Email::parse(&f.admin_email)?;
        let same_board = boards.iter().find(|b| b.name.eq_ignore_ascii_case(&n));
        let same_admin = users.iter().any(|u| u.email == email.as_ref());
        return match (same_board, same_admin, boards.len()) {
            (Some(b), true, 1) => Ok(Init::AlreadyDone { board_id: b.id }),
            _ => Err(ApiError::invalid(
                "boardName",
                "This database is already set up with other boards or users: nothing was changed",
            )),
        };
    }
    let mut areas = Vec::new();
    for (i, a) in f.areas.iter().enumerate() {
        let a = organisations::name(&format!("areas.{i}"), a)?;
        if areas.iter().any(|x: &String| x.eq_ignore_ascii_case(&a)) {
            return Err(ApiError::invalid(format!("areas.{i}"), "This area is given twice"));
        }
        areas.push(a);
    }
    // The administrator is checked (e-mail, name, password rules) before anything is written.
    crate::users::check_new_user(db, &f.admin_email, &f.admin_name, &f.admin_password).await?;
    // Not a step on a review: setting up the first board.
    let txn = db.begin().await?;
    let b = organisations::insert_board(&txn, n).await?;
    organisations::log(&txn, None, "create_board", "board", b.id).await?;
    for a in areas {
        let row = organisations::insert_area(&txn, b.id, a).await?;
        organisations::log(&txn, None, "add_area", "local_authority_area", row.id).await?;
    }
    txn.commit().await?;
    let admin = crate::users::create_user(
        db,
        None,
        crate::users::NewUser {
            email: f.admin_email,
            name: f.admin_name,
            job_title: Some("System administrator".to_owned()),
            agency_id: None,
            password: f.admin_password,
            grants: vec![shared::policy::Grant {
                role: shared::role::Role::SystemAdministrator,
                board: None,
                agency: None,
            }],
        },
    )
    .await?;
    Ok(Init::Created { board_id: b.id, admin_id: admin.id })
}
