package dev.flotilla.inventory;

import java.nio.file.Path;

/** Bad inventory input. The message starts with {@code file:line:col:} whenever a position is known. */
public final class InventoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InventoryException(String message) {
        super(message);
    }

    public InventoryException(String message, Throwable cause) {
        super(message, cause);
    }

    static InventoryException at(Path file, org.yaml.snakeyaml.error.Mark mark, String message) {
        if (mark == null) {
            return new InventoryException(file + ": " + message);
        }
        return new InventoryException(file + ":" + (mark.getLine() + 1) + ":" + (mark.getColumn() + 1) + ": " + message);
    }
}
