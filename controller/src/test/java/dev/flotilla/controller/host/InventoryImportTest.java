package dev.flotilla.controller.host;

import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;

import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class InventoryImportTest {

    @Test
    void importCreatesThenUpdatesHostsWithGroupVarsAndTags() {
        String p = Tokens.unique("inv");
        String yaml = """
                all:
                  vars: { role: web }
                  hosts:
                    %1$s-1: { address: 10.0.0.11, port: 2201, tags: [canary] }
                    %1$s-2: { address: 10.0.0.12 }
                  children:
                    db:
                      vars: { role: db }
                      hosts:
                        %1$s-3: { address: 10.0.0.13 }
                """.formatted(p);
        Tokens.as("operator").contentType("application/yaml").body(yaml).post("/api/v1/inventory/import")
                .then().statusCode(200).body("created", contains(p + "-1", p + "-2", p + "-3"));
        Tokens.as("viewer").get("/api/v1/hosts/" + p + "-1").then().statusCode(200)
                .body("port", equalTo(2201), "tags", contains("canary"), "vars.role", equalTo("web"));
        Tokens.as("viewer").get("/api/v1/hosts/" + p + "-3").then().statusCode(200)
                .body("vars.role", equalTo("db"), "groups", hasItems("all", "db"));

        String changed = yaml.replace("10.0.0.12", "10.0.0.99");
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("inventory", changed)).post("/api/v1/inventory/import")
                .then().statusCode(200).body("updated", contains(p + "-2"), "unchanged", hasItem(p + "-1"));
        for (int i = 1; i <= 3; i++) {
            Tokens.as("operator").delete("/api/v1/hosts/" + p + "-" + i).then().statusCode(204);
        }
    }

    @Test
    void aBrokenInventoryIsRefusedWithItsPosition() {
        Tokens.as("operator").contentType("application/yaml").body("all:\n  hosts:\n    web-1: { address: [\n")
                .post("/api/v1/inventory/import").then().statusCode(400)
                .body("code", equalTo("invalid"), "field", equalTo("inventory"), "message", containsString("inventory.yaml:"));
        Tokens.as("operator").contentType("application/yaml").body("all:\n  hosts:\n    web-1: { port: 99999 }\n")
                .post("/api/v1/inventory/import").then().statusCode(400).body("field", equalTo("inventory"));
    }
}
