package io.conveyor.persistence;

import java.util.Objects;

/** A key attribute of a table or index: its name and DynamoDB scalar type. */
public record KeyAttributeSpec(String name, Type type) {

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

    public KeyAttributeSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
    }

    public static KeyAttributeSpec string(String name) {
        return new KeyAttributeSpec(name, Type.STRING);
    }

    public static KeyAttributeSpec number(String name) {
        return new KeyAttributeSpec(name, Type.NUMBER);
    }
}
