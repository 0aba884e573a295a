package dev.flotilla.controller.common;

/** Validated paging parameters: {@code page} from 0, {@code size} 1..500. */
public record PageRequest(int page, int size) {

    public static final int MAX_SIZE = 500;

    public PageRequest {
        if (page < 0) {
            throw ApiException.invalid("page", "page must be 0 or more, got " + page);
        }
        if (size < 1 || size > MAX_SIZE) {
            throw ApiException.invalid("size", "size must be between 1 and " + MAX_SIZE + ", got " + size);
        }
    }

    /** From optional query parameters, with defaults page 0 and size 50. */
    public static PageRequest of(Integer page, Integer size) {
        return new PageRequest(page == null ? 0 : page, size == null ? 50 : size);
    }

    public io.quarkus.panache.common.Page panache() {
        return io.quarkus.panache.common.Page.of(page, size);
    }
}
