//! The codes' tests: every typo, every swap, the field, the kinds.

use super::field::*;
use super::typos::*;
use super::*;

fn random_symbols(kind: &Kind, seed: u64) -> Symbols {
    // A tiny deterministic generator keeps the exhaustive test repeatable.
    let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    let mut bytes = [0u8; 14];
    for b in &mut bytes {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        *b = x as u8;
    }
    Symbols::from_value_bits(kind, &bytes)
}

#[test]
fn field_tables_are_a_permutation() {
    let mut seen = [false; 32];
    for &e in &EXP {
        assert!(!seen[e as usize], "α has order below 31");
        seen[e as usize] = true;
    }
    assert!(!seen[0]);
    for a in 1..32u8 {
        for b in 1..32u8 {
            assert_eq!(mul(div(a, b), b), a);
        }
    }
}

/// The code a suggested fix gives.
fn apply(s: &Symbols, fix: &Correction) -> Symbols {
    let index =
        |at: &CodePosition| usize::from(at.group - 1) * GROUP + usize::from(at.character - 1);
    let mut t = *s;
    match fix {
        Correction::Replace { at, with } => {
            t.0[index(at)] = decode_char(*with).expect("a character of the alphabet");
        }
        Correction::Swap { at } => t.0.swap(index(at), index(at) + 1),
    }
    t
}

fn text(s: &Symbols, kind: &Kind) -> String {
    let mut t = String::new();
    s.write(kind, &mut t).unwrap();
    t
}

/// The suggestion for a mistyped text, with the checks every such
/// error passes: never accepted, the suggestion (if any) is the one
/// `likely_correction` gives, and the message carries the caveat with
/// a suggestion, or says to check the whole code without one.
fn refused(s: &Symbols, kind: &Kind) -> Option<Correction> {
    let err = Symbols::parse(&text(s, kind), kind).expect_err("a mistyped code was accepted");
    let correction = match &err {
        CodeError::Mistyped { correction, .. } => correction.clone(),
        CodeError::WrongKind { correction, .. } => {
            assert!(s.is_valid(other_kind(kind)), "{err}");
            correction.clone()
        }
        other => panic!("unexpected {other:?}"),
    };
    assert_eq!(correction, s.likely_correction(kind));
    let message = err.to_string();
    assert!(message.contains("mistyped"), "{message}");
    match &correction {
        Some(c) => {
            assert!(message.contains(&format!("{c}, {CAVEAT}")), "{message}");
            assert!(!message.contains(CHECK_WHOLE), "{message}");
        }
        None => {
            assert!(message.contains(CHECK_WHOLE), "{message}");
            assert!(!message.contains("probably"), "{message}");
        }
    }
    correction
}

/// Whether two neighbouring characters swapped explain `s`.
fn swap_explains(s: &Symbols, kind: &Kind) -> bool {
    (0..SYMBOLS - 1).any(|i| {
        let mut t = *s;
        t.0.swap(i, i + 1);
        t != *s && t.is_valid(kind)
    })
}

/// A few codes of each kind: the examples and some random ones.
fn sample_codes() -> Vec<(&'static Kind, Symbols)> {
    let mut codes = Vec::new();
    for kind in [&ACTIVATION_CODE, &SERIAL_NUMBER] {
        codes.push((kind, Symbols::parse(kind.example, kind).unwrap()));
        for seed in 0..40 {
            codes.push((kind, random_symbols(kind, seed)));
        }
    }
    codes
}

#[test]
fn every_single_typo_is_refused_and_fixed_only_when_plausible() {
    let (mut fixed, mut implausible, mut ambiguous) = (0, 0, 0);
    for (kind, code) in sample_codes() {
        assert!(code.is_valid(kind));
        for pos in 0..SYMBOLS {
            for v in 0..32u8 {
                if v == code.0[pos] {
                    continue;
                }
                let mut typo = code;
                typo.0[pos] = v;
                assert!(!typo.is_valid(kind), "typo at {pos} undetected");
                let correction = refused(&typo, kind);
                if !plausible_typo(v, code.0[pos]) {
                    // Not a slip: the check characters could compute
                    // the fix, but nothing says it is a single typo.
                    assert_eq!(correction, None, "{}", text(&typo, kind));
                    implausible += 1;
                } else if let Some(fix) = correction {
                    assert_eq!(
                        fix,
                        Correction::Replace {
                            at: CodePosition::of_symbol(pos),
                            with: ALPHABET[code.0[pos] as usize] as char
                        }
                    );
                    assert_eq!(apply(&typo, &fix), code);
                    fixed += 1;
                } else {
                    // A swap elsewhere explains the text too: which of
                    // the two mistakes was made is unknown.
                    assert!(swap_explains(&typo, kind), "{}", text(&typo, kind));
                    ambiguous += 1;
                }
            }
        }
    }
    eprintln!(
        "single typos: {fixed} plausible ones fixed, {ambiguous} plausible ones also \
         explained by a swap (no suggestion), {implausible} implausible ones (no suggestion)"
    );
    assert!(ambiguous * 20 < fixed, "{ambiguous} of {fixed}");
}

