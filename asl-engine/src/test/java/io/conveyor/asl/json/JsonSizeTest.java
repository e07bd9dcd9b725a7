package io.conveyor.asl.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The payload-size check: a cheap bound first, the exact size when the bound could pass the limit. */
class JsonSizeTest {

  private static final List<JsonNode> VALUES = List.of(
      JsonValues.parse("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}"),
      JsonValues.text("quote \" backslash \\ tab \t newline \n bell \u0007 del \u007f"),
      JsonValues.text("é ü ß € 中文 😀 \u2028"),
      JsonValues.text("lone surrogate \ud800 end"),
      JsonValues.NODES.numberNode(Integer.MIN_VALUE),
      JsonValues.NODES.numberNode(Long.MIN_VALUE),
      JsonValues.NODES.numberNode(-2.2250738585072014E-308),
      JsonValues.NODES.numberNode(Double.NaN),
      JsonValues.NODES.numberNode(Double.NEGATIVE_INFINITY),
      JsonValues.NODES.numberNode(1.5f),
      JsonValues.NODES.numberNode(new BigInteger("-123456789012345678901234567890")),
      JsonValues.NODES.numberNode(new BigDecimal("-1.000000000000000000000000000001E-40")),
      JsonValues.NODES.numberNode(new BigDecimal("12345678901234567890.5")),
      JsonValues.parse("[[],{},[{}],\"\",0]"));

  @Test
  void sizeBound_isNeverBelowTheWrittenSize() {
    for (JsonNode v : VALUES) {
      ObjectNode wrapped = JsonValues.object();
      wrapped.set("k\"ey\u0001é", v);
      for (boolean scan : new boolean[] {false, true}) {
        assertTrue(JsonValues.sizeBound(v, Long.MAX_VALUE / 2, scan) >= JsonValues.utf8Size(v), () -> JsonValues.write(v));
        assertTrue(JsonValues.sizeBound(wrapped, Long.MAX_VALUE / 2, scan) >= JsonValues.utf8Size(wrapped),
            () -> JsonValues.write(wrapped));
      }
    }
  }

  @Test
  void exceedsUtf8Size_isExactAtTheLimit_evenWhenTheBoundIsNot() {
    int limit = 256 * 1024;
    // Every character a control character: the bound counts 6 bytes each, the text takes 2 (\n) - the bound
    // passes the limit long before the text does, so the exact size decides.
    String newlines = "\n".repeat((limit - 2) / 2);
    JsonNode atLimit = JsonValues.text(newlines);
    assertEquals(limit, JsonValues.utf8Size(atLimit));
    assertFalse(JsonValues.exceedsUtf8Size(atLimit, limit));
    assertTrue(JsonValues.exceedsUtf8Size(JsonValues.text(newlines + "x"), limit));

    JsonNode plainAtLimit = JsonValues.text("x".repeat(limit - 2));
    assertFalse(JsonValues.exceedsUtf8Size(plainAtLimit, limit));
    assertTrue(JsonValues.exceedsUtf8Size(JsonValues.text("€".repeat(limit / 3)), limit));
    assertFalse(JsonValues.exceedsUtf8Size(JsonValues.text("€".repeat((limit - 2) / 3)), limit));
  }
}
