//! Finding personal data in a text, and blotting it out (pure: no I/O). The officer's
//! redaction before a case is published (`backend::publication`) starts from [`detect`].
//!
//! [`detect`] returns byte spans of the text, each with its [`Kind`], sorted and without
//! overlaps:
//! - **personal numbers**: a run of exactly 13 digits is a Romanian **CNP** when it is one
//!   (S YY MM DD JJ NNN C: S not 0, a possible month and day, and C the check digit: the first
//!   twelve digits weighted by 2 7 9 1 4 6 3 5 8 2 7 9, summed, modulo 11, a remainder of 10
//!   counting as 1), else a Moldovan **IDNP** when it starts with 0, 1 or 2. The IDNP's check
//!   digit is not relied on: the only published rule is the IDNO's (of legal persons: weights
//!   7 3 1 repeated, modulo 10), which some validators apply to the IDNP too, without an
//!   official source; so every such run counts (a mistyped number, or a mistyped CNP starting
//!   with 1 or 2, is removed too);
//! - **phone numbers**: Moldovan (`+373` and 8 digits, or 0 and 8 digits: `069 123 456`,
//!   `022 23-45-67`), Romanian (`+40` and 9 digits, or 0 and 9: `0721 234 567`), `00` for
//!   `+`, any other number written with `+` and 9 to 15 digits; digit groups separated by
//!   spaces, dots, dashes or slashes, an area code in brackets. Dates (`07.03.2026`,
//!   `2026-03-07`) are not phone numbers;
//! - **e-mail addresses**;
//! - **street addresses**: `str.`, `strada`, `bd.`, `bulevardul`, `șos.`, `calea`, `aleea`,
//!   `ул.` … then the street's name (capitalised words, `cel`, `și`, `lui` … between them),
//!   then a house number (`nr. 5`, `5`, `53/1`, `12A`), then `bl.`, `sc.`, `et.`, `ap.` …
//!   A street named without a number is a place, not an address, and is left;
//! - **names after an honorific** (`dl.`, `dna`, `domnul`, `doamnei`, `г-н`, `Mr` …): the
//!   capitalised words that follow (initials too), not the honorific itself;
//! - the petitioner's own **name** and **postal address** as stored with the case
//!   ([`Known`]), in any case and with or without diacritics; the name also in its Romanian
//!   genitive (`Popescului`, `Mariei`).
//!
//! [`find`] finds the strings an officer adds by hand; [`redact`] replaces spans with a
//! marker.

use serde::{Deserialize, Serialize};

/// What a span of personal data is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Kind {
    Cnp,
    Idnp,
    Phone,
    Email,
    Address,
    Name,
    /// A string the officer named by hand.
    Manual,
}

impl Kind {
    pub const ALL: [Kind; 7] = [
        Kind::Cnp,
        Kind::Idnp,
        Kind::Phone,
        Kind::Email,
        Kind::Address,
        Kind::Name,
        Kind::Manual,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Kind::Cnp => "cnp",
            Kind::Idnp => "idnp",
            Kind::Phone => "phone",
            Kind::Email => "email",
            Kind::Address => "address",
            Kind::Name => "name",
            Kind::Manual => "manual",
        }
    }

    pub fn parse(s: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.code() == s)
    }
}

/// A piece of a text: bytes `start..end`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub kind: Kind,
}

/// What the case knows of its petitioner, found wherever it appears.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    /// Full names (each word of two letters or more is looked for).
    pub names: Vec<String>,
    /// Postal addresses (the whole, and each comma-separated part with a digit in it).
    pub addresses: Vec<String>,
}

/// Every piece of personal data found in `text`, sorted, overlapping finds joined (and a
/// name's or address's pieces separated only by spaces joined into one).
pub fn detect(text: &str, known: &Known) -> Vec<Span> {
    let t = Chars::new(text);
    let mut found = Vec::new();
    personal_numbers(&t, &mut found);
    phones(&t, &mut found);
    emails(&t, &mut found);
    street_addresses(&t, &mut found);
    honorific_names(&t, &mut found);
    known_names(&t, &known.names, &mut found);
    for a in &known.addresses {
        known_address(&t, a, &mut found);
    }
    merge(text, found)
}

/// Every occurrence of each of `needles` in `text` (in any case, with or without diacritics,
/// any run of white space matching any other; a needle that begins or ends with a letter or
/// digit only as a whole word), as spans of `kind`.
pub fn find(text: &str, needles: &[String], kind: Kind) -> Vec<Span> {
    let t = Chars::new(text);
    let mut found = Vec::new();
    for n in needles {
        for (s, e) in find_ci(&t, n) {
            found.push(t.span(s, e, kind));
        }
    }
    merge(text, found)
}

