package io.conveyor.storage;

/**
 * A part of an open multipart upload, as S3 lists it.
 *
 * @param number its part number, from 1
 * @param size   its size in bytes
 * @param eTag   the entity tag S3 gave it, needed to complete the upload
 */
public record UploadedPart(int number, long size, String eTag) {}
