package io.conveyor.dynamodb.internal.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.dynamodb.internal.Database;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP/1.1 framing of the front end, on a raw socket: what the AWS SDK relies on and what it may send. */
class HttpFrontEndTest {
    private static final String LIST_TABLES = "POST / HTTP/1.1\r\nHost: x\r\nX-Amz-Target: DynamoDB_20120810.ListTables\r\n";

    private Database database;
    private HttpFrontEnd frontEnd;

    @BeforeEach
    void start() {
        database = Database.open(null, Clock.systemUTC());
        frontEnd = HttpFrontEnd.start(0, database);
    }

    @AfterEach
    void stop() {
        frontEnd.stop();
        database.close();
    }

    @Test
    void keepAlive_answersPipelinedRequestsInTurn_withCrcAndRequestId() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write((LIST_TABLES + "Content-Length: 2\r\n\r\n{}" + LIST_TABLES
                    + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
            for (int i = 0; i < 2; i++) {
                Response r = Response.read(s.getInputStream());
                assertEquals(200, r.status);
                assertEquals("{\"TableNames\":[]}", r.body);
                CRC32 crc = new CRC32();
                crc.update(r.body.getBytes(StandardCharsets.UTF_8));
                assertTrue(r.head.contains("\r\nx-amz-crc32: " + crc.getValue() + "\r\n"), r.head);
                assertTrue(r.head.matches("(?s).*\r\nx-amzn-RequestId: [A-Z0-9]{52}\r\n.*"), r.head);
            }
        }
    }

    @Test
    void chunkedBody_andExpectContinue_areRead() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write((LIST_TABLES + "Expect: 100-continue\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Response interim = Response.read(s.getInputStream());
            assertEquals(100, interim.status);
            s.getOutputStream().write("1\r\n{\r\n1;x=y\r\n}\r\n0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            Response r = Response.read(s.getInputStream());
            assertEquals(200, r.status);
            assertEquals("{\"TableNames\":[]}", r.body);
        }
    }

    @Test
    void connectionClose_isHonoured() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write((LIST_TABLES + "Connection: close\r\nContent-Length: 2\r\n\r\n{}")
                    .getBytes(StandardCharsets.ISO_8859_1));
            Response r = Response.read(s.getInputStream());
            assertEquals(200, r.status);
            assertTrue(r.head.contains("\r\nConnection: close\r\n"), r.head);
            assertEquals(-1, s.getInputStream().read());
        }
    }

    @Test
    void malformedRequest_isRefusedWith400() throws IOException {
        try (Socket s = connect()) {
            s.getOutputStream().write("NONSENSE\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(400, Response.read(s.getInputStream()).status);
        }
    }

    @Test
    void stop_releasesThePortAndClosesOpenConnections() throws IOException {
        int port = frontEnd.port();
        try (Socket s = connect()) {
            s.getOutputStream().write((LIST_TABLES + "Content-Length: 2\r\n\r\n{}").getBytes(StandardCharsets.ISO_8859_1));
            assertEquals(200, Response.read(s.getInputStream()).status);
            frontEnd.stop();
            assertEquals(-1, s.getInputStream().read());
        }
        assertThrows(ConnectException.class, () -> new Socket(InetAddress.getLoopbackAddress(), port).close());
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            assertEquals(port, again.getLocalPort());
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), frontEnd.port());
        s.setSoTimeout(5000);
        return s;
    }

    private record Response(int status, String head, String body) {
        static Response read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            while (!head.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
                int b = in.read();
                if (b < 0) {
                    throw new IOException("connection closed in the head: " + head);
                }
                head.write(b);
            }
            String text = head.toString(StandardCharsets.ISO_8859_1);
            int status = Integer.parseInt(text.substring(9, 12));
            int length = 0;
            for (String line : text.split("\r\n")) {
                if (line.regionMatches(true, 0, "Content-Length:", 0, 15)) {
                    length = Integer.parseInt(line.substring(15).trim());
                }
            }
            return new Response(status, text, new String(in.readNBytes(length), StandardCharsets.UTF_8));
        }
    }
}
