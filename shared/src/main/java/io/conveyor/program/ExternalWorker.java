package io.conveyor.program;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * How the subjobs of a program whose worker is {@code external} run: on machines that register with the API, take
 * subjobs matching their capabilities, and heartbeat while they run them.
 *
 * @param requires  what a worker must advertise to take the program's subjobs; all must be met
 * @param heartbeat the longest a worker may go without a heartbeat for a subjob it holds before the subjob is taken
 *                  from it and offered again (the task's {@code HeartbeatSeconds}), 5 seconds to 1 hour
 */
public record ExternalWorker(List<CapabilityRequirement> requires, Duration heartbeat) {
    public static final Duration MIN_HEARTBEAT = Duration.ofSeconds(5);
    public static final Duration MAX_HEARTBEAT = Duration.ofHours(1);

    public ExternalWorker {
        requires = List.copyOf(requires);
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (heartbeat.compareTo(MIN_HEARTBEAT) < 0 || heartbeat.compareTo(MAX_HEARTBEAT) > 0 || heartbeat.toMillis() % 1000 != 0) {
            throw new IllegalArgumentException("the external worker's heartbeatSeconds must be a whole number from "
                    + MIN_HEARTBEAT.toSeconds() + " to " + MAX_HEARTBEAT.toSeconds() + ", was " + heartbeat);
        }
    }

    /** Reads {@code requires} as a definition writes them ({@code ["gpu", "memoryGiB>=64"]}). */
    public static ExternalWorker of(List<String> requires, Duration heartbeat) {
        return new ExternalWorker(requires.stream().map(CapabilityRequirement::parse).toList(), heartbeat);
    }
}
