package io.conveyor.cdk;

import static io.conveyor.cdk.Synthesized.list;
import static io.conveyor.cdk.Synthesized.referenced;
import static io.conveyor.cdk.Synthesized.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.Definitions;
import io.conveyor.deployment.ExecutionRuleSpec;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.GatewayResponses;
import io.conveyor.deployment.Resource;
import io.conveyor.job.UsageTailStore;
import io.conveyor.deployment.RouteSpec;
import io.conveyor.deployment.StateMachineSpec;
import io.conveyor.persistence.IndexSpec;
import io.conveyor.persistence.StoredJson;
import io.conveyor.persistence.TableSpec;
import io.conveyor.program.ProgramRegistry;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import software.amazon.awscdk.assertions.Match;

/**
 * The synthesized template, resource by resource, against the deployment catalogue: what is deployed is what the
 * catalogue (and so the local runtime) says, with the properties that matter for security and operations.
 */
class ConveyorStackTest {
    private final Synthesized app = Synthesized.defaults();

    // ---- storage -------------------------------------------------------------------------------------------

    @Test
    void jobsBucket_isPrivate_encrypted_logged_andExpiresJobObjectsAsABackstop() {
        JsonNode bucket = app.resourceAt("AWS::S3::Bucket", "/Storage/JobsBucket/Resource").getValue().get("Properties");
        JsonNode block = bucket.get("PublicAccessBlockConfiguration");
        for (String setting : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertTrue(block.get(setting).asBoolean(), setting);
        }
        assertEquals("AES256", bucket.at("/BucketEncryption/ServerSideEncryptionConfiguration/0/ServerSideEncryptionByDefault/SSEAlgorithm").asText());
        assertEquals("BucketOwnerEnforced", bucket.at("/OwnershipControls/Rules/0/ObjectOwnership").asText());
        assertTrue(bucket.has("LoggingConfiguration"), "server access logging");

        JsonNode rule = bucket.at("/LifecycleConfiguration/Rules/0");
        assertEquals("jobs/", rule.get("Prefix").asText());
        assertEquals(90 + 30, rule.get("ExpirationInDays").asInt(), "maximum retention (P90D) plus the 30-day margin");
        assertEquals(1, rule.at("/AbortIncompleteMultipartUpload/DaysAfterInitiation").asInt());
        assertEquals("Enabled", rule.get("Status").asText());
        assertFalse(bucket.has("CorsConfiguration"), "no CORS unless conveyor:corsOrigins asks");
        assertEquals("Retain", app.resourceAt("AWS::S3::Bucket", "/Storage/JobsBucket/Resource").getValue().get("DeletionPolicy").asText());
    }

