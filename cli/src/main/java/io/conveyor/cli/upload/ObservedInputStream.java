package io.conveyor.cli.upload;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * A stream that shows every chunk read to a listener (to hash or count it as it goes by), and ends after at most a
 * given number of bytes (to read one part of a file). Not thread-safe.
 */
final class ObservedInputStream extends FilterInputStream {
    /** Sees each chunk as it is read. */
    @FunctionalInterface
    interface Listener {
        void read(byte[] buffer, int offset, int length);
    }

    private final Listener listener;
    private long left;

    /**
     * @param limit    bytes to read at most ({@link Long#MAX_VALUE} for all)
     * @param listener told of every chunk read
     */
    ObservedInputStream(InputStream in, long limit, Listener listener) {
        super(in);
        this.left = limit;
        this.listener = listener;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (left <= 0) {
            return -1;
        }
        int n = super.read(buffer, offset, (int) Math.min(length, left));
        if (n > 0) {
            left -= n;
            listener.read(buffer, offset, n);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        throw new IOException("an observed stream is read, not skipped: every byte must be seen");
    }
}
