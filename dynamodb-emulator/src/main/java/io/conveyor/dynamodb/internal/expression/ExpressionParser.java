package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import io.conveyor.dynamodb.internal.expression.ConditionNode.Comparator;
import io.conveyor.dynamodb.internal.expression.Syntax.Kind;
import io.conveyor.dynamodb.internal.expression.Syntax.Token;
import io.conveyor.dynamodb.internal.value.AttributeValues;
import io.conveyor.dynamodb.internal.value.ItemSize;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * A recursive-descent parser for one expression (condition, filter, key condition, projection or update). A
 * syntax error ends parsing at once; other problems are collected and the one AWS reports first is thrown when
 * the expression has been read to its end.
 */
final class ExpressionParser {
    /** AWS's limit on the length of one expression, in bytes. */
    static final int MAX_EXPRESSION_BYTES = 4096;
    /** AWS's limit on the operators and functions in one expression. */
    static final int MAX_OPERATORS = 300;
    /**
     * How deeply parentheses and NOTs may nest before the parser stops (to keep its stack small). Within the
     * operator limit a deeper expression can only be redundant parentheses, so that is the error it gets.
     */
    static final int MAX_DEPTH = 400;
    /** AWS's limit on the depth of a document path (its names and indexes). */
    static final int MAX_PATH_DEPTH = 32;
    /** AWS's limit on the operands of IN, the value tested included. */
    static final int MAX_IN_OPERANDS = 100;

    // The order in which AWS reports problems found in one expression: the lowest first.
    private static final int REDUNDANT_PARENTHESES = 0;
    private static final int UNKNOWN_FUNCTION = 1;
    private static final int MISUSED_FUNCTION = 2;
    private static final int RESERVED_WORD = 3;
    private static final int UNDEFINED_PLACEHOLDER = 4;
    private static final int OPERAND_COUNT = 5;
    private static final int SAME_OPERANDS = 6;
    private static final int OPERAND_TYPE = 7;

    private static final JsonNode UNDEFINED = AttributeValues.of("NULL", BooleanNode.TRUE);
    private static final List<String> TYPE_NAMES = List.of("S", "N", "B", "SS", "NS", "BS", "BOOL", "NULL", "L", "M");

    private final String label;
    private final String source;
    private final List<Token> tokens;
    private final Placeholders placeholders;
    private final boolean update;
    private final List<Path> paths = new ArrayList<>();
    private final Set<ConditionNode> parenthesised = Collections.newSetFromMap(new IdentityHashMap<>());
    private int position;
    private int depth;
    private int operators;
    private int problemRank = Integer.MAX_VALUE;
    private String problem;

    /**
     * @param label  the request parameter, as messages name it ({@code ConditionExpression})
     * @param update whether this is an UpdateExpression (which alone allows if_not_exists, list_append, + and -)
     */
    ExpressionParser(String label, String source, Placeholders placeholders, boolean update) {
        this.label = label;
        this.source = source;
        this.placeholders = placeholders;
        this.update = update;
        int bytes = ItemSize.utf8Length(source);
        if (bytes > MAX_EXPRESSION_BYTES) {
            throw Syntax.invalid(label,
                    "Expression size has exceeded the maximum allowed size; expression size: " + bytes);
        }
        if (source.isBlank()) {
            throw Syntax.invalid(label, "The expression can not be empty;");
        }
        this.tokens = Syntax.tokenize(source);
    }

    /** Every document path the expression referred to (for checks such as "no key attributes in a filter"). */
    List<Path> paths() {
        return paths;
    }

    /** Parses a condition (ConditionExpression, FilterExpression or KeyConditionExpression). */
    ConditionNode condition() {
        ConditionNode condition = or();
        expect(Kind.EOF);
        finish();
        return condition;
    }

    /** Parses a ProjectionExpression: document paths separated by commas. */
    List<Path> projection() {
        List<Path> projected = new ArrayList<>();
        projected.add(path());
        while (accept(Kind.COMMA)) {
            projected.add(path());
        }
        expect(Kind.EOF);
        finish();
        Path.checkAllDistinct(projected, label);
        return projected;
    }

