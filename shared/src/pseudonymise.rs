//! Finding and replacing the registered names of the people in a review.
//!
//! A name matches whole-word in its folded form (`fold.rs`): whatever the case,
//! apostrophe, dash, diacritics, look-alike letters, invisible characters or line
//! breaks on the page. Possessives are hits ("Jane's" becomes "Mother's"). Longer
//! variants win over shorter ones that overlap them, so "Jane Smith" is replaced as
//! one, and "D. O'Neill" too. A word one edit away from a first name or surname of
//! five letters or more is a near miss: not replaced, but warned of.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::fold::{Depth, Folded, Phrases, fold, is_word_char, leftmost_longest};

/// A person of the review as the replacement sees them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RegisteredPerson {
    /// What replaces the name: "Child A", "Mother", "Social worker 1".
    pub label: String,
    /// The full name, aliases and variants as recorded.
    pub names: Vec<String>,
}

impl RegisteredPerson {
    /// Every folded string that counts as this person's name: each recorded name; each
    /// word of a multi-word name (a first name or surname on its own is still a name)
    /// and each part of a hyphenated one; the surname after the first initial ("d
    /// o'neill", "d. o'neill"); and each of these without its apostrophes ("oneill").
    /// Single letters are left out: "A" would match the article.
    pub fn variants(&self) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for n in &self.names {
            let n = fold(n, Depth::Names);
            let words: Vec<&str> = n.split(' ').filter(|w| !w.is_empty()).collect();
            out.push(n.clone());
            for w in &words {
                out.push((*w).to_owned());
                if w.contains('-') {
                    out.extend(w.split('-').map(str::to_owned));
                }
            }
            if let (Some(first), Some(last)) = (words.first(), words.last())
                && words.len() >= 2
                && let Some(initial) = first.chars().next()
            {
                for sep in [" ", ". ", "."] {
                    out.push(format!("{initial}{sep}{last}"));
                }
            }
        }
        let without_apostrophes: Vec<String> =
            out.iter().filter(|v| v.contains('\'')).map(|v| v.replace('\'', "")).collect();
        out.extend(without_apostrophes);
        out.retain(|w| w.chars().filter(|c| is_word_char(*c)).count() >= 2);
        out.sort();
        out.dedup();
        out
    }

    /// The first names and surnames (folded, letters only) long enough that one edit
    /// away from them is worth a warning.
    fn near_miss_words(&self) -> Vec<String> {
        let mut out = Vec::new();
        for n in &self.names {
            for w in fold(n, Depth::Names).split([' ', '-']) {
                let w: String = w.chars().filter(|c| c.is_alphabetic()).collect();
                if w.chars().count() >= NEAR_MISS_MIN_CHARS {
                    out.push(w);
                }
            }
        }
        out
    }
}

/// A first name or surname this long or longer has its near misses warned of.
pub const NEAR_MISS_MIN_CHARS: usize = 5;

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

/// A word one edit away from a registered name: "Suton" for "Sutton".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NearMiss {
    pub start: usize,
    pub end: usize,
    pub found: String,
    /// The label of the person whose name it resembles.
    pub label: String,
}

/// The registered names of a review, ready to be searched for in any number of texts.
#[derive(Debug, Clone)]
pub struct Matcher {
    /// Each folded variant with its person's label.
    variants: Phrases<String>,
    /// Near-miss keys: each long name, and each with one letter deleted, to the
    /// names (and their labels) they come from.
    near: HashMap<String, Vec<(String, String)>>,
}

impl Matcher {
    pub fn new(people: &[RegisteredPerson]) -> Matcher {
        let mut variants: Vec<(String, String)> =
            people.iter().flat_map(|p| p.variants().into_iter().map(|v| (v, p.label.clone()))).collect();
        variants.sort();
        variants.dedup_by(|a, b| a.0 == b.0);
        let mut near: HashMap<String, Vec<(String, String)>> = HashMap::new();
        for p in people {
            for w in p.near_miss_words() {
                for key in deletions(&w) {
                    let names = near.entry(key).or_default();
                    if !names.iter().any(|(n, _)| *n == w) {
                        names.push((w.clone(), p.label.clone()));
                    }
                }
            }
        }
        Matcher { variants: Phrases::new(variants), near }
    }

    /// Whether there is no name to look for.
    pub fn is_empty(&self) -> bool {
        self.variants.is_empty()
    }

    /// Every registered name in `text`, in order, not overlapping.
    pub fn find(&self, text: &str) -> Vec<Hit> {
        self.find_in(text, &Folded::new(text, Depth::Names))
    }

