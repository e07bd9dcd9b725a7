package io.conveyor.local.runtime.iam;

/**
 * The ARNs IAM evaluates, in one account and region.
 *
 * @param region  the region of every regional ARN
 * @param account the account of every ARN that names one
 */
public record Arns(String region, String account) {
    public String table(String table) {
        return "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
    }

    public String index(String table, String index) {
        return table(table) + "/index/" + index;
    }

    public String bucket(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    public String object(String bucket, String key) {
        return bucket(bucket) + "/" + key;
    }

    /** A function by name, {@code name:qualifier} or ARN, as Lambda resolves it. */
    public String function(String nameOrArn) {
        return nameOrArn.startsWith("arn:") ? nameOrArn : "arn:aws:lambda:" + region + ":" + account + ":function:" + nameOrArn;
    }

    /** An event bus by name or ARN; no name is the account's default bus. */
    public String eventBus(String nameOrArn) {
        if (nameOrArn == null || nameOrArn.isEmpty()) {
            return eventBus("default");
        }
        return nameOrArn.startsWith("arn:") ? nameOrArn : "arn:aws:events:" + region + ":" + account + ":event-bus/" + nameOrArn;
    }
}
