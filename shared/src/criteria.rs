//! The criteria engine (SPEC 3; procedure 11.2, 11.2.1, 11.5): from the facts of a
//! referral to a proposed category, with the reasons that led there and the facts
//! whose absence kept it from a stronger one. The Initial Panel records its own view;
//! the engine only proposes.

use serde::{Deserialize, Serialize};

use crate::role::str_enum;

str_enum! {
    /// What is known of abuse or neglect as a factor.
    pub enum AbuseOrNeglect {
        Known => "known", "Known";
        Suspected => "suspected", "Suspected";
        NotSuspected => "not_suspected", "Not known or suspected";
    }
}

impl AbuseOrNeglect {
    fn known_or_suspected(self) -> bool {
        self != AbuseOrNeglect::NotSuspected
    }
}

str_enum! {
    /// Custodial settings in which a child's death always leads to a review (11.2).
    pub enum CustodySetting {
        PoliceCustody => "police_custody", "Police custody";
        Remand => "remand", "On remand";
        YoungOffenderInstitution => "young_offender_institution", "Young Offender Institution";
        SecureTrainingCentre => "secure_training_centre", "Secure Training Centre";
        SecureChildrensHome => "secure_childrens_home", "Secure children's home";
    }
}

str_enum! {
    /// The four situations of serious harm in 11.2.1.
    pub enum HarmCategory {
        LifeThreateningInjury => "life_threatening_injury",
            "Potentially life-threatening injury or serious and permanent impairment through abuse or neglect";
        SexualAbuse => "sexual_abuse", "Seriously harmed as a result of sexual abuse";
        ParentMurderedWithDomesticHomicideReview => "parent_murdered_with_domestic_homicide_review",
            "A parent murdered and a domestic homicide review initiated";
        ViolentAssault => "violent_assault", "Seriously harmed following a violent assault by a child or an adult";
    }
}

str_enum! {
    /// The questions of 11.5; a "yes" to any suggests a review could yield lessons.
    pub enum Indicator {
        HarmNotRecognised => "harm_not_recognised",
            "Significant harm not recognised by organisations or professionals in contact";
        HarmNotShared => "harm_not_shared", "Significant harm not shared with others";
        HarmNotActedOn => "harm_not_acted_on", "Significant harm not acted on appropriately";
        InstitutionalSetting => "institutional_setting", "Abused or neglected in an institutional setting";
        LookedAfter => "looked_after", "Abused or neglected while looked after by the local authority";
        RecentlyMovedToUk => "recently_moved_to_uk", "Family recently moved to the UK";
        UnauthorisedAbsence => "unauthorised_absence",
            "Harm during an unauthorised absence or after running away";
        ConcernsNotTakenSeriously => "concerns_not_taken_seriously",
            "An agency's concerns not taken seriously or acted on by another";
        WiderProcedureFailings => "wider_procedure_failings",
            "Possible failings in local safeguarding procedures beyond this case";
        ChildProtectionPlan => "child_protection_plan",
            "Subject of a child protection plan, now or before";
        RangeOfAgencies => "range_of_agencies", "Implications for a range of agencies or professionals";
        LocalProtocolsNeedChange => "local_protocols_need_change",
            "Local protocols or procedures may need to change or are not understood";
        NationalImplications => "national_implications",
            "National implications, or a review is in the public interest";
    }
}

/// The facts of a referral that the criteria turn on.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ReferralFacts {
    /// The child has died (including by suspected suicide).
    pub child_died: bool,
    /// The death is a suspected suicide; recorded for the reasons, a death either way.
    pub suspected_suicide: bool,
    /// Abuse or neglect as a factor; `None` when the referrer has not said.
    pub abuse_or_neglect: Option<AbuseOrNeglect>,
    /// The custodial setting the child was in, if any.
    pub custody: Option<CustodySetting>,
    /// The child was detained under mental health law.
    pub detained_under_mental_health_law: bool,
    /// Which 11.2.1 situations of serious harm apply.
    pub harm: Vec<HarmCategory>,
    /// The case gives rise to concerns about how local professionals and services
    /// worked together; `None` when not yet known.
    pub inter_agency_concern: Option<bool>,
    /// The 11.5 questions answered "yes".
    pub indicators: Vec<Indicator>,
}

