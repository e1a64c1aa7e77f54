//! A small hash index over a verified license's names (its features, its
//! limits), built once per verified file, so a lookup through the C ABI
//! costs a hash of the name and one probe instead of a scan.
//!
//! Speed comes from memory layout more than from instruction count: a name
//! of up to [`HEAD`] bytes is stored whole in its slot, and the slots sit
//! behind one pointer that a [`ValidatedLicense`](crate::ValidatedLicense)
//! holds inline. A lookup therefore reads the handle, then one slot: two
//! dependent loads, where an index of positions into a `Vec<String>` needs
//! five.

use std::sync::Arc;

/// Names up to this many bytes are kept whole in their slot; longer ones
/// keep their first `HEAD` bytes there and are confirmed against the list.
const HEAD: usize = 24;

/// The `len` of an empty slot: no name indexed is this long.
const EMPTY: u32 = u32::MAX;

/// One slot: 32 bytes, two to a cache line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(C, align(32))]
struct Slot {
    /// The name's first [`HEAD`] bytes, zero-padded, as little-endian words.
    head: [u64; 3],
    /// The name's length in bytes; [`EMPTY`] for an empty slot.
    len: u32,
    /// The name's index in the list.
    entry: u16,
}

impl Slot {
    const EMPTY: Slot = Slot {
        head: [0; 3],
        len: EMPTY,
        entry: 0,
    };

    /// Whether the slot holds the name with head words `w` and length `n`
    /// (at most [`HEAD`], so an empty slot never matches): one comparison
    /// of 32 bytes, no byte loop.
    #[inline(always)]
    fn holds(&self, w: &[u64; 3], n: usize) -> bool {
        let differs = (self.head[0] ^ w[0])
            | (self.head[1] ^ w[1])
            | (self.head[2] ^ w[2])
            | (u64::from(self.len) ^ n as u64);
        differs == 0
    }
}

/// Something indexed by its name.
pub(crate) trait Named {
    fn name(&self) -> &[u8];
}

impl Named for String {
    fn name(&self) -> &[u8] {
        self.as_bytes()
    }
}

#[cfg(test)]
impl Named for Vec<u8> {
    fn name(&self) -> &[u8] {
        self
    }
}

impl Named for crate::Limit {
    fn name(&self) -> &[u8] {
        self.name.as_bytes()
    }
}

/// Open-addressing table over a list of names; it answers where a name is
/// in the list it was built from.
///
/// Up to 64 names get a table 8 times their number, and the first of 64
/// hash seeds that gives every name a home slot of its own; so for the
/// lists licenses have, a lookup reads exactly one slot, hit or miss (the
/// tests check 300 generated lists of 1 to 32 names). Otherwise the seed
/// with the fewest shared home slots is kept, and a lookup probes on, up
/// to the farthest name's distance or the first empty slot.
#[derive(Clone, PartialEq, Eq, Default)]
pub(crate) struct NameIndex {
    /// A power of two long; empty when the list is empty or too large to
    /// index (then lookups scan the list).
    slots: Arc<[Slot]>,
    /// The hash seed the slots were placed with.
    seed: u64,
    /// How far past its home slot the farthest name lies.
    reach: usize,
}

// The slots are an implementation detail: a license's `{:?}` shows their
// number, not their bytes.
impl std::fmt::Debug for NameIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NameIndex")
            .field("slots", &self.slots.len())
            .field("reach", &self.reach)
            .finish_non_exhaustive()
    }
}

/// The 8 bytes of `s` starting at `at`; 0 past the end (never reached by
/// the callers, which stay in bounds, but it keeps this free of panics).
#[inline(always)]
fn word(s: &[u8], at: usize) -> u64 {
    s.get(at..at + 8)
        .and_then(|w| w.try_into().ok())
        .map_or(0, u64::from_le_bytes)
}

/// The 4 bytes of `s` starting at `at`, like [`word`].
#[inline(always)]
fn half_word(s: &[u8], at: usize) -> u64 {
    s.get(at..at + 4)
        .and_then(|w| w.try_into().ok())
        .map_or(0, |w| u64::from(u32::from_le_bytes(w)))
}

