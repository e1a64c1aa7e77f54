//! Which typo a mistyped code most likely holds: only a plausible slip
//! (a look-alike, a neighbouring key, a swap of neighbours) is suggested,
//! since two check characters cannot tell one mistake from two.

use super::field::{LOG, div, exp, syndromes};
use super::{ALPHABET, CodePosition, Correction, Kind, SYMBOLS, Symbols};

impl Symbols {
    /// The fix to suggest for a code that is not valid: given only when
    /// exactly one single mistake (one wrong character, or two neighbouring
    /// characters swapped) explains the text, and that mistake is a
    /// plausible slip (every swap is; a wrong character when
    /// `plausible_typo` says so).
    ///
    /// Two check characters cannot tell one mistake from two: about 7 in 10
    /// texts with two wrong characters are one character away from some
    /// valid code, and that fix makes another valid code. Only plausible
    /// fixes are suggested, and the message says the fix holds only for a
    /// single mistake.
    ///
    /// A swap of the characters at i and i + 1 also reads as one wrong
    /// character at i + 18 (mod 31), off by the xor of the two swapped (as
    /// α^18 = 1 + α): so a swap is suggested only where that position is
    /// past the end of the code (i from 6 to 12, group 3, character 1 to
    /// group 5, character 1), elsewhere the two explanations tie.
    pub(super) fn likely_correction(&self, kind: &Kind) -> Option<Correction> {
        let mut explanations = 0;
        let mut correction = None;
        // Two neighbouring characters swapped.
        for i in 0..SYMBOLS - 1 {
            let mut swapped = self.0;
            swapped.swap(i, i + 1);
            if swapped != self.0 && Symbols(swapped).is_valid(kind) {
                explanations += 1;
                correction = Some(Correction::Swap {
                    at: CodePosition::of_symbol(i),
                });
            }
        }
        // One wrong symbol: there is at most one such fix (any two valid
        // codes differ in at least three symbols).
        if let Some((j, fixed)) = self.single_fix(kind) {
            explanations += 1;
            correction = plausible_typo(self.0[j], fixed).then_some(Correction::Replace {
                at: CodePosition::of_symbol(j),
                with: ALPHABET[fixed as usize] as char,
            });
        }
        // Several single mistakes explain the text: which one is unknown.
        if explanations == 1 { correction } else { None }
    }

    /// The position and the value of the one symbol whose change makes the
    /// code valid, if there is one.
    pub(super) fn single_fix(&self, kind: &Kind) -> Option<(usize, u8)> {
        // One wrong symbol, off by e at position j, gives the syndromes
        // (e·α^j, e·α^2j).
        let (s1, s2) = syndromes(&self.0, kind);
        if s1 == 0 || s2 == 0 {
            return None;
        }
        let j = LOG[div(s2, s1) as usize] as usize;
        if j >= SYMBOLS {
            return None;
        }
        let fixed = self.0[j] ^ div(s1, exp(j));
        debug_assert!({
            let mut t = self.0;
            t[j] = fixed;
            Symbols(t).is_valid(kind)
        });
        Some((j, fixed))
    }
}

/// Characters that look alike in print or handwriting, in groups over the
/// alphabet `0123456789ABCDEFGHJKMNPQRSTVWXYZ`; any two characters of a
/// group are look-alikes. O, I and L need no entry (they already read as
/// 0, 1 and 1), nor U (never in a code):
///
/// ```text
/// 0 D Q    1 7    2 Z    5 S    6 G    8 B    C G    E F    P R    M N
/// ```
pub(super) const LOOK_ALIKES: [&[u8]; 10] = [
    b"0DQ", b"17", b"2Z", b"5S", b"6G", b"8B", b"CG", b"EF", b"PR", b"MN",
];

/// The rows of a US QWERTY keyboard. Two keys are neighbours when they are
/// side by side in a row (so 5 touches 4 and 6, G touches F and H, P
/// touches O and nothing else of the alphabet). Keys above and below are
/// left out on purpose: with them each character has about 5 plausible
/// slips instead of 2.5, and twice as many texts with two wrong characters
/// (12% instead of 6%, see the tests) get a fix that makes another valid
/// code. I, L, O and U, not in the alphabet, only matter as the keys that
/// type 1 and 0 (`keys_typing`).
pub(super) const KEY_ROWS: [&[u8]; 4] = [b"1234567890", b"QWERTYUIOP", b"ASDFGHJKL", b"ZXCVBNM"];

/// Whether two keys are side by side in a row of a US QWERTY keyboard.
pub(super) const fn neighbour_keys(a: u8, b: u8) -> bool {
    let mut row = 0;
    while row < KEY_ROWS.len() {
        let keys = KEY_ROWS[row];
        let mut i = 0;
        while i + 1 < keys.len() {
            if (keys[i] == a && keys[i + 1] == b) || (keys[i] == b && keys[i + 1] == a) {
                return true;
            }
            i += 1;
        }
        row += 1;
    }
    false
}

/// The keys that type a symbol: its own, and O for 0, I and L for 1 (they
/// read as 0 and 1).
pub(super) const fn keys_typing(symbol: u8) -> &'static [u8] {
    match ALPHABET[symbol as usize] {
        b'0' => b"0O",
        b'1' => b"1IL",
        _ => std::slice::from_ref(&ALPHABET[symbol as usize]),
    }
}

pub(super) const fn in_group(group: &[u8], a: u8, b: u8) -> bool {
    let (mut has_a, mut has_b) = (false, false);
    let mut i = 0;
    while i < group.len() {
        has_a |= group[i] == a;
        has_b |= group[i] == b;
        i += 1;
    }
    has_a && has_b
}

/// Whether typing the symbol `typed` where `meant` belongs is a plausible
/// slip: the two characters look alike (`LOOK_ALIKES`), or `typed` comes
/// from a key beside `meant`'s on a US QWERTY keyboard (`KEY_ROWS`; O, I
/// and L count as keys that type 0 and 1), or the two are digits one apart
/// (so 0 and 1 too; 9 and 0 are neighbouring keys).
pub(super) const fn plausible_slip(typed: u8, meant: u8) -> bool {
    if typed == meant {
        return false;
    }
    let (t, m) = (ALPHABET[typed as usize], ALPHABET[meant as usize]);
    let mut g = 0;
    while g < LOOK_ALIKES.len() {
        if in_group(LOOK_ALIKES[g], t, m) {
            return true;
        }
        g += 1;
    }
    if t.is_ascii_digit() && m.is_ascii_digit() && t.abs_diff(m) == 1 {
        return true;
    }
    let keys = keys_typing(typed);
    let mut k = 0;
    while k < keys.len() {
        if neighbour_keys(keys[k], m) {
            return true;
        }
        k += 1;
    }
    false
}

/// `PLAUSIBLE[typed]` has bit `meant` set when typing `typed` for `meant`
/// is a plausible slip (`plausible_slip`).
pub(super) const PLAUSIBLE: [u32; 32] = {
    let mut t = [0u32; 32];
    let mut typed = 0;
    while typed < 32 {
        let mut meant = 0;
        while meant < 32 {
            if plausible_slip(typed as u8, meant as u8) {
                t[typed] |= 1 << meant;
            }
            meant += 1;
        }
        typed += 1;
    }
    t
};

/// Whether the symbol `typed` is a plausible slip for `meant`.
pub(super) fn plausible_typo(typed: u8, meant: u8) -> bool {
    PLAUSIBLE[typed as usize] & (1 << meant) != 0
}
