//! What the public may read without signing in: the executive summary of a published
//! review (11.17), anonymised. Nothing else of a review is ever served here.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use shared::report::SummarySection;
use shared::stage::Stage;

use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::records::{self, Doc};

/// A published executive summary: the review's reference and its sections.
pub struct Published {
    pub reference: String,
    pub sections: Vec<(String, String)>,
}

/// The published summary of the review with `reference`; `NOT_FOUND` unless it has
/// been published. A text the gate would stop (a name, or a warning no second person
/// has overridden for this version) is not served at all.
pub async fn summary(db: &DatabaseConnection, reference: &str) -> ApiResult<Published> {
    let r = review::Entity::find()
        .filter(review::Column::Reference.eq(reference))
        .one(db)
        .await?
        .ok_or(ApiError::NotFound)?;
    if !matches!(crate::stored::value("review stage", &r.stage, Stage::parse)?, Stage::Published | Stage::Concluded) {
        return Err(ApiError::NotFound);
    }
    let latest = records::versions(db, r.id, Doc::ExecutiveSummary).await?.pop().ok_or(ApiError::NotFound)?;
    if crate::anonymise::written_refusal(db, &r, &[Doc::ExecutiveSummary]).await?.is_some() {
        return Err(ApiError::NotFound);
    }
    let sections = SummarySection::ALL
        .iter()
        .enumerate()
        .map(|(i, s)| (s.title().to_owned(), latest.sections.get(i).to_owned()))
        .collect();
    Ok(Published { reference: r.reference, sections })
}

/// Text made safe to place inside HTML.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The summary as a plain HTML page, readable without the client.
pub fn page(p: &Published) -> String {
    let mut body = String::new();
    for (title, text) in &p.sections {
        body.push_str(&format!("<h2>{}</h2>\n", escape(title)));
        for para in text.split("\n\n").filter(|x| !x.trim().is_empty()) {
            body.push_str(&format!("<p>{}</p>\n", escape(para).replace('\n', "<br>")));
        }
    }
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Serious Case Review {r}: executive summary</title>\n</head>\n<body style=\"font-family: arial, sans-serif; max-width: 40em; margin: 2em auto; padding: 0 1em; line-height: 1.5\">\n<main>\n<h1>Serious Case Review {r}: executive summary</h1>\n{body}</main>\n</body>\n</html>\n",
        r = escape(&p.reference)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn markup_in_a_summary_is_shown_as_text() {
        assert_eq!(
            escape("<script>alert('x')</script> & \"y\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;y&quot;"
        );
        let p = Published { reference: "SCR-1".into(), sections: vec![("Introduction".into(), "a <b>\n\nb".into())] };
        let html = page(&p);
        assert!(html.contains("<p>a &lt;b&gt;</p>") && html.contains("<p>b</p>"));
    }
}
