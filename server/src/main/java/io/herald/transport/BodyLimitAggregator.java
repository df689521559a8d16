package io.herald.transport;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates HTTP bodies up to the admin limit. A larger one gets a 413 envelope, whatever the
 * framing: a declared or streamed body over the limit, or an {@code Expect: 100-continue} whose
 * declared length is over it (curl sends that header for any body over 1 KiB; Netty's own answer
 * to it has an empty body). On a keep-alive connection the rest of a body is read and discarded so
 * the client can read the answer; otherwise the connection closes after it.
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
    HttpResponses.envelope(ctx, keepAlive, 413, tooLarge(), null);
  }

  @Override
  protected Object newContinueResponse(HttpMessage start, int maxContentLength, ChannelPipeline pipeline) {
    Object netty = super.newContinueResponse(start, maxContentLength, pipeline);
    if (!(netty instanceof HttpResponse r) || r.status().code() < 400) {
      return netty;
    }
    int status = r.status().code();
    ReferenceCountUtil.release(netty);
    // The body was never sent, so the connection stays usable when the client wants it to.
    String message = status == 413 ? tooLarge() : "the Expect header is not supported: only 100-continue is";
    return HttpResponses.build(HttpUtil.isKeepAlive(start), status,
        io.herald.admin.AdminApi.render(status, message, null), HttpResponses.JSON, null);
  }

  @Override
  protected boolean closeAfterContinueResponse(Object msg) {
    return msg instanceof HttpResponse r && r.status().code() >= 400 && !HttpUtil.isKeepAlive(r);
  }

  private String tooLarge() {
    return "request body is larger than " + maxBytes + " bytes";
  }
}
