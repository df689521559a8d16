<?php

declare(strict_types=1);

namespace Herald\Laravel;

use Illuminate\Contracts\Auth\Authenticatable;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Auth;
use Illuminate\Support\Facades\Route;

/**
 * The Laravel side of Herald's auth proxy: AuthProxy::routes() registers POST {prefix}/connect and
 * {prefix}/subscribe (the service provider does so when herald.auth_proxy.routes is true).
 */
final class AuthProxy
{
    /** @var (\Closure(string, Request): ?Authenticatable)|null */
    private static ?\Closure $tokenResolver = null;

    /** Registers the two routes; point auth.proxy.connect_url / subscribe_url at them. */
    public static function routes(?string $prefix = null, array $middleware = []): void
    {
        $prefix = trim($prefix ?? (string) config('herald.auth_proxy.prefix', 'herald/auth'), '/');
        Route::middleware($middleware)->group(function () use ($prefix) {
            Route::post("$prefix/connect", [AuthProxyController::class, 'connect'])->name('herald.auth.connect');
            Route::post("$prefix/subscribe", [AuthProxyController::class, 'subscribe'])->name('herald.auth.subscribe');
        });
    }

    /** Replaces the guards: $resolver(string $token, Request $heraldRequest) returns the user or null. */
    public static function resolveTokensUsing(?\Closure $resolver): void
    {
        self::$tokenResolver = $resolver;
    }

    /** The user the token belongs to: the first of herald.auth_proxy.guards that accepts it as Bearer. */
    public static function userForToken(string $token, Request $heraldRequest): ?Authenticatable
    {
        if (self::$tokenResolver !== null) {
            return (self::$tokenResolver)($token, $heraldRequest);
        }
        $asClient = Request::create('/', 'GET');
        $asClient->headers->set('Authorization', 'Bearer ' . $token);
        $asClient->query->set('api_token', $token);
        foreach ((array) config('herald.auth_proxy.guards', ['sanctum', 'api']) as $name) {
            if (config("auth.guards.$name") === null) {
                continue;
            }
            Auth::forgetGuards(); // guards remember their user; each token gets a fresh one
            $guard = Auth::guard($name);
            if (method_exists($guard, 'setRequest')) {
                $guard->setRequest($asClient);
            }
            $user = $guard->user();
            if ($user !== null) {
                return $user;
            }
        }
        return null;
    }

    public static function userById(mixed $id): ?Authenticatable
    {
        if (!is_int($id) && !(is_string($id) && $id !== '')) {
            return null;
        }
        $provider = Auth::createUserProvider(config('herald.auth_proxy.user_provider', 'users'));
        return $provider?->retrieveById($id);
    }
}
