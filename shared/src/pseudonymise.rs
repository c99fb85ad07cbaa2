//! Finding and replacing the registered names of the people in a review.
//!
//! A name matches whole-word and case-insensitively, possessives included
//! ("Jane's" is a hit on "Jane" and becomes "Mother's"). Longer variants win over
//! shorter ones that overlap them, so "Jane Smith" is replaced as one.

use serde::{Deserialize, Serialize};

/// A person of the review as the replacement sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredPerson {
    /// What replaces the name: "Child A", "Mother", "Social worker 1".
    pub label: String,
    /// The full name, aliases and variants as recorded.
    pub names: Vec<String>,
}

impl RegisteredPerson {
    /// Every string that counts as this person's name: each recorded name, and each
    /// word of a multi-word name (a first name or surname on its own is still a name).
    /// Single letters are left out: "A" would match the article.
    pub fn variants(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in &self.names {
            let n = n.trim();
            if n.chars().count() >= 2 {
                out.push(n.to_owned());
            }
            for w in n.split_whitespace() {
                out.push(w.to_owned());
                if w.contains('-') {
                    out.extend(w.split('-').map(str::to_owned));
                }
            }
        }
        out.retain(|w| w.chars().count() >= 2);
        out.sort();
        out.dedup();
        out
    }
}

/// One occurrence of a registered name in a text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Hit {
    /// Byte offsets into the text.
    pub start: usize,
    pub end: usize,
    /// The text as it stands there.
    pub found: String,
    pub label: String,
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// Case-insensitive match of `needle` at the start of `hay`, returning the byte
/// length matched in `hay`.
fn match_at(hay: &str, needle: &str) -> Option<usize> {
    let mut h = hay.char_indices();
    for nc in needle.chars() {
        let (_, hc) = h.next()?;
        if !hc.to_lowercase().eq(nc.to_lowercase()) {
            return None;
        }
    }
    Some(h.next().map_or(hay.len(), |(i, _)| i))
}

/// Every registered name in `text`, in order, not overlapping.
pub fn find_names(text: &str, people: &[RegisteredPerson]) -> Vec<Hit> {
    let mut variants: Vec<(String, &str)> =
        people.iter().flat_map(|p| p.variants().into_iter().map(move |v| (v, p.label.as_str()))).collect();
    // Longest first, so "Jane Smith" wins over "Jane".
    variants.sort_by(|a, b| b.0.chars().count().cmp(&a.0.chars().count()).then(a.0.cmp(&b.0)));

    let mut hits = Vec::new();
    let mut prev: Option<char> = None;
    let mut skip_to = 0;
    for (i, c) in text.char_indices() {
        if i < skip_to {
            prev = Some(c);
            continue;
        }
        if prev.is_none_or(|p| !is_word_char(p)) {
            let rest = &text[i..];
            for (v, label) in &variants {
                if let Some(len) = match_at(rest, v) {
                    let after = rest[len..].chars().next();
                    if after.is_none_or(|a| !is_word_char(a)) {
                        hits.push(Hit {
                            start: i,
                            end: i + len,
                            found: rest[..len].to_owned(),
                            label: (*label).to_owned(),
                        });
                        skip_to = i + len;
                        break;
                    }
                }
            }
        }
        prev = Some(c);
    }
    hits
}

/// `text` with every registered name replaced by its person's label.
pub fn pseudonymise(text: &str, people: &[RegisteredPerson]) -> String {
    replace(text, &find_names(text, people))
}

/// `text` with each of `hits` (in order, not overlapping, as `find_names` gives them)
/// replaced by its label.
pub fn replace(text: &str, hits: &[Hit]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for h in hits {
        out.push_str(&text[last..h.start]);
        out.push_str(&h.label);
        last = h.end;
    }
    out.push_str(&text[last..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn family() -> Vec<RegisteredPerson> {
        vec![
            RegisteredPerson { label: "Child A".into(), names: vec!["Liam Okafor".into(), "Li".into()] },
            RegisteredPerson { label: "Mother".into(), names: vec!["Jane Okafor-Smith".into(), "Janey".into()] },
        ]
    }

    #[test]
    fn full_names_first_names_and_aliases_are_replaced_by_labels() {
        let t = "Liam Okafor was seen with JANE. Janey said li was asleep.";
        assert_eq!(pseudonymise(t, &family()), "Child A was seen with Mother. Mother said Child A was asleep.");
    }

    #[test]
    fn possessives_are_hits_and_keep_their_ending() {
        assert_eq!(pseudonymise("Jane's partner", &family()), "Mother's partner");
        assert_eq!(pseudonymise("Liam’s school", &family()), "Child A’s school");
    }

    #[test]
    fn names_inside_other_words_are_not_hits() {
        assert!(find_names("Janet and Liamson met Limo drivers", &family()).is_empty());
    }

    #[test]
    fn a_hyphenated_surname_and_its_parts_are_all_hits() {
        let hits = find_names("Okafor-Smith, Smith and Okafor", &family());
        assert_eq!(hits.iter().map(|h| h.found.as_str()).collect::<Vec<_>>(), ["Okafor-Smith", "Smith", "Okafor"]);
    }

    #[test]
    fn case_is_ignored_beyond_ascii() {
        let p = vec![RegisteredPerson { label: "Father".into(), names: vec!["Łukasz Żak".into()] }];
        assert_eq!(pseudonymise("ŁUKASZ ŻAK and łukasz", &p), "Father and Father");
    }

    #[test]
    fn single_letters_are_not_treated_as_names() {
        let p = vec![RegisteredPerson { label: "Father".into(), names: vec!["A Smith".into()] }];
        assert_eq!(pseudonymise("a visit by A Smith", &p), "a visit by Father");
    }

    proptest! {
        #[test]
        fn no_registered_name_survives_replacement(prefix in "[a-z ,.]{0,20}", suffix in "[a-z ,.']{0,20}") {
            let t = format!("{prefix} Liam {suffix} janey{suffix}");
            let out = pseudonymise(&t, &family());
            prop_assert!(find_names(&out, &family()).is_empty(), "{}", out);
        }

        #[test]
        fn text_without_names_is_unchanged(t in "[0-9 ,.!?]{0,100}") {
            prop_assert_eq!(pseudonymise(&t, &family()), t);
        }

        #[test]
        fn finding_names_never_panics_on_any_text(t in "\\PC{0,200}") {
            for h in find_names(&t, &family()) {
                prop_assert!(t.is_char_boundary(h.start) && t.is_char_boundary(h.end));
            }
        }
    }
}
