//! Text as a reader sees it: the folded form that names and identifiers are matched
//! in, with the way back to byte offsets of the text as written.
//!
//! Two strings that look alike on a page fold to the same thing: compatibility forms
//! (full-width letters, ligatures) are decomposed (NFKD), diacritics dropped (Chloë,
//! Chloë written decomposed and Chloe are one), case is fully folded (ß and ss),
//! look-alike letters of other scripts become their Latin prototype (Unicode's
//! confusables, UTS #39: Cyrillic "а" is Latin "a"), every apostrophe and
//! quotation-mark look-alike is "'", every dash is "-", invisible and formatting
//! characters (soft hyphen, zero-width space and joiners, bidirectional controls)
//! vanish, and any run of white space, line breaks included, is one space.
//!
//! Folding works one character of the original at a time, so each folded byte knows
//! the character it came from; a match in the folded text maps back to a range of the
//! original that covers every mark and invisible character inside it.

use std::sync::OnceLock;

use caseless::Caseless;
use unicode_normalization::UnicodeNormalization;
use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

/// How far folding goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Depth {
    /// Everything above, look-alike letters included: for names.
    Names,
    /// Everything but the look-alike letters (which would turn the digit 0 into the
    /// letter o): for dates, numbers, postcodes and addresses.
    Identifiers,
}

/// A text folded, with the original range of each folded byte.
#[derive(Debug, Clone)]
pub struct Folded {
    /// The folded text.
    pub text: String,
    /// For each byte of `text`, where the character it came from starts in the original.
    starts: Vec<usize>,
    /// For each byte of `text`, where the original it stands for ends (marks and
    /// invisible characters after it included).
    ends: Vec<usize>,
    /// For each byte of `text`, whether an invisible character stood just before it:
    /// a place where a word may end although nothing visible separates it.
    soft: Vec<bool>,
}

/// What one character of the original becomes.
enum Piece {
    /// Folded characters to add.
    Text(String),
    /// White space: one space, however many.
    Space,
    /// A mark that belongs to the character before it.
    Mark,
    /// Nothing a reader sees.
    Invisible,
}

fn is_apostrophe_like(c: char) -> bool {
    matches!(
        c,
        '\'' | '"' | '`' | '\u{00B4}' | '\u{02B9}'..='\u{02BC}' | '\u{02C8}' | '\u{2018}'..='\u{201F}' | '\u{2032}'..='\u{2037}' | '\u{FF02}' | '\u{FF07}'
    ) || matches!(c.general_category(), GeneralCategory::InitialPunctuation | GeneralCategory::FinalPunctuation)
}

/// A letter (or digit, or symbol) folded for names. Case is folded before look-alikes
/// are mapped for ASCII, so that "I" stays "i" rather than becoming its look-alike "l";
/// after, for other scripts, so that a capital whose small form looks like nothing Latin
/// (Cyrillic "В") still becomes its Latin look-alike ("b").
fn fold_letter(d: char, out: &mut String) {
    let first: String = if d.is_ascii() {
        std::iter::once(d).default_case_fold().collect()
    } else {
        unicode_security::skeleton(&d.to_string()).default_case_fold().collect()
    };
    for s in unicode_security::skeleton(&first) {
        if is_apostrophe_like(s) {
            out.push('\'');
        } else if s.general_category() == GeneralCategory::DashPunctuation {
            out.push('-');
        } else if !matches!(s.general_category(), GeneralCategory::NonspacingMark | GeneralCategory::EnclosingMark) {
            out.extend(std::iter::once(s).default_case_fold());
        }
    }
}

fn fold_char(c: char, depth: Depth) -> Piece {
    if c.is_whitespace() {
        return Piece::Space;
    }
    let mut out = String::new();
    let mut visible = false;
    let mut mark = false;
    for d in std::iter::once(c).nfkd() {
        if d.is_whitespace() {
            // A compatibility space (no-break space and the like).
            return Piece::Space;
        }
        match d.general_category() {
            GeneralCategory::NonspacingMark | GeneralCategory::EnclosingMark => mark = true,
            GeneralCategory::Format | GeneralCategory::Control => {}
            GeneralCategory::DashPunctuation => {
                out.push('-');
                visible = true;
            }
            _ if is_apostrophe_like(d) => {
                out.push('\'');
                visible = true;
            }
            _ => {
                visible = true;
                match depth {
                    Depth::Identifiers => out.extend(std::iter::once(d).default_case_fold()),
                    Depth::Names => fold_letter(d, &mut out),
                }
            }
        }
    }
    if !out.is_empty() {
        Piece::Text(out)
    } else if visible || mark {
        Piece::Mark
    } else {
        Piece::Invisible
    }
}