    /** Parses an UpdateExpression: SET, REMOVE, ADD and DELETE sections, each at most once. */
    UpdateExpression updateExpression() {
        UpdateExpression.Builder actions = new UpdateExpression.Builder();
        List<String> sections = new ArrayList<>();
        String repeatedSection = null;
        do {
            Token clause = peek();
            String section = clause.kind() == Kind.NAME ? clause.text().toUpperCase(Locale.ROOT) : "";
            if (!List.of("SET", "REMOVE", "ADD", "DELETE").contains(section)) {
                throw Syntax.syntaxError(label, source, tokens, position);
            }
            position++;
            if (sections.contains(section) && repeatedSection == null) {
                repeatedSection = section;
            }
            sections.add(section);
            do {
                Path target = path();
                switch (section) {
                    case "SET" -> {
                        expect(Kind.EQ);
                        actions.set(target, setValue());
                    }
                    case "REMOVE" -> actions.remove(target);
                    default -> actions.addOrDelete(section, target, setOperand(section));
                }
            } while (accept(Kind.COMMA));
        } while (peek().kind() != Kind.EOF);
        // AWS reports overlapping paths first, then a repeated section, then the other problems.
        Path.checkAllDistinct(actions.targets(), label);
        if (repeatedSection != null) {
            throw Syntax.invalid(label, "The \"" + repeatedSection + "\" section can only be used once in an update "
                    + "expression;");
        }
        finish();
        return actions.build();
    }

    private ConditionNode or() {
        ConditionNode left = and();
        while (peek().isWord("OR")) {
            position++;
            countOperator();
            left = new ConditionNode.Or(left, and());
        }
        return left;
    }

    private ConditionNode and() {
        ConditionNode left = not();
        while (peek().isWord("AND")) {
            position++;
            countOperator();
            left = new ConditionNode.And(left, not());
        }
        return left;
    }

    private ConditionNode not() {
        if (peek().isWord("NOT")) {
            position++;
            countOperator();
            enter();
            ConditionNode operand = not();
            depth--;
            return new ConditionNode.Not(operand);
        }
        return primary();
    }

    private ConditionNode primary() {
        if (peek().kind() == Kind.LPAREN && !parenthesisedOperand()) {
            position++;
            enter();
            ConditionNode inner = or();
            expect(Kind.RPAREN);
            depth--;
            if (!parenthesised.add(inner)) {
                problem(REDUNDANT_PARENTHESES, "The expression has redundant parentheses;");
            }
            return inner;
        }
        Object left = term();
        Token next = peek();
        Comparator comparator = comparator(next.kind());
        if (comparator != null) {
            position++;
            countOperator();
            Operand a = operand(left);
            Operand b = operand(term());
            checkDistinct(comparator.symbol, a, List.of(b));
            if (comparator != Comparator.EQ && comparator != Comparator.NE) {
                checkOrderable(comparator.symbol, a);
                checkOrderable(comparator.symbol, b);
            }
            return new ConditionNode.Compare(comparator, a, b);
        }
        if (next.isWord("BETWEEN")) {
            position++;
            countOperator();
            Operand value = operand(left);
            Operand low = operand(term());
            expectWord("AND");
            Operand high = operand(term());
            checkDistinct("BETWEEN", value, List.of(low, high));
            checkOrderable("BETWEEN", value);
            checkOrderable("BETWEEN", low);
            checkOrderable("BETWEEN", high);
            checkBounds(low.constant(), high.constant());
            return new ConditionNode.Between(value, low, high);
        }
        if (next.isWord("IN")) {
            position++;
            countOperator();
            Operand value = operand(left);
            expect(Kind.LPAREN);
            List<Operand> candidates = new ArrayList<>();
            do {
                candidates.add(operand(term()));
            } while (accept(Kind.COMMA));
            expect(Kind.RPAREN);
            // AWS counts the value tested among the operands: it takes at most 99 candidates.
            if (candidates.size() + 1 > MAX_IN_OPERANDS) {
                problem(OPERAND_COUNT, "The IN operator is provided with too many operands; number of operands: "
                        + (candidates.size() + 1));
            }
            checkDistinct("IN", value, candidates);
            return new ConditionNode.In(value, List.copyOf(candidates));
        }
        if (left instanceof FunctionCondition function) {
            return function.condition();
        }
        if (left instanceof Operand.Size) {
            problem(MISUSED_FUNCTION, "The function is not allowed to be used this way in an expression; function: "
                    + "size");
            return new ConditionNode.Exists(Path.of("size"), true);
        }
        throw Syntax.syntaxError(label, source, tokens, position);
    }

