package io.conveyor.storage;

/**
 * What the bucket says about an object.
 *
 * @param key         its key
 * @param size        its size in bytes
 * @param contentType its media type, or {@code null}
 */
public record StoredObject(String key, long size, String contentType) {}
