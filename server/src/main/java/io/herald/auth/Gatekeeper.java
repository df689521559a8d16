package io.herald.auth;

import java.util.concurrent.CompletionStage;

/**
 * What the transport asks about credentials: who a connection is ({@code connections}: JWTs, the
 * auth proxy, or trust in development) and which extra private channels it may join
 * ({@code channels}: subscription tokens, the auth proxy's subscribe URL). Built from the
 * configuration by the server and swapped as a whole on reload, then closed.
 */
public final class Gatekeeper implements Authenticator {
  private final Authenticator connections;
  private final ChannelAuthorizer channels;

  public Gatekeeper(Authenticator connections, ChannelAuthorizer channels) {
    this.connections = connections;
    this.channels = channels;
  }

  @Override
  public CompletionStage<Principal> authenticate(String userIdParam, String token) {
    return connections.authenticate(userIdParam, token);
  }

  @Override
  public CompletionStage<Principal> authenticate(String userIdParam, String token, String remoteAddress) {
    return connections.authenticate(userIdParam, token, remoteAddress);
  }

  @Override
  public ChannelAuthorizer channels() {
    return channels;
  }

  @Override
  public void close() {
    connections.close();
    channels.close();
  }
}