/// The first [`HEAD`] bytes of `name`, zero-padded, as little-endian words:
/// at most three loads whatever the length, and no byte loop.
#[inline(always)]
fn head_words(name: &[u8]) -> [u64; 3] {
    let n = name.len();
    // The bytes from `from` to the end (1 to 8 of them, n >= 8): the last
    // 8 bytes, shifted so that only those are kept.
    let last = |from: usize| word(name, n - 8) >> (8 * (8 - (n - from)));
    if n <= 8 {
        [short_word(name), 0, 0]
    } else if n <= 16 {
        [word(name, 0), last(8), 0]
    } else if n <= HEAD {
        [word(name, 0), word(name, 8), last(16)]
    } else {
        [word(name, 0), word(name, 8), word(name, 16)]
    }
}

/// Up to 8 bytes, zero-padded, as a little-endian word.
#[inline(always)]
fn short_word(name: &[u8]) -> u64 {
    let n = name.len();
    if n == 8 {
        word(name, 0)
    } else if n >= 4 {
        // Two overlapping halves.
        half_word(name, 0) | half_word(name, n - 4) << (8 * (n - 4))
    } else if let (Some(&first), Some(&middle), Some(&last)) =
        (name.first(), name.get(n / 2), name.last())
    {
        // 1 to 3 bytes: first, middle and last cover them all.
        u64::from(first) | u64::from(middle) << (8 * (n / 2)) | u64::from(last) << (8 * (n - 1))
    } else {
        0
    }
}

/// A 64x64->128-bit multiply folded to 64 bits: every output bit depends
/// on every input bit, at the cost of one multiply.
#[inline(always)]
fn mix(a: u64, b: u64) -> u64 {
    let r = u128::from(a) * u128::from(b);
    (r as u64) ^ ((r >> 64) as u64)
}

const K: [u64; 3] = [
    0x9E37_79B9_7F4A_7C15,
    0xBF58_476D_1CE4_E5B9,
    0x94D0_49BB_1331_11EB,
];

/// Seeds tried when building a table of up to 256 names.
const SEEDS: u64 = 64;

/// How many of `names` share a home slot with an earlier one, with `seed`
/// in a table of `size` slots.
fn shared_homes<T: Named>(names: &[T], seed: u64, size: usize, taken: &mut Vec<u64>) -> usize {
    taken.clear();
    taken.resize(size.div_ceil(64), 0);
    let mut shared = 0;
    for name in names {
        let home = hash(seed, name.name()) as usize & (size - 1);
        let (word, bit) = (home / 64, 1u64 << (home % 64));
        match taken.get_mut(word) {
            Some(w) if *w & bit != 0 => shared += 1,
            Some(w) => *w |= bit,
            None => shared += 1,
        }
    }
    shared
}

/// The hash of a name of at most [`HEAD`] bytes, from its head words: one
/// multiply. The third word is rotated, so that equal second and third
/// words do not cancel out; what still collides only costs a probe.
#[inline(always)]
fn head_hash(seed: u64, w: &[u64; 3], n: usize) -> u64 {
    mix(w[0] ^ seed, w[1] ^ w[2].rotate_left(29) ^ (n as u64) ^ K[1])
}

/// The hash of any name: the head's, then for a longer name its tail's
/// words too, so names sharing a long prefix still spread out.
fn hash(seed: u64, name: &[u8]) -> u64 {
    let mut h = head_hash(seed, &head_words(name), name.len());
    if let Some(tail) = name.get(HEAD..) {
        let mut at = 0;
        while at + 8 <= tail.len() {
            h = mix(h ^ K[0], word(tail, at) ^ K[1]);
            at += 8;
        }
        if at < tail.len() {
            h = mix(h ^ K[2], word(name, name.len() - 8) ^ K[1]);
        }
    }
    h
}

