package dev.mtls.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;

/** The one JSON mapper of the command: indented output, stable field order. */
final class Json {
  static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

  /** The same mapper writing one object per line, for line-oriented output such as audit lines. */
  private static final ObjectWriter LINES = MAPPER.writer().without(SerializationFeature.INDENT_OUTPUT);

  private Json() {}

  static String line(Object value) {
    try {
      return LINES.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON for " + value.getClass().getName(), e);
    }
  }

  static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("Cannot write JSON for " + value.getClass().getName(), e);
    }
  }
}
