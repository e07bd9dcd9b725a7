package io.conveyor.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.persistence.ConcurrentUpdateException;
import io.conveyor.persistence.InvalidPageTokenException;
import io.conveyor.persistence.Page;
import io.conveyor.testing.Concurrently;
import io.conveyor.testing.LocalAws;
import io.conveyor.testing.SampleJobs;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The jobs table on the DynamoDB emulator. */
class JobStoreTest {
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    private static final JobError BOOM = new JobError("Worker.Crashed", "subjob 2 crashed");

    private JobStore jobs;

    @BeforeEach
    void freshTables() {
        jobs = LocalAws.get().newDeployment().jobs();
    }

    @Test
    void create_thenGet_returnsEveryFieldAsWritten() {
        Job job = SampleJobs.created("j-1", "alice", "word-frequency", T0.plusNanos(123_456_789));
        Job stored = jobs.create(job);
        assertEquals(1, stored.version());
        assertEquals(Optional.of(stored), jobs.get("j-1"));

        Job failed = jobs.update(jobs.update(stored.submit(T0.plusSeconds(1))).admit(T0.plusSeconds(2)))
                .fail(BOOM, T0.plusSeconds(3));
        Job written = jobs.update(failed);
        assertEquals(4, written.version());
        assertEquals(Optional.of(written), jobs.get("j-1"));
    }

    @Test
    void create_ofAnExistingId_isRefusedAndKeepsTheFirst() {
        Job first = jobs.create(SampleJobs.created("j-1", "alice", "primes", T0));
        assertThrows(ConcurrentUpdateException.class,
                () -> jobs.create(SampleJobs.created("j-1", "mallory", "primes", T0)));
        assertEquals(Optional.of(first), jobs.get("j-1"));
    }

    @Test
    void findForOwner_hidesOtherOwnersJobsExactlyLikeMissingOnes() {
        jobs.create(SampleJobs.created("j-1", "alice", "primes", T0));
        assertTrue(jobs.findForOwner("j-1", "alice").isPresent());
        assertEquals(Optional.empty(), jobs.findForOwner("j-1", "bob"));
        assertEquals(Optional.empty(), jobs.findForOwner("nope", "alice"));
    }

    @Test
    void update_fromAStaleVersion_conflictsAndWritesNothing() {
        Job v1 = jobs.create(SampleJobs.created("j-1", "alice", "primes", T0));
        Job v2 = jobs.update(v1.submit(T0.plusSeconds(1)));
        assertThrows(ConcurrentUpdateException.class, () -> jobs.update(v1.cancel(T0.plusSeconds(2))));
        assertEquals(Optional.of(v2), jobs.get("j-1"));
    }

    @Test
    void update_concurrentlyFromTheSameVersion_exactlyOneWins() throws Exception {
        Job queued = jobs.update(jobs.create(SampleJobs.created("j-1", "alice", "primes", T0)).submit(T0));
        List<Concurrently.Outcome<Job>> outcomes =
                Concurrently.run(8, () -> jobs.update(queued.admit(T0.plusSeconds(1))));
        long winners = outcomes.stream().filter(o -> o.failure() == null).count();
        assertEquals(1, winners, "exactly one concurrent update may win");
        outcomes.stream().filter(o -> o.failure() != null)
                .forEach(o -> assertInstanceOf(ConcurrentUpdateException.class, o.failure()));
        Job stored = jobs.get("j-1").orElseThrow();
        assertEquals(queued.version() + 1, stored.version());
        assertEquals(1, stored.attempts().size(), "the losers' attempts were not written");
    }

    @Test
    void modify_appliesTheMoveToTheLatestVersion_evenWhileOthersWrite() throws Exception {
        Job queued = jobs.update(jobs.create(SampleJobs.created("j-1", "alice", "primes", T0)).submit(T0));
        List<Concurrently.Outcome<Job>> outcomes = Concurrently.run(6, () -> jobs.modify("j-1",
                j -> j.status() == JobStatus.QUEUED ? j.admit(T0.plusSeconds(1)) : j).orElseThrow());
        outcomes.forEach(o -> assertEquals(null, o.failure()));
        Job stored = jobs.get("j-1").orElseThrow();
        assertEquals(JobStatus.RUNNING, stored.status());
        assertEquals(1, stored.attempts().size(), "exactly one of the racing moves admitted the job");
        assertEquals(queued.version() + 1, stored.version(), "moves that changed nothing wrote nothing");
        assertEquals(Optional.empty(), jobs.modify("missing", j -> j));
    }