impl NameIndex {
    /// Indexes `names`. More than 65535 names, or a name of 4 GiB or more,
    /// leave the index empty, and lookups scan the list.
    pub fn new<T: Named>(names: &[T]) -> Self {
        let indexable = names.len() <= usize::from(u16::MAX)
            && names.iter().all(|n| n.name().len() < EMPTY as usize);
        if names.is_empty() || !indexable {
            return Self::default();
        }
        // Sparse for the few names a license has, so that a seed that puts
        // every name in its own home slot is quickly found; at most half
        // full for many.
        let n = names.len();
        let spread = match n {
            0..=64 => 8,
            65..=256 => 4,
            _ => 2,
        };
        let size = (n * spread).next_power_of_two().max(8);
        // The seed with the fewest names sharing a home slot; counting
        // needs only a bitmap, so the table is built once.
        let seeds = if n <= 256 { SEEDS } else { 1 };
        let mut taken = Vec::new();
        let mut best = (K[0], usize::MAX);
        for i in 0..seeds {
            let seed = K[0].wrapping_add(i.wrapping_mul(K[2]));
            let shared = shared_homes(names, seed, size, &mut taken);
            if shared < best.1 {
                best = (seed, shared);
                if shared == 0 {
                    break;
                }
            }
        }
        Self::with_seed(names, size, best.0)
    }

    fn with_seed<T: Named>(names: &[T], size: usize, seed: u64) -> Self {
        let mut slots = vec![Slot::EMPTY; size];
        let mut reach = 0;
        for (i, name) in names.iter().enumerate() {
            let name = name.name();
            let home = hash(seed, name) as usize;
            let mut distance = 0;
            while slots[(home + distance) & (size - 1)].len != EMPTY {
                distance += 1;
            }
            reach = reach.max(distance);
            slots[(home + distance) & (size - 1)] = Slot {
                head: head_words(name),
                len: name.len() as u32,
                entry: i as u16,
            };
        }
        Self {
            slots: slots.into(),
            seed,
            reach,
        }
    }

    /// Where `name` is in `names` (the list the index was built from).
    #[cfg(test)]
    pub fn find<T: Named>(&self, names: &[T], name: &[u8]) -> Option<usize> {
        self.find_in(|| names, name)
    }

    /// [`find`](Self::find), with the list fetched only when a slot cannot
    /// answer alone: a caller that reaches the list through pointers does
    /// not load them on the common path.
    #[inline(always)]
    pub fn find_in<'a, T: Named + 'a>(
        &self,
        names: impl FnOnce() -> &'a [T],
        name: &[u8],
    ) -> Option<usize> {
        let n = name.len();
        if n > HEAD || self.slots.is_empty() {
            return self.find_long(names(), name);
        }
        let w = head_words(name);
        let home = head_hash(self.seed, &w, n) as usize;
        // Usually every name is in its home slot, and this one read answers.
        let slot = self.slot_at(home)?;
        if slot.holds(&w, n) {
            return Some(usize::from(slot.entry));
        }
        if self.reach == 0 || slot.len == EMPTY {
            return None;
        }
        // Word by word: an array, even by value, would make every lookup
        // spill the words to the stack.
        self.probe_on(home, w[0], w[1], w[2], n)
    }

    /// The slot `at` (modulo the size).
    #[inline(always)]
    fn slot_at(&self, at: usize) -> Option<&Slot> {
        self.slots.get(at & self.slots.len().wrapping_sub(1))
    }

    /// The slots past the home slot, up to `reach` or the first empty one
    /// (slots are never emptied, so a name is never past an empty slot).
    #[inline(never)]
    fn probe_on(&self, home: usize, w0: u64, w1: u64, w2: u64, n: usize) -> Option<usize> {
        let w = [w0, w1, w2];
        for distance in 1..self.reach.saturating_add(1) {
            let slot = self.slot_at(home.wrapping_add(distance))?;
            if slot.holds(&w, n) {
                return Some(usize::from(slot.entry));
            }
            if slot.len == EMPTY {
                return None;
            }
        }
        None
    }

