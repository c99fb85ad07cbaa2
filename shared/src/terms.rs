//! Terms of reference (11.7; Appendix 1): the nineteen questions the panel answers
//! or marks not applicable, and the rule for when a draft is complete.

use serde::{Deserialize, Serialize};

use crate::ValidationError;
use crate::value::Text;

/// The questions of the Appendix 1 template, in order.
pub const QUESTIONS: [&str; 19] = [
    "What appear to be the most important issues to address in trying to learn from this specific case? How can the relevant information best be obtained and analysed?",
    "Who should be appointed as the independent author for the overview report?",
    "Are there features of the case that indicate that any part of the review process should involve, or be conducted by, a party independent of the professionals/organisations who will be required to participate in the review? Might it help the Review Panel to bring in an outside expert at any stage, to shed light on crucial aspects of the case?",
    "Over what time period should events be reviewed, i.e. how far back should enquiries cover, and what is the cut-off point? What family history/background information will help better to understand the recent past and present?",
    "Which organisations and professionals should contribute to the review including, where appropriate, for example, the proprietor of an independent school or playgroup leader should be asked to submit reports or otherwise contribute?",
    "How should the child (where the review does not involve death), surviving siblings, parents or other family members contribute to the review, and who should be responsible for facilitating their involvement? How will they be involved and contribute throughout the overall process?",
    "Will the case give rise to other parallel investigations of practice, and if so, how can a co-ordinated or jointly commissioned review process best address all the relevant questions that need to be asked, in the most economical way?",
    "Are there any specific considerations around ethnicity, religion, diversity or equalities issues that may require special consideration?",
    "Did the family's immigration status have an impact on the child/children or on the parents' capacities to meet their needs?",
    "Is there a need to involve organisations/professionals in other LSCB areas (see 11.3), and what should be the respective roles and responsibilities of the different LSCBs with an interest?",
    "How should the review process take account of a Coroner's inquiry, and (if relevant) any criminal investigations or proceedings related to the case? How best to liaise with the Coroner and/or the Crown Prosecution Service without incurring significant delay?",
    "How should the serious case review process fit in with the processes for other types of reviews, e.g. for homicide, mental health or prisons?",
    "Who will make the link with relevant interests outside the main statutory organisations, e.g. independent professionals, independent schools, voluntary organisations?",
    "When should the review process start, and by what date should it be completed?",
    "How should any public, family and media interest be managed before, during and after the review? Do agencies have media strategies?",
    "Does the Lead Member for Children & Young People need to be informed in order to provide a confidential briefing to other members?",
    "Does the LSCB need to obtain independent legal advice about any aspect of the proposed review?",
    "How should the review process take account of relevant lessons learned from research (including the biennial overview reports of SCRs) and from SCRs which have been undertaken by the board?",
    "Other considerations.",
];

/// The panel's answer to one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Answer {
    /// Not yet answered (allowed in a draft).
    Open,
    Answered(String),
    NotApplicable,
}

impl Answer {
    /// Reads one answer as a user submits it: text, and a not-applicable flag.
    /// Text with the flag set is refused rather than silently dropped.
    pub fn parse(index: usize, text: Option<&str>, not_applicable: bool) -> Result<Self, ValidationError> {
        let field = format!("answers.{index}");
        let text = match text {
            Some(t) => Text::parse_optional(&field, t)?,
            None => None,
        };
        match (text, not_applicable) {
            (Some(_), true) => Err(ValidationError::new(
                field,
                "An answer marked not applicable must have no text; clear the text or the mark",
            )),
            (Some(t), false) => Ok(Answer::Answered(t.into_inner())),
            (None, true) => Ok(Answer::NotApplicable),
            (None, false) => Ok(Answer::Open),
        }
    }
}

/// Checks a full set of answers for approval: all nineteen present, each answered
/// or marked not applicable. Returns one error per open question.
pub fn check_complete(answers: &[Answer]) -> Result<(), Vec<ValidationError>> {
    if answers.len() != QUESTIONS.len() {
        return Err(vec![ValidationError::new(
            "answers",
            format!("Expected {} answers, found {}", QUESTIONS.len(), answers.len()),
        )]);
    }
    let open: Vec<ValidationError> = answers
        .iter()
        .enumerate()
        .filter(|(_, a)| matches!(a, Answer::Open))
        .map(|(i, _)| {
            ValidationError::new(format!("answers.{i}"), format!("Answer question {} or mark it not applicable", i + 1))
        })
        .collect();
    if open.is_empty() { Ok(()) } else { Err(open) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn there_are_nineteen_questions_ending_with_other_considerations() {
        assert_eq!(QUESTIONS.len(), 19);
        assert!(QUESTIONS[1].contains("independent author"));
        assert_eq!(QUESTIONS[18], "Other considerations.");
    }

    #[test]
    fn an_answer_is_text_or_not_applicable_but_not_both() {
        assert_eq!(Answer::parse(0, Some(" x "), false).unwrap(), Answer::Answered("x".into()));
        assert_eq!(Answer::parse(0, Some(" "), true).unwrap(), Answer::NotApplicable);
        assert_eq!(Answer::parse(0, None, false).unwrap(), Answer::Open);
        assert_eq!(Answer::parse(4, Some("x"), true).unwrap_err().field, "answers.4");
    }

    #[test]
    fn approval_needs_every_question_answered_or_not_applicable() {
        let mut answers = vec![Answer::Answered("yes".into()); 19];
        assert!(check_complete(&answers).is_ok());
        answers[3] = Answer::Open;
        answers[7] = Answer::Open;
        let errs = check_complete(&answers).unwrap_err();
        assert_eq!(errs.iter().map(|e| e.field.as_str()).collect::<Vec<_>>(), ["answers.3", "answers.7"]);
        answers[3] = Answer::NotApplicable;
        answers[7] = Answer::NotApplicable;
        assert!(check_complete(&answers).is_ok());
        assert!(check_complete(&answers[..18]).is_err());
    }
}
