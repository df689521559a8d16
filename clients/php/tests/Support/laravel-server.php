<?php

// Router for `php -S`: a Laravel application (Debian's php-laravel-framework) using the Herald
// package's auth proxy routes, with an 'api' token guard over MemoryUsers and one channel rule in
// the manner of routes/channels.php. HERALD_AUTH_PROXY_KEY is the key Herald must send.
declare(strict_types=1);

require __DIR__ . '/../bootstrap.php';

use Herald\Tests\Support\LaravelApp;
use Herald\Tests\Support\MemoryUsers;
use Illuminate\Http\Request;
use Illuminate\Support\Facades\Auth;
use Illuminate\Support\Facades\Broadcast;

$app = LaravelApp::create([
    'url' => 'http://127.0.0.1:1',
    'api_key' => 'unused',
    'jwt_secret' => 'laravel-test-secret-0123456789-abcdef',
    'auth_proxy' => ['routes' => true, 'guards' => ['sanctum', 'api'], 'user_provider' => 'memory',
        'key' => getenv('HERALD_AUTH_PROXY_KEY') ?: null],
], [
    'auth' => [
        'defaults' => ['guard' => 'api'],
        'guards' => ['api' => ['driver' => 'token', 'provider' => 'memory', 'hash' => false]],
        'providers' => ['memory' => ['driver' => 'memory']],
    ],
]);
Auth::provider('memory', fn () => new MemoryUsers());

// routes/channels.php
Broadcast::channel('orders.{userId}', fn ($user, $userId) => (int) $user->id === (int) $userId);

// What the HTTP kernel does for a request, minus the middleware the routes do not use.
$request = Request::capture();
$app->instance('request', $request);
$response = $app['router']->dispatch($request);
$response->send();
return true;
