package dev.flotilla.cli;

import dev.flotilla.agent.client.SshKeys;
import dev.flotilla.store.LocalStore;
import dev.flotilla.store.SigningKey;
import dev.flotilla.store.StoreDir;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;

/**
 * The deploying side's state directory: its store (where systems are built) and its keys.
 * Keys are created on first use and never overwritten.
 */
public record Workspace(Path dir, StoreDir storeDir) {

    public static final String STATE_ENV = "FLOTILLA_STATE";

    public static Path defaultDir() {
        String env = System.getenv(STATE_ENV);
        if (env != null && !env.isBlank()) {
            return Path.of(env);
        }
        return Path.of(System.getProperty("user.home"), ".local", "state", "flotilla");
    }

    public LocalStore store() throws IOException {
        Files.createDirectories(dir.resolve("root"));
        return new LocalStore(dir.resolve("root"), storeDir);
    }

    public Path signingKeyFile() {
        return dir.resolve("keys").resolve("store-signing.sec");
    }

    public Path signingPublicKeyFile() {
        return dir.resolve("keys").resolve("store-signing.pub");
    }

    public Path identityFile() {
        return dir.resolve("keys").resolve("id_ed25519");
    }

    /** The key that signs every built path; agents trust its public half ({@link #signingPublicKeyFile()}). */
    public SigningKey signingKey(PrintStream notices) throws IOException {
        Path sec = signingKeyFile();
        if (Files.exists(sec)) {
            return SigningKey.read(sec);
        }
        Files.createDirectories(sec.getParent());
        SigningKey key = SigningKey.generate("flotilla-1");
        key.write(sec, signingPublicKeyFile());
        notices.println("created store signing key " + sec + "; agents must trust " + signingPublicKeyFile());
        return key;
    }

    /** The SSH identity agents authorize: {@code file}, or the workspace's own (created on first use). */
    public KeyPair identity(Path file, PrintStream notices) throws IOException {
        Path f = file != null ? file : identityFile();
        if (!Files.exists(f)) {
            if (file != null) {
                throw new IOException(f + ": SSH identity not found");
            }
            Files.createDirectories(f.getParent());
            SshKeys.generate(f, "flotilla@" + java.net.InetAddress.getLocalHost().getHostName());
            notices.println("created SSH identity " + f + "; authorize " + f + ".pub on every agent");
        }
        return SshKeys.load(f);
    }
}
