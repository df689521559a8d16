<?php

// Herald: publish with `php artisan vendor:publish --tag=herald-config`.
return [
    // Herald's base URL; the admin API is under /admin/websocket/ of it.
    'url' => env('HERALD_URL', 'http://127.0.0.1:5200'),

    // The admin API key: HERALD_API_KEY of the Herald server.
    'api_key' => env('HERALD_API_KEY'),

    // The HS256 secret: HERALD_JWT_SECRET of the Herald server. Signs user and subscription tokens.
    'jwt_secret' => env('HERALD_JWT_SECRET'),

    // Seconds to wait for an answer (per attempt) and for a connection.
    'timeout' => (float) env('HERALD_TIMEOUT', 10),
    'connect_timeout' => (float) env('HERALD_CONNECT_TIMEOUT', 5),

    // Attempts per call; GETs, and POSTs carrying an Idempotency-Key, are retried when no answer
    // came or Herald answered 502/503/504.
    'max_attempts' => (int) env('HERALD_MAX_ATTEMPTS', 3),
    'retry_backoff_ms' => 100,
    'idempotency_keys' => true,

    // Routes answering Herald's auth proxy (auth.proxy.connect_url = {APP_URL}/herald/auth/connect,
    // auth.proxy.subscribe_url = {APP_URL}/herald/auth/subscribe): tokens are checked with these
    // guards (as Bearer tokens), users for private channels loaded with user_provider, and the
    // channels authorized by routes/channels.php. key is Herald's auth.proxy.key.
    'auth_proxy' => [
        'routes' => (bool) env('HERALD_AUTH_PROXY_ROUTES', false),
        'prefix' => 'herald/auth',
        'guards' => ['sanctum', 'api'],
        'user_provider' => 'users',
        'key' => env('HERALD_AUTH_PROXY_KEY'),
    ],

    // Lifetime of the subscription tokens the `herald` broadcaster hands out from /broadcasting/auth.
    'subscription_token_ttl' => 300,
];
