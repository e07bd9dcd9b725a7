package io.conveyor.storage;

/**
 * How an object of a known size is cut into the parts of a multipart upload: every part {@code partSize} bytes
 * except the last, which holds the rest. Parts are numbered from 1, as S3 numbers them.
 *
 * @param size      the whole object's size in bytes, above 0
 * @param partSize  the size of every part but the last
 * @param partCount how many parts, at most {@link #MAX_PARTS}
 */
public record MultipartLayout(long size, long partSize, int partCount) {
    /** S3's smallest part, except the last. */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;
    /** S3's largest part. */
    public static final long MAX_PART_SIZE = 5L * 1024 * 1024 * 1024;
    /** S3's most parts per upload. */
    public static final int MAX_PARTS = 10_000;

    public MultipartLayout {
        if (size <= 0 || partSize < MIN_PART_SIZE || partSize > MAX_PART_SIZE) {
            throw new IllegalArgumentException("a multipart upload needs a size above 0 and parts of 5 MiB to 5 GiB, was "
                    + size + " bytes in parts of " + partSize);
        }
        if (partCount != (size + partSize - 1) / partSize || partCount > MAX_PARTS) {
            throw new IllegalArgumentException(size + " bytes in parts of " + partSize + " are not " + partCount
                    + " parts, or more than S3's " + MAX_PARTS);
        }
    }

    /** {@code size} bytes in parts of {@code partSize}. */
    public static MultipartLayout of(long size, long partSize) {
        return new MultipartLayout(size, partSize, (int) Math.min(Integer.MAX_VALUE, (size + partSize - 1) / partSize));
    }

    /** The size of part {@code number} (1 to {@link #partCount}). */
    public long sizeOf(int number) {
        if (number < 1 || number > partCount) {
            throw new IllegalArgumentException("part numbers run from 1 to " + partCount + ", was " + number);
        }
        return number < partCount ? partSize : size - (long) (partCount - 1) * partSize;
    }
}
