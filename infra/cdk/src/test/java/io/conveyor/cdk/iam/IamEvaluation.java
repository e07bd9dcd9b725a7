package io.conveyor.cdk.iam;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * IAM's policy evaluation for one request within one account: an explicit Deny in any policy that applies wins;
 * else an Allow of the caller's identity policies allows; else it is implicitly denied. A statement applies when its
 * Action (or NotAction) matches the action, case-insensitively, its Resource (or NotResource) the resource ARN, with
 * {@code *} and {@code ?} wildcards, and every condition holds.
 *
 * <p>Conditions: the operators {@code String(Not)Equals(IgnoreCase)}, {@code String(Not)Like}, {@code Arn(Not)Equals},
 * {@code Arn(Not)Like}, {@code Bool} and {@code Null}, each also with {@code IfExists}; operators combine with AND,
 * keys with AND, a key's values with OR (a negated operator: none matches). A key the request does not carry fails
 * its condition, but passes with {@code IfExists} and under a negated operator, as in IAM. Any other operator (such
 * as the {@code ForAnyValue:} set operators) is refused by name, so a policy is never judged by a rule this class
 * does not have.
 */
public final class IamEvaluation {
    private IamEvaluation() {}

    /** The outcome, with the statement that decided it (none for an implicit deny). */
    public record Decision(boolean allowed, Statement decidedBy) {
        public boolean explicitlyDenied() {
            return !allowed && decidedBy != null;
        }
    }

    /**
     * @param identity     the statements of the caller's role
     * @param resourceDenies the Deny statements of the resource's own policy (a bucket policy), which apply too
     * @param context      the request's condition keys (service keys and the global ones such as
     *                     {@code aws:SecureTransport})
     */
    public static Decision evaluate(List<Statement> identity, List<Statement> resourceDenies, String action,
            String resource, Map<String, String> context) {
        for (List<Statement> policy : List.of(identity, resourceDenies)) {
            for (Statement s : policy) {
                if (!s.allow() && applies(s, action, resource, context)) {
                    return new Decision(false, s);
                }
            }
        }
        for (Statement s : identity) {
            if (s.allow() && applies(s, action, resource, context)) {
                return new Decision(true, s);
            }
        }
        return new Decision(false, null);
    }

    /** Whether {@code s} covers the request (its effect aside). */
    public static boolean applies(Statement s, String action, String resource, Map<String, String> context) {
        boolean actionMatches = s.actions().stream().anyMatch(a -> matches(a, action, true));
        boolean resourceMatches = s.resources().stream().anyMatch(r -> matches(r, resource, false));
        return actionMatches != s.notAction() && resourceMatches != s.notResource() && conditionsHold(s, context);
    }

    /** IAM's wildcards: {@code *} any run of characters, {@code ?} one; actions ignore case, ARNs do not. */
    public static boolean matches(String pattern, String value, boolean ignoreCase) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            regex.append(c == '*' ? ".*" : c == '?' ? "." : Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(regex.toString(), ignoreCase ? Pattern.CASE_INSENSITIVE : 0).matcher(value).matches();
    }

    static boolean conditionsHold(Statement s, Map<String, String> context) {
        for (Map.Entry<String, Map<String, List<String>>> operator : s.conditions().entrySet()) {
            for (Map.Entry<String, List<String>> key : operator.getValue().entrySet()) {
                if (!holds(operator.getKey(), context.get(key.getKey()), key.getValue())) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean holds(String operator, String value, List<String> expected) {
        if (operator.equals("Null")) {
            return expected.stream().anyMatch(e -> Boolean.parseBoolean(e) == (value == null));
        }
        boolean ifExists = operator.endsWith("IfExists");
        String base = ifExists ? operator.substring(0, operator.length() - "IfExists".length()) : operator;
        boolean negated = base.contains("Not");
        if (value == null) {
            return ifExists || negated;
        }
        boolean any = switch (base.replace("Not", "")) {
            case "StringEquals", "ArnEquals" -> expected.contains(value);
            case "StringEqualsIgnoreCase" -> expected.stream().anyMatch(e -> e.toLowerCase(Locale.ROOT).equals(value.toLowerCase(Locale.ROOT)));
            case "StringLike", "ArnLike" -> expected.stream().anyMatch(e -> matches(e, value, false));
            case "Bool" -> expected.stream().anyMatch(e -> e.equalsIgnoreCase(value));
            default -> throw new IllegalArgumentException("the condition operator " + operator + " is not evaluated: "
                    + "add it to " + IamEvaluation.class.getSimpleName());
        };
        return negated ? !any : any;
    }
}