/// Sorts `spans` and joins those that overlap (the first one's kind stays), and names or
/// addresses separated only by spaces.
pub fn merge(text: &str, mut spans: Vec<Span>) -> Vec<Span> {
    spans.retain(|s| s.start < s.end && s.end <= text.len());
    spans.sort_by(|a, b| a.start.cmp(&b.start).then(b.end.cmp(&a.end)));
    let mut out: Vec<Span> = Vec::with_capacity(spans.len());
    for s in spans {
        if let Some(last) = out.last_mut() {
            if s.start < last.end {
                last.end = last.end.max(s.end);
                continue;
            }
            let between = text.get(last.end..s.start).unwrap_or("x");
            if s.kind == last.kind
                && matches!(s.kind, Kind::Name | Kind::Address)
                && between.chars().all(|c| c == ' ' || c == '\u{a0}')
            {
                last.end = s.end;
                continue;
            }
        }
        out.push(s);
    }
    out
}

/// `text` with each of `spans` (sorted, not overlapping: as [`merge`] leaves them) replaced
/// by `marker`.
pub fn redact(text: &str, spans: &[Span], marker: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut at = 0;
    for s in spans {
        if s.start < at || s.end > text.len() {
            continue;
        }
        out.push_str(&text[at..s.start]);
        out.push_str(marker);
        at = s.end;
    }
    out.push_str(&text[at..]);
    out
}

/// The character offset of byte offset `byte` of `text`.
pub fn char_offset(text: &str, byte: usize) -> usize {
    text.get(..byte).map_or(0, |s| s.chars().count())
}

/// The weights of a CNP's first twelve digits.
const CNP_WEIGHTS: [u32; 12] = [2, 7, 9, 1, 4, 6, 3, 5, 8, 2, 7, 9];

/// Whether `digits` is a Romanian CNP: 13 digits, the first not 0, a possible month and day,
/// and the right check digit.
pub fn cnp_valid(digits: &str) -> bool {
    if digits.len() != 13 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let d: Vec<u32> = digits.bytes().map(|b| u32::from(b - b'0')).collect();
    let month = d[3] * 10 + d[4];
    let day = d[5] * 10 + d[6];
    if d[0] == 0 || !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return false;
    }
    let sum: u32 = d[..12].iter().zip(CNP_WEIGHTS).map(|(a, w)| a * w).sum();
    let check = match sum % 11 {
        10 => 1,
        r => r,
    };
    check == d[12]
}

/// Whether `digits` may be a Moldovan IDNP: 13 digits starting with 0, 1 or 2.
pub fn idnp_like(digits: &str) -> bool {
    digits.len() == 13
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(digits.as_bytes()[0], b'0' | b'1' | b'2')
}

/// A text as characters, with each one's byte offset.
struct Chars {
    c: Vec<char>,
    at: Vec<usize>,
}

impl Chars {
    fn new(text: &str) -> Chars {
        let mut c = Vec::with_capacity(text.len());
        let mut at = Vec::with_capacity(text.len() + 1);
        for (i, ch) in text.char_indices() {
            c.push(ch);
            at.push(i);
        }
        at.push(text.len());
        Chars { c, at }
    }

    fn len(&self) -> usize {
        self.c.len()
    }

    fn get(&self, i: usize) -> Option<char> {
        self.c.get(i).copied()
    }

    fn span(&self, start: usize, end: usize, kind: Kind) -> Span {
        Span {
            start: self.at[start],
            end: self.at[end],
            kind,
        }
    }

    /// No letter or digit just before character `i`.
    fn starts_word(&self, i: usize) -> bool {
        i == 0 || !self.c[i - 1].is_alphanumeric()
    }

    /// No letter or digit at character `i`.
    fn ends_word(&self, i: usize) -> bool {
        self.get(i).is_none_or(|c| !c.is_alphanumeric())
    }

    /// The end of the run of spaces (not line breaks) from `i`.
    fn skip_spaces(&self, mut i: usize) -> usize {
        while self
            .get(i)
            .is_some_and(|c| c == ' ' || c == '\u{a0}' || c == '\t')
        {
            i += 1;
        }
        i
    }

    /// The word (letters and digits, with inner hyphens and apostrophes) starting at `i`.
    fn word(&self, i: usize) -> Option<usize> {
        if !self.get(i).is_some_and(char::is_alphanumeric) {
            return None;
        }
        let mut j = i;
        loop {
            while self.get(j).is_some_and(char::is_alphanumeric) {
                j += 1;
            }
            let inner = self.get(j).is_some_and(|c| matches!(c, '-' | '\'' | '’'))
                && self.get(j + 1).is_some_and(char::is_alphanumeric);
            if inner {
                j += 1;
            } else {
                return Some(j);
            }
        }
    }

    fn lower(&self, i: usize, j: usize) -> String {
        self.c[i..j].iter().flat_map(|c| c.to_lowercase()).collect()
    }

