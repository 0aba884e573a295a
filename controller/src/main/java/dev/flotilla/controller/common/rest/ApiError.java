package dev.flotilla.controller.common.rest;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The body of every error response.
 *
 * @param code    stable, machine-readable ({@code not_found}, {@code invalid}, {@code unauthorized}, ...)
 * @param message for people
 * @param field   the request field at fault, when there is one
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ApiError(String code, String message, String field) {

    public static ApiError of(String code, String message) {
        return new ApiError(code, message, null);
    }
}
