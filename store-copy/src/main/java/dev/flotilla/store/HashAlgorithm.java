package dev.flotilla.store;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** The four hash algorithms Nix knows (spec §2.1), with their exact lowercase names. */
public enum HashAlgorithm {
    MD5("md5", "MD5", 16),
    SHA1("sha1", "SHA-1", 20),
    SHA256("sha256", "SHA-256", 32),
    SHA512("sha512", "SHA-512", 64);

    private final String nixName;
    private final String jdkName;
    private final int size;

    HashAlgorithm(String nixName, String jdkName, int size) {
        this.nixName = nixName;
        this.jdkName = jdkName;
        this.size = size;
    }

    /** The name as Nix writes it: md5, sha1, sha256, sha512. */
    public String nixName() {
        return nixName;
    }

    /** Digest size in bytes. */
    public int size() {
        return size;
    }

    public int hexLength() {
        return size * 2;
    }

    public int nix32Length() {
        return Nix32.encodedLength(size);
    }

    public int base64Length() {
        return (size + 2) / 3 * 4;
    }

    public MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance(jdkName);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks " + jdkName, e);
        }
    }

    public Hash digest(byte[] data) {
        return new Hash(this, newDigest().digest(data));
    }

    public static HashAlgorithm parse(String name) {
        for (HashAlgorithm a : values()) {
            if (a.nixName.equals(name)) {
                return a;
            }
        }
        throw new IllegalArgumentException("unknown hash algorithm '" + name + "'");
    }

    @Override
    public String toString() {
        return nixName;
    }
}
