package dev.flotilla.eval.fetch;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;

/**
 * Downloads for the fetch builtins, cached under {@code <cache>/flotilla/fetch} by URL: like Nix's
 * {@code tarball-ttl}, an entry younger than the time-to-live is used without asking the server
 * again. A download is written beside its final name and renamed into place, so a cache entry is
 * whole or absent. {@code http}, {@code https} and {@code file} URLs are supported.
 */
public final class Downloads {
    /** Nix's default {@code tarball-ttl}. */
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    private final Path cacheDir;
    private final Duration ttl;

    public Downloads(Path cacheDir, Duration ttl) {
        this.cacheDir = cacheDir;
        this.ttl = ttl;
    }

    /** The cache folder for an evaluation: {@code $XDG_CACHE_HOME/flotilla/fetch}, else {@code ~/.cache/...}. */
    public static Path cacheDir(String xdgCacheHome, String home) {
        Path base = xdgCacheHome != null && !xdgCacheHome.isEmpty() ? Path.of(xdgCacheHome) : Path.of(home, ".cache");
        return base.resolve("flotilla").resolve("fetch");
    }

    /** The file {@code url} names, from the cache when fresh enough. */
    public Path fetch(String url) throws IOException {
        Path entry = cacheDir.resolve(key(url) + ".file");
        if (Files.isRegularFile(entry)
                && Files.getLastModifiedTime(entry).toInstant().isAfter(Instant.now().minus(ttl))) {
            return entry;
        }
        Files.createDirectories(cacheDir);
        Path partial = Files.createTempFile(cacheDir, ".download-", ".part");
        try {
            try (InputStream in = open(url)) {
                Files.copy(in, partial, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(partial, entry, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return entry;
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** A folder of the cache reserved for what is derived from {@code url} (an unpacked tarball). */
    public Path derived(String url, String kind) {
        return cacheDir.resolve(key(url) + "." + kind);
    }

    private static InputStream open(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid URL '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        switch (scheme) {
            case "file" -> {
                return Files.newInputStream(Path.of(uri.getPath()));
            }
            case "http", "https" -> {
                HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10))
                        .header("User-Agent", "flotilla").GET().build();
                HttpResponse<InputStream> response;
                try {
                    response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while downloading '" + url + "'");
                }
                if (response.statusCode() != 200) {
                    response.body().close();
                    throw new IOException("unable to download '" + url + "': HTTP error " + response.statusCode());
                }
                return response.body();
            }
            default -> throw new IOException("unsupported URL scheme in '" + url + "' (use http, https or file)");
        }
    }

    static String key(String url) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(url.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
