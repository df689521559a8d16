<?php

declare(strict_types=1);

namespace Herald\Tests\Support;

use Herald\Laravel\HeraldServiceProvider;
use Illuminate\Config\Repository;
use Illuminate\Foundation\Application;
use Illuminate\Support\Facades\Facade;

/**
 * A real Laravel application container from Debian's php-laravel-framework, configured as an
 * application using Herald would be: broadcasting default 'herald', the sync queue, and the
 * package's provider registered the way package discovery registers it.
 */
final class LaravelApp
{
    public static function autoload(): bool
    {
        $autoload = getenv('LARAVEL_AUTOLOAD') ?: '/usr/share/php/Illuminate/autoload.php';
        if (!is_file($autoload)) {
            return false;
        }
        require_once $autoload;
        require_once dirname($autoload) . '/Foundation/helpers.php';
        return true;
    }

    public static function create(array $herald, array $config = []): Application
    {
        $base = sys_get_temp_dir() . '/herald-laravel-' . bin2hex(random_bytes(4));
        mkdir("$base/config", 0777, true);
        $app = new Application($base);
        $app->instance('config', new Repository([
            'app' => ['name' => 'herald-test', 'env' => 'testing', 'debug' => true, 'providers' => []],
            'broadcasting' => ['default' => 'herald', 'connections' => ['herald' => ['driver' => 'herald']]],
            'queue' => ['default' => 'sync', 'connections' => ['sync' => ['driver' => 'sync']]],
            'herald' => $herald,
        ] + $config));
        Facade::clearResolvedInstances();
        Facade::setFacadeApplication($app);
        $app->register(\Illuminate\Filesystem\FilesystemServiceProvider::class);
        $app->register(\Illuminate\Auth\AuthServiceProvider::class);
        $app->register(\Illuminate\Bus\BusServiceProvider::class);
        $app->register(\Illuminate\Queue\QueueServiceProvider::class);
        $app->register(\Illuminate\Broadcasting\BroadcastServiceProvider::class);
        $app->register(HeraldServiceProvider::class);
        $app->boot();
        return $app;
    }
}
