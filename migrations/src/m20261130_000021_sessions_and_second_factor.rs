//! Sessions that last while people work, and a second factor.
//!
//! A sign-in starts a session: short access tokens name it, and a refresh token (kept
//! by the browser in an `HttpOnly` cookie, stored here only as SHA-256) renews them.
//! Each refresh token is used once; presenting a used one ends the session, since
//! one of the two presenting it is not its owner. A session ends when idle too long,
//! at its absolute end, or when signed out.
//!
//! A local account may hold a TOTP secret (RFC 6238) and ten recovery codes (random,
//! about 49 bits each, stored as SHA-256; each used once). `totp_last_step` refuses a code's replay. A
//! board may require the factor of everyone on it.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::*;

use crate::m20261126_000001_create_directory::{Boards, Users};
use crate::{fk, index};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SignInSessions {
    Table,
    Id,
    UserId,
    /// `password`, `password+totp`, `recovery-code` or `provider`.
    Method,
    Generation,
    StartedAt,
    LastActiveAt,
    EndsAt,
    EndedAt,
    EndReason,
}

#[derive(DeriveIden)]
enum RefreshTokens {
    Table,
    Id,
    SessionId,
    TokenHash,
    IssuedAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum RecoveryCodes {
    Table,
    Id,
    UserId,
    CodeHash,
    UsedAt,
}

#[derive(DeriveIden)]
enum FactorColumns {
    TotpSecret,
    TotpPendingSecret,
    TotpLastStep,
    TotpFailures,
    FactorResetProposedBy,
    SecondFactorForAll,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.create_table(
            Table::create()
                .table(SignInSessions::Table)
                .col(pk_auto(SignInSessions::Id))
                .col(integer(SignInSessions::UserId))
                .col(string(SignInSessions::Method))
                .col(integer(SignInSessions::Generation))
                .col(timestamp_with_time_zone(SignInSessions::StartedAt))
                .col(timestamp_with_time_zone(SignInSessions::LastActiveAt))
                .col(timestamp_with_time_zone(SignInSessions::EndsAt))
                .col(timestamp_with_time_zone_null(SignInSessions::EndedAt))
                .col(string_null(SignInSessions::EndReason))
                .foreign_key(&mut fk(
                    SignInSessions::Table,
                    SignInSessions::UserId,
                    Users::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(SignInSessions::Table, "ix_sign_in_sessions_user", &["user_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(RefreshTokens::Table)
                .col(pk_auto(RefreshTokens::Id))
                .col(integer(RefreshTokens::SessionId))
                .col(string(RefreshTokens::TokenHash))
                .col(timestamp_with_time_zone(RefreshTokens::IssuedAt))
                .col(timestamp_with_time_zone_null(RefreshTokens::UsedAt))
                .foreign_key(&mut fk(
                    RefreshTokens::Table,
                    RefreshTokens::SessionId,
                    SignInSessions::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(RefreshTokens::Table, "ux_refresh_tokens_hash", &["token_hash"], true)).await?;
        m.create_index(index(RefreshTokens::Table, "ix_refresh_tokens_session", &["session_id"], false)).await?;
        m.create_table(
            Table::create()
                .table(RecoveryCodes::Table)
                .col(pk_auto(RecoveryCodes::Id))
                .col(integer(RecoveryCodes::UserId))
                .col(string(RecoveryCodes::CodeHash))
                .col(timestamp_with_time_zone_null(RecoveryCodes::UsedAt))
                .foreign_key(&mut fk(
                    RecoveryCodes::Table,
                    RecoveryCodes::UserId,
                    Users::Table,
                    ForeignKeyAction::Cascade,
                ))
                .to_owned(),
        )
        .await?;
        m.create_index(index(RecoveryCodes::Table, "ix_recovery_codes_user", &["user_id"], false)).await?;
        // SQLite adds one column an ALTER.
        for col in [
            string_null(FactorColumns::TotpSecret),
            string_null(FactorColumns::TotpPendingSecret),
            big_integer_null(FactorColumns::TotpLastStep),
            integer_null(FactorColumns::TotpFailures),
            integer_null(FactorColumns::FactorResetProposedBy),
        ] {
            m.alter_table(Table::alter().table(Users::Table).add_column(col).to_owned()).await?;
        }
        m.alter_table(
            Table::alter()
                .table(Boards::Table)
                .add_column(boolean(FactorColumns::SecondFactorForAll).default(false))
                .to_owned(),
        )
        .await
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.alter_table(Table::alter().table(Boards::Table).drop_column(FactorColumns::SecondFactorForAll).to_owned())
            .await?;
        for col in [
            FactorColumns::FactorResetProposedBy,
            FactorColumns::TotpFailures,
            FactorColumns::TotpLastStep,
            FactorColumns::TotpPendingSecret,
            FactorColumns::TotpSecret,
        ] {
            m.alter_table(Table::alter().table(Users::Table).drop_column(col).to_owned()).await?;
        }
        m.drop_table(Table::drop().table(RecoveryCodes::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(RefreshTokens::Table).to_owned()).await?;
        m.drop_table(Table::drop().table(SignInSessions::Table).to_owned()).await
    }
}
