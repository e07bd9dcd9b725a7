package io.conveyor.cdk.iam;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.FunctionSpec;
import io.conveyor.deployment.Resource;
import io.conveyor.persistence.TableSpec;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The recorded calls ({@link RecordedCalls}) against a synthesized template's policies: which calls each role would
 * refuse, and which of its grants no call used.
 *
 * <p>The template's resources get the names the local runtime gave them (its tables, its bucket, each function its
 * catalogue name), in the recording's account and region, so a recorded ARN and a granted one are comparable. One
 * translation is needed: the local runtime renders the job workflow's {@code ${<Name>FunctionArn}} with each
 * function's unqualified ARN, the stack with its {@code live} alias; a state machine's invocation of a catalogue
 * function is evaluated as the invocation of what the stack substitutes for that function.
 */
public final class IamProof {
    /** The global condition keys of every call: the SDK always uses TLS. */
    private static final Map<String, String> GLOBAL_KEYS = Map.of("aws:SecureTransport", "true");

    private final JsonNode template;
    private final RecordedCalls recorded;
    private final CfnValues values;
    private final RolePolicies policies;
    private final Map<String, String> roleByCaller = new LinkedHashMap<>();
    private final Map<String, Map<String, String>> functionSubstitutions = new HashMap<>();

    public IamProof(JsonNode template, RecordedCalls recorded) {
        this.template = template;
        this.recorded = recorded;
        this.values = new CfnValues(template, recorded.account(), recorded.region(), physicalNames(template, recorded));
        this.policies = new RolePolicies(template, values);
        for (String function : values.ofType("AWS::Lambda::Function")) {
            catalogueName(function).ifPresent(name ->
                    roleByCaller.put("function:" + name, roleOf(resources().get(function).at("/Properties/Role"))));
        }
        for (String machine : values.ofType("AWS::StepFunctions::StateMachine")) {
            JsonNode properties = resources().get(machine).get("Properties");
            String name = values.text(properties.get("StateMachineName"));
            roleByCaller.put("stateMachine:" + name, roleOf(properties.get("RoleArn")));
            Map<String, String> substitutions = new HashMap<>();
            properties.path("DefinitionSubstitutions").fields()
                    .forEachRemaining(e -> substitutions.put(e.getKey(), values.text(e.getValue())));
            functionSubstitutions.put("stateMachine:" + name, substitutions);
        }
    }

    public CfnValues values() {
        return values;
    }

    /** Each caller the template has (every catalogue function, every job state machine) and its role's logical id. */
    public Map<String, String> roles() {
        return roleByCaller;
    }

    /** A recorded call the template's policies refuse. */
    public record Refusal(String caller, RecordedCalls.Request request, String evaluatedResource, String why) {
        @Override
        public String toString() {
            return caller + ": " + request.action() + " " + evaluatedResource + " (" + request.calls() + "): " + why;
        }
    }

    /** One action on one resource pattern that a role's Allow statement grants. */
    public record Grant(String caller, String action, String resource, Statement statement) {
        @Override
        public String toString() {
            return caller + " | " + action + " | " + resource;
        }
    }

    /** Every recorded call the deployed role of its caller would refuse (or whose caller the template lacks). */
    public List<Refusal> refusals() {
        List<Refusal> refusals = new ArrayList<>();
        recorded.callers().forEach((caller, requests) -> {
            String role = roleByCaller.get(caller);
            for (RecordedCalls.Request request : requests) {
                String resource = deployedResource(caller, request);
                if (role == null) {
                    refusals.add(new Refusal(caller, request, resource, "the template has no such caller"));
                    continue;
                }
                IamEvaluation.Decision decision = IamEvaluation.evaluate(policies.role(role),
                        policies.resourceDenies(resource), request.action(), resource, context(request));
                if (!decision.allowed()) {
                    refusals.add(new Refusal(caller, request, resource, decision.explicitlyDenied()
                            ? "explicitly denied by " + decision.decidedBy().source() : "no statement of role " + role + " allows it"));
                }
            }
        });
        return refusals;
    }

