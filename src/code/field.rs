//! GF(32), the field of the check characters (docs/FORMAT.md section
//! 4.3): the primitive polynomial x^5 + x^2 + 1, α = 2.

use super::{Kind, SYMBOLS};

pub(super) fn syndromes(symbols: &[u8; SYMBOLS], kind: &Kind) -> (u8, u8) {
    let mut s1 = kind.tweak[0];
    let mut s2 = kind.tweak[1];
    // c * α^i is α^(log c + i): one table read per term, no division
    // (validation checks a code at every call).
    for (i, &c) in symbols.iter().enumerate() {
        if c != 0 {
            let log = LOG[usize::from(c & 31)] as usize;
            s1 ^= EXP128[log + i];
            s2 ^= EXP128[log + 2 * i];
        }
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

/// `EXP` repeated to 128 entries: the exponents the checks use (a
/// logarithm, at most 30, plus at most 2 x 23) need no division.
const EXP128: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        t[i] = EXP[i % 31];
        i += 1;
    }
    t
};

pub(super) fn exp(i: usize) -> u8 {
    match EXP128.get(i) {
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
