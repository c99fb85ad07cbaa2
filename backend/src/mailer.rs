//! Sending e-mail through SMTP (`lettre`): the weekly digest, invitations and password
//! resets. Only what a message must say goes into it: never anything of a family.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::errors::{ApiError, ApiResult};

/// Where and as whom mail is sent.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    /// The address people open the product at (`SCR_PUBLIC_URL`), for links in mail.
    pub link_base: String,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from.to_string()).finish()
    }
}

impl Mailer {
    /// `url`: `smtp://host:port` (plain, for a relay on the same host or in tests),
    /// `smtp://host:587?tls=required` (STARTTLS) or `smtps://user:password@host:465`.
    pub fn new(url: &str, from: &str) -> ApiResult<Self> {
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url)
            .map_err(|e| ApiError::invalid("smtpUrl", format!("Not a usable SMTP address: {e}")))?
            .build();
        let from = from.parse().map_err(|_| ApiError::invalid("from", "Not an e-mail address"))?;
        Ok(Self { transport, from, link_base: String::new() })
    }

    /// Links in messages start with `base` (e.g. `https://scr.board.example`).
    pub fn with_link_base(mut self, base: &str) -> Self {
        self.link_base = base.trim_end_matches('/').to_owned();
        self
    }

    /// Sends one plain-text message to `name <email>`.
    pub async fn send(&self, name: &str, email: &str, subject: &str, body: String) -> ApiResult<()> {
        let to = format!("{name} <{email}>")
            .parse::<Mailbox>()
            .map_err(|_| ApiError::invalid("email", "No usable e-mail address"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body)
            .map_err(ApiError::internal)?;
        self.transport.send(message).await.map_err(ApiError::internal)?;
        Ok(())
    }
}
