package dev.flotilla.store;

import org.junit.jupiter.api.Test;

import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class HashTest {
    private static final String HELLO_HEX = "1c37d01af40be2e80691de3cc3df44377a699afbb17c68f080964b2fd071fc13";
    private static final String HELLO_NIX32 = "04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw";

    private static String nix32(HashAlgorithm a, String hex) {
        return new Hash(a, HexFormat.of().parseHex(hex)).toNix32();
    }

    @Test
    void nix32VectorsFromSpec() {
        assertEquals(HELLO_NIX32, nix32(HashAlgorithm.SHA256, HELLO_HEX));
        assertEquals("0080000000000000000000000000000000000000000000000000",
                nix32(HashAlgorithm.SHA256, "0000000000000000000000000000000000000000000000000000000000000001"));
        assertEquals("0000000000000000000000000000000000000000000000000040",
                nix32(HashAlgorithm.SHA256, "8000000000000000000000000000000000000000000000000000000000000000"));
        assertEquals("1zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz", nix32(HashAlgorithm.SHA256, "ff".repeat(32)));
        assertEquals("kpcd173cq987hw957sx6m0868wv3x6d9", nix32(HashAlgorithm.SHA1, "a9993e364706816aba3e25717850c26c9cd0d89d"));
        assertEquals("3jgzhjhz9zjvbb0kyj7jc500ch", nix32(HashAlgorithm.MD5, "900150983cd24fb0d6963f7d28e17f72"));
        assertEquals("2gs8k559z4rlahfx0y688s49m2vvszylcikrfinm30ly9rak69236nkam5ydvly1ai7xac99vxfc4ii84hawjbk876blyk1jfhkbbyx",
                nix32(HashAlgorithm.SHA512, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f"));
    }

    @Test
    void nix32DecodesAndRejects() {
        assertEquals(HELLO_HEX, Hash.parseDigest(HashAlgorithm.SHA256, HELLO_NIX32).toHex());
        assertArrayEquals(new byte[32], Nix32.decode("0".repeat(52), 32));
        assertThrows(IllegalArgumentException.class, () -> Nix32.decode("2" + "z".repeat(51), 32));
        assertThrows(IllegalArgumentException.class, () -> Nix32.decode("0e" + "0".repeat(50), 32));
        assertThrows(IllegalArgumentException.class, () -> Nix32.decode("0".repeat(51), 32));
    }

    @Test
    void textualForms() {
        Hash h = Hash.parse("sha256:" + HELLO_NIX32);
        assertEquals("sha256-HDfQGvQL4ugGkd48w99EN3ppmvuxfGjwgJZLL9Bx/BM=", h.toSri());
        assertEquals("HDfQGvQL4ugGkd48w99EN3ppmvuxfGjwgJZLL9Bx/BM=", h.toBase64());
        assertEquals(h, Hash.parse("sha256-HDfQGvQL4ugGkd48w99EN3ppmvuxfGjwgJZLL9Bx/BM="));
        assertEquals(h, Hash.parse(HELLO_HEX.toUpperCase(), HashAlgorithm.SHA256));
        assertEquals(h, Hash.parse("sha256:HDfQGvQL4ugGkd48w99EN3ppmvuxfGjwgJZLL9Bx/BM="));
        assertEquals("sha1-qZk+NkcGgWq6PiVxeFDCbJzQ2J0=", Hash.parse("sha1:a9993e364706816aba3e25717850c26c9cd0d89d").toSri());
        assertEquals("md5-kAFQmDzST7DWlj99KOF/cg==", Hash.parse("md5:900150983cd24fb0d6963f7d28e17f72").toSri());
        assertThrows(IllegalArgumentException.class, () -> Hash.parse(HELLO_HEX, HashAlgorithm.SHA1));
        assertThrows(IllegalArgumentException.class, () -> Hash.parse("sha256:abc"));
        assertThrows(IllegalArgumentException.class, () -> Hash.parse("sha1:" + HELLO_HEX, HashAlgorithm.SHA256));
        assertThrows(IllegalArgumentException.class, () -> Hash.parse(HELLO_HEX));
    }

    @Test
    void compressIsXorFold() {
        Hash nar = Hash.parse(HELLO_HEX, HashAlgorithm.SHA256);
        assertEquals("ad4bb8ea749da9c7d6e0222fc3df44377a699afb", HexFormat.of().formatHex(nar.compress(20)));
        assertEquals("zfd6jyip8kgw6br2w3bcgacxfkmbhjxd", Nix32.encode(nar.compress(20)));
        Hash flat = Hash.sha256("hello\n");
        assertEquals("3b3e8165a0537de02bf94eb210fbd9d21bb4fc71", HexFormat.of().formatHex(flat.compress(20)));
        assertEquals("00xyyr3fi8l6hb839bv3f7yb86yjv7xi1cgh1xnhipym4asvb4aq", flat.toNix32());
    }
}
