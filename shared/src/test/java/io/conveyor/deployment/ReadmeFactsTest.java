package io.conveyor.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.conveyor.persistence.IndexSpec;
import io.conveyor.persistence.KeyAttributeSpec;
import io.conveyor.persistence.TableSpec;
import io.conveyor.storage.JobObjectLayout;
import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The root README's tables say what the code does: its storage tables are {@link Catalogue#TABLES}, its object
 * layout is {@link JobObjectLayout}'s, its routes are {@link Catalogue#ROUTES} with their success statuses, and its
 * configuration names every resource variable the functions are given.
 */
class ReadmeFactsTest {
    private static final Pattern TICKED = Pattern.compile("`([^`]+)`");
    private static String readme;

    @BeforeAll
    static void read() throws IOException {
        readme = Files.readString(Path.of("..", "README.md"));
    }

    @Test
    void storageDesign_countsAndDescribesEveryTable_keysIndexesAndTtl() {
        List<String> documented = new ArrayList<>();
        for (List<String> row : table("## Storage design", "| table | key | indexes | TTL | serves |")) {
            documented.add(row.get(0).replaceAll("[`()]", "") + " | key " + ticked(row.get(1)) + " | " + indexes(row.get(2))
                    + " | TTL " + ticked(row.get(3)));
        }
        List<String> defined = Catalogue.TABLES.stream().map(ReadmeFactsTest::describe).toList();
        assertEquals(defined, documented);
        String count = List.of("No", "One", "Two", "Three", "Four", "Five", "Six", "Seven", "Eight").get(defined.size());
        assertTrue(readme.contains("\n" + count + " DynamoDB tables"), "the storage design says there are " + count + " tables");
    }

    @Test
    void objectLayout_listsEveryKeyJobObjectLayoutGives_andNoOther() {
        int intro = readme.indexOf("under one prefix (`JobObjectLayout`)");
        assertTrue(intro >= 0, "the README introduces the object layout as under one prefix (`JobObjectLayout`)");
        int start = readme.indexOf("```\n", intro) + "```\n".length();
        String block = readme.substring(start, readme.indexOf("```", start));
        assertEquals(layoutKeys(), new TreeSet<>(block.lines().map(String::strip).toList()));
    }

    @Test
    void routesTable_listsEveryCatalogueRoute_withItsSuccessStatuses() {
        Map<String, Set<Integer>> documented = new TreeMap<>();
        Pattern leadingStatus = Pattern.compile("(?:^|;\\s*)([1-5]\\d\\d)\\b");
        for (List<String> row : table("## The job API", "| route | success | refusals |")) {
            Set<Integer> statuses = new TreeSet<>();
            Matcher m = leadingStatus.matcher(row.get(1));
            while (m.find()) {
                statuses.add(Integer.parseInt(m.group(1)));
            }
            ticked(row.get(0)).forEach(route -> documented.put(route, statuses));
        }
        Map<String, Set<Integer>> catalogued = new TreeMap<>();
        Catalogue.ROUTES.forEach(r -> catalogued.put(r.toString(), new TreeSet<>(r.successStatuses())));
        assertEquals(catalogued, documented);
    }

    @Test
    void configuration_namesEveryResourceVariableTheFunctionsAreGiven() {
        Set<String> documented = new TreeSet<>();
        table("## Configuration", "| variable | default | meaning |").forEach(row -> documented.addAll(ticked(row.get(0))));
        Set<String> given = new TreeSet<>();
        Arrays.stream(Resource.values()).map(Resource::settingName).filter(n -> n != null).forEach(given::add);
        Catalogue.TABLES.forEach(t -> given.add(t.settingName()));
        given.addAll(Set.of(Catalogue.PAGE_TOKEN_SECRET_SETTING, Catalogue.PAGE_TOKEN_KEY_SETTING));
        given.removeAll(documented);
        assertEquals(Set.of(), given, "variables the README's configuration table does not name");
    }