    /** Every grant of every caller's role that no recorded call of that caller used. */
    public List<Grant> unusedGrants() {
        List<Grant> unused = new ArrayList<>();
        roleByCaller.forEach((caller, role) -> {
            List<RecordedCalls.Request> requests = recorded.callers().getOrDefault(caller, List.of());
            for (Grant grant : grants(caller, policies.role(role))) {
                boolean used = requests.stream().anyMatch(r -> uses(grant, r, deployedResource(caller, r)));
                if (!used) {
                    unused.add(grant);
                }
            }
        });
        return unused;
    }

    /** The grants of a role's statements: each Allow statement's every action on every resource. */
    private static Set<Grant> grants(String caller, List<Statement> statements) {
        Set<Grant> grants = new LinkedHashSet<>();
        for (Statement s : statements) {
            if (!s.allow()) {
                continue;
            }
            if (s.notAction() || s.notResource()) {
                grants.add(new Grant(caller, (s.notAction() ? "not " : "") + s.actions(), (s.notResource() ? "not " : "")
                        + s.resources(), s));
                continue;
            }
            for (String action : s.actions()) {
                for (String resource : s.resources()) {
                    grants.add(new Grant(caller, action, resource, s));
                }
            }
        }
        return grants;
    }

    private static boolean uses(Grant grant, RecordedCalls.Request request, String resource) {
        Statement s = grant.statement();
        if (s.notAction() || s.notResource()) {
            return IamEvaluation.applies(s, request.action(), resource, context(request));
        }
        return IamEvaluation.matches(grant.action(), request.action(), true)
                && IamEvaluation.matches(grant.resource(), resource, false)
                && IamEvaluation.conditionsHold(s, context(request));
    }

    private static Map<String, String> context(RecordedCalls.Request request) {
        Map<String, String> context = new HashMap<>(GLOBAL_KEYS);
        context.putAll(request.conditionKeys());
        return context;
    }

    /** The resource a recorded request names on AWS (see the class comment on function invocations). */
    private String deployedResource(String caller, RecordedCalls.Request request) {
        String localFunction = "arn:aws:lambda:" + recorded.region() + ":" + recorded.account() + ":function:";
        if (caller.startsWith("stateMachine:") && request.action().equals("lambda:InvokeFunction")
                && request.resource().startsWith(localFunction)) {
            String name = request.resource().substring(localFunction.length());
            String substituted = functionSubstitutions.getOrDefault(caller, Map.of()).get(name + "FunctionArn");
            if (Catalogue.function(name).isPresent() && substituted != null) {
                return substituted;
            }
        }
        return request.resource();
    }

    private String roleOf(JsonNode roleArn) {
        if (!roleArn.has("Fn::GetAtt")) {
            throw new IllegalArgumentException("a role given other than by Fn::GetAtt: " + roleArn);
        }
        return roleArn.get("Fn::GetAtt").get(0).asText();
    }

    private JsonNode resources() {
        return template.get("Resources");
    }

    /** The catalogue name of a function resource, from its construct path {@code .../Functions/<name>/Resource}. */
    private java.util.Optional<String> catalogueName(String function) {
        String path = resources().get(function).at("/Metadata/aws:cdk:path").asText();
        return Catalogue.FUNCTIONS.stream().map(FunctionSpec::name)
                .filter(name -> path.endsWith("/Functions/" + name + "/Resource")).findFirst();
    }

    /** The local runtime's names for the catalogue's tables, the job bucket and the functions, by logical id. */
    static Map<String, String> physicalNames(JsonNode template, RecordedCalls recorded) {
        Map<String, String> names = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = template.get("Resources").fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            String path = e.getValue().at("/Metadata/aws:cdk:path").asText();
            for (TableSpec table : Catalogue.TABLES) {
                if (path.endsWith("/Storage/" + table.logicalName() + "Table/Resource")) {
                    names.put(e.getKey(), recorded.resourceNames().get(Resource.of(table).name()));
                }
            }
            if (path.endsWith("/Storage/JobsBucket/Resource")) {
                names.put(e.getKey(), recorded.resourceNames().get(Resource.BUCKET.name()));
            }
            for (FunctionSpec function : Catalogue.FUNCTIONS) {
                if (path.endsWith("/Functions/" + function.name() + "/Resource")) {
                    names.put(e.getKey(), function.name());
                }
            }
        }
        return names;
    }
}
