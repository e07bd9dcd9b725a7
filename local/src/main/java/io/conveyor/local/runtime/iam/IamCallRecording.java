package io.conveyor.local.runtime.iam;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.asl.engine.AwsActionListener;
import io.conveyor.config.FunctionEnvironment;
import io.conveyor.deployment.Catalogue;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The AWS calls of the product, per caller, as IAM evaluates them ({@link IamCall}): what the proof of the deployed
 * policies (infra/cdk's {@code IamProofTest}) checks against the synthesized template.
 *
 * <p>The callers are the catalogue's functions ({@code function:<name>}) and the job state machines' roles
 * ({@code stateMachine:<name>}). A function's calls are heard on the threads that run it: the SDK clients' through
 * {@link SdkCallRecorder} (a global execution interceptor), the other services' through {@link HttpServiceCallRecorder};
 * the caller is the function whose environment ({@link FunctionEnvironment}) the calling thread has, which the threads
 * a function starts inherit. Calls from no function (the tests' own clients, the runtime provisioning tables) are not
 * the product's and are not recorded. The state machines' calls are told by the Step Functions engine.
 *
 * <p>A file collects every runtime of the JVM that records into it: each runtime adds to what the earlier ones
 * recorded, and the file is rewritten when a runtime stops, so a file from an earlier build is replaced, not added to.
 */
public final class IamCallRecording {
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final Map<Path, IamCallRecording> BY_FILE = new ConcurrentHashMap<>();
    private static volatile IamCallRecording active;

    private final Path file;
    private final Arns arns;
    private final SortedMap<String, String> resourceNames;
    private final SortedMap<String, JsonNode> programs = new TreeMap<>();
    /** Caller, then action, resource and condition keys, then the API calls that needed it. */
    private final Map<String, Map<IamCall, Set<String>>> callers = new ConcurrentHashMap<>();
    final DynamoDbActions dynamoDb;
    final S3Actions s3;
    final HttpServiceActions httpServices;

    private IamCallRecording(Path file, Arns arns, Map<String, String> resourceNames) {
        this.file = file;
        this.arns = arns;
        this.resourceNames = new TreeMap<>(resourceNames);
        this.dynamoDb = new DynamoDbActions(arns);
        this.s3 = new S3Actions(arns);
        this.httpServices = new HttpServiceActions(arns);
    }

    /**
     * Records the calls of a runtime into {@code file} from now until {@link #stop}.
     *
     * @param resourceNames the physical name of each catalogue resource ({@code Resource} name to name)
     * @param programs      the runtime's {@code CONVEYOR_PROGRAMS} (a JSON array), or {@code null}
     * @throws IllegalStateException when the file records another account, region or names, which one proof cannot mix
     */
    public static IamCallRecording start(Path file, Arns arns, Map<String, String> resourceNames, String programs) {
        IamCallRecording recording = BY_FILE.computeIfAbsent(file.toAbsolutePath(),
                f -> new IamCallRecording(f, arns, resourceNames));
        if (!recording.arns.equals(arns) || !recording.resourceNames.equals(new TreeMap<>(resourceNames))) {
            throw new IllegalStateException("IAM calls recorded into " + file + " are in " + recording.arns + " with "
                    + recording.resourceNames + "; this runtime has " + arns + " and " + resourceNames
                    + ": record it into another file");
        }
        if (programs != null && !programs.isBlank()) {
            recording.addPrograms(programs);
        }
        active = recording;
        return recording;
    }

    /** Stops recording and writes the file. */
    public void stop() {
        active = null;
        write();
    }

    /** The recording in progress, or {@code null}. */
    static IamCallRecording active() {
        return active;
    }

    /** The catalogue function running on this thread (or that started it), or {@code null}. */
    static String callingFunction() {
        String name = FunctionEnvironment.get("AWS_LAMBDA_FUNCTION_NAME");
        return name != null && Catalogue.function(name).isPresent() ? name : null;
    }

    void function(String name, List<IamCall> calls) {
        calls.forEach(call -> add("function:" + name, call));
    }

    /** What the engine tells: each action of an execution, under its state machine's role. */
    public AwsActionListener stateMachines() {
        return (stateMachineArn, action, resource, conditionKeys) -> add(
                "stateMachine:" + stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1),
                new IamCall(action, resource, conditionKeys, "Step Functions engine"));
    }

    private void add(String caller, IamCall call) {
        IamCall request = new IamCall(call.action(), call.resource(), call.conditionKeys(), "");
        callers.computeIfAbsent(caller, c -> new ConcurrentHashMap<>())
                .computeIfAbsent(request, r -> ConcurrentHashMap.newKeySet()).add(call.call());
    }

    private synchronized void addPrograms(String json) {
        try {
            for (JsonNode program : JSON.readTree(json)) {
                programs.putIfAbsent(program.path("name").asText(), program);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("CONVEYOR_PROGRAMS is not JSON", e);
        }
    }

    /**
     * The file: the account and region, the resources' names, the programs, and per caller each distinct request
     * ({@code action}, {@code resource}, {@code conditionKeys}) with the API calls that made it, sorted.
     */
    private synchronized void write() {
        ObjectNode root = JSON.createObjectNode();
        root.put("account", arns.account());
        root.put("region", arns.region());
        ObjectNode names = root.putObject("resourceNames");
        resourceNames.forEach(names::put);
        ArrayNode programList = root.putArray("programs");
        programs.values().forEach(programList::add);
        ObjectNode byCaller = root.putObject("callers");
        new TreeMap<>(callers).forEach((caller, requests) -> {
            ArrayNode list = byCaller.putArray(caller);
            requests.entrySet().stream()
                    .sorted(Comparator.comparing((Map.Entry<IamCall, Set<String>> e) -> e.getKey().action())
                            .thenComparing(e -> e.getKey().resource())
                            .thenComparing(e -> new TreeMap<>(e.getKey().conditionKeys()).toString()))
                    .forEach(e -> {
                        ObjectNode request = list.addObject();
                        request.put("action", e.getKey().action());
                        request.put("resource", e.getKey().resource());
                        if (!e.getKey().conditionKeys().isEmpty()) {
                            ObjectNode keys = request.putObject("conditionKeys");
                            new TreeMap<>(e.getKey().conditionKeys()).forEach(keys::put);
                        }
                        ArrayNode calls = request.putArray("calls");
                        new TreeSet<>(e.getValue()).forEach(calls::add);
                    });
        });
        try {
            Files.createDirectories(file.getParent());
            JSON.writeValue(file.toFile(), root);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the IAM call record " + file, e);
        }
    }
}
