package dev.flotilla.controller.audit;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names the action a mutating endpoint performs in its audit records ({@code host.create}). Endpoints
 * without it are audited too, under {@code METHOD /path}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Audited {
    String value();
}
