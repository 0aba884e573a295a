package dev.flotilla.controller.fleet;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
class FleetApiTest {

    static final Path EXAMPLE = Path.of("../examples/web-fleet");

    @TempDir
    Path tmp;

    /** A copy of the example fleet, so that tests may edit it. */
    static Path copyExample(Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(EXAMPLE)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(EXAMPLE.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return to;
    }

    static String register(Path dir) {
        String name = Tokens.unique("fleet");
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", name, "path", dir.toString()))
                .post("/api/v1/fleets").then().statusCode(201).body("name", equalTo(name), "source", equalTo("path"));
        return name;
    }

    @Test
    void aFolderIsRegisteredReadAndListed() throws IOException {
        Path dir = copyExample(tmp.resolve("f"));
        String name = register(dir);
        Tokens.as("viewer").get("/api/v1/fleets/" + name).then().statusCode(200)
                .body("path", equalTo(dir.toAbsolutePath().normalize().toString()), "createdBy", startsWith("test-operator"));
        Tokens.as("viewer").queryParam("size", 500).get("/api/v1/fleets").then().statusCode(200).body("items.name", hasItem(name));
        Tokens.as("viewer").get("/api/v1/audit?action=fleet.create").then().statusCode(200).body("items.outcome", hasItem("success"));

        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", name, "path", dir.toString()))
                .post("/api/v1/fleets").then().statusCode(409).body("code", equalTo("exists"), "field", equalTo("name"));
        Tokens.as("viewer").contentType(ContentType.JSON).body(Map.of("name", Tokens.unique("f"), "path", dir.toString()))
                .post("/api/v1/fleets").then().statusCode(403);
        Tokens.as("viewer").get("/api/v1/fleets/" + Tokens.unique("none")).then().statusCode(404).body("code", equalTo("not_found"));
    }

    @Test
    void badInputNamesTheField() throws IOException {
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", "a b", "path", EXAMPLE.toString()))
                .post("/api/v1/fleets").then().statusCode(400).body("field", equalTo("name"));
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", Tokens.unique("f")))
                .post("/api/v1/fleets").then().statusCode(400).body("field", equalTo("path"));
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", Tokens.unique("f"), "path", tmp.resolve("missing").toString()))
                .post("/api/v1/fleets").then().statusCode(400).body("field", equalTo("path"), "message", containsString("not a directory"));
        Path broken = copyExample(tmp.resolve("broken"));
        Files.writeString(broken.resolve("inventory.yaml"), "all:\n  hosts:\n    web-1: { address: [\n");
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", Tokens.unique("f"), "path", broken.toString()))
                .post("/api/v1/fleets").then().statusCode(400).body("field", equalTo("path"), "message", containsString("inventory.yaml"));
    }

    @Test
    void aRevisionKeepsTheContentItPinned() throws IOException {
        Path dir = copyExample(tmp.resolve("f"));
        Files.createDirectories(dir.resolve(".git")).resolve("HEAD").toFile().createNewFile();
        String name = register(dir);
        String first = Tokens.as("operator").post("/api/v1/fleets/" + name + "/revisions").then().statusCode(201)
                .body("fleet", equalTo(name), "hash", startsWith("sha256-")).extract().path("hash");
        int firstId = Tokens.as("viewer").get("/api/v1/fleets/" + name + "/revisions").then().statusCode(200)
                .body("total", equalTo(1)).extract().path("items[0].id");
        String again = Tokens.as("operator").post("/api/v1/fleets/" + name + "/revisions").then().statusCode(201).extract().path("hash");
        assertEquals(first, again, "the same content has the same hash");

        Files.writeString(dir.resolve(".git/HEAD"), "ref: refs/heads/other\n");
        assertEquals(first, Tokens.as("operator").post("/api/v1/fleets/" + name + "/revisions").then().extract().path("hash"),
                ".git is not part of the content");
        Files.writeString(dir.resolve("modules/common.nix"), Files.readString(dir.resolve("modules/common.nix")) + "\n");
        String edited = Tokens.as("operator").post("/api/v1/fleets/" + name + "/revisions").then().statusCode(201).extract().path("hash");
        assertNotEquals(first, edited);
        Tokens.as("viewer").get("/api/v1/fleets/" + name + "/revisions/" + firstId).then().statusCode(200).body("hash", equalTo(first));
        Tokens.as("viewer").get("/api/v1/fleets/" + name + "/revisions").then().body("total", equalTo(4), "items[0].hash", equalTo(edited));
        Tokens.as("viewer").get("/api/v1/fleets/" + name + "/revisions/999999999").then().statusCode(404);
    }

    @jakarta.inject.Inject
    jakarta.persistence.EntityManager em;

    private long contentRows(String hash) {
        return io.quarkus.narayana.jta.QuarkusTransaction.requiringNew().call(() -> ((Number) em
                .createNativeQuery("select count(*) from fleet_content where hash = ?1").setParameter(1, hash).getSingleResult()).longValue());
    }

    @Test
    void aRevisionIsDeletedWithItsContentOnceNothingElsePinsIt() throws IOException {
        Path dir = copyExample(tmp.resolve("f"));
        String name = register(dir);
        String base = "/api/v1/fleets/" + name + "/revisions";
        Pinned first = revision(base);
        Pinned second = revision(base);
        assertEquals(first.hash(), second.hash());
        Files.writeString(dir.resolve("modules/common.nix"), Files.readString(dir.resolve("modules/common.nix")) + "\n# " + name + "\n");
        Pinned third = revision(base);
        assertNotEquals(first.hash(), third.hash());

        Tokens.as("viewer").delete(base + "/" + third.id()).then().statusCode(403);
        Tokens.as("operator").delete(base + "/" + third.id()).then().statusCode(204);
        Tokens.as("viewer").get(base + "/" + third.id()).then().statusCode(404);
        assertEquals(0, contentRows(third.hash()), "content nothing else pins is deleted");

        Tokens.as("operator").delete(base + "/" + first.id()).then().statusCode(204);
        assertEquals(1, contentRows(first.hash()), "the second revision still pins the same content");
        Tokens.as("viewer").get(base + "/" + second.id()).then().statusCode(200).body("hash", equalTo(first.hash()));
        Tokens.as("viewer").get(base).then().body("total", equalTo(1));
        Tokens.as("operator").delete(base + "/" + first.id()).then().statusCode(404);
        Tokens.as("operator").delete("/api/v1/fleets/" + Tokens.unique("none") + "/revisions/1").then().statusCode(404);
    }

    private record Pinned(long id, String hash) {}

    private static Pinned revision(String base) {
        var r = Tokens.as("operator").post(base).then().statusCode(201).extract().jsonPath();
        return new Pinned(r.getLong("id"), r.getString("hash"));
    }

    @Test
    void anUploadedArchiveRegistersAndUpdatesAFleet() throws IOException {
        String name = Tokens.unique("up");
        byte[] archive = tarGz(copyExample(tmp.resolve("f")), "web-fleet/");
        Tokens.as("operator").contentType("application/gzip").body(archive).put("/api/v1/fleets/" + name + "/archive")
                .then().statusCode(201).body("source", equalTo("upload"), "contentHash", startsWith("sha256-"));
        String rev = Tokens.as("operator").post("/api/v1/fleets/" + name + "/revisions").then().statusCode(201).extract().path("hash");
        Tokens.as("viewer").get("/api/v1/fleets/" + name).then().body("contentHash", equalTo(rev));

        Files.writeString(tmp.resolve("f/README.md"), "changed\n");
        Tokens.as("operator").contentType("application/gzip").body(tarGz(tmp.resolve("f"), "")).put("/api/v1/fleets/" + name + "/archive")
                .then().statusCode(200).body("contentHash", not(equalTo(rev)));

        Tokens.as("operator").contentType("application/gzip").body(evil()).put("/api/v1/fleets/" + Tokens.unique("evil") + "/archive")
                .then().statusCode(400).body("field", equalTo("archive"), "message", containsString("outside"));
        Path broken = copyExample(tmp.resolve("broken"));
        Files.writeString(broken.resolve("inventory.yaml"), "all:\n  hosts:\n    web-1: { address: [\n");
        Tokens.as("operator").contentType("application/gzip").body(tarGz(broken, "")).put("/api/v1/fleets/" + Tokens.unique("broken") + "/archive")
                .then().statusCode(400).body("field", equalTo("archive"), "message", startsWith("inventory.yaml:"));
        String byPath = register(copyExample(tmp.resolve("p")));
        Tokens.as("operator").contentType("application/gzip").body(archive).put("/api/v1/fleets/" + byPath + "/archive")
                .then().statusCode(409);
    }

    static byte[] tarGz(Path dir, String prefix) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes)); Stream<Path> walk = Files.walk(dir)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path p : walk.sorted().toList()) {
                String rel = dir.relativize(p).toString();
                if (rel.isEmpty()) {
                    continue;
                }
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), prefix + rel);
                tar.putArchiveEntry(e);
                if (Files.isRegularFile(p)) {
                    Files.copy(p, tar);
                }
                tar.closeArchiveEntry();
            }
        }
        return bytes.toByteArray();
    }

    private static byte[] evil() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(new GZIPOutputStream(bytes))) {
            byte[] data = "pwned\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("../../escape.txt");
            e.setSize(data.length);
            tar.putArchiveEntry(e);
            tar.write(data);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }
}