#[test]
fn every_adjacent_swap_is_refused_and_fixed_unless_ambiguous() {
    let (mut fixed, mut ambiguous) = (0, 0);
    for (kind, code) in sample_codes() {
        for i in 0..SYMBOLS - 1 {
            let mut swapped = code;
            swapped.0.swap(i, i + 1);
            if swapped == code {
                continue;
            }
            // The swap reads as one wrong character at i + 18 (mod 31),
            // off by the xor of the two swapped.
            let shadow = (i + 18) % 31;
            assert_eq!(
                swapped.single_fix(kind),
                (shadow < SYMBOLS).then(|| (shadow, swapped.0[shadow] ^ code.0[i] ^ code.0[i + 1]))
            );
            let swaps = (0..SYMBOLS - 1)
                .filter(|&k| {
                    let mut t = swapped;
                    t.0.swap(k, k + 1);
                    t != swapped && t.is_valid(kind)
                })
                .count();
            match refused(&swapped, kind) {
                Some(fix) => {
                    assert_eq!(
                        fix,
                        Correction::Swap {
                            at: CodePosition::of_symbol(i)
                        }
                    );
                    assert_eq!(apply(&swapped, &fix), code);
                    fixed += 1;
                }
                None => {
                    // Another swap, or one wrong character, explains
                    // the text too.
                    assert!(swaps > 1 || shadow < SYMBOLS, "{}", text(&swapped, kind));
                    ambiguous += 1;
                }
            }
        }
    }
    eprintln!("adjacent swaps: {fixed} fixed, {ambiguous} ambiguous (no suggestion)");
    assert!(fixed > 0);
}

#[test]
fn every_swap_of_any_two_characters_is_detected() {
    for (kind, code) in sample_codes() {
        for i in 0..SYMBOLS - 1 {
            for j in i + 1..SYMBOLS {
                let mut swapped = code;
                swapped.0.swap(i, j);
                if swapped != code {
                    assert!(!swapped.is_valid(kind), "swap {i}<->{j} undetected");
                }
            }
        }
    }
}

/// Two typos look like one: the check characters cannot tell. Every
/// suggestion made for a text with two wrong characters leads to a
/// different valid code (unless the two were a swap after all): they
/// must be rare, and every one must carry the caveat.
#[test]
fn double_typos_rarely_get_a_suggestion_and_never_without_the_caveat() {
    const SAMPLES: u32 = 200_000;
    let mut x: u64 = 0x2545_F491_4F6C_DD1D;
    let mut next = move |n: usize| {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        (x % n as u64) as usize
    };
    let (mut replaced, mut swapped, mut wrong, mut same, mut unfiltered) = (0, 0, 0, 0, 0);
    for n in 0..SAMPLES {
        let kind = if n % 2 == 0 {
            &ACTIVATION_CODE
        } else {
            &SERIAL_NUMBER
        };
        let code = random_symbols(kind, u64::from(n / 2) + 1_000_000);
        let first = next(SYMBOLS);
        let second = (first + 1 + next(SYMBOLS - 1)) % SYMBOLS;
        let mut typo = code;
        for p in [first, second] {
            typo.0[p] = (code.0[p] + 1 + next(31) as u8) % 32;
        }
        if typo.single_fix(kind).is_some() {
            unfiltered += 1; // a fix computed whatever its plausibility
        }
        let Some(fix) = refused(&typo, kind) else {
            continue;
        };
        match fix {
            Correction::Replace { .. } => replaced += 1,
            Correction::Swap { .. } => swapped += 1,
        }
        let result = apply(&typo, &fix);
        assert!(result.is_valid(kind));
        if result == code {
            same += 1;
        } else {
            wrong += 1;
        }
    }
    let rate = |k: u32| f64::from(k) * 100.0 / f64::from(SAMPLES);
    eprintln!(
        "double typos: {SAMPLES} sampled; {} got a suggestion ({replaced} one character, \
         {swapped} a swap), {wrong} = {:.2}% leading to a different valid code, {same} back \
         to the original; one character changed would make {unfiltered} = {:.2}% of them valid",
        replaced + swapped,
        rate(wrong),
        rate(unfiltered),
    );
    // Measured: 6.28% (12.04% when keys above and below count as
    // neighbours; 70.96% when every fix is suggested).
    assert!(rate(wrong) < 7.0, "{:.2}%", rate(wrong));
    assert!(same < 10 && swapped * 50 < SAMPLES);
}