    /// As `find`, over `text` already folded for names.
    pub fn find_in(&self, text: &str, folded: &Folded) -> Vec<Hit> {
        leftmost_longest(self.variants.find(folded))
            .into_iter()
            .map(|(s, e, label)| {
                let (os, oe) = folded.original(s, e);
                Hit { start: os, end: oe, found: text[os..oe].to_owned(), label: label.clone() }
            })
            .collect()
    }

    /// Words one edit (a letter added, removed, changed, or two swapped) away from a
    /// registered first name or surname of five letters or more, that are not names
    /// themselves.
    pub fn near_misses(&self, text: &str) -> Vec<NearMiss> {
        self.near_misses_in(text, &Folded::new(text, Depth::Names))
    }

    /// As `near_misses`, over a text already folded for names.
    pub fn near_misses_in(&self, text: &str, folded: &Folded) -> Vec<NearMiss> {
        if self.near.is_empty() {
            return Vec::new();
        }
        let mut out = Vec::new();
        for (s, word) in words(&folded.text) {
            let n = word.chars().count();
            if n + 1 < NEAR_MISS_MIN_CHARS || !folded.whole_word(s, s + word.len()) {
                continue;
            }
            let mut resembles: Option<&str> = None;
            let mut exact = false;
            for key in deletions(word) {
                for (name, label) in self.near.get(&key).into_iter().flatten() {
                    if name == word {
                        exact = true;
                    } else if resembles.is_none() && strsim::osa_distance(name, word) == 1 {
                        resembles = Some(label);
                    }
                }
            }
            if let (false, Some(label)) = (exact, resembles) {
                let (os, oe) = folded.original(s, s + word.len());
                out.push(NearMiss { start: os, end: oe, found: text[os..oe].to_owned(), label: label.to_owned() });
            }
        }
        out
    }
}

/// The word itself and each form of it with one letter taken out.
fn deletions(w: &str) -> Vec<String> {
    let chars: Vec<char> = w.chars().collect();
    let mut out = vec![w.to_owned()];
    for i in 0..chars.len() {
        out.push(chars[..i].iter().chain(&chars[i + 1..]).collect());
    }
    out
}

/// The alphabetic words of a folded text with their byte offsets.
fn words(t: &str) -> impl Iterator<Item = (usize, &str)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in t.char_indices().chain(std::iter::once((t.len(), ' '))) {
        match (c.is_alphabetic(), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, &t[s..i]));
                start = None;
            }
            _ => {}
        }
    }
    out.into_iter()
}