str_enum! {
    /// The engine's proposal, strongest first.
    pub enum Category {
        Mandatory => "mandatory", "Mandatory: a review must be held (11.2)";
        Discretionary => "discretionary", "Discretionary: the board should consider a review (11.2.1)";
        Indicators => "indicators", "Indicators: a review could yield useful lessons (11.5)";
        NotYetKnown => "not_yet_known", "Not yet known: a fact that decides the criteria has not been recorded";
        NotMet => "not_met", "Criteria not met";
    }
}

impl Category {
    /// The views the Initial Panel may record: "not yet known" is the engine's answer
    /// while a deciding fact is unrecorded, never a panel's conclusion.
    pub fn panel_views() -> impl Iterator<Item = Category> {
        Self::ALL.iter().copied().filter(|c| *c != Category::NotYetKnown)
    }
}

/// The engine's answer: a category, the facts that led to it, and what was missing
/// for a stronger one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Proposal {
    pub category: Category,
    /// Sentences naming the facts that led here, each with its paragraph.
    pub reasons: Vec<String>,
    /// Sentences naming facts that were absent or unknown and would have led higher.
    pub missing: Vec<String>,
}

/// Proposes a category for a referral. Pure and total: every combination of facts
/// has an answer.
pub fn assess(f: &ReferralFacts) -> Proposal {
    let mut reasons = Vec::new();
    let mut missing = Vec::new();
    let abuse = f.abuse_or_neglect.is_some_and(AbuseOrNeglect::known_or_suspected);

    // 11.2: mandatory.
    let mut mandatory = false;
    if f.child_died {
        let death = if f.suspected_suicide { "The child died (suspected suicide)" } else { "The child died" };
        match f.abuse_or_neglect {
            Some(a) if a.known_or_suspected() => {
                reasons.push(format!(
                    "{death} and abuse or neglect is {} to be a factor (11.2).",
                    a.as_str().replace('_', " ")
                ));
                mandatory = true;
            }
            Some(_) => {
                missing.push(format!("{death}, but abuse or neglect is not known or suspected to be a factor (11.2)."))
            }
            None => missing.push(format!(
                "{death}; whether abuse or neglect is known or suspected to be a factor has not been recorded (11.2)."
            )),
        }
        if let Some(c) = f.custody {
            reasons.push(format!("The child died in custody: {} (11.2).", c.title()));
            mandatory = true;
        }
        if f.detained_under_mental_health_law {
            reasons.push("The child died while detained under mental health law (11.2).".to_owned());
            mandatory = true;
        }
    } else if f.custody.is_some() || f.detained_under_mental_health_law {
        missing.push("The child was in custody or detained, but has not died: 11.2 applies to deaths only.".to_owned());
    }
    if mandatory {
        add_discretionary_and_indicator_context(f, abuse, &mut reasons);
        return Proposal { category: Category::Mandatory, reasons, missing: Vec::new() };
    }

    // 11.2.1: discretionary, which needs a situation of serious harm AND the
    // inter-agency concern.
    let harms = qualifying_harms(f, abuse, &mut missing);
    if !harms.is_empty() {
        for h in &harms {
            reasons.push(format!("Serious harm: {} (11.2.1).", h.title()));
        }
        match f.inter_agency_concern {
            Some(true) => {
                reasons.push(
                    "The case gives rise to concerns about how local professionals and services worked together (11.2.1)."
                        .to_owned(),
                );
                add_indicator_reasons(f, &mut reasons);
                return Proposal { category: Category::Discretionary, reasons, missing };
            }
            Some(false) => missing.push(
                "Serious harm without concern about how professionals and services worked together: 11.2.1 needs both."
                    .to_owned(),
            ),
            None => missing.push(
                "Whether the case gives rise to concerns about inter-agency working has not been recorded (11.2.1)."
                    .to_owned(),
            ),
        }
    }

    // 11.5: indicators.
    if !f.indicators.is_empty() {
        add_indicator_reasons(f, &mut reasons);
        return Proposal { category: Category::Indicators, reasons, missing };
    }
    // Nothing is met: say what was absent, and whether a fact that could still decide
    // it is unrecorded, in which case the answer is "not yet known", not "not met".
    if !f.child_died && f.harm.is_empty() {
        missing.push("No death or serious harm has been recorded (11.2, 11.2.1).".to_owned());
        match f.abuse_or_neglect {
            Some(AbuseOrNeglect::NotSuspected) => {
                missing.push("Abuse or neglect is not known or suspected (11.2, 11.2.1).".to_owned())
            }
            None => missing.push("Whether abuse or neglect is known or suspected has not been recorded.".to_owned()),
            Some(_) => {}
        }
    }
    missing.push("No question of 11.5 has been answered yes.".to_owned());
    let category = if deciding_fact_unrecorded(f) { Category::NotYetKnown } else { Category::NotMet };
    Proposal { category, reasons, missing }
}

