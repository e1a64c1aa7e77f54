//! The text form shared by activation codes and serial numbers: 24
//! characters of Crockford's base32 in 8 groups of 3, of which 22 carry the
//! value (110 bits) and 2 are check characters.
//!
//! The check characters make the 24 symbols a codeword of a Reed-Solomon
//! style code over GF(32): with parity-check rows `α^i` and `α^(2i)` any two
//! columns are independent, so every change to one or two characters (a typo,
//! or a swap of any two characters) is detected. Each kind of code adds its
//! own constant to the syndromes, so a serial number is never a valid
//! activation code, nor the other way round.
//!
//! Detecting is all two check characters can do reliably. They cannot tell
//! one typo from two: about 7 in 10 texts with two wrong characters are one
//! character away from some valid code, so "the" one wrong character can be
//! computed, but it is then most likely a character that was never touched,
//! and the "fixed" code is another valid code. A fix is therefore
//! suggested only when it is a plausible slip (a look-alike, a neighbouring
//! key, or a swap of two neighbouring characters, see `plausible_typo`) and
//! no other single slip explains the text, and even then the message says it
//! holds only for a single mistake and that the code must be checked against
//! its source.

use serde::de::{self, Deserializer, Visitor};
use serde::ser::Serializer;
use std::fmt;

mod field;
mod typos;

use field::{div, exp, mul, syndromes};

/// Characters in a code, check characters included.
pub(crate) const SYMBOLS: usize = 24;
/// Characters that carry the value (110 bits).
pub(crate) const DATA_SYMBOLS: usize = 22;
/// Bytes of the packed binary form (24 symbols x 5 bits).
pub(crate) const PACKED_LEN: usize = 15;
const GROUP: usize = 3;
const TEXT_LEN: usize = SYMBOLS + SYMBOLS / GROUP - 1;

/// The 32 characters of activation codes and serial numbers: Crockford's
/// base32, without I, L, O or U, so no look-alikes.
///
/// ```
/// assert_eq!(licensing::ALPHABET.len(), 32);
/// assert!(!licensing::ALPHABET.iter().any(|c| b"ILOU".contains(c)));
/// ```
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// What distinguishes the two kinds of code.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Kind {
    pub name: &'static str,
    pub separator: char,
    /// Added to both syndromes: keeps the kinds apart.
    tweak: [u8; 2],
    example: &'static str,
}

pub(crate) const ACTIVATION_CODE: Kind = Kind {
    name: "activation code",
    separator: '.',
    tweak: [1, 2],
    example: "7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5",
};

pub(crate) const SERIAL_NUMBER: Kind = Kind {
    name: "serial number",
    separator: '-',
    tweak: [3, 5],
    example: "KSM-0R1-8NV-JAQ-X4H-X45-5VZ-G20",
};

/// Where in a code a problem is: the character's group (1 to 8) and its
/// place in the group (1 to 3).
///
/// ```
/// use licensing::{ActivationCode, CodeError, CodePosition};
///
/// // 'U' is not in the alphabet; the error says where it is.
/// let err = ActivationCode::parse("7KQ.MUX.9FD.A0C.WZ3.H8N.P4T.RP5").unwrap_err();
/// let CodeError::InvalidCharacter { at, .. } = err else { panic!("{err}") };
/// assert_eq!(at, CodePosition { group: 2, character: 2 });
/// assert_eq!(at.to_string(), "group 2, character 2");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CodePosition {
    /// The group, 1 to 8.
    pub group: u8,
    /// The character within the group, 1 to 3.
    pub character: u8,
}

impl CodePosition {
    fn of_symbol(index: usize) -> Self {
        Self {
            group: (index / GROUP + 1) as u8,
            character: (index % GROUP + 1) as u8,
        }
    }
}

impl fmt::Display for CodePosition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "group {}, character {}", self.group, self.character)
    }
}

