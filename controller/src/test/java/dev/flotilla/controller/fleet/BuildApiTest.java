package dev.flotilla.controller.fleet;

import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@QuarkusTest
class BuildApiTest {

    @TempDir
    Path tmp;

    private static String newRevision(String fleet) {
        return Tokens.as("operator").post("/api/v1/fleets/" + fleet + "/revisions").then().statusCode(201).extract().path("id").toString();
    }

    private static JsonPath awaitBuild(String fleet, String revision, Map<String, Object> body) throws InterruptedException {
        String base = "/api/v1/fleets/" + fleet + "/revisions/" + revision + "/builds";
        int id = Tokens.as("operator").contentType(ContentType.JSON).body(body).post(base).then().statusCode(202)
                .body("state", equalTo("RUNNING")).extract().path("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (true) {
            JsonPath b = Tokens.as("viewer").get(base + "/" + id).then().statusCode(200).extract().jsonPath();
            if (!b.getString("state").equals("RUNNING")) {
                return b;
            }
            assertTrue(System.nanoTime() < deadline, "build " + id + " still running");
            Thread.sleep(200);
        }
    }

    @Test
    void aBuildGivesEveryHostsToplevelAndKeepsTheDerivationLogs() throws Exception {
        Path dir = FleetApiTest.copyExample(tmp.resolve("f"));
        Files.writeString(dir.resolve("fleet.nix"), Files.readString(dir.resolve("fleet.nix")).replace("hosts.web-3 = {", """
                  hosts.web-2.environment.packages = [
                    (derivation {
                      name = "greeter";
                      system = builtins.currentSystem;
                      builder = "/bin/sh";
                      args = [ "-c" "export PATH=/usr/bin:/bin; mkdir -p $out/bin; echo built the greeter %s; touch $out/bin/greet" ];
                    })
                  ];
                  hosts.web-3 = {""".formatted(Tokens.unique("g"))));
        String fleet = FleetApiTest.register(dir);
        String rev = newRevision(fleet);
        JsonPath b = awaitBuild(fleet, rev, Map.of("selector", "web-1,web-2"));
        assertEquals("SUCCEEDED", b.getString("state"), b.prettify());
        assertEquals(java.util.List.of("web-1", "web-2"), b.getList("hosts.host"));
        assertTrue(b.getString("hosts[0].toplevel").matches("/flotilla/store/[a-z0-9]{32}-.*web-1.*"), b.getString("hosts[0].toplevel"));
        assertEquals("BUILT", b.getString("hosts[1].state"));

        String log = Tokens.as("viewer").get("/api/v1/fleets/" + fleet + "/revisions/" + rev + "/builds/" + b.getInt("id") + "/log")
                .then().statusCode(200).contentType(ContentType.TEXT).extract().asString();
        assertTrue(log.contains("== web-2: built " + b.getString("hosts[1].toplevel")), log);
        assertTrue(log.contains("built the greeter"), log);
    }

    @Test
    void aHostThatDoesNotEvaluateFailsNamingFileLineAndColumn() throws Exception {
        Path dir = FleetApiTest.copyExample(tmp.resolve("f"));
        Files.writeString(dir.resolve("modules/db.nix"), "{ ... }:\n{\n  environment.etc.broken.text = undefinedThing;\n}\n");
        String fleet = FleetApiTest.register(dir);
        String rev = newRevision(fleet);
        JsonPath b = awaitBuild(fleet, rev, Map.of());
        assertEquals("FAILED", b.getString("state"));
        Map<String, Object> db = b.getMap("hosts.find { it.host == 'db-1' }");
        assertEquals("FAILED", db.get("state"));
        assertEquals("EVALUATE", db.get("errorKind"));
        assertTrue(((String) db.get("error")).matches("(?s).*modules/db\\.nix:3:\\d+.*"), (String) db.get("error"));
        assertEquals("BUILT", b.getString("hosts.find { it.host == 'web-1' }.state"), "one host's failure stops no other");

        // The revision's builds, newest first, with hosts counted.
        JsonPath second = awaitBuild(fleet, rev, Map.of("selector", "web-1"));
        JsonPath list = Tokens.as("viewer").get("/api/v1/fleets/" + fleet + "/revisions/" + rev + "/builds").then().statusCode(200)
                .extract().jsonPath();
        assertEquals(2, list.getInt("total"));
        assertEquals(java.util.List.of(second.getInt("id"), b.getInt("id")), list.getList("items.id"));
        assertEquals(java.util.List.of("SUCCEEDED", "FAILED"), list.getList("items.state"));
        assertEquals(1, list.getInt("items[0].hosts"));
        assertEquals(0, list.getInt("items[0].failedHosts"));
        assertEquals(b.getList("hosts").size(), list.getInt("items[1].hosts"));
        assertEquals(1, list.getInt("items[1].failedHosts"));
        assertEquals(1, Tokens.as("viewer").queryParam("size", 1).get("/api/v1/fleets/" + fleet + "/revisions/" + rev + "/builds")
                .then().statusCode(200).extract().jsonPath().getList("items").size());
    }

    @Test
    void badRequestsAreRefused() throws Exception {
        String fleet = FleetApiTest.register(FleetApiTest.copyExample(tmp.resolve("f")));
        String rev = newRevision(fleet);
        String base = "/api/v1/fleets/" + fleet + "/revisions/" + rev + "/builds";
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("selector", "nosuchhost")).post(base)
                .then().statusCode(400).body("field", equalTo("selector"));
        Tokens.as("viewer").contentType(ContentType.JSON).body(Map.of()).post(base).then().statusCode(403);
        Tokens.as("viewer").get(base + "/999999999").then().statusCode(404);
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of()).post("/api/v1/fleets/" + fleet + "/revisions/999999999/builds")
                .then().statusCode(404).body("message", containsString("revision"));
    }
}
