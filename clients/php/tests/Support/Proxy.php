<?php

declare(strict_types=1);

namespace Herald\Tests\Support;

/** proxy-router.php under `php -S` on a free loopback port, in front of the test Herald. */
final class Proxy
{
    /** @var resource */
    private $process;
    private string $state;
    public readonly int $port;

    public function __construct(string $upstream)
    {
        $this->state = sys_get_temp_dir() . '/herald-proxy-' . bin2hex(random_bytes(4));
        mkdir($this->state);
        $this->port = PhpServer::freePort();
        $this->process = PhpServer::start($this->port, __DIR__ . '/proxy-router.php',
            ['STATE_DIR' => $this->state, 'HERALD_UPSTREAM' => $upstream]);
    }

    public function url(): string
    {
        return 'http://127.0.0.1:' . $this->port;
    }

    public function spoil(string $kind, int $times): void
    {
        file_put_contents($this->state . '/fault', "$kind $times");
    }

    /** @return list<array{string, string, ?string}> method, path, Idempotency-Key per request */
    public function seen(): array
    {
        $lines = @file($this->state . '/seen', FILE_IGNORE_NEW_LINES) ?: [];
        return array_map(fn ($l) => json_decode($l, true), $lines);
    }

    public function stop(): void
    {
        PhpServer::stop($this->process);
    }
}
