package io.herald.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpUtil;

/**
 * Aggregates HTTP bodies up to the admin limit. A larger one gets a 413 envelope; on a keep-alive
 * connection the rest of the body is read and discarded so the client can read the answer, else
 * the connection closes.
 */
final class BodyLimitAggregator extends HttpObjectAggregator {
  private final int maxBytes;

  BodyLimitAggregator(int maxBytes) {
    super(maxBytes);
    this.maxBytes = maxBytes;
  }

  @Override
  protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) {
    boolean keepAlive = HttpUtil.isKeepAlive(oversized);
    HttpResponses.envelope(ctx, keepAlive, 413, "request body is larger than " + maxBytes + " bytes", null);
  }
}
