package dev.flotilla.store;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StorePathsTest {
    private static final StoreDir NIX = StoreDir.NIX;

    private static StorePath p(String abs) {
        return StorePath.parse(NIX, abs);
    }

    @Test
    void textPaths() {
        StorePath foo = StorePaths.text(NIX, "foo", "bar", Set.of());
        assertEquals("/nix/store/vxjiwkjkn7x4079qvh1jkl5pn05j2aw0-foo", foo.absolute());
        StorePath hello = StorePaths.text(NIX, "hello.txt", "hello\n", Set.of());
        assertEquals("/nix/store/qa1w9gdfrba6jl2r57mb3c43863gqywp-hello.txt", hello.absolute());
        assertEquals("/nix/store/i2dwcv07dx5hkizqfgqrpghf625zgfn2-ref",
                StorePaths.text(NIX, "ref", "see " + foo.absolute(), Set.of(foo)).absolute());
        // references are sorted whatever order they come in
        assertEquals("/nix/store/7k49dli0fzm1yyv6v2bl9yl31rspzg39-tworefs",
                StorePaths.text(NIX, "tworefs", hello.absolute() + " " + foo.absolute(), List.of(foo, hello)).absolute());
    }

    @Test
    void sourceAndFixedPaths() {
        Hash tree = Hash.parse("534ecc8e3c92ed2084f65a43549bdcfd2a0f0b5e33c69e13dcbc967d1395e49b", HashAlgorithm.SHA256);
        assertEquals("/nix/store/sgczb48iw0nq4a3jlzh1ywdnic1x7z2q-tree", StorePaths.source(NIX, "tree", tree, Set.of(), false).absolute());
        assertEquals("/nix/store/mfbbsqw70gyiy9bbhf5v3llzagf27p2w-mytree", StorePaths.source(NIX, "mytree", tree, Set.of(), false).absolute());
        Hash helloNar = Hash.parse("sha256:04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw");
        assertEquals("/nix/store/i9pmrzmpshapij2kin22pff6fc2adavx-hello.txt",
                StorePaths.fixedOutput(NIX, "hello.txt", true, helloNar).absolute());
        assertEquals("/nix/store/gy454w1cxaq731grqwylhzf4pp9r5izh-hello.txt",
                StorePaths.fixedOutput(NIX, "hello.txt", false, Hash.sha256("hello\n")).absolute());
        assertEquals("/nix/store/dra1cz5vbrhclpv4y1q0psnbkxz581bk-hello.txt",
                StorePaths.fixedOutput(NIX, "hello.txt", false, Hash.parse("md5:b1946ac92492d2347c6235b4d2611184")).absolute());
        assertEquals("/nix/store/9sf95v03j3ndhl58k90yjxg0l62mlfj9-tree",
                StorePaths.fixedOutput(NIX, "tree", true, Hash.parse("sha1:144487eea50e956621eeb60023332b228fa7091b")).absolute());
        assertEquals("/nix/store/ynlqjzav5x3rszk4kaa6dbad13b5cdpx-fodr",
                StorePaths.fixedOutput(NIX, "fodr", true, Hash.parse("sha256:01ck5rvyzqybzm60d7600qxnf699pxcdy4743f8li7mb5y0ckn4b")).absolute());
    }

    @Test
    void derivationOutputPath() {
        Hash h = Hash.parse("cbd84a88dac33c14a874f676ab17db2518d565dc03e891ccf9d4be35138ea813", HashAlgorithm.SHA256);
        assertEquals("/nix/store/94f9f6i31zwzwbf0kclq1naqxxi4c7v9-simple", StorePaths.make(NIX, "output:out", h, "simple").absolute());
    }

    @Test
    void nameRules() {
        assertEquals("a+b-c.d_e?f=g", p("/nix/store/jjpci6gh197f9plsc1js7p77zp4li7gw-a+b-c.d_e?f=g").name());
        assertEquals("..", p("/nix/store/hv29bhyiqgqrrvfwnrc9gg9g9cw83k4b-..").name());
        assertEquals("x".repeat(211), p("/nix/store/rvgvifjsicgbn1kpqk4gllrdsrf4g9w9-" + "x".repeat(211)).name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> p("/nix/store/dm85kbl5cy82j2dzvy1874s14y3salv3-a b"));
        assertEquals("store path 'dm85kbl5cy82j2dzvy1874s14y3salv3-a b' contains illegal character ' '", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> p("/nix/store/9r1mh2rc3s3i33vpdw86kqqyvy9i1y4w-"));
        assertThrows(IllegalArgumentException.class, () -> p("/nix/store/fcwpaxmwcvmm1sss1scshna3sn7asxa4-é"));
        assertThrows(IllegalArgumentException.class, () -> p("/nix/store/pbs8rml9b5v12y8n40xlqbhfqwkwjcvm-" + "x".repeat(212)));
        assertThrows(IllegalArgumentException.class, () -> p("/nix/store/eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee-foo"));
        assertThrows(IllegalArgumentException.class, () -> p("/other/store/vxjiwkjkn7x4079qvh1jkl5pn05j2aw0-foo"));
        assertThrows(IllegalArgumentException.class, () -> p("/nix/store/vxjiwkjkn7x4079qvh1jkl5pn05j2aw0-foo/bin"));
    }

    @Test
    void storeDirValidation() {
        assertEquals("/flotilla/store", StoreDir.DEFAULT.path());
        for (String bad : new String[] {"", "relative", "/", "/a/", "/a//b", "/a/../b", "/a:b", "/a b", "/a;b"}) {
            assertThrows(IllegalArgumentException.class, () -> new StoreDir(bad), bad);
        }
    }
}
