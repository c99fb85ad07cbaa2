//! The demo's review-phase cases: one with IMRs being written, one with every IMR
//! accepted and the overview report and executive summary in draft. Written through
//! the same steps as the API, so the demo obeys every rule the API does.

use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use shared::AgencyId;
use shared::chronology::{Precision, When};
use shared::findings::Theme;
use shared::imr::{ANALYSIS_QUESTIONS, Content, Recommendation};
use shared::stage::{Relationship, Stage};

use crate::context::Caller;
use crate::entities::*;
use crate::errors::{ApiError, ApiResult};
use crate::records::Doc;
use crate::review::NewEntry;
use crate::seed::caller;

/// Who writes for each of the three agencies, and who designates them.
const AUTHORS: [(&str, &str); 3] = [
    ("agency.manager@scr.example", "imr.author@scr.example"),
    ("health.manager@scr.example", "health.author@scr.example"),
    ("social.manager@scr.example", "social.author@scr.example"),
];

struct Family {
    child: i32,
    mother: i32,
    child_first: String,
    mother_name: String,
}

async fn family(db: &DatabaseConnection, review_id: i32) -> ApiResult<Family> {
    let people = person::Entity::find().filter(person::Column::ReviewId.eq(review_id)).all(db).await?;
    let find = |r: Relationship| people.iter().find(|p| p.relationship == r.as_str()).ok_or(ApiError::NotFound);
    let child = find(Relationship::Child)?;
    let mother = find(Relationship::Mother)?;
    Ok(Family {
        child: child.id,
        mother: mother.id,
        child_first: child.name.split(' ').next().unwrap_or("").to_owned(),
        mother_name: mother.name.clone(),
    })
}

fn entry(
    date: NaiveDate,
    time: Option<(u32, u32)>,
    role: &str,
    event: &str,
    action: &str,
    people: Vec<i32>,
) -> NewEntry {
    NewEntry {
        id: 0,
        agency: AgencyId(0),
        when: When {
            date,
            time: time.and_then(|(h, m)| NaiveTime::from_hms_opt(h, m, 0)),
            precision: Precision::Exact,
        },
        sequence: 0,
        practitioner_role: role.into(),
        event: event.into(),
        decision_or_action: action.into(),
        child_seen: false,
        seen_alone: false,
        wishes_sought: false,
        perpetrator_contact: false,
        source: "Case record".into(),
        people,
    }
}

