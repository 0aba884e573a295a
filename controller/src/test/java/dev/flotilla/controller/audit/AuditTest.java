package dev.flotilla.controller.audit;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.notNullValue;

import dev.flotilla.controller.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

@QuarkusTest
class AuditTest {

    @Test
    void everyMutatingCallIsAuditedWithWhoWhatWhenAndOutcome() throws Exception {
        String tokenName = Tokens.unique("auditor");
        String secret = Tokens.as("admin").contentType(ContentType.JSON).body(Map.of("name", tokenName, "role", "operator"))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("secret");
        String host = Tokens.unique("audited");
        given().auth().oauth2(secret).contentType(ContentType.JSON).body(Map.of("name", host, "address", "10.0.0.1"))
                .post("/api/v1/hosts").then().statusCode(201);
        given().auth().oauth2(secret).contentType(ContentType.JSON).body(Map.of("name", host, "address", "10.0.0.1"))
                .post("/api/v1/hosts").then().statusCode(409);
        given().auth().oauth2(secret).delete("/api/v1/hosts/" + host).then().statusCode(204);
        given().auth().oauth2(secret).get("/api/v1/hosts").then().statusCode(200);
        given().auth().oauth2(secret).contentType(ContentType.JSON).body(Map.of("name", Tokens.unique("x"), "role", "viewer"))
                .post("/api/v1/tokens").then().statusCode(403);

        List<Map<String, Object>> records = awaitRecords(tokenName, 4);
        // Newest first; reads are not audited.
        assertRecord(records.get(0), "POST", "/api/v1/tokens", "token.create", 403, "denied");
        assertRecord(records.get(1), "DELETE", "/api/v1/hosts/" + host, "host.delete", 204, "success");
        assertRecord(records.get(2), "POST", "/api/v1/hosts", "host.create", 409, "failure");
        assertRecord(records.get(3), "POST", "/api/v1/hosts", "host.create", 201, "success");
        Tokens.as("viewer").queryParam("actor", tokenName).get("/api/v1/audit").then()
                .body("items[0].at", notNullValue(), "items.actor", hasItem(tokenName));
    }

    @Test
    void callsWithoutAValidTokenAreAuditedToo() throws Exception {
        String host = Tokens.unique("anon");
        given().contentType(ContentType.JSON).body(Map.of("name", host, "address", "10.0.0.1")).post("/api/v1/hosts")
                .then().statusCode(401);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<String> paths = Tokens.as("viewer").queryParam("actor", "anonymous").queryParam("outcome", "unauthenticated")
                    .queryParam("size", 50).get("/api/v1/audit").then().statusCode(200).extract().path("items.path");
            if (paths.contains("/api/v1/hosts") || System.nanoTime() > deadline) {
                org.junit.jupiter.api.Assertions.assertTrue(paths.contains("/api/v1/hosts"), paths::toString);
                return;
            }
            Thread.sleep(100);
        }
    }

    private static List<Map<String, Object>> awaitRecords(String actor, int n) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<Map<String, Object>> items = Tokens.as("viewer").queryParam("actor", actor).get("/api/v1/audit")
                    .then().statusCode(200).extract().path("items");
            if (items.size() >= n || System.nanoTime() > deadline) {
                org.junit.jupiter.api.Assertions.assertEquals(n, items.size(), items::toString);
                return items;
            }
            Thread.sleep(100);
        }
    }

    private static void assertRecord(Map<String, Object> r, String method, String path, String action, int status, String outcome) {
        org.junit.jupiter.api.Assertions.assertAll(
                () -> org.hamcrest.MatcherAssert.assertThat(r.get("method"), equalTo(method)),
                () -> org.hamcrest.MatcherAssert.assertThat(r.get("path"), equalTo(path)),
                () -> org.hamcrest.MatcherAssert.assertThat(r.get("action"), equalTo(action)),
                () -> org.hamcrest.MatcherAssert.assertThat(r.get("status"), equalTo(status)),
                () -> org.hamcrest.MatcherAssert.assertThat(r.get("outcome"), equalTo(outcome)));
    }
}
