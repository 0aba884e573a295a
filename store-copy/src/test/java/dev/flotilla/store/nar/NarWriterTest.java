package dev.flotilla.store.nar;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.HexFormat;

import static org.junit.jupiter.api.Assertions.assertEquals;

class NarWriterTest {
    static final String HELLO_NAR = "0d000000000000006e69782d617263686976652d3100000001000000000000002800000000000000040000000000000074797065000000000700000000000000726567756c6172000800000000000000636f6e74656e7473060000000000000068656c6c6f0a000001000000000000002900000000000000";
    static final String TREE_NAR_B64 = "DQAAAAAAAABuaXgtYXJjaGl2ZS0xAAAAAQAAAAAAAAAoAAAAAAAAAAQAAAAAAAAAdHlwZQAAAAAJAAAAAAAAAGRpcmVjdG9yeQAAAAAAAAAFAAAAAAAAAGVudHJ5AAAAAQAAAAAAAAAoAAAAAAAAAAQAAAAAAAAAbmFtZQAAAAABAAAAAAAAAEIAAAAAAAAABAAAAAAAAABub2RlAAAAAAEAAAAAAAAAKAAAAAAAAAAEAAAAAAAAAHR5cGUAAAAABwAAAAAAAAByZWd1bGFyAAgAAAAAAAAAY29udGVudHMCAAAAAAAAAEIKAAAAAAAAAQAAAAAAAAApAAAAAAAAAAEAAAAAAAAAKQAAAAAAAAAFAAAAAAAAAGVudHJ5AAAAAQAAAAAAAAAoAAAAAAAAAAQAAAAAAAAAbmFtZQAAAAABAAAAAAAAAGEAAAAAAAAABAAAAAAAAABub2RlAAAAAAEAAAAAAAAAKAAAAAAAAAAEAAAAAAAAAHR5cGUAAAAABwAAAAAAAAByZWd1bGFyAAgAAAAAAAAAY29udGVudHMCAAAAAAAAAGEKAAAAAAAAAQAAAAAAAAApAAAAAAAAAAEAAAAAAAAAKQAAAAAAAAAFAAAAAAAAAGVudHJ5AAAAAQAAAAAAAAAoAAAAAAAAAAQAAAAAAAAAbmFtZQAAAAADAAAAAAAAAGEtYgAAAAAABAAAAAAAAABub2RlAAAAAAEAAAAAAAAAKAAAAAAAAAAEAAAAAAAAAHR5cGUAAAAABwAAAAAAAAByZWd1bGFyAAgAAAAAAAAAY29udGVudHMFAAAAAAAAAGRhc2gKAAAAAQAAAAAAAAApAAAAAAAAAAEAAAAAAAAAKQAAAAAAAAAFAAAAAAAAAGVudHJ5AAAAAQAAAAAAAAAoAAAAAAAAAAQAAAAAAAAAbmFtZQAAAAAFAAAAAAAAAGEudHh0AAAABAAAAAAAAABub2RlAAAAAAEAAAAAAAAAKAAAAAAAAAAEAAAAAAAAAHR5cGUAAAAABwAAAAAAAAByZWd1bGFyAAgAAAAAAAAAY29udGVudHMGAAAAAAAAAGEudHh0CgAAAQAAAAAAAAApAAAAAAAAAAEAAAAAAAAAKQAAAAAAAAAFAAAAAAAAAGVudHJ5AAAAAQAAAAAAAAAoAAAAAAAAAAQAAAAAAAAAbmFtZQAAAAADAAAAAAAAAHN1YgAAAAAABAAAAAAAAABub2RlAAAAAAEAAAAAAAAAKAAAAAAAAAAEAAAAAAAAAHR5cGUAAAAACQAAAAAAAABkaXJlY3RvcnkAAAAAAAAABQAAAAAAAABlbnRyeQAAAAEAAAAAAAAAKAAAAAAAAAAEAAAAAAAAAG5hbWUAAAAAAQAAAAAAAABsAAAAAAAAAAQAAAAAAAAAbm9kZQAAAAABAAAAAAAAACgAAAAAAAAABAAAAAAAAAB0eXBlAAAAAAcAAAAAAAAAc3ltbGluawAGAAAAAAAAAHRhcmdldAAABAAAAAAAAAAuLi9hAAAAAAEAAAAAAAAAKQAAAAAAAAABAAAAAAAAACkAAAAAAAAABQAAAAAAAABlbnRyeQAAAAEAAAAAAAAAKAAAAAAAAAAEAAAAAAAAAG5hbWUAAAAAAQAAAAAAAAB4AAAAAAAAAAQAAAAAAAAAbm9kZQAAAAABAAAAAAAAACgAAAAAAAAABAAAAAAAAAB0eXBlAAAAAAcAAAAAAAAAcmVndWxhcgAKAAAAAAAAAGV4ZWN1dGFibGUAAAAAAAAAAAAAAAAAAAgAAAAAAAAAY29udGVudHMBAAAAAAAAAHgAAAAAAAAAAQAAAAAAAAApAAAAAAAAAAEAAAAAAAAAKQAAAAAAAAABAAAAAAAAACkAAAAAAAAAAQAAAAAAAAApAAAAAAAAAAEAAAAAAAAAKQAAAAAAAAA=";

