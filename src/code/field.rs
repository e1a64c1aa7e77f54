//! GF(32), the field of the check characters (docs/FORMAT.md section
//! 4.3): the primitive polynomial x^5 + x^2 + 1, α = 2.

use super::{Kind, SYMBOLS};

pub(super) fn syndromes(symbols: &[u8; SYMBOLS], kind: &Kind) -> (u8, u8) {
    let mut s1 = kind.tweak[0];
    let mut s2 = kind.tweak[1];
    for (i, &c) in symbols.iter().enumerate() {
        s1 ^= mul(c, exp(i));
        s2 ^= mul(c, exp(2 * i));
    }
    (s1, s2)
}

// GF(32) with the primitive polynomial x^5 + x^2 + 1; α = 2.
pub(super) const EXP: [u8; 31] = {
    let mut t = [0u8; 31];
    let mut x: u8 = 1;
    let mut i = 0;
    while i < 31 {
        t[i] = x;
        x <<= 1;
        if x & 0x20 != 0 {
            x ^= 0x25;
        }
        i += 1;
    }
    t
};

pub(super) const LOG: [u8; 32] = {
    let mut t = [0u8; 32];
    let mut i = 0;
    while i < 31 {
        t[EXP[i] as usize] = i as u8;
        i += 1;
    }
    t
};

/// `EXP` repeated to 64 entries: the exponents the checks use (up to
/// 2 x 23, and sums of two logarithms, up to 60) need no division.
const EXP64: [u8; 64] = {
    let mut t = [0u8; 64];
    let mut i = 0;
    while i < 64 {
        t[i] = EXP[i % 31];
        i += 1;
    }
    t
};

pub(super) fn exp(i: usize) -> u8 {
    match EXP64.get(i) {
        Some(&x) => x,
        None => EXP[i % 31],
    }
}

pub(super) fn mul(a: u8, b: u8) -> u8 {
    if a == 0 || b == 0 {
        0
    } else {
        exp(LOG[a as usize] as usize + LOG[b as usize] as usize)
    }
}

pub(super) fn div(a: u8, b: u8) -> u8 {
    debug_assert!(b != 0);
    if a == 0 {
        0
    } else {
        exp(LOG[a as usize] as usize + 31 - LOG[b as usize] as usize)
    }
}
