//! Whether an account's password is known to its owner alone: set by them through a
//! link only they received (by e-mail, or printed on the server), or by whoever runs
//! the server. A password an administrator typed, or set through a link shown to an
//! administrator, is not; a role that reads names in full is never approved on such a
//! password. Accounts made before this were made from the command line or typed in by
//! an administrator: they count as not private until their owner sets a new password.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum UserPrivacy {
    PasswordPrivate,
}

#[derive(DeriveIden)]
enum OneTimeLinks {
    Table,
    Private,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(
            Table::alter()
                .table(Users::Table)
                .add_column(boolean(UserPrivacy::PasswordPrivate).default(false))
                .to_owned(),
        )
        .await?;
        m.alter_table(
            Table::alter()
                .table(OneTimeLinks::Table)
                .add_column(boolean(OneTimeLinks::Private).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(OneTimeLinks::Table).drop_column(OneTimeLinks::Private).to_owned()).await?;
        m.alter_table(Table::alter().table(Users::Table).drop_column(UserPrivacy::PasswordPrivate).to_owned()).await
    }
}