    @Test
    void modify_fromAReadThatWentStale_readsAgainAndDecidesFromTheStoredJob() {
        Job queued = jobs.update(jobs.create(SampleJobs.created("j-1", "alice", "primes", T0)).submit(T0));
        Job cancelled = jobs.update(queued.cancel(T0.plusSeconds(1)));

        Optional<Job> result = jobs.modify(queued, j -> j.status() == JobStatus.QUEUED ? j.admit(T0.plusSeconds(2)) : j);

        assertEquals(Optional.of(cancelled), result, "the move saw the cancellation, not the stale read, and wrote nothing");
        assertEquals(Optional.of(cancelled), jobs.get("j-1"));
    }

    @Test
    void modify_fromACurrentRead_writesTheMoveOnce() {
        Job queued = jobs.update(jobs.create(SampleJobs.created("j-1", "alice", "primes", T0)).submit(T0));

        Job running = jobs.modify(queued, j -> j.admit(T0.plusSeconds(1))).orElseThrow();

        assertEquals(JobStatus.RUNNING, running.status());
        assertEquals(queued.version() + 1, running.version());
        assertEquals(Optional.of(running), jobs.get("j-1"));
    }

    @Test
    void listForOwner_pagesNewestFirstWithoutGapsOrRepeats() {
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            String id = String.format("j-%02d", i);
            jobs.create(SampleJobs.created(id, "alice", "primes", T0.plusSeconds(i)));
            expected.add(0, id);
        }
        jobs.create(SampleJobs.created("other", "bob", "primes", T0.plusSeconds(100)));