/// Every registered name in `text`, in order, not overlapping.
pub fn find_names(text: &str, people: &[RegisteredPerson]) -> Vec<Hit> {
    Matcher::new(people).find(text)
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

    #[test]
    fn names_are_found_in_any_spelling_a_reader_would_take_for_them() {
        let people = vec![
            RegisteredPerson { label: "Father".into(), names: vec!["Declan O'Neill".into()] },
            RegisteredPerson { label: "Mother".into(), names: vec!["Kelly Sutton".into()] },
            RegisteredPerson { label: "Sibling 1".into(), names: vec!["Chloë Brontë".into()] },
            RegisteredPerson { label: "Aunt".into(), names: vec!["Siobhan O'Brien".into()] },
        ];
        for (text, found, label) in [
            ("Mr O’Neill attended.", "O’Neill", "Father"),
            ("the Sut\u{00AD}ton family", "Sut\u{00AD}ton", "Mother"),
            ("O’Brien said", "O’Brien", "Aunt"),
            ("Chloe\u{0308} Bronte\u{0308} was seen", "Chloe\u{0308} Bronte\u{0308}", "Sibling 1"),
            ("Chloe Bronte was seen", "Chloe Bronte", "Sibling 1"),
            ("KELLY SUTTON", "KELLY SUTTON", "Mother"),
            ("Kelly\nSutton", "Kelly\nSutton", "Mother"),
            ("Kelly   Sutton", "Kelly   Sutton", "Mother"),
            ("Kеlly Ѕutton", "Kеlly Ѕutton", "Mother"), // Cyrillic е and Ѕ
            ("Ｋｅｌｌｙ", "Ｋｅｌｌｙ", "Mother"),
            ("D. O'Neill", "D. O'Neill", "Father"),
            ("D O’Neill", "D O’Neill", "Father"),
            ("ONeill", "ONeill", "Father"),
            ("Sutton\u{200B}family", "Sutton\u{200B}", "Mother"),
        ] {
            let hits = Matcher::new(&people).find(text);
            assert_eq!(hits.len(), 1, "{text:?}: {hits:?}");
            assert_eq!((hits[0].found.as_str(), hits[0].label.as_str()), (found, label), "{text:?}");
        }
    }

    #[test]
    fn a_word_one_edit_from_a_long_name_is_a_near_miss() {
        let people = vec![
            RegisteredPerson { label: "Mother".into(), names: vec!["Kelly Sutton".into()] },
            RegisteredPerson { label: "Lodger".into(), names: vec!["Tom Brackenbury".into()] },
        ];
        let m = Matcher::new(&people);
        let found = |t: &str| m.near_misses(t).into_iter().map(|n| n.found).collect::<Vec<_>>();
        assert_eq!(found("Ms Suton and Mr Brackenbery"), ["Suton", "Brackenbery"]);
        assert_eq!(found("Sutotn"), ["Sutotn"]);
        // The name itself, short names and words two edits away are not near misses.
        assert!(found("Sutton, Tim, Kelly, Sittin, Brackenburyss").is_empty());
    }

    /// A name as it might be typed: any case, any apostrophe or dash, invisible
    /// characters inside, marks added, look-alike letters, full-width forms, and the
    /// space between words as a line break or several spaces.
    fn disguise(name: &str, choices: &[u8]) -> String {
        const APOSTROPHES: [char; 7] = ['\'', '’', '‘', 'ʼ', '＇', '`', '′'];
        const DASHES: [char; 5] = ['-', '‐', '–', '—', '\u{2011}'];
        const INVISIBLE: [char; 6] = ['\u{00AD}', '\u{200B}', '\u{200C}', '\u{200D}', '\u{2060}', '\u{FEFF}'];
        const SPACES: [&str; 4] = [" ", "\n", "  ", "\u{00A0}"];
        let cyrillic = |c: char| match c {
            'a' => 'а',
            'e' => 'е',
            'o' => 'о',
            'p' => 'р',
            'c' => 'с',
            'x' => 'х',
            'y' => 'у',
            'A' => 'А',
            'B' => 'В',
            'E' => 'Е',
            'K' => 'К',
            'H' => 'Н',
            'O' => 'О',
            'P' => 'Р',
            'C' => 'С',
            'T' => 'Т',
            'X' => 'Х',
            _ => c,
        };
        let mut out = String::new();
        let chars: Vec<char> = name.chars().collect();
        for (i, c) in chars.iter().copied().enumerate() {
            let k = choices[i % choices.len()] as usize + i;
            match c {
                '\'' => out.push(APOSTROPHES[k % APOSTROPHES.len()]),
                '-' => out.push(DASHES[k % DASHES.len()]),
                ' ' => out.push_str(SPACES[k % SPACES.len()]),
                c if c.is_ascii_alphabetic() => {
                    let c = if k.is_multiple_of(3) {
                        c.to_ascii_uppercase()
                    } else if k % 3 == 1 {
                        c.to_ascii_lowercase()
                    } else {
                        c
                    };
                    match (k / 3) % 5 {
                        0 => out.push(cyrillic(c)),
                        1 => out.push(char::from_u32(c as u32 - 0x21 + 0xFF01).unwrap_or(c)),
                        2 => {
                            out.push(c);
                            out.push(['\u{0301}', '\u{0308}', '\u{0327}'][k % 3]);
                        }
                        _ => out.push(c),
                    }
                    if i > 0 && i + 1 < chars.len() && k.is_multiple_of(4) {
                        out.push(INVISIBLE[k % INVISIBLE.len()]);
                    }
                }
                c => out.push(c),
            }
        }
        out
    }

    proptest! {
        #[test]
        fn any_disguise_of_a_registered_name_is_found_and_replaced(
            first in "[A-Z][a-z]{2,8}",
            apostrophe in proptest::bool::ANY,
            surname in "[A-Z][a-z]{2,8}(-[A-Z][a-z]{2,8})?",
            choices in proptest::collection::vec(0u8..=255, 1..16),
            prefix in "([a-z]{1,8}[ ,.]){0,3}",
            suffix in "([ ,.;'][a-z]{0,8}){0,3}",
        ) {
            let surname = if apostrophe { format!("O'{surname}") } else { surname };
            let name = format!("{first} {surname}");
            let people = vec![RegisteredPerson { label: "Relative".into(), names: vec![name.clone()] }];
            let text = format!("{prefix} {} {suffix}", disguise(&name, &choices));
            let m = Matcher::new(&people);
            prop_assert!(!m.find(&text).is_empty(), "{:?}", text);
            let out = replace(&text, &m.find(&text));
            prop_assert!(m.find(&out).is_empty(), "{:?} -> {:?}", text, out);
        }

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
            let m = Matcher::new(&family());
            for h in m.find(&t) {
                prop_assert!(t.is_char_boundary(h.start) && t.is_char_boundary(h.end));
            }
            for n in m.near_misses(&t) {
                prop_assert!(t.is_char_boundary(n.start) && t.is_char_boundary(n.end));
            }
        }
    }
}