/// Whether a fact that would change the answer has not been recorded: abuse or neglect
/// after a death (outside custody) or beside a life-threatening injury, or the
/// inter-agency concern beside a situation of serious harm.
fn deciding_fact_unrecorded(f: &ReferralFacts) -> bool {
    let abuse_unknown = f.abuse_or_neglect.is_none();
    let died_outside_custody = f.child_died && f.custody.is_none() && !f.detained_under_mental_health_law;
    let injury = f.harm.contains(&HarmCategory::LifeThreateningInjury);
    let harm_counts_without_abuse_fact = f.harm.iter().any(|h| *h != HarmCategory::LifeThreateningInjury);
    let abuse = f.abuse_or_neglect.is_some_and(AbuseOrNeglect::known_or_suspected);
    (abuse_unknown && (died_outside_custody || injury))
        || (f.inter_agency_concern.is_none() && (harm_counts_without_abuse_fact || (injury && abuse)))
}

/// The 11.2.1 situations that count: a life-threatening injury counts only when
/// caused by abuse or neglect; the other three carry the harm in their own words.
fn qualifying_harms(f: &ReferralFacts, abuse: bool, missing: &mut Vec<String>) -> Vec<HarmCategory> {
    let mut out: Vec<HarmCategory> = Vec::new();
    for h in HarmCategory::ALL {
        if !f.harm.contains(h) || out.contains(h) {
            continue;
        }
        if *h == HarmCategory::LifeThreateningInjury && !abuse {
            missing.push(if f.abuse_or_neglect.is_none() {
                "A life-threatening injury or permanent impairment counts under 11.2.1 only through abuse or neglect, and whether there was abuse or neglect has not been recorded."
                    .to_owned()
            } else {
                "A life-threatening injury or permanent impairment counts under 11.2.1 only through abuse or neglect, which is not known or suspected."
                    .to_owned()
            });
            continue;
        }
        out.push(*h);
    }
    out
}

fn add_indicator_reasons(f: &ReferralFacts, reasons: &mut Vec<String>) {
    for i in Indicator::ALL.iter().filter(|i| f.indicators.contains(i)) {
        reasons.push(format!("{} (11.5).", i.title()));
    }
}

