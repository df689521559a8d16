<?php

declare(strict_types=1);

namespace Herald\Tests\Support;

/** Starts `php -S 127.0.0.1:<port> <router>` and waits until it accepts connections. */
final class PhpServer
{
    public static function freePort(): int
    {
        $s = stream_socket_server('tcp://127.0.0.1:0');
        $port = (int) substr(strrchr(stream_socket_get_name($s, false), ':'), 1);
        fclose($s);
        return $port;
    }

    /** @return resource */
    public static function start(int $port, string $router, array $env)
    {
        $process = proc_open([PHP_BINARY, '-S', "127.0.0.1:$port", $router],
            [0 => ['file', '/dev/null', 'r'], 1 => ['file', '/dev/null', 'w'], 2 => ['file', '/dev/null', 'w']],
            $pipes, dirname($router), array_merge(getenv(), $env));
        $deadline = microtime(true) + 30;
        while (($c = @stream_socket_client("tcp://127.0.0.1:$port", $errno, $error, 1)) === false) {
            if (microtime(true) > $deadline || !proc_get_status($process)['running']) {
                throw new \RuntimeException("php -S on $port did not start: $error");
            }
            usleep(20000);
        }
        fclose($c);
        return $process;
    }

    /** @param resource $process */
    public static function stop($process): void
    {
        proc_terminate($process);
        proc_close($process);
    }
}
