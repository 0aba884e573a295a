package dev.flotilla.controller.auth;

import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a token may do. Each role includes the ones before it: a viewer reads, an operator also
 * changes hosts and runs rollouts, an admin also manages tokens.
 */
public enum Role {
    VIEWER,
    OPERATOR,
    ADMIN;

    /** Names used in {@code @RolesAllowed}. */
    public static final String VIEW = "viewer";
    public static final String OPERATE = "operator";
    public static final String ADMINISTER = "admin";

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** This role and every role it includes, as {@code @RolesAllowed} names. */
    public Set<String> grants() {
        return Arrays.stream(values()).filter(r -> r.ordinal() <= ordinal()).map(Role::id).collect(Collectors.toUnmodifiableSet());
    }

    public static Role parse(String s) {
        if (s != null) {
            for (Role r : values()) {
                if (r.id().equalsIgnoreCase(s.trim())) {
                    return r;
                }
            }
        }
        throw new IllegalArgumentException("role must be one of viewer, operator, admin; got '" + s + "'");
    }
}
