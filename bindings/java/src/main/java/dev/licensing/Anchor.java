package dev.licensing;

/**
 * Where a store keeps its anchor when the host keeps it
 * ({@link Store#withAnchor(Anchor)}, {@code lic_store_with_anchor}): a few
 * small records, by key, that outlive the store's directory (in the
 * application's database, a registry, a vault), so that deleting or
 * restoring the store's files does not restart the trial.
 *
 * <p>Called from whichever thread uses the anchored store, possibly several at
 * once: an implementation must be thread-safe. An anchor that fails (throws, or
 * returns more than {@link #MAX_LENGTH} bytes) never stops the store; it only
 * weakens what can be detected. An implementation must not refer to the
 * anchored {@link Store} (the store keeps the anchor reachable until it is
 * freed, so such a reference would keep an unclosed store from ever being
 * freed) and must not call into the licensing library.
 */
public interface Anchor {
    /** The most bytes an anchor is ever asked to keep under one key ({@code LIC_ANCHOR_MAX_LEN}). */
    int MAX_LENGTH = 1024;

    /**
     * The bytes last saved under {@code key}.
     *
     * @param key a hex string
     * @return the bytes (at most {@link #MAX_LENGTH}; more count as a failure), or null when
     *     nothing was ever saved under {@code key}
     * @throws Exception when the anchor cannot be read: the store then treats it as proving
     *     nothing either way
     */
    byte[] load(String key) throws Exception;

    /**
     * Saves {@code data} under {@code key}, replacing what was there.
     *
     * @param key a hex string
     * @param data at most {@link #MAX_LENGTH} bytes, the caller's to keep
     * @throws Exception when the bytes could not be kept
     */
    void save(String key, byte[] data) throws Exception;
}
