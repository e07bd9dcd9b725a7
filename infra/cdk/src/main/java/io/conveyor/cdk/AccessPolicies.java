package io.conveyor.cdk;

import io.conveyor.deployment.Access;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Resource;
import io.conveyor.deployment.StateMachineSpec;
import io.conveyor.job.UsageTailStore;
import io.conveyor.persistence.TableSpec;
import io.conveyor.program.ProgramFunction;
import io.conveyor.program.ProgramOperation;
import io.conveyor.program.ProgramRegistry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import software.amazon.awscdk.ArnComponents;
import software.amazon.awscdk.ArnFormat;
import software.amazon.awscdk.Stack;
import software.amazon.awscdk.services.dynamodb.Table;
import software.amazon.awscdk.services.events.IEventBus;
import software.amazon.awscdk.services.iam.PolicyStatement;

/**
 * The IAM statements that give a function exactly its {@link Access} list: the named tables and their indexes,
 * the job objects of the bucket, the job workflows, the callbacks, the event bus and the programs' Lambda functions,
 * each with only the actions
 * its access level needs.
 */
final class AccessPolicies {
    /**
     * What reading a table takes: GetItem (a transaction's Get is authorised as GetItem too), Query, and BatchGetItem
     * (the program statistics' reads of the counters table).
     */
    static final List<String> TABLE_READ = List.of("dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem");
    /**
     * What reading an index takes: an index's ARN is a resource of its own, on which only Query and Scan act, and the
     * stores only query.
     */
    static final List<String> INDEX_READ = List.of("dynamodb:Query");
    /**
     * What adding to a job's usage item takes: UpdateItem on the jobs table, and only on items whose key starts with
     * the usage items' prefix ({@code dynamodb:LeadingKeys}, the partition key of the item a request acts on).
     */
    static final List<String> USAGE_TAIL_WRITE = List.of("dynamodb:UpdateItem");
    /** What reading every user's jobs at once takes (the administrators' usage report): a Scan of the jobs table. */
    static final List<String> EVERY_USERS_JOBS_READ = List.of("dynamodb:Scan");
    /** What writing a table adds (TransactWriteItems is authorised per item as these; BatchWriteItem deletes subjobs). */
    static final List<String> TABLE_WRITE = List.of("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
            "dynamodb:BatchWriteItem");
    /** Reading job objects; HeadObject and presigned GETs are authorised as GetObject. */
    static final List<String> OBJECT_READ = List.of("s3:GetObject");
    /**
     * Writing job objects; DeleteObjects is authorised per key as DeleteObject, presigned PUTs as PutObject, and so are
     * CreateMultipartUpload, UploadPart and CompleteMultipartUpload. ListParts and AbortMultipartUpload are actions
     * of their own.
     */
    static final List<String> OBJECT_WRITE = List.of("s3:PutObject", "s3:DeleteObject", "s3:ListMultipartUploadParts",
            "s3:AbortMultipartUpload");
    /** Finding the open multipart uploads under a prefix (ListMultipartUploads), for whoever may write objects. */
    static final List<String> BUCKET_WRITE = List.of("s3:ListBucketMultipartUploads");
    static final List<String> WORKFLOW_START = List.of("states:StartExecution");
    static final List<String> EXECUTION_STOP = List.of("states:StopExecution");
    static final List<String> EXECUTION_DESCRIBE = List.of("states:DescribeExecution");
    static final List<String> PROGRAM_FUNCTION_INVOKE = List.of("lambda:InvokeFunction");
    static final List<String> CALLBACKS = List.of("states:SendTaskSuccess", "states:SendTaskFailure",
            "states:SendTaskHeartbeat");

    private final Stack stack;
    private final Storage storage;
    private final IEventBus bus;
    private final List<StateMachineSpec> machines;
    private final ProgramRegistry programs;

    AccessPolicies(Stack stack, Storage storage, IEventBus bus, List<StateMachineSpec> machines, ProgramRegistry programs) {
        this.stack = stack;
        this.storage = storage;
        this.bus = bus;
        this.machines = machines;
        this.programs = programs;
    }

