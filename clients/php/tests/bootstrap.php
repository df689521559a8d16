<?php

declare(strict_types=1);

// PSR-4 for the package and its tests (Composer's registry is not needed to run the tests);
// Laravel, when a test needs it, comes from Debian's php-laravel-framework.
spl_autoload_register(function (string $class): void {
    foreach (['Herald\\Tests\\' => __DIR__ . '/', 'Herald\\' => __DIR__ . '/../src/'] as $prefix => $dir) {
        if (str_starts_with($class, $prefix)) {
            $file = $dir . str_replace('\\', '/', substr($class, strlen($prefix))) . '.php';
            if (is_file($file)) {
                require $file;
            }
            return;
        }
    }
});

// Laravel for the integration tests (LaravelTest fails, not skips, when it is missing).
\Herald\Tests\Support\LaravelApp::autoload();
