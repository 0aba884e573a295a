package dev.flotilla.controller.auth;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuthTest {

    @Test
    void everyApiCallNeedsAToken() {
        given().get("/api/v1/hosts").then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .body("code", equalTo("unauthorized"), "field", nullValue());
        given().auth().oauth2("flt_not-a-real-token").get("/api/v1/rollouts").then().statusCode(401)
                .body("code", equalTo("unauthorized"));
        given().contentType(ContentType.JSON).body(Map.of("name", "x", "address", "a")).post("/api/v1/hosts")
                .then().statusCode(401);
    }

    @Test
    void healthAndOpenApiStayOpen() {
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
        given().get("/q/health/ready").then().statusCode(200);
        given().get("/q/openapi?format=json").then().statusCode(200).body("paths", hasKey("/api/v1/rollouts"));
        given().get("/q/metrics").then().statusCode(200);
    }

    @Test
    void aViewerReadsButMayNotChangeAnything() {
        Tokens.as("viewer").get("/api/v1/hosts").then().statusCode(200);
        Tokens.as("viewer").contentType(ContentType.JSON)
                .body(Map.of("name", Tokens.unique("v"), "address", "10.0.0.1"))
                .post("/api/v1/hosts").then().statusCode(403).body("code", equalTo("forbidden"));
        Tokens.as("viewer").contentType(ContentType.JSON)
                .body(Map.of("selector", "*", "configPath", "host.nix"))
                .post("/api/v1/rollouts").then().statusCode(403).body("code", equalTo("forbidden"));
    }

    @Test
    void onlyAnAdminManagesTokens() {
        Tokens.as("operator").get("/api/v1/tokens").then().statusCode(403);
        Tokens.as("operator").contentType(ContentType.JSON).body(Map.of("name", Tokens.unique("x"), "role", "admin"))
                .post("/api/v1/tokens").then().statusCode(403);
    }

    @Test
    void aTokenIsShownOnceStoredHashedAndCanBeRevoked() {
        String name = Tokens.unique("ops");
        var created = Tokens.as("admin").contentType(ContentType.JSON).body(Map.of("name", name, "role", "operator"))
                .post("/api/v1/tokens").then().statusCode(201)
                .body("name", equalTo(name), "role", equalTo("OPERATOR"), "secret", startsWith("flt_"))
                .extract();
        String secret = created.path("secret");
        long id = ((Number) created.path("id")).longValue();
        given().auth().oauth2(secret).get("/api/v1/hosts").then().statusCode(200);
        Tokens.as("admin").queryParam("size", 500).get("/api/v1/tokens").then().statusCode(200)
                .body("items", everyItem(not(hasKey("secret"))), "items", everyItem(not(hasKey("tokenHash"))));

        Tokens.as("admin").delete("/api/v1/tokens/" + id).then().statusCode(200).body("revokedAt", not(nullValue()));
        given().auth().oauth2(secret).get("/api/v1/hosts").then().statusCode(401);
    }

    @Test
    void badTokenRequestsNameTheField() {
        Tokens.as("admin").contentType(ContentType.JSON).body(Map.of("name", Tokens.unique("t"), "role", "superuser"))
                .post("/api/v1/tokens").then().statusCode(400).body("code", equalTo("invalid"), "field", equalTo("role"));
        Tokens.as("admin").contentType(ContentType.JSON).body(Map.of("name", "bad name", "role", "viewer"))
                .post("/api/v1/tokens").then().statusCode(400).body("field", equalTo("name"));
    }
}
