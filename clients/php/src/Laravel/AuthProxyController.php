<?php

declare(strict_types=1);

namespace Herald\Laravel;

use Illuminate\Contracts\Auth\Authenticatable;
use Illuminate\Contracts\Broadcasting\Broadcaster;
use Illuminate\Http\JsonResponse;
use Illuminate\Http\Request;
use Symfony\Component\HttpKernel\Exception\AccessDeniedHttpException;

/**
 * Answers Herald's auth proxy (docs/auth-proxy.md) with the application's own guards and
 * routes/channels.php:
 *
 * - connect: {"token","user_id","remote_addr"} -> 200 {"user_id", "expires_at"?} when one of the
 *   configured guards (herald.auth_proxy.guards, e.g. sanctum, api, passport) accepts the token as a
 *   Bearer token, else 401. AuthProxy::resolveTokensUsing() replaces the guards for other schemes.
 * - subscribe: {"user_id","channel"} -> 200 when the channel's callback in routes/channels.php
 *   allows the user (loaded through herald.auth_proxy.user_provider), else 403 {"error"}.
 *
 * Both check Authorization: Bearer <herald.auth_proxy.key> when that key is set (Herald's
 * auth.proxy.key), so only Herald can ask.
 */
class AuthProxyController
{
    public function connect(Request $request): JsonResponse
    {
        if (!$this->fromHerald($request)) {
            return new JsonResponse(['error' => 'not Herald'], 401);
        }
        $token = $request->input('token');
        if (!is_string($token) || $token === '') {
            return new JsonResponse(['error' => 'token is missing'], 401);
        }
        $user = AuthProxy::userForToken($token, $request);
        if ($user === null) {
            return new JsonResponse(['error' => 'invalid token'], 401);
        }
        $answer = ['user_id' => self::broadcastId($user)];
        $expiresAt = self::tokenExpiry($user);
        if ($expiresAt !== null) {
            $answer['expires_at'] = $expiresAt;
        }
        return new JsonResponse($answer);
    }

    public function subscribe(Request $request): JsonResponse
    {
        if (!$this->fromHerald($request)) {
            return new JsonResponse(['error' => 'not Herald'], 401);
        }
        $channel = $request->input('channel');
        $user = AuthProxy::userById($request->input('user_id'));
        if (!is_string($channel) || $user === null) {
            return new JsonResponse(['error' => 'unknown user'], 403);
        }
        $check = Request::create('/broadcasting/auth', 'POST', ['channel_name' => $channel]);
        $check->setUserResolver(fn () => $user);
        $check->attributes->set(HeraldBroadcaster::PROXY_CHECK, true);
        try {
            app(Broadcaster::class)->auth($check);
        } catch (AccessDeniedHttpException $e) {
            return new JsonResponse(['error' => 'forbidden'], 403);
        }
        return new JsonResponse(['channel' => $channel]);
    }

    private function fromHerald(Request $request): bool
    {
        $key = config('herald.auth_proxy.key');
        return $key === null || $key === '' || hash_equals('Bearer ' . $key, (string) $request->header('Authorization'));
    }

    private static function broadcastId(Authenticatable $user): mixed
    {
        return method_exists($user, 'getAuthIdentifierForBroadcasting')
            ? $user->getAuthIdentifierForBroadcasting()
            : $user->getAuthIdentifier();
    }

    /** A Sanctum or Passport token's expiry, when the guard exposes it. */
    private static function tokenExpiry(Authenticatable $user): ?int
    {
        if (!method_exists($user, 'currentAccessToken')) {
            return null;
        }
        $token = $user->currentAccessToken();
        $at = is_object($token) ? ($token->expires_at ?? null) : null;
        if ($at instanceof \DateTimeInterface) {
            return $at->getTimestamp();
        }
        return is_numeric($at) ? (int) $at : null;
    }
}