    @TempDir
    static Path dir;

    @BeforeAll
    static void fixtures() throws IOException {
        NarFixtures.create(dir);
    }

    static String hex(Path p) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        NarWriter.dump(p, out);
        return HexFormat.of().formatHex(out.toByteArray());
    }

    @Test
    void byteExactVectors() throws IOException {
        assertEquals(HELLO_NAR, hex(dir.resolve("hello.txt")));
        assertEquals("0d000000000000006e69782d617263686976652d3100000001000000000000002800000000000000040000000000000074797065000000000700000000000000726567756c6172000800000000000000636f6e74656e7473000000000000000001000000000000002900000000000000",
                hex(dir.resolve("empty.txt")));
        assertEquals("0d000000000000006e69782d617263686976652d3100000001000000000000002800000000000000040000000000000074797065000000000700000000000000726567756c6172000800000000000000636f6e74656e74730800000000000000313233343536373801000000000000002900000000000000",
                hex(dir.resolve("eight")));
        assertEquals("0d000000000000006e69782d617263686976652d3100000001000000000000002800000000000000040000000000000074797065000000000700000000000000726567756c6172000a0000000000000065786563757461626c6500000000000000000000000000000800000000000000636f6e74656e7473120000000000000023212f62696e2f73680a6563686f2068690a00000000000001000000000000002900000000000000",
                hex(dir.resolve("run.sh")));
        assertEquals("0d000000000000006e69782d617263686976652d310000000100000000000000280000000000000004000000000000007479706500000000070000000000000073796d6c696e6b0006000000000000007461726765740000090000000000000068656c6c6f2e7478740000000000000001000000000000002900000000000000",
                hex(dir.resolve("link")));
        assertEquals("0d000000000000006e69782d617263686976652d31000000010000000000000028000000000000000400000000000000747970650000000009000000000000006469726563746f72790000000000000001000000000000002900000000000000",
                hex(dir.resolve("emptydir")));
        assertEquals(HexFormat.of().formatHex(Base64.getDecoder().decode(TREE_NAR_B64)), hex(dir.resolve("tree")));
    }

    @Test
    void hashesAndSizes() throws IOException {
        NarSummary hello = NarWriter.summarize(dir.resolve("hello.txt"));
        assertEquals("sha256:04zwf782yjwnh3q6hz5izfd6jyip8kgw6g6yj43fiqhbyhdd0dqw", hello.narHash().toString());
        assertEquals(120, hello.narSize());
        assertEquals(168, NarWriter.summarize(dir.resolve("run.sh")).narSize());
        assertEquals("183p8jhjfcpk6kac6hxwp4gzp9brkvkibylz27jfbvgd5kqcq2jy", NarWriter.summarize(dir.resolve("run.sh")).narHash().toNix32());
        assertEquals("0ip26j2h11n1kgkz36rl4akv694yz65hr72q4kv4b3lxcbi65b3p", NarWriter.summarize(dir.resolve("empty.txt")).narHash().toNix32());
        assertEquals("0g7mwcdnivpkvcv7aydv8b9a4qp0nc3daxhdl95fciv488ik5mi2", NarWriter.summarize(dir.resolve("eight")).narHash().toNix32());
        assertEquals("11v3yzm8yb6akfgzr810di17aym5h5p3794gqvni9gl5g0ysiy01", NarWriter.summarize(dir.resolve("link")).narHash().toNix32());
        assertEquals("0sjjj9z1dhilhpc8pq4154czrb79z9cm044jvn75kxcjv6v5l2m5", NarWriter.summarize(dir.resolve("emptydir")).narHash().toNix32());
        NarSummary tree = NarWriter.summarize(dir.resolve("tree"));
        assertEquals("534ecc8e3c92ed2084f65a43549bdcfd2a0f0b5e33c69e13dcbc967d1395e49b", tree.narHash().toHex());
        assertEquals(1448, tree.narSize());
        NarSummary sortdir = NarWriter.summarize(dir.resolve("sortdir"));
        assertEquals("1wzxaw5sc6wzq4yz9c686n2yvf32f98iiy7p3zk744s5qirgy5l9", sortdir.narHash().toNix32());
        assertEquals(1936, sortdir.narSize());
    }

    @Test
    void onlyOwnerExecuteMatters(@TempDir Path perm) throws IOException {
        String[][] modes = {{"rw-r--r--", "0"}, {"rw-------", "0"}, {"r--r--r--", "0"}, {"rw------x", "0"},
            {"rw---x--x", "0"}, {"rw-r-xr-x", "0"}, {"rwxr-xr-x", "1"}, {"rwx------", "1"}, {"r-x------", "1"}};
        for (String[] m : modes) {
            Path f = perm.resolve("f" + m[0]);
            NarFixtures.file(f, "x", m[0]);
            Files.setLastModifiedTime(f, FileTime.fromMillis(978307200000L));
            String expected = m[1].equals("0") ? "0rsv7kag23nvdpy4500mv2m0b4sm4c8fkgqrfsrmv1kgk77bi81c"
                    : "1qf3k50cfba7m69yyp7n3dj4g3ckiyyaq16qw6nyh4vrpn97nyzh";
            assertEquals(expected, NarWriter.summarize(f).narHash().toNix32(), m[0]);
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        }
    }
}
