package io.conveyor.dynamodb.internal.expression;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An update that names the paths it changes, as both kinds do (UpdateExpression and AttributeUpdates): what
 * UPDATED_OLD and UPDATED_NEW return is the item's values at those paths.
 */
abstract class TargetedUpdate implements Update {
    private final List<Path> targets;

    TargetedUpdate(List<Path> targets) {
        this.targets = List.copyOf(targets);
    }

    /** The paths the update changes, in the order the request names them. */
    final List<Path> targets() {
        return targets;
    }

    // Few requests ask for UPDATED_OLD or UPDATED_NEW, so the projection is built only when one does.
    @Override
    public final ObjectNode updatedOld(ObjectNode before) {
        return new PathProjection(targets).project(before);
    }

    @Override
    public final ObjectNode updatedNew(ObjectNode after) {
        return new PathProjection(targets).project(after);
    }
}