    /** A condition function (attribute_exists and the like) met where an operand or a condition may follow. */
    private record FunctionCondition(String name, ConditionNode condition) {
    }

    /**
     * Whether the parenthesis at the current position encloses an operand ({@code (a) = :v}) rather than a
     * condition: what follows its closing parenthesis is a comparison.
     */
    private boolean parenthesisedOperand() {
        int depthHere = 0;
        for (int i = position; i < tokens.size(); i++) {
            Kind kind = tokens.get(i).kind();
            if (kind == Kind.LPAREN) {
                depthHere++;
            } else if (kind == Kind.RPAREN && --depthHere == 0) {
                Token after = tokens.get(i + 1);
                return comparator(after.kind()) != null || after.isWord("BETWEEN") || after.isWord("IN");
            }
        }
        return false;
    }

    /** An operand, or a {@link FunctionCondition}. */
    private Object term() {
        Token token = peek();
        switch (token.kind()) {
            case LPAREN -> {
                position++;
                Object inner = term();
                expect(Kind.RPAREN);
                return inner;
            }
            case VALUE_REF -> {
                position++;
                JsonNode value = placeholders.value(token.text());
                if (value == null) {
                    problem(UNDEFINED_PLACEHOLDER, "An expression attribute value used in expression is not defined; "
                            + "attribute value: " + token.text());
                    value = UNDEFINED;
                }
                return new Operand.Value(value);
            }
            case NAME -> {
                if (tokens.get(position + 1).kind() == Kind.LPAREN) {
                    return function();
                }
                return new Operand.PathOperand(path());
            }
            case NAME_REF -> {
                return new Operand.PathOperand(path());
            }
            default -> throw Syntax.syntaxError(label, source, tokens, position);
        }
    }

    private Object function() {
        String name = tokens.get(position).text();
        position += 2;
        countOperator();
        List<Object> arguments = new ArrayList<>();
        do {
            arguments.add(term());
        } while (accept(Kind.COMMA));
        expect(Kind.RPAREN);
        int expected = switch (name) {
            case "attribute_exists", "attribute_not_exists", "size" -> 1;
            case "attribute_type", "begins_with", "contains", "if_not_exists", "list_append" -> 2;
            default -> -1;
        };
        if (expected < 0) {
            problem(UNKNOWN_FUNCTION, "Invalid function name; function: " + name);
            return unusable(name);
        }
        boolean updateOnly = name.equals("if_not_exists") || name.equals("list_append");
        if (updateOnly && !update) {
            problem(MISUSED_FUNCTION, "The function is not allowed in a condition expression; function: " + name);
        } else if (!updateOnly && update) {
            problem(MISUSED_FUNCTION, "The function is not allowed in an update expression; function: " + name);
        }
        if (arguments.size() != expected) {
            problem(OPERAND_COUNT, "Incorrect number of operands for operator or function; operator or function: "
                    + name + ", number of operands: " + arguments.size());
            return unusable(name);
        }
        List<Operand> operands = new ArrayList<>();
        for (Object argument : arguments) {
            operands.add(operand(argument));
        }
        Operand first = operands.get(0);
        Operand second = operands.size() > 1 ? operands.get(1) : null;
        return switch (name) {
            case "attribute_exists", "attribute_not_exists" -> new FunctionCondition(name,
                    new ConditionNode.Exists(documentPath(name, first), name.equals("attribute_exists")));
            case "attribute_type" -> {
                checkTypeName(second);
                yield new FunctionCondition(name, new ConditionNode.AttributeType(first, second));
            }
            case "begins_with" -> {
                checkOperandTypes(name, List.of("S", "B"), first, second);
                checkDistinct(name, first, List.of(second));
                yield new FunctionCondition(name, new ConditionNode.BeginsWith(first, second));
            }
            case "contains" -> {
                checkDistinct(name, first, List.of(second));
                yield new FunctionCondition(name, new ConditionNode.Contains(first, second));
            }
            case "size" -> {
                checkOperandTypes(name, List.of("S", "B", "SS", "NS", "BS", "L", "M"), first);
                yield new Operand.Size(first);
            }
            case "if_not_exists" -> new Operand.IfNotExists(documentPath(name, first), second);
            default -> {
                checkOperandTypes(name, List.of("L"), first, second);
                // AWS refuses list_append nested in list_append (if_not_exists inside it is fine).
                if (first instanceof Operand.ListAppend || second instanceof Operand.ListAppend) {
                    problem(MISUSED_FUNCTION, "The function is not allowed to be used this way in an expression; "
                            + "function: list_append");
                }
                yield new Operand.ListAppend(first, second);
            }
        };
    }

