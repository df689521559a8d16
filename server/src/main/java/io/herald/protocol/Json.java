package io.herald.protocol;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;

/** The one shared, thread-safe JSON mapper of the wire format, and the one reader of untrusted JSON. */
public final class Json {
  /** Nesting deeper than this is rejected as bad input, before it costs stack. */
  public static final int MAX_NESTING_DEPTH = 64;

  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
      .build();

  static {
    MAPPER.getFactory().setStreamReadConstraints(
        StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build());
  }

  // One value inside a document read token by token: the check for trailing tokens is the document's.
  private static final ObjectReader VALUE = MAPPER.readerFor(JsonNode.class)
      .without(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  /**
   * Untrusted text that is not acceptable JSON. The message says in plain words where it broke
   * ("it breaks at line 1, column 9"), never the parser's own text, which names its classes and
   * settings.
   */
  public static final class MalformedJson extends Exception {
    MalformedJson(String message) {
      super(message, null, false, false);
    }
  }

  private Json() {
  }

  /** Parses a client's or caller's JSON document. */
  public static JsonNode read(String text) throws MalformedJson {
    try {
      return MAPPER.readTree(text);
    } catch (IOException | RuntimeException e) {
      throw malformed(e);
    }
  }

  /** As {@link #read(String)}, for UTF-8 bytes. */
  public static JsonNode read(byte[] utf8) throws MalformedJson {
    try {
      return MAPPER.readTree(utf8);
    } catch (IOException | RuntimeException e) {
      throw malformed(e);
    }
  }

  /**
   * A parser over untrusted UTF-8 with the checks of {@link #read(String)} (duplicate fields,
   * nesting depth), for callers that read a document token by token; bad JSON surfaces as an
   * {@link IOException} or a {@link RuntimeException} from the parser.
   */
  static JsonParser parser(byte[] utf8) throws IOException {
    return MAPPER.createParser(utf8);
  }

  /** The value at {@code p}'s current token, as a tree; {@code p} is left on the value's last token. */
  static JsonNode value(JsonParser p) throws IOException {
    return VALUE.readTree(p);
  }

  private static MalformedJson malformed(Exception e) {
    // A number whose exponent BigDecimal cannot hold surfaces as a NumberFormatException.
    if (e instanceof NumberFormatException || e instanceof ArithmeticException) {
      return new MalformedJson("a number in it is out of range");
    }
    if (e instanceof RuntimeException r) {
      throw r;
    }
    String at = e instanceof JsonProcessingException p ? where(p.getLocation()) : "";
    if (e instanceof JsonEOFException) {
      return new MalformedJson("it ends too early" + at);
    }
    if (e instanceof StreamConstraintsException) {
      return new MalformedJson("it is nested more than " + MAX_NESTING_DEPTH
          + " levels deep or holds a value that is too long" + at);
    }
    if (e instanceof JsonParseException p && String.valueOf(p.getOriginalMessage()).startsWith("Duplicate field")) {
      return new MalformedJson("a field appears twice in one object" + at);
    }
    if (e instanceof JsonProcessingException) {
      return new MalformedJson("it breaks" + at);
    }
    return new MalformedJson("it cannot be read");
  }

  private static String where(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return "";
    }
    return " at line " + location.getLineNr() + ", column " + Math.max(1, location.getColumnNr());
  }
}
