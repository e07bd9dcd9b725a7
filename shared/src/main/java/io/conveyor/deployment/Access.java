package io.conveyor.deployment;

/**
 * What a function may do with one resource.
 *
 * @param resource the resource
 * @param write    {@code true} for read and write, {@code false} for read only
 */
public record Access(Resource resource, boolean write) {
    public static Access read(Resource resource) {
        return new Access(resource, false);
    }

    public static Access write(Resource resource) {
        return new Access(resource, true);
    }
}
