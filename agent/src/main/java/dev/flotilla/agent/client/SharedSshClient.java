package dev.flotilla.agent.client;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.auth.pubkey.UserAuthPublicKeyFactory;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.client.session.ClientSession;
import org.apache.sshd.common.AttributeRepository;
import org.apache.sshd.common.AttributeRepository.AttributeKey;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.cipher.BuiltinCiphers;
import org.apache.sshd.common.cipher.Cipher;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;

import java.net.SocketAddress;
import java.security.PublicKey;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The one MINA {@link SshClient} all agent connections share (started on first use). Host keys
 * are checked per connection against the pin passed in the connection context; nothing from
 * {@code ~/.ssh} (config, default identities, known_hosts) is consulted.
 */
final class SharedSshClient {
    /** What a connection expects of its server; the verifier records a mismatch here. */
    record Expectation(String target, HostKeyPin pin, AtomicReference<String> mismatch) {
    }

    static final AttributeKey<Expectation> EXPECTATION = new AttributeKey<>();

    private static SshClient client;

    private SharedSshClient() {
    }

    static synchronized SshClient get() {
        if (client == null) {
            SshClient c = SshClient.setUpDefaultClient();
            c.setServerKeyVerifier(SharedSshClient::verify);
            c.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
            c.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
            c.setUserAuthFactories(List.of(UserAuthPublicKeyFactory.INSTANCE));
            c.setCipherFactories(preferredCiphers());
            c.setAgentFactory(null);
            c.start();
            client = c;
        }
        return client;
    }

    static AttributeRepository context(Expectation expectation) {
        return AttributeRepository.ofKeyValuePair(EXPECTATION, expectation);
    }

    /** AES-128-GCM and ChaCha20-Poly1305 first (fast, AEAD), then the other modern ones. */
    private static List<NamedFactory<Cipher>> preferredCiphers() {
        List<BuiltinCiphers> order = List.of(BuiltinCiphers.aes128gcm, BuiltinCiphers.cc20p1305_openssh,
                BuiltinCiphers.aes256gcm, BuiltinCiphers.aes128ctr, BuiltinCiphers.aes256ctr);
        return order.stream().filter(BuiltinCiphers::isSupported).<NamedFactory<Cipher>>map(c -> c).toList();
    }

    private static boolean verify(ClientSession session, SocketAddress remote, PublicKey serverKey) {
        AttributeRepository context = session.getConnectionContext();
        Expectation expected = context == null ? null : context.getAttribute(EXPECTATION);
        if (expected == null) {
            return false;
        }
        if (expected.pin().matches(serverKey)) {
            return true;
        }
        expected.mismatch().set("host key of " + expected.target() + " does not match the pinned key: expected "
                + expected.pin().fingerprint() + ", got " + SshKeys.fingerprint(serverKey)
                + " (refusing to connect; update the inventory's host key if the host was re-installed)");
        return false;
    }
}