    @Test
    void everyBucket_deniesRequestsWithoutTls() {
        Map<String, JsonNode> policies = app.resources("AWS::S3::BucketPolicy");
        assertEquals(2, policies.size(), "the job bucket and its access-log bucket");
        for (JsonNode policy : policies.values()) {
            boolean denies = false;
            for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
                if (statement.get("Effect").asText().equals("Deny")
                        && statement.at("/Condition/Bool/aws:SecureTransport").asText().equals("false")
                        && statement.get("Action").asText().equals("s3:*")) {
                    denies = true;
                }
            }
            assertTrue(denies, "TLS-only policy on " + text(policy.at("/Properties/Bucket")));
        }
    }

    @Test
    void tables_areTheCataloguesTables_onDemand_withTtl_pitr_andTheirIndexes() {
        Map<String, JsonNode> tables = app.resources("AWS::DynamoDB::Table");
        assertEquals(Catalogue.TABLES.size(), tables.size());
        for (TableSpec definition : Catalogue.TABLES) {
            Map.Entry<String, JsonNode> entry = app.resourceAt("AWS::DynamoDB::Table",
                    "/Storage/" + definition.logicalName() + "Table/Resource");
            JsonNode table = entry.getValue().get("Properties");
            String name = definition.logicalName();
            assertEquals("PAY_PER_REQUEST", table.get("BillingMode").asText(), name);
            assertTrue(table.at("/PointInTimeRecoverySpecification/PointInTimeRecoveryEnabled").asBoolean(), name);
            assertTrue(table.at("/SSESpecification/SSEEnabled").asBoolean(), name);
            assertTrue(table.get("DeletionProtectionEnabled").asBoolean(), name);
            assertEquals("Retain", entry.getValue().get("DeletionPolicy").asText(), name);

            Map<String, String> keys = new LinkedHashMap<>();
            table.get("KeySchema").forEach(k -> keys.put(k.get("AttributeName").asText(), k.get("KeyType").asText()));
            Map<String, String> expectedKeys = new LinkedHashMap<>();
            expectedKeys.put(definition.partitionKey().name(), "HASH");
            definition.sortKey().ifPresent(k -> expectedKeys.put(k.name(), "RANGE"));
            assertEquals(expectedKeys, keys, name + " key schema");

            Map<String, String> attributes = new HashMap<>();
            table.get("AttributeDefinitions").forEach(a -> attributes.put(a.get("AttributeName").asText(), a.get("AttributeType").asText()));
            Map<String, String> expectedAttributes = new HashMap<>();
            definition.keyAttributes().forEach((k, type) -> expectedAttributes.put(k, type.code()));
            assertEquals(expectedAttributes, attributes, name + " attribute definitions");

            if (definition.ttlAttribute().isPresent()) {
                assertEquals(definition.ttlAttribute().get(), table.at("/TimeToLiveSpecification/AttributeName").asText(), name);
                assertTrue(table.at("/TimeToLiveSpecification/Enabled").asBoolean(), name);
            } else {
                assertFalse(table.has("TimeToLiveSpecification"), name);
            }

            Map<String, JsonNode> indexes = new HashMap<>();
            list(table.get("GlobalSecondaryIndexes")).forEach(i -> indexes.put(i.get("IndexName").asText(), i));
            assertEquals(definition.indexes().size(), indexes.size(), name + " indexes");
            for (IndexSpec index : definition.indexes()) {
                JsonNode gsi = indexes.get(index.name());
                assertNotNull(gsi, name + " index " + index.name());
                assertEquals(index.keysOnly() ? "KEYS_ONLY" : "ALL", gsi.at("/Projection/ProjectionType").asText());
                assertEquals(index.partitionKey().name(), gsi.at("/KeySchema/0/AttributeName").asText());
                assertEquals(index.sortKey().map(k -> k.name()).orElse(""), gsi.at("/KeySchema/1/AttributeName").asText());
            }
        }
    }

    // ---- functions -----------------------------------------------------------------------------------------

    @Test
    void theApiFunction_keepsConcurrencyOfItsOwn_soSubjobsNeverThrottleIt() {
        assertEquals(Catalogue.API_RESERVED_CONCURRENCY,
                function(Catalogue.API).at("/Properties/ReservedConcurrentExecutions").asInt());
    }

    @Test
    void theWorkerProtocol_hasAFunctionOfItsOwn_withItsOwnReserve_behindEveryWorkerRoute_andOnlyWhatThoseRoutesTouch() {
        assertEquals(Catalogue.WORKER_PROTOCOL_RESERVED_CONCURRENCY,
                function(Catalogue.WORKER_PROTOCOL).at("/Properties/ReservedConcurrentExecutions").asInt());
        for (RouteSpec route : Catalogue.ROUTES) {
            FunctionSpec serving = route.path().startsWith("/workers") ? Catalogue.WORKER_PROTOCOL : Catalogue.API;
            JsonNode method = app.resourceAt("AWS::ApiGateway::Method", "/JobApi/Api/Default" + route.path() + "/"
                    + route.method() + "/Resource").getValue();
            assertTrue(text(method.at("/Properties/Integration/Uri")).contains("Ref(" + aliasId(serving.name()) + ")"),
                    route + " integrates with " + serving.name());
        }
        // Long polls never hold the API's executions, and neither function keeps the other's grants.
        // The event bus for the workers' own events (WorkerRegistered, WorkerDied).
        assertEquals(Set.of("WORK_QUEUE_TABLE write", "JOBS_TABLE read", "BUCKET write", "WORKFLOW_CALLBACKS write",
                        "EVENT_BUS write"),
                accessOf(Catalogue.WORKER_PROTOCOL));
        assertFalse(accessOf(Catalogue.API).contains("WORK_QUEUE_TABLE write"), "the API no longer touches the work queue");
    }

    private static Set<String> accessOf(FunctionSpec spec) {
        Set<String> access = new TreeSet<>();
        spec.access().forEach(a -> access.add(a.resource().name() + (a.write() ? " write" : " read")));
        return access;
    }

    @Test
    void functions_areTheCataloguesFunctions_onArm64Java25_withTheirMemoryTimeoutAndHandler() {
        assertEquals(Catalogue.FUNCTIONS.size(), app.resources("AWS::Lambda::Function").size());
        for (FunctionSpec spec : Catalogue.FUNCTIONS) {
            JsonNode function = function(spec).get("Properties");
            assertEquals(spec.handler(), function.get("Handler").asText(), spec.name());
            assertEquals(spec.memoryMb(), function.get("MemorySize").asInt(), spec.name());
            assertEquals(spec.timeout().toSeconds(), function.get("Timeout").asLong(), spec.name());
            assertEquals("java25", function.get("Runtime").asText(), spec.name());
            assertEquals("arm64", function.at("/Architectures/0").asText(), spec.name());
            assertTrue(function.at("/Code/S3Key").asText().endsWith(".jar"), "the shaded jar is the code asset");
            assertEquals("PublishedVersions", function.at("/SnapStart/ApplyOn").asText(), spec.name());
            assertEquals(spec.reservedConcurrency().isPresent() ? spec.reservedConcurrency().getAsInt() : -1,
                    function.path("ReservedConcurrentExecutions").asInt(-1), spec.name() + "'s reserved concurrency");
            JsonNode logGroup = app.resources().get(referenced(function.at("/LoggingConfig/LogGroup")));
            assertEquals(30, logGroup.at("/Properties/RetentionInDays").asInt(), spec.name() + " log retention");
            assertEquals("JSON", function.at("/LoggingConfig/LogFormat").asText(), spec.name() + " log format");
            assertEquals("INFO", function.at("/LoggingConfig/ApplicationLogLevel").asText(), spec.name());
            assertEquals("INFO", function.at("/LoggingConfig/SystemLogLevel").asText(), spec.name());
        }
    }

    @Test
    void everyFunction_isPublished_andReachedThroughItsLiveAlias() {
        for (FunctionSpec spec : Catalogue.FUNCTIONS) {
            String functionId = app.resourceAt("AWS::Lambda::Function", "/Functions/" + spec.name() + "/Resource").getKey();
            JsonNode alias = alias(spec).getValue().get("Properties");
            assertEquals(Functions.ALIAS, alias.get("Name").asText());
            assertEquals(functionId, referenced(alias.get("FunctionName")));
            JsonNode version = app.resources().get(referenced(alias.get("FunctionVersion")));
            assertEquals("AWS::Lambda::Version", version.get("Type").asText());
            assertEquals(functionId, referenced(version.at("/Properties/FunctionName")));
        }
        // Every permission to invoke is on an alias, never on $LATEST.
        for (JsonNode permission : app.resources("AWS::Lambda::Permission").values()) {
            String target = referenced(permission.at("/Properties/FunctionName"));
            assertEquals("AWS::Lambda::Alias", app.resources().get(target).get("Type").asText(), permission.toString());
        }
    }

    @Test
    void everyFunction_getsTheCataloguesEnvironment_andTheQuotaAndRetentionSettings() {
        for (FunctionSpec spec : Catalogue.FUNCTIONS) {
            JsonNode variables = function(spec).at("/Properties/Environment/Variables");
            Map<Resource, String> placeholders = new HashMap<>();
            for (Resource r : Resource.values()) {
                placeholders.put(r, r.name());
            }
            Set<String> expected = new TreeSet<>(Catalogue.environment(spec, placeholders).keySet());
            expected.addAll(DeploymentOptions.defaults().functionSettings().keySet());
            if (spec.equals(Catalogue.API)) {
                // The API alone signs page tokens, with the key in the stack's generated secret.
                expected.add(Catalogue.PAGE_TOKEN_SECRET_SETTING);
                assertEquals(app.resourceAt("AWS::SecretsManager::Secret", "/PageTokenKey/Resource").getKey(),
                        referenced(variables.get(Catalogue.PAGE_TOKEN_SECRET_SETTING)));
            }
            Set<String> actual = new TreeSet<>();
            variables.fieldNames().forEachRemaining(actual::add);
            assertEquals(expected, actual, spec.name());

            assertEquals("5", variables.get("CONVEYOR_MAX_ACTIVE_JOBS_PER_USER").asText());
            assertEquals("10", variables.get("CONVEYOR_MAX_ACTIVE_JOBS_PER_PROGRAM").asText());
            assertEquals("100", variables.get("CONVEYOR_MAX_QUEUED_JOBS_PER_USER").asText());
            assertEquals("P7D", variables.get("CONVEYOR_DEFAULT_RETENTION").asText());
            assertEquals("P90D", variables.get("CONVEYOR_MAX_RETENTION").asText());
            assertEquals(Catalogue.EVENT_BUS, app.resources().get(referenced(variables.get("CONVEYOR_EVENT_BUS")))
                    .at("/Properties/Name").asText());
            assertEquals("conveyor-" + spec.name().toLowerCase(), variables.get("POWERTOOLS_SERVICE_NAME").asText());
            assertEquals(Catalogue.METRICS_NAMESPACE, variables.get("POWERTOOLS_METRICS_NAMESPACE").asText());
            assertEquals("arn:Ref(AWS::Partition):states:Ref(AWS::Region):Ref(AWS::AccountId):stateMachine:conveyor-job-",
                    text(variables.get("CONVEYOR_WORKFLOW_ARN_PREFIX")));
            for (TableSpec table : Catalogue.TABLES) {
                String tableId = app.resourceAt("AWS::DynamoDB::Table", "/Storage/" + table.logicalName() + "Table/Resource").getKey();
                assertEquals(tableId, referenced(variables.get(table.settingName())), table.settingName());
            }
            assertEquals(app.resourceAt("AWS::S3::Bucket", "/Storage/JobsBucket/Resource").getKey(),
                    referenced(variables.get("CONVEYOR_BUCKET")));
        }
    }

    @Test
    void functionRoles_grantExactlyTheCataloguesAccess_andNothingElse() {
        Map<String, Resource> tableIds = new HashMap<>();
        for (TableSpec table : Catalogue.TABLES) {
            tableIds.put(app.resourceAt("AWS::DynamoDB::Table", "/Storage/" + table.logicalName() + "Table/Resource").getKey(),
                    Resource.of(table));
        }
        String bucketId = app.resourceAt("AWS::S3::Bucket", "/Storage/JobsBucket/Resource").getKey();
        String busId = app.resources("AWS::Events::EventBus").keySet().iterator().next();
        String pageTokenKeyId = app.resourceAt("AWS::SecretsManager::Secret", "/PageTokenKey/Resource").getKey();

        for (FunctionSpec spec : Catalogue.FUNCTIONS) {
            // What the role may do, as "action on resource" facts, against what the access list implies.
            Set<String> granted = new TreeSet<>();
            String logGroupId = referenced(function(spec).at("/Properties/LoggingConfig/LogGroup"));
            for (JsonNode statement : statements(referenced(function(spec).at("/Properties/Role")))) {
                assertEquals("Allow", statement.get("Effect").asText());
                for (JsonNode resource : list(statement.get("Resource"))) {
                    String r = text(resource);
                    String kind;
                    String id = referenced(resource);
                    if (r.equals("*")) {
                        kind = "*";
                    } else if (id != null && tableIds.containsKey(id) && statement.has("Condition")) {
                        kind = "JOB_USAGE_TAILS";
                        assertEquals(Resource.JOBS_TABLE, tableIds.get(id));
                        assertEquals("[\"" + UsageTailStore.KEY_PREFIX + "*\"]", list(statement.at(
                                "/Condition/ForAllValues:StringLike/dynamodb:LeadingKeys")).toString(), statement.toString());
                    } else if (id != null && tableIds.containsKey(id)) {
                        kind = tableIds.get(id).name();
                    } else if (r.startsWith("GetAtt(") && tableIds.containsKey(r.substring(7, r.indexOf('.')))
                            && r.contains("/index/")) {
                        kind = tableIds.get(r.substring(7, r.indexOf('.'))).name() + "/index/" + r.substring(r.indexOf("/index/") + 7);
                    } else if (r.equals("GetAtt(" + bucketId + ".Arn)")) {
                        kind = "BUCKET";
                    } else if (r.equals("GetAtt(" + bucketId + ".Arn)/jobs/*")) {
                        kind = "BUCKET/jobs/*";
                    } else if (r.equals("GetAtt(" + busId + ".Arn)")) {
                        kind = "EVENT_BUS";
                        assertEquals(Catalogue.EVENT_SOURCE, statement.at("/Condition/StringEquals/events:source").asText());
                    } else if (pageTokenKeyId.equals(id)) {
                        kind = "PAGE_TOKEN_KEY";
                    } else if (r.equals("GetAtt(" + logGroupId + ".Arn)")) {
                        kind = "LOGS";
                    } else if (r.contains(":stateMachine:conveyor-job-")) {
                        kind = "stateMachine:" + r.substring(r.indexOf(":stateMachine:") + 14);
                    } else if (r.contains(":execution:conveyor-job-")) {
                        kind = "execution:" + r.substring(r.indexOf(":execution:") + 11);
                    } else {
                        throw new AssertionError(spec.name() + " is granted on an unexpected resource " + r);
                    }
                    for (JsonNode action : list(statement.get("Action"))) {
                        granted.add(action.asText() + " on " + kind);
                    }
                }
            }
            assertEquals(expectedGrants(spec), granted, spec.name());
        }
    }

    /** The facts {@link #functionRoles_grantExactlyTheCataloguesAccess_andNothingElse} expects, from the access list. */
    private static Set<String> expectedGrants(FunctionSpec spec) {
        Set<String> expected = new TreeSet<>();
        expected.add("logs:CreateLogStream on LOGS");
        expected.add("logs:PutLogEvents on LOGS");
        if (spec.equals(Catalogue.API)) {
            // The API reads the page-token key at start-up; no other function can.
            expected.add("secretsmanager:DescribeSecret on PAGE_TOKEN_KEY");
            expected.add("secretsmanager:GetSecretValue on PAGE_TOKEN_KEY");
        }
        List<String> machines = Catalogue.stateMachines(ProgramRegistry.samples()).stream().map(StateMachineSpec::name).toList();
        for (var access : spec.access()) {
            Resource r = access.resource();
            switch (r) {
                case JOBS_TABLE, SUBJOBS_TABLE, COUNTERS_TABLE, IDEMPOTENCY_TABLE, WAITLIST_TABLE, WORK_QUEUE_TABLE -> {
                    List<String> actions = new ArrayList<>(AccessPolicies.TABLE_READ);
                    if (access.write()) {
                        actions.addAll(AccessPolicies.TABLE_WRITE);
                    }
                    actions.forEach(a -> expected.add(a + " on " + r.name()));
                    Catalogue.TABLES.stream().filter(t -> Resource.of(t) == r).findFirst().orElseThrow().indexes()
                            .forEach(i -> AccessPolicies.INDEX_READ.forEach(a -> expected.add(a + " on " + r.name() + "/index/" + i.name())));
                }
                case EVERY_USERS_JOBS -> expected.add("dynamodb:Scan on JOBS_TABLE");
                case JOB_USAGE_TAILS -> expected.add("dynamodb:UpdateItem on JOB_USAGE_TAILS");
                case BUCKET -> {
                    expected.add("s3:ListBucket on BUCKET");
                    expected.add("s3:GetObject on BUCKET/jobs/*");
                    if (access.write()) {
                        expected.add("s3:PutObject on BUCKET/jobs/*");
                        expected.add("s3:DeleteObject on BUCKET/jobs/*");
                        expected.add("s3:ListMultipartUploadParts on BUCKET/jobs/*");
                        expected.add("s3:AbortMultipartUpload on BUCKET/jobs/*");
                        expected.add("s3:ListBucketMultipartUploads on BUCKET");
                    }
                }
                case JOB_WORKFLOWS -> {
                    for (String m : machines) {
                        if (access.write()) {
                            expected.add("states:StartExecution on stateMachine:" + m);
                            expected.add("states:StopExecution on execution:" + m + ":*");
                        } else {
                            expected.add("states:DescribeExecution on execution:" + m + ":*");
                        }
                    }
                }
                case WORKFLOW_CALLBACKS -> AccessPolicies.CALLBACKS.forEach(a -> expected.add(a + " on *"));
                case EVENT_BUS -> expected.add("events:PutEvents on EVENT_BUS");
                case SPLITTER_FUNCTIONS, WORKER_FUNCTIONS, AGGREGATOR_FUNCTIONS -> {
                    // The default deployment's programs run in Java: no function to invoke (ProgramFunctionGrantsTest).
                }
            }
        }
        return expected;
    }

    @Test
    void noIamStatement_grantsAWildcardAction_andResourceStarOnlyWhereAwsRequiresIt() {
        // The only actions AWS authorises solely on "*": task-token callbacks, X-Ray, and CloudWatch Logs delivery.
        Set<String> starOnly = new HashSet<>(AccessPolicies.CALLBACKS);
        starOnly.addAll(List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                "xray:GetSamplingTargets", "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
                "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
                "logs:DescribeResourcePolicies", "logs:DescribeLogGroups"));
        for (Map.Entry<String, JsonNode> policy : app.resources("AWS::IAM::Policy").entrySet()) {
            for (JsonNode statement : policy.getValue().at("/Properties/PolicyDocument/Statement")) {
                for (JsonNode action : list(statement.get("Action"))) {
                    assertFalse(action.asText().endsWith("*") && !action.asText().equals("kms:GenerateDataKey*"),
                            policy.getKey() + " grants the wildcard action " + action.asText());
                    boolean onStar = list(statement.get("Resource")).stream().anyMatch(r -> r.isTextual() && r.asText().equals("*"));
                    if (onStar) {
                        assertTrue(starOnly.contains(action.asText()), policy.getKey() + " grants " + action.asText() + " on *");
                    }
                }
            }
        }
    }

    // ---- state machines -----------------------------------------------------------------------------------

    @Test
    void stateMachines_oneStandardMachinePerProgram_loggedAndTraced() {
        List<StateMachineSpec> specs = Catalogue.stateMachines(ProgramRegistry.samples());
        assertEquals(specs.size(), app.resources("AWS::StepFunctions::StateMachine").size());
        for (StateMachineSpec spec : specs) {
            JsonNode machine = stateMachine(spec).get("Properties");
            assertEquals(spec.name(), machine.get("StateMachineName").asText());
            assertEquals("STANDARD", machine.get("StateMachineType").asText());
            assertTrue(machine.at("/TracingConfiguration/Enabled").asBoolean());
            assertEquals("ALL", machine.at("/LoggingConfiguration/Level").asText());
            assertTrue(machine.at("/LoggingConfiguration/IncludeExecutionData").asBoolean());
            JsonNode logGroup = app.resources().get(referenced(machine.at("/LoggingConfiguration/Destinations/0/CloudWatchLogsLogGroup/LogGroupArn")));
            assertEquals("/aws/vendedlogs/states/" + spec.name(), logGroup.at("/Properties/LogGroupName").asText());
        }
    }

    @Test
    void stateMachineDefinitions_areTheFileWithItsSubstitutionsApplied() throws Exception {
        for (StateMachineSpec spec : Catalogue.stateMachines(ProgramRegistry.samples())) {
            JsonNode machine = stateMachine(spec).get("Properties");
            // Inlined, not an S3 location: the template shows the definition.
            assertFalse(machine.has("DefinitionS3Location"));
            String deployed = machine.get("DefinitionString").asText();
            assertEquals(Definitions.load(spec.definition()), deployed, "the definition string is the file, verbatim");

            // CloudFormation applies DefinitionSubstitutions; the alias ARNs resolve at deploy time, so both sides
            // name each alias by its logical id.
            Map<String, String> substitutions = new HashMap<>();
            machine.get("DefinitionSubstitutions").fields().forEachRemaining(e -> substitutions.put(e.getKey(),
                    e.getValue().isTextual() ? e.getValue().asText() : "arn-of:" + referenced(e.getValue())));
            String asDeployed = Definitions.substitute(deployed, substitutions);
            String expected = Definitions.render(spec, function -> "arn-of:" + aliasId(function));
            assertEquals(StoredJson.MAPPER.readTree(expected), StoredJson.MAPPER.readTree(asDeployed), spec.name());

            assertEquals(spec.substitutions(f -> "arn-of:" + aliasId(f)), substitutions, spec.name());
        }
    }

    @Test
    void stateMachineRoles_invokeExactlyTheAliasesTheirDefinitionNames_andRunTheirOwnMapRuns() {
        for (StateMachineSpec spec : Catalogue.stateMachines(ProgramRegistry.samples())) {
            Set<String> granted = new TreeSet<>();
            for (JsonNode statement : statements(referenced(stateMachine(spec).at("/Properties/RoleArn")))) {
                for (JsonNode action : list(statement.get("Action"))) {
                    for (JsonNode resource : list(statement.get("Resource"))) {
                        String r = resource.isTextual() ? resource.asText()
                                : referenced(resource) != null && resource.has("Ref") ? "alias:" + referenced(resource) : text(resource);
                        if (action.asText().startsWith("xray:") || action.asText().startsWith("logs:")) {
                            continue; // checked by noIamStatement_..._ResourceStarOnlyWhereAwsRequiresIt
                        }
                        granted.add(action.asText() + " on " + r.replaceAll("^arn:Ref\\(AWS::Partition\\):states:Ref\\(AWS::Region\\):Ref\\(AWS::AccountId\\):", ""));
                    }
                }
            }
            Set<String> expected = new TreeSet<>();
            spec.functions().forEach(f -> expected.add("lambda:InvokeFunction on alias:" + aliasId(f)));
            String bucketId = app.resourceAt("AWS::S3::Bucket", "/Storage/JobsBucket/Resource").getKey();
            expected.add("s3:GetObject on GetAtt(" + bucketId + ".Arn)/jobs/*");
            expected.add("states:StartExecution on stateMachine:" + spec.name());
            for (String action : List.of("states:DescribeExecution", "states:StopExecution")) {
                expected.add(action + " on execution:" + spec.name() + "/*");
            }
            assertEquals(expected, granted, spec.name());
        }
    }

    // ---- API -----------------------------------------------------------------------------------------------

    @Test
    void api_servesEveryCatalogueRoute_underItsOperationName_throughItsFunctionsAlias_withIamAuthAndValidation() {
        Map<String, JsonNode> methods = app.resources("AWS::ApiGateway::Method");
        assertEquals(Catalogue.ROUTES.size(), methods.size());
        String validator = app.resources("AWS::ApiGateway::RequestValidator").keySet().iterator().next();
        JsonNode validatorProps = app.resources().get(validator).get("Properties");
        assertTrue(validatorProps.get("ValidateRequestBody").asBoolean());
        assertTrue(validatorProps.get("ValidateRequestParameters").asBoolean());
        for (RouteSpec route : Catalogue.ROUTES) {
            JsonNode method = app.resourceAt("AWS::ApiGateway::Method", "/JobApi/Api/Default" + route.path() + "/" + route.method()
                    + "/Resource").getValue().get("Properties");
            String where = route.toString();
            assertEquals(route.operation(), method.get("OperationName").asText(), where);
            assertEquals("AWS_IAM", method.get("AuthorizationType").asText(), where);
            assertEquals(validator, referenced(method.get("RequestValidatorId")), where);
            assertEquals("AWS_PROXY", method.at("/Integration/Type").asText(), where);
            assertTrue(text(method.at("/Integration/Uri")).contains("Ref(" + aliasId(route.function()) + ")"), where);
            if (route.path().contains("{id}")) {
                assertTrue(method.at("/RequestParameters/method.request.path.id").asBoolean(), where);
            }
        }
    }

    @Test
    void apiStage_logsAccess_throttles_andAUsagePlanMetersIt() {
        JsonNode stage = app.resources("AWS::ApiGateway::Stage").values().iterator().next().get("Properties");
        assertEquals(JobApi.STAGE, stage.get("StageName").asText());
        assertTrue(stage.at("/AccessLogSetting/Format").asText().contains("$context.requestId"));
        assertNotNull(referenced(stage.at("/AccessLogSetting/DestinationArn")));
        assertEquals("ERROR", stage.at("/MethodSettings/0/LoggingLevel").asText());
        assertEquals(50, stage.at("/MethodSettings/0/ThrottlingRateLimit").asInt());
        assertEquals(100, stage.at("/MethodSettings/0/ThrottlingBurstLimit").asInt());
        assertTrue(stage.get("TracingEnabled").asBoolean());

        JsonNode plan = app.resources("AWS::ApiGateway::UsagePlan").values().iterator().next().get("Properties");
        assertEquals(100000, plan.at("/Quota/Limit").asInt());
        assertEquals("DAY", plan.at("/Quota/Period").asText());
        assertEquals(50, plan.at("/Throttle/RateLimit").asInt());
        assertEquals(1, app.resources("AWS::ApiGateway::Account").size(), "the account's API Gateway logging role");
        app.template.hasResourceProperties("AWS::ApiGateway::GatewayResponse", Match.objectLike(Map.of(
                "ResponseType", "BAD_REQUEST_BODY", "StatusCode", "400")));
    }

    @Test
    void gatewayResponses_renderTheBodyTheLocalGatewayAnswers() {
        Map<String, JsonNode> byType = new java.util.HashMap<>();
        app.resources("AWS::ApiGateway::GatewayResponse").values()
                .forEach(r -> byType.put(r.at("/Properties/ResponseType").asText(), r.get("Properties")));
        for (String type : List.of("DEFAULT_4XX", "DEFAULT_5XX")) {
            String template = byType.get(type).at("/ResponseTemplates/application~1json").asText();
            for (GatewayResponses.Type answered : GatewayResponses.Type.values()) {
                // What API Gateway substitutes: the response type, and its message as a quoted JSON string.
                String rendered = template.replace("$context.error.responseType", answered.name())
                        .replace("$context.error.messageString", "\"" + answered.message() + "\"");
                assertEquals(GatewayResponses.body(answered), rendered, type + " for " + answered);
            }
        }
    }

    // ---- schedule, events, alarms, outputs ----------------------------------------------------------------

    @Test
    void cleanerSchedule_runsTheCleanersAlias_everyHourByDefault() {
        JsonNode rule = app.resourceAt("AWS::Events::Rule", "/" + Catalogue.CLEANER_SCHEDULE.name() + "/Resource").getValue().get("Properties");
        assertEquals(Catalogue.CLEANER_SCHEDULE.expression(), rule.get("ScheduleExpression").asText());
        assertEquals(aliasId(Catalogue.CLEANER.name()), referenced(rule.at("/Targets/0/Arn")));
        assertEquals(2, rule.at("/Targets/0/RetryPolicy/MaximumRetryAttempts").asInt());
    }

    @Test
    void workerSweep_runsTheSweepsAlias_everyMinute() {
        JsonNode rule = app.resourceAt("AWS::Events::Rule", "/" + Catalogue.WORKER_SWEEP_SCHEDULE.name() + "/Resource")
                .getValue().get("Properties");
        assertEquals("rate(1 minute)", rule.get("ScheduleExpression").asText());
        assertEquals(aliasId(Catalogue.WORKER_SWEEP.name()), referenced(rule.at("/Targets/0/Arn")));
    }

    @Test
    void executionEndedRule_sendsOnlyTheJobWorkflowsAbnormalEnds_toItsFunctionsAlias() {
        ExecutionRuleSpec spec = Catalogue.EXECUTION_ENDED_RULE;
        JsonNode rule = app.resourceAt("AWS::Events::Rule", "/" + spec.name() + "/Resource").getValue().get("Properties");
        assertTrue(rule.path("EventBusName").isMissingNode(), "Step Functions sends its events to the default bus");
        JsonNode pattern = rule.get("EventPattern");
        assertEquals(List.of("aws.states"), texts(pattern.get("source")));
        assertEquals(List.of("Step Functions Execution Status Change"), texts(pattern.get("detail-type")));
        assertEquals(List.of("FAILED", "TIMED_OUT", "ABORTED"), texts(pattern.at("/detail/status")));
        Set<String> machines = new TreeSet<>();
        pattern.at("/detail/stateMachineArn").forEach(arn -> machines.add(referenced(arn)));
        Set<String> expected = new TreeSet<>();
        Catalogue.stateMachines(ProgramRegistry.samples()).forEach(m -> expected.add(
                app.resourceAt("AWS::StepFunctions::StateMachine", "/Workflows/" + m.name() + "/Resource").getKey()));
        assertEquals(expected, machines, "every job workflow and nothing else (map runs' child executions are not jobs)");
        assertEquals(aliasId(Catalogue.EXECUTION_ENDED.name()), referenced(rule.at("/Targets/0/Arn")));
        assertEquals(185, rule.at("/Targets/0/RetryPolicy/MaximumRetryAttempts").asInt());
        assertEquals(24 * 3600, rule.at("/Targets/0/RetryPolicy/MaximumEventAgeInSeconds").asInt());
        app.template.hasResourceProperties("AWS::Lambda::Permission", Match.objectLike(Map.of(
                "Principal", "events.amazonaws.com",
                "FunctionName", Map.of("Ref", aliasId(Catalogue.EXECUTION_ENDED.name())))));
    }

    @Test
    void executionEndedRule_putsWhatItCannotDeliver_inAnEncryptedTlsOnlyQueue_withAnAlarmOnIt() {
        String ruleName = Catalogue.EXECUTION_ENDED_RULE.name();
        JsonNode rule = app.resourceAt("AWS::Events::Rule", "/" + ruleName + "/Resource").getValue().get("Properties");
        var queue = app.resourceAt("AWS::SQS::Queue", "/" + ruleName + "DeadLetters/Resource");
        assertEquals(queue.getKey(), referenced(rule.at("/Targets/0/DeadLetterConfig/Arn")));
        assertTrue(queue.getValue().at("/Properties/SqsManagedSseEnabled").asBoolean(), "encrypted at rest");
        assertEquals(14 * 86400, queue.getValue().at("/Properties/MessageRetentionPeriod").asInt());

        boolean tlsOnly = false;
        boolean eventsMaySend = false;
        for (JsonNode policy : app.resources("AWS::SQS::QueuePolicy").values()) {
            if (!list(policy.at("/Properties/Queues")).stream().map(Synthesized::referenced).toList().contains(queue.getKey())) {
                continue;
            }
            for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
                tlsOnly |= statement.get("Effect").asText().equals("Deny")
                        && statement.at("/Condition/Bool/aws:SecureTransport").asText().equals("false");
                eventsMaySend |= statement.get("Effect").asText().equals("Allow")
                        && statement.at("/Principal/Service").asText().equals("events.amazonaws.com")
                        && statement.get("Action").asText().equals("sqs:SendMessage")
                        && referenced(statement.at("/Condition/ArnEquals/aws:SourceArn")).equals(
                                app.resourceAt("AWS::Events::Rule", "/" + ruleName + "/Resource").getKey());
            }
        }
        assertTrue(tlsOnly, "the queue denies requests without TLS");
        assertTrue(eventsMaySend, "only this rule may send to the queue");

        JsonNode alarm = app.resources("AWS::CloudWatch::Alarm").values().stream()
                .filter(a -> a.at("/Properties/MetricName").asText().equals("ApproximateNumberOfMessagesVisible"))
                .findFirst().orElseThrow().get("Properties");
        assertEquals("AWS/SQS", alarm.get("Namespace").asText());
        assertEquals(queue.getKey(), referenced(alarm.at("/Dimensions/0/Value")));
        assertEquals(1, alarm.get("Threshold").asInt());
        assertEquals("GreaterThanOrEqualToThreshold", alarm.get("ComparisonOperator").asText());
    }

    @Test
    void executionSweepSchedule_runsTheSweepsAlias_andAnAlarmCountsTheJobsItEnded() {
        JsonNode rule = app.resourceAt("AWS::Events::Rule", "/" + Catalogue.EXECUTION_SWEEP_SCHEDULE.name() + "/Resource")
                .getValue().get("Properties");
        assertEquals("rate(10 minutes)", rule.get("ScheduleExpression").asText());
        assertEquals(aliasId(Catalogue.EXECUTION_SWEEP.name()), referenced(rule.at("/Targets/0/Arn")));
        app.template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", Catalogue.METRICS_NAMESPACE, "MetricName", "JobsEndedBySweep",
                "Dimensions", List.of(Map.of("Name", "Service", "Value", "conveyor-executionsweep")))));
    }

    @Test
    void eventBus_alertTopic_alarms_dashboard_andOutputs() {
        assertEquals(Catalogue.EVENT_BUS, app.resources("AWS::Events::EventBus").values().iterator().next().at("/Properties/Name").asText());

        JsonNode topic = app.resources("AWS::SNS::Topic").values().iterator().next().get("Properties");
        JsonNode key = app.resources().get(referenced(topic.get("KmsMasterKeyId")));
        assertTrue(key.at("/Properties/EnableKeyRotation").asBoolean());
        assertTrue(app.resources("AWS::SNS::Subscription").isEmpty(), "no e-mail unless conveyor:alertEmail");

        int functions = Catalogue.FUNCTIONS.size();
        int machines = Catalogue.stateMachines(ProgramRegistry.samples()).size();
        Map<String, JsonNode> alarms = app.resources("AWS::CloudWatch::Alarm");
        assertEquals(2 * functions + 2 * machines + 5, alarms.size(), "errors and throttles per function, failed and "
                + "timed-out per state machine, cleanup errors, schedule failures, API 5xx, undelivered execution "
                + "ends, jobs the sweep ended");
        String topicId = app.resources("AWS::SNS::Topic").keySet().iterator().next();
        for (JsonNode alarm : alarms.values()) {
            assertEquals(topicId, referenced(alarm.at("/Properties/AlarmActions/0")));
        }
        app.template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", Catalogue.METRICS_NAMESPACE, "MetricName", "CleanupErrors",
                "Dimensions", List.of(Map.of("Name", "Service", "Value", "conveyor-cleaner")))));
        app.template.hasResourceProperties("AWS::CloudWatch::Alarm", Match.objectLike(Map.of(
                "Namespace", "AWS/States", "MetricName", "ExecutionsFailed")));
        assertEquals(1, app.resources("AWS::CloudWatch::Dashboard").size());

        Set<String> outputs = new TreeSet<>();
        app.json.get("Outputs").fieldNames().forEachRemaining(outputs::add);
        Set<String> expected = new TreeSet<>(List.of("ApiUrl", "BucketName", "EventBusName", "EventBusArn", "AlertTopicArn",
                "WorkflowArnPrefix", "UsagePlanId", "DashboardName"));
        Catalogue.TABLES.forEach(t -> expected.add(t.logicalName() + "TableName"));
        assertEquals(expected, outputs);
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private JsonNode function(FunctionSpec spec) {
        return app.resourceAt("AWS::Lambda::Function", "/Functions/" + spec.name() + "/Resource").getValue();
    }

    private Map.Entry<String, JsonNode> alias(FunctionSpec spec) {
        return app.resourceAt("AWS::Lambda::Alias", "/Functions/" + spec.name() + "Alias/Resource");
    }

    private static List<String> texts(JsonNode array) {
        return list(array).stream().map(JsonNode::asText).toList();
    }

    private String aliasId(String function) {
        return alias(Catalogue.function(function).orElseThrow()).getKey();
    }

    private JsonNode stateMachine(StateMachineSpec spec) {
        return app.resourceAt("AWS::StepFunctions::StateMachine", "/Workflows/" + spec.name() + "/Resource").getValue();
    }

    /** Every statement of every policy attached to {@code roleId}. */
    private List<JsonNode> statements(String roleId) {
        List<JsonNode> statements = new ArrayList<>();
        JsonNode role = app.resources().get(roleId).get("Properties");
        assertFalse(role.has("ManagedPolicyArns"), roleId + " has managed policies");
        for (JsonNode policy : app.resources("AWS::IAM::Policy").values()) {
            for (JsonNode attached : list(policy.at("/Properties/Roles"))) {
                if (roleId.equals(referenced(attached))) {
                    policy.at("/Properties/PolicyDocument/Statement").forEach(statements::add);
                }
            }
        }
        return statements;
    }
}