#[test]
fn the_slips_are_look_alikes_neighbouring_keys_and_adjacent_digits() {
    let sym = |c: char| decode_char(c).unwrap();
    let plausible = |typed: char, meant: char| plausible_typo(sym(typed), sym(meant));
    for (a, b) in [
        ('0', 'D'),
        ('Q', '0'),
        ('1', '7'),
        ('2', 'Z'),
        ('5', 'S'),
        ('6', 'G'),
        ('8', 'B'),
        ('M', 'N'),
        ('5', '6'),
        ('0', '1'),
        ('9', '0'),
        ('G', 'F'),
        ('G', 'H'),
        ('Q', 'W'),
        ('A', 'S'),
        ('Z', 'X'),
        ('N', 'B'),
    ] {
        assert!(plausible(a, b) && plausible(b, a), "{a} {b}");
    }
    // O and L type 0 and 1: a 0 may be an O meant as P, a 1 an L
    // meant as K.
    assert!(plausible('0', 'P') && plausible('1', 'K'));
    // Keys above or below are not counted, nor other letters.
    for (a, b) in [
        ('T', 'X'),
        ('G', 'T'),
        ('G', 'V'),
        ('Q', 'A'),
        ('A', 'Z'),
        ('1', 'Q'),
        ('1', '3'),
        ('5', '5'),
    ] {
        assert!(!plausible(a, b) && !plausible(b, a), "{a} {b}");
    }
    // Between keys of the alphabet, neighbours are mutual.
    for a in 2..32u8 {
        for b in 2..32u8 {
            assert_eq!(plausible_typo(a, b), plausible_typo(b, a), "{a} {b}");
        }
    }
    let table: Vec<String> = (0..32)
        .map(|t| {
            let meant: String = (0..32u8)
                .filter(|&m| plausible_typo(t, m))
                .map(|m| ALPHABET[m as usize] as char)
                .collect();
            format!("{}: {meant}", ALPHABET[t as usize] as char)
        })
        .collect();
    let mean = f64::from(PLAUSIBLE.iter().map(|m| m.count_ones()).sum::<u32>()) / 32.0;
    eprintln!(
        "plausible slips (typed: meant), {mean:.2} each:\n{}",
        table.join("\n")
    );
}

#[test]
fn the_other_kind_is_named_and_no_fix_is_offered_to_make_it_the_kind_asked_for() {
    // The syndromes of a code of the other kind are the difference of
    // the tweaks: the one character that would make it a code of the
    // kind asked for is always group 4, character 2, changed by xor 21
    // (0-N, 1-M, 2-Q, 3-P, 4-H, 5-G, 6-K, 7-J, 8-X, 9-W, A-Z, B-Y, C-S,
    // D-R, E-V, F-T): never a look-alike or a neighbouring key, so a
    // code of the other kind never gets a fix that would turn it into
    // a valid code of the kind asked for.
    for a in 0..32u8 {
        assert!(
            !plausible_typo(a, a ^ 21),
            "{}",
            ALPHABET[a as usize] as char
        );
    }
    for (kind, other) in [
        (&ACTIVATION_CODE, &SERIAL_NUMBER),
        (&SERIAL_NUMBER, &ACTIVATION_CODE),
    ] {
        for seed in 0..200 {
            let code = random_symbols(other, seed);
            let err = Symbols::parse(&text(&code, kind), kind).unwrap_err();
            let CodeError::WrongKind {
                hint, correction, ..
            } = &err
            else {
                panic!("{} was not named: {err}", text(&code, other));
            };
            assert_eq!(*hint, this_is(other));
            assert_eq!(*correction, refused(&code, kind));
            assert_eq!(code.single_fix(kind), Some((10, code.0[10] ^ 21)));
            assert_eq!(*correction, None);
            assert!(err.to_string().starts_with(&format!(
                "{}{}: enter the {} (if this is one, it was mistyped, and {CHECK_WHOLE})",
                kind.name, hint, kind.name
            )));
        }
    }
}

#[test]
fn the_examples_in_messages_are_valid() {
    for kind in [&ACTIVATION_CODE, &SERIAL_NUMBER] {
        assert!(
            Symbols::parse(kind.example, kind).is_ok(),
            "{}",
            kind.example
        );
    }
}

#[test]
fn kinds_never_share_a_valid_code() {
    for seed in 0..1000 {
        assert!(!random_symbols(&ACTIVATION_CODE, seed).is_valid(&SERIAL_NUMBER));
        assert!(!random_symbols(&SERIAL_NUMBER, seed).is_valid(&ACTIVATION_CODE));
    }
}

#[test]
fn pack_round_trips() {
    for seed in 0..100 {
        let code = random_symbols(&SERIAL_NUMBER, seed);
        assert_eq!(Symbols::unpack(&code.pack(), &SERIAL_NUMBER), Some(code));
        assert_eq!(Symbols::unpack(&code.pack(), &ACTIVATION_CODE), None);
    }
}