    /** The statements for one access of a function. */
    List<PolicyStatement> statements(Access access) {
        boolean write = access.write();
        return switch (access.resource()) {
            case JOBS_TABLE, SUBJOBS_TABLE, COUNTERS_TABLE, IDEMPOTENCY_TABLE, WAITLIST_TABLE, WORK_QUEUE_TABLE -> {
                Table table = storage.table(access.resource());
                List<PolicyStatement> statements = new ArrayList<>();
                statements.add(allow(write ? concat(TABLE_READ, TABLE_WRITE) : TABLE_READ, List.of(table.getTableArn())));
                TableSpec definition = storage.definition(access.resource());
                // Each index by name: no wildcard, and a new index is granted only when the catalogue adds it.
                List<String> indexes = definition.indexes().stream()
                        .map(index -> table.getTableArn() + "/index/" + index.name()).toList();
                if (!indexes.isEmpty()) {
                    statements.add(allow(INDEX_READ, indexes));
                }
                yield statements;
            }
            case EVERY_USERS_JOBS -> {
                if (write) {
                    throw new IllegalArgumentException("every user's jobs can only be read (Scan)");
                }
                yield List.of(allow(EVERY_USERS_JOBS_READ, List.of(storage.table(Resource.JOBS_TABLE).getTableArn())));
            }
            case JOB_USAGE_TAILS -> {
                if (!write) {
                    throw new IllegalArgumentException("the usage items are only added to; reading is the jobs table's");
                }
                yield List.of(PolicyStatement.Builder.create()
                        .actions(USAGE_TAIL_WRITE)
                        .resources(List.of(storage.table(Resource.JOBS_TABLE).getTableArn()))
                        .conditions(Map.of("ForAllValues:StringLike",
                                Map.of("dynamodb:LeadingKeys", List.of(UsageTailStore.KEY_PREFIX + "*"))))
                        .build());
            }
            case BUCKET -> List.of(
                    // Unconditional on the bucket (which holds nothing but jobs/): without it a read of a missing
                    // object is refused with 403 instead of answered with 404, and the stores rely on the 404.
                    allow(write ? concat(List.of("s3:ListBucket"), BUCKET_WRITE) : List.of("s3:ListBucket"),
                            List.of(storage.bucket().getBucketArn())),
                    allow(write ? concat(OBJECT_READ, OBJECT_WRITE) : OBJECT_READ,
                            List.of(storage.bucket().arnForObjects(Storage.JOBS_PREFIX + "*"))));
            // Jobs are read from DynamoDB, never from Step Functions (DescribeExecution is throttled): writing starts and
            // stops executions, and reading is the execution sweep's DescribeExecution of a suspect job's execution.
            case JOB_WORKFLOWS -> write
                    ? List.of(allow(WORKFLOW_START, machines.stream().map(m -> stateMachineArn(m.name())).toList()),
                            allow(EXECUTION_STOP, machines.stream().map(m -> executionsArn(m.name())).toList()))
                    : List.of(allow(EXECUTION_DESCRIBE, machines.stream().map(m -> executionsArn(m.name())).toList()));
            // SendTask* act on a task token, not on a resource: the Service Authorization Reference lists no
            // resource type for them, so IAM requires "*" here. The actions are only the three callbacks, and a
            // token is an unguessable capability issued to one waiting task.
            case WORKFLOW_CALLBACKS -> List.of(allow(CALLBACKS, List.of("*")));
            case EVENT_BUS -> {
                if (!write) {
                    throw new IllegalArgumentException("an event bus can only be written to (PutEvents)");
                }
                yield List.of(PolicyStatement.Builder.create()
                        .actions(List.of("events:PutEvents"))
                        .resources(List.of(bus.getEventBusArn()))
                        // Only the product's own events: a function cannot pose as another source on the bus.
                        .conditions(Map.of("StringEquals", Map.of("events:source", Catalogue.EVENT_SOURCE)))
                        .build());
            }
            case SPLITTER_FUNCTIONS -> programFunctions(ProgramOperation.SPLIT, write);
            case WORKER_FUNCTIONS -> programFunctions(ProgramOperation.WORK, write);
            case AGGREGATOR_FUNCTIONS -> programFunctions(ProgramOperation.AGGREGATE, write);
        };
    }

    /**
     * Invoking exactly the Lambda functions the registered programs name for {@code operation}; none when every program
     * runs it in Java. IAM matches a qualified invocation only against a qualified ARN, so a reference with an alias is
     * granted on that alias, and one without on the unqualified function ($LATEST) alone.
     */
    private List<PolicyStatement> programFunctions(ProgramOperation operation, boolean write) {
        if (!write) {
            throw new IllegalArgumentException("a program's functions can only be invoked, which is write access");
        }
        List<String> arns = programs.all().stream()
                .map(program -> program.function(operation))
                .filter(ProgramFunction::isLambda)
                .map(this::functionArn)
                .distinct()
                .toList();
        return arns.isEmpty() ? List.of() : List.of(allow(PROGRAM_FUNCTION_INVOKE, arns));
    }

    /** The ARN a program's function reference means: as written, or a name (and qualifier) in this stack's account and region. */
    String functionArn(ProgramFunction function) {
        if (function.isArn()) {
            return function.target();
        }
        return stack.formatArn(ArnComponents.builder()
                .service("lambda")
                .resource("function")
                .resourceName(function.target())
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    /** The ARN of the state machine called {@code name} in this stack's account and region. */
    String stateMachineArn(String name) {
        return stack.formatArn(ArnComponents.builder()
                .service("states")
                .resource("stateMachine")
                .resourceName(name)
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    /** Every execution of the state machine called {@code name}. */
    String executionsArn(String name) {
        return stack.formatArn(ArnComponents.builder()
                .service("states")
                .resource("execution")
                .resourceName(name + ":*")
                .arnFormat(ArnFormat.COLON_RESOURCE_NAME)
                .build());
    }

    /** The job state machines' ARN up to the program's name, as {@code CONVEYOR_WORKFLOW_ARN_PREFIX} carries it. */
    String workflowArnPrefix() {
        return stateMachineArn(Catalogue.WORKFLOW_PREFIX);
    }

    static PolicyStatement allow(List<String> actions, List<String> resources) {
        return PolicyStatement.Builder.create().actions(actions).resources(resources).build();
    }

    static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
