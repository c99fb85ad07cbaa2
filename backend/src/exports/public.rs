//! What the public may read without signing in: the executive summary of a published
//! review (11.17), anonymised. Nothing else of a review is ever served here.

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use shared::report::SummarySection;
use shared::stage::Stage;

use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::records::{self, Doc};

/// A published executive summary: the review's reference, the board that publishes
/// it, the day it was published and its sections.
pub struct Published {
    pub reference: String,
    pub board: String,
    pub published_on: Option<chrono::NaiveDate>,
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
    let board = board::Entity::find_by_id(r.lead_board_id).one(db).await?.map(|b| b.name).unwrap_or_default();
    let published_on = milestone::Entity::find()
        .filter(milestone::Column::ReviewId.eq(r.id))
        .filter(milestone::Column::Kind.eq(shared::completion::Milestone::Published.as_str()))
        .one(db)
        .await?
        .map(|m| m.on_date);
    Ok(Published { reference: r.reference, board, published_on, sections })
}

/// The page's own style sheet, inline so that the page stands alone; the page's CSP
/// allows exactly this text by its hash and nothing else.
pub const STYLE: &str = "body{font-family:arial,sans-serif;max-width:40em;margin:2em auto;padding:0 1em;line-height:1.5;color:#0b0c0c}\
header{border-bottom:10px solid #1d70b8;margin-bottom:1.5em}h1{font-size:2em;line-height:1.2}h2{font-size:1.4em;margin-top:1.5em}\
.meta{color:#505a5f}@media print{header{border-bottom-width:2px}}";

/// The Content-Security-Policy of the public page: nothing but its own inline style.
pub fn content_security_policy() -> String {
    use base64::Engine;
    use sha2::Digest;
    let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(STYLE.as_bytes()));
    format!(
        "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    )
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
    let when = p.published_on.map(|d| format!("Published {}.", d.format("%-d %B %Y"))).unwrap_or_default();
    format!(
        "<!doctype html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Serious Case Review {r}: executive summary - {b}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<header>\n<p class=\"meta\">{b}</p>\n</header>\n<main>\n<h1>Serious Case Review {r}: executive summary</h1>\n<p class=\"meta\">{when}</p>\n{body}</main>\n</body>\n</html>\n",
        r = escape(&p.reference),
        b = escape(&p.board),
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
        let p = Published {
            reference: "SCR-1".into(),
            board: "Stockport <Board>".into(),
            published_on: chrono::NaiveDate::from_ymd_opt(2026, 3, 9),
            sections: vec![("Introduction".into(), "a <b>\n\nb".into())],
        };
        let html = page(&p);
        assert!(html.contains("<p>a &lt;b&gt;</p>") && html.contains("<p>b</p>"));
        assert!(html.contains("Stockport &lt;Board&gt;") && html.contains("Published 9 March 2026."), "{html}");
    }

    #[test]
    fn the_policy_allows_the_pages_own_style_and_nothing_else() {
        use base64::Engine;
        use sha2::Digest;
        let html =
            page(&Published { reference: "SCR-1".into(), board: String::new(), published_on: None, sections: vec![] });
        let inline = html.split("<style>").nth(1).and_then(|s| s.split("</style>").next()).unwrap_or_default();
        let hash = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(inline.as_bytes()));
        let csp = content_security_policy();
        assert!(csp.contains(&format!("style-src 'sha256-{hash}'")), "{csp}");
        assert!(csp.starts_with("default-src 'none'") && !csp.contains("unsafe"), "{csp}");
    }
}
