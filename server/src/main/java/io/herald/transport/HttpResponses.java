package io.herald.transport;

import io.herald.admin.AdminApi;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;

/** Writes HTTP responses, honouring keep-alive. */
final class HttpResponses {
  private HttpResponses() {
  }

  static final String JSON = "application/json; charset=utf-8";

  static void send(ChannelHandlerContext ctx, boolean keepAlive, int status, byte[] body, String contentType,
                   String allow) {
    FullHttpResponse response = build(keepAlive, status, body, contentType, allow);
    if (keepAlive) {
      ctx.writeAndFlush(response, ctx.voidPromise());
    } else {
      ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
    }
  }

  /** A response with Herald's headers; {@code keepAlive} sets its Connection header. */
  static FullHttpResponse build(boolean keepAlive, int status, byte[] body, String contentType, String allow) {
    FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
        HttpResponseStatus.valueOf(status), Unpooled.wrappedBuffer(body));
    response.headers().set(HttpHeaderNames.CONTENT_TYPE, contentType);
    response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
    response.headers().set(HttpHeaderNames.CACHE_CONTROL, "no-store");
    response.headers().set("X-Content-Type-Options", "nosniff");
    if (allow != null) {
      response.headers().set(HttpHeaderNames.ALLOW, allow);
    }
    response.headers().set(HttpHeaderNames.CONNECTION, keepAlive ? HttpHeaderValues.KEEP_ALIVE : HttpHeaderValues.CLOSE);
    return response;
  }

  /** An envelope response {@code {"code":status,"message":…,"data":…}}. */
  static void envelope(ChannelHandlerContext ctx, boolean keepAlive, int status, String message, Object data) {
    send(ctx, keepAlive, status, AdminApi.render(status, message, data), JSON, null);
  }
}
