//! Domain values that parse rather than validate: once you hold an `Email`,
//! it is a well-formed address; the private field keeps it that way.

use serde::{Deserialize, Serialize};

/// Why a value was refused, naming the field it came from so that the API and the
/// client can show the message next to that field.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, Serialize, Deserialize)]
#[error("{field}: {message}")]
pub struct ValidationError {
    /// Path of the offending field, e.g. `input.email` or `answers.3`.
    pub field: String,
    /// A sentence a user can act on.
    pub message: String,
}

impl ValidationError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self { field: field.into(), message: message.into() }
    }

    /// The same error, reported under a path prefix (`input` + `email` -> `input.email`).
    pub fn under(mut self, prefix: &str) -> Self {
        if !prefix.is_empty() {
            self.field = format!("{prefix}.{}", self.field);
        }
        self
    }
}

fn has_control_chars(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
}

/// An e-mail address, trimmed and lower-cased. Checked for shape only: a local part,
/// one `@`, a domain with a dot, no spaces. Delivery is the only real proof.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Email(String);

impl Email {
    pub const MAX_LEN: usize = 254;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim().to_lowercase();
        let err = |m: &str| Err(ValidationError::new("email", m));
        if s.is_empty() {
            return err("Enter an e-mail address");
        }
        if s.len() > Self::MAX_LEN {
            return err("E-mail address must be 254 characters or fewer");
        }
        if s.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return err("E-mail address must not contain spaces");
        }
        let Some((local, domain)) = s.split_once('@') else {
            return err("Enter an e-mail address in the correct format, like name@example.org");
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && !domain.contains('@');
        if local.is_empty() || !domain_ok {
            return err("Enter an e-mail address in the correct format, like name@example.org");
        }
        Ok(Self(s))
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Email {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's name as recorded: trimmed, 1 to 200 characters, no control characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct PersonName(String);

impl PersonName {
    pub const MAX_CHARS: usize = 200;

    pub fn parse(raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValidationError::new("name", "Enter a name"));
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new("name", "Name must be 200 characters or fewer"));
        }
        if has_control_chars(s) || s.contains('\n') {
            return Err(ValidationError::new("name", "Name must be on one line"));
        }
        Ok(Self(s.to_owned()))
    }
}

impl AsRef<str> for PersonName {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Free text a user writes (reasons, circumstances, answers): trimmed, bounded,
/// required unless the caller says otherwise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Text(String);

impl Text {
    /// Long enough for a chronology of circumstances, short enough to keep a request small.
    pub const MAX_CHARS: usize = 20_000;

    /// Parses required text for `field`.
    pub fn parse(field: &str, raw: &str) -> Result<Self, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Err(ValidationError::new(field, "This must not be empty"));
        }
        Self::parse_optional(field, s).map(|t| t.unwrap_or_else(|| Self(String::new())))
    }

    /// Parses text that may be left empty (`None`).
    pub fn parse_optional(field: &str, raw: &str) -> Result<Option<Self>, ValidationError> {
        let s = raw.trim();
        if s.is_empty() {
            return Ok(None);
        }
        if s.chars().count() > Self::MAX_CHARS {
            return Err(ValidationError::new(field, "Text must be 20,000 characters or fewer"));
        }
        if has_control_chars(s) {
            return Err(ValidationError::new(field, "Text contains characters that cannot be stored"));
        }
        Ok(Some(Self(s.to_owned())))
    }

    pub fn into_inner(self) -> String {
        self.0
    }
}

