package io.conveyor.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.conveyor.programs.DeclaredInput;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * A validated {@code POST /jobs} body. Parsing checks everything that can be checked without storage, and
 * says exactly which field is wrong and how; nothing is stored before it passes.
 *
 * @param program      the program name
 * @param parameters   the program's parameters, scalars as text
 * @param uploads      inputs the caller will upload through presigned URLs
 * @param inlineFiles  small inputs sent in the body
 * @param dependsOn    job ids that must succeed first
 * @param retention    how long to keep the job once terminal, when given
 * @param submit       whether to submit the job at once (only possible without uploads)
 */
public record CreateJobRequest(
        String program,
        Map<String, String> parameters,
        List<DeclaredInput> uploads,
        List<InlineFile> inlineFiles,
        List<String> dependsOn,
        Optional<Duration> retention,
        boolean submit) {

    /** An input file sent in the request body. */
    public record InlineFile(String name, byte[] content, String contentType) {}

    /** The limits a request is checked against. */
    public record Limits(int maxInputs, long maxInputSize, long maxInlineBytes, int maxDependencies,
            int maxParameters) {
        public static final Limits DEFAULT = new Limits(100, 5L * 1024 * 1024 * 1024, 4L * 1024 * 1024, 20, 50);
    }

    private static final Set<String> FIELDS =
            Set.of("program", "parameters", "inputs", "files", "dependsOn", "retention", "submit");
    private static final Set<String> INPUT_FIELDS = Set.of("name", "size", "contentType", "sha256");
    private static final Set<String> FILE_FIELDS = Set.of("name", "content", "contentBase64", "contentType");
    private static final Pattern SHA256 = Pattern.compile("[0-9a-fA-F]{64}");
    private static final Pattern PARAMETER_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9_.-]{0,63}");
    private static final Pattern CONTENT_TYPE = Pattern.compile("[\\w.+-]+/[\\w.+-]+(\\s*;.{0,100})?");
    private static final int MAX_NAME_LENGTH = 255;
    private static final int MAX_PARAMETER_LENGTH = 4096;

    /**
     * Checks and reads {@code body}.
     *
     * @throws ApiException 400 naming the first problem found
     */
    public static CreateJobRequest parse(JsonNode body, Limits limits) {
        if (body == null || !body.isObject()) {
            throw ApiException.badRequest("The body must be a JSON object such as {\"program\": \"primes\", \"parameters\": {...}}.");
        }
        rejectUnknownFields(body, FIELDS, "the body");

        JsonNode programNode = body.get("program");
        if (programNode == null || !programNode.isTextual() || programNode.asText().isBlank()) {
            throw ApiException.badRequest("'program' is required and must be the name of a registered program (see GET /programs).");
        }
        Map<String, String> parameters = parameters(body.get("parameters"), limits);
        List<DeclaredInput> uploads = uploads(body.get("inputs"), limits);
        List<InlineFile> files = inlineFiles(body.get("files"), limits);
        List<String> dependsOn = dependsOn(body.get("dependsOn"), limits);

        Set<String> names = new HashSet<>();
        for (String name : concat(uploads.stream().map(DeclaredInput::name).toList(), files.stream().map(InlineFile::name).toList())) {
            if (!names.add(name)) {
                throw ApiException.badRequest("Input name '" + name + "' is used twice: every input (in 'inputs' and 'files') needs its own name.");
            }
        }
        if (uploads.size() + files.size() > limits.maxInputs()) {
            throw ApiException.badRequest("At most " + limits.maxInputs() + " inputs are allowed per job; this request has "
                    + (uploads.size() + files.size()) + ".");
        }

        Optional<Duration> retention = Optional.empty();
        JsonNode retentionNode = body.get("retention");
        if (retentionNode != null && !retentionNode.isNull()) {
            if (!retentionNode.isTextual()) {
                throw ApiException.badRequest("'retention' must be an ISO-8601 duration string such as \"P7D\" or \"PT12H\".");
            }
            try {
                retention = Optional.of(Duration.parse(retentionNode.asText()));
            } catch (DateTimeParseException e) {
                throw ApiException.badRequest("'retention' must be an ISO-8601 duration such as \"P7D\" or \"PT12H\"; got '"
                        + retentionNode.asText() + "'.");
            }
        }
        JsonNode submitNode = body.get("submit");
        if (submitNode != null && !submitNode.isBoolean()) {
            throw ApiException.badRequest("'submit' must be true or false.");
        }
        boolean submit = submitNode != null && submitNode.asBoolean();
        if (submit && !uploads.isEmpty()) {
            throw ApiException.badRequest("'submit': true needs every input in 'files'; inputs listed in 'inputs' are uploaded "
                    + "afterwards, so submit with POST /jobs/{id}/submit once they are.");
        }
        return new CreateJobRequest(programNode.asText(), parameters, uploads, files, dependsOn, retention, submit);
    }

    private static Map<String, String> parameters(JsonNode node, Limits limits) {
        Map<String, String> parameters = new LinkedHashMap<>();
        if (node == null || node.isNull()) {
            return parameters;
        }
        if (!node.isObject()) {
            throw ApiException.badRequest("'parameters' must be a JSON object of names to strings, numbers or booleans.");
        }
        if (node.size() > limits.maxParameters()) {
            throw ApiException.badRequest("At most " + limits.maxParameters() + " parameters are allowed; got " + node.size() + ".");
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (!PARAMETER_NAME.matcher(field.getKey()).matches()) {
                throw ApiException.badRequest("Parameter name '" + printable(field.getKey())
                        + "' must start with a letter and hold only letters, digits, '_', '.' or '-' (at most 64).");
            }
            JsonNode value = field.getValue();
            if (!value.isValueNode() || value.isNull()) {
                throw ApiException.badRequest("Parameter '" + field.getKey() + "' must be a string, number or boolean, not "
                        + value.getNodeType().name().toLowerCase() + ".");
            }
            String text = value.asText();
            if (text.length() > MAX_PARAMETER_LENGTH) {
                throw ApiException.badRequest("Parameter '" + field.getKey() + "' is longer than " + MAX_PARAMETER_LENGTH + " characters.");
            }
            parameters.put(field.getKey(), text);
        }
        return parameters;
    }

    private static List<DeclaredInput> uploads(JsonNode node, Limits limits) {
        List<DeclaredInput> inputs = new ArrayList<>();
        for (JsonNode input : array(node, "inputs", limits.maxInputs())) {
            String where = "inputs[" + inputs.size() + "]";
            if (!input.isObject()) {
                throw ApiException.badRequest("'" + where + "' must be an object with 'name' and 'size'.");
            }
            rejectUnknownFields(input, INPUT_FIELDS, "'" + where + "'");
            String name = fileName(input.get("name"), where);
            JsonNode size = input.get("size");
            if (size == null || !size.canConvertToLong() || !size.isIntegralNumber() || size.asLong() < 0) {
                throw ApiException.badRequest("'" + where + ".size' is required: the exact size in bytes, a whole number of 0 or more.");
            }
            if (size.asLong() > limits.maxInputSize()) {
                throw ApiException.badRequest("Input '" + name + "' declares " + size.asLong() + " bytes; the largest allowed is "
                        + limits.maxInputSize() + " bytes.");
            }
            String sha256 = optionalText(input.get("sha256"), where + ".sha256");
            if (sha256 != null && !SHA256.matcher(sha256).matches()) {
                throw ApiException.badRequest("'" + where + ".sha256' must be the 64 hex digits of the file's SHA-256.");
            }
            inputs.add(new DeclaredInput(name, size.asLong(), contentType(input.get("contentType"), where),
                    sha256 == null ? null : sha256.toLowerCase()));
        }
        return inputs;
    }

    private static List<InlineFile> inlineFiles(JsonNode node, Limits limits) {
        List<InlineFile> files = new ArrayList<>();
        long total = 0;
        for (JsonNode file : array(node, "files", limits.maxInputs())) {
            String where = "files[" + files.size() + "]";
            if (!file.isObject()) {
                throw ApiException.badRequest("'" + where + "' must be an object with 'name' and 'content' (or 'contentBase64').");
            }
            rejectUnknownFields(file, FILE_FIELDS, "'" + where + "'");
            String name = fileName(file.get("name"), where);
            String text = optionalText(file.get("content"), where + ".content");
            String base64 = optionalText(file.get("contentBase64"), where + ".contentBase64");
            if ((text == null) == (base64 == null)) {
                throw ApiException.badRequest("'" + where + "' needs exactly one of 'content' (UTF-8 text) or 'contentBase64'.");
            }
            byte[] content;
            try {
                content = text != null ? text.getBytes(StandardCharsets.UTF_8) : Base64.getDecoder().decode(base64);
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("'" + where + ".contentBase64' is not valid base64.");
            }
            total += content.length;
            if (total > limits.maxInlineBytes()) {
                throw ApiException.badRequest("Inline files may hold at most " + limits.maxInlineBytes()
                        + " bytes in all; upload larger inputs through 'inputs' and the presigned URLs instead.");
            }
            String contentType = contentType(file.get("contentType"), where);
            files.add(new InlineFile(name, content, contentType == null ? "application/octet-stream" : contentType));
        }
        return files;
    }

    private static List<String> dependsOn(JsonNode node, Limits limits) {
        List<String> ids = new ArrayList<>();
        for (JsonNode id : array(node, "dependsOn", limits.maxDependencies())) {
            if (!id.isTextual() || id.asText().isBlank()) {
                throw ApiException.badRequest("'dependsOn' must be a list of job ids (strings).");
            }
            if (ids.contains(id.asText())) {
                throw ApiException.badRequest("'dependsOn' names job " + id.asText() + " twice.");
            }
            ids.add(id.asText());
        }
        return ids;
    }

    private static List<JsonNode> array(JsonNode node, String field, int max) {
        List<JsonNode> items = new ArrayList<>();
        if (node == null || node.isNull()) {
            return items;
        }
        if (!node.isArray()) {
            throw ApiException.badRequest("'" + field + "' must be a JSON array.");
        }
        if (node.size() > max) {
            throw ApiException.badRequest("'" + field + "' may hold at most " + max + " entries; got " + node.size() + ".");
        }
        node.forEach(items::add);
        return items;
    }

    /** A plain file name: it becomes part of an object key, so nothing that could climb out of the job's prefix. */
    private static String fileName(JsonNode node, String where) {
        if (node == null || !node.isTextual() || node.asText().isEmpty()) {
            throw ApiException.badRequest("'" + where + ".name' is required: a file name such as \"part-1.txt\".");
        }
        String name = node.asText();
        if (name.length() > MAX_NAME_LENGTH) {
            throw ApiException.badRequest("Input name '" + name.substring(0, 40) + "...' is longer than " + MAX_NAME_LENGTH + " characters.");
        }
        if (name.contains("/") || name.contains("\\")) {
            throw ApiException.badRequest("Input name '" + printable(name) + "' must be a plain file name, without '/' or '\\'.");
        }
        if (name.equals(".") || name.equals("..") || name.contains("..")) {
            throw ApiException.badRequest("Input name '" + printable(name) + "' must not contain '..'.");
        }
        if (name.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw ApiException.badRequest("Input name '" + printable(name) + "' must not contain control characters.");
        }
        return name;
    }

    private static String contentType(JsonNode node, String where) {
        String value = optionalText(node, where + ".contentType");
        if (value != null && !CONTENT_TYPE.matcher(value).matches()) {
            throw ApiException.badRequest("'" + where + ".contentType' must be a media type such as \"text/plain\".");
        }
        return value;
    }

    private static String optionalText(JsonNode node, String where) {
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest("'" + where + "' must be a string.");
        }
        return node.asText();
    }

    private static void rejectUnknownFields(JsonNode object, Set<String> known, String where) {
        for (Iterator<String> it = ((ObjectNode) object).fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!known.contains(field)) {
                throw ApiException.badRequest("Unknown field '" + printable(field) + "' in " + where + "; known fields: "
                        + known.stream().sorted().toList() + ".");
            }
        }
    }

    /** Control characters are shown escaped, so an error message never carries them into a terminal or log. */
    static String printable(String s) {
        StringBuilder out = new StringBuilder();
        s.codePoints().limit(80).forEach(c -> out.append(c < 0x20 || c == 0x7f ? String.format("\\u%04x", c) : Character.toString(c)));
        return out.toString();
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