fn add_discretionary_and_indicator_context(f: &ReferralFacts, abuse: bool, reasons: &mut Vec<String>) {
    let mut ignored = Vec::new();
    for h in qualifying_harms(f, abuse, &mut ignored) {
        reasons.push(format!("Also: serious harm: {} (11.2.1).", h.title()));
    }
    add_indicator_reasons(f, reasons);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn died(abuse: Option<AbuseOrNeglect>) -> ReferralFacts {
        ReferralFacts { child_died: true, abuse_or_neglect: abuse, ..Default::default() }
    }

    #[test]
    fn a_death_with_known_abuse_is_mandatory() {
        let p = assess(&died(Some(AbuseOrNeglect::Known)));
        assert_eq!(p.category, Category::Mandatory);
        assert!(p.reasons[0].contains("known"), "{:?}", p.reasons);
    }

    #[test]
    fn a_death_with_suspected_neglect_is_mandatory() {
        assert_eq!(assess(&died(Some(AbuseOrNeglect::Suspected))).category, Category::Mandatory);
    }

    #[test]
    fn a_suspected_suicide_with_suspected_abuse_is_mandatory_and_says_so() {
        let f = ReferralFacts { suspected_suicide: true, ..died(Some(AbuseOrNeglect::Suspected)) };
        let p = assess(&f);
        assert_eq!(p.category, Category::Mandatory);
        assert!(p.reasons[0].contains("suspected suicide"));
    }

    #[test]
    fn a_death_without_abuse_or_neglect_is_not_mandatory_and_names_the_missing_fact() {
        let p = assess(&died(Some(AbuseOrNeglect::NotSuspected)));
        assert_eq!(p.category, Category::NotMet);
        assert!(p.missing.iter().any(|m| m.contains("not known or suspected")));
    }

    #[test]
    fn a_death_with_abuse_not_yet_recorded_is_not_yet_known_and_asks_for_it() {
        let p = assess(&died(None));
        assert_eq!(p.category, Category::NotYetKnown);
        assert!(p.missing.iter().any(|m| m.contains("has not been recorded")));
    }

    #[test]
    fn a_death_in_every_custodial_setting_is_mandatory_without_abuse() {
        for c in CustodySetting::ALL {
            let f = ReferralFacts { custody: Some(*c), ..died(Some(AbuseOrNeglect::NotSuspected)) };
            let p = assess(&f);
            assert_eq!(p.category, Category::Mandatory, "{c:?}");
            assert!(p.reasons.iter().any(|r| r.contains(c.title())));
        }
    }

    #[test]
    fn a_death_while_detained_under_mental_health_law_is_mandatory() {
        let f = ReferralFacts { detained_under_mental_health_law: true, ..died(None) };
        assert_eq!(assess(&f).category, Category::Mandatory);
    }

    #[test]
    fn custody_without_a_death_is_not_mandatory() {
        let f = ReferralFacts { custody: Some(CustodySetting::Remand), ..Default::default() };
        let p = assess(&f);
        assert_eq!(p.category, Category::NotMet);
        assert!(p.missing.iter().any(|m| m.contains("deaths only")));
    }

    #[test]
    fn each_harm_category_with_inter_agency_concern_is_discretionary() {
        for h in HarmCategory::ALL {
            let f = ReferralFacts {
                harm: vec![*h],
                abuse_or_neglect: Some(AbuseOrNeglect::Known),
                inter_agency_concern: Some(true),
                ..Default::default()
            };
            let p = assess(&f);
            assert_eq!(p.category, Category::Discretionary, "{h:?}");
            assert!(p.reasons.iter().any(|r| r.contains(h.title())));
        }
    }

    #[test]
    fn sexual_abuse_assault_and_parent_murder_need_no_separate_abuse_fact() {
        for h in [
            HarmCategory::SexualAbuse,
            HarmCategory::ViolentAssault,
            HarmCategory::ParentMurderedWithDomesticHomicideReview,
        ] {
            let f = ReferralFacts { harm: vec![h], inter_agency_concern: Some(true), ..Default::default() };
            assert_eq!(assess(&f).category, Category::Discretionary, "{h:?}");
        }
    }

    #[test]
    fn a_life_threatening_injury_not_through_abuse_or_neglect_does_not_count() {
        let f = ReferralFacts {
            harm: vec![HarmCategory::LifeThreateningInjury],
            abuse_or_neglect: Some(AbuseOrNeglect::NotSuspected),
            inter_agency_concern: Some(true),
            ..Default::default()
        };
        let p = assess(&f);
        assert_eq!(p.category, Category::NotMet);
        assert!(p.missing.iter().any(|m| m.contains("only through abuse or neglect")));
    }

    #[test]
    fn serious_harm_without_inter_agency_concern_is_not_discretionary() {
        let f = ReferralFacts {
            harm: vec![HarmCategory::SexualAbuse],
            inter_agency_concern: Some(false),
            ..Default::default()
        };
        let p = assess(&f);
        assert_eq!(p.category, Category::NotMet);
        assert!(p.missing.iter().any(|m| m.contains("needs both")));
    }

    #[test]
    fn serious_harm_with_inter_agency_concern_unknown_is_not_yet_known_and_asks_for_it() {
        let f = ReferralFacts { harm: vec![HarmCategory::ViolentAssault], ..Default::default() };
        let p = assess(&f);
        assert_eq!(p.category, Category::NotYetKnown);
        assert!(p.missing.iter().any(|m| m.contains("inter-agency working has not been recorded")));
    }

    #[test]
    fn every_indicator_alone_proposes_indicators_and_is_named() {
        for i in Indicator::ALL {
            let f = ReferralFacts { indicators: vec![*i], ..Default::default() };
            let p = assess(&f);
            assert_eq!(p.category, Category::Indicators, "{i:?}");
            assert_eq!(p.reasons, vec![format!("{} (11.5).", i.title())]);
        }
    }

    #[test]
    fn harm_without_concern_but_with_an_indicator_proposes_indicators_and_keeps_what_was_missing() {
        let f = ReferralFacts {
            harm: vec![HarmCategory::SexualAbuse],
            inter_agency_concern: Some(false),
            indicators: vec![Indicator::ChildProtectionPlan],
            ..Default::default()
        };
        let p = assess(&f);
        assert_eq!(p.category, Category::Indicators);
        assert!(!p.missing.is_empty());
    }

    #[test]
    fn no_facts_at_all_lists_each_absent_ground() {
        let p = assess(&ReferralFacts::default());
        // Nothing could decide it: no death or harm, so abuse alone decides nothing.
        assert_eq!(p.category, Category::NotMet);
        assert!(p.reasons.is_empty());
        assert_eq!(
            p.missing,
            vec![
                "No death or serious harm has been recorded (11.2, 11.2.1).",
                "Whether abuse or neglect is known or suspected has not been recorded.",
                "No question of 11.5 has been answered yes.",
            ]
        );
    }

    #[test]
    fn nothing_met_with_every_fact_recorded_is_not_met_and_names_what_was_absent() {
        let f = ReferralFacts {
            abuse_or_neglect: Some(AbuseOrNeglect::NotSuspected),
            inter_agency_concern: Some(false),
            ..Default::default()
        };
        let p = assess(&f);
        assert_eq!(p.category, Category::NotMet);
        assert_eq!(
            p.missing,
            vec![
                "No death or serious harm has been recorded (11.2, 11.2.1).",
                "Abuse or neglect is not known or suspected (11.2, 11.2.1).",
                "No question of 11.5 has been answered yes.",
            ]
        );
    }

    #[test]
    fn an_injury_with_abuse_unrecorded_is_not_yet_known() {
        let f = ReferralFacts {
            harm: vec![HarmCategory::LifeThreateningInjury],
            inter_agency_concern: Some(true),
            ..Default::default()
        };
        let p = assess(&f);
        assert_eq!(p.category, Category::NotYetKnown);
        assert!(p.missing.iter().any(|m| m.contains("has not been recorded")), "{:?}", p.missing);
        // Once recorded, the same facts decide.
        let known = ReferralFacts { abuse_or_neglect: Some(AbuseOrNeglect::Known), ..f.clone() };
        assert_eq!(assess(&known).category, Category::Discretionary);
        let not = ReferralFacts { abuse_or_neglect: Some(AbuseOrNeglect::NotSuspected), ..f };
        assert_eq!(assess(&not).category, Category::NotMet);
    }

    #[test]
    fn a_death_in_custody_needs_no_abuse_fact_so_is_never_not_yet_known() {
        let f = ReferralFacts { custody: Some(CustodySetting::PoliceCustody), ..died(None) };
        assert_eq!(assess(&f).category, Category::Mandatory);
    }

    #[test]
    fn the_panel_cannot_record_not_yet_known() {
        assert!(Category::panel_views().all(|c| c != Category::NotYetKnown));
        assert_eq!(Category::panel_views().count(), Category::ALL.len() - 1);
    }

    #[test]
    fn a_mandatory_case_also_lists_its_other_grounds() {
        let f = ReferralFacts {
            harm: vec![HarmCategory::SexualAbuse],
            indicators: vec![Indicator::LookedAfter],
            ..died(Some(AbuseOrNeglect::Known))
        };
        let p = assess(&f);
        assert_eq!(p.category, Category::Mandatory);
        assert!(p.reasons.iter().any(|r| r.starts_with("Also: serious harm")));
        assert!(p.reasons.iter().any(|r| r.contains("looked after")));
    }

    fn arb_facts() -> impl Strategy<Value = ReferralFacts> {
        (
            any::<bool>(),
            any::<bool>(),
            proptest::option::of(proptest::sample::select(AbuseOrNeglect::ALL)),
            proptest::option::of(proptest::sample::select(CustodySetting::ALL)),
            any::<bool>(),
            proptest::sample::subsequence(HarmCategory::ALL, 0..=4),
            proptest::option::of(any::<bool>()),
            proptest::sample::subsequence(Indicator::ALL, 0..=5),
        )
            .prop_map(|(d, s, a, c, m, h, i, ind)| ReferralFacts {
                child_died: d,
                suspected_suicide: s,
                abuse_or_neglect: a,
                custody: c,
                detained_under_mental_health_law: m,
                harm: h.to_vec(),
                inter_agency_concern: i,
                indicators: ind.to_vec(),
            })
    }

    proptest! {
        #[test]
        fn every_category_but_not_met_comes_with_a_reason(f in arb_facts()) {
            let p = assess(&f);
            if matches!(p.category, Category::NotMet | Category::NotYetKnown) {
                prop_assert!(!p.missing.is_empty());
                prop_assert!(p.missing.iter().any(|m| m.contains("11.5")));
            } else {
                prop_assert!(!p.reasons.is_empty());
            }
        }

        #[test]
        fn with_both_deciding_facts_recorded_the_answer_is_never_not_yet_known(
            mut f in arb_facts(),
            a in proptest::sample::select(AbuseOrNeglect::ALL),
            c in any::<bool>(),
        ) {
            f.abuse_or_neglect = Some(a);
            f.inter_agency_concern = Some(c);
            prop_assert_ne!(assess(&f).category, Category::NotYetKnown);
        }

        #[test]
        fn not_yet_known_always_names_an_unrecorded_fact(f in arb_facts()) {
            let p = assess(&f);
            if p.category == Category::NotYetKnown {
                prop_assert!(p.missing.iter().any(|m| m.contains("not been recorded")), "{:?}", p.missing);
            }
        }

        #[test]
        fn adding_an_indicator_never_lowers_the_category(f in arb_facts(), i in proptest::sample::select(Indicator::ALL)) {
            let before = assess(&f).category;
            let mut g = f.clone();
            g.indicators.push(i);
            prop_assert!(assess(&g).category <= before);
        }

        #[test]
        fn a_death_with_abuse_known_or_suspected_is_always_mandatory(mut f in arb_facts()) {
            f.child_died = true;
            f.abuse_or_neglect = Some(AbuseOrNeglect::Suspected);
            prop_assert_eq!(assess(&f).category, Category::Mandatory);
        }
    }
}
