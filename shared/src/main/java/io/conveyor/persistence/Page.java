package io.conveyor.persistence;

import java.util.List;
import java.util.Optional;

/**
 * One page of a listing.
 *
 * @param items     the items of this page, in listing order
 * @param nextToken the opaque token that fetches the next page, empty on the last one
 */
public record Page<T>(List<T> items, Optional<String> nextToken) {
    public Page {
        items = List.copyOf(items);
    }
}
