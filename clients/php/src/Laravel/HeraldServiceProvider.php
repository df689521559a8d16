<?php

declare(strict_types=1);

namespace Herald\Laravel;

use Herald\WebSocketService;
use Illuminate\Broadcasting\BroadcastManager;
use Illuminate\Support\ServiceProvider;

/**
 * Registers WebSocketService (also as 'herald', behind the Herald facade) from config/herald.php,
 * publishes that file (tag herald-config), and adds the broadcasting driver 'herald'.
 */
class HeraldServiceProvider extends ServiceProvider
{
    public function register(): void
    {
        $this->mergeConfigFrom(__DIR__ . '/../../config/herald.php', 'herald');
        $this->app->singleton(WebSocketService::class, fn ($app) => self::service($app['config']->get('herald', [])));
        $this->app->alias(WebSocketService::class, 'herald');
    }

    public function boot(): void
    {
        $this->publishes([__DIR__ . '/../../config/herald.php' => $this->app->configPath('herald.php')], 'herald-config');
        if ($this->app['config']->get('herald.auth_proxy.routes', false) && !$this->app->routesAreCached()) {
            AuthProxy::routes();
        }
        $this->callAfterResolving(BroadcastManager::class, function (BroadcastManager $manager) {
            $manager->extend('herald', function ($app, array $config) {
                // A connection in config/broadcasting.php may name its own url/api_key; else the shared service.
                $herald = $app['config']->get('herald', []);
                $service = isset($config['url']) || isset($config['api_key'])
                    ? self::service(array_merge($herald, $config))
                    : $app->make(WebSocketService::class);
                $ttl = (int) ($config['subscription_token_ttl'] ?? $herald['subscription_token_ttl'] ?? 300);
                return new HeraldBroadcaster($service, $ttl);
            });
        });
    }

    private static function service(array $c): WebSocketService
    {
        return new WebSocketService($c['url'] ?? null, $c['api_key'] ?? null, $c['jwt_secret'] ?? null, [
            'timeout' => $c['timeout'] ?? 10,
            'connect_timeout' => $c['connect_timeout'] ?? 5,
            'max_attempts' => $c['max_attempts'] ?? 3,
            'retry_backoff_ms' => $c['retry_backoff_ms'] ?? 100,
            'idempotency_keys' => $c['idempotency_keys'] ?? true,
        ]);
    }
}
