//! Demo data: a board and a partner board, their agencies, one user for every role
//! and cases at every stage of the decision phase. Built through the same steps the
//! API uses (the only folder that drives the other features), so the demo shows what
//! the system really does. `later_phases.rs` carries cases into the review and
//! completion phases; `synthetic.rs` writes data at scale.

pub mod later_phases;
pub mod synthetic;

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};
use shared::criteria::{AbuseOrNeglect, Category, HarmCategory, Indicator, ReferralFacts};
use shared::deadline::ProcedureProfile;
use shared::policy::Grant;
use shared::role::{Assignment, Role};
use shared::stage::{NoReviewOutcome, Relationship};
use shared::{AgencyId, BoardId};

use crate::auth::Subject;
use crate::context::Caller;
use crate::decision::NewReferral;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::register::NewPerson;
use crate::users;
use crate::users::NewUser;

/// The password of every demo account. Demo data only: never seed a real system.
pub const DEMO_PASSWORD: &str = "scr-demo-password";

/// The demo accounts: e-mail, name, job title, role, what it shows.
pub const DEMO_USERS: &[(&str, &str, &str, Role, &str)] = &[
    (
        "chair@scr.example",
        "Margaret Hale",
        "Independent Board Chair",
        Role::BoardChair,
        "decides, approves terms of reference",
    ),
    (
        "manager@scr.example",
        "Priya Shah",
        "Board Business Manager",
        Role::BusinessManager,
        "notifies Ofsted, sets up, appoints",
    ),
    ("panel@scr.example", "Tom Reilly", "Head of Safeguarding", Role::InitialPanelMember, "assesses and recommends"),
    (
        "agency.manager@scr.example",
        "Dev Patel",
        "Detective Superintendent",
        Role::AgencyManager,
        "manages an involved agency (police)",
    ),
    ("professional@scr.example", "Hannah Brooks", "Health Visitor", Role::Professional, "refers cases"),
    (
        "subgroup@scr.example",
        "Owen Price",
        "Performance Lead",
        Role::PerformanceSubGroup,
        "monitors across reviews (pseudonymised)",
    ),
    (
        "inspector@scr.example",
        "Ruth Adeyemi",
        "Ofsted Inspector",
        Role::Inspector,
        "reads notified reviews (pseudonymised)",
    ),
    (
        "partner@scr.example",
        "Colin Marsh",
        "Partner Board Manager",
        Role::PartnerBoard,
        "partner board (pseudonymised)",
    ),
    (
        "analyst@scr.example",
        "Nadia Karim",
        "Board Data Analyst",
        Role::ReportingAnalyst,
        "reads the board's reports, changes nothing (pseudonymised)",
    ),
    (
        "admin@scr.example",
        "Sam Taylor",
        "System Administrator",
        Role::SystemAdministrator,
        "manages accounts, sees no case content",
    ),
    (
        "independent.chair@scr.example",
        "Alan Forbes",
        "Independent Reviewer",
        Role::Professional,
        "appointable as independent panel chair",
    ),
    ("author@scr.example", "Julia Stone", "Independent Author", Role::Professional, "appointable as overview author"),
    (
        "panel.member@scr.example",
        "Grace Lee",
        "Team Manager, Children's Social Care",
        Role::Professional,
        "SCR Panel member",
    ),
    (
        "imr.author@scr.example",
        "Neil Burton",
        "Detective Inspector, Review Unit",
        Role::Professional,
        "IMR author for the police",
    ),
    (
        "health.manager@scr.example",
        "Fiona Grant",
        "Head of Safeguarding, NHS Trust",
        Role::AgencyManager,
        "manages an involved agency (health)",
    ),
    (
        "health.author@scr.example",
        "Rachel Moss",
        "Safeguarding Nurse Reviewer",
        Role::Professional,
        "IMR author for health",
    ),
    (
        "social.manager@scr.example",
        "Kwame Asante",
        "Assistant Director, Children's Services",
        Role::AgencyManager,
        "manages an involved agency (social care)",
    ),
    (
        "social.author@scr.example",
        "Mark Ellis",
        "Service Manager, Quality Assurance",
        Role::Professional,
        "IMR author for children's social care",
    ),
    (
        "manchester.chair@scr.example",
        "Ruth Adeyemi",
        "Independent Chair, Manchester partnership",
        Role::BoardChair,
        "decides a rapid review on the 2023 route (Manchester)",
    ),
    (
        "manchester.manager@scr.example",
        "Sam Whitfield",
        "Partnership Business Manager, Manchester",
        Role::BusinessManager,
        "runs the rapid review on the 2023 route (Manchester)",
    ),
    (
        "manchester.social@scr.example",
        "Grace Lewis",
        "Head of Service, Manchester Children's Services",
        Role::AgencyManager,
        "returns the agency's information for a rapid review (Manchester)",
    ),
];