/// What the check characters suggest about a mistyped code: given only
/// when the change is a plausible slip (a look-alike, a neighbouring key,
/// two neighbouring characters swapped) and no other single slip explains
/// the text. It is right only if that was the only mistake: two mistakes
/// can look like one, so the code must still be checked against its source.
///
/// ```
/// use licensing::{ActivationCode, CodeError, CodePosition, Correction};
///
/// // 7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5 with its 7th and 8th characters swapped.
/// let err = ActivationCode::parse("7KQ.M2X.F9D.A0C.WZ3.H8N.P4T.RP5").unwrap_err();
/// let CodeError::Mistyped { correction: Some(fix), .. } = &err else { panic!("{err}") };
/// assert_eq!(*fix, Correction::Swap { at: CodePosition { group: 3, character: 1 } });
/// assert!(fix.to_string().contains("probably swapped"));
/// // The message says the fix is right only if that was the only mistake.
/// assert!(err.to_string().contains("but only if it is the only mistake"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Correction {
    /// One character may be wrong: the code with it replaced is valid, and
    /// the replacement is a plausible typo of it.
    Replace {
        /// Where the wrong character is.
        at: CodePosition,
        /// The character that makes the code valid.
        with: char,
    },
    /// Two neighbouring characters may be swapped: the code with them
    /// swapped back is valid.
    Swap {
        /// The first of the two characters.
        at: CodePosition,
    },
}

impl fmt::Display for Correction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Correction::Replace { at, with } => {
                write!(
                    f,
                    "the character at {at} is probably wrong (did you mean '{with}'?)"
                )
            }
            Correction::Swap { at } => write!(
                f,
                "the character at {at} and the next one are probably swapped"
            ),
        }
    }
}

/// Why a text is not a valid activation code or serial number.
///
/// ```
/// use licensing::{ActivationCode, CodeError};
///
/// assert!(ActivationCode::parse("7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5").is_ok());
/// let err = ActivationCode::parse("7KQ.M2X").unwrap_err();
/// assert!(matches!(err, CodeError::WrongLength { found: 7, .. }));
/// assert!(err.to_string().contains("expected 31 characters"));
/// // One wrong character: the check characters catch it. '6' for '5' is a
/// // plausible slip (neighbouring keys), so the message suggests the fix,
/// // and warns that it is right only if that was the only mistake.
/// let err = ActivationCode::parse("7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP6").unwrap_err();
/// assert!(err.to_string().ends_with(
///     "group 8, character 3 is probably wrong (did you mean '5'?), but only if it is the only \
///      mistake (two mistakes can look like one): check the whole code against its source \
///      before using it"
/// ));
/// // Two wrong characters: no fix a slip would explain, so no suggestion.
/// let err = ActivationCode::parse("7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RX6").unwrap_err();
/// assert!(err.to_string().ends_with(
///     "so the code was mistyped, and which characters are wrong cannot be told: check the \
///      whole code against its source, character by character"
/// ));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CodeError {
    /// The text has the wrong number of characters.
    #[error(
        "{kind}: expected {expected} characters (8 groups of 3 separated by '{separator}', like {example}), found {found}"
    )]
    WrongLength {
        /// Which kind of code was expected.
        kind: &'static str,
        /// The expected length (31).
        expected: usize,
        /// The length found, surrounding whitespace removed.
        found: usize,
        /// The separator expected between groups.
        separator: char,
        /// A well-formed example.
        example: &'static str,
    },
    /// A character that is not in the alphabet.
    #[error(
        "{kind}: '{found}' at {at} is not allowed: use the digits 0-9 and the letters A-Z except I, L, O and U"
    )]
    InvalidCharacter {
        /// Which kind of code was expected.
        kind: &'static str,
        /// Where the character is.
        at: CodePosition,
        /// The character.
        found: char,
    },
    /// Groups separated by the wrong character.
    #[error("{kind}: expected '{expected}' after group {after_group}, found '{found}'{hint}")]
    WrongSeparator {
        /// Which kind of code was expected.
        kind: &'static str,
        /// The group the separator follows.
        after_group: u8,
        /// The separator expected.
        expected: char,
        /// The character found.
        found: char,
        /// A hint when the text is the other kind of code.
        hint: &'static str,
    },
    /// The text is a valid code of the other kind (a serial number where
    /// an activation code was asked for, or the reverse). Every code of one
    /// kind is one character away from a code of the other, so the text
    /// may also be a mistyped code of the kind asked for: `correction`
    /// would say which character then, but only if that change were a
    /// plausible typo, and it never is (it is always group 4, character 2,
    /// changed to a character that neither looks like it nor is beside it
    /// on the keyboard): the text is most likely the other kind of code.
    #[error("{kind}{hint}: enter the {kind} (if this is one, it was mistyped{})", correction_text(.correction))]
    WrongKind {
        /// Which kind of code was expected.
        kind: &'static str,
        /// What the text is instead, like ": this is a serial number, not
        /// an activation code".
        hint: &'static str,
        /// The single change that would make it a code of the kind asked
        /// for, when it is a plausible slip.
        correction: Option<Correction>,
    },
    /// The check characters do not match: the code was mistyped. Which
    /// characters are wrong is known only when a single plausible slip
    /// explains it, and even then only if that was the only mistake.
    #[error("{kind}: the check characters do not match, so the code was mistyped{}", correction_text(.correction))]
    Mistyped {
        /// Which kind of code was expected.
        kind: &'static str,
        /// The one plausible slip (a look-alike, a neighbouring key, a swap)
        /// that explains the text, when exactly one single mistake does.
        correction: Option<Correction>,
    },
}

