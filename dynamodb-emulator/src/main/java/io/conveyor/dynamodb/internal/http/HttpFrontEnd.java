package io.conveyor.dynamodb.internal.http;

import io.conveyor.dynamodb.internal.Database;
import io.conveyor.dynamodb.internal.ServerStats;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

/**
 * The HTTP side: DynamoDB's AWS JSON 1.0 protocol over HTTP/1.1 on 127.0.0.1, one thread per connection with
 * blocking sockets. Every request is a POST whose {@code X-Amz-Target} names the operation; the answer carries
 * DynamoDB's headers, including the {@code x-amz-crc32} checksum of the body that the AWS SDK verifies. An answer
 * (status line, headers and body) leaves in one write.
 */
public final class HttpFrontEnd {
    private static final String TARGET_PREFIX = "DynamoDB_20120810.";
    private static final AtomicInteger THREADS = new AtomicInteger();
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    /** The longest request head (request line and headers) accepted. */
    private static final int MAX_HEAD_BYTES = 64 * 1024;
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);

    private final ServerSocket listener;
    private final ExecutorService threads;
    private final Database database;
    private final ServerStats stats = new ServerStats();
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private final Thread acceptor;

    private HttpFrontEnd(ServerSocket listener, ExecutorService threads, Database database) {
        this.listener = listener;
        this.threads = threads;
        this.database = database;
        this.acceptor = new Thread(this::accept, "dynamodb-emulator-accept-" + listener.getLocalPort());
        acceptor.setDaemon(true);
    }

    /** Starts serving {@code database} on 127.0.0.1:{@code port} (0: a free port). */
    public static HttpFrontEnd start(int port, Database database) {
        ServerSocket listener;
        try {
            listener = new ServerSocket(port, 256, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot listen on 127.0.0.1:" + port, e);
        }
        ExecutorService threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "dynamodb-emulator-http-" + THREADS.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        HttpFrontEnd frontEnd = new HttpFrontEnd(listener, threads, database);
        frontEnd.acceptor.start();
        return frontEnd;
    }

    /** The port served. */
    public int port() {
        return listener.getLocalPort();
    }

    /** Request counts and in-server handling time per operation (from the body read to the answer written). */
    public ServerStats stats() {
        return stats;
    }

    /** Stops accepting requests, closes the open connections and ends their threads. */
    public void stop() {
        try {
            listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        for (Socket socket : connections) {
            closeQuietly(socket);
        }
        threads.shutdownNow();
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (!listener.isClosed()) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                return; // closed by stop()
            }
            connections.add(socket);
            try {
                threads.execute(() -> serve(socket));
            } catch (RejectedExecutionException e) {
                connections.remove(socket);
                closeQuietly(socket);
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            // Without TCP_NODELAY, small answers wait for the client's delayed ACK (about 40 ms on loopback).
            socket.setTcpNoDelay(true);
            new Connection(socket.getInputStream(), socket.getOutputStream()).run();
        } catch (SocketException | EOFException e) {
            // the client or stop() closed the connection
        } catch (IOException e) {
            // a broken connection: nothing to answer to
        } finally {
            connections.remove(socket);
        }
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    /** One connection's requests, read and answered in turn (HTTP/1.1 keep-alive, pipelining allowed). */
    private final class Connection {
        private final InputStream in;
        private final OutputStream out;
        private byte[] buffer = new byte[8192];
        private int pos;
        private int limit;

        Connection(InputStream in, OutputStream out) {
            this.in = in;
            this.out = out;
        }

        void run() throws IOException {
            while (true) {
                String requestLine = readLine();
                if (requestLine == null) {
                    return;
                }
                if (requestLine.isEmpty()) {
                    continue; // a stray CRLF between requests
                }
                int sp1 = requestLine.indexOf(' ');
                int sp2 = requestLine.lastIndexOf(' ');
                if (sp1 <= 0 || sp2 <= sp1) {
                    badRequest();
                    return;
                }
                boolean keepAlive = requestLine.endsWith("HTTP/1.1");
                long contentLength = 0;
                boolean chunked = false;
                boolean expectContinue = false;
                String target = null;
                String authorization = null;
                for (String line = readLine(); ; line = readLine()) {
                    if (line == null) {
                        throw new EOFException();
                    }
                    if (line.isEmpty()) {
                        break;
                    }
                    int colon = line.indexOf(':');
                    if (colon <= 0) {
                        badRequest();
                        return;
                    }
                    String name = line.substring(0, colon);
                    String value = line.substring(colon + 1).trim();
                    if (name.equalsIgnoreCase("Content-Length")) {
                        try {
                            contentLength = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            contentLength = -1;
                        }
                        if (contentLength < 0 || contentLength > Integer.MAX_VALUE - 16) {
                            badRequest();
                            return;
                        }
                    } else if (name.equalsIgnoreCase("Transfer-Encoding")) {
                        chunked = value.toLowerCase().contains("chunked");
                    } else if (name.equalsIgnoreCase("X-Amz-Target")) {
                        target = value;
                    } else if (name.equalsIgnoreCase("Authorization")) {
                        authorization = value;
                    } else if (name.equalsIgnoreCase("Connection")) {
                        String v = value.toLowerCase();
                        if (v.contains("close")) {
                            keepAlive = false;
                        } else if (v.contains("keep-alive")) {
                            keepAlive = true;
                        }
                    } else if (name.equalsIgnoreCase("Expect")) {
                        expectContinue = value.equalsIgnoreCase("100-continue");
                    }
                }
                if (expectContinue) {
                    out.write(CONTINUE);
                }
                byte[] body = chunked ? readChunked() : readBytes((int) contentLength);
                answer(target, authorization, body, keepAlive);
                if (!keepAlive) {
                    return;
                }
            }
        }

        private void answer(String target, String authorization, byte[] body, boolean keepAlive) throws IOException {
            long start = System.nanoTime();
            long cpuStart = CPU.getCurrentThreadCpuTime();
            String operation = target != null && target.startsWith(TARGET_PREFIX)
                    ? target.substring(TARGET_PREFIX.length()) : target;
            Database.Answer answer = database.handle(operation, body, SigV4.region(authorization));
            long handled = System.nanoTime();
            byte[] content = answer.body();
            CRC32 crc = new CRC32();
            crc.update(content);
            String head = "HTTP/1.1 " + answer.status() + reason(answer.status())
                    + "\r\nContent-Type: application/x-amz-json-1.0"
                    + "\r\nContent-Length: " + content.length
                    + "\r\nx-amz-crc32: " + crc.getValue()
                    + "\r\nx-amzn-RequestId: " + RequestIds.next()
                    + "\r\nDate: " + HttpDate.now()
                    + (keepAlive ? "" : "\r\nConnection: close")
                    + "\r\n\r\n";
            byte[] message = new byte[head.length() + content.length];
            head.getBytes(0, head.length(), message, 0); // the head is ASCII
            System.arraycopy(content, 0, message, head.length(), content.length);
            out.write(message);
            stats.record(operation == null ? "(none)" : operation, handled - start, System.nanoTime() - start,
                    CPU.getCurrentThreadCpuTime() - cpuStart);
        }

        private void badRequest() throws IOException {
            out.write("HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.ISO_8859_1));
        }

        /** The next line without its CRLF (or LF), or null at the end of the stream before a byte of it. */
        private String readLine() throws IOException {
            int scanned = pos;
            while (true) {
                for (int i = scanned; i < limit; i++) {
                    if (buffer[i] == '\n') {
                        int end = i > pos && buffer[i - 1] == '\r' ? i - 1 : i;
                        String line = new String(buffer, pos, end - pos, StandardCharsets.ISO_8859_1);
                        pos = i + 1;
                        return line;
                    }
                }
                int seen = limit - pos;
                if (!fill()) {
                    if (limit == pos) {
                        return null;
                    }
                    throw new EOFException();
                }
                scanned = pos + seen;
            }
        }

        /** Reads more bytes behind those not yet consumed; false at the end of the stream. */
        private boolean fill() throws IOException {
            if (pos > 0) {
                System.arraycopy(buffer, pos, buffer, 0, limit - pos);
                limit -= pos;
                pos = 0;
            }
            if (limit == buffer.length) {
                if (buffer.length >= MAX_HEAD_BYTES) {
                    throw new IOException("request head longer than " + MAX_HEAD_BYTES + " bytes");
                }
                buffer = java.util.Arrays.copyOf(buffer, buffer.length * 2);
            }
            int n = in.read(buffer, limit, buffer.length - limit);
            if (n < 0) {
                return false;
            }
            limit += n;
            return true;
        }

        private byte[] readBytes(int length) throws IOException {
            byte[] bytes = new byte[length];
            int buffered = Math.min(length, limit - pos);
            System.arraycopy(buffer, pos, bytes, 0, buffered);
            pos += buffered;
            if (in.readNBytes(bytes, buffered, length - buffered) != length - buffered) {
                throw new EOFException();
            }
            return bytes;
        }

        private byte[] readChunked() throws IOException {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                String line = readLine();
                if (line == null) {
                    throw new EOFException();
                }
                int ext = line.indexOf(';');
                int size;
                try {
                    size = Integer.parseInt((ext < 0 ? line : line.substring(0, ext)).trim(), 16);
                } catch (NumberFormatException e) {
                    throw new IOException("bad chunk size: " + line);
                }
                if (size == 0) {
                    for (String trailer = readLine(); trailer != null && !trailer.isEmpty(); trailer = readLine()) {
                        // trailers are ignored
                    }
                    return body.toByteArray();
                }
                body.writeBytes(readBytes(size));
                readLine(); // the CRLF after the chunk
            }
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> " OK";
            case 400 -> " Bad Request";
            case 404 -> " Not Found";
            case 413 -> " Request Entity Too Large";
            case 500 -> " Internal Server Error";
            case 503 -> " Service Unavailable";
            default -> " ";
        };
    }

    /** The Date header's value (RFC 1123), formatted once a second. */
    private static final class HttpDate {
        private record Stamp(long second, String text) {
        }

        private static volatile Stamp stamp = new Stamp(-1, "");

        static String now() {
            long second = System.currentTimeMillis() / 1000;
            Stamp s = stamp;
            if (s.second != second) {
                s = new Stamp(second, DateTimeFormatter.RFC_1123_DATE_TIME.format(
                        ZonedDateTime.ofInstant(java.time.Instant.ofEpochSecond(second), ZoneOffset.UTC)));
                stamp = s;
            }
            return s.text;
        }
    }
}