pub(crate) async fn caller(db: &DatabaseConnection, email: &str) -> ApiResult<Caller> {
    let u = user::Entity::find().filter(user::Column::Email.eq(email)).one(db).await?.ok_or(ApiError::NotFound)?;
    Caller::load(db, &Subject::User(u.id)).await
}

/// A made-up NHS number with a valid check digit, different for each demo case.
fn demo_nhs_number(i: usize) -> String {
    (0..)
        .map(|k: u64| 943_476_500 + (i as u64) * 37 + k)
        .find_map(|base| {
            let digits: Vec<u32> = base.to_string().chars().filter_map(|c| c.to_digit(10)).collect();
            let sum: u32 = digits.iter().enumerate().map(|(n, d)| d * (10 - n as u32)).sum();
            let check = match 11 - sum % 11 {
                11 => 0,
                10 => return None,
                c => c,
            };
            let all = format!("{base}{check}");
            Some(format!("{} {} {}", &all[..3], &all[3..6], &all[6..]))
        })
        .unwrap_or_default()
}

fn person(
    relationship: Relationship,
    name: &str,
    aliases: &[&str],
    dob: Option<(i32, u32, u32)>,
    address: Option<&str>,
) -> NewPerson {
    NewPerson {
        relationship,
        label: None,
        name: name.to_owned(),
        aliases: aliases.iter().map(|s| (*s).to_owned()).collect(),
        date_of_birth: dob.and_then(|(y, m, d)| chrono::NaiveDate::from_ymd_opt(y, m, d)),
        address: address.map(str::to_owned),
        agency_id: None,
    }
}

