package dev.flotilla.store;

/**
 * Stable error kinds of the store module. The copy protocol sends these names over the wire,
 * so renaming a constant is a protocol change.
 */
public enum ErrorCode {
    /** A hash, key, path or narinfo text could not be parsed. */
    MALFORMED_INPUT,
    /** A NAR stream broke the format rules (§1.4) or was unsafe to restore. */
    MALFORMED_NAR,
    /** The content does not have the NAR hash that was claimed. */
    HASH_MISMATCH,
    /** The content does not have the NAR size that was claimed. */
    SIZE_MISMATCH,
    /** No signature by a trusted key verifies. */
    BAD_SIGNATURE,
    /** A reference is neither valid in the store nor earlier in the same transfer. */
    MISSING_REFERENCE,
    /** The path belongs to another store directory. */
    FOREIGN_STORE_DIR,
    /** The path is not valid in this store. */
    NOT_VALID,
    /** The peer broke the copy protocol (bad magic, frame, or message order). */
    PROTOCOL,
    /** The peer speaks a protocol major version we do not. */
    UNSUPPORTED_VERSION,
    /** A file-system or stream operation failed. */
    IO,
    /** A bug or unexpected state. */
    INTERNAL
}
