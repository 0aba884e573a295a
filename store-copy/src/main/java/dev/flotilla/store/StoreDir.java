package dev.flotilla.store;

/**
 * The logical store directory, identical on the controller and every host because store paths
 * embed it (and it enters their hashes). Absolute, no trailing slash, and made only of plain
 * path components so that it can never smuggle a separator into a fingerprint ({@code :}, {@code ;}, {@code ,}).
 */
public record StoreDir(String path) {
    public static final StoreDir DEFAULT = new StoreDir("/flotilla/store");
    /** Nix's own store directory, used for compatibility vectors. */
    public static final StoreDir NIX = new StoreDir("/nix/store");

    public StoreDir {
        if (path == null || !path.startsWith("/") || path.length() < 2 || path.endsWith("/")) {
            throw new IllegalArgumentException("store directory must be absolute without a trailing slash: '" + path + "'");
        }
        for (String component : path.substring(1).split("/", -1)) {
            if (component.isEmpty() || component.equals(".") || component.equals("..")
                    || !component.chars().allMatch(StoreDir::plainChar)) {
                throw new IllegalArgumentException("invalid store directory '" + path + "'");
            }
        }
    }

    private static boolean plainChar(int c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == '-' || c == '+';
    }

    /** True if {@code absolute} names something inside this store directory (not the directory itself). */
    public boolean contains(String absolute) {
        return absolute.startsWith(path + "/") && absolute.length() > path.length() + 1;
    }

    @Override
    public String toString() {
        return path;
    }
}
