package io.conveyor.cli.worker;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Map;

/**
 * A subjob a worker holds, as a poll gave it.
 *
 * @param taskId     names the subjob and this worker's claim of it in every answer
 * @param input      the subjob's input, as the program's splitter wrote it
 * @param parameters the job's parameters
 * @param heartbeat  the longest the worker may go without a heartbeat before the subjob is taken from it
 * @param timeout    the subjob's time limit
 */
public record SubJob(String taskId, String program, String jobId, int attempt, int index, JsonNode input,
        Map<String, String> parameters, Duration heartbeat, Duration timeout) {}
