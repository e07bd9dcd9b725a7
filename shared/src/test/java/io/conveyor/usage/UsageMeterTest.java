package io.conveyor.usage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
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
            return null;
        });
        assertTrue(UsageMeter.current().isEmpty(), "the meter ends with its invocation");
    }

    @Test
    void aWriteOfAnotherJob_takesNothing_andAMeterWithoutAJobTakesTheFirstWritten() {
        meter("job-1", 128).run(() -> {
            UsageMeter.record(Usage.events(1));
            assertEquals(Usage.NONE, UsageMeter.takeFor("job-2"));
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
            assertEquals(taken, UsageMeter.takeFor("job-1"));
            return null;
        });
    }

    @Test
    void whatNoWriteTook_goesToTheLastRoutedTail_once_whenTheInvocationEnds() {
        List<Usage> tails = new ArrayList<>();
        meter("job-1", 1024).run(() -> {
            UsageMeter.routeTail("job-1", u -> fail("a later route replaces an earlier one"));
            UsageMeter.routeTail("job-2", u -> fail("a route for another job is ignored"));
            UsageMeter.routeTail("job-1", tails::add);
            UsageMeter.record(Usage.dynamoDb(1, 0));
            nanos.addAndGet(1_200_000);
            UsageMeter.takeFor("job-1");
            UsageMeter.record(Usage.dynamoDb(0, 3)); // the units of that write, known after it
            UsageMeter.record(Usage.events(1));
            nanos.addAndGet(1_000_000); // 2.2 ms in all: 3 billed, 2 taken
            assertEquals(new Usage(0, 0, 1024, 0, 3, 0, 0, 0, 1), UsageMeter.untakenFor("job-1"));
            assertEquals(Usage.NONE, UsageMeter.untakenFor("job-2"));
            assertTrue(tails.isEmpty(), "nothing is recorded before the invocation ends");
            return null;
        });
        assertEquals(List.of(new Usage(0, 0, 1024, 0, 3, 0, 0, 0, 1)), tails);
    }

    @Test
    void anInvocationThatThrows_stillRecordsItsTail_andOneWhoseTailCannotBeRecorded_endsAsItWould() {
        List<Usage> tails = new ArrayList<>();
        RuntimeException boom = new IllegalStateException("boom");
        RuntimeException thrown = assertThrows(IllegalStateException.class, () -> meter("job-1", 128).run(() -> {
            UsageMeter.routeTail("job-1", tails::add);
            nanos.addAndGet(1_000_000);
            throw boom;
        }));
        assertSame(boom, thrown);
        assertEquals(List.of(new Usage(0, 1, 128, 0, 0, 0, 0, 0, 0)), tails, "the invocation and its time");

        assertEquals("done", meter("job-1", 128).run(() -> {
            UsageMeter.routeTail("job-1", u -> {
                throw new IllegalStateException("DynamoDB is down");
            });
            return "done";
        }));
    }

    @Test
    void aMeterWithoutAJob_recordsATailOnlyIfItWroteOne_andTheTailWriteIsMeasuredByNoOne() {
        List<Usage> tails = new ArrayList<>();
        meter(null, 128).run(() -> {
            UsageMeter.routeTail("job-1", tails::add); // a read of a job: it is not the invocation's
            return null;
        });
        meter(null, 128).run(() -> {
            Usage taken = UsageMeter.takeFor("job-1"); // a write that did not happen
            UsageMeter.routeTail("job-1", tails::add);
            UsageMeter.giveBack(taken);
            return null;
        });
        assertTrue(tails.isEmpty(), "no job was written: charged to none");

        meter(null, 128).run(() -> {
            UsageMeter.takeFor("job-1");
            UsageMeter.routeTail("job-1", u -> {
                tails.add(u);
                UsageMeter.record(Usage.dynamoDb(0, 1)); // the tail's own write, as the interceptor would count it
                assertTrue(UsageMeter.current().isEmpty(), "the tail is written outside the invocation's meter");
            });
            UsageMeter.record(Usage.dynamoDb(0, 2));
            return null;
        });
        assertEquals(List.of(Usage.dynamoDb(0, 2)), tails);
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