/// The folds of the ASCII characters, worked out once: most text is ASCII.
fn ascii_table(depth: Depth) -> &'static [Piece] {
    static NAMES: OnceLock<Vec<Piece>> = OnceLock::new();
    static IDS: OnceLock<Vec<Piece>> = OnceLock::new();
    let cell = match depth {
        Depth::Names => &NAMES,
        Depth::Identifiers => &IDS,
    };
    cell.get_or_init(|| (0u8..128).map(|b| fold_char(char::from(b), depth)).collect())
}

impl Folded {
    pub fn new(original: &str, depth: Depth) -> Folded {
        let table = ascii_table(depth);
        let mut f = Folded {
            text: String::with_capacity(original.len()),
            starts: Vec::with_capacity(original.len()),
            ends: Vec::with_capacity(original.len()),
            soft: Vec::with_capacity(original.len()),
        };
        let mut soft_next = false;
        let mut owned;
        for (i, c) in original.char_indices() {
            let end = i + c.len_utf8();
            let piece = if c.is_ascii() {
                &table[c as usize]
            } else {
                owned = fold_char(c, depth);
                &owned
            };
            match piece {
                Piece::Space if f.text.ends_with(' ') || f.text.is_empty() => f.extend_last(end),
                Piece::Space => f.push(" ", i, end, false),
                Piece::Text(s) => {
                    f.push(s, i, end, soft_next);
                    soft_next = false;
                }
                Piece::Mark => f.extend_last(end),
                Piece::Invisible => {
                    f.extend_last(end);
                    soft_next = true;
                }
            }
        }
        f
    }

    fn push(&mut self, s: &str, start: usize, end: usize, soft: bool) {
        self.text.push_str(s);
        for k in 0..s.len() {
            self.starts.push(start);
            self.ends.push(end);
            self.soft.push(soft && k == 0);
        }
    }

    /// Widens the last folded character to cover `end` of the original.
    fn extend_last(&mut self, end: usize) {
        let Some(last_char) = self.text.chars().next_back() else { return };
        let from = self.text.len() - last_char.len_utf8();
        for e in &mut self.ends[from..] {
            *e = end;
        }
    }

    /// The range of the original that folded bytes `start..end` stand for.
    pub fn original(&self, start: usize, end: usize) -> (usize, usize) {
        (self.starts[start], self.ends[end - 1])
    }

    /// Whether folded bytes `start..end` stand as whole words: nothing that belongs to
    /// a word touches them on either side, or an invisible character separates them.
    pub fn whole_word(&self, start: usize, end: usize) -> bool {
        let before = self.text[..start].chars().next_back();
        let after = self.text[end..].chars().next();
        let open = before.is_none_or(|c| !is_word_char(c)) || self.soft[start];
        let close = after.is_none_or(|c| !is_word_char(c)) || self.soft.get(end).copied().unwrap_or(true);
        open && close
    }
}

/// Folded phrases to look for, each with what it stands for; found whole-word, in one
/// pass over the text however many there are.
#[derive(Debug, Clone)]
pub struct Phrases<T> {
    /// (folded phrase, what it stands for), in the order of the automaton's patterns.
    phrases: Vec<(String, T)>,
    /// Should the automaton fail to build (only for patterns far beyond any review's),
    /// the search scans for each phrase in turn: slower, never blind.
    automaton: Option<aho_corasick::AhoCorasick>,
}

impl<T> Phrases<T> {
    /// Phrases already folded; empty ones are left out.
    pub fn new(mut phrases: Vec<(String, T)>) -> Phrases<T> {
        phrases.retain(|(p, _)| !p.is_empty());
        let automaton = aho_corasick::AhoCorasick::new(phrases.iter().map(|(p, _)| p.as_str())).ok();
        Phrases { phrases, automaton }
    }