impl AsRef<str> for Text {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

/// Passwords of twelve characters or more that are guessed first: refused as new
/// passwords. Shipped with the product (`common_passwords.txt`), compared ignoring case.
const COMMON_PASSWORDS: &str = include_str!("common_passwords.txt");

/// A new password: at least 12 characters, at most 128 (argon2 takes any length,
/// but nobody types more, and unbounded input is a denial-of-service lever), and not
/// one of the common passwords the product ships.
pub fn check_new_password(raw: &str) -> Result<(), ValidationError> {
    let n = raw.chars().count();
    if n < 12 {
        return Err(ValidationError::new("password", "Password must be at least 12 characters"));
    }
    if n > 128 {
        return Err(ValidationError::new("password", "Password must be 128 characters or fewer"));
    }
    if COMMON_PASSWORDS.lines().any(|c| c.trim().eq_ignore_ascii_case(raw.trim())) {
        return Err(ValidationError::new("password", "This password is one of the most common: choose another"));
    }
    Ok(())
}

/// A new password for the account with `email`: the rules above, and not the e-mail
/// address or the part of it before the `@`.
pub fn check_new_password_for(raw: &str, email: &str) -> Result<(), ValidationError> {
    check_new_password(raw)?;
    let typed = raw.trim().to_lowercase();
    let email = email.trim().to_lowercase();
    let local = email.split('@').next().unwrap_or_default();
    if typed == email || (!local.is_empty() && typed == local) || typed.contains(&email) {
        return Err(ValidationError::new("password", "Password must not be your e-mail address"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_common_or_own_email_password_is_refused_naming_the_field() {
        assert_eq!(check_new_password("Password1234").unwrap_err().field, "password");
        assert_eq!(check_new_password("QWERTY123456").unwrap_err().field, "password");
        assert!(check_new_password("a long unusual phrase").is_ok());
        let e = check_new_password_for("chair.person@board.example", "Chair.Person@board.example").unwrap_err();
        assert!(e.message.contains("e-mail"), "{e:?}");
        assert!(check_new_password_for("a long unusual phrase", "chair@board.example").is_ok());
    }

    #[test]
    fn an_email_is_trimmed_and_lower_cased() {
        let e = Email::parse("  Chair@Board.Example.ORG ").unwrap();
        assert_eq!(e.as_ref(), "chair@board.example.org");
    }

    #[test]
    fn malformed_emails_are_rejected_naming_the_field() {
        for bad in ["", "no-at-sign", "@example.org", "a@nodot", "a@.org", "a@b..org", "a b@c.org", "a@b@c.org"] {
            let err = Email::parse(bad).unwrap_err();
            assert_eq!(err.field, "email", "{bad}");
        }
    }

    #[test]
    fn a_name_longer_than_200_characters_is_rejected() {
        assert!(PersonName::parse(&"a".repeat(201)).is_err());
        assert!(PersonName::parse(&"é".repeat(200)).is_ok());
    }

    #[test]
    fn a_blank_or_multi_line_name_is_rejected() {
        assert!(PersonName::parse("   ").is_err());
        assert!(PersonName::parse("Jane\nDoe").is_err());
    }

    #[test]
    fn required_text_must_not_be_blank_and_optional_text_may_be() {
        assert_eq!(Text::parse("reasons", "  ").unwrap_err().field, "reasons");
        assert_eq!(Text::parse_optional("reasons", " ").unwrap(), None);
        assert_eq!(Text::parse("reasons", " why ").unwrap().as_ref(), "why");
    }

    #[test]
    fn passwords_shorter_than_twelve_characters_are_rejected() {
        assert!(check_new_password("short-pass1").is_err());
        assert!(check_new_password("long-enough-pass").is_ok());
        assert!(check_new_password(&"x".repeat(129)).is_err());
    }

    #[test]
    fn an_error_can_be_placed_under_a_path() {
        let e = ValidationError::new("email", "bad").under("input");
        assert_eq!(e.field, "input.email");
    }

    proptest! {
        #[test]
        fn email_parsing_never_panics_and_is_idempotent(s in ".{0,300}") {
            if let Ok(e) = Email::parse(&s) {
                prop_assert_eq!(Email::parse(e.as_ref()).unwrap(), e);
            }
        }

        #[test]
        fn any_accepted_text_is_trimmed_and_bounded(s in ".{0,500}") {
            if let Ok(Some(t)) = Text::parse_optional("f", &s) {
                prop_assert_eq!(t.as_ref().trim(), t.as_ref());
                prop_assert!(!t.as_ref().is_empty());
            }
        }
    }
}
