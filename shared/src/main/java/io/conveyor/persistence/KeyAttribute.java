package io.conveyor.persistence;

import java.util.Objects;

/** A key attribute of a table or index: its name and DynamoDB scalar type. */
public record KeyAttribute(String name, Type type) {

    /** The DynamoDB scalar types used in keys here. */
    public enum Type {
        STRING("S"),
        NUMBER("N");

        private final String code;

        Type(String code) {
            this.code = code;
        }

        /** DynamoDB's one-letter code, as {@code AttributeDefinitions} takes it. */
        public String code() {
            return code;
        }
    }

    public KeyAttribute {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static KeyAttribute string(String name) {
        return new KeyAttribute(name, Type.STRING);
    }

    public static KeyAttribute number(String name) {
        return new KeyAttribute(name, Type.NUMBER);
    }
}