    /**
     * Stands for a call already reported as a problem: it may stand as a condition, and as an operand it is
     * reported as misused, a problem AWS ranks after the one already found.
     */
    private static FunctionCondition unusable(String name) {
        return new FunctionCondition(name, new ConditionNode.Exists(Path.of(name), true));
    }

    /** The value of a SET action: an operand, or the sum or difference of two. */
    private Operand setValue() {
        Operand left = operand(term());
        boolean plus = peek().kind() == Kind.PLUS;
        if (!plus && peek().kind() != Kind.MINUS) {
            return left;
        }
        position++;
        countOperator();
        Operand right = operand(term());
        checkOperandTypes(plus ? "+" : "-", List.of("N"), left, right);
        return new Operand.Arithmetic(left, plus, right);
    }

    /** The value of an ADD or DELETE action: a {@code :value} of a type the action accepts. */
    private JsonNode setOperand(String section) {
        if (peek().kind() != Kind.VALUE_REF) {
            throw Syntax.syntaxError(label, source, tokens, position);
        }
        JsonNode value = ((Operand.Value) term()).value();
        String type = AttributeValues.typeOf(value);
        boolean accepted = AttributeValues.isSet(type) || section.equals("ADD") && type.equals("N");
        if (value != UNDEFINED && !accepted) {
            problem(OPERAND_TYPE, "Incorrect operand type for operator or function; operator: " + section
                    + ", operand type: " + longTypeName(type) + ", typeSet: ALLOWED_FOR_" + section + "_OPERAND");
        }
        return value;
    }

    private Path path() {
        List<Object> elements = new ArrayList<>();
        elements.add(pathName());
        while (true) {
            if (accept(Kind.DOT)) {
                elements.add(pathName());
            } else if (accept(Kind.LBRACKET)) {
                Token index = peek();
                if (index.kind() != Kind.NUMBER) {
                    throw Syntax.syntaxError(label, source, tokens, position);
                }
                position++;
                expect(Kind.RBRACKET);
                try {
                    elements.add(Integer.parseInt(index.text()));
                } catch (NumberFormatException e) {
                    throw Syntax.invalid(label, "List index is not within the allowable range; index: "
                            + index.text());
                }
            } else {
                if (elements.size() > MAX_PATH_DEPTH) {
                    throw Syntax.invalid(label, "The document path has too many nesting levels; nesting levels: "
                            + elements.size());
                }
                Path path = new Path(elements);
                paths.add(path);
                return path;
            }
        }
    }

    private String pathName() {
        Token token = peek();
        if (token.kind() == Kind.NAME) {
            position++;
            if (Placeholders.isReserved(token.text())) {
                problem(RESERVED_WORD, "Attribute name is a reserved keyword; reserved keyword: " + token.text());
            }
            return token.text();
        }
        if (token.kind() == Kind.NAME_REF) {
            position++;
            String name = placeholders.name(token.text());
            if (name == null) {
                problem(UNDEFINED_PLACEHOLDER, "An expression attribute name used in the document path is not "
                        + "defined; attribute name: " + token.text());
                return token.text();
            }
            return name;
        }
        throw Syntax.syntaxError(label, source, tokens, position);
    }

    private Operand operand(Object term) {
        if (term instanceof FunctionCondition function) {
            problem(MISUSED_FUNCTION, "The function is not allowed to be used this way in an expression; function: "
                    + function.name());
            return new Operand.Value(UNDEFINED);
        }
        return (Operand) term;
    }

    private Path documentPath(String function, Operand operand) {
        if (operand instanceof Operand.PathOperand path) {
            return path.path();
        }
        problem(OPERAND_TYPE, "Operator or function requires a document path; operator or function: " + function);
        return Path.of(function);
    }

    private void checkDistinct(String operator, Operand first, List<Operand> others) {
        if (!(first instanceof Operand.PathOperand path)) {
            return;
        }
        for (Operand other : others) {
            if (other instanceof Operand.PathOperand otherPath && otherPath.path().equals(path.path())) {
                problem(SAME_OPERANDS, "The first operand must be distinct from the remaining operands for this "
                        + "operator or function; operator: " + operator + ", first operand: " + path.path());
            }
        }
    }

