package dev.flotilla.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SigningTest {
    static final String PK = "test-cache-1:elcnSrrw3zs0EkIupXzA58pU9lWEbQhvrhxk5db1QOQ=";
    static final String SK = "test-cache-1:QsreDU1Rq7wTSgbuLOPHqK9ip7up5imBEfNlRGyHr9t6VydKuvDfOzQSQi6lfMDnylT2VYRtCG+uHGTl1vVA5A==";
    static final StoreDir NIX = StoreDir.NIX;

    static StorePath p(String base) {
        return StorePath.fromBaseName(NIX, base);
    }

    /** The paths of spec §6.5 with their verified fingerprints' inputs and signatures. */
    static final Object[][] VECTORS = {
        {"94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple", "04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw", 120L, new String[0],
            "BL+30CniYAOISFgGTSTXAqUcnwO00/e71p/E8b9u14Kv+rZ82OH/r84QkR4jeurxiPoxmLptvJwAz3N5HmnQBg=="},
        {"5zs6pwakb4panz97qjqzksvragimzsah-dep", "1rwfjkl834j88h35b40zxchdkmafwzlcjb7504jj19rycmx0s4nv", 168L,
            new String[] {"94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple"},
            "DrCntcJobJ3E0iqJgOhai9jjZX5EHIZ64HhMQPEBn2PxnBfdl7UklCtP59rvUIbJu0sWtgAWaLzKzlOEC7olCQ=="},
        {"fcdcz40mcj9ghzpavic641cgi5bxygnm-selfref", "15cq2932vfh192iykpz1gbsl1jv8bawx4qlhxabfc7nnq4mrjinp", 168L,
            new String[] {"fcdcz40mcj9ghzpavic641cgi5bxygnm-selfref"},
            "G5rqhAq4qdIC6r/MbdDcB/ZIpFf25t+R1s+EZx+BN/6YgafHL1MLRnqKekMzKr4CbJVdgrGe1Cg3IpQPMewVAw=="},
        {"7k49dli0fzm1yyv6v2bl9yl31rspzg39-tworefs", "1fni9w0z98ifbh5fx6d9jp518bm0qnfm09qylq0bc37g88zfm2jn", 216L,
            new String[] {"vxjiwkjkn7x4079qvh1jkl5pn05j2aw0-foo", "qa1w9gdfrba6jl2r57mb3c43863gqywp-hello.txt"},
            "1XS8ANNWEyDSj7h14x2GKTiDNBa5zEGRLtDud4KWkedffzwKKK8o1VPW533t5oDUfwrKz1om3gj3gQDQ+8l1Dg=="},
    };

    static PathInfo info(Object[] v) {
        Set<StorePath> refs = new java.util.HashSet<>();
        for (String r : (String[]) v[3]) {
            refs.add(p(r));
        }
        return PathInfo.of(p((String) v[0]), Hash.parse("sha256:" + v[1]), (Long) v[2], refs);
    }

    @Test
    void keysParseAndDerive() {
        SigningKey sk = SigningKey.parse(SK);
        assertEquals("test-cache-1", sk.name());
        assertEquals(PK, sk.publicKey().format());
        assertEquals(SK, sk.format());
        assertEquals(PublicKey.parse(PK), sk.publicKey());
        assertFalse(sk.toString().contains("QsreDU1R"));
        // a secret whose public half was tampered with
        String bad = SK.substring(0, SK.length() - 6) + "AAAA==";
        assertThrows(IllegalArgumentException.class, () -> SigningKey.parse(bad));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.parse("nokey"));
        assertThrows(IllegalArgumentException.class, () -> PublicKey.parse("k:AAAA"));
    }

    @Test
    void fingerprintsAndSignaturesMatchNix() {
        SigningKey sk = SigningKey.parse(SK);
        TrustedKeys trusted = TrustedKeys.of(PublicKey.parse(PK));
        assertEquals("1;/nix/store/5zs6pwakb4panz97qjqzksvragimzsah-dep;sha256:1rwfjkl834j88h35b40zxchdkmafwzlcjb7504jj19rycmx0s4nv;168;/nix/store/94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple",
                info(VECTORS[1]).fingerprint());
        assertEquals("1;/nix/store/94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple;sha256:04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw;120;",
                info(VECTORS[0]).fingerprint());
        for (Object[] v : VECTORS) {
            PathInfo unsigned = info(v);
            Signature sig = sk.sign(unsigned);
            assertEquals("test-cache-1:" + v[4], sig.toString(), (String) v[0]);
            assertTrue(trusted.verify(unsigned.withSignature(sig)));
            assertFalse(trusted.verify(unsigned));
        }
    }

    @Test
    void verificationRefusesOtherKeysAndTampering() {
        PathInfo signed = info(VECTORS[1]).withSignature(Signature.parse("test-cache-1:" + VECTORS[1][4]));
        assertTrue(TrustedKeys.of(PublicKey.parse(PK)).verify(signed));
        assertFalse(TrustedKeys.of(PublicKey.parse("test-cache-1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")).verify(signed));
        assertFalse(TrustedKeys.of(SigningKey.generate("test-cache-1").publicKey()).verify(signed));
        assertFalse(TrustedKeys.NONE.verify(signed));
        PathInfo bigger = new PathInfo(signed.path(), signed.narHash(), 169, signed.references(), null, signed.signatures(), null);
        assertFalse(TrustedKeys.of(PublicKey.parse(PK)).verify(bigger));
        PathInfo fewerRefs = new PathInfo(signed.path(), signed.narHash(), 168, Set.of(), null, signed.signatures(), null);
        assertFalse(TrustedKeys.of(PublicKey.parse(PK)).verify(fewerRefs));
    }

    @Test
    void generatedKeysRoundTripThroughFiles(@TempDir Path dir) throws IOException {
        SigningKey k = SigningKey.generate("flotilla-1");
        k.write(dir.resolve("sk"), dir.resolve("pk"));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("sk"))));
        SigningKey back = SigningKey.read(dir.resolve("sk"));
        assertEquals(k.publicKey(), back.publicKey());
        assertEquals(k.publicKey(), PublicKey.read(dir.resolve("pk")));
        assertFalse(Files.readString(dir.resolve("pk")).endsWith("\n"));
        Files.writeString(dir.resolve("trusted"), "# keys\n" + PK + "\n" + k.publicKey().format() + "  # ours\n");
        TrustedKeys t = TrustedKeys.read(dir.resolve("trusted"));
        assertEquals(Set.of("test-cache-1", "flotilla-1"), t.names());
        PathInfo info = info(VECTORS[0]).signedBy(back);
        assertTrue(t.verify(info));
    }
}
