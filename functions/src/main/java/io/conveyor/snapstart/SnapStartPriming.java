package io.conveyor.snapstart;

import io.conveyor.storage.JobObjectLayout;
import io.conveyor.storage.ObjectStore;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Priming for Lambda SnapStart: work a handler runs once before Lambda snapshots its initialised execution
 * environment (a CRaC {@code beforeCheckpoint} hook), so that every environment restored from the snapshot starts
 * with the classes loaded and the code paths already run (Jackson, the SDK's marshallers, signer, endpoint rules and
 * HTTP client, the logging backend) instead of paying for them in its first request.
 *
 * <p>Priming must be harmless: reads of keys that cannot exist, never a write. It only runs when Lambda creates a
 * snapshot; elsewhere (functions without SnapStart, LocalStack, the local runtime, tests) {@link #register} does
 * nothing at all, so building a handler never calls AWS. A priming step that fails is logged and skipped: a colder
 * snapshot is better than none.
 *
 * <p>Nothing is needed after a restore: the SDK resolves credentials per request, and a pooled connection that went
 * stale while the snapshot was stored is replaced.
 */
public final class SnapStartPriming implements Resource {
    /** The id priming reads: no job, program or object has it, since job ids are UUIDs. */
    public static final String PLACEHOLDER_ID = "snapstart-priming";
    private static final Logger LOG = LoggerFactory.getLogger(SnapStartPriming.class);
    /** Lambda sets this in every execution environment of a function published with SnapStart. */
    static final String INITIALIZATION_TYPE = "AWS_LAMBDA_INITIALIZATION_TYPE";
    static final String SNAPSTART = "snap-start";
    /** CRaC may hold registered resources weakly: these must live as long as the execution environment. */
    private static final List<SnapStartPriming> REGISTERED = new CopyOnWriteArrayList<>();

    private final String function;
    private final Runnable priming;

    SnapStartPriming(String function, Runnable priming) {
        this.function = function;
        this.priming = priming;
    }

    /**
     * Runs {@code priming} before Lambda's snapshot of this execution environment, when it takes one.
     *
     * @param function names the handler in the log line that reports the priming
     */
    public static void register(String function, Runnable priming) {
        register(System.getenv(), function, priming);
    }

    /** Whether this environment registered priming. */
    static boolean register(Map<String, String> environment, String function, Runnable priming) {
        if (!SNAPSTART.equals(environment.get(INITIALIZATION_TYPE))) {
            return false;
        }
        SnapStartPriming hook = new SnapStartPriming(function, priming);
        REGISTERED.add(hook);
        Core.getGlobalContext().register(hook);
        return true;
    }

    /**
     * Primes an object store whose S3 client and presigner are built on first use
     * ({@link ObjectStore#builtOnFirstUse}): builds both, presigns a GET and asks for an object that cannot exist. What
     * S3 answers does not matter (a function that may not read the key gets 403): the client's request path ran.
     */
    public static void registerObjectStore(String function, ObjectStore objects) {
        register(function + " objects", () -> primeObjectStore(objects));
    }

    /** What {@link #registerObjectStore} runs before the snapshot, for a hook that primes more. */
    public static void primeObjectStore(ObjectStore objects) {
        String key = JobObjectLayout.input(PLACEHOLDER_ID, PLACEHOLDER_ID);
        objects.presignGet(key, Duration.ofMinutes(1), null);
        try {
            objects.head(key);
        } catch (S3Exception refused) {
            // Answered: see above.
        }
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        prime();
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // Nothing to renew: see the class comment.
    }

    /** Runs the priming; never throws. Whether it completed. */
    boolean prime() {
        long start = System.nanoTime();
        try {
            priming.run();
            LOG.info("primed {} for the SnapStart snapshot in {} ms", function, (System.nanoTime() - start) / 1_000_000);
            return true;
        } catch (RuntimeException e) {
            LOG.warn("priming {} for the SnapStart snapshot failed; the snapshot is taken without it", function, e);
            return false;
        }
    }
}