/// Seeds the demo. Returns false (and changes nothing) when demo data is already there.
pub async fn seed_demo(db: &DatabaseConnection) -> ApiResult<bool> {
    if user::Entity::find().filter(user::Column::Email.eq(DEMO_USERS[0].0)).one(db).await?.is_some() {
        return Ok(false);
    }
    let now = Utc::now();
    let profile = serde_json::to_string(&ProcedureProfile::working_together_2010()).map_err(ApiError::internal)?;
    let home = board::ActiveModel {
        name: Set("Stockport Safeguarding Children Board".into()),
        procedure_profile: Set(profile.clone()),
        created_at: Set(now),
        second_factor_for_all: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await?;
    // The partner board runs today's route: rapid reviews and local reviews (2023).
    let today_route = ProcedureProfile::of(shared::profile::ProfileKind::PracticeReview2023);
    let partner = board::ActiveModel {
        name: Set("Manchester Safeguarding Children Board".into()),
        procedure_profile: Set(serde_json::to_string(&today_route).map_err(ApiError::internal)?),
        created_at: Set(now),
        second_factor_for_all: Set(false),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let mut agencies = Vec::new();
    for (name, kind, b) in [
        ("Greater Manchester Police", "police", home.id),
        ("Stockport NHS Foundation Trust", "health", home.id),
        ("Stockport Children's Social Care", "social_care", home.id),
        ("Hillside Primary School", "education", home.id),
        ("National Probation Service North West", "probation", home.id),
        ("Manchester Children's Services", "social_care", partner.id),
    ] {
        agencies.push(
            agency::ActiveModel {
                name: Set(name.into()),
                kind: Set(kind.into()),
                board_id: Set(b),
                active: Set(true),
                ..Default::default()
            }
            .insert(db)
            .await?,
        );
    }
    let (police, health, social, school) = (agencies[0].id, agencies[1].id, agencies[2].id, agencies[3].id);
    let manchester_social = agencies[5].id;
    for (email, name, title, role, _) in DEMO_USERS {
        let (board, agency, user_agency) = match role {
            Role::BoardChair | Role::BusinessManager if email.starts_with("manchester.") => {
                (Some(BoardId(partner.id)), None, None)
            }
            Role::BoardChair
            | Role::BusinessManager
            | Role::InitialPanelMember
            | Role::PerformanceSubGroup
            | Role::ReportingAnalyst => (Some(BoardId(home.id)), None, None),
            Role::PartnerBoard => (Some(BoardId(partner.id)), None, None),
            Role::AgencyManager => {
                let a = match *email {
                    "health.manager@scr.example" => health,
                    "social.manager@scr.example" => social,
                    "manchester.social@scr.example" => manchester_social,
                    _ => police,
                };
                (None, Some(AgencyId(a)), Some(a))
            }
            _ => {
                let a = match *email {
                    "professional@scr.example" | "health.author@scr.example" => Some(health),
                    "panel.member@scr.example" | "social.author@scr.example" => Some(social),
                    "imr.author@scr.example" => Some(police),
                    _ => None,
                };
                (None, None, a)
            }
        };
        users::create_user(
            db,
            None,
            NewUser {
                email: (*email).into(),
                name: (*name).into(),
                job_title: Some((*title).into()),
                agency_id: user_agency,
                password: DEMO_PASSWORD.into(),
                grants: vec![Grant { role: *role, board, agency }],
            },
        )
        .await?;
    }
    let referrer = caller(db, "professional@scr.example").await?;
    let panel = caller(db, "panel@scr.example").await?;
    let chair = caller(db, "chair@scr.example").await?;
    let manager = caller(db, "manager@scr.example").await?;
    let agency_manager = caller(db, "agency.manager@scr.example").await?;

    let cases = [
        ("Liam Okafor", &["Li"][..], "Jane Okafor", (2019, 4, 12), "12 Station Road, Stockport SK4 1AA"),
        ("Amelia Wright", &[][..], "Karen Wright", (2016, 9, 3), "4 Mill Lane, Stockport SK2 7BB"),
        ("Noah Kowalski", &["Noe"][..], "Anna Kowalska", (2021, 1, 30), "Flat 3, 88 Hall Street, Stockport SK1 4CC"),
        ("Isla Brennan", &[][..], "Siobhan Brennan", (2012, 6, 18), "27 Park Avenue, Stockport SK3 8DD"),
        ("Musa Hassan", &[][..], "Amina Hassan", (2018, 11, 2), "9 Green Close, Stockport SK5 6EE"),
        ("Poppy Clarke", &["Pops"][..], "Lisa Clarke", (2015, 2, 14), "51 Hope Street, Stockport SK4 3FF"),
        ("Oscar Nowak", &[][..], "Ewa Nowak", (2020, 7, 7), "3 Birch Way, Stockport SK6 2GG"),
        ("Ruby Evans", &[][..], "Claire Evans", (2013, 3, 25), "16 Oak Drive, Stockport SK7 9HH"),
        ("Harry Doyle", &[][..], "Megan Doyle", (2017, 5, 9), "22 Carr Street, Stockport SK1 2JJ"),
        ("Mia Sutton", &["Mimi"][..], "Kelly Sutton", (2019, 10, 21), "7 Elm Grove, Stockport SK2 5KK"),
        ("Leo Grant", &[][..], "Donna Grant", (2018, 8, 14), "31 Vale Road, Stockport SK4 6LL"),
    ];
    // Cases entered with their real history, each step on the day it happened. Cases 0
    // to 3 happened on one day each, spread so the demo shows every deadline status;
    // case 4 started three weeks ago and case 8 last month, both entered after the event.
    let today = Utc::now().date_naive();
    let ago = |days: i64| today - Duration::days(days);
    let history = |i: usize| -> Option<History> {
        match i {
            0 => Some(History::one_day(ago(24))),
            1 => Some(History::one_day(ago(35))),
            2 => Some(History::one_day(ago(10))),
            3 => Some(History::one_day(ago(20))),
            4 => Some(History { decision: [ago(19), ago(15), ago(10), ago(6), ago(5)], ..History::one_day(ago(5)) }),
            8 => Some(History {
                decision: [ago(45), ago(43), ago(40), ago(38), ago(37)],
                appointed: ago(33),
                terms_agreed: ago(30),
                imrs_requested: ago(28),
            }),
            _ => None,
        }
    };
    let mut ids = Vec::new();
    for (i, (child, aliases, mother, dob, address)) in cases.iter().enumerate() {
        let facts = if i == 7 {
            ReferralFacts { indicators: vec![Indicator::RangeOfAgencies], ..Default::default() }
        } else if i % 2 == 0 {
            ReferralFacts {
                child_died: true,
                abuse_or_neglect: Some(AbuseOrNeglect::Suspected),
                indicators: vec![Indicator::ChildProtectionPlan],
                ..Default::default()
            }
        } else {
            ReferralFacts {
                harm: vec![HarmCategory::LifeThreateningInjury],
                abuse_or_neglect: Some(AbuseOrNeglect::Known),
                inter_agency_concern: Some(true),
                ..Default::default()
            }
        };
        let id = crate::decision::submit_referral(
            db,
            &referrer,
            NewReferral {
                child: person(Relationship::Child, child, aliases, Some(*dob), Some(address)),
                family: vec![person(Relationship::Mother, mother, &[], None, Some(address))],
                // Written as referrers write: the family's contact details and the
                // child's date of birth in the text, a typographic apostrophe. Label-only
                // readers must receive none of it.
                circumstances: format!(
                    "{child} was admitted to hospital with injuries that {mother} could not explain. {first} was known to health visiting and to the school; concerns had been raised about {first}'s weight. {first} (born {born}) lives at {line}; the family's number is 07700 900{i:03}, e-mail {email}@example.org, and {first}\u{2019}s NHS number is {nhs}.",
                    first = child.split(' ').next().unwrap_or(child),
                    born = chrono::NaiveDate::from_ymd_opt(dob.0, dob.1, dob.2)
                        .map(|d| d.format("%d/%m/%Y").to_string())
                        .unwrap_or_default(),
                    line = address.split(',').next().unwrap_or(address),
                    email = mother.to_lowercase().replace(' ', "."),
                    nhs = demo_nhs_number(i),
                ),
                facts,
                normal_residence_board_id: home.id,
                looked_after_by_board_id: None,
                other_involved_board_ids: if i % 3 == 0 { vec![partner.id] } else { vec![] },
                involved_agency_ids: vec![police, health, social, school],
                left_out_boards: vec![],
                received_on: history(i).map(|h| h.decision[0]),
            },
        )
        .await?;
        ids.push(id);
    }
    // Walk each case to its stage: case i stops after step i.
    let yes_answers: Vec<(Option<String>, bool)> =
        shared::terms::QUESTIONS
            .iter()
            .enumerate()
            .map(|(i, _)| {
                if i == 8 { (None, true) } else { (Some(format!("Agreed by the panel (question {}).", i + 1)), false) }
            })
            .collect();
    // Cases 0 to 6 stop after step i; cases 8 and 9 go on into the review phase.
    let walked: Vec<(usize, Option<History>, i32)> =
        ids.iter().copied().enumerate().filter(|(i, _)| *i != 7).map(|(i, id)| (i.min(6), history(i), id)).collect();
    for (i, history, id) in walked {
        if i >= 1 {
            crate::decision::record_assessment(
                db,
                &panel,
                id,
                Category::Mandatory,
                "The child died and neglect is suspected; the criteria of 11.2 are met.",
                history.map(|h| h.decision[1]),
            )
            .await?;
        }
        if i >= 2 {
            crate::decision::record_recommendation(
                db,
                &panel,
                id,
                true,
                None,
                Some("Agency involvement over the two years before the incident."),
                "A Serious Case Review is required.",
                history.map(|h| h.decision[2]),
            )
            .await?;
        }
        if i >= 3 {
            crate::decision::decide(
                db,
                &chair,
                id,
                true,
                None,
                "I agree with the panel: a Serious Case Review will be held.",
                history.map(|h| h.decision[3]),
            )
            .await?;
        }
        if i >= 4 {
            let sent = history.map_or(today, |h| h.decision[4]);
            crate::decision::record_ofsted_notification(db, &manager, id, sent, None).await?;
        }
        if i >= 5 {
            let pc = caller(db, "independent.chair@scr.example").await?.user.id;
            let oa = caller(db, "author@scr.example").await?.user.id;
            let pm = caller(db, "panel.member@scr.example").await?.user.id;
            let on = history.map(|h| h.appointed);
            crate::decision::appoint(db, &manager, id, pc, Assignment::PanelChair, on).await?;
            crate::decision::appoint(db, &manager, id, oa, Assignment::OverviewAuthor, on).await?;
            crate::decision::appoint(db, &manager, id, pm, Assignment::PanelMember, on).await?;
            for item in setup_checklist_item::Entity::find()
                .filter(setup_checklist_item::Column::ReviewId.eq(id))
                .all(db)
                .await?
            {
                let who = if item.agency_id == Some(police) { &agency_manager } else { &manager };
                crate::decision::update_checklist_item(db, who, item.id, true, Some("Done."), None).await?;
            }
            crate::decision::complete_set_up(db, &manager, id).await?;
        }
        if i >= 6 {
            crate::decision::save_terms(db, &panel, id, 0, &yes_answers).await.ok();
            let pm = caller(db, "panel.member@scr.example").await?;
            crate::decision::save_terms(db, &pm, id, 1, &yes_answers).await?;
            crate::decision::approve_terms(db, &chair, id, 2, history.map(|h| h.terms_agreed)).await?;
            if let Some(h) = history {
                crate::decision::record_terms_sent(db, &manager, id, h.terms_agreed).await?;
            }
        }
    }
    let requested = history(8).map(|h| h.imrs_requested);
    crate::seed::later_phases::imrs_requested(db, ids[8], [police, health, social], requested).await?;
    crate::seed::later_phases::overview_report(db, ids[9], [police, health, social]).await?;
    crate::seed::later_phases::action_planning(db, ids[10], [police, health, social]).await?;
    rapid_review_under_way(db, &referrer, partner.id, manchester_social).await?;
    // The eighth case: not taken to review, Ofsted told, closed.
    let last = ids[7];
    crate::decision::record_assessment(
        db,
        &panel,
        last,
        Category::Indicators,
        "Lessons possible, but no serious harm.",
        None,
    )
    .await?;
    crate::decision::record_recommendation(
        db,
        &panel,
        last,
        false,
        Some(NoReviewOutcome::SmallScaleAudit),
        None,
        "A small-scale audit will capture the learning.",
        None,
    )
    .await?;
    crate::decision::decide(
        db,
        &chair,
        last,
        false,
        Some(NoReviewOutcome::SmallScaleAudit),
        "Criteria not met; a small-scale audit instead.",
        None,
    )
    .await?;
    crate::decision::record_ofsted_notification(
        db,
        &manager,
        last,
        today,
        Some("The criteria of 11.2 and 11.2.1 are not met; a small-scale audit will be carried out."),
    )
    .await?;
    Ok(true)
}

/// A serious incident in Manchester, on the 2023 route: notified to the National Panel
/// within the 5 working days, Manchester Children's Services asked for its information
/// and returning it, the 15 working days running; the rapid review meeting is next.
async fn rapid_review_under_way(db: &DatabaseConnection, referrer: &Caller, board: i32, agency: i32) -> ApiResult<()> {
    let today = Utc::now().date_naive();
    let ago = |days: i64| Some(today - Duration::days(days));
    let address = "12 Ashton Old Road, Manchester M11 1AA";
    let id = crate::decision::submit_referral(
        db,
        referrer,
        NewReferral {
            child: person(Relationship::Child, "Ava Kaminski", &[], Some((2023, 4, 12)), Some(address)),
            family: vec![person(Relationship::Mother, "Joanna Kaminski", &[], None, Some(address))],
            circumstances: "Ava was brought to hospital unresponsive; her mother said she had fallen from the sofa. Manchester Children's Services had closed a child in need plan two months before.".into(),
            facts: ReferralFacts {
                harm: vec![HarmCategory::LifeThreateningInjury],
                abuse_or_neglect: Some(AbuseOrNeglect::Suspected),
                inter_agency_concern: Some(true),
                ..Default::default()
            },
            normal_residence_board_id: board,
            looked_after_by_board_id: None,
            other_involved_board_ids: vec![],
            involved_agency_ids: vec![agency],
            left_out_boards: vec![],
            received_on: ago(8),
        },
    )
    .await?;
    let manager = caller(db, "manchester.manager@scr.example").await?;
    crate::rapid_review::notify_national_panel(db, &manager, id, ago(6)).await?;
    crate::rapid_review::request_information(db, &manager, id, ago(5)).await?;
    let social = caller(db, "manchester.social@scr.example").await?;
    crate::rapid_review::return_information(
        db,
        &social,
        id,
        agency,
        "A child in need plan closed two months before; the police's notice of a domestic incident at the address was received but not followed up.",
        ago(2),
    )
    .await
}

/// The days a demo case's steps happened, for a case entered after the event: the
/// referral, the assessment, the recommendation, the decision and Ofsted's
/// notification, then the appointments, the terms' approval and the IMR requests.
#[derive(Clone, Copy)]
struct History {
    decision: [chrono::NaiveDate; 5],
    appointed: chrono::NaiveDate,
    terms_agreed: chrono::NaiveDate,
    imrs_requested: chrono::NaiveDate,
}

impl History {
    /// Every step on one day.
    fn one_day(on: chrono::NaiveDate) -> History {
        History { decision: [on; 5], appointed: on, terms_agreed: on, imrs_requested: on }
    }
}
