package io.conveyor.worker;

import com.fasterxml.jackson.databind.JsonNode;
import io.conveyor.config.ConfigurationException;
import io.conveyor.persistence.StoredJson;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The worker identities a deployment allows: callers that may run external workers for other users' jobs, each for
 * the owners the deployment names (a render farm's account working for a team, say). A worker acts for the caller that
 * registers it and for every owner the deployment allows that caller; it sees and answers those owners' subjobs only.
 *
 * <p>Read from {@value #SETTING}: a JSON object from identity to the owners it may work for, such as
 * {@code {"render-farm": ["alice", "bob"]}}; none by default. Immutable.
 */
public final class WorkerIdentities {
    /** The setting, set by the CDK stack from the context value {@code conveyor:workerIdentities}. */
    public static final String SETTING = "CONVEYOR_WORKER_IDENTITIES";
    private static final int MAX_ID_LENGTH = 256;

    private final Map<String, Set<String>> allowed;

    private WorkerIdentities(Map<String, Set<String>> allowed) {
        this.allowed = allowed;
    }

    /** No identity works for anyone but itself. */
    public static WorkerIdentities none() {
        return new WorkerIdentities(Map.of());
    }

    /**
     * Reads {@value #SETTING} from {@code env}.
     *
     * @throws ConfigurationException naming what is wrong with the setting
     */
    public static WorkerIdentities from(Map<String, String> env) {
        String text = env.get(SETTING);
        if (text == null || text.isBlank()) {
            return none();
        }
        JsonNode root;
        try {
            root = StoredJson.MAPPER.readTree(text);
        } catch (java.io.IOException e) {
            throw problem("is not JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw problem("must be a JSON object from identity to the owners it works for, such as "
                    + "{\"render-farm\": [\"alice\", \"bob\"]}");
        }
        Map<String, Set<String>> allowed = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String identity = entry.getKey();
            checkId(identity, "an identity");
            if (!entry.getValue().isArray() || entry.getValue().isEmpty()) {
                throw problem("gives identity '" + identity + "' no owners: give it a list of the user ids it works for");
            }
            Set<String> owners = new LinkedHashSet<>();
            for (JsonNode owner : entry.getValue()) {
                if (!owner.isTextual()) {
                    throw problem("lists " + owner + " as an owner of identity '" + identity + "': owners are user ids (strings)");
                }
                checkId(owner.asText(), "an owner of identity '" + identity + "'");
                owners.add(owner.asText());
            }
            allowed.put(identity, Set.copyOf(owners));
        }
        return new WorkerIdentities(Map.copyOf(allowed));
    }

    /** The owners whose subjobs {@code caller}'s workers may take: the caller's own, then those the deployment allows it. */
    public List<String> ownersFor(String caller) {
        Set<String> owners = new LinkedHashSet<>();
        owners.add(caller);
        owners.addAll(allowed.getOrDefault(caller, Set.of()).stream().sorted().toList());
        return List.copyOf(owners);
    }

    private static void checkId(String id, String what) {
        if (id.isBlank() || id.length() > MAX_ID_LENGTH || id.chars().anyMatch(Character::isISOControl)) {
            throw problem("has " + what + " '" + id + "' that is no user id: 1 to " + MAX_ID_LENGTH
                    + " characters, no control characters");
        }
    }

    private static ConfigurationException problem(String what) {
        return new ConfigurationException(List.of(SETTING + " " + what));
    }
}