    private void checkOrderable(String operator, Operand operand) {
        checkOperandTypes(operator, List.of("N", "S", "B"), operand);
    }

    private void checkOperandTypes(String operator, List<String> accepted, Operand... operands) {
        for (Operand operand : operands) {
            JsonNode constant = operand.constant();
            if (constant != null && constant != UNDEFINED && !accepted.contains(AttributeValues.typeOf(constant))) {
                problem(OPERAND_TYPE, "Incorrect operand type for operator or function; operator or function: "
                        + operator + ", operand type: " + AttributeValues.typeOf(constant));
            }
        }
    }

    /** The type operand of attribute_type: a {@code :value} naming one of DynamoDB's ten types. */
    private void checkTypeName(Operand type) {
        JsonNode constant = type.constant();
        if (constant == UNDEFINED) {
            return;
        }
        if (constant == null || !constant.has("S")) {
            String operandType = constant == null ? "{NS,SS,L,BS,N,M,B,BOOL,NULL,S}" : AttributeValues.typeOf(constant);
            problem(OPERAND_TYPE, "Incorrect operand type for operator or function; operator or function: "
                    + "attribute_type, operand type: " + operandType);
        } else if (!TYPE_NAMES.contains(constant.get("S").textValue())) {
            problem(OPERAND_TYPE, "Invalid attribute type name found; type: " + constant.get("S").textValue()
                    + ", valid types: {B,NULL,SS,BOOL,L,BS,N,NS,S,M}");
        }
    }

    private void checkBounds(JsonNode low, JsonNode high) {
        if (low == null || high == null || low == UNDEFINED || high == UNDEFINED) {
            return;
        }
        String lowType = AttributeValues.typeOf(low);
        String highType = AttributeValues.typeOf(high);
        String operands = "lower bound operand: AttributeValue: {" + lowType + ":" + AttributeValues.payload(low).asText()
                + "}, upper bound operand: AttributeValue: {" + highType + ":" + AttributeValues.payload(high).asText()
                + "}";
        if (!lowType.equals(highType)) {
            problem(OPERAND_TYPE, "The BETWEEN operator requires same data type for lower and upper bounds; "
                    + operands);
        } else if (List.of("N", "S", "B").contains(lowType) && AttributeValues.compare(low, high) > 0) {
            problem(OPERAND_TYPE, "The BETWEEN operator requires upper bound to be greater than or equal to lower "
                    + "bound; " + operands);
        }
    }

    private static Comparator comparator(Kind kind) {
        return switch (kind) {
            case EQ -> Comparator.EQ;
            case NE -> Comparator.NE;
            case LT -> Comparator.LT;
            case LE -> Comparator.LE;
            case GT -> Comparator.GT;
            case GE -> Comparator.GE;
            default -> null;
        };
    }

    /** AWS's names of types in update messages. */
    static String longTypeName(String type) {
        return switch (type) {
            case "S" -> "STRING";
            case "N" -> "NUMBER";
            case "B" -> "BINARY";
            case "BOOL" -> "BOOLEAN";
            case "SS" -> "STRING_SET";
            case "NS" -> "NUMBER_SET";
            case "BS" -> "BINARY_SET";
            case "L" -> "LIST";
            case "M" -> "MAP";
            default -> type;
        };
    }

    private void enter() {
        if (++depth > MAX_DEPTH) {
            throw Syntax.invalid(label, "The expression has redundant parentheses;");
        }
    }

    private void countOperator() {
        if (++operators > MAX_OPERATORS) {
            throw Syntax.invalid(label, "The expression contains too many operators; operator count: " + operators);
        }
    }

    private Token peek() {
        return tokens.get(position);
    }

    private boolean accept(Kind kind) {
        if (peek().kind() == kind) {
            position++;
            return true;
        }
        return false;
    }

    private void expect(Kind kind) {
        if (!accept(kind)) {
            throw Syntax.syntaxError(label, source, tokens, position);
        }
    }

    private void expectWord(String word) {
        if (!peek().isWord(word)) {
            throw Syntax.syntaxError(label, source, tokens, position);
        }
        position++;
    }

    private void problem(int rank, String message) {
        if (rank < problemRank) {
            problemRank = rank;
            problem = message;
        }
    }

    private void finish() {
        if (problem != null) {
            throw Syntax.invalid(label, problem);
        }
    }
}
