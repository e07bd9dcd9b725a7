package io.conveyor.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UsageMeterTest {
    private final AtomicLong nanos = new AtomicLong(5_000_000_000L);

    private UsageMeter meter(String jobId, int memoryMb) {
        return new UsageMeter(jobId, memoryMb, nanos::get);
    }

    @Test
    void eachWrite_takesWhatWasMeasuredSinceTheLast_theDurationRoundedUpOverTheWhole() {
        meter("job-1", 512).run(() -> {
            UsageMeter.record(Usage.transitions(1));
            UsageMeter.record(Usage.dynamoDb(0.5, 0));
            nanos.addAndGet(2_300_000); // 2.3 ms
            assertEquals(new Usage(1, 1, 3 * 512, 0.5, 0, 0, 0, 0, 0), UsageMeter.takeFor("job-1"));
            UsageMeter.record(Usage.dynamoDb(0, 2));
            nanos.addAndGet(1_400_000); // 3.7 ms in all: 4 billed, 3 already taken
            assertEquals(new Usage(0, 0, 512, 0, 2, 0, 0, 0, 0), UsageMeter.takeFor("job-1"));
            assertFalse(UsageMeter.current().orElseThrow().untaken());
            return null;
        });
        assertTrue(UsageMeter.current().isEmpty(), "the meter ends with its invocation");
    }

    @Test
    void aWriteOfAnotherJob_takesNothing_andAMeterWithoutAJobTakesTheFirstWritten() {
        meter("job-1", 128).run(() -> {
            UsageMeter.record(Usage.events(1));
            assertEquals(Usage.NONE, UsageMeter.takeFor("job-2"));
            assertTrue(UsageMeter.current().orElseThrow().untaken());
            return null;
        });
        meter(null, 128).run(() -> {
            UsageMeter.record(Usage.events(1));
            assertEquals(1, UsageMeter.takeFor("job-3").events());
            assertEquals(Usage.NONE, UsageMeter.takeFor("job-4"));
            return null;
        });
    }

    @Test
    void usageGivenBack_byAWriteThatDidNotHappen_goesToTheNextWrite() {
        meter("job-1", 1024).run(() -> {
            UsageMeter.record(Usage.s3(1, 0, 10));
            nanos.addAndGet(1_000_000);
            Usage taken = UsageMeter.takeFor("job-1");
            UsageMeter.giveBack(taken);
            assertTrue(UsageMeter.current().orElseThrow().untaken());
            assertEquals(taken, UsageMeter.takeFor("job-1"));
            return null;
        });
    }

    @Test
    void workHandedToAnotherThread_isMeasuredByTheInvocationThatHandsItOver() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            meter("job-1", 128).run(() -> {
                CompletableFuture.supplyAsync(UsageMeter.carried(() -> {
                    UsageMeter.record(Usage.s3(0, 1, 0));
                    return null;
                }), pool).join();
                CompletableFuture.supplyAsync(() -> {
                    UsageMeter.record(Usage.s3(0, 1, 0)); // not carried: measured by no one
                    return null;
                }, pool).join();
                assertEquals(1, UsageMeter.takeFor("job-1").s3ClassB());
                return null;
            });
        } finally {
            pool.shutdownNow();
        }
    }
}
