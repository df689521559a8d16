<?php

declare(strict_types=1);

namespace Herald\Tests;

use Herald\Tests\Support\Herald;
use Herald\Tests\Support\PhpServer;
use Herald\Tests\Support\WsClient;
use PHPUnit\Framework\TestCase;

/** The package's auth proxy routes in a Laravel application under `php -S`, called over HTTP. */
final class AuthProxyRoutesTest extends TestCase
{
    private const KEY = 'proxy-key-123';

    /** @var resource */
    private static $server;
    private static int $port;

    public static function setUpBeforeClass(): void
    {
        self::$port = PhpServer::freePort();
        self::$server = PhpServer::start(self::$port, __DIR__ . '/Support/laravel-server.php', ['HERALD_AUTH_PROXY_KEY' => self::KEY]);
    }

    public static function tearDownAfterClass(): void
    {
        PhpServer::stop(self::$server);
    }

    public static function url(string $path): string
    {
        return 'http://127.0.0.1:' . self::$port . $path;
    }

    /** @return array{int, mixed} */
    private static function post(string $path, array $body, ?string $key = self::KEY): array
    {
        $curl = curl_init(self::url($path));
        $headers = ['Content-Type: application/json', 'Accept: application/json'];
        if ($key !== null) {
            $headers[] = "Authorization: Bearer $key";
        }
        curl_setopt_array($curl, [CURLOPT_POST => true, CURLOPT_POSTFIELDS => json_encode($body),
            CURLOPT_HTTPHEADER => $headers, CURLOPT_RETURNTRANSFER => true, CURLOPT_TIMEOUT => 20]);
        $answer = curl_exec($curl);
        return [curl_getinfo($curl, CURLINFO_RESPONSE_CODE), json_decode((string) $answer, true)];
    }

    public function testConnectAcceptsATokenTheGuardAccepts(): void
    {
        [$status, $body] = self::post('/herald/auth/connect', ['token' => 'tok-42', 'user_id' => 42, 'remote_addr' => '127.0.0.1:1']);
        self::assertSame(200, $status);
        self::assertSame(['user_id' => 42], $body);
    }

    public function testConnectRefusesAnUnknownToken(): void
    {
        [$status] = self::post('/herald/auth/connect', ['token' => 'tok-nope', 'user_id' => null, 'remote_addr' => null]);
        self::assertSame(401, $status);
    }

    public function testCallsWithoutHeraldsKeyAreRefused(): void
    {
        self::assertSame(401, self::post('/herald/auth/connect', ['token' => 'tok-42'], 'wrong')[0]);
        self::assertSame(401, self::post('/herald/auth/subscribe', ['user_id' => 42, 'channel' => 'private-orders.42'], null)[0]);
    }

    public function testHeraldAsksTheseRoutesForConnectionsAndPrivateChannels(): void
    {
        $herald = Herald::start([
            'HERALD_AUTH_PROXY_CONNECT_URL' => self::url('/herald/auth/connect'),
            'HERALD_AUTH_PROXY_SUBSCRIBE_URL' => self::url('/herald/auth/subscribe'),
            'HERALD_AUTH_PROXY_KEY' => self::KEY,
        ]);
        try {
            // The application's own API token, not a JWT.
            $ws = new WsClient('127.0.0.1', $herald->port, '/ws?token=tok-42');
            self::assertSame(42, $ws->expect('connected')['data']['user_id']);
            $ws->send('subscribe', ['channel' => 'private-orders.42']);
            self::assertSame('private-orders.42', $ws->expect('subscribed')['data']['channel']);
            $ws->send('subscribe', ['channel' => 'private-orders.7']);
            $refused = $ws->expect('error')['data'];
            self::assertSame('forbidden', $refused['code']);
            self::assertStringContainsString('forbidden', $refused['message']);
            $ws->close();

            $bad = new WsClient('127.0.0.1', $herald->port, '/ws?token=tok-nope');
            self::assertNull($bad->next());
            self::assertSame(4001, $bad->closeCode);
            $bad->close();
        } finally {
            $herald->stop();
        }
    }

    public function testSubscribeFollowsRoutesChannels(): void
    {
        self::assertSame(200, self::post('/herald/auth/subscribe', ['user_id' => 42, 'channel' => 'private-orders.42'])[0]);
        [$status, $body] = self::post('/herald/auth/subscribe', ['user_id' => 42, 'channel' => 'private-orders.7']);
        self::assertSame(403, $status);
        self::assertSame('forbidden', $body['error']);
        self::assertSame(403, self::post('/herald/auth/subscribe', ['user_id' => 999, 'channel' => 'private-orders.999'])[0]);
    }
}