/// What to say of a text that is a valid code of the `other` kind.
fn this_is(other: &Kind) -> &'static str {
    if other == &SERIAL_NUMBER {
        ": this is a serial number, not an activation code"
    } else {
        ": this is an activation code, not a serial number"
    }
}

/// Said after every suggested fix: two mistakes can look like one.
const CAVEAT: &str = "but only if it is the only mistake (two mistakes can look like one): check the whole code against its source before using it";

/// Said when no fix is suggested.
const CHECK_WHOLE: &str = "which characters are wrong cannot be told: check the whole code against its source, character by character";

fn correction_text(c: &Option<Correction>) -> String {
    match c {
        Some(c) => format!(": {c}, {CAVEAT}"),
        None => format!(", and {CHECK_WHOLE}"),
    }
}

/// The methods and traits activation codes and serial numbers share: the
/// text form, the 15-byte binary form, and serde (text in human-readable
/// formats like JSON, the binary form in postcard).
macro_rules! code_type {
    ($ty:ident, $kind:path) => {
        impl $ty {
            /// Parses the text form: case and surrounding whitespace are
            /// ignored, O reads as 0, I and L as 1; the separators may be
            /// left out. The error says where the text is wrong.
            ///
            /// ```
            /// use licensing::{ActivationCode, SerialNumber};
            ///
            /// let code = ActivationCode::parse(" 7kq.m2x.9fd.aoc.wz3.h8n.p4t.rp5\n")?;
            /// assert_eq!(code.to_string(), "7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5");
            /// let serial = SerialNumber::parse("ksm0r18nvjaqx4hx455vzg20")?;
            /// assert_eq!(serial.to_string(), "KSM-0R1-8NV-JAQ-X4H-X45-5VZ-G20");
            /// assert!(SerialNumber::parse("7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5").is_err());
            /// # Ok::<(), licensing::CodeError>(())
            /// ```
            pub fn parse(text: &str) -> Result<Self, $crate::CodeError> {
                $crate::code::Symbols::parse(text, &$kind).map(Self)
            }

            /// The 15-byte binary form used inside license files.
            ///
            /// ```
            /// use licensing::{ActivationCode, SerialNumber};
            ///
            /// let code: ActivationCode = "7KQ.M2X.9FD.A0C.WZ3.H8N.P4T.RP5".parse()?;
            /// let bytes: [u8; 15] = code.to_bytes();
            /// assert_eq!(ActivationCode::from_bytes(&bytes), Some(code));
            /// assert_eq!(SerialNumber::from_bytes(&bytes), None); // never the other kind
            /// # Ok::<(), licensing::CodeError>(())
            /// ```
            pub fn to_bytes(&self) -> [u8; $crate::code::PACKED_LEN] {
                self.0.pack()
            }

            /// Reads the 15-byte binary form; `None` when its check
            /// characters do not match.
            ///
            /// ```
            /// use licensing::SerialNumber;
            ///
            /// let serial: SerialNumber = "KSM-0R1-8NV-JAQ-X4H-X45-5VZ-G20".parse()?;
            /// let mut bytes = serial.to_bytes();
            /// assert_eq!(SerialNumber::from_bytes(&bytes), Some(serial));
            /// bytes[0] ^= 0x80; // one flipped bit: the check characters no longer match
            /// assert_eq!(SerialNumber::from_bytes(&bytes), None);
            /// # Ok::<(), licensing::CodeError>(())
            /// ```
            pub fn from_bytes(bytes: &[u8; $crate::code::PACKED_LEN]) -> Option<Self> {
                $crate::code::Symbols::unpack(bytes, &$kind).map(Self)
            }
        }

        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.write(&$kind, f)
            }
        }

        impl std::fmt::Debug for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                write!(f, "{}({self})", stringify!($ty))
            }
        }

        impl std::str::FromStr for $ty {
            type Err = $crate::CodeError;
            fn from_str(s: &str) -> Result<Self, $crate::CodeError> {
                Self::parse(s)
            }
        }

        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                self.0.serialize(&$kind, serializer)
            }
        }

        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                $crate::code::Symbols::deserialize(&$kind, deserializer).map(Self)
            }
        }
    };
}
pub(crate) use code_type;