    /// Whether `word` (lower case) is at `i`, case-insensitively; its end.
    fn starts_with_ci(&self, i: usize, word: &str) -> Option<usize> {
        let mut j = i;
        for w in word.chars() {
            let c = self.get(j)?;
            if fold(c) != fold(w) {
                return None;
            }
            j += 1;
        }
        Some(j)
    }
}

/// A character for comparison: lower case, Romanian diacritics (and the common accented
/// letters) without their marks.
fn fold(c: char) -> char {
    let l = c.to_lowercase().next().unwrap_or(c);
    match l {
        'ă' | 'â' | 'î' | 'á' | 'à' | 'ä' => 'a',
        'í' | 'ì' | 'ï' => 'i',
        'ș' | 'ş' => 's',
        'ț' | 'ţ' => 't',
        'é' | 'è' | 'ê' | 'ë' => 'e',
        'ó' | 'ò' | 'ô' | 'ö' => 'o',
        'ú' | 'ù' | 'ü' => 'u',
        'ё' => 'е',
        other => other,
    }
}

fn is_upper_start(c: char) -> bool {
    c.is_uppercase()
}

fn personal_numbers(t: &Chars, out: &mut Vec<Span>) {
    let mut i = 0;
    while i < t.len() {
        if !t.c[i].is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while t.get(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i - start == 13 {
            let digits: String = t.c[start..i].iter().collect();
            let kind = if cnp_valid(&digits) {
                Some(Kind::Cnp)
            } else if idnp_like(&digits) {
                Some(Kind::Idnp)
            } else {
                None
            };
            if let Some(kind) = kind {
                out.push(t.span(start, i, kind));
            }
        }
    }
}

/// Whether a phone number may start at `i`: not inside a word or a number.
fn phone_may_start(t: &Chars, i: usize) -> bool {
    if i == 0 {
        return true;
    }
    let prev = t.c[i - 1];
    if prev.is_alphanumeric() || prev == '+' {
        return false;
    }
    if matches!(prev, '.' | '-' | '/' | ',') && i >= 2 && t.c[i - 2].is_ascii_digit() {
        return false;
    }
    true
}

fn phones(t: &Chars, out: &mut Vec<Span>) {
    let mut i = 0;
    while i < t.len() {
        let c = t.c[i];
        let digit_next = |k: usize| t.get(k).is_some_and(|d| d.is_ascii_digit() || d == '(');
        let candidate = (c == '+' && digit_next(i + 1))
            || (c == '(' && t.get(i + 1).is_some_and(|d| d.is_ascii_digit()))
            || c.is_ascii_digit();
        if candidate
            && phone_may_start(t, i)
            && let Some(end) = phone_at(t, i)
        {
            out.push(t.span(i, end, Kind::Phone));
            i = end;
            continue;
        }
        // Past this number (a phone does not start in its middle).
        i += 1;
        if c.is_ascii_digit() {
            while t.get(i).is_some_and(|d| d.is_ascii_digit()) {
                i += 1;
            }
        }
    }
}

/// The end of the phone number starting at `i`, if one does.
fn phone_at(t: &Chars, i: usize) -> Option<usize> {
    let mut p = i;
    let plus = t.c[p] == '+';
    if plus {
        p += 1;
    }
    let mut digits = String::new();
    // After each group: the digits so far and where the group ends.
    let mut ends: Vec<(usize, usize)> = Vec::new();
    let mut groups: Vec<usize> = Vec::new();
    loop {
        let mut q = p;
        let bracket = t.get(q) == Some('(');
        if bracket {
            q += 1;
        }
        let group_start = q;
        while t.get(q).is_some_and(|c| c.is_ascii_digit()) {
            digits.push(t.c[q]);
            q += 1;
            if digits.len() > 16 {
                return None;
            }
        }
        if q == group_start {
            break;
        }
        groups.push(q - group_start);
        if bracket {
            if t.get(q) == Some(')') {
                q += 1;
            } else {
                return None;
            }
        }
        ends.push((digits.len(), q));
        // A separator: spaces and at most one dot, dash or slash.
        let mut r = q;
        let mut marks = 0;
        while let Some(c) = t.get(r) {
            match c {
                ' ' | '\u{a0}' => {}
                '.' | '-' | '/' | '\u{2011}' | '\u{2013}' => marks += 1,
                _ => break,
            }
            r += 1;
            if r - q > 3 {
                break;
            }
        }
        if r == q || marks > 1 || r - q > 3 {
            break;
        }
        if !t.get(r).is_some_and(|c| c.is_ascii_digit() || c == '(') {
            break;
        }
        p = r;
    }
    // dd.mm.yyyy, yyyy-mm-dd: dates.
    if groups.len() >= 3 && matches!(groups[..3], [2, 2, 4] | [4, 2, 2] | [1, 2, 4] | [2, 1, 4]) {
        return None;
    }
    ends.iter()
        .rev()
        .find(|&&(count, end)| t.ends_word(end) && phone_digits_ok(&digits[..count], plus))
        .map(|&(_, end)| end)
}

/// Whether the digits of a number (after a `+` when `international`) make a phone number.
fn phone_digits_ok(d: &str, international: bool) -> bool {
    let len = d.len();
    if international {
        return if d.starts_with("373") || d.starts_with("40") {
            len == 11
        } else {
            (9..=15).contains(&len)
        };
    }
    if let Some(rest) = d.strip_prefix("00") {
        return phone_digits_ok(rest, true);
    }
    if let Some(rest) = d.strip_prefix('0') {
        let second = rest.chars().next();
        return match len {
            // Moldova: 0 and 8 digits.
            9 => matches!(second, Some('2'..='9')),
            // Romania: 0 and 9 digits.
            10 => matches!(second, Some('2' | '3' | '7' | '8')),
            _ => false,
        };
    }
    false
}

fn emails(t: &Chars, out: &mut Vec<Span>) {
    let local = |c: char| c.is_alphanumeric() || matches!(c, '.' | '_' | '%' | '+' | '-');
    let domain = |c: char| c.is_alphanumeric() || matches!(c, '.' | '-');
    for at in (0..t.len()).filter(|&i| t.c[i] == '@') {
        let mut s = at;
        while s > 0 && local(t.c[s - 1]) {
            s -= 1;
        }
        while s < at && t.c[s] == '.' {
            s += 1;
        }
        if s == at {
            continue;
        }
        let mut e = at + 1;
        while t.get(e).is_some_and(domain) {
            e += 1;
        }
        while e > at + 1 && matches!(t.c[e - 1], '.' | '-') {
            e -= 1;
        }
        let host: String = t.c[at + 1..e].iter().collect();
        let labels: Vec<&str> = host.split('.').collect();
        let tld_ok = labels
            .last()
            .is_some_and(|l| l.chars().count() >= 2 && l.chars().all(char::is_alphabetic));
        if labels.len() >= 2 && labels.iter().all(|l| !l.is_empty()) && tld_ok {
            out.push(t.span(s, e, Kind::Email));
        }
    }
}

/// What comes before a street's name.
const STREET_WORDS: &[&str] = &[
    "strada",
    "stradela",
    "str-la",
    "str.",
    "str",
    "bulevardul",
    "b-dul",
    "bd.",
    "bd",
    "bld.",
    "bul.",
    "șoseaua",
    "șos.",
    "aleea",
    "al.",
    "calea",
    "piața",
    "intrarea",
    "intr.",
    "ул.",
    "улица",
    "бул.",
    "бульвар",
    "просп.",
    "проспект",
    "пр.",
    "пер.",
    "переулок",
    "шоссе",
    "ш.",
];

/// Small words inside street names ("Ștefan cel Mare și Sfînt", "Alexandru cel Bun").
const NAME_CONNECTORS: &[&str] = &["cel", "și", "si", "lui", "de", "din", "la", "a", "al"];

/// What may follow a house number, each with its value: block, staircase, floor, flat.
const ADDRESS_PARTS: &[&str] = &[
    "apartamentul",
    "ap.",
    "ap",
    "apt.",
    "blocul",
    "bloc",
    "bl.",
    "scara",
    "sc.",
    "etajul",
    "etaj",
    "et.",
    "кв.",
    "корп.",
    "под.",
    "nr.",
    "nr",
];

/// A listed word at `i`: its end, when it ends there (a word ending in a dot may be followed
/// by anything; one without must be followed by a space).
fn listed_word_at(t: &Chars, i: usize, words: &[&str]) -> Option<usize> {
    words.iter().find_map(|w| {
        let end = t.starts_with_ci(i, w)?;
        if w.ends_with('.') {
            Some(end)
        } else {
            t.get(end)
                .is_some_and(|c| c == ' ' || c == '\u{a0}')
                .then_some(end)
        }
    })
}

fn street_addresses(t: &Chars, out: &mut Vec<Span>) {
    for i in 0..t.len() {
        if !t.c[i].is_alphabetic() || !t.starts_word(i) {
            continue;
        }
        if let Some(p) = listed_word_at(t, i, STREET_WORDS)
            && let Some(end) = street_at(t, p)
        {
            out.push(t.span(i, end, Kind::Address));
        }
    }
}

/// After the word for a street at `p`: the street's name and house number (and block, flat
/// …); where they end.
fn street_at(t: &Chars, p: usize) -> Option<usize> {
    let mut q = t.skip_spaces(p);
    let mut named = 0;
    let mut name_end = None;
    // The name: capitalised words, small words between them, a leading number ("31 August").
    for _ in 0..8 {
        let Some(end) = t.word(q) else { break };
        let mut next = end;
        if is_upper_start(t.c[q]) {
            named += 1;
            // An initial: "M. Eminescu".
            if end - q == 1 && t.get(end) == Some('.') {
                next = end + 1;
            }
        } else if !((named > 0 && NAME_CONNECTORS.contains(&t.lower(q, end).as_str())
            || named == 0 && t.c[q..end].iter().all(char::is_ascii_digit))
            && next_word_capitalised(t, q))
        {
            break;
        }
        name_end = Some(next);
        let r = t.skip_spaces(next);
        // "Florilor, nr. 5", the end of the text, or the house number.
        if r == next
            || !t.get(r).is_some_and(char::is_alphanumeric)
            || t.get(r).is_some_and(|c| c.is_ascii_digit()) && !next_word_capitalised(t, r)
        {
            break;
        }
        q = r;
    }
    let name_end = name_end.filter(|_| named > 0)?;
    // The house number.
    let mut r = name_end;
    if t.get(r) == Some(',') {
        r += 1;
    }
    r = t.skip_spaces(r);
    if let Some(e) = listed_word_at(t, r, &["nr.", "nr", "д."]) {
        r = t.skip_spaces(e);
    } else if t.get(r) == Some('№') {
        r = t.skip_spaces(r + 1);
    }
    let mut end = house_number(t, r)?;
    // Block, staircase, floor, flat.
    loop {
        let mut r = end;
        if t.get(r) == Some(',') {
            r += 1;
        }
        r = t.skip_spaces(r);
        let Some(e) = listed_word_at(t, r, ADDRESS_PARTS) else {
            break;
        };
        let v = t.skip_spaces(e);
        match t.word(v) {
            Some(w) if w - v <= 6 => end = w,
            _ => break,
        }
    }
    Some(end)
}

fn next_word_capitalised(t: &Chars, i: usize) -> bool {
    let Some(end) = t.word(i) else { return false };
    let r = t.skip_spaces(end);
    r > end && t.get(r).is_some_and(is_upper_start)
}

/// A house number at `i` (`5`, `12A`, `53/1`, `5-7`): where it ends.
fn house_number(t: &Chars, i: usize) -> Option<usize> {
    let digits = |mut j: usize| {
        let s = j;
        while t.get(j).is_some_and(|c| c.is_ascii_digit()) && j - s < 5 {
            j += 1;
        }
        (j > s && j - s <= 4).then_some(j)
    };
    let letter = |j: usize| {
        if t.get(j).is_some_and(char::is_alphabetic)
            && !t.get(j + 1).is_some_and(char::is_alphanumeric)
        {
            j + 1
        } else {
            j
        }
    };
    let mut j = letter(digits(i)?);
    if matches!(t.get(j), Some('/' | '-'))
        && let Some(k) = digits(j + 1)
    {
        j = letter(k);
    }
    t.ends_word(j).then_some(j)
}

/// Honorifics before a name.
const HONORIFICS: &[&str] = &[
    "domnului",
    "domnule",
    "domnul",
    "doamnei",
    "doamnă",
    "doamna",
    "domnișoarei",
    "domnișoara",
    "d-lui",
    "d-l",
    "d-nei",
    "d-na",
    "d-ra",
    "dlui",
    "dnei",
    "dna.",
    "dnă",
    "dna",
    "dle",
    "dl.",
    "dl",
    "dra.",
    "dra",
    "mrs.",
    "mrs",
    "mr.",
    "mr",
    "ms.",
    "ms",
    "miss",
    "г-ну",
    "г-н",
    "г-же",
    "г-жа",
    "господину",
    "господин",
    "госпоже",
    "госпожа",
    "гражданин",
    "гражданка",
];

/// Titles that may stand between an honorific and a name ("dl Primar").
const TITLES: &[&str] = &[
    "primar",
    "primarul",
    "primarului",
    "director",
    "directorul",
    "directorului",
    "președinte",
    "președintele",
    "ministru",
    "ministrul",
    "consilier",
    "consilierul",
    "secretar",
    "secretarul",
    "deputat",
    "deputatul",
    "avocat",
    "avocatul",
    "doctor",
    "dr",
    "prof",
    "inginer",
];

fn honorific_names(t: &Chars, out: &mut Vec<Span>) {
    for i in 0..t.len() {
        if !t.c[i].is_alphabetic() || !t.starts_word(i) {
            continue;
        }
        let Some(mut p) = HONORIFICS.iter().find_map(|h| {
            let end = t.starts_with_ci(i, h)?;
            if h.ends_with('.') {
                return Some(end);
            }
            match t.get(end) {
                Some(' ' | '\u{a0}') => Some(end),
                Some('.') if t.get(end + 1).is_some_and(|c| c == ' ' || c == '\u{a0}') => {
                    Some(end + 1)
                }
                _ => None,
            }
        }) else {
            continue;
        };
        let mut first = None;
        let mut last = p;
        let mut names = 0;
        let mut titled = false;
        while names < 3 {
            let q = t.skip_spaces(p);
            let Some(end) = t.word(q) else { break };
            if !is_upper_start(t.c[q]) {
                break;
            }
            p = end;
            if names == 0 && !titled && TITLES.contains(&t.lower(q, end).as_str()) {
                titled = true;
                continue;
            }
            first.get_or_insert(q);
            names += 1;
            last = end;
            // An initial: "I. Popescu".
            if end - q == 1 && t.get(end) == Some('.') {
                p = end + 1;
                last = p;
            }
        }
        if let Some(s) = first {
            out.push(t.span(s, last, Kind::Name));
        }
    }
}

/// Words that are not looked for even when part of a name ("Maria de la Cruz").
const NAME_PARTICLES: &[&str] = &[
    "de", "la", "di", "da", "du", "le", "van", "von", "der", "del", "dos", "al", "el",
];

fn known_names(t: &Chars, names: &[String], out: &mut Vec<Span>) {
    let parts: Vec<Vec<char>> = names
        .iter()
        .flat_map(|n| n.split(|c: char| !c.is_alphanumeric()))
        .filter(|p| p.chars().count() >= 2 && !p.chars().all(|c| c.is_ascii_digit()))
        .map(|p| p.chars().map(fold).collect::<Vec<char>>())
        .filter(|p| !NAME_PARTICLES.contains(&p.iter().collect::<String>().as_str()))
        .collect();
    if parts.is_empty() {
        return;
    }
    let mut i = 0;
    while i < t.len() {
        if !t.c[i].is_alphanumeric() {
            i += 1;
            continue;
        }
        let start = i;
        while t.get(i).is_some_and(char::is_alphanumeric) {
            i += 1;
        }
        let word: Vec<char> = t.c[start..i].iter().copied().map(fold).collect();
        if parts.iter().any(|p| name_form(&word, p)) {
            out.push(t.span(start, i, Kind::Name));
        }
    }
}

/// Whether `word` is `part`, or its Romanian genitive (Popescu → Popescului, Maria → Mariei).
fn name_form(word: &[char], part: &[char]) -> bool {
    if word == part {
        return true;
    }
    if word.len() == part.len() + 3
        && word.starts_with(part)
        && word[part.len()..] == ['l', 'u', 'i']
    {
        return true;
    }
    part.len() >= 3
        && part.last() == Some(&'a')
        && word.len() == part.len() + 1
        && word[..part.len() - 1] == part[..part.len() - 1]
        && word[part.len() - 1..] == ['e', 'i']
}

fn known_address(t: &Chars, address: &str, out: &mut Vec<Span>) {
    let whole = address.trim();
    if whole.chars().count() >= 4 {
        for (s, e) in find_ci(t, whole) {
            out.push(t.span(s, e, Kind::Address));
        }
    }
    for part in whole.split([',', ';', '\n']).map(str::trim) {
        if part != whole && part.chars().count() >= 3 && part.chars().any(|c| c.is_ascii_digit()) {
            for (s, e) in find_ci(t, part) {
                out.push(t.span(s, e, Kind::Address));
            }
        }
    }
}

/// Where `needle` occurs in `t` (character offsets), compared as [`find`] says.
fn find_ci(t: &Chars, needle: &str) -> Vec<(usize, usize)> {
    let mut nd: Vec<char> = Vec::new();
    for c in needle.trim().chars() {
        if c.is_whitespace() {
            if nd.last() != Some(&' ') {
                nd.push(' ');
            }
        } else {
            nd.push(fold(c));
        }
    }
    let (Some(&first), Some(&last)) = (nd.first(), nd.last()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let matched = match_at(t, i, &nd).filter(|&end| {
            (!first.is_alphanumeric() || t.starts_word(i))
                && (!last.is_alphanumeric() || t.ends_word(end))
        });
        match matched {
            Some(end) => {
                out.push((i, end));
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

fn match_at(t: &Chars, i: usize, needle: &[char]) -> Option<usize> {
    let mut p = i;
    for &c in needle {
        if c == ' ' {
            let s = p;
            while t.get(p).is_some_and(char::is_whitespace) {
                p += 1;
            }
            if p == s {
                return None;
            }
        } else if t.get(p).map(fold) == Some(c) {
            p += 1;
        } else {
            return None;
        }
    }
    Some(p)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The detected pieces of `text` as (text, kind).
    fn found(text: &str, known: &Known) -> Vec<(String, Kind)> {
        detect(text, known)
            .into_iter()
            .map(|s| (text[s.start..s.end].to_string(), s.kind))
            .collect()
    }

    fn none() -> Known {
        Known::default()
    }

    fn one(text: &str) -> Vec<(String, Kind)> {
        found(text, &none())
    }

    #[test]
    fn a_cnp_needs_its_check_digit_and_a_possible_date() {
        // Check digits computed by hand: 1 8 5 0 7 2 3 1 2 3 4 5 weighted 2 7 9 1 4 6 3 5 8 2
        // 7 9 sum to 210, 210 mod 11 = 1.
        assert!(cnp_valid("1850723123451"));
        assert!(cnp_valid("2961215040023"));
        assert!(cnp_valid("5020305410030"));
        assert!(cnp_valid("6000225134568"));
        // A remainder of 10 makes the check digit 1.
        assert!(cnp_valid("1850723123021"));
        assert!(cnp_valid("5020305410091"));
        // One digit off, or the check digit wrong.
        assert!(!cnp_valid("1850723123452"));
        assert!(!cnp_valid("1850723123459"));
        assert!(!cnp_valid("5020305410031"));
        assert!(!cnp_valid("1850732123451"));
        // Month 13, day 00, a leading 0, wrong length, not digits.
        assert!(!cnp_valid("1851323123451"));
        assert!(!cnp_valid("1850700123451"));
        assert!(!cnp_valid("0850723123451"));
        assert!(!cnp_valid("185072312345"));
        assert!(!cnp_valid("18507231234511"));
        assert!(!cnp_valid("18507231234a1"));
    }

    #[test]
    fn thirteen_digits_are_a_cnp_an_idnp_or_nothing() {
        assert_eq!(
            one("Subsemnatul, CNP 1850723123451, domiciliat în Iași."),
            vec![("1850723123451".into(), Kind::Cnp)]
        );
        assert_eq!(
            one("IDNP: 2002001234567; copia buletinului anexată."),
            vec![("2002001234567".into(), Kind::Idnp)]
        );
        assert_eq!(
            one("codul personal 0971234567890"),
            vec![("0971234567890".into(), Kind::Idnp)]
        );
        // A CNP with a wrong check digit starting with 5 is neither (nor a phone).
        assert_eq!(one("CNP 5020305410031 greșit"), vec![]);
        // … one starting with 1 may be an IDNP, and is blotted out as one.
        assert_eq!(
            one("CNP 1850723123452"),
            vec![("1850723123452".into(), Kind::Idnp)]
        );
        // 12 and 14 digits, or 13 digits starting with 3 to 9 that are no CNP: nothing.
        assert_eq!(one("contul 200200123456 și 20020012345678"), vec![]);
        assert_eq!(one("factura 3002001234567"), vec![]);
    }

    #[test]
    fn moldovan_and_romanian_phone_numbers_in_their_usual_forms() {
        for phone in [
            "+373 69 123 456",
            "+37369123456",
            "+373 (22) 22-33-44",
            "00373 79 123 456",
            "069123456",
            "069 123 456",
            "079-123-456",
            "060.12.34.56",
            "022 23 45 67",
            "(022) 23-45-67",
            "0 22 22 33 44",
            "+40 721 234 567",
            "+40721234567",
            "0040 721 234 567",
            "0721 234 567",
            "0721.234.567",
            "0721-234-567",
            "021 314 1234",
            "+49 30 1234567",
        ] {
            let text = format!("Mă puteți suna la {phone}, după ora 17.");
            assert_eq!(
                one(&text),
                vec![(phone.to_string(), Kind::Phone)],
                "{phone}"
            );
        }
    }

    #[test]
    fn dates_amounts_and_other_numbers_are_not_phone_numbers() {
        for text in [
            "Am depus cererea pe 12.03.2026 și pe 2026-03-12.",
            "Termenul: 07.03.2026 12:30.",
            "Suma de 1 050 000 lei, cod poștal MD-2001.",
            "Dosarul nr. 123456 din 2024, 69 123 456 fără prefix.",
            "Nr. CHI-2026-000123, 0 lei, 06.2026",
        ] {
            assert_eq!(one(text), vec![], "{text}");
        }
    }

    #[test]
    fn email_addresses() {
        assert_eq!(
            one("Scrieți-mi la ion.popescu+petitii@mail.md."),
            vec![("ion.popescu+petitii@mail.md".into(), Kind::Email)]
        );
        assert_eq!(
            one("(ana_v@primaria.chisinau.md)"),
            vec![("ana_v@primaria.chisinau.md".into(), Kind::Email)]
        );
        assert_eq!(one("@primaria, a@b, x@y.1"), vec![]);
    }

    #[test]
    fn street_addresses_with_a_house_number() {
        assert_eq!(
            one("Locuiesc pe str. Florilor 3, ap. 12, Chișinău."),
            vec![("str. Florilor 3, ap. 12".into(), Kind::Address)]
        );
        assert_eq!(
            one("strada Mihai Eminescu nr. 5 bl. 2"),
            vec![("strada Mihai Eminescu nr. 5 bl. 2".into(), Kind::Address)]
        );
        assert_eq!(
            one("la bd. Ștefan cel Mare și Sfînt 1, la Primărie"),
            vec![("bd. Ștefan cel Mare și Sfînt 1".into(), Kind::Address)]
        );
        assert_eq!(
            one("Șos. Hîncești 53/1, bl. 2, ap. 15"),
            vec![("Șos. Hîncești 53/1, bl. 2, ap. 15".into(), Kind::Address)]
        );
        assert_eq!(
            one("str. 31 August 1989, nr. 78A"),
            vec![("str. 31 August 1989, nr. 78A".into(), Kind::Address)]
        );
        assert_eq!(
            one("ул. Пушкина 22, кв. 7"),
            vec![("ул. Пушкина 22, кв. 7".into(), Kind::Address)]
        );
        // A street without a number is a place, not someone's address.
        assert_eq!(one("Groapa de pe strada Florilor e tot acolo."), vec![]);
        assert_eq!(one("pe strada principală 5 case"), vec![]);
    }

    #[test]
    fn names_after_an_honorific() {
        assert_eq!(
            one("Dna Vasilescu, am verificat cantina."),
            vec![("Vasilescu".into(), Kind::Name)]
        );
        assert_eq!(
            one("Răspundem dlui I. Popescu și doamnei Maria Ionescu-Rusu."),
            vec![
                ("I. Popescu".into(), Kind::Name),
                ("Maria Ionescu-Rusu".into(), Kind::Name)
            ]
        );
        assert_eq!(
            one("Stimate domnule Ionescu, dle Rusu, stimată doamnă Ceban:"),
            vec![
                ("Ionescu".into(), Kind::Name),
                ("Rusu".into(), Kind::Name),
                ("Ceban".into(), Kind::Name)
            ]
        );
        assert_eq!(
            one("г-н Иванов просит"),
            vec![("Иванов".into(), Kind::Name)]
        );
        assert_eq!(
            one("Dl. Primar Ion Ceban a semnat."),
            vec![("Ion Ceban".into(), Kind::Name)]
        );
        assert_eq!(one("domnul primar a semnat; dl a plecat."), vec![]);
    }

    #[test]
    fn the_petitioners_own_name_and_address_in_any_form() {
        let known = Known {
            names: vec!["Ion Popescu".into()],
            addresses: vec!["str. Florilor 3, ap. 12, MD-2001 Chișinău".into()],
        };
        assert_eq!(
            found(
                "Eu, ION POPESCU, locuiesc la Str.  Florilor 3 (ap. 12). Dosarul Popescului; Ionela.",
                &known
            ),
            vec![
                ("ION POPESCU".into(), Kind::Name),
                ("Str.  Florilor 3".into(), Kind::Address),
                ("ap. 12".into(), Kind::Address),
                ("Popescului".into(), Kind::Name),
            ]
        );
        let known = Known {
            names: vec!["Maria Ștefănescu".into()],
            addresses: vec![],
        };
        assert_eq!(
            found("Cererea Mariei Stefanescu.", &known),
            vec![("Mariei Stefanescu".into(), Kind::Name)]
        );
    }

    #[test]
    fn redaction_replaces_each_span_and_keeps_the_rest() {
        let text = "Sunt Ion Popescu, tel. 069 123 456, ion@mail.md.";
        let known = Known {
            names: vec!["Ion Popescu".into()],
            addresses: vec![],
        };
        let spans = detect(text, &known);
        assert_eq!(spans.len(), 3);
        assert_eq!(redact(text, &spans, "[…]"), "Sunt […], tel. […], […].");
        assert_eq!(char_offset(text, spans[0].start), 5);
    }

    #[test]
    fn strings_named_by_hand_are_found_as_whole_words_in_any_case() {
        let text = "Vecinul Gheorghe, vecinul GHEORGHE și Gheorghița.";
        let spans = find(text, &["gheorghe".into(), "  ".into()], Kind::Manual);
        let pieces: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(pieces, vec!["Gheorghe", "GHEORGHE"]);
        assert!(spans.iter().all(|s| s.kind == Kind::Manual));
        // Overlapping finds are joined.
        let spans = find(
            "abc def ghi",
            &["abc def".into(), "def ghi".into()],
            Kind::Manual,
        );
        assert_eq!(spans.len(), 1);
    }

    #[test]
    fn a_text_without_personal_data_is_left_alone() {
        let text = "Mâncarea de la cantina socială vine rece de trei săptămâni; 30 de porții.";
        assert_eq!(one(text), vec![]);
        assert_eq!(redact(text, &[], "[…]"), text);
    }
}