/// What each agency saw: (days before today, time, practitioner, event, action, child seen, alone, wishes, perpetrator).
type Event = (i64, Option<(u32, u32)>, &'static str, &'static str, &'static str, bool, bool, bool, bool);

fn events(agency: usize) -> Vec<Event> {
    match agency {
        0 => vec![
            (
                400,
                Some((23, 10)),
                "Police constable",
                "Called to a domestic incident at the home; shouting reported by neighbours.",
                "DASH risk assessment: standard. Referral to children's social care.",
                true,
                false,
                false,
                true,
            ),
            (
                250,
                Some((21, 40)),
                "Police constable",
                "Second call to the home; the mother's partner had left before officers arrived.",
                "Crime recorded; no further action on the suspect's account.",
                false,
                false,
                false,
                false,
            ),
            (
                60,
                Some((8, 15)),
                "Detective constable",
                "Attended hospital after the child was admitted with unexplained injuries.",
                "Strategy discussion requested; investigation opened.",
                true,
                false,
                false,
                false,
            ),
        ],
        1 => vec![
            (
                420,
                None,
                "Health visitor",
                "New birth visit; the child was feeding well and the home was warm.",
                "Universal plan; next contact at 9 months.",
                true,
                false,
                false,
                false,
            ),
            (
                250,
                Some((10, 0)),
                "Health visitor",
                "Home visit after the police notification; bruise on the child's forearm noted.",
                "Explanation accepted; no referral made.",
                true,
                false,
                false,
                true,
            ),
            (
                120,
                None,
                "GP",
                "Appointment missed; the mother said the child was with a relative.",
                "Letter sent offering a new appointment.",
                false,
                false,
                false,
                false,
            ),
            (
                60,
                Some((7, 30)),
                "Paediatric registrar",
                "Admitted with injuries the mother could not explain.",
                "Child protection medical; referral to children's social care.",
                true,
                true,
                false,
                false,
            ),
        ],
        _ => vec![
            (
                399,
                None,
                "Duty social worker",
                "Police referral after the domestic incident received.",
                "No further action: the family declined services.",
                false,
                false,
                false,
                false,
            ),
            (
                248,
                None,
                "Social worker",
                "Home visit after the second police call.",
                "Single assessment opened; the child was asleep and not seen awake.",
                false,
                false,
                false,
                false,
            ),
            (
                60,
                Some((11, 0)),
                "Team manager",
                "Strategy discussion after the hospital admission.",
                "Section 47 enquiry; child protection conference arranged.",
                true,
                true,
                true,
                false,
            ),
        ],
    }
}

fn content(agency_name: &str, owner: i32, child: &str) -> Content {
    Content {
        summary: format!(
            "{agency_name} had contact with {child} and the family over fourteen months, set out in the chronology."
        ),
        analysis: ANALYSIS_QUESTIONS
            .iter()
            .enumerate()
            .map(|(i, _)| match i {
                0 => {
                    "Yes: the second incident should have led to a referral under the local threshold guidance.".into()
                }
                6 => format!("Not consistently: {child}'s wishes and feelings were recorded once, at the hospital."),
                _ => "Practice met the agency's procedures at this point; see the chronology.".into(),
            })
            .collect(),
        lessons: "Repeat domestic abuse incidents in a household with a baby call for a referral every time.".into(),
        good_practice: "The hospital's child protection medical was prompt and thorough.".into(),
        recommendations: vec![Recommendation {
            action:
                "Brief every practitioner on the domestic abuse referral pathway for households with children under two"
                    .into(),
            owner_agency: Some(AgencyId(owner)),
            due: Some(Utc::now().date_naive() + Duration::days(120)),
            intended_outcome: "Each repeat incident with a baby in the home is referred".into(),
            success_measure: "Audit of 20 incidents shows a referral in every case".into(),
        }],
        staff_support: "Practitioners were offered de-briefing and supervision after the incident.".into(),
    }
}

/// The family beyond the referral, for the genogram: the child's father, a sibling and
/// the mother's partner, who is the alleged perpetrator, with their ties and homes.
async fn family_tree(db: &DatabaseConnection, review_id: i32, fam: &Family, surname: &str) -> ApiResult<()> {
    use shared::genogram::Tie;
    let manager = caller(db, "manager@scr.example").await?;
    let add = |relationship: Relationship, name: String| crate::register::NewPerson {
        relationship,
        label: None,
        name,
        aliases: Vec::new(),
        date_of_birth: None,
        address: None,
        agency_id: None,
    };
    let father =
        crate::people::add_person(db, &manager, review_id, add(Relationship::Father, "Lee Harding".into())).await?;
    let sibling =
        crate::people::add_person(db, &manager, review_id, add(Relationship::Sibling, format!("Jayden {surname}")))
            .await?;
    let partner = crate::people::add_person(
        db,
        &manager,
        review_id,
        add(Relationship::AllegedPerpetrator, "Craig O'Donnell".into()),
    )
    .await?;
    for (from, to, tie) in [
        (fam.mother, fam.child, Tie::ParentOf),
        (father, fam.child, Tie::ParentOf),
        (fam.mother, sibling, Tie::ParentOf),
        (fam.mother, partner, Tie::PartnerOf),
    ] {
        crate::people::add_relationship(db, &manager, review_id, from, to, tie).await?;
    }
    crate::people::set_household(db, &manager, review_id, "Household 1", &[fam.mother, partner, fam.child, sibling])
        .await?;
    crate::people::set_household(db, &manager, review_id, "Household 2", &[father]).await?;
    Ok(())
}

/// Designates the author, who declares independence, writes the IMR and its
/// chronology and, when `submit`, submits it (on the day given, today when not).
async fn write_imr(
    db: &DatabaseConnection,
    imr: &imr::Model,
    k: usize,
    fam: &Family,
    complete: bool,
    submit: bool,
    submitted_on: Option<chrono::NaiveDate>,
) -> ApiResult<Caller> {
    let (manager, author) = AUTHORS[k];
    let manager = caller(db, manager).await?;
    let author = caller(db, author).await?;
    crate::review::designate_imr_author(db, &manager, imr.id, author.user.id).await?;
    crate::review::declare_independence(db, &author, imr.id, false, false).await?;
    let today = Utc::now().date_naive();
    for (days, time, role, event, action, seen, alone, wishes, perp) in events(k) {
        let mut e = entry(today - Duration::days(days), time, role, event, action, vec![fam.child, fam.mother]);
        (e.child_seen, e.seen_alone, e.wishes_sought, e.perpetrator_contact) = (seen, alone, wishes, perp);
        crate::review::add_entry(db, &author, imr.id, e).await?;
    }
    let agency_name = agency::Entity::find_by_id(imr.agency_id).one(db).await?.map(|a| a.name).unwrap_or_default();
    let mut c = content(&agency_name, imr.agency_id, &fam.child_first);
    if !complete {
        c.analysis.truncate(4);
        c.staff_support.clear();
    }
    let v = crate::review::save_imr(db, &author, imr.id, 0, c).await?;
    if submit {
        crate::review::submit_imr(db, &author, imr.id, v, submitted_on).await?;
    }
    Ok(author)
}

async fn request(
    db: &DatabaseConnection,
    review_id: i32,
    agencies: [i32; 3],
    on: Option<chrono::NaiveDate>,
) -> ApiResult<Vec<imr::Model>> {
    let manager = caller(db, "manager@scr.example").await?;
    crate::review::request_imrs(db, &manager, review_id, &agencies, on).await?;
    let mut imrs = imr::Entity::find().filter(imr::Column::ReviewId.eq(review_id)).all(db).await?;
    imrs.sort_by_key(|i| agencies.iter().position(|a| *a == i.agency_id));
    Ok(imrs)
}

/// Stage 8 and 9 under way: the IMRs requested on the day given, the police IMR half
/// written, health's submitted four days ago, social care's author designated but not
/// yet declared independent.
pub async fn imrs_requested(
    db: &DatabaseConnection,
    review_id: i32,
    agencies: [i32; 3],
    requested_on: Option<chrono::NaiveDate>,
) -> ApiResult<()> {
    let fam = family(db, review_id).await?;
    let imrs = request(db, review_id, agencies, requested_on).await?;
    write_imr(db, &imrs[0], 0, &fam, false, false, None).await?;
    let submitted = requested_on.map(|_| Utc::now().date_naive() - Duration::days(4));
    write_imr(db, &imrs[1], 1, &fam, true, true, submitted).await?;
    let (manager, author) = AUTHORS[2];
    let author = caller(db, author).await?.user.id;
    crate::review::designate_imr_author(db, &caller(db, manager).await?, imrs[2].id, author).await?;
    Ok(())
}

/// Stage 12: every IMR accepted, the chronology combined, the report in its first
/// version, and an executive summary whose draft still names the child's mother, for
/// the anonymisation gate to catch.
pub async fn overview_report(db: &DatabaseConnection, review_id: i32, agencies: [i32; 3]) -> ApiResult<()> {
    report_written(db, review_id, agencies, "Sutton", true).await
}

/// A final report ready to assure: every contribution accepted, the report and a
/// summary free of names, every agency confirming it is fairly represented.
pub async fn final_report(db: &DatabaseConnection, review_id: i32, agencies: [i32; 3]) -> ApiResult<()> {
    report_written(db, review_id, agencies, "Grant", false).await?;
    for (k, (manager, _)) in AUTHORS.iter().enumerate().skip(1) {
        crate::review::confirm_representation(db, &caller(db, manager).await?, review_id, agencies[k], 1, None).await?;
    }
    Ok(())
}

/// Every IMR accepted, the report v1 and the summary v1 saved; when `leak`, the
/// summary still names the child's mother.
async fn report_written(
    db: &DatabaseConnection,
    review_id: i32,
    agencies: [i32; 3],
    surname: &str,
    leak: bool,
) -> ApiResult<()> {
    let fam = family(db, review_id).await?;
    family_tree(db, review_id, &fam, surname).await?;
    let imrs = request(db, review_id, agencies, None).await?;
    let panel_chair = caller(db, "independent.chair@scr.example").await?;
    for (k, i) in imrs.iter().enumerate() {
        write_imr(db, i, k, &fam, true, true, None).await?;
        crate::review::decide_imr(db, &panel_chair, i.id, true, Some("Accepted by the panel."), None).await?;
    }
    let manager = caller(db, "manager@scr.example").await?;
    for to in [Stage::CombinedChronology, Stage::Analysis, Stage::OverviewReport] {
        crate::review::advance_phase(db, &manager, review_id, to).await?;
    }
    let author = caller(db, "author@scr.example").await?;
    let report = vec![
        "This review was held because Child A was admitted to hospital with injuries that could not be explained. Three agencies contributed Individual Management Reviews.".to_owned(),
        "The family lived in Stockport. The police were called to the home twice in the year before the admission; health visiting and children's social care were involved.".to_owned(),
        "The second police call was an opportunity for a referral that was not taken. Information was shared, but no agency saw the whole picture.".to_owned(),
        "Agencies should refer every repeat domestic abuse incident in a household with a baby; the board should audit this within six months.".to_owned(),
    ];
    crate::review::save_document(db, &author, review_id, Doc::OverviewReport, 0, report).await?;
    for (finding, themes) in [
        (
            "The police's two call-outs to the home were not shared with the health visitor, so no agency saw the whole picture.",
            vec![Theme::InformationSharing, Theme::DomesticAbuse],
        ),
        (
            "The second call-out met the threshold for a referral to children's social care; none was made.",
            vec![Theme::Escalation, Theme::DomesticAbuse],
        ),
        ("The mother's partner was not seen or assessed by any agency.", vec![Theme::MenInTheHousehold]),
    ] {
        crate::findings::record_finding(db, &panel_chair, review_id, finding, &themes).await?;
    }
    let summary = vec![
        "Child A was admitted to hospital with unexplained injuries. The board commissioned this review, chaired by Alan Forbes; the overview report was written by Julia Stone.".to_owned(),
        format!(
            "{} told the health visitor the bruise came from a fall. The police had been called to the home twice.",
            if leak { fam.mother_name.as_str() } else { "Mother" }
        ),
        "Opportunities to refer after the second police call were missed.".to_owned(),
        "Every repeat domestic abuse incident in a household with a baby is to be referred.".to_owned(),
    ];
    crate::review::save_document(db, &panel_chair, review_id, Doc::ExecutiveSummary, 0, summary).await?;
    let police_manager = caller(db, AUTHORS[0].0).await?;
    crate::review::confirm_representation(db, &police_manager, review_id, agencies[0], 1, None).await?;
    Ok(())
}

/// Stages 13 to 16: the report assured, approved and submitted, Ofsted's evaluation in,
/// the action plan agreed. One action is overdue, one waits for its closure to be
/// approved, and a criminal trial is still open, so publication must wait.
pub async fn action_planning(db: &DatabaseConnection, review_id: i32, agencies: [i32; 3]) -> ApiResult<()> {
    use crate::completion::{self, NewAction};
    final_report(db, review_id, agencies).await?;
    let today = Utc::now().date_naive();
    completion::record_quality_assurance(
        db,
        &caller(db, "panel@scr.example").await?,
        review_id,
        Some("Meets 11.14."),
        None,
    )
    .await?;
    completion::approve_report(db, &caller(db, "chair@scr.example").await?, review_id, None).await?;
    let manager = caller(db, "manager@scr.example").await?;
    completion::submit_review(db, &manager, review_id, today).await?;
    completion::record_evaluation(
        db,
        &manager,
        review_id,
        today,
        "Adequate",
        &["Set out the GP's contact in the chronology".to_owned()],
    )
    .await?;
    let owner = |email: &'static str| async move { caller(db, email).await.map(|c| c.user.id) };
    let plan = [
        (
            agencies[1],
            owner("health.author@scr.example").await?,
            "Brief every health visitor on the referral pathway for repeat domestic abuse",
            45,
        ),
        (
            agencies[0],
            owner("imr.author@scr.example").await?,
            "Add a referral prompt to the domestic abuse log for households with a baby",
            30,
        ),
        (
            agencies[2],
            owner("social.author@scr.example").await?,
            "Audit single assessments opened after police referrals",
            60,
        ),
    ];
    for (agency, owner, what, days) in plan {
        completion::add_action(
            db,
            &manager,
            review_id,
            NewAction {
                recommendation: what.to_owned(),
                agency_id: agency,
                owner_id: owner,
                due_on: Some(today + Duration::days(days)),
                intended_outcome: "Repeat incidents in households with a baby are referred".to_owned(),
                success_measure: "Audit of 20 cases after six months".to_owned(),
            },
        )
        .await?;
    }
    completion::record_planning_meeting(
        db,
        &manager,
        review_id,
        today,
        "Agency leads and the panel chair",
        today + Duration::days(28),
    )
    .await?;
    crate::people::record_parallel_process(
        db,
        &manager,
        review_id,
        shared::stage::ParallelProcessKind::CriminalProceedings,
        shared::stage::ProcessStatus::Open,
        "R v the mother's partner, listed for trial",
        Some(today + Duration::days(90)),
    )
    .await?;
    // The police action fell overdue; social care's owner has asked for closure.
    let actions = action::Entity::find().filter(action::Column::ReviewId.eq(review_id)).all(db).await?;
    for a in actions {
        if a.agency_id == agencies[0] {
            let mut am: action::ActiveModel = a.into();
            am.due_on = sea_orm::Set(today - Duration::days(10));
            sea_orm::ActiveModelTrait::update(am, db).await?;
        } else if a.agency_id == agencies[2] {
            let author = caller(db, AUTHORS[2].1).await?;
            completion::record_progress(
                db,
                &author,
                a.id,
                a.version,
                "Audit of 25 assessments done; report attached to the case file.",
                true,
            )
            .await?;
        }
    }
    Ok(())
}
