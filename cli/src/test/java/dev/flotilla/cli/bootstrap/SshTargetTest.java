package dev.flotilla.cli.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class SshTargetTest {

    @Test
    void parsesUserHostAndPort() {
        assertEquals(new SshTarget(Optional.of("root"), "10.0.0.1", Optional.of(2200)), SshTarget.parse("root@10.0.0.1:2200"));
        assertEquals(new SshTarget(Optional.empty(), "web-1.example.org", Optional.empty()), SshTarget.parse("web-1.example.org"));
        SshTarget v6 = SshTarget.parse("ops@[fd00::1]:22");
        assertEquals("fd00::1", v6.host());
        assertEquals("ops@[fd00::1]:22", v6.toString());
        assertEquals("[fd00::1]:2222", v6.withPort(2222).knownHostsName());
        assertEquals("web-1", SshTarget.parse("web-1").knownHostsName());
    }

    @Test
    void refusesWhatSshWouldMisread() {
        for (String bad : new String[] {"", "-oProxyCommand=x", "root@", "a@b@c", "host:0", "host:70000", "host:x", "two words"}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SshTarget.parse(bad), bad);
            assertTrue(e.getMessage().contains("invalid") || e.getMessage().contains("port"), e.getMessage());
        }
    }

    @Test
    void fingerprintsAreNormalisedOrRefused() {
        String bare = "Ci8y+BN+2Dusb04aH3biQ0p7rNZC1UIf7b6ZpoezAto";
        assertEquals("SHA256:" + bare, new HostKeyTrust.Fingerprint(bare).sha256());
        assertEquals("SHA256:" + bare, new HostKeyTrust.Fingerprint("SHA256:" + bare + "=").sha256());
        IllegalArgumentException md5 = assertThrows(IllegalArgumentException.class,
                () -> new HostKeyTrust.Fingerprint("MD5:12:34:56:78:9a:bc:de:f0:12:34:56:78:9a:bc:de:f0"));
        assertTrue(md5.getMessage().contains("--accept-host-key"), md5.getMessage());
        // What ssh-keygen -lf printed for this key.
        assertEquals("SHA256:" + bare,
                HostKeyTrust.Fingerprint.fingerprintOf("AAAAC3NzaC1lZDI1NTE5AAAAIGGjLY47CG80O4n++G9c5Yrxlc+8iHYGo9iVMpOhVyz2"));
    }
}