/// The 24 symbols (values 0..32) of a valid code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) struct Symbols(pub [u8; SYMBOLS]);

impl Symbols {
    /// Makes a valid code of `kind` from 110 bits of `value` (the first 110
    /// bits of the slice are used; it must be at least 14 bytes).
    pub fn from_value_bits(kind: &Kind, value: &[u8]) -> Self {
        let mut symbols = [0u8; SYMBOLS];
        for (i, s) in symbols.iter_mut().take(DATA_SYMBOLS).enumerate() {
            *s = bits5(value, i * 5);
        }
        let (a, b) = syndromes(&symbols, kind);
        // Solve c22*α^22 + c23*α^23 = a, c22*α^44 + c23*α^46 = b (Cramer).
        let (m11, m12, m21, m22) = (exp(22), exp(23), exp(44), exp(46));
        let det = mul(m11, m22) ^ mul(m12, m21);
        symbols[22] = div(mul(a, m22) ^ mul(m12, b), det);
        symbols[23] = div(mul(m11, b) ^ mul(m21, a), det);
        debug_assert_eq!(syndromes(&symbols, kind), (0, 0));
        Self(symbols)
    }

    pub fn is_valid(&self, kind: &Kind) -> bool {
        syndromes(&self.0, kind) == (0, 0)
    }

    pub fn parse(text: &str, kind: &Kind) -> Result<Self, CodeError> {
        let text = text.trim();
        // Counted, not collected: validation parses a code at every call.
        let count = text.chars().count();
        let grouped = count == TEXT_LEN;
        if !grouped && count != SYMBOLS {
            return Err(CodeError::WrongLength {
                kind: kind.name,
                expected: TEXT_LEN,
                found: count,
                separator: kind.separator,
                example: kind.example,
            });
        }
        let mut symbols = [0u8; SYMBOLS];
        let mut wrong_separator = None;
        let mut n = 0;
        for (column, c) in text.chars().enumerate() {
            if grouped && column % (GROUP + 1) == GROUP {
                if c != kind.separator && wrong_separator.is_none() {
                    wrong_separator = Some((column / (GROUP + 1) + 1, c));
                }
                continue;
            }
            symbols[n] = decode_char(c).ok_or(CodeError::InvalidCharacter {
                kind: kind.name,
                at: CodePosition::of_symbol(n),
                found: c,
            })?;
            n += 1;
        }
        let parsed = Self(symbols);
        if let Some((after_group, found)) = wrong_separator {
            let other = other_kind(kind);
            let hint = if found == other.separator && parsed.is_valid(other) {
                this_is(other)
            } else {
                ""
            };
            return Err(CodeError::WrongSeparator {
                kind: kind.name,
                after_group: after_group as u8,
                expected: kind.separator,
                found,
                hint,
            });
        }
        if !parsed.is_valid(kind) {
            let other = other_kind(kind);
            if parsed.is_valid(other) {
                return Err(CodeError::WrongKind {
                    kind: kind.name,
                    hint: this_is(other),
                    correction: parsed.likely_correction(kind),
                });
            }
            return Err(CodeError::Mistyped {
                kind: kind.name,
                correction: parsed.likely_correction(kind),
            });
        }
        Ok(parsed)
    }

