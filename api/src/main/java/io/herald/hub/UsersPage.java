package io.herald.hub;

import java.util.List;

/**
 * One page of online user ids (canonical text form) and the cursor of the next page, null after
 * the last one. See {@link PushService#getOnlineUsersPage}.
 */
public record UsersPage(List<String> userIds, String next) {
  public UsersPage {
    userIds = List.copyOf(userIds);
  }
}
