package io.herald.protocol;

import com.fasterxml.jackson.core.JsonGenerator;
import io.herald.history.StreamId;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * One outbound frame, serialized once: {@code {"type":T,"channel":C,"data":D}}. Every recipient,
 * on this node or another, gets these same bytes; transports wrap them, never re-encode them.
 * A message numbered in its stream's history also knows its stream and offset (which its bytes
 * carry too, see {@link io.herald.history.Frames}).
 */
public final class Message {
  private final String type;
  private final byte[] json;
  // One other wire format's encoding, made on first use by whichever thread asks (guarded by this).
  private Format otherFormat;
  private byte[] otherBytes;

  /**
   * Another wire protocol's encoding of a message (the Pusher protocol's frames): a pure function
   * of the message, run at most once per message and format however many connections need it.
   */
  public interface Format {
    byte[] encode(Message m);
  }

  private final StreamId stream;
  private final long offset;

  private Message(String type, byte[] json, StreamId stream, long offset) {
    this.type = type;
    this.json = json;
    this.stream = stream;
    this.offset = offset;
  }

  private Message(String type, byte[] json) {
    this(type, json, null, -1);
  }

  /** A frame numbered in a stream: {@code json} already carries the stream fields. */
  public static Message numbered(String type, byte[] json, StreamId stream, long offset) {
    return new Message(type, json, stream, offset);
  }

  /** Serializes a frame. {@code channel} may be null; {@code data} is any Jackson-writable value. */
  public static Message of(String type, String channel, Object data) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(128);
    try (JsonGenerator gen = Json.MAPPER.createGenerator(out)) {
      gen.writeStartObject();
      gen.writeStringField("type", type);
      if (channel != null) {
        gen.writeStringField("channel", channel);
      }
      gen.writeFieldName("data");
      Json.MAPPER.writeValue(gen, data);
      gen.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize a " + type + " frame", e);
    }
    return new Message(type, out.toByteArray());
  }

  public static Message of(String type, Object data) {
    return of(type, null, data);
  }

  /** Wraps a frame another node already serialized. */
  public static Message ofSerialized(String type, byte[] json) {
    return new Message(type, json);
  }

  /**
   * This message in {@code format}: encoded on the first call, then the same bytes for every
   * recipient on every thread. Shared: callers must not modify it.
   */
  public byte[] encoded(Format format) {
    synchronized (this) {
      if (otherFormat == format) {
        return otherBytes;
      }
    }
    byte[] bytes = format.encode(this);
    synchronized (this) {
      if (otherFormat == null) {
        otherFormat = format;
        otherBytes = bytes;
      }
    }
    return bytes;
  }

  /** Seeds the encoding in {@code format} when the producer already has it; returns this. */
  public Message withEncoding(Format format, byte[] bytes) {
    synchronized (this) {
      otherFormat = format;
      otherBytes = bytes;
    }
    return this;
  }

  public String type() {
    return type;
  }

  /** The stream this message is numbered in; null when it is not numbered. */
  public StreamId stream() {
    return stream;
  }

  /** Its offset in {@link #stream()}; -1 when not numbered. */
  public long offset() {
    return offset;
  }

  /** The frame's JSON text as UTF-8. Shared: callers must not modify it. */
  public byte[] json() {
    return json;
  }

  @Override
  public String toString() {
    return "Message[" + type + ", " + json.length + " bytes]";
  }
}
