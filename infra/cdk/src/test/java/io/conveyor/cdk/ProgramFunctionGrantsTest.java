package io.conveyor.cdk;

import static io.conveyor.cdk.Synthesized.list;
import static io.conveyor.cdk.Synthesized.referenced;
import static io.conveyor.cdk.Synthesized.text;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.deployment.Catalogue;
import io.conveyor.deployment.FunctionSpec;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Programs written as Lambda functions: Split, RunSubJob and Aggregate may invoke exactly the functions the programs
 * name for their operation (a name resolved in the stack's account and region, its alias kept; an ARN as written),
 * and no other function may invoke any.
 */
class ProgramFunctionGrantsTest {
    /** A program of three Lambda functions, each named another way, and one that borrows its worker. */
    static final Map<String, Object> PROGRAM_FUNCTIONS = Map.of("conveyor:programs", """
            [{"name": "thumbnails", "splitter": "lambda:thumb-split", "worker": "lambda:thumb-work:live",
              "aggregator": "lambda:arn:aws:lambda:eu-west-1:123456789012:function:thumb-aggregate"},
             {"name": "mixed", "implementation": "java:io.conveyor.programs.primes.PrimesProgram",
              "worker": "lambda:thumb-work:live"}]""");

    private final Synthesized app = Synthesized.with(PROGRAM_FUNCTIONS);

    @Test
    void eachProgramStep_mayInvokeExactlyItsOperationsFunctions() {
        String here = "arn:Ref(AWS::Partition):lambda:Ref(AWS::Region):Ref(AWS::AccountId):function:";
        Map<String, Set<String>> expected = new TreeMap<>(Map.of(
                Catalogue.SPLIT.name(), Set.of(here + "thumb-split"),
                Catalogue.RUN_SUBJOB.name(), Set.of(here + "thumb-work:live"),
                Catalogue.AGGREGATE.name(), Set.of("arn:aws:lambda:eu-west-1:123456789012:function:thumb-aggregate")));
        Map<String, Set<String>> granted = new TreeMap<>();
        for (FunctionSpec spec : Catalogue.FUNCTIONS) {
            Set<String> invocable = invocable(spec);
            if (!invocable.isEmpty()) {
                granted.put(spec.name(), invocable);
            }
        }
        assertEquals(expected, granted);
    }

    /** The resources of every lambda:InvokeFunction statement of the function's role. */
    private Set<String> invocable(FunctionSpec spec) {
        String roleId = referenced(app.resourceAt("AWS::Lambda::Function", "/Functions/" + spec.name() + "/Resource")
                .getValue().at("/Properties/Role"));
        Set<String> resources = new TreeSet<>();
        for (JsonNode policy : app.resources("AWS::IAM::Policy").values()) {
            if (list(policy.at("/Properties/Roles")).stream().noneMatch(r -> roleId.equals(referenced(r)))) {
                continue;
            }
            for (JsonNode statement : policy.at("/Properties/PolicyDocument/Statement")) {
                if (list(statement.get("Action")).stream().anyMatch(a -> a.asText().equals("lambda:InvokeFunction"))) {
                    assertEquals(1, list(statement.get("Action")).size(), "invoking comes alone: " + statement);
                    list(statement.get("Resource")).forEach(r -> resources.add(text(r)));
                }
            }
        }
        return resources;
    }
}
