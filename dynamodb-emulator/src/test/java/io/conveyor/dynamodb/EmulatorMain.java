package io.conveyor.dynamodb;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Serves an emulator until the process ends, for tests that need one in another JVM (the crash test kills it)
 * and for running the corpus's Python runner by hand. Arguments: {@code [port] [dataDirectory]}; prints
 * {@code ENDPOINT <uri>} once it serves.
 */
public final class EmulatorMain {
    private EmulatorMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        DynamoDbEmulator.Builder builder = DynamoDbEmulator.builder();
        if (args.length > 0) {
            builder.port(Integer.parseInt(args[0]));
        }
        if (args.length > 1) {
            builder.dataDirectory(Path.of(args[1]));
        }
        DynamoDbEmulator emulator = builder.start();
        System.out.println("ENDPOINT " + emulator.endpoint());
        System.out.flush();
        new CountDownLatch(1).await();
    }
}
