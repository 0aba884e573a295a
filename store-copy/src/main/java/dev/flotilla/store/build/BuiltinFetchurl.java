package dev.flotilla.store.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Nix's {@code builtin:fetchurl} builder (what {@code <nix/fetchurl.nix>} produces): downloads the
 * derivation's {@code url} (http, https or file) as its output, executable when
 * {@code executable = "1"}. It runs in this process, not in the sandbox, and only for fixed-output
 * derivations: their declared hash is checked before anything is registered, so the network cannot
 * change what lands in the store.
 */
final class BuiltinFetchurl {
    static final String BUILDER = "builtin:fetchurl";

    private static final HttpClient HTTP = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(30))
            .build();

    private BuiltinFetchurl() {}

    /** Downloads into {@code out} (which must not exist), writing what it does to {@code log}. */
    static void fetch(Derivation d, Path out, Path log) throws IOException {
        String url = d.env().get("url");
        if (url == null || url.isEmpty()) {
            throw new IOException("the derivation has no 'url'");
        }
        if ("1".equals(d.env().get("unpack"))) {
            throw new IOException("'unpack = true' (a NAR download) is not supported; fetch the file, or use fetchTarball");
        }
        appendLog(log, "downloading '" + url + "'\n");
        try (InputStream in = open(url)) {
            Files.copy(in, out);
        }
        if ("1".equals(d.env().get("executable"))) {
            Files.setPosixFilePermissions(out, PosixFilePermissions.fromString("r-xr-xr-x"));
        }
        appendLog(log, "downloaded " + Files.size(out) + " bytes\n");
    }

    private static InputStream open(String url) throws IOException {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IOException("invalid URL '" + url + "'");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme();
        if (scheme.equals("file")) {
            return Files.newInputStream(Path.of(uri.getPath()));
        }
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IOException("unsupported URL scheme in '" + url + "' (use http, https or file)");
        }
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofMinutes(10)).header("User-Agent", "flotilla").GET().build();
        try {
            HttpResponse<InputStream> response = HTTP.send(request, HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new IOException("unable to download '" + url + "': HTTP error " + response.statusCode());
            }
            return response.body();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while downloading '" + url + "'");
        }
    }

    private static void appendLog(Path log, String line) throws IOException {
        try (OutputStream o = Files.newOutputStream(log, StandardOpenOption.CREATE, StandardOpenOption.APPEND)) {
            o.write(line.getBytes(StandardCharsets.UTF_8));
        }
    }
}