        List<String> seen = new ArrayList<>();
        Optional<String> token = Optional.empty();
        int pages = 0;
        do {
            Page<Job> page = jobs.listForOwner("alice", Optional.empty(), Optional.empty(), 10, token);
            page.items().forEach(j -> seen.add(j.id()));
            token = page.nextToken();
            pages++;
        } while (token.isPresent());
        assertEquals(expected, seen);
        assertEquals(3, pages);
    }

    @Test
    void listForOwner_byStatus_returnsOnlyThatStatus() {
        for (int i = 0; i < 6; i++) {
            Job job = jobs.create(SampleJobs.created("j-" + i, "alice", "primes", T0.plusSeconds(i)));
            if (i % 2 == 0) {
                jobs.update(job.submit(T0.plusSeconds(10)));
            }
        }
        Page<Job> queued = jobs.listForOwner("alice", Optional.of(JobStatus.QUEUED), Optional.empty(), 10, Optional.empty());
        assertEquals(List.of("j-4", "j-2", "j-0"), queued.items().stream().map(Job::id).toList());
        assertEquals(Optional.empty(), queued.nextToken());

        Page<Job> firstTwo = jobs.listForOwner("alice", Optional.of(JobStatus.CREATED), Optional.empty(), 2, Optional.empty());
        assertEquals(List.of("j-5", "j-3"), firstTwo.items().stream().map(Job::id).toList());
        Page<Job> rest = jobs.listForOwner("alice", Optional.of(JobStatus.CREATED), Optional.empty(), 2, firstTwo.nextToken());
        assertEquals(List.of("j-1"), rest.items().stream().map(Job::id).toList());
    }

    @Test
    void countForOwner_countsOneStatusOfOneOwner() {
        for (int i = 0; i < 7; i++) {
            Job job = jobs.create(SampleJobs.created("a-" + i, "alice", "primes", T0.plusSeconds(i)));
            if (i < 5) {
                jobs.update(job.submit(T0.plusSeconds(10)));
            }
        }
        jobs.update(jobs.create(SampleJobs.created("b", "bob", "primes", T0)).submit(T0));
        assertEquals(5, jobs.countForOwner("alice", JobStatus.QUEUED));
        assertEquals(2, jobs.countForOwner("alice", JobStatus.CREATED));
        assertEquals(0, jobs.countForOwner("alice", JobStatus.RUNNING));
    }

    @Test
    void listForOwner_byProgram_fillsEachPageDespiteTheFilter() {
        for (int i = 0; i < 30; i++) {
            jobs.create(SampleJobs.created("j-" + i, "alice", i % 3 == 0 ? "primes" : "checksum", T0.plusSeconds(i)));
        }
        Page<Job> page = jobs.listForOwner("alice", Optional.empty(), Optional.of("primes"), 4, Optional.empty());
        assertEquals(List.of("j-27", "j-24", "j-21", "j-18"), page.items().stream().map(Job::id).toList());
        Page<Job> next = jobs.listForOwner("alice", Optional.empty(), Optional.of("primes"), 4, page.nextToken());
        assertEquals(List.of("j-15", "j-12", "j-9", "j-6"), next.items().stream().map(Job::id).toList());
    }

    @Test
    void listForOwner_refusesTokensFromAnotherListing() {
        for (int i = 0; i < 3; i++) {
            jobs.create(SampleJobs.created("a-" + i, "alice", "primes", T0.plusSeconds(i)));
            jobs.create(SampleJobs.created("b-" + i, "bob", "primes", T0.plusSeconds(i)));
        }
        String bobsToken = jobs.listForOwner("bob", Optional.empty(), Optional.empty(), 1, Optional.empty())
                .nextToken().orElseThrow();
        assertThrows(InvalidPageTokenException.class,
                () -> jobs.listForOwner("alice", Optional.empty(), Optional.empty(), 1, Optional.of(bobsToken)));
        assertThrows(InvalidPageTokenException.class,
                () -> jobs.listForOwner("alice", Optional.empty(), Optional.empty(), 1, Optional.of("not-a-token")));
        assertThrows(InvalidPageTokenException.class,
                () -> jobs.listForOwner("bob", Optional.of(JobStatus.CREATED), Optional.empty(), 1, Optional.of(bobsToken)));
    }

    @Test
    void findExpired_returnsOnlyTerminalJobsPastTheirStoredExpiry() {
        Job running = jobs.update(jobs.update(jobs.create(SampleJobs.created("running", "alice", "primes", T0))
                .submit(T0)).admit(T0));
        jobs.update(running.fail(BOOM, T0)); // expires T0 + 7 days
        Job young = jobs.create(SampleJobs.created("young", "alice", "primes", T0));
        jobs.update(young.cancel(T0.plusSeconds(3600)));
        Job active = jobs.create(SampleJobs.created("active", "alice", "primes", T0));
        jobs.update(active.submit(T0));

        Instant eightDaysOn = T0.plusSeconds(8 * 86400);
        assertEquals(List.of(), jobs.findExpired(T0.plusSeconds(86400), 10));
        assertEquals(List.of("running"), jobs.findExpired(T0.plusSeconds(7 * 86400), 10));
        Set<String> expired = new HashSet<>(jobs.findExpired(eightDaysOn, 10));
        assertEquals(Set.of("running", "young"), expired);
        assertEquals(1, jobs.findExpired(eightDaysOn, 1).size());
    }

    @Test
    void findExpired_findsJobsInEveryShard() {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            String id = "j-" + i;
            ids.add(id);
            jobs.update(jobs.create(SampleJobs.created(id, "alice", "primes", T0)).cancel(T0));
        }
        assertEquals(ids, new HashSet<>(jobs.findExpired(T0.plusSeconds(8 * 86400), 100)));
    }

    @Test
    void findActiveUnchangedSince_returnsQueuedAndRunningJobsByTheirLastStatusChange_neverEndedOnes() {
        jobs.update(jobs.update(jobs.create(SampleJobs.created("running", "alice", "primes", T0))
                .submit(T0)).admit(T0.plusSeconds(60)));
        jobs.update(jobs.create(SampleJobs.created("queued", "bob", "primes", T0)).submit(T0.plusSeconds(30)));
        jobs.create(SampleJobs.created("created", "alice", "primes", T0));
        Job failed = jobs.update(jobs.update(jobs.create(SampleJobs.created("failed", "alice", "primes", T0))
                .submit(T0)).admit(T0));
        jobs.update(failed.fail(BOOM, T0));

        assertEquals(List.of(), jobs.findActiveUnchangedSince(T0.plusSeconds(29), 10));
        assertEquals(List.of("queued"), jobs.findActiveUnchangedSince(T0.plusSeconds(30), 10));
        assertEquals(Set.of("queued", "running"), new HashSet<>(jobs.findActiveUnchangedSince(T0.plusSeconds(3600), 10)));
        assertEquals(1, jobs.findActiveUnchangedSince(T0.plusSeconds(3600), 1).size());

        jobs.update(jobs.get("running").orElseThrow().fail(BOOM, T0.plusSeconds(90)));
        assertEquals(List.of("queued"), jobs.findActiveUnchangedSince(T0.plusSeconds(3600), 10),
                "an ended job left the index");
    }

    @Test
    void findActiveUnchangedSince_takesItsShareFromEveryShard() {
        Set<String> shards = new HashSet<>();
        for (int i = 0; i < 40; i++) {
            jobs.update(jobs.create(SampleJobs.created("j-" + i, "alice", "primes", T0)).submit(T0));
        }
        List<String> found = jobs.findActiveUnchangedSince(T0, 8);
        assertEquals(8, found.size());
        found.forEach(id -> shards.add(JobItem.activeShard(id)));
        assertEquals(JobItem.ACTIVE_SHARDS, shards.size(), "two from each of the four shards: " + found);
    }

    @Test
    void aJobsTableFromBeforeTheLastChangeIndex_getsItWhenProvisionedAgain_withTheJobsAlreadyStored() {
        LocalAws.Deployment deployment = LocalAws.get().newDeployment();
        String table = deployment.settings().jobsTable() + "-old";
        var current = io.conveyor.persistence.TableProvisioner.request(JobStore.TABLE, table);
        deployment.dynamoDb().createTable(current.toBuilder()
                .globalSecondaryIndexes(current.globalSecondaryIndexes().stream()
                        .filter(i -> !i.indexName().equals(JobItem.BY_LAST_CHANGE)).toList())
                .attributeDefinitions(current.attributeDefinitions().stream()
                        .filter(a -> !Set.of(JobItem.ACTIVE_SHARD, JobItem.CHANGED_AT).contains(a.attributeName())).toList())
                .build());
        JobStore old = new JobStore(deployment.dynamoDb(), table);
        old.update(old.create(SampleJobs.created("queued", "alice", "primes", T0)).submit(T0));

        new io.conveyor.persistence.TableProvisioner(deployment.dynamoDb()).create(JobStore.TABLE, table);

        assertEquals(List.of("queued"), old.findActiveUnchangedSince(T0, 10));
    }

    @Test
    void deleteExpired_deletesOnlyWhatTheStoredItemSaysHasExpired() {
        Job cancelled = jobs.update(jobs.create(SampleJobs.created("done", "alice", "primes", T0)).cancel(T0));
        jobs.update(jobs.create(SampleJobs.created("active", "alice", "primes", T0)).submit(T0));

        assertFalse(jobs.deleteExpired("done", cancelled.expiresAt().minusSeconds(1)), "not expired yet");
        assertFalse(jobs.deleteExpired("active", T0.plusSeconds(365L * 86400)), "an active job never expires");
        assertTrue(jobs.deleteExpired("done", cancelled.expiresAt()));
        assertFalse(jobs.deleteExpired("done", cancelled.expiresAt()), "deleting twice deletes nothing");
        assertEquals(Optional.empty(), jobs.get("done"));
        assertTrue(jobs.get("active").isPresent());
    }

    @Test
    void aJobNeverSubmitted_isFoundAndDeletedOnceItsRetentionPassed_butNotOnceSubmitted() {
        Job abandoned = jobs.create(SampleJobs.created("abandoned", "alice", "primes", T0));
        jobs.update(jobs.create(SampleJobs.created("submitted", "alice", "primes", T0)).submit(T0.plusSeconds(5)));
        Instant later = abandoned.expiresAt();

        assertEquals(List.of("abandoned"), jobs.findExpired(later, 100), "the submitted job left the expiry index");
        assertFalse(jobs.deleteExpired("abandoned", later.minusSeconds(1)), "not expired yet");
        assertFalse(jobs.deleteExpired("submitted", later.plusSeconds(365L * 86400)), "a queued job never expires");
        assertTrue(jobs.deleteExpired("abandoned", later));
        assertEquals(Optional.empty(), jobs.get("abandoned"));
    }

    @Test
    void retriedJob_leavesTheExpiryIndex() {
        Job failed = jobs.update(jobs.update(jobs.update(jobs.create(SampleJobs.created("j", "alice", "primes", T0))
                .submit(T0)).admit(T0)).fail(BOOM, T0));
        jobs.update(failed.retry(T0.plusSeconds(10)));
        assertEquals(List.of(), jobs.findExpired(T0.plusSeconds(30L * 86400), 10));
    }
}