    /** A table row as the README writes it: {@code Jobs CONVEYOR_JOBS_TABLE | key [jobId] | byOwner: [owner, createdKey] | TTL [deleteAfter]}. */
    private static String describe(TableSpec table) {
        List<String> indexes = table.indexes().stream().map(ReadmeFactsTest::describe).toList();
        return table.logicalName() + " " + table.settingName() + " | key " + keys(table.partitionKey(), table.sortKey())
                + " | " + (indexes.isEmpty() ? "none" : String.join("; ", indexes))
                + " | TTL " + table.ttlAttribute().map(List::of).orElse(List.of());
    }

    private static String describe(IndexSpec index) {
        return index.name() + (index.keysOnly() ? " (keys only)" : "") + ": " + keys(index.partitionKey(), index.sortKey());
    }

    private static List<String> keys(KeyAttributeSpec partition, java.util.Optional<KeyAttributeSpec> sort) {
        return Stream.concat(Stream.of(partition), sort.stream()).map(KeyAttributeSpec::name).toList();
    }

    /** {@code `byExpiry` (keys only): `expiryShard` / `expiresAt`; ...} as {@link #describe(IndexSpec)} writes it. */
    private static String indexes(String cell) {
        if (cell.equals("none")) {
            return cell;
        }
        List<String> indexes = new ArrayList<>();
        for (String index : cell.split(";\\s*")) {
            String[] nameAndKeys = index.split(":", 2);
            List<String> name = ticked(nameAndKeys[0]);
            indexes.add(name.get(0) + (nameAndKeys[0].contains("(keys only)") ? " (keys only)" : "") + ": "
                    + ticked(nameAndKeys[1]));
        }
        return String.join("; ", indexes);
    }

    /**
     * Every object key {@link JobObjectLayout} makes, with its parts named as the README names them: each public
     * static method that makes a key from a job id (and a name, or an attempt and a subjob index) is called with
     * sample values, which are then replaced by {@code {jobId}}, {@code {name}}, {@code {n}} and {@code {index}}.
     * Prefixes (keys ending in {@code /}) are not objects.
     */
    private static Set<String> layoutKeys() {
        Set<String> keys = new TreeSet<>();
        for (Method method : JobObjectLayout.class.getMethods()) {
            if (!Modifier.isStatic(method.getModifiers()) || method.getReturnType() != String.class) {
                continue;
            }
            Object[] arguments = new Object[method.getParameterCount()];
            int ints = 0;
            for (int i = 0; i < arguments.length; i++) {
                Class<?> type = method.getParameterTypes()[i];
                arguments[i] = type == int.class ? (ints++ == 0 ? 7 : 3) : (i == 0 ? "JOBID" : "NAME");
            }
            String key;
            try {
                key = (String) method.invoke(null, arguments);
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(method + " could not be called with sample values", e);
            }
            if (!key.endsWith("/")) {
                keys.add(key.replace("JOBID", "{jobId}").replace("NAME", "{name}").replace("/7/", "/{n}/")
                        .replace("/3/", "/{index}/"));
            }
        }
        return keys;
    }

    private static List<String> ticked(String text) {
        List<String> ticked = new ArrayList<>();
        Matcher m = TICKED.matcher(text);
        while (m.find()) {
            ticked.add(m.group(1));
        }
        return ticked;
    }

    /** The body rows of the first README table in {@code section} whose header is {@code header}, each a list of its cells. */
    private static List<List<String>> table(String section, String header) {
        int start = readme.indexOf(header + "\n", readme.indexOf("\n" + section + "\n"));
        assertTrue(readme.contains("\n" + section + "\n") && start >= 0, "the README has a table headed " + header + " in " + section);
        List<List<String>> rows = new ArrayList<>();
        List<String> lines = readme.substring(start).lines().skip(2).takeWhile(l -> l.startsWith("|")).toList();
        for (String line : lines) {
            String inner = line.substring(1, line.length() - 1);
            rows.add(Arrays.stream(inner.split(" \\| ")).map(String::strip).toList());
        }
        return rows;
    }
}
