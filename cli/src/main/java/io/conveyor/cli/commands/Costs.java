package io.conveyor.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/** Usage and cost as the API shows them ({@code Usage} and {@code Cost} in openapi.yaml), in one line each. */
final class Costs {
    private Costs() {}

    /** {@code $0.00032145}, or "-" when the API gave none. */
    static String dollars(JsonNode amount) {
        return amount.isNumber() ? "$" + amount.decimalValue().toPlainString() : "-";
    }

    /** The total and each category, with the date of the prices. */
    static String cost(JsonNode cost) {
        return dollars(cost.path("total")) + " (Step Functions " + dollars(cost.path("stepFunctions")) + ", Lambda "
                + dollars(cost.path("lambda")) + ", DynamoDB " + dollars(cost.path("dynamoDb")) + ", S3 requests "
                + dollars(cost.path("s3Requests")) + ", S3 storage " + dollars(cost.path("s3Storage")) + ", EventBridge "
                + dollars(cost.path("eventBridge")) + "; prices of " + cost.path("priceDate").asText("?") + ")";
    }

    /** What was consumed, in the units AWS bills. */
    static String usage(JsonNode u) {
        return String.format(Locale.ROOT, "%d state transitions, %d Lambda invocations (%.3f GB-s), %s read and %s write "
                        + "units, S3 %d PUT/LIST and %d GET requests, %s stored, %d events",
                u.path("stateTransitions").asLong(), u.path("lambdaInvocations").asLong(),
                u.path("lambdaGbSeconds").asDouble(), units(u.path("dynamoDbReadUnits")), units(u.path("dynamoDbWriteUnits")),
                u.path("s3ClassARequests").asLong(), u.path("s3ClassBRequests").asLong(),
                io.conveyor.cli.output.Format.bytes(u.path("s3BytesStored").asLong()), u.path("eventBridgeEvents").asLong());
    }

    private static String units(JsonNode n) {
        return n.decimalValue().stripTrailingZeros().toPlainString();
    }
}