    pub fn is_empty(&self) -> bool {
        self.phrases.is_empty()
    }

    /// Every whole-word occurrence in `folded`, overlapping ones included, as
    /// (folded start, folded end, what it stands for).
    pub fn find<'a>(&'a self, folded: &Folded) -> Vec<(usize, usize, &'a T)> {
        let hay = folded.text.as_str();
        let mut out = Vec::new();
        match &self.automaton {
            Some(ac) => {
                for m in ac.find_overlapping_iter(hay) {
                    if folded.whole_word(m.start(), m.end()) {
                        out.push((m.start(), m.end(), &self.phrases[m.pattern().as_usize()].1));
                    }
                }
            }
            None => {
                for (p, t) in &self.phrases {
                    for (s, _) in hay.match_indices(p.as_str()) {
                        if folded.whole_word(s, s + p.len()) {
                            out.push((s, s + p.len(), t));
                        }
                    }
                }
            }
        }
        out
    }
}

/// Of `spans` (start, end, payload), the leftmost, and the longest where two start
/// together, then the next that does not overlap what was taken, and so on.
pub fn leftmost_longest<T>(mut spans: Vec<(usize, usize, T)>) -> Vec<(usize, usize, T)> {
    spans.sort_by(|a, b| a.0.cmp(&b.0).then(b.1.cmp(&a.1)));
    let mut out = Vec::new();
    let mut taken_to = 0;
    for s in spans {
        if s.0 < taken_to {
            continue;
        }
        taken_to = s.1;
        out.push(s);
    }
    out
}

/// A letter, digit or underscore: what words are made of.
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// `s` folded, for building what is searched for.
pub fn fold(s: &str, depth: Depth) -> String {
    Folded::new(s, depth).text.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn names(s: &str) -> String {
        fold(s, Depth::Names)
    }

    #[test]
    fn what_looks_alike_folds_alike() {
        let plain = names("o'neill chloe bronte sutton");
        for t in [
            "O’Neill Chloë Brontë Sutton",
            "O\u{2019}NEILL Chloe\u{0308} Bronte\u{0308} Sut\u{00AD}ton",
            "Oʼneill CHLOË  BRONTË\nSUTTON",
            "O＇Ｎｅｉｌｌ chloe bronte sut\u{200B}ton",
            "O'Nеill chloe brontе sutton", // Cyrillic е
        ] {
            assert_eq!(names(t), plain, "{t}");
        }
        assert_eq!(names("Okafor–Smith"), names("Okafor-Smith"));
        assert_eq!(names("Straße"), names("STRASSE"));
    }

    #[test]
    fn identifiers_keep_their_digits() {
        assert_eq!(fold("SK4 1AA, ０１６１", Depth::Identifiers), "sk4 1aa, 0161");
    }

    #[test]
    fn offsets_lead_back_to_the_original_with_its_marks() {
        let t = "Miss Bronte\u{0308}.";
        let f = Folded::new(t, Depth::Names);
        let at = f.text.find("bronte").unwrap_or_default();
        let (s, e) = f.original(at, at + "bronte".len());
        assert_eq!(&t[s..e], "Bronte\u{0308}");
        assert!(f.whole_word(at, at + "bronte".len()));
    }

    #[test]
    fn an_invisible_character_may_end_a_word() {
        let t = "Sutton\u{200B}family";
        let f = Folded::new(t, Depth::Names);
        // Confusables fold "m" to "rn": only the two sides' agreement matters.
        assert_eq!(f.text, names("suttonfamily"));
        assert!(f.whole_word(0, 6));
        assert!(!f.whole_word(0, 5));
    }

    proptest! {
        #[test]
        fn every_folded_byte_leads_back_to_char_boundaries(t in "\\PC{0,80}") {
            for depth in [Depth::Names, Depth::Identifiers] {
                let f = Folded::new(&t, depth);
                for (i, _) in f.text.char_indices() {
                    let (s, e) = f.original(i, i + 1);
                    prop_assert!(s < e && t.is_char_boundary(s) && t.is_char_boundary(e));
                }
            }
        }
    }
}
