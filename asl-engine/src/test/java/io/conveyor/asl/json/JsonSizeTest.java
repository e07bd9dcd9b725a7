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
      Json.parse("{\"a\":1,\"b\":[true,false,null],\"c\":{\"d\":\"e\"}}"),
      Json.text("quote \" backslash \\ tab \t newline \n bell \u0007 del \u007f"),
      Json.text("é ü ß € 中文 😀 \u2028"),
      Json.text("lone surrogate \ud800 end"),
      Json.NODES.numberNode(Integer.MIN_VALUE),
      Json.NODES.numberNode(Long.MIN_VALUE),
      Json.NODES.numberNode(-2.2250738585072014E-308),
      Json.NODES.numberNode(Double.NaN),
      Json.NODES.numberNode(Double.NEGATIVE_INFINITY),
      Json.NODES.numberNode(1.5f),
      Json.NODES.numberNode(new BigInteger("-123456789012345678901234567890")),
      Json.NODES.numberNode(new BigDecimal("-1.000000000000000000000000000001E-40")),
      Json.NODES.numberNode(new BigDecimal("12345678901234567890.5")),
      Json.parse("[[],{},[{}],\"\",0]"));

  @Test
  void sizeBound_isNeverBelowTheWrittenSize() {
    for (JsonNode v : VALUES) {
      ObjectNode wrapped = Json.object();
      wrapped.set("k\"ey\u0001é", v);
      for (boolean scan : new boolean[] {false, true}) {
        assertTrue(Json.sizeBound(v, Long.MAX_VALUE / 2, scan) >= Json.utf8Size(v), () -> Json.write(v));
        assertTrue(Json.sizeBound(wrapped, Long.MAX_VALUE / 2, scan) >= Json.utf8Size(wrapped),
            () -> Json.write(wrapped));
      }
    }
  }

  @Test
  void exceedsUtf8Size_isExactAtTheLimit_evenWhenTheBoundIsNot() {
    int limit = 256 * 1024;
    // Every character a control character: the bound counts 6 bytes each, the text takes 2 (\n) - the bound
    // passes the limit long before the text does, so the exact size decides.
    String newlines = "\n".repeat((limit - 2) / 2);
    JsonNode atLimit = Json.text(newlines);
    assertEquals(limit, Json.utf8Size(atLimit));
    assertFalse(Json.exceedsUtf8Size(atLimit, limit));
    assertTrue(Json.exceedsUtf8Size(Json.text(newlines + "x"), limit));

    JsonNode plainAtLimit = Json.text("x".repeat(limit - 2));
    assertFalse(Json.exceedsUtf8Size(plainAtLimit, limit));
    assertTrue(Json.exceedsUtf8Size(Json.text("€".repeat(limit / 3)), limit));
    assertFalse(Json.exceedsUtf8Size(Json.text("€".repeat((limit - 2) / 3)), limit));
  }
}
