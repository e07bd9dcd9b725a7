package io.conveyor.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Requests are matched to routes as API Gateway matches them. */
class RouteTableTest {
    private static final RouteSpec THING = route("GET", "/things/{id}");
    private static final RouteSpec SPECIAL = route("GET", "/things/special");
    private static final RouteSpec DELETE_THING = route("DELETE", "/things/{id}");
    private static final RouteTable TABLE = new RouteTable(List.of(THING, SPECIAL, DELETE_THING, route("POST", "/things")));

    private static RouteSpec route(String method, String path) {
        return new RouteSpec(method + path, method, path, "Fn", Set.of(200));
    }

    @Test
    void aParameter_takesOneNonEmptySegment_percentDecoded_withPlusKeptAsPlus() {
        assertEquals(Optional.of(new RouteTable.Match(THING, Map.of("id", "a b+c"))), TABLE.match("GET", "/things/a%20b+c"));
        assertEquals(Optional.empty(), TABLE.match("GET", "/things//"));
        assertEquals(Optional.empty(), TABLE.match("GET", "/things/a/b"));
    }

    @Test
    void aLiteralSegment_beatsAParameter_whateverTheOrderOfTheRoutes() {
        assertEquals(SPECIAL, TABLE.match("GET", "/things/special").orElseThrow().route());
    }

    @Test
    void methodsAreMatchedWithoutRegardToCase_andATrailingSlashIsIgnored() {
        assertEquals(DELETE_THING, TABLE.match("delete", "/things/7/").orElseThrow().route());
    }

    @Test
    void methodsAt_namesWhatThePathServes_andNothingForAnUnknownPath() {
        assertEquals(Set.of("GET", "DELETE"), TABLE.methodsAt("/things/7"));
        assertEquals(Set.of("POST"), TABLE.methodsAt("/things"));
        assertEquals(Set.of(), TABLE.methodsAt("/nothing"));
    }
}
