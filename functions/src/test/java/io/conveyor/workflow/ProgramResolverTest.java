package io.conveyor.workflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.conveyor.aws.AwsHttpService;
import io.conveyor.program.ProgramDefinition;
import io.conveyor.program.ReRegistrationPolicy;
import io.conveyor.program.RetryPolicy;
import io.conveyor.programs.JobInputs;
import io.conveyor.programs.Program;
import io.conveyor.programs.SubJobOutputs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AnonymousCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;

/** How a definition's three references become one program: Java classes shared, Lambda functions through one Lambda service. */
class ProgramResolverTest {
    private final AtomicInteger clientsBuilt = new AtomicInteger();
    private final ProgramResolver programs = new ProgramResolver(null, () -> {
        clientsBuilt.incrementAndGet();
        // Never called over the network here: the tests only resolve programs.
        return new AwsHttpService(AwsHttpService.Service.LAMBDA, Region.US_EAST_1, AnonymousCredentialsProvider.create(),
                UrlConnectionHttpClient.create(), AwsRetryStrategy.doNotRetry());
    });

    @Test
    void aJavaProgram_isItsClassesOneInstance_andBuildsNoLambdaService() {
        Program program = programs.of(definition("word-count", java(Splitter.class), java(Splitter.class), java(Splitter.class)));
        assertInstanceOf(Splitter.class, program);
        assertSame(program, programs.of(definition("other", java(Splitter.class), java(Splitter.class), java(Splitter.class))),
                "one instance per class, shared by the programs naming it");
        assertEquals(0, clientsBuilt.get());
    }

    @Test
    void eachOperation_runsWhatTheDefinitionNamesForIt_andOneLambdaServiceServesEveryProgram() throws Exception {
        Program mixed = programs.of(definition("mixed", java(Splitter.class), "lambda:mixed-work", java(Aggregator.class)));
        assertEquals(List.of(JsonNodeFactory.instance.textNode("split by Splitter")), mixed.split(null));
        assertEquals(JsonNodeFactory.instance.textNode("aggregated by Aggregator"), mixed.aggregate(null, null));
        programs.of(definition("all-lambda", "lambda:s", "lambda:w", "lambda:a"));
        assertEquals(1, clientsBuilt.get());
    }

    private static String java(Class<?> type) {
        return "java:" + type.getName();
    }

    private static ProgramDefinition definition(String name, String splitter, String worker, String aggregator) {
        return new ProgramDefinition(name, splitter, worker, aggregator, 2, RetryPolicy.DEFAULT, ReRegistrationPolicy.DEFAULT,
                0, Duration.ofSeconds(10), Duration.ofDays(1));
    }

    /** Says which class ran each operation. */
    public static class Splitter implements Program {
        @Override
        public List<JsonNode> split(JobInputs job) {
            return List.of(JsonNodeFactory.instance.textNode("split by " + getClass().getSimpleName()));
        }

        @Override
        public JsonNode work(JsonNode input, JobInputs job) {
            return JsonNodeFactory.instance.textNode("worked by " + getClass().getSimpleName());
        }

        @Override
        public JsonNode aggregate(SubJobOutputs outputs, JobInputs job) {
            return JsonNodeFactory.instance.textNode("aggregated by " + getClass().getSimpleName());
        }
    }

    public static class Aggregator extends Splitter {}
}
