package dev.flotilla.controller.host;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;

import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class HostResourceTest {

    private static Map<String, Object> host(String name, Object port) {
        return Map.of("name", name, "address", "10.1.2.3", "port", port, "tags", List.of("web"), "vars", Map.of("role", "web", "replicas", 3));
    }

    @Test
    void createReadUpdateDelete() {
        String name = Tokens.unique("web");
        Tokens.as("operator").contentType(ContentType.JSON).body(host(name, 2222)).post("/api/v1/hosts")
                .then().statusCode(201).header("Location", org.hamcrest.Matchers.endsWith("/api/v1/hosts/" + name))
                .body("name", equalTo(name), "port", equalTo(2222), "user", equalTo("root"), "groups", contains("all"));
        Tokens.as("viewer").get("/api/v1/hosts/" + name).then().statusCode(200)
                .body("address", equalTo("10.1.2.3"), "tags", contains("web"), "vars.replicas", equalTo(3));

        Tokens.as("operator").contentType(ContentType.JSON)
                .body(Map.of("address", "10.9.9.9", "tags", List.of("db", "canary")))
                .put("/api/v1/hosts/" + name).then().statusCode(200)
                .body("address", equalTo("10.9.9.9"), "port", equalTo(22), "tags", contains("canary", "db"));

        Tokens.as("operator").delete("/api/v1/hosts/" + name).then().statusCode(204);
        Tokens.as("viewer").get("/api/v1/hosts/" + name).then().statusCode(404).body("code", equalTo("not_found"));
        Tokens.as("operator").delete("/api/v1/hosts/" + name).then().statusCode(404);
    }

    @Test
    void invalidHostsAreRefusedNamingTheField() {
        Tokens.as("operator").contentType(ContentType.JSON).body(host(Tokens.unique("h"), 70000)).post("/api/v1/hosts")
                .then().statusCode(400).body("code", equalTo("invalid"), "field", equalTo("port"));
        Tokens.as("operator").contentType(ContentType.JSON).body(host("web 1", 22)).post("/api/v1/hosts")
                .then().statusCode(400).body("field", equalTo("name"));
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", Tokens.unique("h"), "address", "a", "hostKey", "not a key"))
                .post("/api/v1/hosts").then().statusCode(400).body("field", equalTo("hostKey"));
        Tokens.as("operator").contentType(ContentType.JSON).body("{\"name\": \"x\", \"port\": \"many\"}").post("/api/v1/hosts")
                .then().statusCode(400).body("code", equalTo("invalid"), "field", equalTo("port"));
    }

    @Test
    void aSecondHostWithTheSameNameConflicts() {
        String name = Tokens.unique("dup");
        Tokens.as("operator").contentType(ContentType.JSON).body(host(name, 22)).post("/api/v1/hosts").then().statusCode(201);
        Tokens.as("operator").contentType(ContentType.JSON).body(host(name, 22)).post("/api/v1/hosts")
                .then().statusCode(409).body("code", equalTo("exists"), "field", equalTo("name"));
        Tokens.as("operator").delete("/api/v1/hosts/" + name).then().statusCode(204);
    }

    @Test
    void listsArePagedAndFilteredByTag() {
        String tag = Tokens.unique("page");
        List<String> names = List.of(tag + "-a", tag + "-b", tag + "-c");
        for (String n : names) {
            Tokens.as("operator").contentType(ContentType.JSON)
                    .body(Map.of("name", n, "address", "10.0.0.1", "tags", List.of(tag))).post("/api/v1/hosts").then().statusCode(201);
        }
        Tokens.as("viewer").queryParam("tag", tag).queryParam("size", 2).get("/api/v1/hosts").then().statusCode(200)
                .body("total", equalTo(3), "page", equalTo(0), "size", equalTo(2), "items.name", contains(names.get(0), names.get(1)));
        Tokens.as("viewer").queryParam("tag", tag).queryParam("size", 2).queryParam("page", 1).get("/api/v1/hosts").then()
                .body("items.name", contains(names.get(2)));
        Tokens.as("viewer").queryParam("size", 0).get("/api/v1/hosts").then().statusCode(400).body("field", equalTo("size"));
        for (String n : names) {
            Tokens.as("operator").delete("/api/v1/hosts/" + n).then().statusCode(204);
        }
        Tokens.as("viewer").queryParam("tag", tag).get("/api/v1/hosts").then().body("items", hasSize(0));
    }
}