    /// [`find`](Self::find) for names longer than a slot keeps, and for a
    /// list without an index. Out of line, so the common path stays small.
    #[inline(never)]
    fn find_long<T: Named>(&self, names: &[T], name: &[u8]) -> Option<usize> {
        let slots = &*self.slots;
        if slots.is_empty() {
            return names.iter().position(|n| n.name() == name);
        }
        let home = hash(self.seed, name) as usize;
        for distance in 0..self.reach.saturating_add(1) {
            let slot = self.slot_at(home.wrapping_add(distance))?;
            if slot.len == EMPTY {
                return None;
            }
            let entry = usize::from(slot.entry);
            if slot.len as usize == name.len() && names.get(entry).is_some_and(|n| n.name() == name)
            {
                return Some(entry);
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_against_scan(names: &[String], probes: &[&[u8]]) {
        let index = NameIndex::new(names);
        for (i, n) in names.iter().enumerate() {
            assert_eq!(index.find(names, n.as_bytes()), Some(i), "{n}");
        }
        for &probe in probes {
            assert_eq!(
                index.find(names, probe),
                names.iter().position(|n| n.as_bytes() == probe),
                "{}",
                String::from_utf8_lossy(probe)
            );
        }
    }

    #[test]
    fn finds_exactly_the_names_it_indexes() {
        for count in [0usize, 1, 3, 4, 5, 10, 17, 100, 1000] {
            let names: Vec<String> = (0..count).map(|i| format!("feature-{i}")).collect();
            check_against_scan(
                &names,
                &[
                    b"",
                    b"f",
                    b"feature-",
                    b"feature-1000",
                    b"eature-1",
                    b"feature-1 ",
                    b"feature-1\0",
                    b"\xff\xfe",
                ],
            );
        }
    }

    #[test]
    fn names_at_and_past_the_slot_head_compare_whole() {
        // Names sharing their first HEAD bytes differ only in what the
        // slot does not keep.
        let prefix = "p".repeat(HEAD);
        let names: Vec<String> = ["", "a", "b", "ab", "aa", "abc"]
            .iter()
            .map(|tail| format!("{prefix}{tail}"))
            .chain([prefix[..HEAD - 1].to_string(), "x".repeat(300)])
            .collect();
        let longer = format!("{prefix}abcd");
        let shorter = "x".repeat(299);
        let changed_end = format!("{}y", "x".repeat(299));
        check_against_scan(
            &names,
            &[
                longer.as_bytes(),
                shorter.as_bytes(),
                changed_end.as_bytes(),
                format!("{prefix}c").as_bytes(),
            ],
        );
    }

    #[test]
    fn every_length_and_every_changed_byte_is_told_apart() {
        let names: Vec<String> = (0..=40)
            .map(|n| "abcdefghij".repeat(5)[..n].into())
            .collect();
        let index = NameIndex::new(&names);
        for (i, name) in names.iter().enumerate() {
            assert_eq!(index.find(&names, name.as_bytes()), Some(i));
            for at in 0..name.len() {
                let mut changed = name.as_bytes().to_vec();
                changed[at] ^= 0x20;
                assert_eq!(index.find(&names, &changed), None, "{name} at {at}");
            }
        }
    }

    #[test]
    fn debug_output_stays_short() {
        let names: Vec<String> = (0..10).map(|i| format!("feature-{i}")).collect();
        let shown = format!("{:?}", NameIndex::new(&names));
        assert!(
            shown.starts_with("NameIndex { slots: 128, reach: 0"),
            "{shown}"
        );
        assert!(shown.len() < 60, "{shown}");
    }

    #[test]
    fn an_empty_name_is_a_name() {
        let names = vec![String::new(), "a".to_string()];
        check_against_scan(&names, &[b"", b"a", b"b"]);
    }

    /// `count` names of 3 to 30 bytes from a small generator: letters,
    /// digits and dashes, like feature and limit names.
    fn generated_names(seed: u64, count: usize) -> Vec<String> {
        let mut state = seed.wrapping_mul(K[0]) | 1;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let alphabet = b"abcdefghijklmnopqrstuvwxyz0123456789-";
        let mut names = std::collections::BTreeSet::new();
        while names.len() < count {
            let len = 3 + (next() % 28) as usize;
            let name: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
                .collect();
            names.insert(name);
        }
        names.into_iter().collect()
    }

    #[test]
    fn license_sized_lists_get_one_slot_read_per_lookup() {
        // The seed search finds a table where every name is in its home
        // slot, for lists of the size licenses have.
        for count in 1..=40 {
            let names: Vec<String> = (0..count).map(|i| format!("feature-{i}")).collect();
            assert_eq!(NameIndex::new(&names).reach, 0, "{count} feature-N names");
        }
        for seed in 0..300 {
            let names = generated_names(seed, 1 + (seed as usize % 32));
            let index = NameIndex::new(&names);
            assert_eq!(index.reach, 0, "{names:?}");
            check_against_scan(&names, &[b"absent", b"", b"feature"]);
        }
    }

    #[test]
    fn the_largest_indexed_list_and_the_first_scanned_one() {
        let names: Vec<String> = (0..=usize::from(u16::MAX))
            .map(|i| format!("{i:x}"))
            .collect();
        let (indexed, scanned) = names.split_at(usize::from(u16::MAX));
        let index = NameIndex::new(indexed);
        assert!(!index.slots.is_empty(), "65535 names are indexed");
        assert_eq!(index.find(indexed, b"fffe"), Some(65534));
        assert_eq!(index.find(indexed, b"0"), Some(0));
        assert_eq!(index.find(indexed, scanned[0].as_bytes()), None);
        let unindexed = NameIndex::new(&names);
        assert!(unindexed.slots.is_empty(), "65536 names are scanned");
        assert_eq!(unindexed.find(&names, b"ffff"), Some(65535));
        assert_eq!(unindexed.find(&names, b"fffe"), Some(65534));
    }

    #[test]
    fn names_away_from_home_are_found_by_probing() {
        // Too many names for a table without collisions: some lie past
        // their home slot, and lookups probe on to them.
        let many: Vec<String> = (0..5000).map(|i| format!("n{i}")).collect();
        assert!(NameIndex::new(&many).reach > 0);
        check_against_scan(&many, &[b"n5000", b"n", b"m1", b"n49999"]);
        let long: Vec<String> = (0..3000)
            .map(|i| format!("com.example.platform.feature.{i}"))
            .collect();
        assert!(NameIndex::new(&long).reach > 0);
        check_against_scan(&long, &[b"com.example.platform.feature.3000"]);
    }

    #[test]
    fn head_words_are_the_zero_padded_head() {
        // Every bit of every byte matters: 0x00 and 0xFF included.
        let mut text: Vec<u8> = (0..40u8).map(|i| i.wrapping_mul(0x6D) ^ 0xA5).collect();
        text[7] = 0xFF;
        assert!(text.contains(&0x00));
        for n in 0..=40 {
            let mut padded = [0u8; HEAD];
            let kept = n.min(HEAD);
            padded[..kept].copy_from_slice(&text[..kept]);
            let expected: Vec<u64> = padded
                .chunks(8)
                .map(|c| u64::from_le_bytes(c.try_into().unwrap()))
                .collect();
            assert_eq!(head_words(&text[..n]).to_vec(), expected, "length {n}");
        }
    }

    proptest::proptest! {
        #[test]
        fn agrees_with_a_scan(
            names in proptest::collection::btree_set(
                proptest::collection::vec(proptest::num::u8::ANY, 0..40), 0..60),
            probes in proptest::collection::vec(
                proptest::collection::vec(proptest::num::u8::ANY, 0..40), 0..20),
        ) {
            let names: Vec<Vec<u8>> = names.into_iter().collect();
            let index = NameIndex::new(&names);
            for (i, n) in names.iter().enumerate() {
                proptest::prop_assert_eq!(index.find(&names, n), Some(i));
            }
            for p in &probes {
                proptest::prop_assert_eq!(
                    index.find(&names, p),
                    names.iter().position(|n| n == p)
                );
            }
        }
    }
}
