package io.conveyor.dynamodb.internal.expression;

import io.conveyor.dynamodb.internal.DynamoDbError;
import java.util.ArrayList;
import java.util.List;

/**
 * The tokens of DynamoDB's expression language, and the errors about an expression worded as AWS words them
 * ({@code Invalid UpdateExpression: ...}).
 */
final class Syntax {
    enum Kind { NAME, NAME_REF, VALUE_REF, NUMBER, LPAREN, RPAREN, LBRACKET, RBRACKET, COMMA, DOT, EQ, NE, LT, LE, GT,
        GE, PLUS, MINUS, INVALID, EOF }

    /** A token and where it sits in the source (for the {@code near} part of syntax errors). */
    record Token(Kind kind, String text, int start, int end) {
        boolean isWord(String word) {
            return kind == Kind.NAME && text.equalsIgnoreCase(word);
        }
    }

    private Syntax() {
    }

    /** A ValidationException about one expression: {@code Invalid <label>: <message>}. */
    static DynamoDbError invalid(String label, String message) {
        return DynamoDbError.validation("Invalid " + label + ": " + message);
    }

    /** Splits an expression into tokens, ending with an EOF token. */
    static List<Token> tokenize(String source) {
        List<Token> tokens = new ArrayList<>();
        int i = 0;
        int length = source.length();
        while (i < length) {
            char c = source.charAt(i);
            int start = i;
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
                i++;
                continue;
            }
            Kind kind;
            if (isLetter(c)) {
                i = skipWord(source, i + 1);
                kind = Kind.NAME;
            } else if (c >= '0' && c <= '9') {
                while (i < length && source.charAt(i) >= '0' && source.charAt(i) <= '9') {
                    i++;
                }
                kind = Kind.NUMBER;
            } else if ((c == '#' || c == ':') && i + 1 < length && isWordChar(source.charAt(i + 1))) {
                i = skipWord(source, i + 1);
                kind = c == '#' ? Kind.NAME_REF : Kind.VALUE_REF;
            } else {
                i++;
                switch (c) {
                    case '(' -> kind = Kind.LPAREN;
                    case ')' -> kind = Kind.RPAREN;
                    case '[' -> kind = Kind.LBRACKET;
                    case ']' -> kind = Kind.RBRACKET;
                    case ',' -> kind = Kind.COMMA;
                    case '.' -> kind = Kind.DOT;
                    case '+' -> kind = Kind.PLUS;
                    case '-' -> kind = Kind.MINUS;
                    case '=' -> kind = Kind.EQ;
                    case '<' -> {
                        if (i < length && source.charAt(i) == '=') {
                            i++;
                            kind = Kind.LE;
                        } else if (i < length && source.charAt(i) == '>') {
                            i++;
                            kind = Kind.NE;
                        } else {
                            kind = Kind.LT;
                        }
                    }
                    case '>' -> {
                        if (i < length && source.charAt(i) == '=') {
                            i++;
                            kind = Kind.GE;
                        } else {
                            kind = Kind.GT;
                        }
                    }
                    default -> kind = Kind.INVALID;
                }
            }
            tokens.add(new Token(kind, source.substring(start, i), start, i));
        }
        tokens.add(new Token(Kind.EOF, "<EOF>", length, length));
        return tokens;
    }

    /**
     * AWS's syntax error: the unexpected token, and the source around it, from the token before it to the end of
     * the token after it ({@code SET _abc} gives token {@code _}, near {@code SET _abc}).
     */
    static DynamoDbError syntaxError(String label, String source, List<Token> tokens, int index) {
        Token bad = tokens.get(index);
        int from = index > 0 ? tokens.get(index - 1).start() : bad.start();
        Token after = index + 1 < tokens.size() ? tokens.get(index + 1) : bad;
        String near = source.substring(from, Math.max(from, after.kind() == Kind.EOF ? bad.end() : after.end()));
        return invalid(label, "Syntax error; token: \"" + bad.text() + "\", near: \"" + near + "\"");
    }

    /** Whether a placeholder ({@code #name} or {@code :value}) is one token: its mark and word characters. */
    static boolean isPlaceholder(String text, char mark) {
        if (text.length() < 2 || text.charAt(0) != mark) {
            return false;
        }
        return skipWord(text, 1) == text.length();
    }

    private static int skipWord(String source, int i) {
        while (i < source.length() && isWordChar(source.charAt(i))) {
            i++;
        }
        return i;
    }

    private static boolean isLetter(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
    }

    private static boolean isWordChar(char c) {
        return isLetter(c) || c >= '0' && c <= '9' || c == '_';
    }
}
