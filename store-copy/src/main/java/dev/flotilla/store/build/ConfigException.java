package dev.flotilla.store.build;

/** A host configuration that cannot become a system: the message starts with the option path. */
public final class ConfigException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
