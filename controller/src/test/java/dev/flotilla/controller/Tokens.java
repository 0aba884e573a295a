package dev.flotilla.controller;

import static io.restassured.RestAssured.given;

import io.restassured.config.EncoderConfig;
import io.restassured.config.RestAssuredConfig;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/** API tokens for tests: the configured bootstrap admin, and one token per role made through the API. */
public final class Tokens {

    /** Same value as {@code %test.flotilla.auth.bootstrap-token}. */
    public static final String ADMIN = "flotilla-test-admin-token-0123456789";

    private static final RestAssuredConfig YAML_AS_TEXT = RestAssuredConfig.config()
            .encoderConfig(EncoderConfig.encoderConfig().encodeContentTypeAs("application/yaml", ContentType.TEXT));

    private static final Map<String, String> BY_ROLE = new ConcurrentHashMap<>();

    private Tokens() {}

    /** A fresh name, so that tests never collide in the shared database. */
    public static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    public static String of(String role) {
        if (role.equals("admin")) {
            return ADMIN;
        }
        return BY_ROLE.computeIfAbsent(role, r -> given().auth().oauth2(ADMIN).contentType(ContentType.JSON)
                .body(Map.of("name", unique("test-" + r), "role", r))
                .post("/api/v1/tokens").then().statusCode(201).extract().path("secret"));
    }

    public static RequestSpecification as(String role) {
        return given().config(YAML_AS_TEXT).auth().oauth2(of(role));
    }
}