    pub fn write(&self, kind: &Kind, f: &mut impl fmt::Write) -> fmt::Result {
        for (i, &s) in self.0.iter().enumerate() {
            if i > 0 && i % GROUP == 0 {
                f.write_char(kind.separator)?;
            }
            f.write_char(ALPHABET[s as usize] as char)?;
        }
        Ok(())
    }

    pub fn pack(&self) -> [u8; PACKED_LEN] {
        let mut out = [0u8; PACKED_LEN];
        for (i, &s) in self.0.iter().enumerate() {
            for b in 0..5 {
                if s & (0x10 >> b) != 0 {
                    let bit = i * 5 + b;
                    out[bit / 8] |= 0x80 >> (bit % 8);
                }
            }
        }
        out
    }

    pub fn unpack(bytes: &[u8; PACKED_LEN], kind: &Kind) -> Option<Self> {
        let mut symbols = [0u8; SYMBOLS];
        for (i, s) in symbols.iter_mut().enumerate() {
            *s = bits5(bytes, i * 5);
        }
        let symbols = Self(symbols);
        symbols.is_valid(kind).then_some(symbols)
    }

    pub fn serialize<S: Serializer>(&self, kind: &Kind, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let mut s = String::with_capacity(TEXT_LEN);
            self.write(kind, &mut s)
                .map_err(serde::ser::Error::custom)?;
            serializer.serialize_str(&s)
        } else {
            serde::Serialize::serialize(&self.pack(), serializer)
        }
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(
        kind: &'static Kind,
        deserializer: D,
    ) -> Result<Self, D::Error> {
        if deserializer.is_human_readable() {
            deserializer.deserialize_str(TextVisitor(kind))
        } else {
            let bytes: [u8; PACKED_LEN] = serde::Deserialize::deserialize(deserializer)?;
            Self::unpack(&bytes, kind).ok_or_else(|| {
                de::Error::custom(format_args!(
                    "the {}'s check characters do not match",
                    kind.name
                ))
            })
        }
    }
}

struct TextVisitor(&'static Kind);

impl Visitor<'_> for TextVisitor {
    type Value = Symbols;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "an {} like {}", self.0.name, self.0.example)
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Symbols, E> {
        Symbols::parse(v, self.0).map_err(E::custom)
    }
}

fn other_kind(kind: &Kind) -> &'static Kind {
    if kind == &ACTIVATION_CODE {
        &SERIAL_NUMBER
    } else {
        &ACTIVATION_CODE
    }
}

/// Reads the 5 bits starting at bit `start` (most significant bit first).
fn bits5(bytes: &[u8], start: usize) -> u8 {
    let mut v = 0;
    for bit in start..start + 5 {
        v = (v << 1) | ((bytes[bit / 8] >> (7 - bit % 8)) & 1);
    }
    v
}

/// Crockford's decoding: case-insensitive, O reads as 0, I and L as 1.
/// Each ASCII character's symbol (upper and lower case, O as 0, I and L
/// as 1), or 0xff: one table read per character.
const DECODE: [u8; 128] = {
    let mut t = [0xffu8; 128];
    let mut i = 0;
    while i < ALPHABET.len() {
        t[ALPHABET[i] as usize] = i as u8;
        t[ALPHABET[i].to_ascii_lowercase() as usize] = i as u8;
        i += 1;
    }
    t[b'O' as usize] = 0;
    t[b'o' as usize] = 0;
    t[b'I' as usize] = 1;
    t[b'i' as usize] = 1;
    t[b'L' as usize] = 1;
    t[b'l' as usize] = 1;
    t
};

fn decode_char(c: char) -> Option<u8> {
    match DECODE.get(c as usize) {
        Some(&s) if s != 0xff => Some(s),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
