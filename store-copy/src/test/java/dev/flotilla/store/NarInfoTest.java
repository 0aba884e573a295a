package dev.flotilla.store;

import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NarInfoTest {
    static final String SIMPLE = """
            StorePath: /nix/store/94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple
            URL: nar/04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw.nar
            Compression: none
            FileHash: sha256:04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw
            FileSize: 120
            NarHash: sha256:04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw
            NarSize: 120
            References:\s
            Deriver: 3ghsl9sd83mc26i81adpa2fzf3yw4f68-simple.drv
            Sig: test-cache-1:BL+30CniYAOISFgGTSTXAqUcnwO00/e71p/E8b9u14Kv+rZ82OH/r84QkR4jeurxiPoxmLptvJwAz3N5HmnQBg==
            """;
    static final String DEP = """
            StorePath: /nix/store/5zs6pwakb4panz97qjqzksvragimzsah-dep
            URL: nar/1rwfjkl834j88h35b40zxchdkmafwzlcjb7504jj19rycmx0s4nv.nar
            Compression: none
            FileHash: sha256:1rwfjkl834j88h35b40zxchdkmafwzlcjb7504jj19rycmx0s4nv
            FileSize: 168
            NarHash: sha256:1rwfjkl834j88h35b40zxchdkmafwzlcjb7504jj19rycmx0s4nv
            NarSize: 168
            References: 94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple
            Deriver: 09kh0g6aynhwjas5kd9xwysj8lr12hal-dep.drv
            Sig: test-cache-1:DrCntcJobJ3E0iqJgOhai9jjZX5EHIZ64HhMQPEBn2PxnBfdl7UklCtP59rvUIbJu0sWtgAWaLzKzlOEC7olCQ==
            """;
    static final String TWOREFS_WITH_CA = """
            StorePath: /nix/store/7k49dli0fzm1yyv6v2bl9yl31rspzg39-tworefs
            URL: nar/1fni9w0z98ifbh5fx6d9jp518bm0qnfm09qylq0bc37g88zfm2jn.nar
            Compression: none
            FileHash: sha256:1fni9w0z98ifbh5fx6d9jp518bm0qnfm09qylq0bc37g88zfm2jn
            FileSize: 216
            NarHash: sha256:1fni9w0z98ifbh5fx6d9jp518bm0qnfm09qylq0bc37g88zfm2jn
            NarSize: 216
            References: qa1w9gdfrba6jl2r57mb3c43863gqywp-hello.txt vxjiwkjkn7x4079qvh1jkl5pn05j2aw0-foo
            Sig: test-cache-1:1XS8ANNWEyDSj7h14x2GKTiDNBa5zEGRLtDud4KWkedffzwKKK8o1VPW533t5oDUfwrKz1om3gj3gQDQ+8l1Dg==
            CA: text:sha256:0a8h29swqgd7x9v52lllpk72wjfv32wapx8z7l9c279ry8c017l5
            """;

    @Test
    void rendersExactlyAsNix() throws StoreException {
        for (String text : new String[] {SIMPLE, DEP}) {
            PathInfo info = NarInfo.parse(StoreDir.NIX, text);
            assertEquals(text, NarInfo.render(info));
        }
    }

    @Test
    void parsesNixFilesAndVerifies() throws StoreException {
        PathInfo two = NarInfo.parse(StoreDir.NIX, TWOREFS_WITH_CA);
        assertEquals(2, two.references().size());
        assertEquals("qa1w9gdfrba6jl2r57mb3c43863gqywp-hello.txt", two.references().iterator().next().baseName());
        assertNull(two.deriver());
        assertTrue(TrustedKeys.of(PublicKey.parse(SigningTest.PK)).verify(two));
        PathInfo dep = NarInfo.parse(StoreDir.NIX, DEP);
        assertTrue(TrustedKeys.of(PublicKey.parse(SigningTest.PK)).verify(dep));
        assertEquals("09kh0g6aynhwjas5kd9xwysj8lr12hal-dep.drv", dep.deriver().baseName());
    }

    @Test
    void registrationTimeRoundTrips() throws StoreException {
        PathInfo info = NarInfo.parse(StoreDir.NIX, DEP).withRegistrationTime(Instant.ofEpochSecond(1700000000));
        assertEquals(info, NarInfo.parse(StoreDir.NIX, NarInfo.renderWithRegistration(info)));
    }

    @Test
    void rejectsBrokenOrForeignInfo() {
        assertEquals(ErrorCode.FOREIGN_STORE_DIR,
                assertThrows(StoreException.class, () -> NarInfo.parse(StoreDir.DEFAULT, DEP)).code());
        assertEquals(ErrorCode.MALFORMED_INPUT,
                assertThrows(StoreException.class, () -> NarInfo.parse(StoreDir.NIX, DEP.replace("NarSize: 168", "NarSize: 0"))).code());
        assertEquals(ErrorCode.MALFORMED_INPUT,
                assertThrows(StoreException.class, () -> NarInfo.parse(StoreDir.NIX, DEP.replace("NarHash: sha256:1", "NarHash: sha256:9"))).code());
        assertThrows(StoreException.class, () -> NarInfo.parse(StoreDir.NIX, "garbage"));
    }
}
